//! SQLite: one connection that pulso's statements use whenever it is free.
//!
//! Each SQLite connection has a page cache, a parsed schema and prepared statements of its
//! own. sqlx's pool hands its idle connections out in turn (first in, first out), and a
//! connection is back in the pool only after a ping, so a busy process opens all of them
//! and every answer runs on the connection it used least recently: measured at 10M
//! inquiries, breakdowns and filtered answers took 1.5 to 4 times as long rotated over four
//! connections as on one (docs/performance.md, "One warm connection"). So statements run on
//! one warm connection, and only one that starts while it is busy takes a connection from
//! the pool: concurrent callers still run in parallel, and sequential ones find the pages
//! the previous answer read.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{Connection, Sqlite, SqliteConnection, SqlitePool};
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

/// The warm connection, opened on first use (taken out of the pool for good).
#[derive(Debug, Clone, Default)]
pub(super) struct WarmConnection(Arc<Mutex<Option<SqliteConnection>>>);

/// A connection for one store call: the warm one, or one of the pool's while it is busy.
pub(super) enum SqliteHandle {
    /// The warm connection, held until the call ends.
    Warm(OwnedMappedMutexGuard<Option<SqliteConnection>, SqliteConnection>),
    /// A pool connection, for a call that started while the warm one was busy.
    Pooled(PoolConnection<Sqlite>),
}

impl WarmConnection {
    /// The warm connection if no other call holds it, else a connection of `pool`.
    ///
    /// # Errors
    /// Opening a connection failed.
    pub(super) async fn get(&self, pool: &SqlitePool) -> Result<SqliteHandle, sqlx::Error> {
        let Ok(mut guard) = Arc::clone(&self.0).try_lock_owned() else {
            return Ok(SqliteHandle::Pooled(pool.acquire().await?));
        };
        discard_if_left_in_transaction(&mut guard).await;
        if guard.is_none() {
            *guard = Some(pool.acquire().await?.detach());
        }
        match OwnedMutexGuard::try_map(guard, Option::as_mut) {
            Ok(connection) => Ok(SqliteHandle::Warm(connection)),
            Err(_) => unreachable!("the warm connection was just opened"),
        }
    }

    /// Closes the warm connection, waiting for the call that holds it to end.
    pub(super) async fn close(&self) {
        if let Some(connection) = self.0.lock().await.take() {
            if let Err(error) = connection.close().await {
                tracing::warn!(%error, "closing the warm database connection failed");
            }
        }
    }
}

/// A caller dropped half-way (a timed-out command) can leave the warm connection inside a
/// transaction (src/store/release.rs says how), and the connection would then refuse every
/// `BEGIN` and hold an old snapshot. Such a connection is closed (SQLite rolls the
/// transaction back) and the next call opens a fresh one, as the pool does with its own.
async fn discard_if_left_in_transaction(warm: &mut Option<SqliteConnection>) {
    let Some(connection) = warm.as_mut() else {
        return;
    };
    if !super::release::sqlite_left_in_transaction(connection).await {
        return;
    }
    tracing::debug!("replacing the warm database connection left inside a transaction");
    if let Some(connection) = warm.take() {
        // Closing may fail on a broken connection; dropping it closes the handle anyway.
        let _ = connection.close().await;
    }
}

impl Deref for SqliteHandle {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        match self {
            SqliteHandle::Warm(connection) => connection,
            SqliteHandle::Pooled(connection) => connection,
        }
    }
}

impl DerefMut for SqliteHandle {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        match self {
            SqliteHandle::Warm(connection) => connection,
            SqliteHandle::Pooled(connection) => connection,
        }
    }
}
