//! Timing the indicator set on the measured database, and checking each answer against the
//! live row-by-row computation.

use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{median, ms, p95, time};
use crate::domain::{MAX_RELATIVE_ERROR, Period};
use crate::indicators::WindowIndicators;
use crate::service::build_report;
use crate::store::Store;

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

/// Times one window: a cold answer, 2 warm-ups, then `runs` timed answers.
///
/// # Errors
/// Any store failure.
pub async fn time_window(
    store: &Store,
    workspace: &str,
    period: &Period,
    now: DateTime<Utc>,
    runs: usize,
) -> anyhow::Result<WindowResult> {
    let (first, cold, timings) = time(runs, || build_report(store, workspace, period, now)).await?;
    Ok(WindowResult {
        days: period.days(),
        cold_ms: ms(cold),
        median_ms: ms(median(&timings)),
        p95_ms: ms(p95(&timings)),
        runs: timings.len(),
        live_median_ms: 0.0,
        resolved_in_window: first.current.resolved,
        matches_live: false,
    })
}

/// Times the live computation (the path without aggregates) and checks the fast answer.
///
/// # Errors
/// Any store failure.
pub async fn compare_with_live(
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
pub(super) fn same(fast: &WindowIndicators, live: &WindowIndicators) -> bool {
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
