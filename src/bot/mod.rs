//! The slash-command bot: one handler, three transports.
//!
//! Every transport turns what it receives into an [`Invocation`] (plain data: command name,
//! options, the user's locale, the guild) and shows the [`Reply`] that [`handle`] returns.
//! The handler never sees a Discord or terminal type, so console, gateway and HTTP answer
//! identically and tests call it directly.

mod access;
pub mod commands;
pub mod console;
pub mod discord;
mod errors;
mod filters;
pub mod gateway;
pub mod http;
mod options;
mod press;

use std::sync::Arc;
use std::time::Duration;

pub use errors::{Expected, UserError};
pub use filters::{MAX_SUGGESTIONS, suggestions};
pub use options::{Args, Choice, OptionSpec};
pub use press::{Press, PressAnswer, press};

use crate::clock::Clock;
use crate::config::{Config, Locale, Workspace};
use crate::render::Reply;
use crate::store::Store;

/// What every command needs: the database, the configuration and "now".
#[derive(Clone)]
pub struct BotContext {
    /// The inquiry database.
    pub store: Store,
    /// The validated configuration.
    pub config: Arc<Config>,
    /// "Now"; fixed in tests.
    pub clock: Arc<dyn Clock>,
    /// Longest a command may take before it answers "the database is slow".
    pub command_timeout: Duration,
}

/// One slash command as typed by a user, independent of the transport.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invocation {
    /// Command name, e.g. `indicators`.
    pub command: String,
    /// Subcommand name, for commands that have them.
    pub subcommand: Option<String>,
    /// Options as `name → value` text, in the order given.
    pub options: Vec<(String, String)>,
    /// The user's Discord locale (e.g. `es-419`), when known.
    pub locale: Option<String>,
    /// The Discord server it came from; `None` in DMs and on the console.
    pub guild_id: Option<u64>,
    /// Explicit workspace (the console's `--workspace`); wins over `guild_id`.
    pub workspace: Option<String>,
    /// Whether the user has the Manage Server permission there.
    pub can_manage_guild: bool,
    /// The member's role ids there (for `viewer_roles` and `admin_roles`).
    pub roles: Vec<u64>,
    /// It came from a direct message (or any context without a server): answered with a
    /// private refusal before any data is read, since a workspace's figures belong to its
    /// server. Never set by the console, where the operator names the workspace.
    pub direct_message: bool,
    /// Who invoked it, as people read it (Discord: the member's display name; console:
    /// `console`), for what a command records, e.g. an acknowledgement.
    pub user: Option<String>,
}

/// Answers one invocation. Never fails: every problem becomes a private, localized reply.
pub async fn handle(ctx: &BotContext, invocation: &Invocation) -> Reply {
    if invocation.direct_message {
        let locale = user_locale(invocation.locale.as_deref()).unwrap_or(Locale::En);
        tracing::info!(command = %invocation.command, "command from a direct message refused");
        return UserError::DirectMessage.reply(locale);
    }
    let workspace = match resolve_workspace(&ctx.config, invocation) {
        Ok(workspace) => workspace,
        Err(error) => {
            return error.reply(user_locale(invocation.locale.as_deref()).unwrap_or(Locale::En));
        }
    };
    let locale = user_locale(invocation.locale.as_deref()).unwrap_or(workspace.locale);
    let started = std::time::Instant::now();
    crate::telemetry::metrics();
    let result = match tokio::time::timeout(
        ctx.command_timeout,
        commands::run(ctx, invocation, workspace, locale),
    )
    .await
    {
        Ok(result) => result,
        Err(_) => Err(UserError::Slow),
    };
    metrics::histogram!(crate::telemetry::COMMAND_DURATION, "command" => command_label(&invocation.command))
        .record(started.elapsed().as_secs_f64());
    match result {
        Ok(reply) => {
            tracing::debug!(command = %invocation.command, workspace = %workspace.id, elapsed_ms = started.elapsed().as_millis() as u64, "answered");
            reply
        }
        Err(error) => {
            error.log(&invocation.command, &workspace.id);
            error.reply(locale)
        }
    }
}

/// The command name as a metric label: only known commands, so a stream of made-up names
/// cannot grow the label set without bound.
fn command_label(name: &str) -> &'static str {
    commands::COMMANDS
        .iter()
        .find(|spec| spec.name == name)
        .map_or("unknown", |spec| spec.name)
}

/// The pulso locale of a Discord locale: the one whose code starts it (`es-419` → es,
/// `pt-BR` → pt), English for any other; `None` when unknown.
pub fn user_locale(discord_locale: Option<&str>) -> Option<Locale> {
    discord_locale.map(|code| {
        Locale::ALL
            .into_iter()
            .find(|locale| code.starts_with(locale.code()))
            .unwrap_or(Locale::En)
    })
}

/// Which workspace a command is about: the explicit one, the one linked to the guild, or
/// the only one configured.
fn resolve_workspace<'a>(
    config: &'a Config,
    invocation: &Invocation,
) -> Result<&'a Workspace, UserError> {
    if let Some(id) = &invocation.workspace {
        return config
            .workspace(Some(id))
            .map_err(|_| UserError::NoWorkspace {
                guild_id: invocation.guild_id,
            });
    }
    if let Some(guild) = invocation.guild_id {
        if let Some(workspace) = config.workspaces.iter().find(|w| w.guild_id == Some(guild)) {
            return Ok(workspace);
        }
    }
    match config.workspaces.as_slice() {
        [only] if only.guild_id.is_none() || invocation.guild_id.is_none() => Ok(only),
        _ => Err(UserError::NoWorkspace {
            guild_id: invocation.guild_id,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_locales_map_by_their_language() {
        for (discord, locale) in [
            ("es-ES", Locale::Es),
            ("es-419", Locale::Es),
            ("pt-BR", Locale::Pt),
            ("pt-PT", Locale::Pt),
            ("en-US", Locale::En),
            ("fr", Locale::En),
            ("", Locale::En),
        ] {
            assert_eq!(user_locale(Some(discord)), Some(locale), "{discord}");
        }
        assert_eq!(user_locale(None), None);
    }
}
