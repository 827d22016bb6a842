//! The alert rules' job: on every tick, each enabled rule of each workspace observes its
//! number, advances the engine ([`crate::alerting::evaluate`]) and stores the new state
//! with the messages of its transitions, all or nothing (low_survey rules report answers
//! instead: [`super::survey_alerts`]).
//!
//! Exactly once across replicas and restarts: an evaluation is stored only over the state
//! version it read and only once per 30-second tick slot, so of replicas ticking together
//! one stores and the others drop theirs;
//! and every message's dedupe key is `alert:<workspace>:<rule>:<episode>:<event>`, so even
//! a message decided twice is queued once.

use chrono::{DateTime, Utc};

use super::survey_alerts::{SurveyLimits, evaluate_low_survey};
use crate::alerting::{RuleEvent, evaluate, limits, poll_slot};
use crate::config::{Config, RuleKind, Workspace};
use crate::domain::{Destination, RuleState};
use crate::render::rule_alerts::{resolved_first_card, rule_alert_card};
use crate::service::observe_rule;
use crate::store::{NewMessage, RuleEvaluation, Store, StoreError};

/// What one rule's evaluation did.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOutcome {
    /// The workspace.
    pub workspace: String,
    /// The rule's name.
    pub rule: String,
    /// Its state after the evaluation.
    pub state: RuleState,
    /// The transitions it produced.
    pub events: Vec<RuleEvent>,
    /// Dedupe keys of the messages queued (none while snoozed or without a channel).
    pub queued: Vec<String>,
    /// `false` when another replica stored an evaluation first: nothing of this one was
    /// written.
    pub recorded: bool,
}

/// Evaluates every enabled rule of every workspace at `now`.
///
/// # Errors
/// [`StoreError`] of the first workspace whose states could not be read or written (the
/// others are still evaluated).
pub async fn rules_tick(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Vec<RuleOutcome>, StoreError> {
    let mut outcomes = Vec::new();
    let mut first_error = None;
    for workspace in &config.workspaces {
        if workspace.alerts.iter().all(|rule| !rule.enabled) {
            continue;
        }
        match evaluate_workspace(store, config, workspace, now).await {
            Ok(done) => outcomes.extend(done),
            Err(error) => {
                tracing::error!(workspace = %workspace.id, %error, "alert rules not evaluated");
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(outcomes),
    }
}

/// Evaluates every enabled rule of one workspace at `now`, as the tick does
/// (`pulso alerts check` calls it per chosen workspace).
///
/// # Errors
/// [`StoreError`] when the states cannot be read or written.
pub async fn evaluate_workspace(
    store: &Store,
    config: &Config,
    workspace: &Workspace,
    now: DateTime<Utc>,
) -> Result<Vec<RuleOutcome>, StoreError> {
    let stored = store.rule_states(&workspace.id).await?;
    let mut outcomes = Vec::new();
    for rule in workspace.alerts.iter().filter(|rule| rule.enabled) {
        let previous = stored.iter().find(|s| s.rule == rule.name);
        if let RuleKind::LowSurvey {
            nps_at_most,
            csat_at_most,
            group_every,
        } = rule.kind
        {
            let survey = SurveyLimits {
                nps_at_most,
                csat_at_most,
                group_every,
            };
            outcomes.push(
                evaluate_low_survey(store, config, workspace, rule, survey, previous, now).await?,
            );
            continue;
        }
        let state = previous.map(|s| s.state.clone()).unwrap_or_default();
        let observation = observe_rule(store, &workspace.id, rule, now).await;
        let (next, events) = evaluate(&state, observation, now, &limits(rule));
        let destination = Destination::configured(
            rule.channel_id.or(workspace.alerts_channel_id),
            config.discord.transport,
        );
        let mut messages = Vec::new();
        for event in &events {
            let Some(destination) = destination else {
                tracing::warn!(workspace = %workspace.id, rule = %rule.name, ?event, "alert with no channel_id or alerts_channel_id; not posted");
                continue;
            };
            let key = |suffix: &str| format!("alert:{}:{}:{suffix}", workspace.id, rule.name);
            if let RuleEvent::Resolved {
                episode, lasted, ..
            } = event
            {
                // The episode's first message shows it is over, snoozed or not: an edit
                // notifies nobody.
                if let Some(first) = first_message(store, &key, *episode, FIRST).await? {
                    messages.push(NewMessage {
                        dedupe_key: key(&format!("{episode}:resolved-edit")),
                        workspace: workspace.id.clone(),
                        kind: "alert-edit".into(),
                        destination,
                        payload: resolved_first_card(workspace, rule, *lasted).to_stored(),
                        attachment: None,
                        edits: Some(first),
                    });
                }
            }
            if next.snoozed(now) {
                tracing::info!(workspace = %workspace.id, rule = %rule.name, ?event, "alert snoozed");
                continue;
            }
            let since = match event {
                RuleEvent::Resolved { .. } => None,
                _ => next.since,
            };
            let reply = rule_alert_card(workspace, rule, event, since);
            messages.push(NewMessage {
                dedupe_key: key(&event.key()),
                workspace: workspace.id.clone(),
                kind: "alert".into(),
                destination,
                payload: reply.to_stored(),
                attachment: None,
                edits: None,
            });
        }
        let recorded = store
            .record_rule_evaluation(
                RuleEvaluation {
                    workspace: &workspace.id,
                    rule: &rule.name,
                    read_version: previous.map(|s| s.version),
                    state: &next,
                    messages: &messages,
                    slot: poll_slot(now),
                },
                now.timestamp(),
            )
            .await?;
        if !recorded {
            tracing::info!(workspace = %workspace.id, rule = %rule.name, "rule evaluated by another replica; dropped");
            messages.clear();
        } else if !messages.is_empty() {
            tracing::warn!(workspace = %workspace.id, rule = %rule.name, events = messages.len(), "alert queued");
        }
        outcomes.push(RuleOutcome {
            workspace: workspace.id.clone(),
            rule: rule.name.clone(),
            state: next,
            events,
            queued: messages.into_iter().map(|m| m.dedupe_key).collect(),
            recorded,
        });
    }
    Ok(outcomes)
}

/// The events an episode's first message can be: firing, or critical when it began so.
pub(super) const FIRST: &[&str] = &["firing", "critical"];

/// The dedupe key of an episode's first message, the first of `events` queued for it (see
/// [`FIRST`]); `None` when none was queued (e.g. snoozed throughout).
pub(super) async fn first_message(
    store: &Store,
    key: &impl Fn(&str) -> String,
    episode: i64,
    events: &[&str],
) -> Result<Option<String>, StoreError> {
    for event in events {
        let candidate = key(&format!("{episode}:{event}"));
        if store.outbox_status(&candidate).await?.is_some() {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}
