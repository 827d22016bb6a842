//! The low_survey rule's decisions, pure like the engine: when a reading is due, and what
//! a reading does to the rule's state.
//!
//! The rule has no episode. Each tick it is due when `group_every` has passed since its
//! last message (or it never posted): it reads the low answers past its cursor, posts them
//! in one message, and moves the cursor past them. Between messages the answers wait, so a
//! burst shares one message. While snoozed (or without a channel) a due reading still
//! moves the cursor and posts nothing: like an Alertmanager silence, answers that arrive
//! during a snooze are dropped, not posted when it ends. A failed reading counts toward the
//! engine's "cannot evaluate" warning ([`super::evaluate`] with a failed observation).

use chrono::{DateTime, Duration, Utc};

use crate::domain::{LowAnswers, RuleState};

/// Most answers one message lists; the rest are counted ("and 7 more").
pub const LISTED_ANSWERS: u32 = 10;

/// Whether a reading is due at `now`: `group_every` has passed since the rule's last
/// message, or it has posted none.
pub fn survey_due(state: &RuleState, group_every: Duration, now: DateTime<Utc>) -> bool {
    state
        .last_notified_at
        .is_none_or(|last| now - last >= group_every)
}

/// The rule's state after a reading at `now`, and whether its answers are posted:
/// `deliverable` is false while snoozed or without a channel (the answers are skipped).
/// A message moves the `group_every` clock and adds its answers to the reported count.
pub fn after_reading(
    state: &RuleState,
    answers: &LowAnswers,
    deliverable: bool,
    now: DateTime<Utc>,
) -> (RuleState, bool) {
    let mut next = state.clone();
    next.failures = 0;
    let post = deliverable && answers.total > 0;
    if post {
        next.last_notified_at = Some(now);
        next.last_value = Some(state.last_value.unwrap_or(0.0) + answers.total as f64);
    }
    (next, post)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SurveyCursor, SurveyOrder};

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap()
    }

    fn read(total: u64) -> LowAnswers {
        let cursor = |position| SurveyCursor {
            order: SurveyOrder::Inserted,
            position,
        };
        LowAnswers {
            from: Some(cursor(1)),
            next: cursor(1 + total as i64),
            total,
            listed: Vec::new(),
        }
    }

    #[test]
    fn a_burst_waits_for_group_every_after_a_message() {
        let every = Duration::minutes(5);
        let fresh = RuleState::default();
        assert!(
            survey_due(&fresh, every, at(0)),
            "never posted: due at once"
        );
        let (posted, post) = after_reading(&fresh, &read(12), true, at(0));
        assert!(post);
        assert_eq!(posted.last_value, Some(12.0));
        assert!(!survey_due(&posted, every, at(4)));
        assert!(survey_due(&posted, every, at(5)));
        let (again, post) = after_reading(&posted, &read(1), true, at(5));
        assert!(post);
        assert_eq!(
            (again.last_value, again.last_notified_at),
            (Some(13.0), Some(at(5)))
        );
    }

    #[test]
    fn nothing_low_or_snoozed_posts_nothing_and_keeps_the_clock() {
        let mut state = RuleState {
            failures: 2,
            ..RuleState::default()
        };
        let (quiet, post) = after_reading(&state, &read(0), true, at(0));
        assert!(!post);
        assert_eq!(quiet.failures, 0, "a reading ends an outage");
        assert_eq!(quiet.last_notified_at, None);
        state.last_value = Some(3.0);
        let (snoozed, post) = after_reading(&state, &read(4), false, at(1));
        assert!(!post, "skipped while snoozed");
        assert_eq!(
            snoozed.last_value,
            Some(3.0),
            "skipped answers are not reported"
        );
        assert!(survey_due(&snoozed, Duration::minutes(5), at(2)));
    }
}
