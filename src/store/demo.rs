//! SQL of the demo: when a workspace's simulated Gupshup wallet opened (its first stored
//! balance reading).

use chrono::{DateTime, Utc};

use super::{Store, StoreError, query_error};

/// Served by the `(workspace, read_at)` index of the readings.
const FIRST_READING: &str = "SELECT read_at FROM balance_readings WHERE workspace = $1 \
     ORDER BY read_at, id LIMIT 1";

impl Store {
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
