//! Operability, on SQLite and PostgreSQL: `/healthz` and `/metrics` of the running app,
//! shutdown with a delivery in flight, the real binary stopping on SIGTERM, and secrets that
//! never reach logs, errors or `config check`.

mod first_run;
mod process;

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pulso::store::{NewMessage, Store};

use crate::harness::{
    ConfigBuilder, EVERY_SECOND, RunOptions, TestApp, WorkspaceConfig, default_now,
};
use crate::helpers::*;

crate::app_tests!(
    healthz_reports_database_and_scheduler,
    metrics_move_when_digests_are_sent,
    shutdown_leaves_a_message_in_flight_in_the_outbox,
);

async fn get(address: SocketAddr, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("http://{address}{path}"))
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Parses Prometheus text format strictly enough to catch a broken exposition: every
/// sample line is `name{labels} value` with a finite number, every `# TYPE` is known.
fn parse_prometheus(text: &str) -> Vec<(String, f64)> {
    let mut samples = Vec::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut parts = comment.split_whitespace();
            match parts.next() {
                Some("TYPE") => {
                    let kind = parts.nth(1).unwrap_or_default();
                    assert!(
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                        "bad TYPE line: {line}"
                    );
                }
                Some("HELP") => {}
                _ => panic!("unknown comment line: {line}"),
            }
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line}"));
        let name_end = series.find('{').unwrap_or(series.len());
        assert!(
            series[..name_end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "bad name: {line}"
        );
        assert!(
            name_end == series.len() || series.ends_with('}'),
            "bad labels: {line}"
        );
        samples.push((series.to_string(), value));
    }
    samples
}

fn sample(samples: &[(String, f64)], series: &str) -> f64 {
    samples
        .iter()
        .find(|(name, _)| name == series)
        .map_or(0.0, |(_, value)| *value)
}

/// A "Discord" that accepts connections and never answers: a delivery to it stays in
/// flight until the test drops the accepted socket (or the listener).
fn silent_discord() -> (std::net::TcpListener, String) {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", silent.local_addr().unwrap());
    (silent, base)
}

/// Waits up to 10 s for pulso to connect to the silent Discord: a delivery is in flight.
async fn accept(silent: &std::net::TcpListener) -> std::net::TcpStream {
    let listener = silent.try_clone().unwrap();
    let accepted = tokio::task::spawn_blocking(move || listener.accept().unwrap().0);
    tokio::time::timeout(Duration::from_secs(10), accepted)
        .await
        .expect("a delivery to the silent Discord within 10 s")
        .unwrap()
}

/// Queues a message to channel 9, due at `now`.
async fn enqueue(store: &Store, key: &str, now: DateTime<Utc>) {
    let message = NewMessage {
        dedupe_key: key.into(),
        workspace: "w".into(),
        kind: "digest".into(),
        destination: pulso::domain::Destination::DiscordChannel { channel_id: 9 },
        payload: "{\"content\":\"hello\"}".into(),
        attachment: None,
        edits: None,
    };
    store.enqueue(&message, now.timestamp()).await.unwrap();
}

/// `/healthz` of the running app, its scheduler ticking every second: 200 while the
/// database answers and the scheduler ticks (on PostgreSQL too, where a decode bug once made
/// it always 503), and 503 with the reason when either stops. The ticks are held by a
/// delivery to a Discord that never answers: "starting" until the first tick ends, "stale"
/// when the clock moves ten minutes while a tick is stuck.
async fn healthz_reports_database_and_scheduler(db: TestDb) {
    let (silent, silent_base) = silent_discord();
    let config = ConfigBuilder::with([WorkspaceConfig::new("w", "H")]).api_base(&silent_base);
    let options = RunOptions {
        tick: Some(EVERY_SECOND),
        ..RunOptions::default()
    };
    let mut app = TestApp::spawn_with(db, config, options).await;
    let now = utc(2026, 5, 4, 12, 0, 0);
    app.set_now(now);
    enqueue(app.store(), "healthz-hold", now).await;
    let address = app.http();
    let (status, body) = get(address, "/healthz").await;
    assert_eq!(status, 200, "starting is healthy: {body}");
    assert!(body.contains("\"starting\""), "{body}");

    // Let the first tick's delivery fail: the tick ends and beats at `now`.
    drop(accept(&silent).await);
    let waiting = std::time::Instant::now();
    let body = loop {
        let (status, body) = get(address, "/healthz").await;
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        if json["scheduler"]["status"] == "ok" {
            assert_eq!(status, 200, "{body}");
            break json;
        }
        assert!(waiting.elapsed() < Duration::from_secs(10), "{body}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(body["database"], "ok", "{body}");

    // Ten minutes later the message is due again and the next tick is stuck sending it.
    app.clock().advance(chrono::Duration::minutes(10));
    let stuck = accept(&silent).await;
    let (status, body) = get(address, "/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("scheduler has not ticked for 600 s"),
        "{body}"
    );
    drop((stuck, silent));

    app.store().close().await;
    let (status, body) = get(address, "/healthz").await;
    assert_eq!(status, 503, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["database"], "unreachable");
    assert!(
        json["problems"][0]
            .as_str()
            .unwrap()
            .starts_with("database unreachable"),
        "{body}"
    );
    app.finish().await;
}

/// `/metrics` of the running app is valid Prometheus text, and its digest and outbox
/// figures move when a digest is claimed and delivered.
async fn metrics_move_when_digests_are_sent(db: TestDb) {
    // Metrics are process-wide and both backends run at once: one workspace id each.
    let id = if db.url.starts_with("postgres") {
        "metrics-pg"
    } else {
        "metrics-sqlite"
    };
    let config =
        ConfigBuilder::with([WorkspaceConfig::new(id, "M").digest("channel_id = \"777\"")]);
    let mut app = TestApp::spawn(db, config).await;
    app.set_now(utc(2026, 5, 4, 8, 0, 0));
    let address = app.http();
    pulso::telemetry::metrics();
    let before = parse_prometheus(&get(address, "/metrics").await.1);
    let claimed = format!("pulso_digests_total{{workspace=\"{id}\",outcome=\"claimed\"}}");
    let sent = "pulso_outbox_deliveries_total{kind=\"digest\",outcome=\"sent\"}";

    app.digest_tick().await;
    app.set_now(utc(2026, 5, 4, 9, 0, 0));
    app.digest_tick().await;
    let middle_text = get(address, "/metrics").await.1;
    let middle = parse_prometheus(&middle_text);
    assert_eq!(
        sample(&middle, &claimed),
        sample(&before, &claimed) + 1.0,
        "{middle_text}"
    );
    assert!(sample(&middle, "pulso_outbox_pending") >= 1.0);

    app.set_now(utc(2026, 5, 4, 9, 0, 1));
    assert_eq!(app.deliver().await.sent, 1);
    let (status, text) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    let after = parse_prometheus(&text);
    assert!(
        sample(&after, sent) >= sample(&middle, sent) + 1.0,
        "{text}"
    );
    assert!(
        text.contains("# TYPE pulso_db_query_duration_seconds histogram"),
        "{text}"
    );
    assert_eq!(app.discord().posted().len(), 1);
    app.finish().await;
}

/// The app serves /healthz and /metrics and, shut down while its scheduler (every second
/// here) is sending to a Discord that never answers, stops within 10 s; the message in
/// flight stays in the outbox for the next start. (SIGTERM reaching this same shutdown:
/// [`process`].)
async fn shutdown_leaves_a_message_in_flight_in_the_outbox(db: TestDb) {
    let (silent, silent_base) = silent_discord();
    let config = ConfigBuilder::with([WorkspaceConfig::new("w", "W")]).api_base(&silent_base);
    let options = RunOptions {
        tick: Some(EVERY_SECOND),
        ..RunOptions::default()
    };
    let mut app = TestApp::spawn_with(db, config, options).await;
    enqueue(app.store(), "shutdown-test", default_now()).await;
    let address = app.http();
    assert_eq!(get(address, "/healthz").await.0, 200);
    let (status, metrics) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    parse_prometheus(&metrics);
    let socket = accept(&silent).await;
    let elapsed = app.stop().await;
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let status = app
        .db()
        .store
        .outbox_status("shutdown-test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        status.status, "pending",
        "undelivered message kept: {status:?}"
    );
    drop(socket);
    app.finish().await;
}
