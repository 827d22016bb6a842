//! Scheduled digests through the test app, its clock moved by the test (no real waiting): DST days, restarts,
//! downtime, two schedulers on one PostgreSQL, and delivery retries against a fake Discord.

use chrono::{DateTime, Duration, Utc};
use pulso::jobs::{TickReport, digest_tick};
use pulso::outbox::{DeliveryReport, deliver_due, nonce};
use pulso::store::Store;
use serde_json::json;

use crate::harness::{ConfigBuilder, TOKEN, TestApp, WorkspaceConfig};
use crate::helpers::*;

/// A config with one Spanish workspace `w` in `timezone` whose digest goes to channel 777.
fn config(timezone: &str, schedule: &str, grace: &str) -> ConfigBuilder {
    ConfigBuilder::with([WorkspaceConfig::new("w", "Equipo")
        .timezone(timezone)
        .locale("es")
        .digest(&format!(
            "schedule = \"{schedule}\", channel_id = \"777\", grace = \"{grace}\""
        ))])
}

/// The app's digest job at `now`.
async fn tick_at(app: &TestApp, now: DateTime<Utc>) -> TickReport {
    app.set_now(now);
    app.digest_tick().await
}

/// One delivery round of the app at `now`.
async fn deliver_at(app: &TestApp, now: DateTime<Utc>) -> DeliveryReport {
    app.set_now(now);
    app.deliver().await
}

/// Ticks every `step` from `from` to `to`, as the 30-second scheduler would.
async fn run_ticks(app: &TestApp, from: DateTime<Utc>, to: DateTime<Utc>, step: Duration) {
    let mut now = from;
    while now <= to {
        tick_at(app, now).await;
        now += step;
    }
}

async fn claimed(store: &Store) -> Vec<DateTime<Utc>> {
    store
        .digest_runs("w")
        .await
        .unwrap()
        .into_iter()
        .filter(|run| run.outcome == "claimed")
        .map(|run| DateTime::from_timestamp(run.occurrence, 0).unwrap())
        .collect()
}

/// Ticking every minute across a DST change posts exactly one digest per local day, at the
/// local time asked for (and at the first valid time when that time does not exist).
async fn dst_case(
    db: TestDb,
    timezone: &str,
    schedule: &str,
    from: DateTime<Utc>,
    expected: &[DateTime<Utc>],
) {
    let app = TestApp::spawn(db, config(timezone, schedule, "6h")).await;
    let store = app.store();
    run_ticks(&app, from, from + Duration::days(4), Duration::minutes(1)).await;
    assert_eq!(claimed(store).await, expected, "{timezone} {schedule}");
    assert!(
        store
            .digest_runs("w")
            .await
            .unwrap()
            .iter()
            .all(|run| run.late == 0),
        "none late"
    );
    app.finish().await;
}

async fn madrid_march_digests_fire_once_per_day(db: TestDb) {
    dst_case(
        db,
        "Europe/Madrid",
        "0 9 * * *",
        utc(2026, 3, 27, 12, 0, 0),
        &[
            utc(2026, 3, 28, 8, 0, 0),
            utc(2026, 3, 29, 7, 0, 0),
            utc(2026, 3, 30, 7, 0, 0),
            utc(2026, 3, 31, 7, 0, 0),
        ],
    )
    .await;
}

async fn madrid_gap_and_overlap_times_fire_once(db: TestDb) {
    // 02:30 does not exist on 2026-03-29 (fires at 03:00 CEST = 01:00 UTC).
    dst_case(
        db,
        "Europe/Madrid",
        "30 2 * * *",
        utc(2026, 3, 27, 12, 0, 0),
        &[
            utc(2026, 3, 28, 1, 30, 0),
            utc(2026, 3, 29, 1, 0, 0),
            utc(2026, 3, 30, 0, 30, 0),
            utc(2026, 3, 31, 0, 30, 0),
        ],
    )
    .await;
}

async fn madrid_october_overlap_fires_once(db: TestDb) {
    // 02:30 happens twice on 2026-10-25: only the first (CEST, 00:30 UTC) fires.
    dst_case(
        db,
        "Europe/Madrid",
        "30 2 * * *",
        utc(2026, 10, 23, 12, 0, 0),
        &[
            utc(2026, 10, 24, 0, 30, 0),
            utc(2026, 10, 25, 0, 30, 0),
            utc(2026, 10, 26, 1, 30, 0),
            utc(2026, 10, 27, 1, 30, 0),
        ],
    )
    .await;
}

async fn santiago_skipped_midnight_fires_at_one(db: TestDb) {
    // 2026-09-06 00:00 does not exist in Santiago: the midnight digest fires at 01:00 -03.
    dst_case(
        db,
        "America/Santiago",
        "0 0 * * *",
        utc(2026, 9, 4, 12, 0, 0),
        &[
            utc(2026, 9, 5, 4, 0, 0),
            utc(2026, 9, 6, 4, 0, 0),
            utc(2026, 9, 7, 3, 0, 0),
            utc(2026, 9, 8, 3, 0, 0),
        ],
    )
    .await;
}

/// After downtime, an occurrence within grace is posted late and says so; one beyond grace
/// is recorded as skipped, never posted and never silently dropped.
async fn downtime_posts_late_within_grace_and_skips_beyond(db: TestDb) {
    let app = TestApp::spawn(db, config("UTC", "0 9 * * *", "6h")).await;
    let store = app.store();
    tick_at(&app, utc(2026, 5, 4, 8, 0, 0)).await; // first sight
    // Down from 08:00 to 11:30: the 09:00 digest is 2.5 h late, within 6 h.
    let report = tick_at(&app, utc(2026, 5, 4, 11, 30, 0)).await;
    assert_eq!(
        report.claimed,
        vec![("w".to_string(), utc(2026, 5, 4, 9, 0, 0), true)]
    );
    // Down until the next day at 15:30: the 05-05 digest is 6.5 h late, beyond grace.
    let report = tick_at(&app, utc(2026, 5, 5, 15, 30, 0)).await;
    assert!(report.claimed.is_empty());
    assert_eq!(
        report.skipped,
        vec![("w".to_string(), utc(2026, 5, 5, 9, 0, 0))]
    );
    let runs = store.digest_runs("w").await.unwrap();
    let outcomes: Vec<(&str, i64)> = runs
        .iter()
        .map(|run| (run.outcome.as_str(), run.late))
        .collect();
    assert_eq!(outcomes, [("claimed", 1), ("skipped", 0)]);
    let discord = app.discord();
    deliver_at(&app, utc(2026, 5, 5, 15, 31, 0)).await;
    let posted = discord.posted();
    assert_eq!(posted.len(), 1, "only the late digest is posted");
    assert_eq!(
        posted[0].body["content"],
        "⏰ Publicado con retraso: estaba programado para las 09:00."
    );
    assert_eq!(
        posted[0].body["embeds"][0]["title"],
        "Resumen diario · Equipo"
    );
    app.finish().await;
}

/// A `locale = "pt"` workspace gets its digest in Brazilian Portuguese: title, late note,
/// period line with "1 dia", labels, numbers, and the chart attached.
async fn portuguese_digest_is_posted_in_portuguese(db: TestDb) {
    let config = ConfigBuilder::with([WorkspaceConfig::new("w", "Equipo")
        .timezone("UTC")
        .locale("pt")
        .digest("schedule = \"0 9 * * *\", channel_id = \"777\", grace = \"6h\"")]);
    let app = TestApp::spawn(db, config).await;
    let store = app.store();
    insert(
        store,
        &[
            resolved("w", "r1", utc(2026, 5, 3, 10, 0, 0), 4, 10),
            expired("w", "e1", utc(2026, 5, 3, 11, 0, 0), 120),
        ],
        &[],
    )
    .await;
    tick_at(&app, utc(2026, 5, 4, 8, 0, 0)).await; // first sight
    tick_at(&app, utc(2026, 5, 4, 11, 30, 0)).await;
    deliver_at(&app, utc(2026, 5, 4, 11, 31, 0)).await;
    let discord = app.discord();
    let posted = discord.posted();
    assert_eq!(posted.len(), 1);
    let body = &posted[0].body;
    assert_eq!(
        body["content"],
        "⏰ Publicado com atraso: estava programado para as 09:00."
    );
    let embed = &body["embeds"][0];
    assert_eq!(embed["title"], "Resumo diário · Equipo");
    assert_eq!(embed["description"], "3 de mai. de 2026 · 1 dia · UTC");
    let fields: Vec<(&str, &str)> = embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert!(
        fields.contains(&("Consultas resolvidas", "**1**\n▲ 1")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("Consultas expiradas", "**1**\n▲ 1")),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("Pontuação NPS", "**sem dados**")),
        "{fields:?}"
    );
    let footer = embed["footer"]["text"].as_str().unwrap();
    assert!(
        footer.starts_with("Taxa de expiração: 50,0 % · Pendente mais antiga: nenhuma"),
        "{footer}"
    );
    assert_eq!(
        posted[0].attachment.as_deref(),
        Some("digest-w-2026-05-03.png"),
        "chart attached"
    );
    app.finish().await;
}

/// A restart between claim and send delivers the digest once; a crash after Discord got it
/// but before it was marked sent re-sends with the same nonce, which Discord deduplicates.
async fn restart_between_claim_and_send_delivers_once(db: TestDb) {
    let mut app = TestApp::spawn(db, config("UTC", "0 9 * * *", "6h")).await;
    tick_at(&app, utc(2026, 5, 4, 8, 59, 30)).await;
    tick_at(&app, utc(2026, 5, 4, 9, 0, 0)).await; // claimed; the process dies here
    // "Restart": the rebuilt app ticks again (no second claim) and delivers.
    app.restart().await;
    let (store, discord) = (app.store(), app.discord());
    let report = tick_at(&app, utc(2026, 5, 4, 9, 0, 30)).await;
    assert!(report.claimed.is_empty());
    // A worker leases the message and "crashes" after Discord accepted it.
    let leased = store
        .lease_due(utc(2026, 5, 4, 9, 0, 30).timestamp(), 10, 120)
        .await
        .unwrap();
    assert_eq!(leased.len(), 1);
    app.jobs().sender.send(&leased[0], None).await.unwrap();
    // The lease runs out; another worker delivers it again with the same nonce.
    let report = deliver_at(&app, utc(2026, 5, 4, 9, 3, 0)).await;
    assert_eq!(report.sent, 1);
    let requests: Vec<_> = discord
        .requests()
        .into_iter()
        .filter(|r| r.path == "/api/v10/channels/777/messages")
        .collect();
    assert_eq!(requests.len(), 2, "sent twice");
    assert_eq!(requests[0].body["nonce"], requests[1].body["nonce"]);
    assert_eq!(requests[1].body["enforce_nonce"], true);
    assert_eq!(discord.posted().len(), 1, "Discord shows it once");
    assert_eq!(deliver_at(&app, utc(2026, 5, 4, 9, 10, 0)).await.sent, 0);
    assert_eq!(
        store.outbox_counts().await.unwrap(),
        vec![("sent".to_string(), 1)]
    );
    app.finish().await;
}

/// Discord answering 500, then 429 with retry_after, then 200: one message, after the wait,
/// with its Discord message id recorded.
async fn server_error_then_rate_limit_then_success_posts_once_after_the_wait(db: TestDb) {
    let app = TestApp::spawn(db, config("UTC", "0 9 * * *", "6h")).await;
    let discord = app.discord();
    tick_at(&app, utc(2026, 5, 4, 8, 0, 0)).await;
    tick_at(&app, utc(2026, 5, 4, 9, 0, 0)).await;
    discord.script([
        (500, json!({"message": "Internal Server Error", "code": 0})),
        (
            429,
            json!({"message": "You are being rate limited.", "retry_after": 42.5, "global": false}),
        ),
    ]);
    let t0 = utc(2026, 5, 4, 9, 0, 0);
    let at = |seconds: i64| t0 + Duration::seconds(seconds);
    assert_eq!(deliver_at(&app, at(0)).await.retried, 1, "500 is retried");
    assert_eq!(
        deliver_at(&app, at(4)).await,
        Default::default(),
        "backoff: not yet"
    );
    assert_eq!(deliver_at(&app, at(5)).await.retried, 1, "429 is retried");
    assert_eq!(
        deliver_at(&app, at(5 + 42)).await,
        Default::default(),
        "retry_after honoured"
    );
    let report = deliver_at(&app, at(5 + 43)).await;
    assert_eq!(report.sent, 1);
    assert_eq!(discord.requests().len(), 3);
    let posted = discord.posted();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].channel, "777");
    assert_eq!(
        posted[0].body["nonce"],
        nonce(&format!("digest:w:0 9 * * *|yesterday:{}", t0.timestamp()))
    );
    assert_eq!(posted[0].body["allowed_mentions"], json!({"parse": []}));
    assert_eq!(
        posted[0].attachment.as_deref(),
        Some("digest-w-2026-05-03.png"),
        "chart attached"
    );
    assert_eq!(
        posted[0].body["embeds"][0]["image"]["url"],
        "attachment://digest-w-2026-05-03.png"
    );
    let authorization = &discord.requests()[2].headers["authorization"];
    assert_eq!(authorization, &format!("Bot {TOKEN}"));
    app.finish().await;
}

/// A 403 (missing permission) is not retried: the message is marked failed at once.
async fn permanent_errors_are_not_retried(db: TestDb) {
    let app = TestApp::spawn(db, config("UTC", "0 9 * * *", "6h")).await;
    let (store, discord) = (app.store(), app.discord());
    tick_at(&app, utc(2026, 5, 4, 8, 0, 0)).await;
    discord.script([(
        403,
        json!({"message": "Missing Permissions", "code": 50013}),
    )]);
    // One beat of the scheduler at 09:00: the digest is claimed and delivery is tried.
    app.set_now(utc(2026, 5, 4, 9, 0, 0));
    let (digests, report, _) = app.tick().await;
    assert_eq!(digests.claimed.len(), 1);
    assert_eq!(report.failed, 1);
    assert_eq!(
        store.outbox_counts().await.unwrap(),
        vec![("failed".to_string(), 1)]
    );
    app.finish().await;
}

crate::app_tests!(
    madrid_march_digests_fire_once_per_day,
    madrid_gap_and_overlap_times_fire_once,
    madrid_october_overlap_fires_once,
    santiago_skipped_midnight_fires_at_one,
    downtime_posts_late_within_grace_and_skips_beyond,
    restart_between_claim_and_send_delivers_once,
    server_error_then_rate_limit_then_success_posts_once_after_the_wait,
    permanent_errors_are_not_retried,
    portuguese_digest_is_posted_in_portuguese,
);

/// Two schedulers (two pools, as two replicas) ticking and delivering concurrently on one
/// PostgreSQL for 60 simulated days across Santiago's DST change, one of them restarting
/// halfway: every digest reaches the fake Discord channel exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_schedulers_on_one_postgres_post_every_digest_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = pulso::config::DatabaseUrl::parse(&db.url, true).unwrap();
    // Replica A is the app; replica B its config and sender on a pool of its own.
    let app = TestApp::spawn(db, config("America/Santiago", "0 9 * * *", "6h")).await;
    let mut second = Store::open(&url).await.unwrap();
    let (config, discord) = (app.config(), app.discord());
    let sender_b = app.jobs().sender;
    let start = utc(2026, 8, 1, 0, 0, 0);
    let step = Duration::minutes(30);
    let mut now = start;
    while now < start + Duration::days(60) {
        // Replica B runs a few seconds behind replica A, as real clocks do.
        let later = now + Duration::seconds(7);
        let (_, b) = tokio::join!(tick_at(&app, now), digest_tick(&second, config, later));
        b.unwrap();
        let (_, b) = tokio::join!(app.deliver(), deliver_due(&second, &sender_b, later));
        b.unwrap();
        now += step;
        if now == start + Duration::days(30) + Duration::hours(13) {
            // Replica B restarts right at a digest time, with a fresh connection pool.
            second.close().await;
            second = Store::open(&url).await.unwrap();
        }
    }
    let posted = discord.posted();
    let days: std::collections::BTreeSet<String> = posted
        .iter()
        .map(|p| {
            p.body["embeds"][0]["description"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(posted.len(), 60, "one digest per day, 08-01 to 09-29");
    assert_eq!(days.len(), 60, "each day once");
    let requests = discord.requests().len();
    assert_eq!(requests, 60, "no message was even sent twice");
    second.close().await;
    app.finish().await;
}
