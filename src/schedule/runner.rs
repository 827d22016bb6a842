//! The periodic driver: two tokio-cron-scheduler jobs in UTC every 30 seconds. One runs the
//! digest tick and one outbox delivery round; the other polls the Gupshup balances that are
//! due (each workspace every `balance.poll_every`, judged from its last stored reading, so
//! restarts keep the cadence). They are separate so that a slow or unreachable Gupshup
//! (a poll may wait up to [`crate::alerts::POLL_TIME_LIMIT`]) never holds up digests or
//! deliveries; the alerts a poll queues go out with the next delivery round.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};
use tokio_util::task::TaskTracker;

use super::digest_tick;
use crate::alerts::{Monitor, balance_tick};
use crate::bot::BotContext;
use crate::gupshup::RetryPolicy;
use crate::outbox::{Sender, deliver_due};

/// Six-field (seconds first) UTC pattern of the tick. Its period is
/// [`crate::alerts::POLL_SLOT_SECS`], the slot that stores a balance poll once across replicas.
pub const TICK_EVERY_30_SECONDS: &str = "*/30 * * * * *";

/// When the last tick finished (epoch seconds; 0 before the first), for health checks.
#[derive(Debug, Clone, Default)]
pub struct Heartbeat(Arc<AtomicI64>);

impl Heartbeat {
    /// Epoch seconds of the last completed tick, if any.
    pub fn last(&self) -> Option<i64> {
        Some(self.0.load(Ordering::Relaxed)).filter(|at| *at > 0)
    }

    fn beat(&self, at: i64) {
        self.0.store(at, Ordering::Relaxed);
    }
}

/// One tick: claim due digests, then deliver what is due. Errors are logged; the next tick
/// retries (claims and the outbox make repeats harmless).
pub async fn tick(ctx: &BotContext, sender: &Sender, heartbeat: &Heartbeat) {
    let now = ctx.clock.now();
    if let Err(error) = digest_tick(ctx, now).await {
        tracing::error!(%error, "digest tick failed");
    }
    match deliver_due(&ctx.store, sender, ctx.clock.now()).await {
        Ok(report) if report != Default::default() => tracing::debug!(?report, "outbox round"),
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "outbox delivery failed"),
    }
    heartbeat.beat(now.timestamp());
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
    pub async fn start(ctx: BotContext, sender: Sender) -> Result<Runner, JobSchedulerError> {
        let scheduler = JobScheduler::new().await?;
        let tracker = TaskTracker::new();
        let heartbeat = Heartbeat::default();
        let (tick_ctx, tick_heartbeat) = (ctx.clone(), heartbeat.clone());
        let main = every_30_seconds("tick", tracker.clone(), move || {
            let (ctx, sender, heartbeat) =
                (tick_ctx.clone(), sender.clone(), tick_heartbeat.clone());
            async move { tick(&ctx, &sender, &heartbeat).await }
        })?;
        // Built once: the partner token cache lives as long as the runner.
        let monitor = Arc::new(Monitor::new(&ctx.config, RetryPolicy::default()));
        let balance = every_30_seconds("balance poll", tracker.clone(), move || {
            let (ctx, monitor) = (ctx.clone(), monitor.clone());
            async move {
                if let Err(error) = balance_tick(&ctx, &monitor, ctx.clock.now()).await {
                    tracing::error!(%error, "balance poll failed");
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

/// A job on [`TICK_EVERY_30_SECONDS`] running `work`, tracked by `tracker` (so shutdown waits
/// for it) and skipped while its previous run is still going.
fn every_30_seconds<F, Fut>(
    name: &'static str,
    tracker: TaskTracker,
    work: F,
) -> Result<Job, JobSchedulerError>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let busy = Arc::new(tokio::sync::Mutex::new(()));
    let work = Arc::new(work);
    Job::new_async(TICK_EVERY_30_SECONDS, move |_id, _scheduler| {
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
