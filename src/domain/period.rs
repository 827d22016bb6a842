//! Periods of whole local days and the UTC windows they cover.
//!
//! Every indicator is counted over a half-open UTC interval that starts at the first instant
//! of a local day in the workspace's time zone. Getting that instant right on DST days is the
//! whole point of this module: a day can be 23 or 25 hours long, and in some zones (e.g.
//! America/Santiago in September) local midnight does not exist at all.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

pub use crate::config::NamedPeriod;

/// The longest custom period accepted: one leap year of days.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// What the user asked for: a named period or explicit local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodRequest {
    /// A period relative to now.
    Named(NamedPeriod),
    /// Inclusive local dates.
    Custom {
        /// First local day.
        from: NaiveDate,
        /// Last local day, inclusive.
        to: NaiveDate,
    },
}

/// Why a requested period cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// `from` is later than `to`.
    #[error("the start date {from} is after the end date {to}; swap them")]
    FromAfterTo {
        /// Requested first day.
        from: NaiveDate,
        /// Requested last day.
        to: NaiveDate,
    },
    /// The period spans more days than allowed.
    #[error("the period spans {days} days; the longest allowed is {MAX_PERIOD_DAYS} days")]
    TooLong {
        /// Requested length in days.
        days: i64,
    },
}

/// A validated run of whole local days in one time zone, with its UTC window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First local day.
    pub from: NaiveDate,
    /// Last local day, inclusive.
    pub to: NaiveDate,
    /// The zone the days are counted in.
    pub timezone: Tz,
}

impl Period {
    /// Resolves a request against "now" in `timezone`, rejecting reversed or over-long ranges.
    pub fn resolve(
        request: PeriodRequest,
        timezone: Tz,
        now: DateTime<Utc>,
    ) -> Result<Period, PeriodError> {
        let (from, to) = match request {
            PeriodRequest::Named(named) => named.days(now.with_timezone(&timezone).date_naive()),
            PeriodRequest::Custom { from, to } => (from, to),
        };
        Period::new(from, to, timezone)
    }

    /// Builds a period from inclusive local dates.
    pub fn new(from: NaiveDate, to: NaiveDate, timezone: Tz) -> Result<Period, PeriodError> {
        if from > to {
            return Err(PeriodError::FromAfterTo { from, to });
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_PERIOD_DAYS {
            return Err(PeriodError::TooLong { days });
        }
        Ok(Period { from, to, timezone })
    }

    /// Number of local days in the period.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The run of the same number of days just before this one, for deltas.
    pub fn previous(&self) -> Period {
        let days = Duration::days(self.days());
        Period {
            from: self.from - days,
            to: self.to - days,
            timezone: self.timezone,
        }
    }

    /// The half-open UTC interval the period covers.
    pub fn window(&self) -> Window {
        Window {
            start: day_start(self.timezone, self.from),
            end: day_start(self.timezone, self.to + Duration::days(1)),
        }
    }
}

/// A half-open UTC interval `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First instant inside the window.
    pub start: DateTime<Utc>,
    /// First instant after the window.
    pub end: DateTime<Utc>,
}

impl Window {
    /// Whether `at` falls inside the window.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }
}

/// The first instant of local day `date` in `timezone`.
///
/// Midnight inside a DST gap does not exist; the day then starts at the first valid instant
/// after it (the moment the clocks jump). Midnight inside a fall-back overlap happens twice;
/// the day starts at the earlier one.
pub fn day_start(timezone: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    match timezone.from_local_datetime(&midnight) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
        LocalResult::None => first_instant_after_gap(timezone, midnight),
    }
}

/// Finds the transition that swallowed `local`: the earliest UTC instant whose local time is
/// later than `local`. Gaps are at most a few hours and transitions fall on whole minutes in
/// every zone of the tz database since 1970, so a minute-step search is exact and cheap.
fn first_instant_after_gap(timezone: Tz, local: chrono::NaiveDateTime) -> DateTime<Utc> {
    // The first whole local minute after the gap that exists, then back to the earliest UTC
    // instant that still maps past `local`, in case a transition was not on a whole minute.
    let mut probe = (1..=24 * 60)
        .map(|minutes| local + Duration::minutes(minutes))
        .find_map(|later| timezone.from_local_datetime(&later).earliest())
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local));
    while let Some(earlier) = probe.checked_sub_signed(Duration::minutes(1)) {
        if earlier.with_timezone(&timezone).naive_local() > local {
            probe = earlier;
        } else {
            break;
        }
    }
    probe
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn santiago_skipped_midnight_starts_at_one_am() {
        // 2026-09-06: America/Santiago jumps from 00:00 -04 to 01:00 -03.
        let start = day_start(chrono_tz::America::Santiago, date(2026, 9, 6));
        assert_eq!(start.to_rfc3339(), "2026-09-06T04:00:00+00:00");
    }

    #[test]
    fn madrid_october_day_has_25_hours() {
        let period = Period::new(
            date(2026, 10, 25),
            date(2026, 10, 25),
            chrono_tz::Europe::Madrid,
        )
        .unwrap();
        let window = period.window();
        assert_eq!((window.end - window.start).num_hours(), 25);
    }

    #[test]
    fn last_month_from_march_covers_february() {
        assert_eq!(
            NamedPeriod::LastMonth.days(date(2028, 3, 15)),
            (date(2028, 2, 1), date(2028, 2, 29))
        );
    }

    #[test]
    fn reversed_and_long_periods_are_rejected() {
        let tz = chrono_tz::UTC;
        assert!(matches!(
            Period::new(date(2026, 2, 2), date(2026, 2, 1), tz),
            Err(PeriodError::FromAfterTo { .. })
        ));
        assert_eq!(
            Period::new(date(2025, 1, 1), date(2026, 1, 2), tz),
            Err(PeriodError::TooLong { days: 367 })
        );
        assert!(Period::new(date(2024, 1, 1), date(2024, 12, 31), tz).is_ok());
    }
}
