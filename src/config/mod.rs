//! Configuration: a TOML file (the embedded default or `--config FILE`) plus environment
//! variables, turned into validated types.
//!
//! Parse, don't validate: [`Config::load`] returns either a [`Config`] whose every value is
//! usable, or a [`ConfigError`] listing *all* problems, each with its key path and a fix.
//! Secrets never come from the file; they are read from the environment and wrapped in
//! [`secrecy::SecretString`], so `Debug` and logs cannot show them.

pub mod alerts;
mod database;
mod digest;
mod discord;
pub mod duration;
mod filter;
mod gupshup;
mod low_survey;
mod period;
mod raw;
pub(crate) mod suggest;
mod whatsapp;
mod workspace;

use std::fmt;
use std::path::{Path, PathBuf};

pub use alerts::{AlertRule, BALANCE_RULE, RuleKind};
pub use database::{AggregatePolicy, Backend, DatabaseUrl};
pub use digest::{DEFAULT_GRACE, DEFAULT_SCHEDULE, DigestSettings};
pub use discord::{
    DISCORD_TOKEN_ENV, DiscordSettings, HTTP_LISTEN_ENV, HttpSettings, InquiryLink, Links,
    Transport,
};
pub use filter::{
    Dimension, Filter, FilterError, MAX_FILTER_VALUES, MAX_VALUE_CHARS, parse_values,
};
pub use gupshup::{
    BalanceSettings, DEFAULT_GUPSHUP_BASE, DEFAULT_PARTNER_BASE, GupshupMode, GupshupSettings,
    WhatsappProvider,
};
pub use period::NamedPeriod;
use raw::RawConfig;
pub use whatsapp::{WHATSAPP_RULES, WhatsappHealthSettings};
pub use workspace::{Locale, Workspace};
use workspace::{check_guilds, check_unique_ids, parse_workspace};

/// The configuration compiled into the binary: SQLite, console, demo data.
pub const EMBEDDED_DEFAULT: &str = include_str!("../../config/default.toml");

/// Environment variable that selects the config file (same as `--config`).
pub const CONFIG_ENV: &str = "PULSO_CONFIG";

/// Environment variable that overrides `[database] url`; the place for URLs with passwords.
pub const DATABASE_URL_ENV: &str = "PULSO_DATABASE_URL";

/// A fully validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the inquiry database and pulso's own tables live.
    pub database: DatabaseUrl,
    /// How per-day aggregates are used (`[database] aggregates`, `external_*`).
    pub aggregates: AggregatePolicy,
    /// Demo data settings.
    pub demo: DemoSettings,
    /// How commands reach pulso and how it reaches Discord.
    pub discord: DiscordSettings,
    /// The HTTP server (interactions endpoint).
    pub http: HttpSettings,
    /// Every configured workspace, in file order; never empty.
    pub workspaces: Vec<Workspace>,
    /// Where the configuration came from, for messages.
    pub source: ConfigSource,
}

/// Where a configuration was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// `config/default.toml`, compiled in.
    Embedded,
    /// A file given with `--config` or `PULSO_CONFIG`.
    File(PathBuf),
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigSource::Embedded => f.write_str("embedded config/default.toml"),
            ConfigSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Generated demo data: lets a fresh clone show real-looking indicators with no accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSettings {
    /// Fill a workspace that has no inquiries at all with demo data on first use.
    pub enabled: bool,
    /// Inquiries generated per workspace.
    pub inquiries: u32,
    /// Days of history, ending now.
    pub days: u32,
    /// Seed for the random generator.
    pub seed: u64,
}

/// Everything wrong with a configuration, reported at once.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error(
        "{path}: cannot read the config file: {source} (check the path given with --config or {CONFIG_ENV})"
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has keys of the wrong shape.
    #[error("{source_name}: {message}")]
    Syntax {
        /// The file.
        source_name: ConfigSource,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The file parsed but some values are unusable.
    #[error("{source_name}: {} problem(s):\n{}", problems.len(), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        source_name: ConfigSource,
        /// One line per problem: `key.path: what is wrong (how to fix it)`.
        problems: Vec<String>,
    },
}

impl Config {
    /// Loads the file at `path` (or the embedded default) and applies environment overrides.
    ///
    /// # Errors
    /// Returns every problem found, each naming its key path.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let (text, source) = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                (text, ConfigSource::File(path.to_path_buf()))
            }
            None => (EMBEDDED_DEFAULT.to_string(), ConfigSource::Embedded),
        };
        Config::parse_with_env(&text, source, |name| std::env::var(name).ok())
    }

    /// Parses configuration text; `env_database_url` is the value of `PULSO_DATABASE_URL` and
    /// no other environment variable is consulted.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(
        text: &str,
        source: ConfigSource,
        env_database_url: Option<String>,
    ) -> Result<Config, ConfigError> {
        Config::parse_with_env(text, source, |name| {
            (name == DATABASE_URL_ENV)
                .then(|| env_database_url.clone())
                .flatten()
        })
    }

    /// Parses configuration text, reading environment variables through `env`.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse_with_env(
        text: &str,
        source: ConfigSource,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let env_database_url = env(DATABASE_URL_ENV);
        let raw: RawConfig = toml::from_str(text).map_err(|error| ConfigError::Syntax {
            source_name: source.clone(),
            // The parser quotes the offending line, which may hold a URL with a password.
            message: database::redact_passwords(error.to_string().trim_end()).replace('\n', "\n  "),
        })?;
        let mut problems = Vec::new();
        let aggregates = aggregate_policy(raw.database.as_ref(), &mut problems);
        let file_url = raw.database.and_then(|database| database.url);
        let database = match (env_database_url, file_url) {
            (Some(url), file_url) => {
                // Overridden, but a password left in the file is still a leaked secret.
                if let Some(Err(problem)) = file_url.map(|file| DatabaseUrl::parse(&file, false)) {
                    problems.push(format!("database.url: {problem}"));
                }
                DatabaseUrl::parse(&url, true)
                    .map_err(|problem| problems.push(format!("{DATABASE_URL_ENV}: {problem}")))
                    .ok()
            }
            (None, Some(url)) => DatabaseUrl::parse(&url, false)
                .map_err(|problem| problems.push(format!("database.url: {problem}")))
                .ok(),
            (None, None) => {
                problems.push(format!(
                    "database.url: missing (add `[database] url = \"sqlite://data/pulso.db\"` or set {DATABASE_URL_ENV})"
                ));
                None
            }
        };
        let demo = demo_settings(&raw.demo, &mut problems);
        let discord =
            discord::discord_settings(&raw.discord, env(DISCORD_TOKEN_ENV), &mut problems);
        let http = discord::http_settings(&raw.http, env(HTTP_LISTEN_ENV), &mut problems);
        if raw.workspaces.is_empty() {
            problems.push(
                "workspaces: none configured (add a [[workspaces]] entry with id, name, timezone and locale)"
                    .to_string(),
            );
        }
        let workspaces: Vec<Option<Workspace>> = raw
            .workspaces
            .iter()
            .enumerate()
            .map(|(index, workspace)| parse_workspace(index, workspace, &env, &mut problems))
            .collect();
        check_unique_ids(&raw.workspaces, &mut problems);
        check_guilds(&workspaces, discord.transport, &mut problems);
        if discord.transport != Transport::Console && discord.token.is_none() {
            for (index, workspace) in workspaces.iter().enumerate() {
                if workspace
                    .as_ref()
                    .is_some_and(|w| w.digest.channel_id.is_some())
                {
                    problems.push(format!(
                        "workspaces[{index}].digest.channel_id: posting digests needs the bot token in {DISCORD_TOKEN_ENV}"
                    ));
                }
                if workspace
                    .as_ref()
                    .is_some_and(|w| w.alerts_channel_id.is_some())
                {
                    problems.push(format!(
                        "workspaces[{index}].alerts_channel_id: posting balance alerts needs the bot token in {DISCORD_TOKEN_ENV}"
                    ));
                }
            }
        }
        match (database, problems.is_empty()) {
            (Some(database), true) => Ok(Config {
                database,
                aggregates,
                demo,
                discord,
                http,
                workspaces: workspaces.into_iter().flatten().collect(),
                source,
            }),
            _ => Err(ConfigError::Invalid {
                source_name: source,
                problems,
            }),
        }
    }

    /// Finds a workspace by id; `None` picks the first one.
    ///
    /// # Errors
    /// Names the unknown id and lists the configured ones.
    pub fn workspace(&self, id: Option<&str>) -> Result<&Workspace, String> {
        // `parse` guarantees at least one workspace.
        match id {
            None => Ok(&self.workspaces[0]),
            Some(id) => self.workspaces.iter().find(|w| w.id == id).ok_or_else(|| {
                let ids: Vec<&str> = self.workspaces.iter().map(|w| w.id.as_str()).collect();
                format!(
                    "unknown workspace {id:?} (configured: {}; see {})",
                    ids.join(", "),
                    self.source
                )
            }),
        }
    }
}

fn aggregate_policy(raw: Option<&raw::RawDatabase>, problems: &mut Vec<String>) -> AggregatePolicy {
    let default = AggregatePolicy::DEFAULT;
    let Some(raw) = raw else { return default };
    let mut bounded = |key: &str, value: Option<i64>, default: u32, max: u32| -> u32 {
        match value {
            None => default,
            Some(v) if (0..=i64::from(max)).contains(&v) => v as u32,
            Some(v) => {
                problems.push(format!(
                    "database.{key}: {v} is out of range (use 0 to {max})"
                ));
                default
            }
        }
    };
    AggregatePolicy {
        enabled: raw.aggregates.unwrap_or(default.enabled),
        external_settle_days: bounded(
            "external_settle_days",
            raw.external_settle_days,
            default.external_settle_days,
            366,
        ),
        external_max_age_hours: bounded(
            "external_max_age_hours",
            raw.external_max_age_hours,
            default.external_max_age_hours,
            24 * 366,
        ),
    }
}

fn demo_settings(raw: &raw::RawDemo, problems: &mut Vec<String>) -> DemoSettings {
    let mut bounded = |key: &str, value: Option<i64>, default: u32, max: u32| -> u32 {
        match value {
            None => default,
            Some(v) if (1..=i64::from(max)).contains(&v) => v as u32,
            Some(v) => {
                problems.push(format!("demo.{key}: {v} is out of range (use 1 to {max})"));
                default
            }
        }
    };
    let inquiries = bounded("inquiries", raw.inquiries, 3000, 5_000_000);
    let days = bounded("days", raw.days, 60, 3650);
    let seed = match raw.seed {
        Some(seed) if seed < 0 => {
            problems.push(format!("demo.seed: {seed} is negative (use 0 or more)"));
            1
        }
        Some(seed) => seed as u64,
        None => 1,
    };
    DemoSettings {
        enabled: raw.enabled.unwrap_or(false),
        inquiries,
        days,
        seed,
    }
}
