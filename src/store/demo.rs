//! SQL of the demo: when a workspace's demo data started (the live queue is timed from it)
//! and when its simulated Gupshup wallet opened (its first stored balance reading).

use chrono::{DateTime, Utc};

use super::{Store, StoreError, query_error};

const UPSERT_START: &str = "INSERT INTO demo_starts (workspace, started_at) VALUES ($1, $2) \
     ON CONFLICT (workspace) DO UPDATE SET started_at = excluded.started_at";
const SELECT_START: &str = "SELECT started_at FROM demo_starts WHERE workspace = $1";
/// Served by the `(workspace, read_at)` index of the readings.
const FIRST_READING: &str = "SELECT read_at FROM balance_readings WHERE workspace = $1 \
     ORDER BY read_at, id LIMIT 1";

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
