//! The first run: the embedded default config through the real app on a manual clock, at
//! 03:00 local time. Within five minutes the demo wallet is under 50 USD on `/indicators`
//! and `/balance`, labelled demo, and the console has printed a low-balance alert and a
//! queue alert; the live queue is open at any hour, moves with the ticks and is caught up
//! after a long stop. Also `/inquiries` pending without a period (the queue now) and with
//! one. The binary's own first run: `ops::first_run`.

use chrono::{DateTime, Duration, Utc};
use pulso::config::{Config, ConfigSource, GupshupMode};
use pulso::jobs::{JobContext, balance_tick, demo_tick, tick};
use pulso::telemetry::Heartbeat;

use crate::harness::{ConfigBuilder, Screen, TestApp, WorkspaceConfig};
use crate::helpers::*;

crate::app_tests!(
    the_first_five_minutes_show_a_low_demo_balance_and_alerts,
    the_live_queue_is_open_at_three_in_the_morning_and_moves,
    a_long_stop_leaves_no_live_inquiry_open_for_ever,
    pending_inquiries_are_the_queue_now_unless_a_period_is_given,
    a_tick_that_changes_nothing_writes_nothing,
);

/// 03:00 in Buenos Aires (the default workspace's zone, UTC−3): the old demo's empty hour.
fn three_am() -> DateTime<Utc> {
    utc(2026, 11, 24, 6, 0, 0)
}

/// One beat of the scheduler at `now`: the main tick (digests, live queue, alert rules,
/// delivery) and the balance job.
async fn beat(app: &TestApp, jobs: &JobContext, now: DateTime<Utc>) {
    app.set_now(now);
    tick(jobs, &Heartbeat::default()).await;
    balance_tick(&jobs.store, &jobs.config, &jobs.monitor, now)
        .await
        .expect("balance tick");
}

/// Every 30 s from `from` to `to`, inclusive.
async fn beats(app: &TestApp, jobs: &JobContext, from: DateTime<Utc>, to: DateTime<Utc>) {
    let mut now = from;
    while now <= to {
        beat(app, jobs, now).await;
        now += Duration::seconds(30);
    }
}

async fn the_first_five_minutes_show_a_low_demo_balance_and_alerts(db: TestDb) {
    let start = three_am();
    let app = TestApp::spawn_default(db, start).await;
    let (screen, folder) = (Screen::default(), tempfile::tempdir().unwrap());
    let jobs = app.console_jobs(&screen, folder.path());
    let before = app.command("/balance").await.to_text();
    assert!(
        before.contains("Saldo de Gupshup (demo)") && before.contains("🧪 Demo"),
        "{before}"
    );
    beats(&app, &jobs, start, start + Duration::minutes(5)).await;

    let latest = app
        .store()
        .latest_balance("default")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.amount, Some(46.40), "{latest:?}");
    let indicators = app.command("/indicators").await.to_text();
    assert!(
        indicators.contains("Saldo de Gupshup (demo)") && indicators.contains("46,40 USD"),
        "{indicators}"
    );
    let balance = app.command("/balance").await.to_text();
    assert!(
        balance.contains("Saldo de Gupshup (demo)")
            && balance.contains("46,40 USD")
            && balance.contains("🧪 Demo: billetera simulada por pulso"),
        "{balance}"
    );
    let printed = screen.text();
    assert!(
        printed.contains("Saldo de Gupshup bajo (demo)") && printed.contains("49,40 USD"),
        "no low-balance alert on the console:\n{printed}"
    );
    assert!(
        printed.contains("⚠️ queue_waiting") && printed.contains("⚠️ oldest_pending"),
        "no queue alert on the console:\n{printed}"
    );
    // A restart keeps the wallet where it was (it opened at the first stored reading).
    let mut app = app;
    app.restart().await;
    let jobs = app.console_jobs(&screen, folder.path());
    beat(&app, &jobs, start + Duration::minutes(9)).await;
    let latest = app
        .store()
        .latest_balance("default")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest.amount, Some(46.25), "{latest:?}");
    app.finish().await;
}

/// The ids and statuses of the live demo inquiries in the store.
async fn live(app: &TestApp) -> Vec<(String, String)> {
    let sql = "SELECT id, status FROM inquiries WHERE id LIKE 'demo-live-%' ORDER BY id";
    crate::on_pool!(app.store(), |pool| sqlx::query_as(sql)
        .fetch_all(pool)
        .await
        .unwrap())
}

async fn the_live_queue_is_open_at_three_in_the_morning_and_moves(db: TestDb) {
    let start = three_am();
    let app = TestApp::spawn_default(db, start).await;
    let (screen, folder) = (Screen::default(), tempfile::tempdir().unwrap());
    let jobs = app.console_jobs(&screen, folder.path());
    let pending = app.command("/inquiries status:pending").await.to_text();
    assert!(
        pending.contains("Ahora mismo") && pending.contains("`demo-live-"),
        "{pending}"
    );
    let in_progress = app.command("/inquiries status:in_progress").await.to_text();
    assert!(in_progress.contains("`demo-live-"), "{in_progress}");
    assert!(app.store().in_progress_count("default").await.unwrap() > 0);
    let open_at_start: Vec<String> = live(&app)
        .await
        .into_iter()
        .filter(|(_, status)| status == "pending")
        .map(|(id, _)| id)
        .collect();
    assert!(open_at_start.len() >= 5, "{open_at_start:?}");
    let before = live(&app).await.len();

    beats(&app, &jobs, start, start + Duration::minutes(40)).await;
    let after = live(&app).await;
    assert!(
        after.len() >= before + 6,
        "new arrivals: {before} → {}",
        after.len()
    );
    for id in &open_at_start {
        let status = &after.iter().find(|(other, _)| other == id).unwrap().1;
        assert_ne!(status, "pending", "{id} still waits after 40 min");
    }
    let pending = app.store().oldest_pending("default").await.unwrap();
    assert!(pending.is_some_and(|(id, _)| id.starts_with("demo-live-")));
    // The queue alerts fired, and resolved once operators caught up.
    let printed = screen.text();
    assert!(printed.contains("⚠️ queue_waiting"), "{printed}");
    assert!(printed.contains("✅ queue_waiting"), "{printed}");
    app.finish().await;
}

/// Stopped for six hours with inquiries open, pulso closes them at its next start instead
/// of letting them wait for ever (they would keep the queue alerts firing).
async fn a_long_stop_leaves_no_live_inquiry_open_for_ever(db: TestDb) {
    let start = three_am();
    let mut app = TestApp::spawn_default(db, start).await;
    assert!(
        app.store()
            .oldest_pending("default")
            .await
            .unwrap()
            .is_some()
    );
    let later = start + Duration::hours(6);
    app.set_now(later);
    app.restart().await;
    let horizon = later - Duration::minutes(90);
    let (id, requested_at) = app
        .store()
        .oldest_pending("default")
        .await
        .unwrap()
        .unwrap();
    assert!(requested_at >= horizon, "{id} requested at {requested_at}");
    let in_progress = app.store().oldest_in_progress("default", 1).await.unwrap();
    assert!(in_progress[0].requested_at >= horizon, "{in_progress:?}");
    app.finish().await;
}

/// Every one-shot command advances the live queue on start: when nothing moved since the
/// last tick it writes nothing, and when something did it writes only what changed, leaving
/// the store as a full rewrite would.
async fn a_tick_that_changes_nothing_writes_nothing(db: TestDb) {
    let start = three_am();
    let app = TestApp::spawn_default(db, start).await;
    let (store, config) = (app.store(), app.config());
    assert_eq!(demo_tick(store, config, start).await.unwrap(), 0);
    let at_start = live(&app).await;
    let later = start + Duration::minutes(20);
    let changed = demo_tick(store, config, later).await.unwrap();
    let after = live(&app).await;
    let unchanged = after.iter().filter(|row| at_start.contains(row)).count();
    assert!(
        changed > 0 && unchanged > 0,
        "{changed} changed, {unchanged} unchanged"
    );
    assert_eq!(
        changed,
        after.len() - unchanged,
        "only the changed rows are written"
    );
    assert_eq!(demo_tick(store, config, later).await.unwrap(), 0);
    assert_eq!(live(&app).await, after);
    app.finish().await;
}

async fn pending_inquiries_are_the_queue_now_unless_a_period_is_given(db: TestDb) {
    let app = TestApp::spawn(db, ConfigBuilder::with([WorkspaceConfig::new("w", "W")])).await;
    let now = crate::harness::default_now();
    let at = |hours: i64| now - Duration::hours(hours);
    insert(
        app.store(),
        &[
            pending("w", "p-today", at(1)),
            pending("w", "p-week", at(3 * 24)),
            pending("w", "p-yesterday", at(20)),
            pending("w", "p-early", at(12)),
            in_progress("w", "i-old", at(40), 5),
            resolved("w", "r-today", at(2), 1, 1),
        ],
        &[],
    )
    .await;
    let queue = app.command("/inquiries status:pending").await.to_text();
    assert!(
        queue.contains("Right now, oldest first") && queue.contains("Total: 4"),
        "{queue}"
    );
    let order: Vec<usize> = ["p-week", "p-yesterday", "p-early", "p-today"]
        .iter()
        .map(|id| queue.find(&format!("`{id}`")).expect(id))
        .collect();
    assert!(order.is_sorted(), "oldest first: {queue}");
    let today = app
        .command("/inquiries status:pending period:today")
        .await
        .to_text();
    assert!(
        today.contains("Requested in") && today.contains("Total: 2") && !today.contains("p-week"),
        "{today}"
    );
    let week = app
        .command("/inquiries status:pending period:last-7-days")
        .await
        .to_text();
    assert!(week.contains("Total: 4"), "{week}");
    let in_progress = app
        .command("/inquiries status:in_progress period:today")
        .await
        .to_text();
    assert!(
        in_progress.contains("Total: 1") && in_progress.contains("`i-old`"),
        "in progress is always now: {in_progress}"
    );
    app.finish().await;
}

/// `gupshup.mode = "demo"` needs no key (credentials left from a real mode are ignored,
/// even naming an unset variable); an unknown mode names the three.
#[test]
fn demo_mode_needs_no_credentials() {
    let text = |gupshup: &str| {
        format!(
            "[database]\nurl = \"sqlite://x.db\"\n[[workspaces]]\nid = \"w\"\nname = \"W\"\n\
             timezone = \"UTC\"\nlocale = \"en\"\nwhatsapp = {{ provider = \"gupshup\" }}\n\
             gupshup = {{ {gupshup} }}\n"
        )
    };
    let source = || ConfigSource::File("pulso.toml".into());
    let config = Config::parse(
        &text("mode = \"demo\", api_key_env = \"UNSET_X\""),
        source(),
        None,
    )
    .unwrap();
    let gupshup = config.workspaces[0].gupshup.as_ref().unwrap();
    assert_eq!(gupshup.mode, GupshupMode::Demo);
    assert!(gupshup.is_demo() && gupshup.secret.is_none());
    let error = Config::parse(&text("mode = \"dmeo\""), source(), None)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("workspaces[0].gupshup.mode: unknown mode \"dmeo\"")
            && error.contains("\"demo\" for a simulated wallet"),
        "{error}"
    );
}
