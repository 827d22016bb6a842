//! Alert rule messages: one card per transition of a rule (firing, critical, reminder,
//! resolved, cannot evaluate), in the workspace's language, with a "View details" link to
//! the Customer Service section the rule is about where the workspace has one.

use chrono::{DateTime, Utc};

use super::catalogue::t;
use super::locale::counted;
use super::locale::{self, clock_time, local_time, waiting_time};
use super::reply::{ActionButton, Embed, LinkButton, Reply};
use super::survey_alerts::survey_status;
use crate::alerting::RuleEvent;
use crate::config::{AlertRule, Locale, RuleKind, Workspace};
use crate::domain::{RuleLevel, RuleState};

const ORANGE: u32 = 0xE67E22;
const RED: u32 = 0xE74C3C;
const GREEN: u32 = 0x2ECC71;
const GREY: u32 = 0x95A5A6;

/// A value of `rule` in its unit, as people read it: "12 inquiries", "47 min", "62,5 %".
pub fn rule_value(rule: &AlertRule, value: f64, locale: Locale) -> String {
    match rule.kind {
        RuleKind::QueueWaiting { .. } | RuleKind::ExpiredSpike { .. } => {
            counted(locale, "count-inquiries", value, 0)
        }
        RuleKind::OldestPending => waiting_time(value / 60.0, locale),
        RuleKind::AttentionSla { .. } => format!("{} %", locale::number(value, 1, locale)),
        RuleKind::LowSurvey { .. } => counted(locale, "count-answers-reported", value, 0),
    }
}

fn span(duration: std::time::Duration, locale: Locale) -> String {
    waiting_time(duration.as_secs_f64() / 60.0, locale)
}

/// What is wrong, with the value and the threshold.
fn situation(rule: &AlertRule, value: f64, locale: Locale) -> String {
    let value = rule_value(rule, value, locale);
    let threshold = rule_value(rule, rule.threshold, locale);
    match rule.kind {
        RuleKind::QueueWaiting { over } => t!(
            locale,
            "rule-queue-waiting",
            over = span(over, locale),
            value = value,
            threshold = threshold
        ),
        RuleKind::OldestPending => t!(
            locale,
            "rule-oldest-pending",
            value = value,
            threshold = threshold
        ),
        RuleKind::AttentionSla { window, target } => t!(
            locale,
            "rule-attention-sla",
            target = span(target, locale),
            window = span(window, locale),
            value = value,
            threshold = threshold
        ),
        RuleKind::ExpiredSpike { window } => t!(
            locale,
            "rule-expired-spike",
            window = span(window, locale),
            value = value,
            threshold = threshold
        ),
        // Never fires (its messages are survey_alerts' cards); only "cannot evaluate".
        RuleKind::LowSurvey { .. } => value,
    }
}

/// The "View details" link of the section a rule is about, when configured.
fn details(rule: &AlertRule, workspace: &Workspace) -> Vec<LinkButton> {
    let url = match rule.kind {
        RuleKind::QueueWaiting { .. } | RuleKind::OldestPending => workspace.links.pending.as_ref(),
        RuleKind::ExpiredSpike { .. } => workspace.links.expired.as_ref(),
        RuleKind::AttentionSla { .. } => workspace.links.in_progress.as_ref(),
        RuleKind::LowSurvey { .. } => None,
    };
    url.map(|url| LinkButton {
        label: t!(workspace.locale, "label-view-details"),
        url: url.to_string(),
    })
    .into_iter()
    .collect()
}

/// The card for one event of `rule`; `since` is when the episode started.
pub fn rule_alert_card(
    workspace: &Workspace,
    rule: &AlertRule,
    event: &RuleEvent,
    since: Option<DateTime<Utc>>,
) -> Reply {
    let locale = workspace.locale;
    let name = rule.name.as_str();
    let since_line =
        since.map(|since| t!(locale, "rule-since", since = clock_time(since, workspace)));
    let with_since = |text: String| match &since_line {
        Some(line) => format!("{text}\n{line}"),
        None => text,
    };
    let actions = match event {
        RuleEvent::Firing { episode, .. }
        | RuleEvent::Critical { episode, .. }
        | RuleEvent::Reminder { episode, .. } => buttons(workspace, &rule.name, *episode),
        _ => Vec::new(),
    };
    let (title, description, color, links) = match event {
        RuleEvent::Firing { value, .. } => (
            t!(locale, "rule-title-firing", name = name),
            with_since(situation(rule, *value, locale)),
            ORANGE,
            details(rule, workspace),
        ),
        RuleEvent::Critical { value, .. } => (
            t!(locale, "rule-title-critical", name = name),
            with_since(situation(rule, *value, locale)),
            RED,
            details(rule, workspace),
        ),
        RuleEvent::Reminder { value, level, .. } => (
            t!(locale, "rule-title-reminder", name = name),
            with_since(situation(rule, *value, locale)),
            if *level == crate::domain::RuleLevel::Critical {
                RED
            } else {
                ORANGE
            },
            details(rule, workspace),
        ),
        RuleEvent::Resolved { value, lasted, .. } => (
            t!(locale, "rule-title-resolved", name = name),
            t!(
                locale,
                "rule-resolved",
                lasted = waiting_time(lasted.num_seconds() as f64 / 60.0, locale),
                value = rule_value(rule, *value, locale)
            ),
            GREEN,
            Vec::new(),
        ),
        RuleEvent::CannotEvaluate { .. } => (
            t!(locale, "rule-title-unknown", name = name),
            t!(locale, "rule-unknown"),
            GREY,
            Vec::new(),
        ),
    };
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!("{title} · {}", workspace.name),
            description: Some(description),
            fields: Vec::new(),
            footer: Some(t!(locale, "rule-footer", rule = rule.kind.as_str())),
            color: Some(color),
            image: None,
        }),
        links,
        actions,
        attachment: None,
    }
}

/// An episode's first message once the episode is over: green, "resolved after …", no
/// buttons left to press.
pub fn resolved_first_card(
    workspace: &Workspace,
    rule: &AlertRule,
    lasted: chrono::Duration,
) -> Reply {
    let locale = workspace.locale;
    let lasted = waiting_time(lasted.num_seconds() as f64 / 60.0, locale);
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!(
                "{} · {}",
                t!(
                    locale,
                    "rule-title-resolved-after",
                    name = rule.name.as_str(),
                    lasted = lasted
                ),
                workspace.name
            ),
            description: None,
            fields: Vec::new(),
            footer: Some(t!(locale, "rule-footer", rule = rule.kind.as_str())),
            color: Some(GREEN),
            image: None,
        }),
        links: Vec::new(),
        actions: Vec::new(),
        attachment: None,
    }
}

/// What a button on an alert message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonAction {
    /// Acknowledge episode `episode` (a press on an older episode's message is refused).
    Acknowledge {
        /// The episode the message is about.
        episode: i64,
    },
    /// Snooze the rule for `minutes`.
    Snooze {
        /// How long.
        minutes: u32,
    },
}

/// A press on an alert button, as its `custom_id` carries it:
/// `alert:ack:<episode>:<workspace>:<rule>` or `alert:snooze:<minutes>:<workspace>:<rule>`
/// (the rule last, so its name may hold any character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleButton {
    /// The workspace id.
    pub workspace: String,
    /// The rule's name.
    pub rule: String,
    /// What the press asks for.
    pub action: ButtonAction,
}

impl RuleButton {
    /// The `custom_id` Discord sends back when the button is pressed.
    pub fn custom_id(&self) -> String {
        let (verb, number) = match self.action {
            ButtonAction::Acknowledge { episode } => ("ack", episode),
            ButtonAction::Snooze { minutes } => ("snooze", i64::from(minutes)),
        };
        format!("alert:{verb}:{number}:{}:{}", self.workspace, self.rule)
    }

    /// Reads a `custom_id` written by [`RuleButton::custom_id`]; `None` for any other.
    pub fn parse(custom_id: &str) -> Option<RuleButton> {
        let mut parts = custom_id.splitn(5, ':');
        let (Some("alert"), Some(verb), Some(number), Some(workspace), Some(rule)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let action = match verb {
            "ack" => ButtonAction::Acknowledge {
                episode: number.parse().ok()?,
            },
            "snooze" => ButtonAction::Snooze {
                minutes: number.parse().ok().filter(|m| *m > 0)?,
            },
            _ => return None,
        };
        Some(RuleButton {
            workspace: workspace.to_string(),
            rule: rule.to_string(),
            action,
        })
    }
}

/// Acknowledge, Snooze 1 h and Snooze 4 h for an open episode of the rule named `rule`
/// (the balance alert's cards carry them too).
pub(super) fn buttons(workspace: &Workspace, rule: &str, episode: i64) -> Vec<ActionButton> {
    let locale = workspace.locale;
    let button = |action, label: String| ActionButton {
        label,
        custom_id: RuleButton {
            workspace: workspace.id.clone(),
            rule: rule.to_string(),
            action,
        }
        .custom_id(),
    };
    vec![
        button(
            ButtonAction::Acknowledge { episode },
            t!(locale, "button-acknowledge"),
        ),
        button(
            ButtonAction::Snooze { minutes: 60 },
            t!(locale, "button-snooze-1h"),
        ),
        button(
            ButtonAction::Snooze { minutes: 240 },
            t!(locale, "button-snooze-4h"),
        ),
    ]
}

/// The alert message after a press: its card with one more line saying who did what (and
/// without the Acknowledge button once acknowledged).
pub fn pressed_card(mut message: Reply, line: String, acknowledged: bool) -> Reply {
    if let Some(embed) = message.embed.as_mut() {
        embed.description = Some(match embed.description.take() {
            Some(text) => format!("{text}\n{line}"),
            None => line,
        });
    }
    if acknowledged {
        message.actions.retain(|action| {
            !matches!(
                RuleButton::parse(&action.custom_id),
                Some(RuleButton {
                    action: ButtonAction::Acknowledge { .. },
                    ..
                })
            )
        });
    }
    message.ephemeral = false;
    message
}

/// A rule's level in words (the WhatsApp rules' status lines use them too).
pub(super) fn level_name(level: RuleLevel, locale: Locale) -> String {
    match level {
        RuleLevel::Ok => t!(locale, "rule-level-ok"),
        RuleLevel::Firing => t!(locale, "rule-level-firing"),
        RuleLevel::Critical => t!(locale, "rule-level-critical"),
    }
}

/// An engine rule's level, value, since and acknowledgement.
fn episode_status(
    rule: &AlertRule,
    state: &RuleState,
    workspace: &Workspace,
    locale: Locale,
) -> Vec<String> {
    let mut parts = vec![level_name(state.level, locale)];
    parts.push(match state.last_value {
        Some(value) => rule_value(rule, value, locale),
        None => t!(locale, "alerts-rule-no-value"),
    });
    if let (Some(since), true) = (state.since, state.level != RuleLevel::Ok) {
        parts.push(t!(
            locale,
            "alerts-rule-since",
            since = local_time(since, workspace)
        ));
    }
    if let Some((by, _)) = &state.acknowledged {
        parts.push(t!(locale, "alerts-rule-acked", by = by));
    }
    parts
}

/// `/alerts status`'s section on rules: one line per configured rule with its level,
/// value, since, acknowledgement and snooze (a rule never evaluated reads "ok"); a
/// low_survey rule with how many answers it reported and when it last posted.
pub fn rules_status(
    workspace: &Workspace,
    states: &[(&AlertRule, RuleState)],
    now: DateTime<Utc>,
    locale: Locale,
) -> String {
    let mut lines = vec![t!(locale, "alerts-rules-heading")];
    for (rule, state) in states {
        let mut parts = match rule.kind {
            RuleKind::LowSurvey { .. } => survey_status(state, workspace, locale),
            _ => episode_status(rule, state, workspace, locale),
        };
        if let Some(until) = state.snoozed_until.filter(|until| *until > now) {
            parts.push(t!(
                locale,
                "alerts-rule-snoozed",
                until = local_time(until, workspace)
            ));
        }
        if !rule.enabled {
            parts.push(t!(locale, "alerts-rule-disabled"));
        }
        lines.push(format!("• **{}**: {}", rule.name, parts.join(" · ")));
    }
    lines.join("\n")
}

#[cfg(test)]
#[path = "rule_alerts_tests.rs"]
mod tests;
