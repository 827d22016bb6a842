//! [`TestApp`]: pulso as `pulso run` builds it, on the database of the backend under test,
//! against the fake Discord and the fake Gupshup, on a clock the test moves.
//!
//! Tests drive it the way the outside world does: a slash command ([`TestApp::command`]),
//! a scheduler tick ([`TestApp::tick`]), a request to the running HTTP server
//! ([`TestApp::http`]). Nothing waits for the wall clock's beat and nothing reads a port out
//! of a log line: the app binds port 0 and [`pulso::app::App::address`] reports it.

mod binary;
mod config;
mod screen;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pulso::app::{App, AppOptions, RunError, Services};
use pulso::bot::{Invocation, console, handle};
use pulso::clock::{Clock as _, ManualClock};
use pulso::config::Config;
use pulso::jobs::{
    HealthOutcome, JobContext, PollOutcome, TickReport, balance_tick, digest_tick, whatsapp_tick,
};
use pulso::outbox::{ConsoleSender, DeliveryReport, Sender, deliver_due};
use pulso::render::Reply;
use pulso::store::Store;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use binary::{free_port, run_pulso, wait_for_http};
pub use config::{APP_ID, ConfigBuilder, TOKEN, WorkspaceConfig, signing_key};
pub use screen::Screen;

use crate::fake_discord::FakeDiscord;
use crate::fake_gupshup::FakeGupshup;
use crate::helpers::{TestDb, utc};

/// Where the harness clock starts unless a test sets it.
pub fn default_now() -> DateTime<Utc> {
    utc(2026, 3, 10, 15, 0, 0)
}

/// The scheduler cadence of tests that run the real scheduler: every second, not every 30.
pub const EVERY_SECOND: &str = "*/1 * * * * *";

/// How the app runs, beyond its config; the defaults suit tests that drive ticks themselves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The scheduler's cadence once [`TestApp::http`] starts the app; `None` (the default)
    /// starts no scheduler, so only [`TestApp::tick`] ticks.
    pub tick: Option<&'static str>,
    /// How long an interaction may take before the http transport defers it.
    pub defer_after: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            tick: None,
            defer_after: Duration::from_secs(2),
        }
    }
}

/// Who sends a command: the Discord fields a console line does not carry.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    /// The user's Discord locale.
    pub locale: Option<&'static str>,
    /// The server the command came from.
    pub guild_id: Option<u64>,
    /// An explicit workspace (the console's `--workspace`).
    pub workspace: Option<&'static str>,
    /// Whether the user has Manage Server there.
    pub can_manage_guild: bool,
}

/// One pulso app under test. Build it with [`TestApp::spawn`]; end it with
/// [`TestApp::finish`], which stops the app and drops a PostgreSQL test database.
pub struct TestApp {
    db: TestDb,
    clock: Arc<ManualClock>,
    discord: FakeDiscord,
    gupshup: FakeGupshup,
    services: Services,
    options: AppOptions,
    app: Option<App>,
    running: Option<Running>,
}

struct Running {
    address: SocketAddr,
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), RunError>>,
}

impl TestApp {
    /// Builds the app on `db` with `config` and no scheduler (see [`TestApp::spawn_with`]).
    pub async fn spawn(db: TestDb, config: ConfigBuilder) -> TestApp {
        TestApp::spawn_with(db, config, RunOptions::default()).await
    }

    /// Builds the app as `pulso run` would (the database migrated, the listener bound on
    /// port 0), with the fakes started and the clock at [`default_now`]. Nothing runs yet:
    /// commands and ticks are called directly; [`TestApp::http`] starts the server.
    pub async fn spawn_with(db: TestDb, config: ConfigBuilder, options: RunOptions) -> TestApp {
        TestApp::spawn_on(db, default_now(), options, |db, discord, gupshup| {
            config.build(&db.url, &discord.base, &gupshup.base)
        })
        .await
    }

    /// Builds the app as a first `cargo run` would: on the embedded `config/default.toml`
    /// (console transport, demo data, the demo wallet, its alert rules) on `db`, with the
    /// clock at `now` (demo data is generated up to it) and `[http] listen` on port 0.
    /// Its outbox prints to stdout: deliver with [`TestApp::console_jobs`] to read it.
    pub async fn spawn_default(db: TestDb, now: DateTime<Utc>) -> TestApp {
        TestApp::spawn_on(db, now, RunOptions::default(), |db, _, _| {
            Config::parse_with_env(
                pulso::config::EMBEDDED_DEFAULT,
                pulso::config::ConfigSource::Embedded,
                |name| match name {
                    "PULSO_DATABASE_URL" => Some(db.url.clone()),
                    "PULSO_HTTP_LISTEN" => Some("127.0.0.1:0".into()),
                    _ => None,
                },
            )
            .expect("the embedded default parses")
        })
        .await
    }

    async fn spawn_on(
        db: TestDb,
        now: DateTime<Utc>,
        options: RunOptions,
        config: impl FnOnce(&TestDb, &FakeDiscord, &FakeGupshup) -> Config,
    ) -> TestApp {
        let discord = FakeDiscord::start().await;
        let gupshup = FakeGupshup::start().await;
        let clock = Arc::new(ManualClock::new(now));
        let config = config(&db, &discord, &gupshup);
        let options = AppOptions {
            clock: clock.clone(),
            tick: options.tick.map(str::to_string),
            defer_after: options.defer_after,
        };
        let app = App::build_with(config, options.clone())
            .await
            .expect("build the app");
        TestApp {
            db,
            clock,
            discord,
            gupshup,
            services: app.services().clone(),
            options,
            app: Some(app),
            running: None,
        }
    }

    /// Builds the app again on the same database, config and clock, as a restarted process
    /// would be: a new pool, new Gupshup clients, nothing kept in memory. Not while running.
    pub async fn restart(&mut self) {
        assert!(self.running.is_none(), "stop the app before restarting it");
        self.services.store.close().await;
        let config = Config::clone(&self.services.config);
        let app = App::build_with(config, self.options.clone())
            .await
            .expect("rebuild the app");
        self.services = app.services().clone();
        self.app = Some(app);
    }

    /// The store the app uses (seed data through it; close it to take the database away).
    pub fn store(&self) -> &Store {
        &self.services.store
    }

    /// The app's validated config.
    pub fn config(&self) -> &Arc<Config> {
        &self.services.config
    }

    /// The test database (its URL, for a second pool or the real binary).
    pub fn db(&self) -> &TestDb {
        &self.db
    }

    /// The clock commands, jobs and `/healthz` read.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// Sets the clock to `now`.
    pub fn set_now(&self, now: DateTime<Utc>) {
        self.clock.set(now);
    }

    /// The fake Discord the outbox posts to.
    pub fn discord(&self) -> &FakeDiscord {
        &self.discord
    }

    /// The fake Gupshup the Gupshup workspaces read.
    pub fn gupshup(&self) -> &FakeGupshup {
        &self.gupshup
    }

    /// Answers `line` (console syntax, e.g. `/indicators period:today`) as a user with no
    /// locale and no server would get it.
    pub async fn command(&self, line: &str) -> Reply {
        self.command_as(line, Caller::default()).await
    }

    /// Answers `line` from `caller`: parsed by the console's parser, answered by the same
    /// handler every transport uses.
    pub async fn command_as(&self, line: &str, caller: Caller) -> Reply {
        let invocation = Invocation {
            locale: caller.locale.map(str::to_string),
            guild_id: caller.guild_id,
            workspace: caller.workspace.map(str::to_string),
            can_manage_guild: caller.can_manage_guild,
            ..console::parse_line(line).unwrap_or_else(|problem| panic!("{line}: {problem}"))
        };
        self.invoke(&invocation).await
    }

    /// Answers an invocation built by hand (options the console cannot write).
    pub async fn invoke(&self, invocation: &Invocation) -> Reply {
        handle(&self.services.bot(), invocation).await
    }

    /// The transcript of a console session over `input` (lines as a user types them), on
    /// the console's own loop (help, blank and bad lines included), which [`TestApp::command`]
    /// skips by parsing one line itself.
    pub async fn console(&self, input: &str) -> String {
        let mut output = Vec::new();
        console::run(
            &self.services.bot(),
            None,
            input.as_bytes(),
            &mut output,
            &CancellationToken::new(),
        )
        .await
        .expect("console session");
        String::from_utf8(output).expect("a UTF-8 transcript")
    }

    /// The scheduled jobs' context with an outbox that prints, as the console transport's
    /// does, into `screen` instead of stdout (attachments under `attachments`).
    pub fn console_jobs(&self, screen: &Screen, attachments: &std::path::Path) -> JobContext {
        JobContext {
            sender: Sender::Console(ConsoleSender::new(Box::new(screen.clone()), attachments)),
            ..self.jobs()
        }
    }

    /// What the scheduled jobs get (for tests that run them concurrently or by parts).
    pub fn jobs(&self) -> JobContext {
        self.services
            .jobs()
            .expect("test apps have a token, so jobs run")
    }

    /// The digest job at the harness clock: claims what is due and queues it.
    pub async fn digest_tick(&self) -> TickReport {
        digest_tick(self.store(), self.config(), self.clock.now())
            .await
            .expect("digest tick")
    }

    /// One outbox delivery round at the harness clock.
    pub async fn deliver(&self) -> DeliveryReport {
        let jobs = self.jobs();
        deliver_due(&jobs.store, &jobs.sender, self.clock.now())
            .await
            .expect("delivery round")
    }

    /// The balance job at the harness clock: polls every Gupshup workspace that is due.
    pub async fn balance_tick(&self) -> Vec<PollOutcome> {
        let jobs = self.jobs();
        balance_tick(&jobs.store, &jobs.config, &jobs.monitor, self.clock.now())
            .await
            .expect("balance tick")
    }

    /// The WhatsApp health part of the balance job at the harness clock: reads every due
    /// signal of every Gupshup workspace.
    pub async fn whatsapp_tick(&self) -> Vec<HealthOutcome> {
        let jobs = self.jobs();
        whatsapp_tick(&jobs.store, &jobs.config, &jobs.monitor, self.clock.now())
            .await
            .expect("WhatsApp health tick")
    }

    /// What one beat of the scheduler does: the digest tick and a delivery round, and the
    /// balance polls (a job of their own in the app; one after the other here). Unlike the
    /// scheduler, which logs errors and retries, any error fails the test.
    pub async fn tick(&self) -> (TickReport, DeliveryReport, Vec<PollOutcome>) {
        let digests = self.digest_tick().await;
        let delivered = self.deliver().await;
        (digests, delivered, self.balance_tick().await)
    }

    /// The address of the running app's HTTP server (`/healthz`, `/metrics`,
    /// `/interactions`), starting the app in a task on first call (with the scheduler when
    /// [`RunOptions::tick`] asked for one).
    pub fn http(&mut self) -> SocketAddr {
        assert_ne!(
            self.services.config.discord.transport,
            pulso::config::Transport::Console,
            "test apps do not read stdin: run the console transport through TestApp::console"
        );
        if let Some(app) = self.app.take() {
            let address = app.address();
            let shutdown = CancellationToken::new();
            let task = tokio::spawn(app.run(None, shutdown.clone()));
            self.running = Some(Running {
                address,
                shutdown,
                task,
            });
        }
        self.running.as_ref().expect("started").address
    }

    /// Stops the running app as SIGTERM does (cancels its shutdown token) and waits for it;
    /// returns how long it took. The app closes its pool on the way out: read the database
    /// through [`TestApp::db`] afterwards.
    pub async fn stop(&mut self) -> Duration {
        let running = self.running.take().expect("the app is running");
        let started = std::time::Instant::now();
        running.shutdown.cancel();
        let stopped = tokio::time::timeout(Duration::from_secs(20), running.task)
            .await
            .expect("the app stops within 20 s");
        stopped.expect("app task").expect("the app ran cleanly");
        started.elapsed()
    }

    /// Stops the app if it runs and drops the test database.
    pub async fn finish(mut self) {
        if self.running.is_some() {
            self.stop().await;
        }
        self.services.store.close().await;
        self.db.finish().await;
    }
}

/// Declares each listed `async fn(TestDb)` as two tests, `sqlite::NAME` and
/// `postgres::NAME` (multi-threaded, as the app runs), for bodies that build a [`TestApp`]
/// on the database they are given.
///
/// `app_tests!(current_thread: …)` runs them on a current-thread runtime instead, for tests
/// that capture logs with a thread-local `tracing` subscriber: every task the app spawns
/// (serenity's shard runner included) then logs into it.
#[macro_export]
macro_rules! app_tests {
    (current_thread: $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::helpers::TestDb::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = $crate::helpers::TestDb::postgres().await else { return };
                    super::$name(db).await;
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::TestDb::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::helpers::TestDb::postgres().await else { return };
                    super::$name(db).await;
                }
            )*
        }
    };
}
