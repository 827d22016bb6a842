//! Finding ids given twice in one CSV file without holding the file's ids in memory.
//!
//! `pulso import` once kept a hash of every id it had read: 438 MB at 10M rows, growing
//! with the file, and a 64-bit hash collision would have reported a false duplicate. The
//! ledger instead writes each `(workspace, id, line)` into a private temporary SQLite
//! database (on disk, deleted when the ledger is dropped) and lets SQLite sort them: memory
//! stays at its page cache whatever the file, and ids are compared exactly. It is only used
//! once an import is refused anyway (the write transaction found a key twice, or other
//! problems were found), so its cost never slows down an import that succeeds.

use rusqlite::Connection;

use super::sqlite_rows::{BulkRow, write_rows};
use super::{BATCH_ROWS, StoreError, failed};

/// The ledger's page cache, KiB (negative: SQLite's unit for KiB); the sorter sizes its
/// working memory from it.
const LEDGER_CACHE_KIB: i64 = -32_768;

/// Each key after its first occurrence, with the line of that first occurrence, in line
/// order.
const REPEATS: &str = "SELECT line, first FROM \
     (SELECT line, min(line) OVER (PARTITION BY workspace, id) AS first FROM keys) \
     WHERE line > first ORDER BY line";

/// The keys of one file, in a temporary database.
pub struct KeyLedger {
    connection: Connection,
    pending: Vec<(String, String, i64)>,
}

/// One id given again: on `line`, first given on `first_line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatedId {
    /// The line that repeats the key.
    pub line: u64,
    /// The line that gave it first.
    pub first_line: u64,
}

/// The first repeats of a file and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Repeats {
    /// Up to the limit asked for, in line order.
    pub first: Vec<RepeatedId>,
    /// Every repeat of the file.
    pub total: usize,
}

impl KeyLedger {
    /// Opens an empty ledger in a private temporary database.
    ///
    /// # Errors
    /// [`StoreError::Write`] when SQLite cannot create it (no temporary folder).
    pub fn new() -> Result<KeyLedger, StoreError> {
        let what = "creating a temporary database to look for repeated ids";
        // An empty name is SQLite's private temporary database, on disk, removed on close.
        let connection = Connection::open("").map_err(failed(what))?;
        connection
            .pragma_update(None, "cache_size", LEDGER_CACHE_KIB)
            .and_then(|()| connection.pragma_update(None, "temp_store", "FILE"))
            .and_then(|()| connection.pragma_update(None, "journal_mode", "OFF"))
            .and_then(|()| connection.pragma_update(None, "synchronous", "OFF"))
            .and_then(|()| connection.execute_batch("CREATE TABLE keys (workspace, id, line)"))
            .map_err(failed(what))?;
        Ok(KeyLedger {
            connection,
            pending: Vec::with_capacity(BATCH_ROWS),
        })
    }

    /// Records that `line` gives the key `(workspace, id)`.
    ///
    /// # Errors
    /// [`StoreError::Write`] when the temporary database cannot be written (disk full).
    pub fn add(&mut self, workspace: &str, id: &str, line: u64) -> Result<(), StoreError> {
        let line = i64::try_from(line).unwrap_or(i64::MAX);
        self.pending
            .push((workspace.to_string(), id.to_string(), line));
        if self.pending.len() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// The first `limit` repeated keys in line order, and how many there are.
    ///
    /// # Errors
    /// [`StoreError::Write`] when the temporary database cannot be read or sorted.
    pub fn repeats(mut self, limit: usize) -> Result<Repeats, StoreError> {
        self.flush()?;
        let what = "looking for repeated ids";
        let mut statement = self.connection.prepare(REPEATS).map_err(failed(what))?;
        let mut rows = statement.query([]).map_err(failed(what))?;
        let mut repeats = Repeats::default();
        while let Some(row) = rows.next().map_err(failed(what))? {
            repeats.total += 1;
            if repeats.first.len() < limit {
                let line: i64 = row.get(0).map_err(failed(what))?;
                let first_line: i64 = row.get(1).map_err(failed(what))?;
                repeats.first.push(RepeatedId {
                    line: u64::try_from(line).unwrap_or_default(),
                    first_line: u64::try_from(first_line).unwrap_or_default(),
                });
            }
        }
        Ok(repeats)
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        let head = "INSERT INTO keys (workspace, id, line) ";
        write_rows(&self.connection, (head, ""), &self.pending)
            .map_err(failed("recording ids to look for repeats"))?;
        self.pending.clear();
        Ok(())
    }
}

/// A recorded key: `(workspace, id, line)`.
impl BulkRow for (String, String, i64) {
    const COLUMNS: usize = 3;

    fn bind(&self, statement: &mut rusqlite::Statement<'_>, first: usize) -> rusqlite::Result<()> {
        statement.raw_bind_parameter(first + 1, self.0.as_str())?;
        statement.raw_bind_parameter(first + 2, self.1.as_str())?;
        statement.raw_bind_parameter(first + 3, self.2)
    }
}
