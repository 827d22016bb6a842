//! The alert machine persisted: an episode surviving a restart and what an alert message
//! says. The commands: commands.rs.

use super::*;

crate::backend_tests!(
    persisted_episode_survives_a_restart,
    alert_message_states_balance_threshold_and_days_left,
);

/// 120 → 40 → 40 (alert) → restart → 45 → 45 → 70 (resolved), then an outage, then a muted
/// drop: the state survives the restart and nothing is repeated.
async fn persisted_episode_survives_a_restart(store: &Store) {
    // Installs the recorder before the polls set their gauges (run alone, nothing else has).
    pulso::telemetry::metrics();
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    let ws = workspace(&config);
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let at = |i: i64| t0 + Duration::minutes(5 * i);
    fake.script([120.0, 40.0, 40.0].map(Answer::balance));
    let first = client(&ws);
    for i in 0..3 {
        poll_workspace(
            store,
            &ws,
            &first,
            Some(Destination::DiscordChannel { channel_id: 555 }),
            at(i),
        )
        .await
        .unwrap();
    }
    assert_eq!(alert_keys(store).await, ["alert:w:balance:1:low"]);
    // Both gauges are exported (their values race with the other backend's run of this test).
    let metrics = pulso::telemetry::metrics().render();
    assert!(
        metrics.contains("pulso_gupshup_balance{workspace=\"w\",currency=\"USD\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("pulso_balance_alert_state{workspace=\"w\"}"),
        "{metrics}"
    );
    // "Restart": a new client, state read back from the database.
    let restarted = client(&ws);
    fake.script([45.0, 45.0, 70.0].map(Answer::balance));
    for i in 3..6 {
        poll_workspace(
            store,
            &ws,
            &restarted,
            Some(Destination::DiscordChannel { channel_id: 555 }),
            at(i),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        alert_keys(store).await,
        ["alert:w:balance:1:low", "alert:w:balance:1:resolved"]
    );
    // Outage: one unknown warning, saying the key was rejected; no resolve.
    fake.always(Answer::text(401, scenarios::BAD_KEY_TEXT));
    for i in 6..12 {
        poll_workspace(
            store,
            &ws,
            &restarted,
            Some(Destination::DiscordChannel { channel_id: 555 }),
            at(i),
        )
        .await
        .unwrap();
    }
    let keys = alert_keys(store).await;
    assert_eq!(keys.len(), 3);
    assert_eq!(keys[2], "alert:w:unknown:1");
    let status = store.outbox_status(&keys[2]).await.unwrap().unwrap();
    assert_eq!(status.status, "pending");
    assert_eq!(
        status.destination,
        Some(Destination::DiscordChannel { channel_id: 555 })
    );
    // Muted: the drop is tracked but not posted.
    store
        .set_alert_mute("w", Some(at(100)), at(12).timestamp())
        .await
        .unwrap();
    fake.always(Answer::balance(20.0));
    for i in 12..15 {
        poll_workspace(
            store,
            &ws,
            &restarted,
            Some(Destination::DiscordChannel { channel_id: 555 }),
            at(i),
        )
        .await
        .unwrap();
    }
    let state = store.balance_alert_state("w").await.unwrap();
    assert_eq!(state.level, Level::Low);
    assert_eq!(state.muted_until, Some(at(100)));
    assert_eq!(alert_keys(store).await.len(), 3);
    // Every reading was stored; the latest successful one feeds the indicator line.
    let line = pulso::service::balance_line(store, &ws)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.amount, 20.0);
}

/// The alert message states the balance, threshold, days left and the chatbot reminder.
async fn alert_message_states_balance_threshold_and_days_left(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    let ws = workspace(&config);
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let client = client(&ws);
    // Two days of 10 USD/day spending, then the drop under 50.
    for (hours, amount) in [(0, 80.0), (24, 70.0), (48, 60.0)] {
        fake.script([Answer::balance(amount)]);
        poll_workspace(
            store,
            &ws,
            &client,
            Some(Destination::DiscordChannel { channel_id: 555 }),
            t0 + Duration::hours(hours),
        )
        .await
        .unwrap();
    }
    fake.script([Answer::balance(40.0), Answer::balance(40.0)]);
    poll_workspace(
        store,
        &ws,
        &client,
        Some(Destination::DiscordChannel { channel_id: 555 }),
        t0 + Duration::hours(72),
    )
    .await
    .unwrap();
    poll_workspace(
        store,
        &ws,
        &client,
        Some(Destination::DiscordChannel { channel_id: 555 }),
        t0 + Duration::hours(72) + Duration::minutes(5),
    )
    .await
    .unwrap();
    let Pool::Sqlite(pool) = store.pool() else {
        return;
    };
    let payload: String = sqlx::query_scalar("SELECT payload FROM outbox WHERE kind = 'alert'")
        .fetch_one(pool)
        .await
        .unwrap();
    for expected in [
        "40.00 USD",
        "50.00 USD",
        "Days left",
        "needs balance to work",
    ] {
        assert!(payload.contains(expected), "{expected} not in {payload}");
    }
    assert!(!payload.contains(KEY));
}
