//! The SQL of the per-day aggregates (see `aggregates.rs`), both backends side by side.
//!
//! "Timed" reads return the instant each fact belongs to, so one index range read can be
//! split into local days in Rust. Days are numbered from 1970-01-01 (local days for
//! aggregates, UTC days for dirty marks).

/// The aggregate statements of one backend.
#[derive(Debug)]
pub struct AggregateStatements {
    /// Starts the read transaction: one snapshot for marks, aggregates and live rows.
    pub begin_read: &'static str,
    /// Starts the transaction that stores aggregates.
    pub begin_write: &'static str,
    /// Run after `begin_write`: waits (bounded) for writers that may still add marks.
    pub lock_marks: &'static [&'static str],
    /// How many of pulso's six dirty-marking triggers exist (6: the tables are pulso's own).
    pub marking_triggers: &'static str,
    /// `(lo_day, hi_day, version)` of the marks of workspace `$1` overlapping UTC days `$2..=$3`.
    pub marks_overlapping: &'static str,
    /// The stored days of workspace `$1`, days `$2..=$3`, zone `$4`, as one row: a list of
    /// `day:built_at:length` and the concatenation of the `facts` in the same order.
    /// One row instead of one per day: sqlx's SQLite driver hands each row across threads
    /// on its own (about 10 µs each), which was most of a 365-day answer.
    pub aggregates_in_range: &'static str,
    /// `requested_at` of pending inquiries requested in `[$2, $3)`. Every timed read returns
    /// one comma-separated text of `:`-separated fields (see `store/lists.rs` for why).
    pub pending_timed: &'static str,
    /// `expired_at` of inquiries expired in `[$2, $3)`.
    pub expired_timed: &'static str,
    /// `attended_at:attention seconds` of inquiries attended in `[$2, $3)`.
    pub attention_timed: &'static str,
    /// `resolved_at:resolution seconds:attention + resolution seconds` (resolution empty
    /// without `attended_at`).
    pub resolved_timed: &'static str,
    /// `answered_at:code`: code is the NPS score, 100 + the CSAT score, or -1.
    pub surveys_timed: &'static str,
    /// Deletes the aggregates of workspace `$1` that any of its marks overlaps.
    pub apply_marks: &'static str,
    /// Deletes the marks of workspace `$1` (after `apply_marks`, in the same transaction).
    pub clear_marks: &'static str,
    /// Deletes aggregates of workspace `$1` built for another zone than `$2`.
    pub drop_other_zones: &'static str,
    /// Stores one day: `(workspace, day, timezone, day_start, day_end, built_at, facts)`.
    pub upsert_aggregate: &'static str,
    /// `aggregates_in_range` for the groups of dimension `$5` (`day_group_aggregates`).
    pub group_aggregates_in_range: &'static str,
    /// `apply_marks` for the group aggregates: a mark invalidates both kinds.
    pub apply_group_marks: &'static str,
    /// `drop_other_zones` for the group aggregates.
    pub drop_other_zone_groups: &'static str,
    /// `upsert_aggregate` for the groups of one dimension, bound eighth.
    pub upsert_group_aggregate: &'static str,
    /// The stored months of dimension `$5` whose first day is in `$2..=$3`, zone `$4`, in
    /// the `aggregates_in_range` form (`month:built_at:length`).
    pub months_in_range: &'static str,
    /// Deletes the months of workspace `$1` any of its marks overlaps.
    pub apply_month_marks: &'static str,
    /// Deletes the months of workspace `$1` built for another zone than `$2`.
    pub drop_other_zone_months: &'static str,
    /// Stores one month: `(workspace, month, timezone, month_start, month_end, built_at,
    /// facts, dimension)`.
    pub upsert_month: &'static str,
}

const APPLY_MONTH_MARKS: &str = "DELETE FROM month_group_aggregates WHERE workspace = $1 AND EXISTS (\
     SELECT 1 FROM aggregate_dirty m WHERE m.workspace = $1 \
     AND month_group_aggregates.month_start < (m.hi_day + 1) * 86400 \
     AND month_group_aggregates.month_end > m.lo_day * 86400)";

const UPSERT_MONTH: &str = "INSERT INTO month_group_aggregates \
     (workspace, month, timezone, month_start, month_end, built_at, facts, dimension) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (workspace, dimension, month, timezone) DO UPDATE SET \
     month_start = excluded.month_start, month_end = excluded.month_end, \
     built_at = excluded.built_at, facts = excluded.facts";

const MARKS_OVERLAPPING: &str = "SELECT lo_day, hi_day, version FROM aggregate_dirty \
     WHERE workspace = $1 AND lo_day <= $3 AND hi_day >= $2";

/// Deletes the rows of a day table (`day_aggregates`, `day_group_aggregates`) of workspace
/// `$1` that any of its marks overlaps. A local day `d` lies within UTC days `d - 1 ..= d +
/// 1` (offsets are under 24 h), which bounds the search before the exact overlap test on
/// the day's UTC window.
macro_rules! apply_day_marks {
    ($table:literal) => {
        concat!(
            "DELETE FROM ",
            $table,
            " WHERE workspace = $1 AND EXISTS (",
            "SELECT 1 FROM aggregate_dirty m WHERE m.workspace = $1 ",
            "AND m.lo_day <= ",
            $table,
            ".day + 1 AND m.hi_day >= ",
            $table,
            ".day - 1 ",
            "AND ",
            $table,
            ".day_start < (m.hi_day + 1) * 86400 ",
            "AND ",
            $table,
            ".day_end > m.lo_day * 86400)"
        )
    };
}

/// Deletes the rows of an aggregate table of workspace `$1` built for another zone than `$2`.
macro_rules! drop_other_zones {
    ($table:literal) => {
        concat!(
            "DELETE FROM ",
            $table,
            " WHERE workspace = $1 AND timezone <> $2"
        )
    };
}

const APPLY_MARKS: &str = apply_day_marks!("day_aggregates");
const APPLY_GROUP_MARKS: &str = apply_day_marks!("day_group_aggregates");
const DROP_OTHER_ZONES: &str = drop_other_zones!("day_aggregates");
const DROP_OTHER_ZONE_GROUPS: &str = drop_other_zones!("day_group_aggregates");
const DROP_OTHER_ZONE_MONTHS: &str = drop_other_zones!("month_group_aggregates");

const UPSERT_GROUP_AGGREGATE: &str = "INSERT INTO day_group_aggregates \
     (workspace, day, timezone, day_start, day_end, built_at, facts, dimension) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (workspace, dimension, day, timezone) DO UPDATE SET \
     day_start = excluded.day_start, day_end = excluded.day_end, \
     built_at = excluded.built_at, facts = excluded.facts";

const UPSERT_AGGREGATE: &str = "INSERT INTO day_aggregates \
     (workspace, day, timezone, day_start, day_end, built_at, facts) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (workspace, day, timezone) DO UPDATE SET \
     day_start = excluded.day_start, day_end = excluded.day_end, \
     built_at = excluded.built_at, facts = excluded.facts";

/// SQLite: `BEGIN IMMEDIATE` takes the single writer lock, so no mark can commit while
/// aggregates are stored.
pub static SQLITE: AggregateStatements = AggregateStatements {
    begin_read: "BEGIN",
    begin_write: "BEGIN IMMEDIATE",
    lock_marks: &[],
    marking_triggers: triggers::SQLITE,
    marks_overlapping: MARKS_OVERLAPPING,
    // Both aggregates see the rows in one pass, so in the same order. group_concat reads a
    // BLOB as text of the same bytes (the database is UTF-8) and the cast gives them back.
    aggregates_in_range: "SELECT group_concat(day || ':' || built_at || ':' || length(facts), ','), \
         CAST(group_concat(facts, '') AS BLOB) FROM day_aggregates \
         INDEXED BY day_aggregates_key \
         WHERE workspace = $1 AND day >= $2 AND day <= $3 AND timezone = $4",
    pending_timed: "SELECT group_concat(requested_at) FROM inquiries INDEXED BY inquiries_pending \
         WHERE workspace = $1 AND status = 'pending' AND requested_at >= $2 AND requested_at < $3",
    expired_timed: "SELECT group_concat(expired_at) FROM inquiries INDEXED BY inquiries_expired \
         WHERE workspace = $1 AND expired_at >= $2 AND expired_at < $3",
    attention_timed: "SELECT group_concat(attended_at || ':' || (attended_at - requested_at)) \
         FROM inquiries INDEXED BY inquiries_attended \
         WHERE workspace = $1 AND attended_at >= $2 AND attended_at < $3",
    resolved_timed: "SELECT group_concat(resolved_at || ':' || coalesce(resolved_at - attended_at, '') \
         || ':' || (resolved_at - requested_at)) FROM inquiries INDEXED BY inquiries_resolved \
         WHERE workspace = $1 AND resolved_at >= $2 AND resolved_at < $3",
    surveys_timed: "SELECT group_concat(answered_at || ':' || CASE kind WHEN 'nps' THEN score \
         WHEN 'csat' THEN 100 + score ELSE -1 END) \
         FROM survey_responses INDEXED BY survey_responses_answered \
         WHERE workspace = $1 AND answered_at >= $2 AND answered_at < $3",
    apply_marks: APPLY_MARKS,
    clear_marks: "DELETE FROM aggregate_dirty WHERE workspace = $1",
    drop_other_zones: DROP_OTHER_ZONES,
    upsert_aggregate: UPSERT_AGGREGATE,
    group_aggregates_in_range: "SELECT \
         group_concat(day || ':' || built_at || ':' || length(facts), ','), \
         CAST(group_concat(facts, '') AS BLOB) FROM day_group_aggregates \
         INDEXED BY day_group_aggregates_key \
         WHERE workspace = $1 AND dimension = $5 AND day >= $2 AND day <= $3 AND timezone = $4",
    apply_group_marks: APPLY_GROUP_MARKS,
    drop_other_zone_groups: DROP_OTHER_ZONE_GROUPS,
    upsert_group_aggregate: UPSERT_GROUP_AGGREGATE,
    months_in_range: "SELECT \
         group_concat(month || ':' || built_at || ':' || length(facts), ','), \
         CAST(group_concat(facts, '') AS BLOB) FROM month_group_aggregates \
         INDEXED BY month_group_aggregates_key \
         WHERE workspace = $1 AND dimension = $5 AND month >= $2 AND month <= $3 AND timezone = $4",
    apply_month_marks: APPLY_MONTH_MARKS,
    drop_other_zone_months: DROP_OTHER_ZONE_MONTHS,
    upsert_month: UPSERT_MONTH,
};

/// PostgreSQL: a repeatable-read snapshot for reading; storing takes a lock that conflicts
/// with the marking triggers' inserts, so it waits for writers in flight (at most 2 s, then
/// the aggregates are simply not stored this time).
pub static POSTGRES: AggregateStatements = AggregateStatements {
    begin_read: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    begin_write: "BEGIN",
    lock_marks: &[
        "SET LOCAL lock_timeout = '2s'",
        "LOCK TABLE aggregate_dirty IN SHARE ROW EXCLUSIVE MODE",
    ],
    marking_triggers: triggers::POSTGRES,
    marks_overlapping: MARKS_OVERLAPPING,
    aggregates_in_range: "SELECT \
         string_agg(day || ':' || built_at || ':' || length(facts), ',' ORDER BY day), \
         string_agg(facts, ''::bytea ORDER BY day) FROM day_aggregates \
         WHERE workspace = $1 AND day >= $2 AND day <= $3 AND timezone = $4",
    pending_timed: "SELECT string_agg(floor(date_part('epoch', requested_at))::bigint::text, ',') \
         FROM inquiries WHERE workspace = $1 AND status = 'pending' \
         AND requested_at >= to_timestamp($2) AND requested_at < to_timestamp($3)",
    expired_timed: "SELECT string_agg(floor(date_part('epoch', expired_at))::bigint::text, ',') \
         FROM inquiries \
         WHERE workspace = $1 AND expired_at >= to_timestamp($2) AND expired_at < to_timestamp($3)",
    attention_timed: "SELECT string_agg(floor(date_part('epoch', attended_at))::bigint::text || ':' || \
         (floor(date_part('epoch', attended_at)) - floor(date_part('epoch', requested_at)))::bigint::text, ',') \
         FROM inquiries WHERE workspace = $1 \
         AND attended_at >= to_timestamp($2) AND attended_at < to_timestamp($3)",
    resolved_timed: "SELECT string_agg(floor(date_part('epoch', resolved_at))::bigint::text || ':' || \
         coalesce((floor(date_part('epoch', resolved_at)) - floor(date_part('epoch', attended_at)))::bigint::text, '') \
         || ':' || (floor(date_part('epoch', resolved_at)) - floor(date_part('epoch', requested_at)))::bigint::text, ',') \
         FROM inquiries WHERE workspace = $1 \
         AND resolved_at >= to_timestamp($2) AND resolved_at < to_timestamp($3)",
    surveys_timed: "SELECT string_agg(floor(date_part('epoch', answered_at))::bigint::text || ':' || \
         (CASE kind WHEN 'nps' THEN score WHEN 'csat' THEN 100 + score ELSE -1 END)::bigint::text, ',') \
         FROM survey_responses WHERE workspace = $1 \
         AND answered_at >= to_timestamp($2) AND answered_at < to_timestamp($3)",
    apply_marks: APPLY_MARKS,
    clear_marks: "DELETE FROM aggregate_dirty WHERE workspace = $1",
    drop_other_zones: DROP_OTHER_ZONES,
    upsert_aggregate: UPSERT_AGGREGATE,
    group_aggregates_in_range: "SELECT \
         string_agg(day || ':' || built_at || ':' || length(facts), ',' ORDER BY day), \
         string_agg(facts, ''::bytea ORDER BY day) FROM day_group_aggregates \
         WHERE workspace = $1 AND dimension = $5 AND day >= $2 AND day <= $3 AND timezone = $4",
    apply_group_marks: APPLY_GROUP_MARKS,
    drop_other_zone_groups: DROP_OTHER_ZONE_GROUPS,
    upsert_group_aggregate: UPSERT_GROUP_AGGREGATE,
    months_in_range: "SELECT \
         string_agg(month || ':' || built_at || ':' || length(facts), ',' ORDER BY month), \
         string_agg(facts, ''::bytea ORDER BY month) FROM month_group_aggregates \
         WHERE workspace = $1 AND dimension = $5 AND month >= $2 AND month <= $3 AND timezone = $4",
    apply_month_marks: APPLY_MONTH_MARKS,
    drop_other_zone_months: DROP_OTHER_ZONE_MONTHS,
    upsert_month: UPSERT_MONTH,
};

/// Counting pulso's dirty-marking triggers on each backend.
mod triggers {
    pub const SQLITE: &str = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (\
         'inquiries_dirty_insert', 'inquiries_dirty_update', 'inquiries_dirty_delete', \
         'survey_responses_dirty_insert', 'survey_responses_dirty_update', 'survey_responses_dirty_delete')";
    pub const POSTGRES: &str = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal \
         AND tgrelid IN (to_regclass('inquiries'), to_regclass('survey_responses')) AND tgname IN (\
         'inquiries_dirty_insert', 'inquiries_dirty_update', 'inquiries_dirty_delete', \
         'survey_responses_dirty_insert', 'survey_responses_dirty_update', 'survey_responses_dirty_delete')";
}
