//! The command list. Adding a command is one new file with a [`CommandSpec`] and one line
//! in [`COMMANDS`]; registration, dispatch and the console pick it up from there.

mod alerts;
mod balance;
mod digest;
mod indicators;
mod inquiries;

use std::future::Future;
use std::pin::Pin;

use super::{BotContext, Invocation, UserError};
use crate::config::{Locale, Workspace};
use crate::render::Reply;

/// Every command pulso offers.
pub static COMMANDS: &[&CommandSpec] = &[
    &indicators::SPEC,
    &inquiries::SPEC,
    &digest::SPEC,
    &balance::SPEC,
    &alerts::SPEC,
];

/// Text in English (the default, as Discord requires) and Spanish (es-ES and es-419).
#[derive(Debug, Clone, Copy)]
pub struct Localized {
    /// English.
    pub en: &'static str,
    /// Spanish.
    pub es: &'static str,
}

/// A fixed choice of a string option.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    /// The value the handler receives.
    pub value: &'static str,
    /// What the user sees.
    pub name: Localized,
}

/// A string option.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// Its name (never localized in payloads).
    pub name: &'static str,
    /// What it is for.
    pub description: Localized,
    /// Whether Discord must ask for it.
    pub required: bool,
    /// The only accepted values, when fixed.
    pub choices: &'static [Choice],
}

/// A subcommand, e.g. `/digest preview`.
#[derive(Debug, Clone, Copy)]
pub struct SubcommandSpec {
    /// Its name.
    pub name: &'static str,
    /// What it does.
    pub description: Localized,
    /// Its options.
    pub options: &'static [OptionSpec],
    /// Only members with Manage Server may use it; checked here, since Discord can only
    /// restrict whole commands.
    pub manage_guild_only: bool,
}

/// The future a command returns.
pub type CommandFuture<'a> = Pin<Box<dyn Future<Output = Result<Reply, UserError>> + Send + 'a>>;

/// The code behind a command.
pub type CommandFn =
    for<'a> fn(&'a BotContext, &'a Invocation, &'a Workspace, Locale) -> CommandFuture<'a>;

/// One slash command: what Discord shows and what runs.
pub struct CommandSpec {
    /// Its name.
    pub name: &'static str,
    /// What it does.
    pub description: Localized,
    /// Its options, required ones first.
    pub options: &'static [OptionSpec],
    /// Its subcommands (then `options` is empty); the handler reads `Invocation::subcommand`.
    pub subcommands: &'static [SubcommandSpec],
    /// Only members with Manage Server may use it (checked here too, not just by Discord).
    pub manage_guild_only: bool,
    /// The handler.
    pub run: CommandFn,
}

/// The period choices shared by several commands.
pub static PERIOD_CHOICES: &[Choice] = &[
    Choice {
        value: "today",
        name: Localized {
            en: "Today",
            es: "Hoy",
        },
    },
    Choice {
        value: "yesterday",
        name: Localized {
            en: "Yesterday",
            es: "Ayer",
        },
    },
    Choice {
        value: "last-7-days",
        name: Localized {
            en: "Last 7 days",
            es: "Últimos 7 días",
        },
    },
    Choice {
        value: "last-30-days",
        name: Localized {
            en: "Last 30 days",
            es: "Últimos 30 días",
        },
    },
    Choice {
        value: "this-month",
        name: Localized {
            en: "This month",
            es: "Este mes",
        },
    },
    Choice {
        value: "last-month",
        name: Localized {
            en: "Last month",
            es: "Mes pasado",
        },
    },
];

/// Dispatches an invocation to its command.
///
/// # Errors
/// [`UserError`] for unknown commands, missing permission, or the command's own problems.
pub async fn run(
    ctx: &BotContext,
    invocation: &Invocation,
    workspace: &Workspace,
    locale: Locale,
) -> Result<Reply, UserError> {
    let spec = COMMANDS
        .iter()
        .find(|spec| spec.name == invocation.command)
        .ok_or_else(|| UserError::UnknownCommand(invocation.command.clone()))?;
    let subcommand = match (spec.subcommands, invocation.subcommand.as_deref()) {
        ([], _) => None,
        (subcommands, Some(name)) => Some(
            subcommands
                .iter()
                .find(|sub| sub.name == name)
                .ok_or_else(|| UserError::UnknownCommand(format!("{} {name}", spec.name)))?,
        ),
        (_, None) => return Err(UserError::UnknownCommand(spec.name.to_string())),
    };
    let restricted = spec.manage_guild_only || subcommand.is_some_and(|sub| sub.manage_guild_only);
    if restricted && !invocation.can_manage_guild {
        return Err(UserError::Forbidden);
    }
    (spec.run)(ctx, invocation, workspace, locale).await
}
