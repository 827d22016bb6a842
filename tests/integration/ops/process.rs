//! The real binary, where only a process will do: `pulso run` stopping on SIGTERM, and
//! what it prints at debug and trace level. Each runs on the backend under test, on a port
//! picked beforehand ([`free_port`]), found without reading its logs.

use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use super::*;
use crate::harness::{free_port, wait_for_http};

const SECRET_TOKEN: &str = "sekret-discord-token-Q7";
const SECRET_PASSWORD: &str = "hunter2-db-password";

crate::app_tests!(
    sigterm_stops_the_binary_cleanly,
    secrets_never_reach_logs_errors_or_config_check,
);

/// Writes `pulso.toml` into `dir`: one workspace, the http transport, Discord at
/// `api_base`, listening on `port`.
fn write_config(dir: &std::path::Path, api_base: &str, port: u16) {
    let text = ConfigBuilder::with([WorkspaceConfig::new("w", "W")])
        .api_base(api_base)
        .listen(&format!("127.0.0.1:{port}"))
        .toml(api_base, "http://127.0.0.1:9");
    std::fs::write(dir.join("pulso.toml"), text).unwrap();
}

/// Starts `pulso run` in `dir` on the database at `store_url` (the token and URL in the
/// environment, as in production) and waits until it serves on `port`; returns it and its
/// output lines.
async fn start_pulso(
    dir: &std::path::Path,
    store_url: &str,
    port: u16,
) -> (Child, SocketAddr, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir)
        .env_remove("PULSO_CONFIG")
        .env("PULSO_LOG", "debug")
        .env("PULSO_DISCORD_TOKEN", SECRET_TOKEN)
        .env("PULSO_DATABASE_URL", store_url)
        .args(["--config", "pulso.toml", "run"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    wait_for_http(address, &mut child).await;
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

/// The binary serves /healthz (200, on PostgreSQL too) and /metrics, and stops on SIGTERM
/// within 10 s with a zero exit; a message for a Discord that never answers stays in the
/// outbox. (The same shutdown with the delivery provably in flight, on a fast scheduler:
/// `shutdown_leaves_a_message_in_flight_in_the_outbox`.)
async fn sigterm_stops_the_binary_cleanly(db: TestDb) {
    let store = &db.store;
    let dir = tempfile::tempdir().unwrap();
    let (silent, silent_base) = silent_discord();
    let port = free_port();
    write_config(dir.path(), &silent_base, port);
    enqueue(
        store,
        "shutdown-test",
        Utc::now() - chrono::Duration::seconds(10),
    )
    .await;
    let (mut child, address, _lines) = start_pulso(dir.path(), &db.url, port).await;
    let (status, body) = get(address, "/healthz").await;
    assert_eq!(status, 200, "{body}");
    let (status, metrics) = get(address, "/metrics").await;
    assert_eq!(status, 200);
    parse_prometheus(&metrics);
    let elapsed = sigterm_and_wait(&mut child);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let status = store.outbox_status("shutdown-test").await.unwrap().unwrap();
    assert_eq!(
        status.status, "pending",
        "undelivered message kept: {status:?}"
    );
    drop(silent);
    db.finish().await;
}

/// The Discord token and a database password never appear in logs, errors or
/// `config check`, even at trace level, and not in the logs of a running bot at debug level.
async fn secrets_never_reach_logs_errors_or_config_check(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    write_config(dir.path(), "http://127.0.0.1:9", port);
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
    let (mut child, address, lines) = start_pulso(dir.path(), &db.url, port).await;
    assert_eq!(get(address, "/healthz").await.0, 200);
    sigterm_and_wait(&mut child);
    let log: Vec<String> = lines.try_iter().collect();
    assert!(!log.is_empty());
    assert!(
        log.iter().all(|line| !line.contains(SECRET_TOKEN)),
        "token leaked: {log:?}"
    );
    db.finish().await;
}
