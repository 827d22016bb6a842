//! `pulso import` killed with SIGKILL (no chance to roll back anything itself) at points from
//! early in the reading to the commit: the database is exactly as before (rows, day marks,
//! and every index and trigger, which a first load drops inside its transaction), or,
//! killed after its commit, exactly the whole import; a second run then completes.
//!
//! The kill points are fractions of how long a whole import of the same file took on this
//! machine, so some land while rows are read and some while the commit builds indexes or
//! moves staged rows; nothing asserts a duration.

use std::time::{Duration, Instant};

use super::binary::{Sandbox, write_big_files};
use super::dataset::{Contents, assert_intact, contents, fresh_like, marks, same, schema};
use super::*;
use crate::helpers::TestDb;

crate::app_tests!(a_killed_import_leaves_the_database_as_it_was);

/// Rows of the first file: enough that an import takes a moment.
const FIRST_ROWS: u64 = 200_000;
/// Rows of the second file: the first's ids, all changed, and 50,000 new ones.
const SECOND_ROWS: u64 = 250_000;

/// What a kill may change: rows, day marks, indexes and triggers.
#[derive(Debug, PartialEq, Eq)]
struct State {
    contents: Contents,
    marks: Vec<(String, i64, i64)>,
    schema: Vec<(String, String)>,
}

async fn state(store: &Store) -> State {
    State {
        contents: contents(store, &same).await,
        marks: marks(store).await,
        schema: schema(store).await,
    }
}

/// How a killed run left the database.
enum Outcome {
    /// Exactly as before the run.
    Untouched,
    /// The run had committed (it finished, or was killed just after its commit).
    Committed,
}

/// Starts an import of `files`, kills it after `delay` and checks the database is `before`
/// or, if the import got to commit, holds `rows` inquiries and `answers` answers with the
/// migration's indexes and triggers.
async fn kill_after(
    sandbox: &Sandbox,
    store: &Store,
    files: &(PathBuf, PathBuf),
    delay: Duration,
    before: &State,
    (rows, answers): (u64, u64),
) -> Outcome {
    let mut child = sandbox.spawn_import(&files.0, Some(&files.1));
    tokio::time::sleep(delay).await;
    let finished = child.try_wait().expect("child status");
    if finished.is_none() {
        // `Child::kill` is SIGKILL on Unix.
        child.kill().expect("SIGKILL");
    }
    let status = child.wait().expect("wait for pulso");
    if let Some(status) = finished {
        assert!(status.success(), "import failed before the kill: {status}");
    }
    let after = state(store).await;
    if after == *before {
        assert!(finished.is_none(), "a finished import changed nothing");
        return Outcome::Untouched;
    }
    if after.contents == before.contents {
        assert_eq!(
            after.schema, before.schema,
            "rows as before, indexes and triggers not"
        );
        assert_eq!(after.marks, before.marks, "rows as before, day marks not");
    }
    let counts = (
        after.contents.inquiries.len() as u64,
        after.contents.surveys.len() as u64,
    );
    assert_eq!(
        counts,
        (rows, answers),
        "killed after {delay:?} ({status}): neither as before nor the whole import"
    );
    assert_eq!(after.schema, before.schema, "indexes and triggers");
    assert_intact(store).await;
    Outcome::Committed
}

/// Kills imports of `files` into the database at each of `fractions` of `full`; stops when
/// one got to commit. Returns how many kills left the database untouched.
async fn kill_at(
    sandbox: &Sandbox,
    store: &Store,
    files: &(PathBuf, PathBuf),
    (full, fractions): (Duration, &[f64]),
    expected: (u64, u64),
) -> (usize, bool) {
    let before = state(store).await;
    let mut untouched = 0;
    for fraction in fractions {
        let delay = full.mul_f64(*fraction);
        match kill_after(sandbox, store, files, delay, &before, expected).await {
            Outcome::Untouched => untouched += 1,
            Outcome::Committed => return (untouched, true),
        }
    }
    (untouched, false)
}

/// A first load killed at five points leaves empty tables with all their indexes (it drops
/// them inside its transaction) and triggers; an upsert into the 200,000 rows it then holds,
/// killed at five points, leaves those rows, marks and indexes; each then runs to the end.
async fn a_killed_import_leaves_the_database_as_it_was(db: TestDb) {
    let files_dir = tempfile::tempdir().expect("temp dir");
    let (first, first_counts) =
        write_big_files(files_dir.path(), "first", "k", FIRST_ROWS, "whatsapp");
    let (second, second_counts) =
        write_big_files(files_dir.path(), "second", "k", SECOND_ROWS, "webchat");

    // How long a whole first load takes here: the kill points are fractions of it.
    let timing = fresh_like(&db.store).await;
    let started = Instant::now();
    Sandbox::new(&timing.url).import(&first.0, Some(&first.1));
    let full = started.elapsed();
    timing.finish().await;

    // A first load into empty tables.
    let sandbox = Sandbox::new(&db.url);
    let migrated = schema(&db.store).await;
    let fractions = [0.05, 0.3, 0.6, 0.85, 0.97];
    let (untouched, committed) = kill_at(
        &sandbox,
        &db.store,
        &first,
        (full, &fractions),
        first_counts,
    )
    .await;
    assert!(
        untouched >= 2,
        "only {untouched} kill(s) landed before the commit"
    );
    assert_eq!(count_rows(&db.store, "inquiries").await > 0, committed);
    if !committed {
        let (stdout, _) = sandbox.import(&first.0, Some(&first.1));
        assert_eq!(
            stdout,
            format!(
                "imported {FIRST_ROWS} inquiries and {} survey answers\n",
                first_counts.1
            )
        );
    }
    assert_eq!(count_rows(&db.store, "inquiries").await, FIRST_ROWS as i64);
    assert_eq!(schema(&db.store).await, migrated, "after the first load");
    assert_intact(&db.store).await;

    // An upsert into the filled tables: every row changed, and new ones.
    let fractions = [0.05, 0.3, 0.6, 0.9, 1.2];
    let (untouched, committed) = kill_at(
        &sandbox,
        &db.store,
        &second,
        (full, &fractions),
        second_counts,
    )
    .await;
    assert!(
        untouched >= 2,
        "only {untouched} kill(s) landed before the commit"
    );
    if !committed {
        sandbox.import(&second.0, Some(&second.1));
    }
    assert_eq!(count_rows(&db.store, "inquiries").await, SECOND_ROWS as i64);
    assert_eq!(
        count_rows(&db.store, "survey_responses").await,
        second_counts.1 as i64
    );
    let moved: i64 = crate::on_pool!(&db.store, |pool| sqlx::query_scalar(
        "SELECT count(*) FROM inquiries WHERE channel = 'webchat'"
    )
    .fetch_one(pool)
    .await)
    .expect("count changed rows");
    assert_eq!(moved, SECOND_ROWS as i64, "every row is the second file's");
    assert_eq!(schema(&db.store).await, migrated, "after the upsert");
    assert_intact(&db.store).await;
    db.finish().await;
}
