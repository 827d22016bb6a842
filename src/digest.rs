//! The digest: a workspace's indicators for its digest period, with a 14-day chart (and,
//! for Gupshup workspaces, one line when the WhatsApp account is not healthy), as an
//! outbox message. Built for scheduled occurrences, `pulso digest` and `/digest`.

use chrono::{DateTime, Utc};

use crate::config::Workspace;
use crate::domain::{Destination, NamedPeriod, Period, PeriodRequest};
use crate::render::whatsapp::digest_health_line;
use crate::render::{self, Reply};
use crate::service::{balance_line, build_report, daily_series};
use crate::store::{NewMessage, Store, StoreError};

/// Days shown in the digest chart.
pub const CHART_DAYS: u32 = 14;

/// Why a digest could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A built digest.
#[derive(Debug, Clone)]
pub struct Digest {
    /// The card.
    pub reply: Reply,
    /// The chart's file name and PNG bytes; `None` when it could not be drawn (logged).
    pub chart: Option<(String, Vec<u8>)>,
}

/// Builds the digest of `workspace` as of `at`; `late_for` adds the "posted late" note.
///
/// # Errors
/// [`DigestError`].
pub async fn build(
    store: &Store,
    workspace: &Workspace,
    at: DateTime<Utc>,
    late_for: Option<DateTime<Utc>>,
) -> Result<Digest, DigestError> {
    let named = workspace.digest.period;
    let period = Period::resolve(PeriodRequest::Named(named), workspace.timezone, at)
        .unwrap_or_else(|_| unreachable!("named periods are never over-long or reversed"));
    let report = build_report(store, &workspace.id, &period, at).await?;
    let points = daily_series(
        store,
        &workspace.id,
        workspace.timezone,
        period.to,
        CHART_DAYS,
    )
    .await?;
    let file = format!("digest-{}-{}.png", workspace.id, period.to);
    let title = format!("{} · {}", workspace.name, period.to);
    let chart = match render::chart::digest_chart(&points, &title, workspace.locale) {
        Ok(png) => Some((file, png)),
        Err(error) => {
            tracing::warn!(workspace = %workspace.id, %error, "digest chart could not be drawn; posting without it");
            None
        }
    };
    let weekly = named == NamedPeriod::Last7Days;
    let balance = balance_line(store, workspace).await?;
    let mut reply = render::digest_card(
        &report,
        workspace,
        weekly,
        chart.as_ref().map(|(name, _)| name.as_str()),
        late_for,
        balance.as_ref(),
    );
    if workspace.gupshup.is_some() {
        let signals = store.whatsapp_signals(&workspace.id).await?;
        if let (Some(line), Some(embed)) = (
            digest_health_line(workspace, &signals),
            reply.embed.as_mut(),
        ) {
            embed.description = Some(match embed.description.take() {
                Some(text) => format!("{text}\n{line}"),
                None => line,
            });
        }
    }
    Ok(Digest { reply, chart })
}

/// The outbox message of a scheduled occurrence. Its dedupe key is the claim key, so Discord's
/// nonce makes a re-send after a crash a no-op.
///
/// # Errors
/// [`DigestError`].
pub async fn scheduled_message(
    store: &Store,
    workspace: &Workspace,
    destination: Destination,
    occurrence: DateTime<Utc>,
    late: bool,
    schedule_key: &str,
) -> Result<NewMessage, DigestError> {
    let digest = build(store, workspace, occurrence, late.then_some(occurrence)).await?;
    Ok(message(
        workspace,
        destination,
        format!(
            "digest:{}:{schedule_key}:{}",
            workspace.id,
            occurrence.timestamp()
        ),
        digest,
    ))
}

/// Wraps a built digest as an outbox message.
pub fn message(
    workspace: &Workspace,
    destination: Destination,
    dedupe_key: String,
    digest: Digest,
) -> NewMessage {
    NewMessage {
        dedupe_key,
        workspace: workspace.id.clone(),
        kind: "digest".into(),
        destination,
        payload: digest.reply.to_stored(),
        attachment: digest.chart,
        edits: None,
    }
}
