//! Indicator reports → reply cards (Discord embed + "View details" buttons).

use chrono::{DateTime, Utc};

use crate::config::{Locale, Workspace};
use crate::domain::{Filter, InquiryStatus};
use crate::indicators::{DurationStats, IndicatorReport, PeriodSummary};

use super::catalogue::t;
use super::locale;
use super::locale::counted;
use super::reply::{Embed, Field, LinkButton, Reply};
use crate::service::{BalanceLine, InquiryList};

/// pulso's accent colour on the embed's side.
pub(super) const ACCENT: u32 = 0x2E86DE;

/// The "View details" button of a status, when the workspace configured its section.
/// Resolved inquiries never get one: the seed says the dashboard does not redirect to them.
pub fn detail_link(
    workspace: &Workspace,
    status: InquiryStatus,
    locale: Locale,
) -> Option<LinkButton> {
    let links = &workspace.links;
    let (url, name) = match status {
        InquiryStatus::Pending => (&links.pending, t!(locale, "label-status-pending")),
        InquiryStatus::InProgress => (&links.in_progress, t!(locale, "label-status-in-progress")),
        InquiryStatus::Expired => (&links.expired, t!(locale, "label-status-expired")),
        InquiryStatus::Resolved => return None,
    };
    url.as_ref().map(|url| LinkButton {
        label: format!("{} · {name}", t!(locale, "label-view-details")),
        url: url.to_string(),
    })
}

/// `1 dic 2026 → 7 dic 2026`, or one date for a one-day period.
pub(super) fn date_range(period: &PeriodSummary, locale: Locale) -> String {
    if period.from == period.to {
        locale::date(period.from, locale)
    } else {
        format!(
            "{} → {}",
            locale::date(period.from, locale),
            locale::date(period.to, locale)
        )
    }
}

/// `1 dic 2026 → 7 dic 2026 · 7 días · America/Santiago`: a period as every card shows it.
pub(super) fn period_line(period: &PeriodSummary, locale: Locale) -> String {
    let range = date_range(period, locale);
    let days = counted(locale, "count-days", period.days as f64, 0);
    format!("{range} · {days} · {}", period.timezone)
}

/// `text`, and under it the filter line when a filter applied.
fn with_filter(text: String, filter: &Filter, locale: Locale) -> String {
    match super::filter::filter_line(filter, locale) {
        Some(line) => format!("{text}\n{line}"),
        None => text,
    }
}

/// `▲ 3`, `▼ 1,5`, `= 0`, or "—" when either side has no data.
fn arrow(now: Option<f64>, before: Option<f64>, decimals: usize, locale: Locale) -> String {
    match (now, before) {
        (Some(now), Some(before)) => {
            let delta = now - before;
            let shown = locale::number(delta.abs(), decimals, locale);
            if shown.chars().all(|c| matches!(c, '0' | ',' | '.')) {
                format!("= {shown}")
            } else if delta > 0.0 {
                format!("▲ {shown}")
            } else {
                format!("▼ {shown}")
            }
        }
        _ => "—".to_string(),
    }
}

fn count_field(name: String, now: u64, before: Option<u64>, locale: Locale) -> Field {
    let second = match before {
        Some(before) => arrow(Some(now as f64), Some(before as f64), 0, locale),
        None => t!(locale, "label-now"),
    };
    Field {
        name,
        value: format!("**{}**\n{second}", locale::count(now, locale)),
        inline: true,
    }
}

fn score_field(
    name: String,
    now: (Option<f64>, u64),
    before: Option<f64>,
    locale: Locale,
) -> Field {
    let value = match now.0 {
        Some(score) => format!(
            "**{}**\n{} · {}",
            locale::number(score, 1, locale),
            counted(locale, "count-responses", now.1 as f64, 0),
            arrow(Some(score), before, 1, locale)
        ),
        None => format!("**{}**", t!(locale, "label-no-data")),
    };
    Field {
        name,
        value,
        inline: true,
    }
}

fn average_field(name: String, now: DurationStats, before: DurationStats, locale: Locale) -> Field {
    let value = match (now.mean_min, now.median_min) {
        (Some(mean), Some(median)) => format!(
            "**{}**\n{} {} · {}",
            counted(locale, "count-minutes", mean, 1),
            t!(locale, "label-median"),
            locale::number(median, 1, locale),
            arrow(Some(mean), before.mean_min, 1, locale)
        ),
        _ => format!("**{}**", t!(locale, "label-no-data")),
    };
    Field {
        name,
        value,
        inline: true,
    }
}

/// The `/indicators` card: the seven indicators with their change against the previous
/// period, "View details" buttons for pending, in progress and expired, and the Gupshup
/// balance when the caller passes one (only while it is under the threshold).
pub fn indicators_card(
    report: &IndicatorReport,
    workspace: &Workspace,
    locale: Locale,
    balance: Option<&BalanceLine>,
) -> Reply {
    let (now, before) = (&report.current, &report.previous);
    let mut fields = vec![
        score_field(
            t!(locale, "label-nps"),
            (now.nps.score, now.nps.responses),
            before.nps.score,
            locale,
        ),
        score_field(
            t!(locale, "label-csat"),
            (now.csat.score, now.csat.responses),
            before.csat.score,
            locale,
        ),
        count_field(
            t!(locale, "label-pending"),
            now.pending,
            Some(before.pending),
            locale,
        ),
        count_field(
            t!(locale, "label-in-progress"),
            report.in_progress,
            None,
            locale,
        ),
        count_field(
            t!(locale, "label-resolved"),
            now.resolved,
            Some(before.resolved),
            locale,
        ),
        count_field(
            t!(locale, "label-expired"),
            now.expired,
            Some(before.expired),
            locale,
        ),
        average_field(
            t!(locale, "label-avg-attention"),
            now.attention,
            before.attention,
            locale,
        ),
        average_field(
            t!(locale, "label-avg-resolution"),
            now.resolution,
            before.resolution,
            locale,
        ),
        average_field(
            t!(locale, "label-avg-attention-resolution"),
            now.attention_resolution,
            before.attention_resolution,
            locale,
        ),
    ];
    fields.extend(balance.map(|line| super::balance::balance_field(line, locale)));
    let rate = now
        .expired_rate
        .map(|rate| format!("{} %", locale::number(rate * 100.0, 1, locale)))
        .unwrap_or_else(|| t!(locale, "label-no-data"));
    let oldest = report
        .oldest_pending
        .as_ref()
        .map(|oldest| locale::waiting_time(oldest.waiting_min, locale))
        .unwrap_or_else(|| t!(locale, "label-none"));
    let footer = format!(
        "{}: {rate} · {}: {oldest} · ▲▼ {}",
        t!(locale, "label-expired-rate"),
        t!(locale, "label-oldest-pending"),
        t!(locale, "label-versus")
    );
    let links = [
        InquiryStatus::Pending,
        InquiryStatus::InProgress,
        InquiryStatus::Expired,
    ]
    .into_iter()
    .filter_map(|status| detail_link(workspace, status, locale))
    .collect();
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!(
                "{} · {}",
                t!(locale, "label-indicators-title"),
                workspace.name
            ),
            description: Some(with_filter(
                period_line(&now.period, locale),
                &report.filter,
                locale,
            )),
            fields,
            footer: Some(footer),
            color: Some(ACCENT),
            image: None,
        }),
        links,
        actions: Vec::new(),
        attachment: None,
    }
}

/// The scheduled digest card: the indicators card under a digest title, with the chart
/// (when there is one) inside the embed and a note when it is posted late.
pub fn digest_card(
    report: &IndicatorReport,
    workspace: &Workspace,
    weekly: bool,
    chart_file: Option<&str>,
    late_for: Option<DateTime<Utc>>,
    balance: Option<&BalanceLine>,
) -> Reply {
    let locale = workspace.locale;
    let mut reply = indicators_card(report, workspace, locale, balance);
    let title = if weekly {
        t!(locale, "digest-weekly")
    } else {
        t!(locale, "digest-daily")
    };
    if let Some(embed) = reply.embed.as_mut() {
        embed.title = format!("{title} · {}", workspace.name);
        embed.image = chart_file.map(|file| format!("attachment://{file}"));
    }
    reply.content = late_for.map(|due| {
        t!(
            locale,
            "digest-late",
            time = locale::clock_time(due, workspace)
        )
    });
    reply
}

/// The `/inquiries` card.
pub fn inquiries_card(list: &InquiryList, workspace: &Workspace, locale: Locale) -> Reply {
    let status_name = match list.status {
        InquiryStatus::Pending => t!(locale, "label-pending"),
        InquiryStatus::InProgress => t!(locale, "label-in-progress"),
        InquiryStatus::Resolved => t!(locale, "label-resolved"),
        InquiryStatus::Expired => t!(locale, "label-expired"),
    };
    let description = match &list.period {
        Some(period) if list.status == InquiryStatus::Pending => t!(
            locale,
            "inquiries-in-period",
            period = period_line(period, locale)
        ),
        Some(period) => period_line(period, locale),
        None => t!(locale, "inquiries-live"),
    };
    let waiting = t!(locale, "label-waiting");
    let mut fields = vec![Field {
        name: t!(locale, "label-total"),
        value: format!("**{}**", locale::count(list.count, locale)),
        inline: false,
    }];
    if !list.oldest.is_empty() {
        let lines: Vec<String> = list
            .oldest
            .iter()
            .enumerate()
            .map(|(index, inquiry)| {
                let waited = (list.now - inquiry.requested_at).num_seconds() as f64 / 60.0;
                let operator = inquiry
                    .operator_id
                    .as_deref()
                    .map(|operator| format!(" · {operator}"))
                    .unwrap_or_default();
                format!(
                    "{}. `{}` {} {} · {} · {}{operator}",
                    index + 1,
                    inquiry.id,
                    waiting,
                    locale::waiting_time(waited, locale),
                    inquiry.channel,
                    inquiry.origin
                )
            })
            .collect();
        fields.push(Field {
            name: t!(locale, "label-oldest-ten"),
            value: lines.join("\n"),
            inline: false,
        });
    }
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!("{status_name} · {}", workspace.name),
            description: Some(with_filter(description, &list.filter, locale)),
            fields,
            footer: None,
            color: Some(ACCENT),
            image: None,
        }),
        links: detail_link(workspace, list.status, locale)
            .into_iter()
            .collect(),
        actions: Vec::new(),
        attachment: None,
    }
}
