//! The app layer: [`Services`] (what commands and jobs share, built once) and [`App`]
//! (`pulso run`: the scheduler, the HTTP server and the transport, until shutdown).
//!
//! [`App::build`] does everything that can fail at start (database, listener, keys) and
//! reports the address it listens on, so tests bind port 0 and read the port from the app
//! rather than from a log line.

mod services;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serenity::interactions_endpoint::Verifier;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use services::{COMMAND_TIMEOUT, CONSOLE_ATTACHMENTS, Services, outbox_sender};

use crate::bot::discord::{self, DiscordError};
use crate::bot::http::{DEFAULT_DEFER_AFTER, InteractionsState};
use crate::bot::{console, gateway, http};
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, Transport};
use crate::health::{self, HealthState};
use crate::jobs::{Runner, TICK_EVERY_30_SECONDS};
use crate::store::StoreError;

/// Longest shutdown waits for in-flight work.
pub const SHUTDOWN_DRAIN: Duration = Duration::from_secs(8);

/// Why `pulso run` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Discord refused the client.
    #[error(transparent)]
    Discord(#[from] DiscordError),
    /// The scheduler could not start.
    #[error("cannot start the scheduler: {0}")]
    Scheduler(#[from] tokio_cron_scheduler::JobSchedulerError),
    /// A socket or the terminal failed.
    #[error("{what}: {source}")]
    Io {
        /// What pulso was doing.
        what: String,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// What a test (or an embedding program) may change about how the app runs; the defaults
/// are what `pulso run` uses.
#[derive(Clone)]
pub struct AppOptions {
    /// "Now" for commands and jobs.
    pub clock: Arc<dyn Clock>,
    /// The scheduler's cadence (six-field cron, seconds first); `None` starts no scheduler,
    /// for tests that drive the ticks themselves.
    pub tick: Option<String>,
    /// How long an interaction may take before the http transport defers it.
    pub defer_after: Duration,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            clock: Arc::new(SystemClock),
            tick: Some(TICK_EVERY_30_SECONDS.to_string()),
            defer_after: DEFAULT_DEFER_AFTER,
        }
    }
}

/// A built `pulso run`: services ready, the HTTP listener bound, nothing running yet.
pub struct App {
    services: Services,
    listener: TcpListener,
    address: SocketAddr,
    options: AppOptions,
}

impl App {
    /// Builds the app as `pulso run` does.
    ///
    /// # Errors
    /// [`RunError`]: the database, the listener (`[http] listen`) or the Discord keys.
    pub async fn build(config: Config) -> Result<App, RunError> {
        App::build_with(config, AppOptions::default()).await
    }

    /// Builds the app with `options` (tests: a fixed clock, no scheduler, port 0).
    ///
    /// # Errors
    /// As [`App::build`].
    pub async fn build_with(config: Config, options: AppOptions) -> Result<App, RunError> {
        let listen = config.http.listen;
        let services = Services::build_with_clock(config, options.clock.clone()).await?;
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| RunError::Io {
                what: format!("http.listen: cannot listen on {listen} (change [http] listen)"),
                source,
            })?;
        let address = listener.local_addr().map_err(|source| RunError::Io {
            what: "http.listen".into(),
            source,
        })?;
        Ok(App {
            services,
            listener,
            address,
            options,
        })
    }

    /// The address `/healthz`, `/metrics` and `/interactions` answer on (the real port when
    /// `[http] listen` asked for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The shared services, for callers that also drive jobs or commands directly.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Runs until `shutdown` is cancelled (or the console's input and then a signal, or the
    /// gateway, end): the scheduler, the HTTP server and the configured transport. On the
    /// console, `workspace` picks the workspace commands are about.
    ///
    /// # Errors
    /// [`RunError`].
    pub async fn run(
        self,
        workspace: Option<String>,
        shutdown: CancellationToken,
    ) -> Result<(), RunError> {
        let App {
            services,
            listener,
            address,
            options,
        } = self;
        let settings = services.config.discord.clone();
        let runner = match (services.jobs(), &options.tick) {
            (Some(jobs), Some(tick)) => Some(Runner::start(jobs, tick).await?),
            (None, _) => {
                tracing::info!("no Discord token: scheduled digests and alerts are off");
                None
            }
            (Some(_), None) => None,
        };
        let ctx = services.bot();
        let health = Arc::new(HealthState {
            store: services.store.clone(),
            heartbeat: runner.as_ref().map(|runner| runner.heartbeat.clone()),
            clock: services.clock.clone(),
            started: std::time::Instant::now(),
        });
        let mut router = health::router(health);
        let tracker = TaskTracker::new();
        if settings.transport == Transport::Http {
            let state = Arc::new(InteractionsState {
                ctx: ctx.clone(),
                verifier: verifier(&settings)?,
                http: Arc::new(discord::http_client(&settings)),
                defer_after: options.defer_after,
                tracker: tracker.clone(),
            });
            router = router.merge(http::router(state));
            tracing::info!(%address, "interactions endpoint listening on POST /interactions");
        }
        tracing::info!(%address, "health and metrics on GET /healthz and /metrics");
        let server = tokio::spawn(http::serve(
            listener,
            router,
            tracker.clone(),
            shutdown.clone(),
            SHUTDOWN_DRAIN,
        ));
        let result = match settings.transport {
            Transport::Console => run_console(&ctx, workspace, &shutdown).await,
            Transport::Gateway => gateway::run(
                ctx.clone(),
                &settings,
                options.defer_after,
                shutdown.clone(),
            )
            .await
            .map_err(RunError::from),
            Transport::Http => {
                shutdown.cancelled().await;
                Ok(())
            }
        };
        // Whatever stopped us, stop everything else too.
        shutdown.cancel();
        // The server drains deferred answers for up to SHUTDOWN_DRAIN after it stops.
        match tokio::time::timeout(2 * SHUTDOWN_DRAIN, server).await {
            Ok(Ok(Err(error))) => tracing::warn!(%error, "http server stopped with an error"),
            Err(_) => tracing::warn!("http server did not stop in time"),
            _ => {}
        }
        if let Some(runner) = runner {
            runner.stop(SHUTDOWN_DRAIN).await;
        }
        services.store.close().await;
        result
    }
}

/// Serves commands from stdin until it closes, then keeps the jobs running until shutdown.
async fn run_console(
    ctx: &crate::bot::BotContext,
    workspace: Option<String>,
    shutdown: &CancellationToken,
) -> Result<(), RunError> {
    let name = ctx
        .config
        .workspace(workspace.as_deref())
        .map_err(|problem| RunError::Io {
            what: "--workspace".into(),
            source: std::io::Error::other(problem),
        })?;
    println!(
        "pulso console · {} ({}) · type /help, Ctrl-C to stop",
        name.name, name.id
    );
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    console::run(ctx, workspace, stdin, tokio::io::stdout(), shutdown)
        .await
        .map_err(|source| RunError::Io {
            what: "console".into(),
            source,
        })?;
    if !shutdown.is_cancelled() {
        tracing::info!("stdin closed; pulso keeps running until Ctrl-C or SIGTERM");
        shutdown.cancelled().await;
    }
    Ok(())
}

/// `pulso run`: builds the app and runs it until `shutdown`.
///
/// # Errors
/// [`RunError`].
pub async fn run(
    config: Config,
    workspace: Option<String>,
    shutdown: CancellationToken,
) -> Result<(), RunError> {
    App::build(config).await?.run(workspace, shutdown).await
}

// DiscordError carries serenity's error by value; this runs once at startup.
#[allow(clippy::result_large_err)]
fn verifier(settings: &crate::config::DiscordSettings) -> Result<Verifier, DiscordError> {
    let key = settings.public_key.ok_or_else(|| {
        DiscordError::Setup("discord.public_key is required for transport \"http\"".into())
    })?;
    Verifier::try_new(key)
        .map_err(|_| DiscordError::Setup("discord.public_key is not a valid Ed25519 key".into()))
}
