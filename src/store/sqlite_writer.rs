//! SQLite bulk writes on a connection of their own, through rusqlite: multi-row inserts of
//! [`BATCH_ROWS`] rows, straight into an empty table on a first load or into a staging
//! table otherwise (`sqlite_load`), and the day marks of the written rows made by the writer
//! instead of by the per-row insert triggers (docs/performance.md).
//!
//! - **Why not sqlx here.** sqlx's SQLite driver copies every bound text twice (into owned
//!   arguments, then into SQLite) and hands each statement to its worker thread; binding
//!   straight from the rows into a statement prepared once took the writer from 190,000 to
//!   269,000–289,000 rows per second (3M inquiries; docs/performance.md).
//!   Everything else in the store stays on sqlx.
//! - **Why the row triggers are dropped.** Invoking a row trigger costs SQLite about as
//!   much as inserting the row. The transaction drops the two insert and the two update
//!   triggers as its first write and creates them again, from the text SQLite stored, just
//!   before it commits: no other connection ever sees them missing, and a failed or
//!   abandoned import rolls the drop back with everything else. On a first load the writer
//!   marks the UTC day span of every row it inserts, once per distinct span (see
//!   [`Session::upsert`]); staged rows the commit inserts are marked by one grouped
//!   statement over their new row ids, and rows it changed from the log a temporary trigger
//!   keeps (`sqlite_changes`), old and new spans.
//! - **Why rows are buffered.** Statements always carry [`BATCH_ROWS`] rows, so one prepared
//!   statement per table serves the whole import, whatever batch sizes the caller hands in;
//!   the rest is written at commit.
//! - **Why writes run behind the caller.** Each call hands its full statements to a blocking
//!   thread and returns; the next call (or commit) first waits for them and returns their
//!   error. The caller parses and checks the next CSV lines meanwhile, on the other core:
//!   `pulso import` of 1.33M rows went from 5.7–6.5 s to 4.5–4.9 s.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use sqlx::SqlitePool;
use tokio::task::JoinHandle;

use super::sqlite_changes::{CHANGE_LOGS, ChangeLog};
use super::sqlite_load::{INQUIRIES, Paths, SURVEYS, TablePath};
use super::sqlite_rows::{DaySpans, MARK_ANSWERS_OF_INSERTED, MARK_SPANS, MarkedRow, write_rows};
use super::writer::RepeatedKeys;
use super::{BATCH_ROWS, StoreError, failed};
use crate::domain::{Inquiry, SurveyResponse};

/// The insert triggers the writer stands in for (migration `20261201000001`); it stands in
/// for the update triggers too ([`CHANGE_LOGS`]).
const INSERT_TRIGGERS: [&str; 2] = ["inquiries_dirty_insert", "survey_responses_dirty_insert"];

/// The writer connection's page cache, KiB (negative: SQLite's unit for KiB).
const WRITER_CACHE_KIB: i64 = -65_536;

const TRIGGER_TEXT: &str = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1";

/// A SQLite write transaction on its own connection. Dropping it without
/// [`SqliteWrite::commit`] closes the connection, which rolls the transaction back.
pub struct SqliteWrite {
    session: Arc<Mutex<Session>>,
    inquiries: Vec<Inquiry>,
    surveys: Vec<SurveyResponse>,
    /// The statements handed to a blocking thread and not awaited yet: the caller prepares
    /// its next batch (parses the next CSV lines) while they run.
    in_flight: Option<JoinHandle<Result<(), StoreError>>>,
}

/// What the blocking side owns: the connection, inside its open transaction, the
/// `CREATE TRIGGER` text of each trigger it dropped, the change logs it keeps instead of the
/// update triggers it dropped, each table's path, what to do with a key written twice, and
/// the spans it must mark.
struct Session {
    connection: Connection,
    dropped_triggers: Vec<String>,
    change_logs: Vec<&'static ChangeLog>,
    paths: Option<Paths>,
    repeated: RepeatedKeys,
    spans: DaySpans,
}

impl SqliteWrite {
    pub(super) async fn begin(
        pool: &SqlitePool,
        repeated: RepeatedKeys,
    ) -> Result<SqliteWrite, StoreError> {
        let path = pool.connect_options().get_filename().to_path_buf();
        let session = tokio::task::spawn_blocking(move || Session::begin(path, repeated))
            .await
            .map_err(stopped)??;
        Ok(SqliteWrite {
            session: Arc::new(Mutex::new(session)),
            inquiries: Vec::new(),
            surveys: Vec::new(),
            in_flight: None,
        })
    }

    /// Buffers `rows` and starts writing the ones that fill whole statements, once the
    /// previous write finished (its error, if any, is returned here).
    pub(super) async fn upsert_inquiries(&mut self, rows: Vec<Inquiry>) -> Result<(), StoreError> {
        self.finish_in_flight().await?;
        let full = take_full_statements(&mut self.inquiries, rows);
        self.start_upsert(full);
        Ok(())
    }

    /// As [`SqliteWrite::upsert_inquiries`].
    pub(super) async fn upsert_surveys(
        &mut self,
        rows: Vec<SurveyResponse>,
    ) -> Result<(), StoreError> {
        self.finish_in_flight().await?;
        let full = take_full_statements(&mut self.surveys, rows);
        self.start_upsert(full);
        Ok(())
    }

    /// Writes the buffered rest, finishes each table (builds a first load's indexes, moves
    /// staged rows in), marks the days, restores the insert triggers and commits.
    pub(super) async fn commit(mut self) -> Result<(), StoreError> {
        self.finish_in_flight().await?;
        let (inquiries, surveys) = (self.inquiries, self.surveys);
        let commit = spawn_on(&self.session, move |session| {
            session.upsert(&inquiries)?;
            session.upsert(&surveys)?;
            let paths = session.paths.take().expect("a writer commits once");
            let connection = &session.connection;
            // Answers stored before this write (the survey table was not empty) change group
            // when their inquiry arrives; answers written now are marked on their own days.
            let answers_stored = !paths.surveys.is_first_load();
            let inquiries_before: i64 = if paths.inquiries.is_first_load() {
                i64::MIN
            } else {
                connection
                    .query_row(Inquiry::LAST_ROW_ID, [], |row| row.get(0))
                    .map_err(failed(Inquiry::WRITING))?
            };
            // Surveys first: their index on `inquiry_id` is then in place for the inquiry
            // update trigger and the marking below.
            paths
                .surveys
                .finish::<SurveyResponse>(connection, session.repeated)?;
            paths
                .inquiries
                .finish::<Inquiry>(connection, session.repeated)?;
            if answers_stored {
                connection
                    .execute(MARK_ANSWERS_OF_INSERTED, [inquiries_before])
                    .map_err(failed("marking the days of answers to new inquiries"))?;
            }
            let spans = std::mem::take(&mut session.spans).into_rows();
            write_rows(connection, MARK_SPANS, &spans)
                .map_err(failed("marking the days of the written rows"))?;
            for log in &session.change_logs {
                log.mark(connection)?;
            }
            for text in &session.dropped_triggers {
                connection
                    .execute_batch(text)
                    .map_err(failed("restoring the marking triggers"))?;
            }
            connection
                .execute_batch("COMMIT")
                .map_err(failed("committing"))
        });
        commit.await.map_err(stopped)?
    }

    /// Upserts `rows` on a blocking thread as the write in flight.
    fn start_upsert<T: MarkedRow + Send + 'static>(&mut self, rows: Vec<T>) {
        let write = spawn_on(&self.session, move |session| session.upsert(&rows));
        self.in_flight = Some(write);
    }

    /// Waits for the write in flight, if any, and returns its outcome.
    async fn finish_in_flight(&mut self) -> Result<(), StoreError> {
        match self.in_flight.take() {
            Some(write) => write.await.map_err(stopped)?,
            None => Ok(()),
        }
    }
}

/// Runs `work` with the session on a blocking thread; rows move there with it. Work
/// abandoned by a dropped writer still finishes before its connection closes (rolling back).
fn spawn_on(
    session: &Arc<Mutex<Session>>,
    work: impl FnOnce(&mut Session) -> Result<(), StoreError> + Send + 'static,
) -> JoinHandle<Result<(), StoreError>> {
    let session = Arc::clone(session);
    tokio::task::spawn_blocking(move || {
        // Poisoned only if an earlier write panicked; nothing could be trusted then.
        let mut session = session
            .lock()
            .expect("no write panicked on this connection");
        work(&mut session)
    })
}

impl Session {
    /// Opens the database file the pool uses, starts the transaction, drops the insert
    /// triggers (recording their text) and prepares each table's path.
    fn begin(path: PathBuf, repeated: RepeatedKeys) -> Result<Session, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&path, flags)
            .map_err(failed("opening the database for writing"))?;
        // The pool's settings: wait for another writer as long, and the same durability.
        connection
            .busy_timeout(Duration::from_secs(5))
            .and_then(|()| connection.pragma_update(None, "synchronous", "NORMAL"))
            // The import is a process of its own: a larger cache (and the sorter's working
            // memory, which SQLite sizes from it) for its index builds and staged moves,
            // and temporary tables on disk, so memory stays bounded whatever the file.
            .and_then(|()| connection.pragma_update(None, "cache_size", WRITER_CACHE_KIB))
            .and_then(|()| connection.pragma_update(None, "temp_store", "FILE"))
            .map_err(failed("opening the database for writing"))?;
        // IMMEDIATE takes the write lock now, so the triggers cannot change between reading
        // their text and dropping them. A trigger someone removed stays removed.
        connection
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(failed("starting a write transaction"))?;
        let mut dropped_triggers = Vec::new();
        let mut change_logs = Vec::new();
        for name in INSERT_TRIGGERS {
            if let Some(text) = drop_trigger(&connection, name)? {
                dropped_triggers.push(text);
            }
        }
        for log in &CHANGE_LOGS {
            if let Some(text) = drop_trigger(&connection, log.trigger)? {
                dropped_triggers.push(text);
                log.start(&connection)?;
                change_logs.push(log);
            }
        }
        let paths = Paths {
            inquiries: TablePath::prepare(&connection, &INQUIRIES)?,
            surveys: TablePath::prepare(&connection, &SURVEYS)?,
        };
        Ok(Session {
            connection,
            dropped_triggers,
            change_logs,
            paths: Some(paths),
            repeated,
            spans: DaySpans::default(),
        })
    }

    /// Writes `rows` on their table's path; on a first load, marks their spans.
    fn upsert<T: MarkedRow>(&mut self, rows: &[T]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let paths = self
            .paths
            .as_ref()
            .expect("a writer writes before it commits");
        let path = T::path(paths);
        let (head, tail) = path.insert();
        write_rows(&self.connection, (&head, tail), rows).map_err(failed(T::WRITING))?;
        if path.is_first_load() {
            for row in rows {
                let (workspace, lo, hi) = row.span();
                self.spans.add(workspace, lo, hi);
            }
        }
        Ok(())
    }
}

/// Drops trigger `name` and returns its `CREATE TRIGGER` text, if it exists.
fn drop_trigger(connection: &Connection, name: &str) -> Result<Option<String>, StoreError> {
    let text: Option<String> = connection
        .query_row(TRIGGER_TEXT, [name], |row| row.get(0))
        .optional()
        .map_err(failed("reading the marking triggers"))?;
    if text.is_some() {
        connection
            .execute_batch(&format!("DROP TRIGGER {name}"))
            .map_err(failed("suspending the marking triggers"))?;
    }
    Ok(text)
}

/// A blocking task that did not finish: its panic goes on unwinding; a task the shutting
/// down runtime never ran is an error.
fn stopped(error: tokio::task::JoinError) -> StoreError {
    match error.try_into_panic() {
        Ok(panic) => std::panic::resume_unwind(panic),
        Err(error) => StoreError::WriterStopped(error),
    }
}

/// Adds `rows` to `pending` and takes off its front the rows that fill whole statements.
fn take_full_statements<T>(pending: &mut Vec<T>, rows: Vec<T>) -> Vec<T> {
    pending.extend(rows);
    pending
        .drain(..pending.len() / BATCH_ROWS * BATCH_ROWS)
        .collect()
}
