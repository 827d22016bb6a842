//! `/alerts` for alert rules through the app: status lists every rule, `ack` stops the
//! reminders of the episode (Manage Server only), `snooze`/`mute rule:` suppress messages
//! while the state keeps being tracked, `unmute` lifts it; unknown rules are refused by name.

use chrono::Duration;
use pulso::domain::RuleLevel;
use pulso::jobs::rules_tick;

use crate::harness::{Caller, ConfigBuilder, TestApp, WorkspaceConfig, default_now};
use crate::helpers::*;

crate::app_tests!(
    ack_and_snooze_act_on_the_rule_and_status_shows_it,
    the_console_acknowledges_and_snoozes_like_the_buttons,
);

const QUEUE: &str = "rule = \"queue_waiting\"\nover = \"15m\"\nthreshold = 3\ncritical = 10\nrecover_at = 1\nrepeat_every = \"10m\"";

/// `n` pending inquiries named `prefix-i` that have waited 20 minutes at `default_now()`.
async fn queue(app: &TestApp, prefix: &str, n: usize) {
    let rows: Vec<_> = (0..n)
        .map(|i| {
            pending(
                "w",
                &format!("{prefix}-{i}"),
                default_now() - Duration::minutes(20),
            )
        })
        .collect();
    insert(app.store(), &rows, &[]).await;
}

async fn ack_and_snooze_act_on_the_rule_and_status_shows_it(db: TestDb) {
    let app = TestApp::spawn(
        db,
        ConfigBuilder::with([WorkspaceConfig::new("w", "Equipo")
            .alerts_channel(555)
            .alert_rule(QUEUE)]),
    )
    .await;
    let admin = Caller {
        can_manage_guild: true,
        ..Caller::default()
    };
    let evaluate = |minutes: i64| {
        let app = &app;
        async move {
            let at = default_now() + Duration::minutes(minutes);
            app.set_now(at);
            rules_tick(app.store(), app.config(), at).await.unwrap()
        }
    };
    queue(&app, "a", 4).await;
    let fired = evaluate(0).await;
    assert_eq!(fired[0].queued, ["alert:w:queue_waiting:1:firing"]);

    let status = app.command("/alerts status").await.content.unwrap();
    assert!(status.contains("**Alert rules**"), "{status}");
    assert!(
        status.contains("• **queue_waiting**: firing · 4 inquiries · since "),
        "{status}"
    );
    let refused = app.command("/alerts ack rule:queue_waiting").await;
    assert!(
        refused.content.unwrap().contains("Manage Server"),
        "acknowledging needs Manage Server"
    );
    let unknown = app
        .command_as("/alerts ack rule:queue", admin.clone())
        .await;
    assert_eq!(
        unknown.content.as_deref(),
        Some("⚠️ There is no alert rule named `queue`. Rules: `queue_waiting`.")
    );
    let acked = app
        .command_as("/alerts ack rule:queue_waiting", admin.clone())
        .await;
    assert_eq!(
        acked.content.as_deref(),
        Some("✅ queue_waiting acknowledged by console: no more reminders for this episode.")
    );
    // Past repeat_every: no reminder for an acknowledged episode.
    assert!(evaluate(11).await[0].queued.is_empty());
    assert!(evaluate(22).await[0].events.is_empty());
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(status.contains("acknowledged by console"), "{status}");

    // Snoozed: the escalation is tracked, not posted.
    let snoozed = app
        .command_as(
            "/alerts snooze rule:queue_waiting duration:4h",
            admin.clone(),
        )
        .await;
    assert!(
        snoozed
            .content
            .unwrap()
            .starts_with("🔇 queue_waiting silenced until "),
    );
    queue(&app, "b", 8).await;
    let escalated = evaluate(23).await;
    assert_eq!(escalated[0].state.level, RuleLevel::Critical);
    assert_eq!(escalated[0].events.len(), 1);
    assert!(escalated[0].queued.is_empty(), "snoozed: nothing posted");
    let status = app.command("/alerts status").await.content.unwrap();
    assert!(status.contains("critical · 12 inquiries"), "{status}");
    assert!(status.contains("🔇 until "), "{status}");

    let back = app
        .command_as("/alerts unmute rule:queue_waiting", admin)
        .await;
    assert_eq!(
        back.content.as_deref(),
        Some("🔔 queue_waiting is back on.")
    );
    // Drained after the snooze was lifted: the resolved message goes out.
    let drained: Vec<_> = (0..4)
        .map(|i| format!("a-{i}"))
        .chain((0..8).map(|i| format!("b-{i}")))
        .map(|id| resolved("w", &id, default_now() - Duration::minutes(20), 25, 5))
        .collect();
    insert(app.store(), &drained, &[]).await;
    let resolved = evaluate(40).await;
    assert_eq!(
        resolved[0].queued,
        [
            "alert:w:queue_waiting:1:resolved-edit",
            "alert:w:queue_waiting:1:resolved"
        ]
    );
    app.finish().await;
}

/// On the console (the operator's terminal) `/alerts ack` and `/alerts snooze` work
/// without any Discord permission, as the console section asks.
async fn the_console_acknowledges_and_snoozes_like_the_buttons(db: TestDb) {
    let app = TestApp::spawn(
        db,
        ConfigBuilder::with([WorkspaceConfig::new("w", "Equipo")
            .alerts_channel(555)
            .alert_rule(QUEUE)]),
    )
    .await;
    queue(&app, "a", 4).await;
    rules_tick(app.store(), app.config(), default_now())
        .await
        .unwrap();
    let transcript = app
        .console("/alerts ack rule:queue_waiting\n/alerts snooze rule:queue_waiting duration:4h\n/alerts status\n")
        .await;
    for part in [
        "✅ queue_waiting acknowledged by console: no more reminders for this episode.",
        "🔇 queue_waiting silenced until ",
        "• queue_waiting: firing · 4 inquiries · since ",
        "acknowledged by console",
    ] {
        assert!(
            transcript.contains(part),
            "missing {part:?} in:\n{transcript}"
        );
    }
    let state = app.store().rule_states("w").await.unwrap()[0].state.clone();
    assert_eq!(
        state.acknowledged.map(|(by, _)| by).as_deref(),
        Some("console")
    );
    assert_eq!(
        state.snoozed_until,
        Some(default_now() + Duration::hours(4))
    );
    app.finish().await;
}
