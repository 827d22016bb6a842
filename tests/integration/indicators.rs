//! Every indicator against a real database: window edges, DST days, empty windows, the
//! previous period, and the not-windowed figures.

use chrono::Duration;
use chrono_tz::{America, Europe, UTC};
use pulso::domain::Period;
use pulso::domain::SurveyKind;
use pulso::service::build_report;
use pulso::store::Store;

use crate::helpers::*;

crate::backend_tests!(
    window_is_half_open_for_every_indicator,
    empty_window_gives_no_data_not_zero,
    averages_medians_and_scores_follow_the_definitions,
    madrid_spring_forward_day_has_23_hours,
    madrid_fall_back_day_has_25_hours,
    santiago_day_starts_when_midnight_is_skipped,
    previous_period_is_the_same_length_just_before,
    in_progress_and_oldest_pending_are_not_windowed,
    workspaces_do_not_leak_into_each_other,
);

/// A period of one UTC day: 2026-03-10.
fn one_utc_day() -> Period {
    Period::new(date(2026, 3, 10), date(2026, 3, 10), UTC).unwrap()
}

async fn window_is_half_open_for_every_indicator(store: &Store) {
    let start = utc(2026, 3, 10, 0, 0, 0);
    let end = utc(2026, 3, 11, 0, 0, 0);
    let second = Duration::seconds(1);
    insert(
        store,
        &[
            // Pending: requested at the first instant counts, at the end does not.
            pending("w", "p-in", start),
            pending("w", "p-out", end),
            pending("w", "p-before", start - second),
            // Attended exactly at start (counts), exactly at end (does not).
            in_progress("w", "a-in", start - Duration::minutes(10), 10),
            in_progress("w", "a-out", end - Duration::minutes(5), 5),
            // Resolved at the last second inside, and exactly at the end.
            resolved("w", "r-in", start - Duration::minutes(30), 10, 20),
            resolved("w", "r-edge", end - Duration::minutes(30) - second, 10, 20),
            resolved("w", "r-out", end - Duration::minutes(30), 10, 20),
            // Expired exactly at start and exactly at end.
            expired("w", "e-in", start - Duration::minutes(60), 60),
            expired("w", "e-out", end - Duration::minutes(60), 60),
        ],
        &[
            answer("w", "s-in", SurveyKind::Nps, 10, start),
            answer("w", "s-out", SurveyKind::Nps, 0, end),
            answer("w", "c-in", SurveyKind::Csat, 5, end - second),
        ],
    )
    .await;
    let report = build_report(store, "w", &one_utc_day(), end).await.unwrap();
    let current = &report.current;
    assert_eq!(current.period.window.start, start);
    assert_eq!(current.period.window.end, end);
    assert_eq!(current.pending, 1, "pending: only p-in");
    assert_eq!(current.resolved, 2, "resolved: r-in and r-edge");
    assert_eq!(current.expired, 1, "expired: only e-in");
    // Attended in the window: a-in at its first instant, r-edge and r-out before its end
    // (10 min waits each); r-in before it, a-out at its end.
    assert_eq!(current.attention.samples, 3);
    assert_eq!(current.avg_attention_min, Some(10.0));
    assert_eq!(current.nps.responses, 1);
    assert_eq!(current.nps.score, Some(100.0));
    assert_eq!(current.csat.responses, 1);
    assert_eq!(current.csat.score, Some(100.0));
}

async fn empty_window_gives_no_data_not_zero(store: &Store) {
    insert(
        store,
        &[resolved("w", "old", utc(2026, 1, 1, 12, 0, 0), 5, 5)],
        &[],
    )
    .await;
    let report = build_report(store, "w", &one_utc_day(), utc(2026, 3, 10, 12, 0, 0))
        .await
        .unwrap();
    let current = &report.current;
    assert_eq!(
        (current.pending, current.resolved, current.expired),
        (0, 0, 0)
    );
    assert_eq!(current.avg_attention_min, None);
    assert_eq!(current.avg_resolution_min, None);
    assert_eq!(current.avg_attention_resolution_min, None);
    assert_eq!(current.attention.median_min, None);
    assert_eq!(current.attention.p90_min, None);
    assert_eq!(current.nps.score, None);
    assert_eq!(current.csat.score, None);
    assert_eq!(current.expired_rate, None);
    let json = serde_json::to_value(&report).unwrap();
    assert!(
        json["avg_attention_min"].is_null(),
        "JSON shows null, not 0: {json}"
    );
    assert!(json["nps"]["score"].is_null());
}

async fn averages_medians_and_scores_follow_the_definitions(store: &Store) {
    let t = utc(2026, 3, 10, 9, 0, 0);
    insert(
        store,
        &[
            resolved("w", "1", t, 2, 10),
            resolved("w", "2", t, 4, 20),
            resolved("w", "3", t, 6, 30),
            resolved("w", "4", t, 100, 40),
            expired("w", "5", t, 90),
        ],
        &[
            answer("w", "n1", SurveyKind::Nps, 10, t),
            answer("w", "n2", SurveyKind::Nps, 9, t),
            answer("w", "n3", SurveyKind::Nps, 8, t),
            answer("w", "n4", SurveyKind::Nps, 6, t),
            answer("w", "n5", SurveyKind::Nps, 0, t),
            answer("w", "n6", SurveyKind::Nps, 7, t),
            answer("w", "c1", SurveyKind::Csat, 5, t),
            answer("w", "c2", SurveyKind::Csat, 4, t),
            answer("w", "c3", SurveyKind::Csat, 3, t),
        ],
    )
    .await;
    // Before the day ends it is read live, so medians are exact (a complete day counts
    // through its aggregate, within the bound checked in aggregates.rs and equivalence.rs).
    let report = build_report(store, "w", &one_utc_day(), utc(2026, 3, 10, 23, 0, 0))
        .await
        .unwrap();
    let c = &report.current;
    assert_eq!(c.attention.percentile_error_bound, 0.0);
    assert_eq!(c.avg_attention_min, Some(28.0)); // (2 + 4 + 6 + 100) / 4
    assert_eq!(c.attention.median_min, Some(5.0)); // (4 + 6) / 2
    assert_eq!(c.attention.p90_min, Some(100.0)); // nearest rank: 4th of 4
    assert_eq!(c.avg_resolution_min, Some(25.0));
    assert_eq!(c.avg_attention_resolution_min, Some(53.0)); // (12 + 24 + 36 + 140) / 4
    assert_eq!(
        (c.nps.promoters, c.nps.passives, c.nps.detractors),
        (2, 2, 2)
    );
    assert_eq!(c.nps.score, Some(0.0));
    assert_eq!(c.csat.satisfied, 2);
    let csat = c.csat.score.unwrap();
    assert!((csat - 200.0 / 3.0).abs() < 1e-9, "{csat}");
    assert_eq!(c.expired_rate, Some(0.2));
}

/// Counts the inquiries of a local day by requesting one pending inquiry per hour around it.
async fn pending_per_local_day(
    store: &Store,
    tz: chrono_tz::Tz,
    day: chrono::NaiveDate,
) -> (i64, u64) {
    let period = Period::new(day, day, tz).unwrap();
    let window = period.window();
    let report = build_report(store, "w", &period, window.end).await.unwrap();
    (
        (window.end - window.start).num_hours(),
        report.current.pending,
    )
}

async fn hourly_pending(store: &Store, from: chrono::DateTime<chrono::Utc>, hours: i64) {
    let rows: Vec<_> = (0..hours)
        .map(|h| pending("w", &format!("h{h}"), from + Duration::hours(h)))
        .collect();
    insert(store, &rows, &[]).await;
}

async fn madrid_spring_forward_day_has_23_hours(store: &Store) {
    // 2026-03-29: Europe/Madrid skips 02:00-03:00; the local day is 23 hours long.
    hourly_pending(store, utc(2026, 3, 27, 0, 0, 0), 96).await;
    let day = date(2026, 3, 29);
    let window = Period::new(day, day, Europe::Madrid).unwrap().window();
    assert_eq!(window.start, utc(2026, 3, 28, 23, 0, 0));
    assert_eq!(window.end, utc(2026, 3, 29, 22, 0, 0));
    assert_eq!(
        pending_per_local_day(store, Europe::Madrid, day).await,
        (23, 23)
    );
    assert_eq!(
        pending_per_local_day(store, Europe::Madrid, date(2026, 3, 28)).await,
        (24, 24)
    );
}

async fn madrid_fall_back_day_has_25_hours(store: &Store) {
    // 2026-10-25: Europe/Madrid repeats 02:00-03:00; the local day is 25 hours long.
    hourly_pending(store, utc(2026, 10, 23, 0, 0, 0), 96).await;
    let day = date(2026, 10, 25);
    let window = Period::new(day, day, Europe::Madrid).unwrap().window();
    assert_eq!(window.start, utc(2026, 10, 24, 22, 0, 0));
    assert_eq!(window.end, utc(2026, 10, 25, 23, 0, 0));
    assert_eq!(
        pending_per_local_day(store, Europe::Madrid, day).await,
        (25, 25)
    );
    assert_eq!(
        pending_per_local_day(store, Europe::Madrid, date(2026, 10, 26)).await,
        (24, 24)
    );
}

async fn santiago_day_starts_when_midnight_is_skipped(store: &Store) {
    // 2026-09-06: America/Santiago jumps from 00:00 (-04) to 01:00 (-03). The day starts at
    // 01:00 local = 04:00 UTC; the day before ends there too, so it is 24 hours long.
    hourly_pending(store, utc(2026, 9, 4, 0, 0, 0), 96).await;
    let day = date(2026, 9, 6);
    let window = Period::new(day, day, America::Santiago).unwrap().window();
    assert_eq!(window.start, utc(2026, 9, 6, 4, 0, 0));
    assert_eq!(window.end, utc(2026, 9, 7, 3, 0, 0));
    assert_eq!(
        pending_per_local_day(store, America::Santiago, day).await,
        (23, 23)
    );
    assert_eq!(
        pending_per_local_day(store, America::Santiago, date(2026, 9, 5)).await,
        (24, 24)
    );
}

async fn previous_period_is_the_same_length_just_before(store: &Store) {
    let tz = America::Argentina::Buenos_Aires;
    // Three days: 2026-05-08..10 local; previous: 05-05..07.
    insert(
        store,
        &[
            resolved("w", "now-1", utc(2026, 5, 9, 15, 0, 0), 10, 10),
            resolved("w", "now-2", utc(2026, 5, 10, 15, 0, 0), 20, 10),
            resolved("w", "before-1", utc(2026, 5, 5, 3, 0, 0), 30, 10), // 00:00 local 05-05
            // Requested and attended before the previous window, resolved inside it (03:30 UTC).
            resolved("w", "too-old", utc(2026, 5, 5, 2, 0, 0), 30, 60),
            expired("w", "before-2", utc(2026, 5, 7, 12, 0, 0), 60),
        ],
        &[],
    )
    .await;
    let period = Period::new(date(2026, 5, 8), date(2026, 5, 10), tz).unwrap();
    let report = build_report(store, "w", &period, utc(2026, 5, 11, 3, 0, 0))
        .await
        .unwrap();
    assert_eq!(report.previous.period.from, date(2026, 5, 5));
    assert_eq!(report.previous.period.to, date(2026, 5, 7));
    assert_eq!(report.current.resolved, 2);
    assert_eq!(report.current.avg_attention_min, Some(15.0));
    // too-old was requested before the previous window but resolved inside it.
    assert_eq!(report.previous.resolved, 2);
    assert_eq!(report.previous.expired, 1);
    assert_eq!(report.previous.avg_resolution_min, Some(35.0));
    assert_eq!(report.previous.avg_attention_min, Some(30.0));
}

async fn in_progress_and_oldest_pending_are_not_windowed(store: &Store) {
    let now = utc(2026, 3, 10, 12, 0, 0);
    insert(
        store,
        &[
            in_progress("w", "ip-old", utc(2025, 12, 1, 0, 0, 0), 5),
            in_progress("w", "ip-today", utc(2026, 3, 10, 8, 0, 0), 5),
            pending("w", "waiting-longest", utc(2026, 3, 8, 12, 0, 0)),
            pending("w", "waiting", utc(2026, 3, 10, 11, 0, 0)),
        ],
        &[],
    )
    .await;
    let report = build_report(store, "w", &one_utc_day(), now).await.unwrap();
    assert_eq!(report.in_progress, 2);
    assert_eq!(report.current.pending, 1);
    let oldest = report.oldest_pending.expect("oldest pending");
    assert_eq!(oldest.id, "waiting-longest");
    assert_eq!(oldest.waiting_min, 2.0 * 24.0 * 60.0);
}

async fn workspaces_do_not_leak_into_each_other(store: &Store) {
    let t = utc(2026, 3, 10, 9, 0, 0);
    insert(
        store,
        &[
            resolved("a", "1", t, 1, 1),
            resolved("b", "1", t, 50, 50),
            pending("b", "2", t),
        ],
        &[answer("b", "x", SurveyKind::Nps, 0, t)],
    )
    .await;
    let report = build_report(store, "a", &one_utc_day(), t).await.unwrap();
    assert_eq!(report.current.resolved, 1);
    assert_eq!(report.current.avg_attention_min, Some(1.0));
    assert_eq!(report.current.pending, 0);
    assert_eq!(report.current.nps.responses, 0);
    assert_eq!(report.oldest_pending, None);
}
