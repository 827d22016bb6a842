//! The balance job through the app: the poll cadence across restarts, replicas ticking
//! together asking Gupshup once, and the real scheduler's digest tick not waiting for a slow
//! Gupshup.

use super::*;

crate::app_tests!(
    balance_tick_polls_only_once_the_interval_has_passed,
    replicas_ticking_together_ask_gupshup_once,
    a_slow_gupshup_does_not_hold_up_the_tick,
);

/// The scheduler's balance tick polls a Gupshup workspace only once its last stored reading
/// (failed ones included) is the workspace's `poll_every` old (10 minutes here): the first
/// tick polls, ticks before the interval leave Gupshup alone even after a restart, the tick
/// at the interval polls again, and a workspace on another provider is never polled.
async fn balance_tick_polls_only_once_the_interval_has_passed(db: TestDb) {
    let config = ConfigBuilder::with([
        gupshup_workspace("").balance("poll_every = \"10m\""),
        plain_workspace(),
    ]);
    let app = TestApp::spawn(db, config).await;
    let (store, fake) = (app.store(), app.gupshup());
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    app.set_now(t0);
    fake.script([Answer::balance(70.0), Answer::balance(65.0)]);
    fake.always(Answer::text(401, scenarios::BAD_KEY_TEXT));

    // The app's own balance job, at the harness clock.
    let outcomes = app.balance_tick().await;
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].reading.as_ref().unwrap().amount, 70.0);
    assert_eq!(wallet_calls(fake), 1);
    assert_eq!(readings(store, "w").await, [(t0.timestamp(), Some(70.0))]);

    // The scheduler ticks every 30 s; none of these is due. The last one runs on a fresh
    // monitor, as after a restart: the cadence comes from the stored reading.
    for seconds in [30, 300] {
        app.set_now(t0 + Duration::seconds(seconds));
        let outcomes = app.balance_tick().await;
        assert!(outcomes.is_empty(), "polled {seconds} s after the reading");
    }
    let restarted = Monitor::new(app.config(), app.store(), quick());
    let outcomes = balance_tick(store, app.config(), &restarted, t0 + Duration::seconds(599))
        .await
        .unwrap();
    assert!(outcomes.is_empty(), "polled 599 s after the reading");
    assert_eq!(wallet_calls(fake), 1);
    assert_eq!(readings(store, "w").await.len(), 1);

    let t1 = t0 + Duration::minutes(10);
    let outcomes = balance_tick(store, app.config(), &restarted, t1)
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].reading.as_ref().unwrap().amount, 65.0);
    assert_eq!(wallet_calls(fake), 2);
    assert_eq!(
        readings(store, "w").await,
        [(t0.timestamp(), Some(70.0)), (t1.timestamp(), Some(65.0))]
    );

    // A failed reading (401, not retried) also restarts the interval, so a broken key is
    // not hammered every 30 s.
    let t2 = t1 + Duration::minutes(10);
    let outcomes = balance_tick(store, app.config(), &restarted, t2)
        .await
        .unwrap();
    assert!(outcomes[0].reading.as_ref().unwrap_err().is_auth());
    assert!(
        balance_tick(store, app.config(), &restarted, t2 + Duration::minutes(5))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(wallet_calls(fake), 3);
    assert_eq!(readings(store, "w").await.len(), 3);
    assert_eq!(readings(store, "w").await[2], (t2.timestamp(), None));
    assert!(readings(store, "plain").await.is_empty());
    app.finish().await;
}

/// Two replicas whose scheduler ticks fire together (their clocks 2 s apart) both find the
/// poll due, but only the one that claims it asks Gupshup: one request, one reading, one
/// alert. A third tick, in the next slot while that poll still waits for Gupshup, leaves it
/// alone too.
async fn replicas_ticking_together_ask_gupshup_once(db: TestDb) {
    let app = TestApp::spawn(db, ConfigBuilder::with([gupshup_workspace("")])).await;
    let (store, fake, config) = (app.store(), app.gupshup(), app.config());
    // A slow answer keeps the winner's request in flight while the others tick, so the
    // poll is still due for them. 5 USD is critical at once: one alert.
    fake.always(Answer::balance(5.0).delayed(StdDuration::from_millis(250)));
    let (replica_a, replica_b) = (
        Monitor::new(config, app.store(), quick()),
        Monitor::new(config, app.store(), quick()),
    );
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    // Under the quick policy's 300 ms timeout; the third tick starts while it is pending.
    let next_slot = async {
        tokio::time::sleep(StdDuration::from_millis(100)).await;
        balance_tick(store, config, &replica_b, t0 + Duration::seconds(30)).await
    };
    let (a, b, c) = tokio::join!(
        balance_tick(store, app.config(), &replica_a, t0),
        balance_tick(store, config, &replica_b, t0 + Duration::seconds(2)),
        next_slot,
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert_eq!(a.len() + b.len(), 1, "one replica polls: {a:?} {b:?}");
    assert!(
        c.is_empty(),
        "the next tick waits for the poll in flight: {c:?}"
    );
    assert_eq!(wallet_calls(fake), 1, "Gupshup is asked once");
    let kept = a.first().or(b.first()).unwrap();
    assert!(kept.recorded);
    assert_eq!(kept.state.level, RuleLevel::Critical);
    assert_eq!(kept.queued.len(), 1);
    assert_eq!(readings(store, "w").await.len(), 1);
    assert_eq!(alert_keys(store).await, kept.queued);
    assert_eq!(
        store.balance_alert_state("w").await.unwrap().level,
        RuleLevel::Critical
    );

    // Stored, the poll released its claim: the next due poll (every 5 minutes; 6 here, as
    // either replica's reading may be the last) is made at once. Then a replica claims the
    // one after and dies before storing it: the others leave the workspace alone until that
    // claim's lease ends, then poll it.
    fake.always(Answer::balance(5.0));
    let due = t0 + Duration::minutes(6);
    assert_eq!(
        balance_tick(store, app.config(), &replica_a, due)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(wallet_calls(fake), 2);
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
            balance_tick(store, app.config(), &replica_a, tick)
                .await
                .unwrap()
                .is_empty(),
            "{after} s after the claim"
        );
    }
    assert_eq!(wallet_calls(fake), 2);
    let lease_over = died + Duration::seconds(POLL_LEASE_SECS);
    let polled = balance_tick(store, app.config(), &replica_a, lease_over)
        .await
        .unwrap();
    assert_eq!(polled.len(), 1);
    assert!(polled[0].recorded);
    assert_eq!(wallet_calls(fake), 3);
    assert_eq!(readings(store, "w").await.len(), 3);
    app.finish().await;
}

/// The real scheduler, on a one-second cadence: while Gupshup takes its time (every answer
/// 20 s late, past the 10 s request timeout), the digest-and-delivery tick of the same beat
/// still finishes at once (`/healthz` shows its heartbeat within 5 s of the poll starting),
/// because the balance polls are a job of their own.
async fn a_slow_gupshup_does_not_hold_up_the_tick(db: TestDb) {
    let options = RunOptions {
        tick: Some(EVERY_SECOND),
        ..RunOptions::default()
    };
    let config = ConfigBuilder::with([gupshup_workspace("")]);
    let mut app = TestApp::spawn_with(db, config, options).await;
    app.gupshup()
        .always(Answer::balance(70.0).delayed(StdDuration::from_secs(20)));
    let address = app.http();

    let waiting = tokio::time::Instant::now();
    while wallet_calls(app.gupshup()) == 0 {
        assert!(
            waiting.elapsed() < StdDuration::from_secs(10),
            "no balance poll within 10 s"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    let poll_started = tokio::time::Instant::now();
    loop {
        let body = reqwest::get(format!("http://{address}/healthz"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let health: serde_json::Value = serde_json::from_str(&body).unwrap();
        if health["scheduler"]["status"] == "ok" {
            break;
        }
        assert!(
            poll_started.elapsed() < StdDuration::from_secs(5),
            "the tick waited for the balance poll: {body}"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    assert_eq!(wallet_calls(app.gupshup()), 1, "the poll is still waiting");
    app.finish().await;
}
