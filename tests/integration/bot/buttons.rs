//! The buttons of an alert message through the signed interactions endpoint: Acknowledge
//! edits the message in place (type 7) with who and when and stops the reminders, Snooze
//! 4 h silences the rule, a member without Manage Server gets a private refusal and nothing
//! is written, and a press on an episode that is over is refused.

use chrono::Duration;
use pulso::domain::{Inquiry, RuleLevel};
use pulso::jobs::rules_tick;
use serde_json::{Value, json};

use super::*;
use crate::fake_discord::message_json;

crate::app_tests!(
    alert_buttons_act_and_edit_the_message,
    a_press_over_the_gateway_edits_the_message_through_the_callback,
);

const QUEUE: &str = "rule = \"queue_waiting\"\nover = \"15m\"\nthreshold = 3\nrecover_at = 1\nrepeat_every = \"10m\"";

/// A button press as Discord sends it: the message the button is on (as posted) and the
/// member who pressed, with `permissions` (32 = Manage Server).
pub(super) fn press(custom_id: &str, posted: &Value, permissions: &str) -> Value {
    let mut message = message_json();
    message["embeds"] = posted["embeds"].clone();
    message["components"] = posted["components"].clone();
    json!({
        "type": 3, "id": "901", "application_id": APP_ID.to_string(), "token": "press-token",
        "version": 1, "locale": "es-ES", "channel_id": "555", "guild_id": "1001",
        "entitlements": [], "attachment_size_limit": 8_388_608,
        "member": {"user": {"id": "1000", "username": "alice", "global_name": null, "avatar": null},
                   "roles": [], "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false,
                   "flags": 0, "permissions": permissions},
        "message": message,
        "data": {"custom_id": custom_id, "component_type": 2}
    })
}

pub(super) fn custom_ids(body: &Value) -> Vec<String> {
    body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|button| button["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// Four inquiries waiting 20 minutes, one evaluation and one delivery: the rule fires and
/// its message (with the buttons) reaches the fake Discord. Returns the queue and the
/// posted body.
async fn fire(app: &TestApp) -> (Vec<Inquiry>, Value) {
    let waiting: Vec<Inquiry> = (0..4)
        .map(|i| {
            pending(
                "default",
                &format!("q{i}"),
                default_now() - Duration::minutes(20),
            )
        })
        .collect();
    insert(app.store(), &waiting, &[]).await;
    rules_tick(app.store(), app.config(), default_now())
        .await
        .unwrap();
    app.deliver().await;
    (waiting, app.discord().posted()[0].body.clone())
}

async fn alert_buttons_act_and_edit_the_message(db: TestDb) {
    let config = ConfigBuilder::with([soporte().guild(1001).alerts_channel(555).alert_rule(QUEUE)]);
    let mut app = TestApp::spawn(db, config).await;
    let address = app.http();
    let (waiting, posted) = fire(&app).await;
    let ack = "alert:ack:1:default:queue_waiting";
    assert_eq!(
        custom_ids(&posted),
        [
            ack,
            "alert:snooze:60:default:queue_waiting",
            "alert:snooze:240:default:queue_waiting"
        ]
    );
    let labels: Vec<&str> = posted["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "✅ Confirmar",
            "🔇 Silenciar 1 h",
            "🔇 Silenciar 4 h",
            "Ver detalles"
        ]
    );
    assert_eq!(
        posted["components"][0]["components"][3]["url"],
        "https://app.example.com/cs/pending"
    );

    // Without Manage Server: private refusal, nothing written.
    let (status, answer) = post(address, &press(ack, &posted, "0")).await;
    assert_eq!(status, 200);
    assert_eq!(answer["type"], 4, "{answer}");
    assert_eq!(answer["data"]["flags"], 64, "private");
    assert!(
        answer["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Gestionar servidor"),
        "{answer}"
    );
    let state = |app: &TestApp| {
        let store = app.store().clone();
        async move { store.rule_states("default").await.unwrap()[0].state.clone() }
    };
    assert_eq!(state(&app).await.acknowledged, None);

    // Acknowledge: the message is edited in place, the reminders stop.
    let (_, answer) = post(address, &press(ack, &posted, "32")).await;
    assert_eq!(answer["type"], 7, "{answer}");
    let description = answer["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(
        description.ends_with("\n✅ Confirmada por alice a las 12:00."),
        "{description}"
    );
    assert_eq!(
        custom_ids(&answer["data"]),
        [
            "alert:snooze:60:default:queue_waiting",
            "alert:snooze:240:default:queue_waiting"
        ],
        "acknowledged: no Acknowledge button any more"
    );
    let acknowledged = state(&app).await;
    assert_eq!(
        acknowledged.acknowledged.map(|(by, _)| by).as_deref(),
        Some("alice")
    );
    let later = default_now() + Duration::minutes(15);
    let outcome = rules_tick(app.store(), app.config(), later).await.unwrap();
    assert!(
        outcome[0].events.is_empty(),
        "no reminder after the acknowledgement"
    );

    // Snooze 4 h.
    let (_, answer) = post(
        address,
        &press("alert:snooze:240:default:queue_waiting", &posted, "32"),
    )
    .await;
    assert_eq!(answer["type"], 7, "{answer}");
    assert!(
        answer["data"]["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .ends_with("\n🔇 Silenciada por alice hasta las 16:00."),
        "{answer}"
    );
    assert_eq!(
        state(&app).await.snoozed_until,
        Some(default_now() + Duration::hours(4))
    );

    // The episode resolves and a new one starts: the old message's Acknowledge is refused.
    let drained: Vec<_> = waiting
        .iter()
        .map(|i| resolved("default", &i.id, i.requested_at, 25, 5))
        .collect();
    insert(app.store(), &drained, &[]).await;
    rules_tick(app.store(), app.config(), later + Duration::minutes(1))
        .await
        .unwrap();
    insert(app.store(), &waiting, &[]).await;
    rules_tick(app.store(), app.config(), later + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(state(&app).await.level, RuleLevel::Firing);
    let (_, answer) = post(address, &press(ack, &posted, "32")).await;
    assert_eq!(answer["type"], 4, "{answer}");
    assert_eq!(
        answer["data"]["content"],
        "Este botón es de un episodio que ya terminó."
    );
    assert_eq!(
        state(&app).await.acknowledged,
        None,
        "episode 2 is not acknowledged"
    );
    app.finish().await;
}

/// The same Acknowledge arriving as a gateway `INTERACTION_CREATE`: answered with a type 7
/// interaction callback over REST, the acknowledgement stored.
async fn a_press_over_the_gateway_edits_the_message_through_the_callback(db: TestDb) {
    let config = ConfigBuilder::with([soporte().guild(1001).alerts_channel(555).alert_rule(QUEUE)])
        .transport("gateway");
    let mut app = TestApp::spawn(db, config).await;
    let (_, posted) = fire(&app).await;
    let gateway = super::gateway::connect_to_fake_gateway(&mut app).await;
    gateway.dispatch(
        "INTERACTION_CREATE",
        press("alert:ack:1:default:queue_waiting", &posted, "32"),
    );
    let callback = super::gateway::first_callback(app.discord(), &gateway).await;
    assert_eq!(
        callback.path,
        "/api/v10/interactions/901/press-token/callback"
    );
    assert_eq!(callback.body["type"], 7, "{}", callback.body);
    assert!(
        callback.body["data"]["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .ends_with("✅ Confirmada por alice a las 12:00."),
        "{}",
        callback.body
    );
    let states = app.store().rule_states("default").await.unwrap();
    assert_eq!(
        states[0]
            .state
            .acknowledged
            .as_ref()
            .map(|(by, _)| by.as_str()),
        Some("alice")
    );
    app.finish().await;
}
