//! The alert machine persisted: an episode surviving a restart, what an alert message says,
//! the `/balance` and `/alerts` commands, and the `/indicators` balance field.

use super::*;

crate::backend_tests!(
    persisted_episode_survives_a_restart,
    alert_message_states_balance_threshold_and_days_left,
    commands_show_the_balance_and_guard_the_mute,
    indicators_command_shows_the_balance_only_while_it_is_low,
    portuguese_workspace_gets_portuguese_alerts_and_commands,
);

/// 120 → 40 → 40 (alert) → restart → 45 → 45 → 70 (resolved), then an outage, then a muted
/// drop: the state survives the restart and nothing is repeated.
async fn persisted_episode_survives_a_restart(store: &Store) {
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

/// `/balance` and `/alerts` through the command handler: the indicator line only for
/// Gupshup, "does not use Gupshup" elsewhere, mute restricted to Manage Server.
async fn commands_show_the_balance_and_guard_the_mute(store: &Store) {
    let plain = crate::helpers::workspace("plain", chrono_tz::UTC);
    assert_eq!(
        pulso::service::balance_line(store, &plain).await.unwrap(),
        None
    );
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    let ws = workspace(&config);
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
    let ctx = pulso::bot::BotContext {
        store: store.clone(),
        config: std::sync::Arc::new(config),
        clock: std::sync::Arc::new(pulso::clock::FixedClock(utc(2026, 11, 2, 12, 1, 0))),
        command_timeout: StdDuration::from_secs(5),
    };
    let ask = |command: &str, subcommand: Option<&str>, admin: bool| pulso::bot::Invocation {
        command: command.into(),
        subcommand: subcommand.map(str::to_string),
        can_manage_guild: admin,
        ..Default::default()
    };
    let text = pulso::bot::handle(&ctx, &ask("balance", None, false))
        .await
        .to_text();
    assert!(
        text.contains("41.94 USD") && text.contains("2026-11-02 12:00"),
        "{text}"
    );
    let text = pulso::bot::handle(&ctx, &ask("alerts", Some("mute"), false))
        .await
        .to_text();
    assert!(text.contains("Manage Server"), "{text}");
    let text = pulso::bot::handle(&ctx, &ask("alerts", Some("mute"), true))
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
    let text = pulso::bot::handle(&ctx, &ask("alerts", Some("status"), false))
        .await
        .to_text();
    assert!(text.contains("Muted until"), "{text}");
    pulso::bot::handle(&ctx, &ask("alerts", Some("unmute"), true)).await;
    assert_eq!(
        store.balance_alert_state("w").await.unwrap().muted_until,
        None
    );
    let line = pulso::service::balance_line(store, &ws)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.amount, 41.938);
}

/// `/indicators` through the command handler carries the "⚠️ Gupshup balance" field while
/// the workspace's latest stored reading is under the threshold (a later failed reading
/// does not hide it), and not before any reading, once the balance is healthy again, or
/// for a workspace on another provider, however low a reading stored under its id.
async fn indicators_command_shows_the_balance_only_while_it_is_low(store: &Store) {
    let config = config_with("http://127.0.0.1:9", "", PLAIN_WORKSPACE);
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let ctx = context(store, config, t0 + Duration::hours(1));
    let indicators = |workspace: &str| Invocation {
        command: "indicators".into(),
        workspace: Some(workspace.into()),
        locale: Some("en-US".into()),
        ..Invocation::default()
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

    assert_eq!(balance_field(handle(&ctx, &indicators("w")).await), None);
    store_reading("w", 0, Some(41.938)).await;
    store_reading("w", 5, None).await;
    let (name, value) = balance_field(handle(&ctx, &indicators("w")).await)
        .expect("a low balance is shown on /indicators");
    assert_eq!(name, "⚠️ Gupshup balance");
    assert!(
        value.contains("41.94 USD") && value.contains("< 50.00 USD"),
        "{value}"
    );

    store_reading("w", 10, Some(70.0)).await;
    assert_eq!(balance_field(handle(&ctx, &indicators("w")).await), None);

    store_reading("plain", 0, Some(3.0)).await;
    assert_eq!(
        balance_field(handle(&ctx, &indicators("plain")).await),
        None
    );
}

/// The outbox payload of the only alert message.
async fn alert_payload(store: &Store) -> String {
    let sql = "SELECT payload FROM outbox WHERE kind = 'alert'";
    match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// A `locale = "pt"` workspace: the low-balance alert, `/balance`, `/alerts status` and a
/// bad mute length, all in Brazilian Portuguese with Brazilian number formats.
async fn portuguese_workspace_gets_portuguese_alerts_and_commands(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config_in("pt", &fake.base, "", "");
    let ws = workspace(&config);
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let client = client(&ws);
    for (hours, amount) in [(0, 80.0), (24, 70.0), (48, 60.0), (72, 40.0), (73, 40.0)] {
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
    let stored = pulso::render::Reply::from_stored(&alert_payload(store).await).unwrap();
    let embed = stored.embed.expect("an alert card");
    assert_eq!(embed.title, "⚠️ Saldo do Gupshup baixo · Equipo");
    let description = embed.description.as_deref().unwrap();
    assert!(
        description.starts_with("O saldo é de **40,00 USD**, abaixo de 50,00 USD. No ritmo de gasto dos últimos 7 dias, o saldo dura cerca de **"),
        "{description}"
    );
    assert!(
        description.contains(" dias**.\nO chatbot precisa de saldo"),
        "{description}"
    );
    let names: Vec<&str> = embed.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Saldo", "Limite", "Dias restantes (estim.)"]);
    assert_eq!(
        embed.footer.as_deref(),
        Some("pulso · /alerts mute para silenciar")
    );

    let ctx = context(store, config, t0 + Duration::hours(74));
    let ask = |subcommand: Option<&str>, options: &[(&str, &str)]| Invocation {
        command: if subcommand.is_some() {
            "alerts"
        } else {
            "balance"
        }
        .into(),
        subcommand: subcommand.map(str::to_string),
        options: options
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        can_manage_guild: true,
        ..Invocation::default()
    };
    let text = handle(&ctx, &ask(None, &[])).await.to_text();
    for part in [
        "== Saldo do Gupshup · Equipo ==",
        "  Saldo: 40,00 USD",
        "  Lido em: 2026-11-05 13:00 UTC",
        "  Limite: 50,00 USD",
        "  Status: saldo baixo",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
    let status = handle(&ctx, &ask(Some("status"), &[])).await;
    let status = status.content.unwrap();
    assert!(
        status.starts_with("Status: **saldo baixo** (desde "),
        "{status}"
    );
    assert!(status.ends_with("\n🔔 Alertas ativos"), "{status}");
    let bad = handle(&ctx, &ask(Some("mute"), &[("duration", "forever")])).await;
    assert_eq!(
        bad.content.as_deref(),
        Some("⚠️ `duration`: “forever” não é válido; escreva como 30m, 2h ou 1d, no máximo 30d.")
    );
    let muted = handle(&ctx, &ask(Some("mute"), &[("duration", "2h")])).await;
    let muted = muted.content.unwrap();
    assert!(
        muted.starts_with("🔇 Alertas de saldo silenciados.\n"),
        "{muted}"
    );
    assert!(
        muted.contains("🔇 Silenciados até 2026-11-05 16:00 UTC"),
        "{muted}"
    );
}
