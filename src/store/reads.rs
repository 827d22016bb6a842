//! The live reads behind the indicators: a window's samples, the in-progress count, the
//! oldest open inquiries, whether a workspace has data. The fast path over per-day
//! aggregates is in `aggregates.rs`.

use chrono::{DateTime, Utc};

use super::{Store, StoreError, query_error};
use crate::domain::{Filter, OpenInquiry, ResolvedSample, Window, WindowSamples};

impl Store {
    /// Reads the facts behind the windowed indicators of one workspace, live (exact, but it
    /// reads every row of the window: see [`Store::period_facts`] for the fast path).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn window_samples(
        &self,
        workspace: &str,
        window: Window,
    ) -> Result<WindowSamples, StoreError> {
        let (start, end) = (window.start.timestamp(), window.end.timestamp());
        crate::telemetry::timed_query("window_samples", async {
            on_backend!(self, |pool, sql| Ok(read_window!(
                &mut *pool, sql, workspace, start, end
            )))
        })
        .await
    }

    /// Inquiries an operator is attending right now.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn in_progress_count(&self, workspace: &str) -> Result<u64, StoreError> {
        on_backend!(self, |pool, sql| {
            sqlx::query_scalar::<_, i64>(sql.in_progress_now)
                .bind(workspace)
                .fetch_one(pool)
                .await
                .map(|count| count.max(0) as u64)
                .map_err(query_error("counting inquiries in progress"))
        })
    }

    /// The pending inquiry that has waited longest: its id and `requested_at`.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn oldest_pending(
        &self,
        workspace: &str,
    ) -> Result<Option<(String, DateTime<Utc>)>, StoreError> {
        let row: Option<(String, i64)> = on_backend!(self, |pool, sql| {
            sqlx::query_as(sql.oldest_pending)
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map_err(query_error("finding the oldest pending inquiry"))?
        });
        Ok(row.and_then(|(id, at)| DateTime::from_timestamp(at, 0).map(|at| (id, at))))
    }

    /// The `limit` longest-waiting pending inquiries requested in `window`, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn oldest_pending_in_window(
        &self,
        workspace: &str,
        window: Window,
        limit: u32,
    ) -> Result<Vec<OpenInquiry>, StoreError> {
        self.open_inquiries(workspace, false, Some(window), &Filter::default(), limit)
            .await
    }

    /// The `limit` inquiries in progress that were requested longest ago.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn oldest_in_progress(
        &self,
        workspace: &str,
        limit: u32,
    ) -> Result<Vec<OpenInquiry>, StoreError> {
        self.open_inquiries(workspace, true, None, &Filter::default(), limit)
            .await
    }

    /// Whether the workspace has any inquiry at all (demo data fills only empty ones).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn has_inquiries(&self, workspace: &str) -> Result<bool, StoreError> {
        on_backend!(self, |pool, sql| {
            sqlx::query_scalar::<_, i64>(sql.any_inquiry)
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map(|row| row.is_some())
                .map_err(query_error("checking for inquiries"))
        })
    }
}

/// `(id, channel, origin, operator_id, requested_at)` as both backends return it.
pub(super) type OpenRow = (String, String, String, Option<String>, i64);

pub(super) fn open_inquiry(
    (id, channel, origin, operator_id, requested_at): OpenRow,
) -> Option<OpenInquiry> {
    Some(OpenInquiry {
        id,
        channel,
        origin,
        operator_id,
        requested_at: DateTime::from_timestamp(requested_at, 0)?,
    })
}

pub(super) fn samples_from_rows(
    pending: i64,
    expired: i64,
    attention_secs: Vec<i64>,
    resolved: Vec<(Option<i64>, i64)>,
    surveys: Vec<(String, i64, i64)>,
) -> WindowSamples {
    let mut samples = WindowSamples {
        pending: pending.max(0) as u64,
        expired: expired.max(0) as u64,
        attention_secs,
        resolved: resolved
            .into_iter()
            .map(
                |(resolution_secs, attention_resolution_secs)| ResolvedSample {
                    resolution_secs,
                    attention_resolution_secs,
                },
            )
            .collect(),
        ..WindowSamples::default()
    };
    for (kind, score, count) in surveys {
        let count = count.max(0) as u64;
        match (kind.as_str(), usize::try_from(score)) {
            ("nps", Ok(score @ 0..=10)) => samples.nps_histogram[score] += count,
            ("csat", Ok(score @ 1..=5)) => samples.csat_histogram[score - 1] += count,
            // Only a platform view can hold these (import refuses them); say so, don't count.
            _ => tracing::warn!(
                kind,
                score,
                count,
                "ignoring survey answers outside the contract"
            ),
        }
    }
    samples
}
