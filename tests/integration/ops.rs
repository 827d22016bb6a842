//! Operability: `/healthz`, `/metrics`, graceful shutdown of the real binary, and secrets
//! that never reach logs, errors or `config check`.

use std::io::BufRead as _;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pulso::bot::BotContext;
use pulso::clock::FixedClock;
use pulso::config::{Config, ConfigSource};
use pulso::health::{HealthState, router};
use pulso::jobs::digest_tick;
use pulso::jobs::tick;
use pulso::outbox::{ConsoleSender, Sender, deliver_due};
use pulso::store::{NewMessage, Store};
use pulso::telemetry::Heartbeat;

use crate::helpers::*;

const SECRET_TOKEN: &str = "sekret-discord-token-Q7";
const SECRET_PASSWORD: &str = "hunter2-db-password";

/// The hex public key of a fixed test signing key (any 32 bytes are not a valid key).
fn valid_public_key() -> String {
    hex::encode(
        ed25519_dalek::SigningKey::from_bytes(&[9; 32])
            .verifying_key()
            .to_bytes(),
    )
}

async fn serve(state: HealthState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router(Arc::new(state)))
            .await
            .unwrap()
    });
    address
}

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

/// `/healthz` is 200 while the database answers and the scheduler ticks, and 503 with the
/// reason when either stops.
#[tokio::test]
async fn healthz_reports_database_and_scheduler() {
    let db = TestDb::sqlite().await;
    let heartbeat = Heartbeat::default();
    let now = utc(2026, 5, 4, 12, 0, 0);
    let address = serve(HealthState {
        store: db.store.clone(),
        heartbeat: Some(heartbeat.clone()),
        clock: Arc::new(FixedClock(now)),
        started: Instant::now(),
    })
    .await;
    let (status, body) = get(address, "/healthz").await;
    assert_eq!(status, 200, "starting is healthy: {body}");
    assert!(body.contains("\"starting\""), "{body}");

    let stale_address = serve(HealthState {
        store: db.store.clone(),
        heartbeat: Some(heartbeat.clone()),
        clock: Arc::new(FixedClock(now + chrono::Duration::minutes(10))),
        started: Instant::now(),
    })
    .await;
    // One tick at `now`: fresh for the first server, ten minutes old for the second.
    let config = Config::parse(
        "[database]\nurl = \"sqlite://x.db\"\n[[workspaces]]\nid = \"h\"\nname = \"H\"\ntimezone = \"UTC\"\nlocale = \"en\"\n",
        ConfigSource::Embedded,
        None,
    )
    .unwrap();
    let ctx = BotContext {
        store: db.store.clone(),
        config: Arc::new(config),
        clock: Arc::new(FixedClock(now)),
        command_timeout: Duration::from_secs(5),
    };
    let jobs = pulso::jobs::JobContext {
        store: ctx.store.clone(),
        config: ctx.config.clone(),
        clock: ctx.clock.clone(),
        sender: Sender::Console(ConsoleSender::new(Box::new(std::io::sink()), "/tmp")),
        monitor: Arc::default(),
    };
    tick(&jobs, &heartbeat).await;
    assert_eq!(get(address, "/healthz").await.0, 200);
    let (status, body) = get(stale_address, "/healthz").await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("scheduler has not ticked for 600 s"),
        "{body}"
    );

    db.store.close().await;
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
    db.finish().await;
}

/// `/metrics` is valid Prometheus text, and its digest and outbox figures move when a
/// digest is claimed and delivered.
#[tokio::test]
async fn metrics_move_when_digests_are_sent() {
    let db = TestDb::sqlite().await;
    let config = Config::parse(
        "[database]\nurl = \"sqlite://x.db\"\n[[workspaces]]\nid = \"metrics-ws\"\nname = \"M\"\ntimezone = \"UTC\"\nlocale = \"en\"\n",
        ConfigSource::Embedded,
        None,
    )
    .unwrap();
    let now = utc(2026, 5, 4, 8, 0, 0);
    let ctx = BotContext {
        store: db.store.clone(),
        config: Arc::new(config),
        clock: Arc::new(FixedClock(now)),
        command_timeout: Duration::from_secs(5),
    };
    let address = serve(HealthState {
        store: db.store.clone(),
        heartbeat: None,
        clock: Arc::new(FixedClock(now)),
        started: Instant::now(),
    })
    .await;
    pulso::telemetry::metrics();
    let before = parse_prometheus(&get(address, "/metrics").await.1);
    let claimed = "pulso_digests_total{workspace=\"metrics-ws\",outcome=\"claimed\"}";
    let sent = "pulso_outbox_deliveries_total{kind=\"digest\",outcome=\"sent\"}";

    digest_tick(&ctx.store, &ctx.config, now).await.unwrap();
    digest_tick(&ctx.store, &ctx.config, utc(2026, 5, 4, 9, 0, 0))
        .await
        .unwrap();
    let middle_text = get(address, "/metrics").await.1;
    let middle = parse_prometheus(&middle_text);
    assert_eq!(
        sample(&middle, claimed),
        sample(&before, claimed) + 1.0,
        "{middle_text}"
    );
    assert!(sample(&middle, "pulso_outbox_pending") >= 1.0);

    let sender = Sender::Console(ConsoleSender::new(
        Box::new(std::io::sink()),
        std::env::temp_dir(),
    ));
    deliver_due(&db.store, &sender, utc(2026, 5, 4, 9, 0, 1))
        .await
        .unwrap();
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
    db.finish().await;
}

/// Starts the real binary in `dir`; returns it and the address it serves health on.
fn start_pulso(
    dir: &std::path::Path,
    env: &[(&str, &str)],
) -> (Child, SocketAddr, std::sync::mpsc::Receiver<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pulso"));
    command
        .current_dir(dir)
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DATABASE_URL")
        .env_remove("PULSO_DISCORD_TOKEN")
        .env("PULSO_LOG", "debug")
        .args(["--config", "pulso.toml", "run"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    for stream in [
        Box::new(child.stderr.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stdout.take().unwrap()),
    ] {
        let lines_tx = lines_tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stream)
                .lines()
                .map_while(Result::ok)
            {
                let _ = lines_tx.send(line);
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    let address = loop {
        let line = lines
            .recv_timeout(deadline - Instant::now())
            .unwrap_or_else(|_| panic!("no health address in {seen:?}"));
        if line.contains("health and metrics") {
            let at = line.find("127.0.0.1:").unwrap();
            let rest = &line[at..];
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ':'))
                .unwrap_or(rest.len());
            break rest[..end].parse().unwrap();
        }
        seen.push(line);
    };
    (child, address, lines)
}

fn sigterm_and_wait(child: &mut Child) -> Duration {
    let started = Instant::now();
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    started.elapsed()
}

/// The binary on the console transport serves /healthz and /metrics and stops on SIGTERM
/// within 10 s; a message whose delivery is in flight stays in the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_cleanly_and_leaves_undelivered_messages_in_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    // A "Discord" that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_base = format!("http://{}", silent.local_addr().unwrap());
    let public_key = valid_public_key();
    std::fs::write(
        dir.path().join("pulso.toml"),
        format!(
            "[database]\nurl = \"sqlite://pulso.db\"\n[discord]\ntransport = \"http\"\napplication_id = 5\npublic_key = \"{public_key}\"\n\
             api_base = \"{silent_base}\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[workspaces]]\nid = \"w\"\nname = \"W\"\ntimezone = \"UTC\"\nlocale = \"en\"\n"
        ),
    )
    .unwrap();
    let url = format!("sqlite://{}", dir.path().join("pulso.db").display());
    let store = Store::open(&pulso::config::DatabaseUrl::parse(&url, false).unwrap())
        .await
        .unwrap();
    let message = NewMessage {
        dedupe_key: "shutdown-test".into(),
        workspace: "w".into(),
        kind: "digest".into(),
        destination: pulso::domain::Destination::DiscordChannel { channel_id: 9 },
        payload: "{\"content\":\"hello\"}".into(),
        attachment: None,
    };
    store
        .enqueue(&message, chrono::Utc::now().timestamp() - 10)
        .await
        .unwrap();
    let (mut child, address, _lines) =
        start_pulso(dir.path(), &[("PULSO_DISCORD_TOKEN", SECRET_TOKEN)]);
    assert_eq!(get(address, "/healthz").await.0, 200);
    let (status, metrics) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    parse_prometheus(&metrics);
    // Wait for the tick (every 30 s) to start sending to the silent server.
    let (socket, _) = tokio::task::spawn_blocking(move || silent.accept().unwrap())
        .await
        .unwrap();
    let elapsed = sigterm_and_wait(&mut child);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let status = store.outbox_status("shutdown-test").await.unwrap().unwrap();
    assert_eq!(
        status.status, "pending",
        "undelivered message kept: {status:?}"
    );
    drop(socket);
    store.close().await;
}

/// The Discord token and a database password never appear in logs, errors or
/// `config check`, even at debug level.
#[tokio::test]
async fn secrets_never_reach_logs_errors_or_config_check() {
    let dir = tempfile::tempdir().unwrap();
    let public_key = valid_public_key();
    std::fs::write(
        dir.path().join("pulso.toml"),
        format!(
            "[database]\nurl = \"sqlite://pulso.db\"\n[discord]\ntransport = \"http\"\napplication_id = 5\npublic_key = \"{public_key}\"\n\
             api_base = \"http://127.0.0.1:9\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[workspaces]]\nid = \"w\"\nname = \"W\"\ntimezone = \"UTC\"\nlocale = \"en\"\n"
        ),
    )
    .unwrap();
    let run = |args: &[&str], database_url: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_pulso"))
            .current_dir(dir.path())
            .env_remove("PULSO_CONFIG")
            .env("PULSO_LOG", "trace")
            .env("PULSO_DISCORD_TOKEN", SECRET_TOKEN)
            .env("PULSO_DATABASE_URL", database_url)
            .args(["--config", "pulso.toml"])
            .args(args)
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    let with_password = format!("postgres://postgres:{SECRET_PASSWORD}@127.0.0.1:1/pulso");
    let outputs = [
        run(&["config", "check"], &with_password),
        run(&["indicators"], &with_password), // connection refused: the error names the redacted URL
        run(&["config", "check"], "mysql://root:hunter2-db-password@x/y"),
        run(&["--log-format", "json", "config", "check"], &with_password),
    ];
    assert!(
        outputs[0].contains("postgres://postgres:***@127.0.0.1:1/pulso"),
        "{}",
        outputs[0]
    );
    assert!(
        outputs[1]
            .contains("cannot open the database at postgres://postgres:***@127.0.0.1:1/pulso"),
        "{}",
        outputs[1]
    );
    for output in &outputs {
        assert!(!output.contains(SECRET_TOKEN), "token leaked: {output}");
        assert!(
            !output.contains(SECRET_PASSWORD),
            "password leaked: {output}"
        );
    }
    // A running bot at debug level, answering health checks.
    let sqlite = format!("sqlite://{}", dir.path().join("pulso.db").display());
    let (mut child, address, lines) = start_pulso(
        dir.path(),
        &[
            ("PULSO_DISCORD_TOKEN", SECRET_TOKEN),
            ("PULSO_DATABASE_URL", &sqlite),
        ],
    );
    assert_eq!(get(address, "/healthz").await.0, 200);
    sigterm_and_wait(&mut child);
    let log: Vec<String> = lines.try_iter().collect();
    assert!(!log.is_empty());
    assert!(
        log.iter().all(|line| !line.contains(SECRET_TOKEN)),
        "token leaked: {log:?}"
    );
}
