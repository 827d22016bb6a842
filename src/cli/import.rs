//! `pulso import` on the command line: the import with a progress bar on a terminal, a
//! plain log line every 10 s elsewhere (CI, cron, logs), and the totals at the end.
//!
//! Progress goes to stderr only: stdout carries the one summary line, so scripts that read
//! it are not disturbed by a bar.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::ImportArgs;
use crate::config::Config;
use crate::import::{self, ImportProgress};
use crate::store::Store;

/// How often a log line reports progress when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// Runs `pulso import`.
pub(super) async fn import(config: &Config, args: &ImportArgs) -> anyhow::Result<()> {
    let store = Store::open(&config.database).await?;
    let ids: Vec<&str> = config.workspaces.iter().map(|w| w.id.as_str()).collect();
    let started = Instant::now();
    let mut progress = if std::io::stderr().is_terminal() {
        Progress::bar()
    } else {
        Progress::log_lines()
    };
    let result = import::import_files(
        &store,
        &ids,
        &args.inquiries,
        args.surveys.as_deref(),
        &mut progress,
    )
    .await;
    progress.done();
    store.close().await;
    let summary = result?;
    let seconds = started.elapsed().as_secs_f64();
    let rows = summary.inquiries + summary.surveys;
    // The counts on stdout, as scripts read them; the time beside the progress.
    println!(
        "imported {} inquiries and {} survey answers",
        summary.inquiries, summary.surveys
    );
    eprintln!(
        "import: {rows} rows in {seconds:.1} s ({:.0} rows/s)",
        rows as f64 / seconds.max(1e-9)
    );
    Ok(())
}

/// How progress is shown.
enum Progress {
    /// A bar redrawn in place on a terminal.
    Bar(ProgressBar),
    /// A line every [`LOG_EVERY`].
    Lines {
        started: Instant,
        last: Instant,
        total_bytes: u64,
    },
}

impl Progress {
    fn bar() -> Progress {
        // Hidden until `started` gives the length: a bar of length 0 draws as full.
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} · {msg} · ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        Progress::Bar(bar)
    }

    fn log_lines() -> Progress {
        let now = Instant::now();
        Progress::Lines {
            started: now,
            last: now,
            total_bytes: 0,
        }
    }

    /// Clears the bar; the summary line follows on stdout.
    fn done(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

impl ImportProgress for Progress {
    fn started(&mut self, total_bytes: u64) {
        match self {
            Progress::Bar(bar) => {
                bar.set_length(total_bytes);
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(200));
            }
            Progress::Lines {
                total_bytes: total, ..
            } => *total = total_bytes,
        }
    }

    fn read(&mut self, rows: u64, bytes: u64) {
        match self {
            Progress::Bar(bar) => {
                bar.set_position(bytes);
                let seconds = bar.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!("{rows} rows · {:.0} rows/s", rows as f64 / seconds));
            }
            Progress::Lines {
                started,
                last,
                total_bytes,
            } => {
                if last.elapsed() < LOG_EVERY {
                    return;
                }
                *last = Instant::now();
                let seconds = started.elapsed().as_secs_f64().max(1e-3);
                let percent = 100.0 * bytes as f64 / (*total_bytes).max(1) as f64;
                eprintln!(
                    "import: {rows} rows read ({percent:.0} % of {} MB), {:.0} rows/s",
                    *total_bytes / 1_000_000,
                    rows as f64 / seconds
                );
            }
        }
    }

    fn finishing(&mut self) {
        self.phase("all rows read; building indexes and committing");
    }

    fn refused(&mut self) {
        self.phase("refused; looking for repeated ids to list every problem");
    }
}

impl Progress {
    /// Says what the import does now: on the bar, or as a line once the import has run
    /// long enough to have logged (a quick import prints nothing but its result).
    fn phase(&mut self, message: &'static str) {
        match self {
            Progress::Bar(bar) => bar.set_message(message),
            Progress::Lines { started, .. } => {
                if started.elapsed() >= LOG_EVERY {
                    eprintln!("import: {message}");
                }
            }
        }
    }
}
