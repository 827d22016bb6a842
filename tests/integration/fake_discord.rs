//! A local fake of Discord's REST API: records every request and answers in Discord's wire
//! format (see shared/reference/discord.md §1.2), so serenity's real client can be pointed
//! at it with `api_base`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: Method,
    /// Path, e.g. `/api/v10/webhooks/42/tok/messages/@original`.
    pub path: String,
    /// Headers.
    pub headers: HeaderMap,
    /// The JSON body, or `Null`.
    pub body: Value,
    /// Name of the attached file of a multipart body, if any.
    pub attachment: Option<String>,
}

/// A message the fake "posted" in a channel.
#[derive(Debug, Clone)]
pub struct Posted {
    /// Channel id.
    pub channel: String,
    /// Message id the fake gave it.
    pub id: String,
    /// The create-message body (from JSON or the multipart `payload_json`).
    pub body: Value,
    /// Name of the attached file, if any.
    pub attachment: Option<String>,
}

#[derive(Default)]
struct FakeState {
    requests: Vec<Recorded>,
    /// Answers for the next create-message calls: `(status, JSON body)`.
    script: VecDeque<(u16, Value)>,
    posted: Vec<Posted>,
    /// Nonce → message id, for `enforce_nonce` (Discord returns the existing message).
    nonces: HashMap<String, String>,
    /// What `GET /gateway` answers as the websocket URL, once a test set it.
    gateway: Option<String>,
}

type Shared = Arc<Mutex<FakeState>>;

/// A running fake.
pub struct FakeDiscord {
    /// `http://127.0.0.1:PORT`, for `[discord] api_base`.
    pub base: String,
    state: Shared,
}

/// A minimal message object that serenity deserializes.
pub fn message_json() -> Value {
    serde_json::json!({
        "id": "2", "channel_id": "1",
        "author": {"id": "3", "username": "pulso", "global_name": null, "avatar": null},
        "content": "", "timestamp": "2026-01-01T00:00:00Z", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": false, "type": 0
    })
}

/// The `payload_json` part and the first file name of a multipart body.
fn multipart_payload(body: &[u8]) -> (Value, Option<String>) {
    let text = String::from_utf8_lossy(body);
    let payload = text
        .split("name=\"payload_json\"")
        .nth(1)
        .and_then(|rest| rest.split("\r\n\r\n").nth(1))
        .and_then(|rest| rest.split("\r\n--").next())
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or(Value::Null);
    let file = text
        .split("name=\"files[0]\"; filename=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string);
    (payload, file)
}

async fn record(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let multipart = headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/"));
    let (json, attachment) = if multipart {
        multipart_payload(&body)
    } else {
        (serde_json::from_slice(&body).unwrap_or(Value::Null), None)
    };
    let mut state = state.lock().unwrap();
    state.requests.push(Recorded {
        method: method.clone(),
        path: path.clone(),
        headers,
        body: json.clone(),
        attachment: attachment.clone(),
    });
    let channel = path
        .strip_prefix("/api/v10/channels/")
        .and_then(|rest| rest.strip_suffix("/messages"))
        .map(str::to_string);
    match (&method, channel) {
        (&Method::GET, _) if path == "/api/v10/gateway" || path == "/api/v10/gateway/bot" => {
            let Some(url) = state.gateway.clone() else {
                return StatusCode::NOT_FOUND.into_response();
            };
            axum::Json(serde_json::json!({
                "url": url, "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            }))
            .into_response()
        }
        (&Method::DELETE, _) => StatusCode::NO_CONTENT.into_response(),
        // Editing a channel message: the message back, or Discord's 404 for one it never
        // posted.
        (&Method::PATCH, _) if path.starts_with("/api/v10/channels/") => {
            let id = path.rsplit('/').next().unwrap_or_default().to_string();
            if !state.posted.iter().any(|posted| posted.id == id) {
                let unknown = serde_json::json!({"message": "Unknown Message", "code": 10008});
                return (StatusCode::NOT_FOUND, axum::Json(unknown)).into_response();
            }
            let mut message = message_json();
            message["id"] = Value::String(id);
            axum::Json(message).into_response()
        }
        (&Method::POST, _) if path.ends_with("/callback") => StatusCode::NO_CONTENT.into_response(),
        (&Method::PUT, _) if path.ends_with("/commands") => {
            axum::Json(serde_json::json!([])).into_response()
        }
        (&Method::POST, Some(channel)) => {
            if let Some((status, answer)) = state.script.pop_front() {
                let status = StatusCode::from_u16(status).unwrap();
                let mut response = (status, axum::Json(answer.clone())).into_response();
                if let Some(after) = answer["retry_after"].as_f64() {
                    let value = after.ceil().to_string().parse().unwrap();
                    response.headers_mut().insert("retry-after", value);
                }
                return response;
            }
            let nonce = json["nonce"].as_str().map(str::to_string);
            let enforce = json["enforce_nonce"].as_bool() == Some(true);
            let existing = nonce
                .as_ref()
                .filter(|_| enforce)
                .and_then(|nonce| state.nonces.get(nonce).cloned());
            let mut message = message_json();
            if let Some(existing) = existing {
                message["id"] = Value::String(existing);
                return axum::Json(message).into_response();
            }
            let id = format!("{}", 1000 + state.posted.len());
            if let Some(nonce) = nonce {
                state.nonces.insert(nonce, id.clone());
            }
            state.posted.push(Posted {
                channel,
                id: id.clone(),
                body: json,
                attachment,
            });
            message["id"] = Value::String(id);
            axum::Json(message).into_response()
        }
        _ => axum::Json(message_json()).into_response(),
    }
}

impl FakeDiscord {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> FakeDiscord {
        let state: Shared = Arc::default();
        let app = Router::new().fallback(record).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeDiscord { base, state }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// Messages that appeared in channels (after Discord's nonce deduplication).
    pub fn posted(&self) -> Vec<Posted> {
        self.state.lock().unwrap().posted.clone()
    }

    /// Makes the next create-message calls answer `status` with `body` instead of posting.
    pub fn script(&self, answers: impl IntoIterator<Item = (u16, Value)>) {
        self.state.lock().unwrap().script.extend(answers);
    }

    /// Makes `GET /gateway` (and `/gateway/bot`) send shards to `url`, a fake gateway.
    pub fn use_gateway(&self, url: &str) {
        self.state.lock().unwrap().gateway = Some(url.to_string());
    }

    /// Waits (up to 5 s) until at least `count` requests arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Recorded> {
        for _ in 0..500 {
            let requests = self.requests();
            if requests.len() >= count {
                return requests;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!(
            "the fake Discord got {:?}, expected {count} requests",
            self.requests()
        );
    }
}
