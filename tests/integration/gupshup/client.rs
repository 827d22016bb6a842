//! The balance client against the fake Gupshup: every reference scenario read or
//! classified, retries with backoff, typed timeouts and refusals, cached partner tokens, and
//! the config's Gupshup checks.

use super::*;

#[tokio::test]
async fn every_reference_scenario_is_read_or_classified() {
    let fake = FakeGupshup::start().await;
    let self_serve = client(&workspace(&config(&fake.base, "")));
    let partner = client(&workspace(&config(
        &fake.base,
        ", mode = \"partner\", app_id = \"app-1\"",
    )));
    let now = utc(2026, 11, 2, 12, 0, 0);
    let read = |answer: Answer, client: &GupshupClient| {
        // Retried answers (429, 5xx) are served for every attempt.
        let tries = if matches!(answer.status, 429 | 500) {
            3
        } else {
            1
        };
        fake.script(vec![answer; tries]);
        let client = client.clone();
        async move { client.balance(now).await }
    };
    let ok = read(Answer::json(200, scenarios::SELF_SERVE_ABOVE), &self_serve)
        .await
        .unwrap();
    assert_eq!((ok.amount, ok.currency.as_str()), (41.938, "USD"));
    let ok = read(Answer::json(200, scenarios::SELF_SERVE_BELOW), &self_serve)
        .await
        .unwrap();
    assert_eq!(ok.amount, 0.787);
    let ok = read(Answer::json(200, scenarios::PARTNER_NEGATIVE), &partner)
        .await
        .unwrap();
    assert_eq!(ok.amount, -1.787);
    let ok = read(Answer::json(200, scenarios::PARTNER_NO_STATUS), &partner)
        .await
        .unwrap();
    assert_eq!(ok.amount, 120.5);
    let error = read(Answer::text(401, scenarios::BAD_KEY_TEXT), &self_serve)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, GupshupError::Auth { status: 401, detail } if detail.contains("Portal User")),
        "{error}"
    );
    let error = read(Answer::json(401, scenarios::PARTNER_UNAUTHORIZED), &partner)
        .await
        .unwrap_err();
    assert!(error.is_auth(), "{error}");
    let error = read(Answer::json(429, scenarios::TOO_MANY), &self_serve)
        .await
        .unwrap_err();
    assert!(matches!(error, GupshupError::RateLimited { .. }), "{error}");
    let error = read(Answer::json(500, scenarios::SERVER_ERROR), &self_serve)
        .await
        .unwrap_err();
    assert!(
        matches!(error, GupshupError::Server { status: 500, .. }),
        "{error}"
    );
    let inr = read(Answer::json(200, scenarios::PARTNER_INR), &partner)
        .await
        .unwrap();
    assert_eq!(inr.currency, "INR");
    assert!(!inr.is_usd());
    let error = read(Answer::json(200, "<html>maintenance</html>"), &self_serve)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, GupshupError::BadBody(text) if text.contains("not JSON")),
        "{error}"
    );
    // The key went in the `apikey` header, the partner token raw in `Authorization`; no
    // error message carries either.
    let seen = fake.seen();
    assert!(
        seen.iter()
            .any(|s| s.headers.get("apikey").is_some_and(|v| v == KEY))
    );
    assert!(
        seen.iter()
            .any(|s| s.path == "/partner/app/app-1/wallet/balance"
                && s.headers.get("authorization").is_some_and(|v| v == KEY))
    );
    assert!(!format!("{error} {error:?} {self_serve:?}").contains(KEY));
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_with_backoff() {
    let fake = FakeGupshup::start().await;
    let client = client(&workspace(&config(&fake.base, "")));
    fake.script([
        Answer::json(429, scenarios::TOO_MANY),
        Answer::json(503, scenarios::SERVER_ERROR),
        Answer::balance(70.0),
    ]);
    let reading = client.balance(utc(2026, 11, 2, 12, 0, 0)).await.unwrap();
    assert_eq!(reading.amount, 70.0);
    assert_eq!(fake.seen().len(), 3);
    // A 401 is not retried.
    fake.script([Answer::text(401, scenarios::BAD_KEY_TEXT)]);
    assert!(
        client
            .balance(utc(2026, 11, 2, 12, 0, 0))
            .await
            .unwrap_err()
            .is_auth()
    );
    assert_eq!(fake.seen().len(), 4);
}

#[tokio::test]
async fn timeouts_and_refused_connections_are_typed() {
    let fake = FakeGupshup::start().await;
    let client = client(&workspace(&config(&fake.base, "")));
    fake.script([Answer::balance(70.0).delayed(StdDuration::from_secs(2))]);
    let error = client
        .balance(utc(2026, 11, 2, 12, 0, 0))
        .await
        .unwrap_err();
    assert!(matches!(error, GupshupError::Timeout(_)), "{error}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = self::client(&workspace(&config(&format!("http://127.0.0.1:{port}"), "")));
    let error = refused
        .balance(utc(2026, 11, 2, 12, 0, 0))
        .await
        .unwrap_err();
    assert!(matches!(error, GupshupError::Unreachable { .. }), "{error}");
}

#[tokio::test]
async fn partner_login_tokens_are_obtained_once_and_cached() {
    let fake = FakeGupshup::start().await;
    let text = format!(
        "[database]\nurl = \"sqlite://unused.db\"\n[[workspaces]]\nid = \"w\"\nname = \"E\"\ntimezone = \"UTC\"\nlocale = \"en\"\n\
         whatsapp = {{ provider = \"gupshup\" }}\ngupshup = {{ mode = \"partner\", app_id = \"app-9\", partner_email = \"ops@example.com\", \
         partner_password_env = \"GS_PASSWORD\", partner_base_url = \"{}\" }}\n",
        fake.base
    );
    let config = Config::parse_with_env(&text, ConfigSource::Embedded, |name| {
        (name == "GS_PASSWORD").then(|| "partner-password".to_string())
    })
    .unwrap();
    let client = client(&config.workspaces[0]);
    fake.always(Answer::json(200, scenarios::PARTNER_NO_STATUS));
    for _ in 0..3 {
        client.balance(utc(2026, 11, 2, 12, 0, 0)).await.unwrap();
    }
    let seen = fake.seen();
    let count = |suffix: &str| seen.iter().filter(|s| s.path.ends_with(suffix)).count();
    assert_eq!(
        (count("/login"), count("/token/"), count("/wallet/balance")),
        (1, 1, 3)
    );
    assert!(
        seen.iter()
            .filter(|s| s.path.ends_with("/wallet/balance"))
            .all(|s| s
                .headers
                .get("authorization")
                .is_some_and(|v| v == "app-token-456"))
    );
    assert!(seen.iter().any(|s| s.method == axum::http::Method::POST
        && s.path.ends_with("/login")
        && s.body.contains("email=ops%40example.com")));
    assert!(!format!("{client:?}").contains("partner-password"));
}

#[test]
fn config_reports_every_gupshup_problem_with_its_key() {
    let text = "[database]\nurl = \"sqlite://x.db\"\n[[workspaces]]\nid = \"w\"\nname = \"E\"\ntimezone = \"UTC\"\nlocale = \"en\"\n\
                whatsapp = { provider = \"gupshup\" }\ngupshup = { mode = \"partner\", api_key_env = \"UNSET_VAR\" }\n\
                balance = { threshold = 50, recover_at = 40, critical_below = 60, poll_every = \"0m\" }\n";
    let error = Config::parse_with_env(text, ConfigSource::Embedded, |_| None)
        .unwrap_err()
        .to_string();
    for expected in [
        "workspaces[0].gupshup.api_key_env: the environment variable UNSET_VAR is not set",
        "workspaces[0].gupshup.app_id: missing",
        "workspaces[0].balance.recover_at",
        "workspaces[0].balance.critical_below",
        "workspaces[0].balance.poll_every",
    ] {
        assert!(error.contains(expected), "{expected} not in:\n{error}");
    }
    let missing = text
        .replace(", api_key_env = \"UNSET_VAR\"", "")
        .replace("\"partner\"", "\"api_key\"");
    let error = Config::parse_with_env(&missing, ConfigSource::Embedded, |_| None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("workspaces[0].gupshup.api_key_env: missing"),
        "{error}"
    );
}
