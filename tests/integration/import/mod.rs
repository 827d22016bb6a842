//! `pulso import` against a real database: what a good file writes, that importing again
//! changes nothing, how instants are stored, and every way a file is rejected: each one
//! named as `FILE:LINE: column: problem`, with nothing at all written.
//! This file holds the shared fixtures; the tests are in the submodules.

mod accepted;
mod binary;
mod dataset;
mod killed;
mod order;
mod progress;
mod rejected_files;
mod rejected_rows;
mod repeats;
mod upgrade;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::UTC;
use pulso::domain::Inquiry;
use pulso::domain::Period;
use pulso::import::{ImportError, ImportProblem, ImportSummary, MAX_REPORTED, import_files};
use pulso::indicators::IndicatorReport;
use pulso::service::build_report;
use pulso::store::{BATCH_ROWS, Pool, Store};

use crate::helpers::*;

/// The configured workspaces every import in this module runs with.
const WORKSPACES: &[&str] = &["w", "x"];
const INQUIRY_HEADER: &str = "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at";
const SURVEY_HEADER: &str = "id,workspace,inquiry_id,kind,score,answered_at";
/// A good row that opens every rejected file, so the bad row is on line 3 and a good row
/// that would have been written is there to be kept out.
const GOOD_INQUIRY: &str = "g1,w,whatsapp,payments,resolved,op-1,2026-03-10T09:00:00Z,\
                            2026-03-10T09:10:00Z,2026-03-10T09:30:00Z,";
const GOOD_SURVEY: &str = "s1,w,g1,nps,9,2026-03-10T09:40:00Z";

/// The inquiries of the valid import: one of each status in `w`, and an id reused in `x`.
const INQUIRIES: &[&str] = &[
    "1,w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,",
    "2,w,whatsapp,claims,in_progress,op-1,2026-03-10T09:00:00Z,2026-03-10T09:03:00Z,,",
    "3,w,webchat,orders,resolved,op-2,2026-03-10T10:00:00Z,2026-03-10T10:06:00Z,2026-03-10T10:26:00Z,",
    "4,w,whatsapp,payments,resolved,op-1,2026-03-10T11:00:00Z,2026-03-10T11:09:00Z,2026-03-10T11:49:00Z,",
    "5,w,whatsapp,other,expired,,2026-03-10T08:00:00Z,,,2026-03-10T12:00:00Z",
    "1,x,whatsapp,payments,resolved,op-9,2026-03-10T09:00:00Z,2026-03-10T09:30:00Z,2026-03-10T10:00:00Z,",
];

/// The survey answers of the valid import; `n1` also exists in `x`.
const SURVEYS: &[&str] = &[
    "n1,w,3,nps,10,2026-03-10T10:30:00Z",
    "n2,w,4,nps,6,2026-03-10T12:00:00Z",
    "c1,w,3,csat,4,2026-03-10T10:40:00Z",
    "c2,w,,csat,2,2026-03-10T12:10:00Z",
    "n1,x,1,nps,9,2026-03-10T10:05:00Z",
];

/// CSV files in a temporary folder.
struct Csv {
    dir: tempfile::TempDir,
}

impl Csv {
    fn new() -> Csv {
        Csv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Writes `header` and then `rows`, one per line, to `name`.
    fn write<S: AsRef<str>>(&self, name: &str, header: &str, rows: &[S]) -> PathBuf {
        let mut text = format!("{header}\n");
        for row in rows {
            text.push_str(row.as_ref());
            text.push('\n');
        }
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write CSV");
        path
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// The UTC day all test rows live in.
fn march_10() -> Period {
    Period::new(date(2026, 3, 10), date(2026, 3, 10), UTC).unwrap()
}

/// A report over all of 2026, to see any row at all.
async fn whole_year(store: &Store, workspace: &str) -> IndicatorReport {
    let year = Period::new(date(2026, 1, 1), date(2026, 12, 31), UTC).unwrap();
    build_report(store, workspace, &year, utc(2027, 1, 1, 0, 0, 0))
        .await
        .unwrap()
}

/// Counts the rows of a table directly, bypassing the indicator queries.
async fn count_rows(store: &Store, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match store.pool() {
        Pool::Sqlite(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await,
        Pool::Postgres(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await,
    }
    .expect("count rows")
}

/// The instant stored in `column` of the `table` row with `id`, read directly; on
/// PostgreSQL it also checks that no fraction of a second was stored.
async fn stored_instant(
    store: &Store,
    table: &str,
    column: &str,
    id: &str,
) -> Option<DateTime<Utc>> {
    match store.pool() {
        Pool::Sqlite(pool) => {
            let sql = format!("SELECT {column} FROM {table} WHERE id = ?1");
            let seconds: Option<i64> = sqlx::query_scalar(&sql)
                .bind(id)
                .fetch_one(pool)
                .await
                .expect("read instant");
            seconds.map(|s| DateTime::from_timestamp(s, 0).unwrap())
        }
        Pool::Postgres(pool) => {
            let sql =
                format!("SELECT extract(epoch FROM {column})::float8 FROM {table} WHERE id = $1");
            let seconds: Option<f64> = sqlx::query_scalar(&sql)
                .bind(id)
                .fetch_one(pool)
                .await
                .expect("read instant");
            seconds.map(|s| {
                assert_eq!(
                    s.fract(),
                    0.0,
                    "{table}.{column} of {id} holds a fraction: {s}"
                );
                DateTime::from_timestamp(s as i64, 0).unwrap()
            })
        }
    }
}

/// Asserts the store holds no inquiry and no survey answer at all.
async fn assert_nothing_written(store: &Store) {
    for workspace in WORKSPACES {
        assert!(
            !store.has_inquiries(workspace).await.unwrap(),
            "{workspace} has inquiries"
        );
        let report = whole_year(store, workspace).await;
        let c = &report.current;
        assert_eq!(
            (c.pending, c.resolved, c.expired, report.in_progress),
            (0, 0, 0, 0),
            "{workspace}"
        );
        assert_eq!(
            (c.nps.responses, c.csat.responses),
            (0, 0),
            "{workspace}: survey answers"
        );
    }
    assert_eq!(count_rows(store, "inquiries").await, 0, "inquiry rows");
    assert_eq!(
        count_rows(store, "survey_responses").await,
        0,
        "survey rows"
    );
}

/// Imports expecting [`ImportError::Rejected`], checks that nothing was written, and returns
/// the listed problems and the total.
async fn rejected(
    store: &Store,
    inquiries: &Path,
    surveys: Option<&Path>,
) -> (Vec<ImportProblem>, usize) {
    let (problems, total) = match import_files(store, WORKSPACES, inquiries, surveys, &mut ()).await
    {
        Err(ImportError::Rejected { problems, total }) => (problems, total),
        other => panic!("expected ImportError::Rejected, got {other:?}"),
    };
    assert_nothing_written(store).await;
    (problems, total)
}

/// One expected problem: line, column, and words the problem text must contain.
type Expected<'a> = (u64, &'a str, &'a [&'a str]);

/// Asserts `problems` are exactly `expected`, all in `file`, each shown as
/// `FILE:LINE: column: problem`.
fn assert_problems(problems: &[ImportProblem], file: &Path, expected: &[Expected<'_>]) {
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), expected.len(), "problems: {shown:#?}");
    for ((problem, shown), (line, column, words)) in problems.iter().zip(&shown).zip(expected) {
        assert_eq!(problem.file, file, "{shown}");
        assert_eq!(problem.line, *line, "{shown}");
        assert_eq!(problem.column, *column, "{shown}");
        for word in *words {
            assert!(
                problem.problem.contains(word),
                "{shown}\n  should mention {word:?}"
            );
        }
        let prefix = format!("{}:{line}: {column}: ", file.display());
        assert_eq!(*shown, format!("{prefix}{}", problem.problem));
    }
}

/// Imports a file of a good row and then `bad` (line 3) and expects exactly one problem
/// there, in `column`, mentioning `words`.
async fn bad_inquiry_row(
    store: &Store,
    csv: &Csv,
    case: &str,
    bad: &str,
    column: &str,
    words: &[&str],
) {
    let path = csv.write(&format!("{case}.csv"), INQUIRY_HEADER, &[GOOD_INQUIRY, bad]);
    let (problems, total) = rejected(store, &path, None).await;
    assert_problems(&problems, &path, &[(3, column, words)]);
    assert_eq!(total, 1, "{case}");
}

/// Imports a good inquiry file with a survey file of a good answer and then `bad` (line 3);
/// expects exactly one problem there, and nothing written from either file.
async fn bad_survey_row(
    store: &Store,
    csv: &Csv,
    case: &str,
    bad: &str,
    column: &str,
    words: &[&str],
) {
    let inquiries = csv.write("good-inquiries.csv", INQUIRY_HEADER, &[GOOD_INQUIRY]);
    let surveys = csv.write(&format!("{case}.csv"), SURVEY_HEADER, &[GOOD_SURVEY, bad]);
    let (problems, total) = rejected(store, &inquiries, Some(&surveys)).await;
    assert_problems(&problems, &surveys, &[(3, column, words)]);
    assert_eq!(total, 1, "{case}");
}
