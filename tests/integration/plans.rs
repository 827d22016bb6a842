//! Every indicator query reads an index range of one workspace, never the whole table.
//!
//! A count that scans a workspace's rows instead of an index range goes from 1 ms to
//! seconds at 10M rows, so the plans are checked on both backends.

use pulso::store::{Pool, Store};

crate::backend_tests!(
    indicator_queries_search_an_index_range,
    aggregate_queries_search_an_index_range,
    low_survey_readings_search_an_index_range,
    breakdown_and_filter_reads_search_an_index_range,
);

/// `(name, sql, the range column the index must be searched on)`.
fn windowed(store: &Store) -> Vec<(&'static str, &'static str, &'static str)> {
    let sql = store.statements();
    vec![
        ("pending", sql.pending_in_window, "requested_at"),
        ("expired", sql.expired_in_window, "expired_at"),
        ("attention", sql.attention_in_window, "attended_at"),
        ("resolved", sql.resolved_in_window, "resolved_at"),
        ("surveys", sql.surveys_in_window, "answered_at"),
    ]
}

async fn indicator_queries_search_an_index_range(store: &Store) {
    match store.pool() {
        Pool::Sqlite(pool) => {
            for (name, sql, column) in windowed(store) {
                let plan = sqlite_plan(pool, sql, 3).await;
                assert!(
                    plan.starts_with("SEARCH")
                        && plan.contains(&format!("{column}>?"))
                        && plan.contains(&format!("{column}<?")),
                    "{name}: expected an index range search on (workspace, {column}), got: {plan}"
                );
            }
            for (name, sql) in [
                ("in progress", store.statements().in_progress_now),
                ("oldest pending", store.statements().oldest_pending),
            ] {
                let plan = sqlite_plan(pool, sql, 1).await;
                assert!(
                    plan.starts_with("SEARCH") && plan.contains("workspace=?"),
                    "{name}: {plan}"
                );
            }
        }
        Pool::Postgres(pool) => {
            let mut tx = pool.begin().await.unwrap();
            // On empty test tables a sequential scan is cheapest; forbid it to see whether an
            // index *can* serve the range, which is what matters on large tables.
            sqlx::query("SET LOCAL enable_seqscan = off")
                .execute(&mut *tx)
                .await
                .unwrap();
            for (name, sql, column) in windowed(store) {
                let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {sql}"))
                    .bind("w")
                    .bind(0_i64)
                    .bind(1_i64)
                    .fetch_all(&mut *tx)
                    .await
                    .unwrap();
                let plan = plan.join("\n");
                let condition = plan
                    .lines()
                    .find(|line| line.contains("Index Cond"))
                    .unwrap_or("");
                assert!(
                    condition.contains("workspace")
                        && condition.contains(&format!("{column} >="))
                        && condition.contains(&format!("{column} <")),
                    "{name}: expected an index condition on (workspace, {column}), got:\n{plan}"
                );
            }
        }
    }
}

/// `(name, sql, parameters, the range column)` of the day-aggregate statements.
fn aggregate_reads(store: &Store) -> Vec<(&'static str, &'static str, usize, &'static str)> {
    let sql = store.statements().aggregates;
    vec![
        ("pending timed", sql.pending_timed, 3, "requested_at"),
        ("expired timed", sql.expired_timed, 3, "expired_at"),
        ("attention timed", sql.attention_timed, 3, "attended_at"),
        ("resolved timed", sql.resolved_timed, 3, "resolved_at"),
        ("surveys timed", sql.surveys_timed, 3, "answered_at"),
        ("day aggregates", sql.aggregates_in_range, 4, "day"),
        ("dirty marks", sql.marks_overlapping, 3, "lo_day"),
    ]
}

/// Rebuilding days and reading aggregates and marks are index range reads too.
async fn aggregate_queries_search_an_index_range(store: &Store) {
    match store.pool() {
        Pool::Sqlite(pool) => {
            for (name, sql, parameters, column) in aggregate_reads(store) {
                let plan = sqlite_plan(pool, sql, parameters).await;
                assert!(
                    plan.starts_with("SEARCH") && plan.contains(&format!("{column}<?")),
                    "{name}: expected an index range search on (workspace, {column}), got: {plan}"
                );
            }
            for mark in pulso::store::SQLITE_INSERT_MARKS {
                let plan = sqlite_plan(pool, mark, 1).await;
                assert!(
                    plan.starts_with("SEARCH")
                        && plan.contains("USING INTEGER PRIMARY KEY (rowid>?)"),
                    "marking inserted rows must search a row id range, got: {plan}"
                );
            }
            let plan = sqlite_plan(pool, store.statements().aggregates.apply_marks, 1).await;
            assert!(
                plan.contains("SEARCH day_aggregates USING INDEX day_aggregates_key (workspace=?)")
                    && plan.contains("SEARCH m USING PRIMARY KEY (workspace=? AND lo_day<?)"),
                "apply marks: {plan}"
            );
        }
        Pool::Postgres(pool) => {
            let mut tx = pool.begin().await.unwrap();
            sqlx::query("SET LOCAL enable_seqscan = off")
                .execute(&mut *tx)
                .await
                .unwrap();
            for (name, sql, parameters, column) in aggregate_reads(store) {
                let explain = format!("EXPLAIN {sql}");
                let mut query = sqlx::query_scalar::<_, String>(&explain).bind("w");
                for value in 1..parameters {
                    query = if value == 3 && parameters == 4 {
                        query.bind("UTC")
                    } else {
                        query.bind(value as i64)
                    };
                }
                let plan = query.fetch_all(&mut *tx).await.unwrap().join("\n");
                let condition = plan
                    .lines()
                    .find(|line| line.contains("Index Cond"))
                    .unwrap_or("");
                assert!(
                    condition.contains("workspace") && condition.contains(&format!("{column} <")),
                    "{name}: expected an index condition on (workspace, {column}), got:\n{plan}"
                );
            }
        }
    }
}

/// The low_survey rule reads a range of one workspace's answers in insertion order (and,
/// on a platform's views, in `answered_at` order), joined to each answer's inquiry by key.
async fn low_survey_readings_search_an_index_range(store: &Store) {
    match store.pool() {
        Pool::Sqlite(pool) => {
            let sql = pulso::store::SQLITE_LOW_SURVEY;
            let horizon = sqlite_plan(pool, sql.horizon.unwrap(), 1).await;
            assert!(
                horizon.starts_with(
                    "SEARCH survey_responses USING COVERING INDEX survey_responses_inserted (workspace=?)"
                ),
                "horizon: {horizon}"
            );
            let range = "SEARCH s USING COVERING INDEX survey_responses_inserted \
                         (workspace=? AND row_id>? AND row_id<?)";
            let count = sqlite_plan(pool, sql.count, 5).await;
            assert_eq!(count, range, "count");
            let list = sqlite_plan(pool, sql.list, 6).await;
            assert!(
                list.starts_with(&range.replace("COVERING INDEX", "INDEX"))
                    && list.contains("SEARCH i USING INDEX inquiries_key (workspace=? AND id=?)"),
                "list: {list}"
            );
        }
        Pool::Postgres(pool) => {
            let mut tx = pool.begin().await.unwrap();
            // Bitmap scans too: on empty tables one over the whole workspace looks as cheap
            // as the key lookup of each answer's inquiry.
            sqlx::raw_sql("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off")
                .execute(&mut *tx)
                .await
                .unwrap();
            let inserted = pulso::store::POSTGRES_LOW_SURVEY;
            let answered = pulso::store::POSTGRES_LOW_SURVEY_ANSWERED;
            let statements = [
                ("horizon", inserted.horizon.unwrap(), 1, None),
                ("count", inserted.count, 5, Some("inserted_seq")),
                ("list", inserted.list, 6, Some("inserted_seq")),
                (
                    "count by answered_at",
                    answered.count,
                    5,
                    Some("answered_at"),
                ),
                ("list by answered_at", answered.list, 6, Some("answered_at")),
            ];
            for (name, sql, parameters, range) in statements {
                let explain = format!("EXPLAIN {sql}");
                let mut query = sqlx::query_scalar::<_, String>(&explain).bind("w");
                for value in 1..parameters {
                    query = query.bind(value as i64);
                }
                let plan = query.fetch_all(&mut *tx).await.unwrap().join("\n");
                assert!(
                    plan.lines().any(|line| line.contains("Index Cond")
                        && line.contains("workspace = ")
                        && range.is_none_or(|column| {
                            line.contains(&format!("{column} >= "))
                                && line.contains(&format!("{column} < "))
                        })),
                    "{name}: expected an index range on (workspace, …), got:\n{plan}"
                );
                assert!(!plan.contains("Seq Scan"), "{name}:\n{plan}");
                if name.starts_with("list") {
                    assert!(
                        plan.lines().any(|line| line.contains("Index Cond")
                            && line.contains("workspace = ")
                            && line.contains("id = s.inquiry_id")),
                        "{name}: the inquiry by its key:\n{plan}"
                    );
                }
            }
        }
    }
}

async fn sqlite_plan(pool: &sqlx::SqlitePool, sql: &str, parameters: usize) -> String {
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&explain).bind("w");
    for value in 1..parameters {
        query = query.bind(value as i64);
    }
    let rows = query.fetch_all(pool).await.unwrap();
    rows.into_iter()
        .map(|(_, _, _, detail)| detail)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Every breakdown and filter read (grouped by each dimension, filtered on one or all
/// dimensions) is an index range of one workspace on the same time indexes as the
/// unfiltered reads, and the group aggregates are read by their key.
async fn breakdown_and_filter_reads_search_an_index_range(store: &Store) {
    use pulso::domain::{Dimension, Filter};
    let columns = [
        "requested_at",
        "expired_at",
        "attended_at",
        "resolved_at",
        "answered_at",
    ];
    let mut one = Filter::default();
    one.set(Dimension::Origin, vec!["payments".into(), "claims".into()]);
    let mut all = one.clone();
    all.set(Dimension::Operator, vec!["ana".into()]);
    all.set(Dimension::Channel, vec!["whatsapp".into()]);
    let mut requests = Vec::new();
    for by in Dimension::ALL.map(Some).into_iter().chain([None]) {
        for filter in [&Filter::default(), &one, &all] {
            requests.push(pulso::store::grouped_reads(store.backend(), by, filter));
        }
    }
    match store.pool() {
        Pool::Sqlite(pool) => {
            for reads in &requests {
                for (sql, column) in reads.statements.iter().zip(columns) {
                    let explain = format!("EXPLAIN QUERY PLAN {sql}");
                    let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&explain)
                        .bind("w")
                        .bind(0_i64)
                        .bind(1_i64);
                    for value in &reads.values {
                        query = query.bind(value.as_str());
                    }
                    let plan: Vec<String> = query
                        .fetch_all(pool)
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|row| row.3)
                        .collect();
                    assert!(
                        plan[0].starts_with("SEARCH")
                            && plan[0].contains(&format!("{column}>?"))
                            && plan[0].contains(&format!("{column}<?")),
                        "expected an index range on (workspace, {column}), got: {plan:?}\n{sql}"
                    );
                    assert!(
                        plan.iter().all(|step| !step.starts_with("SCAN")),
                        "no step may scan a table: {plan:?}"
                    );
                }
            }
            let plan = sqlite_plan(
                pool,
                store.statements().aggregates.group_aggregates_in_range,
                5,
            )
            .await;
            assert!(
                plan.starts_with("SEARCH") && plan.contains("day<?"),
                "group aggregates: {plan}"
            );
            let plan = sqlite_plan(pool, store.statements().aggregates.months_in_range, 5).await;
            assert!(
                plan.starts_with("SEARCH") && plan.contains("month<?"),
                "month roll-ups: {plan}"
            );
        }
        Pool::Postgres(pool) => {
            let mut tx = pool.begin().await.unwrap();
            sqlx::query("SET LOCAL enable_seqscan = off")
                .execute(&mut *tx)
                .await
                .unwrap();
            for reads in &requests {
                for (sql, column) in reads.statements.iter().zip(columns) {
                    let explain = format!("EXPLAIN {sql}");
                    let mut query = sqlx::query_scalar::<_, String>(&explain)
                        .bind("w")
                        .bind(0_i64)
                        .bind(1_i64);
                    for value in &reads.values {
                        query = query.bind(value.as_str());
                    }
                    let plan = query.fetch_all(&mut *tx).await.unwrap().join("\n");
                    let condition = plan
                        .lines()
                        .find(|line| line.contains("Index Cond") && line.contains(column))
                        .unwrap_or("");
                    assert!(
                        condition.contains("workspace")
                            && condition.contains(&format!("{column} >="))
                            && condition.contains(&format!("{column} <")),
                        "expected an index condition on (workspace, {column}), got:\n{plan}"
                    );
                    assert!(!plan.contains("Seq Scan"), "no sequential scan:\n{plan}");
                }
            }
        }
    }
}
