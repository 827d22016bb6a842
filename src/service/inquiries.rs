//! `/inquiries` and `pulso inquiries`: how many inquiries of one status, and the oldest
//! open ones.
//!
//! A queue has no period: pending without a period, and in progress always, is everything
//! open right now (oldest first). Given a period, pending counts the pending inquiries
//! requested in it, as the indicator does; resolved and expired always count a period
//! (today by default). In progress is always now: the indicator is not windowed.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::domain::{Filter, InquiryStatus, OpenInquiry, Period, Window};
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
    /// The inquiries counted (empty: all).
    #[serde(skip_serializing_if = "Filter::is_empty")]
    pub filter: Filter,
}

/// The list of `status` in `workspace` at `now`. `period` is the one asked for, or today
/// when none was given (`explicit` says which): without one, pending is the queue now.
/// Only the inquiries `filter` keeps are counted and listed.
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
    filter: &Filter,
) -> Result<InquiryList, StoreError> {
    let list = |period: Option<&Period>, count, oldest| InquiryList {
        status,
        period: period.map(PeriodSummary::of),
        count,
        oldest,
        now,
        filter: filter.clone(),
    };
    let window = period.window();
    Ok(match status {
        InquiryStatus::InProgress => {
            let groups = store.in_progress_groups(workspace, None, filter).await?;
            let oldest = store
                .open_inquiries(workspace, true, None, filter, LISTED)
                .await?;
            list(None, groups.values().sum(), oldest)
        }
        InquiryStatus::Pending => {
            // Without a period: requested at or before now, however long ago (the queue).
            let (shown, window) = if explicit {
                (Some(period), window)
            } else {
                let queue = Window {
                    start: DateTime::UNIX_EPOCH,
                    end: now + Duration::seconds(1),
                };
                (None, queue)
            };
            let count = store
                .count_in_window(workspace, status, window, filter)
                .await?;
            let oldest = store
                .open_inquiries(workspace, false, Some(window), filter, LISTED)
                .await?;
            list(shown, count, oldest)
        }
        InquiryStatus::Resolved | InquiryStatus::Expired => {
            let count = store
                .count_in_window(workspace, status, window, filter)
                .await?;
            list(Some(period), count, Vec::new())
        }
    })
}
