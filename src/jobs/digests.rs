//! Scheduled digests: local fire times, claims, missed runs.
//!
//! A UTC tick (every 30 s, driven by tokio-cron-scheduler in [`super::Runner`]) calls
//! [`digest_tick`]. The local fire times come from croner evaluated in the workspace's
//! chrono-tz zone, not from tokio-cron-scheduler's time-zone jobs, which keep the UTC
//! offset of the day they were created and fire an hour off after a DST change. croner
//! follows the Vixie/OCPS rules: a time inside the spring-forward gap fires at the first
//! valid time after it; a fixed time inside the fall-back overlap fires once.
//!
//! Each occurrence is claimed with a unique key (workspace, schedule, instant) in the same
//! transaction that writes its message to the outbox, so it is posted once whatever the
//! number of replicas or restarts. A per-schedule cursor records up to when occurrences were
//! looked at: after downtime, an occurrence within the grace period is posted late (and says
//! so); an older one is recorded as skipped and logged.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use croner::Cron;

use crate::config::{Config, Workspace};
use crate::digest::{self, DigestError};
use crate::domain::Destination;
use crate::store::{DigestClaim, Store};

/// An occurrence handled later than this is marked late in its message.
pub const LATE_AFTER: Duration = Duration::minutes(2);
/// Most occurrences looked at per schedule and tick (a year of a per-minute schedule is
/// not a digest; this bounds work after a very long downtime).
const MAX_OCCURRENCES: usize = 1000;

/// What a tick decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// `(workspace, occurrence, late)` claimed by this tick.
    pub claimed: Vec<(String, DateTime<Utc>, bool)>,
    /// `(workspace, occurrence)` recorded as skipped (missed beyond grace).
    pub skipped: Vec<(String, DateTime<Utc>)>,
}

/// The occurrences of `schedule` in `timezone` in the interval `(after, until]`, as UTC.
pub fn occurrences(
    schedule: &Cron,
    timezone: Tz,
    after: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut found = Vec::new();
    let mut cursor = after.with_timezone(&timezone);
    while found.len() < MAX_OCCURRENCES {
        let Ok(next) = schedule.find_next_occurrence(&cursor, false) else {
            break;
        };
        let next_utc = next.with_timezone(&Utc);
        if next_utc > until {
            break;
        }
        found.push(next_utc);
        cursor = next;
    }
    found
}

/// The claim series of a workspace's digest: a changed schedule or period is a new series.
pub fn schedule_key(workspace: &Workspace) -> String {
    format!(
        "{}|{}",
        workspace.digest.schedule_text, workspace.digest.period
    )
}

/// Claims every digest occurrence due at `now` for every workspace and queues its message;
/// records the ones missed beyond their grace period.
///
/// # Errors
/// [`DigestError`]; the cursor of a failed workspace is not moved, so the next tick retries.
pub async fn digest_tick(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<TickReport, DigestError> {
    let mut report = TickReport::default();
    for workspace in &config.workspaces {
        let Some(destination) =
            Destination::configured(workspace.digest.channel_id, config.discord.transport)
        else {
            continue;
        };
        let key = schedule_key(workspace);
        let Some(checked_until) = store.schedule_cursor(&workspace.id, &key).await? else {
            // First sight of this schedule: nothing before now was ever due.
            store
                .advance_cursor(&workspace.id, &key, now.timestamp())
                .await?;
            continue;
        };
        let since = DateTime::from_timestamp(checked_until, 0).unwrap_or(now);
        let grace = Duration::from_std(workspace.digest.grace).unwrap_or(Duration::hours(6));
        for occurrence in occurrences(&workspace.digest.schedule, workspace.timezone, since, now) {
            let claim = DigestClaim {
                workspace: workspace.id.clone(),
                schedule: key.clone(),
                occurrence: occurrence.timestamp(),
            };
            if now - occurrence > grace {
                if store.record_skipped(&claim, now.timestamp()).await? {
                    metrics::counter!(crate::telemetry::DIGESTS_TOTAL, "workspace" => workspace.id.clone(), "outcome" => "skipped").increment(1);
                    tracing::warn!(workspace = %workspace.id, %occurrence, grace_h = grace.num_hours(), "digest missed beyond its grace period; skipped");
                    report.skipped.push((workspace.id.clone(), occurrence));
                }
                continue;
            }
            if store.digest_decided(&claim).await? {
                continue;
            }
            let late = now - occurrence > LATE_AFTER;
            let message =
                digest::scheduled_message(store, workspace, destination, occurrence, late, &key)
                    .await?;
            if store
                .claim_digest(&claim, late, &message, now.timestamp())
                .await?
            {
                tracing::info!(workspace = %workspace.id, %occurrence, late, "digest claimed");
                let outcome = if late { "late" } else { "claimed" };
                metrics::counter!(crate::telemetry::DIGESTS_TOTAL, "workspace" => workspace.id.clone(), "outcome" => outcome)
                    .increment(1);
                report
                    .claimed
                    .push((workspace.id.clone(), occurrence, late));
            }
        }
        store
            .advance_cursor(&workspace.id, &key, now.timestamp())
            .await?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn spring_forward_gap_fires_at_the_first_valid_time_and_overlap_fires_once() {
        let cron = Cron::from_str("30 2 * * *").unwrap();
        let madrid = chrono_tz::Europe::Madrid;
        // 2026-03-29 02:30 does not exist in Madrid: fire at 03:00 CEST = 01:00 UTC.
        let spring = occurrences(
            &cron,
            madrid,
            utc("2026-03-28T12:00:00Z"),
            utc("2026-03-30T12:00:00Z"),
        );
        assert_eq!(
            spring,
            [utc("2026-03-29T01:00:00Z"), utc("2026-03-30T00:30:00Z")]
        );
        // 2026-10-25 02:30 happens twice: fire once, at the first (CEST, 00:30 UTC).
        let fall = occurrences(
            &cron,
            madrid,
            utc("2026-10-24T12:00:00Z"),
            utc("2026-10-26T12:00:00Z"),
        );
        assert_eq!(
            fall,
            [utc("2026-10-25T00:30:00Z"), utc("2026-10-26T01:30:00Z")]
        );
    }
}
