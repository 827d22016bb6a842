//! Indicator reports → reply cards (Discord embed + "View details" buttons).

use chrono::{DateTime, Utc};

use crate::config::{Locale, Workspace};
use crate::domain::InquiryStatus;
use crate::domain::OpenInquiry;
use crate::indicators::{DurationStats, IndicatorReport, PeriodSummary};

use super::locale::{self, Labels, labels};
use super::reply::{Embed, Field, LinkButton, Reply};
use crate::service::BalanceLine;

/// pulso's accent colour on the embed's side.
const ACCENT: u32 = 0x2E86DE;

/// The "View details" button of a status, when the workspace configured its section.
/// Resolved inquiries never get one: the seed says the dashboard does not redirect to them.
pub fn detail_link(
    workspace: &Workspace,
    status: InquiryStatus,
    locale: Locale,
) -> Option<LinkButton> {
    let text = labels(locale);
    let (url, name) = match status {
        InquiryStatus::Pending => (&workspace.links.pending, text.statuses[0]),
        InquiryStatus::InProgress => (&workspace.links.in_progress, text.statuses[1]),
        InquiryStatus::Expired => (&workspace.links.expired, text.statuses[3]),
        InquiryStatus::Resolved => return None,
    };
    url.as_ref().map(|url| LinkButton {
        label: format!("{} · {name}", text.view_details),
        url: url.to_string(),
    })
}

fn period_line(period: &PeriodSummary, locale: Locale) -> String {
    let text = labels(locale);
    let range = if period.from == period.to {
        locale::date(period.from, locale)
    } else {
        format!(
            "{} → {}",
            locale::date(period.from, locale),
            locale::date(period.to, locale)
        )
    };
    format!(
        "{range} · {} {} · {}",
        period.days, text.days, period.timezone
    )
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

fn count_field(name: &str, now: u64, before: Option<u64>, text: &Labels, locale: Locale) -> Field {
    let second = match before {
        Some(before) => arrow(Some(now as f64), Some(before as f64), 0, locale),
        None => text.now.to_string(),
    };
    Field {
        name: name.to_string(),
        value: format!("**{}**\n{second}", locale::count(now, locale)),
        inline: true,
    }
}

fn score_field(
    name: &str,
    now: (Option<f64>, u64),
    before: Option<f64>,
    text: &Labels,
    locale: Locale,
) -> Field {
    let value = match now.0 {
        Some(score) => format!(
            "**{}**\n{} {} · {}",
            locale::number(score, 1, locale),
            locale::count(now.1, locale),
            text.responses,
            arrow(Some(score), before, 1, locale)
        ),
        None => format!("**{}**", text.no_data),
    };
    Field {
        name: name.to_string(),
        value,
        inline: true,
    }
}

fn average_field(
    name: &str,
    now: DurationStats,
    before: DurationStats,
    text: &Labels,
    locale: Locale,
) -> Field {
    let value = match (now.mean_min, now.median_min) {
        (Some(mean), Some(median)) => format!(
            "**{} min**\n{} {} · {}",
            locale::number(mean, 1, locale),
            text.median,
            locale::number(median, 1, locale),
            arrow(Some(mean), before.mean_min, 1, locale)
        ),
        _ => format!("**{}**", text.no_data),
    };
    Field {
        name: name.to_string(),
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
    let text = labels(locale);
    let (now, before) = (&report.current, &report.previous);
    let mut fields = vec![
        score_field(
            text.nps,
            (now.nps.score, now.nps.responses),
            before.nps.score,
            text,
            locale,
        ),
        score_field(
            text.csat,
            (now.csat.score, now.csat.responses),
            before.csat.score,
            text,
            locale,
        ),
        count_field(
            text.pending,
            now.pending,
            Some(before.pending),
            text,
            locale,
        ),
        count_field(text.in_progress, report.in_progress, None, text, locale),
        count_field(
            text.resolved,
            now.resolved,
            Some(before.resolved),
            text,
            locale,
        ),
        count_field(
            text.expired,
            now.expired,
            Some(before.expired),
            text,
            locale,
        ),
        average_field(
            text.avg_attention,
            now.attention,
            before.attention,
            text,
            locale,
        ),
        average_field(
            text.avg_resolution,
            now.resolution,
            before.resolution,
            text,
            locale,
        ),
        average_field(
            text.avg_attention_resolution,
            now.attention_resolution,
            before.attention_resolution,
            text,
            locale,
        ),
    ];
    fields.extend(balance.map(|line| super::balance::balance_field(line, locale)));
    let rate = now
        .expired_rate
        .map(|rate| format!("{} %", locale::number(rate * 100.0, 1, locale)))
        .unwrap_or_else(|| text.no_data.to_string());
    let oldest = report
        .oldest_pending
        .as_ref()
        .map(|oldest| locale::waiting_time(oldest.waiting_min))
        .unwrap_or_else(|| text.none.to_string());
    let footer = format!(
        "{}: {rate} · {}: {oldest} · ▲▼ {}",
        text.expired_rate, text.oldest_pending, text.versus
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
            title: format!("{} · {}", text.indicators_title, workspace.name),
            description: Some(period_line(&now.period, locale)),
            fields,
            footer: Some(footer),
            color: Some(ACCENT),
            image: None,
        }),
        links,
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
    let title = match (locale, weekly) {
        (Locale::Es, false) => "Resumen diario",
        (Locale::Es, true) => "Resumen semanal",
        (Locale::En, false) => "Daily digest",
        (Locale::En, true) => "Weekly digest",
    };
    if let Some(embed) = reply.embed.as_mut() {
        embed.title = format!("{title} · {}", workspace.name);
        embed.image = chart_file.map(|file| format!("attachment://{file}"));
    }
    reply.content = late_for.map(|due| {
        let local = due.with_timezone(&workspace.timezone).format("%H:%M");
        match locale {
            Locale::Es => format!("⏰ Publicado con retraso: estaba programado para las {local}."),
            Locale::En => format!("⏰ Posted late: it was due at {local}."),
        }
    });
    reply
}

/// What `/inquiries` shows for one status.
#[derive(Debug, Clone, PartialEq)]
pub struct InquiryList {
    /// The status asked for.
    pub status: InquiryStatus,
    /// The period counted; `None` for in progress, which is "right now".
    pub period: Option<PeriodSummary>,
    /// How many.
    pub count: u64,
    /// The longest-waiting ones, oldest first (pending and in progress only).
    pub oldest: Vec<OpenInquiry>,
    /// The instant waiting times are measured to.
    pub now: DateTime<Utc>,
}

/// The `/inquiries` card.
pub fn inquiries_card(list: &InquiryList, workspace: &Workspace, locale: Locale) -> Reply {
    let text = labels(locale);
    let status_name = match list.status {
        InquiryStatus::Pending => text.pending,
        InquiryStatus::InProgress => text.in_progress,
        InquiryStatus::Resolved => text.resolved,
        InquiryStatus::Expired => text.expired,
    };
    let description = match &list.period {
        Some(period) => period_line(period, locale),
        None => text.now.to_string(),
    };
    let mut fields = vec![Field {
        name: text.total.to_string(),
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
                    text.waiting,
                    locale::waiting_time(waited),
                    inquiry.channel,
                    inquiry.origin
                )
            })
            .collect();
        fields.push(Field {
            name: text.oldest_ten.to_string(),
            value: lines.join("\n"),
            inline: false,
        });
    }
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!("{status_name} · {}", workspace.name),
            description: Some(description),
            fields,
            footer: None,
            color: Some(ACCENT),
            image: None,
        }),
        links: detail_link(workspace, list.status, locale)
            .into_iter()
            .collect(),
    }
}
