//! Every command migrates on start, and a current database is recognised with one read:
//! that shortcut must never skip a migration or hide a problem the migrator reports.

use pulso::store::{Store, StoreError};

use crate::helpers::*;

crate::backend_tests!(
    a_failed_migration_is_still_reported,
    a_changed_migration_is_still_reported,
);

#[tokio::test]
async fn a_database_behind_is_migrated_on_sqlite() {
    a_database_behind_is_migrated(TestDb::sqlite_unmigrated().await).await;
}

#[tokio::test]
async fn a_database_behind_is_migrated_on_postgres() {
    if let Some(db) = TestDb::postgres_unmigrated().await {
        a_database_behind_is_migrated(db).await;
    }
}

/// The versions applied successfully, in order.
async fn applied(store: &Store) -> Vec<i64> {
    let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
    crate::on_pool!(store, |pool| sqlx::query_scalar(sql)
        .fetch_all(pool)
        .await
        .unwrap())
}

/// One migration behind (as an older pulso left it), `migrate` applies it; then the
/// database is current and migrating again changes nothing.
async fn a_database_behind_is_migrated(db: TestDb) {
    let migrator = match db.store.pool() {
        pulso::store::Pool::Sqlite(_) => sqlx::migrate!("migrations/sqlite"),
        pulso::store::Pool::Postgres(_) => sqlx::migrate!("migrations/postgres"),
    };
    let all: Vec<i64> = migrator.iter().map(|migration| migration.version).collect();
    let last = *all.last().unwrap();
    migrate_to_before(&db.store, last).await;
    assert_eq!(applied(&db.store).await, all[..all.len() - 1]);
    db.store.migrate().await.unwrap();
    assert_eq!(applied(&db.store).await, all);
    db.store.migrate().await.unwrap();
    assert_eq!(applied(&db.store).await, all);
    db.finish().await;
}

async fn a_failed_migration_is_still_reported(store: &Store) {
    let sql = "UPDATE _sqlx_migrations SET success = false \
         WHERE version = (SELECT max(version) FROM _sqlx_migrations)";
    crate::on_pool!(store, |pool| {
        sqlx::query(sql).execute(pool).await.unwrap();
    });
    let error = store.migrate().await.unwrap_err();
    assert!(matches!(error, StoreError::Migrate(_)), "{error}");
    assert!(error.to_string().contains("partially applied"), "{error}");
}

async fn a_changed_migration_is_still_reported(store: &Store) {
    let blob = match store.pool() {
        pulso::store::Pool::Sqlite(_) => "X'00'",
        pulso::store::Pool::Postgres(_) => "'\\x00'::bytea",
    };
    let sql = format!(
        "UPDATE _sqlx_migrations SET checksum = {blob} \
         WHERE version = (SELECT min(version) FROM _sqlx_migrations)"
    );
    crate::on_pool!(store, |pool| {
        sqlx::query(&sql).execute(pool).await.unwrap();
    });
    let error = store.migrate().await.unwrap_err();
    assert!(matches!(error, StoreError::Migrate(_)), "{error}");
    assert!(error.to_string().contains("modified"), "{error}");
}
