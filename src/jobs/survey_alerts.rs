//! The low_survey rule's evaluation, one per tick like every rule's: when a reading is
//! due ([`crate::alerting::survey_due`]), read the low answers past the rule's cursor, queue
//! one message listing them, and store the new state, the moved cursor and the message in
//! one transaction.
//!
//! Exactly once, with the rules' own mechanism: the evaluation is stored only over the
//! state version it read and once per 30-second slot, so of replicas ticking together one
//! stores (the others drop their reading, cursor included); the message's dedupe key is
//! `alert:<workspace>:<rule>:survey:<order>:<first position>`, unique per reading. A restart
//! reads from the stored cursor, so nothing is posted twice and nothing stored is lost.
//!
//! The first reading of a new rule only places the cursor at the newest answer: the
//! channel is not flooded with history. A failed reading leaves the cursor where it was
//! (those answers are read again later) and counts toward the "cannot evaluate" warning.

use chrono::{DateTime, Duration, Utc};

use super::rules::RuleOutcome;
use crate::alerting::{
    LISTED_ANSWERS, RuleObservation, after_reading, evaluate, limits, poll_slot, survey_due,
};
use crate::config::{AlertRule, Config, Workspace};
use crate::domain::{Destination, LowAnswers};
use crate::render::rule_alerts::rule_alert_card;
use crate::render::survey_alerts::low_survey_card;
use crate::store::{
    LowAnswersQuery, NewMessage, RuleEvaluation, Store, StoreError, StoredRuleState,
};

/// A low_survey rule's settings, from its `RuleKind::LowSurvey`.
#[derive(Debug, Clone, Copy)]
pub(super) struct SurveyLimits {
    /// NPS answers at or below this are low.
    pub nps_at_most: i16,
    /// CSAT answers at or below this are low.
    pub csat_at_most: i16,
    /// At most one message per this period.
    pub group_every: std::time::Duration,
}

/// Evaluates one low_survey rule at `now` from its stored state (`None`: never stored).
///
/// # Errors
/// [`StoreError`] when the evaluation cannot be stored (a failed *reading* is an outcome).
pub(super) async fn evaluate_low_survey(
    store: &Store,
    config: &Config,
    workspace: &Workspace,
    rule: &AlertRule,
    survey: SurveyLimits,
    previous: Option<&StoredRuleState>,
    now: DateTime<Utc>,
) -> Result<RuleOutcome, StoreError> {
    let state = previous.map(|s| s.state.clone()).unwrap_or_default();
    let destination = Destination::configured(
        rule.channel_id.or(workspace.alerts_channel_id),
        config.discord.transport,
    );
    let deliverable = destination.is_some() && !state.snoozed(now);
    let group_every = Duration::from_std(survey.group_every).unwrap_or(Duration::MAX);
    let mut messages = Vec::new();
    let mut events = Vec::new();
    let (next, cursor) = if !survey_due(&state, group_every, now) {
        (state.clone(), None)
    } else {
        match read(store, &workspace.id, rule, survey, now).await {
            Ok(Some(answers)) => {
                let (next, post) = after_reading(&state, &answers, deliverable, now);
                match (answers.from, destination) {
                    (Some(from), Some(destination)) if post => messages.push(NewMessage {
                        dedupe_key: format!(
                            "alert:{}:{}:survey:{}:{}",
                            workspace.id,
                            rule.name,
                            from.order.as_str(),
                            from.position
                        ),
                        workspace: workspace.id.clone(),
                        kind: "alert".into(),
                        destination,
                        payload: low_survey_card(workspace, rule, &answers).to_stored(),
                        attachment: None,
                        edits: None,
                    }),
                    _ if answers.total > 0 => {
                        tracing::info!(workspace = %workspace.id, rule = %rule.name, skipped = answers.total, "low survey answers not posted (snoozed or no channel_id)");
                    }
                    _ => {}
                }
                (next, Some(answers.next))
            }
            Ok(None) => {
                tracing::info!(workspace = %workspace.id, rule = %rule.name, "survey answers busy with an import; read at the next tick");
                (state.clone(), None)
            }
            Err(error) => {
                tracing::warn!(workspace = %workspace.id, rule = %rule.name, %error, "low survey answers not read");
                let (next, failed) = evaluate(&state, RuleObservation::Failed, now, &limits(rule));
                for event in failed {
                    if let (true, Some(destination)) = (deliverable, destination) {
                        messages.push(NewMessage {
                            dedupe_key: format!(
                                "alert:{}:{}:{}",
                                workspace.id,
                                rule.name,
                                event.key()
                            ),
                            workspace: workspace.id.clone(),
                            kind: "alert".into(),
                            destination,
                            payload: rule_alert_card(workspace, rule, &event, None).to_stored(),
                            attachment: None,
                            edits: None,
                        });
                    }
                    events.push(event);
                }
                (next, None)
            }
        }
    };
    let evaluation = RuleEvaluation {
        workspace: &workspace.id,
        rule: &rule.name,
        read_version: previous.map(|s| s.version),
        state: &next,
        messages: &messages,
        slot: poll_slot(now),
    };
    let recorded = match cursor {
        Some(cursor) => {
            store
                .record_survey_evaluation(evaluation, cursor, now.timestamp())
                .await?
        }
        None => {
            store
                .record_rule_evaluation(evaluation, now.timestamp())
                .await?
        }
    };
    if !recorded {
        tracing::info!(workspace = %workspace.id, rule = %rule.name, "rule evaluated by another replica; dropped");
        messages.clear();
    } else if !messages.is_empty() {
        tracing::warn!(workspace = %workspace.id, rule = %rule.name, "low survey answers queued");
    }
    Ok(RuleOutcome {
        workspace: workspace.id.clone(),
        rule: rule.name.clone(),
        state: next,
        events,
        queued: messages.into_iter().map(|m| m.dedupe_key).collect(),
        recorded,
    })
}

/// The low answers past the rule's stored cursor (`Ok(None)`: the table is busy).
async fn read(
    store: &Store,
    workspace: &str,
    rule: &AlertRule,
    survey: SurveyLimits,
    now: DateTime<Utc>,
) -> Result<Option<LowAnswers>, StoreError> {
    let from = store.survey_cursor(workspace, &rule.name).await?;
    store
        .low_answers(LowAnswersQuery {
            workspace,
            from,
            nps_at_most: survey.nps_at_most,
            csat_at_most: survey.csat_at_most,
            limit: LISTED_ANSWERS,
            now,
        })
        .await
}
