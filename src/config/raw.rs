//! The configuration file exactly as written, before any checking.
//!
//! Fields that need semantic checks (zones, locales, URLs) are plain strings here, so one
//! typo does not stop deserialisation and [`super::Config::from_raw`] can report every problem
//! at once. Unknown keys are rejected to catch misspellings.

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// `[database]`.
    pub database: Option<RawDatabase>,
    /// `[demo]`.
    #[serde(default)]
    pub demo: RawDemo,
    /// `[[workspaces]]`.
    #[serde(default)]
    pub workspaces: Vec<RawWorkspace>,
}

/// `[database]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    /// `sqlite://…` or `postgres://…`; `PULSO_DATABASE_URL` overrides it.
    pub url: Option<String>,
}

/// `[demo]`: generated data for trying pulso without a real platform database.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemo {
    /// Fill an empty workspace with demo data on first use.
    pub enabled: Option<bool>,
    /// Number of inquiries per workspace.
    pub inquiries: Option<i64>,
    /// Days of history, ending now.
    pub days: Option<i64>,
    /// Random seed, for reproducible data.
    pub seed: Option<i64>,
}

/// One `[[workspaces]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkspace {
    /// Identifier used in the database and on the command line.
    pub id: Option<String>,
    /// Human name shown in replies.
    pub name: Option<String>,
    /// IANA time zone the workspace's days are counted in.
    pub timezone: Option<String>,
    /// `es` or `en`.
    pub locale: Option<String>,
}
