//! The bot: the real HTTP interactions endpoint with signed requests, deferred answers and
//! command registration against a local fake Discord, console transcripts, locales and the
//! "View details" rule, and the gateway transport end to end against a fake websocket gateway.

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
use pulso::indicators::{NamedPeriod, Period, build_report};
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

/// A signed /indicators answers inline (type 4) with the same figures as the report, and
/// "View details" links for pending, in progress and expired only.
#[tokio::test]
async fn signed_indicators_command_answers_inline_with_the_report_figures() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let (address, shutdown) = spawn_endpoint(ctx, Duration::from_secs(2)).await;
    let (status, reply) = post(
        address,
        &command("indicators", &[("period", "today")], "es-ES", Some(1)),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["type"], 4);
    let embed = &reply["data"]["embeds"][0];
    assert_eq!(embed["title"], "Indicadores de atención · Soporte");
    let period = Period::resolve(
        pulso::indicators::PeriodRequest::Named(NamedPeriod::Today),
        chrono_tz::America::Argentina::Buenos_Aires,
        now(),
    )
    .unwrap();
    let report = build_report(&db.store, "default", &period, now())
        .await
        .unwrap();
    assert!(
        field(embed, "Consultas pendientes")
            .starts_with(&format!("**{}**", report.current.pending))
    );
    assert!(
        field(embed, "Consultas en progreso").starts_with(&format!("**{}**", report.in_progress))
    );
    assert!(
        field(embed, "Consultas resueltas")
            .starts_with(&format!("**{}**", report.current.resolved))
    );
    assert!(
        field(embed, "Consultas expiradas").starts_with(&format!("**{}**", report.current.expired))
    );
    // Attended today: r1 after 4 min, ip1 after 5, r2 after 8.
    assert!((report.current.avg_attention_min.unwrap() - 17.0 / 3.0).abs() < 1e-9);
    assert!(
        field(embed, "Promedio de atención").starts_with("**5,7 min**"),
        "{}",
        field(embed, "Promedio de atención")
    );
    assert!(field(embed, "Puntaje NPS").starts_with("**0,0**"));
    assert!(field(embed, "Puntaje CSAT").starts_with("**100,0**"));
    let links = buttons(&reply["data"]);
    assert_eq!(
        links,
        vec![
            (
                "Ver detalles · Pendientes".to_string(),
                "https://app.example.com/cs/pending".to_string()
            ),
            (
                "Ver detalles · En progreso".to_string(),
                "https://app.example.com/cs/in-progress".to_string()
            ),
            (
                "Ver detalles · Expiradas".to_string(),
                "https://app.example.com/cs/expired".to_string()
            ),
        ],
        "no link for resolved inquiries"
    );
    shutdown.cancel();
    db.finish().await;
}

/// PING gets PONG, as Discord requires before it accepts the endpoint URL.
#[tokio::test]
async fn ping_gets_pong() {
    let db = TestDb::sqlite().await;
    let (address, shutdown) = spawn_endpoint(
        context(&db, config(&db, "http://127.0.0.1:9", false)),
        Duration::from_secs(2),
    )
    .await;
    let ping = json!({"type": 1, "id": "1", "application_id": APP_ID.to_string(), "token": "t", "version": 1});
    let (status, reply) = post(address, &ping).await;
    assert_eq!((status, reply["type"].clone()), (200, json!(1)));
    shutdown.cancel();
    db.finish().await;
}

/// Requests that are not provably from Discord are refused before they are parsed: a body
/// changed after signing, missing headers, a stale timestamp, an oversized body.
#[tokio::test]
async fn unverifiable_requests_are_refused() {
    let db = TestDb::sqlite().await;
    let (address, shutdown) = spawn_endpoint(
        context(&db, config(&db, "http://127.0.0.1:9", false)),
        Duration::from_secs(2),
    )
    .await;
    let body = serde_json::to_vec(&command("indicators", &[], "en-US", None)).unwrap();
    let timestamp = now().timestamp();
    let signature = sign(&body, timestamp);

    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    assert_eq!(
        post_raw(address, tampered, timestamp, Some(signature.clone()))
            .await
            .0,
        401,
        "tampered body"
    );
    assert_eq!(
        post_raw(address, body.clone(), timestamp, None).await.0,
        401,
        "missing signature"
    );
    assert_eq!(
        post_raw(address, body.clone(), timestamp + 1, Some(signature))
            .await
            .0,
        401,
        "signature of another timestamp"
    );

    let stale = timestamp - 301;
    let (status, reply) = post_raw(address, body.clone(), stale, Some(sign(&body, stale))).await;
    assert_eq!(status, 401, "stale timestamp: {reply}");
    let recent = timestamp - 299;
    assert_eq!(
        post_raw(address, body.clone(), recent, Some(sign(&body, recent)))
            .await
            .0,
        200,
        "within five minutes"
    );

    let huge = vec![b' '; MAX_BODY + 1];
    let signature = sign(&huge, timestamp);
    assert_eq!(
        post_raw(address, huge, timestamp, Some(signature)).await.0,
        413,
        "body over 64 KiB"
    );
    shutdown.cancel();
    db.finish().await;
}

/// A correctly signed body that is not an interaction gets 400, not a crash.
#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let db = TestDb::sqlite().await;
    let (address, shutdown) = spawn_endpoint(
        context(&db, config(&db, "http://127.0.0.1:9", false)),
        Duration::from_secs(2),
    )
    .await;
    let body = b"{\"type\": 2, \"data\": ".to_vec();
    let timestamp = now().timestamp();
    let (status, reply) = post_raw(
        address,
        body.clone(),
        timestamp,
        Some(sign(&body, timestamp)),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(reply["error"], "body is not a valid interaction");
    shutdown.cancel();
    db.finish().await;
}

/// An unknown command gets a private answer in the user's language, never silence.
#[tokio::test]
async fn unknown_command_gets_a_private_error() {
    let db = TestDb::sqlite().await;
    let (address, shutdown) = spawn_endpoint(
        context(&db, config(&db, "http://127.0.0.1:9", false)),
        Duration::from_secs(2),
    )
    .await;
    let (status, reply) = post(address, &command("nope", &[], "en-GB", None)).await;
    assert_eq!((status, reply["type"].clone()), (200, json!(4)));
    assert_eq!(reply["data"]["flags"], 64, "ephemeral: {reply}");
    assert_eq!(
        reply["data"]["content"],
        "⚠️ I don't know the command /nope."
    );
    shutdown.cancel();
    db.finish().await;
}

/// The reply follows the user's Discord locale (`es*` Spanish, anything else English), and
/// the workspace's locale when the user's is unknown.
#[tokio::test]
async fn replies_follow_the_users_locale() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let title = |reply: pulso::render::Reply| reply.embed.unwrap().title;
    let mut invocation = Invocation {
        command: "indicators".into(),
        locale: Some("es-419".into()),
        ..Invocation::default()
    };
    assert_eq!(
        title(handle(&ctx, &invocation).await),
        "Indicadores de atención · Soporte"
    );
    invocation.locale = Some("en-US".into());
    assert_eq!(
        title(handle(&ctx, &invocation).await),
        "Customer service indicators · Soporte"
    );
    invocation.locale = None;
    assert_eq!(
        title(handle(&ctx, &invocation).await),
        "Indicadores de atención · Soporte"
    );
    invocation.locale = Some("pt-BR".into());
    let reply = handle(
        &ctx,
        &Invocation {
            options: vec![
                ("from".into(), "2026-02-30".into()),
                ("to".into(), "2026-03-01".into()),
            ],
            ..invocation.clone()
        },
    )
    .await;
    assert_eq!(
        reply.content.as_deref(),
        Some("⚠️ `from`: \"2026-02-30\" is not valid; write the date as YYYY-MM-DD.")
    );
    assert!(reply.ephemeral);
    db.finish().await;
}

/// Bad options get one clear private line each: reversed dates, over 366 days, period with
/// dates, half a range, a bad status.
#[tokio::test]
async fn bad_options_get_clear_private_replies() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let ask = |command: &str, options: &[(&str, &str)]| Invocation {
        command: command.into(),
        options: options
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        locale: Some("es-ES".into()),
        ..Invocation::default()
    };
    let cases = [
        (
            ask(
                "indicators",
                &[("from", "2026-03-10"), ("to", "2026-03-01")],
            ),
            "La fecha inicial 2026-03-10 es posterior a la final 2026-03-01; inviértelas.",
        ),
        (
            ask(
                "indicators",
                &[("from", "2025-01-01"), ("to", "2026-01-02")],
            ),
            "El período abarca 367 días; el máximo es 366.",
        ),
        (
            ask("indicators", &[("period", "today"), ("from", "2026-03-01")]),
            "Usa `period` o `from` y `to`, no ambos.",
        ),
        (
            ask("indicators", &[("to", "2026-03-01")]),
            "Indica `from` y `to` juntos (fechas AAAA-MM-DD).",
        ),
        (
            ask("indicators", &[("period", "forever")]),
            "`period`: «forever» no es válido; usa today, yesterday, last-7-days, last-30-days, this-month o last-month.",
        ),
        (ask("inquiries", &[]), "Falta la opción `status`."),
    ];
    for (invocation, expected) in cases {
        let reply = handle(&ctx, &invocation).await;
        assert!(reply.ephemeral, "{invocation:?}");
        assert_eq!(
            reply.content.as_deref(),
            Some(format!("⚠️ {expected}").as_str()),
            "{invocation:?}"
        );
    }
    db.finish().await;
}

/// A guild that no workspace is bound to gets told so; each bound guild gets its workspace.
#[tokio::test]
async fn guilds_map_to_their_workspace() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", true));
    let ask = |guild: u64| Invocation {
        command: "indicators".into(),
        guild_id: Some(guild),
        locale: Some("en-US".into()),
        ..Invocation::default()
    };
    let reply = handle(&ctx, &ask(999)).await;
    assert!(reply.ephemeral);
    assert!(
        reply
            .content
            .unwrap()
            .contains("not linked to a pulso workspace")
    );
    assert_eq!(
        handle(&ctx, &ask(1001)).await.embed.unwrap().title,
        "Customer service indicators · Soporte"
    );
    assert_eq!(
        handle(&ctx, &ask(1002)).await.embed.unwrap().title,
        "Customer service indicators · Other"
    );
    db.finish().await;
}

/// With the database gone, the user gets a clear private message, not a timeout.
#[tokio::test]
async fn unreachable_database_gets_a_clear_reply() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    db.store.close().await;
    let reply = handle(
        &ctx,
        &Invocation {
            command: "indicators".into(),
            locale: Some("es-AR".into()),
            ..Invocation::default()
        },
    )
    .await;
    assert!(reply.ephemeral);
    assert!(
        reply
            .content
            .unwrap()
            .starts_with("⚠️ No pude leer la base de datos de consultas.")
    );
    db.finish().await;
}

/// Checks out every connection of the (SQLite) pool, so commands wait for the database:
/// a real "slow database" without sleeping in production code.
async fn hold_every_connection(
    store: &pulso::store::Store,
) -> Vec<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
    let pulso::store::Store::Sqlite(pool) = store else {
        panic!("SQLite only")
    };
    let mut held = Vec::new();
    while let Ok(Ok(connection)) =
        tokio::time::timeout(Duration::from_millis(200), pool.acquire()).await
    {
        held.push(connection);
    }
    assert!(!held.is_empty());
    held
}

/// A command slower than the deferral threshold answers "thinking…" (type 5) and the real
/// answer is PATCHed into the original message through the REST API.
#[tokio::test]
async fn slow_answer_is_deferred_then_patched_into_the_original_message() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let discord = FakeDiscord::start().await;
    let (address, shutdown) = spawn_endpoint(
        context(&db, config(&db, &discord.base, false)),
        Duration::from_millis(100),
    )
    .await;
    let held = hold_every_connection(&db.store).await;
    let (status, reply) = post(
        address,
        &command("inquiries", &[("status", "pending")], "en-US", None),
    )
    .await;
    assert_eq!((status, reply["type"].clone()), (200, json!(5)), "{reply}");
    assert!(
        discord.requests().is_empty(),
        "nothing is sent while the database is busy"
    );
    drop(held);
    let requests = discord.wait_for(1).await;
    let patch = &requests[0];
    assert_eq!(patch.method, "PATCH");
    assert_eq!(
        patch.path,
        format!("/api/v10/webhooks/{APP_ID}/interaction-token-1/messages/@original")
    );
    assert_eq!(patch.headers["authorization"], format!("Bot {TOKEN}"));
    assert_eq!(patch.headers["content-type"], "application/json");
    let embed = &patch.body["embeds"][0];
    assert_eq!(embed["title"], "Pending inquiries · Soporte");
    assert_eq!(field(embed, "Total"), "**2**");
    let oldest = field(embed, "Oldest");
    assert!(oldest.starts_with("1. `p1` waiting 3 h 0 min"), "{oldest}");
    assert!(oldest.contains("2. `p2` waiting 30 min"), "{oldest}");
    assert_eq!(
        buttons(&patch.body),
        vec![(
            "View details · Pending".to_string(),
            "https://app.example.com/cs/pending".to_string()
        )]
    );
    shutdown.cancel();
    db.finish().await;
}

/// A database too slow even for a deferred answer ends in a private "try again" for the
/// user: the public "thinking…" message is deleted and the error sent as an ephemeral
/// follow-up.
#[tokio::test]
async fn too_slow_database_ends_in_a_private_error_after_deferring() {
    let db = TestDb::sqlite().await;
    let discord = FakeDiscord::start().await;
    let mut ctx = context(&db, config(&db, &discord.base, false));
    ctx.command_timeout = Duration::from_millis(400);
    let (address, shutdown) = spawn_endpoint(ctx, Duration::from_millis(100)).await;
    let held = hold_every_connection(&db.store).await;
    let (_, reply) = post(address, &command("indicators", &[], "es-419", None)).await;
    assert_eq!(reply["type"], 5);
    let requests = discord.wait_for(2).await;
    drop(held);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        (
            "DELETE",
            format!("/api/v10/webhooks/{APP_ID}/interaction-token-1/messages/@original").as_str()
        )
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        (
            "POST",
            format!("/api/v10/webhooks/{APP_ID}/interaction-token-1").as_str()
        )
    );
    assert_eq!(requests[1].body["flags"], 64);
    assert_eq!(
        requests[1].body["content"],
        "⚠️ La base de datos está tardando demasiado en responder. Intenta de nuevo en unos minutos."
    );
    shutdown.cancel();
    db.finish().await;
}

/// `register-commands` sends one bulk PUT with every command, localized to es-ES and es-419.
#[tokio::test]
async fn commands_are_registered_with_one_localized_bulk_put() {
    let db = TestDb::sqlite().await;
    let discord = FakeDiscord::start().await;
    let settings = config(&db, &discord.base, false).discord;
    discord::register_commands(&settings, Some(77))
        .await
        .unwrap();
    discord::register_commands(&settings, None).await.unwrap();
    let requests = discord.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        (
            "PUT",
            format!("/api/v10/applications/{APP_ID}/guilds/77/commands").as_str()
        )
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        (
            "PUT",
            format!("/api/v10/applications/{APP_ID}/commands").as_str()
        )
    );
    assert_eq!(requests[0].headers["authorization"], format!("Bot {TOKEN}"));
    let commands = requests[0].body.as_array().unwrap();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["indicators", "inquiries", "digest", "balance", "alerts"]
    );
    let digest = &commands[2];
    let subcommands: Vec<(&str, i64)> = digest["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap(), o["type"].as_i64().unwrap()))
        .collect();
    assert_eq!(subcommands, [("preview", 1), ("send", 1)]);
    assert_eq!(
        digest["options"][1]["description_localizations"]["es-419"],
        "Publicar el resumen en su canal ahora (Gestionar servidor)"
    );
    let indicators = &commands[0];
    assert_eq!(
        indicators["description"],
        "Customer service indicators for a period"
    );
    assert_eq!(
        indicators["description_localizations"]["es-ES"],
        "Indicadores de atención al cliente de un período"
    );
    assert_eq!(
        indicators["description_localizations"]["es-419"],
        "Indicadores de atención al cliente de un período"
    );
    let period = &indicators["options"][0];
    assert_eq!(period["name"], "period");
    assert_eq!(period["choices"][2]["value"], "last-7-days");
    assert_eq!(
        period["choices"][2]["name_localizations"]["es-419"],
        "Últimos 7 días"
    );
    let status = &commands[1]["options"][0];
    assert_eq!(
        (status["name"].clone(), status["required"].clone()),
        (json!("status"), json!(true))
    );
    db.finish().await;
}

/// Registration without a token fails with a message naming the variable, before any call.
#[tokio::test]
async fn registration_without_token_names_the_variable() {
    let db = TestDb::sqlite().await;
    let mut settings = config(&db, "http://127.0.0.1:9", false).discord;
    settings.token = None;
    let error = discord::register_commands(&settings, None)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "registering commands needs the bot token in PULSO_DISCORD_TOKEN"
    );
    db.finish().await;
}

/// A console session: help, both commands, a bad line, an error, in the workspace locale.
#[tokio::test]
async fn console_transcript() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let input = "/help\n\n/indicators period:today\n/inquiries status:resolved\nhello\n/inquiries status:pending period:\"last-7-days\"\n";
    let mut output = Vec::new();
    console::run(
        &ctx,
        None,
        input.as_bytes(),
        &mut output,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let transcript = String::from_utf8(output).unwrap();
    let expected_parts = [
        "Commands:\n  /indicators [period:today|yesterday|last-7-days|last-30-days|this-month|last-month] [from:…] [to:…]",
        "== Indicadores de atención · Soporte ==\n10 mar 2026 · 1 días · America/Argentina/Buenos_Aires",
        "  Consultas pendientes: 2 · ▲ 2",
        "  Consultas resueltas: 2 · ▲ 1",
        "  [Ver detalles · Pendientes] https://app.example.com/cs/pending",
        "== Consultas resueltas · Soporte ==",
        "commands start with '/'",
        "  Las más antiguas: 1. `p1` esperando 3 h 0 min · whatsapp · payments · 2. `p2` esperando 30 min · whatsapp · payments",
    ];
    for part in expected_parts {
        assert!(
            transcript.contains(part),
            "missing {part:?} in:\n{transcript}"
        );
    }
    let resolved_card = transcript
        .split("== Consultas resueltas")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    assert!(
        !resolved_card.contains("Ver detalles"),
        "resolved inquiries have no View details link:\n{resolved_card}"
    );
    db.finish().await;
}

/// The whole path: `pulso run` in http mode answers a signed /indicators with an embed whose
/// numbers equal `pulso indicators --format json` for the same period, and SIGTERM stops it
/// cleanly.
#[tokio::test]
async fn pulso_run_http_answers_like_pulso_indicators_and_stops_on_sigterm() {
    use std::io::BufRead as _;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let public_key = hex::encode(signing_key().verifying_key().to_bytes());
    std::fs::write(
        dir.path().join("pulso.toml"),
        format!(
            "[database]\nurl = \"sqlite://pulso.db\"\n[discord]\ntransport = \"http\"\napplication_id = {APP_ID}\n\
             public_key = \"{public_key}\"\n[http]\nlisten = \"127.0.0.1:0\"\n[[workspaces]]\nid = \"default\"\n\
             name = \"Soporte\"\ntimezone = \"America/Santiago\"\nlocale = \"es\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inquiries.csv"),
        "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at\n\
         a,default,whatsapp,payments,resolved,op,2026-03-02T12:00:00Z,2026-03-02T12:07:00Z,2026-03-02T12:30:00Z,\n\
         b,default,whatsapp,claims,resolved,op,2026-03-03T12:00:00Z,2026-03-03T12:02:00Z,2026-03-03T13:00:00Z,\n\
         c,default,whatsapp,claims,pending,,2026-03-04T12:00:00Z,,,\n\
         d,default,whatsapp,claims,expired,,2026-03-04T12:00:00Z,,,2026-03-04T18:00:00Z\n\
         e,default,whatsapp,claims,in_progress,op,2026-03-05T12:00:00Z,2026-03-05T12:01:00Z,,\n",
    )
    .unwrap();
    let pulso = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_pulso"))
            .current_dir(dir.path())
            .env_remove("PULSO_CONFIG")
            .env_remove("PULSO_DATABASE_URL")
            .args(["--config", "pulso.toml"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    pulso(&["import", "--inquiries", "inquiries.csv"]);
    let json: Value = serde_json::from_str(&pulso(&[
        "indicators",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-07",
        "--format",
        "json",
    ]))
    .unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir.path())
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DATABASE_URL")
        .args(["--config", "pulso.toml", "run"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let address: SocketAddr = loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "pulso run exited before listening"
        );
        if let Some(at) = line.find("127.0.0.1:") {
            let rest = &line[at..];
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ':'))
                .unwrap_or(rest.len());
            break rest[..end].parse().unwrap();
        }
    };
    let body = serde_json::to_vec(&command(
        "indicators",
        &[("from", "2026-03-01"), ("to", "2026-03-07")],
        "en-US",
        Some(31),
    ))
    .unwrap();
    let timestamp = Utc::now().timestamp();
    let (status, reply) = post_raw(
        address,
        body.clone(),
        timestamp,
        Some(sign(&body, timestamp)),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let embed = &reply["data"]["embeds"][0];
    let number = |name: &str| field(embed, name).split("**").nth(1).unwrap().to_string();
    assert_eq!(number("Pending inquiries"), json["pending"].to_string());
    assert_eq!(
        number("Inquiries in progress"),
        json["in_progress"].to_string()
    );
    assert_eq!(number("Resolved inquiries"), json["resolved"].to_string());
    assert_eq!(number("Expired inquiries"), json["expired"].to_string());
    let minutes = |key: &str| format!("{:.1} min", json[key].as_f64().unwrap());
    assert_eq!(number("Average attention"), minutes("avg_attention_min"));
    assert_eq!(number("Average resolution"), minutes("avg_resolution_min"));
    assert_eq!(
        number("Average attention + resolution"),
        minutes("avg_attention_resolution_min")
    );
    assert_eq!(json["resolved"], 2);

    let started = std::time::Instant::now();
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// `/digest preview` answers privately; `/digest send` needs Manage Server, checked by pulso
/// and not only by Discord, and then queues the digest for its channel.
#[tokio::test]
async fn digest_send_needs_manage_server() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let ask = |subcommand: &str, can_manage_guild: bool| Invocation {
        command: "digest".into(),
        subcommand: Some(subcommand.into()),
        locale: Some("en-US".into()),
        can_manage_guild,
        ..Invocation::default()
    };
    let preview = handle(&ctx, &ask("preview", false)).await;
    assert!(preview.ephemeral);
    assert_eq!(preview.embed.unwrap().title, "Resumen diario · Soporte");
    let refused = handle(&ctx, &ask("send", false)).await;
    assert_eq!(
        refused.content.as_deref(),
        Some("⚠️ You need the Manage Server permission to use this command.")
    );
    // Allowed, but this workspace has no digest channel on the http transport.
    let no_channel = handle(&ctx, &ask("send", true)).await;
    assert!(no_channel.content.unwrap().contains("digest.channel_id"));
    assert_eq!(db.store.outbox_counts().await.unwrap(), vec![]);
    db.finish().await;
}

/// Everything a `tracing` subscriber writes, to assert on pulso's log output.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLogs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Runs pulso's gateway transport in a task; cancel the token to stop it.
fn spawn_gateway(
    ctx: BotContext,
) -> (
    tokio::task::JoinHandle<Result<(), discord::DiscordError>>,
    CancellationToken,
) {
    let settings = ctx.config.discord.clone();
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    let client = tokio::spawn(async move {
        pulso::bot::gateway::run(ctx, &settings, Duration::from_secs(2), stop).await
    });
    (client, shutdown)
}

/// The gateway transport end to end against a fake Discord: pulso's real serenity client
/// finds the fake gateway through `GET /gateway` on `api_base`, identifies with the
/// configured token and no intents, answers an `INTERACTION_CREATE` /indicators with the
/// report card through the interaction callback, never logs the token, and stops within
/// seconds of cancellation, closing the session normally.
#[tokio::test]
async fn gateway_answers_an_interaction_create_with_the_indicators_card() {
    // A current-thread test runtime: every task (serenity's shard runner included) logs into
    // this thread's subscriber.
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let db = TestDb::sqlite().await;
    seed(&db).await;
    let discord = FakeDiscord::start().await;
    let gateway = FakeGateway::start().await;
    discord.use_gateway(&gateway.url);
    let (client, shutdown) = spawn_gateway(context(&db, gateway_config(&db, &discord.base)));

    let seen = gateway
        .wait_until(Duration::from_secs(15), |seen| {
            seen.dispatched.iter().any(|event| event == "READY") && seen.heartbeats > 0
        })
        .await;
    assert_eq!(seen.upgrade_uris, ["/?v=10"], "one connection, API v10");
    let identify = &seen.identifies[0];
    // serenity sends the token as it authenticates REST calls, with the "Bot " prefix.
    assert_eq!(identify["token"], format!("Bot {TOKEN}"));
    assert_eq!(identify["intents"], 0, "no privileged (or any) intents");
    assert_eq!(identify["shard"], json!([0, 1]));
    let lookup = &discord.requests()[0];
    assert_eq!(
        (lookup.method.as_str(), lookup.path.as_str()),
        ("GET", "/api/v10/gateway")
    );

    gateway.dispatch(
        "INTERACTION_CREATE",
        command("indicators", &[("period", "today")], "es-ES", Some(1)),
    );
    let callback = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(request) = discord
                .requests()
                .into_iter()
                .find(|request| request.path.ends_with("/callback"))
            {
                return request;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "no interaction callback; Discord got {:?}, the gateway saw {:?}",
            discord.requests(),
            gateway.seen()
        )
    });
    assert_eq!(callback.method, "POST");
    assert_eq!(
        callback.path,
        "/api/v10/interactions/900/interaction-token-1/callback"
    );
    assert_eq!(callback.headers["authorization"], format!("Bot {TOKEN}"));
    assert_eq!(callback.body["type"], 4, "{}", callback.body);
    let embed = &callback.body["data"]["embeds"][0];
    assert_eq!(embed["title"], "Indicadores de atención · Soporte");
    let period = Period::resolve(
        pulso::indicators::PeriodRequest::Named(NamedPeriod::Today),
        chrono_tz::America::Argentina::Buenos_Aires,
        now(),
    )
    .unwrap();
    let report = build_report(&db.store, "default", &period, now())
        .await
        .unwrap();
    assert_eq!(report.current.pending, 2);
    assert!(
        field(embed, "Consultas pendientes")
            .starts_with(&format!("**{}**", report.current.pending))
    );
    assert!(
        field(embed, "Consultas resueltas")
            .starts_with(&format!("**{}**", report.current.resolved))
    );
    assert!(field(embed, "Promedio de atención").starts_with("**5,7 min**"));
    assert_eq!(buttons(&callback.body["data"]).len(), 3);

    let stopping = std::time::Instant::now();
    shutdown.cancel();
    let stopped = tokio::time::timeout(Duration::from_secs(5), client)
        .await
        .expect("the gateway client stops within 5 s of cancellation")
        .unwrap();
    assert!(stopped.is_ok(), "{stopped:?}");
    assert!(stopping.elapsed() < Duration::from_secs(5));
    let seen = gateway
        .wait_until(Duration::from_secs(2), |seen| !seen.close_codes.is_empty())
        .await;
    assert_eq!(seen.close_codes, [1000], "a normal close");
    assert_eq!(seen.connections, 1, "no reconnects");
    assert!(seen.unexpected.is_empty(), "{:?}", seen.unexpected);

    let logs = logs.text();
    assert!(
        logs.contains("connected to the Discord gateway"),
        "pulso's own logs were captured: {logs}"
    );
    assert!(
        !logs.contains(TOKEN),
        "the token leaked into the logs: {logs}"
    );
    assert!(
        !logs.contains(" WARN "),
        "a clean session warns nothing: {logs}"
    );
    db.finish().await;
}

/// Cancelled while its shard is still connecting (the gateway accepts the TCP connection but
/// never answers the handshake), the gateway transport still returns within seconds:
/// serenity's own shutdown does not end a client whose shard never started.
#[tokio::test]
async fn gateway_cancelled_while_connecting_still_stops() {
    let db = TestDb::sqlite().await;
    let discord = FakeDiscord::start().await;
    // Accepted by the kernel, never read: the websocket handshake waits forever.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    discord.use_gateway(&format!("ws://{}", silent.local_addr().unwrap()));
    let (client, shutdown) = spawn_gateway(context(&db, gateway_config(&db, &discord.base)));
    let lookup = discord.wait_for(1).await;
    assert_eq!(lookup[0].path, "/api/v10/gateway");
    tokio::time::sleep(Duration::from_millis(300)).await;
    shutdown.cancel();
    let stopped = tokio::time::timeout(Duration::from_secs(10), client)
        .await
        .expect("stops within 10 s of cancellation");
    stopped.unwrap().unwrap();
    drop(silent);
}
