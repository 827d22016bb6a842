//! The messages of a balance poll's transitions: the balance cards (their text as before
//! the balance became a rule, now with the alert buttons), under dedupe keys
//! `alert:<workspace>:balance:<episode>:<event>` like every rule's, and the edit of an
//! episode's first message once it resolves.
//!
//! Episode and outage numbers carry over from the state stored before the upgrade, so new
//! keys never meet the old ones (`…:<episode>:low`, `alert:<workspace>:unknown:<outage>`),
//! and a reminder continues the numbering of its episode (`…:<episode>:reminder:<n>`, the
//! same form as before).

use chrono::{DateTime, Utc};

use super::rules::first_message;
use crate::alerting::RuleEvent;
use crate::config::{BALANCE_RULE, Workspace};
use crate::domain::{Destination, RuleState};
use crate::gupshup::{BalanceReading, GupshupError};
use crate::render::balance::{AlertContext, alert_card, resolved_first_card};
use crate::service::days_left;
use crate::store::{NewMessage, Store, StoreError};

/// What an episode's first message can be, in the order to look for it: low (`firing`),
/// or, for an episode that was open across the upgrade, the `low` message queued before
/// it, and critical only where neither is (an episode that began critical: one that began
/// low may have escalated since).
const FIRST: &[&str] = &["firing", "low", "critical"];

/// The outbox messages for `events`, produced by the poll that read `reading` and left
/// the balance rule in `next`: none without a destination, only the resolved edit while
/// muted.
///
/// # Errors
/// [`StoreError`] reading the history (days left) or the outbox (the first message).
pub(super) async fn alert_messages(
    store: &Store,
    workspace: &Workspace,
    reading: &Result<BalanceReading, GupshupError>,
    destination: Option<Destination>,
    next: &RuleState,
    events: &[RuleEvent],
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, StoreError> {
    let key = |suffix: &str| format!("alert:{}:{BALANCE_RULE}:{suffix}", workspace.id);
    let message =
        |dedupe_key: String, kind: &str, destination, reply: crate::render::Reply| NewMessage {
            dedupe_key,
            workspace: workspace.id.clone(),
            kind: kind.into(),
            destination,
            payload: reply.to_stored(),
            attachment: None,
            edits: None,
        };
    let mut messages = Vec::new();
    for event in events {
        let Some(destination) = destination else {
            tracing::warn!(workspace = %workspace.id, ?event, "balance alert with no alerts_channel_id; not posted");
            continue;
        };
        if let RuleEvent::Resolved {
            episode, lasted, ..
        } = event
        {
            // The episode's first message shows it is over, muted or not: an edit notifies
            // nobody.
            if let Some(first) = first_message(store, &key, *episode, FIRST).await? {
                let reply = resolved_first_card(workspace, *lasted);
                let edit = key(&format!("{episode}:resolved-edit"));
                messages.push(NewMessage {
                    edits: Some(first),
                    ..message(edit, "alert-edit", destination, reply)
                });
            }
        }
        if next.snoozed(now) {
            tracing::info!(workspace = %workspace.id, ?event, "balance alert muted");
            continue;
        }
        let days = match event {
            RuleEvent::Firing { value, .. }
            | RuleEvent::Critical { value, .. }
            | RuleEvent::Reminder { value, .. } => {
                days_left(store, &workspace.id, *value, now).await?
            }
            _ => None,
        };
        let error = reading.as_ref().err();
        let reply = alert_card(
            event,
            &AlertContext {
                workspace,
                days_left: days,
                error: error.map(ToString::to_string).as_deref(),
                key_refused: error.is_some_and(GupshupError::is_auth),
            },
        );
        tracing::warn!(workspace = %workspace.id, ?event, "balance alert queued");
        messages.push(message(key(&event.key()), "alert", destination, reply));
    }
    Ok(messages)
}
