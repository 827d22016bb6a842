use chrono::TimeZone;

use super::*;

fn rejected(detail: &str) -> GupshupError {
    GupshupError::Rejected {
        status: 400,
        detail: detail.into(),
    }
}

#[test]
fn health_reads_a_string_or_a_boolean() {
    let healthy = |body: &str| parse_app_health(body).map(|health| health.healthy);
    assert_eq!(
        healthy(r#"{"status":"success","healthy":"true"}"#),
        Ok(true)
    );
    assert_eq!(
        healthy(r#"{"status":"success","healthy":"false"}"#),
        Ok(false)
    );
    assert_eq!(
        healthy(r#"{"healthy":true,"live":true,"cap":75}"#),
        Ok(true)
    );
    assert_eq!(healthy(r#"{"healthy":false}"#), Ok(false));
    assert!(
        healthy(r#"{"status":"success"}"#)
            .unwrap_err()
            .contains("\"healthy\"")
    );
    assert!(healthy(r#"{"healthy":"maybe"}"#).is_err());
    assert!(
        healthy("<html>down</html>")
            .unwrap_err()
            .contains("not JSON")
    );
}

#[test]
fn health_400s_are_an_unhealthy_app_except_authentication() {
    for message in [
        "App is not live.",
        "Waba id not found for the given App",
        "WABA id is invalid or given phone is not associated with WABA",
        "Error while getting waba info for given app",
    ] {
        assert_eq!(
            health_refusal(rejected(message)),
            Ok(AppHealth {
                healthy: false,
                reason: Some(message.into())
            })
        );
    }
    assert_eq!(
        health_refusal(rejected("Authentication Failed")),
        Err(GupshupError::Auth {
            status: 400,
            detail: "Authentication Failed".into()
        })
    );
    // Other refusals and other statuses stay what they were.
    assert_eq!(
        health_refusal(rejected("Invalid request")),
        Err(rejected("Invalid request"))
    );
    let server = GupshupError::Server {
        status: 500,
        detail: "App is not live.".into(),
    };
    assert_eq!(health_refusal(server.clone()), Err(server));
}

#[test]
fn waba_info_reads_enums_and_reasons_in_order() {
    let limited = r#"{"wabaInfo":{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_1K","phone":"917835039205","phoneQuality":"GREEN","wabaId":"116676371511027","canSendMessage":"LIMITED","additionalInfo":["Your display name has not been approved yet. Your message limit will increase after the display name is approved."]},"status":"success"}"#;
    let account = parse_account(limited).unwrap();
    assert_eq!(
        account,
        AccountStatus {
            account_status: Some("ACTIVE".into()),
            docker_status: Some("CONNECTED".into()),
            can_send: Some("LIMITED".into()),
            messaging_limit: Some("TIER_1K".into()),
            phone_quality: Some("GREEN".into()),
            phone: Some("917835039205".into()),
            verified_name: None,
            reasons: vec!["Your display name has not been approved yet. Your message limit will increase after the display name is approved.".into()],
        }
    );
    let blocked = r#"{"status":"success","wabaInfo":{"accountStatus":"banned","canSendMessage":"blocked","verifiedName":"Acme","mmLiteStatus":"INELIGIBLE",
        "errors":[{"error_code":"141014","error_description":"Business account is restricted","possible_solution":"Appeal in Business Manager"},
                  {"error_code":"131031"},{"error_description":"Payment method missing"}],
        "additionalInfo":["See Business Manager",""]}}"#;
    let account = parse_account(blocked).unwrap();
    assert_eq!(account.account_status.as_deref(), Some("BANNED"));
    assert_eq!(account.can_send.as_deref(), Some("BLOCKED"));
    assert_eq!(account.verified_name.as_deref(), Some("Acme"));
    assert_eq!(account.docker_status, None);
    assert_eq!(
        account.reasons,
        [
            "Business account is restricted — Appeal in Business Manager",
            "error 131031",
            "Payment method missing",
            "See Business Manager",
        ]
    );
    assert!(
        parse_account(r#"{"status":"success"}"#)
            .unwrap_err()
            .contains("wabaInfo")
    );
    assert_eq!(
        parse_account(r#"{"status":"error","message":"Invalid app"}"#),
        Err("Invalid app".into())
    );
}

#[test]
fn ratings_read_events_and_no_event_is_none() {
    let onboarding = parse_ratings(
        r#"{"oldLimit":"TIER_10K","currentLimit":"TIER_10K","event":"ONBOARDING","eventTime":1640944847609,"phoneQuality":"GREEN"}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        onboarding,
        Ratings {
            quality: Some(Quality::Green),
            current_limit: Some(Tier("TIER_10K".into())),
            old_limit: Some(Tier("TIER_10K".into())),
            event: Some("ONBOARDING".into()),
            event_time: Some(Utc.timestamp_millis_opt(1_640_944_847_609).unwrap()),
        }
    );
    // Seconds, a lower-case event, no phoneQuality, an unknown tier kept raw.
    let old = parse_ratings(
        r#"{"oldLimit":"TIER_1K","currentLimit":"TIER_2K","event":"upgrade","eventTime":1640944847}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(old.quality, None);
    assert_eq!(old.event.as_deref(), Some("UPGRADE"));
    assert_eq!(old.current_limit, Some(Tier("TIER_2K".into())));
    assert_eq!(
        old.event_time,
        Some(Utc.timestamp_opt(1_640_944_847, 0).unwrap())
    );
    assert_eq!(
        parse_ratings(r#"{"message":"no event update available","status":"success"}"#),
        Ok(None)
    );
    assert!(
        parse_ratings(r#"{"status":"success"}"#)
            .unwrap_err()
            .contains("currentLimit")
    );
    assert_eq!(
        parse_ratings(r#"{"status":"error","message":"Too Many Requests"}"#),
        Err("Too Many Requests".into())
    );
}

#[test]
fn templates_read_statuses_qualities_and_reasons() {
    let body = r#"{"status":"success","templates":[
        {"appId":"a","category":"MARKETING","createdOn":1671619377053,"data":"Happiness","elementName":"mrry_chis","id":"00b2","languageCode":"en","modifiedOn":1678794041479,"quality":"UNKNOWN","status":"APPROVED","templateType":"VIDEO","wabaId":"99","containerMeta":"{\"appId\":\"a\",\"data\":\"Hi\",\"correctCategory\":\"UTILITY\"}","meta":"{\"example\":\"Hi\"}"},
        {"id":"t2","status":"paused","category":"utility","quality":"HIGH"},
        {"id":"t3","elementName":"promo","status":"REJECTED","reason":"Tag mismatch","languageCode":"es"}]}"#;
    let templates = parse_templates(body).unwrap();
    assert_eq!(
        templates[0],
        Template {
            id: "00b2".into(),
            name: "mrry_chis".into(),
            language: Some("en".into()),
            category: Some("MARKETING".into()),
            status: "APPROVED".into(),
            quality: Some(Quality::Unknown),
            reason: None,
        }
    );
    assert_eq!(
        (templates[1].name.as_str(), templates[1].status.as_str()),
        ("t2", "PAUSED")
    );
    assert_eq!(templates[1].category.as_deref(), Some("UTILITY"));
    assert_eq!(templates[1].quality, Some(Quality::Green));
    assert_eq!(templates[2].reason.as_deref(), Some("Tag mismatch"));
    assert_eq!(templates[2].quality, None);
    assert_eq!(
        parse_templates(r#"{"status":"success","templates":[]}"#),
        Ok(vec![])
    );
    assert!(
        parse_templates(r#"{"status":"success"}"#)
            .unwrap_err()
            .contains("\"templates\"")
    );
    assert!(
        parse_templates(r#"{"templates":[{"elementName":"x"}]}"#)
            .unwrap_err()
            .contains("templates[0] (x) has no \"status\"")
    );
    assert!(
        parse_templates(r#"{"templates":[{"status":"APPROVED"}]}"#)
            .unwrap_err()
            .contains("neither")
    );
}
