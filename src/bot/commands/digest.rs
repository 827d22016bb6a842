//! `/digest preview` (anyone, private) and `/digest send` (Manage Server): the scheduled
//! digest on demand.

use super::{Action, CommandFuture, CommandSpec, SubcommandSpec};
use crate::bot::options::Args;
use crate::bot::{BotContext, UserError};
use crate::config::{Locale, Workspace};
use crate::domain::Destination;
use crate::render::catalogue::t;

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "digest",
    localized_name: "cmd-digest-name",
    description: "cmd-digest",
    manage_guild_only: false,
    action: Action::Subcommands(&[
        SubcommandSpec {
            name: "preview",
            description: "sub-digest-preview",
            options: &[],
            manage_guild_only: false,
            run: preview,
        },
        SubcommandSpec {
            name: "send",
            description: "sub-digest-send",
            options: &[],
            manage_guild_only: true,
            run: send,
        },
    ]),
};

/// The digest, privately and without its chart (which travels only with the posted one).
fn preview<'a>(
    ctx: &'a BotContext,
    _args: &'a Args,
    workspace: &'a Workspace,
    _locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let digest = crate::digest::build(&ctx.store, workspace, ctx.clock.now(), None).await?;
        let mut reply = digest.reply;
        reply.ephemeral = true;
        if let Some(embed) = reply.embed.as_mut() {
            embed.image = None;
        }
        Ok(reply)
    })
}

/// Queues the digest for its channel, through the outbox like a scheduled one.
fn send<'a>(
    ctx: &'a BotContext,
    _args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let now = ctx.clock.now();
        let digest = crate::digest::build(&ctx.store, workspace, now, None).await?;
        let destination =
            Destination::configured(workspace.digest.channel_id, ctx.config.discord.transport)
                .ok_or(UserError::NoDigestChannel)?;
        let key = format!("manual:{}:{}", workspace.id, now.timestamp());
        let message = crate::digest::message(workspace, destination, key, digest);
        ctx.store.enqueue(&message, now.timestamp()).await?;
        let text = match destination {
            Destination::DiscordChannel { channel_id } => {
                t!(locale, "digest-queued", channel = channel_id.to_string())
            }
            Destination::Console => t!(locale, "digest-queued-console"),
        };
        Ok(crate::render::Reply::ephemeral_text(text))
    })
}
