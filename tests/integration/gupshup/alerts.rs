//! The balance rule persisted: an episode surviving a restart, an acknowledgement made
//! during a poll, and what an alert message says. The commands: commands.rs.

use super::*;

crate::backend_tests!(
    persisted_episode_survives_a_restart,
    alert_message_states_balance_threshold_and_days_left,
    an_acknowledgement_made_during_a_poll_is_kept,
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
    assert_eq!(alert_keys(store).await, ["alert:w:balance:1:firing"]);
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
        ["alert:w:balance:1:firing", "alert:w:balance:1:resolved"]
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
    assert_eq!(keys[2], "alert:w:balance:unknown:1");
    let status = store.outbox_status(&keys[2]).await.unwrap().unwrap();
    assert_eq!(status.status, "pending");
    assert_eq!(
        status.destination,
        Some(Destination::DiscordChannel { channel_id: 555 })
    );
    let sql = "SELECT payload FROM outbox WHERE dedupe_key = 'alert:w:balance:unknown:1'";
    let payload: String =
        crate::on_pool!(store, |pool| sqlx::query_scalar(sql).fetch_one(pool).await).unwrap();
    assert!(
        payload.contains("API key rejected by Gupshup: check the configured environment variable."),
        "the warning says the key was refused: {payload}"
    );
    // Muted: the drop is tracked but not posted.
    store
        .snooze_rule("w", "balance", Some(at(100)))
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
    assert_eq!(state.level, RuleLevel::Firing);
    assert_eq!(state.snoozed_until, Some(at(100)));
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

/// Someone presses Acknowledge while a poll waits for a slow Gupshup: the poll stores its
/// reading and the engine's step without undoing the acknowledgement.
async fn an_acknowledgement_made_during_a_poll_is_kept(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    let ws = workspace(&config);
    let client = client(&ws);
    let destination = Some(Destination::DiscordChannel { channel_id: 555 });
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    fake.script([Answer::balance(40.0), Answer::balance(40.0)]);
    for minutes in [0, 5] {
        let at = t0 + Duration::minutes(minutes);
        poll_workspace(store, &ws, &client, destination, at)
            .await
            .unwrap();
    }
    fake.always(Answer::balance(30.0).delayed(StdDuration::from_millis(150)));
    let at = t0 + Duration::minutes(10);
    let press = async {
        tokio::time::sleep(StdDuration::from_millis(30)).await;
        store
            .acknowledge_rule("w", "balance", "ana", at)
            .await
            .unwrap()
    };
    let (polled, acknowledged) =
        tokio::join!(poll_workspace(store, &ws, &client, destination, at), press);
    let polled = polled.unwrap();
    assert!(acknowledged);
    assert!(polled.recorded);
    let state = store.balance_alert_state("w").await.unwrap();
    assert_eq!(state.last_value, Some(30.0), "the poll was stored");
    assert_eq!(state.acknowledged.map(|(by, _)| by).as_deref(), Some("ana"));
    assert_eq!(readings(store, "w").await.len(), 3);
}
