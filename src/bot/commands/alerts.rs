//! `/alerts mute [duration]`, `/alerts unmute` (Manage Server) and `/alerts status`: silence
//! balance alerts for a while. A mute stops messages only; the monitor keeps tracking, so
//! an episode that ends while muted is not announced afterwards.

use std::time::Duration;

use super::{CommandFuture, CommandSpec, Localized, OptionSpec, SubcommandSpec};
use crate::bot::{BotContext, Invocation, Options, UserError};
use crate::config::{Locale, Workspace};
use crate::render::Reply;
use crate::render::balance::{alerts_status, not_gupshup};

/// Mute length when none is given.
pub const DEFAULT_MUTE: Duration = Duration::from_secs(24 * 3600);
/// Longest mute: alerts about a chatbot that stops working should not vanish for good.
pub const MAX_MUTE: Duration = Duration::from_secs(30 * 86_400);

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "alerts",
    description: Localized {
        en: "Gupshup balance alerts",
        es: "Alertas de saldo de Gupshup",
    },
    options: &[],
    subcommands: &[
        SubcommandSpec {
            name: "mute",
            description: Localized {
                en: "Silence balance alerts for a while (Manage Server)",
                es: "Silenciar las alertas de saldo un tiempo (Gestionar servidor)",
            },
            options: &[OptionSpec {
                name: "duration",
                description: Localized {
                    en: "How long, e.g. 2h, 1d (default 24h, at most 30d)",
                    es: "Cuánto tiempo, p. ej. 2h, 1d (por defecto 24h, máximo 30d)",
                },
                required: false,
                choices: &[],
            }],
            manage_guild_only: true,
        },
        SubcommandSpec {
            name: "unmute",
            description: Localized {
                en: "Turn balance alerts back on (Manage Server)",
                es: "Reactivar las alertas de saldo (Gestionar servidor)",
            },
            options: &[],
            manage_guild_only: true,
        },
        SubcommandSpec {
            name: "status",
            description: Localized {
                en: "Alert state and mute",
                es: "Estado de las alertas y silencio",
            },
            options: &[],
            manage_guild_only: false,
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
        if workspace.gupshup.is_none() {
            return Ok(not_gupshup(workspace, locale));
        }
        let now = ctx.clock.now();
        let es = locale == Locale::Es;
        match invocation.subcommand.as_deref() {
            Some("mute") => {
                let length = match Options(&invocation.options).get("duration") {
                    None => DEFAULT_MUTE,
                    Some(text) => crate::config::duration::parse(text)
                        .ok()
                        .filter(|d| !d.is_zero() && *d <= MAX_MUTE)
                        .ok_or_else(|| UserError::BadOption {
                            option: "duration".into(),
                            value: text.into(),
                            expected: (
                                "write it like 30m, 2h or 1d, at most 30d",
                                "escríbela como 30m, 2h o 1d, máximo 30d",
                            ),
                        })?,
                };
                let until = now + chrono::Duration::from_std(length).unwrap_or_default();
                ctx.store
                    .set_alert_mute(&workspace.id, Some(until), now.timestamp())
                    .await?;
                let mut reply = muted_reply(ctx, workspace, locale).await?;
                reply.content = reply.content.map(|text| {
                    let head = if es {
                        "🔇 Alertas de saldo silenciadas."
                    } else {
                        "🔇 Balance alerts muted."
                    };
                    format!("{head}\n{text}")
                });
                Ok(reply)
            }
            Some("unmute") => {
                ctx.store
                    .set_alert_mute(&workspace.id, None, now.timestamp())
                    .await?;
                Ok(Reply::ephemeral_text(if es {
                    "🔔 Alertas de saldo reactivadas."
                } else {
                    "🔔 Balance alerts are back on."
                }))
            }
            _ => muted_reply(ctx, workspace, locale).await,
        }
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
