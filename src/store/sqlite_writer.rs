//! SQLite bulk writes: multi-row upserts, and the day marks of inserted rows made by the
//! writer, one grouped statement per 1,000-row upsert, instead of one marking upsert per row.
//!
//! The per-row insert trigger cost more than the row's own insert. While this transaction
//! holds a row in `aggregate_marking_by_writer` (migration `20261204000001`), the insert
//! triggers skip; the row is added and removed inside the transaction, so no other
//! connection ever sees it and a failed import rolls it back with everything else. Updates
//! made by the upsert are still marked by their trigger.

use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool, Transaction};

use super::queries::{
    UPSERT_INQUIRIES_HEAD, UPSERT_INQUIRIES_TAIL, UPSERT_SURVEYS_HEAD, UPSERT_SURVEYS_TAIL,
};
use super::{BATCH_ROWS, StoreError, query_error};
use crate::domain::{Inquiry, SurveyResponse};

/// A SQLite write transaction and how far it has marked the rows it inserted.
pub struct SqliteWrite {
    tx: Transaction<'static, Sqlite>,
    inquiries: InsertMarks,
    surveys: InsertMarks,
}

/// The marking of one table's inserted rows.
///
/// Rows inserted in a transaction get row ids above the largest one before them, so every
/// row above `marked_to` was inserted here and is not marked yet; rows the upsert updated
/// keep their lower ids.
struct InsertMarks {
    /// Marks the rows above `?1`.
    mark: &'static str,
    /// The table's largest row id.
    last: &'static str,
    marked_to: i64,
}

impl InsertMarks {
    async fn start(
        tx: &mut SqliteConnection,
        mark: &'static str,
        last: &'static str,
    ) -> Result<InsertMarks, StoreError> {
        let marked_to = sqlx::query_scalar(last)
            .fetch_one(&mut *tx)
            .await
            .map_err(query_error("reading the last row ids"))?;
        Ok(InsertMarks {
            mark,
            last,
            marked_to,
        })
    }

    /// Marks the spans of the rows inserted since the last call and moves the watermark.
    async fn mark_new_rows(&mut self, tx: &mut SqliteConnection) -> Result<(), StoreError> {
        sqlx::query(self.mark)
            .bind(self.marked_to)
            .execute(&mut *tx)
            .await
            .map_err(query_error("marking the days of the written rows"))?;
        self.marked_to = sqlx::query_scalar(self.last)
            .fetch_one(&mut *tx)
            .await
            .map_err(query_error("marking the days of the written rows"))?;
        Ok(())
    }
}

/// The statements that mark inserted rows, for the query-plan test: each must search a row
/// id range, never scan a table.
pub const SQLITE_INSERT_MARKS: [&str; 2] = [MARK_INSERTED_INQUIRIES, MARK_INSERTED_SURVEYS];

const HOLD_MARKING: &str = "INSERT INTO aggregate_marking_by_writer (held) VALUES (1)";
const RELEASE_MARKING: &str = "DELETE FROM aggregate_marking_by_writer";
const LAST_INQUIRY: &str = "SELECT coalesce(max(row_id), 0) FROM inquiries";
const LAST_SURVEY: &str = "SELECT coalesce(max(row_id), 0) FROM survey_responses";
/// The spans the insert trigger would have marked (the same day arithmetic), once per span,
/// for the inquiries above the watermark `?1`. `NOT INDEXED` keeps SQLite on the row id
/// range: for the survey statement's `GROUP BY` SQLite 3.46 otherwise scans the whole
/// covering index `survey_responses_answered` per batch (import at 3M inquiries: 80,000
/// instead of 106,000 rows/s); both statements say it, so neither can drift there.
const MARK_INSERTED_INQUIRIES: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT workspace, (lo - ((lo % 86400 + 86400) % 86400)) / 86400, \
            (hi - ((hi % 86400 + 86400) % 86400)) / 86400 \
     FROM (SELECT workspace, \
                  min(requested_at, coalesce(attended_at, requested_at), \
                      coalesce(resolved_at, requested_at), coalesce(expired_at, requested_at)) AS lo, \
                  max(requested_at, coalesce(attended_at, requested_at), \
                      coalesce(resolved_at, requested_at), coalesce(expired_at, requested_at)) AS hi \
           FROM inquiries NOT INDEXED WHERE row_id > ?1) \
     WHERE true GROUP BY 1, 2, 3 \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";
/// The same for survey answers: the day of `answered_at`.
const MARK_INSERTED_SURVEYS: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT workspace, day, day \
     FROM (SELECT workspace, (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400 AS day \
           FROM survey_responses NOT INDEXED WHERE row_id > ?1) \
     WHERE true GROUP BY 1, 2 \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";

impl SqliteWrite {
    pub(super) async fn begin(pool: &SqlitePool) -> Result<SqliteWrite, StoreError> {
        let mut tx = pool
            .begin()
            .await
            .map_err(query_error("starting a write transaction"))?;
        // The hold is the transaction's first write, so it takes SQLite's write lock before
        // the watermarks are read: no other connection can insert in between.
        sqlx::query(HOLD_MARKING)
            .execute(&mut *tx)
            .await
            .map_err(query_error("holding the day marks for this import"))?;
        let inquiries = InsertMarks::start(&mut tx, MARK_INSERTED_INQUIRIES, LAST_INQUIRY).await?;
        let surveys = InsertMarks::start(&mut tx, MARK_INSERTED_SURVEYS, LAST_SURVEY).await?;
        Ok(SqliteWrite {
            tx,
            inquiries,
            surveys,
        })
    }

    pub(super) async fn upsert_inquiries(&mut self, rows: &[Inquiry]) -> Result<(), StoreError> {
        upsert(
            &mut self.tx,
            &mut self.inquiries,
            rows,
            (UPSERT_INQUIRIES_HEAD, UPSERT_INQUIRIES_TAIL),
            |mut values, inquiry| {
                // Borrowed, not cloned: the statement runs before `rows` goes out of scope.
                values
                    .push_bind(inquiry.workspace.as_str())
                    .push_bind(inquiry.id.as_str())
                    .push_bind(inquiry.channel.as_str())
                    .push_bind(inquiry.origin.as_str())
                    .push_bind(inquiry.status.as_str())
                    .push_bind(inquiry.operator_id.as_deref())
                    .push_bind(inquiry.requested_at.timestamp())
                    .push_bind(inquiry.attended_at.map(|at| at.timestamp()))
                    .push_bind(inquiry.resolved_at.map(|at| at.timestamp()))
                    .push_bind(inquiry.expired_at.map(|at| at.timestamp()));
            },
        )
        .await
    }

    pub(super) async fn upsert_surveys(
        &mut self,
        rows: &[SurveyResponse],
    ) -> Result<(), StoreError> {
        upsert(
            &mut self.tx,
            &mut self.surveys,
            rows,
            (UPSERT_SURVEYS_HEAD, UPSERT_SURVEYS_TAIL),
            |mut values, answer| {
                values
                    .push_bind(answer.workspace.as_str())
                    .push_bind(answer.id.as_str())
                    .push_bind(answer.inquiry_id.as_deref())
                    .push_bind(answer.kind.as_str())
                    .push_bind(answer.score)
                    .push_bind(answer.answered_at.timestamp());
            },
        )
        .await
    }

    pub(super) async fn commit(mut self) -> Result<(), StoreError> {
        sqlx::query(RELEASE_MARKING)
            .execute(&mut *self.tx)
            .await
            .map_err(query_error("releasing the day marks"))?;
        self.tx.commit().await.map_err(query_error("committing"))
    }
}

/// Upserts `rows` in statements of [`BATCH_ROWS`] rows (`push` binds one row) and marks the
/// rows each statement inserted right after it, while their pages are still in SQLite's
/// page cache.
async fn upsert<'rows, T>(
    tx: &mut SqliteConnection,
    marks: &mut InsertMarks,
    rows: &'rows [T],
    (head, tail): (&str, &str),
    mut push: impl FnMut(Separated<'_, 'rows, Sqlite, &'static str>, &'rows T),
) -> Result<(), StoreError> {
    for chunk in rows.chunks(BATCH_ROWS) {
        let mut query = QueryBuilder::<Sqlite>::new(head);
        query.push_values(chunk, &mut push);
        query.push(tail);
        query
            .build()
            .execute(&mut *tx)
            .await
            .map_err(query_error("writing rows"))?;
        marks.mark_new_rows(tx).await?;
    }
    Ok(())
}
