//! The `pulso` binary end to end on SQLite: each test runs it in a fresh temporary folder
//! with its own config file and checks exit codes, stdout and stderr.

mod breakdown;
mod inquiries;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// One Spanish workspace in Buenos Aires (UTC-3), SQLite next to the config, no demo data.
const ONE_WORKSPACE: &str = r#"
[database]
url = "sqlite://pulso.db"

[demo]
enabled = false

[[workspaces]]
id = "ventas"
name = "Ventas"
timezone = "America/Argentina/Buenos_Aires"
locale = "es"
"#;

/// A second, English workspace in Madrid.
const SECOND_WORKSPACE: &str = r#"
[[workspaces]]
id = "support"
name = "Support"
timezone = "Europe/Madrid"
locale = "en"
"#;

const INQUIRY_HEADER: &str = "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at";
const SURVEY_HEADER: &str = "id,workspace,inquiry_id,kind,score,answered_at";

/// Inquiries of `ventas` on 2026-03-10 local time, plus one on each edge of that day.
const VENTAS_INQUIRIES: &[&str] = &[
    "1,ventas,whatsapp,payments,pending,,2026-03-10T09:00:00-03:00,,,",
    "2,ventas,whatsapp,claims,in_progress,op-1,2026-03-10T09:00:00-03:00,2026-03-10T09:03:00-03:00,,",
    "3,ventas,webchat,orders,resolved,op-2,2026-03-10T10:00:00-03:00,2026-03-10T10:06:00-03:00,2026-03-10T10:26:00-03:00,",
    "4,ventas,whatsapp,payments,resolved,op-1,2026-03-10T11:00:00-03:00,2026-03-10T11:09:00-03:00,2026-03-10T11:49:00-03:00,",
    "5,ventas,whatsapp,other,expired,,2026-03-10T08:00:00-03:00,,,2026-03-10T12:00:00-03:00",
    // 22:00 local on March 10: inside the day although it is March 11 in UTC.
    "6,ventas,whatsapp,payments,pending,,2026-03-11T01:00:00Z,,,",
    // 23:59:59 local on March 9: the day before, although it is March 10 in UTC.
    "7,ventas,whatsapp,payments,pending,,2026-03-10T02:59:59Z,,,",
];

/// Survey answers of `ventas` on 2026-03-10 local time.
const VENTAS_SURVEYS: &[&str] = &[
    "n1,ventas,3,nps,10,2026-03-10T10:30:00-03:00",
    "n2,ventas,4,nps,6,2026-03-10T12:00:00-03:00",
    "n3,ventas,,nps,8,2026-03-10T12:05:00-03:00",
    "c1,ventas,3,csat,4,2026-03-10T10:40:00-03:00",
    "c2,ventas,,csat,2,2026-03-10T12:10:00-03:00",
    "c3,ventas,,csat,5,2026-03-10T12:20:00-03:00",
    "c4,ventas,,csat,1,2026-03-10T12:30:00-03:00",
];

/// "Now" for the indicator runs: noon on 2026-03-11 in Buenos Aires, so `yesterday` is March 10.
const NOW: &str = "2026-03-11T15:00:00Z";

/// A temporary folder holding `pulso.toml`, where the binary runs.
struct Sandbox {
    dir: tempfile::TempDir,
}

/// What one run printed and how it ended.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Sandbox {
    fn new(config: &str) -> Sandbox {
        let sandbox = Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        sandbox.write("pulso.toml", config);
        sandbox
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).expect("write file");
    }

    /// Writes a CSV file of `header` and `rows`.
    fn write_csv(&self, name: &str, header: &str, rows: &[&str]) {
        self.write(name, &format!("{header}\n{}\n", rows.join("\n")));
    }

    /// Runs the binary with exactly `args`, in the folder, with no pulso variables set.
    fn run_raw(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_pulso"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("PULSO_CONFIG")
            .env_remove("PULSO_DATABASE_URL")
            .env_remove("PULSO_LOG")
            .output()
            .expect("run pulso");
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    }

    /// Runs `pulso --config pulso.toml ARGS`.
    fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--config", "pulso.toml"];
        all.extend_from_slice(args);
        self.run_raw(&all)
    }

    /// Runs expecting exit 0; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, Some(0), "pulso {args:?} failed: {run:#?}");
        run.stdout
    }

    /// Runs `indicators --format json` with `args` and parses the output.
    fn indicators_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["indicators", "--format", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("JSON output")
    }

    /// Imports the `ventas` files.
    fn import_ventas(&self) {
        self.write_csv("inquiries.csv", INQUIRY_HEADER, VENTAS_INQUIRIES);
        self.write_csv("surveys.csv", SURVEY_HEADER, VENTAS_SURVEYS);
        let out = self.ok(&[
            "import",
            "--inquiries",
            "inquiries.csv",
            "--surveys",
            "surveys.csv",
        ]);
        assert_eq!(out, "imported 7 inquiries and 7 survey answers\n");
    }
}

/// The Spanish and the English workspace.
fn two_workspaces() -> String {
    format!("{ONE_WORKSPACE}{SECOND_WORKSPACE}")
}

/// The single `error:` line of a failed run; only clap's `--help` hint may follow it.
fn error_line(run: &Run) -> &str {
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let (first, rest) = lines.split_first().expect("an error on stderr");
    assert!(first.starts_with("error: "), "{}", run.stderr);
    assert!(
        rest.iter()
            .all(|line| *line == "For more information, try '--help'."),
        "more than one error line:\n{}",
        run.stderr
    );
    first
}

/// The whitespace-separated cells of the text-table line that starts with `label`.
fn table_row<'a>(text: &'a str, label: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .find(|line| line.starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{text}"));
    line[label.len()..].split_whitespace().collect()
}

/// `config check` on a good file prints one OK line naming the file, the workspace count
/// and the database, exits 0, and does not create the database.
#[test]
fn config_check_accepts_a_good_file() {
    let sandbox = Sandbox::new(&two_workspaces());
    let out = sandbox.ok(&["config", "check"]);
    assert_eq!(
        out,
        "pulso.toml: OK (2 workspace(s), database sqlite://pulso.db)\n"
    );
    assert!(
        !sandbox.path("pulso.db").exists(),
        "a check must not create the database"
    );
}

/// `config check` on a bad file exits non-zero and lists every problem on stderr.
#[test]
fn config_check_lists_every_problem_of_a_bad_file() {
    let config = r#"
[database]
url = "sqlite://pulso.db"

[[workspaces]]
id = "ventas"
name = "Ventas"
timezone = "America/Bueno_Aires"
locale = "es"

[[workspaces]]
id = "ventas"
name = "Ventas 2"
timezone = "UTC"
locale = "fr"
"#;
    let sandbox = Sandbox::new(config);
    let run = sandbox.run(&["config", "check"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: pulso.toml: 3 problem(s):\n\
         \x20 workspaces[0].timezone: unknown time zone \"America/Bueno_Aires\" (did you mean \"America/Argentina/Buenos_Aires\"?)\n\
         \x20 workspaces[1].locale: unknown locale \"fr\"; use \"es\", \"en\" or \"pt\"\n\
         \x20 workspaces[1].id: \"ventas\" is already used by workspaces[0] (ids must be unique)\n"
    );
}

/// Each bad flag fails with a non-zero exit and one error line naming the option and value.
#[test]
fn bad_flags_fail_with_one_line_naming_the_option() {
    let sandbox = Sandbox::new(&two_workspaces());
    let cases: [(&[&str], i32, &[&str]); 6] = [
        (
            &["indicators", "--period", "bogus"],
            2,
            &[
                "'--period ",
                "'bogus'",
                "unknown period \"bogus\"",
                "today, yesterday, last-7-days",
            ],
        ),
        (
            &["indicators", "--from", "2026-13-01", "--to", "2026-01-02"],
            2,
            &[
                "'--from ",
                "\"2026-13-01\" is not a date",
                "write YYYY-MM-DD",
            ],
        ),
        (
            &["indicators", "--from", "2026-02-02", "--to", "2026-02-01"],
            1,
            &[
                "error: --from/--to: the start date 2026-02-02 is after the end date 2026-02-01; swap them",
            ],
        ),
        (
            &["indicators", "--from", "2025-01-01", "--to", "2026-01-02"],
            1,
            &["error: --from/--to: the period spans 367 days; the longest allowed is 366 days"],
        ),
        (
            &["indicators", "--workspace", "nope"],
            1,
            &[
                "error: --workspace: unknown workspace \"nope\" (configured: ventas, support; see pulso.toml)",
            ],
        ),
        (
            &["indicators", "--now", "yesterday"],
            2,
            &[
                "'--now ",
                "\"yesterday\" is not an RFC 3339 instant",
                "2026-11-29T12:00:00Z",
            ],
        ),
    ];
    for (args, code, words) in cases {
        let run = sandbox.run(args);
        assert_eq!(run.code, Some(code), "pulso {args:?}: {run:#?}");
        assert_eq!(run.stdout, "", "pulso {args:?}");
        let line = error_line(&run);
        for word in words {
            assert!(
                line.contains(word),
                "pulso {args:?}: {line:?} should mention {word:?}"
            );
        }
    }
}

/// The longest allowed window, 366 days, is accepted.
#[test]
fn a_window_of_366_days_is_accepted() {
    let sandbox = Sandbox::new(ONE_WORKSPACE);
    let json =
        sandbox.indicators_json(&["--from", "2024-01-01", "--to", "2024-12-31", "--now", NOW]);
    assert_eq!(json["period"]["days"], 366);
}

/// A good import followed by `indicators --format json` prints exactly the expected figures
/// under the contract's field names, counted in the workspace's time zone.
#[test]
fn imported_data_shows_in_the_json_indicators() {
    let sandbox = Sandbox::new(ONE_WORKSPACE);
    sandbox.import_ventas();
    let json = sandbox.indicators_json(&["--period", "yesterday", "--now", NOW]);
    assert_eq!(json["workspace"], "ventas");
    let period = &json["period"];
    assert_eq!(period["from"], "2026-03-10");
    assert_eq!(period["to"], "2026-03-10");
    assert_eq!(period["timezone"], "America/Argentina/Buenos_Aires");
    assert_eq!(period["window"]["start"], "2026-03-10T03:00:00Z");
    assert_eq!(period["window"]["end"], "2026-03-11T03:00:00Z");
    assert_eq!(
        json["pending"], 2,
        "1 and 6, not 7 (the day before, locally)"
    );
    assert_eq!(json["in_progress"], 1);
    assert_eq!(json["resolved"], 2);
    assert_eq!(json["expired"], 1);
    assert_eq!(json["avg_attention_min"], 6.0); // (3 + 6 + 9) / 3
    assert_eq!(json["avg_resolution_min"], 30.0); // (20 + 40) / 2
    assert_eq!(json["avg_attention_resolution_min"], 37.5); // (26 + 49) / 2
    let nps = &json["nps"];
    assert_eq!(nps["score"], 0.0);
    assert_eq!(nps["responses"], 3);
    assert_eq!(nps["promoters"], 1);
    assert_eq!(nps["passives"], 1);
    assert_eq!(nps["detractors"], 1);
    let csat = &json["csat"];
    assert_eq!(csat["score"], 50.0);
    assert_eq!(csat["responses"], 4);
    assert_eq!(csat["satisfied"], 2);
    assert_eq!(json["previous"]["period"]["from"], "2026-03-09");
    assert_eq!(
        json["previous"]["pending"], 1,
        "7 belongs to March 9 locally"
    );
    assert!(
        json["previous"]["avg_attention_min"].is_null(),
        "no data is null, not 0"
    );
    assert_eq!(json["oldest_pending"]["id"], "7");
    assert_eq!(json["generated_at"], NOW);
}

/// A rejected import exits non-zero, prints every `FILE:LINE: column: problem`, and writes
/// nothing, not even its good rows.
#[test]
fn a_rejected_import_lists_its_problems_and_writes_nothing() {
    let sandbox = Sandbox::new(ONE_WORKSPACE);
    sandbox.write_csv(
        "bad.csv",
        INQUIRY_HEADER,
        &[
            "1,ventas,whatsapp,payments,pending,,2026-03-10T09:00:00-03:00,,,",
            "2,ventas,whatsapp,payments,done,,2026-03-10T09:00:00-03:00,,,",
            "3,ventas,whatsapp,payments,resolved,op-1,2026-03-10T09:00:00-03:00,2026-03-10T09:10:00-03:00,2026-03-10T09:05:00-03:00,",
        ],
    );
    let run = sandbox.run(&["import", "--inquiries", "bad.csv"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: import rejected, nothing was written: 2 problem(s)\n\
         \x20 bad.csv:3: status: unknown status \"done\" (expected pending, in_progress, resolved or expired)\n\
         \x20 bad.csv:4: resolved_at: resolved_at (2026-03-10 12:05:00 UTC) is before attended_at (2026-03-10 12:10:00 UTC)\n"
    );
    let json = sandbox.indicators_json(&["--period", "yesterday", "--now", NOW]);
    for figure in ["pending", "in_progress", "resolved", "expired"] {
        assert_eq!(json[figure], 0, "{figure}");
    }
    assert_eq!(json["nps"]["responses"], 0);
    assert!(json["oldest_pending"].is_null(), "{json}");
}

/// A file that cannot be read is named once, with the system's reason once (not repeated
/// by the error chain).
#[test]
fn unreadable_files_are_named_on_one_line() {
    let sandbox = Sandbox::new(ONE_WORKSPACE);
    let reason = std::fs::File::open(sandbox.path("missing.csv"))
        .unwrap_err()
        .to_string();
    let run = sandbox.run(&["import", "--inquiries", "missing.csv"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(
        run.stderr,
        format!("error: missing.csv: cannot read: {reason}\n")
    );

    let run = sandbox.run_raw(&["--config", "missing.toml", "config", "check"]);
    assert_eq!(run.code, Some(1), "{run:#?}");
    assert_eq!(
        run.stderr,
        format!(
            "error: missing.toml: cannot read the config file: {reason} (check the path given with --config or PULSO_CONFIG)\n"
        )
    );
}

/// The text table uses the workspace's language: Spanish labels and decimal commas for an
/// `es` workspace, English ones for an `en` workspace.
#[test]
fn text_output_speaks_the_workspace_language() {
    let sandbox = Sandbox::new(&two_workspaces());
    sandbox.import_ventas();
    sandbox.write_csv(
        "support.csv",
        INQUIRY_HEADER,
        &[
            "s1,support,whatsapp,payments,resolved,op-1,2026-03-10T10:00:00+01:00,2026-03-10T10:04:30+01:00,2026-03-10T10:20:00+01:00,",
            "s2,support,whatsapp,payments,pending,,2026-03-10T11:00:00+01:00,,,",
        ],
    );
    assert_eq!(
        sandbox.ok(&["import", "--inquiries", "support.csv"]),
        "imported 2 inquiries and 0 survey answers\n"
    );

    let spanish = sandbox.ok(&[
        "indicators",
        "--workspace",
        "ventas",
        "--period",
        "yesterday",
        "--now",
        NOW,
    ]);
    let mut lines = spanish.lines();
    assert_eq!(lines.next(), Some("Ventas (ventas)"));
    assert_eq!(
        lines.next(),
        Some("Período: 2026-03-10 → 2026-03-10 (America/Argentina/Buenos_Aires, 1 día)")
    );
    assert_eq!(
        table_row(&spanish, "Consultas pendientes"),
        ["2", "1", "+1"]
    );
    assert_eq!(
        table_row(&spanish, "Promedio de atención +"),
        [
            "resolución",
            "37,5",
            "min",
            "(mediana",
            "37,5)",
            "sin",
            "datos",
            "—"
        ]
    );
    assert_eq!(
        table_row(&spanish, "Promedio de atención"),
        ["6,0", "min", "(mediana", "6,0)", "sin", "datos", "—"]
    );
    assert!(!spanish.contains("Pending inquiries"), "{spanish}");

    let english = sandbox.ok(&[
        "indicators",
        "--workspace",
        "support",
        "--period",
        "yesterday",
        "--now",
        NOW,
    ]);
    let mut lines = english.lines();
    assert_eq!(lines.next(), Some("Support (support)"));
    assert_eq!(
        lines.next(),
        Some("Period: 2026-03-10 → 2026-03-10 (Europe/Madrid, 1 day)")
    );
    assert_eq!(table_row(&english, "Pending inquiries"), ["1", "0", "+1"]);
    assert_eq!(
        table_row(&english, "Average attention"),
        ["4.5", "min", "(median", "4.5)", "no", "data", "—"]
    );
    assert!(!english.contains("Consultas pendientes"), "{english}");
    assert!(!english.contains("Promedio de atención"), "{english}");
}

/// The same demo-data arguments give identical indicators in two fresh folders (and again
/// after writing them twice); another seed gives other figures.
#[test]
fn demo_data_is_reproducible_from_its_seed() {
    const DEMO_NOW: &str = "2026-11-29T12:00:00Z";
    let demo = |seed: &str| {
        let sandbox = Sandbox::new(ONE_WORKSPACE);
        let args = [
            "demo-data",
            "--inquiries",
            "200",
            "--days",
            "10",
            "--seed",
            seed,
            "--now",
            DEMO_NOW,
        ];
        let written = sandbox.ok(&args);
        assert!(
            written.starts_with("wrote ") && written.ends_with(" for 1 workspace(s)\n"),
            "{written}"
        );
        let indicators = [
            "indicators",
            "--format",
            "json",
            "--period",
            "last-7-days",
            "--now",
            DEMO_NOW,
        ];
        // The first answer builds the day aggregates (exact percentiles); later answers read
        // them (percentiles within the stated bound). Compare like with like.
        sandbox.ok(&indicators);
        let first = sandbox.ok(&indicators);
        assert_eq!(
            sandbox.ok(&args),
            written,
            "writing the same demo data again"
        );
        assert_eq!(
            sandbox.ok(&indicators),
            first,
            "writing the same demo data again changes nothing"
        );
        (written, first)
    };
    let (written_a, json_a) = demo("3");
    let (written_b, json_b) = demo("3");
    assert_eq!(written_a, written_b);
    assert_eq!(json_a, json_b);
    let report: Value = serde_json::from_str(&json_a).unwrap();
    let resolved = report["resolved"].as_u64().unwrap();
    assert!(
        resolved > 0 && report["nps"]["responses"].as_u64().unwrap() > 0,
        "{report}"
    );
    assert_eq!(report["generated_at"], DEMO_NOW);

    let (_, json_other) = demo("4");
    assert_ne!(json_other, json_a, "another seed gives other data");
}

/// `migrate` creates the SQLite database, says so, and can run again.
#[test]
fn migrate_creates_the_database_and_can_run_again() {
    let sandbox = Sandbox::new(ONE_WORKSPACE);
    assert_eq!(
        sandbox.ok(&["migrate"]),
        "database sqlite://pulso.db is up to date\n"
    );
    assert!(sandbox.path("pulso.db").is_file());
    assert_eq!(
        sandbox.ok(&["migrate"]),
        "database sqlite://pulso.db is up to date\n"
    );
}
