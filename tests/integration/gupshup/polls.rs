//! Scheduled polls: the cadence across restarts, one Gupshup call per poll across replicas
//! (the claim and its lease), one stored poll per slot, and the real scheduler's tick not
//! waiting for a slow Gupshup.

use super::*;

crate::backend_tests!(
    balance_tick_polls_only_once_the_interval_has_passed,
    replicas_ticking_together_ask_gupshup_once,
    same_poll_stored_twice_concurrently_is_one_row,
    a_poll_claim_holds_until_stored_or_its_lease_ends,
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

    let outcomes = balance_tick(&ctx.store, &ctx.config, &monitor, t0)
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].reading.as_ref().unwrap().amount, 70.0);
    assert_eq!(wallet_calls(&fake), 1);
    assert_eq!(readings(store, "w").await, [(t0.timestamp(), Some(70.0))]);

    // The scheduler ticks every 30 s; none of these is due. The last one runs on a fresh
    // monitor, as after a restart: the cadence comes from the stored reading.
    let restarted = Monitor::new(&ctx.config, quick());
    for (seconds, monitor) in [(30, &monitor), (300, &monitor), (599, &restarted)] {
        let outcomes = balance_tick(
            &ctx.store,
            &ctx.config,
            monitor,
            t0 + Duration::seconds(seconds),
        )
        .await
        .unwrap();
        assert!(outcomes.is_empty(), "polled {seconds} s after the reading");
    }
    assert_eq!(wallet_calls(&fake), 1);
    assert_eq!(readings(store, "w").await.len(), 1);

    let t1 = t0 + Duration::minutes(10);
    let outcomes = balance_tick(&ctx.store, &ctx.config, &restarted, t1)
        .await
        .unwrap();
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
    let outcomes = balance_tick(&ctx.store, &ctx.config, &restarted, t2)
        .await
        .unwrap();
    assert!(outcomes[0].reading.as_ref().unwrap_err().is_auth());
    assert!(
        balance_tick(
            &ctx.store,
            &ctx.config,
            &restarted,
            t2 + Duration::minutes(5)
        )
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
/// alert. A third tick, in the next slot while that poll still waits for Gupshup, leaves it
/// alone too.
async fn replicas_ticking_together_ask_gupshup_once(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    // A slow answer keeps the winner's request in flight while the others tick, so the
    // poll is still due for them. 5 USD is critical at once: one alert.
    fake.always(Answer::balance(5.0).delayed(StdDuration::from_millis(250)));
    let (replica_a, replica_b) = (
        Monitor::new(&config, quick()),
        Monitor::new(&config, quick()),
    );
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let ctx = context(store, config, t0);
    // Under the quick policy's 300 ms timeout; the third tick starts while it is pending.
    let next_slot = async {
        tokio::time::sleep(StdDuration::from_millis(100)).await;
        balance_tick(
            &ctx.store,
            &ctx.config,
            &replica_b,
            t0 + Duration::seconds(30),
        )
        .await
    };
    let (a, b, c) = tokio::join!(
        balance_tick(&ctx.store, &ctx.config, &replica_a, t0),
        balance_tick(
            &ctx.store,
            &ctx.config,
            &replica_b,
            t0 + Duration::seconds(2)
        ),
        next_slot,
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert_eq!(a.len() + b.len(), 1, "one replica polls: {a:?} {b:?}");
    assert!(
        c.is_empty(),
        "the next tick waits for the poll in flight: {c:?}"
    );
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

    // Stored, the poll released its claim: the next due poll (every 5 minutes; 6 here, as
    // either replica's reading may be the last) is made at once. Then a replica claims the
    // one after and dies before storing it: the others leave the workspace alone until that
    // claim's lease ends, then poll it.
    fake.always(Answer::balance(5.0));
    let due = t0 + Duration::minutes(6);
    assert_eq!(
        balance_tick(&ctx.store, &ctx.config, &replica_a, due)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(wallet_calls(&fake), 2);
    let died = due + Duration::minutes(5);
    assert!(
        store
            .claim_balance_poll(
                "w",
                poll_slot(died),
                died.timestamp(),
                died.timestamp() + POLL_LEASE_SECS
            )
            .await
            .unwrap()
    );
    for after in [0, 30, POLL_LEASE_SECS - 30] {
        let tick = died + Duration::seconds(after);
        assert!(
            balance_tick(&ctx.store, &ctx.config, &replica_a, tick)
                .await
                .unwrap()
                .is_empty(),
            "{after} s after the claim"
        );
    }
    assert_eq!(wallet_calls(&fake), 2);
    let lease_over = died + Duration::seconds(POLL_LEASE_SECS);
    let polled = balance_tick(&ctx.store, &ctx.config, &replica_a, lease_over)
        .await
        .unwrap();
    assert_eq!(polled.len(), 1);
    assert!(polled[0].recorded);
    assert_eq!(wallet_calls(&fake), 3);
    assert_eq!(readings(store, "w").await.len(), 3);
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

/// A poll's claim is one lease per workspace: of two claims at once one is won; while it
/// holds, the workspace's next slots are refused but other workspaces are not; storing the
/// poll releases it, after which a new slot is won but the polled slot never again; and an
/// unreleased lease is taken over once it runs out.
async fn a_poll_claim_holds_until_stored_or_its_lease_ends(store: &Store) {
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let claim = |workspace: &'static str, at: DateTime<Utc>| async move {
        store
            .claim_balance_poll(
                workspace,
                poll_slot(at),
                at.timestamp(),
                at.timestamp() + POLL_LEASE_SECS,
            )
            .await
            .unwrap()
    };
    let (a, b) = tokio::join!(claim("w", t0), claim("w", t0 + Duration::seconds(3)));
    assert_ne!(a, b, "exactly one of two claims at once is won");
    assert!(claim("other", t0).await);
    assert!(!claim("w", t0 + Duration::seconds(30)).await, "lease held");

    let stored = StoredReading {
        read_at: t0 + Duration::seconds(5),
        amount: Some(42.0),
        currency: Some("USD".into()),
        error: None,
    };
    let at = stored.read_at.timestamp();
    let state = AlertState::default();
    assert!(
        store
            .record_balance_poll("w", &stored, Some(poll_slot(t0)), &state, &[], at)
            .await
            .unwrap()
    );
    assert!(!claim("w", t0 + Duration::seconds(10)).await, "slot polled");
    let next = t0 + Duration::seconds(30);
    assert!(claim("w", next).await, "released by the stored poll");

    // Never stored: refused until the lease runs out, then taken over.
    let almost = next + Duration::seconds(POLL_LEASE_SECS - 1);
    assert!(!claim("w", almost).await);
    assert!(claim("w", next + Duration::seconds(POLL_LEASE_SECS)).await);
}

/// The real scheduler: while Gupshup takes its time (every answer 20 s late, past the 10 s
/// request timeout), the digest-and-delivery tick of the same 30-second beat still finishes
/// at once, because the balance polls are a job of their own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_gupshup_does_not_hold_up_the_tick() {
    let db = TestDb::sqlite().await;
    let fake = FakeGupshup::start().await;
    fake.always(Answer::balance(70.0).delayed(StdDuration::from_secs(20)));
    let ctx = context(
        &db.store,
        config(&fake.base, ""),
        utc(2026, 11, 2, 12, 0, 0),
    );
    let sender = Sender::Console(ConsoleSender::new(Box::new(std::io::sink()), "/tmp"));
    let jobs = pulso::jobs::JobContext {
        store: ctx.store.clone(),
        config: ctx.config.clone(),
        clock: ctx.clock.clone(),
        sender,
        monitor: std::sync::Arc::new(Monitor::new(&ctx.config, RetryPolicy::default())),
    };
    let runner = Runner::start(jobs, pulso::jobs::TICK_EVERY_30_SECONDS)
        .await
        .unwrap();

    // Both jobs start on the next 30-second boundary of the wall clock.
    let waiting = tokio::time::Instant::now();
    while wallet_calls(&fake) == 0 {
        assert!(
            waiting.elapsed() < StdDuration::from_secs(40),
            "no balance poll within 40 s"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    let poll_started = tokio::time::Instant::now();
    while runner.heartbeat.last().is_none() {
        assert!(
            poll_started.elapsed() < StdDuration::from_secs(5),
            "the tick waited for the balance poll"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    runner.stop(StdDuration::from_millis(200)).await;
    db.finish().await;
}
