//! The only place with SQL: the inquiry database on SQLite or PostgreSQL behind one type.
//!
//! Both backends run the same statements in spirit and are covered by the same tests. Every
//! statement binds instants as integer epoch seconds: SQLite stores them that way, and the
//! PostgreSQL text wraps them in `to_timestamp(…)` so its `timestamptz` columns (and platform
//! views) are compared natively. Durations are computed in SQL as whole seconds on both.

mod aggregate_policy;
mod aggregate_sql;
mod postgres_load;
mod postgres_writer;
pub(crate) mod queries;
mod sqlite_rows;
mod sqlite_writer;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::config::{AggregatePolicy, Backend, DatabaseUrl};
use crate::domain::{OpenInquiry, ResolvedSample, Window, WindowSamples};
pub use aggregate_sql::AggregateStatements;
use queries::Statements;
pub use sqlite_rows::SQLITE_INSERT_MARKS;
pub use writer::{BATCH_ROWS, InquiryWriter};

/// How long a PostgreSQL query waits for a connection, a reconnect to a server that went
/// away included, before it fails: short enough that a command reaches the user as a private
/// error before the http transport defers (1.5 s) and well inside Discord's 3 s, instead of
/// "thinking…" for as long as the outage lasts. A pool busy for longer than this is
/// overloaded, and saying so beats a late answer.
pub const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// The inquiry database: a connection pool and how it may use day aggregates.
///
/// Cheap to clone (the pool is shared), so commands, jobs and the HTTP server each hold one.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    aggregates: AggregatePolicy,
}

/// A connection pool of either backend. Exposed so tests and the benchmark can run SQL of
/// their own against the very database pulso uses.
#[derive(Debug, Clone)]
pub enum Pool {
    /// The embedded default.
    Sqlite(SqlitePool),
    /// Production.
    Postgres(PgPool),
}

/// Why the database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Opening the database failed.
    #[error("cannot open the database at {url}: {source}")]
    Connect {
        /// The URL with any password redacted.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A statement failed.
    #[error("database error while {what}: {source}")]
    Query {
        /// What pulso was doing.
        what: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A statement of the SQLite bulk writer (its own rusqlite connection) failed.
    #[error("database error while {what}: {source}")]
    Write {
        /// What pulso was doing.
        what: &'static str,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The runtime stopped the SQLite bulk writer's blocking task before it ran (shutdown).
    #[error("the import writer stopped before finishing: {0}")]
    WriterStopped(tokio::task::JoinError),
    /// A name pulso must write into SQL text (it cannot be bound) is not safe to.
    #[error("{name:?} cannot be used as a {what}")]
    BadName {
        /// What the name is for, and what it may contain.
        what: &'static str,
        /// The name given.
        name: String,
    },
    /// A row changed under every one of several attempts to write over it.
    #[error("the {what} kept changing while pulso stored it; it is tried again next time")]
    Contended {
        /// What was being written.
        what: &'static str,
    },
}

/// Runs `$body` with `$pool` bound to whichever backend pool `$store` holds, and `$sql` to
/// that backend's statements. The body is written once and type-checked for each backend.
macro_rules! on_backend {
    ($store:expr, |$pool:ident, $sql:ident| $body:expr) => {
        match $store.pool() {
            $crate::store::Pool::Sqlite($pool) => {
                let $sql = &$crate::store::queries::SQLITE;
                $body
            }
            $crate::store::Pool::Postgres($pool) => {
                let $sql = &$crate::store::queries::POSTGRES;
                $body
            }
        }
    };
}

mod alert_rules;
mod balance;
mod claims;
mod demo;
mod outbox;
mod survey_alerts;
pub use alert_rules::{RuleEvaluation, StoredRuleState};
pub use balance::{BalancePoll, BalanceWrite, StoredReading};
pub use claims::{DigestClaim, DigestRun};
pub use outbox::{MessageFormat, NewMessage, OutboxRow, OutboxStatus};
pub use survey_alerts::{
    ANSWERED_LAG_SECS, LowAnswersQuery, LowSurveyStatements, POSTGRES_LOW_SURVEY,
    POSTGRES_LOW_SURVEY_ANSWERED, SQLITE_LOW_SURVEY,
};

fn query_error(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { what, source }
}

/// Reads the [`WindowSamples`] of `[$start, $end)` (epoch seconds) through `$executor`,
/// which is evaluated once per statement (so `&mut *tx` reborrows).
macro_rules! read_window {
    ($executor:expr, $sql:expr, $workspace:expr, $start:expr, $end:expr) => {{
        let (workspace, start, end): (&str, i64, i64) = ($workspace, $start, $end);
        let pending: i64 = sqlx::query_scalar($sql.pending_in_window)
            .bind(workspace)
            .bind(start)
            .bind(end)
            .fetch_one($executor)
            .await
            .map_err(query_error("counting pending inquiries"))?;
        let expired: i64 = sqlx::query_scalar($sql.expired_in_window)
            .bind(workspace)
            .bind(start)
            .bind(end)
            .fetch_one($executor)
            .await
            .map_err(query_error("counting expired inquiries"))?;
        let attention: Option<String> = sqlx::query_scalar($sql.attention_in_window)
            .bind(workspace)
            .bind(start)
            .bind(end)
            .fetch_one($executor)
            .await
            .map_err(query_error("reading attention times"))?;
        let attention_secs = $crate::store::lists::parse_seconds_list(attention.as_deref())
            .map_err(query_error("reading attention times"))?;
        let resolved: Option<String> = sqlx::query_scalar($sql.resolved_in_window)
            .bind(workspace)
            .bind(start)
            .bind(end)
            .fetch_one($executor)
            .await
            .map_err(query_error("reading resolution times"))?;
        let resolved = $crate::store::lists::parse_resolved_list(resolved.as_deref())
            .map_err(query_error("reading resolution times"))?;
        let surveys: Vec<(String, i64, i64)> = sqlx::query_as($sql.surveys_in_window)
            .bind(workspace)
            .bind(start)
            .bind(end)
            .fetch_all($executor)
            .await
            .map_err(query_error("reading survey answers"))?;
        samples_from_rows(pending, expired, attention_secs, resolved, surveys)
    }};
}

mod aggregates;
mod lists;
mod maintenance;
mod observations;

impl Store {
    /// Opens the database named by `url`; a missing SQLite file (and its folder) is created.
    ///
    /// # Errors
    /// [`StoreError::Connect`], naming the redacted URL.
    pub async fn connect(url: &DatabaseUrl) -> Result<Store, StoreError> {
        let connect_error = |source| StoreError::Connect {
            url: url.to_string(),
            source,
        };
        match url.backend() {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url.expose())
                    .map_err(connect_error)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    // Takes effect only when a file is created (docs/performance.md): 16 KiB
                    // pages made bulk imports 15 % faster than 4 KiB ones (fewer B-tree
                    // splits and shallower trees); the cache stays 2,000 KiB.
                    .page_size(16_384)
                    .busy_timeout(Duration::from_secs(5));
                if let Some(folder) = options.get_filename().parent() {
                    if !folder.as_os_str().is_empty() {
                        std::fs::create_dir_all(folder)
                            .map_err(|error| connect_error(sqlx::Error::Io(error)))?;
                    }
                }
                // A connection to a local file cannot go stale: skipping the ping before
                // each acquire saves a round trip to the driver's thread per query.
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Store::new(Pool::Sqlite(pool)))
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url.expose()).map_err(connect_error)?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Store::new(Pool::Postgres(pool)))
            }
        }
    }

    fn new(pool: Pool) -> Store {
        Store {
            pool,
            aggregates: AggregatePolicy::DEFAULT,
        }
    }

    /// The same database under another aggregate policy (from `[database]`; the default
    /// is [`AggregatePolicy::DEFAULT`]).
    pub fn with_aggregates(self, aggregates: AggregatePolicy) -> Store {
        Store { aggregates, ..self }
    }

    /// The aggregate policy answers follow.
    pub fn aggregates(&self) -> AggregatePolicy {
        self.aggregates
    }

    /// The connection pool, for SQL of the caller's own (tests, the benchmark).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Opens the database and brings its schema up to date.
    ///
    /// # Errors
    /// As [`Store::connect`] and [`Store::migrate`].
    pub async fn open(url: &DatabaseUrl) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations of `migrations/<backend>/` that have not run yet.
    ///
    /// # Errors
    /// [`StoreError::Migrate`].
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Pool::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Checks that the database answers, for health checks.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_backend!(self, |pool, _sql| {
            // `CAST(1 AS BIGINT)`: a bare `1` is INT4 on PostgreSQL, which sqlx refuses to
            // decode as i64 (every /healthz was 503 there).
            sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
                .fetch_one(pool)
                .await
                .map(drop)
                .map_err(query_error("checking the database"))
        })
    }

    /// Which backend this store talks to.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every connection, waiting for checked-out ones to come back.
    pub async fn close(&self) {
        on_backend!(self, |pool, _sql| pool.close().await)
    }

    /// Reads the facts behind the windowed indicators of one workspace, live (exact, but it
    /// reads every row of the window: see [`Store::period_facts`] for the fast path).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn window_samples(
        &self,
        workspace: &str,
        window: Window,
    ) -> Result<WindowSamples, StoreError> {
        let (start, end) = (window.start.timestamp(), window.end.timestamp());
        crate::telemetry::timed_query("window_samples", async {
            on_backend!(self, |pool, sql| Ok(read_window!(
                pool, sql, workspace, start, end
            )))
        })
        .await
    }

    /// Inquiries an operator is attending right now.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn in_progress_count(&self, workspace: &str) -> Result<u64, StoreError> {
        on_backend!(self, |pool, sql| {
            sqlx::query_scalar::<_, i64>(sql.in_progress_now)
                .bind(workspace)
                .fetch_one(pool)
                .await
                .map(|count| count.max(0) as u64)
                .map_err(query_error("counting inquiries in progress"))
        })
    }

    /// The pending inquiry that has waited longest: its id and `requested_at`.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn oldest_pending(
        &self,
        workspace: &str,
    ) -> Result<Option<(String, DateTime<Utc>)>, StoreError> {
        let row: Option<(String, i64)> = on_backend!(self, |pool, sql| {
            sqlx::query_as(sql.oldest_pending)
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map_err(query_error("finding the oldest pending inquiry"))?
        });
        Ok(row.and_then(|(id, at)| DateTime::from_timestamp(at, 0).map(|at| (id, at))))
    }

    /// The `limit` longest-waiting pending inquiries requested in `window`, oldest first.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn oldest_pending_in_window(
        &self,
        workspace: &str,
        window: Window,
        limit: u32,
    ) -> Result<Vec<OpenInquiry>, StoreError> {
        let rows: Vec<OpenRow> = on_backend!(self, |pool, sql| {
            sqlx::query_as(sql.oldest_pending_in_window)
                .bind(workspace)
                .bind(window.start.timestamp())
                .bind(window.end.timestamp())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .map_err(query_error("listing pending inquiries"))?
        });
        Ok(rows.into_iter().filter_map(open_inquiry).collect())
    }

    /// The `limit` inquiries in progress that were requested longest ago.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn oldest_in_progress(
        &self,
        workspace: &str,
        limit: u32,
    ) -> Result<Vec<OpenInquiry>, StoreError> {
        let rows: Vec<OpenRow> = on_backend!(self, |pool, sql| {
            sqlx::query_as(sql.oldest_in_progress)
                .bind(workspace)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .map_err(query_error("listing inquiries in progress"))?
        });
        Ok(rows.into_iter().filter_map(open_inquiry).collect())
    }

    /// Whether the workspace has any inquiry at all (demo data fills only empty ones).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn has_inquiries(&self, workspace: &str) -> Result<bool, StoreError> {
        on_backend!(self, |pool, sql| {
            sqlx::query_scalar::<_, i64>(sql.any_inquiry)
                .bind(workspace)
                .fetch_optional(pool)
                .await
                .map(|row| row.is_some())
                .map_err(query_error("checking for inquiries"))
        })
    }

    /// Starts an all-or-nothing write of inquiries and survey answers (import, demo data).
    ///
    /// # Errors
    /// [`StoreError::Query`] when no transaction can be started.
    pub async fn writer(&self) -> Result<InquiryWriter, StoreError> {
        InquiryWriter::begin(self).await
    }

    /// The statements this backend runs; exposed for the query-plan tests.
    pub fn statements(&self) -> &'static Statements {
        on_backend!(self, |_pool, sql| sql)
    }
}

/// `(id, channel, origin, operator_id, requested_at)` as both backends return it.
type OpenRow = (String, String, String, Option<String>, i64);

fn open_inquiry((id, channel, origin, operator_id, requested_at): OpenRow) -> Option<OpenInquiry> {
    Some(OpenInquiry {
        id,
        channel,
        origin,
        operator_id,
        requested_at: DateTime::from_timestamp(requested_at, 0)?,
    })
}

fn samples_from_rows(
    pending: i64,
    expired: i64,
    attention_secs: Vec<i64>,
    resolved: Vec<(Option<i64>, i64)>,
    surveys: Vec<(String, i64, i64)>,
) -> WindowSamples {
    let mut samples = WindowSamples {
        pending: pending.max(0) as u64,
        expired: expired.max(0) as u64,
        attention_secs,
        resolved: resolved
            .into_iter()
            .map(
                |(resolution_secs, attention_resolution_secs)| ResolvedSample {
                    resolution_secs,
                    attention_resolution_secs,
                },
            )
            .collect(),
        ..WindowSamples::default()
    };
    for (kind, score, count) in surveys {
        let count = count.max(0) as u64;
        match (kind.as_str(), usize::try_from(score)) {
            ("nps", Ok(score @ 0..=10)) => samples.nps_histogram[score] += count,
            ("csat", Ok(score @ 1..=5)) => samples.csat_histogram[score - 1] += count,
            // Only a platform view can hold these (import refuses them); say so, don't count.
            _ => tracing::warn!(
                kind,
                score,
                count,
                "ignoring survey answers outside the contract"
            ),
        }
    }
    samples
}
