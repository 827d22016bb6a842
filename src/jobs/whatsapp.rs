//! The WhatsApp health rules' job: for every Gupshup workspace, each enabled signal its
//! mode offers is read when due, judged ([`crate::alerting::whatsapp`]) and stored with
//! its rule's state and messages in one transaction.
//!
//! Due means: the app health and the account every `balance.poll_every` (they are read
//! with the balance), the ratings once per [`ReadHealth::ratings_every`] (24 h on Gupshup,
//! its documented limit), the template list every `whatsapp.templates_every`. A call is
//! claimed in the store before Gupshup is asked, so replicas and restarts keep those
//! intervals between them. A failed call feeds the rule's unknown track (never a
//! recovery); a ratings answer of "no event update available" means unchanged.

use chrono::{DateTime, Duration, Utc};

use super::balance::Monitor;
use super::gauge_code;
use super::rules::{FIRST, first_message};
use crate::alerting::whatsapp::{health_limits, limit_change, observation, template_changes};
use crate::alerting::{POLL_LEASE_SECS, POLL_TIME_LIMIT, RuleEvent, RuleObservation, evaluate};
use crate::config::{Config, Workspace};
use crate::domain::{
    Destination, Ratings, RuleState, WhatsappReading, WhatsappSignal, watched_signals,
};
use crate::gupshup::{GupshupError, ReadHealth};
use crate::render::Reply;
use crate::render::whatsapp::{
    health_alert_card, health_resolved_edit, limit_change_card, template_change_card,
};
use crate::store::{NewMessage, Store, StoreError, WhatsappPoll};

/// How many times a poll is judged again over a state that changed while it was being
/// stored (a button pressed meanwhile) before giving up.
const STALE_RETRIES: usize = 5;

/// What one signal's poll did.
#[derive(Debug, Clone)]
pub struct HealthOutcome {
    /// The workspace.
    pub workspace: String,
    /// The signal read.
    pub signal: WhatsappSignal,
    /// What was kept as its reading (a ratings "no event" keeps the last one), or why the
    /// call failed.
    pub reading: Result<WhatsappReading, GupshupError>,
    /// Its rule's state after the poll.
    pub state: RuleState,
    /// Dedupe keys of the messages queued.
    pub queued: Vec<String>,
}

/// Reads every due signal of every Gupshup workspace at `now`; called from the balance
/// job's tick and by `pulso alerts check`.
///
/// # Errors
/// [`StoreError`] of the first failing workspace (the others are still read).
pub async fn whatsapp_tick(
    store: &Store,
    config: &Config,
    monitor: &Monitor,
    now: DateTime<Utc>,
) -> Result<Vec<HealthOutcome>, StoreError> {
    let mut outcomes = Vec::new();
    let mut first_error = None;
    for workspace in &config.workspaces {
        match check_workspace(store, config, monitor, workspace, now).await {
            Ok(done) => outcomes.extend(done),
            Err(error) => {
                tracing::error!(workspace = %workspace.id, %error, "WhatsApp health not checked");
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(outcomes),
    }
}

/// Reads the due signals of one workspace, as the tick does.
///
/// # Errors
/// [`StoreError`] when claims, states or readings cannot be read or written.
pub async fn check_workspace(
    store: &Store,
    config: &Config,
    monitor: &Monitor,
    workspace: &Workspace,
    now: DateTime<Utc>,
) -> Result<Vec<HealthOutcome>, StoreError> {
    let Some(client) = monitor.client(&workspace.id) else {
        return Ok(Vec::new());
    };
    let destination =
        Destination::configured(workspace.alerts_channel_id, config.discord.transport);
    let mut outcomes = Vec::new();
    for signal in watched_signals(workspace) {
        let every = match signal {
            WhatsappSignal::AppHealth | WhatsappSignal::Account => workspace.balance.poll_every,
            WhatsappSignal::Quality => client.ratings_every().to_std().unwrap_or_default(),
            WhatsappSignal::Templates => workspace.whatsapp_health.templates_every,
        };
        let every = Duration::from_std(every).unwrap_or(Duration::MAX);
        let lease_end = now + Duration::seconds(POLL_LEASE_SECS);
        if !store
            .claim_whatsapp_call(&workspace.id, signal, now, every, lease_end)
            .await?
        {
            continue;
        }
        let answer = read(client, signal, now).await;
        if let Err(error) = &answer {
            tracing::warn!(workspace = %workspace.id, signal = signal.as_str(), %error, "WhatsApp health not read");
        }
        let poll = Poll {
            store,
            workspace,
            signal,
            destination,
            now,
        };
        outcomes.push(store_poll(poll, answer).await?);
    }
    Ok(outcomes)
}

/// One call for `signal`, within the poll's time limit. A ratings answer without an event
/// is `Ok(None)`.
async fn read(
    client: &impl ReadHealth,
    signal: WhatsappSignal,
    now: DateTime<Utc>,
) -> Result<Option<WhatsappReading>, GupshupError> {
    let call = async {
        Ok(match signal {
            WhatsappSignal::AppHealth => {
                Some(WhatsappReading::AppHealth(client.app_health(now).await?))
            }
            WhatsappSignal::Account => Some(WhatsappReading::Account(client.account(now).await?)),
            WhatsappSignal::Quality => client.ratings(now).await?.map(WhatsappReading::Quality),
            WhatsappSignal::Templates => {
                Some(WhatsappReading::Templates(client.templates(now).await?))
            }
        })
    };
    tokio::time::timeout(POLL_TIME_LIMIT, call)
        .await
        .unwrap_or(Err(GupshupError::Timeout(POLL_TIME_LIMIT)))
}

/// What one poll of a signal is about: where it is stored and posted, and when.
#[derive(Clone, Copy)]
struct Poll<'a> {
    store: &'a Store,
    workspace: &'a Workspace,
    signal: WhatsappSignal,
    destination: Option<Destination>,
    now: DateTime<Utc>,
}

/// Judges an answer over the stored state and stores it, again over a state changed
/// meanwhile (see [`STALE_RETRIES`]).
async fn store_poll(
    poll: Poll<'_>,
    answer: Result<Option<WhatsappReading>, GupshupError>,
) -> Result<HealthOutcome, StoreError> {
    let Poll {
        store,
        workspace,
        signal,
        destination,
        now,
    } = poll;
    let limits = health_limits(signal, workspace.whatsapp_health.repeat_every);
    // Only a poll of this signal writes its reading, and the claim makes this one the only
    // poll: the previous reading cannot change while the state is retried below.
    let previous = store
        .whatsapp_signals(&workspace.id)
        .await?
        .into_iter()
        .find(|s| s.signal == signal)
        .and_then(|s| s.reading.map(|(_, reading)| reading));
    // "No event update available": the last real event still holds.
    let reading = match &answer {
        Ok(Some(reading)) => Ok(reading.clone()),
        Ok(None) => Ok(previous
            .clone()
            .unwrap_or(WhatsappReading::Quality(Ratings::default()))),
        Err(error) => Err(error.clone()),
    };
    let observed = match &reading {
        Ok(reading) => observation(reading),
        Err(_) => RuleObservation::Failed,
    };
    let error_text = reading.as_ref().err().map(ToString::to_string);
    for _ in 0..=STALE_RETRIES {
        let stored = store.rule_state(&workspace.id, signal.rule()).await?;
        let state = stored.as_ref().map(|s| s.state.clone()).unwrap_or_default();
        let (next, events) = evaluate(&state, observed, now, &limits);
        let mut messages = episode_messages(poll, &next, &events, &reading).await?;
        if let (Ok(Some(current)), Some(destination)) = (&answer, destination) {
            if !next.snoozed(now) {
                messages.extend(change_messages(
                    poll,
                    previous.as_ref(),
                    current,
                    destination,
                ));
            }
        }
        let write = WhatsappPoll {
            workspace: &workspace.id,
            outcome: match (&reading, &error_text) {
                (Ok(reading), _) => Ok(reading),
                (Err(_), text) => Err((signal, text.as_deref().unwrap_or_default())),
            },
            read_at: now,
            read_version: stored.as_ref().map(|s| s.version),
            state: &next,
            messages: &messages,
        };
        if store.record_whatsapp_poll(write, now.timestamp()).await? {
            metrics::gauge!(crate::telemetry::WHATSAPP_HEALTH_STATE, "workspace" => workspace.id.clone(), "rule" => signal.rule())
                .set(gauge_code(&next));
            if !messages.is_empty() {
                tracing::warn!(workspace = %workspace.id, rule = signal.rule(), messages = messages.len(), "WhatsApp health alert queued");
            }
            return Ok(HealthOutcome {
                workspace: workspace.id.clone(),
                signal,
                reading,
                state: next,
                queued: messages.into_iter().map(|m| m.dedupe_key).collect(),
            });
        }
    }
    Err(StoreError::Contended {
        what: "WhatsApp health rule state",
    })
}

fn message(
    workspace: &Workspace,
    dedupe_key: String,
    destination: Destination,
    reply: &Reply,
    edits: Option<String>,
) -> NewMessage {
    NewMessage {
        dedupe_key,
        workspace: workspace.id.clone(),
        kind: if edits.is_some() {
            "alert-edit"
        } else {
            "alert"
        }
        .into(),
        destination,
        payload: reply.to_stored(),
        attachment: None,
        edits,
    }
}

/// The cards of the engine's events: none without a destination, only the resolved edit
/// of the episode's first message while snoozed.
async fn episode_messages(
    poll: Poll<'_>,
    next: &RuleState,
    events: &[RuleEvent],
    reading: &Result<WhatsappReading, GupshupError>,
) -> Result<Vec<NewMessage>, StoreError> {
    let Poll {
        store,
        workspace,
        signal,
        destination,
        now,
    } = poll;
    let key = |suffix: &str| format!("alert:{}:{}:{suffix}", workspace.id, signal.rule());
    let mut messages = Vec::new();
    for event in events {
        let Some(destination) = destination else {
            tracing::warn!(workspace = %workspace.id, rule = signal.rule(), ?event, "alert with no alerts_channel_id; not posted");
            continue;
        };
        if let RuleEvent::Resolved {
            episode, lasted, ..
        } = event
        {
            if let Some(first) = first_message(store, &key, *episode, FIRST).await? {
                let reply = health_resolved_edit(workspace, signal, *lasted);
                let edit_key = key(&format!("{episode}:resolved-edit"));
                messages.push(message(
                    workspace,
                    edit_key,
                    destination,
                    &reply,
                    Some(first),
                ));
            }
        }
        if next.snoozed(now) {
            tracing::info!(workspace = %workspace.id, rule = signal.rule(), ?event, "alert snoozed");
            continue;
        }
        let error = reading.as_ref().err().map(ToString::to_string);
        let reply = health_alert_card(
            workspace,
            signal,
            event,
            reading.as_ref().ok(),
            error.as_deref(),
        );
        messages.push(message(
            workspace,
            key(&event.key()),
            destination,
            &reply,
            None,
        ));
    }
    Ok(messages)
}

/// The news of a new answer against the previous reading: a messaging limit that moved,
/// templates paused, disabled, rejected, back, or fallen to RED.
fn change_messages(
    poll: Poll<'_>,
    previous: Option<&WhatsappReading>,
    current: &WhatsappReading,
    destination: Destination,
) -> Vec<NewMessage> {
    let Poll {
        workspace,
        signal,
        now,
        ..
    } = poll;
    let key = |suffix: String| format!("alert:{}:{}:{suffix}", workspace.id, signal.rule());
    match (previous, current) {
        (previous, WhatsappReading::Quality(ratings)) => {
            let previous = match previous {
                Some(WhatsappReading::Quality(previous)) => Some(previous),
                _ => None,
            };
            limit_change(previous, ratings, now)
                .map(|change| {
                    let reply = limit_change_card(workspace, &change);
                    message(workspace, key(change.key(now)), destination, &reply, None)
                })
                .into_iter()
                .collect()
        }
        (Some(WhatsappReading::Templates(before)), WhatsappReading::Templates(after)) => {
            template_changes(before, after)
                .iter()
                .map(|change| {
                    let reply = template_change_card(workspace, change);
                    message(workspace, key(change.key(now)), destination, &reply, None)
                })
                .collect()
        }
        _ => Vec::new(),
    }
}
