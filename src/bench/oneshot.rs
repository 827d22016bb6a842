//! One-shot commands as whole processes: what someone typing `pulso indicators` waits for
//! (start-up, configuration, opening the database, the answer, exit), next to
//! `pulso --version`, the floor any process start costs on the machine.
//!
//! The two bounds: the whole `indicators` process for 1 day within
//! [`TARGET_END_TO_END_MS`], and its start-up within [`TARGET_OVERHEAD_MS`] beyond
//! `--version`. Start-up is what the process spends beyond `--version` and beyond the
//! answer itself, taken as the same answer's in-process median (the 1-day window above):
//! opening the database and parsing its schema, preparing statements, reading the
//! configuration, threads, exit.

use std::time::Duration;

use serde::Serialize;

use super::child;
use super::import_runs::Runner;
use super::median;
use crate::config::DatabaseUrl;

/// Untimed runs before the timed ones (page cache, the database's first open).
pub const WARM_UPS: usize = 3;

/// Timed runs of each command.
pub const RUNS: usize = 20;

/// The bound on what `indicators` may spend on start-up beyond `--version`,
/// milliseconds.
pub const TARGET_OVERHEAD_MS: f64 = 2.0;

/// The bound on the whole `indicators` process for 1 day at 10M inquiries,
/// milliseconds.
pub const TARGET_END_TO_END_MS: f64 = 6.0;

/// Both commands' timings.
#[derive(Debug, Clone, Serialize)]
pub struct OneShotResult {
    /// `pulso --version`, median of the timed runs, milliseconds.
    pub version_median_ms: f64,
    /// `pulso --config FILE indicators --workspace W --period today --format json`, median.
    pub indicators_median_ms: f64,
    /// The command line that was timed, after the executable.
    pub indicators_command: String,
    /// `indicators` minus `--version`.
    pub overhead_ms: f64,
    /// The same answer's median inside one process (the benchmark's 1-day window).
    pub answer_ms: f64,
    /// Start-up: `overhead_ms` minus `answer_ms`.
    pub startup_ms: f64,
    /// Timed runs of each (after [`WARM_UPS`]).
    pub runs: usize,
    /// [`TARGET_OVERHEAD_MS`], for `startup_ms`.
    pub target_overhead_ms: f64,
    /// [`TARGET_END_TO_END_MS`], for `indicators_median_ms`.
    pub target_end_to_end_ms: f64,
    /// Within both targets ([`OneShotResult::meets_end_to_end`] and
    /// [`OneShotResult::meets_startup`]).
    pub meets_target: bool,
}

/// Times both commands against `url` for `workspace`, interleaved so that a burst of other
/// load on the machine hits both alike; `answer_ms` is the same answer's in-process median.
///
/// # Errors
/// A command that fails.
pub async fn time(
    runner: &Runner,
    url: &DatabaseUrl,
    workspace: &str,
    answer_ms: f64,
) -> anyhow::Result<OneShotResult> {
    let arguments = [
        "indicators",
        "--workspace",
        workspace,
        "--period",
        "today",
        "--format",
        "json",
    ];
    // Once with its output kept, so a failure says why, and the answer is known to be JSON.
    let mut check = runner.command(url);
    check.args(arguments);
    let first = child::run(check, &runner.scratch, "indicators").await?;
    serde_json::from_str::<serde_json::Value>(&first.stdout)
        .map_err(|error| anyhow::anyhow!("pulso indicators printed no JSON: {error}"))?;
    let (runner, url) = (runner.clone(), url.clone());
    let arguments = arguments.map(String::from);
    let (version, indicators) = tokio::task::spawn_blocking(move || {
        let mut version = Vec::with_capacity(RUNS);
        let mut indicators = Vec::with_capacity(RUNS);
        for run in 0..WARM_UPS + RUNS {
            let a = child::time_quick(child::pulso(&runner.exe).arg("--version"))?;
            let b = child::time_quick(runner.command(&url).args(&arguments))?;
            if run >= WARM_UPS {
                version.push(a);
                indicators.push(b);
            }
        }
        anyhow::Ok((version, indicators))
    })
    .await??;
    let version_median_ms = median_ms(version);
    let indicators_median_ms = median_ms(indicators);
    let overhead_ms = indicators_median_ms - version_median_ms;
    let startup_ms = overhead_ms - answer_ms;
    let mut result = OneShotResult {
        version_median_ms,
        indicators_median_ms,
        indicators_command: format!("--config FILE {}", arguments_text(workspace)),
        overhead_ms,
        answer_ms,
        startup_ms,
        runs: RUNS,
        target_overhead_ms: TARGET_OVERHEAD_MS,
        target_end_to_end_ms: TARGET_END_TO_END_MS,
        meets_target: false,
    };
    result.meets_target = result.meets_end_to_end() && result.meets_startup();
    Ok(result)
}

impl OneShotResult {
    /// The whole `indicators` process within [`TARGET_END_TO_END_MS`].
    pub fn meets_end_to_end(&self) -> bool {
        self.indicators_median_ms <= self.target_end_to_end_ms
    }

    /// Start-up within [`TARGET_OVERHEAD_MS`] beyond `--version`.
    pub fn meets_startup(&self) -> bool {
        self.startup_ms <= self.target_overhead_ms
    }
}

fn arguments_text(workspace: &str) -> String {
    format!("indicators --workspace {workspace} --period today --format json")
}

fn median_ms(mut timings: Vec<Duration>) -> f64 {
    timings.sort();
    (median(&timings).as_secs_f64() * 1e6).round() / 1e3
}
