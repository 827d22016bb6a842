//! SQL for the Gupshup balance monitor: the readings history, the poll claims, and a poll
//! stored with the balance rule's state (kept with the other rules' in `alert_rule_states`,
//! under [`BALANCE_RULE`]). Same `$N` text on both backends, converted for SQLite.

use chrono::{DateTime, Utc};
use sqlx::Connection;

use super::alert_rules::{bind_guard, bind_state, state_write};
use super::outbox::{INSERT_OUTBOX, bind_message};
use super::{NewMessage, Store, StoreError, query_error};
use crate::config::BALANCE_RULE;
use crate::domain::RuleState;

/// One stored reading: a balance, or why it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReading {
    /// When it was read.
    pub read_at: DateTime<Utc>,
    /// The balance; `None` for a failed reading.
    pub amount: Option<f64>,
    /// Its currency; `None` for a failed reading.
    pub currency: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// One balance poll to store: see [`Store::record_balance_poll`].
#[derive(Debug, Clone, Copy)]
pub struct BalancePoll<'a> {
    /// The workspace.
    pub workspace: &'a str,
    /// What Gupshup answered.
    pub reading: &'a StoredReading,
    /// The scheduler tick it belongs to; `None` for a manual poll.
    pub slot: Option<i64>,
    /// The version of the balance rule's state the evaluation started from; `None` when
    /// it had no stored state.
    pub read_version: Option<i64>,
    /// The engine's new state.
    pub state: &'a RuleState,
    /// The messages of its transitions.
    pub messages: &'a [NewMessage],
}

/// What became of a poll given to [`Store::record_balance_poll`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BalanceWrite {
    /// Reading, state and messages are stored.
    Stored,
    /// A poll of the same slot was stored already: nothing was written, for good.
    Duplicate,
    /// The state changed since it was read (an acknowledgement, a snooze, a manual poll):
    /// nothing was written; evaluate the same reading again over the state now stored.
    Stale,
}

type ReadingRow = (i64, Option<f64>, Option<String>, Option<String>);

/// A reading: `poll_slot` is unique per workspace (NULL, for a reading outside the schedule,
/// never conflicts), so of two replicas storing the same scheduled poll only the first gets
/// its id back.
const INSERT_READING: &str = "INSERT INTO balance_readings (workspace, read_at, amount, currency, error, poll_slot) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace, poll_slot) DO NOTHING RETURNING id";
/// A scheduled poll's claim, a lease per workspace: taken when the workspace has none, or
/// its lease ran out and belongs to another slot; of replicas claiming at once, the row lock
/// lets only the first through (`$1` workspace, `$2` slot, `$3` lease end, `$4` now).
const CLAIM: &str = "INSERT INTO balance_poll_claims (workspace, poll_slot, leased_until) \
     VALUES ($1, $2, $3) ON CONFLICT (workspace) DO UPDATE SET \
     poll_slot = excluded.poll_slot, leased_until = excluded.leased_until \
     WHERE balance_poll_claims.leased_until <= $4 \
     AND balance_poll_claims.poll_slot <> excluded.poll_slot RETURNING poll_slot";
/// A stored poll ends its lease, so the next due poll need not wait for it to run out.
const RELEASE: &str = "UPDATE balance_poll_claims SET leased_until = $3 \
     WHERE workspace = $1 AND poll_slot = $2";
fn reading((read_at, amount, currency, error): ReadingRow) -> Option<StoredReading> {
    Some(StoredReading {
        read_at: DateTime::from_timestamp(read_at, 0)?,
        amount,
        currency,
        error,
    })
}

impl Store {
    /// Stores a poll: its reading, the balance rule's new state and the alerts it produced,
    /// all or nothing, so a crash never leaves a state change without its message, or a
    /// message twice.
    ///
    /// `slot` identifies a scheduled poll (the scheduler tick it belongs to; `None` for
    /// manual polls); storing it releases the workspace's poll claim. When the workspace
    /// already has a reading in that slot, the same poll was stored before: nothing is
    /// written ([`BalanceWrite::Duplicate`]), so the poll is stored once and the engine
    /// advances once. The state is written as an alert rule evaluation is, over the version
    /// it was read at (the reading's slot is what keeps it once per tick); when that version
    /// is gone, nothing is written either ([`BalanceWrite::Stale`]), so an acknowledgement
    /// or a snooze made while Gupshup was being asked is never overwritten.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing is written then.
    pub async fn record_balance_poll(
        &self,
        poll: BalancePoll<'_>,
        now: i64,
    ) -> Result<BalanceWrite, StoreError> {
        let BalancePoll {
            workspace,
            reading,
            slot,
            read_version,
            state,
            messages,
        } = poll;
        let (insert_reading, write_state, insert_outbox, release) = (
            self.text(INSERT_READING),
            self.text(state_write(read_version)),
            self.text(INSERT_OUTBOX),
            self.text(RELEASE),
        );
        on_backend!(self, |pool, _sql| {
            let mut tx = pool
                .begin()
                .await
                .map_err(query_error("starting a balance poll"))?;
            let stored: Option<i64> = sqlx::query_scalar(&insert_reading)
                .bind(workspace)
                .bind(reading.read_at.timestamp())
                .bind(reading.amount)
                .bind(reading.currency.clone())
                .bind(reading.error.clone())
                .bind(slot)
                .fetch_optional(&mut *tx)
                .await
                .map_err(query_error("storing a balance reading"))?;
            let outcome = if stored.is_none() {
                BalanceWrite::Duplicate
            } else {
                let query = bind_state(
                    sqlx::query(&write_state),
                    workspace,
                    BALANCE_RULE,
                    state,
                    now,
                );
                let written = bind_guard(query, read_version, None)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error("saving the balance alert state"))?
                    .rows_affected();
                if written == 0 {
                    BalanceWrite::Stale
                } else {
                    BalanceWrite::Stored
                }
            };
            if outcome != BalanceWrite::Stored {
                tx.rollback()
                    .await
                    .map_err(query_error("dropping a balance poll"))?;
                return Ok(outcome);
            }
            for message in messages {
                bind_message(sqlx::query_scalar::<_, i64>(&insert_outbox), message, now)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(query_error("queueing a balance alert"))?;
            }
            if let Some(slot) = slot {
                sqlx::query(&release)
                    .bind(workspace)
                    .bind(slot)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error("releasing a balance poll claim"))?;
            }
            tx.commit()
                .await
                .map_err(query_error("committing a balance poll"))?;
            Ok(BalanceWrite::Stored)
        })
    }

    /// Claims the scheduled poll of `workspace` in `slot` for this replica until
    /// `leased_until`: `true` when it was free, and then this replica asks Gupshup; `false`
    /// while another replica's poll holds it (until that poll is stored or its lease ends)
    /// and when `slot` was already polled, so replicas call Gupshup once per poll.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn claim_balance_poll(
        &self,
        workspace: &str,
        slot: i64,
        now: i64,
        leased_until: i64,
    ) -> Result<bool, StoreError> {
        let sql = self.text(CLAIM);
        let claimed: Option<i64> = on_backend!(self, |pool, _sql| {
            sqlx::query_scalar(&sql)
                .bind(workspace)
                .bind(slot)
                .bind(leased_until)
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(query_error("claiming a balance poll"))?
        });
        Ok(claimed.is_some())
    }

    /// Stores a reading outside the alert engine (`pulso balance` without `--check`).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn insert_balance_reading(
        &self,
        workspace: &str,
        reading: &StoredReading,
    ) -> Result<(), StoreError> {
        let sql = self.text(INSERT_READING);
        on_backend!(self, |pool, _sql| {
            sqlx::query_scalar::<_, i64>(&sql)
                .bind(workspace)
                .bind(reading.read_at.timestamp())
                .bind(reading.amount)
                .bind(reading.currency.clone())
                .bind(reading.error.clone())
                .bind(None::<i64>)
                .fetch_optional(pool)
                .await
                .map(drop)
                .map_err(query_error("storing a balance reading"))
        })
    }

    /// The balance rule's state of a workspace (level, episode, snooze, acknowledgement);
    /// the default (ok, not snoozed) before its first poll.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn balance_alert_state(&self, workspace: &str) -> Result<RuleState, StoreError> {
        Ok(self
            .rule_state(workspace, BALANCE_RULE)
            .await?
            .map(|stored| stored.state)
            .unwrap_or_default())
    }

    /// The most recent reading of any kind (the poll cadence is based on it).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn last_balance_reading(
        &self,
        workspace: &str,
    ) -> Result<Option<StoredReading>, StoreError> {
        self.one_reading(
            "SELECT read_at, amount, currency, error FROM balance_readings WHERE workspace = $1 \
             ORDER BY read_at DESC, id DESC LIMIT 1",
            workspace,
        )
        .await
    }

    /// The most recent successful reading (the indicator and `/balance` show it).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn latest_balance(
        &self,
        workspace: &str,
    ) -> Result<Option<StoredReading>, StoreError> {
        self.one_reading(
            "SELECT read_at, amount, currency, error FROM balance_readings WHERE workspace = $1 \
             AND amount IS NOT NULL ORDER BY read_at DESC, id DESC LIMIT 1",
            workspace,
        )
        .await
    }

    async fn one_reading(
        &self,
        statement: &'static str,
        workspace: &str,
    ) -> Result<Option<StoredReading>, StoreError> {
        let sql = self.text(statement);
        let row: Option<ReadingRow> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map_err(query_error("reading the balance"))?
        });
        Ok(row.and_then(reading))
    }

    /// Successful readings in `currency` since `since`, oldest first (the spending rate).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn balance_history(
        &self,
        workspace: &str,
        currency: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<(DateTime<Utc>, f64)>, StoreError> {
        let sql = self.text(
            "SELECT read_at, amount FROM balance_readings WHERE workspace = $1 AND currency = $2 \
             AND amount IS NOT NULL AND read_at >= $3 ORDER BY read_at, id",
        );
        let rows: Vec<(i64, f64)> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .bind(currency)
                .bind(since.timestamp())
                .fetch_all(pool)
                .await
                .map_err(query_error("reading the balance history"))?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(at, amount)| Some((DateTime::from_timestamp(at, 0)?, amount)))
            .collect())
    }
}
