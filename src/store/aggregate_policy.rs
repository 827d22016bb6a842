//! When day aggregates may be used: the process-wide policy from `[database]`.
//!
//! A process-wide setting rather than a field of `Store`, so `Store` keeps its shape (an enum
//! of pools) and `build_report` its signature; set once at start-up by the command line.

use std::sync::RwLock;

/// How pulso uses day aggregates (`[database]` keys of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregatePolicy {
    /// `false` reads every window live (exact percentiles, slow on long windows).
    pub enabled: bool,
    /// External sources only: days that ended less than this many days ago are read live.
    pub external_settle_days: u32,
    /// External sources only: an aggregate older than this is rebuilt.
    pub external_max_age_hours: u32,
}

impl AggregatePolicy {
    /// Aggregates on; for external sources a 2-day settle time and a 24-hour maximum age.
    pub const DEFAULT: AggregatePolicy = AggregatePolicy {
        enabled: true,
        external_settle_days: 2,
        external_max_age_hours: 24,
    };

    /// Days ending at or before this instant may be aggregated; `None`: none may.
    pub(super) fn cutoff(&self, owned: bool, now: i64, wall_clock: i64) -> Option<i64> {
        match (self.enabled, owned) {
            (false, _) => None,
            (true, true) => Some(now),
            (true, false) => {
                Some(now.min(wall_clock) - i64::from(self.external_settle_days) * 86_400)
            }
        }
    }

    /// Whether an aggregate built at `built_at` (wall clock) may still be used.
    pub(super) fn fresh(&self, owned: bool, built_at: i64, wall_clock: i64) -> bool {
        owned || built_at >= wall_clock - i64::from(self.external_max_age_hours) * 3600
    }
}

impl Default for AggregatePolicy {
    fn default() -> Self {
        AggregatePolicy::DEFAULT
    }
}

static POLICY: RwLock<AggregatePolicy> = RwLock::new(AggregatePolicy::DEFAULT);

/// Sets the process-wide aggregate policy (from the configuration, at start-up).
pub fn set_aggregate_policy(policy: AggregatePolicy) {
    *POLICY
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = policy;
}

/// The process-wide aggregate policy.
pub fn aggregate_policy() -> AggregatePolicy {
    *POLICY
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
