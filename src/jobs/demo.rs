//! The live demo queue's job: on every tick, with `[demo] enabled`, moves the live queue of
//! each workspace that holds demo data on to "now" ([`crate::demo::advance_live`]), before
//! the alert rules look at the queue.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::demo::advance_live;
use crate::store::{Store, StoreError};

/// Advances every workspace's live demo queue; returns the inquiries written. Workspaces
/// without demo data are left alone (nothing is written there).
///
/// # Errors
/// [`StoreError`] of the first failing workspace (the others are still advanced).
pub async fn demo_tick(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    if !config.demo.enabled {
        return Ok(0);
    }
    let mut written = 0;
    let mut first_error = None;
    for workspace in &config.workspaces {
        match advance_live(store, workspace, &config.demo, now).await {
            Ok(rows) => written += rows,
            Err(error) => {
                tracing::error!(workspace = %workspace.id, %error, "live demo queue not advanced");
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(written),
    }
}
