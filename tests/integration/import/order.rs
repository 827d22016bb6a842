//! Row order and id shape do not matter: the same rows imported in time order, shuffled, and
//! shuffled with UUID ids give the same database (rows, day marks, indexes, triggers, and
//! every indicator), on the first load into empty tables and on a later upsert.

use chrono::Duration;
use chrono_tz::America::Santiago;
use pulso::domain::{Inquiry, InquiryStatus};

use super::dataset::*;
use super::*;

crate::backend_tests!(
    time_order_shuffled_and_uuid_imports_give_the_same_database,
    an_upsert_in_any_order_equals_importing_the_final_rows,
);

/// How many inquiries the generated files hold (answers: about a third of that).
const ROWS: usize = 3000;
/// The instant every report is made at: after every generated row.
fn now() -> DateTime<Utc> {
    utc(2026, 4, 1, 0, 0, 0)
}

/// The reports compared between databases: whole, one-day and one-week windows in UTC for
/// `w`, and in Santiago's zone for `x`.
fn windows() -> Vec<(&'static str, Period)> {
    let utc_days = |from, to| Period::new(date(2026, 3, from), date(2026, 3, to), UTC).unwrap();
    let santiago = |from, to| Period::new(date(2026, 3, from), date(2026, 3, to), Santiago);
    vec![
        ("w", utc_days(1, 31)),
        ("w", utc_days(5, 5)),
        ("w", utc_days(8, 14)),
        ("x", santiago(10, 10).unwrap()),
        ("x", santiago(1, 21).unwrap()),
    ]
}

/// Every report of [`windows`], the oldest pending id mapped through `back`. Each is asked
/// twice and the second kept: the first answer for closed days builds their aggregates
/// (exact percentiles), later ones read them, so databases are compared like with like.
async fn reports(store: &Store, back: Unmap<'_>) -> Vec<IndicatorReport> {
    let mut reports = Vec::new();
    for (workspace, period) in windows() {
        build_report(store, workspace, &period, now())
            .await
            .unwrap();
        let mut report = build_report(store, workspace, &period, now())
            .await
            .unwrap();
        if let Some(oldest) = report.oldest_pending.as_mut() {
            oldest.id = back(&oldest.id);
        }
        reports.push(report);
    }
    reports
}

/// Imports the two files, expecting every row written.
async fn import(store: &Store, files: &(PathBuf, PathBuf), data: &Dataset) {
    let summary = import_files(store, WORKSPACES, &files.0, Some(&files.1), &mut ())
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            inquiries: data.inquiries.len() as u64,
            surveys: data.surveys.len() as u64,
        }
    );
}

/// The same rows in time order with integer ids (the order `pulso bench` writes), shuffled,
/// and shuffled with every id (and every answer's inquiry id) a UUID, each into empty
/// tables: identical rows once ids are mapped back, identical day marks, the migration's
/// indexes and triggers exactly, an intact file, and identical indicators.
async fn time_order_shuffled_and_uuid_imports_give_the_same_database(store: &Store) {
    let data = dataset(17, ROWS, 1);
    let csv = Csv::new();
    let migrated = schema(store).await;
    let back = uuids_back(&data);
    let unmap = |id: &str| back.get(id).cloned().unwrap_or_else(|| format!("?{id}"));

    let ordered = write_files(csv.dir.path(), "ordered", &data, None, Ids::Integers);
    import(store, &ordered, &data).await;
    let expected = (contents(store, &same).await, marks(store).await);
    assert_eq!(expected.0.inquiries.len(), ROWS);
    assert!(!expected.1.is_empty(), "a load marks its days");
    assert_eq!(schema(store).await, migrated, "time order");
    assert_intact(store).await;
    let expected_reports = reports(store, &same).await;
    assert!(
        expected_reports[0].current.resolved > 0 && expected_reports[0].current.nps.responses > 0
    );

    let cases: [(&str, Ids, Unmap<'_>); 2] = [
        ("shuffled", Ids::Integers, &same),
        ("uuids", Ids::Uuids, &unmap),
    ];
    for (name, ids, back) in cases {
        let db = fresh_like(store).await;
        let files = write_files(csv.dir.path(), name, &data, Some(99), ids);
        import(&db.store, &files, &data).await;
        assert_eq!(contents(&db.store, back).await, expected.0, "{name}: rows");
        assert_eq!(marks(&db.store).await, expected.1, "{name}: day marks");
        assert_eq!(
            schema(&db.store).await,
            migrated,
            "{name}: indexes and triggers"
        );
        assert_intact(&db.store).await;
        assert_eq!(
            reports(&db.store, back).await,
            expected_reports,
            "{name}: indicators"
        );
        db.finish().await;
    }
}

/// A second import into filled tables (the upsert path: changed rows and new ones, shuffled,
/// UUID ids) leaves the same rows, indexes, triggers and indicators as importing the final
/// rows into empty tables in one go. The indicators were read once before it, so every
/// closed day had an aggregate: a day the upsert failed to mark would answer from a stale
/// one. (Marks themselves are not compared: reading the indicators consumes them.)
async fn an_upsert_in_any_order_equals_importing_the_final_rows(store: &Store) {
    let first = dataset(23, ROWS, 1);
    let (changed, final_rows) = changes(&first);
    let csv = Csv::new();
    let migrated = schema(store).await;
    let back = uuids_back(&final_rows);
    let unmap = |id: &str| back.get(id).cloned().unwrap_or_else(|| format!("?{id}"));

    let files = write_files(csv.dir.path(), "first", &first, Some(5), Ids::Uuids);
    import(store, &files, &first).await;
    reports(store, &unmap).await;
    let files = write_files(csv.dir.path(), "changed", &changed, Some(6), Ids::Uuids);
    import(store, &files, &changed).await;

    let direct = fresh_like(store).await;
    let files = write_files(csv.dir.path(), "final", &final_rows, None, Ids::Integers);
    import(&direct.store, &files, &final_rows).await;
    let expected = contents(&direct.store, &same).await;
    assert_eq!(expected.inquiries.len(), ROWS + ROWS / 6);
    assert_eq!(contents(store, &unmap).await, expected, "rows");
    assert_eq!(schema(store).await, migrated, "indexes and triggers");
    assert_intact(store).await;
    assert_eq!(
        reports(store, &unmap).await,
        reports(&direct.store, &same).await,
        "indicators"
    );
    direct.finish().await;
}

/// What a later export of `first` holds: every sixth inquiry of March 1-9 changed (pending
/// ones taken and resolved, others moved a day earlier with a new operator and channel),
/// every fifth answer of those days rescored, and new inquiries and answers on March 12-19
/// only, so their days are marked by their insertion alone (not by an update on the same
/// day). Returns the second file's rows and the rows the tables must end with.
fn changes(first: &Dataset) -> (Dataset, Dataset) {
    let mut final_rows = first.clone();
    let mut changed = Dataset {
        inquiries: Vec::new(),
        surveys: Vec::new(),
    };
    let early = |at: DateTime<Utc>| at < utc(2026, 3, 10, 0, 0, 0);
    let rows = final_rows.inquiries.iter_mut();
    for row in rows.filter(|row| early(row.requested_at)).step_by(6) {
        *row = match row.status {
            InquiryStatus::Pending => Inquiry {
                channel: row.channel.clone(),
                origin: row.origin.clone(),
                ..resolved(&row.workspace, &row.id, row.requested_at, 7, 21)
            },
            _ => Inquiry {
                channel: format!("{}-moved", row.channel),
                operator_id: row.operator_id.as_ref().map(|op| format!("{op}-b")),
                requested_at: row.requested_at - Duration::days(1),
                ..row.clone()
            },
        };
        changed.inquiries.push(row.clone());
    }
    let answers = final_rows.surveys.iter_mut();
    for answer in answers
        .filter(|answer| early(answer.answered_at))
        .step_by(5)
    {
        answer.score = match answer.kind {
            pulso::domain::SurveyKind::Nps => (answer.score + 3) % 11,
            pulso::domain::SurveyKind::Csat => answer.score % 5 + 1,
        };
        changed.surveys.push(answer.clone());
    }
    let added = dataset_in(41, ROWS / 6, 1_000_000, utc(2026, 3, 12, 0, 0, 0), 7);
    changed.surveys.extend(added.surveys.iter().cloned());
    final_rows.surveys.extend(added.surveys);
    changed.inquiries.extend(added.inquiries.iter().cloned());
    final_rows.inquiries.extend(added.inquiries);
    (changed, final_rows)
}
