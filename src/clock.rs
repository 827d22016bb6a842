//! "Now", injectable: production reads the system clock, `--now` and tests fix it.

use chrono::{DateTime, Utc};

/// A source of the current instant.
///
/// Everything that depends on "now" (named periods, waiting times, demo data) takes a clock,
/// so results are reproducible from the command line and in tests.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A clock that stays where it is put until it is set or advanced, shared by reference.
///
/// Tests build the app once (its commands, jobs and `/healthz` all read this one clock)
/// and then move time themselves: a tick "ten minutes later" or a stale scheduler is a call
/// to [`ManualClock::advance`], not a wait. [`FixedClock`] cannot do that, since it is copied
/// into each holder; this one is behind a lock, so any thread may move it.
#[derive(Debug)]
pub struct ManualClock(std::sync::RwLock<DateTime<Utc>>);

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: DateTime<Utc>) -> ManualClock {
        ManualClock(std::sync::RwLock::new(now))
    }

    /// Puts the clock at `now` (backwards too).
    pub fn set(&self, now: DateTime<Utc>) {
        *self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = now;
    }

    /// Moves the clock forward by `by` and returns the new instant.
    pub fn advance(&self, by: chrono::Duration) -> DateTime<Utc> {
        let mut now = self
            .0
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
        *now
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .0
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_is_shared() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let clock = std::sync::Arc::new(ManualClock::new(start));
        assert_eq!(clock.now(), start);
        let other = clock.clone();
        std::thread::spawn(move || other.advance(chrono::Duration::minutes(10)))
            .join()
            .unwrap();
        assert_eq!(clock.now(), start + chrono::Duration::minutes(10));
        clock.set(start);
        assert_eq!(clock.now(), start);
    }
}
