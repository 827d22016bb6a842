//! The benchmark's printed table.

use std::fmt::Write as _;

use super::BenchReport;

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The report as a table for the terminal.
pub fn print(report: &BenchReport) -> String {
    let mut out = String::new();
    let rss = |bytes: Option<u64>| bytes.map_or("n/a (not Linux)".to_string(), megabytes);
    let _ = writeln!(
        out,
        "pulso bench: {} ({})\n\
         dataset: {} inquiries + {} survey answers, {} days, {} workspaces\n\
         build: {:.1} s wall; import writer {:.1} s = {:.0} rows/s; build CPU {} \n\
         database size: {}\n\
         peak RSS: {} whole process (data build included); {} while answering\n\
         measured: workspace {} ({}), full indicator set (current + previous, in progress, oldest pending)\n",
        report.backend,
        report.database,
        report.inquiries,
        report.survey_answers,
        report.days,
        report.workspaces,
        report.build_seconds,
        report.import_seconds,
        report.import_rows_per_second,
        match (report.build_cpu_seconds, report.build_rows_per_cpu_second) {
            (Some(cpu), Some(rate)) => format!("{cpu:.1} s = {rate:.0} rows per CPU second"),
            _ => "n/a".to_string(),
        },
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
    let rules = &report.rules;
    let _ = writeln!(
        out,
        "{:>8} {:>10.2} {:>10.2} {:>10} {:>6}   all {} alert rules, one evaluation",
        "rules", rules.median_ms, rules.p95_ms, "", rules.runs, rules.rules
    );
    let _ = writeln!(
        out,
        "\ncold: the first answer, which builds the day aggregates it needs; live: the same \
         answer read row by row without aggregates.\n\
         = live: counts, sums, means, NPS and CSAT identical; medians and p90 within {:.2} %.",
        report.percentile_error_bound * 100.0
    );
    out
}
