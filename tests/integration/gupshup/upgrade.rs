//! The upgrade that made the balance a rule of the alert engine: a database an older pulso
//! left with a low episode open (episode 3, its first reminder sent, one workspace muted)
//! is migrated, and the balance job carries on from it: the second reminder four hours
//! after the first, under a key that continues the numbering, the escalation, then one
//! resolved message and the edit of the episode's first (pre-upgrade) message, on both
//! backends.

use pulso::outbox::nonce;

use super::*;

/// The migration that moved the balance state into `alert_rule_states`.
const UPGRADE: i64 = 20261211000001;

/// Runs one statement written with `$N` placeholders on either backend.
async fn execute(store: &Store, sql: &str, binds: &[Option<i64>]) {
    let sql = match store.pool() {
        Pool::Sqlite(_) => sql.replace('$', "?"),
        Pool::Postgres(_) => sql.to_string(),
    };
    crate::on_pool!(store, |pool| {
        let mut query = sqlx::query(&sql);
        for bind in binds {
            query = query.bind(*bind);
        }
        query.execute(pool).await.map(drop).unwrap()
    });
}

/// An open low episode as the old balance machine stored it: episode 3 since `since`, one
/// reminder sent at `reminded`, one outage warned about, muted until `muted_until`.
async fn old_open_episode(
    store: &Store,
    workspace: &str,
    since: DateTime<Utc>,
    reminded: DateTime<Utc>,
    muted_until: Option<DateTime<Utc>>,
) {
    let sql = format!(
        "INSERT INTO balance_alert_state (workspace, level, below_count, failures, \
         unknown_notified, episode, outages, reminders, since, last_notified_at, muted_until, \
         updated_at) VALUES ('{workspace}', 'low', 0, 0, 0, 3, 1, 1, $1, $2, $3, $2)"
    );
    let binds = [
        Some(since.timestamp()),
        Some(reminded.timestamp()),
        muted_until.map(|t| t.timestamp()),
    ];
    execute(store, &sql, &binds).await;
}

/// A message the old pulso queued and Discord accepted as message `message_id`.
async fn old_sent_alert(store: &Store, key: &str, channel_id: u64, message_id: &str) {
    let message = pulso::store::NewMessage {
        dedupe_key: key.into(),
        workspace: "w".into(),
        kind: "alert".into(),
        destination: Destination::DiscordChannel { channel_id },
        payload: Reply::ephemeral_text("old alert").to_stored(),
        attachment: None,
        edits: None,
    };
    store.enqueue(&message, 0).await.unwrap();
    let sql = format!(
        "UPDATE outbox SET status = 'sent', message_id = '{message_id}' WHERE dedupe_key = '{key}'"
    );
    execute(store, &sql, &[]).await;
}

async fn an_episode_open_across_the_upgrade_continues(db: TestDb) {
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    migrate_to_before(&db.store, UPGRADE).await;
    old_open_episode(&db.store, "w", t0 - Duration::hours(4), t0, None).await;
    let muted_until = t0 + Duration::hours(6);
    old_open_episode(
        &db.store,
        "m",
        t0 - Duration::hours(4),
        t0,
        Some(muted_until),
    )
    .await;
    old_sent_alert(&db.store, "alert:w:balance:3:low", 555, "900").await;
    old_sent_alert(&db.store, "alert:w:balance:3:reminder:1", 555, "901").await;
    old_sent_alert(&db.store, "alert:w:unknown:1", 555, "902").await;

    // The new pulso starts on that database: it migrates it.
    let config = ConfigBuilder::with([
        gupshup_workspace(""),
        WorkspaceConfig::new("m", "Muted")
            .guild(1002)
            .alerts_channel(556)
            .gupshup(""),
    ]);
    let app = TestApp::spawn(db, config).await;
    let store = app.store();
    let migrated = store.rule_state("w", "balance").await.unwrap().unwrap();
    assert_eq!(
        migrated.state,
        RuleState {
            level: RuleLevel::Firing,
            episode: 3,
            since: Some(t0 - Duration::hours(4)),
            last_notified_at: Some(t0),
            reminders: 1,
            outages: 1,
            ..RuleState::default()
        }
    );
    let muted = store.balance_alert_state("m").await.unwrap();
    assert_eq!(
        (muted.level, muted.episode, muted.snoozed_until),
        (RuleLevel::Firing, 3, Some(muted_until))
    );
    let old_table = crate::on_pool!(store, |pool| sqlx::query(
        "SELECT workspace FROM balance_alert_state"
    )
    .fetch_all(pool)
    .await
    .map(drop));
    assert!(old_table.is_err(), "the old table is gone");

    // Still low: nothing until four hours after the first reminder, then the second one
    // (each poll's messages delivered after it, as the scheduler does).
    app.gupshup().always(Answer::balance(40.0));
    let tick = |at: DateTime<Utc>| {
        let app = &app;
        async move {
            app.set_now(at);
            let outcomes = app.balance_tick().await;
            app.deliver().await;
            outcomes
        }
    };
    for at in [t0 + Duration::minutes(5), t0 + Duration::minutes(235)] {
        let outcomes = tick(at).await;
        assert_eq!(outcomes.len(), 2);
        assert!(outcomes.iter().all(|o| o.events.is_empty()), "{outcomes:?}");
    }
    let reminded = tick(t0 + Duration::hours(4)).await;
    assert_eq!(reminded[0].queued, ["alert:w:balance:3:reminder:2"]);
    assert_eq!(reminded[1].events.len(), 1, "the muted one is tracked");
    assert!(reminded[1].queued.is_empty(), "and not posted");

    // Critical now: the episode escalates.
    app.gupshup().always(Answer::balance(5.0));
    let escalated = tick(t0 + Duration::minutes(245)).await;
    assert_eq!(escalated[0].queued, ["alert:w:balance:3:critical"]);
    assert!(escalated[1].queued.is_empty());

    // Recharged: one resolved message, and the episode's first message (the low one, queued
    // before the upgrade) is edited to say so.
    app.gupshup().always(Answer::balance(70.0));
    let recovered = tick(t0 + Duration::minutes(250)).await;
    assert_eq!(
        recovered[0].queued,
        [
            "alert:w:balance:3:resolved-edit",
            "alert:w:balance:3:resolved"
        ]
    );
    assert!(recovered[1].queued.is_empty(), "still muted");
    assert_eq!(recovered[1].state.level, RuleLevel::Ok);
    assert!(
        tick(t0 + Duration::minutes(255))
            .await
            .iter()
            .all(|o| o.events.is_empty())
    );
    assert_eq!(
        alert_keys(store).await,
        [
            "alert:w:balance:3:low",
            "alert:w:balance:3:reminder:1",
            "alert:w:unknown:1",
            "alert:w:balance:3:reminder:2",
            "alert:w:balance:3:critical",
            "alert:w:balance:3:resolved"
        ]
    );

    let posted = app.discord().posted();
    let titles: Vec<&str> = posted
        .iter()
        .map(|p| p.body["embeds"][0]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "⏰ Reminder: Gupshup balance still low · Equipo",
            "🚨 Critical Gupshup balance · Equipo",
            "✅ Gupshup balance recovered · Equipo"
        ]
    );
    assert_eq!(
        posted[0].body["nonce"],
        nonce("alert:w:balance:3:reminder:2").as_str()
    );
    let edits: Vec<_> = app
        .discord()
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(edits.len(), 1, "one edit");
    assert_eq!(edits[0].path, "/api/v10/channels/555/messages/900");
    assert_eq!(
        edits[0].body["embeds"][0]["title"],
        "✅ Gupshup balance recovered after 8 h 10 min · Equipo"
    );
    app.finish().await;
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_episode_open_across_the_upgrade_continues() {
        let db = crate::helpers::TestDb::sqlite_unmigrated().await;
        super::an_episode_open_across_the_upgrade_continues(db).await;
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_episode_open_across_the_upgrade_continues() {
        let Some(db) = crate::helpers::TestDb::postgres_unmigrated().await else {
            return;
        };
        super::an_episode_open_across_the_upgrade_continues(db).await;
    }
}
