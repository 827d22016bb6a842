//! The counts alert rules observe, read with the indicators' own statements (so the plans
//! test that checks those covers these too).

use super::lists;
use super::queries::Statements;
use super::{Store, StoreError, query_error};
use crate::domain::Window;

impl Store {
    /// Pending inquiries requested in `window` (alert rules: those waiting longer than a
    /// limit are the ones requested before `now − limit`).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn pending_requested_in(
        &self,
        workspace: &str,
        window: Window,
    ) -> Result<u64, StoreError> {
        self.count_in(
            workspace,
            window,
            |sql| sql.pending_in_window,
            "counting waiting inquiries",
        )
        .await
    }

    /// Inquiries expired in `window`.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn expired_in(&self, workspace: &str, window: Window) -> Result<u64, StoreError> {
        self.count_in(
            workspace,
            window,
            |sql| sql.expired_in_window,
            "counting expired inquiries",
        )
        .await
    }

    async fn count_in(
        &self,
        workspace: &str,
        window: Window,
        statement: fn(&Statements) -> &'static str,
        what: &'static str,
    ) -> Result<u64, StoreError> {
        on_backend!(self, |pool, sql| {
            sqlx::query_scalar::<_, i64>(statement(sql))
                .bind(workspace)
                .bind(window.start.timestamp())
                .bind(window.end.timestamp())
                .fetch_one(pool)
                .await
                .map(|count| count.max(0) as u64)
                .map_err(query_error(what))
        })
    }

    /// `attended_at − requested_at` (seconds) of every inquiry attended in `window`.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn attention_seconds_in(
        &self,
        workspace: &str,
        window: Window,
    ) -> Result<Vec<i64>, StoreError> {
        let text: Option<String> = on_backend!(self, |pool, sql| {
            sqlx::query_scalar(sql.attention_in_window)
                .bind(workspace)
                .bind(window.start.timestamp())
                .bind(window.end.timestamp())
                .fetch_one(pool)
                .await
                .map_err(query_error("reading attention times"))?
        });
        lists::parse_seconds_list(text.as_deref()).map_err(query_error("reading attention times"))
    }
}
