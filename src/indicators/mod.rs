//! The seven customer-service indicators and what we add beyond the seed: pure computation.
//!
//! The store hands over raw facts for a window ([`WindowSamples`], [`WindowFacts`]); this
//! module turns them into the figures of `shared/reference/indicators.md`
//! ([`WindowIndicators`]) and assembles a report with the previous period beside the current
//! one ([`IndicatorReport`]). Nothing here reads a database or knows about Discord: the
//! service layer ([`crate::service`]) fetches the facts and calls this, so every renderer and
//! both backends share one definition, and tests feed it plain values.

mod breakdown;
mod stats;

pub use breakdown::{Breakdown, BreakdownRequest, BreakdownRow, RowKey, SortBy};
pub use stats::{Csat, DurationStats, Nps};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::{Filter, Period, Window, WindowFacts, WindowSamples};

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
    /// The inquiries counted (empty: all); answers whose inquiry is unknown count only
    /// without a filter.
    #[serde(skip_serializing_if = "Filter::is_empty")]
    pub filter: Filter,
}
