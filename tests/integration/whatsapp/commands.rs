//! What people see of the health signals: `/whatsapp` shows every stored reading of its own
//! workspace only (never calling Gupshup), the digest gains one line when something is not
//! healthy, and `/alerts ack` acts on a health rule.

use chrono::Duration;

use super::{account, partner_workspace, ratings, templates};
use crate::fake_gupshup::{Answer, Endpoint};
use crate::harness::{Caller, ConfigBuilder, TestApp, WorkspaceConfig};
use crate::helpers::*;

crate::app_tests!(
    the_whatsapp_command_shows_every_signal_from_the_store,
    the_digest_says_what_is_not_healthy,
);

/// Reads a limited account, RED quality at TIER_250 and a paused template.
async fn degraded(app: &TestApp) {
    let fake = app.gupshup();
    fake.always_for(Endpoint::WabaInfo, Answer::json(200, &account("LIMITED")));
    fake.always_for(
        Endpoint::Ratings,
        Answer::json(200, &ratings("RED", "TIER_1K", "TIER_250", "DOWNGRADE")),
    );
    fake.always_for(Endpoint::Templates, Answer::json(200, &templates("PAUSED")));
    fake.always(Answer::json(
        200,
        r#"{"status":"success","walletResponse":{"currency":"USD","currentBalance":42.5,"overDraftLimit":0}}"#,
    ));
    app.set_now(utc(2026, 12, 1, 10, 0, 0));
    app.balance_tick().await;
    app.whatsapp_tick().await;
}

async fn the_whatsapp_command_shows_every_signal_from_the_store(db: TestDb) {
    // Another server's Gupshup workspace with every health rule off: nothing read there.
    let other = WorkspaceConfig::new("o", "Otro")
        .guild(1002)
        .gupshup(", mode = \"partner\", app_id = \"app-2\"")
        .whatsapp(", app_health = false, account = false, quality = false, templates = false");
    let app = TestApp::spawn(db, ConfigBuilder::with([partner_workspace(), other])).await;
    degraded(&app).await;
    let calls = app.gupshup().seen().len();
    let caller = Caller {
        guild_id: Some(1001),
        ..Caller::default()
    };
    let card = app.command_as("/whatsapp", caller).await.to_text();
    for needle in ["LIMITED", "RED", "250", "order_update", "42.50"] {
        assert!(card.contains(needle), "{needle} missing:\n{card}");
    }
    assert_eq!(
        app.gupshup().seen().len(),
        calls,
        "/whatsapp never calls Gupshup"
    );
    // The other server sees its own workspace, which has read nothing.
    let other = app
        .command_as(
            "/whatsapp",
            Caller {
                guild_id: Some(1002),
                ..Caller::default()
            },
        )
        .await
        .to_text();
    assert!(
        other.contains("Otro") && !other.contains("Equipo"),
        "{other}"
    );
    assert!(
        !other.contains("order_update") && !other.contains("LIMITED"),
        "{other}"
    );
    // An acknowledgement stops the account's reminders.
    let admin = Caller {
        guild_id: Some(1001),
        can_manage_guild: true,
        ..Caller::default()
    };
    let acked = app
        .command_as("/alerts ack rule:whatsapp_account", admin)
        .await;
    assert!(acked.to_text().contains("whatsapp_account"), "{acked:?}");
    app.set_now(utc(2026, 12, 1, 10, 0, 0) + Duration::hours(5));
    let later = app.whatsapp_tick().await;
    let account = later
        .iter()
        .find(|o| o.signal.rule() == "whatsapp_account")
        .unwrap();
    assert!(
        account.queued.is_empty(),
        "no reminder once acknowledged: {account:?}"
    );
    app.finish().await;
}

async fn the_digest_says_what_is_not_healthy(db: TestDb) {
    let app = TestApp::spawn(db, ConfigBuilder::with([partner_workspace()])).await;
    let before = app.command("/digest preview").await.to_text();
    degraded(&app).await;
    let after = app.command("/digest preview").await.to_text();
    assert!(!before.contains("RED"), "{before}");
    assert!(
        after.contains("RED") && after.contains("LIMITED"),
        "{after}"
    );
    app.finish().await;
}
