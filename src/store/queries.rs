//! The SQL text of each backend, side by side so a change to one is made to the other.
//!
//! Parameters are always `(workspace, window start, window end)` with instants as epoch
//! seconds. SQLite statements pin their index with `INDEXED BY`: if the index ever stopped
//! matching, the statement would fail loudly instead of silently scanning the table.

/// The statements one backend runs.
#[derive(Debug)]
pub struct Statements {
    /// Pending inquiries requested in the window.
    pub pending_in_window: &'static str,
    /// Inquiries expired in the window.
    pub expired_in_window: &'static str,
    /// Attention seconds of inquiries attended in the window, as one comma-separated text
    /// (NULL for none). Lists come back as one row each: sqlx's SQLite driver hands every row
    /// across threads on its own, which made a day of a busy workspace cost milliseconds.
    pub attention_in_window: &'static str,
    /// `resolution:attention+resolution` seconds of inquiries resolved in the window, one
    /// comma-separated text; the resolution is empty when `attended_at` is NULL.
    pub resolved_in_window: &'static str,
    /// `(kind, score, count)` of survey answers in the window.
    pub surveys_in_window: &'static str,
    /// Inquiries in progress now.
    pub in_progress_now: &'static str,
    /// `(id, requested_at)` of the oldest pending inquiry.
    pub oldest_pending: &'static str,
    /// A row when the workspace has any inquiry.
    pub any_inquiry: &'static str,
    /// The statements of the per-day aggregates.
    pub aggregates: &'static super::AggregateStatements,
}

/// The column list of an inquiry upsert; values or a `SELECT` follow (the writers).
pub const UPSERT_INQUIRIES_HEAD: &str = "INSERT INTO inquiries (workspace, id, channel, origin, status, operator_id, \
     requested_at, attended_at, resolved_at, expired_at) ";
/// What an inquiry upsert replaces when `(workspace, id)` exists, and only when something
/// differs: an export imported again, or one overlapping the last, mostly repeats stored
/// rows, and rewriting one costs a new row version and an entry in every index (plus, on
/// PostgreSQL, a row in the update trigger's transition tables).
pub const UPSERT_INQUIRIES_TAIL: &str = " ON CONFLICT (workspace, id) DO UPDATE SET \
     channel = excluded.channel, origin = excluded.origin, status = excluded.status, \
     operator_id = excluded.operator_id, requested_at = excluded.requested_at, \
     attended_at = excluded.attended_at, resolved_at = excluded.resolved_at, \
     expired_at = excluded.expired_at \
     WHERE (inquiries.channel, inquiries.origin, inquiries.status, inquiries.operator_id, \
            inquiries.requested_at, inquiries.attended_at, inquiries.resolved_at, \
            inquiries.expired_at) \
     IS DISTINCT FROM (excluded.channel, excluded.origin, excluded.status, \
            excluded.operator_id, excluded.requested_at, excluded.attended_at, \
            excluded.resolved_at, excluded.expired_at)";
/// The column list of a survey answer upsert.
pub const UPSERT_SURVEYS_HEAD: &str =
    "INSERT INTO survey_responses (workspace, id, inquiry_id, kind, score, answered_at) ";
/// What a survey answer upsert replaces, only when something differs (as for inquiries).
pub const UPSERT_SURVEYS_TAIL: &str = " ON CONFLICT (workspace, id) DO UPDATE SET \
     inquiry_id = excluded.inquiry_id, kind = excluded.kind, score = excluded.score, \
     answered_at = excluded.answered_at \
     WHERE (survey_responses.inquiry_id, survey_responses.kind, survey_responses.score, \
            survey_responses.answered_at) \
     IS DISTINCT FROM (excluded.inquiry_id, excluded.kind, excluded.score, excluded.answered_at)";

/// A table the bulk writers fill, as both backends' writers see it: where its rows are
/// staged, its columns (in the order of its upsert), the time order staged rows move in,
/// and its upsert clauses.
#[derive(Debug)]
pub(crate) struct BulkShape {
    /// The table.
    pub name: &'static str,
    /// The temporary table its rows are staged in when it is not empty.
    pub staged: &'static str,
    /// Its columns, in the order of its upsert and of the rows the writers bind or copy.
    pub columns: &'static str,
    /// The order staged rows move in: the time column of most of its indexes.
    pub time_order: &'static str,
    /// The upsert clauses (`head`, `tail` around values or a `SELECT`).
    pub upsert: (&'static str, &'static str),
}

/// The inquiry table.
pub(crate) const INQUIRY_SHAPE: BulkShape = BulkShape {
    name: "inquiries",
    staged: "pulso_staged_inquiries",
    columns: "workspace, id, channel, origin, status, operator_id, requested_at, attended_at, \
              resolved_at, expired_at",
    time_order: "workspace, requested_at",
    upsert: (UPSERT_INQUIRIES_HEAD, UPSERT_INQUIRIES_TAIL),
};

/// The survey answer table.
pub(crate) const SURVEY_SHAPE: BulkShape = BulkShape {
    name: "survey_responses",
    staged: "pulso_staged_surveys",
    columns: "workspace, id, inquiry_id, kind, score, answered_at",
    time_order: "workspace, answered_at",
    upsert: (UPSERT_SURVEYS_HEAD, UPSERT_SURVEYS_TAIL),
};

/// SQLite: integer epoch seconds throughout.
pub static SQLITE: Statements = Statements {
    pending_in_window: "SELECT COUNT(*) FROM inquiries INDEXED BY inquiries_pending \
         WHERE workspace = ?1 AND status = 'pending' AND requested_at >= ?2 AND requested_at < ?3",
    expired_in_window: "SELECT COUNT(*) FROM inquiries INDEXED BY inquiries_expired \
         WHERE workspace = ?1 AND expired_at >= ?2 AND expired_at < ?3",
    attention_in_window: "SELECT group_concat(attended_at - requested_at) \
         FROM inquiries INDEXED BY inquiries_attended \
         WHERE workspace = ?1 AND attended_at >= ?2 AND attended_at < ?3",
    resolved_in_window: "SELECT group_concat(coalesce(resolved_at - attended_at, '') || ':' \
         || (resolved_at - requested_at)) FROM inquiries INDEXED BY inquiries_resolved \
         WHERE workspace = ?1 AND resolved_at >= ?2 AND resolved_at < ?3",
    surveys_in_window: "SELECT kind, score, COUNT(*) FROM survey_responses \
         INDEXED BY survey_responses_answered \
         WHERE workspace = ?1 AND answered_at >= ?2 AND answered_at < ?3 GROUP BY kind, score",
    in_progress_now: "SELECT COUNT(*) FROM inquiries INDEXED BY inquiries_in_progress \
         WHERE workspace = ?1 AND status = 'in_progress'",
    oldest_pending: "SELECT id, requested_at FROM inquiries INDEXED BY inquiries_pending \
         WHERE workspace = ?1 AND status = 'pending' ORDER BY requested_at, id LIMIT 1",
    any_inquiry: "SELECT 1 FROM inquiries WHERE workspace = ?1 LIMIT 1",
    aggregates: &super::aggregate_sql::SQLITE,
};

/// PostgreSQL: `timestamptz` columns, compared with `to_timestamp(epoch seconds)`.
/// Durations floor each instant to whole seconds, as an import into SQLite would. Epoch
/// seconds come from `date_part` (double precision: exact for whole seconds, and the floor
/// of a microsecond instant is right) rather than `extract` (numeric since PostgreSQL 14,
/// several times slower per row).
pub static POSTGRES: Statements = Statements {
    pending_in_window: "SELECT COUNT(*) FROM inquiries \
         WHERE workspace = $1 AND status = 'pending' \
         AND requested_at >= to_timestamp($2) AND requested_at < to_timestamp($3)",
    expired_in_window: "SELECT COUNT(*) FROM inquiries \
         WHERE workspace = $1 AND expired_at >= to_timestamp($2) AND expired_at < to_timestamp($3)",
    attention_in_window: "SELECT string_agg((floor(date_part('epoch', attended_at)) \
         - floor(date_part('epoch', requested_at)))::bigint::text, ',') FROM inquiries \
         WHERE workspace = $1 AND attended_at >= to_timestamp($2) AND attended_at < to_timestamp($3)",
    resolved_in_window: "SELECT string_agg(coalesce((floor(date_part('epoch', resolved_at)) \
         - floor(date_part('epoch', attended_at)))::bigint::text, '') || ':' || \
         (floor(date_part('epoch', resolved_at)) - floor(date_part('epoch', requested_at)))::bigint::text, \
         ',') FROM inquiries \
         WHERE workspace = $1 AND resolved_at >= to_timestamp($2) AND resolved_at < to_timestamp($3)",
    surveys_in_window: "SELECT kind::text, score::bigint, COUNT(*) FROM survey_responses \
         WHERE workspace = $1 AND answered_at >= to_timestamp($2) AND answered_at < to_timestamp($3) \
         GROUP BY kind, score",
    in_progress_now: "SELECT COUNT(*) FROM inquiries WHERE workspace = $1 AND status = 'in_progress'",
    oldest_pending: "SELECT id, floor(date_part('epoch', requested_at))::bigint FROM inquiries \
         WHERE workspace = $1 AND status = 'pending' ORDER BY requested_at, id LIMIT 1",
    any_inquiry: "SELECT 1::bigint FROM inquiries WHERE workspace = $1 LIMIT 1",
    aggregates: &super::aggregate_sql::POSTGRES,
};
