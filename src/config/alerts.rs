//! `[[workspaces.alerts]]`: the rules that watch a workspace's queue, SLA, expirations and
//! surveys.
//!
//! Each entry is one rule; a workspace may have any number of each. Values are kept in the
//! rule's own unit (inquiries, seconds, percent) so the alert engine compares plain numbers.
//! `low_survey` has no number to compare (see [`super::low_survey`]).

use std::time::Duration;

use super::raw::RawAlertRule;
use super::whatsapp::WHATSAPP_RULES;
use super::{discord, duration, low_survey, suggest};

/// What a rule observes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Pending inquiries that have waited longer than `over`, right now.
    QueueWaiting {
        /// The wait that counts.
        over: Duration,
    },
    /// How long the oldest pending inquiry has waited (seconds).
    OldestPending,
    /// Of the inquiries attended in the last `window`, the percentage attended within
    /// `target`; bad *below* the threshold.
    AttentionSla {
        /// How far back.
        window: Duration,
        /// The SLA target.
        target: Duration,
    },
    /// Inquiries expired in the last `window`.
    ExpiredSpike {
        /// How far back.
        window: Duration,
    },
    /// Each low survey answer, reported once, grouped into one message per `group_every`;
    /// no episode, no threshold, no resolve.
    LowSurvey {
        /// NPS answers at or below this score (0–10) are low.
        nps_at_most: i16,
        /// CSAT answers at or below this score (1–5) are low.
        csat_at_most: i16,
        /// At most one message per this period.
        group_every: Duration,
    },
}

impl RuleKind {
    /// The name written in `rule = …`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::QueueWaiting { .. } => "queue_waiting",
            RuleKind::OldestPending => "oldest_pending",
            RuleKind::AttentionSla { .. } => "attention_sla",
            RuleKind::ExpiredSpike { .. } => "expired_spike",
            RuleKind::LowSurvey { .. } => "low_survey",
        }
    }
}

/// Every rule name accepted in `rule = …`.
pub const RULE_NAMES: [&str; 5] = [
    "queue_waiting",
    "oldest_pending",
    "attention_sla",
    "expired_spike",
    "low_survey",
];

/// One validated rule.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRule {
    /// Unique in the workspace; part of dedupe keys and the stored state's key.
    pub name: String,
    /// What it observes.
    pub kind: RuleKind,
    /// Evaluated at all.
    pub enabled: bool,
    /// Where its messages go; `None`: the workspace's `alerts_channel_id`.
    pub channel_id: Option<u64>,
    /// Bad for this long before firing (low_survey: zero, unused).
    pub hold: Duration,
    /// Reminder period while firing.
    pub repeat_every: Duration,
    /// Fires at this value, in the rule's unit (inquiries, seconds, percent); low_survey
    /// compares no value (zero, unused, as `critical` and `recover_at`).
    pub threshold: f64,
    /// Critical at this value.
    pub critical: Option<f64>,
    /// Resolves at this value.
    pub recover_at: f64,
}

/// The name the Gupshup balance alert (`[workspaces.balance]`) has among a workspace's
/// rules: its stored state, dedupe keys, buttons and `/alerts … rule:balance`. Reserved, so
/// no configured rule shares them.
pub const BALANCE_RULE: &str = "balance";

/// Default reminder period: a queue left unattended for an hour is worth saying again.
pub const DEFAULT_REPEAT: Duration = Duration::from_secs(3600);

/// The unit a rule's numbers are written in.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Count,
    Seconds,
    Percent,
}

/// Validates the rules of one workspace; problems name `workspaces[i].alerts[j].key`.
pub fn alert_rules(
    raw: &[RawAlertRule],
    prefix: &str,
    problems: &mut Vec<String>,
) -> Vec<AlertRule> {
    let mut rules: Vec<AlertRule> = Vec::new();
    for (index, entry) in raw.iter().enumerate() {
        let key = format!("{prefix}.alerts[{index}]");
        let Some(rule) = alert_rule(entry, &key, problems) else {
            continue;
        };
        if rule.name == BALANCE_RULE {
            problems.push(format!(
                "{key}.name: {BALANCE_RULE:?} is reserved for the Gupshup balance alert (set in [workspaces.balance]); choose another `name`"
            ));
            continue;
        }
        if WHATSAPP_RULES.contains(&rule.name.as_str()) {
            problems.push(format!(
                "{key}.name: {:?} is reserved for a WhatsApp health rule (turned on or off in [workspaces.whatsapp]); choose another `name`",
                rule.name
            ));
            continue;
        }
        if rules.iter().any(|other| other.name == rule.name) {
            problems.push(format!(
                "{key}.name: another rule of this workspace is already named {:?}; give each a `name`",
                rule.name
            ));
            continue;
        }
        rules.push(rule);
    }
    rules
}

fn alert_rule(raw: &RawAlertRule, key: &str, problems: &mut Vec<String>) -> Option<AlertRule> {
    let Some(rule) = raw.rule.as_deref() else {
        problems.push(format!(
            "{key}.rule: missing (add `rule = \"queue_waiting\"`; rules: {})",
            RULE_NAMES.join(", ")
        ));
        return None;
    };
    let span =
        |field: &str, value: &Option<String>, default: Duration, problems: &mut Vec<String>| {
            match value.as_deref().map(duration::parse) {
                None => default,
                Some(Ok(value)) => value,
                Some(Err(problem)) => {
                    problems.push(format!("{key}.{field}: {problem}"));
                    default
                }
            }
        };
    let (kind, unit, defaults) = match rule {
        "queue_waiting" => {
            let over = span("over", &raw.over, Duration::from_secs(15 * 60), problems);
            (RuleKind::QueueWaiting { over }, Unit::Count, (5.0, 2.0))
        }
        "oldest_pending" => (RuleKind::OldestPending, Unit::Seconds, (1800.0, 900.0)),
        "attention_sla" => {
            let window = span("window", &raw.window, Duration::from_secs(3600), problems);
            let target = span("target", &raw.target, Duration::from_secs(300), problems);
            (
                RuleKind::AttentionSla { window, target },
                Unit::Percent,
                (80.0, 85.0),
            )
        }
        "expired_spike" => {
            let window = span("window", &raw.window, Duration::from_secs(3600), problems);
            (RuleKind::ExpiredSpike { window }, Unit::Count, (5.0, 2.0))
        }
        "low_survey" => {
            let kind = low_survey::kind(raw, key, problems);
            refuse_foreign_keys(raw, kind, key, problems);
            let (name, channel_id) = identity(raw, rule, key, problems);
            return Some(AlertRule {
                name,
                kind,
                enabled: raw.enabled.unwrap_or(true),
                channel_id,
                hold: Duration::ZERO,
                repeat_every: DEFAULT_REPEAT,
                threshold: 0.0,
                critical: None,
                recover_at: 0.0,
            });
        }
        other => {
            let hint = suggest::nearest(other, RULE_NAMES)
                .map(|best| format!(" (did you mean {best:?}?)"))
                .unwrap_or_default();
            problems.push(format!(
                "{key}.rule: unknown rule {other:?}{hint}; rules: {}",
                RULE_NAMES.join(", ")
            ));
            return None;
        }
    };
    refuse_foreign_keys(raw, kind, key, problems);
    let number = |field: &str, value: &Option<toml::Value>, problems: &mut Vec<String>| {
        value
            .as_ref()
            .and_then(|value| rule_number(value, unit, &format!("{key}.{field}"), problems))
    };
    let threshold = number("threshold", &raw.threshold, problems).unwrap_or(defaults.0);
    let explicit_recover = number("recover_at", &raw.recover_at, problems);
    let critical = number("critical", &raw.critical, problems);
    let below = matches!(kind, RuleKind::AttentionSla { .. });
    let recover_at = explicit_recover.unwrap_or(match (below, raw.threshold.is_some()) {
        (_, false) => defaults.1,
        (true, true) => (threshold + 5.0).min(100.0),
        (false, true) => (threshold / 2.0).floor(),
    });
    // Below-rules are bad strictly under the threshold and good at or over recover_at, so
    // the two may meet; above-rules are bad at the threshold, so recover_at must be under it.
    let resolvable = if below {
        threshold <= recover_at
    } else {
        recover_at < threshold
    };
    if !resolvable {
        let side = if below { "above" } else { "below" };
        problems.push(format!(
            "{key}.recover_at: must be {side} threshold ({recover_at} vs {threshold}) so the rule can resolve without flapping"
        ));
    }
    if let Some(critical) = critical {
        let worse = if below {
            critical <= threshold
        } else {
            critical >= threshold
        };
        if !worse {
            let side = if below { "below" } else { "above" };
            problems.push(format!(
                "{key}.critical: must be {side} threshold ({critical} vs {threshold})"
            ));
        }
    }
    let hold = span("for", &raw.hold, Duration::ZERO, problems);
    let repeat_every = span("repeat_every", &raw.repeat_every, DEFAULT_REPEAT, problems);
    if repeat_every.is_zero() {
        problems.push(format!(
            "{key}.repeat_every: must be longer than zero (e.g. \"1h\")"
        ));
    }
    let (name, channel_id) = identity(raw, rule, key, problems);
    Some(AlertRule {
        name,
        kind,
        enabled: raw.enabled.unwrap_or(true),
        channel_id,
        hold,
        repeat_every,
        threshold,
        critical,
        recover_at,
    })
}

/// The keys every rule has: its name (default: the rule) and its channel.
fn identity(
    raw: &RawAlertRule,
    rule: &str,
    key: &str,
    problems: &mut Vec<String>,
) -> (String, Option<u64>) {
    let channel_id = raw
        .channel_id
        .as_ref()
        .and_then(|value| discord::snowflake(value, &format!("{key}.channel_id"), problems));
    let name = match raw.name.as_deref().map(str::trim) {
        None => rule.to_string(),
        Some(name) if !name.is_empty() && name.chars().count() <= 64 => name.to_string(),
        Some(_) => {
            problems.push(format!("{key}.name: use 1 to 64 characters"));
            rule.to_string()
        }
    };
    (name, channel_id)
}

/// Keys that belong to other rules are refused by name (they would be silently ignored).
fn refuse_foreign_keys(raw: &RawAlertRule, kind: RuleKind, key: &str, problems: &mut Vec<String>) {
    let given = [
        ("over", raw.over.is_some()),
        ("window", raw.window.is_some()),
        ("target", raw.target.is_some()),
        ("nps_at_most", raw.nps_at_most.is_some()),
        ("csat_at_most", raw.csat_at_most.is_some()),
        ("group_every", raw.group_every.is_some()),
    ];
    let allowed: &[&str] = match kind {
        RuleKind::QueueWaiting { .. } => &["over"],
        RuleKind::OldestPending => &[],
        RuleKind::AttentionSla { .. } => &["window", "target"],
        RuleKind::ExpiredSpike { .. } => &["window"],
        RuleKind::LowSurvey { .. } => &["nps_at_most", "csat_at_most", "group_every"],
    };
    for (field, present) in given {
        if present && !allowed.contains(&field) {
            problems.push(format!(
                "{key}.{field}: not a key of rule {:?} (remove it)",
                kind.as_str()
            ));
        }
    }
}

/// A threshold in the rule's unit: a whole count, a duration ("30m"), or a percent 0–100.
fn rule_number(
    value: &toml::Value,
    unit: Unit,
    key: &str,
    problems: &mut Vec<String>,
) -> Option<f64> {
    let parsed = match (unit, value) {
        (Unit::Count, toml::Value::Integer(n)) if *n >= 0 => Ok(*n as f64),
        (Unit::Count, _) => Err("a whole number of inquiries, e.g. 5".to_string()),
        (Unit::Seconds, toml::Value::String(text)) => {
            duration::parse(text).map(|d| d.as_secs() as f64)
        }
        (Unit::Seconds, _) => Err("a duration such as \"30m\"".to_string()),
        (Unit::Percent, toml::Value::Integer(n)) if (0..=100).contains(n) => Ok(*n as f64),
        (Unit::Percent, toml::Value::Float(f)) if (0.0..=100.0).contains(f) => Ok(*f),
        (Unit::Percent, _) => Err("a percentage from 0 to 100, e.g. 80".to_string()),
    };
    match parsed {
        Ok(number) => Some(number),
        Err(expected) => {
            problems.push(format!("{key}: {value} is not valid; use {expected}"));
            None
        }
    }
}

#[cfg(test)]
#[path = "alerts_tests.rs"]
pub(super) mod tests;
