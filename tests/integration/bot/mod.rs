//! The bot on the [`TestApp`]: the app's signed interactions endpoint with deferred
//! answers, command registration against the fake Discord, console transcripts, locales and
//! the "View details" rule, and the gateway transport end to end against a fake websocket
//! gateway, on SQLite and PostgreSQL. This file holds the shared fixtures; the tests are in
//! the submodules, one concern each.

mod balance_buttons;
mod breakdowns;
mod buttons;
mod deferred;
mod direct_messages;
mod endpoint;
mod gateway;
mod health_buttons;
mod outage;
mod portuguese;
mod registration;
mod replies;
mod roles;

use std::net::SocketAddr;
use std::time::Duration;

use ed25519_dalek::Signer;
use pulso::bot::Invocation;
use pulso::domain::SurveyKind;
use pulso::domain::{NamedPeriod, Period};
use pulso::indicators::IndicatorReport;
use pulso::service::build_report;
use pulso::store::Store;
use serde_json::{Value, json};

use crate::harness::{
    APP_ID, ConfigBuilder, RunOptions, TOKEN, TestApp, WorkspaceConfig, default_now, signing_key,
};
use crate::helpers::*;

/// The workspace the bot tests talk to: Spanish, in Buenos Aires, with "View details" links
/// for pending, in progress and expired inquiries (never resolved ones).
fn soporte() -> WorkspaceConfig {
    WorkspaceConfig::new("default", "Soporte")
        .timezone("America/Argentina/Buenos_Aires")
        .locale("es")
        .links(
            "pending = \"https://app.example.com/cs/pending\", \
             in_progress = \"https://app.example.com/cs/in-progress\", \
             expired = \"https://app.example.com/cs/expired\"",
        )
}

/// A bot with [`soporte`] alone, so every server's commands are about it.
fn bot_config() -> ConfigBuilder {
    ConfigBuilder::with([soporte()])
}

/// Two workspaces bound to servers: [`soporte`] to 1001, an English "Other" to 1002.
fn guilds_config() -> ConfigBuilder {
    ConfigBuilder::with([
        soporte().guild(1001),
        WorkspaceConfig::new("other", "Other").guild(1002),
    ])
}

/// Today's inquiries and surveys of the `default` workspace (and one of yesterday's), as
/// the app's clock ([`default_now`]) sees them.
async fn seed(store: &Store) {
    insert(
        store,
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
async fn today_report(store: &Store) -> IndicatorReport {
    let period = Period::resolve(
        pulso::domain::PeriodRequest::Named(NamedPeriod::Today),
        chrono_tz::America::Argentina::Buenos_Aires,
        default_now(),
    )
    .unwrap();
    build_report(store, "default", &period, default_now())
        .await
        .unwrap()
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

/// The `X-Signature-Ed25519` Discord would send for `body` at `timestamp`.
fn sign(body: &[u8], timestamp: i64) -> String {
    let mut message = timestamp.to_string().into_bytes();
    message.extend_from_slice(body);
    hex::encode(signing_key().sign(&message).to_bytes())
}

/// POSTs `body` to the app's `/interactions` with the given signature headers; the status
/// and the JSON answer (or the text of one that is not JSON).
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

/// POSTs `interaction` to the app's `/interactions`, signed as Discord signs it at the
/// app's clock.
async fn post(address: SocketAddr, interaction: &Value) -> (u16, Value) {
    let body = serde_json::to_vec(interaction).unwrap();
    let timestamp = default_now().timestamp();
    let signature = sign(&body, timestamp);
    post_raw(address, body, timestamp, Some(signature)).await
}

/// The value of the embed field `name`.
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

/// The (label, URL) of every button of a message, each checked to be a link button.
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
