//! When day aggregates may be used: the store's reading of the `[database]` policy.
//!
//! The policy itself ([`AggregatePolicy`]) is configuration and a field of each
//! [`Store`](super::Store); these are the rules the aggregate reader applies with it.

use crate::config::AggregatePolicy;

impl AggregatePolicy {
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
