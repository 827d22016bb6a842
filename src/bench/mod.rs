//! `pulso bench`: builds a large dataset and measures what issues #6 and #17 ask for.
//!
//! It writes the dataset as the CSV files users import (time-ordered, shuffled with UUID
//! ids, and an upsert file), times `pulso import` of each as a separate process (wall time,
//! rows per second, peak RSS), then, on the imported database and for one workspace, times
//! the full indicator set (`indicators::build_report`: current and previous period, in
//! progress, oldest pending) for windows of 1, 30 and 365 days ending today: the first
//! (cold) answer, which builds day aggregates, then `runs` answers after a warm-up,
//! reported as median and p95. It also times the alert rules and one-shot commands
//! (`pulso indicators` against `pulso --version`), reports the database size and peak RSS,
//! and checks every answer against the live computation.

mod breakdowns;
mod child;
mod csv_files;
mod csv_lines;
mod data;
mod import_runs;
mod oneshot;
mod queries;
mod report;
mod rules;

use std::path::{Path, PathBuf};
use std::time::{Duration as StdDuration, Instant};

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::config::{Backend, DatabaseUrl};
use crate::domain::{MAX_RELATIVE_ERROR, Period};
use crate::store::Store;
pub use import_runs::{ImportRun, Scenario};
pub use oneshot::OneShotResult;
pub use queries::WindowResult;
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
    /// Folder to write the CSV files into and keep; `None`: a temporary folder next to the
    /// database, removed when the run ends.
    pub csv_dir: Option<PathBuf>,
    /// Timed answers per window, after the warm-up.
    pub runs: usize,
    /// Random seed of the dataset.
    pub seed: u64,
    /// Measure an existing benchmark database instead of building one (no files are
    /// written or imported then, and cold timings reflect aggregates already built).
    pub reuse: bool,
}

/// Everything the benchmark measured; written with `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The database, password redacted.
    pub database: String,
    /// Inquiries in the dataset (the time-ordered file; 0 with `--reuse`).
    pub inquiries: u64,
    /// Survey answers in the dataset.
    pub survey_answers: u64,
    /// Days of history.
    pub days: u32,
    /// Workspaces.
    pub workspaces: usize,
    /// The workspace the windows are measured on, and its zone.
    pub measured_workspace: String,
    /// Its IANA zone.
    pub timezone: String,
    /// Wall time to generate and write all the CSV files (0 with `--reuse`).
    pub csv_seconds: f64,
    /// Where the CSV files were kept (`--csv-dir`); `None`: removed.
    pub csv_dir: Option<String>,
    /// Each `pulso import` run, in order: time-ordered, shuffled UUID, upsert. They
    /// replace the in-process writer figure of earlier versions, which did not read CSV.
    pub imports: Vec<ImportRun>,
    /// Database size after the imports, bytes.
    pub database_bytes: u64,
    /// VmHWM of the benchmark process itself (CSV generation included, imports not: they
    /// are children with their own figure); `None` off Linux.
    pub peak_rss_bytes: Option<u64>,
    /// VmHWM while answering (reset through /proc/self/clear_refs just before the queries).
    pub query_peak_rss_bytes: Option<u64>,
    /// Each window length.
    pub windows: Vec<WindowResult>,
    /// `--by operator`, one filter and autocomplete (issue 18's speed table).
    pub breakdowns: Vec<breakdowns::TimedAnswer>,
    /// One evaluation of every alert rule kind.
    pub rules: rules::RulesResult,
    /// One-shot commands as whole processes.
    pub oneshot: OneShotResult,
    /// Medians and p90 read from day aggregates are within this relative error.
    pub percentile_error_bound: f64,
    /// When the run ended.
    pub finished_at: DateTime<Utc>,
}

/// Builds the dataset, imports it and measures; `progress` gets one-line status messages.
///
/// # Errors
/// A database that cannot be created or already holds inquiries, a failed import, or any
/// store failure.
pub async fn run(options: &BenchOptions, progress: impl Fn(&str)) -> anyhow::Result<BenchReport> {
    if options.workspaces == 0 || options.inquiries == 0 || options.days == 0 {
        bail!("--inquiries, --days and --workspaces must be positive");
    }
    // Held to the end: dropping them (also on an error) removes the temporary database,
    // files and folders.
    let (url, temporary) = database_url(options).await?;
    let (scratch, _scratch_dir) = scratch_dir(&url, temporary.as_ref())?;
    let (workspace, tz) = data::workspace(0);
    let store = Store::open(&url).await?;
    let existing = store.has_inquiries(&workspace).await;
    store.close().await;
    if existing? && !options.reuse {
        bail!(
            "{url} already holds benchmark inquiries; drop it, name a fresh database or pass --reuse"
        );
    }
    let now = DateTime::from_timestamp(Utc::now().timestamp(), 0).unwrap_or_default();
    let shape = data::Shape {
        inquiries: options.inquiries,
        days: options.days,
        workspaces: options.workspaces,
        seed: options.seed,
        now,
    };
    let runner = import_runs::Runner {
        exe: child::pulso_exe()?,
        config: scratch.join("bench.toml"),
        scratch: scratch.clone(),
    };
    std::fs::write(
        &runner.config,
        import_runs::config_toml(&url, options.workspaces),
    )
    .context("writing the benchmark's configuration")?;
    let csv_dir = options.csv_dir.clone().unwrap_or_else(|| scratch.clone());
    progress(&format!(
        "writing {} inquiries over {} days in {} workspaces as CSV files in {} …",
        options.inquiries,
        options.days,
        options.workspaces,
        csv_dir.display()
    ));
    let started = Instant::now();
    let mut imports = Vec::new();
    let files = if options.reuse {
        progress("  reusing the existing dataset (--reuse): nothing written or imported");
        None
    } else {
        std::fs::create_dir_all(&csv_dir)
            .with_context(|| format!("creating {}", csv_dir.display()))?;
        Some(csv_files::write(&csv_dir, &shape, &progress).await?)
    };
    let csv_seconds = started.elapsed().as_secs_f64();
    if let Some(files) = &files {
        progress(&format!("pulso import: time-ordered files into {url} …"));
        imports.push(
            runner
                .import(Scenario::TimeOrdered, &url, &files.ordered)
                .await?,
        );
        progress("pulso import: shuffled files (UUID ids) into a second, empty database …");
        imports.push(runner.import_shuffled(&url, &files.shuffled).await?);
        progress(&format!("pulso import: upsert files into {url} …"));
        imports.push(runner.import(Scenario::Upsert, &url, &files.upsert).await?);
        if options.csv_dir.is_none() {
            files.remove();
        }
    }
    let store = Store::open(&url).await?;
    progress("measuring the database size …");
    let database_bytes = store.settle_and_size().await?;
    let peak_rss_bytes = rss::peak();
    rss::reset_peak();
    let today = now.with_timezone(&tz).date_naive();
    let periods = [1, 30, 365]
        .into_iter()
        .map(|days| Period::new(today - Duration::days(days - 1), today, tz))
        .collect::<Result<Vec<_>, _>>()?;
    let mut windows = Vec::new();
    for period in &periods {
        progress(&format!("timing the {}-day window …", period.days()));
        windows.push(queries::time_window(&store, &workspace, period, now, options.runs).await?);
    }
    progress("timing breakdowns, filters and autocomplete …");
    let breakdowns =
        breakdowns::time_breakdowns(&store, &workspace, &periods, now, options.runs).await?;
    progress("timing the alert rules …");
    let rules = rules::time_rules(&store, &workspace, now, options.runs).await?;
    let query_peak_rss_bytes = rss::peak();
    for (window, period) in windows.iter_mut().zip(&periods) {
        queries::compare_with_live(&store, &workspace, period, now, window).await?;
    }
    store.close().await;
    progress("timing one-shot commands (pulso --version, pulso indicators) …");
    let one_day_ms = windows.first().map_or(0.0, |window| window.median_ms);
    let oneshot = oneshot::time(&runner, &url, &workspace, one_day_ms).await?;
    let ordered = files.as_ref().map(|files| &files.ordered);
    Ok(BenchReport {
        backend: match url.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        },
        database: url.to_string(),
        inquiries: ordered.map_or(0, |pair| pair.inquiry_rows),
        survey_answers: ordered.map_or(0, |pair| pair.survey_rows),
        days: options.days,
        workspaces: options.workspaces,
        measured_workspace: workspace,
        timezone: tz.name().to_string(),
        csv_seconds,
        csv_dir: options
            .csv_dir
            .as_ref()
            .map(|dir| dir.display().to_string()),
        imports,
        database_bytes,
        peak_rss_bytes,
        query_peak_rss_bytes,
        windows,
        breakdowns,
        rules,
        oneshot,
        percentile_error_bound: MAX_RELATIVE_ERROR,
        finished_at: Utc::now(),
    })
}

/// A folder for the files of one run (configuration, children's output, the shuffled
/// SQLite database, CSV files unless `--csv-dir`): the temporary database's own folder, or
/// a new temporary one next to the SQLite file (same disk) or in the system's temporary
/// folder (PostgreSQL), returned with it so it is removed when dropped.
fn scratch_dir(
    url: &DatabaseUrl,
    temporary: Option<&tempfile::TempDir>,
) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    if let Some(dir) = temporary {
        return Ok((dir.path().to_path_buf(), None));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix("pulso-bench-");
    let dir = match sqlite_path(url) {
        Some(path) => {
            let parent = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty());
            builder.tempdir_in(parent.unwrap_or(Path::new(".")))
        }
        None => builder.tempdir(),
    }
    .context("creating a temporary folder for the benchmark's files")?;
    Ok((dir.path().to_path_buf(), Some(dir)))
}

/// The file a SQLite URL names; `None` for PostgreSQL.
fn sqlite_path(url: &DatabaseUrl) -> Option<&str> {
    (url.backend() == Backend::Sqlite).then(|| {
        let path = url
            .expose()
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        path.split('?').next().unwrap_or_default()
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
            let path = sqlite_path(&url).unwrap_or_default();
            if Path::new(path).exists() && !options.reuse {
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

/// Times one kind of answer as every figure of the benchmark is timed: the first (cold)
/// answer, two warm-ups, then `runs` timed answers, sorted. Returns the first answer too.
async fn time<T, F, Fut>(
    runs: usize,
    answer: F,
) -> anyhow::Result<(T, StdDuration, Vec<StdDuration>)>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::store::StoreError>>,
{
    let started = Instant::now();
    let first = answer().await?;
    let cold = started.elapsed();
    for _ in 0..2 {
        answer().await?;
    }
    let mut timings = Vec::with_capacity(runs.max(1));
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        answer().await?;
        timings.push(started.elapsed());
    }
    timings.sort();
    Ok((first, cold, timings))
}

/// The 95th percentile (nearest rank) of sorted timings.
fn p95(sorted: &[StdDuration]) -> StdDuration {
    sorted[(sorted.len() * 95).div_ceil(100).max(1) - 1]
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
