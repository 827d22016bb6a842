//! The SQLite upgrade that rebuilt both tables with a named unique key (migration
//! `20261214000001`) on a database an older pulso filled: the same rows under the same row
//! ids (the low_survey cursor counts them), the named keys instead of SQLite's automatic
//! index, every index and the six marking triggers back, still marking. SQLite only: the
//! PostgreSQL schema did not change.

use pulso::store::Pool;

use super::*;
use crate::helpers::TestDb;

/// The migration under test.
const UPGRADE: i64 = 20261214000001;

/// Every index of the two tables after the upgrade, as the bulk writer expects them.
/// (`survey_responses_inquiry` comes with the breakdowns migration, `20261215000001`.)
const INDEXES: [&str; 10] = [
    "inquiries_attended",
    "inquiries_expired",
    "inquiries_in_progress",
    "inquiries_key",
    "inquiries_pending",
    "inquiries_resolved",
    "survey_responses_answered",
    "survey_responses_inquiry",
    "survey_responses_inserted",
    "survey_responses_key",
];

/// The triggers that mark the days a write touches.
const TRIGGERS: [&str; 6] = [
    "inquiries_dirty_delete",
    "inquiries_dirty_insert",
    "inquiries_dirty_update",
    "survey_responses_dirty_delete",
    "survey_responses_dirty_insert",
    "survey_responses_dirty_update",
];

/// Runs `sql` (statements separated by `;`) on the SQLite pool.
async fn run(pool: &sqlx::SqlitePool, sql: &str) {
    sqlx::raw_sql(sql).execute(pool).await.expect(sql);
}

/// Every row of both tables with its row id, and the low_survey cursor.
async fn rows_with_ids(pool: &sqlx::SqlitePool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT 'i ' || row_id || ' ' || workspace || ' ' || id || ' ' || channel || ' ' || \
         origin || ' ' || status || ' ' || coalesce(operator_id, '-') || ' ' || requested_at || \
         ' ' || coalesce(attended_at, '-') || ' ' || coalesce(resolved_at, '-') || ' ' || \
         coalesce(expired_at, '-') FROM inquiries \
         UNION ALL SELECT 's ' || row_id || ' ' || workspace || ' ' || id || ' ' || \
         coalesce(inquiry_id, '-') || ' ' || kind || ' ' || score || ' ' || answered_at \
         FROM survey_responses \
         UNION ALL SELECT 'cursor ' || workspace || ' ' || rule || ' ' || survey_order || ' ' || \
         survey_position FROM alert_rule_states ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .expect("rows")
}

/// Names of `kind` objects (`index`, `trigger`) on the two tables, sorted.
async fn names(pool: &sqlx::SqlitePool, kind: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = ?1 \
         AND tbl_name IN ('inquiries', 'survey_responses') ORDER BY 1",
    )
    .bind(kind)
    .fetch_all(pool)
    .await
    .expect("schema names")
}

/// The UTC day number of `at`, as the marks count days.
fn day(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(86_400)
}

/// Empties the marks, runs `sql`, and returns the marks it made.
async fn marks_of(pool: &sqlx::SqlitePool, sql: &str) -> Vec<(String, i64, i64)> {
    run(pool, "DELETE FROM aggregate_dirty").await;
    run(pool, sql).await;
    sqlx::query_as("SELECT workspace, lo_day, hi_day FROM aggregate_dirty ORDER BY 1, 2, 3")
        .fetch_all(pool)
        .await
        .expect("marks")
}

/// Rows written by the older schema, with gaps in their row ids and a low_survey cursor
/// pointing between answers, come through the upgrade with the same row ids; the automatic
/// indexes are gone and the named keys (unique) and every other index are there; each of
/// the six triggers still marks the days of a change in the past; the key still refuses a
/// second row of one id; and an import afterwards gives new answers row ids past the cursor.
#[tokio::test]
async fn the_named_key_upgrade_keeps_rows_row_ids_and_marking() {
    let db = TestDb::sqlite_unmigrated().await;
    migrate_to_before(&db.store, UPGRADE).await;
    let Pool::Sqlite(pool) = db.store.pool() else {
        unreachable!("a SQLite test database")
    };
    let past = utc(2026, 2, 1, 9, 0, 0).timestamp();
    run(
        pool,
        &format!(
            "INSERT INTO inquiries (row_id, workspace, id, channel, origin, status, operator_id, \
             requested_at, attended_at, resolved_at, expired_at) VALUES \
             (3, 'w', 'a', 'whatsapp', 'payments', 'pending', NULL, {past}, NULL, NULL, NULL), \
             (7, 'w', 'b', 'webchat', 'claims', 'resolved', 'op-1', {past}, {past} + 60, {past} + 600, NULL), \
             (8, 'x', 'a', 'whatsapp', 'orders', 'expired', NULL, {past}, NULL, NULL, {past} + 7200), \
             (20, 'w', 'c', 'whatsapp', 'payments', 'in_progress', 'op-2', {past} + 86400, {past} + 86460, NULL, NULL); \
             INSERT INTO survey_responses (row_id, workspace, id, inquiry_id, kind, score, answered_at) VALUES \
             (2, 'w', 'n1', 'b', 'nps', 9, {past} + 900), \
             (5, 'w', 'n2', NULL, 'nps', 3, {past} + 1000), \
             (9, 'w', 'c1', 'b', 'csat', 2, {past} + 1100), \
             (12, 'x', 'n1', 'a', 'nps', 10, {past} + 1200); \
             INSERT INTO alert_rule_states (workspace, rule, level, evaluated_at, version, \
             survey_order, survey_position) VALUES ('w', 'low_survey', 'ok', {past}, 3, 'inserted', 6)"
        ),
    )
    .await;
    let before = rows_with_ids(pool).await;
    let automatic: Vec<String> = names(pool, "index")
        .await
        .into_iter()
        .filter(|name| name.starts_with("sqlite_autoindex_"))
        .collect();
    assert_eq!(
        automatic.len(),
        2,
        "the old schema's table-level UNIQUE keys"
    );

    db.store.migrate().await.expect("upgrade");
    assert_eq!(rows_with_ids(pool).await, before);
    assert_eq!(names(pool, "index").await, INDEXES);
    assert_eq!(names(pool, "trigger").await, TRIGGERS);
    for key in ["inquiries_key", "survey_responses_key"] {
        let unique: bool =
            sqlx::query_scalar("SELECT \"unique\" FROM pragma_index_list(?1) WHERE name = ?2")
                .bind(key.trim_end_matches("_key"))
                .bind(key)
                .fetch_one(pool)
                .await
                .expect("index list");
        assert!(unique, "{key} is unique");
    }
    let second = "INSERT INTO inquiries (workspace, id, channel, origin, status, requested_at) \
                  VALUES ('w', 'a', 'whatsapp', 'payments', 'pending', 0)";
    assert!(
        sqlx::query(second).execute(pool).await.is_err(),
        "a second row of one key"
    );

    // 1769936400 in the inserts below is `past`, 2026-02-01T09:00:00Z.
    assert_eq!(past, 1_769_936_400);
    let (feb_1, feb_2) = (day(utc(2026, 2, 1, 0, 0, 0)), day(utc(2026, 2, 2, 0, 0, 0)));
    let resolve_a = format!(
        "UPDATE inquiries SET status = 'resolved', operator_id = 'op-3', attended_at = {past} + 60, \
         resolved_at = {past} + 86400 WHERE workspace = 'w' AND id = 'a'"
    );
    let cases = [
        (
            resolve_a.as_str(),
            vec![("w".to_string(), feb_1, feb_1), ("w".into(), feb_1, feb_2)],
        ),
        (
            "DELETE FROM inquiries WHERE workspace = 'x' AND id = 'a'",
            vec![("x".into(), feb_1, feb_1)],
        ),
        (
            "INSERT INTO inquiries (workspace, id, channel, origin, status, requested_at) \
             VALUES ('x', 'new', 'whatsapp', 'payments', 'pending', 1769936400)",
            vec![("x".into(), feb_1, feb_1)],
        ),
        (
            "UPDATE survey_responses SET score = 0, answered_at = answered_at + 86400 \
             WHERE workspace = 'w' AND id = 'n2'",
            vec![("w".into(), feb_1, feb_1), ("w".into(), feb_2, feb_2)],
        ),
        (
            "DELETE FROM survey_responses WHERE id = 'c1'",
            vec![("w".into(), feb_1, feb_1)],
        ),
        (
            "INSERT INTO survey_responses (workspace, id, kind, score, answered_at) \
             VALUES ('x', 'n9', 'nps', 1, 1769936400)",
            vec![("x".into(), feb_1, feb_1)],
        ),
    ];
    for (sql, expected) in cases {
        assert_eq!(marks_of(pool, sql).await, expected, "{sql}");
    }

    // An import into the upgraded (filled) tables: new answers come after every old row id.
    let csv = Csv::new();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, &[GOOD_INQUIRY]);
    let surveys = csv.write("surveys.csv", SURVEY_HEADER, &[GOOD_SURVEY]);
    import_files(&db.store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
        .await
        .expect("import after the upgrade");
    let new_row_id: i64 = sqlx::query_scalar("SELECT row_id FROM survey_responses WHERE id = 's1'")
        .fetch_one(pool)
        .await
        .expect("new answer");
    assert!(
        new_row_id > 12,
        "row id {new_row_id} comes after the old answers"
    );
    assert_eq!(names(pool, "index").await, INDEXES, "after an import");
    assert_eq!(names(pool, "trigger").await, TRIGGERS, "after an import");
    db.finish().await;
}
