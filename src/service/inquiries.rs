//! `/inquiries` and `pulso inquiries`: how many inquiries of one status, and the oldest
//! open ones.
//!
//! A queue has no period: pending without a period, and in progress always, is everything
//! open right now (oldest first). Given a period, pending counts the pending inquiries
//! requested in it, as the indicator does; resolved and expired always count a period
//! (today by default). In progress is always now: the indicator is not windowed.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::domain::{InquiryStatus, OpenInquiry, Period, Window};
use crate::indicators::PeriodSummary;
use crate::store::{Store, StoreError};

/// How many open inquiries a list shows.
const LISTED: u32 = 10;

/// What `/inquiries` shows for one status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InquiryList {
    /// The status asked for.
    pub status: InquiryStatus,
    /// The period counted; `None` for the queue right now.
    pub period: Option<PeriodSummary>,
    /// How many.
    pub count: u64,
    /// The longest-waiting ones, oldest first (pending and in progress only).
    pub oldest: Vec<OpenInquiry>,
    /// The instant waiting times are measured to.
    pub now: DateTime<Utc>,
}

/// The list of `status` in `workspace` at `now`. `period` is the one asked for, or today
/// when none was given (`explicit` says which): without one, pending is the queue now.
///
/// # Errors
/// [`StoreError`].
pub async fn inquiry_list(
    store: &Store,
    workspace: &str,
    status: InquiryStatus,
    period: &Period,
    explicit: bool,
    now: DateTime<Utc>,
) -> Result<InquiryList, StoreError> {
    let list = |period: Option<&Period>, count, oldest| InquiryList {
        status,
        period: period.map(PeriodSummary::of),
        count,
        oldest,
        now,
    };
    let window = period.window();
    Ok(match status {
        InquiryStatus::InProgress => list(
            None,
            store.in_progress_count(workspace).await?,
            store.oldest_in_progress(workspace, LISTED).await?,
        ),
        InquiryStatus::Pending if !explicit => {
            // Requested at or before now, however long ago: the whole queue.
            let queue = Window {
                start: DateTime::UNIX_EPOCH,
                end: now + Duration::seconds(1),
            };
            list(
                None,
                store.pending_requested_in(workspace, queue).await?,
                store
                    .oldest_pending_in_window(workspace, queue, LISTED)
                    .await?,
            )
        }
        InquiryStatus::Pending => list(
            Some(period),
            store.window_samples(workspace, window).await?.pending,
            store
                .oldest_pending_in_window(workspace, window, LISTED)
                .await?,
        ),
        InquiryStatus::Resolved | InquiryStatus::Expired => {
            let samples = store.window_samples(workspace, window).await?;
            let count = if status == InquiryStatus::Resolved {
                samples.resolved.len() as u64
            } else {
                samples.expired
            };
            list(Some(period), count, Vec::new())
        }
    })
}
