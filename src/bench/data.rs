//! The benchmark's dataset: N inquiries spread evenly over D days in W workspaces, generated
//! one at a time in time order (never all in memory) for the CSV files `pulso import` reads.
//!
//! Shapes follow the demo data: 7 % expire, waits and work times are log-normal (median 7
//! and 14 minutes), whatever has not happened by "now" is still pending or in progress, and
//! about 40 % of resolved inquiries carry an answer (25 % NPS, 15 % CSAT).

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::demo::{log_normal, minutes};
use crate::domain::{Inquiry, InquiryStatus, SurveyKind, SurveyResponse};

/// The benchmark workspaces: zones with and without DST.
pub const ZONES: [(&str, Tz); 3] = [
    ("bench-madrid", chrono_tz::Europe::Madrid),
    ("bench-baires", chrono_tz::America::Argentina::Buenos_Aires),
    ("bench-santiago", chrono_tz::America::Santiago),
];

/// The id and zone of workspace `index`.
pub fn workspace(index: usize) -> (String, Tz) {
    let (name, tz) = ZONES[index % ZONES.len()];
    if index < ZONES.len() {
        (name.to_string(), tz)
    } else {
        (format!("{name}-{}", index / ZONES.len()), tz)
    }
}

/// What to generate: the same options and seed give the same rows.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Inquiries in all.
    pub inquiries: u64,
    /// Days of history, ending at `now`.
    pub days: u32,
    /// Workspaces the inquiries take turns in.
    pub workspaces: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Nothing happens after this instant.
    pub now: DateTime<Utc>,
}

impl Shape {
    /// The first instant of the history.
    pub fn first(&self) -> i64 {
        self.now.timestamp() - i64::from(self.days) * 86_400
    }

    /// The rows in time order, as `(number, inquiry, its answer)`: the inquiry's id is
    /// `b` and its number, so files and databases can name it again.
    pub fn rows(&self) -> impl Iterator<Item = (u64, Inquiry, Option<SurveyResponse>)> + '_ {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let span = i64::from(self.days) * 86_400;
        let names: Vec<String> = (0..self.workspaces).map(|i| workspace(i).0).collect();
        (0..self.inquiries).map(move |number| {
            let offset =
                (i128::from(number) * i128::from(span) / i128::from(self.inquiries)) as i64;
            let requested_at =
                DateTime::from_timestamp(self.first() + offset, 0).unwrap_or(self.now);
            let workspace = &names[(number % self.workspaces as u64) as usize];
            let inquiry = inquiry(&mut rng, workspace, number, requested_at, self.now);
            let answer = survey(&mut rng, &inquiry, self.now);
            (number, inquiry, answer)
        })
    }
}

/// One inquiry requested at `requested_at`, id `b` + `number`, as of `now`.
pub fn inquiry(
    rng: &mut ChaCha8Rng,
    workspace: &str,
    number: u64,
    requested_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Inquiry {
    let mut inquiry = Inquiry {
        workspace: workspace.to_string(),
        id: format!("b{number:09}"),
        channel: super::breakdowns::CHANNELS[rng.gen_range(0..3)].to_string(),
        origin: ["payments", "claims", "orders", "sales"][rng.gen_range(0..4)].to_string(),
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

/// The answer `inquiry` may carry (none when not resolved or not yet answered at `now`).
pub fn survey(
    rng: &mut ChaCha8Rng,
    inquiry: &Inquiry,
    now: DateTime<Utc>,
) -> Option<SurveyResponse> {
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
