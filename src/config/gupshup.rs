//! A workspace's WhatsApp provider, Gupshup credentials and balance-monitor keys, validated.
//!
//! Secrets are never in the file: `gupshup.api_key_env` and `gupshup.partner_password_env`
//! name environment variables, read through the same `env` closure as every other variable
//! so tests can inject them.

use std::fmt;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use super::duration;
use super::raw::{RawBalance, RawGupshup, RawWhatsapp};

/// Default self-serve API base.
pub const DEFAULT_GUPSHUP_BASE: &str = "https://api.gupshup.io";
/// Default partner API base.
pub const DEFAULT_PARTNER_BASE: &str = "https://partner.gupshup.io";

/// Who delivers the workspace's WhatsApp messages; only Gupshup has a balance pulso reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WhatsappProvider {
    /// Gupshup: the balance indicator and alerts apply.
    Gupshup,
    /// Meta's Cloud API.
    Meta,
    /// Twilio.
    Twilio,
    /// Anything else, or not configured.
    #[default]
    Other,
}

/// Which Gupshup API holds the wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GupshupMode {
    /// `GET {base}/sm/api/v2/wallet/balance` with the `apikey` header.
    ApiKey,
    /// `GET {partner_base}/partner/app/{app_id}/wallet/balance` with an app token.
    Partner,
    /// No Gupshup at all: pulso simulates a wallet (`gupshup::demo`), so a first run shows
    /// the balance line and its alerts without an account. Every message says "demo".
    Demo,
}

/// How to reach a workspace's Gupshup wallet.
#[derive(Clone)]
pub struct GupshupSettings {
    /// Self-serve or partner.
    pub mode: GupshupMode,
    /// The app id (required in partner mode).
    pub app_id: Option<String>,
    /// Name of the variable the key/token came from, for messages.
    pub api_key_env: Option<String>,
    /// The API key (api_key mode) or configured app token (partner mode).
    pub secret: Option<SecretString>,
    /// Partner login: email and password (client secret), when no app token is configured.
    pub partner_login: Option<(String, SecretString)>,
    /// Self-serve API base, no trailing slash.
    pub base_url: String,
    /// Partner API base, no trailing slash.
    pub partner_base_url: String,
}

impl fmt::Debug for GupshupSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GupshupSettings")
            .field("mode", &self.mode)
            .field("app_id", &self.app_id)
            .field("api_key_env", &self.api_key_env)
            .field("secret", &self.secret.as_ref().map(|_| "[redacted]"))
            .field(
                "partner_login",
                &self
                    .partner_login
                    .as_ref()
                    .map(|(email, _)| (email, "[redacted]")),
            )
            .field("base_url", &self.base_url)
            .field("partner_base_url", &self.partner_base_url)
            .finish()
    }
}

impl PartialEq for GupshupSettings {
    fn eq(&self, other: &Self) -> bool {
        let secret = |s: &Option<SecretString>| s.as_ref().map(|s| s.expose_secret().to_string());
        let login = |l: &Option<(String, SecretString)>| {
            l.as_ref()
                .map(|(e, p)| (e.clone(), p.expose_secret().to_string()))
        };
        self.mode == other.mode
            && self.app_id == other.app_id
            && self.api_key_env == other.api_key_env
            && secret(&self.secret) == secret(&other.secret)
            && login(&self.partner_login) == login(&other.partner_login)
            && self.base_url == other.base_url
            && self.partner_base_url == other.partner_base_url
    }
}

impl GupshupSettings {
    /// Whether the wallet is pulso's simulated one, which messages must label as a demo.
    pub fn is_demo(&self) -> bool {
        self.mode == GupshupMode::Demo
    }
}

/// The balance monitor's thresholds (USD) and timings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BalanceSettings {
    /// Time between polls.
    pub poll_every: Duration,
    /// Low under this; also the indicator's limit.
    pub threshold: f64,
    /// Resolved only at or above this (hysteresis above `threshold`).
    pub recover_at: f64,
    /// Critical, at once, under this.
    pub critical_below: f64,
    /// Consecutive readings under `threshold` before the low alert.
    pub pending_polls: u32,
    /// Reminder interval while low or critical.
    pub repeat_every: Duration,
}

impl Default for BalanceSettings {
    fn default() -> Self {
        BalanceSettings {
            poll_every: Duration::from_secs(5 * 60),
            threshold: 50.0,
            recover_at: 60.0,
            critical_below: 10.0,
            pending_polls: 2,
            repeat_every: Duration::from_secs(4 * 3600),
        }
    }
}

/// Parses `whatsapp.provider` of workspace `key` (e.g. `workspaces[0]`).
pub fn provider(raw: &RawWhatsapp, key: &str, problems: &mut Vec<String>) -> WhatsappProvider {
    match raw.provider.as_deref() {
        None | Some("other") => WhatsappProvider::Other,
        Some("gupshup") => WhatsappProvider::Gupshup,
        Some("meta") => WhatsappProvider::Meta,
        Some("twilio") => WhatsappProvider::Twilio,
        Some(other) => {
            problems.push(format!(
                "{key}.whatsapp.provider: unknown provider {other:?} (use \"gupshup\", \"meta\", \"twilio\" or \"other\")"
            ));
            WhatsappProvider::Other
        }
    }
}

/// Parses the `gupshup` table; `None` unless the provider is Gupshup and it is usable.
pub fn gupshup_settings(
    raw: &RawGupshup,
    provider: WhatsappProvider,
    key: &str,
    env: &dyn Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
) -> Option<GupshupSettings> {
    if provider != WhatsappProvider::Gupshup {
        return None;
    }
    let before = problems.len();
    let mode = match raw.mode.as_deref() {
        None | Some("api_key") => GupshupMode::ApiKey,
        Some("partner") => GupshupMode::Partner,
        Some("demo") => GupshupMode::Demo,
        Some(other) => {
            problems.push(format!(
                "{key}.gupshup.mode: unknown mode {other:?} (use \"api_key\" for the self-serve key, \"partner\" for the Partner API or \"demo\" for a simulated wallet)"
            ));
            GupshupMode::ApiKey
        }
    };
    if mode == GupshupMode::Demo {
        // Nothing to reach and no secret to read: credentials left over from a real mode
        // are not used, so an unset variable they name is no problem either.
        return Some(GupshupSettings {
            mode,
            app_id: None,
            api_key_env: None,
            secret: None,
            partner_login: None,
            base_url: DEFAULT_GUPSHUP_BASE.to_string(),
            partner_base_url: DEFAULT_PARTNER_BASE.to_string(),
        });
    }
    let secret_from = |field: &str, name: &Option<String>, problems: &mut Vec<String>| {
        let name = name.as_deref()?;
        if name.is_empty() || name.contains('=') || name.contains(char::is_whitespace) {
            problems.push(format!(
                "{key}.gupshup.{field}: {name:?} is not an environment variable name (write the variable's name, e.g. \"GUPSHUP_API_KEY\", never the secret itself)"
            ));
            return None;
        }
        match env(name).filter(|value| !value.trim().is_empty()) {
            Some(value) => Some(SecretString::from(value.trim().to_string())),
            None => {
                problems.push(format!(
                    "{key}.gupshup.{field}: the environment variable {name} is not set (export it with the secret before starting pulso)"
                ));
                None
            }
        }
    };
    let secret = secret_from("api_key_env", &raw.api_key_env, problems);
    let password = secret_from("partner_password_env", &raw.partner_password_env, problems);
    let partner_login = match (&raw.partner_email, password) {
        (Some(email), Some(password)) => Some((email.clone(), password)),
        (Some(_), None) if raw.partner_password_env.is_none() => {
            problems.push(format!(
                "{key}.gupshup.partner_password_env: missing (name the variable holding the partner password, e.g. \"GUPSHUP_PARTNER_PASSWORD\")"
            ));
            None
        }
        (None, Some(_)) => {
            problems.push(format!(
                "{key}.gupshup.partner_email: missing (the partner portal login email that goes with partner_password_env)"
            ));
            None
        }
        _ => None,
    };
    match mode {
        GupshupMode::ApiKey if raw.api_key_env.is_none() => problems.push(format!(
            "{key}.gupshup.api_key_env: missing for provider \"gupshup\" (add `gupshup.api_key_env = \"GUPSHUP_API_KEY\"` and export that variable)"
        )),
        GupshupMode::Partner => {
            if raw.app_id.as_deref().is_none_or(|id| id.trim().is_empty()) {
                problems.push(format!(
                    "{key}.gupshup.app_id: missing for mode \"partner\" (the Gupshup app id, from the partner portal)"
                ));
            }
            if raw.api_key_env.is_none() && raw.partner_email.is_none() {
                problems.push(format!(
                    "{key}.gupshup.api_key_env: missing for mode \"partner\" (name the variable with the app token, or set partner_email and partner_password_env to log in)"
                ));
            }
        }
        // Demo settings were returned above: there is nothing to require.
        GupshupMode::ApiKey | GupshupMode::Demo => {}
    }
    let base = |field: &str, value: &Option<String>, default: &str, problems: &mut Vec<String>| {
        let text = value.as_deref().unwrap_or(default);
        match Url::parse(text) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                text.trim_end_matches('/').to_string()
            }
            _ => {
                problems.push(format!(
                    "{key}.gupshup.{field}: {text:?} is not an http(s) URL (default {default:?})"
                ));
                default.to_string()
            }
        }
    };
    let base_url = base("base_url", &raw.base_url, DEFAULT_GUPSHUP_BASE, problems);
    let partner_base_url = base(
        "partner_base_url",
        &raw.partner_base_url,
        DEFAULT_PARTNER_BASE,
        problems,
    );
    (problems.len() == before).then(|| GupshupSettings {
        mode,
        app_id: raw.app_id.clone(),
        api_key_env: raw.api_key_env.clone(),
        secret,
        partner_login,
        base_url,
        partner_base_url,
    })
}

/// Parses the `balance` table, checking that the limits are ordered.
pub fn balance_settings(
    raw: &RawBalance,
    key: &str,
    problems: &mut Vec<String>,
) -> BalanceSettings {
    let defaults = BalanceSettings::default();
    let mut interval = |field: &str, value: &Option<String>, default: Duration| match value
        .as_deref()
        .map(duration::parse)
    {
        None => default,
        Some(Ok(value)) if !value.is_zero() => value,
        Some(Ok(_)) => {
            problems.push(format!(
                "{key}.balance.{field}: must be longer than zero (e.g. \"5m\")"
            ));
            default
        }
        Some(Err(problem)) => {
            problems.push(format!("{key}.balance.{field}: {problem}"));
            default
        }
    };
    let poll_every = interval("poll_every", &raw.poll_every, defaults.poll_every);
    let repeat_every = interval("repeat_every", &raw.repeat_every, defaults.repeat_every);
    let mut amount = |field: &str, value: Option<f64>, default: f64| match value {
        None => default,
        Some(v) if v.is_finite() => v,
        Some(v) => {
            problems.push(format!("{key}.balance.{field}: {v} is not a number of USD"));
            default
        }
    };
    let threshold = amount("threshold", raw.threshold, defaults.threshold);
    let recover_at = amount("recover_at", raw.recover_at, defaults.recover_at);
    let critical_below = amount(
        "critical_below",
        raw.critical_below,
        defaults.critical_below,
    );
    if threshold >= recover_at {
        problems.push(format!(
            "{key}.balance.recover_at: {recover_at} must be above threshold {threshold} (the gap stops alerts from flapping; e.g. threshold 50, recover_at 60)"
        ));
    }
    if critical_below >= threshold {
        problems.push(format!(
            "{key}.balance.critical_below: {critical_below} must be below threshold {threshold} (e.g. threshold 50, critical_below 10)"
        ));
    }
    let pending_polls = match raw.pending_polls {
        None => defaults.pending_polls,
        Some(n @ 1..=1000) => n as u32,
        Some(n) => {
            problems.push(format!(
                "{key}.balance.pending_polls: {n} is out of range (use 1 to 1000; 1 alerts on the first low reading)"
            ));
            defaults.pending_polls
        }
    };
    BalanceSettings {
        poll_every,
        threshold,
        recover_at,
        critical_below,
        pending_polls,
        repeat_every,
    }
}
