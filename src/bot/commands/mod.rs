//! The command list. Adding a command is one new file with a [`CommandSpec`] and one line
//! in [`COMMANDS`]; registration, `/help`, option parsing and dispatch all read that one
//! declaration, and its texts are catalogue keys (`cmd-…`, `sub-…`, `opt-…`).

mod alerts;
mod balance;
mod digest;
mod indicators;
mod inquiries;
pub(super) mod rule_controls;
mod whatsapp;

use std::future::Future;
use std::pin::Pin;

use super::access::{self, Need};
use super::options::{Args, OptionSpec};
use super::{BotContext, Invocation, UserError};
use crate::config::{Locale, Workspace, suggest};
use crate::render::Reply;
use crate::render::catalogue::message;

/// Every command pulso offers.
pub static COMMANDS: &[&CommandSpec] = &[
    &indicators::SPEC,
    &inquiries::SPEC,
    &digest::SPEC,
    &balance::SPEC,
    &whatsapp::SPEC,
    &alerts::SPEC,
];

/// The future a command returns.
pub type CommandFuture<'a> = Pin<Box<dyn Future<Output = Result<Reply, UserError>> + Send + 'a>>;

/// The code behind a command or subcommand; it gets its options already checked.
pub type CommandFn =
    for<'a> fn(&'a BotContext, &'a Args, &'a Workspace, Locale) -> CommandFuture<'a>;

/// What a command does when called: run with options, or pick one of its subcommands.
pub enum Action {
    /// A plain command.
    Run {
        /// Its options, required ones first.
        options: &'static [&'static OptionSpec],
        /// The handler.
        run: CommandFn,
    },
    /// A command of subcommands, e.g. `/digest preview`; each has its own handler.
    Subcommands(&'static [SubcommandSpec]),
}

/// A subcommand, e.g. `/digest preview`.
pub struct SubcommandSpec {
    /// Its name (not localized: interactions carry the default name).
    pub name: &'static str,
    /// Catalogue key of what it does.
    pub description: &'static str,
    /// Its options.
    pub options: &'static [&'static OptionSpec],
    /// Only members with Manage Server may use it; checked here, since Discord can only
    /// restrict whole commands.
    pub manage_guild_only: bool,
    /// The handler.
    pub run: CommandFn,
}

/// One slash command: what Discord shows and what runs.
pub struct CommandSpec {
    /// Its default (English) name, which every interaction carries.
    pub name: &'static str,
    /// Catalogue key of its name in each locale (`/indicadores`, `/resumo`…).
    pub localized_name: &'static str,
    /// Catalogue key of what it does.
    pub description: &'static str,
    /// Only members with Manage Server may use it (checked here too, not just by Discord).
    pub manage_guild_only: bool,
    /// Its options and handler, or its subcommands.
    pub action: Action,
}

impl CommandSpec {
    /// Every catalogue key the command uses, so a test can check that each exists.
    pub fn keys(&self) -> Vec<String> {
        let option_keys = |options: &[&OptionSpec]| -> Vec<String> {
            let mut keys = Vec::new();
            for option in options {
                keys.push(option.name_key());
                keys.push(option.description.to_string());
                keys.extend(option.choices.iter().map(|c| c.label.to_string()));
            }
            keys
        };
        let mut keys = vec![
            self.localized_name.to_string(),
            self.description.to_string(),
        ];
        match &self.action {
            Action::Run { options, .. } => keys.extend(option_keys(options)),
            Action::Subcommands(subcommands) => {
                for sub in *subcommands {
                    keys.push(subcommand_name_key(self.name, sub.name));
                    keys.push(sub.description.to_string());
                    keys.extend(option_keys(sub.options));
                }
            }
        }
        keys
    }

    /// Every name Discord shows for it in `locale`, grouped as Discord requires them
    /// unique: the command's options, or its subcommands and each one's options.
    pub fn local_names(&self, locale: Locale) -> Vec<Vec<String>> {
        let option_names = |options: &[&OptionSpec]| -> Vec<String> {
            options.iter().map(|o| o.local_name(locale)).collect()
        };
        match &self.action {
            Action::Run { options, .. } => vec![option_names(options)],
            Action::Subcommands(subcommands) => {
                let mut groups = vec![
                    subcommands
                        .iter()
                        .map(|sub| message(locale, &subcommand_name_key(self.name, sub.name), &[]))
                        .collect(),
                ];
                groups.extend(subcommands.iter().map(|sub| option_names(sub.options)));
                groups
            }
        }
    }
}

/// Catalogue key of a subcommand's name in each locale (`sub-alerts-mute-name`:
/// `silenciar`): Discord shows it, interactions still carry the default name.
pub fn subcommand_name_key(command: &str, subcommand: &str) -> String {
    format!("sub-{command}-{subcommand}-name")
}

/// Whether `given` is `default` or the text of `key` in any locale: the console accepts
/// the names Discord shows (`/indicadores periodo:ayer`), Discord sends the default.
fn answers_to(key: &str, default: &str, given: &str) -> bool {
    default == given
        || Locale::ALL
            .into_iter()
            .any(|l| message(l, key, &[]) == given)
}

/// Picks the handler an invocation asks for, checks permission and options, and runs it.
///
/// # Errors
/// [`UserError`] for unknown commands, subcommands or options, missing permission, or the
/// command's own problems.
pub async fn run(
    ctx: &BotContext,
    invocation: &Invocation,
    workspace: &Workspace,
    locale: Locale,
) -> Result<Reply, UserError> {
    let spec = COMMANDS
        .iter()
        .find(|spec| answers_to(spec.localized_name, spec.name, &invocation.command))
        .ok_or_else(|| UserError::UnknownCommand(invocation.command.clone()))?;
    let (label, options, run, restricted) = match (&spec.action, &invocation.subcommand) {
        (Action::Run { options, run }, None) => {
            (spec.name.to_string(), *options, run, spec.manage_guild_only)
        }
        (Action::Run { options, .. }, Some(stray)) => {
            // Only the console can send one; it is a word where an option should be.
            let known: Vec<&'static str> = options.iter().map(|o| o.name).collect();
            return Err(UserError::UnknownOption {
                command: spec.name.to_string(),
                option: stray.clone(),
                suggestion: suggest::nearest(stray, known.iter().copied()),
                known,
            });
        }
        (Action::Subcommands(subcommands), given) => {
            let known: Vec<&'static str> = subcommands.iter().map(|sub| sub.name).collect();
            let Some(given) = given else {
                return Err(UserError::MissingSubcommand {
                    command: spec.name,
                    known,
                });
            };
            let Some(sub) = subcommands
                .iter()
                .find(|sub| answers_to(&subcommand_name_key(spec.name, sub.name), sub.name, given))
            else {
                return Err(UserError::UnknownSubcommand {
                    command: spec.name,
                    given: given.clone(),
                    suggestion: suggest::nearest(given, known.iter().copied()),
                    known,
                });
            };
            let restricted = spec.manage_guild_only || sub.manage_guild_only;
            let label = format!("{} {}", spec.name, sub.name);
            (label, sub.options, &sub.run, restricted)
        }
    };
    let need = if restricted {
        Need::Administer
    } else {
        Need::View
    };
    access::check(
        workspace,
        need,
        invocation.can_manage_guild,
        &invocation.roles,
    )?;
    let args =
        Args::parse(&label, options, &invocation.options)?.called_by(invocation.user.clone());
    run(ctx, &args, workspace, locale).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::catalogue::message;

    #[test]
    fn every_command_text_is_in_every_catalogue() {
        for spec in COMMANDS {
            for key in spec.keys() {
                for locale in Locale::ALL {
                    assert_ne!(
                        message(locale, &key, &[]),
                        key,
                        "{key} in {}",
                        locale.code()
                    );
                }
            }
        }
    }

    /// Discord requires `^[-_\p{L}\p{N}]{1,32}$`, lowercase, and names unique among
    /// their siblings: commands, a command's options, its subcommands, a subcommand's options.
    #[test]
    fn localized_names_are_valid_discord_names() {
        for locale in Locale::ALL {
            let commands: Vec<String> = COMMANDS
                .iter()
                .map(|spec| message(locale, spec.localized_name, &[]))
                .collect();
            let mut groups = vec![commands];
            groups.extend(COMMANDS.iter().flat_map(|spec| spec.local_names(locale)));
            for names in groups {
                for name in &names {
                    let valid = name
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
                    assert!(valid && (1..=32).contains(&name.chars().count()), "{name}");
                    assert_eq!(name, &name.to_lowercase());
                }
                let unique: std::collections::BTreeSet<_> = names.iter().collect();
                assert_eq!(unique.len(), names.len(), "{names:?} in {}", locale.code());
            }
        }
        for spec in COMMANDS {
            assert_eq!(message(Locale::En, spec.localized_name, &[]), spec.name);
            let defaults = match &spec.action {
                Action::Run { options, .. } => vec![
                    options
                        .iter()
                        .map(|o| o.name.to_string())
                        .collect::<Vec<_>>(),
                ],
                Action::Subcommands(subs) => {
                    let mut groups = vec![subs.iter().map(|s| s.name.to_string()).collect()];
                    groups.extend(
                        subs.iter()
                            .map(|s| s.options.iter().map(|o| o.name.to_string()).collect()),
                    );
                    groups
                }
            };
            assert_eq!(
                spec.local_names(Locale::En),
                defaults,
                "English is the default"
            );
        }
    }
}
