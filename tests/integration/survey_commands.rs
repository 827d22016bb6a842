//! The low_survey rule through the app and the CLI: `/alerts status` shows how many answers
//! it reported and when it last posted; a mute drops the answers that arrive meanwhile
//! (they are not posted once it ends); a restart posts nothing twice; `pulso alerts check
//! --now …` posts the card with its links to the fake Discord; `pulso config check` names
//! the keys it refuses.

use std::path::Path;

use chrono::Duration;
use pulso::domain::SurveyKind;
use pulso::jobs::rules_tick;

use crate::fake_discord::FakeDiscord;
use crate::harness::{Caller, ConfigBuilder, TestApp, WorkspaceConfig, default_now};
use crate::helpers::*;

crate::app_tests!(
    a_mute_drops_the_answers_meanwhile_and_status_shows_the_rule,
    a_restart_posts_nothing_twice,
    the_cli_check_posts_the_card_with_links,
);

const RULE: &str = "rule = \"low_survey\"\ngroup_every = \"10m\"";

async fn low(app: &TestApp, ids: &[&str]) {
    let rows: Vec<_> = ids
        .iter()
        .map(|id| answer("w", id, SurveyKind::Csat, 1, default_now()))
        .collect();
    insert(app.store(), &[], &rows).await;
}

async fn at(app: &TestApp, minutes: i64) -> Vec<String> {
    let now = default_now() + Duration::minutes(minutes);
    app.set_now(now);
    let outcomes = rules_tick(app.store(), app.config(), now).await.unwrap();
    outcomes.into_iter().flat_map(|o| o.queued).collect()
}

fn app_config() -> ConfigBuilder {
    ConfigBuilder::with([WorkspaceConfig::new("w", "Equipo")
        .alerts_channel(555)
        .alert_rule(RULE)])
}

async fn a_mute_drops_the_answers_meanwhile_and_status_shows_the_rule(db: TestDb) {
    let app = TestApp::spawn(db, app_config()).await;
    let admin = Caller {
        can_manage_guild: true,
        ..Caller::default()
    };
    assert!(at(&app, 0).await.is_empty());
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(
        status.contains("• **low_survey**: 0 answers reported · no message yet"),
        "{status}"
    );
    low(&app, &["a", "b"]).await;
    assert_eq!(at(&app, 1).await.len(), 1);
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(
        status.contains("• **low_survey**: 2 answers reported · last message 2026-03-10 15:01 UTC"),
        "{status}"
    );
    let muted = app
        .command_as("/alerts mute rule:low_survey duration:1h", admin.clone())
        .await;
    assert!(
        muted
            .content
            .unwrap()
            .starts_with("🔇 low_survey silenced until "),
        "mute rule: works on it"
    );
    low(&app, &["c", "d", "e"]).await;
    assert!(at(&app, 20).await.is_empty(), "muted: nothing posted");
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(
        status.contains("2 answers reported · last message"),
        "{status}"
    );
    assert!(status.contains("🔇 until "), "{status}");
    app.command_as("/alerts unmute rule:low_survey", admin.clone())
        .await;
    assert!(
        at(&app, 30).await.is_empty(),
        "answers that arrived while muted are dropped, not posted later"
    );
    low(&app, &["f"]).await;
    let queued = at(&app, 31).await;
    assert_eq!(queued.len(), 1);
    let card = app.store().outbox_status(&queued[0]).await.unwrap();
    assert!(card.is_some());
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(status.contains("3 answers reported"), "{status}");
    let acked = app.command_as("/alerts ack rule:low_survey", admin).await;
    assert_eq!(
        acked.content.as_deref(),
        Some("low_survey is not firing: there is nothing to acknowledge."),
        "no episode to acknowledge"
    );
    app.finish().await;
}

async fn a_restart_posts_nothing_twice(db: TestDb) {
    let mut app = TestApp::spawn(db, app_config()).await;
    assert!(at(&app, 0).await.is_empty());
    low(&app, &["a", "b", "c"]).await;
    assert_eq!(at(&app, 1).await.len(), 1);
    app.restart().await;
    assert!(
        at(&app, 12).await.is_empty(),
        "nothing new after the restart"
    );
    low(&app, &["d"]).await;
    app.restart().await;
    assert_eq!(
        at(&app, 13).await.len(),
        1,
        "only the answer after the restart"
    );
    let counts = app.store().outbox_counts().await.unwrap();
    assert_eq!(counts, vec![("pending".to_string(), 2)]);
    app.finish().await;
}

fn pulso(dir: &Path, database: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir)
        .env_remove("PULSO_CONFIG")
        .env("PULSO_DATABASE_URL", database)
        .env("PULSO_DISCORD_TOKEN", "discord-bot-token-cli")
        .args(["--config", "pulso.toml"])
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, database: &str, args: &[&str]) -> String {
    let run = pulso(dir, database, args);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "pulso {args:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}

async fn the_cli_check_posts_the_card_with_links(db: TestDb) {
    let discord = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let workspace = "[[workspaces]]\nid = \"w\"\nname = \"Equipo\"\ntimezone = \"UTC\"\nlocale = \"pt\"\nalerts_channel_id = \"555\"\n";
    let bad = format!(
        "[discord]\ntransport = \"gateway\"\n{workspace}links = {{ inquiry = \"https://cs.example.com/consultas\" }}\n\
         [[workspaces.alerts]]\nrule = \"low_survey\"\nnps_at_most = 12\nrepeat_every = \"1h\"\n"
    );
    std::fs::write(d.join("pulso.toml"), bad).unwrap();
    let run = pulso(d, &db.url, &["config", "check"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    for line in [
        "workspaces[0].links.inquiry: \"https://cs.example.com/consultas\" has no {id} where the inquiry id goes",
        "workspaces[0].alerts[0].repeat_every: not a key of rule \"low_survey\"",
        "workspaces[0].alerts[0].nps_at_most: 12 is not valid; use a whole score from 0 to 10 (default 6)",
    ] {
        assert!(stderr.contains(line), "{line}\nnot in:\n{stderr}");
    }
    let good = format!(
        "[discord]\ntransport = \"gateway\"\napi_base = \"{}\"\n{workspace}links = {{ inquiry = \"https://cs.example.com/c?id={{id}}\" }}\n\
         [[workspaces.alerts]]\nrule = \"low_survey\"\nname = \"Pesquisas\"\ncsat_at_most = 3\n",
        discord.base
    );
    std::fs::write(d.join("pulso.toml"), good).unwrap();
    let now = |minutes: i64| {
        (default_now() + Duration::minutes(minutes))
            .to_rfc3339()
            .replace("+00:00", "Z")
    };
    let out = ok(d, &db.url, &["alerts", "check", "--now", &now(0)]);
    assert!(
        out.contains("w/Pesquisas: ok (no value) · 0 message(s) queued"),
        "{out}"
    );
    std::fs::write(
        d.join("s.csv"),
        "id,workspace,inquiry_id,kind,score,answered_at\n\
         s1,w,c#1,csat,3,2026-03-09T10:00:00Z\ns2,w,,nps,8,2026-03-10T14:59:00Z\n",
    )
    .unwrap();
    std::fs::write(
        d.join("i.csv"),
        "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at\n\
         c#1,w,whatsapp,pagos,resolved,ana_b,2026-03-09T09:00:00Z,2026-03-09T09:05:00Z,2026-03-09T09:30:00Z,\n",
    )
    .unwrap();
    ok(
        d,
        &db.url,
        &["import", "--inquiries", "i.csv", "--surveys", "s.csv"],
    );
    let out = ok(d, &db.url, &["alerts", "check", "--now", &now(1)]);
    assert!(
        out.contains("w/Pesquisas: ok (1 resposta informada) · 1 message(s) queued"),
        "{out}"
    );
    assert!(out.contains("1 message(s) delivered"), "{out}");
    let posted = discord.posted();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].channel, "555");
    let embed = &posted[0].body["embeds"][0];
    assert_eq!(embed["title"], "🙁 Pesquisas · 1 resposta baixa · Equipo");
    assert_eq!(
        embed["description"],
        "NPS 6 ou menos e CSAT 3 ou menos:\n• **CSAT 3/5** · consulta [c#1](https://cs.example.com/c?id=c%231) · operador ana\\_b · pagos"
    );
    let status = ok(d, &db.url, &["alerts", "status"]);
    assert!(
        status.contains("w/Pesquisas: 1 resposta informada · last message 2026-03-10 15:01:00 UTC"),
        "{status}"
    );
    db.finish().await;
}
