//! Shared test plumbing: fresh databases on both backends and small data builders.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use pulso::config::{DatabaseUrl, Locale, Workspace};
use pulso::domain::{Inquiry, InquiryStatus, SurveyKind, SurveyResponse};
use pulso::store::Store;

/// Environment variable with an admin URL of a PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "PULSO_TEST_POSTGRES_URL";
/// When set to 1, a missing `PULSO_TEST_POSTGRES_URL` fails the PostgreSQL tests instead of
/// skipping them (CI sets it, so the PostgreSQL half can never silently not run).
pub const REQUIRE_POSTGRES_ENV: &str = "PULSO_REQUIRE_POSTGRES";

/// A migrated, empty store that cleans up after itself.
pub struct TestDb {
    /// The store under test.
    pub store: Store,
    /// Its URL, for tests that run the binary against the same database.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// A fresh SQLite file in a temporary folder.
    pub async fn sqlite() -> TestDb {
        let db = TestDb::sqlite_unmigrated().await;
        db.store.migrate().await.expect("migrate sqlite");
        db
    }

    /// A fresh PostgreSQL database, or `None` when no server is configured.
    pub async fn postgres() -> Option<TestDb> {
        let db = TestDb::postgres_unmigrated().await?;
        db.store.migrate().await.expect("migrate postgres");
        Some(db)
    }

    /// [`TestDb::sqlite`] without the schema, for tests of an upgrade from older migrations.
    pub async fn sqlite_unmigrated() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("pulso.db").display());
        let store = Store::connect(&DatabaseUrl::parse(&url, false).unwrap())
            .await
            .expect("open sqlite");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// [`TestDb::postgres`] without the schema.
    pub async fn postgres_unmigrated() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            if std::env::var(REQUIRE_POSTGRES_ENV).as_deref() == Ok("1") {
                panic!("{REQUIRE_POSTGRES_ENV}=1 but {POSTGRES_ENV} is not set");
            }
            eprintln!("skipped: {POSTGRES_ENV} is not set");
            return None;
        };
        let name = format!("pulso_test_{}", uuid::Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&admin_url)
            .await
            .expect("connect to the PostgreSQL admin URL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create test database");
        // Tests need no durability; skipping the fsync per commit makes them several times faster.
        sqlx::query(&format!(
            "ALTER DATABASE {name} SET synchronous_commit = off"
        ))
        .execute(&admin)
        .await
        .expect("configure test database");
        admin.close().await;
        let mut url = url::Url::parse(&admin_url).expect("admin URL");
        url.set_path(&name);
        let url = url.to_string();
        let store = Store::connect(&DatabaseUrl::parse(&url, true).unwrap())
            .await
            .expect("open postgres");
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }

    /// Closes the store and drops a PostgreSQL test database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Cleanup::Postgres { admin_url, name } = self.cleanup {
            let admin = sqlx::PgPool::connect(&admin_url).await.expect("admin");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin)
                .await
                .expect("drop test database");
            admin.close().await;
        }
    }
}

/// Runs `$body` with `$pool` bound to the store's pool: the pool types differ by backend,
/// so a body that reads the same on both is written once and expanded for each.
#[macro_export]
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match $store.pool() {
            pulso::store::Pool::Sqlite($pool) => $body,
            pulso::store::Pool::Postgres($pool) => $body,
        }
    };
}

/// Declares each listed `async fn(&Store)` as two tests, `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = $crate::helpers::TestDb::sqlite().await;
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = $crate::helpers::TestDb::postgres().await else { return };
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// A UTC instant from its parts.
pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

/// A local date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A workspace in `timezone`.
pub fn workspace(id: &str, timezone: chrono_tz::Tz) -> Workspace {
    let defaults = pulso::config::Config::parse(
        "[database]\nurl = \"sqlite://x.db\"\n[[workspaces]]\nid = \"x\"\nname = \"x\"\ntimezone = \"UTC\"\nlocale = \"en\"\n",
        pulso::config::ConfigSource::Embedded,
        None,
    )
    .unwrap()
    .workspaces
    .remove(0);
    Workspace {
        id: id.into(),
        name: format!("Workspace {id}"),
        timezone,
        locale: Locale::En,
        guild_id: None,
        links: Default::default(),
        ..defaults
    }
}

/// A pending inquiry requested at `requested_at`.
pub fn pending(workspace: &str, id: &str, requested_at: DateTime<Utc>) -> Inquiry {
    Inquiry {
        workspace: workspace.into(),
        id: id.into(),
        channel: "whatsapp".into(),
        origin: "payments".into(),
        status: InquiryStatus::Pending,
        operator_id: None,
        requested_at,
        attended_at: None,
        resolved_at: None,
        expired_at: None,
    }
}

/// An inquiry attended `wait_min` minutes after it was requested, still in progress.
pub fn in_progress(
    workspace: &str,
    id: &str,
    requested_at: DateTime<Utc>,
    wait_min: i64,
) -> Inquiry {
    Inquiry {
        status: InquiryStatus::InProgress,
        operator_id: Some("op-1".into()),
        attended_at: Some(requested_at + chrono::Duration::minutes(wait_min)),
        ..pending(workspace, id, requested_at)
    }
}

/// An inquiry attended after `wait_min` and resolved `work_min` later.
pub fn resolved(
    workspace: &str,
    id: &str,
    requested_at: DateTime<Utc>,
    wait_min: i64,
    work_min: i64,
) -> Inquiry {
    let attended = requested_at + chrono::Duration::minutes(wait_min);
    Inquiry {
        status: InquiryStatus::Resolved,
        resolved_at: Some(attended + chrono::Duration::minutes(work_min)),
        ..in_progress(workspace, id, requested_at, wait_min)
    }
}

/// An inquiry that expired `after_min` minutes after it was requested, never attended.
pub fn expired(workspace: &str, id: &str, requested_at: DateTime<Utc>, after_min: i64) -> Inquiry {
    Inquiry {
        status: InquiryStatus::Expired,
        expired_at: Some(requested_at + chrono::Duration::minutes(after_min)),
        ..pending(workspace, id, requested_at)
    }
}

/// A survey answer.
pub fn answer(
    workspace: &str,
    id: &str,
    kind: SurveyKind,
    score: i16,
    answered_at: DateTime<Utc>,
) -> SurveyResponse {
    SurveyResponse {
        workspace: workspace.into(),
        id: id.into(),
        inquiry_id: None,
        kind,
        score,
        answered_at,
    }
}

/// Writes rows in one transaction.
pub async fn insert(store: &Store, inquiries: &[Inquiry], surveys: &[SurveyResponse]) {
    let mut writer = store.writer().await.expect("writer");
    writer
        .upsert_inquiries(inquiries.to_vec())
        .await
        .expect("upsert inquiries");
    writer
        .upsert_surveys(surveys.to_vec())
        .await
        .expect("upsert surveys");
    writer.commit().await.expect("commit");
}

/// Brings a fresh database to the schema just before migration `version`, as an older pulso
/// left it, for tests of the upgrade that migration makes.
pub async fn migrate_to_before(store: &Store, version: i64) {
    let mut migrator = match store.pool() {
        pulso::store::Pool::Sqlite(_) => sqlx::migrate!("migrations/sqlite"),
        pulso::store::Pool::Postgres(_) => sqlx::migrate!("migrations/postgres"),
    };
    let older: Vec<_> = migrator
        .migrations
        .iter()
        .filter(|migration| migration.version < version)
        .cloned()
        .collect();
    assert!(
        older.len() < migrator.migrations.len(),
        "{version} is a migration"
    );
    migrator.migrations = std::borrow::Cow::Owned(older);
    crate::on_pool!(store, |pool| migrator.run(pool).await.unwrap());
}
