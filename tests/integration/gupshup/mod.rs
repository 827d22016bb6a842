//! Gupshup balance: the client against a fake Gupshup (every reference scenario, retries,
//! timeouts, connection refused, partner tokens), the WhatsApp health calls against it
//! (health_client) and the demo's health (health_demo), config checks, persisted alert episodes,
//! the scheduler's poll cadence, one Gupshup call per tick across replicas, the commands
//! (the `/indicators` balance field included), `/alerts … rule:balance`, and the upgrade
//! that made the balance a rule of the alert engine, on both backends. `pulso balance
//! --check` end to end: gupshup_cli.rs; the balance alert's buttons: bot/balance_buttons.rs.
//! This file holds the shared fixtures; the tests are in the submodules.

mod alerts;
mod client;
mod commands;
mod controls;
mod health_client;
mod health_demo;
mod polls;
mod ticks;
mod upgrade;

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use pulso::alerting::{POLL_LEASE_SECS, poll_slot};
use pulso::config::{Config, ConfigSource, Workspace};
use pulso::domain::{Destination, RuleLevel, RuleState};
use pulso::gupshup::{GupshupClient, GupshupError, RetryPolicy};
use pulso::jobs::{Monitor, balance_tick, poll_workspace};
use pulso::render::Reply;
use pulso::store::{BalancePoll, BalanceWrite, Pool, Store, StoredReading};

use crate::fake_gupshup::{Answer, FakeGupshup, scenarios};
use crate::harness::{Caller, ConfigBuilder, EVERY_SECOND, RunOptions, TestApp, WorkspaceConfig};
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

/// The Gupshup workspace of these tests: `w` (guild 1001), alerts to channel 555, `extra`
/// keys in its `gupshup` table.
fn gupshup_workspace(extra: &str) -> WorkspaceConfig {
    WorkspaceConfig::new("w", "Equipo")
        .guild(1001)
        .alerts_channel(555)
        .gupshup(extra)
}

/// A second workspace (guild 1002), on another WhatsApp provider.
fn plain_workspace() -> WorkspaceConfig {
    WorkspaceConfig::new("plain", "Plain").guild(1002)
}

/// A config with one Gupshup workspace reading Gupshup at `base`, for tests of the client
/// alone (no app, no database).
fn config(base: &str, gupshup: &str) -> Config {
    ConfigBuilder::with([gupshup_workspace(gupshup)]).build(
        "sqlite://unused.db",
        "http://127.0.0.1:9",
        base,
    )
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
