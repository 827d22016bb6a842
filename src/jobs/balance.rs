//! The balance monitor's job: feeds the Gupshup balance, one rule of the alert engine
//! ([`crate::alerting::evaluate`] with [`balance_limits`]), real Gupshup readings, persists
//! its state with the other rules' (rule [`BALANCE_RULE`]) and queues its messages in the
//! outbox.
//!
//! One poll = read the balance, advance the engine, then write the reading, the new state
//! and any alert messages in one transaction. Messages are delivered by the outbox (at
//! least once, deduplicated by Discord's nonce from the per-event dedupe key), so a crash
//! between "decide" and "send" causes neither a missed nor a double alert. A mute (the
//! rule's snooze) only stops messages from being queued; the engine keeps tracking.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::balance_alerts::alert_messages;
use super::gauge_code;
use crate::alerting::{
    POLL_LEASE_SECS, POLL_TIME_LIMIT, RuleEvent, RuleObservation, balance_limits, evaluate,
    poll_slot,
};
use crate::config::{BALANCE_RULE, Config, Workspace};
use crate::domain::{Destination, RuleState};
use crate::gupshup::{BalanceReading, GupshupError, ReadBalance, RetryPolicy, Wallet};
use crate::store::{BalancePoll, BalanceWrite, Store, StoreError, StoredReading};

/// How many times a poll evaluates its reading again over a state that changed while it
/// was being stored (an acknowledgement or snooze pressed meanwhile) before giving up.
const STALE_RETRIES: usize = 5;

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
    /// The balance rule's state after the poll.
    pub state: RuleState,
    /// Events the engine produced (queued unless muted or without a channel).
    pub events: Vec<RuleEvent>,
    /// Dedupe keys of the messages queued.
    pub queued: Vec<String>,
    /// Whether the poll was stored. `false` when a poll of the same slot was already stored
    /// (the claim in [`balance_tick`] leaves that to a slot claimed twice, e.g. after the
    /// claims were deleted by hand): then nothing of this one (reading, state, messages) was
    /// written, `queued` is empty and `state` and `events` are only what this replica
    /// computed.
    pub recorded: bool,
}

/// Reads the balance once, advances the engine and stores everything (see the module doc).
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

/// What the engine makes of a reading: a USD balance is a value, another currency no
/// sample (never compared with USD limits), a failure a failed observation.
fn observation(reading: &Result<BalanceReading, GupshupError>) -> RuleObservation {
    match reading {
        Ok(r) if r.is_usd() => RuleObservation::Value(r.amount),
        Ok(_) => RuleObservation::NoSamples,
        Err(_) => RuleObservation::Failed,
    }
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
    let reading = tokio::time::timeout(POLL_TIME_LIMIT, client.balance(now))
        .await
        .unwrap_or(Err(GupshupError::Timeout(POLL_TIME_LIMIT)));
    let stored = StoredReading {
        read_at: now,
        amount: reading.as_ref().ok().map(|r| r.amount),
        currency: reading.as_ref().ok().map(|r| r.currency.clone()),
        error: reading.as_ref().err().map(ToString::to_string),
    };
    match &reading {
        Ok(r) => {
            tracing::info!(workspace = %workspace.id, amount = r.amount, currency = %r.currency, "Gupshup balance read")
        }
        Err(error) => tracing::warn!(workspace = %workspace.id, %error, "Gupshup balance not read"),
    }
    let limits = balance_limits(&workspace.balance);
    let mut attempts = 0;
    let (next, events, messages, recorded) = loop {
        // Read after Gupshup answered, so a press made meanwhile is already in it.
        let previous = store.rule_state(&workspace.id, BALANCE_RULE).await?;
        let state = previous
            .as_ref()
            .map(|s| s.state.clone())
            .unwrap_or_default();
        let (next, events) = evaluate(&state, observation(&reading), now, &limits);
        let messages =
            alert_messages(store, workspace, &reading, destination, &next, &events, now).await?;
        let poll = BalancePoll {
            workspace: &workspace.id,
            reading: &stored,
            slot,
            read_version: previous.map(|s| s.version),
            state: &next,
            messages: &messages,
        };
        match store.record_balance_poll(poll, now.timestamp()).await? {
            BalanceWrite::Stored => break (next, events, messages, true),
            BalanceWrite::Duplicate => {
                tracing::info!(workspace = %workspace.id, "balance poll already stored by another replica; dropped");
                break (next, events, Vec::new(), false);
            }
            BalanceWrite::Stale if attempts < STALE_RETRIES => attempts += 1,
            BalanceWrite::Stale => {
                return Err(StoreError::Contended {
                    what: "balance alert state",
                });
            }
        }
    };
    if let Ok(reading) = &reading {
        metrics::gauge!(crate::telemetry::GUPSHUP_BALANCE, "workspace" => workspace.id.clone(), "currency" => reading.currency.clone())
            .set(reading.amount);
    }
    metrics::gauge!(crate::telemetry::BALANCE_ALERT_STATE, "workspace" => workspace.id.clone())
        .set(gauge_code(&next));
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
