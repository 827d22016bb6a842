//! [`Services`]: the shared state of one pulso process, built once and handed to the
//! command handler, the scheduled jobs and the one-shot CLI commands.

use std::sync::Arc;
use std::time::Duration;

use crate::bot::BotContext;
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, DiscordSettings, Transport};
use crate::demo;
use crate::gupshup::RetryPolicy;
use crate::jobs::{self, JobContext, Monitor};
use crate::outbox::{ConsoleSender, DISCORD_API, DiscordSender, Sender};
use crate::store::{Connections, Store, StoreError};

/// Longest a command may run before it answers "the database is slow".
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the console transport writes digest charts and other attachments.
pub const CONSOLE_ATTACHMENTS: &str = "data/digests";

/// Everything commands and jobs use, built once per process so the pool, the Gupshup token
/// cache and the clock are shared rather than rebuilt per call.
#[derive(Clone)]
pub struct Services {
    /// The inquiry database (with the configured aggregate policy).
    pub store: Store,
    /// The validated configuration.
    pub config: Arc<Config>,
    /// "Now"; fixed in tests and by `--now`.
    pub clock: Arc<dyn Clock>,
    /// Longest a command may take before it answers "the database is slow".
    pub command_timeout: Duration,
    /// Delivers outbox messages; `None` on a Discord transport without a bot token (then
    /// scheduled digests and alerts are off and one-shot posts are refused).
    pub sender: Option<Sender>,
    /// Gupshup clients of every Gupshup workspace.
    pub monitor: Arc<Monitor>,
}

impl Services {
    /// Opens and migrates the database, fills empty workspaces with demo data and moves the
    /// live demo queue on to now when `[demo] enabled`, and builds the sender and the
    /// Gupshup clients, on the system clock.
    ///
    /// # Errors
    /// [`StoreError`] when the database cannot be opened, migrated or filled.
    pub async fn build(config: Config) -> Result<Services, StoreError> {
        Services::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// [`Services::build`] on a given clock (tests, `--now`).
    ///
    /// # Errors
    /// As [`Services::build`].
    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Services, StoreError> {
        Services::build_with(config, clock, Connections::Pool).await
    }

    /// [`Services::build_with_clock`] for a command that answers once and exits: one
    /// database connection (see [`Connections::One`]).
    ///
    /// # Errors
    /// As [`Services::build`].
    pub async fn one_shot(config: Config, clock: Arc<dyn Clock>) -> Result<Services, StoreError> {
        Services::build_with(config, clock, Connections::One).await
    }

    async fn build_with(
        config: Config,
        clock: Arc<dyn Clock>,
        connections: Connections,
    ) -> Result<Services, StoreError> {
        let store = Store::open_with(&config.database, connections)
            .await?
            .with_aggregates(config.aggregates);
        if config.demo.enabled {
            let filled =
                demo::fill_empty_workspaces(&store, &config.workspaces, &config.demo, clock.now())
                    .await?;
            if filled > 0 {
                tracing::info!(
                    workspaces = filled,
                    "filled empty workspaces with demo data"
                );
            }
            // The live queue as of now, before any command reads it (the tick keeps it so).
            jobs::demo_tick(&store, &config, clock.now()).await?;
        }
        let sender = outbox_sender(&config.discord);
        let monitor = Arc::new(Monitor::new(&config, &store, RetryPolicy::default()));
        Ok(Services {
            store,
            config: Arc::new(config),
            clock,
            command_timeout: COMMAND_TIMEOUT,
            sender,
            monitor,
        })
    }

    /// What the command handler needs.
    pub fn bot(&self) -> BotContext {
        BotContext {
            store: self.store.clone(),
            config: self.config.clone(),
            clock: self.clock.clone(),
            command_timeout: self.command_timeout,
        }
    }

    /// What the scheduled jobs need; `None` without a sender (nothing could be delivered).
    pub fn jobs(&self) -> Option<JobContext> {
        Some(JobContext {
            store: self.store.clone(),
            config: self.config.clone(),
            clock: self.clock.clone(),
            sender: self.sender.clone()?,
            monitor: self.monitor.clone(),
        })
    }
}

/// Where scheduled messages go: the terminal on the console transport, Discord otherwise
/// (`None` without a token).
pub fn outbox_sender(settings: &DiscordSettings) -> Option<Sender> {
    if settings.transport == Transport::Console {
        return Some(Sender::Console(ConsoleSender::new(
            Box::new(std::io::stdout()),
            CONSOLE_ATTACHMENTS,
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
