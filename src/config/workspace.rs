//! One workspace's settings: id, name, time zone, locale, Discord server, links, digest
//! and balance monitor, each problem reported with its `workspaces[N].key` path.

use chrono_tz::Tz;

use super::raw::RawWorkspace;
use super::{
    AlertRule, BalanceSettings, DigestSettings, GupshupSettings, Links, Transport,
    WhatsappHealthSettings, WhatsappProvider, alerts, digest, discord, gupshup, suggest, whatsapp,
};

/// Language of labels and number formats. Its texts and format data (config code,
/// separators, Discord locales) live in the catalogue, `render/catalogue/<code>.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Spanish, the seed's first language.
    Es,
    /// English.
    En,
    /// Brazilian Portuguese.
    Pt,
}

impl Locale {
    /// Every locale, so config parsing, Discord mapping and registration cover each one.
    pub const ALL: [Locale; 3] = [Locale::Es, Locale::En, Locale::Pt];

    /// The locale whose config code is `code`, if any.
    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|locale| locale.code() == code)
    }
}

/// One customer-service workspace (one chatbot, one team).
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// Identifier in the database and on the command line.
    pub id: String,
    /// Name shown in replies.
    pub name: String,
    /// Zone the workspace's days are counted in.
    pub timezone: Tz,
    /// Language of its replies and digests.
    pub locale: Locale,
    /// The Discord server whose commands it answers; `None` with a single workspace means all.
    pub guild_id: Option<u64>,
    /// "View details" targets in the Customer Service module.
    pub links: Links,
    /// The scheduled digest.
    pub digest: DigestSettings,
    /// Who sends its WhatsApp messages; the balance features apply to Gupshup only.
    pub whatsapp_provider: WhatsappProvider,
    /// How to read the Gupshup wallet; `Some` exactly when the provider is Gupshup.
    pub gupshup: Option<GupshupSettings>,
    /// Where balance alerts are posted; `None` posts nowhere on Discord.
    pub alerts_channel_id: Option<u64>,
    /// The balance monitor's limits and timings.
    pub balance: BalanceSettings,
    /// Which WhatsApp health rules run (Gupshup workspaces only) and how often.
    pub whatsapp_health: WhatsappHealthSettings,
    /// Alert rules on the queue, the SLA and expirations.
    pub alerts: Vec<AlertRule>,
    /// Only members with one of these roles (or Manage Server, or an admin role) may run
    /// read commands; empty: everyone in the server.
    pub viewer_roles: Vec<u64>,
    /// Members with one of these roles may also run what otherwise needs Manage Server.
    pub admin_roles: Vec<u64>,
}

/// Ids key the inquiry rows and the command line, so two workspaces cannot share one.
pub(super) fn check_unique_ids(workspaces: &[RawWorkspace], problems: &mut Vec<String>) {
    let mut seen = std::collections::HashMap::new();
    for (index, workspace) in workspaces.iter().enumerate() {
        if let Some(id) = &workspace.id {
            if let Some(first) = seen.insert(id.clone(), index) {
                problems.push(format!(
                    "workspaces[{index}].id: {id:?} is already used by workspaces[{first}] (ids must be unique)"
                ));
            }
        }
    }
}

/// With several workspaces on Discord, each needs its own server so commands find their data.
pub(super) fn check_guilds(
    workspaces: &[Option<Workspace>],
    transport: Transport,
    problems: &mut Vec<String>,
) {
    let mut seen = std::collections::HashMap::new();
    for (index, workspace) in workspaces.iter().enumerate() {
        let Some(workspace) = workspace else { continue };
        match workspace.guild_id {
            Some(guild) => {
                if let Some(first) = seen.insert(guild, index) {
                    problems.push(format!(
                        "workspaces[{index}].guild_id: {guild} is already used by workspaces[{first}] (one workspace per Discord server)"
                    ));
                }
            }
            None if workspaces.len() > 1 && transport != Transport::Console => {
                problems.push(format!(
                    "workspaces[{index}].guild_id: required when several workspaces share a bot (the id of the Discord server that uses this workspace)"
                ));
            }
            None => {}
        }
    }
}

/// `workspaces[index]` as a [`Workspace`]; `None` (with each problem pushed) when a required
/// key is missing or invalid, so every workspace's problems are reported in one pass.
pub(super) fn parse_workspace(
    index: usize,
    raw: &RawWorkspace,
    env: &dyn Fn(&str) -> Option<String>,
    problems: &mut Vec<String>,
) -> Option<Workspace> {
    let key = |field: &str| format!("workspaces[{index}].{field}");
    let missing =
        |field: &str, example: &str| format!("{}: missing (add `{field} = {example}`)", key(field));
    let id = match raw.id.as_deref() {
        None => {
            problems.push(missing("id", "\"support\""));
            None
        }
        Some(id) if is_valid_id(id) => Some(id.to_string()),
        Some(id) => {
            problems.push(format!(
                "{}: {id:?} is not a valid id (use 1 to 63 lowercase letters, digits, '-' or '_', starting with a letter or digit)",
                key("id")
            ));
            None
        }
    };
    let name = match raw.name.as_deref().map(str::trim) {
        None => {
            problems.push(missing("name", "\"Customer service\""));
            None
        }
        Some("") => {
            problems.push(format!(
                "{}: is empty (give the name shown in replies)",
                key("name")
            ));
            None
        }
        Some(name) => Some(name.to_string()),
    };
    let timezone = match raw.timezone.as_deref() {
        None => {
            problems.push(missing("timezone", "\"America/Argentina/Buenos_Aires\""));
            None
        }
        Some(zone) => zone
            .parse::<Tz>()
            .map_err(|_| {
                let hint = suggest::time_zone(zone)
                    .map(|best| format!(" (did you mean {best:?}?)"))
                    .unwrap_or_else(|| {
                        " (use an IANA name such as \"America/Mexico_City\")".to_string()
                    });
                problems.push(format!(
                    "{}: unknown time zone {zone:?}{hint}",
                    key("timezone")
                ));
            })
            .ok(),
    };
    let locale = match raw.locale.as_deref() {
        None => {
            problems.push(missing("locale", "\"es\""));
            None
        }
        Some(code) => match Locale::from_code(code) {
            Some(locale) => Some(locale),
            None => {
                let lowered = code.to_ascii_lowercase();
                let hint = Locale::ALL
                    .into_iter()
                    .find(|locale| lowered.get(..2) == Some(locale.code()))
                    .map(|locale| format!(" (did you mean {:?}?)", locale.code()))
                    .unwrap_or_default();
                let codes: Vec<String> = Locale::ALL
                    .iter()
                    .map(|l| format!("{:?}", l.code()))
                    .collect();
                let list = match codes.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} or {last}", rest.join(", "))
                    }
                    _ => codes.concat(),
                };
                problems.push(format!(
                    "{}: unknown locale {code:?}{hint}; use {list}",
                    key("locale")
                ));
                None
            }
        },
    };
    let guild_id = raw
        .guild_id
        .as_ref()
        .and_then(|value| discord::snowflake(value, &key("guild_id"), problems));
    let links = discord::links(&raw.links, &format!("workspaces[{index}]"), problems);
    let prefix = format!("workspaces[{index}]");
    let digest = digest::digest_settings(&raw.digest, &prefix, problems);
    let whatsapp_provider = gupshup::provider(&raw.whatsapp, &prefix, problems);
    let gupshup =
        gupshup::gupshup_settings(&raw.gupshup, whatsapp_provider, &prefix, env, problems);
    let alerts_channel_id = raw
        .alerts_channel_id
        .as_ref()
        .and_then(|value| discord::snowflake(value, &key("alerts_channel_id"), problems));
    let balance = gupshup::balance_settings(&raw.balance, &prefix, problems);
    let whatsapp_health = whatsapp::health_settings(&raw.whatsapp, &prefix, problems);
    let alerts = alerts::alert_rules(&raw.alerts, &prefix, problems);
    let roles = |field: &str, values: &Option<Vec<toml::Value>>, problems: &mut Vec<String>| {
        values
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, value)| {
                discord::snowflake(value, &key(&format!("{field}[{i}]")), problems)
            })
            .collect::<Vec<u64>>()
    };
    let viewer_roles = roles("viewer_roles", &raw.viewer_roles, problems);
    let admin_roles = roles("admin_roles", &raw.admin_roles, problems);
    Some(Workspace {
        id: id?,
        name: name?,
        timezone: timezone?,
        locale: locale?,
        guild_id,
        links,
        digest,
        whatsapp_provider,
        gupshup,
        alerts_channel_id,
        balance,
        whatsapp_health,
        alerts,
        viewer_roles,
        admin_roles,
    })
}

/// Ids appear in URLs, file names and metric labels: short, lowercase, no spaces.
fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    first_ok
        && id.len() <= 63
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
