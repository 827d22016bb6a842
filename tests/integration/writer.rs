//! The import writer's contract on both backends, whichever path it takes: on PostgreSQL a
//! first load into empty tables writes without indexes and builds them at commit, later
//! imports upsert. Either way the last row written for a key wins, and the tables keep
//! exactly the indexes and keys they had.

use std::time::Duration;

use pulso::domain::SurveyKind;
use pulso::store::{Pool, Store};

use crate::helpers::*;

crate::backend_tests!(
    a_key_written_twice_keeps_its_last_row,
    a_first_load_leaves_the_indexes_as_they_were,
    a_platform_table_keeps_its_own_indexes,
    two_imports_into_empty_tables_both_land,
    a_reader_left_in_a_transaction_does_not_hold_up_an_import,
);

/// Rows repeated within one batch and across batches, first into empty tables (the first
/// load on PostgreSQL), then again into the filled ones (the upsert path).
async fn a_key_written_twice_keeps_its_last_row(store: &Store) {
    let at = utc(2026, 3, 5, 9, 0, 0);
    let mut writer = store.writer().await.expect("writer");
    writer
        .upsert_inquiries(vec![pending("w", "a", at), pending("w", "b", at)])
        .await
        .expect("first batch");
    writer
        .upsert_surveys(vec![answer("w", "s", SurveyKind::Nps, 1, at)])
        .await
        .expect("first answers");
    writer
        .upsert_inquiries(vec![
            in_progress("w", "a", at, 5),
            resolved("w", "a", at, 5, 10),
        ])
        .await
        .expect("second batch");
    writer
        .upsert_surveys(vec![
            answer("w", "s", SurveyKind::Nps, 7, at),
            answer("w", "s", SurveyKind::Nps, 9, at),
        ])
        .await
        .expect("second answers");
    writer.commit().await.expect("commit");
    assert_eq!(rows(store).await, ["a resolved", "b pending", "s 9"]);

    let mut writer = store.writer().await.expect("writer");
    writer
        .upsert_inquiries(vec![
            expired("w", "b", at, 60),
            in_progress("w", "b", at, 3),
        ])
        .await
        .expect("third batch");
    writer
        .upsert_surveys(vec![answer("w", "s", SurveyKind::Nps, 4, at)])
        .await
        .expect("third answers");
    writer
        .upsert_inquiries(vec![pending("w", "a", at)])
        .await
        .expect("fourth batch");
    writer.commit().await.expect("commit");
    assert_eq!(rows(store).await, ["a pending", "b in_progress", "s 4"]);
}

/// A first load that is rolled back and one that commits both leave every index and key
/// exactly as the migration made it.
async fn a_first_load_leaves_the_indexes_as_they_were(store: &Store) {
    let before = indexes(store).await;
    assert!(before.len() >= 8, "the migration's indexes: {before:?}");
    let at = utc(2026, 3, 5, 9, 0, 0);
    let mut writer = store.writer().await.expect("writer");
    writer
        .upsert_inquiries(vec![pending("w", "lost", at)])
        .await
        .expect("upsert");
    drop(writer);
    assert_eq!(indexes(store).await, before, "after a rollback");
    insert(
        store,
        &[pending("w", "kept", at)],
        &[answer("w", "s", SurveyKind::Csat, 5, at)],
    )
    .await;
    assert_eq!(indexes(store).await, before, "after a commit");
    assert_eq!(rows(store).await, ["kept pending", "s 5"]);
}

/// A table with an index pulso did not make is not pulso's to rebuild: the import writes
/// into it while readers go on reading (no exclusive lock), and every index stays.
async fn a_platform_table_keeps_its_own_indexes(store: &Store) {
    let sql = "CREATE INDEX platform_channel ON inquiries (channel)";
    crate::on_pool!(store, |pool| sqlx::query(sql)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect(sql);
    let before = indexes(store).await;
    let at = utc(2026, 3, 5, 9, 0, 0);
    let mut writer = store.writer().await.expect("writer");
    writer
        .upsert_inquiries(vec![pending("w", "a", at)])
        .await
        .expect("upsert");
    assert_eq!(inquiries_without_waiting(store).await, 0);
    writer.commit().await.expect("commit");
    assert_eq!(indexes(store).await, before);
    assert_eq!(rows(store).await, ["a pending"]);
}

/// Counts inquiries, failing instead of waiting when a lock keeps readers out (PostgreSQL;
/// SQLite readers never wait for a writer).
async fn inquiries_without_waiting(store: &Store) -> i64 {
    let sql = "SELECT count(*) FROM inquiries";
    match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        Pool::Postgres(pool) => {
            let mut tx = pool.begin().await.expect("begin");
            sqlx::query("SET LOCAL lock_timeout = '2s'")
                .execute(&mut *tx)
                .await
                .expect("lock_timeout");
            sqlx::query_scalar(sql).fetch_one(&mut *tx).await
        }
    }
    .expect("a reader is not locked out")
}

/// Two imports that both find the tables empty: the second waits for the first and then
/// writes beside it (on PostgreSQL it finds rows after the wait and upserts).
async fn two_imports_into_empty_tables_both_land(store: &Store) {
    let at = utc(2026, 3, 5, 9, 0, 0);
    let mut first = store.writer().await.expect("first writer");
    let second = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut writer = store.writer().await.expect("second writer");
            writer
                .upsert_inquiries(vec![pending("w", "b", at), in_progress("w", "a", at, 4)])
                .await
                .expect("second upsert");
            writer.commit().await.expect("second commit");
        })
    };
    first
        .upsert_inquiries(vec![pending("w", "a", at)])
        .await
        .expect("first upsert");
    // Time for the second import to start and wait on the first (the interleaving under
    // test); nothing is timed.
    tokio::time::sleep(Duration::from_millis(300)).await;
    first.commit().await.expect("first commit");
    second.await.expect("second import");
    assert_eq!(rows(store).await, ["a in_progress", "b pending"]);
}

/// A session left in a transaction that read the empty tables keeps PostgreSQL's first load
/// from its exclusive lock: the import stops waiting after a moment and upserts instead
/// (the 60 s limit only turns a hang into a failure).
async fn a_reader_left_in_a_transaction_does_not_hold_up_an_import(store: &Store) {
    let at = utc(2026, 3, 5, 9, 0, 0);
    let read = "SELECT count(*) FROM inquiries";
    let row = [pending("w", "a", at)];
    let import = tokio::time::timeout(Duration::from_secs(60), insert(store, &row, &[]));
    let outcome = crate::on_pool!(store, |pool| {
        let mut reader = pool.begin().await.expect("reader");
        let seen: i64 = sqlx::query_scalar(read)
            .fetch_one(&mut *reader)
            .await
            .expect(read);
        let outcome = import.await;
        reader.commit().await.expect("reader commit");
        (seen, outcome)
    });
    assert_eq!(outcome.0, 0);
    outcome
        .1
        .expect("the import went ahead while the reader stayed open");
    assert_eq!(rows(store).await, ["a pending"]);
}

/// Every inquiry as `id status` and every answer as `id score`, sorted.
async fn rows(store: &Store) -> Vec<String> {
    let sql = "SELECT id || ' ' || status FROM inquiries \
               UNION ALL SELECT id || ' ' || score FROM survey_responses ORDER BY 1";
    crate::on_pool!(store, |pool| sqlx::query_scalar(sql).fetch_all(pool).await).expect("rows")
}

/// The indexes and constraints of both tables, each with its definition, sorted.
async fn indexes(store: &Store) -> Vec<(String, String)> {
    match store.pool() {
        Pool::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' \
             AND tbl_name IN ('inquiries', 'survey_responses') ORDER BY 1, 2",
            )
            .fetch_all(pool)
            .await
        }
        Pool::Postgres(pool) => {
            sqlx::query_as(
                "SELECT indexname::text, indexdef FROM pg_indexes \
             WHERE tablename IN ('inquiries', 'survey_responses') \
             UNION ALL SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid IN ('inquiries'::regclass, 'survey_responses'::regclass) \
             ORDER BY 1, 2",
            )
            .fetch_all(pool)
            .await
        }
    }
    .expect("indexes")
}
