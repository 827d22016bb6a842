//! The balance as rule `balance` of `/alerts`: ack stops its reminders, snooze, mute and
//! unmute with `rule:balance` act on it alone, status shows the acknowledgement, unknown
//! rules list it.

use super::*;

crate::app_tests!(alerts_commands_act_on_the_balance_rule);

async fn alerts_commands_act_on_the_balance_rule(db: TestDb) {
    let app = TestApp::spawn(db, ConfigBuilder::with([gupshup_workspace("")])).await;
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let tick = |at: DateTime<Utc>| {
        let app = &app;
        async move {
            app.set_now(at);
            app.balance_tick().await.remove(0)
        }
    };
    let admin = Caller {
        can_manage_guild: true,
        ..Caller::default()
    };
    app.gupshup().always(Answer::balance(40.0));
    assert!(tick(t0).await.events.is_empty(), "pending");
    let fired = tick(t0 + Duration::minutes(5)).await;
    assert_eq!(fired.queued, ["alert:w:balance:1:firing"]);

    let refused = app.command("/alerts ack rule:balance").await.to_text();
    assert!(refused.contains("Manage Server"), "{refused}");
    let unknown = app
        .command_as("/alerts ack rule:saldo", admin.clone())
        .await;
    assert_eq!(
        unknown.content.as_deref(),
        Some("⚠️ There is no alert rule named `saldo`. Rules: `balance`.")
    );
    let acked = app
        .command_as("/alerts ack rule:balance", admin.clone())
        .await;
    assert_eq!(
        acked.content.as_deref(),
        Some("✅ balance acknowledged by console: no more reminders for this episode.")
    );
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(
        status.starts_with("State: **low** (since 2026-11-02 12:05 UTC)\n"),
        "{status}"
    );
    assert!(
        status.contains("\n✅ Acknowledged by console: no reminders for this episode\n"),
        "{status}"
    );
    // Past repeat_every (4 h): no reminder for an acknowledged episode.
    let later = tick(t0 + Duration::hours(5)).await;
    assert!(later.events.is_empty(), "{later:?}");

    let snoozed = app
        .command_as("/alerts snooze rule:balance duration:1h", admin.clone())
        .await;
    assert_eq!(
        snoozed.content.as_deref(),
        Some("🔇 balance silenced until 2026-11-02 18:00 UTC; its state keeps being tracked.")
    );
    // Snoozed: the escalation is tracked, not posted.
    app.gupshup().always(Answer::balance(5.0));
    let critical = tick(t0 + Duration::hours(5) + Duration::minutes(5)).await;
    assert_eq!(critical.state.level, RuleLevel::Critical);
    assert!(critical.queued.is_empty(), "{critical:?}");
    let back = app
        .command_as("/alerts unmute rule:balance", admin.clone())
        .await;
    assert_eq!(back.content.as_deref(), Some("🔔 balance is back on."));
    assert_eq!(
        app.store()
            .balance_alert_state("w")
            .await
            .unwrap()
            .snoozed_until,
        None
    );
    let muted = app
        .command_as("/alerts mute rule:balance duration:2h", admin)
        .await;
    assert!(
        muted
            .content
            .unwrap()
            .starts_with("🔇 balance silenced until "),
    );
    let state = app.store().balance_alert_state("w").await.unwrap();
    assert_eq!(
        state.snoozed_until,
        Some(t0 + Duration::hours(7) + Duration::minutes(5))
    );
    assert_eq!(
        state.acknowledged.map(|(by, _)| by).as_deref(),
        Some("console"),
        "still the acknowledged episode"
    );
    app.finish().await;
}
