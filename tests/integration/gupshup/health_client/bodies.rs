//! Every body of gupshup-health.md §9 sections 1–4 read into its domain record.

use super::*;

fn healthy(healthy: bool, reason: Option<&str>) -> AppHealth {
    AppHealth {
        healthy,
        reason: reason.map(str::to_string),
    }
}

#[tokio::test]
async fn health_answers_and_its_400s_are_read() {
    let fake = FakeGupshup::start().await;
    let client = on(&fake, PARTNER);
    let read = |status: u16, body: &str| {
        fake.script_for(Endpoint::Health, [Answer::json(status, body)]);
        client.app_health(now())
    };
    assert_eq!(
        read(200, scenarios::HEALTH_TRUE).await,
        Ok(healthy(true, None))
    );
    assert_eq!(
        read(200, scenarios::HEALTH_FALSE).await,
        Ok(healthy(false, None))
    );
    assert_eq!(
        read(200, scenarios::HEALTH_BOOL).await,
        Ok(healthy(true, None))
    );
    assert_eq!(
        read(200, scenarios::HEALTH_EXTRA_KEYS).await,
        Ok(healthy(true, None))
    );
    assert_eq!(
        read(400, scenarios::HEALTH_NOT_LIVE).await,
        Ok(healthy(false, Some("App is not live.")))
    );
    assert_eq!(
        read(400, scenarios::HEALTH_NO_WABA).await,
        Ok(healthy(false, Some("Waba id not found for the given App")))
    );
    let error = read(400, scenarios::HEALTH_AUTH_FAILED).await.unwrap_err();
    assert!(
        matches!(&error, GupshupError::Auth { status: 400, detail } if detail == "Authentication Failed"),
        "{error}"
    );
    // Nothing scripted: the fake's default is a healthy app.
    assert_eq!(client.app_health(now()).await, Ok(healthy(true, None)));
    assert_eq!(fake.seen_at(Endpoint::Health).len(), 8);
}

#[tokio::test]
async fn ratings_answers_are_read_and_no_event_is_none() {
    let fake = FakeGupshup::start().await;
    let client = on(&fake, PARTNER);
    let read = |body: &str| {
        fake.script_for(Endpoint::Ratings, [Answer::json(200, body)]);
        client.ratings(now())
    };
    let tier = |text: &str| Some(Tier(text.into()));
    let at = |millis: i64| DateTime::from_timestamp_millis(millis);
    assert_eq!(
        read(scenarios::RATINGS_ONBOARDING).await,
        Ok(Some(Ratings {
            quality: Some(Quality::Green),
            current_limit: tier("TIER_10K"),
            old_limit: tier("TIER_10K"),
            event: Some("ONBOARDING".into()),
            // The docs' 123455556 is too small for milliseconds: seconds.
            event_time: at(123_455_556_000),
        }))
    );
    let down = read(scenarios::RATINGS_DOWNGRADE).await.unwrap().unwrap();
    assert_eq!(
        (down.quality, down.old_limit, down.current_limit),
        (Some(Quality::Red), tier("TIER_1K"), tier("TIER_250"))
    );
    assert_eq!(down.event_time, at(1_762_084_800_000));
    let flagged = read(scenarios::RATINGS_FLAGGED).await.unwrap().unwrap();
    assert_eq!(flagged.event.as_deref(), Some("FLAGGED"));
    assert_eq!(read(scenarios::RATINGS_NO_EVENT).await, Ok(None));
    let old = read(scenarios::RATINGS_NO_QUALITY).await.unwrap().unwrap();
    assert_eq!((old.quality, old.event_time), (None, at(1_640_944_847_609)));
    let new_tier = read(scenarios::RATINGS_TIER_2K).await.unwrap().unwrap();
    assert_eq!(new_tier.current_limit, tier("TIER_2K"));
    assert_eq!(new_tier.current_limit.unwrap().users(), Some(2_000));
    let extra = read(scenarios::RATINGS_EXTRA_KEYS).await.unwrap().unwrap();
    assert_eq!(extra.event.as_deref(), Some("UNFLAGGED"));
    // Nothing scripted: "no event update available".
    assert_eq!(client.ratings(now()).await, Ok(None));
    assert_eq!(client.ratings_every(), RATINGS_EVERY);
    assert_eq!(RATINGS_EVERY, Duration::hours(24));
}

#[tokio::test]
async fn waba_info_answers_are_read() {
    let fake = FakeGupshup::start().await;
    let client = on(&fake, PARTNER);
    let read = |body: &str| {
        fake.script_for(Endpoint::WabaInfo, [Answer::json(200, body)]);
        let client = client.clone();
        async move { client.account(now()).await.unwrap() }
    };
    let some = |text: &str| Some(text.to_string());
    assert_eq!(
        read(scenarios::WABA_AVAILABLE).await,
        AccountStatus {
            account_status: some("ACTIVE"),
            docker_status: some("CONNECTED"),
            can_send: some("AVAILABLE"),
            messaging_limit: some("TIER_1K"),
            phone_quality: some("GREEN"),
            phone: some("918375031069"),
            verified_name: None,
            reasons: vec![],
        }
    );
    let limited = read(scenarios::WABA_LIMITED).await;
    assert_eq!(limited.can_send, some("LIMITED"));
    assert_eq!(
        limited.reasons,
        [
            "Your display name has not been approved yet. Your message limit will increase after the display name is approved."
        ]
    );
    let blocked = read(scenarios::WABA_BLOCKED).await;
    assert_eq!(blocked.can_send, some("BLOCKED"));
    assert_eq!(
        blocked.reasons,
        [
            "The WhatsApp Business Account is restricted from messaging. — Review the policy violation in Business Manager and request a review."
        ]
    );
    assert_eq!(
        read(scenarios::WABA_BANNED).await.account_status,
        some("BANNED")
    );
    for (body, docker) in [
        (scenarios::WABA_DISCONNECTED, "DISCONNECTED"),
        (scenarios::WABA_RESTRICTED, "RESTRICTED"),
        (scenarios::WABA_FLAGGED, "FLAGGED"),
    ] {
        assert_eq!(read(body).await.docker_status, some(docker));
    }
    assert_eq!(
        read(scenarios::WABA_QUALITY_UNKNOWN).await.phone_quality,
        some("UNKNOWN")
    );
    let unset = read(scenarios::WABA_TIER_NOT_SET).await;
    assert_eq!(unset.messaging_limit, some("TIER_NOT_SET"));
    assert_eq!(Tier(unset.messaging_limit.unwrap()).users(), None);
    let extra = read(scenarios::WABA_EXTRA_KEYS).await;
    assert_eq!(
        (extra.verified_name, extra.messaging_limit),
        (some("Acme Soporte"), some("TIER_10K"))
    );
    // Nothing scripted: an AVAILABLE account.
    assert_eq!(
        client.account(now()).await.unwrap().can_send,
        some("AVAILABLE")
    );
}

#[tokio::test]
async fn template_lists_are_read_on_both_apis() {
    let fake = FakeGupshup::start().await;
    let partner = on(&fake, PARTNER);
    let self_serve = on(&fake, SELF_SERVE);
    for (client, endpoint) in [
        (&partner, Endpoint::Templates),
        (&self_serve, Endpoint::SelfServeTemplates),
    ] {
        let read = |body: &str| {
            fake.script_for(endpoint, [Answer::json(200, body)]);
            let client = client.clone();
            async move { client.templates(now()).await.unwrap() }
        };
        let statuses = |templates: &[Template]| -> Vec<(String, String)> {
            templates
                .iter()
                .map(|t| (t.name.clone(), t.status.clone()))
                .collect()
        };
        let approved = read(scenarios::TEMPLATES_ALL_APPROVED).await;
        assert_eq!(
            approved[0],
            Template {
                id: "tpl-1".into(),
                name: "order_update".into(),
                language: Some("es".into()),
                category: Some("UTILITY".into()),
                status: "APPROVED".into(),
                quality: Some(Quality::Green),
                reason: None,
            }
        );
        assert_eq!(approved.len(), 2);
        let pair = |name: &str, status: &str| (name.to_string(), status.to_string());
        assert_eq!(
            statuses(&read(scenarios::TEMPLATES_ONE_PAUSED).await),
            [pair("order_update", "PAUSED"), pair("welcome", "APPROVED")]
        );
        assert_eq!(
            statuses(&read(scenarios::TEMPLATES_ONE_DISABLED).await),
            [pair("order_update", "DISABLED")]
        );
        let rejected = read(scenarios::TEMPLATES_REJECTED).await;
        assert_eq!(rejected[0].status, "REJECTED");
        assert!(
            rejected[0]
                .reason
                .as_deref()
                .unwrap()
                .contains("INVALID_FORMAT")
        );
        let pending = read(scenarios::TEMPLATES_PENDING).await;
        assert_eq!(
            (pending[0].status.as_str(), pending[0].quality),
            ("PENDING", None)
        );
        let qualities: Vec<_> = read(scenarios::TEMPLATES_QUALITIES)
            .await
            .iter()
            .map(|t| (t.name.clone(), t.quality))
            .collect();
        assert_eq!(
            qualities,
            [
                ("tpl-5".to_string(), Some(Quality::Yellow)),
                ("tpl-6".to_string(), Some(Quality::Red)),
                ("tpl-7".to_string(), Some(Quality::Green)),
            ]
        );
        assert_eq!(read(scenarios::TEMPLATES_EMPTY).await, []);
        let meta = read(scenarios::TEMPLATES_CONTAINER_META).await;
        assert_eq!(statuses(&meta), [pair("welcome", "APPROVED")]);
        assert_eq!(meta[0].category.as_deref(), Some("MARKETING"));
        let extra = read(scenarios::TEMPLATES_EXTRA_KEYS).await;
        assert_eq!(statuses(&extra), [pair("order_update", "APPROVED")]);
        // Nothing scripted: every template approved.
        assert!(
            client
                .templates(now())
                .await
                .unwrap()
                .iter()
                .all(|t| t.status == "APPROVED")
        );
    }
    // The self-serve list went to api.gupshup.io's path with the key in `apikey`.
    let listed = fake.seen_at(Endpoint::SelfServeTemplates);
    assert_eq!(listed.len(), 10);
    assert!(listed.iter().all(|s| s.path == "/wa/app/app-1/template"
        && s.headers.get("apikey").is_some_and(|v| v == KEY)
        && s.headers.get("authorization").is_none()));
}
