//! The period names people write: `today`, `last-7-days`, … in `digest.period`, `--period`
//! and the slash commands' `period` option.
//!
//! Here, at the bottom of the house, because the configuration names a digest period;
//! [`crate::domain::Period`] resolves a name into local days and UTC windows.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, Months, NaiveDate};

/// A named period, relative to "now" in the workspace's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedPeriod {
    /// The current local day so far.
    Today,
    /// The previous local day.
    Yesterday,
    /// Seven days ending today, inclusive.
    Last7Days,
    /// Thirty days ending today, inclusive.
    Last30Days,
    /// From the first of this month to today.
    ThisMonth,
    /// The whole previous calendar month.
    LastMonth,
}

impl NamedPeriod {
    /// Every named period with its command-line spelling.
    pub const ALL: [(NamedPeriod, &'static str); 6] = [
        (NamedPeriod::Today, "today"),
        (NamedPeriod::Yesterday, "yesterday"),
        (NamedPeriod::Last7Days, "last-7-days"),
        (NamedPeriod::Last30Days, "last-30-days"),
        (NamedPeriod::ThisMonth, "this-month"),
        (NamedPeriod::LastMonth, "last-month"),
    ];

    /// The spelling used on the command line and in config files.
    pub fn as_str(self) -> &'static str {
        NamedPeriod::ALL
            .iter()
            .find(|(period, _)| *period == self)
            .map(|(_, name)| *name)
            .unwrap_or("today")
    }

    /// The inclusive local dates this period covers when today is `today`.
    pub fn days(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let first_of_month = today.with_day(1).unwrap_or(today);
        match self {
            NamedPeriod::Today => (today, today),
            NamedPeriod::Yesterday => {
                let yesterday = today - Duration::days(1);
                (yesterday, yesterday)
            }
            NamedPeriod::Last7Days => (today - Duration::days(6), today),
            NamedPeriod::Last30Days => (today - Duration::days(29), today),
            NamedPeriod::ThisMonth => (first_of_month, today),
            NamedPeriod::LastMonth => {
                let last_day = first_of_month - Duration::days(1);
                let first = first_of_month
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(last_day);
                (first, last_day)
            }
        }
    }
}

impl FromStr for NamedPeriod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NamedPeriod::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(period, _)| *period)
            .ok_or_else(|| {
                let names: Vec<&str> = NamedPeriod::ALL.iter().map(|(_, name)| *name).collect();
                format!(
                    "unknown period {s:?} (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for NamedPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
