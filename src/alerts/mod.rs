//! Gupshup balance alerts: the pure state machine ([`step`]) and the thin layer that feeds it
//! real readings, persists its state and queues its messages in the outbox.
//!
//! One poll = read the balance, advance the machine, then write the reading, the new state
//! and any alert messages in one transaction. Messages are delivered by the outbox (at
//! least once, deduplicated by Discord's nonce from the per-event dedupe key), so a crash
//! between "decide" and "send" causes neither a missed nor a double alert. A mute only stops
//! messages from being queued; the machine keeps tracking.

mod check;
mod machine;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

pub use check::{CheckOutcome, balance_command, check_and_deliver};
pub use machine::{AlertEvent, AlertState, Level, Observation, UNKNOWN_AFTER, step};

use crate::bot::BotContext;
use crate::config::{Config, Transport, Workspace};
use crate::gupshup::{BalanceReading, GupshupClient, GupshupError, RetryPolicy};
use crate::render::balance::{AlertContext, alert_card};
use crate::render::{self, BalanceLine};
use crate::store::{NewMessage, Store, StoreError, StoredReading};

/// How far back the spending rate looks.
pub const RATE_WINDOW_DAYS: i64 = 7;
/// Readings must span at least this long before a days-left estimate is given.
pub const MIN_RATE_SPAN_HOURS: i64 = 24;
/// Length of a scheduled poll's slot, the scheduler's tick period: every replica's tick
/// fires on the same 30-second boundary of its own clock, so replicas that poll in the same
/// tick share a slot, and a slot is polled once.
pub const POLL_SLOT_SECS: i64 = 30;
/// The longest a poll may wait for Gupshup, every try, backoff and partner login included;
/// past it the poll is stored as a timeout. It bounds how long a poll holds its claim.
pub const POLL_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(150);
/// How long a scheduled poll's claim keeps other replicas from polling the workspace unless
/// the poll is stored first: its time limit plus room to store it. A replica that dies
/// mid-poll holds the workspace this long.
pub const POLL_LEASE_SECS: i64 = 180;

/// One Gupshup client per Gupshup workspace, built once so partner tokens stay cached.
#[derive(Debug, Clone, Default)]
pub struct Monitor {
    clients: HashMap<String, GupshupClient>,
}

impl Monitor {
    /// Clients for every Gupshup workspace of `config` (a workspace whose client cannot be
    /// built is logged and left out).
    pub fn new(config: &Config, policy: RetryPolicy) -> Monitor {
        let mut clients = HashMap::new();
        for workspace in &config.workspaces {
            let Some(settings) = &workspace.gupshup else {
                continue;
            };
            match GupshupClient::new(settings, policy) {
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

    /// The client of a workspace; `None` when it does not use Gupshup.
    pub fn client(&self, workspace: &str) -> Option<&GupshupClient> {
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

/// The slot of a scheduled poll at `now`: the epoch second of its 30-second tick boundary
/// (see [`POLL_SLOT_SECS`]), the key that stores a poll once across replicas.
pub fn poll_slot(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(POLL_SLOT_SECS) * POLL_SLOT_SECS
}

/// Where a workspace's alerts go: its channel, or the terminal (channel 0) on the console.
pub fn alerts_channel(workspace: &Workspace, transport: Transport) -> Option<u64> {
    match (workspace.alerts_channel_id, transport) {
        (Some(channel), _) => Some(channel),
        (None, Transport::Console) => Some(0),
        (None, _) => None,
    }
}

/// Spending in USD per day: the sum of every drop between consecutive readings (rises are
/// recharges and are left out) over the time the readings span. `None` when they span less
/// than [`MIN_RATE_SPAN_HOURS`] or nothing was spent.
pub fn spending_rate(history: &[(DateTime<Utc>, f64)]) -> Option<f64> {
    let (first, last) = (history.first()?.0, history.last()?.0);
    let span = last - first;
    if span < Duration::hours(MIN_RATE_SPAN_HOURS) {
        return None;
    }
    let spent: f64 = history
        .windows(2)
        .map(|pair| (pair[0].1 - pair[1].1).max(0.0))
        .sum();
    let days = span.num_seconds() as f64 / 86_400.0;
    (spent > 0.0).then(|| spent / days)
}

/// Days until `balance` runs out at the last 7 days' spending rate.
///
/// # Errors
/// [`StoreError`].
pub async fn days_left(
    store: &Store,
    workspace: &str,
    balance: f64,
    now: DateTime<Utc>,
) -> Result<Option<f64>, StoreError> {
    let mut history = store
        .balance_history(
            workspace,
            crate::gupshup::USD,
            now - Duration::days(RATE_WINDOW_DAYS),
        )
        .await?;
    // The reading being judged is stored with the poll's other writes, after this.
    history.push((now, balance));
    Ok(spending_rate(&history).map(|rate| balance.max(0.0) / rate))
}

/// The indicator line: the latest USD reading of a Gupshup workspace while it is under the
/// threshold; `None` otherwise (other providers, other currencies, no reading, enough balance).
///
/// # Errors
/// [`StoreError`].
pub async fn balance_line(
    store: &Store,
    workspace: &Workspace,
) -> Result<Option<BalanceLine>, StoreError> {
    if workspace.gupshup.is_none() {
        return Ok(None);
    }
    let Some(reading) = store.latest_balance(&workspace.id).await? else {
        return Ok(None);
    };
    Ok(match (reading.amount, reading.currency) {
        (Some(amount), Some(currency))
            if currency.eq_ignore_ascii_case(crate::gupshup::USD)
                && amount < workspace.balance.threshold =>
        {
            Some(BalanceLine {
                amount,
                currency,
                threshold: workspace.balance.threshold,
                read_at: reading.read_at,
            })
        }
        _ => None,
    })
}

/// Reads the balance once, advances the machine and stores everything (see the module doc).
/// A manual poll (`pulso balance --check`): it is always stored, whatever else ran.
///
/// # Errors
/// [`StoreError`]; a Gupshup failure is an outcome, not an error.
pub async fn poll_workspace(
    store: &Store,
    workspace: &Workspace,
    client: &GupshupClient,
    channel: Option<u64>,
    now: DateTime<Utc>,
) -> Result<PollOutcome, StoreError> {
    poll_in_slot(store, workspace, client, channel, now, None).await
}

/// [`poll_workspace`], stored only if no poll of the workspace is stored in `slot` yet.
async fn poll_in_slot(
    store: &Store,
    workspace: &Workspace,
    client: &GupshupClient,
    channel: Option<u64>,
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
        match channel {
            _ if state.muted(now) => {
                tracing::info!(workspace = %workspace.id, ?event, "balance alert muted")
            }
            None => {
                tracing::warn!(workspace = %workspace.id, ?event, "balance alert with no alerts_channel_id; not posted")
            }
            Some(channel) => {
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
                    channel_id: channel,
                    payload: render::discord::message_payload(reply),
                    attachment: None,
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
        _ if next.failures >= machine::UNKNOWN_AFTER => 3.0,
        machine::Level::Ok => 0.0,
        machine::Level::Low => 1.0,
        machine::Level::Critical => 2.0,
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
    ctx: &BotContext,
    monitor: &Monitor,
    now: DateTime<Utc>,
) -> Result<Vec<PollOutcome>, StoreError> {
    let mut outcomes = Vec::new();
    let mut first_error = None;
    for workspace in &ctx.config.workspaces {
        let Some(client) = monitor.client(&workspace.id) else {
            continue;
        };
        let due = match ctx.store.last_balance_reading(&workspace.id).await {
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
        match ctx
            .store
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
        let channel = alerts_channel(workspace, ctx.config.discord.transport);
        match poll_in_slot(&ctx.store, workspace, client, channel, now, Some(slot)).await {
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
