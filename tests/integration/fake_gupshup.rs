//! A local fake of Gupshup's wallet APIs speaking the real bodies of
//! shared/reference/gupshup.md, scriptable per request (status, body, content type, delay).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body, sent as is.
    pub body: String,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            body: body.into(),
            content_type: "application/json",
            delay: Duration::ZERO,
        }
    }

    /// A plain-text answer.
    pub fn text(status: u16, body: &str) -> Answer {
        Answer {
            content_type: "text/plain",
            ..Answer::json(status, body)
        }
    }

    /// The same answer, late.
    pub fn delayed(self, delay: Duration) -> Answer {
        Answer { delay, ..self }
    }

    /// A self-serve balance.
    pub fn balance(amount: f64) -> Answer {
        Answer::json(
            200,
            &format!(r#"{{"balance":{amount},"status":"success"}}"#),
        )
    }
}

/// The scenarios of shared/reference/gupshup.md §2, in order.
pub mod scenarios {
    pub const SELF_SERVE_ABOVE: &str = r#"{"balance":41.938,"status":"success"}"#;
    pub const SELF_SERVE_BELOW: &str = r#"{"balance":0.787,"status":"success"}"#;
    pub const PARTNER_NEGATIVE: &str = r#"{"status":"success","walletResponse":{"currency":"USD","currentBalance":-1.787,"overDraftLimit":-20.0}}"#;
    pub const PARTNER_NO_STATUS: &str =
        r#"{"walletResponse":{"currency":"USD","currentBalance":120.5,"overDraftLimit":0}}"#;
    pub const BAD_KEY_TEXT: &str = "Portal User Not Found With APIKey";
    pub const PARTNER_UNAUTHORIZED: &str = r#"{"status":"error","message":"Unauthorized Access"}"#;
    pub const TOO_MANY: &str = r#"{"status":"error","message":"Too Many Requests"}"#;
    pub const SERVER_ERROR: &str = r#"{"status":"error","message":"Internal Server Error"}"#;
    pub const PARTNER_INR: &str = r#"{"status":"success","walletResponse":{"currency":"INR","currentBalance":900,"overDraftLimit":0}}"#;
}

/// A request the fake received.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Method.
    pub method: Method,
    /// Path.
    pub path: String,
    /// Headers.
    pub headers: HeaderMap,
    /// Body text.
    pub body: String,
}

#[derive(Default)]
struct FakeState {
    wallet: VecDeque<Answer>,
    fallback: Option<Answer>,
    seen: Vec<Seen>,
}

type Shared = Arc<Mutex<FakeState>>;

/// A running fake.
pub struct FakeGupshup {
    /// `http://127.0.0.1:PORT`, for `gupshup.base_url` and `gupshup.partner_base_url`.
    pub base: String,
    state: Shared,
}

async fn serve(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let answer = {
        let mut state = state.lock().unwrap();
        state.seen.push(Seen {
            method: method.clone(),
            path: path.clone(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        if path == "/partner/account/login" {
            Answer::json(
                200,
                r#"{"token":"partner-token-123","enableWallet":true,"enableInrWallet":false}"#,
            )
        } else if path.starts_with("/partner/app/") && path.ends_with("/token/") {
            Answer::json(200, r#"{"token":{"token":"app-token-456"}}"#)
        } else if path.ends_with("/wallet/balance") {
            match state.wallet.pop_front().or_else(|| state.fallback.clone()) {
                Some(answer) => answer,
                None => Answer::json(200, scenarios::SELF_SERVE_ABOVE),
            }
        } else {
            Answer::text(404, "Not Found")
        }
    };
    tokio::time::sleep(answer.delay).await;
    let mut response = (StatusCode::from_u16(answer.status).unwrap(), answer.body).into_response();
    response
        .headers_mut()
        .insert("content-type", answer.content_type.parse().unwrap());
    response
}

impl FakeGupshup {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> FakeGupshup {
        let state: Shared = Arc::default();
        let app = Router::new().fallback(serve).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeGupshup { base, state }
    }

    /// Queues answers for the next wallet-balance calls.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.state.lock().unwrap().wallet.extend(answers);
    }

    /// The answer once the script is used up.
    pub fn always(&self, answer: Answer) {
        self.state.lock().unwrap().fallback = Some(answer);
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }
}
