//! Breakdowns (indicators per operator, origin or channel) → a Discord card with monospace
//! tables and a CSV of every group ([`super::breakdown_csv`]), or an aligned terminal table.
//!
//! Discord shows the first [`DISCORD_ROWS`] groups plus "others": a longer table would not
//! fit an embed, so every group travels in a CSV attached the way the digest attaches its
//! chart (file name and bytes next to the reply).

use std::fmt::Write as _;

use crate::chars::truncate;
use crate::config::{Locale, Workspace};
use crate::domain::Dimension;
use crate::indicators::{Breakdown, BreakdownRow, DurationStats, SortBy};

use super::breakdown_csv::{breakdown_csv, csv_name};
use super::cards::{ACCENT, period_line};
use super::catalogue::t;
use super::filter::{dimension_name, filter_line};
use super::locale;
use super::reply::{Embed, Field, Reply};
use super::text::{Align, table};

/// Groups a Discord card lists before "others"; the service is asked for this top.
pub const DISCORD_ROWS: usize = 10;

/// Longest key in a Discord table: keys are free text up to 100 characters, and a table
/// wider than a phone screen wraps into noise.
const DISCORD_KEY_CHARS: usize = 14;

/// Header of the change columns (a symbol, the same in every locale).
const CHANGE: &str = "Δ";

/// A breakdown for Discord: the card, and a CSV of every group when the card could not
/// list them all. The CSV is `(file name, bytes)`, as the digest's chart and the outbox's
/// attachment are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakdownCard {
    /// The embed with the tables.
    pub reply: Reply,
    /// `breakdown-<by>-<from>_<to>.csv` with one row per group.
    pub csv: Option<(String, Vec<u8>)>,
}

fn dimension_header(dimension: Dimension, locale: Locale) -> String {
    match dimension {
        Dimension::Operator => t!(locale, "breakdown-col-operator"),
        Dimension::Origin => t!(locale, "breakdown-col-origin"),
        Dimension::Channel => t!(locale, "breakdown-col-channel"),
    }
}

fn sort_name(sort: SortBy, locale: Locale) -> String {
    match sort {
        SortBy::Resolved => t!(locale, "sort-resolved"),
        SortBy::Expired => t!(locale, "sort-expired"),
        SortBy::Attention => t!(locale, "sort-attention"),
        SortBy::Resolution => t!(locale, "sort-resolution"),
        SortBy::Csat => t!(locale, "sort-csat"),
        SortBy::Nps => t!(locale, "sort-nps"),
    }
}

/// A row's key as shown: the value, "unassigned", or "others (n)" for the summed rest.
fn key(row: &BreakdownRow, others: Option<usize>, locale: Locale) -> String {
    match (others, &row.key.0) {
        (Some(count), _) => t!(locale, "breakdown-others", count = count.to_string()),
        (None, Some(value)) => value.clone(),
        (None, None) => t!(locale, "breakdown-unassigned"),
    }
}

/// `12,5 (10,0)`: mean minutes and median, or "—".
fn minutes(stats: DurationStats, locale: Locale) -> String {
    match (stats.mean_min, stats.median_min) {
        (Some(mean), Some(median)) => format!(
            "{} ({})",
            locale::number(mean, 1, locale),
            locale::number(median, 1, locale)
        ),
        _ => "—".to_string(),
    }
}

/// `42,0 (12)`: score and responses, or "—".
fn score(score: Option<f64>, responses: u64, locale: Locale) -> String {
    match score {
        Some(score) => format!(
            "{} ({})",
            locale::number(score, 1, locale),
            locale::count(responses, locale)
        ),
        None => "—".to_string(),
    }
}

fn change(now: Option<f64>, before: Option<f64>, decimals: usize, locale: Locale) -> String {
    match (now, before) {
        (Some(now), Some(before)) => locale::change(now - before, decimals, locale),
        _ => "—".to_string(),
    }
}

/// Every column, named: the text table shows them all, each Discord table a part.
struct Cells {
    key: String,
    pending: String,
    in_progress: String,
    resolved: String,
    resolved_change: String,
    expired: String,
    expired_change: String,
    attention: String,
    attention_change: String,
    resolution: String,
    nps: String,
    csat: String,
}

impl Cells {
    fn header(by: Dimension, locale: Locale) -> Cells {
        Cells {
            key: dimension_header(by, locale),
            pending: t!(locale, "breakdown-col-pending"),
            in_progress: t!(locale, "breakdown-col-in-progress"),
            resolved: t!(locale, "breakdown-col-resolved"),
            resolved_change: CHANGE.into(),
            expired: t!(locale, "breakdown-col-expired"),
            expired_change: CHANGE.into(),
            attention: t!(locale, "breakdown-col-attention"),
            attention_change: CHANGE.into(),
            resolution: t!(locale, "breakdown-col-resolution"),
            nps: t!(locale, "breakdown-col-nps"),
            csat: t!(locale, "breakdown-col-csat"),
        }
    }

    fn of(row: &BreakdownRow, key: String, locale: Locale) -> Cells {
        let (now, before) = (&row.current, &row.previous);
        let counted =
            |now: u64, before: u64| change(Some(now as f64), Some(before as f64), 0, locale);
        Cells {
            key,
            pending: locale::count(now.pending, locale),
            in_progress: locale::count(row.in_progress, locale),
            resolved: locale::count(now.resolved, locale),
            resolved_change: counted(now.resolved, before.resolved),
            expired: locale::count(now.expired, locale),
            expired_change: counted(now.expired, before.expired),
            attention: minutes(now.attention, locale),
            attention_change: change(now.avg_attention_min, before.avg_attention_min, 1, locale),
            resolution: minutes(now.resolution, locale),
            nps: score(now.nps.score, now.nps.responses, locale),
            csat: score(now.csat.score, now.csat.responses, locale),
        }
    }
}

/// The header and every row's cells (the shown groups, then "others"); `key_chars` cuts
/// long keys.
fn cells(breakdown: &Breakdown, locale: Locale, key_chars: Option<usize>) -> Vec<Cells> {
    let cut = |text: String| key_chars.map_or(text.clone(), |max| truncate(&text, max));
    let rest = breakdown
        .total_groups
        .saturating_sub(breakdown.groups.len());
    let rows = breakdown.groups.iter().map(|row| (row, None));
    let others = breakdown.others.iter().map(|row| (row, Some(rest)));
    std::iter::once(Cells::header(breakdown.by, locale))
        .chain(
            rows.chain(others)
                .map(|(row, others)| Cells::of(row, cut(key(row, others, locale)), locale)),
        )
        .collect()
}

fn title(breakdown: &Breakdown, locale: Locale) -> String {
    let range = super::cards::date_range(&breakdown.period, locale);
    t!(
        locale,
        "breakdown-title",
        dimension = dimension_name(breakdown.by, locale),
        period = range
    )
}

fn footer(breakdown: &Breakdown, locale: Locale) -> String {
    format!(
        "{CHANGE} {} · {}",
        t!(locale, "label-versus"),
        t!(
            locale,
            "breakdown-sorted",
            order = sort_name(breakdown.sort, locale)
        )
    )
}

/// A table in a Discord code block; backticks in keys would end the block early.
fn code_block(lines: Vec<String>) -> String {
    format!("```\n{}\n```", lines.join("\n").replace('`', "'"))
}

/// The Discord card of `shown` (asked with `top = DISCORD_ROWS`), and when `all` (the same
/// breakdown without a top) has more groups than the card lists, a CSV of all of them.
pub fn breakdown_card(
    shown: &Breakdown,
    all: Option<&Breakdown>,
    workspace: &Workspace,
    locale: Locale,
) -> BreakdownCard {
    let mut description = vec![format!(
        "{} · {}",
        workspace.name,
        period_line(&shown.period, locale)
    )];
    description.extend(filter_line(&shown.filter, locale));
    let csv = all
        .filter(|all| all.groups.len() > shown.groups.len())
        .map(|all| (csv_name(all), breakdown_csv(&all.groups).into_bytes()));
    if csv.is_some() {
        description.push(t!(
            locale,
            "breakdown-shown",
            shown = shown.groups.len().to_string(),
            total = shown.total_groups.to_string()
        ));
    }
    let mut fields = Vec::new();
    if shown.groups.is_empty() {
        description.push(t!(locale, "breakdown-empty"));
    } else {
        let rows = cells(shown, locale, Some(DISCORD_KEY_CHARS));
        let (l, r) = (Align::Left, Align::Right);
        let volume: Vec<Vec<String>> = rows
            .iter()
            .map(|c| {
                let cells = [&c.key, &c.resolved, &c.resolved_change, &c.expired];
                let more = [&c.pending, &c.in_progress];
                cells.into_iter().chain(more).cloned().collect()
            })
            .collect();
        let times: Vec<Vec<String>> = rows
            .iter()
            .map(|c| {
                vec![
                    c.key.clone(),
                    c.attention.clone(),
                    c.attention_change.clone(),
                    c.resolution.clone(),
                ]
            })
            .collect();
        let scores: Vec<Vec<String>> = rows
            .iter()
            .map(|c| vec![c.key.clone(), c.nps.clone(), c.csat.clone()])
            .collect();
        for (name, rows, aligns) in [
            (
                t!(locale, "breakdown-volume"),
                volume,
                &[l, r, r, r, r, r][..],
            ),
            (t!(locale, "breakdown-times"), times, &[l, r, r, r][..]),
            (t!(locale, "breakdown-scores"), scores, &[l, r, r][..]),
        ] {
            fields.push(Field {
                name,
                value: code_block(table(&rows, aligns)),
                inline: false,
            });
        }
    }
    let reply = Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: title(shown, locale),
            description: Some(description.join("\n")),
            fields,
            footer: Some(footer(shown, locale)),
            color: Some(ACCENT),
            image: None,
        }),
        links: Vec::new(),
        actions: Vec::new(),
        attachment: None,
    };
    BreakdownCard { reply, csv }
}

/// The terminal table of `pulso indicators --by …`: every column, every row given (all
/// groups, or the top and "others"), aligned, without markdown.
pub fn breakdown_text(breakdown: &Breakdown, workspace: &Workspace) -> String {
    let locale = workspace.locale;
    let mut out = String::new();
    let _ = writeln!(out, "{}", title(breakdown, locale));
    let _ = writeln!(
        out,
        "{} ({}) · {}",
        workspace.name,
        workspace.id,
        period_line(&breakdown.period, locale)
    );
    if let Some(line) = filter_line(&breakdown.filter, locale) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
    if breakdown.groups.is_empty() {
        let _ = writeln!(out, "{}", t!(locale, "breakdown-empty"));
        return out;
    }
    let rows: Vec<Vec<String>> = cells(breakdown, locale, None)
        .into_iter()
        .map(|c| {
            vec![
                c.key,
                c.pending,
                c.in_progress,
                c.resolved,
                c.resolved_change,
                c.expired,
                c.expired_change,
                c.attention,
                c.attention_change,
                c.resolution,
                c.nps,
                c.csat,
            ]
        })
        .collect();
    let mut aligns = vec![Align::Right; 12];
    aligns[0] = Align::Left;
    let lines = table(&rows, &aligns);
    let width = lines[0].chars().count();
    for (index, line) in lines.iter().enumerate() {
        let _ = writeln!(out, "{line}");
        if index == 0 {
            let _ = writeln!(out, "{}", "-".repeat(width));
        }
    }
    let _ = writeln!(out, "\n{}", footer(breakdown, locale));
    out
}

#[cfg(test)]
#[path = "breakdown_tests.rs"]
mod tests;
