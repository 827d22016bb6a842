//! Breakdowns: the indicators of one period per operator, origin or channel, sorted, with
//! the rest beyond the top summed as "others". Pure computation over grouped facts.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

use super::{PeriodSummary, WindowIndicators};
use crate::domain::{Dimension, Filter, GroupKey, GroupedFacts, Period, WindowFacts};

/// What a breakdown's rows are ordered by. Counts go largest first; times go slowest first
/// and scores worst first, because a breakdown is read to find who or what needs help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// Resolved inquiries, most first (the default).
    #[default]
    Resolved,
    /// Expired inquiries, most first.
    Expired,
    /// Mean attention minutes, slowest first.
    Attention,
    /// Mean resolution minutes, slowest first.
    Resolution,
    /// CSAT score, lowest first.
    Csat,
    /// NPS score, lowest first.
    Nps,
}

impl SortBy {
    /// Every order, as options list them.
    pub const ALL: [SortBy; 6] = [
        SortBy::Resolved,
        SortBy::Expired,
        SortBy::Attention,
        SortBy::Resolution,
        SortBy::Csat,
        SortBy::Nps,
    ];

    /// The name users type (`--sort attention`).
    pub fn name(self) -> &'static str {
        match self {
            SortBy::Resolved => "resolved",
            SortBy::Expired => "expired",
            SortBy::Attention => "attention",
            SortBy::Resolution => "resolution",
            SortBy::Csat => "csat",
            SortBy::Nps => "nps",
        }
    }

    /// Orders two rows; rows without the figure go last, ties by key.
    fn compare(self, a: &BreakdownRow, b: &BreakdownRow) -> Ordering {
        let count = |row: &BreakdownRow| match self {
            SortBy::Expired => row.current.expired,
            _ => row.current.resolved,
        };
        let figure = |row: &BreakdownRow| match self {
            SortBy::Attention => row.current.avg_attention_min,
            SortBy::Resolution => row.current.avg_resolution_min,
            SortBy::Csat => row.current.csat.score.map(|s| -s),
            SortBy::Nps => row.current.nps.score.map(|s| -s),
            SortBy::Resolved | SortBy::Expired => None,
        };
        let by_figure = match self {
            SortBy::Resolved | SortBy::Expired => count(b).cmp(&count(a)),
            _ => match (figure(a), figure(b)) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        by_figure.then_with(|| a.key.cmp(&b.key))
    }
}

impl FromStr for SortBy {
    type Err = String;

    fn from_str(text: &str) -> Result<SortBy, String> {
        SortBy::ALL
            .into_iter()
            .find(|sort| sort.name() == text.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = SortBy::ALL.iter().map(|s| s.name()).collect();
                format!("unknown order {text:?}: use {}", names.join(", "))
            })
    }
}

/// A group's value as shown: `None` is "unassigned" (inquiries without an operator).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey(pub Option<String>);

impl Serialize for RowKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// One row of a breakdown: the same figures as the unfiltered report, for one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownRow {
    /// The group's value; JSON `null` for "unassigned".
    pub key: RowKey,
    /// The period's figures, named as in `pulso indicators --format json`.
    #[serde(flatten)]
    pub current: WindowIndicators,
    /// Inquiries of the group in progress right now (not windowed).
    pub in_progress: u64,
    /// The previous period's figures, for the change.
    pub previous: WindowIndicators,
}

/// The indicators of one period split by one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    /// Workspace id.
    pub workspace: String,
    /// The period.
    pub period: PeriodSummary,
    /// The dimension of the rows.
    pub by: Dimension,
    /// The filter applied before splitting (empty: none).
    #[serde(skip_serializing_if = "Filter::is_empty")]
    pub filter: Filter,
    /// The order of the rows.
    pub sort: SortBy,
    /// The first rows in that order (all of them without a top).
    pub groups: Vec<BreakdownRow>,
    /// The rows beyond the top summed into one (key `null`), if any.
    pub others: Option<BreakdownRow>,
    /// How many groups there were before the top was taken.
    pub total_groups: usize,
    /// The instant the breakdown describes.
    pub generated_at: DateTime<Utc>,
}

/// The inputs of [`Breakdown::compute`] besides the facts.
#[derive(Debug, Clone)]
pub struct BreakdownRequest {
    /// Workspace id.
    pub workspace: String,
    /// The period.
    pub period: Period,
    /// What to split by.
    pub by: Dimension,
    /// What to keep first.
    pub filter: Filter,
    /// The order.
    pub sort: SortBy,
    /// How many rows to show; the rest become "others". `None`: all.
    pub top: Option<usize>,
    /// "Now".
    pub now: DateTime<Utc>,
}

impl Breakdown {
    /// Computes every group's indicators for the period and the one before, orders them and
    /// sums the rows beyond the top. Answers whose inquiry is unknown belong to no group.
    pub fn compute(
        request: BreakdownRequest,
        current: GroupedFacts,
        previous: GroupedFacts,
        in_progress: &BTreeMap<GroupKey, u64>,
    ) -> Breakdown {
        let period = &request.period;
        let previous_period = period.previous();
        let mut facts: BTreeMap<GroupKey, (WindowFacts, WindowFacts)> = BTreeMap::new();
        for (key, day) in current.0 {
            facts.entry(key).or_default().0 = day;
        }
        for (key, day) in previous.0 {
            facts.entry(key).or_default().1 = day;
        }
        for key in in_progress.keys() {
            facts.entry(key.clone()).or_default();
        }
        facts.remove(&GroupKey::UnknownInquiry);
        let row = |key: RowKey, (current, previous): (WindowFacts, WindowFacts), in_progress| {
            BreakdownRow {
                key,
                current: WindowIndicators::from_facts(period, current),
                in_progress,
                previous: WindowIndicators::from_facts(&previous_period, previous),
            }
        };
        let mut rows: Vec<(BreakdownRow, (WindowFacts, WindowFacts))> = facts
            .into_iter()
            .map(|(key, pair)| {
                let count = in_progress.get(&key).copied().unwrap_or(0);
                let shown = RowKey(match key {
                    GroupKey::Value(value) => Some(value),
                    _ => None,
                });
                (row(shown, pair.clone(), count), pair)
            })
            .collect();
        rows.sort_by(|(a, _), (b, _)| request.sort.compare(a, b));
        let total_groups = rows.len();
        let rest = rows.split_off(request.top.unwrap_or(total_groups).min(total_groups));
        let others = (!rest.is_empty()).then(|| {
            let mut sum = (WindowFacts::default(), WindowFacts::default());
            let mut in_progress = 0;
            for (row, (current, previous)) in &rest {
                sum.0.merge(current);
                sum.1.merge(previous);
                in_progress += row.in_progress;
            }
            row(RowKey(None), sum, in_progress)
        });
        Breakdown {
            workspace: request.workspace,
            period: PeriodSummary::of(period),
            by: request.by,
            filter: request.filter,
            sort: request.sort,
            groups: rows.into_iter().map(|(row, _)| row).collect(),
            others,
            total_groups,
            generated_at: request.now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn request(sort: SortBy, top: Option<usize>) -> BreakdownRequest {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        BreakdownRequest {
            workspace: "w".into(),
            period: Period::new(day, day, chrono_tz::UTC).unwrap(),
            by: Dimension::Operator,
            filter: Filter::default(),
            sort,
            top,
            now: DateTime::UNIX_EPOCH,
        }
    }

    fn groups(figures: &[(Option<&str>, u64, i64)]) -> GroupedFacts {
        let mut groups = GroupedFacts::default();
        for &(key, resolved, attention) in figures {
            let facts = groups.group(GroupKey::of(key.map(String::from)));
            facts.resolved = resolved;
            facts.attention.push(attention);
        }
        groups
    }

    #[test]
    fn rows_are_ordered_and_the_rest_is_summed_into_others() {
        let mut current = groups(&[(Some("a"), 5, 60), (Some("b"), 9, 600), (None, 1, 6000)]);
        current.group(GroupKey::UnknownInquiry).nps_histogram[10] = 4;
        let breakdown = Breakdown::compute(
            request(SortBy::Resolved, Some(1)),
            current.clone(),
            GroupedFacts::default(),
            &BTreeMap::from([(GroupKey::Value("c".into()), 2)]),
        );
        assert_eq!(
            breakdown.total_groups, 4,
            "a, b, unassigned and c (in progress)"
        );
        assert_eq!(breakdown.groups[0].key, RowKey(Some("b".into())));
        let others = breakdown.others.unwrap();
        assert_eq!((others.current.resolved, others.in_progress), (6, 2));
        assert_eq!(others.current.attention.samples, 2);
        assert_eq!(
            others.current.nps.responses, 0,
            "unknown inquiries are in no group"
        );

        let slowest = Breakdown::compute(
            request(SortBy::Attention, None),
            current,
            GroupedFacts::default(),
            &BTreeMap::new(),
        );
        let keys: Vec<Option<&str>> = slowest.groups.iter().map(|r| r.key.0.as_deref()).collect();
        assert_eq!(keys, [None, Some("b"), Some("a")]);
        assert!(slowest.others.is_none());
        assert_eq!("nps".parse::<SortBy>().unwrap(), SortBy::Nps);
        assert!(
            "speed"
                .parse::<SortBy>()
                .unwrap_err()
                .contains("resolved, expired")
        );
    }
}
