//! The outbox upgrade: rows queued by pulso before the outbox stored replies and
//! destinations (Discord's create-message JSON; channel "0" for the console) are still
//! delivered after it, through the same path as new rows, on both backends.

use std::io::Write;
use std::sync::{Arc, Mutex};

use pulso::domain::Destination;
use pulso::outbox::{ConsoleSender, DiscordSender, Sender, deliver_due, nonce};
use pulso::render::{Embed, Field, LinkButton, Reply};
use pulso::store::{Pool, Store};
use serde_json::Value;

use crate::fake_discord::FakeDiscord;
use crate::helpers::*;
use crate::on_pool;

/// The migration that made the outbox transport-neutral.
const UPGRADE: i64 = 20261207000001;

/// Queues a row the way pulso did before the upgrade: Discord's body, a channel id column.
async fn queue_old_row(store: &Store, key: &str, channel: &str, body: &str, status: &str) {
    let sql = "INSERT INTO outbox (dedupe_key, workspace, kind, channel_id, payload, status, \
               message_id, next_attempt_at, created_at) VALUES ($1, 'w', 'digest', $2, $3, $4, $5, 0, 0)";
    let sql = match store.pool() {
        Pool::Sqlite(_) => sql.replace('$', "?"),
        Pool::Postgres(_) => sql.to_string(),
    };
    let message_id = (status == "sent").then_some("900");
    on_pool!(store, |pool| sqlx::query(&sql)
        .bind(key)
        .bind(channel)
        .bind(body)
        .bind(status)
        .bind(message_id)
        .execute(pool)
        .await
        .map(drop)
        .unwrap());
}

fn digest_reply() -> Reply {
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: "Resumen diario · Demo".into(),
            description: Some("Ayer · 23 nov 2026".into()),
            fields: vec![Field {
                name: "Consultas resueltas".into(),
                value: "**120**\n+4 vs. período anterior".into(),
                inline: true,
            }],
            footer: Some("pulso".into()),
            color: Some(0x5865f2),
            image: None,
        }),
        links: vec![LinkButton {
            label: "Ver detalles".into(),
            url: "https://example.com/pending".into(),
        }],
        actions: Vec::new(),
        attachment: None,
    }
}

/// A terminal the test can read back.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<Vec<u8>>>);

impl Write for Screen {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn an_old_discord_row_is_posted_as_it_was_queued(store: &Store) {
    migrate_to_before(store, UPGRADE).await;
    // What the old code stored: the rendered create-message body.
    let old_body = pulso::render::discord::message_payload(digest_reply());
    queue_old_row(store, "digest:old", "555", &old_body, "pending").await;
    queue_old_row(store, "digest:delivered", "555", &old_body, "sent").await;
    store.migrate().await.unwrap();

    let discord = FakeDiscord::start().await;
    let sender =
        Sender::Discord(DiscordSender::new(&discord.base, "token".to_string().into()).unwrap());
    let report = deliver_due(store, &sender, utc(2026, 11, 24, 12, 0, 0))
        .await
        .unwrap();
    assert_eq!(report.sent, 1, "{report:?}");

    let posted = discord.posted();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].channel, "555");
    let old: Value = serde_json::from_str(&old_body).unwrap();
    for key in ["content", "embeds", "components", "allowed_mentions"] {
        assert_eq!(
            posted[0].body[key], old[key],
            "{key} changed in the upgrade"
        );
    }
    assert_eq!(posted[0].body["nonce"], nonce("digest:old").as_str());
    let status = store.outbox_status("digest:old").await.unwrap().unwrap();
    assert_eq!(status.status, "sent");
    assert_eq!(status.message_id.as_deref(), Some(posted[0].id.as_str()));
    assert_eq!(
        status.destination,
        Some(Destination::DiscordChannel { channel_id: 555 })
    );
    // A message delivered before the upgrade keeps its identity: key → message id, where.
    let delivered = store
        .outbox_status("digest:delivered")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (delivered.status.as_str(), delivered.message_id.as_deref()),
        ("sent", Some("900"))
    );
    assert_eq!(
        delivered.destination,
        Some(Destination::DiscordChannel { channel_id: 555 })
    );
}

async fn an_old_console_row_prints_on_the_console(store: &Store) {
    migrate_to_before(store, UPGRADE).await;
    let old_body = pulso::render::discord::message_payload(digest_reply());
    queue_old_row(store, "digest:console", "0", &old_body, "pending").await;
    store.migrate().await.unwrap();

    let screen = Screen::default();
    let folder = tempfile::tempdir().unwrap();
    let sender = Sender::Console(ConsoleSender::new(Box::new(screen.clone()), folder.path()));
    let report = deliver_due(store, &sender, utc(2026, 11, 24, 12, 0, 0))
        .await
        .unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let printed = String::from_utf8(screen.0.lock().unwrap().clone()).unwrap();
    assert_eq!(
        printed,
        format!("\n--- digest for w ---\n{}", digest_reply().to_text())
    );
    let status = store
        .outbox_status("digest:console")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.destination, Some(Destination::Console));
}

/// New rows hold the reply model and a destination, never Discord's JSON or channel 0.
async fn new_rows_store_the_reply_and_where_it_goes(store: &Store) {
    let message = pulso::store::NewMessage {
        dedupe_key: "digest:new".into(),
        workspace: "w".into(),
        kind: "digest".into(),
        destination: Destination::Console,
        payload: digest_reply().to_stored(),
        attachment: None,
        edits: None,
    };
    store.enqueue(&message, 0).await.unwrap();
    let (destination, format, payload): (String, String, String) = on_pool!(store, |pool| {
        sqlx::query_as(
            "SELECT destination, format, payload FROM outbox WHERE dedupe_key = 'digest:new'",
        )
        .fetch_one(pool)
        .await
        .unwrap()
    });
    assert_eq!(
        (destination.as_str(), format.as_str()),
        ("console", "reply")
    );
    assert_eq!(Reply::from_stored(&payload).unwrap(), digest_reply());
    let json: Value = serde_json::from_str(&payload).unwrap();
    assert!(
        json.get("embeds").is_none() && json.get("components").is_none(),
        "{json}"
    );
}

mod sqlite {
    use super::*;

    #[tokio::test]
    async fn new_rows_store_the_reply_and_where_it_goes() {
        let db = TestDb::sqlite().await;
        super::new_rows_store_the_reply_and_where_it_goes(&db.store).await;
        db.finish().await;
    }

    #[tokio::test]
    async fn an_old_discord_row_is_posted_as_it_was_queued() {
        let db = TestDb::sqlite_unmigrated().await;
        super::an_old_discord_row_is_posted_as_it_was_queued(&db.store).await;
        db.finish().await;
    }

    #[tokio::test]
    async fn an_old_console_row_prints_on_the_console() {
        let db = TestDb::sqlite_unmigrated().await;
        super::an_old_console_row_prints_on_the_console(&db.store).await;
        db.finish().await;
    }
}

mod postgres {
    use super::*;

    #[tokio::test]
    async fn new_rows_store_the_reply_and_where_it_goes() {
        let Some(db) = TestDb::postgres().await else {
            return;
        };
        super::new_rows_store_the_reply_and_where_it_goes(&db.store).await;
        db.finish().await;
    }

    #[tokio::test]
    async fn an_old_discord_row_is_posted_as_it_was_queued() {
        let Some(db) = TestDb::postgres_unmigrated().await else {
            return;
        };
        super::an_old_discord_row_is_posted_as_it_was_queued(&db.store).await;
        db.finish().await;
    }

    #[tokio::test]
    async fn an_old_console_row_prints_on_the_console() {
        let Some(db) = TestDb::postgres_unmigrated().await else {
            return;
        };
        super::an_old_console_row_prints_on_the_console(&db.store).await;
        db.finish().await;
    }
}
