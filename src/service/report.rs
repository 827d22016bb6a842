//! Fetch and compute: reads a window's facts from the store and hands them to the pure
//! [`crate::indicators`] computations.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{Filter, GroupKey, GroupedFacts, Period, WindowFacts};
use crate::indicators::{
    Breakdown, BreakdownRequest, DailyPoint, IndicatorReport, OldestPending, WindowIndicators,
};
use crate::store::{Store, StoreError};

/// The `days` local days ending with `last_day`, oldest first, for the digest chart.
///
/// # Errors
/// Fails only when the store cannot be read.
pub async fn daily_series(
    store: &Store,
    workspace: &str,
    timezone: chrono_tz::Tz,
    last_day: NaiveDate,
    days: u32,
) -> Result<Vec<DailyPoint>, StoreError> {
    let mut points = Vec::with_capacity(days as usize);
    for offset in (0..i64::from(days)).rev() {
        let date = last_day - chrono::Duration::days(offset);
        let period = Period {
            from: date,
            to: date,
            timezone,
        };
        let samples = store.window_samples(workspace, period.window()).await?;
        let day = WindowIndicators::from_samples(&period, samples);
        points.push(DailyPoint {
            date,
            resolved: day.resolved,
            expired: day.expired,
            avg_attention_min: day.avg_attention_min,
        });
    }
    Ok(points)
}

/// Reads the facts for `period` and the period before it and assembles the report.
///
/// The store decides per local day whether a stored aggregate may be used or the day is read
/// live (see [`Store::period_facts`]); the answer is the same either way, except that medians
/// and p90 over busy stored days (see [`EXACT_DAY_LIMIT`](crate::domain::EXACT_DAY_LIMIT)) are within
/// [`MAX_RELATIVE_ERROR`](crate::domain::MAX_RELATIVE_ERROR).
///
/// # Errors
/// Fails only when the store cannot be read.
pub async fn build_report(
    store: &Store,
    workspace: &str,
    period: &Period,
    now: DateTime<Utc>,
) -> Result<IndicatorReport, StoreError> {
    build_filtered_report(store, workspace, period, now, &Filter::default()).await
}

/// [`build_report`] over the inquiries `filter` keeps (and the answers naming them).
///
/// One restricted dimension is read from that dimension's group aggregates, as fast as the
/// unfiltered report; a filter on several dimensions reads the window's rows live.
///
/// # Errors
/// Fails only when the store cannot be read.
pub async fn build_filtered_report(
    store: &Store,
    workspace: &str,
    period: &Period,
    now: DateTime<Utc>,
    filter: &Filter,
) -> Result<IndicatorReport, StoreError> {
    let previous_period = period.previous();
    let periods = [period, &previous_period];
    let facts = if filter.is_empty() {
        store.period_facts(workspace, &periods, now).await?
    } else {
        filtered_facts(store, workspace, &periods, now, filter).await?
    };
    let [current, previous] = facts
        .try_into()
        .unwrap_or_else(|_| unreachable!("one facts per period"));
    let (in_progress, oldest_pending) = if filter.is_empty() {
        let oldest = store.oldest_pending(workspace).await?;
        (store.in_progress_count(workspace).await?, oldest)
    } else {
        let groups = store.in_progress_groups(workspace, None, filter).await?;
        let oldest = store
            .open_inquiries(workspace, false, None, filter, 1)
            .await?
            .into_iter()
            .next()
            .map(|inquiry| (inquiry.id, inquiry.requested_at));
        (groups.values().sum(), oldest)
    };
    let oldest_pending = oldest_pending.map(|(id, requested_at)| OldestPending {
        id,
        requested_at,
        waiting_min: (now - requested_at).num_seconds() as f64 / 60.0,
    });
    Ok(IndicatorReport {
        workspace: workspace.to_string(),
        current: WindowIndicators::from_facts(period, current),
        in_progress,
        oldest_pending,
        previous: WindowIndicators::from_facts(&previous_period, previous),
        generated_at: now,
        filter: filter.clone(),
    })
}

/// The facts of each period for the inquiries `filter` (not empty) keeps.
async fn filtered_facts(
    store: &Store,
    workspace: &str,
    periods: &[&Period],
    now: DateTime<Utc>,
    filter: &Filter,
) -> Result<Vec<WindowFacts>, StoreError> {
    if let Some((dimension, values)) = filter.single() {
        let groups = store
            .period_groups(workspace, periods, now, dimension, values)
            .await?;
        return Ok(groups
            .iter()
            .map(|groups| groups.total(|key| kept(key, values)))
            .collect());
    }
    let mut facts = Vec::with_capacity(periods.len());
    for period in periods {
        let groups = store
            .window_groups(workspace, period.window(), None, filter)
            .await?;
        facts.push(groups.total(|_| true));
    }
    Ok(facts)
}

/// Whether a group is among the values a filter keeps.
fn kept(key: &GroupKey, values: &[String]) -> bool {
    matches!(key, GroupKey::Value(value) if values.contains(value))
}

/// The indicators of `request.period` (and the one before) per group of `request.by`.
///
/// Without a filter, or filtered only on the same dimension, the groups come from the group
/// aggregates (complete days stored, the rest live); any other filter reads the window's
/// rows live. Percentiles as in [`build_report`].
///
/// # Errors
/// Fails only when the store cannot be read.
pub async fn build_breakdown(
    store: &Store,
    request: BreakdownRequest,
) -> Result<Breakdown, StoreError> {
    let (current, previous, in_progress) = breakdown_facts(store, &request).await?;
    Ok(Breakdown::compute(request, current, previous, &in_progress))
}

/// [`build_breakdown`] as asked, and, when its top leaves groups out, the same breakdown
/// with every group (for a file of all of them): the facts are read once for both.
///
/// # Errors
/// Fails only when the store cannot be read.
pub async fn build_breakdown_and_all(
    store: &Store,
    request: BreakdownRequest,
) -> Result<(Breakdown, Option<Breakdown>), StoreError> {
    let (current, previous, in_progress) = breakdown_facts(store, &request).await?;
    let every = BreakdownRequest {
        top: None,
        ..request.clone()
    };
    let shown = Breakdown::compute(request, current.clone(), previous.clone(), &in_progress);
    let all = (shown.total_groups > shown.groups.len())
        .then(|| Breakdown::compute(every, current, previous, &in_progress));
    Ok((shown, all))
}

/// What a breakdown is computed from: the grouped facts of the period and of the one
/// before, and the groups' inquiries in progress.
type BreakdownFacts = (GroupedFacts, GroupedFacts, BTreeMap<GroupKey, u64>);

async fn breakdown_facts(
    store: &Store,
    request: &BreakdownRequest,
) -> Result<BreakdownFacts, StoreError> {
    let (workspace, by, filter) = (&request.workspace, request.by, &request.filter);
    let previous_period = request.period.previous();
    let periods = [&request.period, &previous_period];
    let other_filters = filter.restrictions().any(|(dimension, _)| dimension != by);
    let [current, previous]: [GroupedFacts; 2] = if other_filters {
        let mut both = Vec::with_capacity(2);
        for period in periods {
            let groups = store
                .window_groups(workspace, period.window(), Some(by), filter)
                .await?;
            both.push(groups);
        }
        both
    } else {
        let values = filter.values(by);
        let mut both = store
            .period_groups(workspace, &periods, request.now, by, values)
            .await?;
        if !values.is_empty() {
            for groups in &mut both {
                groups.0.retain(|key, _| kept(key, values));
            }
        }
        both
    }
    .try_into()
    .unwrap_or_else(|_| unreachable!("two periods asked"));
    let in_progress = store
        .in_progress_groups(workspace, Some(by), filter)
        .await?;
    Ok((current, previous, in_progress))
}
