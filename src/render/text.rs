//! The terminal table of `pulso indicators`.

use std::fmt::Write as _;

use crate::config::{Locale, Workspace};
use crate::indicators::{DurationStats, IndicatorReport, WindowIndicators};

use super::catalogue::t;
use super::locale;
use super::locale::counted;

/// Reads one count out of a period's indicators.
type CountOf = fn(&WindowIndicators) -> u64;

/// Renders a report as an aligned table: each indicator, the previous period, the change.
pub fn indicators_text(report: &IndicatorReport, workspace: &Workspace) -> String {
    let locale = workspace.locale;
    let (current, previous) = (&report.current, &report.previous);
    let mut rows: Vec<[String; 4]> = vec![[
        String::new(),
        t!(locale, "label-current"),
        t!(locale, "label-previous"),
        t!(locale, "label-change"),
    ]];
    let nps = |w: &WindowIndicators| (w.nps.score, w.nps.responses);
    let csat = |w: &WindowIndicators| (w.csat.score, w.csat.responses);
    rows.push(score_row(
        t!(locale, "label-nps"),
        nps(current),
        nps(previous),
        locale,
    ));
    rows.push(score_row(
        t!(locale, "label-csat"),
        csat(current),
        csat(previous),
        locale,
    ));
    let counts: [(String, CountOf); 3] = [
        (t!(locale, "label-pending"), |w| w.pending),
        (t!(locale, "label-resolved"), |w| w.resolved),
        (t!(locale, "label-expired"), |w| w.expired),
    ];
    for (index, (label, value)) in counts.into_iter().enumerate() {
        rows.push([
            label,
            locale::count(value(current), locale),
            locale::count(value(previous), locale),
            locale::change(value(current) as f64 - value(previous) as f64, 0, locale),
        ]);
        if index == 0 {
            rows.push([
                t!(locale, "label-in-progress"),
                locale::count(report.in_progress, locale),
                format!("({})", t!(locale, "label-now")),
                String::new(),
            ]);
        }
    }
    let averages = [
        (
            t!(locale, "label-avg-attention"),
            current.attention,
            previous.attention,
        ),
        (
            t!(locale, "label-avg-resolution"),
            current.resolution,
            previous.resolution,
        ),
        (
            t!(locale, "label-avg-attention-resolution"),
            current.attention_resolution,
            previous.attention_resolution,
        ),
    ];
    for (label, now, before) in averages {
        let shown = |stats: DurationStats| match (stats.mean_min, stats.median_min) {
            (Some(mean), Some(median)) => format!(
                "{} ({} {})",
                counted(locale, "count-minutes", mean, 1),
                t!(locale, "label-median"),
                locale::number(median, 1, locale)
            ),
            _ => t!(locale, "label-no-data"),
        };
        rows.push([
            label,
            shown(now),
            shown(before),
            delta(now.mean_min, before.mean_min, 1, locale),
        ]);
    }
    let rate = |w: &WindowIndicators| {
        w.expired_rate
            .map(|rate| format!("{} %", locale::number(rate * 100.0, 1, locale)))
            .unwrap_or_else(|| t!(locale, "label-no-data"))
    };
    rows.push([
        t!(locale, "label-expired-rate"),
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
        t!(locale, "label-period"),
        period.from,
        period.to,
        period.timezone,
        counted(locale, "count-days", period.days as f64, 0)
    );
    if let Some(line) = super::filter::filter_line(&report.filter, locale) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    let aligns = [Align::Left, Align::Right, Align::Right, Align::Right];
    for line in table(&rows, &aligns) {
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let oldest = match &report.oldest_pending {
        Some(oldest) => format!(
            "{} ({} {})",
            oldest.id,
            t!(locale, "label-waiting"),
            locale::waiting_time(oldest.waiting_min, locale)
        ),
        None => t!(locale, "label-none"),
    };
    let _ = writeln!(out, "\n{}: {oldest}", t!(locale, "label-oldest-pending"));
    out
}

fn delta(now: Option<f64>, before: Option<f64>, decimals: usize, locale: Locale) -> String {
    match (now, before) {
        (Some(now), Some(before)) => locale::change(now - before, decimals, locale),
        _ => "—".to_string(),
    }
}

/// A score row; `now` and `before` are `(score, responses)`.
fn score_row(
    label: String,
    now: (Option<f64>, u64),
    before: (Option<f64>, u64),
    locale: Locale,
) -> [String; 4] {
    let shown = |score: Option<f64>, responses: u64| match score {
        Some(score) => format!(
            "{} ({})",
            locale::number(score, 1, locale),
            counted(locale, "count-responses", responses as f64, 0)
        ),
        None => t!(locale, "label-no-data"),
    };
    [
        label,
        shown(now.0, now.1),
        shown(before.0, before.1),
        delta(now.0, before.0, 1, locale),
    ]
}

/// How a cell lines up in its column.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    /// Padded on the right (names).
    Left,
    /// Padded on the left (figures).
    Right,
}

/// Pads every cell to its column's width (in characters), two spaces between columns, so
/// every line has the same width.
pub(super) fn table<Row: AsRef<[String]>>(rows: &[Row], aligns: &[Align]) -> Vec<String> {
    let widths: Vec<usize> = (0..aligns.len())
        .map(|column| {
            rows.iter()
                .map(|row| row.as_ref()[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let cells: Vec<String> = row
                .as_ref()
                .iter()
                .zip(&widths)
                .zip(aligns)
                .map(|((cell, width), align)| {
                    let pad = " ".repeat(width - cell.chars().count());
                    match align {
                        Align::Left => format!("{cell}{pad}"),
                        Align::Right => format!("{pad}{cell}"),
                    }
                })
                .collect();
            cells.join("  ")
        })
        .collect()
}
