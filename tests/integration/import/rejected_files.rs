//! Whole imports refused: a bad file keeps the other out, problems of both files listed,
//! nothing written after a batch went in, long problem lists capped, missing files named.

use super::*;

crate::backend_tests!(
    a_bad_survey_file_keeps_the_good_inquiry_file_out,
    problems_in_both_files_are_all_listed,
    a_bad_row_after_a_written_batch_still_writes_nothing,
    more_than_twenty_problems_list_twenty_and_count_all,
    a_missing_file_is_a_read_error_naming_the_path,
);

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
    let summary = import_files(store, WORKSPACES, &fixed, None, &mut ())
        .await
        .unwrap();
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
    let error = import_files(store, WORKSPACES, &path, None, &mut ())
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
    let error = import_files(store, WORKSPACES, &missing, None, &mut ())
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
    let error = import_files(
        store,
        WORKSPACES,
        &inquiries,
        Some(&missing_surveys),
        &mut (),
    )
    .await
    .unwrap_err();
    let ImportError::Read { path, .. } = &error else {
        panic!("expected ImportError::Read, got {error:?}");
    };
    assert_eq!(path, &missing_surveys);
    assert_nothing_written(store).await;
}
