//! The demo's WhatsApp health through [`Wallet`], on both backends: it runs on the demo
//! wallet's clock (the workspace's first stored balance reading), so every replica sees the
//! phone's quality turn YELLOW at minute 8 and GREEN again at minute 20.

use pulso::domain::{Quality, Tier};
use pulso::gupshup::demo_health::DEMO_RATINGS_EVERY;
use pulso::gupshup::{ReadHealth, Wallet};

use super::*;

crate::backend_tests!(the_demo_quality_episode_runs_on_the_wallet_clock);

async fn the_demo_quality_episode_runs_on_the_wallet_clock(store: &Store) {
    let config = config("http://127.0.0.1:9", ", mode = \"demo\"");
    let settings = workspace(&config).gupshup.unwrap();
    let wallet = || Wallet::new("w", &settings, quick(), store).unwrap();
    let (a, b) = (wallet(), wallet());
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let quality = |wallet: &Wallet, at: DateTime<Utc>| {
        let wallet = wallet.clone();
        async move { wallet.ratings(at).await.unwrap().unwrap().quality }
    };
    // No reading yet: the wallet opens now, so it is minute 0 and GREEN.
    assert_eq!(
        quality(&a, t0 + Duration::minutes(9)).await,
        Some(Quality::Green)
    );

    let reading = StoredReading {
        read_at: t0,
        amount: Some(58.4),
        currency: Some("USD".into()),
        error: None,
    };
    let poll = BalancePoll {
        workspace: "w",
        reading: &reading,
        slot: Some(poll_slot(t0)),
        read_version: None,
        state: &RuleState::default(),
        messages: &[],
    };
    let write = store.record_balance_poll(poll, t0.timestamp()).await;
    assert_eq!(write.unwrap(), BalanceWrite::Stored);
    for (minute, expected) in [
        (7, Quality::Green),
        (8, Quality::Yellow),
        (19, Quality::Yellow),
        (20, Quality::Green),
    ] {
        let at = t0 + Duration::minutes(minute);
        assert_eq!(quality(&a, at).await, Some(expected), "minute {minute}");
        assert_eq!(
            quality(&b, at).await,
            Some(expected),
            "replica, minute {minute}"
        );
    }
    let ratings = a.ratings(t0 + Duration::minutes(9)).await.unwrap().unwrap();
    assert_eq!(ratings.current_limit, Some(Tier("TIER_1K".into())));
    assert_eq!(ratings.event_time, Some(t0));
    assert_eq!(a.ratings_every(), DEMO_RATINGS_EVERY);

    let now = t0 + Duration::minutes(9);
    assert!(a.app_health(now).await.unwrap().healthy);
    let account = a.account(now).await.unwrap();
    assert_eq!(
        (account.can_send.as_deref(), account.phone.as_deref()),
        (Some("AVAILABLE"), Some("5491100000000"))
    );
    let templates = a.templates(now).await.unwrap();
    assert_eq!(templates.len(), 3);
    assert!(templates.iter().all(|t| t.status == "APPROVED"));
}
