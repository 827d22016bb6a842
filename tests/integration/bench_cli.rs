//! `pulso bench` end to end on a small SQLite dataset: what it reports, that it checks its
//! own answers, and what it leaves on disk.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A dataset small enough for a debug build: 3,000 inquiries over 60 days, one timed run.
const SMALL: [&str; 7] = [
    "bench",
    "--inquiries",
    "3000",
    "--days",
    "60",
    "--runs",
    "1",
];

/// Runs `pulso bench SMALL… extra…` in `dir`, with `dir/tmp` as its temporary folder.
fn bench(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pulso"))
        .args(SMALL)
        .args(extra)
        .current_dir(dir)
        .env("TMPDIR", dir.join("tmp"))
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DATABASE_URL")
        .output()
        .expect("run pulso bench")
}

/// A folder to run in, with the `tmp` folder [`bench`] gives as the temporary one.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("tmp")).expect("tmp folder");
    dir
}

/// The report a run wrote with `--json bench.json` in `dir`.
fn json_report(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("bench.json")).unwrap())
        .expect("JSON report")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The default run builds its database in a temporary folder, reports all three windows
/// equal to the live computation, and removes the folder (gigabytes at full size) when it
/// ends.
#[test]
fn the_benchmark_reports_every_window_and_removes_its_temporary_database() {
    let dir = sandbox();
    let out = bench(dir.path(), &["--json", "bench.json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json_report(dir.path());
    assert_eq!(report["backend"], "sqlite");
    assert_eq!(report["inquiries"], 3000);
    assert!(report["survey_answers"].as_u64().unwrap() > 0);
    assert!(report["import_rows_per_second"].as_f64().unwrap() > 0.0);
    let windows = report["windows"].as_array().unwrap();
    let days: Vec<_> = windows
        .iter()
        .map(|w| w["days"].as_i64().unwrap())
        .collect();
    assert_eq!(days, [1, 30, 365]);
    for window in windows {
        assert_eq!(window["matches_live"], true, "{window}");
        assert_eq!(window["runs"], 1);
    }
    assert!(text(&out.stdout).contains("365 d"), "{}", text(&out.stdout));
    // The alert rules were timed on the same data, every rule with a value to judge.
    let rules = &report["rules"];
    assert_eq!(
        (rules["rules"].as_u64(), rules["runs"].as_u64()),
        (Some(5), Some(1))
    );
    let observed: Vec<&str> = rules["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[0].as_str().unwrap())
        .collect();
    assert_eq!(
        observed,
        [
            "queue_waiting",
            "oldest_pending",
            "attention_sla",
            "expired_spike",
            "low_survey"
        ]
    );
    assert!(
        text(&out.stdout).contains("alert rules"),
        "{}",
        text(&out.stdout)
    );
    let left: Vec<_> = std::fs::read_dir(dir.path().join("tmp"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// A database named with `--path` is kept; a second run refuses to overwrite it, naming
/// it, and `--reuse` times it again without writing.
#[test]
fn a_named_database_is_kept_refused_again_and_reused() {
    let dir = sandbox();
    let first = bench(dir.path(), &["--path", "kept.db"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(dir.path().join("kept.db").exists());

    let again = bench(dir.path(), &["--path", "kept.db"]);
    assert_eq!(again.status.code(), Some(1));
    let error = text(&again.stderr);
    assert!(
        error.contains("kept.db exists") && error.contains("fresh file"),
        "{error}"
    );

    let reused = bench(dir.path(), &["--path", "kept.db", "--reuse"]);
    assert!(reused.status.success(), "{}", text(&reused.stderr));
    assert!(
        text(&reused.stderr).contains("reusing the existing dataset"),
        "{}",
        text(&reused.stderr)
    );
}

/// On PostgreSQL (a fresh test database named with `--database`), the benchmark writes,
/// settles and answers every window equal to the live computation.
#[tokio::test]
async fn the_benchmark_runs_on_postgres() {
    let Some(db) = crate::helpers::TestDb::postgres().await else {
        return;
    };
    let dir = sandbox();
    let out = bench(
        dir.path(),
        &["--database", db.url.as_str(), "--json", "bench.json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json_report(dir.path());
    assert_eq!(report["backend"], "postgres");
    assert_eq!(report["inquiries"], 3000);
    assert!(report["database_bytes"].as_u64().unwrap() > 0);
    for window in report["windows"].as_array().unwrap() {
        assert_eq!(window["matches_live"], true, "{window}");
    }
    db.finish().await;
}

/// Interrupted by Ctrl-C (SIGINT) while it writes, the benchmark stops with a message and
/// removes its temporary database instead of leaving it behind.
#[test]
fn an_interrupted_benchmark_removes_its_temporary_database() {
    use std::io::{BufRead as _, BufReader};
    let dir = sandbox();
    let tmp = dir.path().join("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulso"))
        .args(["bench", "--inquiries", "50000000", "--runs", "1"])
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DATABASE_URL")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start pulso bench");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.starts_with("writing 50000000 inquiries"), "{line}");
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        1,
        "the database is there"
    );
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert_eq!(status.code(), Some(1), "{rest}");
    assert!(rest.contains("interrupted by Ctrl-C"), "{rest}");
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
