//! Durable delivery: messages written to the outbox (in the same transaction as the claim
//! that produced them) are sent by [`deliver_due`], with retries and exponential backoff,
//! honouring Discord's `retry_after`. Delivery is at least once; Discord's `nonce` +
//! `enforce_nonce` turns a re-send after a crash into a no-op.

mod sender;
mod wait;

use std::time::Duration;

use chrono::{DateTime, Utc};

pub use sender::{ConsoleSender, DISCORD_API, DiscordSender, SendError, Sender, nonce};
pub use wait::{Delivered, WaitError, deliver_and_wait};

use crate::store::{Store, StoreError};

/// Messages leased per round.
pub const BATCH: i64 = 10;
/// How long a leased message is reserved for its worker; after that another may retry it.
/// Kept under Discord's nonce window ("the past few minutes").
pub const LEASE_SECS: i64 = 120;
/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 12;
/// First retry delay; doubles per attempt.
pub const BASE_BACKOFF: Duration = Duration::from_secs(5);
/// Longest delay between attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages delivered.
    pub sent: u32,
    /// Messages that will be tried again.
    pub retried: u32,
    /// Messages given up on.
    pub failed: u32,
}

/// The delay before attempt `attempts + 1`: exponential from [`BASE_BACKOFF`], capped at
/// [`MAX_BACKOFF`], and never sooner than Discord's `retry_after`.
pub fn backoff(attempts: i64, retry_after: Option<Duration>) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let exponential = BASE_BACKOFF
        .saturating_mul(2_u32.saturating_pow(exponent))
        .min(MAX_BACKOFF);
    retry_after.map_or(exponential, |after| after.max(exponential))
}

/// Sends every message due at `now`, one round of up to [`BATCH`].
///
/// # Errors
/// [`StoreError`] when the outbox cannot be read or updated; send failures are recorded on
/// the message instead.
pub async fn deliver_due(
    store: &Store,
    sender: &Sender,
    now: DateTime<Utc>,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    let epoch = now.timestamp();
    for message in store.lease_due(epoch, BATCH, LEASE_SECS).await? {
        let sent = match edit_target(store, &message).await? {
            Ok(target) => sender.send(&message, target.as_deref()).await,
            Err(error) => Err(error),
        };
        match sent {
            Ok(message_id) => {
                store.mark_sent(message.id, &message_id, epoch).await?;
                count(&message.kind, "sent");
                tracing::info!(id = message.id, kind = %message.kind, workspace = %message.workspace, %message_id, "delivered");
                report.sent += 1;
            }
            Err(SendError::Retry { reason, after }) if message.attempts < MAX_ATTEMPTS => {
                let delay = backoff(message.attempts, after);
                let next = epoch
                    + i64::try_from(delay.as_secs_f64().ceil() as u64).unwrap_or(i64::MAX / 2);
                tracing::warn!(id = message.id, attempts = message.attempts, retry_in_s = delay.as_secs_f64(), %reason, "delivery failed; will retry");
                store.mark_retry(message.id, &reason, next).await?;
                count(&message.kind, "retried");
                report.retried += 1;
            }
            Err(error) => {
                tracing::error!(id = message.id, kind = %message.kind, workspace = %message.workspace, attempts = message.attempts, %error, "delivery failed for good");
                store
                    .mark_failed(message.id, &error.to_string(), epoch)
                    .await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// For an edit, the message id of the message it edits: `Ok(None)` for a plain message; a
/// retry while the edited message is not delivered yet; a permanent error when it never
/// will be.
async fn edit_target(
    store: &Store,
    message: &crate::store::OutboxRow,
) -> Result<Result<Option<String>, SendError>, StoreError> {
    let Some(edits) = &message.edits else {
        return Ok(Ok(None));
    };
    Ok(match store.outbox_status(edits).await? {
        Some(status) if status.status == "sent" => match status.message_id {
            Some(id) => Ok(Some(id)),
            None => Err(SendError::Permanent(format!(
                "{edits} was sent without an id"
            ))),
        },
        Some(status) if status.status == "pending" => Err(SendError::Retry {
            reason: format!("waits for {edits} to be delivered first"),
            after: None,
        }),
        _ => Err(SendError::Permanent(format!(
            "{edits}, the message to edit, was never delivered"
        ))),
    })
}

fn count(kind: &str, outcome: &'static str) {
    metrics::counter!(crate::telemetry::OUTBOX_DELIVERIES_TOTAL, "kind" => kind.to_string(), "outcome" => outcome)
        .increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_respects_retry_after() {
        assert_eq!(backoff(1, None), Duration::from_secs(5));
        assert_eq!(backoff(2, None), Duration::from_secs(10));
        assert_eq!(backoff(30, None), MAX_BACKOFF);
        assert_eq!(
            backoff(1, Some(Duration::from_secs(30))),
            Duration::from_secs(30)
        );
        assert_eq!(
            backoff(3, Some(Duration::from_millis(500))),
            Duration::from_secs(20)
        );
    }
}
