//! The buttons of a Gupshup balance alert (rule `balance`) through the signed interactions
//! endpoint: the card keeps its text and gains Acknowledge / Snooze 1 h / Snooze 4 h;
//! Acknowledge without Manage Server is refused privately, with it the message is edited in
//! place and the reminders stop; once the balance recovers, the first message is edited to
//! show it.

use chrono::Duration;
use pulso::domain::RuleLevel;

use super::buttons::{custom_ids, press};
use super::*;
use crate::fake_gupshup::Answer;

crate::app_tests!(balance_alert_buttons_acknowledge_and_the_resolve_edits_the_message);

async fn balance_alert_buttons_acknowledge_and_the_resolve_edits_the_message(db: TestDb) {
    let config = ConfigBuilder::with([soporte().guild(1001).alerts_channel(555).gupshup("")]);
    let mut app = TestApp::spawn(db, config).await;
    let address = app.http();
    let tick = |at: chrono::DateTime<chrono::Utc>| {
        let app = &app;
        async move {
            app.set_now(at);
            let outcome = app.balance_tick().await.remove(0);
            app.deliver().await;
            outcome
        }
    };
    app.gupshup().always(Answer::balance(5.0));
    let critical = tick(default_now()).await;
    assert_eq!(critical.queued, ["alert:default:balance:1:critical"]);
    let posted = app.discord().posted()[0].body.clone();
    assert_eq!(
        posted["embeds"][0]["title"],
        "🚨 Saldo de Gupshup crítico · Soporte"
    );
    let ack = "alert:ack:1:default:balance";
    assert_eq!(
        custom_ids(&posted),
        [
            ack,
            "alert:snooze:60:default:balance",
            "alert:snooze:240:default:balance"
        ]
    );

    let state = |app: &TestApp| {
        let store = app.store().clone();
        async move { store.balance_alert_state("default").await.unwrap() }
    };
    let (status, answer) = post(address, &press(ack, &posted, "0")).await;
    assert_eq!(
        (status, answer["type"].as_i64()),
        (200, Some(4)),
        "{answer}"
    );
    assert_eq!(answer["data"]["flags"], 64, "private");
    assert_eq!(state(&app).await.acknowledged, None);

    let (_, answer) = post(address, &press(ack, &posted, "32")).await;
    assert_eq!(answer["type"], 7, "{answer}");
    let description = answer["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(
        description.starts_with("El saldo es **5,00 USD**, por debajo de 10,00 USD."),
        "{description}"
    );
    assert!(
        description.ends_with("\n✅ Confirmada por alice a las 12:00."),
        "{description}"
    );
    assert_eq!(
        custom_ids(&answer["data"]),
        [
            "alert:snooze:60:default:balance",
            "alert:snooze:240:default:balance"
        ],
        "acknowledged: no Acknowledge button any more"
    );
    let acknowledged = state(&app).await;
    assert_eq!(
        acknowledged.acknowledged.map(|(by, _)| by).as_deref(),
        Some("alice")
    );
    // Past repeat_every (4 h): no reminder.
    let later = tick(default_now() + Duration::hours(4) + Duration::minutes(1)).await;
    assert_eq!(later.state.level, RuleLevel::Critical);
    assert!(later.events.is_empty(), "{later:?}");

    // Recharged: one resolved message, and the first one edited in place, buttons gone.
    app.gupshup().always(Answer::balance(70.0));
    let resolved = tick(default_now() + Duration::minutes(250)).await;
    assert_eq!(
        resolved.queued,
        [
            "alert:default:balance:1:resolved-edit",
            "alert:default:balance:1:resolved"
        ]
    );
    let posted = app.discord().posted();
    assert_eq!(posted.len(), 2);
    assert_eq!(
        posted[1].body["embeds"][0]["title"],
        "✅ Saldo de Gupshup recuperado · Soporte"
    );
    let edits: Vec<_> = app
        .discord()
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(edits.len(), 1, "one edit");
    assert_eq!(
        edits[0].path,
        format!("/api/v10/channels/555/messages/{}", posted[0].id)
    );
    assert_eq!(
        edits[0].body["embeds"][0]["title"],
        "✅ Saldo de Gupshup recuperado tras 4 h 10 min · Soporte"
    );
    assert_eq!(edits[0].body["components"], serde_json::json!([]));
    app.finish().await;
}
