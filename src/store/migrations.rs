//! Bringing the schema up to date, which every command does on start.
//!
//! A database that is already current (nearly every start) is recognised with one read of
//! sqlx's bookkeeping table, instead of the migrator's create-if-missing, dirty check,
//! list and (PostgreSQL) advisory lock and unlock: about a fifth of a millisecond of a
//! one-shot command on SQLite, and four round trips on PostgreSQL. Anything else (a
//! migration not applied, a failed one, a changed checksum, an unknown version, no table
//! yet) takes the migrator's full path, which applies what is missing or reports exactly
//! what it always did.

use sqlx::migrate::Migrator;

use super::{Pool, Store, StoreError};

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// Every row of sqlx's table: `(version, checksum, success)`.
const APPLIED: &str = "SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version";

type Applied = Vec<(i64, Vec<u8>, bool)>;

impl Store {
    /// Applies the migrations of `migrations/<backend>/` that have not run yet.
    ///
    /// # Errors
    /// [`StoreError::Migrate`].
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let applied: Option<Applied> = sqlx::query_as(APPLIED).fetch_all(pool).await.ok();
                if !applied.is_some_and(|applied| current(&SQLITE, &applied)) {
                    SQLITE.run(pool).await?;
                }
            }
            Pool::Postgres(pool) => {
                let applied: Option<Applied> = sqlx::query_as(APPLIED).fetch_all(pool).await.ok();
                if !applied.is_some_and(|applied| current(&POSTGRES, &applied)) {
                    POSTGRES.run(pool).await?;
                }
            }
        }
        Ok(())
    }
}

/// Whether `applied` (sorted by version) is exactly `migrator`'s migrations, each applied
/// successfully with the same checksum: then the migrator would do nothing.
fn current(migrator: &Migrator, applied: &[(i64, Vec<u8>, bool)]) -> bool {
    let mut expected = migrator
        .iter()
        .filter(|migration| !migration.migration_type.is_down_migration());
    let mut applied = applied.iter();
    loop {
        match (expected.next(), applied.next()) {
            (None, None) => return true,
            (Some(migration), Some((version, checksum, success))) => {
                if !success
                    || migration.version != *version
                    || migration.checksum.as_ref() != checksum.as_slice()
                {
                    return false;
                }
            }
            _ => return false,
        }
    }
}
