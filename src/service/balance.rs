//! The Gupshup balance as commands and digests show it: the indicator line and the
//! days-left estimate, read from the stored readings (never from Gupshup itself).

use chrono::{DateTime, Duration, Utc};

use crate::alerting::{RATE_WINDOW_DAYS, spending_rate};
use crate::config::Workspace;
use crate::store::{Store, StoreError};

/// The balance shown next to the indicators (only while under the threshold, in USD).
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceLine {
    /// Balance.
    pub amount: f64,
    /// Its currency (always USD: other currencies are never compared with the threshold).
    pub currency: String,
    /// The workspace's threshold.
    pub threshold: f64,
    /// When it was read.
    pub read_at: DateTime<Utc>,
    /// Whether it is the simulated demo wallet (the line then says "demo").
    pub demo: bool,
}

/// Days until `balance` runs out at the last 7 days' spending rate.
///
/// # Errors
/// [`StoreError`].
pub async fn days_left(
    store: &Store,
    workspace: &str,
    balance: f64,
    now: DateTime<Utc>,
) -> Result<Option<f64>, StoreError> {
    let mut history = store
        .balance_history(
            workspace,
            crate::gupshup::USD,
            now - Duration::days(RATE_WINDOW_DAYS),
        )
        .await?;
    // The reading being judged is stored with the poll's other writes, after this.
    history.push((now, balance));
    Ok(spending_rate(&history).map(|rate| balance.max(0.0) / rate))
}

/// The indicator line: the latest USD reading of a Gupshup workspace while it is under the
/// threshold; `None` otherwise (other providers, other currencies, no reading, enough balance).
///
/// # Errors
/// [`StoreError`].
pub async fn balance_line(
    store: &Store,
    workspace: &Workspace,
) -> Result<Option<BalanceLine>, StoreError> {
    let Some(gupshup) = &workspace.gupshup else {
        return Ok(None);
    };
    let Some(reading) = store.latest_balance(&workspace.id).await? else {
        return Ok(None);
    };
    Ok(match (reading.amount, reading.currency) {
        (Some(amount), Some(currency))
            if currency.eq_ignore_ascii_case(crate::gupshup::USD)
                && amount < workspace.balance.threshold =>
        {
            Some(BalanceLine {
                amount,
                currency,
                threshold: workspace.balance.threshold,
                read_at: reading.read_at,
                demo: gupshup.is_demo(),
            })
        }
        _ => None,
    })
}
