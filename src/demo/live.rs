//! The live demo queue: inquiries that keep arriving, waiting and being attended while
//! `pulso run` runs, at any hour, so the queue, `/inquiries` and the queue alerts show
//! something happening.
//!
//! Every live inquiry is a pure function of the seed, the workspace, its slot and the demo
//! start (the instant demo data was written, kept in the store): the same on every replica,
//! after restarts and in tests on a manual clock. Each tick writes, through the ordinary
//! store writer, every live inquiry requested in the last [`LiveQueue::horizon_secs`] in its
//! state at that tick (a live inquiry is always closed within that horizon), ids
//! `demo-live-…`. Two streams:
//!
//! - **steady**: one arrival every few minutes, waiting a few minutes and attended for a
//!   quarter of an hour, so something is always pending and in progress;
//! - **backlog**: once per cycle a handful of arrivals wait long enough that the default
//!   `queue_waiting` (5 waiting over 15 min) and `oldest_pending` (30 min) rules fire, the
//!   first time about a minute after the demo starts; then operators catch up and both
//!   resolve, so the queue never grows.

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{CHANNELS, OPERATORS, ORIGINS};
use crate::domain::{Inquiry, InquiryStatus};

/// Every live demo inquiry's id starts with this.
pub const LIVE_PREFIX: &str = "demo-live-";

/// The live queue's timings, in seconds; [`LiveQueue::default`] is what the demo uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveQueue {
    /// A steady arrival per slot of this length.
    pub steady_every: i64,
    /// How far into its slot an arrival may come (`0..jitter`).
    pub steady_jitter: i64,
    /// How long a steady arrival waits for an operator (`min..max`).
    pub steady_wait: (i64, i64),
    /// How long an operator attends it (`min..max`).
    pub steady_work: (i64, i64),
    /// Time between two backlog peaks.
    pub cycle: i64,
    /// The first peak, after the demo start.
    pub first_peak: i64,
    /// When each backlog arrival comes, before its peak (plus `0..backlog_jitter`).
    pub backlog: Vec<i64>,
    /// Randomness added to each backlog arrival.
    pub backlog_jitter: i64,
    /// When operators take the first backlog arrival, after the peak; each next one
    /// `backlog_step` later (plus `0..backlog_jitter`).
    pub backlog_attended: i64,
    /// See `backlog_attended`.
    pub backlog_step: i64,
    /// How long an operator attends a backlog arrival (`min..max`).
    pub backlog_work: (i64, i64),
    /// Every live inquiry is closed within this long of its request.
    pub horizon_secs: i64,
}

impl Default for LiveQueue {
    /// One steady arrival every 5 min waiting 5½–9½ min (always one pending, and never long
    /// enough for `oldest_pending`'s `recover_at` of 10 min) and attended 10–25 min (always
    /// some in progress); a backlog of six every 2 h, requested 29 to 15½ min before its
    /// peak and taken 8–14 min after it. The first peak is 2 min after the demo starts: at
    /// the start four have waited over 15 min, five about a minute later (`queue_waiting`
    /// fires), the oldest reaches 30 min about 3 min in (`oldest_pending` fires), and both
    /// resolve about 14 and 17 min in.
    fn default() -> Self {
        LiveQueue {
            steady_every: 300,
            steady_jitter: 20,
            steady_wait: (330, 570),
            steady_work: (600, 1500),
            cycle: 7200,
            first_peak: 120,
            backlog: vec![1740, 1500, 1320, 1140, 990, 930],
            backlog_jitter: 20,
            backlog_attended: 480,
            backlog_step: 72,
            backlog_work: (360, 900),
            horizon_secs: 5400,
        }
    }
}

/// One live inquiry's life: requested, attended, resolved (epoch seconds).
struct Life {
    id: String,
    requested: i64,
    attended: i64,
    resolved: i64,
    rng: ChaCha8Rng,
}

/// The live inquiries of `workspace` requested in `[from, now]`, each as it stands at `now`;
/// `start` is the demo start, `salt` mixes the seed and the workspace.
pub fn live_rows(
    workspace: &str,
    salt: u64,
    queue: &LiveQueue,
    start: DateTime<Utc>,
    from: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<Inquiry> {
    // The steady stream begins one horizon before the start, so the first run already has
    // inquiries in progress.
    let from = from.timestamp().max(start.timestamp() - queue.horizon_secs);
    let now_secs = now.timestamp();
    let mut lives = Vec::new();
    let first_slot = from.div_euclid(queue.steady_every) - 1;
    for slot in first_slot..=now_secs.div_euclid(queue.steady_every) {
        lives.push(steady(queue, salt, slot));
    }
    let first_peak = start.timestamp() + queue.first_peak;
    let cycles = (from - first_peak).div_euclid(queue.cycle).max(0)
        ..=(now_secs + queue.backlog.iter().max().copied().unwrap_or(0) - first_peak)
            .div_euclid(queue.cycle);
    for cycle in cycles {
        let peak = first_peak + cycle * queue.cycle;
        lives.extend((0..queue.backlog.len()).map(|index| backlog(queue, salt, peak, index)));
    }
    let mut rows: Vec<Inquiry> = lives
        .into_iter()
        .filter(|life| (from..=now_secs).contains(&life.requested))
        .filter_map(|life| at(workspace, life, now_secs))
        .collect();
    rows.sort_by(|a, b| (a.requested_at, &a.id).cmp(&(b.requested_at, &b.id)));
    rows
}

fn steady(queue: &LiveQueue, salt: u64, slot: i64) -> Life {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(salt, 1, slot));
    let requested = slot * queue.steady_every + rng.gen_range(0..queue.steady_jitter.max(1));
    let attended = requested + rng.gen_range(queue.steady_wait.0..queue.steady_wait.1);
    let resolved = attended + rng.gen_range(queue.steady_work.0..queue.steady_work.1);
    Life {
        id: format!("{LIVE_PREFIX}{slot}"),
        requested,
        attended,
        resolved,
        rng,
    }
}

fn backlog(queue: &LiveQueue, salt: u64, peak: i64, index: usize) -> Life {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(salt, 2 + index as i64, peak));
    let jitter = queue.backlog_jitter.max(1);
    let requested = peak - queue.backlog[index] + rng.gen_range(0..jitter);
    let attended = peak
        + queue.backlog_attended
        + queue.backlog_step * index as i64
        + rng.gen_range(0..jitter);
    let resolved = attended + rng.gen_range(queue.backlog_work.0..queue.backlog_work.1);
    Life {
        id: format!("{LIVE_PREFIX}b{peak}-{index}"),
        requested,
        attended,
        resolved,
        rng,
    }
}

/// The live inquiry `id` as it stands at `now`, or `None` when `id` is not one of the
/// live queue's (catching up one left open by a process that stopped).
pub fn live_inquiry(
    workspace: &str,
    salt: u64,
    queue: &LiveQueue,
    id: &str,
    now: DateTime<Utc>,
) -> Option<Inquiry> {
    let rest = id.strip_prefix(LIVE_PREFIX)?;
    let life = match rest.strip_prefix('b') {
        Some(backlog_id) => {
            let (peak, index) = backlog_id.split_once('-')?;
            let index: usize = index.parse().ok()?;
            (index < queue.backlog.len()).then_some(())?;
            backlog(queue, salt, peak.parse().ok()?, index)
        }
        None => steady(queue, salt, rest.parse().ok()?),
    };
    (life.id == id && life.requested <= now.timestamp())
        .then(|| at(workspace, life, now.timestamp()))
        .flatten()
}

/// The inquiry as it stands at `now`.
fn at(workspace: &str, mut life: Life, now: i64) -> Option<Inquiry> {
    let instant = |secs: i64| DateTime::from_timestamp(secs, 0);
    let mut inquiry = Inquiry {
        workspace: workspace.to_string(),
        id: life.id,
        channel: CHANNELS[life.rng.gen_range(0..CHANNELS.len())].to_string(),
        origin: ORIGINS[life.rng.gen_range(0..ORIGINS.len())].to_string(),
        status: InquiryStatus::Pending,
        operator_id: None,
        requested_at: instant(life.requested)?,
        attended_at: None,
        resolved_at: None,
        expired_at: None,
    };
    let operator = format!("op-{}", life.rng.gen_range(1..=OPERATORS));
    if life.attended <= now {
        inquiry.status = InquiryStatus::InProgress;
        inquiry.attended_at = instant(life.attended);
        inquiry.operator_id = Some(operator);
    }
    if life.resolved <= now {
        inquiry.status = InquiryStatus::Resolved;
        inquiry.resolved_at = instant(life.resolved);
    }
    Some(inquiry)
}

/// A seed for one inquiry of one stream (SplitMix64 finaliser over the three numbers).
fn mix(salt: u64, stream: i64, index: i64) -> u64 {
    let mut z = salt
        ^ (stream as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (index as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// How far back a tick rewrites live inquiries.
pub fn horizon(queue: &LiveQueue) -> Duration {
    Duration::seconds(queue.horizon_secs)
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
