//! All-or-nothing writes of inquiries and survey answers, for `import` and `demo-data`.
//!
//! Rows are upserted by `(workspace, id)` in multi-row statements inside one transaction, so
//! importing a file twice changes nothing and a failed import leaves the database as it was.

use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};

use super::{Store, StoreError, queries, query_error};
use crate::domain::{Inquiry, SurveyResponse};

/// Rows per statement: 10 parameters per inquiry stays well under both backends' limits.
pub const BATCH_ROWS: usize = 1000;

/// An open write transaction. Dropping it without [`InquiryWriter::commit`] rolls back.
pub enum InquiryWriter {
    /// On SQLite.
    Sqlite(Transaction<'static, Sqlite>),
    /// On PostgreSQL.
    Postgres(Transaction<'static, Postgres>),
}

/// Writes `$rows` with a `QueryBuilder` for the backend of `$writer`; `$push` binds one row.
macro_rules! upsert {
    ($writer:expr, $rows:expr, $head:ident, $tail:ident, |$builder:ident, $row:ident, $sql:ident| $push:block) => {{
        let rows = $rows;
        macro_rules! run {
            ($tx:expr, $db:ty, $statements:expr) => {{
                let $sql = &$statements;
                for chunk in rows.chunks(BATCH_ROWS) {
                    let mut query = QueryBuilder::<$db>::new($sql.$head);
                    query.push_values(chunk, |mut $builder, $row| $push);
                    query.push($sql.$tail);
                    query
                        .build()
                        .execute(&mut **$tx)
                        .await
                        .map_err(query_error("writing rows"))?;
                }
            }};
        }
        match $writer {
            InquiryWriter::Sqlite(tx) => run!(tx, Sqlite, queries::SQLITE),
            InquiryWriter::Postgres(tx) => run!(tx, Postgres, queries::POSTGRES),
        }
        Ok(())
    }};
}

impl InquiryWriter {
    pub(super) async fn begin(store: &Store) -> Result<InquiryWriter, StoreError> {
        let begin_error = query_error("starting a write transaction");
        Ok(match store {
            Store::Sqlite(pool) => InquiryWriter::Sqlite(pool.begin().await.map_err(begin_error)?),
            Store::Postgres(pool) => {
                InquiryWriter::Postgres(pool.begin().await.map_err(begin_error)?)
            }
        })
    }

    /// Inserts or replaces inquiries by `(workspace, id)`.
    ///
    /// # Errors
    /// [`StoreError::Query`]; the transaction should then be dropped.
    pub async fn upsert_inquiries(&mut self, rows: &[Inquiry]) -> Result<(), StoreError> {
        upsert!(
            self,
            rows,
            upsert_inquiries_head,
            upsert_inquiries_tail,
            |row_values, inquiry, sql| {
                let (open, close) = sql.instant;
                // Borrowed, not cloned: the statement runs before the chunk goes out of scope.
                row_values
                    .push_bind(inquiry.workspace.as_str())
                    .push_bind(inquiry.id.as_str())
                    .push_bind(inquiry.channel.as_str())
                    .push_bind(inquiry.origin.as_str())
                    .push_bind(inquiry.status.as_str())
                    .push_bind(inquiry.operator_id.as_deref());
                for at in [
                    Some(inquiry.requested_at),
                    inquiry.attended_at,
                    inquiry.resolved_at,
                    inquiry.expired_at,
                ] {
                    row_values
                        .push(open)
                        .push_bind_unseparated(at.map(|at| at.timestamp()))
                        .push_unseparated(close);
                }
            }
        )
    }

    /// Inserts or replaces survey answers by `(workspace, id)`.
    ///
    /// # Errors
    /// [`StoreError::Query`]; the transaction should then be dropped.
    pub async fn upsert_surveys(&mut self, rows: &[SurveyResponse]) -> Result<(), StoreError> {
        upsert!(
            self,
            rows,
            upsert_surveys_head,
            upsert_surveys_tail,
            |row_values, answer, sql| {
                let (open, close) = sql.instant;
                row_values
                    .push_bind(answer.workspace.as_str())
                    .push_bind(answer.id.as_str())
                    .push_bind(answer.inquiry_id.as_deref())
                    .push_bind(answer.kind.as_str())
                    .push_bind(answer.score)
                    .push(open)
                    .push_bind_unseparated(answer.answered_at.timestamp())
                    .push_unseparated(close);
            }
        )
    }

    /// Makes every write visible at once.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing was written.
    pub async fn commit(self) -> Result<(), StoreError> {
        let commit_error = query_error("committing");
        match self {
            InquiryWriter::Sqlite(tx) => tx.commit().await.map_err(commit_error),
            InquiryWriter::Postgres(tx) => tx.commit().await.map_err(commit_error),
        }
    }
}
