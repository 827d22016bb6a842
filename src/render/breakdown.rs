//! Placeholder until render-cli merges: a minimal breakdown card so the Discord commands
//! and the digest that show breakdowns build and can be tested on this branch. The full
//! renderer (from the render-cli branch) replaces this file at merge.

use crate::config::{Locale, Workspace};
use crate::indicators::{Breakdown, BreakdownRow};

use super::catalogue::t;
use super::locale;
use super::reply::{Embed, Reply};

/// A breakdown as a card: one line per group (key, resolved, expired, mean attention),
/// then the summed rest. Public so `/indicators by:` and the digest show the same card.
pub fn breakdown_card(breakdown: &Breakdown, workspace: &Workspace, locale: Locale) -> Reply {
    let line = |key: &str, row: &BreakdownRow| {
        let attention = row
            .current
            .avg_attention_min
            .map_or_else(|| "—".to_string(), |m| locale::waiting_time(m, locale));
        format!(
            "**{key}** · {} {} · {} {} · {attention}",
            locale::count(row.current.resolved, locale),
            t!(locale, "label-resolved"),
            locale::count(row.current.expired, locale),
            t!(locale, "label-expired"),
        )
    };
    let mut lines: Vec<String> = breakdown
        .groups
        .iter()
        .map(|row| line(row.key.0.as_deref().unwrap_or("—"), row))
        .collect();
    if let Some(others) = &breakdown.others {
        lines.push(line("…", others));
    }
    Reply {
        embed: Some(Embed {
            title: format!(
                "{} · {} · {}",
                t!(locale, "label-indicators-title"),
                breakdown.by.name(),
                workspace.name
            ),
            description: Some(lines.join("\n")),
            ..Embed::default()
        }),
        ..Reply::default()
    }
}
