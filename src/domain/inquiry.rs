//! The records of the inquiry database contract, shared by import, demo data and the store.
//!
//! These are plain values with no SQL or Discord types, so the importer can validate them
//! before the store ever sees them and the store can write them on either backend.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

/// Where an inquiry stands in the handoff life cycle.
///
/// The string forms are the ones the contract fixes for the `status` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InquiryStatus {
    /// Waits for an operator.
    Pending,
    /// An operator is attending it right now.
    InProgress,
    /// Closed by an operator.
    Resolved,
    /// Closed without resolution after waiting too long.
    Expired,
}

impl InquiryStatus {
    /// Every status, in the order reports list them.
    pub const ALL: [InquiryStatus; 4] = [
        InquiryStatus::Pending,
        InquiryStatus::InProgress,
        InquiryStatus::Resolved,
        InquiryStatus::Expired,
    ];

    /// The value stored in the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::Pending => "pending",
            InquiryStatus::InProgress => "in_progress",
            InquiryStatus::Resolved => "resolved",
            InquiryStatus::Expired => "expired",
        }
    }
}

/// JSON output (`pulso inquiries --format json`) names a status as the column stores it.
impl serde::Serialize for InquiryStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for InquiryStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InquiryStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InquiryStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| {
                format!("unknown status {s:?} (expected pending, in_progress, resolved or expired)")
            })
    }
}

/// Which survey a response answers; the two have different score ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SurveyKind {
    /// Net Promoter Score, 0 to 10.
    Nps,
    /// Customer satisfaction, 1 to 5.
    Csat,
}

impl SurveyKind {
    /// The value stored in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyKind::Nps => "nps",
            SurveyKind::Csat => "csat",
        }
    }

    /// The inclusive score range the survey allows.
    pub fn score_range(self) -> std::ops::RangeInclusive<i16> {
        match self {
            SurveyKind::Nps => 0..=10,
            SurveyKind::Csat => 1..=5,
        }
    }
}

impl FromStr for SurveyKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "nps" => Ok(SurveyKind::Nps),
            "csat" => Ok(SurveyKind::Csat),
            _ => Err(format!("unknown kind {s:?} (expected nps or csat)")),
        }
    }
}

/// One conversation the chatbot handed off to human operators.
///
/// Instants are whole seconds in UTC: both backends store second resolution, so an import
/// truncates sub-second parts and every backend answers the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inquiry {
    /// Configured workspace the inquiry belongs to.
    pub workspace: String,
    /// The platform's identifier, unique within the workspace.
    pub id: String,
    /// Channel the user wrote from (e.g. whatsapp).
    pub channel: String,
    /// Inquiry type, e.g. payments or claims.
    pub origin: String,
    /// Current status.
    pub status: InquiryStatus,
    /// Operator who took it, if any.
    pub operator_id: Option<String>,
    /// When the user asked for a human.
    pub requested_at: DateTime<Utc>,
    /// When an operator took it.
    pub attended_at: Option<DateTime<Utc>>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it expired.
    pub expired_at: Option<DateTime<Utc>>,
}

impl Inquiry {
    /// Checks the contract's consistency rules and returns every broken one as
    /// `(column, problem)`, so an importer can report them all.
    pub fn consistency_problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        let order = |later: Option<DateTime<Utc>>, earlier: DateTime<Utc>, what: &str| {
            later
                .filter(|at| *at < earlier)
                .map(|at| format!("{what} ({at}) is before {earlier}"))
        };
        if let Some(problem) = order(self.attended_at, self.requested_at, "attended_at") {
            problems.push(("attended_at", problem + " (requested_at)"));
        }
        if let (Some(attended), Some(resolved)) = (self.attended_at, self.resolved_at) {
            if resolved < attended {
                problems.push((
                    "resolved_at",
                    format!("resolved_at ({resolved}) is before attended_at ({attended})"),
                ));
            }
        }
        if let Some(problem) = order(self.resolved_at, self.requested_at, "resolved_at") {
            problems.push(("resolved_at", problem + " (requested_at)"));
        }
        if let Some(problem) = order(self.expired_at, self.requested_at, "expired_at") {
            problems.push(("expired_at", problem + " (requested_at)"));
        }
        let has = |at: &Option<DateTime<Utc>>| at.is_some();
        let status = self.status;
        let mut require = |column: &'static str, present: bool, wanted: bool| {
            if present != wanted {
                let verb = if wanted { "needs" } else { "must not have" };
                problems.push((column, format!("status {status} {verb} {column}")));
            }
        };
        match status {
            InquiryStatus::Pending => {
                require("attended_at", has(&self.attended_at), false);
                require("resolved_at", has(&self.resolved_at), false);
                require("expired_at", has(&self.expired_at), false);
            }
            InquiryStatus::InProgress => {
                require("attended_at", has(&self.attended_at), true);
                require("resolved_at", has(&self.resolved_at), false);
                require("expired_at", has(&self.expired_at), false);
            }
            InquiryStatus::Resolved => {
                require("attended_at", has(&self.attended_at), true);
                require("resolved_at", has(&self.resolved_at), true);
                require("expired_at", has(&self.expired_at), false);
            }
            InquiryStatus::Expired => {
                require("expired_at", has(&self.expired_at), true);
                require("resolved_at", has(&self.resolved_at), false);
            }
        }
        problems
    }
}

/// One answer to an NPS or CSAT survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyResponse {
    /// Configured workspace the answer belongs to.
    pub workspace: String,
    /// The platform's identifier, unique within the workspace.
    pub id: String,
    /// The inquiry the survey followed, when known.
    pub inquiry_id: Option<String>,
    /// Which survey.
    pub kind: SurveyKind,
    /// The score, within [`SurveyKind::score_range`].
    pub score: i16,
    /// When the user answered.
    pub answered_at: DateTime<Utc>,
}
