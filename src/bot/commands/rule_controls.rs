//! What `/alerts ack`, `snooze`, `mute rule:` and `unmute rule:` do to a rule's stored
//! state (the buttons of an alert message will do the same).

use chrono::{DateTime, Utc};

use crate::bot::{BotContext, UserError};
use crate::config::{AlertRule, Locale, Workspace};
use crate::render::Reply;
use crate::render::catalogue::t;
use crate::render::locale::local_time;

/// The workspace's rule named `name`.
///
/// # Errors
/// [`UserError::UnknownRule`] listing the rule names.
pub fn rule_named<'a>(workspace: &'a Workspace, name: &str) -> Result<&'a AlertRule, UserError> {
    workspace
        .alerts
        .iter()
        .find(|rule| rule.name == name)
        .ok_or_else(|| UserError::UnknownRule {
            rule: name.to_string(),
            known: workspace.alerts.iter().map(|r| r.name.clone()).collect(),
        })
}

/// Acknowledges `rule`'s current episode for `by`.
///
/// # Errors
/// [`UserError::Database`].
pub async fn acknowledge(
    ctx: &BotContext,
    workspace: &Workspace,
    rule: &AlertRule,
    by: Option<&str>,
    locale: Locale,
) -> Result<Reply, UserError> {
    let by = by.unwrap_or("?");
    let done = ctx
        .store
        .acknowledge_rule(&workspace.id, &rule.name, by, ctx.clock.now())
        .await?;
    Ok(Reply::ephemeral_text(if done {
        t!(locale, "alerts-acked", rule = &rule.name, by = by)
    } else {
        t!(locale, "alerts-not-firing", rule = &rule.name)
    }))
}

/// Snoozes `rule` until `until` (`None`: lifts it).
///
/// # Errors
/// [`UserError::Database`].
pub async fn snooze_one(
    ctx: &BotContext,
    workspace: &Workspace,
    rule: &AlertRule,
    until: Option<DateTime<Utc>>,
    locale: Locale,
) -> Result<Reply, UserError> {
    ctx.store
        .snooze_rule(&workspace.id, &rule.name, until)
        .await?;
    Ok(Reply::ephemeral_text(match until {
        Some(until) => t!(
            locale,
            "alerts-rule-snoozed-until",
            rule = &rule.name,
            until = local_time(until, workspace)
        ),
        None => t!(locale, "alerts-rule-unsnoozed", rule = &rule.name),
    }))
}

/// Snoozes every rule of the workspace; returns the line that says so.
///
/// # Errors
/// [`UserError::Database`].
pub async fn snooze_all(
    ctx: &BotContext,
    workspace: &Workspace,
    until: Option<DateTime<Utc>>,
    locale: Locale,
) -> Result<String, UserError> {
    for rule in &workspace.alerts {
        ctx.store
            .snooze_rule(&workspace.id, &rule.name, until)
            .await?;
    }
    Ok(match until {
        Some(until) => t!(
            locale,
            "alerts-rules-snoozed-until",
            until = local_time(until, workspace)
        ),
        None => t!(locale, "alerts-rules-unsnoozed"),
    })
}
