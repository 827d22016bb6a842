//! How the store hands out connections (src/store/warm.rs on SQLite): answers asked at the
//! same time run side by side and agree with the same answers asked one by one, and an
//! answer abandoned half-way (a timed-out command) leaves no transaction behind on the
//! connection the next caller gets, even one dropped while its `BEGIN` waits for the server
//! (src/store/release.rs).

use std::future::Future;
use std::pin::pin;
use std::task::Context;
use std::time::Duration as StdDuration;

use chrono::Duration;
use chrono_tz::UTC;
use futures_util::future::join_all;
use pulso::domain::{Period, SurveyKind};
use pulso::service::build_report;
use pulso::store::{Pool, Store};
use sqlx::Connection as _;

use crate::helpers::*;

crate::backend_tests!(
    answers_asked_together_equal_answers_asked_in_turn,
    an_abandoned_answer_leaves_no_snapshot_behind,
    a_transaction_dropped_while_it_begins_is_not_handed_on,
    a_connection_whose_transactions_ended_is_handed_on,
);

fn week() -> Period {
    Period::new(date(2026, 3, 4), date(2026, 3, 10), UTC).unwrap()
}

async fn seed(store: &Store, prefix: &str, count: i64) {
    let start = utc(2026, 3, 4, 8, 0, 0);
    let inquiries: Vec<_> = (0..count)
        .map(|n| {
            resolved(
                "w",
                &format!("{prefix}-{n}"),
                start + Duration::hours(n),
                n % 17 + 1,
                n % 29 + 2,
            )
        })
        .collect();
    let answers: Vec<_> = (0..count)
        .map(|n| {
            answer(
                "w",
                &format!("{prefix}-s{n}"),
                SurveyKind::Nps,
                (n % 11) as i16,
                start + Duration::hours(n) + Duration::minutes(50),
            )
        })
        .collect();
    insert(store, &inquiries, &answers).await;
}

async fn answers_asked_together_equal_answers_asked_in_turn(store: &Store) {
    seed(store, "a", 120).await;
    let now = utc(2026, 3, 10, 23, 0, 0);
    let period = week();
    let alone = build_report(store, "w", &period, now).await.unwrap();
    // More callers than the pool has connections: they queue, none fails.
    let together = join_all((0..12).map(|_| build_report(store, "w", &period, now))).await;
    for report in together {
        let report = report.unwrap();
        assert_eq!(report.current, alone.current);
        assert_eq!(report.previous, alone.previous);
    }
    assert_eq!(alone.current.resolved, 120);
}

async fn an_abandoned_answer_leaves_no_snapshot_behind(store: &Store) {
    seed(store, "b", 40).await;
    let now = utc(2026, 3, 10, 23, 0, 0);
    let period = week();
    // Waits from nothing to a few milliseconds: each round drops the answer somewhere else.
    for (round, wait_us) in (0..24u64).map(|n| n * n * 8).enumerate() {
        let asked = build_report(store, "w", &period, now);
        // Dropped wherever it is when the wait ends: before, inside or after its
        // read transaction.
        let _ = tokio::time::timeout(StdDuration::from_micros(wait_us), asked).await;
        // A write after it commits, and the next answer sees it: a read transaction left
        // open on the connection would still show the snapshot from before the write.
        seed(store, &format!("c{round}"), 1).await;
        let report = build_report(store, "w", &period, now).await.unwrap();
        assert_eq!(
            report.current.resolved,
            40 + round as u64 + 1,
            "round {round}, dropped after {wait_us} µs"
        );
    }
}

/// Polls `future` `polls` times, 10 ms apart, as a caller would whose timeout fires
/// then, and drops it; tells whether it was still waiting at the last poll.
async fn poll_and_drop(future: impl Future, polls: usize) -> bool {
    let mut future = pin!(future);
    let mut context = Context::from_waker(std::task::Waker::noop());
    for poll in 1..=polls {
        if future.as_mut().poll(&mut context).is_ready() {
            return false;
        }
        if poll < polls {
            tokio::time::sleep(StdDuration::from_millis(10)).await;
        }
    }
    true
}

/// One backend's half of the two tests below: the pools are of different types, the steps
/// are the same. `$polls` is where the begin is dropped: on PostgreSQL at the first poll,
/// while the `BEGIN` waits for the server; on SQLite at the second, once the `BEGIN` has
/// run and sqlx waits to check its effect.
macro_rules! dropped_begin_is_not_handed_on {
    ($pool:expr, $begin:expr, $polls:expr) => {{
        let pool = $pool;
        let size = pool.options().get_max_connections();
        sqlx::query("CREATE TABLE probe (n INTEGER)")
            .execute(pool)
            .await
            .unwrap();
        // A begin answered before the drop ends as a whole transaction would: try again.
        let mut dropped_waiting = false;
        for _ in 0..50 {
            let mut abandoned = pool.acquire().await.unwrap();
            dropped_waiting = poll_and_drop(abandoned.begin_with($begin), $polls).await;
            drop(abandoned);
            if dropped_waiting {
                break;
            }
        }
        assert!(
            dropped_waiting,
            "every BEGIN was answered before it could be dropped"
        );
        // Every connection the pool may hold, so the abandoned one would be among them. (On
        // SQLite a drop at the second poll can also come before sqlx took the `BEGIN`'s
        // reply, and then sqlx rolls it back itself: either way none may be inside a
        // transaction.)
        let mut held = Vec::new();
        for _ in 0..size {
            held.push(pool.acquire().await.unwrap());
        }
        for connection in &mut held {
            let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM probe")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            assert_eq!(seen, 0);
        }
        // Inside an abandoned transaction a write fails (read-only on PostgreSQL, a stale
        // snapshot on SQLite) or stays invisible to the others, and the count falls short.
        for (n, connection) in held.iter_mut().enumerate() {
            sqlx::query("INSERT INTO probe (n) VALUES (1)")
                .execute(&mut **connection)
                .await
                .unwrap_or_else(|error| panic!("write on connection {n}: {error}"));
        }
        for (n, connection) in held.iter_mut().enumerate() {
            let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM probe")
                .fetch_one(&mut **connection)
                .await
                .unwrap();
            assert_eq!(
                seen,
                i64::from(size),
                "connection {n} reads an old snapshot"
            );
        }
    }};
}

/// The other half: a connection whose transactions all ended (committed, or dropped and so
/// rolled back) goes back to the pool as it was, not closed and reopened.
macro_rules! finished_transactions_keep_the_connection {
    ($pool:expr) => {{
        let pool = $pool;
        let size = pool.options().get_max_connections();
        let mut used = pool.acquire().await.unwrap();
        sqlx::query("CREATE TEMP TABLE session_marker (n INTEGER)")
            .execute(&mut *used)
            .await
            .unwrap();
        let committed = used.begin().await.unwrap();
        committed.commit().await.unwrap();
        let mut dropped = used.begin().await.unwrap();
        sqlx::query("INSERT INTO session_marker (n) VALUES (1)")
            .execute(&mut *dropped)
            .await
            .unwrap();
        drop(dropped);
        drop(used);
        let mut held = Vec::new();
        for _ in 0..size {
            held.push(pool.acquire().await.unwrap());
        }
        // The temporary table lives and dies with its connection.
        let mut marked = 0;
        for connection in &mut held {
            marked += usize::from(
                sqlx::query("SELECT count(*) FROM session_marker")
                    .fetch_one(&mut **connection)
                    .await
                    .is_ok(),
            );
        }
        assert_eq!(marked, 1, "the connection was closed, not handed on");
    }};
}

async fn a_transaction_dropped_while_it_begins_is_not_handed_on(store: &Store) {
    match store.pool() {
        Pool::Sqlite(pool) => dropped_begin_is_not_handed_on!(pool, "BEGIN", 2),
        Pool::Postgres(pool) => dropped_begin_is_not_handed_on!(
            pool,
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            1
        ),
    }
}

async fn a_connection_whose_transactions_ended_is_handed_on(store: &Store) {
    match store.pool() {
        Pool::Sqlite(pool) => finished_transactions_keep_the_connection!(pool),
        Pool::Postgres(pool) => finished_transactions_keep_the_connection!(pool),
    }
}
