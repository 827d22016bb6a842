//! Rows pulso refuses, each named as `FILE:LINE: column: problem`, with nothing written:
//! empty or malformed fields, instants that disagree with the status, unknown workspaces,
//! repeated ids, wrong field counts, bad headers and bad survey answers.

use super::*;

crate::backend_tests!(
    empty_required_fields_are_rejected,
    unknown_status_and_malformed_instants_are_rejected,
    instants_out_of_order_are_rejected,
    status_and_instants_that_disagree_are_rejected,
    rows_of_unconfigured_workspaces_are_rejected,
    an_id_repeated_in_a_file_is_rejected_on_its_second_line,
    rows_with_the_wrong_number_of_fields_are_rejected,
    missing_and_unknown_header_columns_are_rejected,
    bad_survey_answers_are_rejected,
);

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
