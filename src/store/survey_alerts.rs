//! SQL for the low_survey rule: the low answers past a cursor, and the cursor itself.
//!
//! **What "new" means.** An answer is new when it was *inserted* after the cursor, not
//! answered after it: teams import CSVs of answers days old, and each must still be
//! reported, once. The order is SQLite's row id (one writer at a time, so row ids follow
//! commit order), or on pulso's own PostgreSQL table the `inserted_seq` column. A sequence
//! value is taken when a row is inserted, not when it commits, so a slow writer can commit
//! a value below one already read; the reading therefore takes a `SHARE` lock on the table,
//! which waits for every insert in flight and holds new ones off for the few statements it
//! lasts. It waits at most half a second: behind a long import the reading is skipped and
//! the next tick tries again (the import's answers are not visible before it commits
//! anyway). `SHARE` also waits for a `VACUUM` or `ANALYZE` of the table (every mode that
//! excludes inserts does); half a second is below `deadlock_timeout`, so the reading gives
//! way to an autovacuum rather than cancel it, and the answers are posted after it. A
//! platform's views have no insertion order: there the order is `answered_at`,
//! read up to [`ANSWERED_LAG_SECS`] behind now, and an answer that becomes visible later
//! than that after its `answered_at` is missed (documented).
//!
//! Every statement reads an index range of one workspace (`tests/integration/plans.rs`).

use chrono::{DateTime, Utc};

use super::alert_rules::RuleEvaluation;
use super::postgres_load::{LOCK_NOT_AVAILABLE, has_code};
use super::{Pool, Store, StoreError, query_error};
use crate::domain::{LowAnswer, LowAnswers, SurveyCursor, SurveyKind, SurveyOrder};

/// How far behind now the `answered_at` order reads: the time a platform may take to make
/// an answer visible (its own commit, a read replica's lag).
pub const ANSWERED_LAG_SECS: i64 = 120;

/// What [`Store::low_answers`] reads.
#[derive(Debug, Clone, Copy)]
pub struct LowAnswersQuery<'a> {
    /// The workspace.
    pub workspace: &'a str,
    /// The rule's cursor; `None` on its first reading.
    pub from: Option<SurveyCursor>,
    /// NPS answers at or below this are low.
    pub nps_at_most: i16,
    /// CSAT answers at or below this are low.
    pub csat_at_most: i16,
    /// Most answers listed (all are counted).
    pub limit: u32,
    /// The evaluation's instant (the horizon of the `answered_at` order).
    pub now: DateTime<Utc>,
}

/// The statements of one backend and order. Parameters: `1` workspace, `2` from, `3` to
/// (exclusive), `4` nps_at_most, `5` csat_at_most, `6` limit.
#[derive(Debug, Clone, Copy)]
pub struct LowSurveyStatements {
    /// The first position past every answer of the workspace (insertion orders only).
    pub horizon: Option<&'static str>,
    /// How many low answers lie in `[from, to)`.
    pub count: &'static str,
    /// The first `limit` of them with their inquiry's operator and origin, in order.
    pub list: &'static str,
}

/// SQLite, by row id (the only order: pulso's tables).
pub static SQLITE_LOW_SURVEY: LowSurveyStatements = LowSurveyStatements {
    horizon: Some(
        "SELECT coalesce(max(row_id), 0) + 1 FROM survey_responses \
         INDEXED BY survey_responses_inserted WHERE workspace = ?1",
    ),
    count: "SELECT COUNT(*) FROM survey_responses AS s INDEXED BY survey_responses_inserted \
         WHERE s.workspace = ?1 AND s.row_id >= ?2 AND s.row_id < ?3 AND \
         ((s.kind = 'nps' AND s.score <= ?4) OR (s.kind = 'csat' AND s.score <= ?5))",
    list: "SELECT s.row_id, s.id, s.inquiry_id, s.kind, s.score, s.answered_at, \
         i.operator_id, i.origin FROM survey_responses AS s \
         INDEXED BY survey_responses_inserted \
         LEFT JOIN inquiries AS i ON i.workspace = s.workspace AND i.id = s.inquiry_id \
         WHERE s.workspace = ?1 AND s.row_id >= ?2 AND s.row_id < ?3 AND \
         ((s.kind = 'nps' AND s.score <= ?4) OR (s.kind = 'csat' AND s.score <= ?5)) \
         ORDER BY s.row_id LIMIT ?6",
};

/// PostgreSQL, pulso's own table: by `inserted_seq`. Each answer's inquiry is looked up by
/// its key in a `LATERAL … LIMIT 1` (never flattened into a join the planner could run as a
/// scan of the workspace's inquiries per answer).
pub static POSTGRES_LOW_SURVEY: LowSurveyStatements = LowSurveyStatements {
    horizon: Some(
        "SELECT coalesce(max(inserted_seq), 0) + 1 FROM survey_responses WHERE workspace = $1",
    ),
    count: "SELECT COUNT(*) FROM survey_responses AS s \
         WHERE s.workspace = $1 AND s.inserted_seq >= $2 AND s.inserted_seq < $3 AND \
         ((s.kind = 'nps' AND s.score <= $4) OR (s.kind = 'csat' AND s.score <= $5))",
    list: "SELECT s.inserted_seq, s.id, s.inquiry_id, s.kind::text, s.score::bigint, \
         floor(date_part('epoch', s.answered_at))::bigint, i.operator_id, i.origin \
         FROM survey_responses AS s \
         LEFT JOIN LATERAL (SELECT operator_id, origin FROM inquiries \
             WHERE workspace = s.workspace AND id = s.inquiry_id LIMIT 1) AS i ON true \
         WHERE s.workspace = $1 AND s.inserted_seq >= $2 AND s.inserted_seq < $3 AND \
         ((s.kind = 'nps' AND s.score <= $4) OR (s.kind = 'csat' AND s.score <= $5)) \
         ORDER BY s.inserted_seq LIMIT $6",
};

/// PostgreSQL, a platform's views: by `answered_at` (epoch seconds).
pub static POSTGRES_LOW_SURVEY_ANSWERED: LowSurveyStatements = LowSurveyStatements {
    horizon: None,
    count: "SELECT COUNT(*) FROM survey_responses AS s WHERE s.workspace = $1 \
         AND s.answered_at >= to_timestamp($2) AND s.answered_at < to_timestamp($3) AND \
         ((s.kind = 'nps' AND s.score <= $4) OR (s.kind = 'csat' AND s.score <= $5))",
    list: "SELECT floor(date_part('epoch', s.answered_at))::bigint, s.id, s.inquiry_id, \
         s.kind::text, s.score::bigint, floor(date_part('epoch', s.answered_at))::bigint, \
         i.operator_id, i.origin FROM survey_responses AS s \
         LEFT JOIN LATERAL (SELECT operator_id, origin FROM inquiries \
             WHERE workspace = s.workspace AND id = s.inquiry_id LIMIT 1) AS i ON true \
         WHERE s.workspace = $1 \
         AND s.answered_at >= to_timestamp($2) AND s.answered_at < to_timestamp($3) AND \
         ((s.kind = 'nps' AND s.score <= $4) OR (s.kind = 'csat' AND s.score <= $5)) \
         ORDER BY s.answered_at, s.id LIMIT $6",
};

/// Whether the survey relation has pulso's insertion order (a platform's view has not).
/// A missing relation is an error (`::regclass`), not a view: the reading fails and the
/// cursor stays, rather than restarting in the other order.
const HAS_INSERTED_SEQ: &str = "SELECT EXISTS (SELECT 1 FROM pg_attribute \
     WHERE attrelid = 'survey_responses'::regclass AND attname = 'inserted_seq' \
     AND NOT attisdropped)";

/// Waits at most half a second for the inserts in flight (module docs).
const LOCK_SURVEYS: &str = "SET LOCAL lock_timeout = '500ms'; \
     LOCK TABLE survey_responses IN SHARE MODE";

const SELECT_CURSOR: &str = "SELECT survey_order, survey_position FROM alert_rule_states \
     WHERE workspace = $1 AND rule = $2";

type LowRow = (
    i64,
    String,
    Option<String>,
    String,
    i64,
    i64,
    Option<String>,
    Option<String>,
);

fn low_answer(row: LowRow) -> Option<LowAnswer> {
    let (_, id, inquiry_id, kind, score, answered_at, operator_id, origin) = row;
    Some(LowAnswer {
        id,
        inquiry_id,
        kind: kind.parse::<SurveyKind>().ok()?,
        score: i16::try_from(score).ok()?,
        answered_at: DateTime::from_timestamp(answered_at, 0)?,
        operator_id,
        origin,
    })
}

/// Reads the answers of `[from, horizon)` through `$executor` (a transaction, so the
/// horizon, the count and the list agree).
macro_rules! read_low {
    ($executor:expr, $sql:expr, $order:expr, $query:expr, $horizon:expr) => {{
        let (sql, order, query): (&LowSurveyStatements, SurveyOrder, LowAnswersQuery<'_>) =
            ($sql, $order, $query);
        let horizon: i64 = match sql.horizon {
            Some(statement) => sqlx::query_scalar(statement)
                .bind(query.workspace)
                .fetch_one($executor)
                .await
                .map_err(query_error("finding the newest survey answer"))?,
            None => $horizon,
        };
        let from = query.from.filter(|from| from.order == order);
        let next = SurveyCursor {
            order,
            position: from.map_or(horizon, |from| from.position.max(horizon)),
        };
        let (mut total, mut listed) = (0, Vec::new());
        if let Some(start) = from.filter(|from| from.position < next.position) {
            let count: i64 = sqlx::query_scalar(sql.count)
                .bind(query.workspace)
                .bind(start.position)
                .bind(next.position)
                .bind(i64::from(query.nps_at_most))
                .bind(i64::from(query.csat_at_most))
                .fetch_one($executor)
                .await
                .map_err(query_error("counting low survey answers"))?;
            total = count.max(0) as u64;
            if total > 0 {
                let rows: Vec<LowRow> = sqlx::query_as(sql.list)
                    .bind(query.workspace)
                    .bind(start.position)
                    .bind(next.position)
                    .bind(i64::from(query.nps_at_most))
                    .bind(i64::from(query.csat_at_most))
                    .bind(i64::from(query.limit))
                    .fetch_all($executor)
                    .await
                    .map_err(query_error("listing low survey answers"))?;
                listed = rows.into_iter().filter_map(low_answer).collect();
            }
        }
        LowAnswers {
            from,
            next,
            total,
            listed,
        }
    }};
}

impl Store {
    /// The low answers of `query.workspace` from its cursor up to now, and where the next
    /// reading starts. Without a cursor (a rule's first reading), or with one of another
    /// order (the relation changed), nothing is counted and the cursor is placed at now:
    /// a new rule does not post the history. `None` when inserts in flight kept the
    /// reading from starting within half a second (try again at the next tick).
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn low_answers(
        &self,
        query: LowAnswersQuery<'_>,
    ) -> Result<Option<LowAnswers>, StoreError> {
        let begin = query_error("starting to read survey answers");
        let end = query_error("finishing reading survey answers");
        let answered_horizon = query.now.timestamp() - ANSWERED_LAG_SECS;
        match self.pool() {
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin().await.map_err(begin)?;
                let answers = read_low!(
                    &mut *tx,
                    &SQLITE_LOW_SURVEY,
                    SurveyOrder::Inserted,
                    query,
                    answered_horizon
                );
                tx.rollback().await.map_err(end)?;
                Ok(Some(answers))
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(begin)?;
                let inserted: bool = sqlx::query_scalar(HAS_INSERTED_SEQ)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(query_error("checking the survey table's insertion order"))?;
                let (sql, order) = if inserted {
                    match sqlx::Executor::execute(&mut *tx, LOCK_SURVEYS).await {
                        Ok(_) => {}
                        Err(error) if has_code(&error, LOCK_NOT_AVAILABLE) => return Ok(None),
                        Err(error) => return Err(query_error("locking survey answers")(error)),
                    }
                    (&POSTGRES_LOW_SURVEY, SurveyOrder::Inserted)
                } else {
                    (&POSTGRES_LOW_SURVEY_ANSWERED, SurveyOrder::Answered)
                };
                let answers = read_low!(&mut *tx, sql, order, query, answered_horizon);
                tx.rollback().await.map_err(end)?;
                Ok(Some(answers))
            }
        }
    }

    /// A low_survey rule's cursor; `None` before its first reading.
    ///
    /// # Errors
    /// [`StoreError::Query`].
    pub async fn survey_cursor(
        &self,
        workspace: &str,
        rule: &str,
    ) -> Result<Option<SurveyCursor>, StoreError> {
        let sql = self.text(SELECT_CURSOR);
        let row: Option<(Option<String>, Option<i64>)> = on_backend!(self, |pool, _sql| {
            sqlx::query_as(&sql)
                .bind(workspace)
                .bind(rule)
                .fetch_optional(pool)
                .await
                .map_err(query_error("reading a survey rule's cursor"))?
        });
        Ok(row.and_then(|(order, position)| {
            Some(SurveyCursor {
                order: SurveyOrder::parse(order.as_deref()?)?,
                position: position?,
            })
        }))
    }

    /// Stores a low_survey rule's evaluation as [`Store::record_rule_evaluation`] does
    /// (over the version read, once per slot, with its message, all or nothing), with its
    /// cursor moved to `cursor` in the same transaction: the answers a message reports are
    /// never reported again, and answers a dropped evaluation read are read again.
    ///
    /// # Errors
    /// [`StoreError::Query`]; nothing is written then.
    pub async fn record_survey_evaluation(
        &self,
        evaluation: RuleEvaluation<'_>,
        cursor: SurveyCursor,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.record_evaluation(evaluation, Some(cursor), now).await
    }
}
