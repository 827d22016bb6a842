//! How the store hands out connections (src/store/warm.rs on SQLite): answers asked at the
//! same time run side by side and agree with the same answers asked one by one, and an
//! answer abandoned half-way (a timed-out command) leaves no transaction behind on the
//! connection the next caller gets.

use std::time::Duration as StdDuration;

use chrono::Duration;
use chrono_tz::UTC;
use futures_util::future::join_all;
use pulso::domain::{Period, SurveyKind};
use pulso::service::build_report;
use pulso::store::Store;

use crate::helpers::*;

crate::backend_tests!(
    answers_asked_together_equal_answers_asked_in_turn,
    an_abandoned_answer_leaves_no_snapshot_behind,
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
