//! Where the low_survey rule's "new" comes from on PostgreSQL: pulso's own table is read in
//! insertion order only when no insert is in flight (a sequence value taken by a writer
//! that commits later is never skipped), and a platform's view, which has no insertion
//! order, is read by `answered_at` a little behind now. On both backends, a reading that
//! fails loses nothing and warns once after three.

use chrono::{DateTime, Duration, Utc};
use pulso::domain::{LowAnswers, SurveyCursor, SurveyKind, SurveyOrder};
use pulso::jobs::rules_tick;
use pulso::store::{ANSWERED_LAG_SECS, LowAnswersQuery, Pool, Store};

use crate::helpers::*;

crate::backend_tests!(a_failed_reading_warns_once_after_three_and_loses_nothing);

fn t0() -> DateTime<Utc> {
    utc(2026, 12, 1, 15, 0, 0)
}

async fn read(store: &Store, from: Option<SurveyCursor>, now: DateTime<Utc>) -> Option<LowAnswers> {
    store
        .low_answers(LowAnswersQuery {
            workspace: "w",
            from,
            nps_at_most: 6,
            csat_at_most: 2,
            limit: 10,
            now,
        })
        .await
        .unwrap()
}

const INSERT: &str = "INSERT INTO survey_responses (workspace, id, kind, score, answered_at) \
     VALUES ('w', $1, 'nps', 1, to_timestamp($2))";

#[tokio::test]
async fn an_insert_in_flight_holds_the_reading_back() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let store = &db.store;
    let Pool::Postgres(pool) = store.pool() else {
        unreachable!()
    };
    let start = read(store, None, t0()).await.unwrap().next;
    assert_eq!(start.order, SurveyOrder::Inserted);
    // A slow writer takes the lower sequence value; a quick one commits a higher one.
    let mut slow = pool.begin().await.unwrap();
    sqlx::query(INSERT)
        .bind("slow")
        .bind(t0().timestamp())
        .execute(&mut *slow)
        .await
        .unwrap();
    // Another day: the two writers' day marks do not wait for each other.
    sqlx::query(INSERT)
        .bind("quick")
        .bind((t0() - Duration::days(2)).timestamp())
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        read(store, Some(start), t0()).await,
        None,
        "while an insert is in flight the reading waits for the next tick"
    );
    slow.commit().await.unwrap();
    let both = read(store, Some(start), t0()).await.unwrap();
    assert_eq!(both.total, 2, "the slow writer's answer is not skipped");
    db.finish().await;
}

#[tokio::test]
async fn a_platform_view_is_read_by_answered_at() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let store = &db.store;
    let Pool::Postgres(pool) = store.pool() else {
        unreachable!()
    };
    let stored = read(store, None, t0()).await.unwrap().next;
    // The platform's answers behind a view with the contract's columns only.
    sqlx::raw_sql(
        "CREATE TABLE platform_answers AS SELECT workspace, id, inquiry_id, kind, score, \
         answered_at FROM survey_responses; DROP TABLE survey_responses; \
         CREATE VIEW survey_responses AS SELECT * FROM platform_answers;",
    )
    .execute(pool)
    .await
    .unwrap();
    let add = |id: &'static str, at: DateTime<Utc>| async move {
        sqlx::query(&INSERT.replace("survey_responses", "platform_answers"))
            .bind(id)
            .bind(at.timestamp())
            .execute(pool)
            .await
            .unwrap();
    };
    add("before", t0() - Duration::minutes(10)).await;
    // A cursor of pulso's table means nothing here: start again from now, minus the lag.
    let start = read(store, Some(stored), t0()).await.unwrap();
    assert_eq!((start.from, start.total), (None, 0));
    assert_eq!(
        start.next,
        SurveyCursor {
            order: SurveyOrder::Answered,
            position: t0().timestamp() - ANSWERED_LAG_SECS
        }
    );
    add("recent", t0() - Duration::minutes(1)).await;
    add("after", t0() + Duration::minutes(1)).await;
    add("future", t0() + Duration::minutes(4)).await;
    let later = t0() + Duration::minutes(5);
    let got = read(store, Some(start.next), later).await.unwrap();
    let ids: Vec<&str> = got.listed.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["recent", "after"], "up to the lag behind now");
    add("late", t0() - Duration::minutes(30)).await;
    let rest = read(store, Some(got.next), later + Duration::minutes(5))
        .await
        .unwrap();
    let ids: Vec<&str> = rest.listed.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["future"],
        "an answer visible long after its answered_at is missed on a view (documented)"
    );
    db.finish().await;
}

async fn rename(store: &Store, from: &str, to: &str) {
    let sql = format!("ALTER TABLE {from} RENAME TO {to}");
    crate::on_pool!(store, |pool| sqlx::query(&sql)
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
}

async fn a_failed_reading_warns_once_after_three_and_loses_nothing(store: &Store) {
    let config = crate::survey_alerts::config("[[workspaces.alerts]]\nrule = \"low_survey\"\n");
    let tick = |seconds: i64| {
        let config = &config;
        async move {
            let at = t0() + Duration::seconds(seconds);
            let outcomes = rules_tick(store, config, at).await.unwrap();
            outcomes
                .into_iter()
                .flat_map(|o| o.queued)
                .collect::<Vec<_>>()
        }
    };
    assert!(tick(0).await.is_empty());
    insert(store, &[], &[answer("w", "a", SurveyKind::Nps, 2, t0())]).await;
    rename(store, "survey_responses", "survey_responses_away").await;
    assert!(tick(30).await.is_empty());
    assert!(tick(60).await.is_empty());
    assert_eq!(
        tick(90).await,
        ["alert:w:low_survey:unknown:1"],
        "the third failure"
    );
    assert!(tick(120).await.is_empty(), "once per outage");
    rename(store, "survey_responses_away", "survey_responses").await;
    let back = tick(150).await;
    assert_eq!(back.len(), 1, "the answer of the outage is posted after it");
    assert!(
        back[0].starts_with("alert:w:low_survey:survey:inserted:"),
        "{back:?}"
    );
    let state = &store.rule_states("w").await.unwrap()[0].state;
    assert_eq!((state.failures, state.last_value), (0, Some(1.0)));
}
