//! The balance commands through the app: `/balance`, `/alerts` (mute guarded by Manage
//! Server) and the `/indicators` balance field.

use super::*;

crate::app_tests!(
    commands_show_the_balance_and_guard_the_mute,
    indicators_command_shows_the_balance_only_while_it_is_low,
    portuguese_workspace_gets_portuguese_alerts_and_commands,
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
            .snoozed_until
            .is_some()
    );
    let text = app.command("/alerts status").await.to_text();
    assert!(text.contains("Muted until"), "{text}");
    app.command_as("/alerts unmute", admin).await;
    assert_eq!(
        store.balance_alert_state("w").await.unwrap().snoozed_until,
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
async fn portuguese_workspace_gets_portuguese_alerts_and_commands(db: TestDb) {
    let app = TestApp::spawn(
        db,
        ConfigBuilder::with([gupshup_workspace("").locale("pt")]),
    )
    .await;
    let (store, fake) = (app.store(), app.gupshup());
    let ws = workspace(app.config());
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

    app.set_now(t0 + Duration::hours(74));
    let admin = Caller {
        can_manage_guild: true,
        ..Caller::default()
    };
    let text = app.command("/balance").await.to_text();
    for part in [
        "== Saldo do Gupshup · Equipo ==",
        "  Saldo: 40,00 USD",
        "  Lido em: 2026-11-05 13:00 UTC",
        "  Limite: 50,00 USD",
        "  Status: saldo baixo",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(
        status.starts_with("Status: **saldo baixo** (desde "),
        "{status}"
    );
    assert!(
        status.contains("\n🔔 Alertas ativos\n\n**Saúde do WhatsApp**\n"),
        "{status}"
    );
    let bad = app
        .command_as("/alerts mute duration:forever", admin.clone())
        .await;
    assert_eq!(
        bad.content.as_deref(),
        Some("⚠️ `duração`: “forever” não é válido; escreva como 30m, 2h ou 1d, no máximo 30d.")
    );
    let muted = app
        .command_as("/alerts mute duration:2h", admin)
        .await
        .content
        .unwrap();
    assert!(
        muted.starts_with("🔇 Alertas de saldo silenciados.\n"),
        "{muted}"
    );
    assert!(
        muted.contains("🔇 Silenciados até 2026-11-05 16:00 UTC"),
        "{muted}"
    );
    app.finish().await;
}
