//! SQL for the WhatsApp health signals: the call claims that keep each Gupshup endpoint
//! within its limit across replicas and restarts, the last reading of each signal, and a
//! poll stored with its rule's new state and messages in one transaction. Same `$N` text on
//! both backends, converted for SQLite.

use chrono::{DateTime, Duration, Utc};
use sqlx::Connection;

use super::alert_rules::{bind_guard, bind_state, state_write};
use super::outbox::{INSERT_OUTBOX, bind_message};
use super::{NewMessage, Store, StoreError, query_error};
use crate::domain::{RuleState, StoredSignal, WhatsappReading, WhatsappSignal};

/// Takes the next call of a signal (`$1` workspace, `$2` signal, `$3` now, `$4` the latest
/// last call still allowing one, `$5` lease end): inserted on the first call; otherwise
/// taken only when the last call is old enough and no lease is running. The row lock lets
/// one of replicas claiming at once through.
const CLAIM: &str = "INSERT INTO whatsapp_signals (workspace, signal, called_at, leased_until) \
     VALUES ($1, $2, $3, $5) ON CONFLICT (workspace, signal) DO UPDATE SET \
     called_at = excluded.called_at, leased_until = excluded.leased_until \
     WHERE whatsapp_signals.leased_until <= $3 \
     AND (whatsapp_signals.called_at IS NULL OR whatsapp_signals.called_at <= $4) \
     RETURNING called_at";
/// A good reading: stored, the failure cleared, the lease ended.
const STORE_READING: &str = "UPDATE whatsapp_signals SET read_at = $3, reading = $4, \
     error_at = NULL, error = NULL, leased_until = 0 WHERE workspace = $1 AND signal = $2";
/// A failed call: the last good reading stays.
const STORE_FAILURE: &str = "UPDATE whatsapp_signals SET error_at = $3, error = $4, \
     leased_until = 0 WHERE workspace = $1 AND signal = $2";
const SELECT_SIGNALS: &str = "SELECT signal, called_at, read_at, reading, error_at, error \
     FROM whatsapp_signals WHERE workspace = $1";

type SignalRow = (
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// One poll of a signal to store: see [`Store::record_whatsapp_poll`].
#[derive(Debug, Clone, Copy)]
pub struct WhatsappPoll<'a> {
    /// The workspace.
    pub workspace: &'a str,
    /// What Gupshup answered: the reading to keep, or why the call failed (no secret).
    pub outcome: Result<&'a WhatsappReading, (WhatsappSignal, &'a str)>,
    /// When it was read.
    pub read_at: DateTime<Utc>,
    /// The version of the signal's rule state the evaluation started from; `None` when it
    /// had no stored state.
    pub read_version: Option<i64>,
    /// The rule's new state.
    pub state: &'a RuleState,
    /// The messages of its transitions and changes.
    pub messages: &'a [NewMessage],
}

impl WhatsappPoll<'_> {
    fn signal(&self) -> WhatsappSignal {
        match self.outcome {
            Ok(reading) => reading.signal(),
            Err((signal, _)) => signal,
        }
    }
}

fn at(epoch: Option<i64>) -> Option<DateTime<Utc>> {
    epoch.and_then(|secs| DateTime::from_timestamp(secs, 0))
}

fn stored(
    (signal, called_at, read_at, reading, error_at, error): SignalRow,
) -> Option<StoredSignal> {
    // A CHECK keeps `signal` to the names pulso writes.
    let signal = WhatsappSignal::parse(&signal)?;
    let reading = match (at(read_at), reading) {
        (Some(read_at), Some(json)) => match serde_json::from_str(&json) {
            Ok(reading) => Some((read_at, reading)),
            Err(error) => {
                // Only pulso writes it; a reading an older pulso wrote differently is
                // treated as none (the next poll replaces it).
                tracing::warn!(signal = signal.as_str(), %error, "stored WhatsApp reading not understood; ignored");
                None
            }
        },
        _ => None,
    };
    Some(StoredSignal {
        signal,
        called_at: at(called_at),
        reading,
        error: at(error_at).zip(error),
    })
}

impl Store {
    /// Claims a call of `signal` for `workspace` at `now`: `true` when no call was made in
    /// the last `every` and no other replica holds the signal's lease; then the call counts
    /// from `now` (before Gupshup is asked, so a crash mid-call still counts) and the lease
    /// runs until `lease_end` or until the poll is stored.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn claim_whatsapp_call(
        &self,
        workspace: &str,
        signal: WhatsappSignal,
        now: DateTime<Utc>,
        every: Duration,
        lease_end: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = self.text(CLAIM);
        let latest_allowed = now.timestamp().saturating_sub(every.num_seconds());
        let claimed: Option<Option<i64>> = on_backend!(self, |pool, _sql| {
            sqlx::query_scalar(&sql)
                .bind(workspace)
                .bind(signal.as_str())
                .bind(now.timestamp())
                .bind(latest_allowed)
                .bind(lease_end.timestamp())
                .fetch_optional(pool)
                .await
                .map_err(query_error("claiming a WhatsApp health call"))?
        });
        Ok(claimed.is_some())
    }

    /// Every signal of `workspace` ever claimed, in [`WhatsappSignal::ALL`]'s order.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn whatsapp_signals(&self, workspace: &str) -> Result<Vec<StoredSignal>, StoreError> {
        let sql = self.text(SELECT_SIGNALS);
        let rows: Vec<SignalRow> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .fetch_all(pool)
                .await
                .map_err(query_error("reading WhatsApp health readings"))?
        });
        let mut signals: Vec<StoredSignal> = rows.into_iter().filter_map(stored).collect();
        signals.sort_by_key(|s| WhatsappSignal::ALL.iter().position(|a| *a == s.signal));
        Ok(signals)
    }

    /// Stores a poll: the reading (or the failure), its rule's new state and messages, all
    /// or nothing, and ends the call's lease. The state is written over the version it was
    /// read at; when that version is gone (an acknowledgement or snooze pressed while
    /// Gupshup was answering), nothing is written and `false` comes back: evaluate the same
    /// reading again over the state now stored.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing is written then.
    pub async fn record_whatsapp_poll(
        &self,
        poll: WhatsappPoll<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let signal = poll.signal();
        let (reading_sql, detail) = match poll.outcome {
            Ok(reading) => (
                self.text(STORE_READING),
                serde_json::to_string(reading).map_err(|error| {
                    query_error("encoding a WhatsApp reading")(sqlx::Error::Encode(Box::new(error)))
                })?,
            ),
            Err((_, error)) => (self.text(STORE_FAILURE), error.to_string()),
        };
        let write_state = self.text(state_write(poll.read_version));
        let insert_outbox = self.text(INSERT_OUTBOX);
        on_backend!(self, |pool, _sql| {
            let mut tx = pool
                .begin()
                .await
                .map_err(query_error("starting a WhatsApp health poll"))?;
            let query = bind_state(
                sqlx::query(&write_state),
                poll.workspace,
                signal.rule(),
                poll.state,
                now,
            );
            let written = bind_guard(query, poll.read_version, None)
                .execute(&mut *tx)
                .await
                .map_err(query_error("saving a WhatsApp health rule state"))?
                .rows_affected();
            if written == 0 {
                tx.rollback()
                    .await
                    .map_err(query_error("dropping a stale WhatsApp health poll"))?;
                return Ok(false);
            }
            sqlx::query(&reading_sql)
                .bind(poll.workspace)
                .bind(signal.as_str())
                .bind(poll.read_at.timestamp())
                .bind(detail.as_str())
                .execute(&mut *tx)
                .await
                .map_err(query_error("storing a WhatsApp health reading"))?;
            for message in poll.messages {
                bind_message(sqlx::query_scalar::<_, i64>(&insert_outbox), message, now)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(query_error("queueing a WhatsApp health alert"))?;
            }
            tx.commit()
                .await
                .map_err(query_error("committing a WhatsApp health poll"))?;
            Ok(true)
        })
    }
}
