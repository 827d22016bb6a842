//! Fetch and compute: reads a window's facts from the store and hands them to the pure
//! [`crate::indicators`] computations.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::Period;
use crate::indicators::{DailyPoint, IndicatorReport, OldestPending, WindowIndicators};
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
    let previous_period = period.previous();
    let [current, previous] = store
        .period_facts(workspace, &[period, &previous_period], now)
        .await?
        .try_into()
        .unwrap_or_else(|_| unreachable!("one facts per period"));
    let in_progress = store.in_progress_count(workspace).await?;
    let oldest_pending = store
        .oldest_pending(workspace)
        .await?
        .map(|(id, requested_at)| OldestPending {
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
    })
}
