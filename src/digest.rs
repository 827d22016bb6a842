//! The digest: a workspace's indicators for its digest period (for the inquiries
//! `digest.filter` keeps), with a 14-day chart, the top 5 groups of `digest.breakdown` when
//! set (and, for Gupshup workspaces, one line when the WhatsApp account is not healthy), as
//! an outbox message. Built for scheduled occurrences, `pulso digest` and `/digest`.

use chrono::{DateTime, Utc};

use crate::config::Workspace;
use crate::domain::{Destination, Dimension, NamedPeriod, Period, PeriodRequest};
use crate::indicators::{BreakdownRequest, SortBy};
use crate::render::catalogue::t;
use crate::render::whatsapp::digest_health_line;
use crate::render::{self, Field, Reply};
use crate::service::{balance_line, build_breakdown, build_filtered_report, daily_series};
use crate::store::{NewMessage, Store, StoreError};

/// Days shown in the digest chart.
pub const CHART_DAYS: u32 = 14;

/// Groups the digest's breakdown section shows: a glance, not the whole table.
pub const BREAKDOWN_TOP: usize = 5;

/// Longest text of an embed field Discord accepts.
const FIELD_MAX_CHARS: usize = 1024;

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
    let filter = &workspace.digest.filter;
    let report = build_filtered_report(store, &workspace.id, &period, at, filter).await?;
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
    if let (Some(by), Some(embed)) = (workspace.digest.breakdown, reply.embed.as_mut()) {
        let request = BreakdownRequest {
            workspace: workspace.id.clone(),
            period,
            by,
            filter: filter.clone(),
            sort: SortBy::default(),
            top: Some(BREAKDOWN_TOP),
            now: at,
        };
        let breakdown = build_breakdown(store, request).await?;
        let card = render::breakdown_card(&breakdown, None, workspace, workspace.locale).reply;
        embed.fields.push(breakdown_section(card, workspace, by));
    }
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

/// The breakdown card as one section (a field) of the digest card: a message carries the
/// digest's one embed, so the breakdown's heading, text and fields become the field's lines.
fn breakdown_section(card: Reply, workspace: &Workspace, by: Dimension) -> Field {
    let locale = workspace.locale;
    let mut lines = Vec::new();
    if let Some(embed) = card.embed {
        lines.extend(embed.description);
        lines.extend(
            embed
                .fields
                .into_iter()
                .map(|field| format!("**{}** {}", field.name, field.value)),
        );
    }
    let dimension = match by {
        Dimension::Operator => t!(locale, "choice-by-operator"),
        Dimension::Origin => t!(locale, "choice-by-origin"),
        Dimension::Channel => t!(locale, "choice-by-channel"),
    };
    Field {
        name: t!(
            locale,
            "digest-breakdown-title",
            dimension = dimension.to_lowercase()
        ),
        // Discord refuses an empty field: a period without groups shows a dash.
        value: match lines.join("\n") {
            text if text.trim().is_empty() => "—".to_string(),
            text => crate::chars::truncate(&text, FIELD_MAX_CHARS),
        },
        inline: false,
    }
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
