//! A breakdown's CSV: every group, machine column names, for a spreadsheet or a script
//! (attached to the Discord card when it could not list every group).

use std::fmt::Write as _;

use crate::indicators::{Breakdown, BreakdownRow};

/// The CSV's file name: what, by what, which days.
pub(super) fn csv_name(breakdown: &Breakdown) -> String {
    format!(
        "breakdown-{}-{}_{}.csv",
        breakdown.by.name(),
        breakdown.period.from,
        breakdown.period.to
    )
}

/// The CSV's columns, machine names in English whatever the locale: a spreadsheet or a
/// script reads them, not a person.
pub const CSV_HEADER: &str = "key,pending,in_progress,resolved,expired,avg_attention_min,median_attention_min,avg_resolution_min,median_resolution_min,avg_attention_resolution_min,nps,nps_responses,csat,csat_responses,prev_resolved,prev_expired,prev_avg_attention_min";

/// One line per row under [`CSV_HEADER`] (RFC 4180 quoting, `.` decimals, empty for no
/// data, empty key for "unassigned").
pub fn breakdown_csv(rows: &[BreakdownRow]) -> String {
    let number = |value: Option<f64>| value.map(|v| format!("{v:.2}")).unwrap_or_default();
    let quoted = |text: &str| {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    };
    let mut out = format!("{CSV_HEADER}\n");
    for row in rows {
        let (now, before) = (&row.current, &row.previous);
        let cells = [
            quoted(row.key.0.as_deref().unwrap_or("")),
            now.pending.to_string(),
            row.in_progress.to_string(),
            now.resolved.to_string(),
            now.expired.to_string(),
            number(now.attention.mean_min),
            number(now.attention.median_min),
            number(now.resolution.mean_min),
            number(now.resolution.median_min),
            number(now.attention_resolution.mean_min),
            number(now.nps.score),
            now.nps.responses.to_string(),
            number(now.csat.score),
            now.csat.responses.to_string(),
            before.resolved.to_string(),
            before.expired.to_string(),
            number(before.attention.mean_min),
        ];
        let _ = writeln!(out, "{}", cells.join(","));
    }
    out
}
