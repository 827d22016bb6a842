//! Sequences of the rule engine, each with instants of its own (no clock).

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::domain::{RuleLevel, RuleState};

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// queue_waiting's shape: fire at 5, critical at 20, resolved at 2 or fewer.
fn queue(hold_min: i64) -> Limits {
    Limits {
        direction: Direction::Above,
        threshold: 5.0,
        critical: Some(20.0),
        recover_at: 2.0,
        hold: Duration::minutes(hold_min),
        hold_observations: 1,
        repeat_every: Duration::minutes(60),
    }
}

/// Runs observations one minute apart from t(0); returns the final state and every event.
fn run(
    limits: &Limits,
    state: RuleState,
    values: &[RuleObservation],
) -> (RuleState, Vec<RuleEvent>) {
    let mut state = state;
    let mut all = Vec::new();
    for (minute, observation) in values.iter().enumerate() {
        let (next, events) = evaluate(&state, *observation, t(minute as i64), limits);
        state = next;
        all.extend(events);
    }
    (state, all)
}

fn values(values: &[f64]) -> Vec<RuleObservation> {
    values.iter().map(|v| RuleObservation::Value(*v)).collect()
}

fn keys(events: &[RuleEvent]) -> Vec<String> {
    events.iter().map(RuleEvent::key).collect()
}

#[test]
fn crossing_fires_at_once_without_hold() {
    let (state, events) = run(&queue(0), RuleState::default(), &values(&[1.0, 4.0, 5.0]));
    assert_eq!(keys(&events), ["1:firing"]);
    assert_eq!(state.level, RuleLevel::Firing);
    assert_eq!(state.since, Some(t(2)));
    assert_eq!(state.last_value, Some(5.0));
}

#[test]
fn hold_needs_the_value_bad_for_that_long_without_a_break() {
    // Bad at 0..=2, good at 3 (the hold restarts), bad from 4: fires at 4 + 3 = 7.
    let (state, events) = run(
        &queue(3),
        RuleState::default(),
        &values(&[6.0, 6.0, 6.0, 1.0, 6.0, 6.0, 6.0, 6.0]),
    );
    assert_eq!(keys(&events), ["1:firing"]);
    assert_eq!(state.since, Some(t(7)));
}

#[test]
fn hold_observations_need_that_many_bad_observations_in_a_row_and_the_hold() {
    let limits = Limits {
        hold_observations: 3,
        ..queue(0)
    };
    // Bad, bad, good (the count restarts), then bad three times: fires on the third.
    let (state, events) = run(
        &limits,
        RuleState::default(),
        &values(&[6.0, 6.0, 1.0, 6.0, 6.0]),
    );
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(state.bad_observations, 2);
    // Neither a failed observation nor one without samples counts or breaks the run.
    let (state, events) = evaluate(&state, RuleObservation::Failed, t(5), &limits);
    assert!(events.is_empty());
    let (state, events) = evaluate(&state, RuleObservation::NoSamples, t(6), &limits);
    assert!(events.is_empty());
    assert_eq!(state.bad_observations, 2);
    let (state, events) = evaluate(&state, RuleObservation::Value(6.0), t(7), &limits);
    assert_eq!(keys(&events), ["1:firing"]);
    assert_eq!(
        state.bad_observations, 0,
        "the count is of the run before firing"
    );
    // With a hold as well, both must be met: three observations over two minutes is not
    // enough for a 5-minute hold.
    let both = Limits {
        hold_observations: 3,
        ..queue(5)
    };
    let (_, events) = run(&both, RuleState::default(), &values(&[6.0; 3]));
    assert!(events.is_empty(), "{events:?}");
    let (_, events) = run(&both, RuleState::default(), &values(&[6.0; 6]));
    assert_eq!(keys(&events), ["1:firing"]);
}

#[test]
fn critical_escalates_at_once_even_during_the_hold_and_never_de_escalates() {
    let (_, events) = run(&queue(10), RuleState::default(), &values(&[25.0]));
    assert_eq!(keys(&events), ["1:critical"]);
    let (state, events) = run(
        &queue(0),
        RuleState::default(),
        &values(&[6.0, 21.0, 8.0, 25.0]),
    );
    assert_eq!(keys(&events), ["1:firing", "1:critical"]);
    assert_eq!(state.level, RuleLevel::Critical);
}

#[test]
fn hysteresis_holds_the_level_between_threshold_and_recover_at() {
    let (state, events) = run(
        &queue(0),
        RuleState::default(),
        &values(&[6.0, 4.0, 6.0, 3.0, 5.0, 2.0, 4.0, 6.0]),
    );
    // Flapping between 3 and 6 fires once; 2 resolves; 6 later is a new episode.
    assert_eq!(keys(&events), ["1:firing", "1:resolved", "2:firing"]);
    assert_eq!(state.episode, 2);
    match &events[1] {
        RuleEvent::Resolved { lasted, value, .. } => {
            assert_eq!(*lasted, Duration::minutes(5));
            assert_eq!(*value, 2.0);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn below_rules_fire_under_the_threshold_and_recover_at_or_above() {
    let sla = Limits {
        direction: Direction::Below,
        threshold: 80.0,
        critical: Some(50.0),
        recover_at: 85.0,
        hold: Duration::zero(),
        hold_observations: 1,
        repeat_every: Duration::minutes(60),
    };
    let (_, events) = run(
        &sla,
        RuleState::default(),
        &values(&[90.0, 80.0, 79.0, 84.0, 49.0, 85.0]),
    );
    assert_eq!(keys(&events), ["1:firing", "1:critical", "1:resolved"]);
}

#[test]
fn reminders_repeat_until_acknowledged() {
    let limits = Limits {
        repeat_every: Duration::minutes(2),
        ..queue(0)
    };
    let (state, events) = run(&limits, RuleState::default(), &values(&[6.0; 6]));
    assert_eq!(keys(&events), ["1:firing", "1:reminder:1", "1:reminder:2"]);
    let acknowledged = RuleState {
        acknowledged: Some(("ana".into(), t(6))),
        ..state
    };
    let (next, events) = evaluate(&acknowledged, RuleObservation::Value(7.0), t(30), &limits);
    assert!(events.is_empty(), "{events:?}");
    // Acknowledging does not resolve, and the next episode is not acknowledged.
    assert_eq!(next.level, RuleLevel::Firing);
    let (resolved, _) = evaluate(&next, RuleObservation::Value(0.0), t(31), &limits);
    let (again, events) = evaluate(&resolved, RuleObservation::Value(6.0), t(32), &limits);
    assert_eq!(keys(&events), ["2:firing"]);
    assert_eq!(again.acknowledged, None);
}

#[test]
fn failures_never_resolve_and_warn_once_per_outage() {
    let mut observations = values(&[6.0]);
    observations.extend([RuleObservation::Failed; 5]);
    observations.extend(values(&[6.0]));
    observations.extend([RuleObservation::Failed; 3]);
    let (state, events) = run(&queue(0), RuleState::default(), &observations);
    assert_eq!(keys(&events), ["1:firing", "unknown:1", "unknown:2"]);
    assert_eq!(state.level, RuleLevel::Firing);
    assert_eq!(state.failures, 3);
}

#[test]
fn no_samples_change_nothing() {
    let (fired, _) = run(&queue(0), RuleState::default(), &values(&[6.0]));
    let (state, events) = evaluate(&fired, RuleObservation::NoSamples, t(1), &queue(0));
    assert!(events.is_empty());
    assert_eq!(state, fired);
}

#[test]
fn a_restart_mid_episode_continues_it() {
    // The state is all a restart keeps: evaluation picks up where the stored state left it.
    let (stored, first) = run(&queue(0), RuleState::default(), &values(&[6.0, 7.0]));
    let (_, after) = evaluate(&stored, RuleObservation::Value(1.0), t(10), &queue(0));
    assert_eq!(keys(&first), ["1:firing"]);
    assert_eq!(keys(&after), ["1:resolved"]);
}

#[test]
fn snooze_is_tracked_state_not_a_different_machine() {
    let snoozed = RuleState {
        snoozed_until: Some(t(60)),
        ..RuleState::default()
    };
    let (state, events) = evaluate(&snoozed, RuleObservation::Value(6.0), t(0), &queue(0));
    assert_eq!(
        keys(&events),
        ["1:firing"],
        "the caller drops messages, not the engine"
    );
    assert!(state.snoozed(t(59)) && !state.snoozed(t(60)));
}

#[test]
fn levels_read_back() {
    for level in [RuleLevel::Ok, RuleLevel::Firing, RuleLevel::Critical] {
        assert_eq!(RuleLevel::parse(level.as_str()), Some(level));
    }
    assert_eq!(RuleLevel::parse("low"), None);
}
