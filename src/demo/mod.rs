//! Demo data: realistic, reproducible inquiries so a fresh clone shows real-looking figures.
//!
//! Two parts. The history ([`generate`]): waiting and resolution times are log-normal (most
//! inquiries are taken in minutes, a few wait for hours), off-hours requests wait longer,
//! some expire, and part of the resolved ones carry an NPS or CSAT answer; it holds only
//! inquiries already closed at "now", since nothing would ever move an open one on. The
//! live queue ([`live`]): what is pending and in progress, kept moving by the scheduler's
//! tick ([`advance_live`]) from the demo start recorded in the store. The same seed,
//! workspace and "now" always give the same rows.

pub mod live;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::{DemoSettings, Workspace};
use crate::domain::{Inquiry, InquiryStatus, SurveyKind, SurveyResponse};
use crate::domain::{Window, day_start};
use crate::store::{Store, StoreError};
use live::{LiveQueue, live_inquiry, live_rows};

const CHANNELS: [&str; 3] = ["whatsapp", "whatsapp", "webchat"];
const ORIGINS: [&str; 5] = ["payments", "claims", "orders", "technical_support", "other"];
const OPERATORS: u32 = 8;
/// Share of inquiries that expire before an operator takes them.
const EXPIRE_SHARE: f64 = 0.07;

/// The rows generated for one workspace.
#[derive(Debug, Clone, Default)]
pub struct DemoRows {
    /// Inquiries, ids `demo-000001`…
    pub inquiries: Vec<Inquiry>,
    /// Survey answers for part of the resolved inquiries.
    pub surveys: Vec<SurveyResponse>,
}

/// The seed mixed with the workspace id, so two workspaces do not get identical data.
fn salt(workspace: &Workspace, settings: &DemoSettings) -> u64 {
    let workspace_salt = workspace.id.bytes().fold(0u64, |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(u64::from(byte))
    });
    settings.seed ^ workspace_salt
}

/// Generates the history of `workspace`: `settings.days` days up to `now`, only inquiries
/// closed by then (ids `demo-000001`…, a number skipped for each one still open at `now`).
pub fn generate(workspace: &Workspace, settings: &DemoSettings, now: DateTime<Utc>) -> DemoRows {
    let mut rng = ChaCha8Rng::seed_from_u64(salt(workspace, settings));
    let today = now.with_timezone(&workspace.timezone).date_naive();
    let first_day = today - Duration::days(i64::from(settings.days) - 1);
    let mut rows = DemoRows::default();
    for number in 1..=settings.inquiries {
        let requested_at = random_request_instant(&mut rng, workspace, first_day, settings.days);
        if requested_at > now {
            continue;
        }
        let local_hour = requested_at.with_timezone(&workspace.timezone).hour();
        let off_hours = !(9..19).contains(&local_hour);
        let id = format!("demo-{number:06}");
        let mut inquiry = Inquiry {
            workspace: workspace.id.clone(),
            id: id.clone(),
            channel: CHANNELS[rng.gen_range(0..CHANNELS.len())].to_string(),
            origin: ORIGINS[rng.gen_range(0..ORIGINS.len())].to_string(),
            status: InquiryStatus::Pending,
            operator_id: None,
            requested_at,
            attended_at: None,
            resolved_at: None,
            expired_at: None,
        };
        // An inquiry still open at `now` is drawn (so the stream stays the same) but left
        // out: the live queue holds what is open.
        if rng.gen_bool(EXPIRE_SHARE) {
            let expires = requested_at + Duration::minutes(rng.gen_range(120..=1440));
            if expires <= now {
                inquiry.status = InquiryStatus::Expired;
                inquiry.expired_at = Some(expires);
                rows.inquiries.push(inquiry);
            }
            continue;
        }
        let wait_median = if off_hours { 45.0 } else { 7.0 };
        let attended = requested_at + minutes(log_normal(&mut rng, wait_median, 1.1));
        if attended > now {
            continue;
        }
        inquiry.attended_at = Some(attended);
        inquiry.operator_id = Some(format!("op-{}", rng.gen_range(1..=OPERATORS)));
        let resolved = attended + minutes(log_normal(&mut rng, 14.0, 0.9));
        if resolved > now {
            continue;
        }
        inquiry.status = InquiryStatus::Resolved;
        inquiry.resolved_at = Some(resolved);
        if let Some(answer) = random_survey(&mut rng, &inquiry, resolved, now) {
            rows.surveys.push(answer);
        }
        rows.inquiries.push(inquiry);
    }
    rows
}

/// Writes demo rows for every workspace that has no inquiries yet; returns how many
/// workspaces were filled. Called on first use when `[demo] enabled = true`.
///
/// # Errors
/// [`StoreError`]; nothing is written then.
pub async fn fill_empty_workspaces(
    store: &Store,
    workspaces: &[Workspace],
    settings: &DemoSettings,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut empty = Vec::new();
    for workspace in workspaces {
        if !store.has_inquiries(&workspace.id).await? {
            empty.push(workspace);
        }
    }
    // Every later start finds the workspaces filled: no write transaction then.
    if !empty.is_empty() {
        write(store, empty.iter().copied(), settings, now).await?;
    }
    Ok(empty.len())
}

/// Generates and upserts demo rows for `workspaces` in one transaction: the history and the
/// live queue as it stands at `now`, which becomes the demo start of each (the live queue
/// starts over from it). Returns the inquiries and survey answers written.
///
/// # Errors
/// [`StoreError`]; no inquiry is written then (a demo start may be, and is rewritten by the
/// next attempt).
pub async fn write<'a>(
    store: &Store,
    workspaces: impl IntoIterator<Item = &'a Workspace>,
    settings: &DemoSettings,
    now: DateTime<Utc>,
) -> Result<(usize, usize), StoreError> {
    let workspaces: Vec<&Workspace> = workspaces.into_iter().collect();
    // Before the rows: a workspace never has demo rows the live queue does not know of.
    for workspace in &workspaces {
        store.set_demo_start(&workspace.id, now).await?;
    }
    let mut writer = store.writer().await?;
    let mut written = (0, 0);
    let queue = LiveQueue::default();
    for workspace in workspaces {
        let mut rows = generate(workspace, settings, now);
        let from = now - live::horizon(&queue);
        let salt = salt(workspace, settings);
        rows.inquiries
            .extend(live_rows(&workspace.id, salt, &queue, now, from, now));
        written.0 += rows.inquiries.len();
        written.1 += rows.surveys.len();
        writer.upsert_inquiries(rows.inquiries).await?;
        writer.upsert_surveys(rows.surveys).await?;
    }
    writer.commit().await?;
    Ok(written)
}

/// How many open inquiries a tick looks at for live ones left open by a stopped process.
const CATCH_UP: u32 = 100;

/// Moves the live queue of `workspace` on to `now`, if demo data was ever written there:
/// new arrivals, and every live inquiry of the last horizon in its state at `now` (the
/// scheduler's tick and the start of every command call it). Returns the inquiries written:
/// new or changed ones (0 for a workspace without demo data, or before its demo start).
///
/// A live inquiry left open by a process that stopped for longer than the horizon (or by
/// a run at an earlier `--now`) is caught up too: every open live inquiry requested before
/// the horizon is written in its state at `now`. Arrivals while no pulso ran are not made
/// up: the live queue is what happens while pulso runs.
///
/// Only rows that differ from the stored ones are written, so a tick (or a one-shot
/// command's start) when nothing moved writes nothing and returns 0.
///
/// # Errors
/// [`StoreError`]; nothing is written then.
pub async fn advance_live(
    store: &Store,
    workspace: &Workspace,
    settings: &DemoSettings,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let Some(start) = store.demo_start(&workspace.id).await? else {
        return Ok(0);
    };
    if now < start {
        return Ok(0);
    }
    let queue = LiveQueue::default();
    let salt = salt(workspace, settings);
    let from = now - live::horizon(&queue);
    let mut rows = live_rows(&workspace.id, salt, &queue, start, from, now);
    let before_horizon = Window {
        start: DateTime::UNIX_EPOCH,
        end: from,
    };
    let mut open = store
        .oldest_pending_in_window(&workspace.id, before_horizon, CATCH_UP)
        .await?;
    open.extend(store.oldest_in_progress(&workspace.id, CATCH_UP).await?);
    rows.extend(
        open.iter()
            .filter(|open| open.requested_at < from)
            .filter_map(|open| live_inquiry(&workspace.id, salt, &queue, &open.id, now)),
    );
    // Most ticks change nothing (or a row or two): write only what differs from the store,
    // and open no write transaction when nothing does.
    let ids: Vec<String> = rows.iter().map(|row| row.id.clone()).collect();
    let stored = store.inquiries_by_id(&workspace.id, &ids).await?;
    rows.retain(|row| !stored.contains(row));
    let written = rows.len();
    if written == 0 {
        return Ok(0);
    }
    let mut writer = store.writer().await?;
    writer.upsert_inquiries(rows).await?;
    writer.commit().await?;
    Ok(written)
}

/// A request instant: a random day, weighted toward business hours in the local zone.
fn random_request_instant(
    rng: &mut ChaCha8Rng,
    workspace: &Workspace,
    first_day: NaiveDate,
    days: u32,
) -> DateTime<Utc> {
    let day = first_day + Duration::days(rng.gen_range(0..i64::from(days)));
    let hour: i64 = if rng.gen_bool(0.8) {
        rng.gen_range(9..19)
    } else {
        rng.gen_range(0..24)
    };
    let seconds = hour * 3600 + rng.gen_range(0..3600);
    // Offsets from the day's first instant keep DST days correct.
    day_start(workspace.timezone, day) + Duration::seconds(seconds)
}

fn random_survey(
    rng: &mut ChaCha8Rng,
    inquiry: &Inquiry,
    resolved: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<SurveyResponse> {
    let roll: f64 = rng.r#gen();
    let kind = if roll < 0.25 {
        SurveyKind::Nps
    } else if roll < 0.40 {
        SurveyKind::Csat
    } else {
        return None;
    };
    let answered_at = resolved + Duration::minutes(rng.gen_range(1..=90));
    if answered_at > now {
        return None;
    }
    // Skewed toward satisfied customers, with a visible share of unhappy ones.
    let score = match kind {
        SurveyKind::Nps => [10, 10, 9, 9, 9, 8, 8, 7, 6, 5, 3, 0][rng.gen_range(0..12)],
        SurveyKind::Csat => [5, 5, 5, 4, 4, 3, 2, 1][rng.gen_range(0..8)],
    };
    Some(SurveyResponse {
        workspace: inquiry.workspace.clone(),
        id: format!("{}-{}", inquiry.id, kind.as_str()),
        inquiry_id: Some(inquiry.id.clone()),
        kind,
        score,
        answered_at,
    })
}

/// A log-normal sample with the given median (minutes) and shape.
pub(crate) fn log_normal(rng: &mut ChaCha8Rng, median: f64, sigma: f64) -> f64 {
    // Box–Muller: two uniforms to one standard normal.
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.r#gen();
    let normal = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    median * (sigma * normal).exp()
}

pub(crate) fn minutes(value: f64) -> Duration {
    Duration::seconds((value * 60.0).round().clamp(1.0, 7.0 * 86_400.0) as i64)
}
