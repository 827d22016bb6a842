//! The balance alert state machine, as a pure function: no I/O, no clock, so every
//! sequence (drops, flapping, outages, restarts) is a plain unit test.
//!
//! Levels follow Prometheus/Grafana: a reading under `threshold` must repeat for
//! `pending_polls` polls before the episode fires (a single odd reading does not page anyone),
//! a reading under `critical_below` fires at once, and only a reading at or above
//! `recover_at` resolves (the band between the two is hysteresis: the state holds). Failed
//! readings are a separate "unknown" track and never count as recovery.

use chrono::{DateTime, Utc};

use crate::config::BalanceSettings;
use crate::domain::{AlertState, Level};

/// Consecutive failed readings before the one "cannot read the balance" warning.
pub const UNKNOWN_AFTER: u32 = 3;

/// What one poll observed.
#[derive(Debug, Clone, PartialEq)]
pub enum Observation {
    /// A balance in USD, comparable with the thresholds.
    Usd(f64),
    /// A balance in another currency: recorded and shown, never compared with USD limits.
    OtherCurrency,
    /// The balance could not be read.
    Failure {
        /// The API key or token was refused (401/403).
        auth: bool,
    },
}

/// A message-worthy transition. `episode` and `seq` make each one's dedupe key unique.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertEvent {
    /// Under the threshold for `pending_polls` readings.
    Low {
        /// Balance, USD.
        balance: f64,
        /// Episode number.
        episode: i64,
    },
    /// Under `critical_below` (at once, or escalated from low).
    Critical {
        /// Balance, USD.
        balance: f64,
        /// Episode number.
        episode: i64,
    },
    /// Still low or critical after `repeat_every`.
    Reminder {
        /// Balance, USD.
        balance: f64,
        /// The level being reminded of.
        level: Level,
        /// Episode number.
        episode: i64,
        /// Reminder number within the episode, from 1.
        seq: u32,
    },
    /// Back at or above `recover_at`.
    Resolved {
        /// Balance, USD.
        balance: f64,
        /// Episode number.
        episode: i64,
    },
    /// `UNKNOWN_AFTER` consecutive failed readings.
    Unknown {
        /// The key or token was refused.
        auth: bool,
        /// Outage number.
        outage: i64,
    },
}

impl AlertEvent {
    /// A key unique per event of a workspace, for the outbox and Discord's nonce.
    pub fn dedupe_key(&self, workspace: &str) -> String {
        match self {
            AlertEvent::Low { episode, .. } => format!("alert:{workspace}:balance:{episode}:low"),
            AlertEvent::Critical { episode, .. } => {
                format!("alert:{workspace}:balance:{episode}:critical")
            }
            AlertEvent::Reminder { episode, seq, .. } => {
                format!("alert:{workspace}:balance:{episode}:reminder:{seq}")
            }
            AlertEvent::Resolved { episode, .. } => {
                format!("alert:{workspace}:balance:{episode}:resolved")
            }
            AlertEvent::Unknown { outage, .. } => format!("alert:{workspace}:unknown:{outage}"),
        }
    }
}

/// Advances the machine by one observation at `now`.
pub fn step(
    state: &AlertState,
    observation: &Observation,
    now: DateTime<Utc>,
    settings: &BalanceSettings,
) -> (AlertState, Vec<AlertEvent>) {
    let mut next = *state;
    let mut events = Vec::new();
    let balance = match observation {
        Observation::Failure { auth } => {
            next.failures = next.failures.saturating_add(1);
            if next.failures >= UNKNOWN_AFTER && !next.unknown_notified {
                next.unknown_notified = true;
                next.outages += 1;
                events.push(AlertEvent::Unknown {
                    auth: *auth,
                    outage: next.outages,
                });
            }
            return (next, events);
        }
        Observation::OtherCurrency => {
            next.failures = 0;
            next.unknown_notified = false;
            return (next, events);
        }
        Observation::Usd(balance) => *balance,
    };
    next.failures = 0;
    next.unknown_notified = false;
    let critical = balance < settings.critical_below;
    let below = balance < settings.threshold;
    match state.level {
        Level::Ok if critical || (below && next.below_count + 1 >= settings.pending_polls) => {
            next.episode += 1;
            next.level = if critical {
                Level::Critical
            } else {
                Level::Low
            };
            next.below_count = 0;
            next.reminders = 0;
            next.since = Some(now);
            next.last_notified_at = Some(now);
            let episode = next.episode;
            events.push(if critical {
                AlertEvent::Critical { balance, episode }
            } else {
                AlertEvent::Low { balance, episode }
            });
        }
        Level::Ok if below => next.below_count += 1,
        Level::Ok => next.below_count = 0,
        Level::Low | Level::Critical if balance >= settings.recover_at => {
            next.level = Level::Ok;
            next.below_count = 0;
            next.since = Some(now);
            events.push(AlertEvent::Resolved {
                balance,
                episode: next.episode,
            });
        }
        Level::Low if critical => {
            next.level = Level::Critical;
            next.since = Some(now);
            next.last_notified_at = Some(now);
            events.push(AlertEvent::Critical {
                balance,
                episode: next.episode,
            });
        }
        level @ (Level::Low | Level::Critical) => {
            let due = state.last_notified_at.is_none_or(|last| {
                now - last >= chrono::Duration::from_std(settings.repeat_every).unwrap_or_default()
            });
            if due {
                next.reminders += 1;
                next.last_notified_at = Some(now);
                events.push(AlertEvent::Reminder {
                    balance,
                    level,
                    episode: next.episode,
                    seq: next.reminders,
                });
            }
        }
    }
    (next, events)
}
