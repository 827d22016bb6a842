//! What `/alerts ack`, `snooze`, `mute rule:` and `unmute rule:` and the buttons of an
//! alert message do to a rule's stored state: a configured rule's, or the Gupshup
//! balance's (rule `balance`).

use chrono::{DateTime, Utc};

use crate::bot::{BotContext, UserError};
use crate::config::{BALANCE_RULE, Locale, Workspace};
use crate::render::Reply;
use crate::render::catalogue::t;
use crate::render::locale::local_time;

/// The name of the workspace's rule called `name`: one of its `[[workspaces.alerts]]`, or
/// [`BALANCE_RULE`] where the workspace uses Gupshup.
///
/// # Errors
/// [`UserError::UnknownRule`] listing the rule names.
pub fn rule_named<'a>(workspace: &'a Workspace, name: &str) -> Result<&'a str, UserError> {
    let balance = workspace.gupshup.is_some().then_some(BALANCE_RULE);
    let mut known = workspace
        .alerts
        .iter()
        .map(|rule| rule.name.as_str())
        .chain(balance);
    known
        .find(|known| *known == name)
        .ok_or_else(|| UserError::UnknownRule {
            rule: name.to_string(),
            known: workspace
                .alerts
                .iter()
                .map(|rule| rule.name.clone())
                .chain(balance.map(str::to_string))
                .collect(),
        })
}

/// Acknowledges `rule`'s current episode for `by`.
///
/// # Errors
/// [`UserError::Database`].
pub async fn acknowledge(
    ctx: &BotContext,
    workspace: &Workspace,
    rule: &str,
    by: Option<&str>,
    locale: Locale,
) -> Result<Reply, UserError> {
    let by = by.unwrap_or("?");
    let done = ctx
        .store
        .acknowledge_rule(&workspace.id, rule, by, ctx.clock.now())
        .await?;
    Ok(Reply::ephemeral_text(if done {
        t!(locale, "alerts-acked", rule = rule, by = by)
    } else {
        t!(locale, "alerts-not-firing", rule = rule)
    }))
}

/// Snoozes `rule` until `until` (`None`: lifts it).
///
/// # Errors
/// [`UserError::Database`].
pub async fn snooze_one(
    ctx: &BotContext,
    workspace: &Workspace,
    rule: &str,
    until: Option<DateTime<Utc>>,
    locale: Locale,
) -> Result<Reply, UserError> {
    ctx.store.snooze_rule(&workspace.id, rule, until).await?;
    Ok(Reply::ephemeral_text(match until {
        Some(until) => t!(
            locale,
            "alerts-rule-snoozed-until",
            rule = rule,
            until = local_time(until, workspace)
        ),
        None => t!(locale, "alerts-rule-unsnoozed", rule = rule),
    }))
}

/// Snoozes every configured rule of the workspace; returns the line that says so.
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
