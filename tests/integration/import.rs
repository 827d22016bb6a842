//! `pulso import` against a real database: what a good file writes, that importing again
//! changes nothing, how instants are stored, and every way a file is rejected: each one
//! named as `FILE:LINE: column: problem`, with nothing at all written.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::UTC;
use pulso::domain::Inquiry;
use pulso::import::{ImportError, ImportProblem, ImportSummary, MAX_REPORTED, import_files};
use pulso::indicators::{IndicatorReport, Period, build_report};
use pulso::store::{BATCH_ROWS, Store};

use crate::helpers::*;

crate::backend_tests!(
    valid_files_write_rows_the_indicators_count,
    columns_are_matched_by_name_in_any_order,
    importing_the_same_files_twice_changes_nothing,
    importing_a_changed_row_again_updates_it,
    text_with_tabs_newlines_and_backslashes_is_stored_as_written,
    fractional_seconds_and_offsets_are_stored_as_whole_utc_seconds,
    empty_required_fields_are_rejected,
    unknown_status_and_malformed_instants_are_rejected,
    instants_out_of_order_are_rejected,
    status_and_instants_that_disagree_are_rejected,
    rows_of_unconfigured_workspaces_are_rejected,
    an_id_repeated_in_a_file_is_rejected_on_its_second_line,
    rows_with_the_wrong_number_of_fields_are_rejected,
    missing_and_unknown_header_columns_are_rejected,
    bad_survey_answers_are_rejected,
    a_bad_survey_file_keeps_the_good_inquiry_file_out,
    problems_in_both_files_are_all_listed,
    a_bad_row_after_a_written_batch_still_writes_nothing,
    more_than_twenty_problems_list_twenty_and_count_all,
    a_missing_file_is_a_read_error_naming_the_path,
);

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
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await,
        Store::Postgres(pool) => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await,
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
    match store {
        Store::Sqlite(pool) => {
            let sql = format!("SELECT {column} FROM {table} WHERE id = ?1");
            let seconds: Option<i64> = sqlx::query_scalar(&sql)
                .bind(id)
                .fetch_one(pool)
                .await
                .expect("read instant");
            seconds.map(|s| DateTime::from_timestamp(s, 0).unwrap())
        }
        Store::Postgres(pool) => {
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
    let (problems, total) = match import_files(store, WORKSPACES, inquiries, surveys).await {
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

/// A good import writes every row, returns the row counts, and the indicators see it all.
async fn valid_files_write_rows_the_indicators_count(store: &Store) {
    let csv = Csv::new();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, INQUIRIES);
    let surveys = csv.write("surveys.csv", SURVEY_HEADER, SURVEYS);
    let summary = import_files(store, WORKSPACES, &inquiries, Some(&surveys))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            inquiries: 6,
            surveys: 5
        }
    );
    assert_eq!(count_rows(store, "inquiries").await, 6);
    assert_eq!(count_rows(store, "survey_responses").await, 5);

    let report = build_report(store, "w", &march_10(), utc(2026, 3, 11, 0, 0, 0))
        .await
        .unwrap();
    let c = &report.current;
    assert_eq!(
        (c.pending, report.in_progress, c.resolved, c.expired),
        (1, 1, 2, 1)
    );
    assert_eq!(c.avg_attention_min, Some(6.0)); // (3 + 6 + 9) / 3
    assert_eq!(c.avg_resolution_min, Some(30.0)); // (20 + 40) / 2
    assert_eq!(c.avg_attention_resolution_min, Some(37.5)); // (26 + 49) / 2
    assert_eq!(
        (
            c.nps.responses,
            c.nps.promoters,
            c.nps.passives,
            c.nps.detractors
        ),
        (2, 1, 0, 1)
    );
    assert_eq!(c.nps.score, Some(0.0));
    assert_eq!(
        (c.csat.responses, c.csat.satisfied, c.csat.score),
        (2, 1, Some(50.0))
    );
    assert_eq!(
        report.oldest_pending.as_ref().map(|o| o.id.as_str()),
        Some("1")
    );

    // The same ids in another workspace are other rows, not duplicates.
    let other = build_report(store, "x", &march_10(), utc(2026, 3, 11, 0, 0, 0))
        .await
        .unwrap();
    let c = &other.current;
    assert_eq!((c.pending, c.resolved, c.expired), (0, 1, 0));
    assert_eq!(c.avg_attention_min, Some(30.0));
    assert_eq!((c.nps.responses, c.nps.score), (1, Some(100.0)));
}

/// The header may list the columns in any order (and padded); values follow their names.
async fn columns_are_matched_by_name_in_any_order(store: &Store) {
    let csv = Csv::new();
    let inquiries = csv.write(
        "inquiries.csv",
        "requested_at, status ,id,expired_at,resolved_at,attended_at,operator_id,origin,channel,workspace",
        &["2026-03-10T10:00:00Z, resolved ,r1,,2026-03-10T10:30:00Z,2026-03-10T10:05:00Z,op-1,claims,webchat,w"],
    );
    let surveys = csv.write(
        "surveys.csv",
        "score,kind,answered_at,workspace,id,inquiry_id",
        &["3,csat,2026-03-10T11:00:00Z,w,c1,r1"],
    );
    let summary = import_files(store, WORKSPACES, &inquiries, Some(&surveys))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            inquiries: 1,
            surveys: 1
        }
    );
    let report = build_report(store, "w", &march_10(), utc(2026, 3, 11, 0, 0, 0))
        .await
        .unwrap();
    let c = &report.current;
    assert_eq!(c.resolved, 1);
    assert_eq!(c.avg_attention_min, Some(5.0));
    assert_eq!(c.avg_resolution_min, Some(25.0));
    assert_eq!((c.csat.responses, c.csat.satisfied), (1, 0));
}

/// A second import of the same files leaves every count and figure exactly as it was.
async fn importing_the_same_files_twice_changes_nothing(store: &Store) {
    let csv = Csv::new();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, INQUIRIES);
    let surveys = csv.write("surveys.csv", SURVEY_HEADER, SURVEYS);
    let now = utc(2026, 3, 11, 0, 0, 0);
    let first = import_files(store, WORKSPACES, &inquiries, Some(&surveys))
        .await
        .unwrap();
    let mut before = Vec::new();
    for workspace in WORKSPACES {
        // The first answer for a closed day builds its aggregate (exact percentiles); later
        // ones read it (percentiles within the stated bound). Compare like with like.
        build_report(store, workspace, &march_10(), now)
            .await
            .unwrap();
        before.push(
            build_report(store, workspace, &march_10(), now)
                .await
                .unwrap(),
        );
    }
    let counts = (
        count_rows(store, "inquiries").await,
        count_rows(store, "survey_responses").await,
    );

    let second = import_files(store, WORKSPACES, &inquiries, Some(&surveys))
        .await
        .unwrap();
    assert_eq!(second, first);
    assert_eq!(
        (
            count_rows(store, "inquiries").await,
            count_rows(store, "survey_responses").await
        ),
        counts
    );
    assert_eq!(counts, (6, 5));
    for (workspace, before) in WORKSPACES.iter().zip(&before) {
        let after = build_report(store, workspace, &march_10(), now)
            .await
            .unwrap();
        assert_eq!(&after, before, "{workspace}");
    }
}

/// The bulk writers escape nothing away: PostgreSQL's `COPY` text format gives tabs,
/// newlines, backslashes and a literal `\N` special meanings.
async fn text_with_tabs_newlines_and_backslashes_is_stored_as_written(store: &Store) {
    let awkward = [
        "tab\there",
        "two\nlines\r",
        "back\\slash",
        "\\N",
        "",
        "ñandú ✓",
    ];
    let requested_at = utc(2026, 3, 10, 9, 0, 0);
    let rows: Vec<_> = awkward
        .iter()
        .enumerate()
        .map(|(n, text)| Inquiry {
            channel: (*text).into(),
            origin: format!("{text}!"),
            operator_id: Some((*text).into()),
            ..in_progress(
                "w",
                &format!("{text}#{n}"),
                requested_at + chrono::Duration::minutes(n as i64),
                1,
            )
        })
        .collect();
    insert(store, &rows, &[]).await;
    let stored = store.oldest_in_progress("w", 10).await.unwrap();
    let read: Vec<_> = stored
        .iter()
        .map(|open| {
            (
                open.id.clone(),
                open.channel.clone(),
                open.origin.clone(),
                open.operator_id.clone(),
            )
        })
        .collect();
    let written: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                row.id.clone(),
                row.channel.clone(),
                row.origin.clone(),
                row.operator_id.clone(),
            )
        })
        .collect();
    assert_eq!(read, written);
}

/// Importing a row again with another status (and an answer with another score) updates
/// them in place instead of adding rows.
async fn importing_a_changed_row_again_updates_it(store: &Store) {
    let csv = Csv::new();
    let now = utc(2026, 3, 11, 0, 0, 0);
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, INQUIRIES);
    let surveys = csv.write("surveys.csv", SURVEY_HEADER, SURVEYS);
    import_files(store, WORKSPACES, &inquiries, Some(&surveys))
        .await
        .unwrap();

    // Inquiry 1 was pending; now an operator took it after 12 minutes and resolved it.
    let changed = csv.write(
        "changed.csv",
        INQUIRY_HEADER,
        &["1,w,whatsapp,payments,resolved,op-3,2026-03-10T09:00:00Z,2026-03-10T09:12:00Z,2026-03-10T09:22:00Z,"],
    );
    let rescored = csv.write(
        "rescored.csv",
        SURVEY_HEADER,
        &["n2,w,4,nps,9,2026-03-10T12:00:00Z"],
    );
    let summary = import_files(store, WORKSPACES, &changed, Some(&rescored))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            inquiries: 1,
            surveys: 1
        }
    );
    assert_eq!(count_rows(store, "inquiries").await, 6);
    assert_eq!(count_rows(store, "survey_responses").await, 5);

    let report = build_report(store, "w", &march_10(), now).await.unwrap();
    let c = &report.current;
    assert_eq!((c.pending, c.resolved, c.expired), (0, 3, 1));
    assert_eq!(report.oldest_pending, None);
    assert_eq!(c.avg_attention_min, Some(7.5)); // (3 + 6 + 9 + 12) / 4
    assert_eq!(
        (c.nps.promoters, c.nps.detractors, c.nps.score),
        (2, 0, Some(100.0))
    );
}

/// Sub-second parts are cut off (not rounded) and offsets are converted, so each instant is
/// the right UTC second on both backends.
async fn fractional_seconds_and_offsets_are_stored_as_whole_utc_seconds(store: &Store) {
    let csv = Csv::new();
    let inquiries = csv.write(
        "inquiries.csv",
        INQUIRY_HEADER,
        &[
            // 09:00:00.750 at -03:00 is 12:00:00.750 UTC.
            "p,w,whatsapp,payments,pending,,2026-03-10T09:00:00.750-03:00,,,",
            // Rounding would move it into March 11.
            "late,w,whatsapp,payments,pending,,2026-03-10T23:59:59.999Z,,,",
            "r,w,whatsapp,payments,resolved,op-1,2026-03-10T14:00:00.999+02:00,\
             2026-03-10T07:10:00.5-05:00,2026-03-10T13:30:00.999999999+01:00,",
            "e,w,whatsapp,payments,expired,,2026-03-10T17:30:00.250+05:30,,,2026-03-11T05:29:59.9+05:30",
        ],
    );
    let surveys = csv.write(
        "surveys.csv",
        SURVEY_HEADER,
        &["a,w,r,nps,10,2026-03-10T20:59:59.999-03:00"],
    );
    import_files(store, WORKSPACES, &inquiries, Some(&surveys))
        .await
        .unwrap();

    let at = |h, m, s| Some(utc(2026, 3, 10, h, m, s));
    assert_eq!(
        stored_instant(store, "inquiries", "requested_at", "p").await,
        at(12, 0, 0)
    );
    assert_eq!(
        stored_instant(store, "inquiries", "requested_at", "late").await,
        at(23, 59, 59)
    );
    assert_eq!(
        stored_instant(store, "inquiries", "requested_at", "r").await,
        at(12, 0, 0)
    );
    assert_eq!(
        stored_instant(store, "inquiries", "attended_at", "r").await,
        at(12, 10, 0)
    );
    assert_eq!(
        stored_instant(store, "inquiries", "resolved_at", "r").await,
        at(12, 30, 0)
    );
    assert_eq!(
        stored_instant(store, "inquiries", "requested_at", "e").await,
        at(12, 0, 0)
    );
    assert_eq!(
        stored_instant(store, "inquiries", "expired_at", "e").await,
        at(23, 59, 59)
    );
    assert_eq!(
        stored_instant(store, "survey_responses", "answered_at", "a").await,
        at(23, 59, 59)
    );

    let now = utc(2026, 3, 11, 0, 0, 0);
    let report = build_report(store, "w", &march_10(), now).await.unwrap();
    let c = &report.current;
    assert_eq!(
        (c.pending, c.resolved, c.expired, c.nps.responses),
        (2, 1, 1, 1)
    );
    assert_eq!(c.avg_attention_min, Some(10.0));
    assert_eq!(c.avg_resolution_min, Some(20.0));
    let oldest = report.oldest_pending.expect("oldest pending");
    assert_eq!(
        (oldest.id.as_str(), oldest.requested_at),
        ("p", utc(2026, 3, 10, 12, 0, 0))
    );
    assert_eq!(oldest.waiting_min, 720.0);
    let next_day = Period::new(date(2026, 3, 11), date(2026, 3, 11), UTC).unwrap();
    let next = build_report(store, "w", &next_day, utc(2026, 3, 12, 0, 0, 0))
        .await
        .unwrap();
    assert_eq!(
        (
            next.current.pending,
            next.current.expired,
            next.current.nps.responses
        ),
        (0, 0, 0)
    );
}

/// Each required field left empty is named by its column.
async fn empty_required_fields_are_rejected(store: &Store) {
    let csv = Csv::new();
    let empty = &["required, but empty"];
    let cases = [
        (
            "no-id",
            ",w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,",
            "id",
        ),
        (
            "no-workspace",
            "b,,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,",
            "workspace",
        ),
        (
            "no-channel",
            "b,w,,payments,pending,,2026-03-10T09:00:00Z,,,",
            "channel",
        ),
        (
            "no-origin",
            "b,w,whatsapp,,pending,,2026-03-10T09:00:00Z,,,",
            "origin",
        ),
        (
            "no-status",
            "b,w,whatsapp,payments,,,2026-03-10T09:00:00Z,,,",
            "status",
        ),
        (
            "no-requested-at",
            "b,w,whatsapp,payments,pending,,,,,",
            "requested_at",
        ),
        (
            "blank-channel",
            "b,w,   ,payments,pending,,2026-03-10T09:00:00Z,,,",
            "channel",
        ),
    ];
    for (case, row, column) in cases {
        bad_inquiry_row(store, &csv, case, row, column, empty).await;
    }
}

/// A status outside the contract and instants that are not RFC 3339 are refused.
async fn unknown_status_and_malformed_instants_are_rejected(store: &Store) {
    let csv = Csv::new();
    bad_inquiry_row(
        store,
        &csv,
        "unknown-status",
        "b,w,whatsapp,payments,done,,2026-03-10T09:00:00Z,,,",
        "status",
        &[
            "unknown status \"done\"",
            "pending, in_progress, resolved or expired",
        ],
    )
    .await;
    bad_inquiry_row(
        store,
        &csv,
        "status-case",
        "b,w,whatsapp,payments,Pending,,2026-03-10T09:00:00Z,,,",
        "status",
        &["unknown status \"Pending\""],
    )
    .await;
    let bad_instants = [
        (
            "requested-no-offset",
            "b,w,whatsapp,payments,pending,,2026-03-10T09:00:00,,,",
            "requested_at",
            "\"2026-03-10T09:00:00\"",
        ),
        (
            "requested-local-format",
            "b,w,whatsapp,payments,pending,,10/03/2026 09:00,,,",
            "requested_at",
            "\"10/03/2026 09:00\"",
        ),
        (
            "attended-word",
            "b,w,whatsapp,payments,in_progress,op,2026-03-10T09:00:00Z,soon,,",
            "attended_at",
            "\"soon\"",
        ),
        (
            "resolved-bad-day",
            "b,w,whatsapp,payments,resolved,op,2026-03-10T09:00:00Z,2026-03-10T09:05:00Z,2026-02-30T10:00:00Z,",
            "resolved_at",
            "\"2026-02-30T10:00:00Z\"",
        ),
        (
            "expired-date-only",
            "b,w,whatsapp,payments,expired,,2026-03-10T09:00:00Z,,,2026-03-11",
            "expired_at",
            "\"2026-03-11\"",
        ),
    ];
    for (case, row, column, value) in bad_instants {
        bad_inquiry_row(
            store,
            &csv,
            case,
            row,
            column,
            &[value, "is not an RFC 3339 instant"],
        )
        .await;
    }
}

/// An instant earlier than the one it must follow is named with both instants.
async fn instants_out_of_order_are_rejected(store: &Store) {
    let csv = Csv::new();
    bad_inquiry_row(
        store,
        &csv,
        "attended-before-requested",
        "b,w,whatsapp,payments,in_progress,op,2026-03-10T09:00:00Z,2026-03-10T08:59:00Z,,",
        "attended_at",
        &["attended_at (2026-03-10 08:59:00 UTC) is before 2026-03-10 09:00:00 UTC (requested_at)"],
    )
    .await;
    bad_inquiry_row(
        store,
        &csv,
        "resolved-before-attended",
        "b,w,whatsapp,payments,resolved,op,2026-03-10T09:00:00Z,2026-03-10T09:10:00Z,2026-03-10T09:05:00Z,",
        "resolved_at",
        &["resolved_at (2026-03-10 09:05:00 UTC) is before attended_at (2026-03-10 09:10:00 UTC)"],
    )
    .await;
    bad_inquiry_row(
        store,
        &csv,
        "expired-before-requested",
        "b,w,whatsapp,payments,expired,,2026-03-10T09:00:00Z,,,2026-03-10T08:00:00Z",
        "expired_at",
        &["expired_at (2026-03-10 08:00:00 UTC) is before 2026-03-10 09:00:00 UTC (requested_at)"],
    )
    .await;
}

/// Each status demands or forbids certain instants; a row breaking that is refused.
async fn status_and_instants_that_disagree_are_rejected(store: &Store) {
    let csv = Csv::new();
    let cases = [
        (
            "pending-attended",
            "b,w,whatsapp,payments,pending,op,2026-03-10T09:00:00Z,2026-03-10T09:05:00Z,,",
            "attended_at",
            "status pending must not have attended_at",
        ),
        (
            "in-progress-unattended",
            "b,w,whatsapp,payments,in_progress,op,2026-03-10T09:00:00Z,,,",
            "attended_at",
            "status in_progress needs attended_at",
        ),
        (
            "resolved-unresolved",
            "b,w,whatsapp,payments,resolved,op,2026-03-10T09:00:00Z,2026-03-10T09:05:00Z,,",
            "resolved_at",
            "status resolved needs resolved_at",
        ),
        (
            "expired-unexpired",
            "b,w,whatsapp,payments,expired,,2026-03-10T09:00:00Z,,,",
            "expired_at",
            "status expired needs expired_at",
        ),
        (
            "expired-resolved",
            "b,w,whatsapp,payments,expired,,2026-03-10T09:00:00Z,,2026-03-10T10:00:00Z,2026-03-10T11:00:00Z",
            "resolved_at",
            "status expired must not have resolved_at",
        ),
        (
            "pending-expired",
            "b,w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,2026-03-10T11:00:00Z",
            "expired_at",
            "status pending must not have expired_at",
        ),
        (
            "in-progress-resolved",
            "b,w,whatsapp,payments,in_progress,op,2026-03-10T09:00:00Z,2026-03-10T09:05:00Z,2026-03-10T09:30:00Z,",
            "resolved_at",
            "status in_progress must not have resolved_at",
        ),
        (
            "resolved-unattended",
            "b,w,whatsapp,payments,resolved,op,2026-03-10T09:00:00Z,,2026-03-10T09:30:00Z,",
            "attended_at",
            "status resolved needs attended_at",
        ),
        (
            "resolved-expired",
            "b,w,whatsapp,payments,resolved,op,2026-03-10T09:00:00Z,2026-03-10T09:05:00Z,2026-03-10T09:30:00Z,2026-03-10T11:00:00Z",
            "expired_at",
            "status resolved must not have expired_at",
        ),
    ];
    for (case, row, column, problem) in cases {
        bad_inquiry_row(store, &csv, case, row, column, &[problem]).await;
    }
}

/// Rows for a workspace that is not configured are refused, in either file.
async fn rows_of_unconfigured_workspaces_are_rejected(store: &Store) {
    let csv = Csv::new();
    let words = &["unknown workspace \"nowhere\"", "(configured: w, x)"];
    bad_inquiry_row(
        store,
        &csv,
        "inquiry-workspace",
        "b,nowhere,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,",
        "workspace",
        words,
    )
    .await;
    bad_survey_row(
        store,
        &csv,
        "survey-workspace",
        "b,nowhere,,nps,9,2026-03-10T09:00:00Z",
        "workspace",
        words,
    )
    .await;
}

/// An id seen earlier in the same file and workspace is refused where it repeats.
async fn an_id_repeated_in_a_file_is_rejected_on_its_second_line(store: &Store) {
    let csv = Csv::new();
    let path = csv.write(
        "duplicate.csv",
        INQUIRY_HEADER,
        &[
            GOOD_INQUIRY,
            "g1,x,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,",
            "b2,w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,",
            "g1,w,whatsapp,payments,pending,,2026-03-10T10:00:00Z,,,",
        ],
    );
    let (problems, total) = rejected(store, &path, None).await;
    assert_problems(
        &problems,
        &path,
        &[(5, "id", &["duplicate id in this file (first on line 2)"])],
    );
    assert_eq!(total, 1);
    bad_survey_row(
        store,
        &csv,
        "survey-duplicate",
        "s1,w,g1,csat,5,2026-03-10T09:41:00Z",
        "id",
        &["duplicate id in this file (first on line 2)"],
    )
    .await;
}

/// A row with fewer or more fields than the header is refused as a whole.
async fn rows_with_the_wrong_number_of_fields_are_rejected(store: &Store) {
    let csv = Csv::new();
    bad_inquiry_row(
        store,
        &csv,
        "short-row",
        "b,w,whatsapp",
        "row",
        &["has 3 fields, the header has 10"],
    )
    .await;
    bad_inquiry_row(
        store,
        &csv,
        "long-row",
        "b,w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,,extra",
        "row",
        &["has 11 fields, the header has 10"],
    )
    .await;
    bad_survey_row(
        store,
        &csv,
        "short-survey",
        "b,w,,nps,9",
        "row",
        &["has 5 fields, the header has 6"],
    )
    .await;
}

/// Header columns that are missing or unknown are named on line 1.
async fn missing_and_unknown_header_columns_are_rejected(store: &Store) {
    let csv = Csv::new();
    let expected_list = "(expected: id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at)";

    let no_origin =
        "id,workspace,channel,status,operator_id,requested_at,attended_at,resolved_at,expired_at";
    let path = csv.write(
        "no-origin.csv",
        no_origin,
        &["b,w,whatsapp,pending,,2026-03-10T09:00:00Z,,,"],
    );
    let (problems, total) = rejected(store, &path, None).await;
    assert_problems(
        &problems,
        &path,
        &[(1, "origin", &["missing from the header", expected_list])],
    );
    assert_eq!(total, 1);

    let extra = format!("{INQUIRY_HEADER},priority");
    let path = csv.write("extra.csv", &extra, &[format!("{GOOD_INQUIRY},high")]);
    let (problems, total) = rejected(store, &path, None).await;
    assert_problems(
        &problems,
        &path,
        &[(1, "priority", &["unknown column", expected_list])],
    );
    assert_eq!(total, 1);

    let renamed = INQUIRY_HEADER.replace("origin", "origen");
    let path = csv.write("renamed.csv", &renamed, &[GOOD_INQUIRY]);
    let (problems, total) = rejected(store, &path, None).await;
    assert_problems(
        &problems,
        &path,
        &[
            (1, "origin", &["missing from the header"]),
            (1, "origen", &["unknown column"]),
        ],
    );
    assert_eq!(total, 2);

    let inquiries = csv.write("good.csv", INQUIRY_HEADER, &[GOOD_INQUIRY]);
    let surveys = csv.write(
        "no-score.csv",
        "id,workspace,inquiry_id,kind,answered_at",
        &["s1,w,g1,nps,2026-03-10T09:40:00Z"],
    );
    let (problems, total) = rejected(store, &inquiries, Some(&surveys)).await;
    assert_problems(
        &problems,
        &surveys,
        &[(
            1,
            "score",
            &[
                "missing from the header",
                "(expected: id,workspace,inquiry_id,kind,score,answered_at)",
            ],
        )],
    );
    assert_eq!(total, 1);
}

/// Survey answers with an unknown kind or a score outside its survey's range are refused.
async fn bad_survey_answers_are_rejected(store: &Store) {
    let csv = Csv::new();
    let cases: [(&str, &str, &str, &[&str]); 7] = [
        (
            "unknown-kind",
            "b,w,g1,ces,5,2026-03-10T10:00:00Z",
            "kind",
            &["unknown kind \"ces\"", "(expected nps or csat)"],
        ),
        (
            "nps-11",
            "b,w,g1,nps,11,2026-03-10T10:00:00Z",
            "score",
            &["11 is out of range for nps (use 0 to 10)"],
        ),
        (
            "nps-negative",
            "b,w,g1,nps,-1,2026-03-10T10:00:00Z",
            "score",
            &["-1 is out of range for nps (use 0 to 10)"],
        ),
        (
            "csat-0",
            "b,w,g1,csat,0,2026-03-10T10:00:00Z",
            "score",
            &["0 is out of range for csat (use 1 to 5)"],
        ),
        (
            "fractional-score",
            "b,w,g1,csat,4.5,2026-03-10T10:00:00Z",
            "score",
            &["\"4.5\" is not a whole number"],
        ),
        (
            "no-score",
            "b,w,g1,nps,,2026-03-10T10:00:00Z",
            "score",
            &["required, but empty"],
        ),
        (
            "bad-answered-at",
            "b,w,g1,nps,9,yesterday",
            "answered_at",
            &["\"yesterday\"", "is not an RFC 3339 instant"],
        ),
    ];
    for (case, row, column, words) in cases {
        bad_survey_row(store, &csv, case, row, column, words).await;
    }
}

/// A bad survey answer at the end keeps out a good inquiry file big enough to have been
/// partly written already.
async fn a_bad_survey_file_keeps_the_good_inquiry_file_out(store: &Store) {
    let csv = Csv::new();
    let rows: Vec<String> = (0..BATCH_ROWS + 100)
        .map(|n| format!("i{n},w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,"))
        .collect();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, &rows);
    let surveys = csv.write(
        "surveys.csv",
        SURVEY_HEADER,
        &[
            GOOD_SURVEY,
            "s2,w,i1,nps,9,2026-03-10T09:40:00Z",
            "s3,w,i2,csat,6,2026-03-10T09:40:00Z",
        ],
    );
    let (problems, total) = rejected(store, &inquiries, Some(&surveys)).await;
    assert_problems(
        &problems,
        &surveys,
        &[(4, "score", &["6 is out of range for csat (use 1 to 5)"])],
    );
    assert_eq!(total, 1);
}

/// Checking goes on after the first bad row and into the second file, so one run lists
/// the problems of both, inquiries first.
async fn problems_in_both_files_are_all_listed(store: &Store) {
    let csv = Csv::new();
    let inquiries = csv.write(
        "inquiries.csv",
        INQUIRY_HEADER,
        &[
            "b1,w,whatsapp,payments,open,,2026-03-10T09:00:00Z,,,",
            GOOD_INQUIRY,
            // Two problems in one row are both listed.
            "b2,nowhere,,payments,pending,,2026-03-10T09:00:00Z,,,",
        ],
    );
    let surveys = csv.write(
        "surveys.csv",
        SURVEY_HEADER,
        &[GOOD_SURVEY, "s2,w,g1,nps,12,2026-03-10T09:40:00Z"],
    );
    let (problems, total) = rejected(store, &inquiries, Some(&surveys)).await;
    assert_eq!(total, 4);
    assert_problems(
        &problems[..3],
        &inquiries,
        &[
            (2, "status", &["unknown status \"open\""]),
            (4, "channel", &["required, but empty"]),
            (4, "workspace", &["unknown workspace \"nowhere\""]),
        ],
    );
    assert_problems(
        &problems[3..],
        &surveys,
        &[(3, "score", &["12 is out of range for nps"])],
    );
}

/// A bad row after more than a batch of good rows (already sent inside the transaction)
/// still leaves the database untouched, and the fixed file then imports in full.
async fn a_bad_row_after_a_written_batch_still_writes_nothing(store: &Store) {
    let csv = Csv::new();
    let mut rows: Vec<String> = (0..BATCH_ROWS + 200)
        .map(|n| format!("i{n},w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,"))
        .collect();
    rows.push(
        "bad,w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,2026-03-10T09:01:00Z,,".into(),
    );
    let path = csv.write("big.csv", INQUIRY_HEADER, &rows);
    let (problems, total) = rejected(store, &path, None).await;
    let bad_line = BATCH_ROWS as u64 + 200 + 2;
    assert_problems(
        &problems,
        &path,
        &[(
            bad_line,
            "attended_at",
            &["status pending must not have attended_at"],
        )],
    );
    assert_eq!(total, 1);

    rows.pop();
    let fixed = csv.write("fixed.csv", INQUIRY_HEADER, &rows);
    let summary = import_files(store, WORKSPACES, &fixed, None).await.unwrap();
    assert_eq!(summary.inquiries, BATCH_ROWS as u64 + 200);
    assert_eq!(
        count_rows(store, "inquiries").await,
        BATCH_ROWS as i64 + 200
    );
    assert_eq!(
        whole_year(store, "w").await.current.pending,
        BATCH_ROWS as u64 + 200
    );
}

/// With more than twenty problems the error lists the first twenty and counts them all.
async fn more_than_twenty_problems_list_twenty_and_count_all(store: &Store) {
    let csv = Csv::new();
    let rows: Vec<String> = (0..25)
        .map(|n| format!("b{n},w,whatsapp,payments,waiting,,2026-03-10T09:00:00Z,,,"))
        .collect();
    let path = csv.write("many.csv", INQUIRY_HEADER, &rows);
    let error = import_files(store, WORKSPACES, &path, None)
        .await
        .unwrap_err();
    let message = error.to_string();
    let ImportError::Rejected { problems, total } = error else {
        panic!("expected ImportError::Rejected, got {error:?}");
    };
    assert_nothing_written(store).await;
    assert_eq!(MAX_REPORTED, 20);
    assert_eq!(total, 25);
    const WAITING: &[&str] = &["unknown status \"waiting\""];
    let expected: Vec<Expected<'_>> = (2..=21).map(|line| (line, "status", WAITING)).collect();
    assert_problems(&problems, &path, &expected);
    let mut lines = message.lines();
    assert_eq!(
        lines.next(),
        Some("import rejected, nothing was written: 25 problem(s) (first 20 shown)")
    );
    let listed: Vec<&str> = lines.collect();
    assert_eq!(listed.len(), 20, "{message}");
    assert_eq!(listed[0], format!("  {}", problems[0]));
    assert!(
        listed[19].starts_with(&format!("  {}:21: status: ", path.display())),
        "{message}"
    );
}

/// A file that cannot be opened is an [`ImportError::Read`] naming it, and nothing is written.
async fn a_missing_file_is_a_read_error_naming_the_path(store: &Store) {
    let csv = Csv::new();
    let missing = csv.path("missing.csv");
    let error = import_files(store, WORKSPACES, &missing, None)
        .await
        .unwrap_err();
    let ImportError::Read { path, .. } = &error else {
        panic!("expected ImportError::Read, got {error:?}");
    };
    assert_eq!(path, &missing);
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: cannot read: ", missing.display())),
        "{error}"
    );

    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, INQUIRIES);
    let missing_surveys = csv.path("missing-surveys.csv");
    let error = import_files(store, WORKSPACES, &inquiries, Some(&missing_surveys))
        .await
        .unwrap_err();
    let ImportError::Read { path, .. } = &error else {
        panic!("expected ImportError::Read, got {error:?}");
    };
    assert_eq!(path, &missing_surveys);
    assert_nothing_written(store).await;
}
