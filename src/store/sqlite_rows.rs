//! How the SQLite bulk writer turns rows into statements: the columns each row binds, the
//! multi-row upsert text, and the day spans the writer marks in place of the insert
//! triggers (see `sqlite_writer`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Statement};

use super::BATCH_ROWS;
use super::sqlite_load::{Paths, TablePath};
use crate::domain::{Inquiry, SurveyResponse};

/// The upsert of the spans to mark (`head`, `tail` around the values).
pub(super) const MARK_SPANS: (&str, &str) = (
    "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) ",
    " ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1",
);

/// A row the writer can bind: its columns in the order of its upsert's column list.
pub(super) trait BulkRow {
    /// Columns, hence parameters per row.
    const COLUMNS: usize;
    /// Binds the row's columns from parameter `first + 1` on.
    fn bind(&self, statement: &mut Statement<'_>, first: usize) -> rusqlite::Result<()>;
}

/// A row whose insert trigger the writer stands in for.
pub(super) trait MarkedRow: BulkRow {
    /// What writing it is called in an error.
    const WRITING: &'static str;
    /// The table's largest row id.
    const LAST_ROW_ID: &'static str;
    /// Marks, as the insert trigger would, the rows above the row id `?1`.
    const MARK_INSERTED: &'static str;
    /// `(workspace, earliest, latest)` instant of the row: the span its trigger marks.
    fn span(&self) -> (&str, DateTime<Utc>, DateTime<Utc>);
    /// Its table's path in a write transaction.
    fn path(paths: &Paths) -> &TablePath;
}

impl MarkedRow for Inquiry {
    const WRITING: &'static str = "writing inquiries";
    const LAST_ROW_ID: &'static str = "SELECT coalesce(max(row_id), 0) FROM inquiries";
    const MARK_INSERTED: &'static str = MARK_INSERTED_INQUIRIES;

    fn span(&self) -> (&str, DateTime<Utc>, DateTime<Utc>) {
        let instants = [self.attended_at, self.resolved_at, self.expired_at];
        let (mut lo, mut hi) = (self.requested_at, self.requested_at);
        for at in instants.into_iter().flatten() {
            lo = lo.min(at);
            hi = hi.max(at);
        }
        (&self.workspace, lo, hi)
    }

    fn path(paths: &Paths) -> &TablePath {
        &paths.inquiries
    }
}

impl MarkedRow for SurveyResponse {
    const WRITING: &'static str = "writing survey answers";
    const LAST_ROW_ID: &'static str = "SELECT coalesce(max(row_id), 0) FROM survey_responses";
    const MARK_INSERTED: &'static str = MARK_INSERTED_SURVEYS;

    fn span(&self) -> (&str, DateTime<Utc>, DateTime<Utc>) {
        (&self.workspace, self.answered_at, self.answered_at)
    }

    fn path(paths: &Paths) -> &TablePath {
        &paths.surveys
    }
}

/// The statements that mark the rows a staged upsert inserted, for the query-plan test: each must search a row id range, never scan a table.
pub const SQLITE_INSERT_MARKS: [&str; 3] = [
    MARK_INSERTED_INQUIRIES,
    MARK_INSERTED_SURVEYS,
    MARK_ANSWERS_OF_INSERTED,
];

/// The spans the insert trigger would have marked (the same day arithmetic), once per span,
/// for the inquiries above the watermark `?1`. `NOT INDEXED` keeps SQLite on the row id
/// range: for the survey statement's `GROUP BY` SQLite 3.46 otherwise scans the whole
/// covering index `survey_responses_answered` per batch (import at 3M inquiries: 80,000
/// instead of 106,000 rows/s, when the writer marked every batch this way); both statements
/// say it, so neither can drift there.
const MARK_INSERTED_INQUIRIES: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT workspace, (lo - ((lo % 86400 + 86400) % 86400)) / 86400, \
            (hi - ((hi % 86400 + 86400) % 86400)) / 86400 \
     FROM (SELECT workspace, \
                  min(requested_at, coalesce(attended_at, requested_at), \
                      coalesce(resolved_at, requested_at), coalesce(expired_at, requested_at)) AS lo, \
                  max(requested_at, coalesce(attended_at, requested_at), \
                      coalesce(resolved_at, requested_at), coalesce(expired_at, requested_at)) AS hi \
           FROM inquiries NOT INDEXED WHERE row_id > ?1) \
     WHERE true GROUP BY 1, 2, 3 \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";
/// The days of the answers that name an inquiry above the row id `?1`: an answer belongs to
/// its inquiry's groups (operator, origin, channel), so a new inquiry moves its answers out
/// of "inquiry unknown", as the suspended insert trigger would have marked. `CROSS JOIN`
/// keeps SQLite on the new inquiries' row id range, looking their answers up: left to
/// choose, it scanned every stored answer and looked its inquiry up (10 s of a 24 s
/// re-import into 10M inquiries and 3.7M answers).
pub(super) const MARK_ANSWERS_OF_INSERTED: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT DISTINCT s.workspace, \
            (s.answered_at - ((s.answered_at % 86400 + 86400) % 86400)) / 86400, \
            (s.answered_at - ((s.answered_at % 86400 + 86400) % 86400)) / 86400 \
     FROM inquiries i CROSS JOIN survey_responses s INDEXED BY survey_responses_inquiry \
       ON s.workspace = i.workspace AND s.inquiry_id = i.id \
     WHERE i.row_id > ?1 \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";
/// The same for survey answers: the day of `answered_at`.
const MARK_INSERTED_SURVEYS: &str = "INSERT INTO aggregate_dirty (workspace, lo_day, hi_day) \
     SELECT workspace, day, day \
     FROM (SELECT workspace, (answered_at - ((answered_at % 86400 + 86400) % 86400)) / 86400 AS day \
           FROM survey_responses NOT INDEXED WHERE row_id > ?1) \
     WHERE true GROUP BY 1, 2 \
     ON CONFLICT (workspace, lo_day, hi_day) DO UPDATE SET version = version + 1";

impl BulkRow for Inquiry {
    const COLUMNS: usize = 10;

    fn bind(&self, statement: &mut Statement<'_>, first: usize) -> rusqlite::Result<()> {
        statement.raw_bind_parameter(first + 1, self.workspace.as_str())?;
        statement.raw_bind_parameter(first + 2, self.id.as_str())?;
        statement.raw_bind_parameter(first + 3, self.channel.as_str())?;
        statement.raw_bind_parameter(first + 4, self.origin.as_str())?;
        statement.raw_bind_parameter(first + 5, self.status.as_str())?;
        statement.raw_bind_parameter(first + 6, self.operator_id.as_deref())?;
        statement.raw_bind_parameter(first + 7, self.requested_at.timestamp())?;
        statement.raw_bind_parameter(first + 8, self.attended_at.map(|at| at.timestamp()))?;
        statement.raw_bind_parameter(first + 9, self.resolved_at.map(|at| at.timestamp()))?;
        statement.raw_bind_parameter(first + 10, self.expired_at.map(|at| at.timestamp()))
    }
}

impl BulkRow for SurveyResponse {
    const COLUMNS: usize = 6;

    fn bind(&self, statement: &mut Statement<'_>, first: usize) -> rusqlite::Result<()> {
        statement.raw_bind_parameter(first + 1, self.workspace.as_str())?;
        statement.raw_bind_parameter(first + 2, self.id.as_str())?;
        statement.raw_bind_parameter(first + 3, self.inquiry_id.as_deref())?;
        statement.raw_bind_parameter(first + 4, self.kind.as_str())?;
        statement.raw_bind_parameter(first + 5, self.score)?;
        statement.raw_bind_parameter(first + 6, self.answered_at.timestamp())
    }
}

/// A day span to mark: `(workspace, lo_day, hi_day)`.
impl BulkRow for (String, i64, i64) {
    const COLUMNS: usize = 3;

    fn bind(&self, statement: &mut Statement<'_>, first: usize) -> rusqlite::Result<()> {
        statement.raw_bind_parameter(first + 1, self.0.as_str())?;
        statement.raw_bind_parameter(first + 2, self.1)?;
        statement.raw_bind_parameter(first + 3, self.2)
    }
}

/// Upserts `rows` as `head VALUES (…), (…) tail`, [`BATCH_ROWS`] rows per statement.
pub(super) fn write_rows<T: BulkRow>(
    connection: &Connection,
    (head, tail): (&str, &str),
    rows: &[T],
) -> rusqlite::Result<()> {
    for chunk in rows.chunks(BATCH_ROWS) {
        let row = format!("({})", vec!["?"; T::COLUMNS].join(", "));
        let sql = format!("{head}VALUES {}{tail}", vec![row; chunk.len()].join(", "));
        // Cached: every full statement of an import reuses one prepared statement.
        let mut statement = connection.prepare_cached(&sql)?;
        for (n, row) in chunk.iter().enumerate() {
            row.bind(&mut statement, n * T::COLUMNS)?;
        }
        statement.raw_execute()?;
    }
    Ok(())
}

/// The distinct `(lo_day, hi_day)` UTC day spans written, per workspace: what the insert
/// triggers would have marked.
#[derive(Default)]
pub(super) struct DaySpans(HashMap<String, HashSet<(i64, i64)>>);

impl DaySpans {
    /// Records the span of a row from `lo` to `hi`.
    pub(super) fn add(&mut self, workspace: &str, lo: DateTime<Utc>, hi: DateTime<Utc>) {
        let span = (utc_day(lo), utc_day(hi));
        // Looked up by `&str` first: a new `String` only for a new workspace.
        match self.0.get_mut(workspace) {
            Some(spans) => {
                spans.insert(span);
            }
            None => {
                self.0.insert(workspace.to_string(), HashSet::from([span]));
            }
        }
    }

    /// One `(workspace, lo_day, hi_day)` row per span, for [`MARK_SPANS`].
    pub(super) fn into_rows(self) -> Vec<(String, i64, i64)> {
        self.0
            .into_iter()
            .flat_map(|(workspace, spans)| {
                spans
                    .into_iter()
                    .map(move |(lo, hi)| (workspace.clone(), lo, hi))
            })
            .collect()
    }
}

/// The UTC day number of `at` (days since 1970-01-01, floored), as the triggers compute it.
fn utc_day(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(86_400)
}
