//! PostgreSQL going away under a running app and coming back: `/healthz` turns 503, commands
//! get a private error in time for Discord, and after the server returns both recover
//! without a restart.
//!
//! The outage is real at the network level: the app reaches PostgreSQL through a TCP relay
//! of the test's own that, when cut, resets every open connection and stops listening (new
//! connections are refused, as when the server restarts or fails over), then listens again
//! on the same port. PostgreSQL only: SQLite is a file inside the process, with no server
//! that can go away while pulso keeps running (a store that cannot answer at all is covered
//! on both backends by `ops::healthz_reports_database_and_scheduler`).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

use super::*;
use crate::harness::EVERY_SECOND;

/// How soon `/healthz` must report the outage, and report recovery (from the issue).
const HEALTH_NOTICES_WITHIN: Duration = Duration::from_secs(10);
const RECOVERS_WITHIN: Duration = Duration::from_secs(15);
/// Discord's window for the first answer to an interaction.
const DISCORD_WINDOW: Duration = Duration::from_secs(3);

/// A TCP relay to PostgreSQL that can be cut and restored.
struct Relay {
    address: SocketAddr,
    target: SocketAddr,
    state: Arc<Mutex<RelayState>>,
}

#[derive(Default)]
struct RelayState {
    accepting: Option<AbortHandle>,
    links: Vec<AbortHandle>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let relay = Relay {
            address: listener.local_addr().unwrap(),
            target,
            state: Arc::default(),
        };
        relay.serve(listener);
        relay
    }

    fn serve(&self, listener: TcpListener) {
        let (state, target) = (self.state.clone(), self.target);
        let accepting = tokio::spawn({
            let state = state.clone();
            async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    let link = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    state.lock().unwrap().links.push(link.abort_handle());
                }
            }
        });
        state.lock().unwrap().accepting = Some(accepting.abort_handle());
    }

    /// Resets every connection and closes the port.
    async fn cut(&self) {
        {
            let mut state = self.state.lock().unwrap();
            if let Some(accepting) = state.accepting.take() {
                accepting.abort();
            }
            for link in state.links.drain(..) {
                link.abort();
            }
        }
        // Until the aborted listener is dropped the port still accepts; wait until it refuses.
        while TcpStream::connect(self.address).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Listens on the same port again.
    async fn restore(&self) {
        let listener = TcpListener::bind(self.address).await.unwrap();
        self.serve(listener);
    }
}

/// The app's `/healthz` status and body.
async fn healthz(address: SocketAddr) -> (u16, Value) {
    let response = reqwest::get(format!("http://{address}/healthz"))
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Polls `/healthz` until it answers `status`; fails after `within`.
async fn wait_for_health(address: SocketAddr, status: u16, within: Duration) -> Value {
    let started = Instant::now();
    loop {
        let (now, body) = healthz(address).await;
        if now == status {
            return body;
        }
        assert!(
            started.elapsed() < within,
            "/healthz still {now} after {within:?}, not {status}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A signed `/inquiries status:pending` in Spanish, timed.
async fn ask(address: SocketAddr) -> (Duration, u16, Value) {
    let started = Instant::now();
    let (status, reply) = post(
        address,
        &command("inquiries", &[("status", "pending")], "es-ES", Some(1)),
    )
    .await;
    (started.elapsed(), status, reply)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_outage_is_reported_answered_privately_and_recovered_without_restart() {
    let Some(mut db) = TestDb::postgres().await else {
        return;
    };
    let mut url = url::Url::parse(&db.url).unwrap();
    let target = SocketAddr::new(
        url.host_str().unwrap().parse().unwrap(),
        url.port().unwrap_or(5432),
    );
    let relay = Relay::start(target).await;
    url.set_port(Some(relay.address.port())).unwrap();
    db.url = url.to_string();
    let options = RunOptions {
        tick: Some(EVERY_SECOND),
        ..RunOptions::default()
    };
    let mut app = TestApp::spawn_with(db, bot_config(), options).await;
    seed(app.store()).await;
    let address = app.http();
    wait_for_health(address, 200, HEALTH_NOTICES_WITHIN).await;
    let (_, status, reply) = ask(address).await;
    assert_eq!((status, reply["type"].clone()), (200, json!(4)), "{reply}");

    relay.cut().await;
    let body = wait_for_health(address, 503, HEALTH_NOTICES_WITHIN).await;
    assert_ne!(body["database"], "ok", "{body}");
    let (took, status, reply) = ask(address).await;
    assert!(took < DISCORD_WINDOW, "answered after {took:?}");
    assert_eq!((status, reply["type"].clone()), (200, json!(4)), "{reply}");
    assert_eq!(reply["data"]["flags"], json!(64), "private: {reply}");
    let text = reply["data"]["content"].as_str().unwrap_or_default();
    assert!(
        text.contains("No pude leer la base de datos de consultas"),
        "the user's language, no internals: {text}"
    );

    relay.restore().await;
    let restored = Instant::now();
    wait_for_health(address, 200, RECOVERS_WITHIN).await;
    loop {
        let (_, status, reply) = ask(address).await;
        if reply["data"]["flags"] != json!(64) {
            assert_eq!((status, reply["type"].clone()), (200, json!(4)), "{reply}");
            let embed = &reply["data"]["embeds"][0];
            assert!(
                embed.to_string().contains("p1"),
                "the pending inquiries again: {reply}"
            );
            break;
        }
        assert!(
            restored.elapsed() < RECOVERS_WITHIN,
            "commands still failing {RECOVERS_WITHIN:?} after recovery: {reply}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.finish().await;
}
