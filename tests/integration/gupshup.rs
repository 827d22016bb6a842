//! Gupshup balance: the client against a fake Gupshup (every reference scenario, retries,
//! timeouts, connection refused, partner tokens), config checks, persisted alert episodes,
//! the scheduler's poll cadence, one stored poll per tick across replicas, and the commands
//! (the `/indicators` balance field included) on both backends. `pulso balance --check` end
//! to end: gupshup_cli.rs.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use pulso::alerts::{AlertState, Level, Monitor, balance_tick, poll_slot, poll_workspace};
use pulso::bot::{BotContext, Invocation, handle};
use pulso::config::{Config, ConfigSource, Workspace};
use pulso::gupshup::{GupshupClient, GupshupError, RetryPolicy};
use pulso::render::Reply;
use pulso::store::{Store, StoredReading};

use crate::fake_gupshup::{Answer, FakeGupshup, scenarios};
use crate::helpers::*;

/// The Gupshup API key the tests configure; it must never show up in output.
pub const KEY: &str = "gs-secret-key-9f8e7d";

fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        base_delay: StdDuration::from_millis(10),
        max_delay: StdDuration::from_millis(50),
        timeout: StdDuration::from_millis(300),
    }
}

/// A config with one Gupshup workspace; `gupshup` holds extra keys of the `gupshup` table.
fn config(base: &str, gupshup: &str) -> Config {
    config_with(base, gupshup, "")
}

/// [`config`], with `more` appended: keys of the workspace (e.g. `balance = { … }`), then
/// possibly further `[[workspaces]]`.
fn config_with(base: &str, gupshup: &str, more: &str) -> Config {
    let text = format!(
        "[database]\nurl = \"sqlite://unused.db\"\n[[workspaces]]\nid = \"w\"\nname = \"Equipo\"\n\
         timezone = \"UTC\"\nlocale = \"en\"\nalerts_channel_id = \"555\"\nwhatsapp = {{ provider = \"gupshup\" }}\n\
         gupshup = {{ api_key_env = \"GS_KEY\", base_url = \"{base}\", partner_base_url = \"{base}\"{gupshup} }}\n{more}"
    );
    Config::parse_with_env(
        &text,
        ConfigSource::File("gupshup-test.toml".into()),
        |name| (name == "GS_KEY").then(|| KEY.to_string()),
    )
    .expect("test config")
}

fn workspace(config: &Config) -> Workspace {
    config.workspaces[0].clone()
}

fn client(workspace: &Workspace) -> GupshupClient {
    GupshupClient::new(workspace.gupshup.as_ref().unwrap(), quick()).unwrap()
}

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

async fn alert_keys(store: &Store) -> Vec<String> {
    let sql = "SELECT dedupe_key FROM outbox WHERE kind = 'alert' ORDER BY id";
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

/// 120 → 40 → 40 (alert) → restart → 45 → 45 → 70 (resolved), then an outage, then a muted
/// drop: the state survives the restart and nothing is repeated.
async fn persisted_episode_survives_a_restart(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    let ws = workspace(&config);
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let at = |i: i64| t0 + Duration::minutes(5 * i);
    fake.script([120.0, 40.0, 40.0].map(Answer::balance));
    let first = client(&ws);
    for i in 0..3 {
        poll_workspace(store, &ws, &first, Some(555), at(i))
            .await
            .unwrap();
    }
    assert_eq!(alert_keys(store).await, ["alert:w:balance:1:low"]);
    // Both gauges are exported (their values race with the other backend's run of this test).
    let metrics = pulso::telemetry::metrics().render();
    assert!(
        metrics.contains("pulso_gupshup_balance{workspace=\"w\",currency=\"USD\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("pulso_balance_alert_state{workspace=\"w\"}"),
        "{metrics}"
    );
    // "Restart": a new client, state read back from the database.
    let restarted = client(&ws);
    fake.script([45.0, 45.0, 70.0].map(Answer::balance));
    for i in 3..6 {
        poll_workspace(store, &ws, &restarted, Some(555), at(i))
            .await
            .unwrap();
    }
    assert_eq!(
        alert_keys(store).await,
        ["alert:w:balance:1:low", "alert:w:balance:1:resolved"]
    );
    // Outage: one unknown warning, saying the key was rejected; no resolve.
    fake.always(Answer::text(401, scenarios::BAD_KEY_TEXT));
    for i in 6..12 {
        poll_workspace(store, &ws, &restarted, Some(555), at(i))
            .await
            .unwrap();
    }
    let keys = alert_keys(store).await;
    assert_eq!(keys.len(), 3);
    assert_eq!(keys[2], "alert:w:unknown:1");
    let (status, _, _) = store.outbox_status(&keys[2]).await.unwrap().unwrap();
    assert_eq!(status, "pending");
    // Muted: the drop is tracked but not posted.
    store
        .set_alert_mute("w", Some(at(100)), at(12).timestamp())
        .await
        .unwrap();
    fake.always(Answer::balance(20.0));
    for i in 12..15 {
        poll_workspace(store, &ws, &restarted, Some(555), at(i))
            .await
            .unwrap();
    }
    let state = store.balance_alert_state("w").await.unwrap();
    assert_eq!(state.level, Level::Low);
    assert_eq!(state.muted_until, Some(at(100)));
    assert_eq!(alert_keys(store).await.len(), 3);
    // Every reading was stored; the latest successful one feeds the indicator line.
    let line = pulso::alerts::balance_line(store, &ws)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.amount, 20.0);
}

/// The alert message states the balance, threshold, days left and the chatbot reminder.
async fn alert_message_states_balance_threshold_and_days_left(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    let ws = workspace(&config);
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let client = client(&ws);
    // Two days of 10 USD/day spending, then the drop under 50.
    for (hours, amount) in [(0, 80.0), (24, 70.0), (48, 60.0)] {
        fake.script([Answer::balance(amount)]);
        poll_workspace(store, &ws, &client, Some(555), t0 + Duration::hours(hours))
            .await
            .unwrap();
    }
    fake.script([Answer::balance(40.0), Answer::balance(40.0)]);
    poll_workspace(store, &ws, &client, Some(555), t0 + Duration::hours(72))
        .await
        .unwrap();
    poll_workspace(
        store,
        &ws,
        &client,
        Some(555),
        t0 + Duration::hours(72) + Duration::minutes(5),
    )
    .await
    .unwrap();
    let Store::Sqlite(pool) = store else { return };
    let payload: String = sqlx::query_scalar("SELECT payload FROM outbox WHERE kind = 'alert'")
        .fetch_one(pool)
        .await
        .unwrap();
    for expected in [
        "40.00 USD",
        "50.00 USD",
        "Days left",
        "needs balance to work",
    ] {
        assert!(payload.contains(expected), "{expected} not in {payload}");
    }
    assert!(!payload.contains(KEY));
}

/// `/balance` and `/alerts` through the command handler: the indicator line only for
/// Gupshup, "does not use Gupshup" elsewhere, mute restricted to Manage Server.
async fn commands_show_the_balance_and_guard_the_mute(store: &Store) {
    let plain = crate::helpers::workspace("plain", chrono_tz::UTC);
    assert_eq!(
        pulso::alerts::balance_line(store, &plain).await.unwrap(),
        None
    );
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    let ws = workspace(&config);
    fake.script([Answer::balance(41.938)]);
    poll_workspace(
        store,
        &ws,
        &client(&ws),
        Some(555),
        utc(2026, 11, 2, 12, 0, 0),
    )
    .await
    .unwrap();
    let ctx = pulso::bot::BotContext {
        store: store.clone(),
        config: std::sync::Arc::new(config),
        clock: std::sync::Arc::new(pulso::clock::FixedClock(utc(2026, 11, 2, 12, 1, 0))),
        command_timeout: StdDuration::from_secs(5),
    };
    let ask = |command: &str, subcommand: Option<&str>, admin: bool| pulso::bot::Invocation {
        command: command.into(),
        subcommand: subcommand.map(str::to_string),
        can_manage_guild: admin,
        ..Default::default()
    };
    let text = pulso::bot::handle(&ctx, &ask("balance", None, false))
        .await
        .to_text();
    assert!(
        text.contains("41.94 USD") && text.contains("2026-11-02 12:00"),
        "{text}"
    );
    let text = pulso::bot::handle(&ctx, &ask("alerts", Some("mute"), false))
        .await
        .to_text();
    assert!(text.contains("Manage Server"), "{text}");
    let text = pulso::bot::handle(&ctx, &ask("alerts", Some("mute"), true))
        .await
        .to_text();
    assert!(text.contains("muted"), "{text}");
    assert!(
        store
            .balance_alert_state("w")
            .await
            .unwrap()
            .muted_until
            .is_some()
    );
    let text = pulso::bot::handle(&ctx, &ask("alerts", Some("status"), false))
        .await
        .to_text();
    assert!(text.contains("Muted until"), "{text}");
    pulso::bot::handle(&ctx, &ask("alerts", Some("unmute"), true)).await;
    assert_eq!(
        store.balance_alert_state("w").await.unwrap().muted_until,
        None
    );
    let line = pulso::alerts::balance_line(store, &ws)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.amount, 41.938);
}

/// A second workspace, on another WhatsApp provider, for [`config_with`].
const PLAIN_WORKSPACE: &str =
    "[[workspaces]]\nid = \"plain\"\nname = \"Plain\"\ntimezone = \"UTC\"\nlocale = \"en\"\n";

/// What the scheduler's tick and the command handler get, the clock fixed at `now`.
fn context(store: &Store, config: Config, now: DateTime<Utc>) -> BotContext {
    BotContext {
        store: store.clone(),
        config: std::sync::Arc::new(config),
        clock: std::sync::Arc::new(pulso::clock::FixedClock(now)),
        command_timeout: StdDuration::from_secs(5),
    }
}

/// How many wallet-balance requests the fake has answered.
fn wallet_calls(fake: &FakeGupshup) -> usize {
    fake.seen()
        .iter()
        .filter(|s| s.path.ends_with("/wallet/balance"))
        .count()
}

/// Every stored reading of `workspace`, oldest first: (read_at, amount).
async fn readings(store: &Store, workspace: &str) -> Vec<(i64, Option<f64>)> {
    let sql =
        "SELECT read_at, amount FROM balance_readings WHERE workspace = $1 ORDER BY read_at, id";
    match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).bind(workspace).fetch_all(pool).await,
        Store::Postgres(pool) => sqlx::query_as(sql).bind(workspace).fetch_all(pool).await,
    }
    .unwrap()
}

/// The scheduler's balance tick polls a Gupshup workspace only once its last stored reading
/// (failed ones included) is the workspace's `poll_every` old (10 minutes here): the first
/// tick polls, ticks before the interval leave Gupshup alone even after a restart, the tick
/// at the interval polls again, and a workspace on another provider is never polled.
async fn balance_tick_polls_only_once_the_interval_has_passed(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config_with(
        &fake.base,
        "",
        &format!("balance = {{ poll_every = \"10m\" }}\n{PLAIN_WORKSPACE}"),
    );
    let monitor = Monitor::new(&config, quick());
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let ctx = context(store, config, t0);
    fake.script([Answer::balance(70.0), Answer::balance(65.0)]);
    fake.always(Answer::text(401, scenarios::BAD_KEY_TEXT));

    let outcomes = balance_tick(&ctx, &monitor, t0).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].reading.as_ref().unwrap().amount, 70.0);
    assert_eq!(wallet_calls(&fake), 1);
    assert_eq!(readings(store, "w").await, [(t0.timestamp(), Some(70.0))]);

    // The scheduler ticks every 30 s; none of these is due. The last one runs on a fresh
    // monitor, as after a restart: the cadence comes from the stored reading.
    let restarted = Monitor::new(&ctx.config, quick());
    for (seconds, monitor) in [(30, &monitor), (300, &monitor), (599, &restarted)] {
        let outcomes = balance_tick(&ctx, monitor, t0 + Duration::seconds(seconds))
            .await
            .unwrap();
        assert!(outcomes.is_empty(), "polled {seconds} s after the reading");
    }
    assert_eq!(wallet_calls(&fake), 1);
    assert_eq!(readings(store, "w").await.len(), 1);

    let t1 = t0 + Duration::minutes(10);
    let outcomes = balance_tick(&ctx, &restarted, t1).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].reading.as_ref().unwrap().amount, 65.0);
    assert_eq!(wallet_calls(&fake), 2);
    assert_eq!(
        readings(store, "w").await,
        [(t0.timestamp(), Some(70.0)), (t1.timestamp(), Some(65.0))]
    );

    // A failed reading (401, not retried) also restarts the interval, so a broken key is
    // not hammered every 30 s.
    let t2 = t1 + Duration::minutes(10);
    let outcomes = balance_tick(&ctx, &restarted, t2).await.unwrap();
    assert!(outcomes[0].reading.as_ref().unwrap_err().is_auth());
    assert!(
        balance_tick(&ctx, &restarted, t2 + Duration::minutes(5))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(wallet_calls(&fake), 3);
    assert_eq!(readings(store, "w").await.len(), 3);
    assert_eq!(readings(store, "w").await[2], (t2.timestamp(), None));
    assert!(readings(store, "plain").await.is_empty());
}

/// `/indicators` through the command handler carries the "⚠️ Gupshup balance" field while
/// the workspace's latest stored reading is under the threshold (a later failed reading
/// does not hide it), and not before any reading, once the balance is healthy again, or
/// for a workspace on another provider, however low a reading stored under its id.
async fn indicators_command_shows_the_balance_only_while_it_is_low(store: &Store) {
    let config = config_with("http://127.0.0.1:9", "", PLAIN_WORKSPACE);
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let ctx = context(store, config, t0 + Duration::hours(1));
    let indicators = |workspace: &str| Invocation {
        command: "indicators".into(),
        workspace: Some(workspace.into()),
        locale: Some("en-US".into()),
        ..Invocation::default()
    };
    let balance_field = |reply: Reply| {
        let embed = reply.embed.expect("an indicators card");
        assert!(
            embed.title.starts_with("Customer service indicators"),
            "{}",
            embed.title
        );
        embed
            .fields
            .into_iter()
            .find(|field| field.name.contains("Gupshup"))
            .map(|field| (field.name, field.value))
    };
    let store_reading = |workspace: &'static str, minutes: i64, amount: Option<f64>| async move {
        let reading = StoredReading {
            read_at: t0 + Duration::minutes(minutes),
            amount,
            currency: amount.map(|_| "USD".to_string()),
            error: amount
                .is_none()
                .then(|| "Gupshup is unreachable".to_string()),
        };
        store
            .insert_balance_reading(workspace, &reading)
            .await
            .unwrap();
    };

    assert_eq!(balance_field(handle(&ctx, &indicators("w")).await), None);
    store_reading("w", 0, Some(41.938)).await;
    store_reading("w", 5, None).await;
    let (name, value) = balance_field(handle(&ctx, &indicators("w")).await)
        .expect("a low balance is shown on /indicators");
    assert_eq!(name, "⚠️ Gupshup balance");
    assert!(
        value.contains("41.94 USD") && value.contains("< 50.00 USD"),
        "{value}"
    );

    store_reading("w", 10, Some(70.0)).await;
    assert_eq!(balance_field(handle(&ctx, &indicators("w")).await), None);

    store_reading("plain", 0, Some(3.0)).await;
    assert_eq!(
        balance_field(handle(&ctx, &indicators("plain")).await),
        None
    );
}

/// Two replicas whose scheduler ticks fire together (their clocks 2 s apart) both find the
/// poll due, but only the one that claims it asks Gupshup: one request, one reading, one
/// alert. The next tick's slot is claimed afresh.
async fn replicas_ticking_together_ask_gupshup_once(store: &Store) {
    let fake = FakeGupshup::start().await;
    let config = config(&fake.base, "");
    // A slow answer keeps the winner's request in flight while the other replica ticks,
    // so the poll is still due for both. 5 USD is critical at once: one alert.
    fake.always(Answer::balance(5.0).delayed(StdDuration::from_millis(150)));
    let (replica_a, replica_b) = (
        Monitor::new(&config, quick()),
        Monitor::new(&config, quick()),
    );
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let ctx = context(store, config, t0);
    let (a, b) = tokio::join!(
        balance_tick(&ctx, &replica_a, t0),
        balance_tick(&ctx, &replica_b, t0 + Duration::seconds(2)),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 1, "one replica polls: {a:?} {b:?}");
    assert_eq!(wallet_calls(&fake), 1, "Gupshup is asked once");
    let kept = a.first().or(b.first()).unwrap();
    assert!(kept.recorded);
    assert_eq!(kept.state.level, Level::Critical);
    assert_eq!(kept.queued.len(), 1);
    assert_eq!(readings(store, "w").await.len(), 1);
    assert_eq!(alert_keys(store).await, kept.queued);
    assert_eq!(
        store.balance_alert_state("w").await.unwrap().level,
        Level::Critical
    );

    // A replica that claimed the next due poll (5 minutes later) and died before asking:
    // the others skip that tick, and the poll, still due, is claimed and made in the next.
    let due = t0 + Duration::minutes(5);
    assert!(
        store
            .claim_balance_poll("w", poll_slot(due), due.timestamp())
            .await
            .unwrap()
    );
    assert!(
        balance_tick(&ctx, &replica_a, due)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(wallet_calls(&fake), 1);
    let next_tick = due + Duration::seconds(30);
    let polled = balance_tick(&ctx, &replica_a, next_tick).await.unwrap();
    assert_eq!(polled.len(), 1);
    assert!(polled[0].recorded);
    assert_eq!(wallet_calls(&fake), 2);
    assert_eq!(readings(store, "w").await.len(), 2);
}

/// The store keeps one poll per workspace and slot when the same poll is written twice at
/// once, and tells the writers which one was kept; another workspace or the next slot is
/// another poll, and manual readings (no slot) are all kept, even in the same second.
async fn same_poll_stored_twice_concurrently_is_one_row(store: &Store) {
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let reading = |at: DateTime<Utc>| StoredReading {
        read_at: at,
        amount: Some(42.0),
        currency: Some("USD".into()),
        error: None,
    };
    let state = AlertState::default();
    let record = |workspace: &'static str, at: DateTime<Utc>, slot: Option<i64>| {
        let reading = reading(at);
        async move {
            store
                .record_balance_poll(workspace, &reading, slot, &state, &[], at.timestamp())
                .await
                .unwrap()
        }
    };
    let slot = Some(poll_slot(t0));
    let (a, b) = tokio::join!(record("w", t0, slot), record("w", t0, slot));
    assert_ne!(a, b, "exactly one of the two writes is kept");
    assert_eq!(readings(store, "w").await, [(t0.timestamp(), Some(42.0))]);

    // A replica a few seconds late is still in the same tick's slot.
    let late = t0 + Duration::seconds(3);
    assert!(!record("w", late, Some(poll_slot(late))).await);
    assert!(record("other", t0, slot).await);
    let next = t0 + Duration::seconds(30);
    assert!(record("w", next, Some(poll_slot(next))).await);
    assert_eq!(readings(store, "w").await.len(), 2);

    assert!(record("w", next, None).await);
    store
        .insert_balance_reading("w", &reading(next))
        .await
        .unwrap();
    store
        .insert_balance_reading("w", &reading(next))
        .await
        .unwrap();
    assert_eq!(readings(store, "w").await.len(), 5);
}

/// A poll's claim is won once per workspace and slot, even when claimed twice at once;
/// another workspace or slot is another claim, and a claim a day older than the latest won
/// one is pruned (a day-old slot is never compared again).
async fn a_poll_is_claimed_once_and_old_claims_are_pruned(store: &Store) {
    let t0 = utc(2026, 11, 2, 12, 0, 0);
    let claim = |workspace: &'static str, at: DateTime<Utc>| async move {
        store
            .claim_balance_poll(workspace, poll_slot(at), at.timestamp())
            .await
            .unwrap()
    };
    let (a, b) = tokio::join!(claim("w", t0), claim("w", t0 + Duration::seconds(3)));
    assert_ne!(a, b, "exactly one of two claims at once is won");
    assert!(claim("other", t0).await);
    assert!(claim("w", t0 + Duration::seconds(30)).await);
    assert!(!claim("w", t0 + Duration::seconds(59)).await);
    let claimed = || async {
        let sql =
            "SELECT poll_slot FROM balance_poll_claims WHERE workspace = 'w' ORDER BY poll_slot";
        let slots: Vec<i64> =
            crate::on_pool!(store, |pool| sqlx::query_scalar(sql).fetch_all(pool).await).unwrap();
        slots
    };
    assert_eq!(claimed().await.len(), 2);
    let day_later = t0 + Duration::days(1) + Duration::seconds(45);
    assert!(claim("w", day_later).await);
    assert_eq!(
        claimed().await,
        [poll_slot(t0 + Duration::seconds(30)), poll_slot(day_later)]
    );
}

crate::backend_tests!(
    persisted_episode_survives_a_restart,
    alert_message_states_balance_threshold_and_days_left,
    commands_show_the_balance_and_guard_the_mute,
    balance_tick_polls_only_once_the_interval_has_passed,
    indicators_command_shows_the_balance_only_while_it_is_low,
    replicas_ticking_together_ask_gupshup_once,
    a_poll_is_claimed_once_and_old_claims_are_pruned,
    same_poll_stored_twice_concurrently_is_one_row
);
