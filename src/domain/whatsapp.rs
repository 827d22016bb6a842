//! What Gupshup says about a WhatsApp app besides its wallet: app health, the business
//! account's status, the phone's quality rating and messaging limit, and the templates.
//!
//! Gupshup's enums are open (Meta adds values: `TIER_2K` appeared after October 2025), so
//! statuses keep the raw upper-case string and only the comparisons pulso makes are typed:
//! [`Quality`] and [`Tier::users`]. These records are stored as JSON (the latest reading of
//! each signal), so `/whatsapp` answers from the database and never calls Gupshup.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{GupshupMode, WHATSAPP_RULES, WhatsappHealthSettings, Workspace};

/// One health signal, each watched by one alert rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhatsappSignal {
    /// `GET /partner/app/{appId}/health`.
    AppHealth,
    /// `GET /partner/app/{appId}/waba/info`.
    Account,
    /// `GET /partner/app/{appId}/ratings`: phone quality and messaging limit.
    Quality,
    /// The template list (partner `…/templates`, self-serve `/wa/app/{appId}/template`).
    Templates,
}

impl WhatsappSignal {
    /// Every signal, in the order cards and status lists show them.
    pub const ALL: [WhatsappSignal; 4] = [
        WhatsappSignal::AppHealth,
        WhatsappSignal::Account,
        WhatsappSignal::Quality,
        WhatsappSignal::Templates,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WhatsappSignal::AppHealth => "app_health",
            WhatsappSignal::Account => "account",
            WhatsappSignal::Quality => "quality",
            WhatsappSignal::Templates => "templates",
        }
    }

    /// Reads a stored name; `None` for text pulso never writes.
    pub fn parse(text: &str) -> Option<WhatsappSignal> {
        WhatsappSignal::ALL
            .into_iter()
            .find(|signal| signal.as_str() == text)
    }

    /// The alert rule that watches it: its name in `/alerts`, state rows and dedupe keys.
    pub fn rule(self) -> &'static str {
        match self {
            WhatsappSignal::AppHealth => WHATSAPP_RULES[0],
            WhatsappSignal::Account => WHATSAPP_RULES[1],
            WhatsappSignal::Quality => WHATSAPP_RULES[2],
            WhatsappSignal::Templates => WHATSAPP_RULES[3],
        }
    }

    /// Whether its rule is turned on in `settings` (`[workspaces.whatsapp]`).
    pub fn enabled_in(self, settings: &WhatsappHealthSettings) -> bool {
        match self {
            WhatsappSignal::AppHealth => settings.app_health,
            WhatsappSignal::Account => settings.account,
            WhatsappSignal::Quality => settings.quality,
            WhatsappSignal::Templates => settings.templates,
        }
    }

    /// The signal a rule name belongs to.
    pub fn of_rule(rule: &str) -> Option<WhatsappSignal> {
        WhatsappSignal::ALL
            .into_iter()
            .find(|signal| signal.rule() == rule)
    }

    /// Whether a workspace in `mode` can read it: the self-serve API offers only the
    /// template list (no health, ratings or waba/info endpoint with an `apikey` was found);
    /// the partner API and the demo offer all four.
    pub fn offered_in(self, mode: GupshupMode) -> bool {
        match mode {
            GupshupMode::Partner | GupshupMode::Demo => true,
            GupshupMode::ApiKey => self == WhatsappSignal::Templates,
        }
    }
}

/// The signals `workspace` watches: enabled in `[workspaces.whatsapp]` and offered by its
/// Gupshup mode (self-serve: the template list only, and only with `gupshup.app_id`, which
/// its path needs and the wallet does not). Empty without Gupshup.
pub fn watched_signals(workspace: &Workspace) -> Vec<WhatsappSignal> {
    let Some(gupshup) = &workspace.gupshup else {
        return Vec::new();
    };
    let has_app = gupshup.mode != GupshupMode::ApiKey || gupshup.app_id.is_some();
    WhatsappSignal::ALL
        .into_iter()
        .filter(|s| s.enabled_in(&workspace.whatsapp_health) && s.offered_in(gupshup.mode))
        .filter(|_| has_app)
        .collect()
}

/// Whether `workspace` has alert rules besides the balance: configured ones, or WhatsApp
/// health rules it watches (what `pulso alerts check` evaluates and a mute-all snoozes).
pub fn has_alert_rules(workspace: &Workspace) -> bool {
    !workspace.alerts.is_empty() || !watched_signals(workspace).is_empty()
}

/// The app's health: `healthy` as Gupshup reports it (a string `"true"` or a boolean), or
/// not healthy with the reason of a 400 such as "App is not live.".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppHealth {
    /// Whether the app can serve the chatbot.
    pub healthy: bool,
    /// Gupshup's words when it is not.
    pub reason: Option<String>,
}

/// The business account and phone number as waba/info reports them (raw upper-case enums).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatus {
    /// `accountStatus`: ACTIVE or BANNED.
    pub account_status: Option<String>,
    /// `dockerStatus`: CONNECTED, DISCONNECTED, FLAGGED, PENDING, RESTRICTED, UNKNOWN.
    pub docker_status: Option<String>,
    /// `canSendMessage`: AVAILABLE, LIMITED or BLOCKED.
    pub can_send: Option<String>,
    /// `messagingLimit`, e.g. TIER_1K.
    pub messaging_limit: Option<String>,
    /// `phoneQuality`: GREEN, YELLOW, RED, UNKNOWN.
    pub phone_quality: Option<String>,
    /// The number, as Gupshup writes it.
    pub phone: Option<String>,
    /// `verifiedName`.
    pub verified_name: Option<String>,
    /// Why it is limited or blocked: each `errors[]` entry's description (with its possible
    /// solution) and each `additionalInfo` line, in Gupshup's order.
    pub reasons: Vec<String>,
}

/// A quality rating, of the phone number or of a template. Meta's GREEN/YELLOW/RED, and the
/// HIGH/MEDIUM/LOW some Gupshup answers use for the same three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Quality {
    /// Not rated yet (or a word pulso does not know).
    Unknown,
    /// High.
    Green,
    /// Medium: a template "may soon become paused or disabled".
    Yellow,
    /// Low.
    Red,
}

impl Quality {
    /// Reads Gupshup's word, any case; unknown words are [`Quality::Unknown`].
    pub fn parse(text: &str) -> Quality {
        match text.trim().to_ascii_uppercase().as_str() {
            "GREEN" | "HIGH" => Quality::Green,
            "YELLOW" | "MEDIUM" => Quality::Yellow,
            "RED" | "LOW" => Quality::Red,
            _ => Quality::Unknown,
        }
    }

    /// Meta's word for it, as cards show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Quality::Unknown => "UNKNOWN",
            Quality::Green => "GREEN",
            Quality::Yellow => "YELLOW",
            Quality::Red => "RED",
        }
    }
}

/// A messaging limit tier as Gupshup spells it (`TIER_250`, `TIER_1K`, `TIER_2K`,
/// `TIER_UNLIMITED`, `TIER_NOT_SET`, …), kept raw so new tiers still show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tier(pub String);

impl Tier {
    /// Unique users per rolling 24 h it allows: `TIER_1K` → 1000, `TIER_UNLIMITED` →
    /// `u64::MAX`; `None` for `TIER_NOT_SET` and words that are not a tier, which are never
    /// called lowered or raised.
    pub fn users(&self) -> Option<u64> {
        let upper = self.0.trim().to_ascii_uppercase();
        let size = upper.strip_prefix("TIER_")?;
        if size == "UNLIMITED" {
            return Some(u64::MAX);
        }
        let (digits, factor) = match size.strip_suffix('K') {
            Some(digits) => (digits, 1_000),
            None => match size.strip_suffix('M') {
                Some(digits) => (digits, 1_000_000),
                None => (size, 1),
            },
        };
        digits.parse::<u64>().ok().map(|n| n.saturating_mul(factor))
    }
}

/// What the ratings endpoint last reported: the phone's quality and its messaging limit
/// with the tier event behind it. Gupshup's "no event update available" is not one of
/// these: it means nothing changed since the last one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratings {
    /// `phoneQuality`; missing in older answers.
    pub quality: Option<Quality>,
    /// `currentLimit`.
    pub current_limit: Option<Tier>,
    /// `oldLimit`.
    pub old_limit: Option<Tier>,
    /// `event`: ONBOARDING, UPGRADE, DOWNGRADE, FLAGGED, UNFLAGGED.
    pub event: Option<String>,
    /// `eventTime` (epoch milliseconds in the API).
    pub event_time: Option<DateTime<Utc>>,
}

/// One message template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Gupshup's template id.
    pub id: String,
    /// `elementName`, the name people know it by.
    pub name: String,
    /// `languageCode`.
    pub language: Option<String>,
    /// `category`: MARKETING, UTILITY, AUTHENTICATION.
    pub category: Option<String>,
    /// `status`, upper case: APPROVED, PENDING, REJECTED, PAUSED, DISABLED, …
    pub status: String,
    /// `quality`.
    pub quality: Option<Quality>,
    /// `reason` (rejections).
    pub reason: Option<String>,
}

/// The latest successful reading of one signal, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "signal", content = "reading", rename_all = "snake_case")]
pub enum WhatsappReading {
    /// App health.
    AppHealth(AppHealth),
    /// Account status.
    Account(AccountStatus),
    /// The last real tier event.
    Quality(Ratings),
    /// Every template.
    Templates(Vec<Template>),
}

impl WhatsappReading {
    /// The signal it reads.
    pub fn signal(&self) -> WhatsappSignal {
        match self {
            WhatsappReading::AppHealth(_) => WhatsappSignal::AppHealth,
            WhatsappReading::Account(_) => WhatsappSignal::Account,
            WhatsappReading::Quality(_) => WhatsappSignal::Quality,
            WhatsappReading::Templates(_) => WhatsappSignal::Templates,
        }
    }
}

/// One signal of a workspace as the store holds it: the last call, the last good reading
/// and the last failure since it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSignal {
    /// Which signal.
    pub signal: WhatsappSignal,
    /// When Gupshup was last called for it (claimed before the call, so a crash mid-call
    /// still counts against the ratings' once-a-day limit).
    pub called_at: Option<DateTime<Utc>>,
    /// The last successful reading and when it was read.
    pub reading: Option<(DateTime<Utc>, WhatsappReading)>,
    /// The last failure, when the last call failed: when, and why (never a secret).
    pub error: Option<(DateTime<Utc>, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_order_by_the_users_they_allow() {
        let users = |text: &str| Tier(text.into()).users();
        assert_eq!(users("TIER_50"), Some(50));
        assert_eq!(users("TIER_250"), Some(250));
        assert_eq!(users("TIER_1K"), Some(1_000));
        assert_eq!(users("tier_2k"), Some(2_000));
        assert_eq!(users("TIER_100K"), Some(100_000));
        assert_eq!(users("TIER_UNLIMITED"), Some(u64::MAX));
        assert_eq!(users("TIER_NOT_SET"), None);
        assert_eq!(users("UPGRADE"), None);
    }

    #[test]
    fn quality_reads_both_vocabularies() {
        assert_eq!(Quality::parse("green"), Quality::Green);
        assert_eq!(Quality::parse("HIGH"), Quality::Green);
        assert_eq!(Quality::parse("MEDIUM"), Quality::Yellow);
        assert_eq!(Quality::parse("LOW"), Quality::Red);
        assert_eq!(Quality::parse("RED"), Quality::Red);
        assert_eq!(Quality::parse("PENDING"), Quality::Unknown);
    }

    #[test]
    fn readings_round_trip_through_json() {
        let reading = WhatsappReading::Templates(vec![Template {
            id: "t1".into(),
            name: "order_update".into(),
            language: Some("es".into()),
            category: Some("UTILITY".into()),
            status: "PAUSED".into(),
            quality: Some(Quality::Red),
            reason: None,
        }]);
        let json = serde_json::to_string(&reading).unwrap();
        assert_eq!(
            serde_json::from_str::<WhatsappReading>(&json).unwrap(),
            reading
        );
        assert!(json.contains(r#""signal":"templates""#), "{json}");
    }

    #[test]
    fn self_serve_reads_only_templates() {
        let offered: Vec<_> = WhatsappSignal::ALL
            .into_iter()
            .filter(|s| s.offered_in(GupshupMode::ApiKey))
            .collect();
        assert_eq!(offered, [WhatsappSignal::Templates]);
        assert!(
            WhatsappSignal::ALL
                .into_iter()
                .all(|s| s.offered_in(GupshupMode::Partner))
        );
        assert_eq!(
            WhatsappSignal::of_rule("whatsapp_quality"),
            Some(WhatsappSignal::Quality)
        );
    }
}
