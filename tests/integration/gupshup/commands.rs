//! The balance commands through the app: `/balance`, `/alerts` (mute guarded by Manage
//! Server) and the `/indicators` balance field.

use super::*;

crate::app_tests!(
    commands_show_the_balance_and_guard_the_mute,
    indicators_command_shows_the_balance_only_while_it_is_low,
);

/// `/balance` and `/alerts` through the command handler: the indicator line only for
/// Gupshup, "does not use Gupshup" elsewhere, mute restricted to Manage Server.
async fn commands_show_the_balance_and_guard_the_mute(db: TestDb) {
    let app = TestApp::spawn(db, ConfigBuilder::with([gupshup_workspace("")])).await;
    let (store, fake) = (app.store(), app.gupshup());
    let plain = crate::helpers::workspace("plain", chrono_tz::UTC);
    assert_eq!(
        pulso::service::balance_line(store, &plain).await.unwrap(),
        None
    );
    let ws = workspace(app.config());
    fake.script([Answer::balance(41.938)]);
    poll_workspace(
        store,
        &ws,
        &client(&ws),
        Some(Destination::DiscordChannel { channel_id: 555 }),
        utc(2026, 11, 2, 12, 0, 0),
    )
    .await
    .unwrap();
    app.set_now(utc(2026, 11, 2, 12, 1, 0));
    let admin = Caller {
        can_manage_guild: true,
        ..Caller::default()
    };
    let text = app.command("/balance").await.to_text();
    assert!(
        text.contains("41.94 USD") && text.contains("2026-11-02 12:00"),
        "{text}"
    );
    let text = app.command("/alerts mute").await.to_text();
    assert!(text.contains("Manage Server"), "{text}");
    let text = app
        .command_as("/alerts mute", admin.clone())
        .await
        .to_text();
    assert!(text.contains("muted"), "{text}");
    assert!(
        store
            .balance_alert_state("w")
            .await
            .unwrap()
            .muted_until
            .is_some()
    );
    let text = app.command("/alerts status").await.to_text();
    assert!(text.contains("Muted until"), "{text}");
    app.command_as("/alerts unmute", admin).await;
    assert_eq!(
        store.balance_alert_state("w").await.unwrap().muted_until,
        None
    );
    let line = pulso::service::balance_line(store, &ws)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.amount, 41.938);
    app.finish().await;
}

/// `/indicators` through the command handler carries the "⚠️ Gupshup balance" field while
/// the workspace's latest stored reading is under the threshold (a later failed reading
/// does not hide it), and not before any reading, once the balance is healthy again, or
/// for a workspace on another provider, however low a reading stored under its id.
async fn indicators_command_shows_the_balance_only_while_it_is_low(db: TestDb) {
    let config = ConfigBuilder::with([gupshup_workspace(""), plain_workspace()]);
    let app = TestApp::spawn(db, config).await;
    let store = app.store();
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    app.set_now(t0 + Duration::hours(1));
    let indicators = |workspace: &'static str| {
        app.command_as(
            "/indicators",
            Caller {
                workspace: Some(workspace),
                locale: Some("en-US"),
                ..Caller::default()
            },
        )
    };
    let balance_field = |reply: Reply| {
        let embed = reply.embed.expect("an indicators card");
        assert!(
            embed.title.starts_with("Customer service indicators"),
            "{}",
            embed.title
        );
        embed
            .fields
            .into_iter()
            .find(|field| field.name.contains("Gupshup"))
            .map(|field| (field.name, field.value))
    };
    let store_reading = |workspace: &'static str, minutes: i64, amount: Option<f64>| async move {
        let reading = StoredReading {
            read_at: t0 + Duration::minutes(minutes),
            amount,
            currency: amount.map(|_| "USD".to_string()),
            error: amount
                .is_none()
                .then(|| "Gupshup is unreachable".to_string()),
        };
        store
            .insert_balance_reading(workspace, &reading)
            .await
            .unwrap();
    };

    assert_eq!(balance_field(indicators("w").await), None);
    store_reading("w", 0, Some(41.938)).await;
    store_reading("w", 5, None).await;
    let (name, value) =
        balance_field(indicators("w").await).expect("a low balance is shown on /indicators");
    assert_eq!(name, "⚠️ Gupshup balance");
    assert!(
        value.contains("41.94 USD") && value.contains("< 50.00 USD"),
        "{value}"
    );

    store_reading("w", 10, Some(70.0)).await;
    assert_eq!(balance_field(indicators("w").await), None);

    store_reading("plain", 0, Some(3.0)).await;
    assert_eq!(balance_field(indicators("plain").await), None);
    app.finish().await;
}
