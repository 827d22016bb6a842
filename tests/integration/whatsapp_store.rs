//! The store's side of the WhatsApp health signals: a call is claimed once per interval
//! across replicas (and a lease keeps a slow call from being repeated), a poll is stored
//! with its rule state and messages all or nothing over the version it read, and a failed
//! call keeps the last good reading.

use chrono::Duration;
use pulso::domain::{
    AppHealth, Destination, RuleLevel, RuleState, WhatsappReading, WhatsappSignal,
};
use pulso::store::{NewMessage, Store, WhatsappPoll};

use crate::helpers::utc;

crate::backend_tests!(
    a_call_is_claimed_once_per_interval_and_lease,
    a_poll_is_stored_over_the_version_it_read,
    a_failed_call_keeps_the_last_good_reading,
);

async fn a_call_is_claimed_once_per_interval_and_lease(store: &Store) {
    let t0 = utc(2026, 12, 1, 10, 0, 0);
    let day = Duration::hours(24);
    let lease = |at| at + Duration::minutes(3);
    let claim = |at| store.claim_whatsapp_call("w", WhatsappSignal::Quality, at, day, lease(at));
    assert!(claim(t0).await.unwrap(), "first call");
    // A second replica at the same instant, and anyone within the day, get nothing.
    assert!(!claim(t0).await.unwrap());
    assert!(!claim(t0 + Duration::hours(23)).await.unwrap());
    // Other signals and workspaces are separate.
    assert!(
        store
            .claim_whatsapp_call("w", WhatsappSignal::Account, t0, day, lease(t0))
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_whatsapp_call("v", WhatsappSignal::Quality, t0, day, lease(t0))
            .await
            .unwrap()
    );
    assert!(claim(t0 + day).await.unwrap(), "a day later");
    let signals = store.whatsapp_signals("w").await.unwrap();
    let kinds: Vec<_> = signals.iter().map(|s| s.signal).collect();
    assert_eq!(kinds, [WhatsappSignal::Account, WhatsappSignal::Quality]);
    assert_eq!(signals[1].called_at, Some(t0 + day));
    assert_eq!(signals[1].reading, None);

    // A short interval: the lease of a call still running holds the next tick back.
    let every = Duration::minutes(1);
    let health =
        |at| store.claim_whatsapp_call("w", WhatsappSignal::AppHealth, at, every, lease(at));
    assert!(health(t0).await.unwrap());
    assert!(
        !health(t0 + Duration::minutes(2)).await.unwrap(),
        "lease running"
    );
    assert!(
        health(t0 + Duration::minutes(3)).await.unwrap(),
        "lease over"
    );
}

/// The version of the app health rule's stored state.
async fn health_version(store: &Store) -> i64 {
    let state = store.rule_state("w", "gupshup_app_health").await.unwrap();
    state.expect("a stored state").version
}

/// Whether `poll`, made at `at`, was stored.
async fn stored(store: &Store, poll: WhatsappPoll<'_>, at: chrono::DateTime<chrono::Utc>) -> bool {
    store
        .record_whatsapp_poll(poll, at.timestamp())
        .await
        .unwrap()
}

fn sick() -> WhatsappReading {
    WhatsappReading::AppHealth(AppHealth {
        healthy: false,
        reason: Some("App is not live.".into()),
    })
}

fn alert(key: &str) -> NewMessage {
    NewMessage {
        dedupe_key: key.into(),
        workspace: "w".into(),
        kind: "alert".into(),
        destination: Destination::Console,
        payload: r#"{"content":"x"}"#.into(),
        attachment: None,
        edits: None,
    }
}

async fn a_poll_is_stored_over_the_version_it_read(store: &Store) {
    let t0 = utc(2026, 12, 1, 10, 0, 0);
    let every = Duration::minutes(5);
    assert!(
        store
            .claim_whatsapp_call(
                "w",
                WhatsappSignal::AppHealth,
                t0,
                every,
                t0 + Duration::minutes(3)
            )
            .await
            .unwrap()
    );
    let reading = sick();
    let firing = RuleState {
        level: RuleLevel::Firing,
        episode: 1,
        ..RuleState::default()
    };
    let messages = [alert("alert:w:gupshup_app_health:1:firing")];
    let poll = WhatsappPoll {
        workspace: "w",
        outcome: Ok(&reading),
        read_at: t0,
        read_version: None,
        state: &firing,
        messages: &messages,
    };
    assert!(stored(store, poll, t0).await);
    // A second replica that read no state: its insert finds the row, nothing is written.
    assert!(
        !store
            .record_whatsapp_poll(poll, t0.timestamp())
            .await
            .unwrap()
    );
    let stored = store
        .rule_state("w", "gupshup_app_health")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.state.level, RuleLevel::Firing);
    assert!(
        store
            .outbox_status("alert:w:gupshup_app_health:1:firing")
            .await
            .unwrap()
            .is_some()
    );
    // The stored poll ended the lease: the next due call is not held back.
    assert!(
        store
            .claim_whatsapp_call(
                "w",
                WhatsappSignal::AppHealth,
                t0 + every,
                every,
                t0 + every
            )
            .await
            .unwrap()
    );
    // A button press bumps the version: a poll over the old one writes nothing.
    store
        .acknowledge_rule("w", "gupshup_app_health", "ana", t0)
        .await
        .unwrap();
    let stale = WhatsappPoll {
        read_version: Some(stored.version),
        state: &RuleState::default(),
        messages: &[alert("alert:w:gupshup_app_health:1:resolved")],
        ..poll
    };
    assert!(
        !store
            .record_whatsapp_poll(stale, t0.timestamp() + 1)
            .await
            .unwrap()
    );
    assert!(
        store
            .outbox_status("alert:w:gupshup_app_health:1:resolved")
            .await
            .unwrap()
            .is_none()
    );
    let now = store
        .rule_state("w", "gupshup_app_health")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.state.level, RuleLevel::Firing);
    assert_eq!(
        now.state.acknowledged.map(|(by, _)| by).as_deref(),
        Some("ana")
    );
}

async fn a_failed_call_keeps_the_last_good_reading(store: &Store) {
    let t0 = utc(2026, 12, 1, 10, 0, 0);
    let every = Duration::minutes(5);
    let claim = |at| {
        store.claim_whatsapp_call(
            "w",
            WhatsappSignal::AppHealth,
            at,
            every,
            at + Duration::minutes(3),
        )
    };
    assert!(claim(t0).await.unwrap());
    let reading = sick();
    let state = RuleState::default();
    let good = WhatsappPoll {
        workspace: "w",
        outcome: Ok(&reading),
        read_at: t0,
        read_version: None,
        state: &state,
        messages: &[],
    };
    assert!(stored(store, good, t0).await);
    let version = health_version(store).await;
    let t1 = t0 + every;
    assert!(claim(t1).await.unwrap());
    let failed = WhatsappPoll {
        outcome: Err((
            WhatsappSignal::AppHealth,
            "Gupshup did not answer within 10s",
        )),
        read_at: t1,
        read_version: Some(version),
        ..good
    };
    assert!(stored(store, failed, t1).await);
    let signal = store.whatsapp_signals("w").await.unwrap().remove(0);
    assert_eq!(signal.reading, Some((t0, sick())));
    assert_eq!(
        signal.error,
        Some((t1, "Gupshup did not answer within 10s".to_string()))
    );
    assert_eq!(signal.called_at, Some(t1));
    // The next good reading clears the failure.
    let t2 = t1 + every;
    assert!(claim(t2).await.unwrap());
    let version = health_version(store).await;
    let healthy = WhatsappReading::AppHealth(AppHealth {
        healthy: true,
        reason: None,
    });
    let recovered = WhatsappPoll {
        outcome: Ok(&healthy),
        read_at: t2,
        read_version: Some(version),
        ..good
    };
    assert!(stored(store, recovered, t2).await);
    let signal = store.whatsapp_signals("w").await.unwrap().remove(0);
    assert_eq!(signal.reading, Some((t2, healthy)));
    assert_eq!(signal.error, None);
}
