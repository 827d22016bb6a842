//! The refusals and failures of every health endpoint typed, with the retries each allows:
//! none for the ratings, whose every try counts against one call a day.

use super::*;

#[tokio::test]
async fn every_endpoint_types_its_refusals_and_failures() {
    for endpoint in PARTNER_ENDPOINTS
        .into_iter()
        .chain([Endpoint::SelfServeTemplates])
    {
        let retried = if endpoint == Endpoint::Ratings { 1 } else { 3 };
        let unauthorized = [
            Answer::text(401, scenarios::UNAUTHORIZED_TEXT),
            Answer::text(401, scenarios::BAD_KEY_TEXT),
            Answer::json(401, scenarios::PARTNER_UNAUTHORIZED),
        ];
        for answer in unauthorized {
            let (result, calls) = against(endpoint, answer).await;
            assert!(
                matches!(&result, Err(GupshupError::Auth { status: 401, .. })),
                "{endpoint:?}: {result:?}"
            );
            assert_eq!(calls, 1, "{endpoint:?}: a 401 is not retried");
        }
        let (result, calls) = against(endpoint, Answer::json(429, scenarios::TOO_MANY)).await;
        assert!(
            matches!(&result, Err(GupshupError::RateLimited { detail, .. }) if detail == "Too Many Requests"),
            "{endpoint:?}: {result:?}"
        );
        assert_eq!(calls, retried, "{endpoint:?} on 429");
        let (result, calls) = against(endpoint, Answer::json(500, scenarios::DEV_SUPPORT)).await;
        assert!(
            matches!(&result, Err(GupshupError::Server { status: 500, detail }) if detail.contains("Dev Support")),
            "{endpoint:?}: {result:?}"
        );
        assert_eq!(calls, retried, "{endpoint:?} on 500");
        let slow = endpoint.default_answer().delayed(StdDuration::from_secs(2));
        let (result, calls) = against(endpoint, slow).await;
        assert!(
            matches!(result, Err(GupshupError::Timeout(_))),
            "{endpoint:?}: {result:?}"
        );
        assert_eq!(calls, 1, "{endpoint:?}: a timeout is not retried");
        for unreadable in ["<html>maintenance</html>", "", r#"{"status":"success"}"#] {
            let (result, _) = against(endpoint, Answer::json(200, unreadable)).await;
            assert!(
                matches!(&result, Err(GupshupError::BadBody(text)) if !text.contains(KEY)),
                "{endpoint:?} {unreadable:?}: {result:?}"
            );
        }
    }
}

/// The ratings' one call a day: a second call within 24 h is a 429, and it is not retried
/// (a retry would be a third call); after a login the 429 is not retried either.
#[tokio::test]
async fn a_second_ratings_call_is_refused_and_not_retried() {
    let fake = FakeGupshup::start().await;
    let client = on(&fake, PARTNER);
    fake.script_for(
        Endpoint::Ratings,
        [
            Answer::json(200, scenarios::RATINGS_DOWNGRADE),
            Answer::json(429, scenarios::TOO_MANY),
        ],
    );
    assert!(client.ratings(now()).await.unwrap().is_some());
    let error = client.ratings(now()).await.unwrap_err();
    assert!(matches!(error, GupshupError::RateLimited { .. }), "{error}");
    assert_eq!(fake.seen_at(Endpoint::Ratings).len(), 2);

    let fake = FakeGupshup::start().await;
    let client = login_client(&fake);
    fake.always_for(Endpoint::Ratings, Answer::json(429, scenarios::TOO_MANY));
    assert!(client.ratings(now()).await.is_err());
    fake.always_for(Endpoint::Ratings, Answer::json(503, scenarios::DEV_SUPPORT));
    assert!(client.ratings(now()).await.is_err());
    assert_eq!(fake.seen_at(Endpoint::Ratings).len(), 2);
}
