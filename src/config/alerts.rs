//! `[[workspaces.alerts]]`: the rules that watch a workspace's queue, SLA and expirations.
//!
//! Each entry is one rule; a workspace may have any number of each. Values are kept in the
//! rule's own unit (inquiries, seconds, percent) so the alert engine compares plain numbers.

use std::time::Duration;

use super::raw::RawAlertRule;
use super::{discord, duration, suggest};

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
}

impl RuleKind {
    /// The name written in `rule = …`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::QueueWaiting { .. } => "queue_waiting",
            RuleKind::OldestPending => "oldest_pending",
            RuleKind::AttentionSla { .. } => "attention_sla",
            RuleKind::ExpiredSpike { .. } => "expired_spike",
        }
    }
}

/// Every rule name accepted in `rule = …`.
pub const RULE_NAMES: [&str; 4] = [
    "queue_waiting",
    "oldest_pending",
    "attention_sla",
    "expired_spike",
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
    /// Bad for this long before firing.
    pub hold: Duration,
    /// Reminder period while firing.
    pub repeat_every: Duration,
    /// Fires at this value, in the rule's unit (inquiries, seconds, percent).
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
    let channel_id = raw
        .channel_id
        .as_ref()
        .and_then(|value| discord::snowflake(value, &format!("{key}.channel_id"), problems));
    let hold = span("for", &raw.hold, Duration::ZERO, problems);
    let repeat_every = span("repeat_every", &raw.repeat_every, DEFAULT_REPEAT, problems);
    if repeat_every.is_zero() {
        problems.push(format!(
            "{key}.repeat_every: must be longer than zero (e.g. \"1h\")"
        ));
    }
    let name = match raw.name.as_deref().map(str::trim) {
        None => rule.to_string(),
        Some(name) if !name.is_empty() && name.chars().count() <= 64 => name.to_string(),
        Some(_) => {
            problems.push(format!("{key}.name: use 1 to 64 characters"));
            rule.to_string()
        }
    };
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

/// Keys that belong to other rules are refused by name (they would be silently ignored).
fn refuse_foreign_keys(raw: &RawAlertRule, kind: RuleKind, key: &str, problems: &mut Vec<String>) {
    let given = [
        ("over", raw.over.is_some()),
        ("window", raw.window.is_some()),
        ("target", raw.target.is_some()),
    ];
    let allowed: &[&str] = match kind {
        RuleKind::QueueWaiting { .. } => &["over"],
        RuleKind::OldestPending => &[],
        RuleKind::AttentionSla { .. } => &["window", "target"],
        RuleKind::ExpiredSpike { .. } => &["window"],
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
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> (Vec<AlertRule>, Vec<String>) {
        #[derive(serde::Deserialize)]
        struct Wrapper {
            alerts: Vec<RawAlertRule>,
        }
        let raw: Wrapper = toml::from_str(toml_text).unwrap();
        let mut problems = Vec::new();
        let rules = alert_rules(&raw.alerts, "workspaces[0]", &mut problems);
        (rules, problems)
    }

    #[test]
    fn defaults_are_documented_values() {
        let (rules, problems) = parse(
            "[[alerts]]\nrule = \"queue_waiting\"\n[[alerts]]\nrule = \"oldest_pending\"\n[[alerts]]\nrule = \"attention_sla\"\n[[alerts]]\nrule = \"expired_spike\"\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let shape: Vec<(&str, f64, f64)> = rules
            .iter()
            .map(|r| (r.name.as_str(), r.threshold, r.recover_at))
            .collect();
        assert_eq!(
            shape,
            [
                ("queue_waiting", 5.0, 2.0),
                ("oldest_pending", 1800.0, 900.0),
                ("attention_sla", 80.0, 85.0),
                ("expired_spike", 5.0, 2.0)
            ]
        );
        assert_eq!(
            rules[0].kind,
            RuleKind::QueueWaiting {
                over: Duration::from_secs(900)
            }
        );
        assert_eq!(rules[0].repeat_every, DEFAULT_REPEAT);
        assert_eq!(rules[0].hold, Duration::ZERO);
    }

    #[test]
    fn the_issue_example_reads_as_written() {
        let (rules, problems) = parse(
            "[[alerts]]\nrule = \"queue_waiting\"\nover = \"15m\"\nthreshold = 5\ncritical = 20\nrecover_at = 2\nfor = \"2m\"\nname = \"Cola\"\nchannel_id = \"123456789012345678\"\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let rule = &rules[0];
        assert_eq!(
            (rule.threshold, rule.critical, rule.recover_at),
            (5.0, Some(20.0), 2.0)
        );
        assert_eq!(rule.hold, Duration::from_secs(120));
        assert_eq!(rule.name, "Cola");
        assert_eq!(rule.channel_id, Some(123456789012345678));
    }

    #[test]
    fn problems_name_the_key_and_the_fix() {
        let (_, problems) = parse(
            "[[alerts]]\nrule = \"queue_wating\"\n[[alerts]]\nrule = \"queue_waiting\"\nrecover_at = 9\nwindow = \"1h\"\n[[alerts]]\nrule = \"oldest_pending\"\nthreshold = 30\n[[alerts]]\nrule = \"attention_sla\"\nthreshold = 120\n[[alerts]]\nrule = \"expired_spike\"\n[[alerts]]\nrule = \"expired_spike\"\n[[alerts]]\n",
        );
        let expected = [
            "workspaces[0].alerts[0].rule: unknown rule \"queue_wating\" (did you mean \"queue_waiting\"?)",
            "workspaces[0].alerts[1].window: not a key of rule \"queue_waiting\"",
            "workspaces[0].alerts[1].recover_at: must be below threshold",
            "workspaces[0].alerts[2].threshold: 30 is not valid; use a duration such as \"30m\"",
            "workspaces[0].alerts[3].threshold: 120 is not valid; use a percentage from 0 to 100",
            "workspaces[0].alerts[5].name: another rule of this workspace is already named \"expired_spike\"",
            "workspaces[0].alerts[6].rule: missing",
        ];
        for start in expected {
            assert!(
                problems.iter().any(|p| p.starts_with(start)),
                "{start}\nnot in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    }

    #[test]
    fn the_balance_name_is_reserved() {
        let (rules, problems) = parse("[[alerts]]\nrule = \"queue_waiting\"\nname = \"balance\"\n");
        assert!(rules.is_empty());
        assert_eq!(
            problems,
            [
                "workspaces[0].alerts[0].name: \"balance\" is reserved for the Gupshup balance alert (set in [workspaces.balance]); choose another `name`"
            ]
        );
    }
}
