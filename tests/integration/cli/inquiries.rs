//! `pulso inquiries`: the queue now (pending without a period, in progress) or a period's
//! count, as text in the workspace's language and as JSON.

use super::*;

fn json(sandbox: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["inquiries", "--now", NOW, "--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&sandbox.ok(&all)).expect("JSON output")
}

fn ids(list: &Value) -> Vec<&str> {
    list["oldest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|inquiry| inquiry["id"].as_str().unwrap())
        .collect()
}

#[test]
fn pending_is_the_queue_now_unless_a_period_is_given() {
    let sandbox = Sandbox::new(ONE_WORKSPACE);
    sandbox.import_ventas();
    let queue = json(&sandbox, &["--status", "pending"]);
    assert_eq!(queue["status"], "pending");
    assert_eq!(queue["count"], 3, "{queue}");
    assert_eq!(queue["period"], Value::Null);
    assert_eq!(ids(&queue), ["7", "1", "6"], "oldest first");
    let yesterday = json(&sandbox, &["--status", "pending", "--period", "yesterday"]);
    assert_eq!(yesterday["count"], 2, "{yesterday}");
    assert_eq!(yesterday["period"]["from"], "2026-03-10");
    assert_eq!(ids(&yesterday), ["1", "6"]);
    let custom = json(
        &sandbox,
        &[
            "--status",
            "pending",
            "--from",
            "2026-03-09",
            "--to",
            "2026-03-09",
        ],
    );
    assert_eq!(ids(&custom), ["7"]);
    let in_progress = json(
        &sandbox,
        &["--status", "in_progress", "--period", "yesterday"],
    );
    assert_eq!(
        (
            in_progress["count"].as_u64(),
            in_progress["period"].is_null()
        ),
        (Some(1), true)
    );
    let resolved = json(&sandbox, &["--status", "resolved", "--period", "yesterday"]);
    assert_eq!(resolved["count"], 2, "{resolved}");

    let text = sandbox.ok(&["inquiries", "--status", "pending", "--now", NOW]);
    assert!(
        text.starts_with("== Consultas pendientes · Ventas ==\nAhora mismo")
            && text.contains("Total: 3")
            && text.contains("1. `7` esperando"),
        "{text}"
    );
    let text = sandbox.ok(&[
        "inquiries",
        "--status",
        "pending",
        "--period",
        "yesterday",
        "--now",
        NOW,
    ]);
    assert!(text.contains("Solicitadas en 10 mar 2026"), "{text}");
    let run = sandbox.run(&["inquiries", "--status", "open"]);
    assert_eq!(run.code, Some(2), "{run:#?}");
    assert!(error_line(&run).contains("--status"), "{run:#?}");
}
