//! `/whatsapp`: one card with the workspace's stored WhatsApp readings (app health, the
//! account, quality and messaging limit, templates by status, the wallet), each with when
//! it was read and whether the last check failed. It never calls Gupshup, so it answers at
//! once and spends none of Gupshup's rate limits (the ratings allow one call a day).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::super::balance::{balance_name, is_demo, money, not_gupshup};
use super::super::catalogue::{Arg, t};
use super::super::locale::{count, counted, local_time};
use super::super::reply::{Embed, Field, Reply};
use super::super::survey_alerts::plain;
use super::summary::Findings;
use super::{
    find, footer, limit_text, more, not_sendable, quality_text, quote, signal_name, template_name,
    titled, when,
};
use crate::alerting::whatsapp::account_problems;
use crate::chars::truncate;
use crate::config::{GupshupMode, Locale, Workspace};
use crate::domain::{
    AccountStatus, Quality, Ratings, StoredSignal, Template, WhatsappReading, WhatsappSignal,
};
use crate::store::StoredReading;

/// Templates named in the card; the rest are counted.
const LISTED_TEMPLATES: usize = 10;
/// Gupshup's reasons listed under the account.
const LISTED_REASONS: usize = 3;
/// Longest reason or error quoted in a field (the alert cards quote up to
/// [`super::MAX_QUOTE`]).
const FIELD_QUOTE: usize = 150;

fn account_lines(account: &AccountStatus, locale: Locale) -> Vec<String> {
    let icon = if account_problems(account).is_empty() {
        "✅"
    } else {
        "⚠️"
    };
    let can_send = account.can_send.as_deref().unwrap_or("?");
    let mut lines = vec![format!(
        "{icon} {}",
        t!(locale, "wa-can-send", value = plain(can_send))
    )];
    let mut statuses = Vec::new();
    if let Some(status) = &account.account_status {
        statuses.push(t!(locale, "wa-account-status", status = plain(status)));
    }
    if let Some(status) = &account.docker_status {
        statuses.push(t!(locale, "wa-number-status", status = plain(status)));
    }
    if !statuses.is_empty() {
        lines.push(statuses.join(" · "));
    }
    let identity: Vec<String> = [&account.verified_name, &account.phone]
        .into_iter()
        .flatten()
        .map(|text| plain(text))
        .collect();
    if !identity.is_empty() {
        lines.push(identity.join(" · "));
    }
    let reasons = &account.reasons;
    lines.extend(
        reasons
            .iter()
            .take(LISTED_REASONS)
            .map(|reason| format!("• {}", quote(reason, FIELD_QUOTE))),
    );
    lines.extend(more(reasons.len(), LISTED_REASONS, locale));
    lines
}

fn quality_lines(ratings: &Ratings, workspace: &Workspace, locale: Locale) -> Vec<String> {
    let quality = ratings.quality.unwrap_or(Quality::Unknown);
    let mut lines = vec![t!(
        locale,
        "wa-quality-line",
        quality = quality_text(quality, locale)
    )];
    if let Some(tier) = &ratings.current_limit {
        lines.push(t!(
            locale,
            "wa-limit-line",
            limit = limit_text(tier, locale)
        ));
    }
    if let Some(event) = &ratings.event {
        let event = match ratings.event_time {
            Some(at) => format!("{} ({})", plain(event), local_time(at, workspace)),
            None => plain(event),
        };
        lines.push(t!(locale, "wa-event-line", event = event));
    }
    lines
}

/// The order statuses are counted in: sendable first, then the ones on their way, then
/// the stopped ones, then any other word.
fn status_rank(status: &str) -> usize {
    ["APPROVED", "PENDING", "PAUSED", "DISABLED", "REJECTED"]
        .iter()
        .position(|known| *known == status)
        .unwrap_or(usize::MAX)
}

fn template_lines(templates: &[Template], locale: Locale) -> Vec<String> {
    if templates.is_empty() {
        return vec![t!(locale, "wa-templates-none")];
    }
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    for template in templates {
        *by_status
            .entry(template.status.to_ascii_uppercase())
            .or_default() += 1;
    }
    let mut counts: Vec<(String, u64)> = by_status.into_iter().collect();
    counts.sort_by_key(|(status, _)| status_rank(status));
    let counts: Vec<String> = counts
        .iter()
        .map(|(status, n)| {
            t!(
                locale,
                "wa-templates-count",
                status = plain(status),
                count = Arg::Number {
                    value: *n as f64,
                    decimals: 0
                },
                shown = count(*n, locale)
            )
        })
        .collect();
    let mut lines = vec![counts.join(" · ")];
    let red = templates
        .iter()
        .filter(|t| t.quality == Some(Quality::Red) && !not_sendable(t))
        .count();
    if red > 0 {
        lines.push(format!(
            "⚠️ {}",
            counted(locale, "wa-count-red-quality", red as f64, 0)
        ));
    }
    let stopped: Vec<&Template> = templates.iter().filter(|t| not_sendable(t)).collect();
    if !stopped.is_empty() {
        lines.push(t!(locale, "wa-templates-not-sendable"));
        lines.extend(stopped.iter().take(LISTED_TEMPLATES).map(|template| {
            let language = template
                .language
                .as_deref()
                .map(|l| format!(" ({})", plain(&truncate(l, 12))))
                .unwrap_or_default();
            let status = plain(&template.status.to_ascii_uppercase());
            format!("• {}{language} · {status}", template_name(&template.name))
        }));
        lines.extend(more(stopped.len(), LISTED_TEMPLATES, locale));
    }
    lines
}

/// What a reading says, without when it was read.
fn reading_lines(reading: &WhatsappReading, workspace: &Workspace) -> Vec<String> {
    let locale = workspace.locale;
    match reading {
        WhatsappReading::AppHealth(health) if health.healthy => vec![t!(locale, "wa-app-healthy")],
        WhatsappReading::AppHealth(health) => {
            let mut lines = vec![t!(locale, "wa-app-not-healthy")];
            lines.extend(
                health
                    .reason
                    .as_deref()
                    .map(|r| format!("«{}»", quote(r, FIELD_QUOTE))),
            );
            lines
        }
        WhatsappReading::Account(account) => account_lines(account, locale),
        WhatsappReading::Quality(ratings) => quality_lines(ratings, workspace, locale),
        WhatsappReading::Templates(templates) => template_lines(templates, locale),
    }
}

/// One signal's field value: its last good reading with when it was read (for the
/// ratings, the last call: "no event update available" leaves the reading as it was), then
/// the last failure.
fn signal_value(
    stored: Option<&StoredSignal>,
    workspace: &Workspace,
    now: DateTime<Utc>,
) -> String {
    let locale = workspace.locale;
    let mut lines = match stored.and_then(|stored| stored.reading.as_ref()) {
        None => vec![t!(locale, "wa-not-read")],
        Some((read_at, reading)) => {
            let mut lines = reading_lines(reading, workspace);
            lines.push(match reading {
                WhatsappReading::Quality(_) => {
                    let called = stored.and_then(|s| s.called_at).unwrap_or(*read_at);
                    t!(locale, "wa-called-at", at = local_time(called, workspace))
                }
                _ => t!(locale, "wa-read-at", at = local_time(*read_at, workspace)),
            });
            lines
        }
    };
    if let Some((at, error)) = stored.and_then(|stored| stored.error.as_ref()) {
        lines.push(t!(
            locale,
            "wa-last-check-failed",
            at = when(*at, now, workspace),
            error = quote(error, FIELD_QUOTE)
        ));
    }
    lines.join("\n")
}

/// The wallet's field: the latest stored balance reading (or its failure).
fn balance_field(
    workspace: &Workspace,
    reading: Option<&StoredReading>,
    now: DateTime<Utc>,
) -> Field {
    let locale = workspace.locale;
    let value = match reading {
        Some(StoredReading {
            amount: Some(amount),
            currency: Some(currency),
            read_at,
            ..
        }) => {
            let low = currency.eq_ignore_ascii_case("USD") && *amount < workspace.balance.threshold;
            let icon = if low { "⚠️ " } else { "" };
            format!(
                "{icon}**{}**\n{}",
                money(*amount, currency, locale),
                t!(locale, "wa-read-at", at = local_time(*read_at, workspace))
            )
        }
        Some(StoredReading { read_at, error, .. }) => t!(
            locale,
            "wa-last-check-failed",
            at = when(*read_at, now, workspace),
            error = quote(error.as_deref().unwrap_or_default(), FIELD_QUOTE)
        ),
        None => t!(locale, "wa-not-read"),
    };
    Field {
        name: balance_name(is_demo(workspace), locale),
        value,
        inline: true,
    }
}

/// `/whatsapp` and `pulso whatsapp`: the workspace's stored readings, one field per signal
/// and one for the wallet. A signal never read says so; one whose last call failed shows
/// its last good reading and the failure; one the workspace's mode does not offer (the
/// self-serve key reads only templates) says it needs partner mode. A workspace without
/// Gupshup gets the "does not use Gupshup" answer. Fits Discord's limits whatever the
/// number of templates.
pub fn whatsapp_card(
    workspace: &Workspace,
    signals: &[StoredSignal],
    balance: Option<&StoredReading>,
    now: DateTime<Utc>,
) -> Reply {
    let locale = workspace.locale;
    let Some(settings) = &workspace.gupshup else {
        return not_gupshup(workspace, locale);
    };
    let mut fields: Vec<Field> = WhatsappSignal::ALL
        .into_iter()
        .map(|signal| Field {
            name: signal_name(signal, locale),
            value: if signal.offered_in(settings.mode) {
                signal_value(find(signals, signal), workspace, now)
            } else {
                t!(locale, "wa-field-needs-partner")
            },
            inline: signal != WhatsappSignal::Templates,
        })
        .collect();
    fields.push(balance_field(workspace, balance, now));
    let findings = Findings::of(workspace, signals);
    let mut description = vec![match findings.line(locale) {
        Some(line) => line,
        None if findings.read_any => t!(locale, "wa-card-all-fine"),
        None => t!(locale, "wa-card-nothing-read"),
    }];
    if settings.mode == GupshupMode::ApiKey {
        description.push(t!(locale, "wa-card-self-serve"));
    }
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: titled(workspace, t!(locale, "wa-card-title")),
            description: Some(description.join("\n")),
            fields,
            footer: footer(workspace, t!(locale, "wa-card-footer")),
            color: Some(findings.color()),
            image: None,
        }),
        links: Vec::new(),
        actions: Vec::new(),
        attachment: None,
    }
    .fit_to_discord()
}

#[cfg(test)]
#[path = "card_tests.rs"]
mod tests;
