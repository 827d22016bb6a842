//! What `/alerts ack`, `snooze`, `mute rule:` and `unmute rule:` and the buttons of an
//! alert message do to a rule's stored state: a configured rule's, or the Gupshup
//! balance's (rule `balance`) or a WhatsApp health rule's.

use chrono::{DateTime, Utc};

use crate::bot::{BotContext, UserError};
use crate::config::{BALANCE_RULE, Locale, Workspace};
use crate::domain::watched_signals;
use crate::render::Reply;
use crate::render::catalogue::t;
use crate::render::locale::local_time;

/// Every rule name of the workspace: its `[[workspaces.alerts]]`, then, where it uses
/// Gupshup, [`BALANCE_RULE`] and the WhatsApp health rules it watches.
fn rule_names(workspace: &Workspace) -> Vec<&str> {
    let gupshup = workspace.gupshup.is_some();
    workspace
        .alerts
        .iter()
        .map(|rule| rule.name.as_str())
        .chain(gupshup.then_some(BALANCE_RULE))
        .chain(watched_signals(workspace).into_iter().map(|s| s.rule()))
        .collect()
}

/// The name of the workspace's rule called `name`: one of its `[[workspaces.alerts]]`, or
/// [`BALANCE_RULE`] or a WhatsApp health rule where the workspace uses Gupshup.
///
/// # Errors
/// [`UserError::UnknownRule`] listing the rule names.
pub fn rule_named<'a>(workspace: &'a Workspace, name: &str) -> Result<&'a str, UserError> {
    let known = rule_names(workspace);
    known
        .iter()
        .find(|known| **known == name)
        .copied()
        .ok_or_else(|| UserError::UnknownRule {
            rule: name.to_string(),
            known: known.iter().map(|rule| rule.to_string()).collect(),
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

/// Snoozes every configured rule and WhatsApp health rule of the workspace; returns the
/// line that says so.
///
/// # Errors
/// [`UserError::Database`].
pub async fn snooze_all(
    ctx: &BotContext,
    workspace: &Workspace,
    until: Option<DateTime<Utc>>,
    locale: Locale,
) -> Result<String, UserError> {
    let health = watched_signals(workspace);
    let names = workspace
        .alerts
        .iter()
        .map(|rule| rule.name.as_str())
        .chain(health.iter().map(|signal| signal.rule()));
    for rule in names {
        ctx.store.snooze_rule(&workspace.id, rule, until).await?;
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
