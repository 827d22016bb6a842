//! Timing the alert rules: one evaluation of every rule kind of a workspace (their five
//! readings, the engine being pure arithmetic), as the 30-second tick runs it. The
//! low_survey rule reads from a cursor [`RECENT_ANSWERS`] insertions back: more than a
//! tick's or a `group_every`'s worth at any realistic rate, so a pessimistic reading.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{median, ms, p95};
use crate::alerting::{LISTED_ANSWERS, RuleObservation, after_reading, evaluate, limits};
use crate::config::{AlertRule, RuleKind};
use crate::domain::{RuleState, SurveyCursor};
use crate::service::observe_rule;
use crate::store::{LowAnswersQuery, Store};

/// How far back (in insertions, every workspace's) the low_survey reading starts.
pub const RECENT_ANSWERS: i64 = 1000;

/// One rule of each kind, with the README's defaults.
fn rules() -> Vec<AlertRule> {
    let rule = |kind: RuleKind, threshold: f64, recover_at: f64| AlertRule {
        name: kind.as_str().to_string(),
        kind,
        enabled: true,
        channel_id: None,
        hold: StdDuration::ZERO,
        repeat_every: StdDuration::from_secs(3600),
        threshold,
        critical: None,
        recover_at,
    };
    let minutes = |m: u64| StdDuration::from_secs(m * 60);
    vec![
        rule(RuleKind::QueueWaiting { over: minutes(15) }, 5.0, 2.0),
        rule(RuleKind::OldestPending, 1800.0, 900.0),
        rule(
            RuleKind::AttentionSla {
                window: minutes(60),
                target: minutes(5),
            },
            80.0,
            85.0,
        ),
        rule(
            RuleKind::ExpiredSpike {
                window: minutes(60),
            },
            5.0,
            2.0,
        ),
        rule(
            RuleKind::LowSurvey {
                nps_at_most: 6,
                csat_at_most: 2,
                group_every: minutes(5),
            },
            0.0,
            0.0,
        ),
    ]
}

/// How long evaluating every rule of the workspace takes.
#[derive(Debug, Clone, Serialize)]
pub struct RulesResult {
    /// Rules evaluated per run (one of each kind).
    pub rules: usize,
    /// Median of the timed runs, milliseconds.
    pub median_ms: f64,
    /// 95th percentile, milliseconds.
    pub p95_ms: f64,
    /// Timed runs.
    pub runs: usize,
    /// What each rule observed (a sanity check that the data was there; low_survey: the
    /// low answers among the last [`RECENT_ANSWERS`] inserted).
    pub values: Vec<(String, Option<f64>)>,
}

/// Evaluates all rules of `workspace` at `now`: 2 warm-up runs, then `runs` timed ones.
///
/// # Errors
/// When the low_survey cursor cannot be placed; a failed observation during the runs is
/// an outcome (no value).
pub async fn time_rules(
    store: &Store,
    workspace: &str,
    now: DateTime<Utc>,
    runs: usize,
) -> anyhow::Result<RulesResult> {
    let rules = rules();
    let survey_query = |from| LowAnswersQuery {
        workspace,
        from,
        nps_at_most: 6,
        csat_at_most: 2,
        limit: LISTED_ANSWERS,
        now,
    };
    let newest = store.low_answers(survey_query(None)).await?;
    let from = newest.map(|answers| SurveyCursor {
        position: answers.next.position - RECENT_ANSWERS,
        ..answers.next
    });
    let mut values = Vec::new();
    let mut timings = Vec::with_capacity(runs);
    for run in 0..runs.max(1) + 2 {
        let started = Instant::now();
        values.clear();
        for rule in &rules {
            if let RuleKind::LowSurvey { .. } = rule.kind {
                let read = store.low_answers(survey_query(from)).await.ok().flatten();
                let total = read.map(|answers| {
                    let (state, _) = after_reading(&RuleState::default(), &answers, true, now);
                    state.last_value.unwrap_or(0.0)
                });
                values.push((rule.name.clone(), total));
                continue;
            }
            let observation = observe_rule(store, workspace, rule, now).await;
            let (_, _) = evaluate(&RuleState::default(), observation, now, &limits(rule));
            values.push((
                rule.name.clone(),
                match observation {
                    RuleObservation::Value(value) => Some(value),
                    _ => None,
                },
            ));
        }
        if run >= 2 {
            timings.push(started.elapsed());
        }
    }
    timings.sort();
    Ok(RulesResult {
        rules: rules.len(),
        median_ms: ms(median(&timings)),
        p95_ms: ms(p95(&timings)),
        runs: timings.len(),
        values,
    })
}
