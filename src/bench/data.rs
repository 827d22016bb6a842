//! The benchmark's dataset: N inquiries spread evenly over D days in W workspaces, generated
//! in batches (never all in memory) and written with the import writer.
//!
//! Shapes follow the demo data: 7 % expire, waits and work times are log-normal (median 7
//! and 14 minutes), whatever has not happened by "now" is still pending or in progress, and
//! about 40 % of resolved inquiries carry an answer (25 % NPS, 15 % CSAT).

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::demo::{log_normal, minutes};
use crate::domain::{Inquiry, InquiryStatus, SurveyKind, SurveyResponse};
use crate::store::{Store, StoreError};

/// Inquiries generated and written per batch.
const BATCH: usize = 10_000;

/// The benchmark workspaces: zones with and without DST.
pub const ZONES: [(&str, Tz); 3] = [
    ("bench-madrid", chrono_tz::Europe::Madrid),
    ("bench-baires", chrono_tz::America::Argentina::Buenos_Aires),
    ("bench-santiago", chrono_tz::America::Santiago),
];

/// What was written and how long the writes took.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Inquiry rows.
    pub inquiries: u64,
    /// Survey answer rows.
    pub surveys: u64,
    /// Time spent in the writer's calls (upserts and commit): what `pulso import` waits
    /// for. On SQLite the statements run on a blocking thread while the next batch is
    /// generated, so that overlap is not counted.
    pub writing: StdDuration,
    /// Wall time including generation.
    pub total: StdDuration,
    /// CPU time of the whole process (all threads) during the build, generation included:
    /// unlike wall time, not inflated by other programs competing for the cores.
    pub cpu: Option<StdDuration>,
}

/// CPU time (user + system) of this process so far, from `/proc/self/stat` (Linux).
pub fn process_cpu() -> Option<StdDuration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces).
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux architecture pulso targets.
    Some(StdDuration::from_millis(ticks * 10))
}

/// The id and zone of workspace `index`.
pub fn workspace(index: usize) -> (String, Tz) {
    let (name, tz) = ZONES[index % ZONES.len()];
    if index < ZONES.len() {
        (name.to_string(), tz)
    } else {
        (format!("{name}-{}", index / ZONES.len()), tz)
    }
}

/// Generates and writes the dataset in one all-or-nothing transaction, like `pulso import`.
///
/// # Errors
/// [`StoreError`]; nothing is written then.
pub async fn write(
    store: &Store,
    inquiries: u64,
    days: u32,
    workspaces: usize,
    seed: u64,
    now: DateTime<Utc>,
    mut progress: impl FnMut(u64),
) -> Result<Written, StoreError> {
    let started = Instant::now();
    let cpu_before = process_cpu();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let span = i64::from(days) * 86_400;
    let first = now.timestamp() - span;
    let names: Vec<String> = (0..workspaces).map(|i| workspace(i).0).collect();
    let mut written = Written::default();
    let mut writer = store.writer().await?;
    let mut batch = Vec::with_capacity(BATCH);
    let mut answers = Vec::with_capacity(BATCH / 2);
    for number in 0..inquiries {
        let offset = (i128::from(number) * i128::from(span) / i128::from(inquiries)) as i64;
        let requested_at = DateTime::from_timestamp(first + offset, 0).unwrap_or(now);
        let workspace = &names[(number % workspaces as u64) as usize];
        let inquiry = inquiry(&mut rng, workspace, number, requested_at, now);
        if let Some(answer) = survey(&mut rng, &inquiry, now) {
            answers.push(answer);
        }
        batch.push(inquiry);
        if batch.len() == BATCH || number + 1 == inquiries {
            written.inquiries += batch.len() as u64;
            written.surveys += answers.len() as u64;
            let writing = Instant::now();
            writer
                .upsert_inquiries(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                .await?;
            writer
                .upsert_surveys(std::mem::replace(
                    &mut answers,
                    Vec::with_capacity(BATCH / 2),
                ))
                .await?;
            written.writing += writing.elapsed();
            progress(written.inquiries);
        }
    }
    let writing = Instant::now();
    writer.commit().await?;
    written.writing += writing.elapsed();
    written.total = started.elapsed();
    written.cpu = process_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    Ok(written)
}

fn inquiry(
    rng: &mut ChaCha8Rng,
    workspace: &str,
    number: u64,
    requested_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Inquiry {
    let mut inquiry = Inquiry {
        workspace: workspace.to_string(),
        id: format!("b{number:09}"),
        channel: "whatsapp".to_string(),
        origin: ["payments", "claims", "orders"][rng.gen_range(0..3)].to_string(),
        status: InquiryStatus::Pending,
        operator_id: None,
        requested_at,
        attended_at: None,
        resolved_at: None,
        expired_at: None,
    };
    if rng.gen_bool(0.07) {
        let expires = requested_at + Duration::minutes(rng.gen_range(120..=1440));
        if expires <= now {
            inquiry.status = InquiryStatus::Expired;
            inquiry.expired_at = Some(expires);
        }
        return inquiry;
    }
    let attended = requested_at + minutes(log_normal(rng, 7.0, 1.1));
    if attended > now {
        return inquiry;
    }
    inquiry.status = InquiryStatus::InProgress;
    inquiry.attended_at = Some(attended);
    inquiry.operator_id = Some(format!("op-{}", rng.gen_range(1..=40)));
    let resolved = attended + minutes(log_normal(rng, 14.0, 0.9));
    if resolved <= now {
        inquiry.status = InquiryStatus::Resolved;
        inquiry.resolved_at = Some(resolved);
    }
    inquiry
}

fn survey(rng: &mut ChaCha8Rng, inquiry: &Inquiry, now: DateTime<Utc>) -> Option<SurveyResponse> {
    let resolved = inquiry.resolved_at?;
    let roll: f64 = rng.r#gen();
    let (kind, score) = if roll < 0.25 {
        (SurveyKind::Nps, rng.gen_range(0..=10))
    } else if roll < 0.40 {
        (SurveyKind::Csat, rng.gen_range(1..=5))
    } else {
        return None;
    };
    let answered_at = resolved + Duration::minutes(rng.gen_range(1..=90));
    (answered_at <= now).then(|| SurveyResponse {
        workspace: inquiry.workspace.clone(),
        id: format!("{}-{}", inquiry.id, kind.as_str()),
        inquiry_id: Some(inquiry.id.clone()),
        kind,
        score,
        answered_at,
    })
}
