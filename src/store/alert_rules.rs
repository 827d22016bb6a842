//! SQL for alert rules: each (workspace, rule)'s engine state, stored together with the
//! messages an evaluation produced, and the observations that are not indicator windows.
//! The Gupshup balance is rule `balance` here; its poll writes the state with the same
//! statements ([`state_write`], [`bind_state`]) in its own transaction (store/balance.rs).
//! Same `$N` text on both backends, converted for SQLite.

use chrono::{DateTime, Utc};
use sqlx::Connection;

use super::outbox::{INSERT_OUTBOX, bind_message};
use super::{NewMessage, Store, StoreError, query_error};
use crate::domain::{RuleLevel, RuleState, SurveyCursor};

/// One evaluation of a rule to store: see [`Store::record_rule_evaluation`].
#[derive(Debug, Clone, Copy)]
pub struct RuleEvaluation<'a> {
    /// The workspace.
    pub workspace: &'a str,
    /// The rule's name.
    pub rule: &'a str,
    /// The version the evaluation started from; `None` when the rule had no stored state.
    pub read_version: Option<i64>,
    /// The engine's new state.
    pub state: &'a RuleState,
    /// The messages of its transitions.
    pub messages: &'a [NewMessage],
    /// The epoch second the tick's 30-second slot starts.
    pub slot: i64,
}

/// A rule's state as stored, with the version an evaluation must write over.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRuleState {
    /// The rule's name.
    pub rule: String,
    /// The engine's state.
    pub state: RuleState,
    /// Grows by one per stored evaluation; see [`Store::record_rule_evaluation`].
    pub version: i64,
}

type StateRow = (
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<i64>,
    i64,
    Option<String>,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    i64,
    i64,
);

/// A `SELECT` of every state column, in [`StateRow`]'s order, with `$where` appended.
macro_rules! select_states {
    ($where:literal) => {
        concat!(
            "SELECT rule, level, episode, since, bad_since, last_value, last_notified_at, ",
            "reminders, acknowledged_by, acknowledged_at, snoozed_until, failures, outages, ",
            "bad_observations, version FROM alert_rule_states ",
            $where
        )
    };
}

const SELECT_STATES: &str = select_states!("WHERE workspace = $1 ORDER BY rule");
const SELECT_STATE: &str = select_states!("WHERE workspace = $1 AND rule = $2");
const INSERT_STATE: &str = "INSERT INTO alert_rule_states (workspace, rule, level, episode, since, \
     bad_since, last_value, last_notified_at, reminders, acknowledged_by, acknowledged_at, \
     snoozed_until, failures, outages, bad_observations, evaluated_at, version) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1) \
     ON CONFLICT (workspace, rule) DO NOTHING";
const UPDATE_STATE: &str = "UPDATE alert_rule_states SET level = $3, episode = $4, since = $5, \
     bad_since = $6, last_value = $7, last_notified_at = $8, reminders = $9, \
     acknowledged_by = $10, acknowledged_at = $11, snoozed_until = $12, failures = $13, \
     outages = $14, bad_observations = $15, evaluated_at = $16, version = version + 1 \
     WHERE workspace = $1 AND rule = $2 AND version = $17 AND evaluated_at < $18";

/// Moves a low_survey rule's cursor, inside its evaluation's transaction.
const MOVE_CURSOR: &str = "UPDATE alert_rule_states SET survey_order = $3, survey_position = $4 \
     WHERE workspace = $1 AND rule = $2";

/// Acknowledges the current episode of a firing rule; bumps the version so an evaluation
/// that read the state before does not overwrite the acknowledgement.
const ACKNOWLEDGE: &str = "UPDATE alert_rule_states SET acknowledged_by = $3, acknowledged_at = $4, \
     version = version + 1 WHERE workspace = $1 AND rule = $2 AND level <> 'ok'";
/// Sets (or clears) a rule's snooze, creating its state row when it was never evaluated.
const SNOOZE: &str = "INSERT INTO alert_rule_states (workspace, rule, level, snoozed_until, \
     evaluated_at, version) VALUES ($1, $2, 'ok', $3, 0, 1) ON CONFLICT (workspace, rule) \
     DO UPDATE SET snoozed_until = excluded.snoozed_until, \
     version = alert_rule_states.version + 1";

fn at(epoch: Option<i64>) -> Option<DateTime<Utc>> {
    epoch.and_then(|secs| DateTime::from_timestamp(secs, 0))
}

/// The statement that stores a rule's new state: the first insert when the evaluation
/// read none, else the update over the version it read (see [`bind_guard`]).
pub(super) fn state_write(read_version: Option<i64>) -> &'static str {
    match read_version {
        None => INSERT_STATE,
        Some(_) => UPDATE_STATE,
    }
}

type StateQuery<'q, DB> = sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>;

/// Binds a state's columns to [`state_write`]'s statement (`$1` to `$16`).
pub(super) fn bind_state<'q, DB>(
    query: StateQuery<'q, DB>,
    workspace: &str,
    rule: &str,
    state: &RuleState,
    now: i64,
) -> StateQuery<'q, DB>
where
    DB: sqlx::Database,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<f64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let epoch = |t: Option<DateTime<Utc>>| t.map(|t| t.timestamp());
    let (by, ack_at) = match &state.acknowledged {
        Some((by, at)) => (Some(by.clone()), Some(at.timestamp())),
        None => (None, None),
    };
    query
        .bind(workspace.to_string())
        .bind(rule.to_string())
        .bind(state.level.as_str().to_string())
        .bind(state.episode)
        .bind(epoch(state.since))
        .bind(epoch(state.bad_since))
        .bind(state.last_value)
        .bind(epoch(state.last_notified_at))
        .bind(i64::from(state.reminders))
        .bind(by)
        .bind(ack_at)
        .bind(epoch(state.snoozed_until))
        .bind(i64::from(state.failures))
        .bind(state.outages)
        .bind(i64::from(state.bad_observations))
        .bind(now)
}

/// Binds the update's guard: the version read and the slot start no stored evaluation may
/// be at or after (`None`: no slot check, for writers that are once per slot already).
pub(super) fn bind_guard<'q, DB>(
    query: StateQuery<'q, DB>,
    read_version: Option<i64>,
    slot: Option<i64>,
) -> StateQuery<'q, DB>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    match read_version {
        None => query,
        Some(version) => query.bind(version).bind(slot.unwrap_or(i64::MAX)),
    }
}

fn stored(row: StateRow) -> StoredRuleState {
    let (rule, level, episode, since, bad_since, last_value, notified, reminders, by, ack_at) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9,
    );
    let (snoozed, failures, outages, bad_observations, version) =
        (row.10, row.11, row.12, row.13, row.14);
    StoredRuleState {
        rule,
        state: RuleState {
            // Only pulso writes the column, and a CHECK keeps it to these three.
            level: RuleLevel::parse(&level).unwrap_or_default(),
            episode,
            since: at(since),
            bad_since: at(bad_since),
            last_value,
            last_notified_at: at(notified),
            reminders: u32::try_from(reminders).unwrap_or(u32::MAX),
            acknowledged: by.zip(at(ack_at)),
            snoozed_until: at(snoozed),
            failures: u32::try_from(failures).unwrap_or(u32::MAX),
            outages,
            bad_observations: u32::try_from(bad_observations).unwrap_or(u32::MAX),
        },
        version,
    }
}

impl Store {
    /// The stored states of a workspace's rules, by rule name.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn rule_states(&self, workspace: &str) -> Result<Vec<StoredRuleState>, StoreError> {
        let sql = self.text(SELECT_STATES);
        let rows: Vec<StateRow> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .fetch_all(pool)
                .await
                .map_err(query_error("reading alert rule states"))?
        });
        Ok(rows.into_iter().map(stored).collect())
    }

    /// The stored state of one rule of a workspace; `None` before its first evaluation.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn rule_state(
        &self,
        workspace: &str,
        rule: &str,
    ) -> Result<Option<StoredRuleState>, StoreError> {
        let sql = self.text(SELECT_STATE);
        let row: Option<StateRow> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .bind(rule)
                .fetch_optional(pool)
                .await
                .map_err(query_error("reading an alert rule state"))?
        });
        Ok(row.map(stored))
    }

    /// Stores one evaluation of a rule: its new state and the messages it produced, all or
    /// nothing, only over the version it read and only if no evaluation was stored in the
    /// tick's slot yet. Returns `false`, writing nothing, when another replica stored an
    /// evaluation since or in this slot: the engine then advanced once, not twice.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing is written then.
    pub async fn record_rule_evaluation(
        &self,
        evaluation: RuleEvaluation<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.record_evaluation(evaluation, None, now).await
    }

    /// [`Store::record_rule_evaluation`], also moving a low_survey rule's cursor to
    /// `cursor` in the same transaction.
    pub(super) async fn record_evaluation(
        &self,
        evaluation: RuleEvaluation<'_>,
        cursor: Option<SurveyCursor>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let RuleEvaluation {
            workspace,
            rule,
            read_version,
            state,
            messages,
            slot,
        } = evaluation;
        let write = self.text(state_write(read_version));
        let insert_outbox = self.text(INSERT_OUTBOX);
        let move_cursor = self.text(MOVE_CURSOR);
        on_backend!(self, |pool, _sql| {
            let mut tx = pool
                .begin()
                .await
                .map_err(query_error("starting an alert evaluation"))?;
            let query = bind_state(sqlx::query(&write), workspace, rule, state, now);
            let written = bind_guard(query, read_version, Some(slot))
                .execute(&mut *tx)
                .await
                .map_err(query_error("saving an alert rule state"))?
                .rows_affected();
            if written == 0 {
                tx.rollback()
                    .await
                    .map_err(query_error("dropping a concurrent alert evaluation"))?;
                return Ok(false);
            }
            if let Some(cursor) = cursor {
                sqlx::query(&move_cursor)
                    .bind(workspace)
                    .bind(rule)
                    .bind(cursor.order.as_str())
                    .bind(cursor.position)
                    .execute(&mut *tx)
                    .await
                    .map_err(query_error("moving a survey rule's cursor"))?;
            }
            for message in messages {
                bind_message(sqlx::query_scalar::<_, i64>(&insert_outbox), message, now)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(query_error("queueing an alert"))?;
            }
            tx.commit()
                .await
                .map_err(query_error("committing an alert evaluation"))?;
            Ok(true)
        })
    }

    /// Acknowledges the current episode of `rule` for `by` at `at`: its reminders stop (the
    /// next episode starts unacknowledged). `false` when the rule is not firing.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn acknowledge_rule(
        &self,
        workspace: &str,
        rule: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = self.text(ACKNOWLEDGE);
        on_backend!(self, |pool, _sql| {
            sqlx::query(&sql)
                .bind(workspace)
                .bind(rule)
                .bind(by)
                .bind(at.timestamp())
                .execute(pool)
                .await
                .map(|done| done.rows_affected() > 0)
                .map_err(query_error("acknowledging an alert"))
        })
    }

    /// Suppresses `rule`'s messages until `until` (`None`: lifts the snooze). The engine
    /// keeps tracking meanwhile.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn snooze_rule(
        &self,
        workspace: &str,
        rule: &str,
        until: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let sql = self.text(SNOOZE);
        on_backend!(self, |pool, _sql| {
            sqlx::query(&sql)
                .bind(workspace)
                .bind(rule)
                .bind(until.map(|t| t.timestamp()))
                .execute(pool)
                .await
                .map(drop)
                .map_err(query_error("snoozing an alert rule"))
        })
    }
}
