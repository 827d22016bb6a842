//! Scheduled work: digests ([`digests`]), the alert rules ([`rules`]), the live demo queue
//! ([`demo`]), the Gupshup balance monitor ([`balance`]) and the WhatsApp health rules
//! ([`whatsapp`]), driven by [`Runner`].
//!
//! The periodic driver: two tokio-cron-scheduler jobs in UTC every 30 seconds. One runs the
//! digest tick and one outbox delivery round; the other polls the Gupshup balances that are
//! due (each workspace every `balance.poll_every`, judged from its last stored reading, so
//! restarts keep the cadence), then the WhatsApp health signals that are due. They are separate so that a slow or unreachable Gupshup
//! (a poll may wait up to [`crate::alerting::POLL_TIME_LIMIT`]) never holds up digests or
//! deliveries; the alerts a poll queues go out with the next delivery round.

pub mod balance;
mod balance_alerts;
pub mod demo;
pub mod digests;
pub mod rules;
mod survey_alerts;
pub mod whatsapp;

use std::sync::Arc;
use std::time::Duration;

use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};
use tokio_util::task::TaskTracker;

pub use balance::{Monitor, PollOutcome, balance_tick, poll_workspace};
pub use demo::demo_tick;
pub use digests::{LATE_AFTER, TickReport, digest_tick, occurrences, schedule_key};
pub use rules::{RuleOutcome, evaluate_workspace, rules_tick};
pub use whatsapp::{HealthOutcome, whatsapp_tick};

use crate::alerting::UNKNOWN_AFTER;
use crate::clock::Clock;
use crate::config::Config;
use crate::domain::{RuleLevel, RuleState};
use crate::outbox::{Sender, deliver_due};
use crate::store::Store;
use crate::telemetry::Heartbeat;

/// Six-field (seconds first) UTC pattern of the tick. Its period is
/// [`crate::alerting::POLL_SLOT_SECS`], the slot that stores a balance poll once across replicas.
pub const TICK_EVERY_30_SECONDS: &str = "*/30 * * * * *";

/// What the scheduled jobs need, built once by the app and shared by every tick.
#[derive(Clone)]
pub struct JobContext {
    /// The database: inquiries, claims, the outbox.
    pub store: Store,
    /// The validated configuration.
    pub config: Arc<Config>,
    /// "Now"; fixed in tests.
    pub clock: Arc<dyn Clock>,
    /// Delivers outbox messages (Discord or the terminal).
    pub sender: Sender,
    /// Gupshup clients, built once so partner tokens stay cached.
    pub monitor: Arc<Monitor>,
}

/// One tick: claim due digests, move the live demo queue on, evaluate the alert rules,
/// then deliver what is due. Errors are logged; the next tick retries (claims, state
/// versions, idempotent demo rows and the outbox make repeats harmless).
pub async fn tick(ctx: &JobContext, heartbeat: &Heartbeat) {
    let now = ctx.clock.now();
    if let Err(error) = digest_tick(&ctx.store, &ctx.config, now).await {
        tracing::error!(%error, "digest tick failed");
    }
    if let Err(error) = demo_tick(&ctx.store, &ctx.config, now).await {
        tracing::error!(%error, "live demo queue tick failed");
    }
    if let Err(error) = rules_tick(&ctx.store, &ctx.config, now).await {
        tracing::error!(%error, "alert rules tick failed");
    }
    match deliver_due(&ctx.store, &ctx.sender, ctx.clock.now()).await {
        Ok(report) if report != Default::default() => tracing::debug!(?report, "outbox round"),
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "outbox delivery failed"),
    }
    heartbeat.beat(now.timestamp());
}

/// A rule's state as its alert gauge shows it: 0 ok, 1 firing (the balance: low), 2
/// critical, 3 unknown (its value could not be read for [`UNKNOWN_AFTER`] tries in a row).
fn gauge_code(state: &RuleState) -> f64 {
    match state.level {
        _ if state.failures >= UNKNOWN_AFTER => 3.0,
        RuleLevel::Ok => 0.0,
        RuleLevel::Firing => 1.0,
        RuleLevel::Critical => 2.0,
    }
}

/// The running scheduler and the ticks in flight.
pub struct Runner {
    scheduler: JobScheduler,
    tracker: TaskTracker,
    /// Liveness of the tick, for `/healthz`.
    pub heartbeat: Heartbeat,
}

impl Runner {
    /// Starts both jobs. A job still running when its next run is due skips that run.
    ///
    /// # Errors
    /// [`JobSchedulerError`] when the scheduler cannot start.
    pub async fn start(ctx: JobContext, every: &str) -> Result<Runner, JobSchedulerError> {
        let scheduler = JobScheduler::new().await?;
        let tracker = TaskTracker::new();
        let heartbeat = Heartbeat::default();
        let (tick_ctx, tick_heartbeat) = (ctx.clone(), heartbeat.clone());
        let main = repeating("tick", every, tracker.clone(), move || {
            let (ctx, heartbeat) = (tick_ctx.clone(), tick_heartbeat.clone());
            async move { tick(&ctx, &heartbeat).await }
        })?;
        let balance = repeating("balance poll", every, tracker.clone(), move || {
            let ctx = ctx.clone();
            async move {
                let now = ctx.clock.now();
                if let Err(error) = balance_tick(&ctx.store, &ctx.config, &ctx.monitor, now).await {
                    tracing::error!(%error, "balance poll failed");
                }
                if let Err(error) = whatsapp_tick(&ctx.store, &ctx.config, &ctx.monitor, now).await
                {
                    tracing::error!(%error, "WhatsApp health check failed");
                }
            }
        })?;
        scheduler.add(main).await?;
        scheduler.add(balance).await?;
        scheduler.start().await?;
        Ok(Runner {
            scheduler,
            tracker,
            heartbeat,
        })
    }

    /// Stops ticking and waits at most `drain` for the tick in flight (an outbox send in
    /// progress finishes; undelivered messages stay in the outbox for the next start).
    pub async fn stop(mut self, drain: Duration) {
        self.tracker.close();
        if let Err(error) = self.scheduler.shutdown().await {
            tracing::warn!(%error, "scheduler did not shut down cleanly");
        }
        if tokio::time::timeout(drain, self.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!("stopped with a tick still running; its messages stay in the outbox");
        }
    }
}

/// A job on the cron pattern `every` (normally [`TICK_EVERY_30_SECONDS`]) running `work`,
/// tracked by `tracker` (so shutdown waits for it) and skipped while its previous run is
/// still going.
fn repeating<F, Fut>(
    name: &'static str,
    every: &str,
    tracker: TaskTracker,
    work: F,
) -> Result<Job, JobSchedulerError>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let busy = Arc::new(tokio::sync::Mutex::new(()));
    let work = Arc::new(work);
    Job::new_async(every, move |_id, _scheduler| {
        let (busy, tracker, work) = (busy.clone(), tracker.clone(), work.clone());
        Box::pin(async move {
            let Ok(_guard) = busy.try_lock() else {
                tracing::warn!(job = name, "previous run still going; skipping this one");
                return;
            };
            if tracker.is_closed() {
                return;
            }
            tracker.track_future(work()).await;
        })
    })
}
