//! The app on the gateway transport end to end against the fake websocket gateway:
//! identify, an interaction answered through REST, a clean close, a resumed session after
//! Discord's RECONNECT, and a shutdown while connecting, on SQLite and PostgreSQL.

use std::sync::Arc;

use super::*;
use crate::fake_discord::{FakeDiscord, Recorded};
use crate::fake_gateway::FakeGateway;

// Current-thread runtimes: every task (serenity's shard runner included) logs into the
// test thread's subscriber.
crate::app_tests!(
    current_thread: gateway_answers_an_interaction_create_with_the_indicators_card,
    gateway_resumes_its_session_when_discord_asks_it_to_reconnect,
    gateway_cancelled_while_connecting_still_stops,
);

/// Everything a `tracing` subscriber writes, to assert on pulso's log output.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLogs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The bot's config on the gateway transport.
fn gateway_config() -> ConfigBuilder {
    bot_config().transport("gateway")
}

/// A seeded app on the gateway transport, running against its fake Discord, which sends
/// the shard to a fresh fake gateway.
async fn start_against_fakes(db: TestDb) -> (TestApp, FakeGateway) {
    let mut app = TestApp::spawn(db, gateway_config()).await;
    seed(app.store()).await;
    let gateway = FakeGateway::start().await;
    app.discord().use_gateway(&gateway.url);
    app.http();
    (app, gateway)
}

/// Points `app` at a fresh fake gateway and waits until its shard is READY, so the
/// interactions dispatched next reach pulso.
pub(super) async fn connect_to_fake_gateway(app: &mut TestApp) -> FakeGateway {
    let gateway = FakeGateway::start().await;
    app.discord().use_gateway(&gateway.url);
    app.http();
    gateway
        .wait_until(Duration::from_secs(15), |seen| {
            seen.dispatched.iter().any(|event| event == "READY")
        })
        .await;
    gateway
}

/// Captures pulso's and serenity's logs for the rest of the (current-thread) test.
fn capture_logs() -> (CapturedLogs, tracing::subscriber::DefaultGuard) {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

/// The first interaction callback Discord got, waiting up to 10 s for it.
pub(super) async fn first_callback(discord: &FakeDiscord, gateway: &FakeGateway) -> Recorded {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(request) = discord
                .requests()
                .into_iter()
                .find(|request| request.path.ends_with("/callback"))
            {
                return request;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "no interaction callback; Discord got {:?}, the gateway saw {:?}",
            discord.requests(),
            gateway.seen()
        )
    })
}

/// The gateway transport end to end against a fake Discord: pulso's real serenity client
/// finds the fake gateway through `GET /gateway` on `api_base`, identifies with the
/// configured token and no intents, answers an `INTERACTION_CREATE` /indicators with the
/// report card through the interaction callback, never logs the token, and stops within
/// seconds of cancellation, closing the session normally.
async fn gateway_answers_an_interaction_create_with_the_indicators_card(db: TestDb) {
    let (logs, _logging) = capture_logs();
    let (mut app, gateway) = start_against_fakes(db).await;
    let discord = app.discord();

    let seen = gateway
        .wait_until(Duration::from_secs(15), |seen| {
            seen.dispatched.iter().any(|event| event == "READY") && seen.heartbeats > 0
        })
        .await;
    assert_eq!(seen.upgrade_uris, ["/?v=10"], "one connection, API v10");
    let identify = &seen.identifies[0];
    // serenity sends the token as it authenticates REST calls, with the "Bot " prefix.
    assert_eq!(identify["token"], format!("Bot {TOKEN}"));
    assert_eq!(identify["intents"], 0, "no privileged (or any) intents");
    assert_eq!(identify["shard"], json!([0, 1]));
    let lookup = &discord.requests()[0];
    assert_eq!(
        (lookup.method.as_str(), lookup.path.as_str()),
        ("GET", "/api/v10/gateway")
    );

    gateway.dispatch(
        "INTERACTION_CREATE",
        command("indicators", &[("period", "today")], "es-ES", Some(1)),
    );
    let callback = first_callback(discord, &gateway).await;
    assert_eq!(callback.method, "POST");
    assert_eq!(
        callback.path,
        "/api/v10/interactions/900/interaction-token-1/callback"
    );
    assert_eq!(callback.headers["authorization"], format!("Bot {TOKEN}"));
    assert_eq!(callback.body["type"], 4, "{}", callback.body);
    let embed = &callback.body["data"]["embeds"][0];
    assert_eq!(embed["title"], "Indicadores de atención · Soporte");
    let report = today_report(app.store()).await;
    assert_eq!(report.current.pending, 2);
    assert!(
        field(embed, "Consultas pendientes")
            .starts_with(&format!("**{}**", report.current.pending))
    );
    assert!(
        field(embed, "Consultas resueltas")
            .starts_with(&format!("**{}**", report.current.resolved))
    );
    assert!(field(embed, "Promedio de atención").starts_with("**5,7 min**"));
    assert_eq!(buttons(&callback.body["data"]).len(), 3);

    // stop() fails unless the app (the gateway client with it) returns Ok.
    let stopping = app.stop().await;
    assert!(
        stopping < Duration::from_secs(5),
        "the gateway client stops within 5 s of cancellation, not {stopping:?}"
    );
    let seen = gateway
        .wait_until(Duration::from_secs(2), |seen| !seen.close_codes.is_empty())
        .await;
    assert_eq!(seen.close_codes, [1000], "a normal close");
    assert_eq!(seen.connections, 1, "no reconnects");
    assert!(seen.unexpected.is_empty(), "{:?}", seen.unexpected);

    let logs = logs.text();
    assert!(
        logs.contains("connected to the Discord gateway"),
        "pulso's own logs were captured: {logs}"
    );
    assert!(
        !logs.contains(TOKEN),
        "the token leaked into the logs: {logs}"
    );
    assert!(
        !logs.contains(" WARN "),
        "a clean session warns nothing: {logs}"
    );
    app.finish().await;
}

/// When Discord asks the shard to reconnect (op 7), the session is resumed on a new
/// connection, with its session id, last sequence and the token, and without a second
/// IDENTIFY (Discord allows 1,000 a day); the next /indicators is answered on it.
async fn gateway_resumes_its_session_when_discord_asks_it_to_reconnect(db: TestDb) {
    let (logs, _logging) = capture_logs();
    let (mut app, gateway) = start_against_fakes(db).await;
    gateway
        .wait_until(Duration::from_secs(15), |seen| {
            seen.dispatched.iter().any(|event| event == "READY")
        })
        .await;

    gateway.ask_to_reconnect();
    let seen = gateway
        .wait_until(Duration::from_secs(15), |seen| {
            seen.dispatched.iter().any(|event| event == "RESUMED")
        })
        .await;
    assert_eq!(seen.connections, 2, "one new connection");
    assert_eq!(seen.identifies.len(), 1, "resumed, not identified again");
    let resume = &seen.resumes[0];
    assert_eq!(resume["session_id"], "fake-session-1");
    assert_eq!(resume["seq"], 1, "READY was the last dispatch");
    assert_eq!(resume["token"], format!("Bot {TOKEN}"));

    gateway.dispatch(
        "INTERACTION_CREATE",
        command("indicators", &[("period", "today")], "es-ES", Some(1)),
    );
    let callback = first_callback(app.discord(), &gateway).await;
    assert_eq!(callback.body["type"], 4, "{}", callback.body);
    assert_eq!(
        callback.body["data"]["embeds"][0]["title"],
        "Indicadores de atención · Soporte"
    );

    let stopping = app.stop().await;
    assert!(
        stopping < Duration::from_secs(5),
        "the gateway client stops within 5 s of cancellation, not {stopping:?}"
    );
    let seen = gateway.seen();
    assert_eq!(seen.connections, 2, "no further reconnects");
    assert!(seen.unexpected.is_empty(), "{:?}", seen.unexpected);
    assert!(
        !logs.text().contains(TOKEN),
        "the token leaked into the logs"
    );
    app.finish().await;
}

/// Cancelled while its shard is still connecting (the gateway accepts the TCP connection but
/// never answers the handshake), the gateway transport still returns within seconds:
/// serenity's own shutdown does not end a client whose shard never started.
async fn gateway_cancelled_while_connecting_still_stops(db: TestDb) {
    let mut app = TestApp::spawn(db, gateway_config()).await;
    // Accepted by the kernel, never read: the websocket handshake waits forever.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    app.discord()
        .use_gateway(&format!("ws://{}", silent.local_addr().unwrap()));
    app.http();
    let lookup = app.discord().wait_for(1).await;
    assert_eq!(lookup[0].path, "/api/v10/gateway");
    tokio::time::sleep(Duration::from_millis(300)).await;
    // stop() fails unless the app (the gateway client with it) returns Ok.
    let stopping = app.stop().await;
    assert!(
        stopping < Duration::from_secs(10),
        "stops within 10 s of cancellation, not {stopping:?}"
    );
    drop(silent);
    app.finish().await;
}
