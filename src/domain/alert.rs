//! The persisted state of a balance alert episode: what the alert machine
//! ([`crate::alerting::step`]) remembers between polls and the store keeps per workspace.

use chrono::{DateTime, Utc};

/// Where an episode stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// Balance fine (or not yet low for `pending_polls` readings).
    #[default]
    Ok,
    /// Under the threshold; reminders every `repeat_every`.
    Low,
    /// Under `critical_below`; stays critical until recovered (no de-escalation, no flapping).
    Critical,
}

impl Level {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Low => "low",
            Level::Critical => "critical",
        }
    }

    /// Parses a stored name; anything unknown is `Ok` (a fresh start, never a false alert).
    pub fn parse(text: &str) -> Level {
        match text {
            "low" => Level::Low,
            "critical" => Level::Critical,
            _ => Level::Ok,
        }
    }
}

/// Everything the machine remembers between polls (persisted per workspace).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AlertState {
    /// Current level.
    pub level: Level,
    /// Consecutive readings under the threshold while `Ok`.
    pub below_count: u32,
    /// Consecutive failed readings.
    pub failures: u32,
    /// The unknown warning of the current outage was produced.
    pub unknown_notified: bool,
    /// Episodes so far (a new one starts on each ok → low/critical); part of dedupe keys.
    pub episode: i64,
    /// Outages warned about so far; part of the unknown warning's dedupe key.
    pub outages: i64,
    /// Reminders produced in the current episode.
    pub reminders: u32,
    /// When the current level began.
    pub since: Option<DateTime<Utc>>,
    /// When the last low/critical/reminder event was produced (the reminder clock).
    pub last_notified_at: Option<DateTime<Utc>>,
    /// Messages are suppressed until then; state tracking goes on.
    pub muted_until: Option<DateTime<Utc>>,
}

impl AlertState {
    /// Whether messages are suppressed at `now`.
    pub fn muted(&self, now: DateTime<Utc>) -> bool {
        self.muted_until.is_some_and(|until| until > now)
    }
}
