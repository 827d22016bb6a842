//! Scheduled polls in the store: one stored poll per slot, and the claim and its lease that
//! keep replicas from asking Gupshup twice. The balance job itself: ticks.rs.

use super::*;

crate::backend_tests!(
    same_poll_stored_twice_concurrently_is_one_row,
    a_poll_claim_holds_until_stored_or_its_lease_ends,
    a_poll_over_a_state_changed_since_writes_nothing,
);

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
    let state = &RuleState::default();
    let record = |workspace: &'static str, at: DateTime<Utc>, slot: Option<i64>| {
        let reading = reading(at);
        async move {
            let stored = store.rule_state(workspace, "balance").await.unwrap();
            let poll = BalancePoll {
                workspace,
                reading: &reading,
                slot,
                read_version: stored.map(|s| s.version),
                state,
                messages: &[],
            };
            let write = store.record_balance_poll(poll, at.timestamp()).await;
            write.unwrap() == BalanceWrite::Stored
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
    let poll = BalancePoll {
        workspace: "w",
        reading: &stored,
        slot: Some(poll_slot(t0)),
        read_version: None,
        state: &RuleState::default(),
        messages: &[],
    };
    assert_eq!(
        store.record_balance_poll(poll, at).await.unwrap(),
        BalanceWrite::Stored
    );
    assert!(!claim("w", t0 + Duration::seconds(10)).await, "slot polled");
    let next = t0 + Duration::seconds(30);
    assert!(claim("w", next).await, "released by the stored poll");

    // Never stored: refused until the lease runs out, then taken over.
    let almost = next + Duration::seconds(POLL_LEASE_SECS - 1);
    assert!(!claim("w", almost).await);
    assert!(claim("w", next + Duration::seconds(POLL_LEASE_SECS)).await);
}

/// The balance rule's state is written over the version the poll read: once a snooze (or
/// an acknowledgement) bumped it, the poll is refused whole (no reading, no state, no
/// message, the claim kept) until it is evaluated again over the state now stored.
async fn a_poll_over_a_state_changed_since_writes_nothing(store: &Store) {
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let reading = StoredReading {
        read_at: t0,
        amount: Some(40.0),
        currency: Some("USD".into()),
        error: None,
    };
    let firing = RuleState {
        level: RuleLevel::Firing,
        episode: 1,
        since: Some(t0),
        ..RuleState::default()
    };
    let message = pulso::store::NewMessage {
        dedupe_key: "alert:w:balance:1:firing".into(),
        workspace: "w".into(),
        kind: "alert".into(),
        destination: Destination::DiscordChannel { channel_id: 555 },
        payload: Reply::ephemeral_text("low").to_stored(),
        attachment: None,
        edits: None,
    };
    let poll = |slot: i64, read_version: Option<i64>, state, messages| BalancePoll {
        workspace: "w",
        reading: &reading,
        slot: Some(slot),
        read_version,
        state,
        messages,
    };
    let alert = std::slice::from_ref(&message);
    let ok = RuleState::default();
    let first = poll(poll_slot(t0), None, &ok, &[]);
    let now = t0.timestamp();
    assert_eq!(
        store.record_balance_poll(first, now).await.unwrap(),
        BalanceWrite::Stored
    );
    let version = store
        .rule_state("w", "balance")
        .await
        .unwrap()
        .unwrap()
        .version;
    let until = t0 + Duration::hours(1);
    store
        .snooze_rule("w", "balance", Some(until))
        .await
        .unwrap();

    let slot = poll_slot(t0 + Duration::seconds(30));
    assert!(
        store
            .claim_balance_poll("w", slot, now + 30, now + 30 + POLL_LEASE_SECS)
            .await
            .unwrap()
    );
    let stale = poll(slot, Some(version), &firing, alert);
    assert_eq!(
        store.record_balance_poll(stale, now + 30).await.unwrap(),
        BalanceWrite::Stale
    );
    assert_eq!(readings(store, "w").await.len(), 1, "no reading");
    assert!(alert_keys(store).await.is_empty(), "no message");
    let kept = store.balance_alert_state("w").await.unwrap();
    assert_eq!(
        (kept.level, kept.snoozed_until),
        (RuleLevel::Ok, Some(until))
    );
    assert!(
        !store
            .claim_balance_poll("w", slot + 30, now + 60, now + 60 + POLL_LEASE_SECS)
            .await
            .unwrap(),
        "the claim still holds"
    );

    let current = store.rule_state("w", "balance").await.unwrap().unwrap();
    let again = RuleState {
        snoozed_until: current.state.snoozed_until,
        ..firing.clone()
    };
    let retried = poll(slot, Some(current.version), &again, alert);
    assert_eq!(
        store.record_balance_poll(retried, now + 30).await.unwrap(),
        BalanceWrite::Stored
    );
    assert_eq!(alert_keys(store).await, ["alert:w:balance:1:firing"]);
    assert_eq!(store.balance_alert_state("w").await.unwrap(), again);
}
