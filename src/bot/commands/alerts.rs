//! `/alerts status`, `/alerts mute [rule] [duration]`, `/alerts unmute [rule]`,
//! `/alerts ack rule:<name>` and `/alerts snooze rule:<name> [duration]`: the balance alert
//! (rule `balance` of Gupshup workspaces) and the alert rules, from chat or the console.
//! Everything but `status` needs Manage Server. A mute or snooze stops messages only;
//! tracking goes on, so an episode that ends while muted is not announced afterwards.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::rule_controls::{acknowledge, rule_named, snooze_all, snooze_one};
use super::{Action, CommandFuture, CommandSpec, SubcommandSpec};
use crate::bot::errors::Expected;
use crate::bot::options::{Args, OptionKind, OptionSpec};
use crate::bot::{BotContext, UserError};
use crate::config::{BALANCE_RULE, Locale, Workspace};
use crate::domain::has_alert_rules;
use crate::render::Reply;
use crate::render::balance::alerts_status;
use crate::render::catalogue::t;
use crate::render::rule_alerts::rules_status;
use crate::render::whatsapp::whatsapp_rules_status;
use crate::service::{health_rules_with_state, rules_with_state};

/// Mute length when none is given.
pub const DEFAULT_MUTE: Duration = Duration::from_secs(24 * 3600);
/// Snooze length when none is given: the Snooze 1 h of an alert's buttons.
pub const DEFAULT_SNOOZE: Duration = Duration::from_secs(3600);
/// Longest mute: alerts about a chatbot that stops working should not vanish for good.
pub const MAX_MUTE: Duration = Duration::from_secs(30 * 86_400);

/// `duration` of `/alerts mute`.
static DURATION: OptionSpec = OptionSpec {
    name: "duration",
    description: "opt-duration",
    required: false,
    choices: &[],
    kind: OptionKind::Text,
};

/// `duration` of `/alerts snooze`.
static SNOOZE_DURATION: OptionSpec = OptionSpec {
    name: "duration",
    description: "opt-snooze-duration",
    required: false,
    choices: &[],
    kind: OptionKind::Text,
};

/// `rule`: one alert rule, by name; optional for mute and unmute (then: all).
static RULE: OptionSpec = OptionSpec {
    name: "rule",
    description: "opt-rule",
    required: false,
    choices: &[],
    kind: OptionKind::Text,
};

/// `rule`, required (ack, snooze).
static RULE_REQUIRED: OptionSpec = OptionSpec {
    required: true,
    ..RULE
};

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "alerts",
    localized_name: "cmd-alerts-name",
    description: "cmd-alerts",
    manage_guild_only: false,
    action: Action::Subcommands(&[
        SubcommandSpec {
            name: "mute",
            description: "sub-alerts-mute",
            options: &[&DURATION, &RULE],
            manage_guild_only: true,
            run: mute,
        },
        SubcommandSpec {
            name: "unmute",
            description: "sub-alerts-unmute",
            options: &[&RULE],
            manage_guild_only: true,
            run: unmute,
        },
        SubcommandSpec {
            name: "status",
            description: "sub-alerts-status",
            options: &[],
            manage_guild_only: false,
            run: status,
        },
        SubcommandSpec {
            name: "ack",
            description: "sub-alerts-ack",
            options: &[&RULE_REQUIRED],
            manage_guild_only: true,
            run: ack,
        },
        SubcommandSpec {
            name: "snooze",
            description: "sub-alerts-snooze",
            options: &[&RULE_REQUIRED, &SNOOZE_DURATION],
            manage_guild_only: true,
            run: snooze,
        },
    ]),
};

/// The end of a mute or snooze of `option` (default `default`) from now.
fn until(
    args: &Args,
    option: &'static OptionSpec,
    default: Duration,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, UserError> {
    let length = match args.get(option) {
        None => default,
        Some(text) => crate::config::duration::parse(text)
            .ok()
            .filter(|d| !d.is_zero() && *d <= MAX_MUTE)
            .ok_or_else(|| UserError::BadOption {
                option: option.name.into(),
                value: text.into(),
                expected: Expected::Duration,
            })?,
    };
    Ok(now + chrono::Duration::from_std(length).unwrap_or_default())
}

/// "No alerts here" when the workspace has neither a balance monitor nor rules.
fn nothing_to_watch(workspace: &Workspace, locale: Locale) -> Option<Reply> {
    (workspace.gupshup.is_none() && workspace.alerts.is_empty())
        .then(|| Reply::ephemeral_text(t!(locale, "alerts-none")))
}

fn mute<'a>(
    ctx: &'a BotContext,
    args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let now = ctx.clock.now();
        let until = until(args, &DURATION, DEFAULT_MUTE, now)?;
        if let Some(name) = args.get(&RULE) {
            let rule = rule_named(workspace, name)?;
            return snooze_one(ctx, workspace, rule, Some(until), locale).await;
        }
        if let Some(reply) = nothing_to_watch(workspace, locale) {
            return Ok(reply);
        }
        let mut lines = Vec::new();
        if workspace.gupshup.is_some() {
            ctx.store
                .snooze_rule(&workspace.id, BALANCE_RULE, Some(until))
                .await?;
            lines.push(t!(locale, "alerts-muted"));
        }
        if has_alert_rules(workspace) {
            lines.push(snooze_all(ctx, workspace, Some(until), locale).await?);
        }
        let status = status_text(ctx, workspace, locale).await?;
        Ok(Reply::ephemeral_text(format!(
            "{}\n{status}",
            lines.join("\n")
        )))
    })
}

fn unmute<'a>(
    ctx: &'a BotContext,
    args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        if let Some(name) = args.get(&RULE) {
            let rule = rule_named(workspace, name)?;
            return snooze_one(ctx, workspace, rule, None, locale).await;
        }
        if let Some(reply) = nothing_to_watch(workspace, locale) {
            return Ok(reply);
        }
        let mut lines = Vec::new();
        if workspace.gupshup.is_some() {
            ctx.store
                .snooze_rule(&workspace.id, BALANCE_RULE, None)
                .await?;
            lines.push(t!(locale, "alerts-unmuted"));
        }
        if has_alert_rules(workspace) {
            lines.push(snooze_all(ctx, workspace, None, locale).await?);
        }
        Ok(Reply::ephemeral_text(lines.join("\n")))
    })
}

fn status<'a>(
    ctx: &'a BotContext,
    _args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        if let Some(reply) = nothing_to_watch(workspace, locale) {
            return Ok(reply);
        }
        Ok(Reply::ephemeral_text(
            status_text(ctx, workspace, locale).await?,
        ))
    })
}

fn ack<'a>(
    ctx: &'a BotContext,
    args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let rule = rule_named(workspace, args.get(&RULE_REQUIRED).unwrap_or_default())?;
        acknowledge(ctx, workspace, rule, args.caller(), locale).await
    })
}

fn snooze<'a>(
    ctx: &'a BotContext,
    args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let rule = rule_named(workspace, args.get(&RULE_REQUIRED).unwrap_or_default())?;
        let until = until(args, &SNOOZE_DURATION, DEFAULT_SNOOZE, ctx.clock.now())?;
        snooze_one(ctx, workspace, rule, Some(until), locale).await
    })
}

/// The balance state (Gupshup workspaces) and the rules' states, one text.
async fn status_text(
    ctx: &BotContext,
    workspace: &Workspace,
    locale: Locale,
) -> Result<String, UserError> {
    let now = ctx.clock.now();
    let mut sections = Vec::new();
    if workspace.gupshup.is_some() {
        let state = ctx.store.balance_alert_state(&workspace.id).await?;
        let balance = alerts_status(workspace, &state, now, locale);
        sections.extend(balance.content);
    }
    if !workspace.alerts.is_empty() {
        let states = rules_with_state(&ctx.store, workspace).await?;
        sections.push(rules_status(workspace, &states, now, locale));
    }
    if workspace.gupshup.is_some() {
        let states = health_rules_with_state(&ctx.store, workspace).await?;
        sections.push(whatsapp_rules_status(workspace, &states, now, locale));
    }
    Ok(sections.join("\n\n"))
}
