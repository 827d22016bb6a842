//! PostgreSQL first loads: an import into an empty `inquiries` or `survey_responses` table
//! writes its rows without the table's indexes and builds them once, at commit.
//!
//! **Why.** Inserting a row into a B-tree costs a descent per index, plus the conflict
//! check's own descent of the primary key; building an index sorts all rows at once, on
//! both cores. Measured on the 2-core VM with 2M inquiries into an empty table: 32 s
//! through `INSERT … ON CONFLICT` with the six indexes in place, 15 s as a plain insert
//! followed by the index builds (docs/performance.md). A first load is when millions of
//! rows arrive at once (a platform's history); later imports keep the upsert path.
//!
//! **When.** Only when the table is empty once locked, has exactly the indexes pulso's
//! migration creates (a platform's own table keeps its indexes untouched), nothing
//! references its primary key, and the connection's role owns the table. The lock is
//! `ACCESS EXCLUSIVE` until commit: the table is empty, so readers lose nothing by waiting
//! for the load instead of counting zeros.
//!
//! **Repeated keys.** Without the primary key nothing catches a `(workspace, id)` written
//! twice until the key is built at commit, and its build fails. Refusing repeats
//! ([`RepeatedKeys::Refuse`], `pulso import`), that failure fails the write. Keeping the
//! last row, each call's rows keep only the last row of a key and are sent as one `COPY`
//! (the writer does that), so the older copies are those with a lower command id (`cmin`):
//! they are deleted and the build runs again, as the upsert path would have left it.
//!
//! **Marks.** The table's statement-level insert trigger (`pulso_mark_inquiries`, …) is
//! disabled for the load, and the days are marked once, by one grouped statement over the
//! loaded table, after the indexes are built. Fired per `COPY` chunk, each statement of a
//! shuffled file marked nearly every span of the history again, and each such
//! `ON CONFLICT DO UPDATE` left another version of the same `aggregate_dirty` rows that no
//! one could prune before commit: every later conflict check walked all of them. A 10M-row
//! shuffled load slowed from 72,000 to 52,000 rows/s as it read, with the server busy in
//! `heap_hot_search_buffer`; a time-ordered file touches few spans per chunk and never
//! showed it. Marking once took that import from 41,000 to 115,000 rows/s
//! (`pulso bench`, docs/performance.md).
//!
//! The indexes are dropped and the trigger disabled inside the import's transaction: a
//! rollback puts them back. The lock is waited for at most 2 s (a session idle in a
//! transaction that read the table holds it off); after that the import takes the upsert
//! path.

use sqlx::PgConnection;

use super::writer::RepeatedKeys;
use super::{StoreError, query_error};

/// A table pulso's migration created, as the first-load path knows it.
pub(super) struct LoadedTable {
    /// The table's name.
    pub name: &'static str,
    /// Its primary key constraint (the index has the same name).
    primary_key: &'static str,
    /// Its other indexes.
    indexes: &'static [&'static str],
    /// Its statement-level insert trigger, which marks the days of inserted rows.
    insert_trigger: &'static str,
    /// What that trigger marks, for all the table's rows at once (its rows are all new).
    mark_all: &'static str,
    /// What it also marks for answers stored before the load, which change group.
    mark_answers: Option<&'static str>,
}

/// The inquiry table of `migrations/postgres/20261129000001_inquiries.sql`.
pub(super) const INQUIRIES: LoadedTable = LoadedTable {
    name: "inquiries",
    primary_key: "inquiries_pkey",
    indexes: super::INQUIRY_INDEXES,
    insert_trigger: "inquiries_dirty_insert",
    mark_all: MARK_ALL_INQUIRIES,
    mark_answers: Some(MARK_ANSWERS_OF_ALL_INQUIRIES),
};

/// The survey answer table of the same migration, with the insertion-order index of
/// `20261212000003_low_survey_cursor.sql`.
pub(super) const SURVEYS: LoadedTable = LoadedTable {
    name: "survey_responses",
    primary_key: "survey_responses_pkey",
    indexes: super::SURVEY_INDEXES,
    insert_trigger: "survey_responses_dirty_insert",
    mark_all: MARK_ALL_SURVEYS,
    mark_answers: None,
};

/// The spans `pulso_mark_inquiries` marks for inserted rows (the same expressions), for
/// every row of the table.
const MARK_ALL_INQUIRIES: &str = "\
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
    SELECT DISTINCT workspace, \
           floor(date_part('epoch', LEAST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint, \
           floor(date_part('epoch', GREATEST(requested_at, attended_at, resolved_at, expired_at)) / 86400)::bigint \
    FROM inquiries \
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1";

/// The days `pulso_mark_inquiries` marks for the answers of inserted inquiries (their
/// groups change), for every inquiry of the table. Only needed when the answers were there
/// before: answers loaded with the inquiries have their days marked as new rows.
const MARK_ANSWERS_OF_ALL_INQUIRIES: &str = "\
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
    SELECT DISTINCT s.workspace, floor(date_part('epoch', s.answered_at) / 86400)::bigint, \
           floor(date_part('epoch', s.answered_at) / 86400)::bigint \
    FROM survey_responses s \
    WHERE EXISTS (SELECT 1 FROM inquiries n WHERE n.workspace = s.workspace AND n.id = s.inquiry_id) \
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1";

/// The days `pulso_mark_surveys` marks for inserted answers, for every answer of the table.
const MARK_ALL_SURVEYS: &str = "\
    INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
    SELECT DISTINCT workspace, floor(date_part('epoch', answered_at) / 86400)::bigint, \
           floor(date_part('epoch', answered_at) / 86400)::bigint \
    FROM survey_responses \
    ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = aggregate_dirty.version + 1";

/// Whether the table's insert trigger exists and fires (a platform or an operator may have
/// removed or disabled it; then nothing is marked, as before the load).
const TRIGGER_FIRES: &str = "\
    SELECT EXISTS (SELECT 1 FROM pg_trigger \
                   WHERE tgrelid = $1::regclass AND tgname = $2 AND tgenabled <> 'D')";

/// A table on its first load: its indexes' definitions, to build at commit, and whether
/// its insert trigger was disabled (then the load marks its rows' days itself).
pub(super) struct SetAside {
    table: &'static LoadedTable,
    trigger_disabled: bool,
    /// `PRIMARY KEY (workspace, id)`, as `pg_get_constraintdef` gives it.
    primary_key: String,
    /// `CREATE INDEX …` statements, as `pg_get_indexdef` gives them.
    indexes: Vec<String>,
}

/// Each index of a table with the definition to build it again (the constraint's for the
/// primary key), whether the table is the role's to alter, and whether a foreign key
/// points at it.
const READ_INDEXES: &str = "\
    SELECT i.relname::text, \
           COALESCE(pg_get_constraintdef(k.oid), pg_get_indexdef(i.oid)), \
           k.contype = 'p' \
    FROM pg_index x \
    JOIN pg_class i ON i.oid = x.indexrelid \
    LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid \
    WHERE x.indrelid = $1::regclass \
      AND pg_has_role((SELECT relowner FROM pg_class WHERE oid = $1::regclass), 'USAGE') \
      AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = $1::regclass)";

/// Takes `table` for a first load when it qualifies (module docs): locks it, drops its
/// indexes and returns their definitions. `None` leaves the table on the upsert path.
pub(super) async fn set_aside_if_empty(
    connection: &mut PgConnection,
    table: &'static LoadedTable,
) -> Result<Option<SetAside>, StoreError> {
    if !is_empty(connection, table).await? {
        return Ok(None);
    }
    let found = sqlx::query_as(READ_INDEXES)
        .bind(table.name)
        .fetch_all(&mut *connection)
        .await
        .map_err(query_error("reading a table's indexes"));
    let Some(set_aside) = pulsos_own(table, found?) else {
        return Ok(None);
    };
    if !lock_within_timeout(connection, table).await? {
        return Ok(None);
    }
    // Another import may have committed rows between the check and the lock.
    if !is_empty(connection, table).await? {
        return Ok(None);
    }
    let drop_key = format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        table.name, table.primary_key
    );
    let drop_indexes = format!("DROP INDEX {}", table.indexes.join(", "));
    for statement in [drop_key, drop_indexes] {
        execute(
            connection,
            &statement,
            "setting indexes aside for a first load",
        )
        .await?;
    }
    let fires: bool = sqlx::query_scalar(TRIGGER_FIRES)
        .bind(table.name)
        .bind(table.insert_trigger)
        .fetch_one(&mut *connection)
        .await
        .map_err(query_error("reading a table's insert trigger"))?;
    if fires {
        let disable = format!(
            "ALTER TABLE {} DISABLE TRIGGER {}",
            table.name, table.insert_trigger
        );
        execute(connection, &disable, "suspending an insert trigger").await?;
    }
    Ok(Some(SetAside {
        trigger_disabled: fires,
        ..set_aside
    }))
}

/// Takes the table's `ACCESS EXCLUSIVE` lock, or gives up after [`LOCK_WAIT`] and returns
/// `false`: while the lock request waits, every new reader queues behind it, so a session
/// left idle in a transaction that read the table would otherwise stall the bot too.
async fn lock_within_timeout(
    connection: &mut PgConnection,
    table: &LoadedTable,
) -> Result<bool, StoreError> {
    let what = "locking a table for its first load";
    for statement in ["SAVEPOINT pulso_first_load_lock", LOCK_WAIT] {
        execute(connection, statement, what).await?;
    }
    let lock = format!("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", table.name);
    let locked = sqlx::query(&lock).execute(&mut *connection).await;
    let (taken, then) = match locked {
        // The lock moves to the transaction with the savepoint's release.
        Ok(_) => (
            true,
            "SET LOCAL lock_timeout TO DEFAULT; RELEASE SAVEPOINT pulso_first_load_lock",
        ),
        Err(error) if has_code(&error, LOCK_NOT_AVAILABLE) => {
            (false, "ROLLBACK TO SAVEPOINT pulso_first_load_lock")
        }
        Err(error) => return Err(query_error(what)(error)),
    };
    sqlx::Executor::execute(&mut *connection, then)
        .await
        .map_err(query_error(what))?;
    Ok(taken)
}

/// How long a first load waits for its lock before taking the upsert path instead.
const LOCK_WAIT: &str = "SET LOCAL lock_timeout = '2s'";
/// `lock_not_available`: `lock_timeout` ran out.
pub(super) const LOCK_NOT_AVAILABLE: &str = "55P03";
/// `unique_violation`: a key written twice.
const UNIQUE_VIOLATION: &str = "23505";

async fn is_empty(connection: &mut PgConnection, table: &LoadedTable) -> Result<bool, StoreError> {
    let sql = format!("SELECT NOT EXISTS (SELECT 1 FROM {})", table.name);
    let empty = sqlx::query_scalar(&sql).fetch_one(connection).await;
    empty.map_err(query_error("checking for a first load"))
}

async fn execute(
    connection: &mut PgConnection,
    sql: &str,
    what: &'static str,
) -> Result<(), StoreError> {
    let done = sqlx::query(sql).execute(connection).await;
    done.map(|_| ()).map_err(query_error(what))
}

/// The definitions of `found` when they are exactly `table`'s primary key and indexes.
fn pulsos_own(
    table: &'static LoadedTable,
    found: Vec<(String, String, Option<bool>)>,
) -> Option<SetAside> {
    if found.len() != table.indexes.len() + 1 {
        return None;
    }
    let mut primary_key = None;
    let mut indexes = Vec::with_capacity(table.indexes.len());
    for (name, definition, is_primary) in found {
        if name == table.primary_key && is_primary == Some(true) {
            primary_key = Some(definition);
        } else if table.indexes.contains(&name.as_str()) && is_primary.is_none() {
            indexes.push(definition);
        } else {
            return None;
        }
    }
    Some(SetAside {
        table,
        trigger_disabled: false,
        primary_key: primary_key?,
        indexes,
    })
}

/// Older copies of a key written twice on a first load: all but the one with the highest
/// command id (the last batch's statement).
fn delete_older_copies(table: &str) -> String {
    format!(
        "DELETE FROM {table} t USING ( \
             SELECT workspace, id, max(cmin::text::bigint) AS last FROM {table} \
             GROUP BY workspace, id HAVING count(*) > 1) d \
         WHERE t.workspace = d.workspace AND t.id = d.id AND t.cmin::text::bigint < d.last"
    )
}

impl SetAside {
    /// Builds the primary key and the indexes again (when the key's build finds a key
    /// written twice, fails or removes the older copies first, as `repeated` says), then
    /// marks the days of the loaded rows and enables the insert trigger again.
    /// `answers_were_there`: the answer table held rows before this write, so answers to
    /// the loaded inquiries change group and their days are marked too.
    pub(super) async fn build(
        self,
        connection: &mut PgConnection,
        repeated: RepeatedKeys,
        answers_were_there: bool,
    ) -> Result<(), StoreError> {
        let what = "building the indexes of a first load";
        let name = self.table.name;
        let add_key = format!(
            "ALTER TABLE {name} ADD CONSTRAINT {} {}",
            self.table.primary_key, self.primary_key
        );
        execute(connection, "SAVEPOINT pulso_first_load", what).await?;
        // Awaited apart from the match: the query borrows `add_key`, which an arm moves.
        let added = sqlx::query(&add_key).execute(&mut *connection).await;
        match added {
            Ok(_) => {}
            Err(error) if has_code(&error, UNIQUE_VIOLATION) => {
                if repeated == RepeatedKeys::Refuse {
                    return Err(StoreError::RepeatedKey { table: name });
                }
                for statement in [
                    "ROLLBACK TO SAVEPOINT pulso_first_load".to_string(),
                    delete_older_copies(name),
                    add_key,
                ] {
                    execute(connection, &statement, what).await?;
                }
            }
            Err(error) => return Err(query_error(what)(error)),
        }
        for statement in std::iter::once("RELEASE SAVEPOINT pulso_first_load")
            .chain(self.indexes.iter().map(String::as_str))
        {
            execute(connection, statement, what).await?;
        }
        if self.trigger_disabled {
            self.mark_and_enable_trigger(connection, answers_were_there)
                .await?;
        }
        Ok(())
    }

    /// Marks what the disabled insert trigger would have marked for the loaded rows, then
    /// enables it.
    async fn mark_and_enable_trigger(
        &self,
        connection: &mut PgConnection,
        answers_were_there: bool,
    ) -> Result<(), StoreError> {
        let table = self.table;
        let what = "marking the days of a first load";
        execute(connection, table.mark_all, what).await?;
        if let Some(mark_answers) = table.mark_answers.filter(|_| answers_were_there) {
            execute(connection, mark_answers, what).await?;
        }
        let enable = format!(
            "ALTER TABLE {} ENABLE TRIGGER {}",
            table.name, table.insert_trigger
        );
        execute(connection, &enable, "restoring an insert trigger").await
    }
}

/// Whether PostgreSQL refused with SQLSTATE `code`.
pub(super) fn has_code(error: &sqlx::Error, code: &str) -> bool {
    error
        .as_database_error()
        .and_then(|error| error.code())
        .is_some_and(|found| found == code)
}
