//! WhatsApp health rules against the fake Gupshup Partner API, on both backends: the
//! issue's scripted sequence through `pulso alerts check` alone (cli.rs), the ratings'
//! once-a-day limit across a restart and two replicas, template news once each, failures
//! on the unknown track (rules.rs), and what `/whatsapp`, `/alerts status` and the digest
//! show (commands.rs).

mod cli;
mod commands;
mod rules;

use pulso::store::{Pool, Store};

use crate::harness::WorkspaceConfig;

/// The Gupshup partner workspace of these tests: `w` (guild 1001), alerts to channel 555.
fn partner_workspace() -> WorkspaceConfig {
    WorkspaceConfig::new("w", "Equipo")
        .guild(1001)
        .alerts_channel(555)
        .gupshup(", mode = \"partner\", app_id = \"app-1\"")
}

/// A waba/info answer with `canSendMessage` = `can_send`.
fn account(can_send: &str) -> String {
    format!(
        r#"{{"status":"success","wabaInfo":{{"accountStatus":"ACTIVE","dockerStatus":"CONNECTED","messagingLimit":"TIER_1K","phone":"5491100000000","phoneQuality":"GREEN","wabaId":"216141188246170","canSendMessage":"{can_send}"}}}}"#
    )
}

/// A ratings answer with a tier event.
fn ratings(quality: &str, old: &str, current: &str, event: &str) -> String {
    format!(
        r#"{{"oldLimit":"{old}","currentLimit":"{current}","event":"{event}","eventTime":1764583200000,"phoneQuality":"{quality}"}}"#
    )
}

/// A template list: `order_update` with `status`, and `welcome` approved.
fn templates(status: &str) -> String {
    format!(
        r#"{{"status":"success","templates":[{{"id":"tpl-1","elementName":"order_update","languageCode":"es","category":"UTILITY","status":"{status}","quality":"GREEN"}},{{"id":"tpl-2","elementName":"welcome","languageCode":"es","category":"MARKETING","status":"APPROVED","quality":"GREEN"}}]}}"#
    )
}

/// Dedupe keys of every alert message queued (edits left out), oldest first.
async fn alert_keys(store: &Store) -> Vec<String> {
    let sql = "SELECT dedupe_key FROM outbox WHERE kind = 'alert' ORDER BY id";
    match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}
