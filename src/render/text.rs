//! The terminal table of `pulso indicators`.

use std::fmt::Write as _;

use crate::config::{Locale, Workspace};
use crate::indicators::{DurationStats, IndicatorReport, WindowIndicators};

use super::locale::{self, Labels, labels};

/// A count row: its label and how to read the count from a window.
type CountRow<'a> = (&'a str, fn(&WindowIndicators) -> u64);

/// Renders a report as an aligned table: each indicator, the previous period, the change.
pub fn indicators_text(report: &IndicatorReport, workspace: &Workspace) -> String {
    let locale = workspace.locale;
    let text = labels(locale);
    let (current, previous) = (&report.current, &report.previous);
    let mut rows: Vec<[String; 4]> = vec![[
        String::new(),
        text.current.to_string(),
        text.previous.to_string(),
        text.change.to_string(),
    ]];
    let nps = |w: &WindowIndicators| (w.nps.score, w.nps.responses);
    let csat = |w: &WindowIndicators| (w.csat.score, w.csat.responses);
    rows.push(score_row(
        text.nps,
        nps(current),
        nps(previous),
        text,
        locale,
    ));
    rows.push(score_row(
        text.csat,
        csat(current),
        csat(previous),
        text,
        locale,
    ));
    let counts: [CountRow<'_>; 3] = [
        (text.pending, |w| w.pending),
        (text.resolved, |w| w.resolved),
        (text.expired, |w| w.expired),
    ];
    for (index, (label, value)) in counts.into_iter().enumerate() {
        rows.push([
            label.to_string(),
            locale::count(value(current), locale),
            locale::count(value(previous), locale),
            locale::change(value(current) as f64 - value(previous) as f64, 0, locale),
        ]);
        if index == 0 {
            rows.push([
                text.in_progress.to_string(),
                locale::count(report.in_progress, locale),
                format!("({})", text.now),
                String::new(),
            ]);
        }
    }
    let averages = [
        (text.avg_attention, current.attention, previous.attention),
        (text.avg_resolution, current.resolution, previous.resolution),
        (
            text.avg_attention_resolution,
            current.attention_resolution,
            previous.attention_resolution,
        ),
    ];
    for (label, now, before) in averages {
        let shown = |stats: DurationStats| match (stats.mean_min, stats.median_min) {
            (Some(mean), Some(median)) => format!(
                "{} min ({} {})",
                locale::number(mean, 1, locale),
                text.median,
                locale::number(median, 1, locale)
            ),
            _ => text.no_data.to_string(),
        };
        rows.push([
            label.to_string(),
            shown(now),
            shown(before),
            delta(now.mean_min, before.mean_min, 1, locale),
        ]);
    }
    let rate = |w: &WindowIndicators| {
        w.expired_rate
            .map(|rate| format!("{} %", locale::number(rate * 100.0, 1, locale)))
            .unwrap_or_else(|| text.no_data.to_string())
    };
    rows.push([
        text.expired_rate.to_string(),
        rate(current),
        rate(previous),
        delta(
            current.expired_rate.map(|r| r * 100.0),
            previous.expired_rate.map(|r| r * 100.0),
            1,
            locale,
        ),
    ]);

    let mut out = String::new();
    let period = &current.period;
    let _ = writeln!(out, "{} ({})", workspace.name, workspace.id);
    let _ = writeln!(
        out,
        "{}: {} → {} ({}, {})",
        text.period,
        period.from,
        period.to,
        period.timezone,
        days_label(period.days, locale)
    );
    let _ = writeln!(out);
    let widths: Vec<usize> = (0..4)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            let pad = widths[column] - cell.chars().count();
            if column == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let oldest = match &report.oldest_pending {
        Some(oldest) => format!(
            "{} ({} {})",
            oldest.id,
            text.waiting,
            locale::waiting_time(oldest.waiting_min)
        ),
        None => text.none.to_string(),
    };
    let _ = writeln!(out, "\n{}: {oldest}", text.oldest_pending);
    out
}

fn days_label(days: i64, locale: Locale) -> String {
    match (locale, days) {
        (Locale::Es, 1) => "1 día".to_string(),
        (Locale::Es, n) => format!("{n} días"),
        (Locale::En, 1) => "1 day".to_string(),
        (Locale::En, n) => format!("{n} days"),
    }
}

fn delta(now: Option<f64>, before: Option<f64>, decimals: usize, locale: Locale) -> String {
    match (now, before) {
        (Some(now), Some(before)) => locale::change(now - before, decimals, locale),
        _ => "—".to_string(),
    }
}

/// A score row; `now` and `before` are `(score, responses)`.
fn score_row(
    label: &str,
    now: (Option<f64>, u64),
    before: (Option<f64>, u64),
    text: &Labels,
    locale: Locale,
) -> [String; 4] {
    let shown = |score: Option<f64>, responses: u64| match score {
        Some(score) => format!(
            "{} ({} {})",
            locale::number(score, 1, locale),
            locale::count(responses, locale),
            text.responses
        ),
        None => text.no_data.to_string(),
    };
    [
        label.to_string(),
        shown(now.0, now.1),
        shown(before.0, before.1),
        delta(now.0, before.0, 1, locale),
    ]
}
