//! Problems a command reports to the user, in the user's language.
//!
//! Each variant is something the user can act on (fix an option, ask an admin, try again);
//! internal details go to the log, never to the reply.

use crate::config::Locale;
use crate::digest::DigestError;
use crate::domain::{MAX_PERIOD_DAYS, PeriodError};
use crate::render::Reply;
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
    /// An option has a value that cannot be used.
    #[error("option {option}: bad value {value:?}")]
    BadOption {
        /// The option.
        option: String,
        /// What was given.
        value: String,
        /// What would be accepted, in English and Spanish.
        expected: (&'static str, &'static str),
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
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] StoreError),
    /// The command ran out of time.
    #[error("timed out")]
    Slow,
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
        let es = locale == Locale::Es;
        match self {
            UserError::UnknownCommand(name) if es => format!("No conozco el comando /{name}."),
            UserError::UnknownCommand(name) => format!("I don't know the command /{name}."),
            UserError::NoWorkspace { .. } if es => {
                "Este servidor no está vinculado a ningún espacio de trabajo de pulso. Un administrador debe agregar su id como `guild_id` en la configuración.".into()
            }
            UserError::NoWorkspace { .. } => {
                "This server is not linked to a pulso workspace. An administrator needs to add its id as `guild_id` in the configuration.".into()
            }
            UserError::MissingOption(option) if es => format!("Falta la opción `{option}`."),
            UserError::MissingOption(option) => format!("The option `{option}` is missing."),
            UserError::BadOption { option, value, expected } if es => {
                format!("`{option}`: «{value}» no es válido; {}.", expected.1)
            }
            UserError::BadOption { option, value, expected } => {
                format!("`{option}`: \"{value}\" is not valid; {}.", expected.0)
            }
            UserError::PeriodAndDates if es => {
                "Usa `period` o `from` y `to`, no ambos.".into()
            }
            UserError::PeriodAndDates => "Use either `period` or `from` and `to`, not both.".into(),
            UserError::HalfRange if es => "Indica `from` y `to` juntos (fechas AAAA-MM-DD).".into(),
            UserError::HalfRange => "Give `from` and `to` together (dates as YYYY-MM-DD).".into(),
            UserError::Period(PeriodError::FromAfterTo { from, to }) if es => {
                format!("La fecha inicial {from} es posterior a la final {to}; inviértelas.")
            }
            UserError::Period(PeriodError::FromAfterTo { from, to }) => {
                format!("The start date {from} is after the end date {to}; swap them.")
            }
            UserError::Period(PeriodError::TooLong { days }) if es => format!(
                "El período abarca {days} días; el máximo es {MAX_PERIOD_DAYS}."
            ),
            UserError::Period(PeriodError::TooLong { days }) => format!(
                "The period spans {days} days; the longest allowed is {MAX_PERIOD_DAYS}."
            ),
            UserError::Forbidden if es => {
                "Necesitas el permiso «Gestionar servidor» para usar este comando.".into()
            }
            UserError::Forbidden => "You need the Manage Server permission to use this command.".into(),
            UserError::NoDigestChannel if es => {
                "Este espacio de trabajo no tiene canal de resumen: un administrador debe configurar `digest.channel_id`.".into()
            }
            UserError::NoDigestChannel => {
                "This workspace has no digest channel: an administrator needs to set `digest.channel_id`.".into()
            }
            UserError::Database(_) if es => {
                "No pude leer la base de datos de consultas. Intenta de nuevo en unos minutos; si sigue fallando, avisa a quien administra pulso.".into()
            }
            UserError::Database(_) => {
                "I could not read the inquiry database. Try again in a few minutes; if it keeps failing, tell whoever runs pulso.".into()
            }
            UserError::Slow if es => {
                "La base de datos está tardando demasiado en responder. Intenta de nuevo en unos minutos.".into()
            }
            UserError::Slow => "The database is taking too long to answer. Try again in a few minutes.".into(),
        }
    }
}
