//! Where outbox messages go: Discord's REST API, or the terminal in console mode.
//!
//! A stored message is what to say (the reply model) and where; each sender renders it for
//! its platform only now, at delivery, and fits it to that platform's limits.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::domain::Destination;
use crate::render::{Reply, discord};
use crate::store::{MessageFormat, OutboxRow};

/// Every request to Discord gives up after this long (then it is retried later).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Discord's API base when none is configured.
pub const DISCORD_API: &str = "https://discord.com";

/// Why a send failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// Rate limits, server errors, timeouts: try again, not before `after` when given.
    #[error("{reason}")]
    Retry {
        /// What happened.
        reason: String,
        /// Discord's `retry_after`.
        after: Option<Duration>,
    },
    /// The request itself is wrong (bad channel, missing permission, bad token): retrying
    /// would only repeat the error.
    #[error("{0}")]
    Permanent(String),
}

/// A destination for outbox messages.
#[derive(Clone)]
pub enum Sender {
    /// Discord's create-message endpoint.
    Discord(DiscordSender),
    /// Prints messages; for the console transport and `pulso digest --print`.
    Console(ConsoleSender),
}

impl Sender {
    /// Sends one message, or with `edits` (the id of the delivered message it edits)
    /// edits that message in place; returns the id of the message.
    ///
    /// # Errors
    /// [`SendError`].
    pub async fn send(
        &self,
        message: &OutboxRow,
        edits: Option<&str>,
    ) -> Result<String, SendError> {
        match self {
            Sender::Discord(discord) => discord.send(message, edits).await,
            Sender::Console(console) => console.send(message, edits),
        }
    }
}

/// Posts to `POST /api/v10/channels/{id}/messages` with `nonce` + `enforce_nonce`, so a
/// message re-sent after a crash (same dedupe key) is not posted twice.
#[derive(Clone)]
pub struct DiscordSender {
    client: reqwest::Client,
    base: String,
    token: Arc<SecretString>,
}

impl DiscordSender {
    /// A sender for `base` (e.g. <https://discord.com>) authenticated with the bot `token`.
    ///
    /// # Errors
    /// When the HTTP client cannot be built (TLS setup).
    pub fn new(base: &str, token: SecretString) -> Result<DiscordSender, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        Ok(DiscordSender {
            client,
            base: base.trim_end_matches('/').to_string(),
            token: Arc::new(token),
        })
    }

    async fn send(&self, message: &OutboxRow, edits: Option<&str>) -> Result<String, SendError> {
        let channel_id = match message.destination {
            Some(Destination::DiscordChannel { channel_id }) => channel_id,
            Some(Destination::Console) => {
                return Err(SendError::Permanent(
                    "queued for the console, but this pulso delivers to Discord".into(),
                ));
            }
            None => return Err(SendError::Permanent("unknown destination".into())),
        };
        let mut body: Value = serde_json::from_str(&discord::message_payload(stored_reply(
            message,
        )?))
        .map_err(|error| SendError::Permanent(format!("cannot render the message: {error}")))?;
        let url = format!("{}/api/v10/channels/{channel_id}/messages", self.base);
        let request = match edits {
            // An edit replaces the content, embeds and components it sends; an edit sent
            // twice leaves the same message, so it needs no nonce.
            Some(id) => self.client.patch(format!("{url}/{id}")),
            None => {
                body["nonce"] = Value::String(nonce(&message.dedupe_key));
                body["enforce_nonce"] = Value::Bool(true);
                self.client.post(&url)
            }
        };
        let request = request.header(
            "authorization",
            format!("Bot {}", self.token.expose_secret()),
        );
        let request = match (&message.attachment_name, &message.attachment) {
            (Some(name), Some(bytes)) => {
                body["attachments"] = serde_json::json!([{ "id": 0, "filename": name }]);
                let file = reqwest::multipart::Part::bytes(bytes.clone())
                    .file_name(name.clone())
                    .mime_str("image/png")
                    .map_err(|error| SendError::Permanent(error.to_string()))?;
                let form = reqwest::multipart::Form::new()
                    .text("payload_json", body.to_string())
                    .part("files[0]", file);
                request.multipart(form)
            }
            _ => request.json(&body),
        };
        let response = request.send().await.map_err(|error| SendError::Retry {
            // reqwest errors carry the URL, never the token.
            reason: format!("could not reach Discord: {error}"),
            after: None,
        })?;
        let status = response.status();
        let header_retry = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<f64>().ok());
        let text = response.text().await.unwrap_or_default();
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if status.is_success() {
            return json["id"]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| SendError::Retry {
                    reason: "Discord answered without a message id".into(),
                    after: None,
                });
        }
        let detail = json["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| text.chars().take(200).collect());
        if status == StatusCode::TOO_MANY_REQUESTS {
            let after = json["retry_after"]
                .as_f64()
                .or(header_retry)
                .filter(|s| s.is_finite() && *s >= 0.0);
            return Err(SendError::Retry {
                reason: format!("rate limited by Discord (429): {detail}"),
                after: after.map(Duration::from_secs_f64),
            });
        }
        if status.is_server_error() {
            return Err(SendError::Retry {
                reason: format!("Discord error {status}: {detail}"),
                after: None,
            });
        }
        Err(SendError::Permanent(format!(
            "Discord refused the message ({status}): {detail}"
        )))
    }
}

/// The reply a stored message says, whichever way it was stored.
fn stored_reply(message: &OutboxRow) -> Result<Reply, SendError> {
    let unreadable = |error: serde_json::Error| {
        SendError::Permanent(format!("stored payload cannot be read: {error}"))
    };
    match message.format {
        Some(MessageFormat::Reply) => Reply::from_stored(&message.payload).map_err(unreadable),
        Some(MessageFormat::DiscordMessage) => serde_json::from_str(&message.payload)
            .map(|body: Value| discord::reply_from_message_payload(&body))
            .map_err(unreadable),
        None => Err(SendError::Permanent("unknown payload format".into())),
    }
}

/// Discord's nonce (at most 25 characters) for a dedupe key: the same key always gives the
/// same nonce, across processes and versions (FNV-1a, not std's unstable hasher).
pub fn nonce(dedupe_key: &str) -> String {
    let hash = dedupe_key
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    format!("pulso{hash:016x}")
}

/// Writes messages as text, with the attachment saved next to it.
#[derive(Clone)]
pub struct ConsoleSender {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
    attachments_dir: std::path::PathBuf,
}

impl ConsoleSender {
    /// Prints to `out`; attachments are written under `attachments_dir`.
    pub fn new(
        out: Box<dyn Write + Send>,
        attachments_dir: impl Into<std::path::PathBuf>,
    ) -> ConsoleSender {
        ConsoleSender {
            out: Arc::new(Mutex::new(out)),
            attachments_dir: attachments_dir.into(),
        }
    }

    fn send(&self, message: &OutboxRow, edits: Option<&str>) -> Result<String, SendError> {
        let reply = stored_reply(message)?;
        let to = match message.destination {
            Some(Destination::DiscordChannel { channel_id }) => format!(" (channel {channel_id})"),
            _ => String::new(),
        };
        let edit = edits.map_or(String::new(), |id| format!(", editing {id}"));
        let mut text = format!(
            "\n--- {} for {}{to}{edit} ---\n",
            message.kind, message.workspace
        );
        text.push_str(&reply.to_text());
        if let (Some(name), Some(bytes)) = (&message.attachment_name, &message.attachment) {
            let path = self.attachments_dir.join(name);
            std::fs::create_dir_all(&self.attachments_dir)
                .and_then(|()| std::fs::write(&path, bytes))
                .map_err(|error| SendError::Retry {
                    reason: format!("{}: {error}", path.display()),
                    after: None,
                })?;
            text.push_str(&format!("  [chart] {}\n", path.display()));
        }
        let mut out = self
            .out
            .lock()
            .map_err(|_| SendError::Permanent("console output poisoned".into()))?;
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|error| SendError::Retry {
                reason: error.to_string(),
                after: None,
            })?;
        Ok(edits.map_or_else(|| format!("console-{}", message.id), str::to_string))
    }
}

#[cfg(test)]
mod tests {
    use super::nonce;

    #[test]
    fn nonce_is_stable_and_fits_discord() {
        let first = nonce("digest:default:0 9 * * *:1767950400");
        assert_eq!(first, nonce("digest:default:0 9 * * *:1767950400"));
        assert_ne!(first, nonce("digest:default:0 9 * * *:1768036800"));
        assert!(first.len() <= 25);
    }
}
