//! The benchmark's printed table, each figure next to its target (a missed target is
//! marked, never a failure: only a wrong answer fails the run).

use std::fmt::Write as _;

use super::BenchReport;
use super::import_runs::TARGET_PEAK_RSS_BYTES;

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// `ok` or the mark of a missed target.
fn mark(met: bool) -> &'static str {
    if met { "ok" } else { "MISSED" }
}

/// The report as a table for the terminal.
pub fn print(report: &BenchReport) -> String {
    let mut out = String::new();
    let rss = |bytes: Option<u64>| bytes.map_or("n/a (not Linux)".to_string(), megabytes);
    let _ = writeln!(
        out,
        "pulso bench: {} ({})\n\
         dataset: {} inquiries + {} survey answers, {} days, {} workspaces; CSV files written in {:.1} s{}\n",
        report.backend,
        report.database,
        report.inquiries,
        report.survey_answers,
        report.days,
        report.workspaces,
        report.csv_seconds,
        report
            .csv_dir
            .as_ref()
            .map_or(String::new(), |dir| format!(", kept in {dir}")),
    );
    print_imports(&mut out, report);
    let _ = writeln!(
        out,
        "database size: {}\n\
         peak RSS of pulso bench: {} (CSV generation included); {} while answering\n\
         measured: workspace {} ({}), full indicator set (current + previous, in progress, oldest pending)\n",
        megabytes(report.database_bytes),
        rss(report.peak_rss_bytes),
        rss(report.query_peak_rss_bytes),
        report.measured_workspace,
        report.timezone,
    );
    let _ = writeln!(
        out,
        "{:>8} {:>10} {:>10} {:>10} {:>6} {:>10} {:>10} {:>11}",
        "window", "median ms", "p95 ms", "cold ms", "runs", "live ms", "resolved", "= live"
    );
    for window in &report.windows {
        let _ = writeln!(
            out,
            "{:>8} {:>10.2} {:>10.2} {:>10.1} {:>6} {:>10.1} {:>10} {:>11}",
            format!("{} d", window.days),
            window.median_ms,
            window.p95_ms,
            window.cold_ms,
            window.runs,
            window.live_median_ms,
            window.resolved_in_window,
            if window.matches_live { "yes" } else { "NO" },
        );
    }
    for answer in &report.breakdowns {
        let _ = writeln!(
            out,
            "{:>8} {:>10.2} {:>10.2} {:>10.1} {:>6} {:>10} {:>10} {:>11}   {} (target <= {:.0} ms: {})",
            format!("{} d", answer.days),
            answer.median_ms,
            answer.p95_ms,
            answer.cold_ms,
            report.windows.first().map_or(0, |w| w.runs),
            "",
            "",
            match answer.matches_live {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "",
            },
            answer.what,
            answer.target_ms,
            mark(answer.median_ms <= answer.target_ms),
        );
    }
    let rules = &report.rules;
    let _ = writeln!(
        out,
        "{:>8} {:>10.2} {:>10.2} {:>10} {:>6}   all {} alert rules, one evaluation",
        "rules", rules.median_ms, rules.p95_ms, "", rules.runs, rules.rules
    );
    let oneshot = &report.oneshot;
    let _ = writeln!(
        out,
        "\none-shot, whole processes (median of {} after 3 warm-ups; indicators: pulso {}):\n\
         \x20 --version {:.2} ms, indicators {:.2} ms end to end (target <= {:.0} ms: {})\n\
         \x20 beyond --version {:.2} ms: the answer {:.2} ms (1-day median above), start-up \
         {:.2} ms (target <= {:.0} ms: {})",
        oneshot.runs,
        oneshot.indicators_command,
        oneshot.version_median_ms,
        oneshot.indicators_median_ms,
        oneshot.target_end_to_end_ms,
        mark(oneshot.meets_end_to_end()),
        oneshot.overhead_ms,
        oneshot.answer_ms,
        oneshot.startup_ms,
        oneshot.target_overhead_ms,
        mark(oneshot.meets_startup()),
    );
    let _ = writeln!(
        out,
        "\ncold: the first answer, which builds the day aggregates it needs; live: the same \
         answer read row by row without aggregates.\n\
         = live: counts, sums, means, NPS and CSAT identical; medians and p90 within {:.2} %; \
         checked after all three imports.",
        report.percentile_error_bound * 100.0
    );
    out
}

/// The `pulso import` runs: one line each, with their targets.
fn print_imports(out: &mut String, report: &BenchReport) {
    if report.imports.is_empty() {
        let _ = writeln!(out, "pulso import: not run (--reuse)\n");
        return;
    }
    let _ = writeln!(
        out,
        "pulso import, whole process (replaces the in-process writer figure of earlier versions):"
    );
    let _ = writeln!(
        out,
        "{:>14} {:>10} {:>9} {:>8} {:>10} {:>12} {:>10} {:>7}",
        "scenario", "inquiries", "answers", "wall s", "rows/s", "target", "peak RSS", ""
    );
    for run in &report.imports {
        let _ = writeln!(
            out,
            "{:>14} {:>10} {:>9} {:>8.2} {:>10.0} {:>12} {:>10} {:>7}",
            run.scenario.as_str(),
            run.inquiries,
            run.survey_answers,
            run.wall_seconds,
            run.rows_per_second,
            format!(">= {:.0}", run.target_rows_per_second),
            run.peak_rss_bytes.map_or("n/a".to_string(), megabytes),
            mark(run.meets_targets),
        );
    }
    let _ = writeln!(
        out,
        "rows = inquiries + answers; peak RSS target <= {}. Time-ordered and upsert into {}, \
         shuffled UUID into a second empty database (removed afterwards).\n",
        megabytes(TARGET_PEAK_RSS_BYTES),
        report.database,
    );
}
