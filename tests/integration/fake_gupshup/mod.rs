//! A local fake of Gupshup's wallet and WhatsApp health APIs speaking the real bodies of
//! shared/reference/gupshup.md and gupshup-health.md, scriptable per endpoint and request
//! (status, body, content type, delay).

use std::collections::{HashMap, VecDeque};
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

pub mod scenarios;

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

/// An endpoint with its own script; the partner login and app-token endpoints always
/// succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// Both wallet-balance paths (self-serve and partner).
    Wallet,
    /// `/partner/app/{id}/health`.
    Health,
    /// `/partner/app/{id}/waba/info`.
    WabaInfo,
    /// `/partner/app/{id}/ratings`.
    Ratings,
    /// `/partner/app/{id}/templates`.
    Templates,
    /// `/wa/app/{id}/template` (self-serve).
    SelfServeTemplates,
}

impl Endpoint {
    /// The endpoint a request path belongs to.
    fn of(path: &str) -> Option<Endpoint> {
        if path.ends_with("/wallet/balance") {
            return Some(Endpoint::Wallet);
        }
        if let Some(rest) = path.strip_prefix("/wa/app/") {
            return rest
                .ends_with("/template")
                .then_some(Endpoint::SelfServeTemplates);
        }
        let rest = path.strip_prefix("/partner/app/")?;
        let (_app, endpoint) = rest.split_once('/')?;
        match endpoint {
            "health" => Some(Endpoint::Health),
            "waba/info" => Some(Endpoint::WabaInfo),
            "ratings" => Some(Endpoint::Ratings),
            "templates" => Some(Endpoint::Templates),
            _ => None,
        }
    }

    /// The answer when nothing is scripted: a wallet above the threshold, a healthy app,
    /// an AVAILABLE account, no new ratings event, every template approved.
    pub fn default_answer(self) -> Answer {
        Answer::json(
            200,
            match self {
                Endpoint::Wallet => scenarios::SELF_SERVE_ABOVE,
                Endpoint::Health => scenarios::HEALTH_TRUE,
                Endpoint::WabaInfo => scenarios::WABA_AVAILABLE,
                Endpoint::Ratings => scenarios::RATINGS_NO_EVENT,
                Endpoint::Templates | Endpoint::SelfServeTemplates => {
                    scenarios::TEMPLATES_ALL_APPROVED
                }
            },
        )
    }
}

/// One endpoint's script and its answer once the script is used up.
#[derive(Default)]
struct Queue {
    script: VecDeque<Answer>,
    fallback: Option<Answer>,
}

#[derive(Default)]
struct FakeState {
    queues: HashMap<Endpoint, Queue>,
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
        } else if let Some(endpoint) = Endpoint::of(&path) {
            let queue = state.queues.entry(endpoint).or_default();
            queue
                .script
                .pop_front()
                .or_else(|| queue.fallback.clone())
                .unwrap_or_else(|| endpoint.default_answer())
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
        self.script_for(Endpoint::Wallet, answers);
    }

    /// The wallet's answer once its script is used up.
    pub fn always(&self, answer: Answer) {
        self.always_for(Endpoint::Wallet, answer);
    }

    /// Queues answers for the next calls of `endpoint`.
    pub fn script_for(&self, endpoint: Endpoint, answers: impl IntoIterator<Item = Answer>) {
        let mut state = self.state.lock().unwrap();
        state
            .queues
            .entry(endpoint)
            .or_default()
            .script
            .extend(answers);
    }

    /// The answer of `endpoint` once its script is used up.
    pub fn always_for(&self, endpoint: Endpoint, answer: Answer) {
        let mut state = self.state.lock().unwrap();
        state.queues.entry(endpoint).or_default().fallback = Some(answer);
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// The requests `endpoint` has answered so far.
    pub fn seen_at(&self, endpoint: Endpoint) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|seen| Endpoint::of(&seen.path) == Some(endpoint))
            .collect()
    }
}
