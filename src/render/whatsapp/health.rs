//! The WhatsApp health rules' episode messages: a card per engine event of app health,
//! the account or the quality (what Gupshup reports, why it matters for the chatbot), and
//! the edit of an episode's first message once it is resolved.

use super::super::catalogue::t;
use super::super::locale::waiting_time;
use super::super::reply::{Field, Reply};
use super::super::rule_alerts::buttons;
use super::super::survey_alerts::plain;
use super::{
    GREEN, GREY, MAX_QUOTE, ORANGE, RED, card, limit_text, more, quality_text, quote, signal_name,
};
use crate::alerting::RuleEvent;
use crate::alerting::whatsapp::account_problems;
use crate::config::{Locale, Workspace};
use crate::domain::{AccountStatus, Quality, RuleLevel, WhatsappReading, WhatsappSignal};

/// Most of Gupshup's reasons an account card lists.
const MAX_REASONS: usize = 5;

/// How a refused key or token reads once stored as text: the start of
/// [`crate::gupshup::GupshupError::Auth`]'s message (a unit test holds the two together).
const AUTH_ERROR: &str = "API key rejected";

fn span(lasted: chrono::Duration, locale: Locale) -> String {
    waiting_time(lasted.num_seconds() as f64 / 60.0, locale)
}

/// What is wrong with the account, Gupshup's reasons and what it means.
fn account_problem(account: &AccountStatus, locale: Locale) -> Vec<String> {
    let problems = account_problems(account);
    let mut lines = vec![if problems.is_empty() {
        t!(locale, "wa-account-problem")
    } else {
        t!(
            locale,
            "wa-account-problems",
            problems = problems.join(" · ")
        )
    }];
    if !account.reasons.is_empty() {
        lines.push(t!(locale, "wa-gupshup-says"));
        lines.extend(
            account
                .reasons
                .iter()
                .take(MAX_REASONS)
                .map(|reason| format!("• {}", quote(reason, MAX_QUOTE))),
        );
        lines.extend(more(account.reasons.len(), MAX_REASONS, locale));
    }
    lines.push(t!(locale, "wa-account-impact"));
    lines
}

/// The phone's quality and limit, and what Meta may do next: `critical` (the engine's
/// level) decides the warning when the reading does not say the quality.
fn quality_problem(
    reading: Option<&WhatsappReading>,
    critical: bool,
    locale: Locale,
) -> Vec<String> {
    let ratings = match reading {
        Some(WhatsappReading::Quality(ratings)) => Some(ratings),
        _ => None,
    };
    let quality = ratings
        .and_then(|r| r.quality)
        .filter(|q| *q != Quality::Unknown);
    let limit = match ratings.and_then(|r| r.current_limit.as_ref()) {
        Some(tier) => limit_text(tier, locale),
        None => t!(locale, "wa-limit-unknown"),
    };
    let what = match quality {
        Some(quality) => t!(
            locale,
            "wa-quality-is",
            quality = quality_text(quality, locale),
            limit = limit
        ),
        None => t!(locale, "wa-quality-low"),
    };
    let red = quality.map_or(critical, |q| q == Quality::Red);
    let impact = if red {
        t!(locale, "wa-quality-impact-red")
    } else {
        t!(locale, "wa-quality-impact-yellow")
    };
    vec![what, impact]
}

/// An open episode's text: what Gupshup reports and why it matters.
fn problem(
    signal: WhatsappSignal,
    reading: Option<&WhatsappReading>,
    critical: bool,
    locale: Locale,
) -> Vec<String> {
    match (signal, reading) {
        (WhatsappSignal::AppHealth, reading) => {
            let reason = match reading {
                Some(WhatsappReading::AppHealth(health)) => health.reason.as_deref(),
                _ => None,
            };
            vec![
                match reason {
                    Some(reason) => t!(
                        locale,
                        "wa-app-unhealthy-reason",
                        reason = quote(reason, MAX_QUOTE)
                    ),
                    None => t!(locale, "wa-app-unhealthy"),
                },
                t!(locale, "wa-app-impact"),
            ]
        }
        (WhatsappSignal::Account, Some(WhatsappReading::Account(account))) => {
            account_problem(account, locale)
        }
        (WhatsappSignal::Account, _) => vec![
            t!(locale, "wa-account-problem"),
            t!(locale, "wa-account-impact"),
        ],
        (WhatsappSignal::Quality, reading) => quality_problem(reading, critical, locale),
        // The template list has no episodes of its own (its news is template_change_card).
        (WhatsappSignal::Templates, _) => vec![t!(locale, "wa-templates-problem")],
    }
}

/// A resolved episode's text: the signal is fine again.
fn recovered(signal: WhatsappSignal, reading: Option<&WhatsappReading>, locale: Locale) -> String {
    match (signal, reading) {
        (WhatsappSignal::AppHealth, _) => t!(locale, "wa-app-fine"),
        (WhatsappSignal::Account, _) => t!(locale, "wa-account-fine"),
        (WhatsappSignal::Quality, Some(WhatsappReading::Quality(ratings))) => {
            match (ratings.quality, &ratings.current_limit) {
                (Some(quality), Some(tier)) => t!(
                    locale,
                    "wa-quality-fine-is",
                    quality = quality_text(quality, locale),
                    limit = limit_text(tier, locale)
                ),
                _ => t!(locale, "wa-quality-fine"),
            }
        }
        (WhatsappSignal::Quality, _) => t!(locale, "wa-quality-fine"),
        (WhatsappSignal::Templates, _) => t!(locale, "wa-templates-fine"),
    }
}

/// "pulso cannot read …": the error as Gupshup's client reported it, a refused key or
/// token said in words.
fn unknown(signal: WhatsappSignal, error: Option<&str>, locale: Locale) -> Vec<String> {
    let what = match signal {
        WhatsappSignal::AppHealth => t!(locale, "wa-what-app-health"),
        WhatsappSignal::Account => t!(locale, "wa-what-account"),
        WhatsappSignal::Quality => t!(locale, "wa-what-quality"),
        WhatsappSignal::Templates => t!(locale, "wa-what-templates"),
    };
    let mut lines = vec![t!(locale, "wa-unknown", what = what)];
    if let Some(error) = error.filter(|e| !e.trim().is_empty()) {
        if error.starts_with(AUTH_ERROR) {
            lines.push(t!(locale, "wa-key-rejected"));
        }
        lines.push(t!(locale, "wa-error", error = quote(error, MAX_QUOTE)));
    }
    lines.push(t!(locale, "wa-unknown-keeps"));
    lines
}

/// The account card's "Number" field: the verified name and the phone, when known.
fn number_field(reading: Option<&WhatsappReading>, locale: Locale) -> Vec<Field> {
    let Some(WhatsappReading::Account(account)) = reading else {
        return Vec::new();
    };
    let parts: Vec<String> = [&account.verified_name, &account.phone]
        .into_iter()
        .flatten()
        .map(|text| plain(text))
        .collect();
    if parts.is_empty() {
        return Vec::new();
    }
    vec![Field {
        name: t!(locale, "wa-field-number"),
        value: parts.join(" · "),
        inline: true,
    }]
}

/// The card for one engine event of an episode signal (app health, account, quality):
/// firing, critical and reminders say what Gupshup reports and why it matters, and carry
/// Acknowledge and Snooze; resolved says how long it lasted; "cannot evaluate" says why
/// pulso cannot read it. `reading` is the signal's latest good reading (ignored when it is
/// another signal's), `error` the last call's failure.
pub fn health_alert_card(
    workspace: &Workspace,
    signal: WhatsappSignal,
    event: &RuleEvent,
    reading: Option<&WhatsappReading>,
    error: Option<&str>,
) -> Reply {
    let locale = workspace.locale;
    let reading = reading.filter(|reading| reading.signal() == signal);
    let name = signal_name(signal, locale);
    let (heading, color, lines) = match event {
        RuleEvent::Firing { .. } => (
            t!(locale, "rule-title-firing", name = &name),
            ORANGE,
            problem(signal, reading, false, locale),
        ),
        RuleEvent::Critical { .. } => (
            t!(locale, "rule-title-critical", name = &name),
            RED,
            problem(signal, reading, true, locale),
        ),
        RuleEvent::Reminder { level, .. } => {
            let critical = *level == RuleLevel::Critical;
            (
                t!(locale, "rule-title-reminder", name = &name),
                if critical { RED } else { ORANGE },
                problem(signal, reading, critical, locale),
            )
        }
        RuleEvent::Resolved { lasted, .. } => (
            t!(locale, "rule-title-resolved", name = &name),
            GREEN,
            vec![
                recovered(signal, reading, locale),
                t!(locale, "wa-lasted", lasted = span(*lasted, locale)),
            ],
        ),
        RuleEvent::CannotEvaluate { .. } => (
            t!(locale, "rule-title-unknown", name = &name),
            GREY,
            unknown(signal, error, locale),
        ),
    };
    let open = matches!(
        event,
        RuleEvent::Firing { .. } | RuleEvent::Critical { .. } | RuleEvent::Reminder { .. }
    );
    let fields = if open && signal == WhatsappSignal::Account {
        number_field(reading, locale)
    } else {
        Vec::new()
    };
    let mut reply = card(
        workspace,
        heading,
        Some(lines.join("\n")),
        fields,
        signal.rule(),
        color,
    );
    if let RuleEvent::Firing { episode, .. }
    | RuleEvent::Critical { episode, .. }
    | RuleEvent::Reminder { episode, .. } = event
    {
        reply.actions = buttons(workspace, signal.rule(), *episode);
    }
    reply
}

/// An episode's first message once the episode is over: green, "resolved after …", no
/// buttons left to press.
pub fn health_resolved_edit(
    workspace: &Workspace,
    signal: WhatsappSignal,
    lasted: chrono::Duration,
) -> Reply {
    let locale = workspace.locale;
    let heading = t!(
        locale,
        "rule-title-resolved-after",
        name = signal_name(signal, locale),
        lasted = span(lasted, locale)
    );
    card(workspace, heading, None, Vec::new(), signal.rule(), GREEN)
}

#[cfg(test)]
#[path = "health_tests.rs"]
mod tests;
