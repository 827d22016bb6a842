//! Breakdowns and filters on the store: the facts of a window split by operator, origin or
//! channel, live or from per-day group aggregates (`day_group_aggregates`), and the values
//! seen lately, for autocomplete.
//!
//! The group aggregates follow every rule of the day aggregates (`aggregates.rs`): the same
//! marks invalidate both, a day is rebuilt in the snapshot it is read in, and the answer is
//! the direct computation on that snapshot. The inquiry triggers (migration
//! `20261215000001`) also mark when an inquiry changes operator, origin or channel, and the
//! days of the survey answers naming an inquiry that appears, disappears or changes, since
//! an answer belongs to its inquiry's groups.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};

use super::aggregate_sql::AggregateStatements;
use super::aggregates::{Day, bin_timed_lists};
use super::group_sql::{count_in_window, grouped_reads, in_progress_groups, open_inquiries};
use super::reads::{OpenRow, open_inquiry};
use super::{Store, StoreError, query_error};
use crate::domain::{
    DecodeError, Dimension, Filter, GroupKey, GroupedFacts, InquiryStatus, OpenInquiry, Period,
    Window, WindowFacts,
};

/// What a read of aggregates adds up: the totals, or the groups of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Facet {
    /// `day_aggregates`.
    Total,
    /// `day_group_aggregates` of one dimension.
    By(Dimension),
}

impl Facet {
    /// The statement reading a range of stored days of this facet.
    pub(super) fn stored_in_range(self, sql: &AggregateStatements) -> &'static str {
        match self {
            Facet::Total => sql.aggregates_in_range,
            Facet::By(_) => sql.group_aggregates_in_range,
        }
    }

    /// The statement storing one day of this facet.
    pub(super) fn upsert(self, sql: &AggregateStatements) -> &'static str {
        match self {
            Facet::Total => sql.upsert_aggregate,
            Facet::By(_) => sql.upsert_group_aggregate,
        }
    }
}

/// The facts of one period as a facet adds them up.
#[derive(Debug, Clone)]
pub(super) enum Accumulated {
    /// Of [`Facet::Total`] (boxed: a window's facts are a few hundred bytes inline).
    Total(Box<WindowFacts>),
    /// Of [`Facet::By`].
    Groups(GroupedFacts),
}

impl Accumulated {
    /// Nothing yet, of `facet`.
    pub(super) fn new(facet: Facet) -> Accumulated {
        match facet {
            Facet::Total => Accumulated::Total(Box::default()),
            Facet::By(_) => Accumulated::Groups(GroupedFacts::default()),
        }
    }

    /// Adds a stored day of the same facet.
    pub(super) fn add_encoded(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        match self {
            Accumulated::Total(facts) => facts.add_encoded(bytes),
            Accumulated::Groups(groups) => groups.add_encoded(bytes),
        }
    }

    pub(super) fn into_total(self) -> WindowFacts {
        match self {
            Accumulated::Total(facts) => *facts,
            Accumulated::Groups(_) => unreachable!("read as totals"),
        }
    }

    pub(super) fn into_groups(self) -> GroupedFacts {
        match self {
            Accumulated::Groups(groups) => groups,
            Accumulated::Total(_) => unreachable!("read as groups"),
        }
    }
}

/// `(known, key, timed list)`: one group of one grouped read (`group_sql.rs`).
pub(super) type GroupRow = (i64, Option<String>, Option<String>);

/// Runs the five grouped reads over the run of consecutive `days` and bins each group's
/// items into them.
macro_rules! read_groups {
    ($executor:expr, $reads:expr, $workspace:expr, $days:expr) => {{
        let reads: &$crate::store::group_sql::GroupedReads = $reads;
        let days: &[$crate::store::aggregates::Day] = $days;
        let (start, end) = (days[0].start, days[days.len() - 1].end);
        let mut rows: [Vec<$crate::store::groups::GroupRow>; 5] = Default::default();
        for (rows, statement) in rows.iter_mut().zip(&reads.statements) {
            let mut query = sqlx::query_as(statement.as_str())
                .bind($workspace)
                .bind(start)
                .bind(end);
            for value in &reads.values {
                query = query.bind(value.as_str());
            }
            *rows = query
                .fetch_all($executor)
                .await
                .map_err(query_error("reading a breakdown"))?;
        }
        $crate::store::groups::bin_groups(days, rows).map_err(query_error("reading a breakdown"))?
    }};
}
pub(super) use read_groups;

/// Bins the rows of the five grouped reads into `days`, group by group.
pub(super) fn bin_groups(
    days: &[Day],
    reads: [Vec<GroupRow>; 5],
) -> Result<Vec<GroupedFacts>, sqlx::Error> {
    let mut lists: BTreeMap<GroupKey, [Option<String>; 5]> = BTreeMap::new();
    for (kind, rows) in reads.into_iter().enumerate() {
        for (known, key, list) in rows {
            let key = if known == 0 {
                GroupKey::UnknownInquiry
            } else {
                GroupKey::of(key)
            };
            lists.entry(key).or_default()[kind] = list;
        }
    }
    let mut binned = vec![GroupedFacts::default(); days.len()];
    for (key, lists) in lists {
        for (day, facts) in binned.iter_mut().zip(bin_timed_lists(days, lists)?) {
            if facts != WindowFacts::default() {
                day.0.insert(key.clone(), facts);
            }
        }
    }
    Ok(binned)
}

/// How far back autocomplete looks for values: a quarter, so operators who left long ago
/// are not offered.
pub const RECENT_VALUE_DAYS: i64 = 90;

impl Store {
    /// The facts of `window` for the inquiries `filter` keeps, grouped by `by` (`None`: one
    /// group per known/unknown inquiry), read live: exact, but it reads every row of the
    /// window. The answer when a filter restricts more than one dimension, or a breakdown
    /// is filtered by another dimension, and with aggregates turned off.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn window_groups(
        &self,
        workspace: &str,
        window: Window,
        by: Option<Dimension>,
        filter: &Filter,
    ) -> Result<GroupedFacts, StoreError> {
        let reads = grouped_reads(self.backend(), by, filter);
        let day = [Day {
            number: 0,
            start: window.start.timestamp(),
            end: window.end.timestamp(),
        }];
        let [groups] = on_backend!(self, |pool, _sql| read_groups!(
            &mut *pool, &reads, workspace, &day
        ))
        .try_into()
        .unwrap_or_else(|_| unreachable!("one bin per window"));
        Ok(groups)
    }

    /// The facts of each period (all in one zone) split by `by`, as of one snapshot: complete
    /// days from the group aggregates where the rules of [`Store::period_facts`] allow it,
    /// the rest live. Answers whose inquiry is unknown are the group
    /// [`GroupKey::UnknownInquiry`].
    ///
    /// `only` (values of `by`; empty: every value) are the groups the caller keeps: the rows
    /// read live are restricted to them, which spares sorting and sending the others (a
    /// filtered answer for today read every group of today before). Stored and rebuilt days
    /// always hold every group, so other groups may still appear.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn period_groups(
        &self,
        workspace: &str,
        periods: &[&Period],
        now: DateTime<Utc>,
        by: Dimension,
        only: &[String],
    ) -> Result<Vec<GroupedFacts>, StoreError> {
        let mut live_filter = Filter::default();
        live_filter.set(by, only.to_vec());
        let facts = self
            .facet_facts(Facet::By(by), workspace, periods, now, &live_filter)
            .await?;
        Ok(facts.into_iter().map(Accumulated::into_groups).collect())
    }

    /// Inquiries in progress right now that `filter` keeps, per group of `by` (`None`: one
    /// group, keyed [`GroupKey::Unassigned`]).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn in_progress_groups(
        &self,
        workspace: &str,
        by: Option<Dimension>,
        filter: &Filter,
    ) -> Result<BTreeMap<GroupKey, u64>, StoreError> {
        let (statement, values) = in_progress_groups(self.backend(), by, filter);
        let rows: Vec<(Option<String>, i64)> = on_backend!(self, |pool, _sql| {
            let mut query = sqlx::query_as(statement.as_str()).bind(workspace);
            for value in &values {
                query = query.bind(value.as_str());
            }
            query
                .fetch_all(pool)
                .await
                .map_err(query_error("counting inquiries in progress"))?
        });
        Ok(rows
            .into_iter()
            .map(|(key, count)| (GroupKey::of(key), count.max(0) as u64))
            .collect())
    }

    /// How many inquiries of `status` fall in `window` among those `filter` keeps: pending
    /// ones requested in it, or ones resolved or expired in it.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn count_in_window(
        &self,
        workspace: &str,
        status: InquiryStatus,
        window: Window,
        filter: &Filter,
    ) -> Result<u64, StoreError> {
        let (statement, values) = count_in_window(self.backend(), status, filter);
        let count: i64 = on_backend!(self, |pool, _sql| {
            let mut query = sqlx::query_scalar(statement.as_str())
                .bind(workspace)
                .bind(window.start.timestamp())
                .bind(window.end.timestamp());
            for value in &values {
                query = query.bind(value.as_str());
            }
            query
                .fetch_one(pool)
                .await
                .map_err(query_error("counting inquiries"))?
        });
        Ok(count.max(0) as u64)
    }

    /// The `limit` longest-waiting inquiries, pending (`in_progress` false) or in progress,
    /// that `filter` keeps, requested in `window` (`None`: any time); oldest first.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn open_inquiries(
        &self,
        workspace: &str,
        in_progress: bool,
        window: Option<Window>,
        filter: &Filter,
        limit: u32,
    ) -> Result<Vec<OpenInquiry>, StoreError> {
        let (statement, values) =
            open_inquiries(self.backend(), in_progress, window.is_some(), filter);
        let rows: Vec<OpenRow> = on_backend!(self, |pool, _sql| {
            let mut query = sqlx::query_as(statement.as_str()).bind(workspace);
            if let Some(window) = window {
                query = query
                    .bind(window.start.timestamp())
                    .bind(window.end.timestamp());
            }
            query = query.bind(i64::from(limit));
            for value in &values {
                query = query.bind(value.as_str());
            }
            query
                .fetch_all(pool)
                .await
                .map_err(query_error("listing open inquiries"))?
        });
        Ok(rows.into_iter().filter_map(open_inquiry).collect())
    }

    /// Up to `limit` values of `dimension` starting with `prefix` (case-insensitive), from
    /// the inquiries of the last [`RECENT_VALUE_DAYS`] local days: what autocomplete offers.
    /// Read from the group aggregates, so it costs what a breakdown of those days costs.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn recent_values(
        &self,
        workspace: &str,
        timezone: chrono_tz::Tz,
        dimension: Dimension,
        prefix: &str,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let today = now.with_timezone(&timezone).date_naive();
        let period = Period {
            from: today - Duration::days(RECENT_VALUE_DAYS - 1),
            to: today,
            timezone,
        };
        let [groups] = self
            .period_groups(workspace, &[&period], now, dimension, &[])
            .await?
            .try_into()
            .unwrap_or_else(|_| unreachable!("one period asked"));
        let prefix = prefix.trim().to_lowercase();
        let values: BTreeSet<String> = groups
            .0
            .into_keys()
            .filter_map(|key| match key {
                GroupKey::Value(value) => Some(value),
                _ => None,
            })
            .filter(|value| value.to_lowercase().starts_with(&prefix))
            .collect();
        Ok(values.into_iter().take(limit).collect())
    }
}
