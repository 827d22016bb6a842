//! A workspace's `digest` keys, validated.

use std::str::FromStr;
use std::time::Duration;

use croner::Cron;

use super::NamedPeriod;
use super::filter::{Dimension, Filter, parse_values};
use super::raw::{RawDigest, RawDigestFilter};
use super::{discord, duration};

/// Default schedule: every day at 09:00 local time.
pub const DEFAULT_SCHEDULE: &str = "0 9 * * *";
/// Default grace for digests missed during downtime.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(6 * 3600);

/// When and where a workspace's digest is posted.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestSettings {
    /// Parsed schedule, evaluated in the workspace's zone.
    pub schedule: Cron,
    /// The schedule as written; part of each run's claim key.
    pub schedule_text: String,
    /// Period the digest reports on.
    pub period: NamedPeriod,
    /// Channel to post in; `None` posts nowhere on Discord (the console still prints it).
    pub channel_id: Option<u64>,
    /// A missed digest older than this is skipped (and recorded), not posted.
    pub grace: Duration,
    /// The inquiries it reports on (empty: all), e.g. one team's origins.
    pub filter: Filter,
    /// Adds a section with the top 5 groups of this dimension, for who or what to look at.
    pub breakdown: Option<Dimension>,
}

/// Parses the `digest` table of workspace `key` (e.g. `workspaces[0]`).
pub fn digest_settings(raw: &RawDigest, key: &str, problems: &mut Vec<String>) -> DigestSettings {
    let schedule_text = raw
        .schedule
        .clone()
        .unwrap_or_else(|| DEFAULT_SCHEDULE.to_string());
    let schedule = match (
        schedule_text.split_whitespace().count(),
        Cron::from_str(&schedule_text),
    ) {
        (5, Ok(cron)) => cron,
        (5, Err(error)) => {
            problems.push(format!(
                "{key}.digest.schedule: {schedule_text:?} is not a valid cron pattern ({error})"
            ));
            default_schedule()
        }
        (fields, _) => {
            problems.push(format!(
                "{key}.digest.schedule: {schedule_text:?} has {fields} fields; use 5 (minute hour day month weekday), e.g. \"0 9 * * *\" or \"0 9 * * MON\""
            ));
            default_schedule()
        }
    };
    let period = match raw.period.as_deref() {
        None => NamedPeriod::Yesterday,
        Some(text) => text.parse().unwrap_or_else(|problem| {
            problems.push(format!("{key}.digest.period: {problem}"));
            NamedPeriod::Yesterday
        }),
    };
    let channel_id = raw
        .channel_id
        .as_ref()
        .and_then(|value| discord::snowflake(value, &format!("{key}.digest.channel_id"), problems));
    let grace = match raw.grace.as_deref().map(duration::parse) {
        None => DEFAULT_GRACE,
        Some(Ok(grace)) => grace,
        Some(Err(problem)) => {
            problems.push(format!("{key}.digest.grace: {problem}"));
            DEFAULT_GRACE
        }
    };
    let filter = raw
        .filter
        .as_ref()
        .map(|raw| digest_filter(raw, key, problems))
        .unwrap_or_default();
    let breakdown = raw.breakdown.as_deref().and_then(|text| {
        text.parse::<Dimension>()
            .map_err(|problem| problems.push(format!("{key}.digest.breakdown: {problem}")))
            .ok()
    });
    DigestSettings {
        schedule,
        schedule_text,
        period,
        channel_id,
        grace,
        filter,
        breakdown,
    }
}

/// Parses `digest.filter`: each key a comma-separated list, checked as the slash options
/// check theirs.
fn digest_filter(raw: &RawDigestFilter, key: &str, problems: &mut Vec<String>) -> Filter {
    let mut filter = Filter::default();
    for (dimension, text) in [
        (Dimension::Operator, &raw.operator),
        (Dimension::Origin, &raw.origin),
        (Dimension::Channel, &raw.channel),
    ] {
        let Some(text) = text else { continue };
        match parse_values(text) {
            Ok(values) => filter.set(dimension, values),
            Err(problem) => problems.push(format!(
                "{key}.digest.filter.{}: {problem}",
                dimension.name()
            )),
        }
    }
    filter
}

fn default_schedule() -> Cron {
    Cron::from_str(DEFAULT_SCHEDULE).unwrap_or_else(|_| unreachable!("the default schedule parses"))
}
