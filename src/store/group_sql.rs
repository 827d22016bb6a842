//! The SQL of breakdowns and filters, written per request: which dimension a read groups
//! by and which values a filter keeps vary, so these statements are assembled here (values
//! are always bound, never spliced in) instead of being constants in `queries.rs`.
//!
//! Each read returns one row per group, `(known, key, list)`: `known` is 0 for survey
//! answers whose inquiry is not in the database, `key` the group's value (NULL: no
//! operator, or no grouping), and `list` the group's timed items as the day-aggregate
//! rebuild reads them (`aggregate_sql.rs`), so one binning serves live reads and rebuilds.
//! Each is an index range of one workspace on the same time indexes as the unfiltered
//! reads (the plans test checks it).

use crate::config::Backend;
use crate::domain::{Dimension, Filter, InquiryStatus};

/// The five grouped reads of one request and the values their filter binds after
/// `(workspace, start, end)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupedReads {
    /// Pending (requested), expired, attention, resolved and survey reads, in the order of
    /// `bin_timed_lists`.
    pub statements: [String; 5],
    /// Bound as `$4, $5, …` in every statement.
    pub values: Vec<String>,
}

/// The reads of `filter`'s inquiries over a window, grouped by `by` (`None`: one group
/// per known/unknown inquiry, to be summed).
pub fn grouped_reads(backend: Backend, by: Option<Dimension>, filter: &Filter) -> GroupedReads {
    let sql = Dialect(backend);
    let (condition, values) = filter_condition(filter, 4);
    let key = group_key(by);
    let inquiry_read = |index: &str, instant: &str, items: String, extra: &str| {
        format!(
            "SELECT CAST(1 AS BIGINT), {key}, {} FROM inquiries AS i{} \
             WHERE i.workspace = $1{extra} AND {}{condition} GROUP BY 1, 2",
            sql.list(&items),
            sql.indexed(index),
            sql.range(&format!("i.{instant}"), 2),
        )
    };
    let (requested, attended, resolved, expired) = (
        sql.epoch("i.requested_at"),
        sql.epoch("i.attended_at"),
        sql.epoch("i.resolved_at"),
        sql.epoch("i.expired_at"),
    );
    let pending = inquiry_read(
        "inquiries_pending",
        "requested_at",
        sql.text(requested.clone()),
        " AND i.status = 'pending'",
    );
    let expired_read = inquiry_read("inquiries_expired", "expired_at", sql.text(expired), "");
    let attention = inquiry_read(
        "inquiries_attended",
        "attended_at",
        format!(
            "{} || ':' || {}",
            sql.text(attended.clone()),
            sql.text(format!("{attended} - {requested}"))
        ),
        "",
    );
    let resolved_read = inquiry_read(
        "inquiries_resolved",
        "resolved_at",
        format!(
            "{} || ':' || coalesce({}, '') || ':' || {}",
            sql.text(resolved.clone()),
            sql.text(format!("{resolved} - {attended}")),
            sql.text(format!("{resolved} - {requested}"))
        ),
        "",
    );
    let answered = sql.epoch("s.answered_at");
    let code = "CASE s.kind WHEN 'nps' THEN s.score WHEN 'csat' THEN 100 + s.score ELSE -1 END";
    let surveys = format!(
        "SELECT CAST(CASE WHEN i.id IS NULL THEN 0 ELSE 1 END AS BIGINT), {key}, {} \
         FROM survey_responses AS s{} \
         LEFT JOIN inquiries AS i ON i.workspace = s.workspace AND i.id = s.inquiry_id \
         WHERE s.workspace = $1 AND {}{condition} GROUP BY 1, 2",
        sql.list(&format!(
            "{} || ':' || {}",
            sql.text(answered),
            sql.text(code.to_string())
        )),
        sql.indexed("survey_responses_answered"),
        sql.range("s.answered_at", 2),
    );
    GroupedReads {
        statements: [pending, expired_read, attention, resolved_read, surveys],
        values,
    }
}

/// What the two backends write differently in these statements.
#[derive(Clone, Copy)]
struct Dialect(Backend);

impl Dialect {
    fn pg(self) -> bool {
        self.0 == Backend::Postgres
    }

    /// An instant column as whole epoch seconds (SQLite stores them so).
    fn epoch(self, column: &str) -> String {
        if self.pg() {
            format!("floor(date_part('epoch', {column}))::bigint")
        } else {
            column.to_string()
        }
    }

    /// An integer expression as text, parenthesised on both: SQLite's `||` binds tighter
    /// than `-`.
    fn text(self, expression: String) -> String {
        if self.pg() {
            format!("({expression})::text")
        } else {
            format!("({expression})")
        }
    }

    /// `column` in `[$first, $first + 1)` of epoch seconds.
    fn range(self, column: &str, first: usize) -> String {
        let next = first + 1;
        if self.pg() {
            format!("{column} >= to_timestamp(${first}) AND {column} < to_timestamp(${next})")
        } else {
            format!("{column} >= ${first} AND {column} < ${next}")
        }
    }

    /// The comma-separated list of `items` over a group.
    fn list(self, items: &str) -> String {
        if self.pg() {
            format!("string_agg({items}, ',')")
        } else {
            format!("group_concat({items})")
        }
    }

    /// SQLite's `INDEXED BY`, which keeps it on the time index; nothing on PostgreSQL.
    fn indexed(self, index: &str) -> String {
        if self.pg() {
            String::new()
        } else {
            format!(" INDEXED BY {index}")
        }
    }
}

/// ` AND i.<column> IN ($first, …)` for each dimension `filter` restricts, and the values
/// to bind in that order.
fn filter_condition(filter: &Filter, first: usize) -> (String, Vec<String>) {
    let mut values: Vec<String> = Vec::new();
    let mut condition = String::new();
    for (dimension, kept) in filter.restrictions() {
        let placeholders: Vec<String> = kept
            .iter()
            .map(|value| {
                values.push(value.clone());
                format!("${}", first + values.len() - 1)
            })
            .collect();
        condition.push_str(&format!(
            " AND i.{} IN ({})",
            dimension.column(),
            placeholders.join(", ")
        ));
    }
    (condition, values)
}

fn group_key(by: Option<Dimension>) -> String {
    by.map_or_else(
        || "CAST(NULL AS TEXT)".to_string(),
        |by| format!("i.{}", by.column()),
    )
}

/// `(key, count)` of the inquiries in progress now that `filter` keeps, per group of `by`;
/// binds `$1` workspace, then the returned values.
pub fn in_progress_groups(
    backend: Backend,
    by: Option<Dimension>,
    filter: &Filter,
) -> (String, Vec<String>) {
    let (condition, values) = filter_condition(filter, 2);
    let statement = format!(
        "SELECT {}, count(*) FROM inquiries AS i{} \
         WHERE i.workspace = $1 AND i.status = 'in_progress'{condition} GROUP BY 1",
        group_key(by),
        Dialect(backend).indexed("inquiries_in_progress"),
    );
    (statement, values)
}

/// `(id, channel, origin, operator_id, requested_at)` of the longest-waiting inquiries of
/// `status` (pending or in progress) that `filter` keeps, oldest first. Binds `$1`
/// workspace, then, when `windowed`, `[$2, $3)` of `requested_at` and the limit `$4`,
/// otherwise the limit `$2`; then the returned values.
pub fn open_inquiries(
    backend: Backend,
    in_progress: bool,
    windowed: bool,
    filter: &Filter,
) -> (String, Vec<String>) {
    let sql = Dialect(backend);
    let (window, limit, first) = if windowed {
        (format!(" AND {}", sql.range("i.requested_at", 2)), "$4", 5)
    } else {
        (String::new(), "$2", 3)
    };
    let (condition, values) = filter_condition(filter, first);
    let (status, index) = if in_progress {
        ("in_progress", "inquiries_in_progress")
    } else {
        ("pending", "inquiries_pending")
    };
    let statement = format!(
        "SELECT i.id, i.channel, i.origin, i.operator_id, {} FROM inquiries AS i{} \
         WHERE i.workspace = $1 AND i.status = '{status}'{window}{condition} \
         ORDER BY i.requested_at, i.id LIMIT {limit}",
        sql.epoch("i.requested_at"),
        sql.indexed(index),
    );
    (statement, values)
}

/// How many inquiries of `status` (pending: requested; resolved; expired) fall in
/// `[$2, $3)` among those `filter` keeps; binds `$1` workspace, `$2`, `$3`, then the values.
pub fn count_in_window(
    backend: Backend,
    status: InquiryStatus,
    filter: &Filter,
) -> (String, Vec<String>) {
    let (condition, values) = filter_condition(filter, 4);
    let (index, instant, extra) = match status {
        InquiryStatus::Resolved => ("inquiries_resolved", "resolved_at", ""),
        InquiryStatus::Expired => ("inquiries_expired", "expired_at", ""),
        InquiryStatus::Pending | InquiryStatus::InProgress => (
            "inquiries_pending",
            "requested_at",
            " AND i.status = 'pending'",
        ),
    };
    let sql = Dialect(backend);
    let statement = format!(
        "SELECT count(*) FROM inquiries AS i{} WHERE i.workspace = $1{extra} AND {}{condition}",
        sql.indexed(index),
        sql.range(&format!("i.{instant}"), 2),
    );
    (statement, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_bound_after_the_window_never_spliced() {
        let mut filter = Filter::default();
        filter.set(Dimension::Origin, vec!["pay'ments".into(), "b".into()]);
        filter.set(Dimension::Channel, vec!["web".into()]);
        let reads = grouped_reads(Backend::Sqlite, Some(Dimension::Operator), &filter);
        assert_eq!(reads.values, ["pay'ments", "b", "web"]);
        for statement in &reads.statements {
            assert!(statement.contains("i.origin IN ($4, $5) AND i.channel IN ($6)"));
            assert!(statement.contains("i.operator_id"), "{statement}");
            assert!(!statement.contains("pay'ments"));
        }
        let plain = grouped_reads(Backend::Postgres, None, &Filter::default());
        assert!(plain.values.is_empty());
        assert!(plain.statements[0].contains("to_timestamp($2)"));
        assert!(!plain.statements[0].contains(" IN ("));
    }
}
