//! The alert rules' "done when" with the CLI alone: a scripted day of the queue, written
//! with `pulso import` and judged with `pulso alerts check --now …`, posts exactly one
//! firing, one critical and one resolved message to the fake Discord channel, the first two
//! with their buttons; on SQLite and PostgreSQL.

use std::path::Path;

use crate::fake_discord::FakeDiscord;
use crate::harness::run_pulso;
use crate::helpers::TestDb;

crate::app_tests!(a_scripted_day_through_the_cli_posts_three_messages);

const HEADER: &str = "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at\n";

/// A CSV of `n` inquiries `prefix-i` requested at `requested`, pending or (with `resolved`)
/// attended 25 min and resolved 30 min after.
fn csv(dir: &Path, name: &str, rows: &[(&str, usize, &str, bool)]) -> String {
    let mut text = HEADER.to_string();
    for (prefix, n, requested, resolved) in rows {
        for i in 0..*n {
            let tail = if *resolved {
                let at = chrono::DateTime::parse_from_rfc3339(requested).unwrap();
                let attended = (at + chrono::Duration::minutes(25)).to_rfc3339();
                let done = (at + chrono::Duration::minutes(30)).to_rfc3339();
                format!("resolved,op1,{requested},{attended},{done},")
            } else {
                format!("pending,,{requested},,,")
            };
            text.push_str(&format!("{prefix}-{i},w,whatsapp,payments,{tail}\n"));
        }
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn pulso(dir: &Path, database: &str, args: &[&str]) -> String {
    run_pulso(dir, database, &[], args).0
}

async fn a_scripted_day_through_the_cli_posts_three_messages(db: TestDb) {
    let discord = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[discord]\ntransport = \"gateway\"\napi_base = \"{}\"\n\
         [[workspaces]]\nid = \"w\"\nname = \"Equipo\"\ntimezone = \"UTC\"\nlocale = \"en\"\n\
         alerts_channel_id = \"555\"\n\
         [[workspaces.alerts]]\nrule = \"queue_waiting\"\nover = \"15m\"\nthreshold = 5\ncritical = 20\nrecover_at = 2\n",
        discord.base
    );
    std::fs::write(dir.path().join("pulso.toml"), config).unwrap();
    let database = db.url.clone();
    let d = dir.path();
    let morning = "2026-12-01T09:00:00Z";
    let early = csv(d, "a.csv", &[("a", 6, morning, false)]);
    pulso(d, &database, &["import", "--inquiries", &early]);
    let out = pulso(
        d,
        &database,
        &["alerts", "check", "--now", "2026-12-01T09:10:00Z"],
    );
    assert!(out.contains("w/queue_waiting: ok (0 inquiries)"), "{out}");
    let out = pulso(
        d,
        &database,
        &["alerts", "check", "--now", "2026-12-01T09:20:00Z"],
    );
    assert!(
        out.contains("w/queue_waiting: firing (6 inquiries) · 1 message(s) queued"),
        "{out}"
    );
    assert!(out.contains("1 message(s) delivered"), "{out}");
    let busy = csv(d, "b.csv", &[("b", 16, "2026-12-01T09:30:00Z", false)]);
    pulso(d, &database, &["import", "--inquiries", &busy]);
    let out = pulso(
        d,
        &database,
        &["alerts", "check", "--now", "2026-12-01T09:50:00Z"],
    );
    assert!(out.contains("critical (22 inquiries)"), "{out}");
    pulso(
        d,
        &database,
        &["alerts", "check", "--now", "2026-12-01T09:55:00Z"],
    );
    let drained = csv(
        d,
        "c.csv",
        &[
            ("a", 6, morning, true),
            ("b", 16, "2026-12-01T09:30:00Z", true),
        ],
    );
    pulso(d, &database, &["import", "--inquiries", &drained]);
    let out = pulso(
        d,
        &database,
        &["alerts", "check", "--now", "2026-12-01T10:30:00Z"],
    );
    assert!(
        out.contains("ok (0 inquiries) · 2 message(s) queued"),
        "{out}"
    );
    pulso(
        d,
        &database,
        &["alerts", "check", "--now", "2026-12-01T10:31:00Z"],
    );

    let posted = discord.posted();
    let titles: Vec<&str> = posted
        .iter()
        .map(|p| p.body["embeds"][0]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "⚠️ queue_waiting · Equipo",
            "🔴 queue_waiting · critical · Equipo",
            "✅ queue_waiting · resolved · Equipo"
        ]
    );
    assert!(posted.iter().all(|p| p.channel == "555"));
    let edits: Vec<_> = discord
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .map(|r| (r.path, r.body["embeds"][0]["title"].clone()))
        .collect();
    assert_eq!(
        edits,
        [(
            format!("/api/v10/channels/555/messages/{}", posted[0].id),
            serde_json::json!("✅ queue_waiting · resolved after 1 h 10 min · Equipo")
        )],
        "the first message edited to show the episode is over"
    );
    let buttons = |i: usize| posted[i].body["components"].as_array().map_or(0, Vec::len);
    assert_eq!(
        (buttons(0), buttons(1), buttons(2)),
        (1, 1, 0),
        "buttons until resolved"
    );
    let status = pulso(d, &database, &["alerts", "status", "--format", "json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status[0]["level"], "ok");
    assert_eq!(status[0]["episode"], 1);
    db.finish().await;
}
