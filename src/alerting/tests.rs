//! State machine sequences with explicit instants (the injectable clock).

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::config::BalanceSettings;
use crate::domain::{AlertState, Level};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0).unwrap()
}

/// Feeds `observations` five minutes apart from `start`; returns the final state and every event.
fn run(
    start: AlertState,
    from: DateTime<Utc>,
    observations: &[Observation],
) -> (AlertState, Vec<AlertEvent>) {
    let settings = BalanceSettings::default();
    let mut state = start;
    let mut all = Vec::new();
    for (i, observation) in observations.iter().enumerate() {
        let now = from + Duration::minutes(5 * i as i64);
        let (next, events) = step(&state, observation, now, &settings);
        state = next;
        all.extend(events);
    }
    (state, all)
}

fn usd(values: &[f64]) -> Vec<Observation> {
    values.iter().map(|v| Observation::Usd(*v)).collect()
}

fn kinds(events: &[AlertEvent]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| match e {
            AlertEvent::Low { .. } => "low",
            AlertEvent::Critical { .. } => "critical",
            AlertEvent::Reminder { .. } => "reminder",
            AlertEvent::Resolved { .. } => "resolved",
            AlertEvent::Unknown { .. } => "unknown",
        })
        .collect()
}

#[test]
fn steady_above_threshold_never_alerts() {
    let (state, events) = run(AlertState::default(), t0(), &usd(&[120.0; 50]));
    assert!(events.is_empty());
    assert_eq!(state.level, Level::Ok);
}

#[test]
fn a_drop_alerts_after_the_pending_polls() {
    let (state, events) = run(AlertState::default(), t0(), &usd(&[120.0, 40.0]));
    assert!(events.is_empty(), "one low reading is only pending");
    assert_eq!(state.below_count, 1);
    let (state, events) = run(state, t0() + Duration::minutes(10), &usd(&[40.0]));
    assert_eq!(
        events,
        [AlertEvent::Low {
            balance: 40.0,
            episode: 1
        }]
    );
    assert_eq!(state.level, Level::Low);
}

#[test]
fn a_single_low_reading_between_good_ones_does_not_alert() {
    let (_, events) = run(
        AlertState::default(),
        t0(),
        &usd(&[120.0, 40.0, 120.0, 40.0, 120.0]),
    );
    assert!(events.is_empty());
}

#[test]
fn flapping_between_45_and_55_alerts_once_and_never_resolves() {
    let values: Vec<f64> = (0..40)
        .map(|i| if i % 2 == 0 { 45.0 } else { 55.0 })
        .collect();
    let mut observations = usd(&[45.0]);
    observations.extend(usd(&values));
    let (state, events) = run(AlertState::default(), t0(), &observations[..20]);
    assert_eq!(kinds(&events), ["low"]);
    assert_eq!(state.level, Level::Low);
}

#[test]
fn reminders_repeat_every_four_hours_while_low() {
    // 9 h of low readings every 5 minutes: the alert, then reminders at +4 h and +8 h.
    let observations = usd(&vec![40.0; 9 * 12 + 2]);
    let (state, events) = run(AlertState::default(), t0(), &observations);
    assert_eq!(kinds(&events), ["low", "reminder", "reminder"]);
    assert_eq!(state.reminders, 2);
    let keys: Vec<String> = events.iter().map(|e| e.dedupe_key("w")).collect();
    assert_eq!(
        keys,
        [
            "alert:w:balance:1:low",
            "alert:w:balance:1:reminder:1",
            "alert:w:balance:1:reminder:2"
        ]
    );
}

#[test]
fn critical_escalates_at_once_and_does_not_flap_back() {
    let (state, events) = run(AlertState::default(), t0(), &usd(&[120.0, 5.0]));
    assert_eq!(
        kinds(&events),
        ["critical"],
        "no pending polls below critical"
    );
    assert_eq!(state.level, Level::Critical);
    let (state, events) = run(
        AlertState::default(),
        t0(),
        &usd(&[40.0, 40.0, 30.0, 8.0, 20.0, 8.0]),
    );
    assert_eq!(kinds(&events), ["low", "critical"]);
    assert_eq!(state.level, Level::Critical);
}

#[test]
fn recharge_to_70_resolves_once() {
    let (state, events) = run(
        AlertState::default(),
        t0(),
        &usd(&[40.0, 40.0, 45.0, 70.0, 70.0, 80.0]),
    );
    assert_eq!(kinds(&events), ["low", "resolved"]);
    assert_eq!(
        events[1],
        AlertEvent::Resolved {
            balance: 70.0,
            episode: 1
        }
    );
    assert_eq!(state.level, Level::Ok);
    // A later drop is a new episode with new dedupe keys.
    let (_, events) = run(state, t0() + Duration::hours(1), &usd(&[40.0, 40.0]));
    assert_eq!(events[0].dedupe_key("w"), "alert:w:balance:2:low");
}

#[test]
fn an_outage_warns_once_and_never_resolves() {
    let (state, _) = run(AlertState::default(), t0(), &usd(&[40.0, 40.0]));
    let failures = vec![Observation::Failure { auth: true }; 10];
    let (state, events) = run(state, t0() + Duration::minutes(10), &failures);
    assert_eq!(
        events,
        [AlertEvent::Unknown {
            auth: true,
            outage: 1
        }]
    );
    assert_eq!(
        state.level,
        Level::Low,
        "a failed reading is never a recovery"
    );
    // Readable again, still low: no resolve; a second outage warns again.
    let (state, events) = run(state, t0() + Duration::hours(1), &usd(&[40.0]));
    assert!(events.is_empty());
    let (_, events) = run(state, t0() + Duration::hours(2), &failures[..3]);
    assert_eq!(
        events,
        [AlertEvent::Unknown {
            auth: true,
            outage: 2
        }]
    );
}

#[test]
fn other_currencies_are_never_compared_with_usd_limits() {
    let observations = vec![Observation::OtherCurrency; 5];
    let (state, events) = run(AlertState::default(), t0(), &observations);
    assert!(events.is_empty());
    assert_eq!(state.level, Level::Ok);
}

#[test]
fn muting_keeps_tracking() {
    let muted = AlertState {
        muted_until: Some(t0() + Duration::days(1)),
        ..AlertState::default()
    };
    assert!(muted.muted(t0()));
    let (state, events) = run(muted, t0(), &usd(&[40.0, 40.0]));
    assert_eq!(
        kinds(&events),
        ["low"],
        "the machine still decides; the layer suppresses"
    );
    assert_eq!(state.level, Level::Low);
    assert!(!state.muted(t0() + Duration::days(2)));
}

#[test]
fn spending_rate_ignores_recharges_and_needs_a_day_of_history() {
    let at = |h: i64| t0() + Duration::hours(h);
    assert_eq!(spending_rate(&[(at(0), 100.0), (at(12), 90.0)]), None);
    let rate = spending_rate(&[
        (at(0), 100.0),
        (at(24), 90.0),
        (at(30), 200.0),
        (at(48), 190.0),
    ])
    .unwrap();
    assert!((rate - 10.0).abs() < 1e-9, "{rate}");
    assert_eq!(spending_rate(&[(at(0), 100.0), (at(48), 100.0)]), None);
}

#[test]
fn poll_slots_are_the_scheduler_ticks() {
    let at = |s: i64| t0() + Duration::seconds(s);
    assert_eq!(poll_slot(at(0)), t0().timestamp());
    assert_eq!(poll_slot(at(29)), t0().timestamp());
    assert_eq!(poll_slot(at(30)), at(30).timestamp());
    assert_eq!(poll_slot(at(-1)), at(-30).timestamp());
}
