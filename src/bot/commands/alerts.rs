//! `/alerts mute [duration]`, `/alerts unmute` (Manage Server) and `/alerts status`: silence
//! balance alerts for a while. A mute stops messages only; the monitor keeps tracking, so
//! an episode that ends while muted is not announced afterwards.

use std::time::Duration;

use super::{Action, CommandFuture, CommandSpec, SubcommandSpec};
use crate::bot::errors::Expected;
use crate::bot::options::{Args, OptionSpec};
use crate::bot::{BotContext, UserError};
use crate::config::{Locale, Workspace};
use crate::render::Reply;
use crate::render::balance::{alerts_status, not_gupshup};
use crate::render::catalogue::t;

/// Mute length when none is given.
pub const DEFAULT_MUTE: Duration = Duration::from_secs(24 * 3600);
/// Longest mute: alerts about a chatbot that stops working should not vanish for good.
pub const MAX_MUTE: Duration = Duration::from_secs(30 * 86_400);

/// `duration` of `/alerts mute`.
static DURATION: OptionSpec = OptionSpec {
    name: "duration",
    description: "opt-duration",
    required: false,
    choices: &[],
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
            options: &[&DURATION],
            manage_guild_only: true,
            run: mute,
        },
        SubcommandSpec {
            name: "unmute",
            description: "sub-alerts-unmute",
            options: &[],
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
    ]),
};

fn mute<'a>(
    ctx: &'a BotContext,
    args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        if workspace.gupshup.is_none() {
            return Ok(not_gupshup(workspace, locale));
        }
        let length = match args.get(&DURATION) {
            None => DEFAULT_MUTE,
            Some(text) => crate::config::duration::parse(text)
                .ok()
                .filter(|d| !d.is_zero() && *d <= MAX_MUTE)
                .ok_or_else(|| UserError::BadOption {
                    option: DURATION.name.into(),
                    value: text.into(),
                    expected: Expected::Duration,
                })?,
        };
        let now = ctx.clock.now();
        let until = now + chrono::Duration::from_std(length).unwrap_or_default();
        ctx.store
            .set_alert_mute(&workspace.id, Some(until), now.timestamp())
            .await?;
        let mut reply = muted_reply(ctx, workspace, locale).await?;
        let head = t!(locale, "alerts-muted");
        reply.content = reply.content.map(|text| format!("{head}\n{text}"));
        Ok(reply)
    })
}

fn unmute<'a>(
    ctx: &'a BotContext,
    _args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        if workspace.gupshup.is_none() {
            return Ok(not_gupshup(workspace, locale));
        }
        let now = ctx.clock.now().timestamp();
        ctx.store.set_alert_mute(&workspace.id, None, now).await?;
        Ok(Reply::ephemeral_text(t!(locale, "alerts-unmuted")))
    })
}

fn status<'a>(
    ctx: &'a BotContext,
    _args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        if workspace.gupshup.is_none() {
            return Ok(not_gupshup(workspace, locale));
        }
        muted_reply(ctx, workspace, locale).await
    })
}

async fn muted_reply(
    ctx: &BotContext,
    workspace: &Workspace,
    locale: Locale,
) -> Result<Reply, UserError> {
    let state = ctx.store.balance_alert_state(&workspace.id).await?;
    Ok(alerts_status(workspace, &state, ctx.clock.now(), locale))
}
