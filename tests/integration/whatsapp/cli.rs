//! The "done when" through the CLI alone: `pulso alerts check --now …` against the
//! fake Gupshup, with an account that goes AVAILABLE → LIMITED → AVAILABLE, a quality that
//! goes GREEN → RED with the limit TIER_1K → TIER_250, and a template `order_update` that
//! goes APPROVED → PAUSED → APPROVED, posts exactly one critical and one resolved account
//! message, one critical quality message, one limit-change message and two template
//! messages; the ratings endpoint is called once per 24 h of simulated time.

use std::path::Path;

use super::{account, ratings, templates};
use crate::fake_discord::FakeDiscord;
use crate::fake_gupshup::{Answer, Endpoint, FakeGupshup};
use crate::harness::run_pulso;
use crate::helpers::TestDb;

/// The partner app token the workspace reads from PULSO_TEST_APP_TOKEN.
const TOKEN: &str = "app-token-secret-77";

crate::app_tests!(the_scripted_account_quality_and_template_post_exactly_six_messages);

fn pulso(dir: &Path, database: &str, args: &[&str]) -> String {
    let (stdout, stderr) = run_pulso(dir, database, &[("PULSO_TEST_APP_TOKEN", TOKEN)], args);
    assert!(
        !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
        "the app token leaked:\n{stdout}\n{stderr}"
    );
    stdout
}

async fn the_scripted_account_quality_and_template_post_exactly_six_messages(db: TestDb) {
    let discord = FakeDiscord::start().await;
    let gupshup = FakeGupshup::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[discord]\ntransport = \"gateway\"\napi_base = \"{}\"\n\
         [[workspaces]]\nid = \"w\"\nname = \"Equipo\"\ntimezone = \"UTC\"\nlocale = \"en\"\n\
         alerts_channel_id = \"555\"\n\
         whatsapp = {{ provider = \"gupshup\" }}\n\
         gupshup = {{ mode = \"partner\", app_id = \"app-1\", api_key_env = \"PULSO_TEST_APP_TOKEN\", \
         partner_base_url = \"{}\" }}\n",
        discord.base, gupshup.base
    );
    std::fs::write(dir.path().join("pulso.toml"), config).unwrap();
    gupshup.script_for(
        Endpoint::WabaInfo,
        [account("AVAILABLE"), account("LIMITED")].map(|b| Answer::json(200, &b)),
    );
    gupshup.always_for(Endpoint::WabaInfo, Answer::json(200, &account("AVAILABLE")));
    gupshup.script_for(
        Endpoint::Ratings,
        [
            ratings("GREEN", "TIER_1K", "TIER_1K", "ONBOARDING"),
            ratings("RED", "TIER_1K", "TIER_250", "DOWNGRADE"),
        ]
        .map(|b| Answer::json(200, &b)),
    );
    gupshup.script_for(
        Endpoint::Templates,
        [templates("APPROVED"), templates("PAUSED")].map(|b| Answer::json(200, &b)),
    );
    gupshup.always_for(
        Endpoint::Templates,
        Answer::json(200, &templates("APPROVED")),
    );
    let (d, database) = (dir.path(), db.url.clone());
    let check = |at: &str| pulso(d, &database, &["alerts", "check", "--now", at]);

    let out = check("2026-12-01T10:00:00Z");
    assert!(
        out.contains("w/whatsapp_account: ok (read) · 0 message(s) queued"),
        "{out}"
    );
    assert!(out.contains("w/whatsapp_quality: ok (read)"), "{out}");
    let out = check("2026-12-01T10:10:00Z");
    assert!(
        out.contains("w/whatsapp_account: critical (read) · 1 message(s) queued"),
        "{out}"
    );
    assert!(!out.contains("whatsapp_quality"), "ratings not due: {out}");
    let out = check("2026-12-01T11:10:00Z");
    assert!(
        out.contains("w/whatsapp_account: ok (read) · 2 message(s) queued"),
        "{out}"
    );
    assert!(
        out.contains("w/whatsapp_templates: ok (read) · 1 message(s) queued"),
        "{out}"
    );
    // Past 24 h: the ratings once more, the template back.
    let out = check("2026-12-02T10:05:00Z");
    assert!(
        out.contains("w/whatsapp_quality: critical (read) · 2 message(s) queued"),
        "{out}"
    );
    assert!(
        out.contains("w/whatsapp_templates: ok (read) · 1 message(s) queued"),
        "{out}"
    );
    let out = check("2026-12-02T12:00:00Z");
    assert!(!out.contains("whatsapp_quality"), "{out}");
    check("2026-12-02T12:30:00Z");

    assert_eq!(gupshup.seen_at(Endpoint::Ratings).len(), 2, "once per 24 h");
    let posted = discord.posted();
    let titles: Vec<String> = posted
        .iter()
        .map(|p| {
            p.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(titles.len(), 6, "{titles:#?}");
    assert!(posted.iter().all(|p| p.channel == "555"));
    let text: Vec<String> = posted.iter().map(|p| p.body.to_string()).collect();
    let count = |needle: &str| text.iter().filter(|t| t.contains(needle)).count();
    assert_eq!(count("order_update"), 2, "{titles:#?}");
    let keys = super::alert_keys(&db.store).await;
    let kinds: Vec<&str> = keys
        .iter()
        .map(|k| k.split(':').nth(2).unwrap_or_default())
        .collect();
    assert_eq!(
        kinds,
        [
            "whatsapp_account",
            "whatsapp_account",
            "whatsapp_templates",
            "whatsapp_quality",
            "whatsapp_quality",
            "whatsapp_templates"
        ],
        "{keys:#?}"
    );
    assert!(keys[1].ends_with(":1:resolved"), "{keys:?}");
    assert!(
        keys.iter()
            .any(|k| k.contains(":limit:") && k.ends_with(":lowered:TIER_1K:TIER_250")),
        "{keys:?}"
    );
    // The account's first message is edited once it resolves.
    let edits = discord
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .count();
    assert_eq!(edits, 1);
    // `pulso whatsapp` shows all of it, from the store.
    let calls = gupshup.seen().len();
    let json: serde_json::Value =
        serde_json::from_str(&pulso(d, &database, &["whatsapp", "--format", "json"])).unwrap();
    assert_eq!(
        gupshup.seen().len(),
        calls,
        "pulso whatsapp never calls Gupshup"
    );
    assert_eq!(json["workspace"], "w");
    assert_eq!(json["account"]["can_send"], "AVAILABLE", "{json:#}");
    assert_eq!(json["quality"]["quality"], "RED", "{json:#}");
    assert_eq!(json["quality"]["current_limit"], "TIER_250", "{json:#}");
    assert_eq!(json["templates"]["by_status"]["APPROVED"], 2, "{json:#}");
    // Every token went out raw in both headers, never with "Bearer".
    for seen in gupshup.seen_at(Endpoint::WabaInfo) {
        assert_eq!(seen.headers["token"], TOKEN);
        assert_eq!(seen.headers["authorization"], TOKEN);
    }
    db.finish().await;
}
