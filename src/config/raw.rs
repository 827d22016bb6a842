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
    /// `[discord]`.
    #[serde(default)]
    pub discord: RawDiscord,
    /// `[http]`.
    #[serde(default)]
    pub http: RawHttp,
    /// `[[workspaces]]`.
    #[serde(default)]
    pub workspaces: Vec<RawWorkspace>,
}

/// `[discord]`: how pulso talks to Discord. The bot token comes from `PULSO_DISCORD_TOKEN`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiscord {
    /// `console`, `gateway` or `http`.
    pub transport: Option<String>,
    /// The application's id (a snowflake, as a string or an integer).
    pub application_id: Option<toml::Value>,
    /// The application's Ed25519 public key, hex.
    pub public_key: Option<String>,
    /// Base URL for REST calls instead of https://discord.com (tests, rate-limit proxies).
    pub api_base: Option<String>,
}

/// `[http]`: the interactions endpoint and, later, health and metrics.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    /// Socket address to listen on, e.g. `0.0.0.0:8787`.
    pub listen: Option<String>,
}

/// `links` inside a workspace: the Customer Service module's sections.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLinks {
    /// The pending inquiries section.
    pub pending: Option<String>,
    /// The in-progress inquiries section.
    pub in_progress: Option<String>,
    /// The expired inquiries section.
    pub expired: Option<String>,
    /// One inquiry's page, a URL template with `{id}` (low_survey messages link each
    /// answer's inquiry).
    pub inquiry: Option<String>,
}

/// `[database]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    /// `sqlite://…` or `postgres://…`; `PULSO_DATABASE_URL` overrides it.
    pub url: Option<String>,
    /// Use per-day aggregates (default true).
    pub aggregates: Option<bool>,
    /// External sources: days that ended less than this many days ago are read live.
    pub external_settle_days: Option<i64>,
    /// External sources: rebuild an aggregate older than this many hours.
    pub external_max_age_hours: Option<i64>,
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
    /// The Discord server whose commands this workspace answers.
    pub guild_id: Option<toml::Value>,
    /// "View details" targets.
    #[serde(default)]
    pub links: RawLinks,
    /// The daily digest.
    #[serde(default)]
    pub digest: RawDigest,
    /// `whatsapp.provider`.
    #[serde(default)]
    pub whatsapp: RawWhatsapp,
    /// `gupshup.*`: how to read the wallet balance.
    #[serde(default)]
    pub gupshup: RawGupshup,
    /// Discord channel for balance alerts.
    pub alerts_channel_id: Option<toml::Value>,
    /// Role ids whose members may run read commands (default: everyone in the server).
    pub viewer_roles: Option<Vec<toml::Value>>,
    /// Role ids whose members may run what otherwise needs Manage Server.
    pub admin_roles: Option<Vec<toml::Value>>,
    /// `balance.*`: the monitor's thresholds and timings.
    #[serde(default)]
    pub balance: RawBalance,
    /// `[[workspaces.alerts]]`: rules on the queue, the SLA and expirations.
    #[serde(default)]
    pub alerts: Vec<RawAlertRule>,
}

/// `whatsapp` inside a workspace.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWhatsapp {
    /// `gupshup`, `meta`, `twilio` or `other`.
    pub provider: Option<String>,
    /// Whether the `gupshup_app_health` rule runs (default true).
    pub app_health: Option<bool>,
    /// Whether the `whatsapp_account` rule runs (default true).
    pub account: Option<bool>,
    /// Whether the `whatsapp_quality` rule runs (default true).
    pub quality: Option<bool>,
    /// Whether the `whatsapp_templates` rule runs (default true).
    pub templates: Option<bool>,
    /// Time between reads of the template list, e.g. `"1h"`.
    pub templates_every: Option<String>,
    /// Reminder period of a health episode, e.g. `"4h"`.
    pub repeat_every: Option<String>,
}

/// `gupshup` inside a workspace. Secrets are named here, never written here.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGupshup {
    /// `api_key` (self-serve) or `partner`.
    pub mode: Option<String>,
    /// The Gupshup app id (partner mode).
    pub app_id: Option<String>,
    /// Name of the environment variable with the API key (or, in partner mode, the app token).
    pub api_key_env: Option<String>,
    /// Partner login email, to obtain app tokens when none is configured.
    pub partner_email: Option<String>,
    /// Name of the environment variable with the partner password (client secret).
    pub partner_password_env: Option<String>,
    /// Self-serve API base, default `https://api.gupshup.io`.
    pub base_url: Option<String>,
    /// Partner API base, default `https://partner.gupshup.io`.
    pub partner_base_url: Option<String>,
}

/// `balance` inside a workspace.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBalance {
    /// How often to poll, e.g. "5m".
    pub poll_every: Option<String>,
    /// Alert under this many USD.
    pub threshold: Option<f64>,
    /// Resolve at or above this many USD.
    pub recover_at: Option<f64>,
    /// Critical (at once) under this many USD.
    pub critical_below: Option<f64>,
    /// Consecutive low readings before the alert.
    pub pending_polls: Option<i64>,
    /// Reminder interval while low, e.g. "4h".
    pub repeat_every: Option<String>,
}

/// `digest` inside a workspace.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDigest {
    /// 5-field cron in the workspace's local time.
    pub schedule: Option<String>,
    /// Named period the digest covers.
    pub period: Option<String>,
    /// Discord channel to post in.
    pub channel_id: Option<toml::Value>,
    /// How late a missed digest may still be posted, e.g. "6h".
    pub grace: Option<String>,
    /// Only the inquiries these values keep, e.g. `{ origin = "payments" }`.
    pub filter: Option<RawDigestFilter>,
    /// Adds the top 5 groups of this dimension (`operator`, `origin` or `channel`).
    pub breakdown: Option<String>,
}

/// `digest.filter`: per dimension, comma-separated values, as the slash options take them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDigestFilter {
    /// Operators kept.
    pub operator: Option<String>,
    /// Origins kept.
    pub origin: Option<String>,
    /// Channels kept.
    pub channel: Option<String>,
}

/// One `[[workspaces.alerts]]` entry as written. Keys that only some rules read are
/// checked per rule, so a key of another rule is refused by name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlertRule {
    /// `queue_waiting`, `oldest_pending`, `attention_sla`, `expired_spike` or `low_survey`.
    pub rule: Option<String>,
    /// Shown in messages and `/alerts`; unique in the workspace (default: the rule).
    pub name: Option<String>,
    /// `false` keeps the rule configured but never evaluated.
    pub enabled: Option<bool>,
    /// Where its messages go (default: the workspace's `alerts_channel_id`).
    pub channel_id: Option<toml::Value>,
    /// How long the value must stay bad before the rule fires (default "0s").
    #[serde(rename = "for")]
    pub hold: Option<String>,
    /// Reminder period while firing and not acknowledged (default "1h").
    pub repeat_every: Option<String>,
    /// queue_waiting: pending inquiries count once they have waited this long.
    pub over: Option<String>,
    /// attention_sla, expired_spike: how far back the rule looks.
    pub window: Option<String>,
    /// attention_sla: an inquiry attended within this counts as on time.
    pub target: Option<String>,
    /// Fires at this value (a count, a duration for oldest_pending, a percent for
    /// attention_sla).
    pub threshold: Option<toml::Value>,
    /// Critical at this value.
    pub critical: Option<toml::Value>,
    /// Resolves only back at this value.
    pub recover_at: Option<toml::Value>,
    /// low_survey: NPS answers at or below this score are reported (default 6).
    pub nps_at_most: Option<toml::Value>,
    /// low_survey: CSAT answers at or below this score are reported (default 2).
    pub csat_at_most: Option<toml::Value>,
    /// low_survey: at most one message per this period (default "5m").
    pub group_every: Option<String>,
}
