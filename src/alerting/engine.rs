//! The rule engine: one state machine for every alert rule that watches a number (the queue,
//! the oldest wait, the attention SLA, expirations), as Prometheus/Alertmanager users expect.
//!
//! - It fires when the value crosses `threshold` and stays there for `hold` (0: at once)
//!   and for `hold_observations` observations in a row (1: the first one; the balance's
//!   `pending_polls`, so a single odd reading pages nobody); a
//!   value past `critical` escalates at once (also from ok); it resolves only past
//!   `recover_at` (hysteresis: between the two the level holds, so a value flapping around
//!   the threshold alerts once), with one "resolved" event that carries how long the episode
//!   lasted.
//! - While firing, a reminder every `repeat_every` until the episode is acknowledged.
//! - A failed observation never resolves anything; after [`UNKNOWN_AFTER`] in a row, one
//!   "cannot evaluate" event per outage. An observation without samples changes nothing
//!   (neither does it break a run of bad observations, nor does a failed one).
//! - Snoozes and mutes suppress *messages*, not state: the caller drops the events of a
//!   snoozed rule, the engine keeps tracking.
//!
//! Pure: no I/O, no clock, so every sequence is a unit test with instants of its own.

use chrono::{DateTime, Duration, Utc};

use super::UNKNOWN_AFTER;
use crate::domain::{RuleLevel, RuleState};

/// Which side of the threshold is bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Bad at or above the threshold (waiting inquiries, minutes, expirations).
    Above,
    /// Bad below the threshold (the share attended within the SLA target).
    Below,
}

/// The limits of one rule, in the unit of its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Which side is bad.
    pub direction: Direction,
    /// Fires at this value (or past it, in `direction`).
    pub threshold: f64,
    /// Critical at this value or past it; `None` for rules without a critical level.
    pub critical: Option<f64>,
    /// Resolves only at this value or back past it (on the good side of `threshold`).
    pub recover_at: f64,
    /// How long the value must stay bad before the rule fires (Prometheus `for`).
    pub hold: Duration,
    /// How many observations in a row must be bad before the rule fires, besides `hold`:
    /// 1 for the queue rules (time is their measure), the balance's `pending_polls` (its
    /// readings come at `poll_every`, so it counts them).
    pub hold_observations: u32,
    /// Reminder period while firing and not acknowledged.
    pub repeat_every: Duration,
}

impl Limits {
    fn bad(&self, value: f64, limit: f64) -> bool {
        match self.direction {
            Direction::Above => value >= limit,
            Direction::Below => value < limit,
        }
    }

    fn recovered(&self, value: f64) -> bool {
        match self.direction {
            Direction::Above => value <= self.recover_at,
            Direction::Below => value >= self.recover_at,
        }
    }

    fn critical(&self, value: f64) -> bool {
        self.critical.is_some_and(|limit| self.bad(value, limit))
    }
}

/// One evaluation's input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleObservation {
    /// The number the rule watches.
    Value(f64),
    /// Nothing to judge (e.g. no inquiry attended in the SLA window): no change at all.
    NoSamples,
    /// The observation failed (database down): never a recovery.
    Failed,
}

/// A message-worthy transition. Each one's [`RuleEvent::key`] is unique per episode.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleEvent {
    /// Past the threshold for `hold` and `hold_observations`.
    Firing {
        /// The episode.
        episode: i64,
        /// The value.
        value: f64,
    },
    /// Past the critical limit (at once, from ok or firing).
    Critical {
        /// The episode.
        episode: i64,
        /// The value.
        value: f64,
    },
    /// Still firing after `repeat_every`, not acknowledged.
    Reminder {
        /// The episode.
        episode: i64,
        /// 1 for the first reminder of the episode.
        seq: u32,
        /// The level it is at.
        level: RuleLevel,
        /// The value.
        value: f64,
    },
    /// Back past `recover_at`.
    Resolved {
        /// The episode.
        episode: i64,
        /// The value.
        value: f64,
        /// How long the episode lasted.
        lasted: Duration,
    },
    /// [`UNKNOWN_AFTER`] failed observations in a row.
    CannotEvaluate {
        /// The outage number.
        outage: i64,
    },
}

impl RuleEvent {
    /// The part of the dedupe key after `alert:<workspace>:<rule>:`, so a transition is
    /// queued once whatever the number of replicas or restarts.
    pub fn key(&self) -> String {
        match self {
            RuleEvent::Firing { episode, .. } => format!("{episode}:firing"),
            RuleEvent::Critical { episode, .. } => format!("{episode}:critical"),
            RuleEvent::Reminder { episode, seq, .. } => format!("{episode}:reminder:{seq}"),
            RuleEvent::Resolved { episode, .. } => format!("{episode}:resolved"),
            RuleEvent::CannotEvaluate { outage } => format!("unknown:{outage}"),
        }
    }
}

/// Advances one rule by one observation at `now`.
pub fn evaluate(
    state: &RuleState,
    observation: RuleObservation,
    now: DateTime<Utc>,
    limits: &Limits,
) -> (RuleState, Vec<RuleEvent>) {
    let mut next = state.clone();
    let mut events = Vec::new();
    let value = match observation {
        RuleObservation::Failed => {
            next.failures = next.failures.saturating_add(1);
            if next.failures == UNKNOWN_AFTER {
                next.outages += 1;
                events.push(RuleEvent::CannotEvaluate {
                    outage: next.outages,
                });
            }
            return (next, events);
        }
        RuleObservation::NoSamples => {
            next.failures = 0;
            return (next, events);
        }
        RuleObservation::Value(value) => value,
    };
    next.failures = 0;
    next.last_value = Some(value);
    let bad = limits.bad(value, limits.threshold);
    let critical = limits.critical(value);
    match state.level {
        RuleLevel::Ok if bad || critical => {
            let bad_since = *next.bad_since.get_or_insert(now);
            next.bad_observations = next.bad_observations.saturating_add(1);
            let held =
                now - bad_since >= limits.hold && next.bad_observations >= limits.hold_observations;
            if critical || held {
                next.episode += 1;
                next.level = if critical {
                    RuleLevel::Critical
                } else {
                    RuleLevel::Firing
                };
                next.since = Some(now);
                next.bad_since = None;
                next.bad_observations = 0;
                next.last_notified_at = Some(now);
                next.reminders = 0;
                next.acknowledged = None;
                let episode = next.episode;
                events.push(if critical {
                    RuleEvent::Critical { episode, value }
                } else {
                    RuleEvent::Firing { episode, value }
                });
            }
        }
        RuleLevel::Ok => {
            next.bad_since = None;
            next.bad_observations = 0;
        }
        RuleLevel::Firing | RuleLevel::Critical if limits.recovered(value) => {
            let lasted = state.since.map_or(Duration::zero(), |since| now - since);
            next.level = RuleLevel::Ok;
            next.since = Some(now);
            next.bad_since = None;
            next.bad_observations = 0;
            events.push(RuleEvent::Resolved {
                episode: next.episode,
                value,
                lasted,
            });
        }
        RuleLevel::Firing if critical => {
            next.level = RuleLevel::Critical;
            next.last_notified_at = Some(now);
            events.push(RuleEvent::Critical {
                episode: next.episode,
                value,
            });
        }
        level @ (RuleLevel::Firing | RuleLevel::Critical) => {
            let due = state
                .last_notified_at
                .is_none_or(|last| now - last >= limits.repeat_every);
            if due && state.acknowledged.is_none() {
                next.reminders += 1;
                next.last_notified_at = Some(now);
                events.push(RuleEvent::Reminder {
                    episode: next.episode,
                    seq: next.reminders,
                    level,
                    value,
                });
            }
        }
    }
    (next, events)
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
