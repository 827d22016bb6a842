//! pulso's answers equal an independent computation of the semantics in
//! `shared/reference/indicators.md`, on random data and random windows.
//!
//! The independent side never uses pulso's window code: an instant belongs to a period when
//! its *local date* in the workspace zone is one of the period's days. That is the plain
//! reading of "whole local days", and it agrees with "the first instant of the day" rule on
//! DST days (gaps and overlaps), which is exactly what this test checks.

use std::io::Write as _;
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use pulso::domain::Period;
use pulso::domain::{Inquiry, InquiryStatus, SurveyKind, SurveyResponse};
use pulso::service::build_report;
use pulso::store::Store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::helpers::*;

crate::backend_tests!(random_windows_match_the_direct_computation);

/// Zones with DST gaps and overlaps at and away from midnight.
const ZONES: [&str; 5] = [
    "Europe/Madrid",
    "America/Santiago",
    "America/Havana",
    "America/Argentina/Buenos_Aires",
    "UTC",
];

/// The figures the independent computation produces for one period.
#[derive(Debug, PartialEq)]
struct Expected {
    pending: u64,
    resolved: u64,
    expired: u64,
    attention: Vec<i64>,
    resolution: Vec<i64>,
    attention_resolution: Vec<i64>,
    nps: (u64, u64, u64),
    csat: (u64, u64),
}

fn in_days(at: DateTime<Utc>, tz: Tz, from: NaiveDate, to: NaiveDate) -> bool {
    let local = at.with_timezone(&tz).date_naive();
    from <= local && local <= to
}

fn expected(
    inquiries: &[Inquiry],
    surveys: &[SurveyResponse],
    workspace: &str,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
) -> Expected {
    let mine = inquiries.iter().filter(|i| i.workspace == workspace);
    let inside = |at: Option<DateTime<Utc>>| at.is_some_and(|at| in_days(at, tz, from, to));
    let mut e = Expected {
        pending: 0,
        resolved: 0,
        expired: 0,
        attention: vec![],
        resolution: vec![],
        attention_resolution: vec![],
        nps: (0, 0, 0),
        csat: (0, 0),
    };
    for i in mine {
        if i.status == InquiryStatus::Pending && inside(Some(i.requested_at)) {
            e.pending += 1;
        }
        if inside(i.attended_at) {
            e.attention
                .push((i.attended_at.unwrap() - i.requested_at).num_seconds());
        }
        if inside(i.resolved_at) {
            e.resolved += 1;
            let resolved = i.resolved_at.unwrap();
            e.resolution
                .push((resolved - i.attended_at.unwrap()).num_seconds());
            e.attention_resolution
                .push((resolved - i.requested_at).num_seconds());
        }
        if inside(i.expired_at) {
            e.expired += 1;
        }
    }
    for s in surveys.iter().filter(|s| s.workspace == workspace) {
        if !in_days(s.answered_at, tz, from, to) {
            continue;
        }
        match (s.kind, s.score) {
            (SurveyKind::Nps, 9..=10) => e.nps.0 += 1,
            (SurveyKind::Nps, 7..=8) => e.nps.1 += 1,
            (SurveyKind::Nps, _) => e.nps.2 += 1,
            (SurveyKind::Csat, score) => {
                e.csat.0 += 1;
                if score >= 4 {
                    e.csat.1 += 1;
                }
            }
        }
    }
    e
}

fn mean_min(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() as f64 / values.len() as f64 / 60.0)
}

fn median_min(values: &[i64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2] as f64 / 60.0),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 120.0),
    }
}

fn p90_min(values: &[i64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort();
    // Nearest rank: the smallest value with at least 90% of the samples at or below it.
    (1..=sorted.len())
        .find(|rank| rank * 10 >= sorted.len() * 9)
        .map(|rank| sorted[rank - 1] as f64 / 60.0)
}

fn close(actual: &Value, expected: Option<f64>, what: &str) {
    match expected {
        None => assert!(actual.is_null(), "{what}: expected null, got {actual}"),
        Some(expected) => {
            let actual = actual
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: expected {expected}, got {actual}"));
            assert!(
                (actual - expected).abs() < 1e-9,
                "{what}: expected {expected}, got {actual}"
            );
        }
    }
}

/// Like [`close`] for a median or p90: exact when the report says its percentiles are
/// (`percentile_error_bound` 0), otherwise within that relative bound, which must be the
/// documented one (docs/performance.md).
fn close_percentile(actual: &Value, expected: Option<f64>, bound: &Value, what: &str) {
    let bound = bound
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: percentile_error_bound missing"));
    match expected {
        Some(expected) if bound > 0.0 => {
            assert_eq!(bound, pulso::domain::MAX_RELATIVE_ERROR, "{what}: bound");
            assert!(bound <= 0.01, "{what}: the stated bound is at most 1%");
            let actual = actual
                .as_f64()
                .unwrap_or_else(|| panic!("{what}: expected {expected}, got {actual}"));
            assert!(
                (actual - expected).abs() <= bound * expected.abs() + 1e-9,
                "{what}: expected {expected} within {bound}, got {actual}"
            );
        }
        _ => close(actual, expected, what),
    }
}

/// Compares one JSON window (the report's top level or its `previous`) with the expectation.
fn assert_window(json: &Value, e: &Expected, context: &str) {
    let count = |key: &str| {
        json[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{context}: {key} missing in {json}"))
    };
    assert_eq!(count("pending"), e.pending, "{context}: pending");
    assert_eq!(count("resolved"), e.resolved, "{context}: resolved");
    assert_eq!(count("expired"), e.expired, "{context}: expired");
    close(
        &json["avg_attention_min"],
        mean_min(&e.attention),
        &format!("{context}: avg_attention_min"),
    );
    close(
        &json["avg_resolution_min"],
        mean_min(&e.resolution),
        &format!("{context}: avg_resolution_min"),
    );
    close(
        &json["avg_attention_resolution_min"],
        mean_min(&e.attention_resolution),
        &format!("{context}: avg_attention_resolution_min"),
    );
    for (key, values) in [
        ("attention", &e.attention),
        ("resolution", &e.resolution),
        ("attention_resolution", &e.attention_resolution),
    ] {
        let bound = &json[key]["percentile_error_bound"];
        close_percentile(
            &json[key]["median_min"],
            median_min(values),
            bound,
            &format!("{context}: {key}.median_min"),
        );
        close_percentile(
            &json[key]["p90_min"],
            p90_min(values),
            bound,
            &format!("{context}: {key}.p90_min"),
        );
    }
    let (promoters, passives, detractors) = e.nps;
    let responses = promoters + passives + detractors;
    assert_eq!(
        json["nps"]["responses"].as_u64(),
        Some(responses),
        "{context}: nps.responses"
    );
    assert_eq!(
        json["nps"]["promoters"].as_u64(),
        Some(promoters),
        "{context}: nps.promoters"
    );
    assert_eq!(
        json["nps"]["passives"].as_u64(),
        Some(passives),
        "{context}: nps.passives"
    );
    assert_eq!(
        json["nps"]["detractors"].as_u64(),
        Some(detractors),
        "{context}: nps.detractors"
    );
    let nps =
        (responses > 0).then(|| 100.0 * (promoters as f64 - detractors as f64) / responses as f64);
    close(&json["nps"]["score"], nps, &format!("{context}: nps.score"));
    let (csat_responses, satisfied) = e.csat;
    assert_eq!(
        json["csat"]["responses"].as_u64(),
        Some(csat_responses),
        "{context}: csat.responses"
    );
    assert_eq!(
        json["csat"]["satisfied"].as_u64(),
        Some(satisfied),
        "{context}: csat.satisfied"
    );
    let csat = (csat_responses > 0).then(|| 100.0 * satisfied as f64 / csat_responses as f64);
    close(
        &json["csat"]["score"],
        csat,
        &format!("{context}: csat.score"),
    );
}

/// Random but consistent inquiries around DST transitions, with instants on exact local
/// midnights and whole-hour boundaries to hit window edges.
fn random_dataset(
    seed: u64,
    workspaces: &[(&str, Tz)],
    per_workspace: usize,
    span_days: i64,
) -> (Vec<Inquiry>, Vec<SurveyResponse>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let base = utc(2026, 1, 1, 0, 0, 0);
    let mut inquiries = Vec::new();
    let mut surveys = Vec::new();
    for (workspace, tz) in workspaces {
        for n in 0..per_workspace {
            let requested_at = if rng.gen_bool(0.2) {
                // Exactly a local midnight (or the first instant after a skipped one).
                let day = (base + Duration::days(rng.gen_range(0..span_days)))
                    .with_timezone(tz)
                    .date_naive();
                pulso_independent_midnight(*tz, day)
            } else {
                base + Duration::seconds(rng.gen_range(0..span_days * 86_400))
            };
            let wait = Duration::seconds(rng.gen_range(0..6 * 3600));
            let work = Duration::seconds(rng.gen_range(0..3 * 3600));
            let id = format!("q{n}");
            let mut inquiry = pending(workspace, &id, requested_at);
            match rng.gen_range(0..10) {
                0..=1 => {}
                2..=3 => inquiry = in_progress(workspace, &id, requested_at, 0),
                4..=8 => inquiry = resolved(workspace, &id, requested_at, 0, 0),
                _ => inquiry = expired(workspace, &id, requested_at, 0),
            }
            match inquiry.status {
                InquiryStatus::InProgress => inquiry.attended_at = Some(requested_at + wait),
                InquiryStatus::Resolved => {
                    inquiry.attended_at = Some(requested_at + wait);
                    inquiry.resolved_at = Some(requested_at + wait + work);
                }
                InquiryStatus::Expired => {
                    inquiry.expired_at = Some(requested_at + wait + work);
                    if rng.gen_bool(0.3) {
                        inquiry.attended_at = Some(requested_at + wait);
                    }
                }
                InquiryStatus::Pending => {}
            }
            if let Some(resolved_at) = inquiry.resolved_at.filter(|_| rng.gen_bool(0.5)) {
                let kind = if rng.gen_bool(0.5) {
                    SurveyKind::Nps
                } else {
                    SurveyKind::Csat
                };
                let range = kind.score_range();
                surveys.push(SurveyResponse {
                    workspace: workspace.to_string(),
                    id: format!("s{n}"),
                    inquiry_id: Some(id.clone()),
                    kind,
                    score: rng.gen_range(*range.start()..=*range.end()),
                    answered_at: resolved_at + Duration::minutes(rng.gen_range(0..120)),
                });
            }
            inquiries.push(inquiry);
        }
    }
    (inquiries, surveys)
}

/// The first instant whose local date is `day`, found by scanning minutes: deliberately
/// not pulso's own `day_start`.
fn pulso_independent_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let guess = day.and_hms_opt(0, 0, 0).unwrap().and_utc() - Duration::hours(16);
    (0..48 * 60)
        .map(|minute| guess + Duration::minutes(minute))
        .find(|at| at.with_timezone(&tz).date_naive() == day)
        .unwrap()
}

/// Random periods, plus the DST days of each zone and periods that end "today".
fn random_periods(rng: &mut ChaCha8Rng, count: usize) -> Vec<(NaiveDate, NaiveDate)> {
    let mut periods = vec![
        (date(2026, 3, 29), date(2026, 3, 29)),
        (date(2026, 10, 25), date(2026, 10, 25)),
        (date(2026, 4, 5), date(2026, 4, 5)),
        (date(2026, 9, 6), date(2026, 9, 6)),
        (date(2026, 3, 8), date(2026, 3, 8)),
        (date(2026, 11, 1), date(2026, 11, 1)),
        (date(2026, 1, 1), date(2026, 11, 26)),
    ];
    for _ in 0..count {
        let from = date(2026, 1, 1) + Duration::days(rng.gen_range(0..320));
        let to = from + Duration::days(rng.gen_range(0..40));
        periods.push((from, to));
    }
    periods
}

async fn random_windows_match_the_direct_computation(store: &Store) {
    let workspaces: Vec<(&str, Tz)> = ZONES
        .iter()
        .enumerate()
        .map(|(index, zone)| {
            (
                ["madrid", "santiago", "havana", "baires", "utc"][index],
                zone.parse().unwrap(),
            )
        })
        .collect();
    let (mut inquiries, mut surveys) = random_dataset(11, &workspaces, 400, 330);
    // A busy workspace (hundreds of durations a day) whose stored days are histograms; the
    // others' days are quiet enough to be stored, and answered, exactly.
    let busy = ("busy", "Europe/Madrid".parse::<Tz>().unwrap());
    let (busy_inquiries, busy_surveys) = random_dataset(13, &[busy], 3000, 6);
    inquiries.extend(busy_inquiries);
    surveys.extend(busy_surveys);
    insert(store, &inquiries, &surveys).await;
    let mut workspaces = workspaces;
    workspaces.push(busy);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let now = utc(2026, 11, 26, 15, 0, 0);
    let mut approximate = 0;
    for (workspace, tz) in &workspaces {
        for (from, to) in random_periods(&mut rng, 12) {
            let period = Period::new(from, to, *tz).unwrap();
            // The first answer may rebuild day aggregates; the second reads them.
            for pass in ["cold", "warm"] {
                let report = build_report(store, workspace, &period, now).await.unwrap();
                let json = serde_json::to_value(&report).unwrap();
                let context = format!("{workspace} {from}..{to} {pass}");
                let bound = json["attention"]["percentile_error_bound"].as_f64();
                approximate += usize::from(bound > Some(0.0));
                if *workspace != "busy" {
                    assert_eq!(bound, Some(0.0), "{context}: quiet days are exact");
                }
                assert_window(
                    &json,
                    &expected(&inquiries, &surveys, workspace, *tz, from, to),
                    &context,
                );
                let previous = period.previous();
                assert_window(
                    &json["previous"],
                    &expected(
                        &inquiries,
                        &surveys,
                        workspace,
                        *tz,
                        previous.from,
                        previous.to,
                    ),
                    &format!("{context} previous"),
                );
            }
        }
    }
    assert!(approximate > 0, "no answer came from day aggregates");
}

fn write_csv(
    dir: &std::path::Path,
    inquiries: &[Inquiry],
    surveys: &[SurveyResponse],
) -> (std::path::PathBuf, std::path::PathBuf) {
    let instant = |at: Option<DateTime<Utc>>| at.map(|at| at.to_rfc3339()).unwrap_or_default();
    let inquiries_path = dir.join("inquiries.csv");
    let mut file = std::fs::File::create(&inquiries_path).unwrap();
    writeln!(file, "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at").unwrap();
    for i in inquiries {
        writeln!(
            file,
            "{},{},{},{},{},{},{},{},{},{}",
            i.id,
            i.workspace,
            i.channel,
            i.origin,
            i.status,
            i.operator_id.clone().unwrap_or_default(),
            i.requested_at.to_rfc3339(),
            instant(i.attended_at),
            instant(i.resolved_at),
            instant(i.expired_at)
        )
        .unwrap();
    }
    let surveys_path = dir.join("surveys.csv");
    let mut file = std::fs::File::create(&surveys_path).unwrap();
    writeln!(file, "id,workspace,inquiry_id,kind,score,answered_at").unwrap();
    for s in surveys {
        writeln!(
            file,
            "{},{},{},{},{},{}",
            s.id,
            s.workspace,
            s.inquiry_id.clone().unwrap_or_default(),
            s.kind.as_str(),
            s.score,
            s.answered_at.to_rfc3339()
        )
        .unwrap();
    }
    (inquiries_path, surveys_path)
}

/// Runs the binary in `dir` with `database_url` in the environment; returns stdout.
fn pulso(dir: &std::path::Path, database_url: &str, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir)
        .env_remove("PULSO_CONFIG")
        .env("PULSO_DATABASE_URL", database_url)
        .args(["--config", "pulso.toml"])
        .args(args)
        .output()
        .expect("run pulso");
    assert!(
        output.status.success(),
        "pulso {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The whole path a user takes: `pulso import` CSV files, then `pulso indicators --format
/// json`, equals the direct computation from the same rows.
async fn cli_json_matches_direct_computation(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pulso.toml"),
        "[database]\nurl = \"sqlite://unused.db\"\n\n[[workspaces]]\nid = \"madrid\"\nname = \"Madrid\"\n\
         timezone = \"Europe/Madrid\"\nlocale = \"es\"\n\n[[workspaces]]\nid = \"santiago\"\nname = \"Santiago\"\n\
         timezone = \"America/Santiago\"\nlocale = \"en\"\n",
    )
    .unwrap();
    let workspaces: [(&str, Tz); 2] = [
        ("madrid", chrono_tz::Europe::Madrid),
        ("santiago", chrono_tz::America::Santiago),
    ];
    let (inquiries, surveys) = random_dataset(23, &workspaces, 300, 330);
    let (inquiries_csv, surveys_csv) = write_csv(dir.path(), &inquiries, &surveys);
    let import = pulso(
        dir.path(),
        &db.url,
        &[
            "import",
            "--inquiries",
            inquiries_csv.to_str().unwrap(),
            "--surveys",
            surveys_csv.to_str().unwrap(),
        ],
    );
    assert!(
        import.contains(&format!("imported {} inquiries", inquiries.len())),
        "{import}"
    );
    let now = "2026-10-27T10:00:00Z";
    for (workspace, tz) in workspaces {
        for (from, to) in [
            ("2026-10-25", "2026-10-25"),
            ("2026-09-06", "2026-09-12"),
            ("2026-03-01", "2026-03-31"),
        ] {
            let out = pulso(
                dir.path(),
                &db.url,
                &[
                    "indicators",
                    "--workspace",
                    workspace,
                    "--from",
                    from,
                    "--to",
                    to,
                    "--now",
                    now,
                    "--format",
                    "json",
                ],
            );
            let json: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(json["workspace"], workspace);
            assert_eq!(json["period"]["from"], from);
            assert_eq!(json["period"]["to"], to);
            assert_eq!(json["period"]["timezone"], tz.name());
            let (from, to) = (from.parse().unwrap(), to.parse().unwrap());
            assert_window(
                &json,
                &expected(&inquiries, &surveys, workspace, tz, from, to),
                &format!("{workspace} {from}"),
            );
        }
        // A named period ending today.
        let out = pulso(
            dir.path(),
            &db.url,
            &[
                "indicators",
                "--workspace",
                workspace,
                "--period",
                "last-7-days",
                "--now",
                now,
                "--format",
                "json",
            ],
        );
        let json: Value = serde_json::from_str(&out).unwrap();
        let today: NaiveDate = now
            .parse::<DateTime<Utc>>()
            .unwrap()
            .with_timezone(&tz)
            .date_naive();
        let from = today - Duration::days(6);
        assert_eq!(json["period"]["to"], today.to_string());
        assert_window(
            &json,
            &expected(&inquiries, &surveys, workspace, tz, from, today),
            &format!("{workspace} last-7-days"),
        );
        let in_progress = inquiries
            .iter()
            .filter(|i| i.workspace == workspace && i.status == InquiryStatus::InProgress)
            .count() as u64;
        assert_eq!(json["in_progress"].as_u64(), Some(in_progress));
    }
    db.finish().await;
}

#[tokio::test]
async fn cli_json_matches_direct_computation_on_sqlite() {
    cli_json_matches_direct_computation(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn cli_json_matches_direct_computation_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        cli_json_matches_direct_computation(db).await;
    }
}
