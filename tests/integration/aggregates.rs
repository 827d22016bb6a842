//! Day aggregates are never stale: changes that land in past days after their aggregate was
//! built show up in the next answer, on both backends.
//!
//! Each check compares `build_report` (which reads aggregates) with the live computation of
//! the same windows (`Store::window_samples`, itself checked against an independent
//! computation in `equivalence.rs`).

use chrono::Duration;
use chrono_tz::{Europe, Tz, UTC};
use pulso::domain::{Inquiry, SurveyKind, SurveyResponse};
use pulso::domain::{MAX_RELATIVE_ERROR, Period};
use pulso::indicators::{IndicatorReport, WindowIndicators};
use pulso::service::build_report;
use pulso::store::{Pool, Store};

use crate::helpers::*;

crate::backend_tests!(
    edits_and_additions_in_past_days_show_up_in_the_next_answer,
    the_answer_that_builds_a_day_equals_the_next_one,
    deletes_and_direct_sql_show_up_in_the_next_answer,
    reimporting_the_same_rows_marks_nothing,
    reimporting_the_same_rows_rewrites_nothing,
    a_reimport_marks_its_new_and_changed_rows_only,
    the_writer_marks_the_days_the_triggers_would,
    the_writer_marks_changed_rows_as_the_triggers_would,
    a_first_load_of_inquiries_marks_the_days_of_answers_already_there,
    a_rolled_back_import_leaves_the_triggers_marking,
    a_failed_write_is_reported_and_leaves_nothing,
    a_zone_change_never_reuses_aggregates,
    external_sources_follow_the_settle_and_age_rule,
);

fn now() -> chrono::DateTime<chrono::Utc> {
    utc(2026, 3, 31, 12, 0, 0)
}

/// March 2026 in Madrid (the DST day is the 29th).
fn march(tz: Tz) -> Period {
    Period::new(date(2026, 3, 2), date(2026, 3, 31), tz).unwrap()
}

/// One resolved inquiry per day of February and March, and an NPS answer each.
async fn seed(store: &Store) {
    let mut inquiries = Vec::new();
    let mut answers = Vec::new();
    for day in 0..59 {
        let at = utc(2026, 2, 1, 9, 0, 0) + Duration::days(day);
        let id = format!("r{day}");
        inquiries.push(resolved("w", &id, at, 5 + day % 7, 20 + day % 11));
        inquiries.push(pending("w", &format!("p{day}"), at));
        answers.push(answer("w", &id, SurveyKind::Nps, (day % 11) as i16, at));
    }
    insert(store, &inquiries, &answers).await;
}

fn same_figures(fast: &WindowIndicators, live: &WindowIndicators, what: &str) {
    assert_eq!(fast.pending, live.pending, "{what}: pending");
    assert_eq!(fast.resolved, live.resolved, "{what}: resolved");
    assert_eq!(fast.expired, live.expired, "{what}: expired");
    assert_eq!(fast.nps, live.nps, "{what}: nps");
    assert_eq!(fast.csat, live.csat, "{what}: csat");
    for (fast, live) in [
        (&fast.attention, &live.attention),
        (&fast.resolution, &live.resolution),
        (&fast.attention_resolution, &live.attention_resolution),
    ] {
        assert_eq!(fast.samples, live.samples, "{what}: samples");
        assert_eq!(fast.mean_min, live.mean_min, "{what}: mean");
        for (a, e) in [
            (fast.median_min, live.median_min),
            (fast.p90_min, live.p90_min),
        ] {
            match (a, e) {
                (Some(a), Some(e)) => {
                    assert!(
                        (a - e).abs() <= e.abs() * MAX_RELATIVE_ERROR + 1e-9,
                        "{what}"
                    )
                }
                _ => assert_eq!(a, e, "{what}"),
            }
        }
    }
}

/// Asserts the report equals the live computation of both its windows; returns it.
async fn check(store: &Store, period: &Period, what: &str) -> IndicatorReport {
    let report = build_report(store, "w", period, now()).await.unwrap();
    for (figures, period) in [
        (&report.current, *period),
        (&report.previous, period.previous()),
    ] {
        let live = store.window_samples("w", period.window()).await.unwrap();
        same_figures(
            figures,
            &WindowIndicators::from_samples(&period, live),
            what,
        );
    }
    report
}

async fn edits_and_additions_in_past_days_show_up_in_the_next_answer(store: &Store) {
    seed(store).await;
    let period = march(Europe::Madrid);
    check(store, &period, "first answer").await;
    let before = check(store, &period, "from aggregates").await;
    let stored = scalar(store, "SELECT count(*) FROM day_aggregates").await;
    assert!(stored >= 58, "both periods' complete days stored: {stored}");

    // A pending inquiry of March 3rd is attended and resolved on March 4th.
    let mut edited = resolved("w", "p30", utc(2026, 3, 3, 9, 0, 0), 60 * 20, 30);
    edited.id = "p30".into();
    insert(store, &[edited], &[]).await;
    let after = check(store, &period, "after an edit").await;
    assert_eq!(after.current.pending, before.current.pending - 1);
    assert_eq!(after.current.resolved, before.current.resolved + 1);

    // A new expired inquiry and a new CSAT answer land in the previous period.
    let old = utc(2026, 2, 10, 23, 30, 0);
    insert(
        store,
        &[expired("w", "late", old, 45)],
        &[answer("w", "late-csat", SurveyKind::Csat, 5, old)],
    )
    .await;
    let after = check(store, &period, "after additions").await;
    assert_eq!(after.previous.expired, before.previous.expired + 1);
    assert_eq!(after.previous.csat.responses, 1);

    // An inquiry moved from one past day to another.
    let moved = resolved("w", "r40", utc(2026, 3, 20, 9, 0, 0), 1, 1);
    insert(store, &[moved], &[]).await;
    check(store, &period, "after a move").await;
}

/// The first answer rebuilds its days from rows and the second reads them back from
/// storage; a user asking twice must see the same figures, to the last digit.
async fn the_answer_that_builds_a_day_equals_the_next_one(store: &Store) {
    let mut inquiries = Vec::new();
    for day in 0..30 {
        // Busy days (stored as histograms), with durations far above 128 s, where buckets
        // are wider than a second and an exact median and a bucketed one differ.
        for n in 0..=pulso::domain::EXACT_DAY_LIMIT as i64 {
            let at = utc(2026, 3, 1, 9, 0, 0) + Duration::days(day) + Duration::seconds(n);
            let id = format!("d{day}-{n}");
            inquiries.push(resolved("w", &id, at, 301 + 37 * n + day, 997 + 53 * n));
        }
    }
    insert(store, &inquiries, &[]).await;
    let period = march(UTC);
    let first = check(store, &period, "building").await;
    let second = check(store, &period, "stored").await;
    let figures = |report: &IndicatorReport| {
        serde_json::to_value((&report.current, &report.previous)).unwrap()
    };
    assert_eq!(figures(&first), figures(&second));
    assert!(first.current.attention.percentile_error_bound > 0.0);

    // The second answer read every day back instead of rebuilding it: a rebuilt day would
    // be stored again with a new `built_at` (pulso's own tables ignore its age).
    let days = scalar(store, "SELECT count(*) FROM day_aggregates").await;
    assert!(days >= 58, "both periods stored: {days}");
    execute(store, "UPDATE day_aggregates SET built_at = 1").await;
    let third = check(store, &period, "read back").await;
    assert_eq!(figures(&third), figures(&first));
    let rebuilt = "SELECT count(*) FROM day_aggregates WHERE built_at <> 1";
    assert_eq!(scalar(store, rebuilt).await, 0, "days rebuilt");
}

async fn deletes_and_direct_sql_show_up_in_the_next_answer(store: &Store) {
    seed(store).await;
    let period = march(UTC);
    let before = check(store, &period, "first answer").await;
    let delete = "DELETE FROM inquiries WHERE workspace = 'w' AND id = 'r35'";
    let update = "UPDATE survey_responses SET score = 0 WHERE workspace = 'w' AND id = 'r36'";
    execute(store, delete).await;
    let after = check(store, &period, "after a delete").await;
    assert_eq!(after.current.resolved, before.current.resolved - 1);
    execute(store, update).await;
    check(store, &period, "after an update").await;
}

async fn reimporting_the_same_rows_marks_nothing(store: &Store) {
    seed(store).await;
    let period = march(Europe::Madrid);
    check(store, &period, "first answer").await;
    assert_eq!(
        scalar(store, "SELECT count(*) FROM aggregate_dirty").await,
        0
    );
    seed(store).await;
    assert_eq!(
        scalar(store, "SELECT count(*) FROM aggregate_dirty").await,
        0
    );
    insert(store, &[pending("w", "new", utc(2026, 3, 5, 1, 0, 0))], &[]).await;
    assert_eq!(
        scalar(store, "SELECT count(*) FROM aggregate_dirty").await,
        1
    );
    check(store, &period, "after a new row").await;
}

/// An import that repeats stored rows leaves them as they are: only a row that differs is
/// rewritten (counted by a row trigger on each table).
async fn reimporting_the_same_rows_rewrites_nothing(store: &Store) {
    seed(store).await;
    let count_rewrites: &[&str] = match store.pool() {
        Pool::Sqlite(_) => &[
            "CREATE TABLE rewrites (tab TEXT)",
            "CREATE TRIGGER count_inquiries AFTER UPDATE ON inquiries \
             BEGIN INSERT INTO rewrites VALUES ('inquiries'); END",
            "CREATE TRIGGER count_answers AFTER UPDATE ON survey_responses \
             BEGIN INSERT INTO rewrites VALUES ('answers'); END",
        ],
        Pool::Postgres(_) => &[
            "CREATE TABLE rewrites (tab text)",
            "CREATE FUNCTION count_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             INSERT INTO rewrites VALUES (TG_TABLE_NAME); RETURN NULL; END $$",
            "CREATE TRIGGER count_inquiries AFTER UPDATE ON inquiries \
             FOR EACH ROW EXECUTE FUNCTION count_rewrite()",
            "CREATE TRIGGER count_answers AFTER UPDATE ON survey_responses \
             FOR EACH ROW EXECUTE FUNCTION count_rewrite()",
        ],
    };
    for sql in count_rewrites {
        execute(store, sql).await;
    }
    seed(store).await;
    assert_eq!(scalar(store, "SELECT count(*) FROM rewrites").await, 0);
    let at = utc(2026, 2, 1, 9, 0, 0);
    let changed_inquiry = resolved("w", "r0", at, 6, 20);
    let changed_answer = answer("w", "r0", SurveyKind::Nps, 10, at);
    insert(store, &[changed_inquiry], &[changed_answer]).await;
    assert_eq!(scalar(store, "SELECT count(*) FROM rewrites").await, 2);
}

/// One statement that inserts some rows and updates others (a newer export imported over an
/// older one): the new row's span and the changed row's old and new spans are marked, the
/// unchanged rows' days are not.
async fn a_reimport_marks_its_new_and_changed_rows_only(store: &Store) {
    let day = |d| utc(2026, 3, d, 10, 0, 0);
    let first = vec![
        pending("w", "same", day(2)),
        pending("w", "changed", day(3)),
        pending("w", "untouched", day(4)),
    ];
    insert(store, &first, &[]).await;
    execute(store, "DELETE FROM aggregate_dirty").await;
    let second = vec![
        pending("w", "same", day(2)),
        // Resolved the next day: its span grows to two days.
        resolved("w", "changed", day(3), 30, 24 * 60),
        pending("w", "new", day(6)),
    ];
    insert(store, &second, &[]).await;
    let epoch_day = |d| day(d).timestamp().div_euclid(86_400);
    let mut expected = vec![
        (epoch_day(3), epoch_day(3)),
        (epoch_day(3), epoch_day(4)),
        (epoch_day(6), epoch_day(6)),
    ];
    expected.sort_unstable();
    assert_eq!(marks(store).await, expected);
}

/// Forty inquiries of workspace `w` every 97 minutes from 1 March 22:00 UTC in each
/// status, one answer to each, `n` hours after it, and a pending inquiry before 1970
/// (the day is floored, as in the triggers).
fn marked_rows() -> (Vec<Inquiry>, Vec<SurveyResponse>) {
    let start = utc(2026, 3, 1, 22, 0, 0);
    let mut inquiries = Vec::new();
    let mut answers = Vec::new();
    for n in 0..40 {
        let at = start + Duration::minutes(97 * n);
        let id = format!("i{n}");
        inquiries.push(match n % 4 {
            0 => pending("w", &id, at),
            1 => resolved("w", &id, at, 30 * n, 45 * n),
            2 => expired("w", &id, at, 60 * n),
            _ => in_progress("w", &id, at, 20 * n),
        });
        answers.push(SurveyResponse {
            inquiry_id: Some(id.clone()),
            ..answer("w", &id, SurveyKind::Csat, 4, at + Duration::hours(n))
        });
    }
    inquiries.push(pending("w", "early", utc(1969, 12, 31, 23, 0, 0)));
    (inquiries, answers)
}

/// Copies workspace `w`'s rows of `table` into workspace `x` by plain SQL, so the triggers
/// mark them.
async fn copy_to_x_by_sql(store: &Store, table: &str) {
    let columns = match table {
        "inquiries" => {
            "id, channel, origin, status, operator_id, requested_at, attended_at, resolved_at, \
             expired_at"
        }
        _ => "id, inquiry_id, kind, score, answered_at",
    };
    let sql = format!(
        "INSERT INTO {table} (workspace, {columns}) SELECT 'x', {columns} FROM {table} \
         WHERE workspace = 'w'"
    );
    execute(store, &sql).await;
}

/// The marks of workspace `w` (pulso's writer) and `x` (the triggers) are the same spans,
/// and there are more than `at_least` of them.
async fn same_marks_in_w_and_x(store: &Store, at_least: i64) {
    let marks = |workspace| {
        format!("SELECT lo_day, hi_day FROM aggregate_dirty WHERE workspace = '{workspace}'")
    };
    let only_in = |a, b| format!("SELECT count(*) FROM ({} EXCEPT {}) d", marks(a), marks(b));
    let count = |workspace| format!("SELECT count(*) FROM ({}) d", marks(workspace));
    let marked = scalar(store, &count("w")).await;
    assert!(marked > at_least, "{marked} spans marked");
    assert_eq!(scalar(store, &only_in("w", "x")).await, 0);
    assert_eq!(scalar(store, &only_in("x", "w")).await, 0);
}

/// pulso's writer marks the rows it writes itself (on SQLite, with the per-row insert
/// triggers dropped inside its transaction; on PostgreSQL, with a first load's statement
/// trigger disabled): the spans must be exactly those the triggers, restored at commit,
/// mark for the same rows copied by plain SQL afterwards.
async fn the_writer_marks_the_days_the_triggers_would(store: &Store) {
    let (inquiries, answers) = marked_rows();
    // Two imports: a first load, then the staged path.
    insert(store, &inquiries[..25], &answers[..10]).await;
    insert(store, &inquiries[25..], &answers[10..]).await;
    copy_to_x_by_sql(store, "inquiries").await;
    copy_to_x_by_sql(store, "survey_responses").await;
    same_marks_in_w_and_x(store, 5).await;
}

/// Rows an import changes are marked as the update triggers mark the same changes made by
/// plain SQL (on SQLite the writer suspends those triggers and marks from its own log of
/// the rows it changed): old and new spans, and the days of the changed inquiries' answers.
async fn the_writer_marks_changed_rows_as_the_triggers_would(store: &Store) {
    let (inquiries, mut answers) = marked_rows();
    // A late answer to every third inquiry (those that change), each on a day of its own:
    // only the marking of a changed inquiry's answers marks those days.
    answers.extend(inquiries.iter().step_by(3).map(|row| SurveyResponse {
        inquiry_id: Some(row.id.clone()),
        ..answer(
            "w",
            &format!("late-{}", row.id),
            SurveyKind::Nps,
            9,
            row.requested_at + Duration::days(60),
        )
    }));
    insert(store, &inquiries, &answers).await;
    copy_to_x_by_sql(store, "inquiries").await;
    copy_to_x_by_sql(store, "survey_responses").await;
    execute(store, "DELETE FROM aggregate_dirty").await;
    // Every third inquiry resolved by another operator a day and a half after it was
    // requested, every third filed under another origin, the rest repeated as they were.
    let changed: Vec<Inquiry> = inquiries
        .iter()
        .enumerate()
        .map(|(n, row)| match n % 3 {
            0 => Inquiry {
                operator_id: Some("op-late".into()),
                ..resolved(&row.workspace, &row.id, row.requested_at, 10, 36 * 60)
            },
            1 => Inquiry {
                origin: "claims".into(),
                ..row.clone()
            },
            _ => row.clone(),
        })
        .collect();
    // Answers to unchanged inquiries (whose days nothing else marks): some rescored and
    // given days later, each on a day of its own, one moved to another inquiry.
    let rescored: Vec<SurveyResponse> = answers
        .iter()
        .enumerate()
        .map(|(n, row)| match (n % 3, n % 2) {
            (2, 0) => SurveyResponse {
                score: 1,
                answered_at: row.answered_at + Duration::days(10 + n as i64),
                ..row.clone()
            },
            (2, 1) if n == 5 => SurveyResponse {
                inquiry_id: Some("i30".into()),
                ..row.clone()
            },
            _ => row.clone(),
        })
        .collect();
    insert(store, &changed, &rescored).await;
    // The same changes to `x` by plain SQL, answers first as the writer moves them first.
    for (table, columns) in [
        ("survey_responses", "inquiry_id, kind, score, answered_at"),
        (
            "inquiries",
            "channel, origin, status, operator_id, requested_at, attended_at, resolved_at, \
             expired_at",
        ),
    ] {
        let sql = format!(
            "UPDATE {table} SET ({columns}) = (SELECT {columns} FROM {table} w \
             WHERE w.workspace = 'w' AND w.id = {table}.id) WHERE workspace = 'x'"
        );
        execute(store, &sql).await;
    }
    same_marks_in_w_and_x(store, 10).await;
}

/// Answers imported before their inquiries change group when the inquiries arrive: a first
/// load of the inquiries marks the days those answers were given, as the insert trigger
/// does for inquiries written by plain SQL.
async fn a_first_load_of_inquiries_marks_the_days_of_answers_already_there(store: &Store) {
    let (inquiries, answers) = marked_rows();
    insert(store, &[], &answers).await;
    copy_to_x_by_sql(store, "survey_responses").await;
    execute(store, "DELETE FROM aggregate_dirty").await;
    insert(store, &inquiries, &[]).await;
    copy_to_x_by_sql(store, "inquiries").await;
    // Answers are given up to 39 hours after their inquiry's last instant: some of their
    // days are no inquiry's span, so a load that skipped them would differ.
    same_marks_in_w_and_x(store, 5).await;
}

/// An import that fails (its writer dropped without commit) rolls back its drop of the
/// insert triggers: rows written afterwards by plain SQL are marked.
async fn a_rolled_back_import_leaves_the_triggers_marking(store: &Store) {
    let mut writer = store.writer().await.expect("writer");
    let row = pending("w", "lost", utc(2026, 3, 5, 9, 0, 0));
    writer.upsert_inquiries(vec![row]).await.expect("upsert");
    drop(writer);
    let answered_at = match store.pool() {
        Pool::Sqlite(_) => "1772704800",
        Pool::Postgres(_) => "to_timestamp(1772704800)",
    };
    let sql = format!(
        "INSERT INTO survey_responses (workspace, id, kind, score, answered_at) \
         VALUES ('w', 'direct', 'nps', 9, {answered_at})"
    );
    execute(store, &sql).await;
    assert_eq!(scalar(store, "SELECT count(*) FROM inquiries").await, 0);
    assert_eq!(
        scalar(store, "SELECT count(*) FROM aggregate_dirty").await,
        1
    );
}

/// A statement the database refuses fails the import even though the writer returned
/// before running it (it writes while the caller prepares the next batch): the error comes
/// back from a later call or from commit, and nothing of the import stays.
async fn a_failed_write_is_reported_and_leaves_nothing(store: &Store) {
    let refuse = match store.pool() {
        Pool::Sqlite(_) => vec![
            "CREATE TRIGGER refuse BEFORE INSERT ON inquiries WHEN NEW.id = 'bad' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        ],
        Pool::Postgres(_) => vec![
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF NEW.id = 'bad' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
             RETURN NEW; END $$",
            "CREATE TRIGGER refuse BEFORE INSERT ON inquiries \
             FOR EACH ROW EXECUTE FUNCTION refuse()",
        ],
    };
    for sql in refuse {
        execute(store, sql).await;
    }
    let at = utc(2026, 3, 5, 9, 0, 0);
    let rows: Vec<_> = (0..2500)
        .map(|n| match n {
            1700 => pending("w", "bad", at),
            n => pending("w", &format!("i{n}"), at),
        })
        .collect();
    let mut writer = store.writer().await.expect("writer");
    let outcome = match writer.upsert_inquiries(rows).await {
        Ok(()) => writer.commit().await,
        Err(error) => {
            drop(writer);
            Err(error)
        }
    };
    let error = outcome.expect_err("the refused row fails the import");
    assert!(error.to_string().contains("refused by the test"), "{error}");
    assert_eq!(scalar(store, "SELECT count(*) FROM inquiries").await, 0);
    assert_eq!(
        scalar(store, "SELECT count(*) FROM aggregate_dirty").await,
        0
    );
}

async fn a_zone_change_never_reuses_aggregates(store: &Store) {
    seed(store).await;
    // Madrid is UTC+1/+2: an inquiry at 23:30 UTC belongs to the next Madrid day.
    insert(
        store,
        &[pending("w", "edge", utc(2026, 3, 1, 23, 30, 0))],
        &[],
    )
    .await;
    let madrid = check(store, &march(Europe::Madrid), "Madrid").await;
    let utc_report = check(store, &march(UTC), "UTC after Madrid").await;
    assert_eq!(utc_report.current.pending + 1, madrid.current.pending);
    let zones = "SELECT count(DISTINCT timezone) FROM day_aggregates";
    assert_eq!(scalar(store, zones).await, 1);
    check(store, &march(Europe::Madrid), "Madrid again").await;
}

/// Without pulso's triggers (a platform's views), recent days are read live and old
/// aggregates are rebuilt once older than the maximum age.
async fn external_sources_follow_the_settle_and_age_rule(store: &Store) {
    for trigger in [
        "inquiries_dirty_insert",
        "inquiries_dirty_update",
        "inquiries_dirty_delete",
    ] {
        let sql = match store.pool() {
            Pool::Sqlite(_) => format!("DROP TRIGGER {trigger}"),
            Pool::Postgres(_) => format!("DROP TRIGGER {trigger} ON inquiries"),
        };
        execute(store, &sql).await;
    }
    seed(store).await;
    let period = march(UTC);
    check(store, &period, "first answer").await;
    // Within the 2-day settle time: read live, so an untracked edit shows at once.
    let recent = resolved("w", "p57", utc(2026, 3, 30, 9, 0, 0), 3, 3);
    insert(store, &[recent], &[]).await;
    let report = check(store, &period, "edit in an unsettled day").await;
    assert_eq!(report.current.pending, 30 - 1);
    // An old day's aggregate is trusted until it is older than 24 hours (wall clock).
    execute(
        store,
        "UPDATE day_aggregates SET built_at = built_at - 25 * 3600",
    )
    .await;
    let old = resolved("w", "p40", utc(2026, 3, 13, 9, 0, 0), 3, 3);
    insert(store, &[old], &[]).await;
    let report = check(store, &period, "edit in an old day after max age").await;
    assert_eq!(report.current.pending, 30 - 2);
    assert_eq!(report.current.resolved, 30 + 2);
}

async fn execute(store: &Store, sql: &str) {
    crate::on_pool!(store, |pool| sqlx::query(sql)
        .execute(pool)
        .await
        .map(|_| ()))
    .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// The `(lo_day, hi_day)` spans marked in `aggregate_dirty`, sorted.
async fn marks(store: &Store) -> Vec<(i64, i64)> {
    let sql = "SELECT lo_day, hi_day FROM aggregate_dirty ORDER BY lo_day, hi_day";
    crate::on_pool!(store, |pool| sqlx::query_as(sql).fetch_all(pool).await).expect("marks")
}

async fn scalar(store: &Store, sql: &str) -> i64 {
    crate::on_pool!(store, |pool| sqlx::query_scalar(sql).fetch_one(pool).await)
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}
