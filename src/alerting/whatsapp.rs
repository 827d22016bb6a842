//! The WhatsApp health rules' decisions: what each reading means to the engine, and the
//! one-off changes that are news rather than episodes (a messaging limit moved, a template
//! paused or back).
//!
//! App health, the account and the phone's quality are episodes of the one engine
//! ([`super::evaluate`]): a reading becomes a value (0 fine, 1 degraded, 2 stopped) judged
//! with [`health_limits`], so they get the hysteresis, reminders, acknowledgement and the
//! unknown track of every rule. The template list has no level of its own: each poll is
//! compared with the one before ([`template_changes`]).

use chrono::{DateTime, Duration, Utc};

use super::{Direction, Limits, RuleObservation};
use crate::domain::{
    AccountStatus, Quality, Ratings, Template, Tier, WhatsappReading, WhatsappSignal,
};

/// The value of a reading that is fine.
const FINE: f64 = 0.0;
/// Degraded: the chatbot works, worse (app unhealthy, quality YELLOW).
const DEGRADED: f64 = 1.0;
/// Stopped or about to be throttled: critical at once (account cannot send, quality RED).
const STOPPED: f64 = 2.0;

/// How long a tier event seen on a workspace's first ratings call still counts as news:
/// the ratings are read once a day, so an event of the last day is one pulso has not told.
pub const FIRST_EVENT_NEWS: Duration = Duration::hours(24);

/// `canSendMessage` values that mean the number sends normally.
const CAN_SEND: &str = "AVAILABLE";
/// `accountStatus` of a usable account.
const ACTIVE: &str = "ACTIVE";
/// `dockerStatus` values that mean the number is stopped or restricted (CONNECTED is fine;
/// PENDING and UNKNOWN say nothing yet, and `canSendMessage` covers them).
const BAD_NUMBER_STATUSES: &[&str] = &[
    "DISCONNECTED",
    "FLAGGED",
    "RESTRICTED",
    "DISABLED",
    "BANNED",
];

/// What the engine makes of a successful reading (a failed one is
/// [`RuleObservation::Failed`], decided by the caller). A quality not rated yet is no
/// sample; the template list never feeds a level.
pub fn observation(reading: &WhatsappReading) -> RuleObservation {
    match reading {
        WhatsappReading::AppHealth(health) => {
            RuleObservation::Value(if health.healthy { FINE } else { DEGRADED })
        }
        WhatsappReading::Account(account) => {
            RuleObservation::Value(if account_problems(account).is_empty() {
                FINE
            } else {
                STOPPED
            })
        }
        WhatsappReading::Quality(ratings) => match ratings.quality {
            Some(Quality::Green) => RuleObservation::Value(FINE),
            Some(Quality::Yellow) => RuleObservation::Value(DEGRADED),
            Some(Quality::Red) => RuleObservation::Value(STOPPED),
            Some(Quality::Unknown) | None => RuleObservation::NoSamples,
        },
        WhatsappReading::Templates(_) => RuleObservation::NoSamples,
    }
}

/// The engine's limits for a health signal: firing when degraded, critical when stopped
/// (the account has no degraded level: any problem is critical at once), resolved only when
/// fine again, at once (no `for`), reminded every `repeat_every`.
pub fn health_limits(signal: WhatsappSignal, repeat_every: std::time::Duration) -> Limits {
    Limits {
        direction: Direction::Above,
        threshold: DEGRADED,
        critical: match signal {
            WhatsappSignal::AppHealth | WhatsappSignal::Templates => None,
            WhatsappSignal::Account | WhatsappSignal::Quality => Some(STOPPED),
        },
        recover_at: FINE,
        hold: Duration::zero(),
        hold_observations: 1,
        repeat_every: Duration::from_std(repeat_every).unwrap_or(Duration::MAX),
    }
}

/// Why the account cannot send normally, in Gupshup's words first: `canSendMessage` other
/// than AVAILABLE, an account that is not ACTIVE, a number that is restricted, flagged,
/// disconnected, disabled or banned. Empty when it can send; missing fields are no problem.
pub fn account_problems(account: &AccountStatus) -> Vec<String> {
    let mut problems = Vec::new();
    let upper = |value: &Option<String>| value.as_deref().map(str::to_ascii_uppercase);
    if let Some(can_send) = upper(&account.can_send).filter(|v| v != CAN_SEND) {
        problems.push(format!("canSendMessage {can_send}"));
    }
    if let Some(status) = upper(&account.account_status).filter(|v| v != ACTIVE) {
        problems.push(format!("accountStatus {status}"));
    }
    if let Some(status) =
        upper(&account.docker_status).filter(|v| BAD_NUMBER_STATUSES.contains(&v.as_str()))
    {
        problems.push(format!("dockerStatus {status}"));
    }
    problems
}

/// A messaging limit that moved between two ratings readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitChange {
    /// Fewer users per day: Meta throttles the number.
    Lowered {
        /// The limit before.
        from: Tier,
        /// The limit now.
        to: Tier,
    },
    /// More users per day: good news.
    Raised {
        /// The limit before.
        from: Tier,
        /// The limit now.
        to: Tier,
    },
}

impl LimitChange {
    /// The part of the dedupe key after `alert:<workspace>:whatsapp_quality:`.
    pub fn key(&self, read_at: DateTime<Utc>) -> String {
        let (verb, from, to) = match self {
            LimitChange::Lowered { from, to } => ("lowered", from, to),
            LimitChange::Raised { from, to } => ("raised", from, to),
        };
        format!("limit:{}:{verb}:{}:{}", read_at.timestamp(), from.0, to.0)
    }
}

/// The limit change between the last stored ratings and a new answer: against the stored
/// `currentLimit`; on a workspace's first reading, against the answer's own `oldLimit` when
/// its event is at most [`FIRST_EVENT_NEWS`] old. `None` when either limit is not an
/// ordered tier (`TIER_NOT_SET`, unknown words) or nothing moved.
pub fn limit_change(
    previous: Option<&Ratings>,
    current: &Ratings,
    now: DateTime<Utc>,
) -> Option<LimitChange> {
    let to = current.current_limit.clone()?;
    let from = match previous {
        Some(previous) => previous.current_limit.clone()?,
        None => {
            let recent = current
                .event_time
                .is_some_and(|at| now - at <= FIRST_EVENT_NEWS);
            current.old_limit.clone().filter(|_| recent)?
        }
    };
    let (before, after) = (from.users()?, to.users()?);
    match after.cmp(&before) {
        std::cmp::Ordering::Less => Some(LimitChange::Lowered { from, to }),
        std::cmp::Ordering::Greater => Some(LimitChange::Raised { from, to }),
        std::cmp::Ordering::Equal => None,
    }
}

/// Statuses a template can fall into from APPROVED (or from PAUSED, e.g. disabled after a
/// third pause) that stop it from being sent.
const STOPPED_TEMPLATE: &[&str] = &["PAUSED", "DISABLED", "REJECTED"];
/// The status of a template that can be sent.
const APPROVED: &str = "APPROVED";

/// News about one template between two polls of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateChange {
    /// It was APPROVED (or PAUSED) and now cannot be sent: PAUSED, DISABLED or REJECTED.
    Stopped {
        /// The template now.
        template: Template,
        /// Its status before.
        from: String,
    },
    /// It was PAUSED and is APPROVED again.
    PauseEnded {
        /// The template now.
        template: Template,
    },
    /// Its quality fell to RED (LOW).
    QualityDropped {
        /// The template now.
        template: Template,
        /// Its quality before.
        from: Option<Quality>,
    },
}

impl TemplateChange {
    /// The template it is about.
    pub fn template(&self) -> &Template {
        match self {
            TemplateChange::Stopped { template, .. }
            | TemplateChange::PauseEnded { template }
            | TemplateChange::QualityDropped { template, .. } => template,
        }
    }

    /// The part of the dedupe key after `alert:<workspace>:whatsapp_templates:`.
    pub fn key(&self, read_at: DateTime<Utc>) -> String {
        let what = match self {
            TemplateChange::Stopped { template, .. } => template.status.to_ascii_lowercase(),
            TemplateChange::PauseEnded { .. } => "resumed".to_string(),
            TemplateChange::QualityDropped { .. } => "quality-red".to_string(),
        };
        format!("{}:{}:{what}", read_at.timestamp(), self.template().id)
    }
}

/// What changed between the previous template list and the current one, matched by id, in
/// the current list's order. Templates new to the list, or gone from it, are no news (the
/// first poll only learns the list); `/whatsapp` shows every paused one regardless.
pub fn template_changes(previous: &[Template], current: &[Template]) -> Vec<TemplateChange> {
    let mut changes = Vec::new();
    for template in current {
        let Some(before) = previous.iter().find(|p| p.id == template.id) else {
            continue;
        };
        let (was, now) = (before.status.as_str(), template.status.as_str());
        if was != now && (was == APPROVED || was == "PAUSED") && STOPPED_TEMPLATE.contains(&now) {
            changes.push(TemplateChange::Stopped {
                template: template.clone(),
                from: was.to_string(),
            });
        } else if was == "PAUSED" && now == APPROVED {
            changes.push(TemplateChange::PauseEnded {
                template: template.clone(),
            });
        }
        if template.quality == Some(Quality::Red) && before.quality != Some(Quality::Red) {
            changes.push(TemplateChange::QualityDropped {
                template: template.clone(),
                from: before.quality,
            });
        }
    }
    changes
}

#[cfg(test)]
#[path = "whatsapp_tests.rs"]
mod tests;
