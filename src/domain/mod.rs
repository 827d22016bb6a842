//! The records pulso reasons about, with no SQL, Discord or text in them: inquiries and
//! survey answers (the database contract), periods of local days and their UTC windows, the
//! raw samples a window holds and their additive form, the persisted alert state, and what
//! Gupshup reports about a WhatsApp app's health.
//!
//! Low in the house (only [`crate::config`] is below), so the store can return these types
//! and the computations above it can take them without either knowing the other.

mod destination;
mod facts;
mod groups;
mod histogram;
mod inquiry;
mod low_survey;
mod period;
mod rule;
mod whatsapp;

pub use destination::Destination;
pub use facts::{DurationFacts, EXACT_DAY_LIMIT, EXACT_WINDOW_LIMIT, WindowFacts};
pub use groups::{
    Dimension, Filter, FilterError, GroupKey, GroupedFacts, MAX_FILTER_VALUES, MAX_VALUE_CHARS,
    parse_values,
};
pub use histogram::{DecodeError, LogHistogram, MAX_RELATIVE_ERROR};
pub use inquiry::{Inquiry, InquiryStatus, SurveyKind, SurveyResponse};
pub use low_survey::{LowAnswer, LowAnswers, SurveyCursor, SurveyOrder};
pub use period::{
    MAX_PERIOD_DAYS, NamedPeriod, Period, PeriodError, PeriodRequest, Window, day_start,
};
pub use rule::{RuleLevel, RuleState};
pub use whatsapp::{
    AccountStatus, AppHealth, Quality, Ratings, StoredSignal, Template, Tier, WhatsappReading,
    WhatsappSignal, has_alert_rules, watched_signals,
};

use chrono::{DateTime, Utc};
use serde::Serialize;

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
