//! `pulso bench` end to end on a small dataset, on SQLite and PostgreSQL: the CSV files it
//! writes, the `pulso import` runs and one-shot commands it times as child processes, that
//! it checks its own answers after the imports, and what it leaves on disk.

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

/// The three `pulso import` runs of a 3,000-inquiry dataset, each measured as a process
/// (wall time, rows per second, its own peak RSS) with its target, and the one-shot timings.
fn check_imports_and_oneshot(report: &Value) {
    let imports = report["imports"].as_array().expect("imports");
    let scenarios: Vec<&str> = imports
        .iter()
        .map(|run| run["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(scenarios, ["time-ordered", "shuffled-uuid", "upsert"]);
    let answers = report["survey_answers"].as_u64().unwrap();
    for run in &imports[..2] {
        assert_eq!(run["inquiries"], 3000, "{run}");
        assert_eq!(run["survey_answers"].as_u64(), Some(answers), "{run}");
    }
    // A tenth as many rows: 150 new inquiries and about as many changed ones.
    let upserted = imports[2]["inquiries"].as_u64().unwrap();
    assert!((200..=400).contains(&upserted), "{}", imports[2]);
    for run in imports {
        assert!(run["wall_seconds"].as_f64().unwrap() > 0.0, "{run}");
        assert!(run["rows_per_second"].as_f64().unwrap() > 0.0, "{run}");
        assert!(run["target_rows_per_second"].as_f64().unwrap() >= 50_000.0);
        assert!(run["csv_bytes"].as_u64().unwrap() > 0, "{run}");
        assert!(run["meets_targets"].is_boolean(), "{run}");
        if cfg!(target_os = "linux") {
            assert!(run["peak_rss_bytes"].as_u64().unwrap() > 1_000_000, "{run}");
        }
    }
    assert_ne!(imports[1]["database"], imports[0]["database"]);
    assert_eq!(imports[2]["database"], report["database"]);
    let oneshot = &report["oneshot"];
    assert_eq!(oneshot["runs"], 20);
    assert!(
        oneshot["version_median_ms"].as_f64().unwrap() > 0.0,
        "{oneshot}"
    );
    assert!(
        oneshot["indicators_median_ms"].as_f64().unwrap() > 0.0,
        "{oneshot}"
    );
    assert_eq!(oneshot["target_overhead_ms"], 2.0);
    assert_eq!(oneshot["target_end_to_end_ms"], 6.0);
    let parts = ["version_median_ms", "answer_ms", "startup_ms"]
        .map(|key| oneshot[key].as_f64().unwrap_or(f64::NAN));
    let whole = oneshot["indicators_median_ms"].as_f64().unwrap();
    assert!(
        (parts.iter().sum::<f64>() - whole).abs() < 1e-6,
        "start-up is what the process spends beyond --version and the answer: {oneshot}"
    );
    assert_eq!(
        oneshot["answer_ms"], report["windows"][0]["median_ms"],
        "{oneshot}"
    );
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The default run writes its CSV files and database in a temporary folder, imports them
/// as `pulso import` would, reports all three windows equal to the live computation after
/// the imports, and removes the folder (gigabytes at full size) when it ends.
#[test]
fn the_benchmark_reports_every_window_and_removes_its_temporary_database() {
    let dir = sandbox();
    let out = bench(dir.path(), &["--json", "bench.json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json_report(dir.path());
    assert_eq!(report["backend"], "sqlite");
    assert_eq!(report["inquiries"], 3000);
    assert!(report["survey_answers"].as_u64().unwrap() > 0);
    check_imports_and_oneshot(&report);
    let stdout = text(&out.stdout);
    for line in [
        "time-ordered",
        "shuffled UUID",
        "upsert",
        "beyond --version",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
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

/// A database named with `--path` is kept, and so are CSV files written into `--csv-dir`;
/// a second run refuses to overwrite the database, naming it, and `--reuse` times it again
/// without writing.
#[test]
fn a_named_database_is_kept_refused_again_and_reused() {
    let dir = sandbox();
    let first = bench(dir.path(), &["--path", "kept.db", "--csv-dir", "csv"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(dir.path().join("kept.db").exists());
    check_kept_csv(&dir.path().join("csv"));
    let scratch: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("pulso-bench-"))
        .collect();
    assert!(scratch.is_empty(), "left behind: {scratch:?}");

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

/// The files in `--csv-dir`: the import's headers; the shuffled files hold the same rows as
/// the time-ordered ones, in another order, with UUID ids that answers point to; the upsert
/// file changes existing inquiries and adds new ones.
fn check_kept_csv(csv: &Path) {
    let read = |name: &str| std::fs::read_to_string(csv.join(name)).expect(name);
    let rows = |content: &str| -> Vec<Vec<String>> {
        content
            .lines()
            .skip(1)
            .map(|line| line.split(',').map(String::from).collect())
            .collect()
    };
    let (inquiries, shuffled) = (read("inquiries.csv"), read("inquiries-shuffled.csv"));
    let header = "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at";
    assert_eq!(inquiries.lines().next(), Some(header));
    assert_eq!(shuffled.lines().next(), Some(header));
    let survey_header = "id,workspace,inquiry_id,kind,score,answered_at";
    for name in ["surveys.csv", "surveys-shuffled.csv", "upsert-surveys.csv"] {
        assert_eq!(read(name).lines().next(), Some(survey_header), "{name}");
    }
    let (ordered, shuffled) = (rows(&inquiries), rows(&shuffled));
    assert_eq!(ordered.len(), 3000);
    assert_eq!(shuffled.len(), 3000);
    let requested = |rows: &[Vec<String>]| rows.iter().map(|r| r[6].clone()).collect::<Vec<_>>();
    let (in_order, in_shuffle) = (requested(&ordered), requested(&shuffled));
    assert!(in_order.is_sorted());
    assert!(!in_shuffle.is_sorted());
    let mut sorted = in_shuffle.clone();
    sorted.sort();
    assert_eq!(sorted, in_order, "the same rows");
    let uuids: std::collections::HashSet<&str> = shuffled.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(uuids.len(), 3000);
    assert!(
        uuids
            .iter()
            .all(|id| id.len() == 36 && id.matches('-').count() == 4)
    );
    for answer in rows(&read("surveys-shuffled.csv")) {
        assert!(uuids.contains(answer[2].as_str()), "{answer:?}");
    }
    let existing: std::collections::HashSet<&str> = ordered.iter().map(|r| r[0].as_str()).collect();
    let upsert = rows(&read("upsert-inquiries.csv"));
    let changed = upsert
        .iter()
        .filter(|r| existing.contains(r[0].as_str()))
        .count();
    assert_eq!(upsert.len() - changed, 150, "new inquiries");
    assert!((100..=200).contains(&changed), "{changed} changed");
}

/// On PostgreSQL (a fresh test database named with `--database`), the benchmark imports the
/// files (the shuffled ones into a second database it drops afterwards), settles and
/// answers every window equal to the live computation.
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
    check_imports_and_oneshot(&report);
    // The shuffled import went into `<name>_shuffled`, created and dropped by the run.
    let shuffled = report["imports"][1]["database"].as_str().unwrap();
    assert!(shuffled.ends_with("_shuffled"), "{shuffled}");
    let name = shuffled.rsplit('/').next().unwrap();
    let admin = std::env::var(crate::helpers::POSTGRES_ENV).unwrap();
    let pool = sqlx::PgPool::connect(&admin).await.unwrap();
    let left: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(left, None, "{name} was left behind");
    let left: Vec<_> = std::fs::read_dir(dir.path().join("tmp")).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
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
