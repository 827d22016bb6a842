//! SQL for the Gupshup balance monitor: the readings history and each workspace's alert
//! state (with its mute). Same `$N` text on both backends, converted for SQLite.

use chrono::{DateTime, Utc};

use super::outbox::{INSERT_OUTBOX, bind_message};
use super::{NewMessage, Store, StoreError, query_error};
use crate::domain::{AlertState, Level};

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

type ReadingRow = (i64, Option<f64>, Option<String>, Option<String>);
type StateRow = (
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

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
const UPSERT_STATE: &str = "INSERT INTO balance_alert_state (workspace, level, below_count, failures, \
     unknown_notified, episode, outages, reminders, since, last_notified_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (workspace) DO UPDATE SET \
     level = excluded.level, below_count = excluded.below_count, failures = excluded.failures, \
     unknown_notified = excluded.unknown_notified, episode = excluded.episode, \
     outages = excluded.outages, reminders = excluded.reminders, since = excluded.since, \
     last_notified_at = excluded.last_notified_at, updated_at = excluded.updated_at";
const SELECT_STATE: &str = "SELECT level, below_count, failures, unknown_notified, episode, outages, \
     reminders, since, last_notified_at, muted_until FROM balance_alert_state WHERE workspace = $1";
const UPSERT_MUTE: &str = "INSERT INTO balance_alert_state (workspace, muted_until, updated_at) \
     VALUES ($1, $2, $3) ON CONFLICT (workspace) DO UPDATE SET muted_until = excluded.muted_until";

fn at(epoch: Option<i64>) -> Option<DateTime<Utc>> {
    epoch.and_then(|secs| DateTime::from_timestamp(secs, 0))
}

fn reading((read_at, amount, currency, error): ReadingRow) -> Option<StoredReading> {
    Some(StoredReading {
        read_at: DateTime::from_timestamp(read_at, 0)?,
        amount,
        currency,
        error,
    })
}

impl Store {
    /// Stores a reading, the machine's new state and the alerts it produced, all or nothing:
    /// a crash never leaves a state change without its message, or a message twice.
    ///
    /// `slot` identifies a scheduled poll (the scheduler tick it belongs to; `None` for
    /// manual polls); storing it releases the workspace's poll claim. When the workspace
    /// already has a reading in that slot, the same poll was stored before: nothing is
    /// written and the answer is `false`, so the poll is stored once and the alert machine
    /// advances once.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing is written then.
    pub async fn record_balance_poll(
        &self,
        workspace: &str,
        reading: &StoredReading,
        slot: Option<i64>,
        state: &AlertState,
        messages: &[NewMessage],
        now: i64,
    ) -> Result<bool, StoreError> {
        let (insert_reading, upsert_state, insert_outbox, release) = (
            self.text(INSERT_READING),
            self.text(UPSERT_STATE),
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
            if stored.is_none() {
                tx.rollback()
                    .await
                    .map_err(query_error("dropping a duplicate balance poll"))?;
                return Ok(false);
            }
            sqlx::query(&upsert_state)
                .bind(workspace)
                .bind(state.level.as_str())
                .bind(i64::from(state.below_count))
                .bind(i64::from(state.failures))
                .bind(i64::from(state.unknown_notified))
                .bind(state.episode)
                .bind(state.outages)
                .bind(i64::from(state.reminders))
                .bind(state.since.map(|t| t.timestamp()))
                .bind(state.last_notified_at.map(|t| t.timestamp()))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(query_error("saving the balance alert state"))?;
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
            Ok(true)
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

    /// Stores a reading outside the state machine (`pulso balance` without `--check`).
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

    /// The alert state of a workspace; the default (ok, unmuted) before its first poll.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn balance_alert_state(&self, workspace: &str) -> Result<AlertState, StoreError> {
        let sql = self.text(SELECT_STATE);
        let row: Option<StateRow> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map_err(query_error("reading the balance alert state"))?
        });
        let Some(row) = row else {
            return Ok(AlertState::default());
        };
        let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
        Ok(AlertState {
            level: Level::parse(&row.0),
            below_count: count(row.1),
            failures: count(row.2),
            unknown_notified: row.3 != 0,
            episode: row.4,
            outages: row.5,
            reminders: count(row.6),
            since: at(row.7),
            last_notified_at: at(row.8),
            muted_until: at(row.9),
        })
    }

    /// Sets (or, with `None`, clears) a workspace's alert mute.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn set_alert_mute(
        &self,
        workspace: &str,
        until: Option<DateTime<Utc>>,
        now: i64,
    ) -> Result<(), StoreError> {
        let sql = self.text(UPSERT_MUTE);
        on_backend!(self, |pool, _sql| {
            sqlx::query(&sql)
                .bind(workspace)
                .bind(until.map(|t| t.timestamp()))
                .bind(now)
                .execute(pool)
                .await
                .map(drop)
                .map_err(query_error("muting balance alerts"))
        })
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
