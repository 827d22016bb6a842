//! The bot: the real HTTP interactions endpoint with signed requests, deferred answers and
//! command registration against a local fake Discord, console transcripts, locales and the
//! "View details" rule, and the gateway transport end to end against a fake websocket gateway.
//! This file holds the shared fixtures; the tests are in the submodules, one concern each.

mod endpoint;
mod gateway;
mod portuguese;
mod registration;
mod replies;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey};
use pulso::bot::http::{InteractionsState, MAX_BODY};
use pulso::bot::{BotContext, Invocation, console, discord, handle};
use pulso::clock::FixedClock;
use pulso::config::{Config, ConfigSource};
use pulso::domain::SurveyKind;
use pulso::domain::{NamedPeriod, Period};
use pulso::indicators::IndicatorReport;
use pulso::service::build_report;
use serde_json::{Value, json};
use serenity::interactions_endpoint::Verifier;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::fake_discord::FakeDiscord;
use crate::fake_gateway::FakeGateway;
use crate::helpers::*;

const TOKEN: &str = "test-bot-token-Zx9";
const APP_ID: u64 = 4242;

fn now() -> DateTime<Utc> {
    utc(2026, 3, 10, 15, 0, 0)
}

fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

/// A config for `db` with one Spanish workspace (links configured) or, with `guilds`, two
/// workspaces bound to guilds 1001 and 1002.
fn config(db: &TestDb, api_base: &str, guilds: bool) -> Config {
    parse_config(db, &config_text(api_base, guilds))
}

/// [`config`] with `transport = "gateway"`.
fn gateway_config(db: &TestDb, api_base: &str) -> Config {
    let text = config_text(api_base, false);
    let gateway = text.replace("transport = \"http\"", "transport = \"gateway\"");
    assert_ne!(gateway, text);
    parse_config(db, &gateway)
}

fn config_text(api_base: &str, guilds: bool) -> String {
    let public_key = hex::encode(signing_key().verifying_key().to_bytes());
    let mut text = format!(
        "[database]\nurl = \"sqlite://unused.db\"\n\n[discord]\ntransport = \"http\"\napplication_id = \"{APP_ID}\"\n\
         public_key = \"{public_key}\"\napi_base = \"{api_base}\"\n\n[[workspaces]]\nid = \"default\"\nname = \"Soporte\"\n\
         timezone = \"America/Argentina/Buenos_Aires\"\nlocale = \"es\"\n\
         links = {{ pending = \"https://app.example.com/cs/pending\", in_progress = \"https://app.example.com/cs/in-progress\", expired = \"https://app.example.com/cs/expired\" }}\n"
    );
    if guilds {
        text.push_str("guild_id = 1001\n\n[[workspaces]]\nid = \"other\"\nname = \"Other\"\ntimezone = \"UTC\"\nlocale = \"en\"\nguild_id = \"1002\"\n");
    }
    text
}

fn parse_config(db: &TestDb, text: &str) -> Config {
    let url = db.url.clone();
    Config::parse_with_env(
        text,
        ConfigSource::File("bot-test.toml".into()),
        |name| match name {
            "PULSO_DISCORD_TOKEN" => Some(TOKEN.to_string()),
            "PULSO_DATABASE_URL" => Some(url.clone()),
            _ => None,
        },
    )
    .expect("test config")
}

fn context(db: &TestDb, config: Config) -> BotContext {
    BotContext {
        store: db.store.clone(),
        config: Arc::new(config),
        clock: Arc::new(FixedClock(now())),
        command_timeout: Duration::from_secs(5),
    }
}

async fn seed(db: &TestDb) {
    insert(
        &db.store,
        &[
            pending("default", "p1", utc(2026, 3, 10, 12, 0, 0)),
            pending("default", "p2", utc(2026, 3, 10, 14, 30, 0)),
            in_progress("default", "ip1", utc(2026, 3, 10, 13, 0, 0), 5),
            resolved("default", "r1", utc(2026, 3, 10, 10, 0, 0), 4, 10),
            resolved("default", "r2", utc(2026, 3, 10, 11, 0, 0), 8, 30),
            resolved("default", "r0", utc(2026, 3, 9, 11, 0, 0), 60, 30),
            expired("default", "e1", utc(2026, 3, 10, 9, 0, 0), 120),
        ],
        &[
            answer(
                "default",
                "n1",
                SurveyKind::Nps,
                10,
                utc(2026, 3, 10, 12, 0, 0),
            ),
            answer(
                "default",
                "n2",
                SurveyKind::Nps,
                3,
                utc(2026, 3, 10, 12, 5, 0),
            ),
            answer(
                "default",
                "c1",
                SurveyKind::Csat,
                5,
                utc(2026, 3, 10, 12, 5, 0),
            ),
        ],
    )
    .await;
}

/// The report pulso itself computes for the seeded workspace's today, which every reply of
/// `/indicators period:today` must show.
async fn today_report(db: &TestDb) -> IndicatorReport {
    let period = Period::resolve(
        pulso::domain::PeriodRequest::Named(NamedPeriod::Today),
        chrono_tz::America::Argentina::Buenos_Aires,
        now(),
    )
    .unwrap();
    build_report(&db.store, "default", &period, now())
        .await
        .unwrap()
}

async fn spawn_endpoint(ctx: BotContext, defer_after: Duration) -> (SocketAddr, CancellationToken) {
    let state = Arc::new(InteractionsState {
        http: Arc::new(discord::http_client(&ctx.config.discord)),
        ctx,
        verifier: Verifier::try_new(signing_key().verifying_key().to_bytes()).unwrap(),
        defer_after,
        tracker: TaskTracker::new(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    let tracker = state.tracker.clone();
    let router = pulso::bot::http::router(state);
    tokio::spawn(async move {
        pulso::bot::http::serve(listener, router, tracker, stop, Duration::from_secs(2))
            .await
            .unwrap()
    });
    (address, shutdown)
}

/// A slash-command interaction as Discord sends it (serenity 0.12.5's required fields).
fn command(name: &str, options: &[(&str, &str)], locale: &str, guild_id: Option<u64>) -> Value {
    let options: Vec<Value> = options
        .iter()
        .map(|(n, v)| json!({"name": n, "type": 3, "value": v}))
        .collect();
    let mut interaction = json!({
        "type": 2, "id": "900", "application_id": APP_ID.to_string(), "token": "interaction-token-1",
        "version": 1, "locale": locale, "channel_id": "555", "entitlements": [], "attachment_size_limit": 8_388_608,
        "data": {"id": "800", "name": name, "type": 1, "options": options}
    });
    if let Some(guild) = guild_id {
        interaction["guild_id"] = json!(guild.to_string());
    }
    interaction
}

fn sign(body: &[u8], timestamp: i64) -> String {
    let mut message = timestamp.to_string().into_bytes();
    message.extend_from_slice(body);
    hex::encode(signing_key().sign(&message).to_bytes())
}

async fn post_raw(
    address: SocketAddr,
    body: Vec<u8>,
    timestamp: i64,
    signature: Option<String>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{address}/interactions"))
        .header("content-type", "application/json")
        .header("x-signature-timestamp", timestamp.to_string());
    if let Some(signature) = signature {
        request = request.header("x-signature-ed25519", signature);
    }
    let response = request.body(body).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn post(address: SocketAddr, interaction: &Value) -> (u16, Value) {
    let body = serde_json::to_vec(interaction).unwrap();
    let timestamp = now().timestamp();
    let signature = sign(&body, timestamp);
    post_raw(address, body, timestamp, Some(signature)).await
}

fn field<'a>(embed: &'a Value, name: &str) -> &'a str {
    embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no field {name:?} in {embed}"))["value"]
        .as_str()
        .unwrap()
}

fn buttons(data: &Value) -> Vec<(String, String)> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().unwrap().iter())
        .map(|button| {
            assert_eq!(button["style"], 5, "View details buttons are link buttons");
            (
                button["label"].as_str().unwrap().to_string(),
                button["url"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
