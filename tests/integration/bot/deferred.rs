//! A slow database behind the interactions endpoint: an answer slower than the deferral
//! threshold is deferred and then edited in; one slower than the command timeout ends in a
//! private error. The database is made slow for real, by checking out every connection of
//! the app's pool, not by sleeping in production code.

use pulso::app::COMMAND_TIMEOUT;
use pulso::store::Pool;

use super::*;

crate::app_tests!(slow_answer_is_deferred_then_patched_into_the_original_message);

/// The app defers after 100 ms, so a held pool makes any command late.
fn defer_quickly() -> RunOptions {
    RunOptions {
        defer_after: Duration::from_millis(100),
        ..RunOptions::default()
    }
}

/// Checks out every connection of the app's pool (until one more is not granted within
/// 200 ms), so commands wait for the database: a real "slow database". Dropping what it
/// returns gives the connections back.
async fn hold_every_connection(store: &Store) -> Vec<Box<dyn Send>> {
    async fn drain<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> Vec<Box<dyn Send>> {
        let mut held: Vec<Box<dyn Send>> = Vec::new();
        while let Ok(Ok(connection)) =
            tokio::time::timeout(Duration::from_millis(200), pool.acquire()).await
        {
            held.push(Box::new(connection));
        }
        assert!(!held.is_empty());
        held
    }
    match store.pool() {
        Pool::Sqlite(pool) => drain(pool).await,
        Pool::Postgres(pool) => drain(pool).await,
    }
}

/// A command slower than the deferral threshold answers "thinking…" (type 5) and the real
/// answer is PATCHed into the original message through the REST API.
async fn slow_answer_is_deferred_then_patched_into_the_original_message(db: TestDb) {
    let mut app = TestApp::spawn_with(db, bot_config(), defer_quickly()).await;
    seed(app.store()).await;
    let address = app.http();
    let held = hold_every_connection(app.store()).await;
    let (status, reply) = post(
        address,
        &command("inquiries", &[("status", "pending")], "en-US", Some(1001)),
    )
    .await;
    assert_eq!((status, reply["type"].clone()), (200, json!(5)), "{reply}");
    assert!(
        app.discord().requests().is_empty(),
        "nothing is sent while the database is busy"
    );
    drop(held);
    let requests = app.discord().wait_for(1).await;
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
    app.finish().await;
}

/// A database too slow even for a deferred answer ends in a private "try again" for the
/// user: the public "thinking…" message is deleted and the error sent as an ephemeral
/// follow-up, once the app's own command timeout ([`COMMAND_TIMEOUT`], 10 s) runs out.
///
/// SQLite only: the app cannot be given a shorter command timeout, and PostgreSQL's pool
/// gives up on a connection after 5 s, before it, which is the "cannot read the database"
/// answer of `unreachable_database_gets_a_clear_reply`, not this one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_slow_database_ends_in_a_private_error_after_deferring() {
    let mut app = TestApp::spawn_with(TestDb::sqlite().await, bot_config(), defer_quickly()).await;
    let address = app.http();
    let held = hold_every_connection(app.store()).await;
    let (_, reply) = post(address, &command("indicators", &[], "es-419", Some(1001))).await;
    assert_eq!(reply["type"], 5);
    // The fake waits up to 5 s more for the two calls after the timeout.
    tokio::time::sleep(COMMAND_TIMEOUT).await;
    let requests = app.discord().wait_for(2).await;
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
    app.finish().await;
}
