//! WhatsApp account health in replies: the alert cards of the health rules (app health,
//! account, quality), the one-off news of a messaging limit or a template that changed,
//! `/whatsapp` (and `pulso whatsapp --format json`), the digest's health line and the
//! `/alerts status` lines, all in the workspace's language (texts from the catalogue).
//!
//! Everything here renders the readings pulso stored: nothing calls Gupshup. Gupshup's
//! enums stay as Gupshup spells them (`TIER_1K`, `PAUSED`, `YELLOW`), next to words people
//! read, so a card can be matched with Gupshup's panel and Meta's WhatsApp Manager.

mod card;
mod health;
mod news;
mod summary;
#[cfg(test)]
mod test_support;

pub use card::whatsapp_card;
pub use health::{health_alert_card, health_resolved_edit};
pub use news::{limit_change_card, template_change_card};
pub use summary::{digest_health_line, whatsapp_json, whatsapp_rules_status};

use chrono::{DateTime, Utc};

use super::balance::is_demo;
use super::catalogue::t;
use super::locale::{clock_time, count, counted, local_time};
use super::reply::{Embed, Field, Reply};
use super::survey_alerts::plain;
use crate::config::{Locale, Workspace};
use crate::domain::{Quality, StoredSignal, Template, Tier, WhatsappSignal};

const ORANGE: u32 = 0xE67E22;
const RED: u32 = 0xE74C3C;
const GREEN: u32 = 0x2ECC71;
const GREY: u32 = 0x95A5A6;

/// Longest piece of Gupshup's free text (a reason, an error) an alert card quotes.
const MAX_QUOTE: usize = 300;

/// Template statuses that stop a template from being sent and that pulso names: Meta
/// paused or disabled it, or never approved it. PENDING is a template on its way, not a
/// problem.
const NOT_SENDABLE: [&str; 3] = ["PAUSED", "DISABLED", "REJECTED"];

/// Whether `template` is one the chatbot cannot send and people must hear about.
fn not_sendable(template: &Template) -> bool {
    NOT_SENDABLE.contains(&template.status.to_ascii_uppercase().as_str())
}

/// A signal's name as a heading: "Salud de la app de Gupshup".
fn signal_name(signal: WhatsappSignal, locale: Locale) -> String {
    match signal {
        WhatsappSignal::AppHealth => t!(locale, "wa-signal-app-health"),
        WhatsappSignal::Account => t!(locale, "wa-signal-account"),
        WhatsappSignal::Quality => t!(locale, "wa-signal-quality"),
        WhatsappSignal::Templates => t!(locale, "wa-signal-templates"),
    }
}

/// The stored record of `signal`, if the store has one.
fn find(signals: &[StoredSignal], signal: WhatsappSignal) -> Option<&StoredSignal> {
    signals.iter().find(|stored| stored.signal == signal)
}

/// Whether `workspace` reads `signal` at all: Gupshup, in a mode that offers it.
fn offered(workspace: &Workspace, signal: WhatsappSignal) -> bool {
    workspace
        .gupshup
        .as_ref()
        .is_some_and(|settings| signal.offered_in(settings.mode))
}

/// A quality as Meta writes it with its meaning: "YELLOW (media)".
fn quality_text(quality: Quality, locale: Locale) -> String {
    let word = t!(locale, "wa-quality-word", quality = quality.as_str());
    format!("{} ({word})", quality.as_str())
}

/// A tier's users per day, "1.000 usuarios por día" or "ilimitado"; a word that is not a
/// tier (`TIER_NOT_SET`, something new) as Gupshup wrote it.
fn tier_users(tier: &Tier, locale: Locale) -> String {
    match tier.users() {
        Some(u64::MAX) => t!(locale, "wa-tier-unlimited"),
        Some(users) => counted(locale, "wa-users-per-day", users as f64, 0),
        None => tier.0.clone(),
    }
}

/// A tier's number alone, "1.000" (for "from 1.000 to 250 users per day").
fn tier_number(tier: &Tier, locale: Locale) -> String {
    match tier.users() {
        Some(u64::MAX) => t!(locale, "wa-tier-unlimited"),
        Some(users) => count(users, locale),
        None => tier.0.clone(),
    }
}

/// A limit in bold with Gupshup's tier: "**1.000 usuarios por día** (TIER_1K)".
fn limit_text(tier: &Tier, locale: Locale) -> String {
    match tier.users() {
        Some(_) => format!("**{}** ({})", tier_users(tier, locale), tier.0),
        None => format!("**{}**", tier.0),
    }
}

/// A template's name as Discord shows code, so underscores stay underscores: Meta's names
/// are lower-case letters, digits and `_`; anything longer than a line is cut.
fn template_name(name: &str) -> String {
    format!("`{}`", crate::chars::truncate(&name.replace('`', "'"), 48))
}

/// `heading · workspace`, with "(demo)" when the workspace's Gupshup is pulso's simulation.
fn titled(workspace: &Workspace, heading: String) -> String {
    if is_demo(workspace) {
        let demo = t!(workspace.locale, "label-demo");
        format!("{heading} ({demo}) · {}", workspace.name)
    } else {
        format!("{heading} · {}", workspace.name)
    }
}

/// `text` as a footer, after the demo note when the signals are simulated.
fn footer(workspace: &Workspace, text: String) -> Option<String> {
    Some(if is_demo(workspace) {
        format!("{} · {text}", t!(workspace.locale, "wa-demo-note"))
    } else {
        text
    })
}

/// An instant for "last check failed at …": the time alone when it is today in the
/// workspace's zone, with the date otherwise.
fn when(at: DateTime<Utc>, now: DateTime<Utc>, workspace: &Workspace) -> String {
    let day = |instant: DateTime<Utc>| instant.with_timezone(&workspace.timezone).date_naive();
    if day(at) == day(now) {
        clock_time(at, workspace)
    } else {
        local_time(at, workspace)
    }
}

/// Gupshup's free text quoted safely: markdown escaped, cut to `max` characters.
fn quote(text: &str, max: usize) -> String {
    plain(&crate::chars::truncate(text.trim(), max))
}

/// "…and N more" when `total` is over `listed`.
fn more(total: usize, listed: usize, locale: Locale) -> Option<String> {
    let rest = total.saturating_sub(listed);
    (rest > 0).then(|| t!(locale, "wa-and-more", shown = count(rest as u64, locale)))
}

/// An alert message of rule `rule`: the workspace (and "demo") in the title, the rule in
/// the footer, no buttons yet.
fn card(
    workspace: &Workspace,
    heading: String,
    description: Option<String>,
    fields: Vec<Field>,
    rule: &str,
    color: u32,
) -> Reply {
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: titled(workspace, heading),
            description,
            fields,
            footer: footer(workspace, t!(workspace.locale, "rule-footer", rule = rule)),
            color: Some(color),
            image: None,
        }),
        links: Vec::new(),
        actions: Vec::new(),
        attachment: None,
    }
}
