//! Calendar months of group aggregates: what keeps a year's breakdown in milliseconds.
//!
//! A breakdown by operator reads, per group and day, each stored duration: at 10M inquiries
//! a year and the year before are about seven million of them. A calendar month of one group
//! holds a few thousand durations of a kind in a few hundred histogram buckets, so the
//! complete months of a window are stored once more, rolled up (`month_group_aggregates`),
//! with their durations binned. A month is used only when every one of its days may come
//! from aggregates and no mark overlaps it; otherwise its days are read as usual and the
//! month is rolled up from them and stored. An answer always counts a complete month
//! through its rolled-up form, whether it read it or built it, so the answer that builds a
//! month and the later ones that read it agree to the last digit. Medians and p90 of such a
//! window come from histograms (within the stated bound), as they do for any long window.

use chrono::{DateTime, Datelike, Duration, NaiveDate};

use super::aggregates::Day;
use crate::domain::GroupedFacts;

/// Days of a plan read together: a complete calendar month, or the days outside one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment {
    /// Its days, in order.
    pub days: Vec<Day>,
    /// The month's span (numbered by its first day) when the days are a complete month.
    pub month: Option<Day>,
}

fn date_of(day: &Day) -> NaiveDate {
    DateTime::UNIX_EPOCH.date_naive() + Duration::days(day.number)
}

/// Splits consecutive `days` into complete calendar months (when `monthly`) and one segment
/// of the rest.
pub(super) fn segments(days: &[Day], monthly: bool) -> Vec<Segment> {
    let mut loose = Vec::new();
    let mut months = Vec::new();
    let mut at = 0;
    while at < days.len() {
        let first = date_of(&days[at]);
        let in_month = days[at..]
            .iter()
            .take_while(|day| {
                let date = date_of(day);
                (date.year(), date.month()) == (first.year(), first.month())
            })
            .count();
        let run = &days[at..at + in_month];
        let last = date_of(&run[run.len() - 1]);
        let complete = first.day() == 1 && (last + Duration::days(1)).day() == 1;
        if monthly && complete {
            months.push(Segment {
                days: run.to_vec(),
                month: Some(Day {
                    number: run[0].number,
                    start: run[0].start,
                    end: run[run.len() - 1].end,
                }),
            });
        } else {
            loose.extend_from_slice(run);
        }
        at += in_month;
    }
    let mut all = Vec::with_capacity(months.len() + 1);
    if !loose.is_empty() {
        all.push(Segment {
            days: loose,
            month: None,
        });
    }
    all.extend(months);
    all
}

/// The stored form of a month: its days' groups with every duration binned.
pub(super) fn rolled_up(mut groups: GroupedFacts) -> Vec<u8> {
    for facts in groups.0.values_mut() {
        facts.attention.bin_exact();
        facts.resolution.bin_exact();
        facts.attention_resolution.bin_exact();
    }
    groups.encode()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: NaiveDate) -> Day {
        let number = (date - DateTime::UNIX_EPOCH.date_naive()).num_days();
        Day {
            number,
            start: number * 86_400,
            end: (number + 1) * 86_400,
        }
    }

    #[test]
    fn complete_months_are_their_own_segments() {
        let from = NaiveDate::from_ymd_opt(2026, 1, 20).unwrap();
        let days: Vec<Day> = (0..70).map(|n| day(from + Duration::days(n))).collect();
        let parts = segments(&days, true);
        // 20–31 January and 1–30 March are loose; February is complete.
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].month, None);
        assert_eq!(parts[0].days.len(), 12 + 30);
        assert_eq!(parts[1].days.len(), 28);
        let february = parts[1].month.unwrap();
        assert_eq!(
            february.number,
            day(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()).number
        );
        assert_eq!(february.end, parts[1].days[27].end);
        let plain = segments(&days, false);
        assert_eq!((plain.len(), plain[0].days.len()), (1, 70));
        assert!(segments(&[], true).is_empty());
    }
}
