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
