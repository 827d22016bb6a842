//! The buttons of the WhatsApp health cards through the signed interactions endpoint: an
//! account card carries Acknowledge / Snooze 1 h / Snooze 4 h of rule `whatsapp_account`,
//! Acknowledge with Manage Server edits the message and stops its reminders, and the
//! Snooze of a template card silences rule `whatsapp_templates` alone.

use chrono::Duration;

use super::buttons::{custom_ids, press};
use super::*;
use crate::fake_gupshup::{Answer, Endpoint};

crate::app_tests!(health_card_buttons_acknowledge_and_snooze_their_rule);

fn waba(can_send: &str) -> String {
    format!(
        r#"{{"status":"success","wabaInfo":{{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_1K","phone":"5491100000000","phoneQuality":"GREEN","canSendMessage":"{can_send}"}}}}"#
    )
}

fn templates(status: &str) -> String {
    format!(
        r#"{{"status":"success","templates":[{{"id":"tpl-1","elementName":"order_update","languageCode":"es","category":"UTILITY","status":"{status}","quality":"GREEN"}}]}}"#
    )
}

async fn health_card_buttons_acknowledge_and_snooze_their_rule(db: TestDb) {
    let workspace = soporte()
        .guild(1001)
        .alerts_channel(555)
        .gupshup(", mode = \"partner\", app_id = \"app-1\"");
    let mut app = TestApp::spawn(db, ConfigBuilder::with([workspace])).await;
    let address = app.http();
    let fake = app.gupshup();
    fake.always_for(Endpoint::WabaInfo, Answer::json(200, &waba("BLOCKED")));
    fake.script_for(
        Endpoint::Templates,
        [Answer::json(200, &templates("APPROVED"))],
    );
    fake.always_for(Endpoint::Templates, Answer::json(200, &templates("PAUSED")));
    let tick = |at: chrono::DateTime<chrono::Utc>| {
        let app = &app;
        async move {
            app.set_now(at);
            let outcomes = app.whatsapp_tick().await;
            app.deliver().await;
            outcomes
        }
    };
    tick(default_now()).await;
    let posted = app.discord().posted()[0].body.clone();
    let ack = "alert:ack:1:default:whatsapp_account";
    assert_eq!(
        custom_ids(&posted),
        [
            ack,
            "alert:snooze:60:default:whatsapp_account",
            "alert:snooze:240:default:whatsapp_account"
        ]
    );
    // Without Manage Server: refused privately, nothing stored.
    let (_, answer) = post(address, &press(ack, &posted, "0")).await;
    assert_eq!(answer["data"]["flags"], 64, "{answer}");
    let (_, answer) = post(address, &press(ack, &posted, "32")).await;
    assert_eq!(answer["type"], 7, "{answer}");
    assert_eq!(
        custom_ids(&answer["data"]),
        [
            "alert:snooze:60:default:whatsapp_account",
            "alert:snooze:240:default:whatsapp_account"
        ]
    );
    let state = app
        .store()
        .rule_state("default", "whatsapp_account")
        .await
        .unwrap()
        .unwrap()
        .state;
    assert_eq!(
        state.acknowledged.map(|(by, _)| by).as_deref(),
        Some("alice")
    );

    // An hour later the template is paused: its card carries only Snooze buttons.
    let later = default_now() + Duration::minutes(61);
    tick(later).await;
    let template_card = app.discord().posted().last().unwrap().body.clone();
    let snooze = "alert:snooze:60:default:whatsapp_templates";
    assert_eq!(
        custom_ids(&template_card),
        [snooze, "alert:snooze:240:default:whatsapp_templates"],
        "{template_card}"
    );
    // Presses are signed at the harness's default instant: press then.
    app.set_now(default_now());
    let (_, answer) = post(address, &press(snooze, &template_card, "32")).await;
    assert_eq!(answer["type"], 7, "{answer}");
    let store = app.store();
    let templates_state = store
        .rule_state("default", "whatsapp_templates")
        .await
        .unwrap();
    assert!(
        templates_state
            .unwrap()
            .state
            .snoozed(default_now() + Duration::minutes(59))
    );
    let account = store
        .rule_state("default", "whatsapp_account")
        .await
        .unwrap();
    assert_eq!(
        account.unwrap().state.snoozed_until,
        None,
        "only its own rule"
    );
    app.finish().await;
}
