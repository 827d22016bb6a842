//! The balance monitor's job: feeds the alert machine ([`crate::alerting::step`]) real
//! Gupshup readings, persists its state and queues its messages in the outbox.
//!
//! One poll = read the balance, advance the machine, then write the reading, the new state
//! and any alert messages in one transaction. Messages are delivered by the outbox (at
//! least once, deduplicated by Discord's nonce from the per-event dedupe key), so a crash
//! between "decide" and "send" causes neither a missed nor a double alert. A mute only stops
//! messages from being queued; the machine keeps tracking.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::alerting::{
    AlertEvent, Observation, POLL_LEASE_SECS, POLL_TIME_LIMIT, UNKNOWN_AFTER, poll_slot, step,
};
use crate::config::{Config, Workspace};
use crate::domain::{AlertState, Destination, Level};
use crate::gupshup::{BalanceReading, GupshupError, ReadBalance, RetryPolicy, Wallet};
use crate::render::balance::{AlertContext, alert_card};
use crate::service::days_left;
use crate::store::{NewMessage, Store, StoreError, StoredReading};

/// One wallet per Gupshup workspace (Gupshup's API, or the demo wallet), built once so
/// partner tokens stay cached.
#[derive(Debug, Clone, Default)]
pub struct Monitor {
    clients: HashMap<String, Wallet>,
}

impl Monitor {
    /// Wallets for every Gupshup workspace of `config` (a workspace whose client cannot be
    /// built is logged and left out); demo wallets read `store`.
    pub fn new(config: &Config, store: &Store, policy: RetryPolicy) -> Monitor {
        let mut clients = HashMap::new();
        for workspace in &config.workspaces {
            let Some(settings) = &workspace.gupshup else {
                continue;
            };
            match Wallet::new(&workspace.id, settings, policy, store) {
                Ok(client) => {
                    clients.insert(workspace.id.clone(), client);
                }
                Err(error) => {
                    tracing::error!(workspace = %workspace.id, %error, "balance monitor disabled")
                }
            }
        }
        Monitor { clients }
    }

    /// The wallet of a workspace; `None` when it does not use Gupshup.
    pub fn client(&self, workspace: &str) -> Option<&Wallet> {
        self.clients.get(workspace)
    }
}

/// What one poll did.
#[derive(Debug, Clone)]
pub struct PollOutcome {
    /// The reading, or why there is none.
    pub reading: Result<BalanceReading, GupshupError>,
    /// The machine's state after the poll.
    pub state: AlertState,
    /// Events the machine produced (queued unless muted or without a channel).
    pub events: Vec<AlertEvent>,
    /// Dedupe keys of the messages queued.
    pub queued: Vec<String>,
    /// Whether the poll was stored. `false` when a poll of the same slot was already stored
    /// (the claim in [`balance_tick`] leaves that to a slot claimed twice, e.g. after the
    /// claims were deleted by hand): then nothing of this one (reading, state, messages) was
    /// written, `queued` is empty and `state` and `events` are only what this replica
    /// computed.
    pub recorded: bool,
}

/// Reads the balance once, advances the machine and stores everything (see the module doc).
/// A manual poll (`pulso balance --check`): it is always stored, whatever else ran.
///
/// # Errors
/// [`StoreError`]; a Gupshup failure is an outcome, not an error.
pub async fn poll_workspace(
    store: &Store,
    workspace: &Workspace,
    client: &impl ReadBalance,
    destination: Option<Destination>,
    now: DateTime<Utc>,
) -> Result<PollOutcome, StoreError> {
    poll_in_slot(store, workspace, client, destination, now, None).await
}

/// [`poll_workspace`], stored only if no poll of the workspace is stored in `slot` yet.
async fn poll_in_slot(
    store: &Store,
    workspace: &Workspace,
    client: &impl ReadBalance,
    destination: Option<Destination>,
    now: DateTime<Utc>,
    slot: Option<i64>,
) -> Result<PollOutcome, StoreError> {
    let state = store.balance_alert_state(&workspace.id).await?;
    let reading = tokio::time::timeout(POLL_TIME_LIMIT, client.balance(now))
        .await
        .unwrap_or(Err(GupshupError::Timeout(POLL_TIME_LIMIT)));
    let (observation, stored) = match &reading {
        Ok(r) => (
            if r.is_usd() {
                Observation::Usd(r.amount)
            } else {
                Observation::OtherCurrency
            },
            StoredReading {
                read_at: now,
                amount: Some(r.amount),
                currency: Some(r.currency.clone()),
                error: None,
            },
        ),
        Err(error) => (
            Observation::Failure {
                auth: error.is_auth(),
            },
            StoredReading {
                read_at: now,
                amount: None,
                currency: None,
                error: Some(error.to_string()),
            },
        ),
    };
    match &reading {
        Ok(r) => {
            tracing::info!(workspace = %workspace.id, amount = r.amount, currency = %r.currency, "Gupshup balance read")
        }
        Err(error) => tracing::warn!(workspace = %workspace.id, %error, "Gupshup balance not read"),
    }
    let (next, events) = step(&state, &observation, now, &workspace.balance);
    let mut messages = Vec::new();
    for event in &events {
        match destination {
            _ if state.muted(now) => {
                tracing::info!(workspace = %workspace.id, ?event, "balance alert muted")
            }
            None => {
                tracing::warn!(workspace = %workspace.id, ?event, "balance alert with no alerts_channel_id; not posted")
            }
            Some(destination) => {
                let balance = match event {
                    AlertEvent::Low { balance, .. }
                    | AlertEvent::Critical { balance, .. }
                    | AlertEvent::Reminder { balance, .. } => Some(*balance),
                    _ => None,
                };
                let days = match balance {
                    Some(balance) => days_left(store, &workspace.id, balance, now).await?,
                    None => None,
                };
                let error = reading.as_ref().err().map(ToString::to_string);
                let reply = alert_card(
                    event,
                    &AlertContext {
                        workspace,
                        days_left: days,
                        error: error.as_deref(),
                    },
                );
                tracing::warn!(workspace = %workspace.id, ?event, "balance alert queued");
                messages.push(NewMessage {
                    dedupe_key: event.dedupe_key(&workspace.id),
                    workspace: workspace.id.clone(),
                    kind: "alert".into(),
                    destination,
                    payload: reply.to_stored(),
                    attachment: None,
                    edits: None,
                });
            }
        }
    }
    let recorded = store
        .record_balance_poll(
            &workspace.id,
            &stored,
            slot,
            &next,
            &messages,
            now.timestamp(),
        )
        .await?;
    if !recorded {
        tracing::info!(workspace = %workspace.id, "balance poll already stored by another replica; dropped");
        messages.clear();
    }
    if let Ok(reading) = &reading {
        metrics::gauge!(crate::telemetry::GUPSHUP_BALANCE, "workspace" => workspace.id.clone(), "currency" => reading.currency.clone())
            .set(reading.amount);
    }
    // 0 ok, 1 low, 2 critical, 3 unknown (the balance could not be read for a while).
    let state_code = match next.level {
        _ if next.failures >= UNKNOWN_AFTER => 3.0,
        Level::Ok => 0.0,
        Level::Low => 1.0,
        Level::Critical => 2.0,
    };
    metrics::gauge!(crate::telemetry::BALANCE_ALERT_STATE, "workspace" => workspace.id.clone())
        .set(state_code);
    Ok(PollOutcome {
        reading,
        state: next,
        events,
        queued: messages.into_iter().map(|m| m.dedupe_key).collect(),
        recorded,
    })
}

/// Polls every Gupshup workspace whose last reading is at least `balance.poll_every` old;
/// called from the scheduler's tick. Each poll first claims the workspace for the tick's
/// [`poll_slot`] (a lease of [`POLL_LEASE_SECS`], released when the poll is stored): of
/// replicas ticking together, or ticking while a slow poll is still waiting for Gupshup,
/// only the claim's holder asks (Gupshup's rate limit is per app, shared by every replica).
/// The reading is stored in that slot, which the store keeps unique as well.
///
/// # Errors
/// [`StoreError`] of the first failing workspace (the others are still polled).
pub async fn balance_tick(
    store: &Store,
    config: &Config,
    monitor: &Monitor,
    now: DateTime<Utc>,
) -> Result<Vec<PollOutcome>, StoreError> {
    let mut outcomes = Vec::new();
    let mut first_error = None;
    for workspace in &config.workspaces {
        let Some(client) = monitor.client(&workspace.id) else {
            continue;
        };
        let due = match store.last_balance_reading(&workspace.id).await {
            Ok(last) => last.is_none_or(|last| {
                now - last.read_at
                    >= Duration::from_std(workspace.balance.poll_every).unwrap_or_default()
            }),
            Err(error) => {
                first_error.get_or_insert(error);
                continue;
            }
        };
        if !due {
            continue;
        }
        let slot = poll_slot(now);
        let lease_end = now.timestamp() + POLL_LEASE_SECS;
        match store
            .claim_balance_poll(&workspace.id, slot, now.timestamp(), lease_end)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::debug!(workspace = %workspace.id, slot, "balance poll held by another replica's claim");
                continue;
            }
            Err(error) => {
                first_error.get_or_insert(error);
                continue;
            }
        }
        let destination =
            Destination::configured(workspace.alerts_channel_id, config.discord.transport);
        match poll_in_slot(store, workspace, client, destination, now, Some(slot)).await {
            Ok(outcome) => outcomes.push(outcome),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(outcomes),
    }
}
