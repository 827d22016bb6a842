//! Generated imports for the order, repeat and kill tests: a reproducible dataset of every
//! status and survey kind, written as CSV in any row order and with integer or UUID ids, and
//! what a database holds afterwards (rows with ids mapped back, day marks, indexes and
//! triggers), to compare two databases exactly.

use std::collections::HashMap;
use std::io::Write as _;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use pulso::config::Backend;
use pulso::domain::{Inquiry, SurveyKind, SurveyResponse};
use pulso::store::{Pool, Store};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{INQUIRY_HEADER, SURVEY_HEADER};
use crate::helpers::*;

/// Inquiries and survey answers, as the CSV files will hold them.
#[derive(Debug, Clone)]
pub(super) struct Dataset {
    pub inquiries: Vec<Inquiry>,
    pub surveys: Vec<SurveyResponse>,
}

/// The first instant of every generated row: 2026-03-01T00:00:00Z.
pub(super) fn start() -> DateTime<Utc> {
    utc(2026, 3, 1, 0, 0, 0)
}

/// `inquiries` inquiries with integer ids from `first_id`, in workspaces `w` and `x`, each
/// requested at its own second over 20 days from [`start`] (so no tie makes an "oldest" depend on ids),
/// of every status; about half the closed ones have a survey answer pointing at them, and
/// some answers point at no inquiry. Rows are in time order.
pub(super) fn dataset(seed: u64, inquiries: usize, first_id: usize) -> Dataset {
    dataset_in(seed, inquiries, first_id, start(), 20)
}

/// As [`dataset`], requested over `days` days from `from`.
pub(super) fn dataset_in(
    seed: u64,
    inquiries: usize,
    first_id: usize,
    from: DateTime<Utc>,
    days: i64,
) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let span = days * 86_400;
    let step = span / inquiries as i64;
    let mut offsets: Vec<i64> = (0..inquiries as i64)
        .map(|n| n * step + rng.gen_range(0..step))
        .collect();
    offsets.shuffle(&mut rng);
    let mut rows = Vec::with_capacity(inquiries);
    let mut surveys = Vec::new();
    for (n, offset) in offsets.into_iter().enumerate() {
        let id = (first_id + n).to_string();
        let workspace = if rng.gen_bool(0.7) { "w" } else { "x" };
        let at = from + Duration::seconds(offset);
        let wait = rng.gen_range(0..90);
        let inquiry = match rng.gen_range(0..10) {
            0..=1 => pending(workspace, &id, at),
            2 => in_progress(workspace, &id, at, wait),
            3..=7 => resolved(workspace, &id, at, wait, rng.gen_range(1..240)),
            _ => expired(workspace, &id, at, rng.gen_range(60..600)),
        };
        let inquiry = Inquiry {
            channel: ["whatsapp", "webchat"][rng.gen_range(0..2)].into(),
            origin: ["payments", "claims", "orders"][rng.gen_range(0..3)].into(),
            ..inquiry
        };
        let closed = inquiry.resolved_at.or(inquiry.expired_at);
        if let Some(closed) = closed.filter(|_| rng.gen_bool(0.5)) {
            let answered = closed + Duration::minutes(rng.gen_range(1..120));
            let mut answer = survey(&mut rng, workspace, surveys.len() + first_id, answered);
            answer.inquiry_id = rng.gen_bool(0.9).then(|| id.clone());
            surveys.push(answer);
        }
        rows.push(inquiry);
    }
    rows.sort_by_key(|row| row.requested_at);
    surveys.sort_by_key(|answer| answer.answered_at);
    Dataset {
        inquiries: rows,
        surveys,
    }
}

/// A survey answer of a random kind and score.
pub(super) fn survey(
    rng: &mut ChaCha8Rng,
    workspace: &str,
    id: usize,
    answered_at: DateTime<Utc>,
) -> SurveyResponse {
    let id = id.to_string();
    if rng.gen_bool(0.5) {
        answer(
            workspace,
            &id,
            SurveyKind::Nps,
            rng.gen_range(0..=10),
            answered_at,
        )
    } else {
        answer(
            workspace,
            &id,
            SurveyKind::Csat,
            rng.gen_range(1..=5),
            answered_at,
        )
    }
}

/// How ids are written: as generated, or each as a UUID of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ids {
    Integers,
    Uuids,
}

impl Ids {
    /// The id written for generated id `id` of `table` (an inquiry id and a survey answer's
    /// `inquiry_id` map alike).
    pub fn write(self, table: Table, id: &str) -> String {
        match self {
            Ids::Integers => id.to_string(),
            Ids::Uuids => uuid_of(table, id),
        }
    }
}

/// Which table an id belongs to (the UUIDs of the two differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Inquiries,
    Surveys,
}

/// A UUID made from an integer id and its table: the same input always gives the same one.
fn uuid_of(table: Table, id: &str) -> String {
    let n: u64 = id.parse().expect("generated ids are integers");
    let salt = match table {
        Table::Inquiries => 0x9e37_79b9_7f4a_7c15,
        Table::Surveys => 0xc2b2_ae3d_27d4_eb4f,
    };
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let high = mix(n.wrapping_add(salt));
    let low = mix(n ^ salt.rotate_left(17)) ^ n;
    uuid::Uuid::from_u64_pair(high, low).to_string()
}

/// The map from every UUID of `data` back to its integer id.
pub(super) fn uuids_back(data: &Dataset) -> HashMap<String, String> {
    let inquiries = data
        .inquiries
        .iter()
        .map(|row| (uuid_of(Table::Inquiries, &row.id), row.id.clone()));
    let surveys = data
        .surveys
        .iter()
        .map(|row| (uuid_of(Table::Surveys, &row.id), row.id.clone()));
    let map: HashMap<_, _> = inquiries.chain(surveys).collect();
    assert_eq!(
        map.len(),
        data.inquiries.len() + data.surveys.len(),
        "UUIDs collide"
    );
    map
}

/// An instant as RFC 3339: UTC for even seconds, at -03:00 for odd ones (both are read).
fn instant(at: DateTime<Utc>) -> String {
    if at.timestamp() % 2 == 0 {
        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    } else {
        let offset = FixedOffset::west_opt(3 * 3600).unwrap();
        at.with_timezone(&offset).to_rfc3339()
    }
}

fn optional(at: Option<DateTime<Utc>>) -> String {
    at.map(instant).unwrap_or_default()
}

/// The CSV line of an inquiry, with its id written as `ids` says.
pub(super) fn inquiry_line(row: &Inquiry, ids: Ids) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{},{}",
        ids.write(Table::Inquiries, &row.id),
        row.workspace,
        row.channel,
        row.origin,
        row.status.as_str(),
        row.operator_id.as_deref().unwrap_or(""),
        instant(row.requested_at),
        optional(row.attended_at),
        optional(row.resolved_at),
        optional(row.expired_at),
    )
}

/// The CSV line of a survey answer, its id and inquiry id written as `ids` says.
pub(super) fn survey_line(row: &SurveyResponse, ids: Ids) -> String {
    let inquiry = row.inquiry_id.as_deref();
    format!(
        "{},{},{},{},{},{}",
        ids.write(Table::Surveys, &row.id),
        row.workspace,
        inquiry.map_or(String::new(), |id| ids.write(Table::Inquiries, id)),
        row.kind.as_str(),
        row.score,
        instant(row.answered_at),
    )
}

/// Writes `data` into `dir` as `NAME-inquiries.csv` and `NAME-surveys.csv`, shuffled with
/// `shuffle_seed` (or in the dataset's time order), ids written as `ids`.
pub(super) fn write_files(
    dir: &std::path::Path,
    name: &str,
    data: &Dataset,
    shuffle_seed: Option<u64>,
    ids: Ids,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let mut inquiries: Vec<String> = data
        .inquiries
        .iter()
        .map(|row| inquiry_line(row, ids))
        .collect();
    let mut surveys: Vec<String> = data.surveys.iter().map(|r| survey_line(r, ids)).collect();
    if let Some(seed) = shuffle_seed {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        inquiries.shuffle(&mut rng);
        surveys.shuffle(&mut rng);
    }
    let write = |suffix: &str, header: &str, lines: &[String]| {
        let path = dir.join(format!("{name}-{suffix}.csv"));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(file, "{header}").unwrap();
        for line in lines {
            writeln!(file, "{line}").unwrap();
        }
        file.flush().unwrap();
        path
    };
    (
        write("inquiries", INQUIRY_HEADER, &inquiries),
        write("surveys", SURVEY_HEADER, &surveys),
    )
}

/// A fresh, migrated database on the same backend as `store`.
pub(super) async fn fresh_like(store: &Store) -> TestDb {
    match store.backend() {
        Backend::Sqlite => TestDb::sqlite().await,
        Backend::Postgres => TestDb::postgres()
            .await
            .expect("the server the running test uses"),
    }
}

/// Everything an import may change, to compare two databases: rows (ids mapped back),
/// day marks, and the schema objects of both tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Contents {
    /// `workspace|id|…every column…` of each inquiry, sorted.
    pub inquiries: Vec<String>,
    /// `workspace|id|inquiry_id|…` of each survey answer, sorted.
    pub surveys: Vec<String>,
}

/// The rows of both tables, every column but the row id, instants as epoch seconds; ids
/// (and inquiry ids) passed through `back`.
pub(super) async fn contents(store: &Store, back: Unmap<'_>) -> Contents {
    let epoch = |column: &str| match store.backend() {
        Backend::Sqlite => format!("coalesce({column} || '', '-')"),
        Backend::Postgres => format!("coalesce(extract(epoch FROM {column})::bigint::text, '-')"),
    };
    let inquiries = format!(
        "SELECT workspace, id, channel || '|' || origin || '|' || status || '|' || \
         coalesce(operator_id, '-') || '|' || {} || '|' || {} || '|' || {} || '|' || {} \
         FROM inquiries",
        epoch("requested_at"),
        epoch("attended_at"),
        epoch("resolved_at"),
        epoch("expired_at")
    );
    let surveys = format!(
        "SELECT workspace, id, coalesce(inquiry_id, ''), kind || '|' || score || '|' || {} \
         FROM survey_responses",
        epoch("answered_at")
    );
    let (inquiry_rows, survey_rows): (Vec<(String, String, String)>, Vec<_>) =
        crate::on_pool!(store, |pool| {
            let inquiries = sqlx::query_as(&inquiries).fetch_all(pool).await;
            let surveys = sqlx::query_as::<_, (String, String, String, String)>(&surveys)
                .fetch_all(pool)
                .await;
            (
                inquiries.expect("read inquiries"),
                surveys.expect("read answers"),
            )
        });
    let mut inquiries: Vec<String> = inquiry_rows
        .into_iter()
        .map(|(workspace, id, rest)| format!("{workspace}|{}|{rest}", back(&id)))
        .collect();
    let mut surveys: Vec<String> = survey_rows
        .into_iter()
        .map(|(workspace, id, inquiry, rest)| {
            let inquiry = if inquiry.is_empty() {
                String::new()
            } else {
                back(&inquiry)
            };
            format!("{workspace}|{}|{inquiry}|{rest}", back(&id))
        })
        .collect();
    inquiries.sort();
    surveys.sort();
    Contents { inquiries, surveys }
}

/// How ids read from a database are mapped back to the generated ones.
pub(super) type Unmap<'a> = &'a dyn Fn(&str) -> String;

/// Ids as stored.
pub(super) fn same(id: &str) -> String {
    id.to_string()
}

/// The day marks (`workspace lo_day hi_day`), sorted; versions left out.
pub(super) async fn marks(store: &Store) -> Vec<(String, i64, i64)> {
    let sql = "SELECT workspace, CAST(lo_day AS BIGINT), CAST(hi_day AS BIGINT) \
               FROM aggregate_dirty ORDER BY 1, 2, 3";
    crate::on_pool!(store, |pool| sqlx::query_as(sql).fetch_all(pool).await).expect("marks")
}

/// The indexes, constraints and triggers of both tables, each with its definition, sorted.
pub(super) async fn schema(store: &Store) -> Vec<(String, String)> {
    match store.pool() {
        Pool::Sqlite(pool) => {
            sqlx::query_as(
                "SELECT type || ' ' || name, coalesce(sql, '') FROM sqlite_master \
                 WHERE type IN ('index', 'trigger') \
                 AND tbl_name IN ('inquiries', 'survey_responses') ORDER BY 1, 2",
            )
            .fetch_all(pool)
            .await
        }
        Pool::Postgres(pool) => {
            sqlx::query_as(
                "SELECT 'index ' || indexname, indexdef FROM pg_indexes \
                 WHERE tablename IN ('inquiries', 'survey_responses') \
                 UNION ALL SELECT 'constraint ' || conname, pg_get_constraintdef(oid) \
                 FROM pg_constraint \
                 WHERE conrelid IN ('inquiries'::regclass, 'survey_responses'::regclass) \
                 UNION ALL SELECT 'trigger ' || tgname, pg_get_triggerdef(oid) FROM pg_trigger \
                 WHERE NOT tgisinternal \
                 AND tgrelid IN ('inquiries'::regclass, 'survey_responses'::regclass) \
                 ORDER BY 1, 2",
            )
            .fetch_all(pool)
            .await
        }
    }
    .expect("schema objects")
}

/// On SQLite, asserts the file passes `PRAGMA integrity_check` (every index holds exactly
/// its table's rows); PostgreSQL has no cheap equivalent.
pub(super) async fn assert_intact(store: &Store) {
    if let Pool::Sqlite(pool) = store.pool() {
        let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(pool)
            .await
            .expect("integrity check");
        assert_eq!(check, ["ok"]);
    }
}
