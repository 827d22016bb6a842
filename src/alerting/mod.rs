//! The alerting core: pure decisions about alert episodes, with no I/O and no clock.
//!
//! [`evaluate`] advances one alert rule by one observation: the configured rules (queue,
//! SLA, expirations, with [`limits`]) and the Gupshup balance (with [`balance_limits`]);
//! [`survey_due`] and [`after_reading`] decide the low_survey rule's messages;
//! [`spending_rate`] estimates how fast the wallet empties; [`poll_slot`] names the tick a
//! poll belongs to; [`whatsapp`] judges the WhatsApp health readings.
//! The jobs layer ([`crate::jobs`]) feeds them real readings, persists the state and queues
//! the messages, so every sequence here is a plain unit test.

mod engine;
mod survey;
#[cfg(test)]
mod tests;
pub mod whatsapp;

use chrono::{DateTime, Duration, Utc};

use crate::config::{AlertRule, BalanceSettings, RuleKind};

pub use engine::{Direction, Limits, RuleEvent, RuleObservation, evaluate};

/// Consecutive failed observations before the one "cannot evaluate" (for the balance:
/// "cannot read the balance") warning of an outage.
pub const UNKNOWN_AFTER: u32 = 3;
pub use survey::{LISTED_ANSWERS, after_reading, survey_due};

/// How far back the spending rate looks.
pub const RATE_WINDOW_DAYS: i64 = 7;
/// Readings must span at least this long before a days-left estimate is given.
pub const MIN_RATE_SPAN_HOURS: i64 = 24;
/// Length of a scheduled poll's slot, the scheduler's tick period: every replica's tick
/// fires on the same 30-second boundary of its own clock, so replicas that poll in the same
/// tick share a slot, and a slot is polled once.
pub const POLL_SLOT_SECS: i64 = 30;
/// The longest a poll may wait for Gupshup, every try, backoff and partner login included;
/// past it the poll is stored as a timeout. It bounds how long a poll holds its claim.
pub const POLL_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(150);
/// How long a scheduled poll's claim keeps other replicas from polling the workspace unless
/// the poll is stored first: its time limit plus room to store it. A replica that dies
/// mid-poll holds the workspace this long.
pub const POLL_LEASE_SECS: i64 = 180;

/// The slot of a scheduled poll at `now`: the epoch second of its 30-second tick boundary
/// (see [`POLL_SLOT_SECS`]), the key that stores a poll once across replicas.
pub fn poll_slot(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(POLL_SLOT_SECS) * POLL_SLOT_SECS
}

/// Spending in USD per day: the sum of every drop between consecutive readings (rises are
/// recharges and are left out) over the time the readings span. `None` when they span less
/// than [`MIN_RATE_SPAN_HOURS`] or nothing was spent.
pub fn spending_rate(history: &[(DateTime<Utc>, f64)]) -> Option<f64> {
    let (first, last) = (history.first()?.0, history.last()?.0);
    let span = last - first;
    if span < Duration::hours(MIN_RATE_SPAN_HOURS) {
        return None;
    }
    let spent: f64 = history
        .windows(2)
        .map(|pair| (pair[0].1 - pair[1].1).max(0.0))
        .sum();
    let days = span.num_seconds() as f64 / 86_400.0;
    (spent > 0.0).then(|| spent / days)
}

/// The engine's limits for a configured rule: attention_sla is bad below its threshold,
/// every other rule at or above it.
pub fn limits(rule: &AlertRule) -> Limits {
    let direction = match rule.kind {
        RuleKind::AttentionSla { .. } => Direction::Below,
        _ => Direction::Above,
    };
    Limits {
        direction,
        threshold: rule.threshold,
        critical: rule.critical,
        recover_at: rule.recover_at,
        hold: Duration::from_std(rule.hold).unwrap_or(Duration::MAX),
        hold_observations: 1,
        repeat_every: Duration::from_std(rule.repeat_every).unwrap_or(Duration::MAX),
    }
}

/// The engine's limits for the Gupshup balance (`[workspaces.balance]`, USD): bad under
/// `threshold` for `pending_polls` readings in a row, critical at once under
/// `critical_below`, resolved at or above `recover_at`, reminded every `repeat_every`.
pub fn balance_limits(settings: &BalanceSettings) -> Limits {
    Limits {
        direction: Direction::Below,
        threshold: settings.threshold,
        critical: Some(settings.critical_below),
        recover_at: settings.recover_at,
        hold: Duration::zero(),
        hold_observations: settings.pending_polls,
        repeat_every: Duration::from_std(settings.repeat_every).unwrap_or(Duration::MAX),
    }
}
