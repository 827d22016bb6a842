//! What a connection must not carry back into the pool: a transaction its last holder opened
//! and abandoned.
//!
//! A caller dropped half-way (an answer that timed out, a task cancelled at shutdown) can
//! leave its connection inside a transaction that nothing will end: on PostgreSQL, sqlx 0.8
//! counts a transaction only once the server has answered its `BEGIN`, so a caller dropped
//! while it waits for that answer leaves the `BEGIN` sent and no rollback queued; on SQLite,
//! one dropped after the `BEGIN` ran but before sqlx checked its effect leaves it counted and
//! open. The pool would hand that connection to the next caller *inside* the transaction:
//! after an answer's read, every later read on it would see the snapshot of that moment, and
//! every write would fail (read-only on PostgreSQL, a stale snapshot on SQLite) until the
//! connection closed. So each connection is checked as it comes back, off the caller's path
//! (the pool returns connections from a task of its own), and one found inside a transaction
//! is closed, which ends the transaction (a `ROLLBACK` would too, but closing also drops
//! whatever else its last holder left set on the session).

use std::future::Future;
use std::pin::Pin;

use sqlx::pool::PoolConnectionMetadata;
use sqlx::{Connection as _, Executor as _, PgConnection, Row as _, SqliteConnection};

/// What the pool's `after_release` hook returns: whether to keep the connection.
type Keep<'c> = Pin<Box<dyn Future<Output = Result<bool, sqlx::Error>> + Send + 'c>>;

/// PostgreSQL: keeps a released connection only if it is outside a transaction, asking the
/// server (one round trip), since the driver's own count can miss one.
///
/// Sent as a simple query: outside a transaction block it runs in a transaction of its
/// own, whose start time PostgreSQL copies from the statement's start time, so `now()`
/// equals `statement_timestamp()` exactly; inside a block `now()` is the time of the
/// `BEGIN`, a statement received in an earlier message. (Not as a prepared statement: the
/// extended protocol restarts the statement clock at each of its messages, so the two
/// differ even outside a block.) Inside a failed block the query errs, and the pool closes
/// that connection too.
pub(super) fn keep_postgres_outside_transactions(
    connection: &mut PgConnection,
    _: PoolConnectionMetadata,
) -> Keep<'_> {
    Box::pin(async move {
        let outside: bool = connection
            .fetch_one("SELECT now() = statement_timestamp()")
            .await?
            .try_get(0)?;
        Ok(keep_if_outside(outside))
    })
}

/// SQLite: keeps a released connection only if it is outside a transaction.
pub(super) fn keep_sqlite_outside_transactions(
    connection: &mut SqliteConnection,
    _: PoolConnectionMetadata,
) -> Keep<'_> {
    Box::pin(async move {
        let inside = sqlite_left_in_transaction(connection).await;
        Ok(keep_if_outside(!inside))
    })
}

/// Both backends' verdict: keep a connection outside a transaction, say why one is closed.
fn keep_if_outside(outside: bool) -> bool {
    if !outside {
        tracing::warn!("closing a database connection its last holder left inside a transaction");
    }
    outside
}

/// Whether a SQLite connection is still inside a transaction once the statements queued on
/// it have run. The driver counts SQLite transactions on the connection's own thread, and a
/// dropped `Transaction` queues its rollback there, so the count is exact after a ping; the
/// ping is skipped when there is nothing to wait for.
pub(super) async fn sqlite_left_in_transaction(connection: &mut SqliteConnection) -> bool {
    if !connection.is_in_transaction() {
        return false;
    }
    connection.ping().await.is_err() || connection.is_in_transaction()
}
