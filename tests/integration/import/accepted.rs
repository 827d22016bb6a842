//! Files pulso accepts: what they write, matched by column name, imported again without
//! change or with an update, and instants and text stored exactly.

use super::*;

crate::backend_tests!(
    valid_files_write_rows_the_indicators_count,
    columns_are_matched_by_name_in_any_order,
    importing_the_same_files_twice_changes_nothing,
    text_with_tabs_newlines_and_backslashes_is_stored_as_written,
    importing_a_changed_row_again_updates_it,
    fractional_seconds_and_offsets_are_stored_as_whole_utc_seconds,
);

/// A good import writes every row, returns the row counts, and the indicators see it all.
async fn valid_files_write_rows_the_indicators_count(store: &Store) {
    let csv = Csv::new();
    let inquiries = csv.write("inquiries.csv", INQUIRY_HEADER, INQUIRIES);
    let surveys = csv.write("surveys.csv", SURVEY_HEADER, SURVEYS);
    let summary = import_files(store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
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
    let summary = import_files(store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
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
    let first = import_files(store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
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

    let second = import_files(store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
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
    import_files(store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
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
    let summary = import_files(store, WORKSPACES, &changed, Some(&rescored), &mut ())
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
    import_files(store, WORKSPACES, &inquiries, Some(&surveys), &mut ())
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
