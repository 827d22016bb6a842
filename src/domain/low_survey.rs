//! What a `low_survey` rule reads and remembers: low survey answers past its cursor, and
//! the cursor itself, so no answer is reported twice.

use chrono::{DateTime, Utc};

use super::SurveyKind;

/// How a relation of survey answers is ordered for the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyOrder {
    /// By insertion (SQLite's row id, the `inserted_seq` column on pulso's PostgreSQL
    /// tables): an answer imported late with an old `answered_at` is still new.
    Inserted,
    /// By `answered_at`, for a platform's views that have no insertion order: an answer
    /// that shows up long after its `answered_at` is missed (see the store's lag).
    Answered,
}

impl SurveyOrder {
    /// The name stored with the cursor.
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyOrder::Inserted => "inserted",
            SurveyOrder::Answered => "answered",
        }
    }

    /// Reads a stored name; `None` for text pulso never writes.
    pub fn parse(text: &str) -> Option<SurveyOrder> {
        match text {
            "inserted" => Some(SurveyOrder::Inserted),
            "answered" => Some(SurveyOrder::Answered),
            _ => None,
        }
    }
}

/// Where a rule's reading stands: every answer of `order` before `position` has been
/// considered (reported, skipped while snoozed, or not low).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyCursor {
    /// What `position` counts.
    pub order: SurveyOrder,
    /// The first position not considered yet (a row id, a sequence value, or an epoch
    /// second of `answered_at`).
    pub position: i64,
}

/// One low answer, with what is known of its inquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowAnswer {
    /// The answer's id.
    pub id: String,
    /// The inquiry the survey followed, when the answer names one.
    pub inquiry_id: Option<String>,
    /// NPS or CSAT.
    pub kind: SurveyKind,
    /// The score.
    pub score: i16,
    /// When the user answered.
    pub answered_at: DateTime<Utc>,
    /// The inquiry's operator; `None` when the inquiry is unknown or unattended.
    pub operator_id: Option<String>,
    /// The inquiry's origin; `None` when the inquiry is unknown.
    pub origin: Option<String>,
}

/// The low answers from a cursor to the store's horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowAnswers {
    /// Where the reading started; `None` on a rule's first reading (or after the order
    /// changed), which only places the cursor.
    pub from: Option<SurveyCursor>,
    /// Where the next reading starts: past every answer counted here.
    pub next: SurveyCursor,
    /// How many low answers lie between the two.
    pub total: u64,
    /// The first of them, in order (at most the limit asked for).
    pub listed: Vec<LowAnswer>,
}
