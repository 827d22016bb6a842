//! Database housekeeping the benchmark needs: creating (and dropping) its PostgreSQL
//! databases, and settling a filled database (checkpoint or vacuum) before measuring its
//! size. Here because `store` is the only module that speaks SQL.

use super::{Pool, Store, StoreError, query_error};
use crate::config::DatabaseUrl;

impl Store {
    /// Creates the PostgreSQL database `url` names when it does not exist, connecting to
    /// the server's `postgres` database to do it. The name must be letters, digits and `_`
    /// (it cannot be bound as a parameter).
    ///
    /// # Errors
    /// [`StoreError::BadName`] for another name; [`StoreError::Connect`] or
    /// [`StoreError::Query`] from the server.
    pub async fn create_postgres_database(url: &DatabaseUrl) -> Result<(), StoreError> {
        let (pool, name) = admin_pool(url).await?;
        let exists: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(&name)
                .fetch_optional(&pool)
                .await
                .map_err(query_error("looking for the database"))?;
        if exists.is_none() {
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&pool)
                .await
                .map_err(query_error("creating the database"))?;
        }
        pool.close().await;
        Ok(())
    }

    /// Drops the PostgreSQL database `url` names, if it exists: the benchmark's scratch
    /// database (its shuffled import) must not outlive the run, and only `store` speaks SQL.
    /// Same name rules and errors as [`Store::create_postgres_database`].
    ///
    /// # Errors
    /// [`StoreError::BadName`], [`StoreError::Connect`] or [`StoreError::Query`].
    pub async fn drop_postgres_database(url: &DatabaseUrl) -> Result<(), StoreError> {
        let (pool, name) = admin_pool(url).await?;
        let dropped = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&pool)
            .await
            .map_err(query_error("dropping the database"));
        pool.close().await;
        dropped.map(|_| ())
    }

    /// Checkpoints the WAL into the file (SQLite) or vacuums and analyses (PostgreSQL, as
    /// autovacuum would), then returns the database's size in bytes: SQLite's page count ×
    /// page size (the file's size after the checkpoint), PostgreSQL's `pg_database_size`.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn settle_and_size(&self) -> Result<u64, StoreError> {
        match self.pool() {
            Pool::Sqlite(pool) => {
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(pool)
                    .await
                    .map_err(query_error("checkpointing"))?;
                let bytes: i64 = sqlx::query_scalar(
                    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                )
                .fetch_one(pool)
                .await
                .map_err(query_error("measuring the database"))?;
                Ok(bytes.max(0) as u64)
            }
            Pool::Postgres(pool) => {
                sqlx::query("VACUUM (ANALYZE)")
                    .execute(pool)
                    .await
                    .map_err(query_error("vacuuming"))?;
                let bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
                    .fetch_one(pool)
                    .await
                    .map_err(query_error("measuring the database"))?;
                Ok(bytes.max(0) as u64)
            }
        }
    }
}

/// A connection to the server's `postgres` database, and the (checked) name of the
/// database `url` names, for the statements that cannot run inside that database.
async fn admin_pool(url: &DatabaseUrl) -> Result<(sqlx::PgPool, String), StoreError> {
    let mut admin = url::Url::parse(url.expose()).map_err(|_| StoreError::BadName {
        what: "database URL",
        name: url.to_string(),
    })?;
    let name = admin.path().trim_start_matches('/').to_string();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::BadName {
            what: "database name (letters, digits and '_')",
            name,
        });
    }
    admin.set_path("/postgres");
    let pool = sqlx::PgPool::connect(admin.as_str())
        .await
        .map_err(|source| StoreError::Connect {
            url: url.to_string(),
            source,
        })?;
    Ok((pool, name))
}
