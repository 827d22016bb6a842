//! Per-day pre-aggregates: how a year of indicators is read in milliseconds.
//!
//! Index range scans read every row of a window, so a 365-day window at 10M inquiries reads
//! about a million rows. Instead, each complete local day of a workspace (in its zone) is
//! summarised once into `day_aggregates` ([`WindowFacts`], a few KB), and a window adds up
//! its days. The rules that keep an answer from ever being stale:
//!
//! - **What is read live**: every day that has not ended at "now" (today), and, when the
//!   inquiry tables are not pulso's own (platform views), every day that ended less than
//!   `external_settle_days` ago. The live part runs the ordinary window statements.
//! - **Invalidation (pulso's own tables)**: triggers on `inquiries` and `survey_responses`
//!   mark, in the writing transaction, the UTC days spanned by each written row's old and new
//!   instants (`aggregate_dirty`). An aggregate overlapped by a mark is never used; the day is
//!   read live and rebuilt. Marks are consumed only in a transaction that holds the writer
//!   lock (SQLite `BEGIN IMMEDIATE`, PostgreSQL a table lock the triggers conflict with), and
//!   a rebuilt day is stored only if no mark appeared since the snapshot it was built from.
//! - **External sources** (no triggers): an aggregate is used only for days that ended at
//!   least `external_settle_days` ago and only while younger than `external_max_age_hours`.
//! - **Zone**: the zone name is part of each row's key; after a zone change old rows are
//!   never read (and are deleted on the next store).
//!
//! Reading (marks, aggregates, days rebuilt, live rows) happens in one snapshot, so the
//! answer is exactly the direct computation on that snapshot, except medians and p90 of
//! complete days (within [`crate::indicators::MAX_RELATIVE_ERROR`]). A day rebuilt while
//! answering counts exactly as its stored aggregate will, so the answer that builds a day and
//! the later ones that read it never differ.

use sqlx::Connection;
use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::group_sql::grouped_reads;
use super::groups::{Accumulated, Facet, read_groups};
use super::lists::{parse_fields, required};
use super::month_rollups::{rolled_up, segments};
use super::reads::samples_from_rows;
use super::{Store, StoreError, query_error};
use crate::domain::{Filter, GroupedFacts, Period, ResolvedSample, WindowFacts, day_start};

/// Days rebuilt in one read: bounds memory to about a month of rows.
const BUILD_CHUNK_DAYS: usize = 31;

/// One local day: its number (days since 1970-01-01) and UTC window in epoch seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Day {
    pub(super) number: i64,
    pub(super) start: i64,
    pub(super) end: i64,
}

/// `(lo_day, hi_day, version)`: UTC days `lo..=hi` were written to.
type Mark = (i64, i64, i64);

fn overlaps((lo, hi, _): &Mark, day: &Day) -> bool {
    lo * 86_400 < day.end && (hi + 1) * 86_400 > day.start
}

fn day_number(date: NaiveDate) -> i64 {
    (date - DateTime::UNIX_EPOCH.date_naive()).num_days()
}

/// The days of `period` that may come from aggregates (a prefix), and the live rest.
struct PeriodPlan {
    aggregated: Vec<Day>,
    live: Option<(i64, i64)>,
}

fn plan(period: &Period, cutoff: Option<i64>) -> PeriodPlan {
    let tz: Tz = period.timezone;
    let window = period.window();
    let mut aggregated = Vec::new();
    let mut live = None;
    let mut date = period.from;
    let mut start = window.start.timestamp();
    while date <= period.to {
        let next = date + Duration::days(1);
        let end = day_start(tz, next).timestamp();
        if live.is_none() && cutoff.is_some_and(|cutoff| end <= cutoff) {
            aggregated.push(Day {
                number: day_number(date),
                start,
                end,
            });
        } else {
            live.get_or_insert((start, window.end.timestamp()));
        }
        start = end;
        date = next;
    }
    PeriodPlan { aggregated, live }
}

/// The first and last aggregated day numbers of all plans.
fn aggregated_range(plans: &[PeriodPlan]) -> Option<(i64, i64)> {
    let mut numbers = plans
        .iter()
        .flat_map(|p| p.aggregated.iter().map(|d| d.number));
    let first = numbers.next()?;
    Some(numbers.fold((first, first), |(lo, hi), n| (lo.min(n), hi.max(n))))
}

/// Missing days grouped into runs of consecutive days (at most [`BUILD_CHUNK_DAYS`] each),
/// so each run is rebuilt with one read.
fn consecutive_runs(missing: Vec<Day>) -> Vec<Vec<Day>> {
    let mut runs: Vec<Vec<Day>> = Vec::new();
    for day in missing {
        match runs.last_mut() {
            Some(run) if run.len() < BUILD_CHUNK_DAYS && run[run.len() - 1].end == day.start => {
                run.push(day)
            }
            _ => runs.push(vec![day]),
        }
    }
    runs
}

/// Sorted, distinct day numbers as `(first, last)` runs of consecutive numbers.
fn number_runs(numbers: &[i64]) -> Vec<(i64, i64)> {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for &number in numbers {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == number => *last = number,
            _ => runs.push((number, number)),
        }
    }
    runs
}

/// The stored days read by `aggregates_in_range`: `day → (built_at, facts)`, or `None` when
/// the list and the bytes do not match (the days are then rebuilt).
fn split_stored<'a>(list: &str, bytes: &'a [u8]) -> Option<HashMap<i64, (i64, &'a [u8])>> {
    let mut stored = HashMap::new();
    let mut at = 0;
    for entry in list.split(',').filter(|entry| !entry.is_empty()) {
        let mut fields = entry.split(':').map(str::parse::<i64>);
        let (Some(Ok(day)), Some(Ok(built_at)), Some(Ok(length)), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        let end = at + usize::try_from(length).ok()?;
        stored.insert(day, (built_at, bytes.get(at..end)?));
        at = end;
    }
    (at == bytes.len()).then_some(stored)
}

/// A day rebuilt while answering, to be stored afterwards.
pub(super) struct BuiltDay {
    day: Day,
    facts: Vec<u8>,
}

/// Runs the timed reads over a run of consecutive days and returns each day's facts.
macro_rules! build_days {
    ($executor:expr, $sql:expr, $workspace:expr, $days:expr) => {{
        let days: &[Day] = $days;
        let (start, end) = (days[0].start, days[days.len() - 1].end);
        let read = || query_error("rebuilding day aggregates");
        let mut lists: [Option<String>; 5] = Default::default();
        let statements = [
            $sql.pending_timed,
            $sql.expired_timed,
            $sql.attention_timed,
            $sql.resolved_timed,
            $sql.surveys_timed,
        ];
        for (list, statement) in lists.iter_mut().zip(statements) {
            *list = sqlx::query_scalar(statement)
                .bind($workspace)
                .bind(start)
                .bind(end)
                .fetch_one($executor)
                .await
                .map_err(read())?;
        }
        bin_timed_lists(days, lists).map_err(read())?
    }};
}

/// Counts the five timed lists of a rebuild (pending, expired, attention, resolved and
/// survey rows, each led by its instant) into the days they fall in.
pub(super) fn bin_timed_lists(
    days: &[Day],
    [pending, expired, attention, resolved, surveys]: [Option<String>; 5],
) -> Result<Vec<WindowFacts>, sqlx::Error> {
    let mut facts = vec![WindowFacts::default(); days.len()];
    let at = |instant: i64| days.partition_point(|day| day.start <= instant).max(1) - 1;
    for [t] in parse_fields::<1>(pending.as_deref())? {
        facts[at(required(t)?)].pending += 1;
    }
    for [t] in parse_fields::<1>(expired.as_deref())? {
        facts[at(required(t)?)].expired += 1;
    }
    for [t, secs] in parse_fields::<2>(attention.as_deref())? {
        facts[at(required(t)?)].attention.push(required(secs)?);
    }
    for [t, resolution_secs, total] in parse_fields::<3>(resolved.as_deref())? {
        facts[at(required(t)?)].push_resolved(ResolvedSample {
            resolution_secs,
            attention_resolution_secs: required(total)?,
        });
    }
    for [t, code] in parse_fields::<2>(surveys.as_deref())? {
        let day = &mut facts[at(required(t)?)];
        match required(code)? {
            code @ 0..=10 => day.nps_histogram[code as usize] += 1,
            code @ 101..=105 => day.csat_histogram[code as usize - 101] += 1,
            code => tracing::warn!(code, "ignoring a survey answer outside the contract"),
        }
    }
    Ok(facts)
}

impl Store {
    /// The facts of each period (all in one zone) for one workspace, as of one snapshot: the
    /// fast path behind [`crate::indicators::build_report`]. Complete days come from stored
    /// aggregates when the rules in this module allow it, are rebuilt (and stored) when not,
    /// and the rest is read live.
    ///
    /// # Errors
    /// [`StoreError::Query`] when reading fails; failing to store rebuilt days is only logged.
    pub async fn period_facts(
        &self,
        workspace: &str,
        periods: &[&Period],
        now: DateTime<Utc>,
    ) -> Result<Vec<WindowFacts>, StoreError> {
        let facts = self
            .facet_facts(Facet::Total, workspace, periods, now, &Filter::default())
            .await?;
        Ok(facts.into_iter().map(Accumulated::into_total).collect())
    }

    /// [`Store::period_facts`] for one facet: the totals, or the groups of one dimension.
    /// `live_filter` restricts the rows read live only (see [`Store::period_groups`]).
    pub(super) async fn facet_facts(
        &self,
        facet: Facet,
        workspace: &str,
        periods: &[&Period],
        now: DateTime<Utc>,
        live_filter: &Filter,
    ) -> Result<Vec<Accumulated>, StoreError> {
        let policy = self.aggregates();
        let backend = self.backend();
        let wall_clock = Utc::now().timestamp();
        let tz = periods.first().map_or(chrono_tz::UTC, |p| p.timezone);
        let (facts, built, seen) = on_backend!(self, |pool, sql| {
            let asql = sql.aggregates;
            let mut tx = pool
                .begin_with(asql.begin_read)
                .await
                .map_err(query_error("starting a read"))?;
            let owned = policy.enabled
                && sqlx::query_scalar::<_, i64>(asql.marking_triggers)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(query_error("checking the dirty-marking triggers"))?
                    == 6;
            let cutoff = policy.cutoff(owned, now.timestamp(), wall_clock);
            let plans: Vec<PeriodPlan> = periods.iter().map(|p| plan(p, cutoff)).collect();
            let mut facts = vec![Accumulated::new(facet); periods.len()];
            let mut built: Vec<BuiltDay> = Vec::new();
            let mut built_months: Vec<BuiltDay> = Vec::new();
            let mut seen: Vec<Mark> = Vec::new();
            if let Some((lo, hi)) = aggregated_range(&plans) {
                seen = sqlx::query_as(asql.marks_overlapping)
                    .bind(workspace)
                    .bind(lo - 1)
                    .bind(hi + 1)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(query_error("reading dirty marks"))?;
                let months = match facet {
                    Facet::By(by) => {
                        let (list, bytes): (Option<String>, Option<Vec<u8>>) =
                            sqlx::query_as(asql.months_in_range)
                                .bind(workspace)
                                .bind(lo)
                                .bind(hi)
                                .bind(tz.name())
                                .bind(by.name())
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(query_error("reading month aggregates"))?;
                        bytes.map(|bytes| (list.unwrap_or_default(), bytes))
                    }
                    Facet::Total => None,
                };
                let stored_months = months
                    .as_ref()
                    .and_then(|(list, bytes)| split_stored(list, bytes))
                    .unwrap_or_default();
                let month_usable = |month: &Day| {
                    stored_months.get(&month.number).is_some_and(|(at, _)| {
                        policy.fresh(owned, *at, wall_clock)
                            && !seen.iter().any(|mark| overlaps(mark, month))
                    })
                };
                // Only the days no usable month covers are read: a year of group days is
                // megabytes its months make unnecessary.
                let monthly = matches!(facet, Facet::By(_));
                let mut needed: Vec<i64> = plans
                    .iter()
                    .flat_map(|plan| segments(&plan.aggregated, monthly))
                    .filter(|segment| !segment.month.as_ref().is_some_and(month_usable))
                    .flat_map(|segment| segment.days.into_iter().map(|day| day.number))
                    .collect();
                needed.sort_unstable();
                needed.dedup();
                let mut day_reads: Vec<(String, Vec<u8>)> = Vec::new();
                for (first, last) in number_runs(&needed) {
                    let mut stored_read = sqlx::query_as(facet.stored_in_range(asql))
                        .bind(workspace)
                        .bind(first)
                        .bind(last)
                        .bind(tz.name());
                    if let Facet::By(by) = facet {
                        stored_read = stored_read.bind(by.name());
                    }
                    let (list, bytes): (Option<String>, Option<Vec<u8>>) = stored_read
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(query_error("reading day aggregates"))?;
                    day_reads.push((list.unwrap_or_default(), bytes.unwrap_or_default()));
                }
                let mut stored = HashMap::new();
                for (list, bytes) in &day_reads {
                    match split_stored(list, bytes) {
                        Some(days) => stored.extend(days),
                        None => tracing::warn!(workspace, "rebuilding unreadable day aggregates"),
                    }
                }
                for (index, plan) in plans.iter().enumerate() {
                    // A stored day or month that does not decode: the plan starts over with
                    // every day rebuilt (nothing stored is trusted then).
                    let mut trust_stored = true;
                    'plan: loop {
                        facts[index] = Accumulated::new(facet);
                        for segment in segments(&plan.aggregated, monthly) {
                            if let Some(month) = segment.month {
                                let usable = stored_months
                                    .get(&month.number)
                                    .filter(|_| trust_stored && month_usable(&month));
                                if let Some((_, bytes)) = usable {
                                    if facts[index].add_encoded(bytes).is_err() {
                                        tracing::warn!(
                                            workspace,
                                            "rebuilding an unreadable month aggregate"
                                        );
                                        trust_stored = false;
                                        continue 'plan;
                                    }
                                    continue;
                                }
                            }
                            // A month's days add up apart, to be rolled up; other days
                            // straight into the answer.
                            let mut month_part = Accumulated::new(facet);
                            let target = if segment.month.is_some() {
                                &mut month_part
                            } else {
                                &mut facts[index]
                            };
                            let mut missing = Vec::new();
                            for day in &segment.days {
                                let usable = stored.get(&day.number).filter(|(built_at, _)| {
                                    trust_stored
                                        && policy.fresh(owned, *built_at, wall_clock)
                                        && !seen.iter().any(|mark| overlaps(mark, day))
                                });
                                match usable {
                                    Some((_, bytes)) => {
                                        if target.add_encoded(bytes).is_err() {
                                            tracing::warn!(
                                                workspace,
                                                day = day.number,
                                                "rebuilding an unreadable or outdated day aggregate"
                                            );
                                            trust_stored = false;
                                            continue 'plan;
                                        }
                                    }
                                    None => missing.push(*day),
                                }
                            }
                            for run in consecutive_runs(missing) {
                                let days: Vec<Vec<u8>> = match facet {
                                    Facet::Total => build_days!(&mut *tx, asql, workspace, &run)
                                        .iter()
                                        .map(WindowFacts::encode)
                                        .collect(),
                                    Facet::By(by) => {
                                        let reads =
                                            grouped_reads(backend, Some(by), &Filter::default());
                                        read_groups!(&mut *tx, &reads, workspace, &run)
                                            .iter()
                                            .map(GroupedFacts::encode)
                                            .collect()
                                    }
                                };
                                for (day, bytes) in run.into_iter().zip(days) {
                                    // Counted from the stored form, exactly as the next
                                    // answer will read it, so this answer and the next agree.
                                    target.add_encoded(&bytes).unwrap_or_else(|_| {
                                        unreachable!("a fresh encoding decodes")
                                    });
                                    built.push(BuiltDay { day, facts: bytes });
                                }
                            }
                            if let Some(month) = segment.month {
                                // A month counts through its rolled-up form, read or built.
                                let bytes = rolled_up(month_part.into_groups());
                                facts[index]
                                    .add_encoded(&bytes)
                                    .unwrap_or_else(|_| unreachable!("a fresh encoding decodes"));
                                built_months.push(BuiltDay {
                                    day: month,
                                    facts: bytes,
                                });
                            }
                        }
                        break;
                    }
                }
            }
            for (index, plan) in plans.iter().enumerate() {
                let Some((start, end)) = plan.live else {
                    continue;
                };
                match (&mut facts[index], facet) {
                    (Accumulated::Total(total), _) => {
                        let samples = read_window!(&mut *tx, sql, workspace, start, end);
                        total.merge(&WindowFacts::from(samples));
                    }
                    (Accumulated::Groups(groups), Facet::By(by)) => {
                        let reads = grouped_reads(backend, Some(by), live_filter);
                        let live = [Day {
                            number: 0,
                            start,
                            end,
                        }];
                        let [day] = read_groups!(&mut *tx, &reads, workspace, &live)
                            .try_into()
                            .unwrap_or_else(|_| unreachable!("one bin per day"));
                        groups.merge(&day);
                    }
                    (Accumulated::Groups(_), Facet::Total) => {
                        unreachable!("groups need a dimension")
                    }
                }
            }
            tx.commit().await.map_err(query_error("ending a read"))?;
            (facts, (built, built_months), seen)
        });
        if !built.0.is_empty() || !built.1.is_empty() {
            let (days, months) = &built;
            if let Err(error) = self
                .store_days(facet, workspace, tz, days, months, &seen)
                .await
            {
                tracing::warn!(workspace, %error, "could not store day aggregates (they will be rebuilt)");
            }
        }
        Ok(facts)
    }

    /// Stores days (and months of groups) rebuilt from a snapshot in which the marks `seen`
    /// were visible; consumes every mark of the workspace (deleting the aggregates and
    /// months they overlap) in the same transaction, and skips a day or month overlapped by
    /// a mark the snapshot did not see.
    async fn store_days(
        &self,
        facet: Facet,
        workspace: &str,
        tz: Tz,
        built: &[BuiltDay],
        months: &[BuiltDay],
        seen: &[Mark],
    ) -> Result<(), StoreError> {
        // Local day numbers: a month's last day is its first plus its length less one.
        let last_day =
            |b: &BuiltDay| b.day.number + (b.day.end - b.day.start + 43_200) / 86_400 - 1;
        let spans = built.iter().chain(months);
        let lo = spans
            .clone()
            .map(|b| b.day.number)
            .min()
            .unwrap_or_default();
        let hi = spans.map(last_day).max().unwrap_or_default();
        let built_at = Utc::now().timestamp();
        on_backend!(self, |pool, sql| {
            let asql = sql.aggregates;
            let write = || query_error("storing day aggregates");
            let mut tx = pool.begin_with(asql.begin_write).await.map_err(write())?;
            for statement in asql.lock_marks {
                sqlx::query(statement)
                    .execute(&mut *tx)
                    .await
                    .map_err(write())?;
            }
            let current: Vec<Mark> = sqlx::query_as(asql.marks_overlapping)
                .bind(workspace)
                .bind(lo - 1)
                .bind(hi + 1)
                .fetch_all(&mut *tx)
                .await
                .map_err(write())?;
            let unseen: Vec<Mark> = current.into_iter().filter(|m| !seen.contains(m)).collect();
            for statement in [
                asql.apply_marks,
                asql.apply_group_marks,
                asql.apply_month_marks,
                asql.clear_marks,
            ] {
                sqlx::query(statement)
                    .bind(workspace)
                    .execute(&mut *tx)
                    .await
                    .map_err(write())?;
            }
            for statement in [
                asql.drop_other_zones,
                asql.drop_other_zone_groups,
                asql.drop_other_zone_months,
            ] {
                sqlx::query(statement)
                    .bind(workspace)
                    .bind(tz.name())
                    .execute(&mut *tx)
                    .await
                    .map_err(write())?;
            }
            for BuiltDay { day, facts } in built {
                if unseen.iter().any(|mark| overlaps(mark, day)) {
                    continue;
                }
                let mut upsert = sqlx::query(facet.upsert(asql))
                    .bind(workspace)
                    .bind(day.number)
                    .bind(tz.name())
                    .bind(day.start)
                    .bind(day.end)
                    .bind(built_at)
                    .bind(facts.as_slice());
                if let Facet::By(by) = facet {
                    upsert = upsert.bind(by.name());
                }
                upsert.execute(&mut *tx).await.map_err(write())?;
            }
            for BuiltDay { day: month, facts } in months {
                let Facet::By(by) = facet else { break };
                if unseen.iter().any(|mark| overlaps(mark, month)) {
                    continue;
                }
                sqlx::query(asql.upsert_month)
                    .bind(workspace)
                    .bind(month.number)
                    .bind(tz.name())
                    .bind(month.start)
                    .bind(month.end)
                    .bind(built_at)
                    .bind(facts.as_slice())
                    .bind(by.name())
                    .execute(&mut *tx)
                    .await
                    .map_err(write())?;
            }
            tx.commit().await.map_err(write())
        })
    }
}

#[cfg(test)]
#[path = "aggregates_tests.rs"]
mod tests;
