//! The first run exactly as a newcomer makes it: the built binary, no arguments, no config,
//! in an empty folder (only `[http] listen` moved off 8787 by `PULSO_HTTP_LISTEN`, so tests
//! can run side by side). At whatever hour the test runs, the console answers at once with
//! a live demo queue (pending and in progress) and a demo wallet labelled as one. What the
//! first minutes bring (the balance under 50 USD, the alerts) needs minutes of wall clock:
//! `demo::the_first_five_minutes_show_a_low_demo_balance_and_alerts` runs them on a manual
//! clock through the same app, and the unit tests of `gupshup::demo` and `demo::live`
//! prove the default timings.

use std::io::{BufRead as _, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::free_port;

const COMMANDS: &str =
    "/inquiries status:pending\n/inquiries status:in_progress\n/balance\n/indicators\n";

#[test]
fn the_first_run_answers_with_a_live_queue_and_a_demo_wallet() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir.path())
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DATABASE_URL")
        .env_remove("PULSO_DISCORD_TOKEN")
        .env_remove("PULSO_LOG")
        .env("PULSO_HTTP_LISTEN", format!("127.0.0.1:{}", free_port()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(COMMANDS.as_bytes()).unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines_tx.send(line);
        }
    });
    // The four answers end with the indicators card, whose footer is its last line.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut printed = String::new();
    while !printed.contains("Tasa de expiración") {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                printed.push_str(&line);
                printed.push('\n');
            }
            Err(_) => panic!("no answers within 30 s; printed:\n{printed}"),
        }
    }
    drop(stdin);
    let answers: Vec<&str> = printed.split("\n== ").collect();
    let answer = |title: &str| {
        answers
            .iter()
            .find(|answer| answer.starts_with(title))
            .unwrap_or_else(|| panic!("no {title:?} answer in:\n{printed}"))
    };
    let pending = answer("Consultas pendientes");
    assert!(
        pending.contains("Ahora mismo") && pending.contains("`demo-live-"),
        "{pending}"
    );
    assert!(answer("Consultas en progreso").contains("`demo-live-"));
    let balance = answer("Saldo de Gupshup (demo)");
    assert!(balance.contains("🧪 Demo"), "{balance}");
    let in_progress: u64 = answer("Indicadores de atención")
        .lines()
        .find_map(|line| line.trim().strip_prefix("Consultas en progreso: "))
        .and_then(|value| value.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("no in-progress count in:\n{printed}"));
    assert!(in_progress > 0, "{printed}");
    assert!(dir.path().join("data/pulso.db").is_file());
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}
