//! Problems a command reports to the user, in the user's language.
//!
//! Each variant is something the user can act on (fix an option, ask an admin, try again);
//! internal details go to the log, never to the reply.

use super::commands::subcommand_name_key;
use crate::config::Locale;
use crate::digest::DigestError;
use crate::domain::{MAX_PERIOD_DAYS, PeriodError};
use crate::render::Reply;
use crate::render::catalogue::{message, t};
use crate::render::locale::counted;
use crate::store::StoreError;

/// Why a command could not answer.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// No such command.
    #[error("unknown command /{0}")]
    UnknownCommand(String),
    /// The guild is not linked to a workspace.
    #[error("no workspace for guild {guild_id:?}")]
    NoWorkspace {
        /// The guild asked from.
        guild_id: Option<u64>,
    },
    /// A required option is missing.
    #[error("missing option {0}")]
    MissingOption(&'static str),
    /// An option the command does not have (a typo, or one from another command).
    #[error("/{command} has no option {option:?}")]
    UnknownOption {
        /// The command (with its subcommand) as typed, e.g. `alerts mute`.
        command: String,
        /// The option given.
        option: String,
        /// The nearest known option, when it is close enough to be a typo.
        suggestion: Option<&'static str>,
        /// The options the command does have.
        known: Vec<&'static str>,
    },
    /// The same option twice: which value was meant is unknowable.
    #[error("option {0} given more than once")]
    DuplicateOption(String),
    /// A subcommand the command does not have.
    #[error("/{command} has no subcommand {given:?}")]
    UnknownSubcommand {
        /// The command.
        command: &'static str,
        /// The subcommand given.
        given: String,
        /// The nearest known subcommand, when close enough to be a typo.
        suggestion: Option<&'static str>,
        /// The subcommands the command does have.
        known: Vec<&'static str>,
    },
    /// A command with subcommands called without one.
    #[error("/{command} needs a subcommand")]
    MissingSubcommand {
        /// The command.
        command: &'static str,
        /// Its subcommands.
        known: Vec<&'static str>,
    },
    /// An option has a value that cannot be used.
    #[error("option {option}: bad value {value:?}")]
    BadOption {
        /// The option.
        option: String,
        /// What was given.
        value: String,
        /// What would be accepted.
        expected: Expected,
    },
    /// `period` given together with `from`/`to`.
    #[error("period together with from/to")]
    PeriodAndDates,
    /// Only one of `from` and `to`.
    #[error("from without to, or to without from")]
    HalfRange,
    /// A reversed or too long range.
    #[error("{0}")]
    Period(#[from] PeriodError),
    /// The command needs the Manage Server permission.
    #[error("missing Manage Server permission")]
    Forbidden,
    /// `/digest send` without a `digest.channel_id`.
    #[error("no digest channel configured")]
    NoDigestChannel,
    /// The member lacks the role the workspace asks for (`viewer_roles`, or `admin_roles`
    /// for what otherwise needs Manage Server).
    #[error("missing one of the roles {roles:?}")]
    MissingRole {
        /// The role ids that would do.
        roles: Vec<u64>,
        /// Whether it was an administrative action (Manage Server also does).
        admin: bool,
    },
    /// Invoked outside a server (a direct message).
    #[error("invoked outside a server")]
    DirectMessage,
    /// No alert rule of that name in the workspace.
    #[error("unknown alert rule {rule:?}")]
    UnknownRule {
        /// What was given.
        rule: String,
        /// The workspace's rule names.
        known: Vec<String>,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] StoreError),
    /// The command ran out of time.
    #[error("timed out")]
    Slow,
}

/// What an option accepts, told to the user after a bad value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A named period.
    Period,
    /// An inquiry status.
    Status,
    /// A `YYYY-MM-DD` date.
    Date,
    /// A mute length (`30m`, `2h`, `1d`, at most 30 days).
    Duration,
    /// Comma-separated filter values (1 to 25, each at most 100 characters).
    FilterValues,
    /// A breakdown's row count, 1 to 25.
    Top,
    /// `top` only means something with `by`.
    TopWithoutBy,
    /// `operator`, `origin` or `channel`.
    Dimension,
}

impl Expected {
    fn text(self, locale: Locale) -> String {
        match self {
            Expected::Period => t!(locale, "expected-period"),
            Expected::Status => t!(locale, "expected-status"),
            Expected::Date => t!(locale, "expected-date"),
            Expected::Duration => t!(locale, "expected-duration"),
            Expected::FilterValues => t!(locale, "expected-filter-values"),
            Expected::Top => t!(locale, "expected-top"),
            Expected::TopWithoutBy => t!(locale, "expected-top-with-by"),
            Expected::Dimension => t!(locale, "expected-dimension"),
        }
    }
}

/// `a`, `b`, `c` as one list of code spans.
fn code_list<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .map(|name| format!("`{}`", name.as_ref()))
        .collect();
    quoted.join(", ")
}

impl From<DigestError> for UserError {
    fn from(error: DigestError) -> UserError {
        match error {
            DigestError::Store(error) => UserError::Database(error),
        }
    }
}

impl UserError {
    /// Writes the problem to the log: database problems as errors, the rest as information.
    pub fn log(&self, command: &str, workspace: &str) {
        match self {
            UserError::Database(error) => {
                tracing::error!(command, workspace, %error, "command failed")
            }
            UserError::Slow => tracing::warn!(command, workspace, "command timed out"),
            other => tracing::debug!(command, workspace, problem = %other, "command refused"),
        }
    }

    /// The private reply that explains the problem.
    pub fn reply(&self, locale: Locale) -> Reply {
        Reply::ephemeral_text(format!("⚠️ {}", self.message(locale)))
    }

    /// The explanation, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            UserError::UnknownCommand(name) => {
                t!(locale, "error-unknown-command", command = name)
            }
            UserError::NoWorkspace { .. } => t!(locale, "error-no-workspace"),
            UserError::MissingOption(option) => {
                t!(
                    locale,
                    "error-missing-option",
                    option = option_name(locale, option)
                )
            }
            UserError::UnknownOption {
                command,
                option,
                known,
                ..
            } if known.is_empty() => {
                t!(
                    locale,
                    "error-no-options",
                    command = command,
                    option = option
                )
            }
            UserError::UnknownOption {
                command,
                option,
                suggestion: Some(suggestion),
                known,
            } => t!(
                locale,
                "error-unknown-option-near",
                command = command,
                option = option,
                suggestion = option_name(locale, suggestion),
                known = code_list(&option_names(locale, known))
            ),
            UserError::UnknownOption {
                command,
                option,
                known,
                ..
            } => t!(
                locale,
                "error-unknown-option",
                command = command,
                option = option,
                known = code_list(&option_names(locale, known))
            ),
            UserError::DuplicateOption(option) => {
                t!(
                    locale,
                    "error-duplicate-option",
                    option = option_name(locale, option)
                )
            }
            UserError::UnknownSubcommand {
                command,
                given,
                suggestion: Some(suggestion),
                known,
            } => t!(
                locale,
                "error-unknown-subcommand-near",
                command = *command,
                subcommand = given,
                suggestion = subcommand_name(locale, command, suggestion),
                known = code_list(&subcommand_names(locale, command, known))
            ),
            UserError::UnknownSubcommand {
                command,
                given,
                known,
                ..
            } => t!(
                locale,
                "error-unknown-subcommand",
                command = *command,
                subcommand = given,
                known = code_list(&subcommand_names(locale, command, known))
            ),
            UserError::MissingSubcommand { command, known } => t!(
                locale,
                "error-missing-subcommand",
                command = *command,
                known = code_list(&subcommand_names(locale, command, known))
            ),
            UserError::BadOption {
                option,
                value,
                expected,
            } => t!(
                locale,
                "error-bad-option",
                option = option_name(locale, option),
                value = value,
                expected = expected.text(locale)
            ),
            UserError::PeriodAndDates => t!(locale, "error-period-and-dates"),
            UserError::HalfRange => t!(locale, "error-half-range"),
            UserError::Period(PeriodError::FromAfterTo { from, to }) => t!(
                locale,
                "error-from-after-to",
                from = from.to_string(),
                to = to.to_string()
            ),
            UserError::Period(PeriodError::TooLong { days }) => t!(
                locale,
                "error-too-long",
                days = counted(locale, "count-days", *days as f64, 0),
                max = MAX_PERIOD_DAYS.to_string()
            ),
            UserError::Forbidden => t!(locale, "error-forbidden"),
            UserError::NoDigestChannel => t!(locale, "error-no-digest-channel"),
            UserError::DirectMessage => t!(locale, "error-direct-message"),
            UserError::MissingRole { roles, admin } => {
                let roles: Vec<String> = roles.iter().map(|id| format!("<@&{id}>")).collect();
                let roles = roles.join(", ");
                if *admin {
                    t!(locale, "error-missing-admin-role", roles = roles)
                } else {
                    t!(locale, "error-missing-viewer-role", roles = roles)
                }
            }
            UserError::UnknownRule { rule, known } => {
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                t!(
                    locale,
                    "alerts-unknown-rule",
                    rule = rule,
                    known = code_list(&known)
                )
            }
            UserError::Database(_) => t!(locale, "error-database"),
            UserError::Slow => t!(locale, "error-slow"),
        }
    }
}

/// An option's name as the user's locale shows it in Discord (`period` → `periodo`).
fn option_name(locale: Locale, name: &str) -> String {
    message(locale, &format!("opt-{name}-name"), &[])
}

fn option_names(locale: Locale, names: &[&str]) -> Vec<String> {
    names.iter().map(|name| option_name(locale, name)).collect()
}

/// A subcommand's name as the user's locale shows it (`alerts mute` → `silenciar`).
fn subcommand_name(locale: Locale, command: &str, name: &str) -> String {
    message(locale, &subcommand_name_key(command, name), &[])
}

fn subcommand_names(locale: Locale, command: &str, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .map(|name| subcommand_name(locale, command, name))
        .collect()
}
