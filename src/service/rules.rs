//! What an alert rule observes right now: one number per rule, read with the same
//! index-range statements as the indicators (the plans test checks them on both backends).

use chrono::{DateTime, Duration, Utc};

use crate::alerting::RuleObservation;
use crate::config::{AlertRule, RuleKind, Workspace};
use crate::domain::{RuleState, Window};
use crate::store::{Store, StoreError};

/// The rule's value at `now`; a database failure is [`RuleObservation::Failed`] (logged),
/// which the engine never takes for a recovery.
pub async fn observe_rule(
    store: &Store,
    workspace: &str,
    rule: &AlertRule,
    now: DateTime<Utc>,
) -> RuleObservation {
    match value(store, workspace, rule, now).await {
        Ok(Some(value)) => RuleObservation::Value(value),
        Ok(None) => RuleObservation::NoSamples,
        Err(error) => {
            tracing::warn!(workspace, rule = %rule.name, %error, "alert rule not evaluated");
            RuleObservation::Failed
        }
    }
}

/// Every configured rule of `workspace` with its stored state (the default state for a
/// rule never evaluated), in configuration order: what `/alerts status` and
/// `pulso alerts status` show.
///
/// # Errors
/// [`StoreError`].
pub async fn rules_with_state<'a>(
    store: &Store,
    workspace: &'a Workspace,
) -> Result<Vec<(&'a AlertRule, RuleState)>, StoreError> {
    let stored = store.rule_states(&workspace.id).await?;
    Ok(workspace
        .alerts
        .iter()
        .map(|rule| {
            let state = stored
                .iter()
                .find(|s| s.rule == rule.name)
                .map(|s| s.state.clone())
                .unwrap_or_default();
            (rule, state)
        })
        .collect())
}

/// `[now − span, now]`, `now` included (an inquiry that expired this second counts).
fn last(span: std::time::Duration, now: DateTime<Utc>) -> Window {
    Window {
        start: now - Duration::from_std(span).unwrap_or(Duration::MAX / 2),
        end: now + Duration::seconds(1),
    }
}

async fn value(
    store: &Store,
    workspace: &str,
    rule: &AlertRule,
    now: DateTime<Utc>,
) -> Result<Option<f64>, StoreError> {
    Ok(match rule.kind {
        RuleKind::QueueWaiting { over } => {
            // Requested at or before now − over: they have waited at least `over`.
            let cutoff = now - Duration::from_std(over).unwrap_or(Duration::MAX / 2);
            let waiting = Window {
                start: DateTime::UNIX_EPOCH,
                end: cutoff + Duration::seconds(1),
            };
            Some(store.pending_requested_in(workspace, waiting).await? as f64)
        }
        RuleKind::OldestPending => Some(
            store
                .oldest_pending(workspace)
                .await?
                .map_or(0.0, |(_, requested_at)| {
                    (now - requested_at).num_seconds().max(0) as f64
                }),
        ),
        RuleKind::AttentionSla { window, target } => {
            let waits = store
                .attention_seconds_in(workspace, last(window, now))
                .await?;
            let target = target.as_secs() as i64;
            (!waits.is_empty()).then(|| {
                let on_time = waits.iter().filter(|secs| **secs <= target).count();
                on_time as f64 * 100.0 / waits.len() as f64
            })
        }
        RuleKind::ExpiredSpike { window } => {
            Some(store.expired_in(workspace, last(window, now)).await? as f64)
        }
        // No number to watch: its job reads the answers past its cursor
        // (`Store::low_answers`, jobs::survey_alerts).
        RuleKind::LowSurvey { .. } => None,
    })
}
