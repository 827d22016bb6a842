//! SQL of the demo: when a workspace's demo data started (the live queue is timed from it),
//! when its simulated Gupshup wallet opened (its first stored balance reading), and the
//! live inquiries as stored (a tick writes only those that changed).

use chrono::{DateTime, Utc};

use super::{Pool, Store, StoreError, query_error};
use crate::domain::Inquiry;

const UPSERT_START: &str = "INSERT INTO demo_starts (workspace, started_at) VALUES ($1, $2) \
     ON CONFLICT (workspace) DO UPDATE SET started_at = excluded.started_at";
const SELECT_START: &str = "SELECT started_at FROM demo_starts WHERE workspace = $1";
/// Served by the `(workspace, read_at)` index of the readings.
const FIRST_READING: &str = "SELECT read_at FROM balance_readings WHERE workspace = $1 \
     ORDER BY read_at, id LIMIT 1";
/// Served by the `(workspace, id)` unique index: one lookup per id of the JSON array `?2`.
const SQLITE_BY_ID: &str = "SELECT id, channel, origin, status, operator_id, requested_at, \
     attended_at, resolved_at, expired_at FROM inquiries \
     WHERE workspace = ?1 AND id IN (SELECT value FROM json_each(?2))";
/// Served by the `(workspace, id)` unique index.
const POSTGRES_BY_ID: &str = "SELECT id, channel, origin, status, operator_id, \
     floor(date_part('epoch', requested_at))::bigint, \
     floor(date_part('epoch', attended_at))::bigint, \
     floor(date_part('epoch', resolved_at))::bigint, \
     floor(date_part('epoch', expired_at))::bigint \
     FROM inquiries WHERE workspace = $1 AND id = ANY($2)";

/// An inquiry row as both backends return it (instants as epoch seconds).
type InquiryRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

impl Store {
    /// Records that demo data of `workspace` was written as of `at` (a rewrite starts the
    /// demo over).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn set_demo_start(
        &self,
        workspace: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = self.text(UPSERT_START);
        on_backend!(self, |pool, _sql| {
            sqlx::query(&sql)
                .bind(workspace)
                .bind(at.timestamp())
                .execute(pool)
                .await
                .map(drop)
                .map_err(query_error("recording the demo start"))
        })
    }

    /// When demo data of `workspace` was written; `None` when it never was (then it gets no
    /// live demo inquiries).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn demo_start(&self, workspace: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.first_instant(SELECT_START, workspace, "reading the demo start")
            .await
    }

    /// The instant of the workspace's first balance reading, successful or not: when the
    /// demo wallet opened.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn first_balance_reading_at(
        &self,
        workspace: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.first_instant(
            FIRST_READING,
            workspace,
            "reading the first balance reading",
        )
        .await
    }

    /// The stored inquiries of `workspace` among `ids` (in no particular order); an id
    /// that is not stored, or whose row does not decode, is left out. The live demo queue
    /// compares what it would write with this, so a tick that changes nothing writes
    /// nothing (and opens no write transaction).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn inquiries_by_id(
        &self,
        workspace: &str,
        ids: &[String],
    ) -> Result<Vec<Inquiry>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let what = "reading inquiries by id";
        let rows: Vec<InquiryRow> = match self.pool() {
            Pool::Sqlite(pool) => {
                let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
                sqlx::query_as(SQLITE_BY_ID)
                    .bind(workspace)
                    .bind(ids)
                    .fetch_all(pool)
                    .await
                    .map_err(query_error(what))?
            }
            Pool::Postgres(pool) => sqlx::query_as(POSTGRES_BY_ID)
                .bind(workspace)
                .bind(ids)
                .fetch_all(pool)
                .await
                .map_err(query_error(what))?,
        };
        Ok(rows
            .into_iter()
            .filter_map(|row| inquiry(workspace, row))
            .collect())
    }

    async fn first_instant(
        &self,
        statement: &'static str,
        workspace: &str,
        what: &'static str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let sql = self.text(statement);
        let at: Option<i64> = on_backend!(self, |pool, _sql| {
            sqlx::query_scalar(&sql)
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map_err(query_error(what))?
        });
        Ok(at.and_then(|secs| DateTime::from_timestamp(secs, 0)))
    }
}

fn inquiry(workspace: &str, row: InquiryRow) -> Option<Inquiry> {
    let (id, channel, origin, status, operator_id, requested, attended, resolved, expired) = row;
    let instant = |secs: Option<i64>| match secs {
        Some(secs) => DateTime::from_timestamp(secs, 0).map(Some),
        None => Some(None),
    };
    Some(Inquiry {
        workspace: workspace.to_string(),
        id,
        channel,
        origin,
        status: status.parse().ok()?,
        operator_id,
        requested_at: DateTime::from_timestamp(requested, 0)?,
        attended_at: instant(attended)?,
        resolved_at: instant(resolved)?,
        expired_at: instant(expired)?,
    })
}
