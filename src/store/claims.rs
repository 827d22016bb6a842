//! SQL for scheduled digests: each occurrence's claim (queued with its message in one
//! transaction, so it is posted once whatever the number of replicas) and the per-schedule
//! cursors that notice downtime.

use super::outbox::{INSERT_OUTBOX, bind_message};
use super::{NewMessage, Store, StoreError, query_error};
use sqlx::Connection;

/// Identifies one scheduled digest occurrence: the claim key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestClaim {
    /// Workspace.
    pub workspace: String,
    /// The schedule as configured (a changed schedule is a different series).
    pub schedule: String,
    /// The occurrence instant, epoch seconds.
    pub occurrence: i64,
}

/// What happened to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DigestRun {
    /// Occurrence instant, epoch seconds.
    pub occurrence: i64,
    /// `claimed` or `skipped`.
    pub outcome: String,
    /// 1 when it was posted after its time (within grace).
    pub late: i64,
}

const INSERT_RUN: &str = "INSERT INTO digest_runs (workspace, schedule, occurrence, outcome, late, decided_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace, schedule, occurrence) DO NOTHING RETURNING occurrence";
const LINK_RUN: &str = "UPDATE digest_runs SET outbox_id = $4 WHERE workspace = $1 AND schedule = $2 AND occurrence = $3";
impl Store {
    /// Claims a digest occurrence and queues its message in one transaction. Returns `false`
    /// (writing nothing) when the occurrence was already claimed or skipped, by this or any
    /// other replica.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing is written then.
    pub async fn claim_digest(
        &self,
        claim: &DigestClaim,
        late: bool,
        message: &NewMessage,
        now: i64,
    ) -> Result<bool, StoreError> {
        let (insert_run, insert_outbox, link) = (
            self.text(INSERT_RUN),
            self.text(INSERT_OUTBOX),
            self.text(LINK_RUN),
        );
        let claim_error = query_error("claiming a digest");
        on_backend!(self, |pool, _sql| {
            let mut tx = pool
                .begin()
                .await
                .map_err(query_error("starting a claim"))?;
            let claimed: Option<i64> = sqlx::query_scalar(&insert_run)
                .bind(&claim.workspace)
                .bind(&claim.schedule)
                .bind(claim.occurrence)
                .bind("claimed")
                .bind(i64::from(late))
                .bind(now)
                .fetch_optional(&mut *tx)
                .await
                .map_err(claim_error)?;
            if claimed.is_none() {
                return Ok(false);
            }
            let outbox_id: Option<i64> =
                bind_message(sqlx::query_scalar(&insert_outbox), message, now)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(query_error("queueing a digest"))?;
            sqlx::query(&link)
                .bind(&claim.workspace)
                .bind(&claim.schedule)
                .bind(claim.occurrence)
                .bind(outbox_id)
                .execute(&mut *tx)
                .await
                .map_err(query_error("linking a digest to its message"))?;
            tx.commit()
                .await
                .map_err(query_error("committing a claim"))?;
            Ok(true)
        })
    }

    /// Records an occurrence missed beyond its grace period; `false` if it was already decided.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn record_skipped(&self, claim: &DigestClaim, now: i64) -> Result<bool, StoreError> {
        let sql = self.text(INSERT_RUN);
        on_backend!(self, |pool, _sql| {
            sqlx::query_scalar::<_, i64>(&sql)
                .bind(&claim.workspace)
                .bind(&claim.schedule)
                .bind(claim.occurrence)
                .bind("skipped")
                .bind(0_i64)
                .bind(now)
                .fetch_optional(pool)
                .await
                .map(|row| row.is_some())
                .map_err(query_error("recording a skipped digest"))
        })
    }

    /// Whether an occurrence was already claimed or skipped (by any replica): lets a tick skip
    /// building a digest another replica already posts.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn digest_decided(&self, claim: &DigestClaim) -> Result<bool, StoreError> {
        let sql = self.text(
            "SELECT occurrence FROM digest_runs WHERE workspace = $1 AND schedule = $2 AND occurrence = $3",
        );
        on_backend!(self, |pool, _sql| {
            sqlx::query_scalar::<_, i64>(&sql)
                .bind(&claim.workspace)
                .bind(&claim.schedule)
                .bind(claim.occurrence)
                .fetch_optional(pool)
                .await
                .map(|row| row.is_some())
                .map_err(query_error("checking a digest claim"))
        })
    }

    /// Every decided occurrence of a workspace, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn digest_runs(&self, workspace: &str) -> Result<Vec<DigestRun>, StoreError> {
        let sql = self.text(
            "SELECT occurrence, outcome, late FROM digest_runs WHERE workspace = $1 ORDER BY occurrence",
        );
        on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .fetch_all(pool)
                .await
                .map_err(query_error("reading digest runs"))
        })
    }

    /// Up to when a schedule's occurrences were looked at (epoch seconds).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn schedule_cursor(
        &self,
        workspace: &str,
        schedule: &str,
    ) -> Result<Option<i64>, StoreError> {
        let sql = self.text(
            "SELECT checked_until FROM schedule_cursors WHERE workspace = $1 AND schedule = $2",
        );
        on_backend!(self, |pool, _sql| {
            sqlx::query_scalar(&sql)
                .bind(workspace)
                .bind(schedule)
                .fetch_optional(pool)
                .await
                .map_err(query_error("reading a schedule cursor"))
        })
    }

    /// Moves a schedule cursor forward (never back, whichever replica writes last).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn advance_cursor(
        &self,
        workspace: &str,
        schedule: &str,
        until: i64,
    ) -> Result<(), StoreError> {
        let sql = self.text(
            "INSERT INTO schedule_cursors (workspace, schedule, checked_until) VALUES ($1, $2, $3) \
             ON CONFLICT (workspace, schedule) DO UPDATE SET checked_until = \
             CASE WHEN excluded.checked_until > schedule_cursors.checked_until \
             THEN excluded.checked_until ELSE schedule_cursors.checked_until END",
        );
        on_backend!(self, |pool, _sql| {
            sqlx::query(&sql)
                .bind(workspace)
                .bind(schedule)
                .bind(until)
                .execute(pool)
                .await
                .map(drop)
                .map_err(query_error("moving a schedule cursor"))
        })
    }
}
