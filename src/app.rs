//! `pulso run`: open the database, then serve commands on the configured transport until
//! a shutdown signal.

use std::sync::Arc;
use std::time::Duration;

use serenity::interactions_endpoint::Verifier;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::bot::discord::{self, DiscordError};
use crate::bot::http::{DEFAULT_DEFER_AFTER, InteractionsState};
use crate::bot::{BotContext, console, gateway, http};
use crate::clock::SystemClock;
use crate::config::{Config, Transport};
use crate::demo;
use crate::health::{self, HealthState};
use crate::outbox::{ConsoleSender, DISCORD_API, DiscordSender, Sender};
use crate::schedule::runner::Runner;
use crate::store::{Store, StoreError};

/// Longest a command may run before it answers "the database is slow".
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);
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

/// Opens the store (filling empty workspaces with demo data when enabled) and builds the
/// command handler's context.
///
/// # Errors
/// [`StoreError`].
pub async fn context(config: Config) -> Result<BotContext, StoreError> {
    let store = Store::open(&config.database).await?;
    let clock = Arc::new(SystemClock);
    if config.demo.enabled {
        let now = crate::clock::Clock::now(clock.as_ref());
        let filled =
            demo::fill_empty_workspaces(&store, &config.workspaces, &config.demo, now).await?;
        if filled > 0 {
            tracing::info!(
                workspaces = filled,
                "filled empty workspaces with demo data"
            );
        }
    }
    Ok(BotContext {
        store,
        config: Arc::new(config),
        clock,
        command_timeout: COMMAND_TIMEOUT,
    })
}

/// Serves slash commands on the configured transport until `shutdown` is cancelled.
///
/// # Errors
/// [`RunError`].
pub async fn run(
    config: Config,
    workspace: Option<String>,
    shutdown: CancellationToken,
) -> Result<(), RunError> {
    let settings = config.discord.clone();
    let listen = config.http.listen;
    let ctx = context(config).await?;
    let runner = match outbox_sender(&settings) {
        Some(sender) => Some(Runner::start(ctx.clone(), sender).await?),
        None => {
            tracing::info!("no Discord token: scheduled digests and alerts are off");
            None
        }
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| RunError::Io {
            what: format!("http.listen: cannot listen on {listen} (change [http] listen)"),
            source,
        })?;
    let address = listener.local_addr().map_err(|source| RunError::Io {
        what: "http.listen".into(),
        source,
    })?;
    let health = Arc::new(HealthState {
        store: ctx.store.clone(),
        heartbeat: runner.as_ref().map(|runner| runner.heartbeat.clone()),
        clock: ctx.clock.clone(),
        started: std::time::Instant::now(),
    });
    let mut router = health::router(health);
    let tracker = TaskTracker::new();
    if settings.transport == Transport::Http {
        let state = Arc::new(InteractionsState {
            ctx: ctx.clone(),
            verifier: verifier(&settings)?,
            http: Arc::new(discord::http_client(&settings)),
            defer_after: DEFAULT_DEFER_AFTER,
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
        Transport::Console => {
            let name = &ctx
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
            console::run(&ctx, workspace, stdin, tokio::io::stdout(), &shutdown)
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
        Transport::Gateway => gateway::run(
            ctx.clone(),
            &settings,
            DEFAULT_DEFER_AFTER,
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
    ctx.store.close().await;
    result
}

/// Where scheduled messages go: the terminal on the console transport, Discord otherwise
/// (`None` without a token).
pub fn outbox_sender(settings: &crate::config::DiscordSettings) -> Option<Sender> {
    if settings.transport == Transport::Console {
        return Some(Sender::Console(ConsoleSender::new(
            Box::new(std::io::stdout()),
            "data/digests",
        )));
    }
    let token = settings.token.clone()?;
    let base = settings.api_base.as_deref().unwrap_or(DISCORD_API);
    match DiscordSender::new(base, token) {
        Ok(sender) => Some(Sender::Discord(sender)),
        Err(error) => {
            tracing::error!(%error, "cannot build the Discord HTTP client");
            None
        }
    }
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
