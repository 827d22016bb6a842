//! The WhatsApp health calls against the fake Gupshup: every body of gupshup-health.md §9
//! (sections 1–4) read into its record or classified as its error, the refusals and
//! failures of every endpoint, both token headers, the partner login, ratings called once
//! whatever the failure, and the self-serve template list. No database.

mod bodies;
mod failures;

use pulso::domain::{AccountStatus, AppHealth, Quality, Ratings, Template, Tier};
use pulso::gupshup::{RATINGS_EVERY, ReadHealth};

use super::*;
use crate::fake_gupshup::Endpoint;

/// The four partner endpoints.
const PARTNER_ENDPOINTS: [Endpoint; 4] = [
    Endpoint::Health,
    Endpoint::WabaInfo,
    Endpoint::Ratings,
    Endpoint::Templates,
];

const PARTNER: &str = ", mode = \"partner\", app_id = \"app-1\"";
const SELF_SERVE: &str = ", app_id = \"app-1\"";

fn now() -> DateTime<Utc> {
    utc(2026, 11, 2, 12, 0, 0)
}

/// A client of `fake` configured with the `gupshup` keys `extra`.
fn on(fake: &FakeGupshup, extra: &str) -> GupshupClient {
    client(&workspace(&config(&fake.base, extra)))
}

/// A partner client that obtains its app token through the partner login.
fn login_client(fake: &FakeGupshup) -> GupshupClient {
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
    client(&config.workspaces[0])
}

/// Calls `endpoint` once through `client`; a successful read is written with `{:?}`.
async fn call(client: &GupshupClient, endpoint: Endpoint) -> Result<String, GupshupError> {
    Ok(match endpoint {
        Endpoint::Health => format!("{:?}", client.app_health(now()).await?),
        Endpoint::WabaInfo => format!("{:?}", client.account(now()).await?),
        Endpoint::Ratings => format!("{:?}", client.ratings(now()).await?),
        Endpoint::Templates | Endpoint::SelfServeTemplates => {
            format!("{:?}", client.templates(now()).await?)
        }
        Endpoint::Wallet => unreachable!("the wallet has its own tests"),
    })
}

/// A fresh fake answering `answer` on `endpoint` for every try: the client's result and how
/// many requests the endpoint got.
async fn against(endpoint: Endpoint, answer: Answer) -> (Result<String, GupshupError>, usize) {
    let fake = FakeGupshup::start().await;
    fake.always_for(endpoint, answer);
    let extra = match endpoint {
        Endpoint::SelfServeTemplates => SELF_SERVE,
        _ => PARTNER,
    };
    let result = call(&on(&fake, extra), endpoint).await;
    (result, fake.seen_at(endpoint).len())
}

#[tokio::test]
async fn partner_calls_send_the_raw_token_in_both_headers() {
    let fake = FakeGupshup::start().await;
    let client = on(&fake, PARTNER);
    for endpoint in PARTNER_ENDPOINTS {
        call(&client, endpoint).await.unwrap();
        let seen = fake.seen_at(endpoint);
        assert_eq!(seen.len(), 1, "{endpoint:?}");
        let header = |name: &str| {
            seen[0]
                .headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        assert_eq!(
            (header("authorization"), header("token")),
            (Some(KEY.to_string()), Some(KEY.to_string())),
            "{endpoint:?}: the raw token, no Bearer"
        );
        assert!(
            seen[0].path.starts_with("/partner/app/app-1/"),
            "{}",
            seen[0].path
        );
    }
    let paths: Vec<_> = fake.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "/partner/app/app-1/health",
            "/partner/app/app-1/waba/info",
            "/partner/app/app-1/ratings",
            "/partner/app/app-1/templates",
        ]
    );
}

#[tokio::test]
async fn login_tokens_are_reused_and_a_refused_one_is_replaced_once() {
    let fake = FakeGupshup::start().await;
    let client = login_client(&fake);
    for endpoint in PARTNER_ENDPOINTS {
        call(&client, endpoint).await.unwrap();
    }
    let logins = || {
        let seen = fake.seen();
        let count = |suffix: &str| seen.iter().filter(|s| s.path.ends_with(suffix)).count();
        (count("/account/login"), count("/token/"))
    };
    assert_eq!(logins(), (1, 1), "one login for the four calls");
    assert!(PARTNER_ENDPOINTS.iter().all(|endpoint| {
        fake.seen_at(*endpoint).iter().all(|s| {
            s.path.starts_with("/partner/app/app-9/")
                && s.headers
                    .get("authorization")
                    .is_some_and(|v| v == "app-token-456")
                && s.headers.get("token").is_some_and(|v| v == "app-token-456")
        })
    }));
    // A revoked cached token (401, or the health endpoint's 400 "Authentication Failed"):
    // forgotten, one new login, the call made once more.
    fake.script_for(
        Endpoint::WabaInfo,
        [Answer::json(401, scenarios::PARTNER_UNAUTHORIZED)],
    );
    assert!(client.account(now()).await.is_ok());
    assert_eq!(logins(), (2, 2));
    fake.script_for(
        Endpoint::Health,
        [Answer::json(400, scenarios::HEALTH_AUTH_FAILED)],
    );
    assert!(client.app_health(now()).await.unwrap().healthy);
    assert_eq!(logins(), (3, 3));
    assert_eq!(fake.seen_at(Endpoint::Health).len(), 3);
    // Refused again after the new login: the auth error, no third try.
    fake.always_for(
        Endpoint::Templates,
        Answer::text(401, scenarios::UNAUTHORIZED_TEXT),
    );
    assert!(client.templates(now()).await.unwrap_err().is_auth());
    assert_eq!(fake.seen_at(Endpoint::Templates).len(), 3);
    assert!(!format!("{client:?}").contains("partner-password"));
}

#[tokio::test]
async fn self_serve_reads_only_templates_and_needs_an_app_id() {
    let fake = FakeGupshup::start().await;
    let self_serve = on(&fake, SELF_SERVE);
    assert!(self_serve.templates(now()).await.is_ok());
    for endpoint in [Endpoint::Health, Endpoint::WabaInfo, Endpoint::Ratings] {
        let error = call(&self_serve, endpoint).await.unwrap_err();
        assert!(
            matches!(&error, GupshupError::Rejected { status: 0, detail } if detail.contains("needs partner mode")),
            "{endpoint:?}: {error}"
        );
    }
    let no_app = on(&fake, "");
    let error = no_app.templates(now()).await.unwrap_err();
    assert!(
        matches!(&error, GupshupError::Rejected { status: 0, detail } if detail.contains("gupshup.app_id")),
        "{error}"
    );
    // Only the one template list reached Gupshup.
    let paths: Vec<_> = fake.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(paths, ["/wa/app/app-1/template"]);
    assert!(!format!("{error} {error:?} {self_serve:?}").contains(KEY));
}
