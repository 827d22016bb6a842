//! Delivering a few known messages now and waiting for Discord to have them: what the
//! one-shot commands (`pulso digest --post`, `pulso balance --check`) do instead of leaving
//! their messages for the running bot.

use std::time::{Duration, Instant};

use super::{Sender, deliver_due};
use crate::clock::Clock;
use crate::store::{Store, StoreError};

/// How often the wait looks again at messages not yet delivered (retries are due later).
const POLL_EVERY: Duration = Duration::from_secs(1);

/// One message that was delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The message's dedupe key.
    pub dedupe_key: String,
    /// The id the destination gave it (Discord's message id; `console` on the terminal).
    pub message_id: String,
}

/// Why waiting for delivery ended without every message delivered.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    /// The outbox could not be read or updated.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The destination refused a message for good.
    #[error("the destination refused {dedupe_key}: {reason}")]
    Refused {
        /// The refused message.
        dedupe_key: String,
        /// What it said.
        reason: String,
    },
    /// Some messages were still waiting (e.g. Discord kept answering 429) at the deadline;
    /// they stay in the outbox for the running bot.
    #[error(
        "{} message(s) still wait in the outbox after {} s; the running bot will deliver them",
        waiting.len(),
        after.as_secs()
    )]
    StillWaiting {
        /// Their dedupe keys.
        waiting: Vec<String>,
        /// How long was waited.
        after: Duration,
    },
}

/// Runs delivery rounds until every message of `keys` is sent, one is refused, or `limit`
/// has passed. Other due messages are delivered along the way, as the bot's tick would.
///
/// # Errors
/// [`WaitError`]; messages not delivered stay in the outbox.
pub async fn deliver_and_wait(
    store: &Store,
    sender: &Sender,
    clock: &dyn Clock,
    keys: &[String],
    limit: Duration,
) -> Result<Vec<Delivered>, WaitError> {
    let deadline = Instant::now() + limit;
    let mut waiting = keys.to_vec();
    let mut delivered = Vec::with_capacity(keys.len());
    while !waiting.is_empty() {
        deliver_due(store, sender, clock.now()).await?;
        let mut still = Vec::new();
        for dedupe_key in waiting {
            match store.outbox_status(&dedupe_key).await? {
                Some(status) if status.status == "sent" => delivered.push(Delivered {
                    dedupe_key,
                    message_id: status.message_id.unwrap_or_default(),
                }),
                Some(status) if status.status == "failed" => {
                    return Err(WaitError::Refused {
                        dedupe_key,
                        reason: status.last_error.unwrap_or_default(),
                    });
                }
                _ => still.push(dedupe_key),
            }
        }
        waiting = still;
        if waiting.is_empty() {
            break;
        }
        if Instant::now() > deadline {
            return Err(WaitError::StillWaiting {
                waiting,
                after: limit,
            });
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
    Ok(delivered)
}
