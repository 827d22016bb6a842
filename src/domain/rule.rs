//! The persisted state of an alert rule's episode: what the rule engine
//! ([`crate::alerting::evaluate`]) remembers between evaluations and the store keeps per
//! (workspace, rule).

use chrono::{DateTime, Utc};

/// Where a rule's episode stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleLevel {
    /// Fine, or bad for less than `hold` (or fewer than `hold_observations` observations).
    #[default]
    Ok,
    /// Past the threshold for `hold`.
    Firing,
    /// Past the critical limit; stays critical until resolved (no de-escalation).
    Critical,
}

impl RuleLevel {
    /// The name stored in the database and shown in `/alerts status`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Ok => "ok",
            RuleLevel::Firing => "firing",
            RuleLevel::Critical => "critical",
        }
    }

    /// Reads a stored name; `None` for text pulso never writes.
    pub fn parse(text: &str) -> Option<RuleLevel> {
        match text {
            "ok" => Some(RuleLevel::Ok),
            "firing" => Some(RuleLevel::Firing),
            "critical" => Some(RuleLevel::Critical),
            _ => None,
        }
    }
}

/// What the engine remembers between evaluations, persisted per (workspace, rule).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleState {
    /// Current level.
    pub level: RuleLevel,
    /// Episodes so far; a new one starts on each ok → firing/critical. Part of dedupe keys.
    pub episode: i64,
    /// When the current episode started firing (ok: when it last resolved).
    pub since: Option<DateTime<Utc>>,
    /// While ok: since when the value has been bad without a break (for `hold`).
    pub bad_since: Option<DateTime<Utc>>,
    /// While ok: how many observations in a row have been bad (for `hold_observations`).
    pub bad_observations: u32,
    /// The last value observed (low_survey: how many answers it has reported so far).
    pub last_value: Option<f64>,
    /// When the last firing/critical/reminder event was produced (the reminder clock;
    /// low_survey: when its last message was queued, the `group_every` clock).
    pub last_notified_at: Option<DateTime<Utc>>,
    /// Reminders produced in the current episode.
    pub reminders: u32,
    /// Who acknowledged the current episode, and when: reminders stop.
    pub acknowledged: Option<(String, DateTime<Utc>)>,
    /// Messages of this rule are suppressed until then; tracking goes on.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Consecutive failed observations.
    pub failures: u32,
    /// Outages warned about so far; part of the "cannot evaluate" dedupe key.
    pub outages: i64,
}

impl RuleState {
    /// Whether the rule's messages are suppressed at `now`.
    pub fn snoozed(&self, now: DateTime<Utc>) -> bool {
        self.snoozed_until.is_some_and(|until| until > now)
    }
}
