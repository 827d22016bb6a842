//! PostgreSQL bulk writes: rows are streamed with binary `COPY`, a few megabytes at a time,
//! straight into a table on its first load (`postgres_load`: no indexes and no insert trigger
//! until commit), or
//! otherwise into a temporary staging table that commit moves into the real one by a single
//! `INSERT … SELECT … ORDER BY time … ON CONFLICT`.
//!
//! - **Why `COPY`.** It skips ten bound parameters per row (1M-inquiry benchmark import:
//!   44,000 → 57,000 rows/s).
//! - **Why one move at commit.** Moving each 1,000-row batch by its own `INSERT … SELECT`
//!   and emptying the staging table with `TRUNCATE` (a new file each time) cost more than
//!   the rows: 12,800 rows/s for 600,000 shuffled inquiries into a filled table. One move
//!   sorted by time also walks the time indexes in order, whatever order the file had, and
//!   the statement-level marking triggers fire once.
//! - **Repeated keys.** A first load finds them when the primary key is built; staged rows
//!   are counted by key before the move. [`RepeatedKeys`] decides: refuse (nothing is
//!   written) or keep the row written last. The staging tables live only inside the
//!   transaction (`ON COMMIT DROP`; a rollback removes them too).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, Transaction};

use super::postgres_load::{self, LoadedTable, SetAside};
use super::queries::{BulkShape, INQUIRY_SHAPE, SURVEY_SHAPE};
use super::writer::RepeatedKeys;
use super::{StoreError, query_error};
use crate::domain::{Inquiry, SurveyResponse};

/// `COPY` bytes gathered before they are sent: large enough that a statement's round trip
/// is nothing beside its rows, small enough to be nothing beside the process.
const COPY_CHUNK_BYTES: usize = 4 << 20;

/// The server memory a first load's index builds and a staged move's sort may use, for
/// this transaction only and never less than the server's own setting: the defaults
/// (64 MB, 4 MB) make a 10M-row index build merge many runs from disk.
const SORT_MEMORY: &str = "\
    SELECT set_config('maintenance_work_mem', '256MB', true) \
    WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < 268435456; \
    SELECT set_config('work_mem', '64MB', true) \
    WHERE pg_size_bytes(current_setting('work_mem')) < 67108864";

/// A PostgreSQL write transaction.
pub struct PostgresWrite {
    tx: Transaction<'static, Postgres>,
    repeated: RepeatedKeys,
    inquiries: TableWrite,
    surveys: TableWrite,
}

/// One table's part of a write: where its rows go and the `COPY` rows not sent yet.
struct TableWrite {
    table: &'static BulkTable,
    /// The table's indexes while it is on its first load; `None`: rows are staged.
    load: Option<SetAside>,
    /// Rows in `COPY`'s binary format, not sent yet.
    bytes: Vec<u8>,
}

/// A table as the writer fills it.
struct BulkTable {
    loaded: &'static LoadedTable,
    shape: &'static BulkShape,
}

const INQUIRIES: BulkTable = BulkTable {
    loaded: &postgres_load::INQUIRIES,
    shape: &INQUIRY_SHAPE,
};

const SURVEYS: BulkTable = BulkTable {
    loaded: &postgres_load::SURVEYS,
    shape: &SURVEY_SHAPE,
};

impl TableWrite {
    async fn begin(
        tx: &mut Transaction<'static, Postgres>,
        table: &'static BulkTable,
    ) -> Result<TableWrite, StoreError> {
        let load = postgres_load::set_aside_if_empty(tx, table.loaded).await?;
        if load.is_none() {
            // The real table's column types, no constraints, no indexes.
            let create = format!(
                "CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA",
                table.shape.staged, table.shape.columns, table.loaded.name
            );
            sqlx::Executor::execute(&mut **tx, create.as_str())
                .await
                .map_err(query_error("creating a staging table"))?;
        }
        Ok(TableWrite {
            table,
            load,
            bytes: Vec::new(),
        })
    }

    /// Sends the gathered rows: into the table on a first load, else into its staging
    /// table.
    async fn send(&mut self, tx: &mut Transaction<'static, Postgres>) -> Result<(), StoreError> {
        if self.bytes.is_empty() {
            return Ok(());
        }
        let target = match self.load {
            Some(_) => self.table.loaded.name,
            None => self.table.shape.staged,
        };
        let copy = format!(
            "COPY {target} ({}) FROM STDIN (FORMAT binary)",
            self.table.shape.columns
        );
        let mut stream = tx
            .copy_in_raw(&copy)
            .await
            .map_err(query_error("writing rows"))?;
        // On an error the dropped stream tells PostgreSQL to abandon the `COPY`.
        for part in [BINARY_HEADER, &self.bytes, BINARY_TRAILER] {
            stream
                .send(part)
                .await
                .map_err(query_error("writing rows"))?;
        }
        stream.finish().await.map_err(query_error("writing rows"))?;
        self.bytes.clear();
        Ok(())
    }

    /// Sends the rest, then builds a first load's indexes (`answers_were_there`: see
    /// [`SetAside::build`]) or moves the staged rows in.
    async fn finish(
        mut self,
        tx: &mut Transaction<'static, Postgres>,
        repeated: RepeatedKeys,
        answers_were_there: bool,
    ) -> Result<(), StoreError> {
        self.send(tx).await?;
        if let Some(load) = self.load.take() {
            return load.build(tx, repeated, answers_were_there).await;
        }
        let table = self.table;
        let staged = table.shape.staged;
        let repeats = format!(
            "SELECT EXISTS (SELECT 1 FROM {staged} GROUP BY workspace, id HAVING count(*) > 1)"
        );
        let has_repeats: bool = sqlx::query_scalar(&repeats)
            .fetch_one(&mut **tx)
            .await
            .map_err(query_error("looking for keys written twice"))?;
        if has_repeats {
            if repeated == RepeatedKeys::Refuse {
                return Err(StoreError::RepeatedKey {
                    table: table.loaded.name,
                });
            }
            // A staging table created in this transaction only ever had rows appended, so
            // a later row sits at a later ctid.
            let keep_last = format!(
                "DELETE FROM {staged} a USING {staged} b \
                 WHERE a.workspace = b.workspace AND a.id = b.id AND a.ctid < b.ctid"
            );
            execute(tx, &keep_last, "keeping the last row of keys written twice").await?;
        }
        let (head, tail) = table.shape.upsert;
        let upsert = format!(
            "{head}SELECT {} FROM {staged} ORDER BY {}{tail}",
            table.shape.columns, table.shape.time_order
        );
        execute(tx, &upsert, "writing rows").await
    }
}

async fn execute(
    tx: &mut Transaction<'static, Postgres>,
    sql: &str,
    what: &'static str,
) -> Result<(), StoreError> {
    let done = sqlx::query(sql).execute(&mut **tx).await;
    done.map(drop).map_err(query_error(what))
}

impl PostgresWrite {
    pub(super) async fn begin(
        pool: &PgPool,
        repeated: RepeatedKeys,
    ) -> Result<PostgresWrite, StoreError> {
        let mut tx = pool
            .begin()
            .await
            .map_err(query_error("starting a write transaction"))?;
        let inquiries = TableWrite::begin(&mut tx, &INQUIRIES).await?;
        let surveys = TableWrite::begin(&mut tx, &SURVEYS).await?;
        Ok(PostgresWrite {
            tx,
            repeated,
            inquiries,
            surveys,
        })
    }

    pub(super) async fn upsert_inquiries(&mut self, rows: &[Inquiry]) -> Result<(), StoreError> {
        let bytes = &mut self.inquiries.bytes;
        for inquiry in self.repeated.rows(rows, |row| (&row.workspace, &row.id)) {
            CopyRow::start(bytes, 10)
                .text(Some(&inquiry.workspace))
                .text(Some(&inquiry.id))
                .text(Some(&inquiry.channel))
                .text(Some(&inquiry.origin))
                .text(Some(inquiry.status.as_str()))
                .text(inquiry.operator_id.as_deref())
                .instant(Some(inquiry.requested_at))
                .instant(inquiry.attended_at)
                .instant(inquiry.resolved_at)
                .instant(inquiry.expired_at);
        }
        self.sent_when_due(Table::Inquiries).await
    }

    pub(super) async fn upsert_surveys(
        &mut self,
        rows: &[SurveyResponse],
    ) -> Result<(), StoreError> {
        let bytes = &mut self.surveys.bytes;
        for answer in self.repeated.rows(rows, |row| (&row.workspace, &row.id)) {
            CopyRow::start(bytes, 6)
                .text(Some(&answer.workspace))
                .text(Some(&answer.id))
                .text(answer.inquiry_id.as_deref())
                .text(Some(answer.kind.as_str()))
                .small(answer.score)
                .instant(Some(answer.answered_at));
        }
        self.sent_when_due(Table::Surveys).await
    }

    /// Builds the indexes of tables on their first load or moves staged rows in, then
    /// commits.
    pub(super) async fn commit(mut self) -> Result<(), StoreError> {
        // A plain string runs as one simple query (both statements).
        sqlx::Executor::execute(&mut *self.tx, SORT_MEMORY)
            .await
            .map_err(query_error("setting the memory of the index builds"))?;
        // Answers on their own first load are all new, and their days are marked as such.
        let answers_were_there = self.surveys.load.is_none();
        self.inquiries
            .finish(&mut self.tx, self.repeated, answers_were_there)
            .await?;
        self.surveys
            .finish(&mut self.tx, self.repeated, false)
            .await?;
        self.tx.commit().await.map_err(query_error("committing"))
    }

    /// Sends a table's text once a chunk has gathered. Keeping the last row of a key
    /// sends every call's rows at once instead: a first load tells the copies of a key
    /// apart by the statement that wrote them (`postgres_load`).
    async fn sent_when_due(&mut self, table: Table) -> Result<(), StoreError> {
        let write = match table {
            Table::Inquiries => &mut self.inquiries,
            Table::Surveys => &mut self.surveys,
        };
        if write.bytes.len() >= COPY_CHUNK_BYTES || self.repeated == RepeatedKeys::LastWins {
            write.send(&mut self.tx).await?;
        }
        Ok(())
    }
}

/// Which table a call wrote to.
#[derive(Clone, Copy)]
enum Table {
    Inquiries,
    Surveys,
}

impl RepeatedKeys {
    /// The rows of one call to write: all of them when repeats are refused (commit finds
    /// them), else only the last row of each key, as writing them one after another
    /// would leave.
    fn rows<'a, T>(
        self,
        rows: &'a [T],
        key: impl Fn(&'a T) -> (&'a str, &'a str),
    ) -> Box<dyn Iterator<Item = &'a T> + 'a> {
        match self {
            RepeatedKeys::Refuse => Box::new(rows.iter()),
            RepeatedKeys::LastWins => {
                let mut seen = HashSet::with_capacity(rows.len());
                let keep: Vec<bool> = rows.iter().rev().map(|row| seen.insert(key(row))).collect();
                Box::new(
                    rows.iter()
                        .zip(keep.into_iter().rev())
                        .filter_map(|(row, keep)| keep.then_some(row)),
                )
            }
        }
    }
}

/// The start of every binary `COPY` stream: signature, flags, header extension length.
const BINARY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// The end of a binary `COPY` stream: a field count of -1.
const BINARY_TRAILER: &[u8] = &(-1i16).to_be_bytes();
/// Seconds from the Unix epoch to PostgreSQL's (2000-01-01).
const POSTGRES_EPOCH: i64 = 946_684_800;

/// One row in `COPY`'s binary format, appended to a table's pending bytes. Binary, not
/// text: the server then parses no instant (four per inquiry) and nothing needs escaping.
struct CopyRow<'a> {
    bytes: &'a mut Vec<u8>,
}

impl<'a> CopyRow<'a> {
    fn start(bytes: &'a mut Vec<u8>, fields: i16) -> CopyRow<'a> {
        bytes.extend_from_slice(&fields.to_be_bytes());
        CopyRow { bytes }
    }

    /// A field's bytes after their length; `None` is NULL (length -1).
    fn field(self, value: Option<&[u8]>) -> Self {
        match value {
            Some(value) => {
                let length = i32::try_from(value.len()).unwrap_or(i32::MAX);
                self.bytes.extend_from_slice(&length.to_be_bytes());
                self.bytes.extend_from_slice(value);
            }
            None => self.bytes.extend_from_slice(&(-1i32).to_be_bytes()),
        }
        self
    }

    /// A `text` field (UTF-8, as the connection's encoding is).
    fn text(self, value: Option<&str>) -> Self {
        self.field(value.map(str::as_bytes))
    }

    /// A `smallint` field.
    fn small(self, value: i16) -> Self {
        self.field(Some(&value.to_be_bytes()))
    }

    /// A `timestamptz` field: microseconds since 2000-01-01 UTC.
    fn instant(self, value: Option<DateTime<Utc>>) -> Self {
        let micros = value.map(|at| ((at.timestamp() - POSTGRES_EPOCH) * 1_000_000).to_be_bytes());
        self.field(micros.as_ref().map(|micros| &micros[..]))
    }
}
