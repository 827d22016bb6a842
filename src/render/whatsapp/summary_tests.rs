//! The digest line, the JSON of `pulso whatsapp --format json` and the `/alerts status`
//! lines.

use super::super::test_support::{all_fine, all_wrong, at, signal_mut, without_gupshup, workspace};
use super::*;
use crate::alerting::RuleObservation;
use crate::alerting::whatsapp::observation;
use crate::domain::{AccountStatus, AppHealth, Ratings};

#[test]
fn the_digest_line_counts_what_is_wrong() {
    let partner = |locale| workspace(GupshupMode::Partner, locale);
    assert_eq!(
        digest_health_line(&partner(Locale::Es), &all_wrong()).as_deref(),
        Some(
            "⚠️ WhatsApp: 2 plantillas pausadas · 1 plantilla desactivada · calidad YELLOW · cuenta LIMITED · la app no está sana"
        )
    );
    assert_eq!(
        digest_health_line(&partner(Locale::En), &all_wrong()).as_deref(),
        Some(
            "⚠️ WhatsApp: 2 templates paused · 1 template disabled · quality YELLOW · account LIMITED · app not healthy"
        )
    );
    assert_eq!(
        digest_health_line(&partner(Locale::Pt), &all_wrong()).as_deref(),
        Some(
            "⚠️ WhatsApp: 2 modelos pausados · 1 modelo desativado · qualidade YELLOW · conta LIMITED · app não está saudável"
        )
    );
    assert_eq!(digest_health_line(&partner(Locale::Es), &all_fine()), None);
    assert_eq!(digest_health_line(&partner(Locale::Es), &[]), None);
    assert_eq!(
        digest_health_line(&without_gupshup(Locale::Es), &all_wrong()),
        None
    );
    // Self-serve: only the templates count.
    assert_eq!(
        digest_health_line(&workspace(GupshupMode::ApiKey, Locale::En), &all_wrong()).as_deref(),
        Some("⚠️ WhatsApp: 2 templates paused · 1 template disabled")
    );
    // A failed last call keeps the last good reading's verdict.
    let mut signals = all_wrong();
    signals.retain(|s| s.signal == WhatsappSignal::Account);
    let account = signal_mut(&mut signals, WhatsappSignal::Account);
    account.error = Some((at(13, 0), "Gupshup server error (HTTP 502): x".into()));
    if let Some((_, WhatsappReading::Account(status))) = account.reading.as_mut() {
        status.account_status = Some("BANNED".into());
    }
    assert_eq!(
        digest_health_line(&partner(Locale::En), &signals).as_deref(),
        Some("⚠️ WhatsApp: account LIMITED/BANNED")
    );
}

#[test]
fn the_json_has_stable_keys_and_rfc3339_times() {
    let ws = workspace(GupshupMode::Partner, Locale::Es);
    let mut signals = all_wrong();
    signal_mut(&mut signals, WhatsappSignal::Quality).error = Some((
        at(14, 0),
        "rate limited by Gupshup: Too Many Requests".into(),
    ));
    let balance = StoredReading {
        read_at: at(12, 5),
        amount: None,
        currency: None,
        error: Some("Gupshup did not answer within 10s".into()),
    };
    let json = whatsapp_json(&ws, &signals, Some(&balance));
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "account",
            "app_health",
            "balance",
            "demo",
            "errors",
            "mode",
            "needs_partner_mode",
            "quality",
            "templates",
            "workspace"
        ]
    );
    assert_eq!(json["workspace"], "soporte");
    assert_eq!(json["mode"], "partner");
    assert_eq!(json["demo"], false);
    assert_eq!(
        json["app_health"],
        json!({ "healthy": false, "reason": "App is not live.", "read_at": "2026-11-05T12:00:00Z" })
    );
    assert_eq!(json["account"]["can_send"], "LIMITED");
    assert_eq!(
        json["account"]["problems"],
        json!(["canSendMessage LIMITED"])
    );
    assert_eq!(json["account"]["reasons"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["quality"],
        json!({
            "quality": "YELLOW",
            "current_limit": "TIER_1K",
            "old_limit": "TIER_250",
            "event": "UPGRADE",
            "event_time": "2026-11-05T09:00:00Z",
            "read_at": "2026-11-05T09:30:00Z",
            "called_at": "2026-11-05T09:30:00Z",
        })
    );
    assert_eq!(json["templates"]["total"], 4);
    assert_eq!(
        json["templates"]["by_status"],
        json!({ "APPROVED": 1, "DISABLED": 1, "PAUSED": 2 })
    );
    let names: Vec<&str> = json["templates"]["not_sendable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["order_update", "promo_nov", "old_promo"]);
    assert_eq!(
        json["templates"]["not_sendable"][1],
        json!({
            "id": "t3",
            "name": "promo_nov",
            "language": "es",
            "category": "UTILITY",
            "status": "PAUSED",
            "quality": "GREEN",
            "reason": null,
        })
    );
    assert_eq!(
        json["balance"],
        json!({ "amount": null, "currency": null, "read_at": "2026-11-05T12:05:00Z" })
    );
    assert_eq!(
        json["errors"],
        json!({
            "quality": { "at": "2026-11-05T14:00:00Z", "error": "rate limited by Gupshup: Too Many Requests" },
            "balance": { "at": "2026-11-05T12:05:00Z", "error": "Gupshup did not answer within 10s" },
        })
    );
    assert_eq!(json["needs_partner_mode"], json!([]));

    let nothing = whatsapp_json(&ws, &[], None);
    for key in ["app_health", "account", "quality", "templates", "balance"] {
        assert_eq!(nothing[key], Value::Null, "{key}");
    }
    assert_eq!(nothing["errors"], json!({}));
}

#[test]
fn the_json_of_self_serve_and_other_providers() {
    let json = whatsapp_json(
        &workspace(GupshupMode::ApiKey, Locale::En),
        &all_wrong(),
        None,
    );
    assert_eq!(json["mode"], "api_key");
    assert_eq!(
        json["needs_partner_mode"],
        json!(["app_health", "account", "quality"])
    );
    assert_eq!(json["app_health"], Value::Null);
    assert_eq!(json["account"], Value::Null);
    assert_eq!(json["templates"]["total"], 4);

    let demo = whatsapp_json(&workspace(GupshupMode::Demo, Locale::En), &[], None);
    assert_eq!(
        (&demo["mode"], &demo["demo"]),
        (&json!("demo"), &json!(true))
    );

    let other = whatsapp_json(&without_gupshup(Locale::En), &all_wrong(), None);
    assert_eq!(other["mode"], Value::Null);
    assert_eq!(other["templates"], Value::Null);
    assert_eq!(other["needs_partner_mode"], json!([]));
}

#[test]
fn alerts_status_lines_follow_rules_status() {
    let ws = workspace(GupshupMode::Partner, Locale::En);
    let now = at(15, 0);
    let critical = RuleState {
        level: RuleLevel::Critical,
        episode: 2,
        since: Some(at(13, 0)),
        last_value: Some(2.0),
        acknowledged: Some(("ana".into(), at(13, 30))),
        ..RuleState::default()
    };
    let snoozed = RuleState {
        last_value: Some(0.0),
        snoozed_until: Some(at(16, 0)),
        ..RuleState::default()
    };
    let states = [
        (WhatsappSignal::AppHealth, None),
        (WhatsappSignal::Account, Some(critical)),
        (WhatsappSignal::Quality, Some(snoozed.clone())),
        (WhatsappSignal::Templates, Some(snoozed)),
    ];
    assert_eq!(
        whatsapp_rules_status(&ws, &states, now, Locale::En),
        "**WhatsApp health**\n\
         • **gupshup_app_health**: ok · no value yet\n\
         • **whatsapp_account**: critical · cannot send normally · since 2026-11-05 10:00 -03 · acknowledged by ana\n\
         • **whatsapp_quality**: ok · GREEN · 🔇 until 2026-11-05 13:00 -03\n\
         • **whatsapp_templates**: tells when a template changes status · 🔇 until 2026-11-05 13:00 -03"
    );
    let mut self_serve = workspace(GupshupMode::ApiKey, Locale::Es);
    let no_app_id = whatsapp_rules_status(&self_serve, &states, now, Locale::Es);
    assert!(
        no_app_id.ends_with("• **whatsapp_templates**: necesita `gupshup.app_id` (la lista de plantillas se lee por app)"),
        "{no_app_id}"
    );
    if let Some(gupshup) = self_serve.gupshup.as_mut() {
        gupshup.app_id = Some("app-1".into());
    }
    let mut off = self_serve.clone();
    off.whatsapp_health.templates = false;
    let disabled = whatsapp_rules_status(&off, &states, now, Locale::Es);
    assert!(
        disabled.ends_with("• **whatsapp_templates**: desactivada"),
        "{disabled}"
    );
    assert_eq!(
        whatsapp_rules_status(&self_serve, &states, now, Locale::Es),
        "**Salud de WhatsApp**\n\
         • **gupshup_app_health**: necesita el modo partner\n\
         • **whatsapp_account**: necesita el modo partner\n\
         • **whatsapp_quality**: necesita el modo partner\n\
         • **whatsapp_templates**: avisa cuando una plantilla cambia de estado · 🔇 hasta 2026-11-05 13:00 -03"
    );
    assert_eq!(
        whatsapp_rules_status(&without_gupshup(Locale::Es), &states, now, Locale::Es),
        ""
    );
}

/// The status words read the engine's values as `alerting::whatsapp::observation` makes them.
#[test]
fn status_words_match_the_engine_values() {
    let value = |reading: WhatsappReading| match observation(&reading) {
        RuleObservation::Value(value) => value,
        other => panic!("{other:?}"),
    };
    let word = |signal, reading| value_word(signal, value(reading), Locale::En);
    let health = |healthy| {
        WhatsappReading::AppHealth(AppHealth {
            healthy,
            reason: None,
        })
    };
    assert_eq!(word(WhatsappSignal::AppHealth, health(true)), "healthy");
    assert_eq!(
        word(WhatsappSignal::AppHealth, health(false)),
        "not healthy"
    );
    let account = |can_send: &str| {
        WhatsappReading::Account(AccountStatus {
            can_send: Some(can_send.into()),
            ..AccountStatus::default()
        })
    };
    assert_eq!(
        word(WhatsappSignal::Account, account("AVAILABLE")),
        "can send"
    );
    assert_eq!(
        word(WhatsappSignal::Account, account("BLOCKED")),
        "cannot send normally"
    );
    for quality in [Quality::Green, Quality::Yellow, Quality::Red] {
        let ratings = WhatsappReading::Quality(Ratings {
            quality: Some(quality),
            current_limit: None,
            old_limit: None,
            event: None,
            event_time: None,
        });
        assert_eq!(word(WhatsappSignal::Quality, ratings), quality.as_str());
    }
}
