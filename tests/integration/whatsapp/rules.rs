//! The health rules through the app's jobs at the harness clock: the ratings' once-a-day
//! limit kept across a restart and between two replicas, a template paused then resumed
//! giving exactly two messages, failures (plain-text 401, 400 Authentication Failed)
//! feeding the unknown track without a false recovery, and a self-serve workspace reading
//! only its templates.

use std::time::Duration as StdDuration;

use chrono::Duration;
use pulso::domain::RuleLevel;
use pulso::gupshup::RetryPolicy;
use pulso::jobs::{Monitor, whatsapp_tick};

use super::{account, alert_keys, partner_workspace, ratings, templates};
use crate::fake_gupshup::{Answer, Endpoint};
use crate::harness::{ConfigBuilder, TestApp};
use crate::helpers::*;

crate::app_tests!(
    ratings_are_called_once_a_day_across_a_restart_and_two_replicas,
    a_template_paused_then_resumed_gives_exactly_two_messages,
    failures_feed_the_unknown_track_and_never_resolve,
    a_self_serve_workspace_reads_only_its_templates,
);

fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 2,
        base_delay: StdDuration::from_millis(10),
        max_delay: StdDuration::from_millis(20),
        timeout: StdDuration::from_millis(500),
    }
}

async fn ratings_are_called_once_a_day_across_a_restart_and_two_replicas(db: TestDb) {
    let mut app = TestApp::spawn(db, ConfigBuilder::with([partner_workspace()])).await;
    let fake = app.gupshup();
    fake.always_for(
        Endpoint::Ratings,
        Answer::json(200, &ratings("GREEN", "TIER_1K", "TIER_1K", "ONBOARDING")),
    );
    let t0 = utc(2026, 12, 1, 10, 0, 0);
    app.set_now(t0);
    app.whatsapp_tick().await;
    assert_eq!(app.gupshup().seen_at(Endpoint::Ratings).len(), 1);
    app.restart().await;
    for hours in [1, 12, 23] {
        app.set_now(t0 + Duration::hours(hours));
        app.whatsapp_tick().await;
    }
    assert_eq!(
        app.gupshup().seen_at(Endpoint::Ratings).len(),
        1,
        "no second call within 24 h, restart or not"
    );
    // Two replicas due together: one call between them.
    let (store, config) = (app.store(), app.config());
    let (a, b) = (
        Monitor::new(config, store, quick()),
        Monitor::new(config, store, quick()),
    );
    let day = t0 + Duration::hours(24);
    let (ra, rb) = tokio::join!(
        whatsapp_tick(store, config, &a, day),
        whatsapp_tick(store, config, &b, day + Duration::seconds(2)),
    );
    let quality = |outcomes: Vec<pulso::jobs::HealthOutcome>| {
        outcomes
            .into_iter()
            .filter(|o| o.signal.rule() == "whatsapp_quality")
            .count()
    };
    assert_eq!(quality(ra.unwrap()) + quality(rb.unwrap()), 1);
    assert_eq!(app.gupshup().seen_at(Endpoint::Ratings).len(), 2);
    app.finish().await;
}

async fn a_template_paused_then_resumed_gives_exactly_two_messages(db: TestDb) {
    let workspace = partner_workspace().whatsapp(", app_health = false");
    let app = TestApp::spawn(db, ConfigBuilder::with([workspace])).await;
    let fake = app.gupshup();
    fake.script_for(
        Endpoint::Templates,
        ["APPROVED", "PAUSED", "PAUSED", "APPROVED"].map(|s| Answer::json(200, &templates(s))),
    );
    fake.always_for(
        Endpoint::Templates,
        Answer::json(200, &templates("APPROVED")),
    );
    let t0 = utc(2026, 12, 1, 10, 0, 0);
    // Every 10 minutes for 5 hours: the list is read hourly (templates_every = 1h).
    for step in 0..30 {
        app.set_now(t0 + Duration::minutes(10 * step));
        app.whatsapp_tick().await;
    }
    assert_eq!(app.gupshup().seen_at(Endpoint::Templates).len(), 5);
    let keys: Vec<String> = alert_keys(app.store())
        .await
        .into_iter()
        .filter(|k| k.contains(":whatsapp_templates:"))
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys[0].ends_with(":tpl-1:paused"), "{keys:?}");
    assert!(keys[1].ends_with(":tpl-1:resumed"), "{keys:?}");
    // Nothing else was news (the account stayed available), and a rule turned off is
    // never read.
    assert_eq!(alert_keys(app.store()).await.len(), 2);
    assert!(app.gupshup().seen_at(Endpoint::Health).is_empty());
    app.finish().await;
}

async fn failures_feed_the_unknown_track_and_never_resolve(db: TestDb) {
    // The process-wide recorder, installed before the gauges are set.
    pulso::telemetry::metrics();
    let app = TestApp::spawn(db, ConfigBuilder::with([partner_workspace()])).await;
    let fake = app.gupshup();
    fake.script_for(
        Endpoint::WabaInfo,
        [
            Answer::json(200, &account("BLOCKED")),
            Answer::text(401, "Unauthorized"),
            Answer::text(401, "Unauthorized"),
            Answer::text(401, "Unauthorized"),
            Answer::text(401, "Unauthorized"),
        ],
    );
    fake.always_for(Endpoint::WabaInfo, Answer::json(200, &account("AVAILABLE")));
    fake.always_for(
        Endpoint::Health,
        Answer::json(
            400,
            r#"{"message":"Authentication Failed","status":"error"}"#,
        ),
    );
    let t0 = utc(2026, 12, 1, 10, 0, 0);
    let mut account_levels = Vec::new();
    for step in 0..6 {
        app.set_now(t0 + Duration::minutes(5 * step));
        let outcomes = app.whatsapp_tick().await;
        let account = outcomes
            .iter()
            .find(|o| o.signal.rule() == "whatsapp_account")
            .unwrap();
        account_levels.push(account.state.level);
    }
    use RuleLevel::{Critical, Ok};
    assert_eq!(
        account_levels,
        [Critical, Critical, Critical, Critical, Critical, Ok],
        "a failed read never resolves"
    );
    let keys = alert_keys(app.store()).await;
    assert_eq!(
        keys,
        [
            "alert:w:whatsapp_account:1:critical",
            "alert:w:gupshup_app_health:unknown:1",
            "alert:w:whatsapp_account:unknown:1",
            "alert:w:whatsapp_account:1:resolved",
        ],
        "one warning per outage, one resolved when readable and available again"
    );
    let status = app.command("/alerts status").await.to_text();
    assert!(status.contains("whatsapp_account"), "{status}");
    // The gauge is exported (its value races with the other backend's run of this test).
    let metrics = pulso::telemetry::metrics().render();
    assert!(
        metrics.contains("pulso_whatsapp_health_state{workspace=\"w\",rule=\"whatsapp_account\"}"),
        "{metrics}"
    );
    app.finish().await;
}

async fn a_self_serve_workspace_reads_only_its_templates(db: TestDb) {
    let workspace = crate::harness::WorkspaceConfig::new("w", "Equipo")
        .guild(1001)
        .alerts_channel(555)
        .gupshup(", app_id = \"app-1\"");
    let app = TestApp::spawn(db, ConfigBuilder::with([workspace])).await;
    let t0 = utc(2026, 12, 1, 10, 0, 0);
    for step in 0..4 {
        app.set_now(t0 + Duration::minutes(30 * step));
        let outcomes = app.whatsapp_tick().await;
        assert!(
            outcomes
                .iter()
                .all(|o| o.signal.rule() == "whatsapp_templates" && o.reading.is_ok()),
            "{outcomes:?}"
        );
    }
    let fake = app.gupshup();
    assert_eq!(fake.seen_at(Endpoint::SelfServeTemplates).len(), 2);
    for endpoint in [
        Endpoint::Health,
        Endpoint::WabaInfo,
        Endpoint::Ratings,
        Endpoint::Templates,
    ] {
        assert!(fake.seen_at(endpoint).is_empty(), "{endpoint:?} called");
    }
    for seen in fake.seen_at(Endpoint::SelfServeTemplates) {
        assert_eq!(seen.headers["apikey"], crate::gupshup::KEY);
    }
    assert!(alert_keys(app.store()).await.is_empty());
    let status = app.command("/alerts status").await.to_text();
    assert!(status.to_lowercase().contains("partner"), "{status}");
    app.finish().await;
}
