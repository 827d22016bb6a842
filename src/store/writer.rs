//! All-or-nothing writes of inquiries and survey answers, for `import` and `demo-data`.
//!
//! Rows are upserted by `(workspace, id)` inside one transaction, so importing a file twice
//! changes nothing and a failed import leaves the database as it was. Each backend has its
//! own bulk path (docs/performance.md): on SQLite, multi-row `INSERT`s on a rusqlite
//! connection of the writer's own, which marks the days itself with the insert triggers
//! dropped inside its transaction; on PostgreSQL, `COPY` into a staging table moved by one
//! `INSERT … SELECT`, and into an empty table without its indexes, built at commit
//! (`postgres_load`). Rows are taken by value: the SQLite writer buffers them into full
//! statements and writes on a blocking thread. On either backend the last row written for
//! a `(workspace, id)` wins, within a batch and across batches.

use super::postgres_writer::PostgresWrite;
use super::sqlite_writer::SqliteWrite;
use super::{Pool, Store, StoreError};
use crate::domain::{Inquiry, SurveyResponse};

/// Rows per SQLite statement (10 parameters per inquiry stays well under SQLite's limit),
/// and per batch `pulso import` hands the writer.
pub const BATCH_ROWS: usize = 1000;

/// What a write does with a `(workspace, id)` given twice in one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatedKeys {
    /// The row written last wins, as writing them one after another would leave
    /// (`demo-data`, the benchmark).
    LastWins,
    /// The commit fails with [`StoreError::RepeatedKey`] and nothing is written: a file
    /// holding an id twice is a mistake to show, not to settle silently (`pulso import`).
    Refuse,
}

/// An open write transaction. Dropping it without [`InquiryWriter::commit`] rolls back.
pub enum InquiryWriter {
    /// On SQLite.
    Sqlite(SqliteWrite),
    /// On PostgreSQL.
    Postgres(PostgresWrite),
}

impl InquiryWriter {
    pub(super) async fn begin(
        store: &Store,
        repeated: RepeatedKeys,
    ) -> Result<InquiryWriter, StoreError> {
        Ok(match store.pool() {
            Pool::Sqlite(pool) => InquiryWriter::Sqlite(SqliteWrite::begin(pool, repeated).await?),
            Pool::Postgres(pool) => {
                InquiryWriter::Postgres(PostgresWrite::begin(pool, repeated).await?)
            }
        })
    }

    /// Inserts or replaces inquiries by `(workspace, id)`.
    ///
    /// # Errors
    /// [`StoreError::Query`]; the transaction should then be dropped.
    pub async fn upsert_inquiries(&mut self, rows: Vec<Inquiry>) -> Result<(), StoreError> {
        match self {
            InquiryWriter::Sqlite(write) => write.upsert_inquiries(rows).await,
            InquiryWriter::Postgres(write) => write.upsert_inquiries(&rows).await,
        }
    }

    /// Inserts or replaces survey answers by `(workspace, id)`.
    ///
    /// # Errors
    /// [`StoreError::Query`]; the transaction should then be dropped.
    pub async fn upsert_surveys(&mut self, rows: Vec<SurveyResponse>) -> Result<(), StoreError> {
        match self {
            InquiryWriter::Sqlite(write) => write.upsert_surveys(rows).await,
            InquiryWriter::Postgres(write) => write.upsert_surveys(&rows).await,
        }
    }

    /// Makes every write visible at once.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing was written.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            InquiryWriter::Sqlite(write) => write.commit().await,
            InquiryWriter::Postgres(write) => write.commit().await,
        }
    }
}
