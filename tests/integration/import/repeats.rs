//! Ids given twice in a file: the ledger that finds their lines names both exactly however
//! far apart and never takes two different ids for one; an import finds a repeat the
//! database saw at commit (first load and upsert alike), lists it with both lines and
//! writes nothing; and a repeat among other problems takes its place in line order.

use pulso::store::{KeyLedger, RepeatedId, Repeats};

use super::*;

crate::backend_tests!(
    different_ids_are_never_taken_for_one,
    a_far_repeat_in_a_first_load_is_refused_with_both_lines,
    a_far_repeat_in_an_upsert_is_refused_with_both_lines,
    a_repeat_among_other_problems_is_listed_in_line_order,
    repeats_past_the_first_twenty_problems_are_counted,
);

/// Lines the ledger test spans.
const FAR: u64 = 5_000_000;

/// 5,000,001 keys of which one, on line 2, is given again 5,000,000 lines later: the
/// ledger reports exactly that line and its first, and nothing else.
#[test]
fn the_ledger_names_a_repeat_five_million_lines_apart() {
    let mut ledger = KeyLedger::new().expect("ledger");
    let mut id = String::new();
    for n in 0..FAR {
        id.clear();
        std::fmt::Write::write_fmt(&mut id, format_args!("{n}")).unwrap();
        ledger.add("w", &id, n + 2).expect("add");
    }
    ledger.add("w", "0", FAR + 2).expect("add the repeat");
    assert_eq!(
        ledger.repeats(MAX_REPORTED).expect("repeats"),
        Repeats {
            first: vec![RepeatedId {
                line: FAR + 2,
                first_line: 2,
            }],
            total: 1,
        }
    );
}

/// Ids that differ only in case, by a leading, trailing or inner character, in Unicode
/// normalisation, or that read as the same number, and one id in two workspaces, are all
/// different keys to the ledger; the one real repeat among them is found.
///
/// Two ids with the same 64-bit hash (what the old in-memory check could confuse) are not
/// practical to construct here; the ledger never hashes: SQLite compares the exact text.
#[test]
fn the_ledger_compares_ids_exactly() {
    let keys = [
        ("w", "abc"),
        ("w", "ABC"),
        ("w", "Abc"),
        ("w", "abc "),
        ("w", " abc"),
        ("w", "abcd"),
        ("w", "ab c"),
        ("w", "\u{e9}"),
        ("w", "e\u{301}"),
        ("w", "1"),
        ("w", "01"),
        ("w", "1.0"),
        ("w", "1e0"),
        ("w", "1000"),
        ("w", "1e3"),
        ("x", "abc"),
        ("w ", "abc"),
    ];
    let mut ledger = KeyLedger::new().expect("ledger");
    for (line, (workspace, id)) in (2..).zip(keys) {
        ledger.add(workspace, id, line).expect("add");
    }
    let repeat_line = keys.len() as u64 + 2;
    ledger.add("w", "1e3", repeat_line).expect("add");
    assert_eq!(
        ledger.repeats(MAX_REPORTED).expect("repeats"),
        Repeats {
            first: vec![RepeatedId {
                line: repeat_line,
                first_line: 16,
            }],
            total: 1,
        }
    );
}

/// The import end to end: ids that differ only in case, accents or as numbers are all
/// imported as rows of their own on either backend (no collation or numeric conversion
/// merges them), in a first load and again as an upsert.
async fn different_ids_are_never_taken_for_one(store: &Store) {
    let ids = [
        "abc", "ABC", "Abc", "abcd", "\u{e9}", "e\u{301}", "1", "01", "1.0", "1e0",
    ];
    let rows: Vec<String> = ids
        .iter()
        .map(|id| format!("{id},w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,"))
        .collect();
    let csv = Csv::new();
    let path = csv.write("ids.csv", INQUIRY_HEADER, &rows);
    for pass in ["first load", "upsert"] {
        let summary = import_files(store, WORKSPACES, &path, None, &mut ())
            .await
            .unwrap_or_else(|error| panic!("{pass}: {error}"));
        assert_eq!(summary.inquiries, ids.len() as u64, "{pass}");
        assert_eq!(
            count_rows(store, "inquiries").await,
            ids.len() as i64,
            "{pass}"
        );
    }
}

/// Lines between the two occurrences of the far repeats below.
const APART: usize = 20_000;

/// `APART` valid inquiries `{prefix}{n}` from line 2, then line `APART + 2` giving the id of
/// line 2 again (with another status, so it is not even an identical row).
fn far_repeat(prefix: &str) -> Vec<String> {
    let mut rows: Vec<String> = (0..APART)
        .map(|n| format!("{prefix}{n},w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,"))
        .collect();
    rows.push(format!(
        "{prefix}0,w,whatsapp,payments,expired,,2026-03-10T09:00:00Z,,,2026-03-10T10:00:00Z"
    ));
    rows
}

/// `APART` valid answers `s{n}`, then the id of line 2 again.
fn far_survey_repeat() -> Vec<String> {
    let mut rows: Vec<String> = (0..APART)
        .map(|n| format!("s{n},w,,csat,4,2026-03-10T09:40:00Z"))
        .collect();
    rows.push("s0,w,,csat,1,2026-03-10T09:45:00Z".into());
    rows
}

/// Into empty tables (the first load: no key index while rows go in), a file of valid rows
/// repeating the id of line 2 on line 20,002 is refused when the commit finds the key twice;
/// the error names both lines and nothing else, and nothing is written.
async fn a_far_repeat_in_a_first_load_is_refused_with_both_lines(store: &Store) {
    let csv = Csv::new();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, &far_repeat("i"));
    let (problems, total) = rejected(store, &inquiries, None).await;
    let repeat_line = APART as u64 + 2;
    assert_problems(
        &problems,
        &inquiries,
        &[(
            repeat_line,
            "id",
            &["duplicate id in this file (first on line 2)"],
        )],
    );
    assert_eq!(total, 1);
}

/// Into tables already holding rows (the staged upsert path), files whose repeated ids are
/// 20,000 lines apart (the inquiry one an id the table already holds) are refused: both
/// repeats listed with both lines, inquiries first, and the tables exactly as they were.
async fn a_far_repeat_in_an_upsert_is_refused_with_both_lines(store: &Store) {
    let at = utc(2026, 3, 9, 9, 0, 0);
    let held: Vec<_> = (0..5).map(|n| pending("w", &format!("i{n}"), at)).collect();
    let answers = [answer("w", "s0", pulso::domain::SurveyKind::Nps, 9, at)];
    insert(store, &held, &answers).await;
    let before = super::dataset::contents(store, &super::dataset::same).await;
    let marks = super::dataset::marks(store).await;

    let csv = Csv::new();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, &far_repeat("i"));
    let surveys = csv.write("surveys.csv", SURVEY_HEADER, &far_survey_repeat());
    let error = import_files(store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
        .await
        .unwrap_err();
    let ImportError::Rejected { problems, total } = error else {
        panic!("expected ImportError::Rejected, got {error:?}");
    };
    let repeat_line = APART as u64 + 2;
    let words: &[&str] = &["duplicate id in this file (first on line 2)"];
    assert_eq!(total, 2, "{problems:#?}");
    assert_problems(&problems[..1], &inquiries, &[(repeat_line, "id", words)]);
    assert_problems(&problems[1..], &surveys, &[(repeat_line, "id", words)]);
    assert_eq!(
        super::dataset::contents(store, &super::dataset::same).await,
        before
    );
    assert_eq!(super::dataset::marks(store).await, marks);
}

/// A repeat found among rows with other problems: every problem in line order, a line with
/// a bad field and a repeated id listing the field first, the totals right, nothing written.
async fn a_repeat_among_other_problems_is_listed_in_line_order(store: &Store) {
    let good = |id: &str| format!("{id},w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,");
    let mut rows = vec![
        good("a"),                                                    // 2
        "b,w,whatsapp,payments,open,,2026-03-10T09:00:00Z,,,".into(), // 3
        good("c"),                                                    // 4
        good("a"),                                                    // 5
    ];
    rows.extend((0..3000).map(|n| good(&format!("g{n}")))); // 6..=3005
    rows.push("c,w,whatsapp,payments,closed,,2026-03-10T09:00:00Z,,,".into()); // 3006
    rows.push("d,nowhere,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,".into()); // 3007
    rows.push(good("g17")); // 3008: first on line 23
    let csv = Csv::new();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, &rows);
    let surveys = csv.write(
        "surveys.csv",
        SURVEY_HEADER,
        &[
            GOOD_SURVEY,
            "s2,w,,nps,11,2026-03-10T09:40:00Z",
            GOOD_SURVEY,
        ],
    );
    let (problems, total) = rejected(store, &inquiries, Some(&surveys)).await;
    let duplicate = |first: u64| format!("duplicate id in this file (first on line {first})");
    let (first_2, first_4, first_23) = (duplicate(2), duplicate(4), duplicate(23));
    assert_problems(
        &problems[..6],
        &inquiries,
        &[
            (3, "status", &["unknown status \"open\""]),
            (5, "id", &[first_2.as_str()]),
            (3006, "status", &["unknown status \"closed\""]),
            (3006, "id", &[first_4.as_str()]),
            (3007, "workspace", &["unknown workspace \"nowhere\""]),
            (3008, "id", &[first_23.as_str()]),
        ],
    );
    assert_problems(
        &problems[6..],
        &surveys,
        &[
            (3, "score", &["11 is out of range for nps"]),
            (4, "id", &[first_2.as_str()]),
        ],
    );
    assert_eq!(total, 8);
}

/// With more than twenty problems, repeats count in the total and take their place by line
/// in the twenty listed: the ones past the cut are counted, not listed.
async fn repeats_past_the_first_twenty_problems_are_counted(store: &Store) {
    let bad = |id: &str| format!("{id},w,whatsapp,payments,waiting,,2026-03-10T09:00:00Z,,,");
    let good = |id: &str| format!("{id},w,whatsapp,payments,pending,,2026-03-10T09:00:00Z,,,");
    // Lines 2..=26 have a bad status; line 12 also repeats the id of line 3.
    let mut rows: Vec<String> = (0..25)
        .map(|n| {
            if n == 10 {
                bad("b1")
            } else {
                bad(&format!("b{n}"))
            }
        })
        .collect();
    rows.extend((0..1000).map(|n| good(&format!("g{n}")))); // 27..=1026
    rows.push(good("g0")); // 1027: first on line 27
    let csv = Csv::new();
    let path = csv.write("many.csv", INQUIRY_HEADER, &rows);
    let (problems, total) = rejected(store, &path, None).await;
    assert_eq!(total, 27);
    const WAITING: &[&str] = &["unknown status \"waiting\""];
    const REPEAT: &[&str] = &["duplicate id in this file (first on line 3)"];
    let mut expected: Vec<Expected<'_>> = (2..=12).map(|line| (line, "status", WAITING)).collect();
    expected.push((12, "id", REPEAT));
    expected.extend((13..=20).map(|line| (line, "status", WAITING)));
    assert_problems(&problems, &path, &expected);
}
