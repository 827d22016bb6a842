//! Scheduled polls in the store: one stored poll per slot, and the claim and its lease that
//! keep replicas from asking Gupshup twice. The balance job itself: ticks.rs.

use super::*;

crate::backend_tests!(
    same_poll_stored_twice_concurrently_is_one_row,
    a_poll_claim_holds_until_stored_or_its_lease_ends,
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
