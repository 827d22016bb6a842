//! Timing breakdowns, filters and autocomplete (issue 18's speed table) on the measured
//! database, each answer checked against the same answer read live from the rows.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{median, ms, p95, time};
use crate::config::Backend;
use crate::domain::{Dimension, Filter, Period};
use crate::indicators::{BreakdownRequest, SortBy};
use crate::service::{build_breakdown, build_filtered_report};
use crate::store::Store;

/// One timed answer kind over one window.
#[derive(Debug, Clone, Serialize)]
pub struct TimedAnswer {
    /// What was asked: `by operator`, `origin = payments` or `autocomplete`.
    pub what: String,
    /// Days in the window (ending today).
    pub days: i64,
    /// The first answer (builds the group aggregates it needs).
    pub cold_ms: f64,
    /// Median of the timed answers.
    pub median_ms: f64,
    /// 95th percentile (nearest rank).
    pub p95_ms: f64,
    /// The target for this backend, ms.
    pub target_ms: f64,
    /// Whether the answer equalled the one computed from the rows (not checked for
    /// autocomplete, whose values are checked by the tests).
    pub matches_live: Option<bool>,
}

/// Targets in ms (SQLite, PostgreSQL) for 1, 30 and 365 days.
const BY_OPERATOR_TARGETS: [(f64, f64); 3] = [(10.0, 20.0), (15.0, 30.0), (30.0, 60.0)];
const ONE_FILTER_TARGETS: [(f64, f64); 3] = [(5.0, 10.0), (10.0, 20.0), (20.0, 40.0)];
const AUTOCOMPLETE_TARGET: (f64, f64) = (20.0, 40.0);

/// Times `--by operator` and one origin filter for each period, and autocomplete once.
///
/// # Errors
/// Any store failure.
pub async fn time_breakdowns(
    store: &Store,
    workspace: &str,
    periods: &[Period],
    now: DateTime<Utc>,
    runs: usize,
) -> anyhow::Result<Vec<TimedAnswer>> {
    let pick = |(sqlite, postgres): (f64, f64)| match store.backend() {
        Backend::Sqlite => sqlite,
        Backend::Postgres => postgres,
    };
    let mut payments = Filter::default();
    payments.set(Dimension::Origin, vec!["payments".into()]);
    let mut results = Vec::new();
    for (period, targets) in periods.iter().zip(BY_OPERATOR_TARGETS) {
        let request = BreakdownRequest {
            workspace: workspace.to_string(),
            period: *period,
            by: Dimension::Operator,
            filter: Filter::default(),
            sort: SortBy::Resolved,
            top: None,
            now,
        };
        let (fast, cold, timings) = time(runs, || build_breakdown(store, request.clone())).await?;
        // The live answer: filtered on a second dimension that keeps everything, which
        // sends the read to the rows instead of the group aggregates.
        let mut everything = Filter::default();
        everything.set(Dimension::Channel, CHANNELS.map(String::from).to_vec());
        let live = build_breakdown(
            store,
            BreakdownRequest {
                filter: everything,
                ..request
            },
        )
        .await?;
        let same = fast.groups.len() == live.groups.len()
            && fast.groups.iter().zip(&live.groups).all(|(f, l)| {
                f.key == l.key
                    && super::queries::same(&f.current, &l.current)
                    && super::queries::same(&f.previous, &l.previous)
            });
        results.push(timed(
            "by operator",
            period,
            cold,
            &timings,
            pick(targets),
            Some(same),
        ));
    }
    for (period, targets) in periods.iter().zip(ONE_FILTER_TARGETS) {
        let (fast, cold, timings) = time(runs, || {
            build_filtered_report(store, workspace, period, now, &payments)
        })
        .await?;
        let mut live_filter = payments.clone();
        live_filter.set(Dimension::Channel, CHANNELS.map(String::from).to_vec());
        let live = build_filtered_report(store, workspace, period, now, &live_filter).await?;
        let same = super::queries::same(&fast.current, &live.current)
            && super::queries::same(&fast.previous, &live.previous)
            && fast.in_progress == live.in_progress;
        let what = "origin = payments";
        results.push(timed(
            what,
            period,
            cold,
            &timings,
            pick(targets),
            Some(same),
        ));
    }
    let tz = periods[0].timezone;
    let (_, cold, timings) = time(runs, || {
        store.recent_values(workspace, tz, Dimension::Operator, "op-1", 25, now)
    })
    .await?;
    let recent = &periods[0];
    let mut answer = timed(
        "autocomplete",
        recent,
        cold,
        &timings,
        pick(AUTOCOMPLETE_TARGET),
        None,
    );
    answer.days = crate::store::RECENT_VALUE_DAYS;
    results.push(answer);
    Ok(results)
}

/// The channels the benchmark's data uses.
pub const CHANNELS: [&str; 3] = ["whatsapp", "webchat", "instagram"];

fn timed(
    what: &str,
    period: &Period,
    cold: StdDuration,
    sorted: &[StdDuration],
    target_ms: f64,
    matches_live: Option<bool>,
) -> TimedAnswer {
    TimedAnswer {
        what: what.to_string(),
        days: period.days(),
        cold_ms: ms(cold),
        median_ms: ms(median(sorted)),
        p95_ms: ms(p95(sorted)),
        target_ms,
        matches_live,
    }
}
