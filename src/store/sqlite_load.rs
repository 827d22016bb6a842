//! How the SQLite bulk writer gets rows into a table fast in any order: a **first load**
//! into an empty table inserts the rows bare and builds every index at commit by sorting;
//! any other write **stages** the rows in a temporary table and moves them in at commit in
//! time order, in one statement.
//!
//! **Why.** Inserting a row costs a descent of each of the table's B-trees (six for
//! inquiries). In time order those descents walk the same few pages again and again; in
//! any other order (a shuffled export, UUID ids) nearly every one reads a page that is no
//! longer cached and writes back one that was: 13,500 rows/s for 2.7M shuffled rows with
//! UUID ids against 112,000 in time order (docs/performance.md). Building an index sorts
//! its keys once, whatever the order they came in; and a staged upsert moved in time
//! order touches the time indexes' pages in order too, leaving only the key index to be
//! descended at random.
//!
//! **Repeated keys.** Neither path sees a key written twice while it writes (the first
//! load has no key index yet, the staged rows none at all), so commit looks: the key
//! index's build fails on a first load, a grouped count finds them among staged rows.
//! Then [`RepeatedKeys`] decides: `Refuse` fails the write (the import then finds the
//! lines), `LastWins` keeps the row written last, as writing them one by one would.

use rusqlite::{Connection, ErrorCode};

use super::queries::{BulkShape, INQUIRY_SHAPE, SURVEY_SHAPE};
use super::sqlite_rows::MarkedRow;
use super::writer::RepeatedKeys;
use super::{StoreError, failed};

/// A table the bulk writer fills, with the indexes its migration (`20261214000001`) made.
pub(super) struct BulkTable {
    /// Its name, columns, staging table and upsert.
    shape: &'static BulkShape,
    /// The unique index on `(workspace, id)`.
    key_index: &'static str,
    /// Its other indexes.
    indexes: &'static [&'static str],
}

/// The inquiry table.
pub(super) const INQUIRIES: BulkTable = BulkTable {
    shape: &INQUIRY_SHAPE,
    key_index: "inquiries_key",
    indexes: super::INQUIRY_INDEXES,
};

/// The survey answer table.
pub(super) const SURVEYS: BulkTable = BulkTable {
    shape: &SURVEY_SHAPE,
    key_index: "survey_responses_key",
    indexes: super::SURVEY_INDEXES,
};

/// The path of each table in one write transaction.
pub(super) struct Paths {
    /// The inquiry table's.
    pub inquiries: TablePath,
    /// The survey answer table's.
    pub surveys: TablePath,
}

/// How one table's rows go in during one write transaction.
pub(super) enum TablePath {
    /// The table was empty and had exactly its migration's indexes: they were dropped and
    /// are built at commit from these `CREATE INDEX` texts, the key's first.
    FirstLoad {
        /// The table.
        table: &'static BulkTable,
        /// The indexes' definitions as SQLite stored them.
        indexes: Vec<String>,
    },
    /// Rows go to the staging table and are upserted at commit.
    Staged(&'static BulkTable),
}

impl TablePath {
    /// Chooses the path for `table` inside the open write transaction (which holds the
    /// write lock, so the table cannot fill up or change its indexes meanwhile), and
    /// prepares it: drops the indexes of a first load, creates the staging table otherwise.
    pub(super) fn prepare(
        connection: &Connection,
        table: &'static BulkTable,
    ) -> Result<TablePath, StoreError> {
        let what = "preparing the import";
        let empty: bool = connection
            .query_row(
                &format!("SELECT NOT EXISTS (SELECT 1 FROM {})", table.shape.name),
                [],
                |row| row.get(0),
            )
            .map_err(failed(what))?;
        let indexes = if empty {
            own_indexes(connection, table).map_err(failed(what))?
        } else {
            None
        };
        if let Some(indexes) = indexes {
            for name in std::iter::once(&table.key_index).chain(table.indexes) {
                connection
                    .execute_batch(&format!("DROP INDEX {name}"))
                    .map_err(failed("setting indexes aside for a first load"))?;
            }
            return Ok(TablePath::FirstLoad { table, indexes });
        }
        let create = format!(
            "CREATE TEMP TABLE {} ({})",
            table.shape.staged, table.shape.columns
        );
        connection
            .execute_batch(&create)
            .map_err(failed("creating a staging table"))?;
        Ok(TablePath::Staged(table))
    }

    /// The statement head and tail rows of this table are written with.
    pub(super) fn insert(&self) -> (String, &'static str) {
        match self {
            TablePath::FirstLoad { table, .. } => (table.shape.upsert.0.to_string(), ""),
            TablePath::Staged(table) => (
                format!(
                    "INSERT INTO temp.{} ({}) ",
                    table.shape.staged, table.shape.columns
                ),
                "",
            ),
        }
    }

    /// Whether rows written go straight into the table (whose spans the writer marks).
    pub(super) fn is_first_load(&self) -> bool {
        matches!(self, TablePath::FirstLoad { .. })
    }

    /// Finishes the table: builds a first load's indexes, or moves the staged rows in (and
    /// marks the days of those it inserted, as the suspended insert trigger would have).
    pub(super) fn finish<T: MarkedRow>(
        self,
        connection: &Connection,
        repeated: RepeatedKeys,
    ) -> Result<(), StoreError> {
        match self {
            TablePath::FirstLoad { table, indexes } => {
                build_indexes(connection, table, &indexes, repeated)
            }
            TablePath::Staged(table) => move_staged::<T>(connection, table, repeated),
        }
    }
}

/// The `CREATE INDEX` texts of `table`'s indexes, its key's first, when they are exactly
/// the ones its migration made (a table someone added an index to keeps its indexes).
fn own_indexes(
    connection: &Connection,
    table: &BulkTable,
) -> rusqlite::Result<Option<Vec<String>>> {
    let mut statement = connection
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1")?;
    let found = statement
        .query_map([table.shape.name], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if found.len() != table.indexes.len() + 1 {
        return Ok(None);
    }
    let mut key = None;
    let mut others = Vec::with_capacity(table.indexes.len());
    for (name, sql) in found {
        // An automatic index (a table-level UNIQUE) has no text and cannot be dropped.
        let Some(sql) = sql else { return Ok(None) };
        if name == table.key_index {
            key = Some(sql);
        } else if table.indexes.contains(&name.as_str()) {
            others.push(sql);
        } else {
            return Ok(None);
        }
    }
    Ok(key.map(|key| std::iter::once(key).chain(others).collect()))
}

/// Builds the key index (handling repeated keys as `repeated` says), then the others.
fn build_indexes(
    connection: &Connection,
    table: &BulkTable,
    indexes: &[String],
    repeated: RepeatedKeys,
) -> Result<(), StoreError> {
    let what = "building the indexes of a first load";
    connection
        .pragma_update(None, "threads", sorter_threads())
        .map_err(failed(what))?;
    let (key, others) = indexes
        .split_first()
        .expect("the key index is listed first");
    match connection.execute_batch(key) {
        Ok(()) => {}
        Err(error) if is_constraint(&error) => {
            if repeated == RepeatedKeys::Refuse {
                return Err(StoreError::RepeatedKey {
                    table: table.shape.name,
                });
            }
            // Row ids grow in writing order: the largest of a key is the row written last.
            let keep_last = format!(
                "DELETE FROM {0} WHERE row_id NOT IN \
                 (SELECT max(row_id) FROM {0} GROUP BY workspace, id)",
                table.shape.name
            );
            connection.execute_batch(&keep_last).map_err(failed(what))?;
            connection.execute_batch(key).map_err(failed(what))?;
        }
        Err(error) => return Err(failed(what)(error)),
    }
    for index in others {
        connection.execute_batch(index).map_err(failed(what))?;
    }
    // The rest of the write (a staged move, the marks) sorts little.
    connection
        .pragma_update(None, "threads", 0)
        .map_err(failed(what))
}

/// Helper threads SQLite's sorter may use for a first load's index builds: one per core
/// beyond the first, at most [`MAX_SORTER_THREADS`]. While the indexes are built the
/// import has nothing else to do, and sorting is most of that time on a shuffled file: 10M
/// shuffled inquiries with UUID ids and their answers, 142 s → 112 s with one helper (104 s
/// with two, but 294 MB peak instead of 230); a time-ordered file's sorts are no slower.
fn sorter_threads() -> i64 {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    i64::try_from((cores - 1).min(MAX_SORTER_THREADS)).unwrap_or(0)
}

/// Each sorter thread holds a run of up to the cache's size in memory: this bounds the
/// import's memory whatever the machine (the budget is 300 MB).
const MAX_SORTER_THREADS: usize = 1;

/// Upserts the staged rows into `table` in time order, after handling repeated keys.
fn move_staged<T: MarkedRow>(
    connection: &Connection,
    table: &BulkTable,
    repeated: RepeatedKeys,
) -> Result<(), StoreError> {
    let staged = table.shape.staged;
    let repeats = format!(
        "SELECT EXISTS (SELECT 1 FROM temp.{staged} GROUP BY workspace, id HAVING count(*) > 1)"
    );
    let has_repeats: bool = connection
        .query_row(&repeats, [], |row| row.get(0))
        .map_err(failed("looking for keys written twice"))?;
    if has_repeats {
        if repeated == RepeatedKeys::Refuse {
            return Err(StoreError::RepeatedKey {
                table: table.shape.name,
            });
        }
        let keep_last = format!(
            "DELETE FROM temp.{staged} WHERE rowid NOT IN \
             (SELECT max(rowid) FROM temp.{staged} GROUP BY workspace, id)"
        );
        connection
            .execute_batch(&keep_last)
            .map_err(failed("keeping the last row of keys written twice"))?;
    }
    let last_row_id = |connection: &Connection| {
        connection.query_row(T::LAST_ROW_ID, [], |row| row.get::<_, i64>(0))
    };
    let before = last_row_id(connection).map_err(failed(T::WRITING))?;
    // `WHERE true` tells SQLite's parser the `ON` that follows starts the upsert clause.
    let (head, tail) = table.shape.upsert;
    let upsert = format!(
        "{head}SELECT {} FROM temp.{staged} WHERE true ORDER BY {}{tail}",
        table.shape.columns, table.shape.time_order
    );
    connection
        .execute_batch(&upsert)
        .map_err(failed(T::WRITING))?;
    let after = last_row_id(connection).map_err(failed(T::WRITING))?;
    if after > before {
        connection
            .prepare_cached(T::MARK_INSERTED)
            .and_then(|mut statement| statement.execute([before]))
            .map_err(failed("marking the days of the written rows"))?;
    }
    connection
        .execute_batch(&format!("DROP TABLE temp.{staged}"))
        .map_err(failed("dropping a staging table"))
}

/// Whether SQLite refused a statement for a constraint (a unique index finding a key
/// twice).
fn is_constraint(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
}
