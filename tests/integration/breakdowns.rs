//! Breakdowns and filters equal the direct computation restricted to each group, on random
//! data and windows (DST days, windows ending today), and are never stale: an inquiry that
//! changes operator in a past day, or an answer whose inquiry arrives later, shows in the
//! next answer. Both backends.
//!
//! The independent side decides membership itself: an instant belongs to a period when its
//! local date is one of the period's days, and an answer belongs to a group when the
//! inquiry it names is in the group (answers naming no stored inquiry belong to none).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use pulso::domain::{
    Dimension, Filter, Inquiry, InquiryStatus, MAX_RELATIVE_ERROR, Period, ResolvedSample,
    SurveyKind, SurveyResponse, WindowSamples,
};
use pulso::indicators::{BreakdownRequest, RowKey, SortBy, WindowIndicators};
use pulso::service::{build_breakdown, build_filtered_report, build_report};
use pulso::store::Store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::helpers::*;

crate::backend_tests!(
    breakdowns_and_filters_match_the_direct_computation,
    a_group_change_in_a_past_day_shows_in_the_next_answer,
    recent_values_offer_what_the_data_holds,
    an_edit_inside_a_rolled_up_month_shows_in_the_next_answer,
);

#[tokio::test]
async fn an_imported_file_breaks_down_like_the_direct_computation_on_sqlite() {
    let db = TestDb::sqlite().await;
    an_imported_file_breaks_down_like_the_direct_computation(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn an_imported_file_breaks_down_like_the_direct_computation_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    an_imported_file_breaks_down_like_the_direct_computation(&db).await;
    db.finish().await;
}

const OPERATORS: [Option<&str>; 5] = [
    Some("ana"),
    Some("bruno"),
    Some("carla"),
    Some("Dora"),
    None,
];
const ORIGINS: [&str; 3] = ["payments", "claims", "sales"];
const CHANNELS: [&str; 2] = ["whatsapp", "webchat"];

fn now() -> DateTime<Utc> {
    utc(2026, 9, 20, 15, 0, 0)
}

/// Inquiries over the 50 days before `now` (across Santiago's September DST gap), with
/// answers, some naming no stored inquiry.
fn dataset(seed: u64) -> (Vec<Inquiry>, Vec<SurveyResponse>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = now() - Duration::days(50);
    let mut inquiries = Vec::new();
    let mut answers = Vec::new();
    for n in 0..700 {
        let requested = start + Duration::seconds(rng.gen_range(0..50 * 86_400));
        let id = format!("i{n}");
        let wait = rng.gen_range(1..600);
        let work = rng.gen_range(1..3000);
        let mut inquiry = match rng.gen_range(0..10) {
            0 => pending("w", &id, requested),
            1 => in_progress("w", &id, requested, wait),
            2 | 3 => expired("w", &id, requested, wait * 10),
            _ => resolved("w", &id, requested, wait, work),
        };
        inquiry.attended_at = inquiry
            .attended_at
            .map(|at| at + Duration::seconds(rng.gen_range(0..59)));
        inquiry.resolved_at = inquiry
            .resolved_at
            .map(|at| at + Duration::seconds(rng.gen_range(0..59)));
        if inquiry.status == InquiryStatus::Pending {
            inquiry.operator_id = None;
        } else {
            inquiry.operator_id = OPERATORS[rng.gen_range(0..OPERATORS.len())].map(String::from);
        }
        inquiry.origin = ORIGINS[rng.gen_range(0..ORIGINS.len())].into();
        inquiry.channel = CHANNELS[rng.gen_range(0..CHANNELS.len())].into();
        if inquiry.resolved_at.is_some_and(|at| at < now()) && rng.gen_bool(0.6) {
            let at = inquiry.resolved_at.unwrap() + Duration::hours(rng.gen_range(0..40));
            let (kind, score) = if rng.gen_bool(0.5) {
                (SurveyKind::Nps, rng.gen_range(0..=10))
            } else {
                (SurveyKind::Csat, rng.gen_range(1..=5))
            };
            let mut a = answer("w", &format!("a{n}"), kind, score, at.min(now()));
            a.inquiry_id = Some(if rng.gen_bool(0.1) {
                format!("gone{n}")
            } else {
                id.clone()
            });
            answers.push(a);
        }
        if inquiry.requested_at < now() {
            inquiries.push(inquiry);
        }
    }
    (inquiries, answers)
}

fn in_days(at: DateTime<Utc>, period: &Period) -> bool {
    let local = at.with_timezone(&period.timezone).date_naive();
    period.from <= local && local <= period.to
}

/// The direct computation over the inquiries `keep` accepts and the answers naming them.
fn direct(
    inquiries: &[Inquiry],
    answers: &[SurveyResponse],
    period: &Period,
    keep: &dyn Fn(&Inquiry) -> bool,
) -> WindowIndicators {
    let mut samples = WindowSamples::default();
    let inside = |at: Option<DateTime<Utc>>| at.is_some_and(|at| in_days(at, period));
    let mut kept = BTreeMap::new();
    for inquiry in inquiries.iter().filter(|i| keep(i)) {
        kept.insert(inquiry.id.as_str(), ());
        if inquiry.status == InquiryStatus::Pending && inside(Some(inquiry.requested_at)) {
            samples.pending += 1;
        }
        if inside(inquiry.expired_at) {
            samples.expired += 1;
        }
        if let Some(attended) = inquiry.attended_at.filter(|&at| inside(Some(at))) {
            samples
                .attention_secs
                .push((attended - inquiry.requested_at).num_seconds());
        }
        if let Some(resolved) = inquiry.resolved_at.filter(|&at| inside(Some(at))) {
            samples.resolved.push(ResolvedSample {
                resolution_secs: inquiry.attended_at.map(|a| (resolved - a).num_seconds()),
                attention_resolution_secs: (resolved - inquiry.requested_at).num_seconds(),
            });
        }
    }
    for a in answers.iter().filter(|a| in_days(a.answered_at, period)) {
        let named = a
            .inquiry_id
            .as_deref()
            .is_some_and(|id| kept.contains_key(id));
        if !named {
            continue;
        }
        match a.kind {
            SurveyKind::Nps => samples.nps_histogram[a.score as usize] += 1,
            SurveyKind::Csat => samples.csat_histogram[a.score as usize - 1] += 1,
        }
    }
    WindowIndicators::from_samples(period, samples)
}

fn same(actual: &WindowIndicators, expected: &WindowIndicators, what: &str) {
    assert_eq!(actual.pending, expected.pending, "{what}: pending");
    assert_eq!(actual.resolved, expected.resolved, "{what}: resolved");
    assert_eq!(actual.expired, expected.expired, "{what}: expired");
    assert_eq!(actual.nps, expected.nps, "{what}: nps");
    assert_eq!(actual.csat, expected.csat, "{what}: csat");
    for (kind, a, e) in [
        ("attention", &actual.attention, &expected.attention),
        ("resolution", &actual.resolution, &expected.resolution),
        (
            "both",
            &actual.attention_resolution,
            &expected.attention_resolution,
        ),
    ] {
        assert_eq!(a.samples, e.samples, "{what}: {kind} samples");
        let near = |x: Option<f64>, y: Option<f64>, bound: f64| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= y.abs() * bound + 1e-9,
            (x, y) => x == y,
        };
        assert!(near(a.mean_min, e.mean_min, 0.0), "{what}: {kind} mean");
        assert!(
            near(a.median_min, e.median_min, MAX_RELATIVE_ERROR)
                && near(a.p90_min, e.p90_min, MAX_RELATIVE_ERROR),
            "{what}: {kind} percentiles {a:?} vs {e:?}"
        );
    }
}

fn value_of(inquiry: &Inquiry, by: Dimension) -> Option<&str> {
    match by {
        Dimension::Operator => inquiry.operator_id.as_deref(),
        Dimension::Origin => Some(&inquiry.origin),
        Dimension::Channel => Some(&inquiry.channel),
    }
}

fn random_filter(rng: &mut ChaCha8Rng, dimensions: usize) -> Filter {
    let mut filter = Filter::default();
    for by in Dimension::ALL.into_iter().take(dimensions) {
        let values: Vec<String> = match by {
            Dimension::Operator => vec!["ana".into(), "Dora".into()],
            Dimension::Origin => vec![ORIGINS[rng.gen_range(0..3)].into()],
            Dimension::Channel => vec![CHANNELS[rng.gen_range(0..2)].into()],
        };
        filter.set(by, values);
    }
    filter
}

async fn breakdowns_and_filters_match_the_direct_computation(store: &Store) {
    let (inquiries, answers) = dataset(7);
    insert(store, &inquiries, &answers).await;
    let tz: Tz = "America/Santiago".parse().unwrap();
    let today = now().with_timezone(&tz).date_naive();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let keeps = |filter: &Filter| {
        let filter = filter.clone();
        move |i: &Inquiry| filter.keeps(i.operator_id.as_deref(), &i.origin, &i.channel)
    };
    // Random windows, every other one ending today (read partly live), and two that hold
    // a complete calendar month (read through the month roll-ups): August, and August to
    // today.
    let mut periods = Vec::new();
    for round in 0..8 {
        let length = rng.gen_range(1..25);
        let end = if round % 2 == 0 {
            today
        } else {
            today - Duration::days(rng.gen_range(1..20))
        };
        periods.push(Period::new(end - Duration::days(length - 1), end, tz).unwrap());
    }
    periods.push(Period::new(date(2026, 8, 1), date(2026, 8, 31), tz).unwrap());
    periods.push(Period::new(date(2026, 8, 1), today, tz).unwrap());
    for (round, period) in periods.into_iter().enumerate() {
        let what = format!("round {round}, {} to {}", period.from, period.to);
        for by in Dimension::ALL {
            // Twice: the first answer builds the group aggregates, the second reads them.
            for pass in 0..2 {
                let filter = if pass == 0 {
                    Filter::default()
                } else {
                    random_filter(&mut rng, round % 3)
                };
                let breakdown = build_breakdown(
                    store,
                    BreakdownRequest {
                        workspace: "w".into(),
                        period,
                        by,
                        filter: filter.clone(),
                        sort: SortBy::Resolved,
                        top: None,
                        now: now(),
                    },
                )
                .await
                .unwrap();
                let keep = keeps(&filter);
                let mut expected_keys: Vec<Option<&str>> = inquiries
                    .iter()
                    .filter(|i| keep(i))
                    .map(|i| value_of(i, by))
                    .collect();
                expected_keys.sort();
                expected_keys.dedup();
                let mut shown: Vec<Option<&str>> = breakdown
                    .groups
                    .iter()
                    .map(|row| row.key.0.as_deref())
                    .collect();
                shown.sort();
                // A group shows when it has facts in either period or inquiries in progress.
                for key in &shown {
                    assert!(
                        expected_keys.contains(key),
                        "{what}: {by} group {key:?} unknown"
                    );
                }
                for key in &expected_keys {
                    let in_group = |i: &Inquiry| keep(i) && value_of(i, by) == *key;
                    let facts = direct(&inquiries, &answers, &period, &in_group);
                    let busy = facts.pending
                        + facts.resolved
                        + facts.expired
                        + facts.attention.samples
                        + facts.nps.responses
                        + facts.csat.responses;
                    assert!(
                        busy == 0 || shown.contains(key),
                        "{what}: {by} group {key:?} missing"
                    );
                }
                for row in &breakdown.groups {
                    let key = row.key.0.as_deref();
                    let in_group = |i: &Inquiry| keep(i) && value_of(i, by) == key;
                    let context = format!("{what}: {by}={key:?} pass {pass} filter {filter:?}");
                    same(
                        &row.current,
                        &direct(&inquiries, &answers, &period, &in_group),
                        &context,
                    );
                    same(
                        &row.previous,
                        &direct(&inquiries, &answers, &period.previous(), &in_group),
                        &format!("{context} (previous)"),
                    );
                    let in_progress = inquiries
                        .iter()
                        .filter(|i| in_group(i) && i.status == InquiryStatus::InProgress)
                        .count() as u64;
                    assert_eq!(row.in_progress, in_progress, "{context}: in progress");
                }
            }
        }
        for dimensions in 1..=3 {
            let filter = random_filter(&mut rng, dimensions);
            let report = build_filtered_report(store, "w", &period, now(), &filter)
                .await
                .unwrap();
            let keep = keeps(&filter);
            let context = format!("{what}: filter {filter:?}");
            same(
                &report.current,
                &direct(&inquiries, &answers, &period, &keep),
                &context,
            );
            let in_progress = inquiries
                .iter()
                .filter(|i| keep(i) && i.status == InquiryStatus::InProgress)
                .count() as u64;
            assert_eq!(report.in_progress, in_progress, "{context}: in progress");
            assert_eq!(report.filter, filter);
        }
        // Unfiltered totals keep the answers whose inquiry is unknown.
        let total = build_report(store, "w", &period, now()).await.unwrap();
        let everything = |_: &Inquiry| true;
        let mut all = direct(&inquiries, &answers, &period, &everything);
        let orphans: Vec<&SurveyResponse> = answers
            .iter()
            .filter(|a| {
                in_days(a.answered_at, &period)
                    && a.inquiry_id
                        .as_deref()
                        .is_some_and(|id| id.starts_with("gone"))
            })
            .collect();
        let mut samples = WindowSamples::default();
        for a in &orphans {
            match a.kind {
                SurveyKind::Nps => samples.nps_histogram[a.score as usize] += 1,
                SurveyKind::Csat => samples.csat_histogram[a.score as usize - 1] += 1,
            }
        }
        let orphan_only = WindowIndicators::from_samples(&period, samples);
        all.nps.responses += orphan_only.nps.responses;
        all.csat.responses += orphan_only.csat.responses;
        assert_eq!(
            total.current.nps.responses, all.nps.responses,
            "{what}: total nps"
        );
        assert_eq!(
            total.current.csat.responses, all.csat.responses,
            "{what}: total csat"
        );
    }
}

fn breakdown_request(period: &Period, by: Dimension) -> BreakdownRequest {
    BreakdownRequest {
        workspace: "w".into(),
        period: *period,
        by,
        filter: Filter::default(),
        sort: SortBy::Resolved,
        top: None,
        now: now(),
    }
}

fn row<'a>(
    breakdown: &'a pulso::indicators::Breakdown,
    key: &str,
) -> Option<&'a pulso::indicators::BreakdownRow> {
    breakdown
        .groups
        .iter()
        .find(|row| row.key == RowKey(Some(key.into())))
}

async fn a_group_change_in_a_past_day_shows_in_the_next_answer(store: &Store) {
    let tz: Tz = "UTC".parse().unwrap();
    let day = utc(2026, 9, 1, 10, 0, 0);
    let mut moved = resolved("w", "moved", day, 5, 30);
    moved.operator_id = Some("ana".into());
    let mut stays = resolved("w", "stays", day, 5, 30);
    stays.operator_id = Some("ana".into());
    // Answered two days later, so a mark of the inquiry's own days would not cover it.
    let mut late = answer("w", "late", SurveyKind::Csat, 5, day + Duration::days(2));
    late.inquiry_id = Some("moved".into());
    let mut early = answer("w", "early", SurveyKind::Nps, 10, day);
    early.inquiry_id = Some("later".into());
    insert(store, &[moved.clone(), stays], &[late, early]).await;
    let period = Period::new(date(2026, 9, 1), date(2026, 9, 5), tz).unwrap();
    let first = build_breakdown(store, breakdown_request(&period, Dimension::Operator))
        .await
        .unwrap();
    let ana = row(&first, "ana").unwrap();
    assert_eq!((ana.current.resolved, ana.current.csat.responses), (2, 1));
    assert_eq!(
        first.groups.len(),
        1,
        "the answer naming no stored inquiry is in no group"
    );

    // Through the writer (the import's path) …
    moved.operator_id = Some("bruno".into());
    insert(store, &[moved.clone()], &[]).await;
    let second = build_breakdown(store, breakdown_request(&period, Dimension::Operator))
        .await
        .unwrap();
    let (ana, bruno) = (row(&second, "ana").unwrap(), row(&second, "bruno").unwrap());
    assert_eq!((ana.current.resolved, ana.current.csat.responses), (1, 0));
    assert_eq!(
        (bruno.current.resolved, bruno.current.csat.responses),
        (1, 1)
    );

    // … through plain SQL (the triggers' path) …
    let sql = "UPDATE inquiries SET origin = 'claims' WHERE workspace = 'w' AND id = 'moved'";
    execute(store, sql).await;
    let origins = build_breakdown(store, breakdown_request(&period, Dimension::Origin))
        .await
        .unwrap();
    assert_eq!(row(&origins, "claims").unwrap().current.csat.responses, 1);
    assert_eq!(row(&origins, "payments").unwrap().current.csat.responses, 0);
    let mut filter = Filter::default();
    filter.set(Dimension::Origin, vec!["claims".into()]);
    let claims = build_filtered_report(store, "w", &period, now(), &filter)
        .await
        .unwrap();
    assert_eq!(
        (claims.current.resolved, claims.current.csat.responses),
        (1, 1)
    );

    // … and an answer whose inquiry arrives later joins that inquiry's group.
    let mut later = resolved("w", "later", day + Duration::days(3), 5, 30);
    later.operator_id = Some("carla".into());
    insert(store, &[later], &[]).await;
    let third = build_breakdown(store, breakdown_request(&period, Dimension::Operator))
        .await
        .unwrap();
    assert_eq!(row(&third, "carla").unwrap().current.nps.responses, 1);
    execute(
        store,
        "DELETE FROM inquiries WHERE workspace = 'w' AND id = 'later'",
    )
    .await;
    let fourth = build_breakdown(store, breakdown_request(&period, Dimension::Operator))
        .await
        .unwrap();
    assert!(row(&fourth, "carla").is_none(), "{:?}", fourth.groups);
    execute(
        store,
        "UPDATE survey_responses SET inquiry_id = 'stays' WHERE workspace = 'w' AND id = 'late'",
    )
    .await;
    let fifth = build_breakdown(store, breakdown_request(&period, Dimension::Operator))
        .await
        .unwrap();
    assert_eq!(row(&fifth, "ana").unwrap().current.csat.responses, 1);
    assert_eq!(row(&fifth, "bruno").unwrap().current.csat.responses, 0);
}

/// A complete month is read from its roll-up once built; an edit inside it, through the
/// writer or plain SQL, shows in the next answer.
async fn an_edit_inside_a_rolled_up_month_shows_in_the_next_answer(store: &Store) {
    let tz: Tz = "UTC".parse().unwrap();
    let mut rows = Vec::new();
    for day in 0..31 {
        let mut inquiry = resolved(
            "w",
            &format!("m{day}"),
            utc(2026, 8, 1, 10, 0, 0) + Duration::days(day),
            5,
            30,
        );
        inquiry.operator_id = Some("ana".into());
        rows.push(inquiry);
    }
    insert(store, &rows, &[]).await;
    let august = Period::new(date(2026, 8, 1), date(2026, 8, 31), tz).unwrap();
    for _ in 0..2 {
        let answer = build_breakdown(store, breakdown_request(&august, Dimension::Operator))
            .await
            .unwrap();
        assert_eq!(row(&answer, "ana").unwrap().current.resolved, 31);
    }
    let months: i64 = match store.pool() {
        pulso::store::Pool::Sqlite(pool) => {
            sqlx::query_scalar("SELECT count(*) FROM month_group_aggregates")
                .fetch_one(pool)
                .await
                .unwrap()
        }
        pulso::store::Pool::Postgres(pool) => {
            sqlx::query_scalar("SELECT count(*) FROM month_group_aggregates")
                .fetch_one(pool)
                .await
                .unwrap()
        }
    };
    assert!(months >= 1, "the answer stored August's roll-up");
    rows[9].operator_id = Some("bruno".into());
    insert(store, &rows[9..10], &[]).await;
    let answer = build_breakdown(store, breakdown_request(&august, Dimension::Operator))
        .await
        .unwrap();
    assert_eq!(row(&answer, "ana").unwrap().current.resolved, 30);
    assert_eq!(row(&answer, "bruno").unwrap().current.resolved, 1);
    execute(
        store,
        "DELETE FROM inquiries WHERE workspace = 'w' AND id = 'm20'",
    )
    .await;
    let answer = build_breakdown(store, breakdown_request(&august, Dimension::Operator))
        .await
        .unwrap();
    assert_eq!(row(&answer, "ana").unwrap().current.resolved, 29);
}

async fn recent_values_offer_what_the_data_holds(store: &Store) {
    let (inquiries, answers) = dataset(3);
    insert(store, &inquiries, &answers).await;
    let tz: Tz = "America/Santiago".parse().unwrap();
    let all = store
        .recent_values("w", tz, Dimension::Operator, "", 25, now())
        .await
        .unwrap();
    assert_eq!(all, ["Dora", "ana", "bruno", "carla"]);
    let d = store
        .recent_values("w", tz, Dimension::Operator, "d", 25, now())
        .await
        .unwrap();
    assert_eq!(d, ["Dora"], "prefix match ignores case");
    let one = store
        .recent_values("w", tz, Dimension::Origin, "", 1, now())
        .await
        .unwrap();
    assert_eq!(one, ["claims"]);
    let other = store
        .recent_values("elsewhere", tz, Dimension::Channel, "", 25, now())
        .await
        .unwrap();
    assert!(other.is_empty(), "values of one workspace only");
}

/// Runs one statement of the test's own on either backend.
async fn execute(store: &Store, sql: &str) {
    match store.pool() {
        pulso::store::Pool::Sqlite(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
        pulso::store::Pool::Postgres(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
    }
}

/// The "done when": `pulso import` of a CSV file, then `pulso indicators --by …
/// --format json` as a process, equals the direct computation for every group.
async fn an_imported_file_breaks_down_like_the_direct_computation(db: &TestDb) {
    let (inquiries, answers) = dataset(21);
    let dir = tempfile::tempdir().unwrap();
    let instant = |at: DateTime<Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let optional = |at: Option<DateTime<Utc>>| at.map(instant).unwrap_or_default();
    let mut file = String::from(
        "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at\n",
    );
    // Written newest first: the file's order must not matter.
    for i in inquiries.iter().rev() {
        file += &format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            i.id,
            i.workspace,
            i.channel,
            i.origin,
            i.status.as_str(),
            i.operator_id.as_deref().unwrap_or(""),
            instant(i.requested_at),
            optional(i.attended_at),
            optional(i.resolved_at),
            optional(i.expired_at)
        );
    }
    std::fs::write(dir.path().join("inquiries.csv"), file).unwrap();
    let mut file = String::from("id,workspace,inquiry_id,kind,score,answered_at\n");
    for a in answers.iter().rev() {
        file += &format!(
            "{},{},{},{},{},{}\n",
            a.id,
            a.workspace,
            a.inquiry_id.as_deref().unwrap_or(""),
            a.kind.as_str(),
            a.score,
            instant(a.answered_at)
        );
    }
    std::fs::write(dir.path().join("surveys.csv"), file).unwrap();
    std::fs::write(
        dir.path().join("pulso.toml"),
        "[database]\nurl = \"sqlite://unused.db\"\n[demo]\nenabled = false\n\
         [[workspaces]]\nid = \"w\"\nname = \"W\"\ntimezone = \"America/Santiago\"\nlocale = \"es\"\n",
    )
    .unwrap();
    let url = db.url.clone();
    let run = |args: &[&str]| crate::harness::run_pulso(dir.path(), &url, &[], args).0;
    run(&[
        "import",
        "--inquiries",
        "inquiries.csv",
        "--surveys",
        "surveys.csv",
    ]);
    let tz: Tz = "America/Santiago".parse().unwrap();
    let today = now().with_timezone(&tz).date_naive();
    let now_text = instant(now());
    for (days, end) in [(1, today), (30, today), (7, today - Duration::days(10))] {
        let period = Period::new(end - Duration::days(days - 1), end, tz).unwrap();
        let (from, to) = (period.from.to_string(), period.to.to_string());
        for by in Dimension::ALL {
            let args = [
                "indicators",
                "--by",
                by.name(),
                "--format",
                "json",
                "--from",
                &from,
                "--to",
                &to,
                "--now",
                &now_text,
            ];
            let json: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
            let groups = json["groups"].as_array().unwrap();
            assert!(!groups.is_empty(), "{by} {from}..{to}: no groups");
            for group in groups {
                let key = group["key"].as_str();
                let in_group = |i: &Inquiry| value_of(i, by) == key;
                let e = direct(&inquiries, &answers, &period, &in_group);
                let what = format!("{by}={key:?} {from}..{to}");
                for (name, expected) in [
                    ("pending", e.pending),
                    ("resolved", e.resolved),
                    ("expired", e.expired),
                ] {
                    assert_eq!(group[name].as_u64(), Some(expected), "{what}: {name}");
                }
                for (name, expected) in [
                    ("avg_attention_min", e.avg_attention_min),
                    ("avg_resolution_min", e.avg_resolution_min),
                    (
                        "avg_attention_resolution_min",
                        e.avg_attention_resolution_min,
                    ),
                ] {
                    let actual = group[name].as_f64();
                    let near = match (actual, expected) {
                        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                        (a, b) => a == b,
                    };
                    assert!(near, "{what}: {name} {actual:?} vs {expected:?}");
                }
                assert_eq!(
                    group["nps"]["responses"].as_u64(),
                    Some(e.nps.responses),
                    "{what}"
                );
                assert_eq!(
                    group["nps"]["promoters"].as_u64(),
                    Some(e.nps.promoters),
                    "{what}"
                );
                assert_eq!(
                    group["csat"]["satisfied"].as_u64(),
                    Some(e.csat.satisfied),
                    "{what}"
                );
                let in_progress = inquiries
                    .iter()
                    .filter(|i| in_group(i) && i.status == InquiryStatus::InProgress)
                    .count() as u64;
                assert_eq!(group["in_progress"].as_u64(), Some(in_progress), "{what}");
            }
        }
    }
}
