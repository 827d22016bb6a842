//! Gupshup balance: the client against a fake Gupshup (every reference scenario, retries,
//! timeouts, connection refused, partner tokens), config checks, persisted alert episodes,
//! the scheduler's poll cadence, one Gupshup call per tick across replicas, and the commands
//! (the `/indicators` balance field included) on both backends. `pulso balance --check` end
//! to end: gupshup_cli.rs.
//! This file holds the shared fixtures; the tests are in the submodules.

mod alerts;
mod client;
mod polls;

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use pulso::alerting::{POLL_LEASE_SECS, poll_slot};
use pulso::bot::{BotContext, Invocation, handle};
use pulso::config::{Config, ConfigSource, Workspace};
use pulso::domain::{AlertState, Destination, Level};
use pulso::gupshup::{GupshupClient, GupshupError, RetryPolicy};
use pulso::jobs::Runner;
use pulso::jobs::{Monitor, balance_tick, poll_workspace};
use pulso::outbox::{ConsoleSender, Sender};
use pulso::render::Reply;
use pulso::store::{Pool, Store, StoredReading};

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
    config_in("en", base, gupshup, more)
}

/// [`config_with`] with the workspace in `locale`.
fn config_in(locale: &str, base: &str, gupshup: &str, more: &str) -> Config {
    let text = format!(
        "[database]\nurl = \"sqlite://unused.db\"\n[[workspaces]]\nid = \"w\"\nname = \"Equipo\"\n\
         timezone = \"UTC\"\nlocale = \"{locale}\"\nalerts_channel_id = \"555\"\nwhatsapp = {{ provider = \"gupshup\" }}\n\
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

async fn alert_keys(store: &Store) -> Vec<String> {
    let sql = "SELECT dedupe_key FROM outbox WHERE kind = 'alert' ORDER BY id";
    match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
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
    match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_as(sql).bind(workspace).fetch_all(pool).await,
        Pool::Postgres(pool) => sqlx::query_as(sql).bind(workspace).fetch_all(pool).await,
    }
    .unwrap()
}
