//! `pulso bench`: builds a large dataset and measures what issue #6 asks for.
//!
//! For one workspace it times the full indicator set (`indicators::build_report`: current and
//! previous period, in progress, oldest pending) for windows of 1, 30 and 365 days ending
//! today: the first (cold) answer, which builds day aggregates, then `runs` answers after a
//! warm-up, reported as median and p95. It also reports the writer's throughput, the database
//! size and peak RSS, and checks every answer against the live computation.

mod data;
mod report;
mod rules;

use std::path::PathBuf;
use std::time::{Duration as StdDuration, Instant};

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::config::{Backend, DatabaseUrl};
use crate::domain::{MAX_RELATIVE_ERROR, Period};
use crate::indicators::WindowIndicators;
use crate::service::build_report;
use crate::store::Store;
pub use report::print;

/// What to build and measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Inquiries in all.
    pub inquiries: u64,
    /// Days of history, ending now.
    pub days: u32,
    /// Workspaces the inquiries are spread over.
    pub workspaces: usize,
    /// `sqlite://…` or `postgres://…`; `None`: a fresh SQLite file at `path`, or in a
    /// temporary folder removed when the run ends.
    pub database: Option<String>,
    /// SQLite file to create when no `database` is given.
    pub path: Option<PathBuf>,
    /// Timed answers per window, after the warm-up.
    pub runs: usize,
    /// Random seed of the dataset.
    pub seed: u64,
    /// Measure an existing benchmark database instead of building one (import figures are
    /// then 0 and cold timings reflect aggregates already built).
    pub reuse: bool,
}

/// Timings of one window length.
#[derive(Debug, Clone, Serialize)]
pub struct WindowResult {
    /// Days in the window (ending today).
    pub days: i64,
    /// The first answer, which builds the day aggregates it needs.
    pub cold_ms: f64,
    /// Median of the timed answers.
    pub median_ms: f64,
    /// 95th percentile (nearest rank) of the timed answers.
    pub p95_ms: f64,
    /// Timed answers.
    pub runs: usize,
    /// Median of 3 answers computed live from the rows (no aggregates), for comparison.
    pub live_median_ms: f64,
    /// Inquiries resolved in the current window, to show how many rows it covers.
    pub resolved_in_window: u64,
    /// Whether every answer equalled the live computation (percentiles within the bound).
    pub matches_live: bool,
}

/// Everything the benchmark measured; written with `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The database, password redacted.
    pub database: String,
    /// Inquiries written.
    pub inquiries: u64,
    /// Survey answers written.
    pub survey_answers: u64,
    /// Days of history.
    pub days: u32,
    /// Workspaces.
    pub workspaces: usize,
    /// The workspace the windows are measured on, and its zone.
    pub measured_workspace: String,
    /// Its IANA zone.
    pub timezone: String,
    /// Wall time to generate and write the dataset.
    pub build_seconds: f64,
    /// Time spent in the import writer's calls (upserts and commit); see `data::Written`.
    pub import_seconds: f64,
    /// Rows (inquiries + answers) written per second of writer time.
    pub import_rows_per_second: f64,
    /// CPU seconds of the whole process during the build (generation included).
    pub build_cpu_seconds: Option<f64>,
    /// Rows per CPU second of the build: the throughput on an otherwise idle machine,
    /// a lower bound since generation and the database's own threads are included.
    pub build_rows_per_cpu_second: Option<f64>,
    /// Database size after the build, bytes.
    pub database_bytes: u64,
    /// VmHWM of the whole process, including the data build; `None` off Linux.
    pub peak_rss_bytes: Option<u64>,
    /// VmHWM while answering (reset through /proc/self/clear_refs just before the queries).
    pub query_peak_rss_bytes: Option<u64>,
    /// Each window length.
    pub windows: Vec<WindowResult>,
    /// One evaluation of every alert rule kind.
    pub rules: rules::RulesResult,
    /// Medians and p90 read from day aggregates are within this relative error.
    pub percentile_error_bound: f64,
    /// When the run ended.
    pub finished_at: DateTime<Utc>,
}

/// Builds the dataset and measures; `progress` gets one-line status messages.
///
/// # Errors
/// A database that cannot be created or already holds inquiries, or any store failure.
pub async fn run(options: &BenchOptions, progress: impl Fn(&str)) -> anyhow::Result<BenchReport> {
    if options.workspaces == 0 || options.inquiries == 0 || options.days == 0 {
        bail!("--inquiries, --days and --workspaces must be positive");
    }
    // Held to the end: dropping it (also on an error) removes the temporary database.
    let (url, _temporary) = database_url(options).await?;
    let store = Store::open(&url).await?;
    let (workspace, tz) = data::workspace(0);
    let existing = store.has_inquiries(&workspace).await?;
    if existing && !options.reuse {
        bail!(
            "{url} already holds benchmark inquiries; drop it, name a fresh database or pass --reuse"
        );
    }
    let now = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default();
    progress(&format!(
        "writing {} inquiries over {} days in {} workspaces into {url} …",
        options.inquiries, options.days, options.workspaces
    ));
    let step = (options.inquiries / 10).max(1);
    let written = if existing {
        progress("  reusing the existing dataset (--reuse): nothing written");
        data::Written::default()
    } else {
        data::write(
            &store,
            options.inquiries,
            options.days,
            options.workspaces,
            options.seed,
            now,
            |done| {
                if done % step < 10_000 {
                    progress(&format!("  {done} inquiries written"));
                }
            },
        )
        .await?
    };
    progress("measuring the database size …");
    let database_bytes = store.settle_and_size().await?;
    let peak_rss_bytes = rss::peak();
    rss::reset_peak();
    let mut windows = Vec::new();
    for days in [1, 30, 365] {
        progress(&format!("timing the {days}-day window …"));
        let today = now.with_timezone(&tz).date_naive();
        let period = Period::new(today - Duration::days(days - 1), today, tz)?;
        windows.push(time_window(&store, &workspace, &period, now, options.runs).await?);
    }
    progress("timing the alert rules …");
    let rules = rules::time_rules(&store, &workspace, now, options.runs).await?;
    let query_peak_rss_bytes = rss::peak();
    for window in &mut windows {
        let today = now.with_timezone(&tz).date_naive();
        let period = Period::new(today - Duration::days(window.days - 1), today, tz)?;
        compare_with_live(&store, &workspace, &period, now, window).await?;
    }
    store.close().await;
    let rows = (written.inquiries + written.surveys) as f64;
    Ok(BenchReport {
        backend: match url.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        },
        database: url.to_string(),
        inquiries: written.inquiries,
        survey_answers: written.surveys,
        days: options.days,
        workspaces: options.workspaces,
        measured_workspace: workspace,
        timezone: tz.name().to_string(),
        build_seconds: written.total.as_secs_f64(),
        import_seconds: written.writing.as_secs_f64(),
        import_rows_per_second: rows / written.writing.as_secs_f64().max(1e-9),
        build_cpu_seconds: written.cpu.map(|cpu| cpu.as_secs_f64()),
        build_rows_per_cpu_second: written.cpu.map(|cpu| rows / cpu.as_secs_f64().max(1e-9)),
        database_bytes,
        peak_rss_bytes,
        query_peak_rss_bytes,
        windows,
        rules,
        percentile_error_bound: MAX_RELATIVE_ERROR,
        finished_at: Utc::now(),
    })
}

/// The database to fill: the given URL (a PostgreSQL database is created when missing), a
/// fresh SQLite file at `--path`, or one in a temporary folder, returned with the URL: the
/// folder and its gigabytes are removed when it is dropped, since nothing can reuse it.
async fn database_url(
    options: &BenchOptions,
) -> anyhow::Result<(DatabaseUrl, Option<tempfile::TempDir>)> {
    let mut temporary = None;
    let url = match (&options.database, &options.path) {
        (Some(url), _) => url.clone(),
        (None, Some(path)) => format!("sqlite://{}", path.display()),
        (None, None) => {
            let dir = tempfile::Builder::new()
                .prefix("pulso-bench-")
                .tempdir()
                .context("creating a temporary folder for the benchmark database")?;
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            temporary = Some(dir);
            url
        }
    };
    let url = DatabaseUrl::parse(&url, true)
        .map_err(|problem| anyhow::anyhow!("--database: {problem}"))?;
    match url.backend() {
        Backend::Sqlite => {
            let path = url
                .expose()
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or_default();
            if std::path::Path::new(path).exists() && !options.reuse {
                bail!(
                    "{path} exists; the benchmark needs a fresh file (remove it or pass another --path)"
                );
            }
        }
        Backend::Postgres => Store::create_postgres_database(&url)
            .await
            .map_err(|error| anyhow::anyhow!("--database: {error}"))?,
    }
    Ok((url, temporary))
}

async fn time_window(
    store: &Store,
    workspace: &str,
    period: &Period,
    now: DateTime<Utc>,
    runs: usize,
) -> anyhow::Result<WindowResult> {
    let started = Instant::now();
    let first = build_report(store, workspace, period, now).await?;
    let cold = started.elapsed();
    for _ in 0..2 {
        build_report(store, workspace, period, now).await?;
    }
    let mut timings = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        build_report(store, workspace, period, now).await?;
        timings.push(started.elapsed());
    }
    timings.sort();
    Ok(WindowResult {
        days: period.days(),
        cold_ms: ms(cold),
        median_ms: ms(median(&timings)),
        p95_ms: ms(timings[(timings.len() * 95).div_ceil(100).max(1) - 1]),
        runs: timings.len(),
        live_median_ms: 0.0,
        resolved_in_window: first.current.resolved,
        matches_live: false,
    })
}

/// Times the live computation (the path without aggregates) and checks the fast answer.
async fn compare_with_live(
    store: &Store,
    workspace: &str,
    period: &Period,
    now: DateTime<Utc>,
    result: &mut WindowResult,
) -> anyhow::Result<()> {
    let fast = build_report(store, workspace, period, now).await?;
    let mut timings = Vec::new();
    let mut live = None;
    for _ in 0..3 {
        let started = Instant::now();
        live = Some(live_report(store, workspace, period).await?);
        timings.push(started.elapsed());
    }
    timings.sort();
    result.live_median_ms = ms(median(&timings));
    let live = live.unwrap_or_else(|| unreachable!("three runs"));
    result.matches_live =
        fast.in_progress == live.0 && same(&fast.current, &live.1) && same(&fast.previous, &live.2);
    Ok(())
}

/// What `build_report` computed before day aggregates: every row of both windows.
async fn live_report(
    store: &Store,
    workspace: &str,
    period: &Period,
) -> anyhow::Result<(u64, WindowIndicators, WindowIndicators)> {
    let previous = period.previous();
    let current = store.window_samples(workspace, period.window()).await?;
    let before = store.window_samples(workspace, previous.window()).await?;
    let in_progress = store.in_progress_count(workspace).await?;
    store.oldest_pending(workspace).await?;
    Ok((
        in_progress,
        WindowIndicators::from_samples(period, current),
        WindowIndicators::from_samples(&previous, before),
    ))
}

/// Counts, means and scores equal; medians and p90 within the stated bound.
fn same(fast: &WindowIndicators, live: &WindowIndicators) -> bool {
    let within = |a: Option<f64>, e: Option<f64>| match (a, e) {
        (Some(a), Some(e)) => (a - e).abs() <= e.abs() * MAX_RELATIVE_ERROR + 1e-9,
        _ => a == e,
    };
    let durations = [
        (&fast.attention, &live.attention),
        (&fast.resolution, &live.resolution),
        (&fast.attention_resolution, &live.attention_resolution),
    ];
    (fast.pending, fast.resolved, fast.expired) == (live.pending, live.resolved, live.expired)
        && fast.nps == live.nps
        && fast.csat == live.csat
        && durations.iter().all(|(f, l)| {
            f.samples == l.samples
                && f.mean_min == l.mean_min
                && within(f.median_min, l.median_min)
                && within(f.p90_min, l.p90_min)
        })
}

fn median(sorted: &[StdDuration]) -> StdDuration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

fn ms(duration: StdDuration) -> f64 {
    (duration.as_secs_f64() * 1e6).round() / 1e3
}

/// Peak resident set size from `/proc/self/status` (Linux).
mod rss {
    /// VmHWM in bytes: the peak RSS since start or since the last [`reset_peak`].
    pub fn peak() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }

    /// Resets VmHWM to the current RSS (Linux ≥ 4.0: writing 5 to clear_refs).
    pub fn reset_peak() {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
}
