//! A local fake of Discord's REST API: records every request and answers in Discord's wire
//! format (see shared/reference/discord.md §1.2), so serenity's real client can be pointed
//! at it with `api_base`.

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
}

/// A running fake.
pub struct FakeDiscord {
    /// `http://127.0.0.1:PORT`, for `[discord] api_base`.
    pub base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
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

async fn record(
    State(requests): State<Arc<Mutex<Vec<Recorded>>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    requests.lock().unwrap().push(Recorded {
        method: method.clone(),
        path: path.clone(),
        headers,
        body: json,
    });
    match method {
        Method::DELETE => StatusCode::NO_CONTENT.into_response(),
        Method::PUT if path.ends_with("/commands") => {
            axum::Json(serde_json::json!([])).into_response()
        }
        _ => axum::Json(message_json()).into_response(),
    }
}

impl FakeDiscord {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> FakeDiscord {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new().fallback(record).with_state(requests.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeDiscord { base, requests }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
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
