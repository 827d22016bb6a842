//! The seven customer-service indicators and what we add beyond the seed.
//!
//! The store hands over raw facts for a window ([`WindowSamples`]); this module turns them
//! into the figures of `shared/reference/indicators.md` ([`WindowIndicators`]) and assembles a
//! report with the previous period beside the current one ([`IndicatorReport`]). Nothing here
//! knows about SQL or Discord, so every renderer and both backends share one definition.

mod facts;
mod histogram;
mod period;
mod stats;

pub use facts::{DurationFacts, EXACT_DAY_LIMIT, EXACT_WINDOW_LIMIT, WindowFacts};
pub use histogram::{DecodeError, LogHistogram, MAX_RELATIVE_ERROR};
pub use period::{
    MAX_PERIOD_DAYS, NamedPeriod, Period, PeriodError, PeriodRequest, Window, day_start,
};
pub use stats::{Csat, DurationStats, Nps};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::store::{Store, StoreError};

/// Raw facts about one workspace and one window, as read from the inquiry database.
///
/// Durations are whole seconds; the store computes them in SQL so both backends agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowSamples {
    /// Inquiries with status pending whose `requested_at` is in the window.
    pub pending: u64,
    /// Inquiries whose `expired_at` is in the window.
    pub expired: u64,
    /// `attended_at − requested_at` for every inquiry whose `attended_at` is in the window.
    pub attention_secs: Vec<i64>,
    /// One entry per inquiry whose `resolved_at` is in the window.
    pub resolved: Vec<ResolvedSample>,
    /// Number of NPS answers per score 0..=10.
    pub nps_histogram: [u64; 11],
    /// Number of CSAT answers per score 1..=5 (index 0 holds score 1).
    pub csat_histogram: [u64; 5],
}

/// Durations of one inquiry resolved in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedSample {
    /// `resolved_at − attended_at`; `None` when the source has no `attended_at`.
    pub resolution_secs: Option<i64>,
    /// `resolved_at − requested_at`.
    pub attention_resolution_secs: i64,
}

/// The indicators of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowIndicators {
    /// The local days and the UTC window they cover.
    pub period: PeriodSummary,
    /// Consultas pendientes: pending inquiries requested in the window.
    pub pending: u64,
    /// Consultas resueltas: inquiries resolved in the window.
    pub resolved: u64,
    /// Consultas expiradas: inquiries that expired in the window.
    pub expired: u64,
    /// Promedio de atención, minutes.
    pub avg_attention_min: Option<f64>,
    /// Promedio de resolución, minutes.
    pub avg_resolution_min: Option<f64>,
    /// Promedio de atención + resolución, minutes.
    pub avg_attention_resolution_min: Option<f64>,
    /// Puntaje NPS.
    pub nps: Nps,
    /// Puntaje CSAT.
    pub csat: Csat,
    /// Mean, median and p90 behind `avg_attention_min`.
    pub attention: DurationStats,
    /// Mean, median and p90 behind `avg_resolution_min`.
    pub resolution: DurationStats,
    /// Mean, median and p90 behind `avg_attention_resolution_min`.
    pub attention_resolution: DurationStats,
    /// expired / (resolved + expired); `None` when both are 0.
    pub expired_rate: Option<f64>,
}

impl WindowIndicators {
    /// Computes the indicators of `period` from the facts read for its window.
    pub fn from_samples(period: &Period, samples: WindowSamples) -> WindowIndicators {
        WindowIndicators::from_facts(period, WindowFacts::from(samples))
    }

    /// Computes the indicators of `period` from facts that may partly come from stored day
    /// aggregates (when their histograms are used, medians and p90 carry
    /// `percentile_error_bound`).
    pub fn from_facts(period: &Period, facts: WindowFacts) -> WindowIndicators {
        let WindowFacts {
            pending,
            expired,
            resolved,
            mut attention,
            mut resolution,
            mut attention_resolution,
            nps_histogram,
            csat_histogram,
        } = facts;
        let attention = DurationStats::from_facts(&mut attention);
        let resolution = DurationStats::from_facts(&mut resolution);
        let attention_resolution = DurationStats::from_facts(&mut attention_resolution);
        let closed = resolved + expired;
        WindowIndicators {
            period: PeriodSummary::of(period),
            pending,
            resolved,
            expired,
            avg_attention_min: attention.mean_min,
            avg_resolution_min: resolution.mean_min,
            avg_attention_resolution_min: attention_resolution.mean_min,
            nps: Nps::from_histogram(&nps_histogram),
            csat: Csat::from_histogram(&csat_histogram),
            attention,
            resolution,
            attention_resolution,
            expired_rate: (closed > 0).then(|| expired as f64 / closed as f64),
        }
    }
}

/// A period as reports show it: local dates, zone, and the exact UTC window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodSummary {
    /// First local day.
    pub from: NaiveDate,
    /// Last local day, inclusive.
    pub to: NaiveDate,
    /// IANA zone name the days are counted in.
    pub timezone: String,
    /// Number of days.
    pub days: i64,
    /// The UTC window `[start, end)`.
    pub window: Window,
}

impl PeriodSummary {
    /// Summarises a period.
    pub fn of(period: &Period) -> PeriodSummary {
        PeriodSummary {
            from: period.from,
            to: period.to,
            timezone: period.timezone.name().to_string(),
            days: period.days(),
            window: period.window(),
        }
    }
}

/// The pending inquiry that has waited longest, right now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OldestPending {
    /// Its identifier, so an operator can find it.
    pub id: String,
    /// When the user asked for a human.
    pub requested_at: DateTime<Utc>,
    /// Minutes waited until the report was made.
    pub waiting_min: f64,
}

/// One local day of the digest chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyPoint {
    /// The local day.
    pub date: NaiveDate,
    /// Inquiries resolved that day.
    pub resolved: u64,
    /// Inquiries expired that day.
    pub expired: u64,
    /// Mean attention minutes of inquiries attended that day; `None` without samples.
    pub avg_attention_min: Option<f64>,
}

/// The `days` local days ending with `last_day`, oldest first, for the digest chart.
///
/// # Errors
/// Fails only when the store cannot be read.
pub async fn daily_series(
    store: &Store,
    workspace: &str,
    timezone: chrono_tz::Tz,
    last_day: NaiveDate,
    days: u32,
) -> Result<Vec<DailyPoint>, StoreError> {
    let mut points = Vec::with_capacity(days as usize);
    for offset in (0..i64::from(days)).rev() {
        let date = last_day - chrono::Duration::days(offset);
        let period = Period {
            from: date,
            to: date,
            timezone,
        };
        let samples = store.window_samples(workspace, period.window()).await?;
        let day = WindowIndicators::from_samples(&period, samples);
        points.push(DailyPoint {
            date,
            resolved: day.resolved,
            expired: day.expired,
            avg_attention_min: day.avg_attention_min,
        });
    }
    Ok(points)
}

/// An inquiry still waiting or being attended, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenInquiry {
    /// Its identifier.
    pub id: String,
    /// Channel the user wrote from.
    pub channel: String,
    /// Inquiry type.
    pub origin: String,
    /// Operator attending it, if any.
    pub operator_id: Option<String>,
    /// When the user asked for a human.
    pub requested_at: DateTime<Utc>,
}

/// Everything a renderer needs to answer "how are we doing?" for one workspace and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorReport {
    /// Workspace id.
    pub workspace: String,
    /// The period's figures; their names are the JSON contract of `pulso indicators`.
    #[serde(flatten)]
    pub current: WindowIndicators,
    /// Consultas en progreso: attended now, not windowed.
    pub in_progress: u64,
    /// The pending inquiry waiting longest (over all pending ones, not just this period).
    pub oldest_pending: Option<OldestPending>,
    /// The same figures for the period of equal length just before, for deltas.
    pub previous: WindowIndicators,
    /// The instant the report describes ("now").
    pub generated_at: DateTime<Utc>,
}

/// Reads the facts for `period` and the period before it and assembles the report.
///
/// The store decides per local day whether a stored aggregate may be used or the day is read
/// live (see [`Store::period_facts`]); the answer is the same either way, except that medians
/// and p90 over busy stored days (see [`EXACT_DAY_LIMIT`]) are within [`MAX_RELATIVE_ERROR`].
///
/// # Errors
/// Fails only when the store cannot be read.
pub async fn build_report(
    store: &Store,
    workspace: &str,
    period: &Period,
    now: DateTime<Utc>,
) -> Result<IndicatorReport, StoreError> {
    let previous_period = period.previous();
    let [current, previous] = store
        .period_facts(workspace, &[period, &previous_period], now)
        .await?
        .try_into()
        .unwrap_or_else(|_| unreachable!("one facts per period"));
    let in_progress = store.in_progress_count(workspace).await?;
    let oldest_pending = store
        .oldest_pending(workspace)
        .await?
        .map(|(id, requested_at)| OldestPending {
            id,
            requested_at,
            waiting_min: (now - requested_at).num_seconds() as f64 / 60.0,
        });
    Ok(IndicatorReport {
        workspace: workspace.to_string(),
        current: WindowIndicators::from_facts(period, current),
        in_progress,
        oldest_pending,
        previous: WindowIndicators::from_facts(&previous_period, previous),
        generated_at: now,
    })
}
