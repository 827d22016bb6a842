//! The health rules' episode cards, in es, en and pt.

use chrono::Duration;

use super::super::test_support::{limited_account, parts, ratings, workspace};
use super::*;
use crate::config::GupshupMode;
use crate::domain::AppHealth;
use crate::gupshup::GupshupError;

fn partner(locale: Locale) -> Workspace {
    workspace(GupshupMode::Partner, locale)
}

fn not_live() -> WhatsappReading {
    WhatsappReading::AppHealth(AppHealth {
        healthy: false,
        reason: Some("App is not live.".into()),
    })
}

#[test]
fn app_health_firing_says_gupshups_reason_and_why_it_matters() {
    let event = RuleEvent::Firing {
        episode: 3,
        value: 1.0,
    };
    let card = health_alert_card(
        &partner(Locale::Es),
        WhatsappSignal::AppHealth,
        &event,
        Some(&not_live()),
        None,
    );
    let (title, description, footer, actions) = parts(&card);
    assert_eq!(title, "⚠️ Salud de la app de Gupshup · Soporte");
    assert_eq!(
        description,
        "Gupshup informa que la app no está sana: «App is not live.».\n\
         Mientras tanto el chatbot puede dejar de enviar y recibir mensajes de WhatsApp. Revisa la app en el panel de Gupshup."
    );
    assert_eq!(footer, "pulso · regla de alerta gupshup_app_health");
    assert_eq!(
        actions,
        [
            "alert:ack:3:soporte:gupshup_app_health",
            "alert:snooze:60:soporte:gupshup_app_health",
            "alert:snooze:240:soporte:gupshup_app_health",
        ]
    );
    assert_eq!(card.embed.as_ref().unwrap().color, Some(ORANGE));

    let card = health_alert_card(
        &partner(Locale::En),
        WhatsappSignal::AppHealth,
        &event,
        Some(&not_live()),
        None,
    );
    let (title, description, _, _) = parts(&card);
    assert_eq!(title, "⚠️ Gupshup app health · Soporte");
    assert!(
        description.starts_with("Gupshup reports the app as not healthy: \"App is not live.\".\n"),
        "{description}"
    );
    assert!(description.contains("may stop sending"), "{description}");
}

#[test]
fn account_critical_lists_problems_and_reasons() {
    let event = RuleEvent::Critical {
        episode: 1,
        value: 2.0,
    };
    let reading = WhatsappReading::Account(limited_account());
    for (locale, heading, problem, said) in [
        (
            Locale::En,
            "🔴 WhatsApp account · critical · Soporte",
            "cannot send messages normally: **canSendMessage LIMITED**.",
            "Gupshup says:\n• Your display name has not been approved yet.",
        ),
        (
            Locale::Es,
            "🔴 Cuenta de WhatsApp · crítica · Soporte",
            "no puede enviar mensajes con normalidad: **canSendMessage LIMITED**.",
            "Según Gupshup:\n• Your display name",
        ),
        (
            Locale::Pt,
            "🔴 Conta do WhatsApp",
            "não consegue enviar mensagens normalmente: **canSendMessage LIMITED**.",
            "Segundo o Gupshup:\n• Your display name",
        ),
    ] {
        let card = health_alert_card(
            &partner(locale),
            WhatsappSignal::Account,
            &event,
            Some(&reading),
            None,
        );
        let (title, description, _, actions) = parts(&card);
        assert!(title.starts_with(heading), "{title}");
        assert!(description.contains(problem), "{description}");
        assert!(description.contains(said), "{description}");
        assert_eq!(actions.len(), 3);
        let embed = card.embed.unwrap();
        assert_eq!(embed.color, Some(RED));
        assert_eq!(embed.fields[0].value, "Tienda\\_Sol · 917835039205");
    }
}

#[test]
fn quality_cards_name_the_quality_and_the_limit() {
    let red = WhatsappReading::Quality(ratings(Quality::Red, "TIER_1K"));
    let card = health_alert_card(
        &partner(Locale::Es),
        WhatsappSignal::Quality,
        &RuleEvent::Critical {
            episode: 2,
            value: 2.0,
        },
        Some(&red),
        None,
    );
    let (title, description, _, _) = parts(&card);
    assert_eq!(title, "🔴 Calidad y límite de mensajes · crítica · Soporte");
    assert!(
        description.starts_with(
            "La calidad del número es **RED (baja)**; límite de mensajes: **1.000 usuarios por día** (TIER_1K).\n\
             Con calidad baja Meta puede reducir el límite"
        ),
        "{description}"
    );

    let yellow = WhatsappReading::Quality(ratings(Quality::Yellow, "TIER_UNLIMITED"));
    let reminder = RuleEvent::Reminder {
        episode: 2,
        seq: 1,
        level: RuleLevel::Firing,
        value: 1.0,
    };
    let card = health_alert_card(
        &partner(Locale::En),
        WhatsappSignal::Quality,
        &reminder,
        Some(&yellow),
        None,
    );
    let (title, description, _, actions) = parts(&card);
    assert_eq!(
        title,
        "⏰ Quality and messaging limit · still firing · Soporte"
    );
    assert!(
        description
            .contains("**YELLOW (medium)**; messaging limit: **unlimited** (TIER_UNLIMITED)."),
        "{description}"
    );
    assert!(description.contains("Meta may lower the daily messaging limit"));
    assert_eq!(actions.len(), 3);
    assert_eq!(card.embed.unwrap().color, Some(ORANGE));

    // Without a reading the engine's level decides the warning.
    let card = health_alert_card(
        &partner(Locale::En),
        WhatsappSignal::Quality,
        &RuleEvent::Critical {
            episode: 2,
            value: 2.0,
        },
        Some(&not_live()),
        None,
    );
    let (_, description, _, _) = parts(&card);
    assert!(
        description.starts_with("The number's quality rating dropped.\nWith a low quality rating"),
        "{description}"
    );
}

#[test]
fn resolved_says_how_long_it_lasted_and_has_no_buttons() {
    let event = RuleEvent::Resolved {
        episode: 2,
        value: 0.0,
        lasted: Duration::minutes(125),
    };
    let green = WhatsappReading::Quality(ratings(Quality::Green, "TIER_10K"));
    let card = health_alert_card(
        &partner(Locale::En),
        WhatsappSignal::Quality,
        &event,
        Some(&green),
        None,
    );
    let (title, description, _, actions) = parts(&card);
    assert_eq!(title, "✅ Quality and messaging limit · resolved · Soporte");
    assert_eq!(
        description,
        "The number's quality rating is back to **GREEN (high)**; messaging limit: **10,000 users per day** (TIER_10K).\nIt lasted 2 h 5 min."
    );
    assert!(actions.is_empty());
    assert_eq!(card.embed.unwrap().color, Some(GREEN));

    let card = health_alert_card(
        &partner(Locale::Es),
        WhatsappSignal::Account,
        &event,
        None,
        None,
    );
    let (title, description, _, _) = parts(&card);
    assert_eq!(title, "✅ Cuenta de WhatsApp · resuelta · Soporte");
    assert_eq!(
        description,
        "La cuenta de WhatsApp vuelve a enviar mensajes con normalidad.\nEl problema duró 2 h 5 min."
    );
}

#[test]
fn cannot_evaluate_quotes_the_error_and_names_a_refused_key() {
    let event = RuleEvent::CannotEvaluate { outage: 1 };
    let refused = GupshupError::Auth {
        status: 401,
        detail: "Portal User Not Found With APIKey".into(),
    }
    .to_string();
    assert!(refused.starts_with(AUTH_ERROR), "{refused}");
    let card = health_alert_card(
        &partner(Locale::En),
        WhatsappSignal::Account,
        &event,
        None,
        Some(&refused),
    );
    let (title, description, _, actions) = parts(&card);
    assert_eq!(title, "❔ WhatsApp account · cannot evaluate · Soporte");
    assert!(
        description.starts_with(
            "pulso cannot read the WhatsApp account's status from Gupshup.\n\
             Gupshup rejected the API key or token (API key/token rejected)"
        ),
        "{description}"
    );
    assert!(
        description.contains(
            "Error: API key rejected by Gupshup (HTTP 401): Portal User Not Found With APIKey"
        ),
        "{description}"
    );
    assert!(actions.is_empty());
    assert_eq!(card.embed.unwrap().color, Some(GREY));

    let card = health_alert_card(
        &partner(Locale::Es),
        WhatsappSignal::AppHealth,
        &event,
        None,
        Some("Gupshup did not answer within 10s"),
    );
    let (_, description, _, _) = parts(&card);
    assert_eq!(
        description,
        "pulso no puede leer la salud de la app desde Gupshup.\n\
         Error: Gupshup did not answer within 10s\n\
         La regla conserva su estado y lo vuelve a intentar en cada consulta; mientras tanto no se sabe si hay un problema."
    );
}

#[test]
fn the_first_message_once_resolved() {
    for (locale, expected) in [
        (
            Locale::Es,
            "✅ Salud de la app de Gupshup · resuelta tras 45 min · Soporte",
        ),
        (
            Locale::En,
            "✅ Gupshup app health · resolved after 45 min · Soporte",
        ),
    ] {
        let card = health_resolved_edit(
            &partner(locale),
            WhatsappSignal::AppHealth,
            Duration::minutes(45),
        );
        let (title, description, _, actions) = parts(&card);
        assert_eq!(title, expected);
        assert!(description.is_empty() && actions.is_empty());
        assert_eq!(card.embed.unwrap().color, Some(GREEN));
    }
}

#[test]
fn demo_cards_say_demo() {
    let demo = workspace(GupshupMode::Demo, Locale::Es);
    let card = health_alert_card(
        &demo,
        WhatsappSignal::AppHealth,
        &RuleEvent::Firing {
            episode: 1,
            value: 1.0,
        },
        Some(&not_live()),
        None,
    );
    let (title, _, footer, _) = parts(&card);
    assert_eq!(title, "⚠️ Salud de la app de Gupshup (demo) · Soporte");
    assert!(
        footer.starts_with("🧪 Demo: señales simuladas por pulso"),
        "{footer}"
    );
    let (title, _, _, _) = parts(&health_resolved_edit(
        &demo,
        WhatsappSignal::Quality,
        Duration::hours(3),
    ));
    assert!(title.contains("(demo)"), "{title}");
}

#[test]
fn cards_read_in_a_terminal() {
    let text = health_alert_card(
        &partner(Locale::En),
        WhatsappSignal::Account,
        &RuleEvent::Firing {
            episode: 1,
            value: 2.0,
        },
        Some(&WhatsappReading::Account(limited_account())),
        None,
    )
    .to_text();
    assert!(!text.contains("**"), "{text}");
    assert!(
        text.starts_with(
            "== ⚠️ WhatsApp account · Soporte ==\n\
             The WhatsApp account cannot send messages normally: canSendMessage LIMITED.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n  Number: Tienda\\_Sol · 917835039205\n"),
        "{text}"
    );
    assert!(
        text.ends_with("pulso · alert rule whatsapp_account\n"),
        "{text}"
    );
}
