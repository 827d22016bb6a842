//! The only place with SQL: the inquiry database on SQLite or PostgreSQL behind one type.
//!
//! Both backends run the same statements in spirit and are covered by the same tests. Every
//! statement binds instants as integer epoch seconds: SQLite stores them that way, and the
//! PostgreSQL text wraps them in `to_timestamp(…)` so its `timestamptz` columns (and platform
//! views) are compared natively. Durations are computed in SQL as whole seconds on both.

mod aggregate_policy;
mod aggregate_sql;
mod key_ledger;
mod postgres_load;
mod postgres_writer;
pub(crate) mod queries;
mod release;
mod sqlite_changes;
mod sqlite_load;
mod sqlite_rows;
mod sqlite_writer;
mod warm;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::config::{AggregatePolicy, Backend, DatabaseUrl};
pub use aggregate_sql::AggregateStatements;
pub use group_sql::{GroupedReads, grouped_reads};
pub use groups::RECENT_VALUE_DAYS;
pub use key_ledger::{KeyLedger, RepeatedId, Repeats};
use queries::Statements;
pub use sqlite_rows::SQLITE_INSERT_MARKS;
pub use writer::{BATCH_ROWS, InquiryWriter, RepeatedKeys};

/// How long a PostgreSQL query waits for a connection, a reconnect to a server that went
/// away included, before it fails: short enough that a command reaches the user as a private
/// error before the http transport defers (1.5 s) and well inside Discord's 3 s, instead of
/// "thinking…" for as long as the outage lasts. A pool busy for longer than this is
/// overloaded, and saying so beats a late answer.
pub const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// How many connections a [`Store`] may open to its database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Connections {
    /// A pool for a process that serves many callers at once (`pulso run`, tests): up to 4
    /// connections on SQLite, 8 on PostgreSQL.
    #[default]
    Pool,
    /// One connection, for a one-shot command: its statements run one after the other, and
    /// a second connection, opened when a statement starts before the previous one has
    /// handed its connection back, would parse the whole schema again (SQLite) or log in
    /// again (PostgreSQL) for nothing. Nothing pulso runs holds a connection while waiting
    /// for another.
    One,
}

impl Connections {
    fn max(self, pool: u32) -> u32 {
        match self {
            Connections::Pool => pool,
            Connections::One => 1,
        }
    }
}

/// The inquiry database: a connection pool and how it may use day aggregates.
///
/// Cheap to clone (the pool is shared), so commands, jobs and the HTTP server each hold one.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// SQLite's warm connection (unused on PostgreSQL, whose cache is the server's).
    warm: warm::WarmConnection,
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
    /// A write that refuses repeated keys ([`RepeatedKeys::Refuse`]) was given one
    /// `(workspace, id)` twice; nothing was written.
    #[error("the same (workspace, id) was written twice into {table}")]
    RepeatedKey {
        /// The table.
        table: &'static str,
    },
    /// A row changed under every one of several attempts to write over it.
    #[error("the {what} kept changing while pulso stored it; it is tried again next time")]
    Contended {
        /// What was being written.
        what: &'static str,
    },
}

/// The secondary indexes of `inquiries` that both backends' migrations create: a first
/// load drops and rebuilds exactly these (a table with others is left alone).
const INQUIRY_INDEXES: &[&str] = &[
    "inquiries_pending",
    "inquiries_in_progress",
    "inquiries_attended",
    "inquiries_resolved",
    "inquiries_expired",
];

/// The same for `survey_responses`, with the insertion-order index of the low_survey rule.
const SURVEY_INDEXES: &[&str] = &[
    "survey_responses_answered",
    "survey_responses_inserted",
    "survey_responses_inquiry",
];

/// Maps a rusqlite error of the bulk writer to [`StoreError::Write`] naming `what` was
/// being done.
fn failed(what: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Write { what, source }
}

/// Runs `$body` with `$pool` bound to a connection of whichever backend `$store` holds
/// (on SQLite the warm one when it is free, see `warm.rs`), and `$sql` to that backend's
/// statements. The body is written once and type-checked for each backend; it uses the
/// connection as `&mut *pool` for each statement, and returns early with a
/// [`StoreError::Query`] when no connection can be had.
macro_rules! on_backend {
    ($store:expr, |$pool:ident, $sql:ident| $body:expr) => {
        match $store.pool() {
            $crate::store::Pool::Sqlite(pool) => {
                let mut connection = $store
                    .warm
                    .get(pool)
                    .await
                    .map_err($crate::store::query_error("opening a database connection"))?;
                let $pool: &mut sqlx::SqliteConnection = &mut connection;
                let $sql = &$crate::store::queries::SQLITE;
                $body
            }
            $crate::store::Pool::Postgres(pool) => {
                let mut connection = pool
                    .acquire()
                    .await
                    .map_err($crate::store::query_error("opening a database connection"))?;
                let $pool: &mut sqlx::PgConnection = &mut connection;
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
mod whatsapp;
pub use alert_rules::{RuleEvaluation, StoredRuleState};
pub use balance::{BalancePoll, BalanceWrite, StoredReading};
pub use claims::{DigestClaim, DigestRun};
pub use outbox::{MessageFormat, NewMessage, OutboxRow, OutboxStatus};
pub use survey_alerts::{
    ANSWERED_LAG_SECS, LowAnswersQuery, LowSurveyStatements, POSTGRES_LOW_SURVEY,
    POSTGRES_LOW_SURVEY_ANSWERED, SQLITE_LOW_SURVEY,
};
pub use whatsapp::WhatsappPoll;

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
mod group_sql;
mod groups;
mod lists;
mod maintenance;
mod migrations;
mod month_rollups;
mod observations;
mod reads;

impl Store {
    /// Opens the database named by `url`; a missing SQLite file (and its folder) is created.
    ///
    /// # Errors
    /// [`StoreError::Connect`], naming the redacted URL.
    pub async fn connect(url: &DatabaseUrl) -> Result<Store, StoreError> {
        Store::connect_with(url, Connections::Pool).await
    }

    /// [`Store::connect`] with at most `connections` connections.
    ///
    /// # Errors
    /// As [`Store::connect`].
    pub async fn connect_with(
        url: &DatabaseUrl,
        connections: Connections,
    ) -> Result<Store, StoreError> {
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
                    .max_connections(connections.max(4))
                    .test_before_acquire(false)
                    .after_release(release::keep_sqlite_outside_transactions)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Store::new(Pool::Sqlite(pool)))
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url.expose()).map_err(connect_error)?;
                let pool = PgPoolOptions::new()
                    .max_connections(connections.max(8))
                    .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                    .after_release(release::keep_postgres_outside_transactions)
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
            warm: warm::WarmConnection::default(),
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
        Store::open_with(url, Connections::Pool).await
    }

    /// [`Store::open`] with at most `connections` connections.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub async fn open_with(
        url: &DatabaseUrl,
        connections: Connections,
    ) -> Result<Store, StoreError> {
        let store = Store::connect_with(url, connections).await?;
        store.migrate().await?;
        Ok(store)
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
        match &self.pool {
            Pool::Sqlite(pool) => {
                self.warm.close().await;
                pool.close().await;
            }
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    /// Starts an all-or-nothing write of inquiries and survey answers (import, demo data).
    ///
    /// # Errors
    /// [`StoreError::Query`] when no transaction can be started.
    pub async fn writer(&self) -> Result<InquiryWriter, StoreError> {
        InquiryWriter::begin(self, RepeatedKeys::LastWins).await
    }

    /// [`Store::writer`] with a choice of what a key written twice means: `pulso import`
    /// refuses them ([`RepeatedKeys::Refuse`]) and then looks for their lines.
    ///
    /// # Errors
    /// As [`Store::writer`].
    pub async fn writer_with(&self, repeated: RepeatedKeys) -> Result<InquiryWriter, StoreError> {
        InquiryWriter::begin(self, repeated).await
    }

    /// The statements this backend runs; exposed for the query-plan tests.
    pub fn statements(&self) -> &'static Statements {
        match self.pool {
            Pool::Sqlite(_) => &queries::SQLITE,
            Pool::Postgres(_) => &queries::POSTGRES,
        }
    }
}
