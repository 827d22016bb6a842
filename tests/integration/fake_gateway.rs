//! A local fake of Discord's websocket gateway, enough for serenity 0.12.5's real shard to
//! connect, identify and receive dispatches (see shared/reference/discord.md §1.5): HELLO,
//! IDENTIFY → READY, heartbeats answered with ACKs, then whatever events the test queues;
//! RECONNECT (op 7) on request, and RESUME (op 6) → RESUMED on the next connection.
//! [`crate::fake_discord::FakeDiscord::use_gateway`] points `GET /gateway` here.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

/// Interval the fake asks for in HELLO: short, so a test of a few seconds sees heartbeats.
const HEARTBEAT_INTERVAL_MS: u64 = 1000;

/// What the fake saw from its clients.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// Websocket connections accepted.
    pub connections: usize,
    /// Path and query of each websocket upgrade request, e.g. `/?v=10`.
    pub upgrade_uris: Vec<String>,
    /// The `d` of every IDENTIFY (op 2).
    pub identifies: Vec<Value>,
    /// The `d` of every RESUME (op 6).
    pub resumes: Vec<Value>,
    /// Heartbeats (op 1) received, each answered with an ACK (op 11).
    pub heartbeats: usize,
    /// Dispatches the fake sent, by event name (`READY`, `INTERACTION_CREATE`, …), and
    /// `op 7` for each RECONNECT.
    pub dispatched: Vec<String>,
    /// Close codes of the close frames clients sent.
    pub close_codes: Vec<u16>,
    /// Frames the fake could not understand (text that is not JSON, unexpected opcodes).
    pub unexpected: Vec<String>,
}

/// A running fake gateway.
pub struct FakeGateway {
    /// `ws://127.0.0.1:PORT`, what `GET /gateway` answers; serenity appends `?v=10`.
    pub url: String,
    seen: Arc<Mutex<Seen>>,
    events: mpsc::UnboundedSender<Outgoing>,
}

/// What a test queues for the current session to send.
enum Outgoing {
    /// A dispatch (op 0): event name and payload.
    Dispatch(String, Value),
    /// RECONNECT (op 7): Discord asking the client to resume on a new connection.
    Reconnect,
}

impl FakeGateway {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> FakeGateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Seen::default()));
        let (events, queue) = mpsc::unbounded_channel();
        // One session at a time owns the queue of events to dispatch.
        let queue = Arc::new(tokio::sync::Mutex::new(queue));
        let (state, resume_url) = (seen.clone(), url.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (seen, queue, resume_url) = (state.clone(), queue.clone(), resume_url.clone());
                tokio::spawn(async move { session(stream, seen, queue, resume_url).await });
            }
        });
        FakeGateway { url, seen, events }
    }

    /// Queues a dispatch (op 0) `t` with payload `d` for the identified session.
    pub fn dispatch(&self, event: &str, data: Value) {
        self.events
            .send(Outgoing::Dispatch(event.to_string(), data))
            .unwrap();
    }

    /// Queues a RECONNECT (op 7) for the identified session, as Discord sends before it
    /// moves a session: the client should resume it on a new connection.
    pub fn ask_to_reconnect(&self) {
        self.events.send(Outgoing::Reconnect).unwrap();
    }

    /// A snapshot of what the fake saw so far.
    pub fn seen(&self) -> Seen {
        self.seen.lock().unwrap().clone()
    }

    /// Waits (up to `limit`) until `done` holds for what the fake saw; panics otherwise.
    pub async fn wait_until(&self, limit: Duration, done: impl Fn(&Seen) -> bool) -> Seen {
        let started = tokio::time::Instant::now();
        loop {
            let seen = self.seen();
            if done(&seen) {
                return seen;
            }
            assert!(
                started.elapsed() < limit,
                "the fake gateway gave up waiting; it saw {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn session(
    stream: TcpStream,
    seen: Arc<Mutex<Seen>>,
    queue: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Outgoing>>>,
    resume_url: String,
) {
    let record = seen.clone();
    // tungstenite's handshake callback fixes the (large) error type.
    #[allow(clippy::result_large_err)]
    let upgrade = move |request: &Request, response: Response| {
        let mut seen = record.lock().unwrap();
        seen.connections += 1;
        seen.upgrade_uris.push(request.uri().to_string());
        Ok(response)
    };
    let Ok(mut socket) = tokio_tungstenite::accept_hdr_async(stream, upgrade).await else {
        return;
    };
    let hello =
        json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}});
    if socket.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    let mut queue = queue.lock().await;
    let mut sequence = 0_u64;
    let mut identified = false;
    loop {
        let frame = tokio::select! {
            frame = socket.next() => frame,
            Some(outgoing) = queue.recv(), if identified => {
                let (payload, event) = match outgoing {
                    Outgoing::Dispatch(event, data) => {
                        sequence += 1;
                        (json!({"op": 0, "s": sequence, "t": event, "d": data}), event)
                    }
                    Outgoing::Reconnect => (json!({"op": 7, "s": null, "t": null, "d": null}), "op 7".into()),
                };
                if socket.send(Message::Text(payload.to_string())).await.is_err() {
                    return;
                }
                seen.lock().unwrap().dispatched.push(event);
                continue;
            }
        };
        let text = match frame {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(frame))) => {
                let code = frame.map_or(1005, |frame| u16::from(frame.code));
                seen.lock().unwrap().close_codes.push(code);
                // tungstenite queued the answering close frame; reading on sends it and ends
                // the stream once the handshake is complete.
                while let Some(Ok(_)) = socket.next().await {}
                return;
            }
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return,
        };
        let Ok(payload) = serde_json::from_str::<Value>(&text) else {
            seen.lock().unwrap().unexpected.push(text);
            continue;
        };
        let reply = match payload["op"].as_u64() {
            Some(1) => {
                seen.lock().unwrap().heartbeats += 1;
                json!({"op": 11, "s": null, "t": null, "d": null})
            }
            Some(2) if !identified => {
                identified = true;
                seen.lock().unwrap().identifies.push(payload["d"].clone());
                sequence += 1;
                json!({"op": 0, "s": sequence, "t": "READY", "d": ready(&payload["d"], &resume_url)})
            }
            // The session carries on from the client's last sequence.
            Some(6) if !identified => {
                identified = true;
                seen.lock().unwrap().resumes.push(payload["d"].clone());
                sequence = payload["d"]["seq"].as_u64().unwrap_or_default() + 1;
                json!({"op": 0, "s": sequence, "t": "RESUMED", "d": {}})
            }
            // Presence updates are fine to ignore; anything else is worth a look.
            Some(3) => continue,
            _ => {
                seen.lock().unwrap().unexpected.push(text);
                continue;
            }
        };
        let event = reply["t"].as_str().map(str::to_string);
        if socket.send(Message::Text(reply.to_string())).await.is_err() {
            return;
        }
        if let Some(event) = event {
            seen.lock().unwrap().dispatched.push(event);
        }
    }
}

/// READY with the fields serenity 0.12.5's `Ready` requires.
fn ready(identify: &Value, resume_url: &str) -> Value {
    json!({
        "v": 10,
        "user": {"id": "4242", "username": "pulso", "global_name": null, "avatar": null, "bot": true},
        "guilds": [{"id": "1", "unavailable": true}],
        "session_id": "fake-session-1",
        "resume_gateway_url": resume_url,
        "shard": identify.get("shard").cloned().unwrap_or(json!([0, 1])),
        "application": {"id": "4242", "flags": 0},
    })
}
