//! The Gupshup balance as a rule of the engine: the sequences the balance monitor is
//! documented to follow, with the `[workspaces.balance]` defaults and explicit instants
//! (the injectable clock); then the spending rate and the poll slots.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::config::BalanceSettings;
use crate::domain::{RuleLevel, RuleState};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 12, 0, 0).unwrap()
}

/// Feeds `observations` five minutes apart from `start` (the default `poll_every`) with the
/// default balance limits; returns the final state and every event.
fn run(
    start: RuleState,
    from: DateTime<Utc>,
    observations: &[RuleObservation],
) -> (RuleState, Vec<RuleEvent>) {
    let limits = balance_limits(&BalanceSettings::default());
    let mut state = start;
    let mut all = Vec::new();
    for (i, observation) in observations.iter().enumerate() {
        let now = from + Duration::minutes(5 * i as i64);
        let (next, events) = evaluate(&state, *observation, now, &limits);
        state = next;
        all.extend(events);
    }
    (state, all)
}

fn usd(values: &[f64]) -> Vec<RuleObservation> {
    values.iter().map(|v| RuleObservation::Value(*v)).collect()
}

fn keys(events: &[RuleEvent]) -> Vec<String> {
    events.iter().map(RuleEvent::key).collect()
}

#[test]
fn balance_limits_are_the_configured_ones() {
    let limits = balance_limits(&BalanceSettings::default());
    assert_eq!(limits.direction, Direction::Below);
    assert_eq!(
        (limits.threshold, limits.critical, limits.recover_at),
        (50.0, Some(10.0), 60.0)
    );
    assert_eq!(limits.hold, Duration::zero());
    assert_eq!(limits.hold_observations, 2, "pending_polls");
    assert_eq!(limits.repeat_every, Duration::hours(4));
}

#[test]
fn steady_above_threshold_never_alerts() {
    let (state, events) = run(RuleState::default(), t0(), &usd(&[120.0; 50]));
    assert!(events.is_empty());
    assert_eq!(state.level, RuleLevel::Ok);
}

#[test]
fn a_drop_alerts_after_the_pending_polls() {
    let (state, events) = run(RuleState::default(), t0(), &usd(&[120.0, 40.0]));
    assert!(events.is_empty(), "one low reading is only pending");
    assert_eq!(state.bad_observations, 1);
    let (state, events) = run(state, t0() + Duration::minutes(10), &usd(&[40.0]));
    assert_eq!(
        events,
        [RuleEvent::Firing {
            value: 40.0,
            episode: 1
        }]
    );
    assert_eq!(state.level, RuleLevel::Firing);
}

#[test]
fn a_single_low_reading_between_good_ones_does_not_alert() {
    let (_, events) = run(
        RuleState::default(),
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
    let (state, events) = run(RuleState::default(), t0(), &observations[..20]);
    assert_eq!(keys(&events), ["1:firing"]);
    assert_eq!(state.level, RuleLevel::Firing);
}

#[test]
fn reminders_repeat_every_four_hours_while_low() {
    // 9 h of low readings every 5 minutes: the alert, then reminders at +4 h and +8 h.
    let observations = usd(&vec![40.0; 9 * 12 + 2]);
    let (state, events) = run(RuleState::default(), t0(), &observations);
    assert_eq!(keys(&events), ["1:firing", "1:reminder:1", "1:reminder:2"]);
    assert_eq!(state.reminders, 2);
}

#[test]
fn an_acknowledged_low_balance_is_not_reminded() {
    let (state, _) = run(RuleState::default(), t0(), &usd(&[40.0, 40.0]));
    let acknowledged = RuleState {
        acknowledged: Some(("ana".into(), t0() + Duration::minutes(6))),
        ..state
    };
    let (state, events) = run(
        acknowledged,
        t0() + Duration::minutes(10),
        &usd(&[40.0; 60]),
    );
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(state.level, RuleLevel::Firing);
}

#[test]
fn an_episode_stored_before_the_upgrade_continues_its_reminders() {
    // What the migration makes of an open low episode 3 whose first reminder went out at
    // 12:00: the next reminder is the second, four hours after the first, not before.
    let stored = RuleState {
        level: RuleLevel::Firing,
        episode: 3,
        since: Some(t0() - Duration::hours(4)),
        last_notified_at: Some(t0()),
        reminders: 1,
        ..RuleState::default()
    };
    let (state, events) = run(stored, t0() + Duration::minutes(5), &usd(&[40.0; 47]));
    assert!(events.is_empty(), "{events:?}");
    let (state, events) = run(state, t0() + Duration::hours(4), &usd(&[40.0, 70.0]));
    assert_eq!(keys(&events), ["3:reminder:2", "3:resolved"]);
    match &events[1] {
        RuleEvent::Resolved { lasted, .. } => {
            assert_eq!(*lasted, Duration::hours(8) + Duration::minutes(5))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(state.episode, 3);
}

#[test]
fn critical_escalates_at_once_and_does_not_flap_back() {
    let (state, events) = run(RuleState::default(), t0(), &usd(&[120.0, 5.0]));
    assert_eq!(
        keys(&events),
        ["1:critical"],
        "no pending polls below critical"
    );
    assert_eq!(state.level, RuleLevel::Critical);
    let (state, events) = run(
        RuleState::default(),
        t0(),
        &usd(&[40.0, 40.0, 30.0, 8.0, 20.0, 8.0]),
    );
    assert_eq!(keys(&events), ["1:firing", "1:critical"]);
    assert_eq!(state.level, RuleLevel::Critical);
}

#[test]
fn recharge_to_70_resolves_once() {
    let (state, events) = run(
        RuleState::default(),
        t0(),
        &usd(&[40.0, 40.0, 45.0, 70.0, 70.0, 80.0]),
    );
    assert_eq!(keys(&events), ["1:firing", "1:resolved"]);
    assert_eq!(
        events[1],
        RuleEvent::Resolved {
            value: 70.0,
            episode: 1,
            lasted: Duration::minutes(10),
        }
    );
    assert_eq!(state.level, RuleLevel::Ok);
    // A later drop is a new episode with new dedupe keys.
    let (_, events) = run(state, t0() + Duration::hours(1), &usd(&[40.0, 40.0]));
    assert_eq!(events[0].key(), "2:firing");
}

#[test]
fn an_outage_warns_once_and_never_resolves() {
    let (state, _) = run(RuleState::default(), t0(), &usd(&[40.0, 40.0]));
    let failures = vec![RuleObservation::Failed; 10];
    let (state, events) = run(state, t0() + Duration::minutes(10), &failures);
    assert_eq!(events, [RuleEvent::CannotEvaluate { outage: 1 }]);
    assert_eq!(
        state.level,
        RuleLevel::Firing,
        "a failed reading is never a recovery"
    );
    // Readable again, still low: no resolve; a second outage warns again.
    let (state, events) = run(state, t0() + Duration::hours(1), &usd(&[40.0]));
    assert!(events.is_empty());
    let (_, events) = run(state, t0() + Duration::hours(2), &failures[..3]);
    assert_eq!(events, [RuleEvent::CannotEvaluate { outage: 2 }]);
}

#[test]
fn other_currencies_are_never_compared_with_usd_limits() {
    // A balance in another currency is no sample: nothing changes, not even a pending
    // low reading, and it ends a run of failures.
    let observations = vec![RuleObservation::NoSamples; 5];
    let (state, events) = run(RuleState::default(), t0(), &observations);
    assert!(events.is_empty());
    assert_eq!(state.level, RuleLevel::Ok);
    let mut observations = usd(&[40.0]);
    observations.extend([RuleObservation::Failed, RuleObservation::NoSamples]);
    let (state, events) = run(RuleState::default(), t0(), &observations);
    assert!(events.is_empty());
    assert_eq!((state.bad_observations, state.failures), (1, 0));
}

#[test]
fn muting_keeps_tracking() {
    let muted = RuleState {
        snoozed_until: Some(t0() + Duration::days(1)),
        ..RuleState::default()
    };
    assert!(muted.snoozed(t0()));
    let (state, events) = run(muted, t0(), &usd(&[40.0, 40.0]));
    assert_eq!(
        keys(&events),
        ["1:firing"],
        "the engine still decides; the job suppresses"
    );
    assert_eq!(state.level, RuleLevel::Firing);
    assert!(!state.snoozed(t0() + Duration::days(2)));
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
