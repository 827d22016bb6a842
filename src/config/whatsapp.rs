//! The WhatsApp health rules of a Gupshup workspace (`[workspaces.whatsapp]`, next to the
//! provider): each rule can be turned off, the template list has its own cadence, and the
//! episode rules their reminder period.

use std::time::Duration;

use super::duration;
use super::raw::RawWhatsapp;

/// Rule names of the WhatsApp health signals, reserved among a workspace's rules like
/// [`super::BALANCE_RULE`]: app health, account, quality, templates.
pub const WHATSAPP_RULES: [&str; 4] = [
    "gupshup_app_health",
    "whatsapp_account",
    "whatsapp_quality",
    "whatsapp_templates",
];

/// Which health rules run and how often the slow signals are read. The app health and the
/// account are read with the balance (every `balance.poll_every`, far within Gupshup's 10
/// calls a minute); the ratings once a day (Gupshup's own limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhatsappHealthSettings {
    /// `gupshup_app_health`.
    pub app_health: bool,
    /// `whatsapp_account`.
    pub account: bool,
    /// `whatsapp_quality`.
    pub quality: bool,
    /// `whatsapp_templates`.
    pub templates: bool,
    /// Time between reads of the template list.
    pub templates_every: Duration,
    /// Reminder period of an open, unacknowledged health episode.
    pub repeat_every: Duration,
}

impl Default for WhatsappHealthSettings {
    fn default() -> Self {
        WhatsappHealthSettings {
            app_health: true,
            account: true,
            quality: true,
            templates: true,
            templates_every: Duration::from_secs(3600),
            repeat_every: Duration::from_secs(4 * 3600),
        }
    }
}

/// Parses the health keys of the `whatsapp` table of workspace `key`.
pub fn health_settings(
    raw: &RawWhatsapp,
    key: &str,
    problems: &mut Vec<String>,
) -> WhatsappHealthSettings {
    let defaults = WhatsappHealthSettings::default();
    let mut interval = |field: &str, value: &Option<String>, default: Duration| match value
        .as_deref()
        .map(duration::parse)
    {
        None => default,
        Some(Ok(value)) if value >= Duration::from_secs(60) => value,
        Some(Ok(_)) => {
            problems.push(format!(
                "{key}.whatsapp.{field}: must be at least one minute (e.g. \"1h\")"
            ));
            default
        }
        Some(Err(problem)) => {
            problems.push(format!("{key}.whatsapp.{field}: {problem}"));
            default
        }
    };
    WhatsappHealthSettings {
        app_health: raw.app_health.unwrap_or(defaults.app_health),
        account: raw.account.unwrap_or(defaults.account),
        quality: raw.quality.unwrap_or(defaults.quality),
        templates: raw.templates.unwrap_or(defaults.templates),
        templates_every: interval(
            "templates_every",
            &raw.templates_every,
            defaults.templates_every,
        ),
        repeat_every: interval("repeat_every", &raw.repeat_every, defaults.repeat_every),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> (WhatsappHealthSettings, Vec<String>) {
        let raw: RawWhatsapp = toml::from_str(toml_text).unwrap();
        let mut problems = Vec::new();
        let settings = health_settings(&raw, "workspaces[0]", &mut problems);
        (settings, problems)
    }

    #[test]
    fn every_rule_is_on_by_default_and_each_can_be_turned_off() {
        let (settings, problems) = parse("provider = \"gupshup\"\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(settings, WhatsappHealthSettings::default());
        let (settings, _) = parse("quality = false\ntemplates_every = \"6h\"\n");
        assert!(!settings.quality && settings.account && settings.templates);
        assert_eq!(settings.templates_every, Duration::from_secs(6 * 3600));
    }

    #[test]
    fn intervals_name_their_key() {
        let (_, problems) = parse("templates_every = \"10s\"\nrepeat_every = \"soon\"\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0]
                .starts_with("workspaces[0].whatsapp.templates_every: must be at least one minute"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("workspaces[0].whatsapp.repeat_every: "),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<RawWhatsapp>("qualty = false\n").is_err());
    }
}
