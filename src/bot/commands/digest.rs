//! `/digest preview` (anyone, private) and `/digest send` (Manage Server): the scheduled
//! digest on demand.

use super::{CommandFuture, CommandSpec, Localized, SubcommandSpec};
use crate::bot::{BotContext, Invocation, UserError};
use crate::config::{Locale, Workspace};
use crate::domain::Destination;

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "digest",
    description: Localized {
        en: "The daily digest, now",
        es: "El resumen diario, ahora",
    },
    options: &[],
    subcommands: &[
        SubcommandSpec {
            name: "preview",
            description: Localized {
                en: "Show the digest only to you",
                es: "Mostrar el resumen solo para ti",
            },
            options: &[],
            manage_guild_only: false,
        },
        SubcommandSpec {
            name: "send",
            description: Localized {
                en: "Post the digest to its channel now (Manage Server)",
                es: "Publicar el resumen en su canal ahora (Gestionar servidor)",
            },
            options: &[],
            manage_guild_only: true,
        },
    ],
    manage_guild_only: false,
    run,
};

fn run<'a>(
    ctx: &'a BotContext,
    invocation: &'a Invocation,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let now = ctx.clock.now();
        let digest = crate::digest::build(&ctx.store, workspace, now, None).await?;
        if invocation.subcommand.as_deref() != Some("send") {
            let mut reply = digest.reply;
            reply.ephemeral = true;
            if let Some(embed) = reply.embed.as_mut() {
                // The chart travels only with the posted digest.
                embed.image = None;
            }
            return Ok(reply);
        }
        let destination =
            Destination::configured(workspace.digest.channel_id, ctx.config.discord.transport)
                .ok_or(UserError::NoDigestChannel)?;
        let channel = match destination {
            Destination::DiscordChannel { channel_id } => channel_id,
            Destination::Console => 0,
        };
        let key = format!("manual:{}:{}", workspace.id, now.timestamp());
        let message = crate::digest::message(workspace, destination, key, digest);
        ctx.store.enqueue(&message, now.timestamp()).await?;
        let text = match locale {
            Locale::Es => {
                format!("✅ Resumen en cola; se publicará en <#{channel}> en menos de un minuto.")
            }
            Locale::En => {
                format!("✅ Digest queued; it will be posted in <#{channel}> within a minute.")
            }
        };
        Ok(crate::render::Reply::ephemeral_text(text))
    })
}
