//! Scheduled polls: the cadence across restarts, one Gupshup call per tick across replicas
//! (the claim), one stored poll per slot, and old claims pruned.

use super::*;

crate::backend_tests!(
    balance_tick_polls_only_once_the_interval_has_passed,
    replicas_ticking_together_ask_gupshup_once,
    same_poll_stored_twice_concurrently_is_one_row,
    a_poll_is_claimed_once_and_old_claims_are_pruned,
);

/// The scheduler's balance tick polls a Gupshup workspace only once its last stored reading
/// (failed ones included) is the workspace's `poll_every` old (10 minutes here): the first
/// tick polls, ticks before the interval leave Gupshup alone even after a restart, the tick
/// at the interval polls again, and a workspace on another provider is never polled.
async fn balance_tick_polls_only_once_the_interval_has_passed(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config_with(
        &fake.base,
        "",
        &format!("balance = {{ poll_every = \"10m\" }}\n{PLAIN_WORKSPACE}"),
    );
    let monitor = Monitor::new(&config, quick());
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let ctx = context(store, config, t0);
    fake.script([Answer::balance(70.0), Answer::balance(65.0)]);
    fake.always(Answer::text(401, scenarios::BAD_KEY_TEXT));

    let outcomes = balance_tick(&ctx, &monitor, t0).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].reading.as_ref().unwrap().amount, 70.0);
    assert_eq!(wallet_calls(&fake), 1);
    assert_eq!(readings(store, "w").await, [(t0.timestamp(), Some(70.0))]);

    // The scheduler ticks every 30 s; none of these is due. The last one runs on a fresh
    // monitor, as after a restart: the cadence comes from the stored reading.
    let restarted = Monitor::new(&ctx.config, quick());
    for (seconds, monitor) in [(30, &monitor), (300, &monitor), (599, &restarted)] {
        let outcomes = balance_tick(&ctx, monitor, t0 + Duration::seconds(seconds))
            .await
            .unwrap();
        assert!(outcomes.is_empty(), "polled {seconds} s after the reading");
    }
    assert_eq!(wallet_calls(&fake), 1);
    assert_eq!(readings(store, "w").await.len(), 1);

    let t1 = t0 + Duration::minutes(10);
    let outcomes = balance_tick(&ctx, &restarted, t1).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].reading.as_ref().unwrap().amount, 65.0);
    assert_eq!(wallet_calls(&fake), 2);
    assert_eq!(
        readings(store, "w").await,
        [(t0.timestamp(), Some(70.0)), (t1.timestamp(), Some(65.0))]
    );

    // A failed reading (401, not retried) also restarts the interval, so a broken key is
    // not hammered every 30 s.
    let t2 = t1 + Duration::minutes(10);
    let outcomes = balance_tick(&ctx, &restarted, t2).await.unwrap();
    assert!(outcomes[0].reading.as_ref().unwrap_err().is_auth());
    assert!(
        balance_tick(&ctx, &restarted, t2 + Duration::minutes(5))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(wallet_calls(&fake), 3);
    assert_eq!(readings(store, "w").await.len(), 3);
    assert_eq!(readings(store, "w").await[2], (t2.timestamp(), None));
    assert!(readings(store, "plain").await.is_empty());
}

/// Two replicas whose scheduler ticks fire together (their clocks 2 s apart) both find the
/// poll due, but only the one that claims it asks Gupshup: one request, one reading, one
/// alert. The next tick's slot is claimed afresh.
async fn replicas_ticking_together_ask_gupshup_once(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    // A slow answer keeps the winner's request in flight while the other replica ticks,
    // so the poll is still due for both. 5 USD is critical at once: one alert.
    fake.always(Answer::balance(5.0).delayed(StdDuration::from_millis(150)));
    let (replica_a, replica_b) = (
        Monitor::new(&config, quick()),
        Monitor::new(&config, quick()),
    );
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let ctx = context(store, config, t0);
    let (a, b) = tokio::join!(
        balance_tick(&ctx, &replica_a, t0),
        balance_tick(&ctx, &replica_b, t0 + Duration::seconds(2)),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 1, "one replica polls: {a:?} {b:?}");
    assert_eq!(wallet_calls(&fake), 1, "Gupshup is asked once");
    let kept = a.first().or(b.first()).unwrap();
    assert!(kept.recorded);
    assert_eq!(kept.state.level, Level::Critical);
    assert_eq!(kept.queued.len(), 1);
    assert_eq!(readings(store, "w").await.len(), 1);
    assert_eq!(alert_keys(store).await, kept.queued);
    assert_eq!(
        store.balance_alert_state("w").await.unwrap().level,
        Level::Critical
    );

    // A replica that claimed the next due poll (5 minutes later) and died before asking:
    // the others skip that tick, and the poll, still due, is claimed and made in the next.
    let due = t0 + Duration::minutes(5);
    assert!(
        store
            .claim_balance_poll("w", poll_slot(due), due.timestamp())
            .await
            .unwrap()
    );
    assert!(
        balance_tick(&ctx, &replica_a, due)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(wallet_calls(&fake), 1);
    let next_tick = due + Duration::seconds(30);
    let polled = balance_tick(&ctx, &replica_a, next_tick).await.unwrap();
    assert_eq!(polled.len(), 1);
    assert!(polled[0].recorded);
    assert_eq!(wallet_calls(&fake), 2);
    assert_eq!(readings(store, "w").await.len(), 2);
}

/// The store keeps one poll per workspace and slot when the same poll is written twice at
/// once, and tells the writers which one was kept; another workspace or the next slot is
/// another poll, and manual readings (no slot) are all kept, even in the same second.
async fn same_poll_stored_twice_concurrently_is_one_row(store: &Store) {
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let reading = |at: DateTime<Utc>| StoredReading {
        read_at: at,
        amount: Some(42.0),
        currency: Some("USD".into()),
        error: None,
    };
    let state = AlertState::default();
    let record = |workspace: &'static str, at: DateTime<Utc>, slot: Option<i64>| {
        let reading = reading(at);
        async move {
            store
                .record_balance_poll(workspace, &reading, slot, &state, &[], at.timestamp())
                .await
                .unwrap()
        }
    };
    let slot = Some(poll_slot(t0));
    let (a, b) = tokio::join!(record("w", t0, slot), record("w", t0, slot));
    assert_ne!(a, b, "exactly one of the two writes is kept");
    assert_eq!(readings(store, "w").await, [(t0.timestamp(), Some(42.0))]);

    // A replica a few seconds late is still in the same tick's slot.
    let late = t0 + Duration::seconds(3);
    assert!(!record("w", late, Some(poll_slot(late))).await);
    assert!(record("other", t0, slot).await);
    let next = t0 + Duration::seconds(30);
    assert!(record("w", next, Some(poll_slot(next))).await);
    assert_eq!(readings(store, "w").await.len(), 2);

    assert!(record("w", next, None).await);
    store
        .insert_balance_reading("w", &reading(next))
        .await
        .unwrap();
    store
        .insert_balance_reading("w", &reading(next))
        .await
        .unwrap();
    assert_eq!(readings(store, "w").await.len(), 5);
}

/// A poll's claim is won once per workspace and slot, even when claimed twice at once;
/// another workspace or slot is another claim, and a claim a day older than the latest won
/// one is pruned (a day-old slot is never compared again).
async fn a_poll_is_claimed_once_and_old_claims_are_pruned(store: &Store) {
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let claim = |workspace: &'static str, at: DateTime<Utc>| async move {
        store
            .claim_balance_poll(workspace, poll_slot(at), at.timestamp())
            .await
            .unwrap()
    };
    let (a, b) = tokio::join!(claim("w", t0), claim("w", t0 + Duration::seconds(3)));
    assert_ne!(a, b, "exactly one of two claims at once is won");
    assert!(claim("other", t0).await);
    assert!(claim("w", t0 + Duration::seconds(30)).await);
    assert!(!claim("w", t0 + Duration::seconds(59)).await);
    let claimed = || async {
        let sql =
            "SELECT poll_slot FROM balance_poll_claims WHERE workspace = 'w' ORDER BY poll_slot";
        let slots: Vec<i64> =
            crate::on_pool!(store, |pool| sqlx::query_scalar(sql).fetch_all(pool).await).unwrap();
        slots
    };
    assert_eq!(claimed().await.len(), 2);
    let day_later = t0 + Duration::days(1) + Duration::seconds(45);
    assert!(claim("w", day_later).await);
    assert_eq!(
        claimed().await,
        [poll_slot(t0 + Duration::seconds(30)), poll_slot(day_later)]
    );
}
