//! SQL for pulso's own scheduling tables: the outbox, digest claims and schedule cursors.
//!
//! Statements are written once with PostgreSQL's `$N` placeholders; SQLite runs the same
//! text with `?N`. Only the lease differs: PostgreSQL adds `FOR UPDATE SKIP LOCKED` so
//! several replicas can deliver side by side, SQLite has one process.

use std::borrow::Cow;

use super::{Pool, Store, StoreError, query_error};
use crate::domain::Destination;

/// A message to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// Unique per logical message (e.g. `digest:default:0 9 * * *:1767950400`); a second
    /// enqueue with the same key is ignored, and Discord's nonce is derived from it.
    pub dedupe_key: String,
    /// Workspace it belongs to.
    pub workspace: String,
    /// `digest`, `alert`, …
    pub kind: String,
    /// Where it goes.
    pub destination: Destination,
    /// What to say: pulso's reply model as JSON ([`MessageFormat::Reply`]), rendered for
    /// the destination only when it is delivered.
    pub payload: String,
    /// An attached file: name and bytes.
    pub attachment: Option<(String, Vec<u8>)>,
    /// The dedupe key of an earlier message this one edits instead of posting anew.
    pub edits: Option<String>,
}

/// How a stored payload is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageFormat {
    /// pulso's transport-neutral reply model as JSON: every message queued since the
    /// outbox stores destinations.
    Reply,
    /// Discord's create-message body: rows queued by pulso before that upgrade, still
    /// delivered after it.
    DiscordMessage,
}

impl MessageFormat {
    fn parse(text: &str) -> Option<MessageFormat> {
        match text {
            "reply" => Some(MessageFormat::Reply),
            "discord-message" => Some(MessageFormat::DiscordMessage),
            _ => None,
        }
    }
}

/// A message leased for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// Row id.
    pub id: i64,
    /// See [`NewMessage::dedupe_key`].
    pub dedupe_key: String,
    /// Workspace.
    pub workspace: String,
    /// Kind.
    pub kind: String,
    /// Where it goes; `None` when the stored text is not one pulso writes (edited by
    /// hand): delivery then fails the message for good instead of guessing.
    pub destination: Option<Destination>,
    /// How `payload` is written; `None` likewise.
    pub format: Option<MessageFormat>,
    /// What to say.
    pub payload: String,
    /// Attachment file name.
    pub attachment_name: Option<String>,
    /// Attachment bytes.
    pub attachment: Option<Vec<u8>>,
    /// Delivery attempts so far, this one included.
    pub attempts: i64,
    /// The dedupe key of the message it edits, if it is an edit.
    pub edits: Option<String>,
}

/// `id, dedupe_key, workspace, kind, destination, format, payload, attachment_name,
/// attachment, attempts, edits` as both backends return them.
type LeasedRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<Vec<u8>>,
    i64,
    Option<String>,
);

fn outbox_row(row: LeasedRow) -> OutboxRow {
    let (
        id,
        dedupe_key,
        workspace,
        kind,
        destination,
        format,
        payload,
        name,
        bytes,
        attempts,
        edits,
    ) = row;
    OutboxRow {
        id,
        dedupe_key,
        workspace,
        kind,
        destination: Destination::from_storage_key(&destination),
        format: MessageFormat::parse(&format),
        payload,
        attachment_name: name,
        attachment: bytes,
        attempts,
        edits,
    }
}

/// Where a message stands, by its dedupe key: a message's stable identity, so a later step
/// can find the delivered message (e.g. to edit it in place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxStatus {
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// The last delivery error, for operators.
    pub last_error: Option<String>,
    /// The id the destination gave the delivered message (Discord's message id).
    pub message_id: Option<String>,
    /// Where it went (or goes); `None` as in [`OutboxRow::destination`].
    pub destination: Option<Destination>,
}

pub(super) const INSERT_OUTBOX: &str = "INSERT INTO outbox (dedupe_key, workspace, kind, destination, format, \
     payload, attachment_name, attachment, next_attempt_at, created_at, edits) \
     VALUES ($1, $2, $3, $4, 'reply', $5, $6, $7, $8, $8, $9) \
     ON CONFLICT (dedupe_key) DO NOTHING RETURNING id";
const LEASE_POSTGRES: &str = "UPDATE outbox SET locked_until = $1 + $3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
     AND (locked_until IS NULL OR locked_until <= $1) ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) \
     RETURNING id, dedupe_key, workspace, kind, destination, format, payload, attachment_name, attachment, attempts, edits";
const LEASE_SQLITE: &str = "UPDATE outbox SET locked_until = ?1 + ?3, attempts = attempts + 1 \
     WHERE id IN (SELECT id FROM outbox INDEXED BY outbox_due WHERE status = 'pending' AND next_attempt_at <= ?1 \
     AND (locked_until IS NULL OR locked_until <= ?1) ORDER BY id LIMIT ?2) \
     RETURNING id, dedupe_key, workspace, kind, destination, format, payload, attachment_name, attachment, attempts, edits";

impl Store {
    pub(super) fn text(&self, postgres: &'static str) -> Cow<'static, str> {
        match self.pool() {
            Pool::Postgres(_) => Cow::Borrowed(postgres),
            Pool::Sqlite(_) => Cow::Owned(postgres.replace('$', "?")),
        }
    }

    /// Puts a message in the outbox unless one with the same key is there; returns its id
    /// when it was added.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn enqueue(&self, message: &NewMessage, now: i64) -> Result<Option<i64>, StoreError> {
        let sql = self.text(INSERT_OUTBOX);
        on_backend!(self, |pool, _sql| {
            bind_message(sqlx::query_scalar::<_, i64>(&sql), message, now)
                .fetch_optional(pool)
                .await
                .map_err(query_error("adding a message to the outbox"))
        })
    }

    /// Leases up to `limit` due messages for `lease_secs`: other workers skip them until the
    /// lease ends, and a crashed worker's messages come back after it.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn lease_due(
        &self,
        now: i64,
        limit: i64,
        lease_secs: i64,
    ) -> Result<Vec<OutboxRow>, StoreError> {
        let statement = match self.pool() {
            Pool::Postgres(_) => LEASE_POSTGRES,
            Pool::Sqlite(_) => LEASE_SQLITE,
        };
        let rows: Vec<LeasedRow> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(statement)
                .bind(now)
                .bind(limit)
                .bind(lease_secs)
                .fetch_all(pool)
                .await
                .map_err(query_error("leasing outbox messages"))?
        });
        Ok(rows.into_iter().map(outbox_row).collect())
    }

    /// Records a delivered message and Discord's id for it.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn mark_sent(&self, id: i64, message_id: &str, now: i64) -> Result<(), StoreError> {
        let sql = self.text(
            "UPDATE outbox SET status = 'sent', message_id = $2, sent_at = $3, locked_until = NULL, last_error = NULL WHERE id = $1",
        );
        self.update_outbox(&sql, id, message_id, now).await
    }

    /// Schedules another attempt at `next_attempt_at`, keeping the error for operators.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn mark_retry(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: i64,
    ) -> Result<(), StoreError> {
        let sql = self.text(
            "UPDATE outbox SET last_error = $2, next_attempt_at = $3, locked_until = NULL WHERE id = $1",
        );
        self.update_outbox(&sql, id, error, next_attempt_at).await
    }

    /// Gives up on a message (permanent error or too many attempts).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn mark_failed(&self, id: i64, error: &str, now: i64) -> Result<(), StoreError> {
        let sql = self.text(
            "UPDATE outbox SET status = 'failed', last_error = $2, sent_at = $3, locked_until = NULL WHERE id = $1",
        );
        self.update_outbox(&sql, id, error, now).await
    }

    async fn update_outbox(
        &self,
        sql: &str,
        id: i64,
        text: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool, _sql| {
            sqlx::query(sql)
                .bind(id)
                .bind(text)
                .bind(at)
                .execute(pool)
                .await
                .map(drop)
                .map_err(query_error("updating an outbox message"))
        })
    }

    /// Where the message with `dedupe_key` stands; `None` when no such message was queued.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn outbox_status(
        &self,
        dedupe_key: &str,
    ) -> Result<Option<OutboxStatus>, StoreError> {
        let sql = self.text(
            "SELECT status, last_error, message_id, destination FROM outbox WHERE dedupe_key = $1",
        );
        let row: Option<(String, Option<String>, Option<String>, String)> =
            on_backend!(self, |pool, _sql| {
                sqlx::query_as(&sql)
                    .bind(dedupe_key)
                    .fetch_optional(pool)
                    .await
                    .map_err(query_error("reading an outbox message"))?
            });
        Ok(row.map(
            |(status, last_error, message_id, destination)| OutboxStatus {
                status,
                last_error,
                message_id,
                destination: Destination::from_storage_key(&destination),
            },
        ))
    }

    /// `(status, count)` of outbox messages, for operators and metrics.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        on_backend!(self, |pool, _sql| {
            sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status")
                .fetch_all(pool)
                .await
                .map_err(query_error("counting outbox messages"))
        })
    }
}

pub(super) fn bind_message<'q, DB, O>(
    query: sqlx::query::QueryScalar<'q, DB, O, <DB as sqlx::Database>::Arguments<'q>>,
    message: &'q NewMessage,
    now: i64,
) -> sqlx::query::QueryScalar<'q, DB, O, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<Vec<u8>>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let (name, bytes) = match &message.attachment {
        Some((name, bytes)) => (Some(name.clone()), Some(bytes.clone())),
        None => (None, None),
    };
    query
        .bind(message.dedupe_key.clone())
        .bind(message.workspace.clone())
        .bind(message.kind.clone())
        .bind(message.destination.storage_key())
        .bind(message.payload.clone())
        .bind(name)
        .bind(bytes)
        .bind(now)
        .bind(message.edits.clone())
}
