//! `pulso indicators --by …` and the filter flags, end to end on both backends: the binary
//! runs against a database the test wrote through the store, and its figures are the ones
//! counted by hand.

use pulso::domain::{SurveyKind, SurveyResponse};

use super::*;
use crate::helpers::{TestDb, answer, expired, in_progress, insert, pending, resolved, utc};

/// A UTC workspace `ventas` on the test's database.
fn config(url: &str) -> String {
    format!(
        r#"
[database]
url = "{url}"

[demo]
enabled = false

[[workspaces]]
id = "ventas"
name = "Ventas"
timezone = "UTC"
locale = "en"
"#
    )
}

/// On 2026-03-10 (UTC): op-a resolved two (attention 10 and 20 min, resolution 20 and 40)
/// and holds one in progress (attention 5); op-b resolved one from `refunds` (30, 60) that
/// got an NPS 10; nobody holds one pending and one expired; an NPS 0 names no inquiry.
async fn write_day(db: &TestDb) {
    let at = |hour| utc(2026, 3, 10, hour, 0, 0);
    let operator = |mut inquiry: pulso::domain::Inquiry, who: &str| {
        inquiry.operator_id = Some(who.into());
        inquiry
    };
    let mut refunds = operator(resolved("ventas", "r3", at(12), 30, 60), "op-b");
    refunds.origin = "refunds".into();
    let inquiries = [
        operator(resolved("ventas", "r1", at(8), 10, 20), "op-a"),
        operator(resolved("ventas", "r2", at(9), 20, 40), "op-a"),
        operator(in_progress("ventas", "p1", at(10), 5), "op-a"),
        refunds,
        pending("ventas", "x1", at(11)),
        expired("ventas", "e1", at(7), 60),
    ];
    let named = SurveyResponse {
        inquiry_id: Some("r3".into()),
        ..answer("ventas", "n1", SurveyKind::Nps, 10, at(15))
    };
    let unknown = answer("ventas", "n2", SurveyKind::Nps, 0, at(16));
    insert(&db.store, &inquiries, &[named, unknown]).await;
}

const DAY: [&str; 6] = [
    "--from",
    "2026-03-10",
    "--to",
    "2026-03-10",
    "--now",
    "2026-03-11T12:00:00Z",
];

fn breakdown_json(sandbox: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["indicators", "--format", "json"];
    all.extend_from_slice(&DAY);
    all.extend_from_slice(args);
    serde_json::from_str(&sandbox.ok(&all)).expect("JSON output")
}

/// `(key, resolved, expired, pending, in_progress)` of each row.
fn counts(rows: &Value) -> Vec<(Value, u64, u64, u64, u64)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let n = |name: &str| row[name].as_u64().unwrap();
            let key = row["key"].clone();
            (
                key,
                n("resolved"),
                n("expired"),
                n("pending"),
                n("in_progress"),
            )
        })
        .collect()
}

async fn breakdown_by_operator(db: TestDb) {
    write_day(&db).await;
    let sandbox = Sandbox::new(&config(&db.url));
    let json = breakdown_json(&sandbox, &["--by", "operator"]);
    assert_eq!(
        (&json["workspace"], &json["by"]),
        (&"ventas".into(), &"operator".into())
    );
    assert_eq!(
        counts(&json["groups"]),
        [
            ("op-a".into(), 2, 0, 0, 1),
            ("op-b".into(), 1, 0, 0, 0),
            (Value::Null, 0, 1, 1, 0),
        ],
        "{json}"
    );
    let op_a = &json["groups"][0];
    assert_eq!(op_a["avg_attention_min"], 35.0 / 3.0);
    assert_eq!(op_a["avg_resolution_min"], 30.0);
    assert_eq!(op_a["attention"]["median_min"], 10.0);
    let op_b = &json["groups"][1];
    assert_eq!(
        (&op_b["nps"]["score"], &op_b["nps"]["responses"]),
        (&100.0.into(), &1.into())
    );
    assert_eq!(op_b["avg_attention_resolution_min"], 90.0);
    assert_eq!(json["previous"], Value::Null, "previous is per row");
    assert_eq!(op_a["previous"]["resolved"], 0);
    assert_eq!(
        (&json["others"], &json["total_groups"]),
        (&Value::Null, &3.into())
    );

    let top = breakdown_json(
        &sandbox,
        &["--by", "operator", "--top", "1", "--sort", "attention"],
    );
    assert_eq!(
        counts(&top["groups"]),
        [("op-b".into(), 1, 0, 0, 0)],
        "slowest attention first"
    );
    assert_eq!(
        counts(&serde_json::json!([top["others"]])),
        [(Value::Null, 2, 1, 1, 1)]
    );

    let refunds = breakdown_json(&sandbox, &["--by", "operator", "--origin", "refunds"]);
    assert_eq!(counts(&refunds["groups"]), [("op-b".into(), 1, 0, 0, 0)]);
    assert_eq!(
        refunds["filter"],
        serde_json::json!({"origin": ["refunds"]})
    );

    // The filtered report: op-a's inquiries only; the answer naming no inquiry is left out.
    let report = breakdown_json(&sandbox, &["--operator", "op-a, op-b"]);
    assert_eq!(
        (&report["resolved"], &report["in_progress"]),
        (&3.into(), &1.into())
    );
    assert_eq!(report["nps"]["responses"], 1);
    let all = breakdown_json(&sandbox, &[]);
    assert_eq!(
        all["nps"]["responses"], 2,
        "unfiltered totals count every answer"
    );

    let mut args = vec!["indicators", "--by", "operator"];
    args.extend_from_slice(&DAY);
    let text = sandbox.ok(&args);
    assert!(
        text.starts_with("Indicators by operator · Mar 10, 2026\n"),
        "{text}"
    );
    assert_eq!(table_row(&text, "op-a")[..3], ["0", "1", "2"], "{text}");
    assert!(text.contains("\nunassigned "), "{text}");

    let list = sandbox.ok(&[
        "inquiries",
        "--status",
        "resolved",
        "--origin",
        "refunds",
        "--format",
        "json",
        "--from",
        "2026-03-10",
        "--to",
        "2026-03-10",
        "--now",
        "2026-03-11T12:00:00Z",
    ]);
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["count"], 1, "{list}");
    let mut args = vec!["indicators", "--origin", "refunds"];
    args.extend_from_slice(&DAY);
    assert!(sandbox.ok(&args).contains("\nFilter: origin = refunds\n"));
    let list = sandbox.ok(&[
        "inquiries",
        "--status",
        "pending",
        "--channel",
        "whatsapp",
        "--now",
        "2026-03-11T12:00:00Z",
    ]);
    assert!(list.contains("\nFilter: channel = whatsapp\n"), "{list}");
    db.finish().await;
}

#[tokio::test]
async fn breakdown_by_operator_on_sqlite() {
    breakdown_by_operator(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn breakdown_by_operator_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        breakdown_by_operator(db).await;
    }
}

/// Bad `--by`, `--top`, `--sort` and filter values exit non-zero on one line naming the flag.
#[test]
fn bad_breakdown_flags_name_the_flag() {
    let sandbox = Sandbox::new(ONE_WORKSPACE);
    let cases: [(&[&str], i32, &str); 6] = [
        (
            &["indicators", "--by", "agent"],
            1,
            "error: --by: unknown dimension \"agent\"",
        ),
        (
            &["indicators", "--by", "operator", "--top", "0"],
            1,
            "error: --top: \"0\"",
        ),
        (
            &["indicators", "--origin", ","],
            1,
            "error: --origin: no value given",
        ),
        (
            &["indicators", "--by", "origin", "--sort", "fast"],
            1,
            "error: --sort: unknown order",
        ),
        (&["indicators", "--top", "3"], 2, "--by"),
        (
            &["inquiries", "--status", "pending", "--channel", " , "],
            1,
            "error: --channel: no value given",
        ),
    ];
    for (args, code, words) in cases {
        let run = sandbox.run(args);
        assert_eq!(run.code, Some(code), "pulso {args:?}: {run:#?}");
        assert_eq!(run.stdout, "", "pulso {args:?}");
        if code == 1 {
            let line = error_line(&run);
            assert!(line.starts_with(words), "pulso {args:?}: {line:?}");
        } else {
            assert!(run.stderr.contains(words), "pulso {args:?}: {}", run.stderr);
        }
    }
}
