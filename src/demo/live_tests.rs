//! The live queue's default timings do what the first run promises, checked on the rows
//! themselves (the integration tests check them through the app and the alert rules).

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::{LIVE_PREFIX, LiveQueue, horizon, live_rows};
use crate::domain::{Inquiry, InquiryStatus};

const SALT: u64 = 7;

fn start() -> DateTime<Utc> {
    // 03:00 in Buenos Aires: the hour the old demo had an empty queue.
    Utc.with_ymd_and_hms(2026, 11, 24, 6, 0, 0).unwrap()
}

fn rows_at(now: DateTime<Utc>) -> Vec<Inquiry> {
    let queue = LiveQueue::default();
    live_rows("w", SALT, &queue, start(), now - horizon(&queue), now)
}

/// What the default rules observe: pending that waited 15 min or more, and the oldest
/// pending's wait in minutes.
fn queue(now: DateTime<Utc>) -> (usize, f64, usize) {
    let rows = rows_at(now);
    let pending: Vec<&Inquiry> = rows
        .iter()
        .filter(|row| row.status == InquiryStatus::Pending)
        .collect();
    let waiting = pending
        .iter()
        .filter(|row| now - row.requested_at >= Duration::minutes(15))
        .count();
    let oldest = pending
        .iter()
        .map(|row| (now - row.requested_at).num_seconds() as f64 / 60.0)
        .fold(0.0, f64::max);
    let in_progress = rows
        .iter()
        .filter(|row| row.status == InquiryStatus::InProgress)
        .count();
    (waiting, oldest, in_progress)
}

#[test]
fn something_is_pending_and_in_progress_at_every_minute_of_three_days() {
    for minute in 0..3 * 24 * 60 {
        let now = start() + Duration::minutes(minute);
        let rows = rows_at(now);
        let count = |status| rows.iter().filter(|row| row.status == status).count();
        assert!(
            count(InquiryStatus::Pending) >= 1,
            "nothing pending at {now}"
        );
        assert!(
            count(InquiryStatus::InProgress) >= 1,
            "nothing in progress at {now}"
        );
    }
}

/// `queue_waiting` (5 over 15 min) fires about a minute after the start and
/// `oldest_pending` (30 min) within 4 minutes; both resolve (2 or fewer, 10 min or less)
/// within 20 minutes, and the next backlog fires them again two hours later.
#[test]
fn the_default_rules_fire_within_minutes_of_the_start_and_then_resolve() {
    let first = |fires: &dyn Fn((usize, f64, usize)) -> bool, from: i64| {
        (from..from + 400)
            .map(|minute| start() + Duration::seconds(30 * minute))
            .find(|now| fires(queue(*now)))
            .map(|now| (now - start()).num_seconds())
    };
    let queue_fires = |(waiting, _, _): (usize, f64, usize)| waiting >= 5;
    let oldest_fires = |(_, oldest, _): (usize, f64, usize)| oldest >= 30.0;
    assert_eq!(queue(start()).0, 4, "four have waited 15 min at the start");
    let fired = first(&queue_fires, 0).unwrap();
    assert!((30..=120).contains(&fired), "queue_waiting after {fired} s");
    let fired = first(&oldest_fires, 0).unwrap();
    assert!(
        (150..=240).contains(&fired),
        "oldest_pending after {fired} s"
    );
    let resolved = |(waiting, oldest, _): (usize, f64, usize)| waiting <= 2 && oldest <= 10.0;
    let after = first(&resolved, 10).unwrap();
    assert!(after <= 20 * 60, "resolved after {after} s");
    let again = first(&queue_fires, after / 30).unwrap();
    assert!(
        (2 * 3600..2 * 3600 + 180).contains(&again),
        "fired again after {again} s"
    );
}

#[test]
fn every_live_inquiry_closes_within_the_horizon_and_ids_are_unique() {
    let queue = LiveQueue::default();
    let late = start() + Duration::days(2);
    let all = live_rows("w", SALT, &queue, start(), start(), late);
    let mut ids: Vec<&str> = all.iter().map(|row| row.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    assert!(all.iter().all(|row| row.id.starts_with(LIVE_PREFIX)));
    for row in all
        .iter()
        .filter(|row| row.requested_at < late - horizon(&queue))
    {
        assert_eq!(row.status, InquiryStatus::Resolved, "{row:?}");
        assert!(row.resolved_at.unwrap() - row.requested_at < horizon(&queue));
    }
}

/// Written tick after tick, an inquiry only moves forward, and the same inputs always give
/// the same rows.
#[test]
fn rows_are_deterministic_and_only_move_forward() {
    let now = start() + Duration::minutes(40);
    assert_eq!(rows_at(now), rows_at(now));
    let later = rows_at(now + Duration::seconds(30));
    let rank = |status| match status {
        InquiryStatus::Pending => 0,
        InquiryStatus::InProgress => 1,
        _ => 2,
    };
    // The oldest may leave the rewritten window (closed, as the horizon test shows).
    for row in rows_at(now).into_iter().skip(1) {
        let next = later.iter().find(|other| other.id == row.id).unwrap();
        assert!(rank(next.status) >= rank(row.status), "{row:?} → {next:?}");
        assert_eq!(next.requested_at, row.requested_at);
    }
    let other_seed = live_rows(
        "w",
        SALT + 1,
        &LiveQueue::default(),
        start(),
        now - Duration::hours(1),
        now,
    );
    assert_ne!(other_seed, rows_at(now));
}

/// A live inquiry found open by a later process is rebuilt from its id alone.
#[test]
fn every_live_inquiry_is_rebuilt_from_its_id() {
    let queue = LiveQueue::default();
    let now = start() + Duration::hours(5);
    let rows = live_rows("w", SALT, &queue, start(), start(), now);
    assert!(rows.iter().any(|row| row.id.contains("-b")));
    for row in &rows {
        assert_eq!(
            super::live_inquiry("w", SALT, &queue, &row.id, now).as_ref(),
            Some(row)
        );
    }
    for id in [
        "demo-000001",
        "demo-live-x",
        "demo-live-b12-9",
        "demo-live-b12",
    ] {
        assert_eq!(
            super::live_inquiry("w", SALT, &queue, id, now),
            None,
            "{id}"
        );
    }
}
