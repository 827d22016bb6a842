//! `pulso balance [--workspace ID] [--check]`: read the balance now, or run one poll through
//! the state machine (what the scheduler does) and deliver its alerts before exiting, for
//! cron-driven setups.

use std::time::{Duration, Instant};

use anyhow::bail;
use chrono::{DateTime, Utc};

use super::{PollOutcome, alerts_channel, poll_workspace};
use crate::app;
use crate::bot::BotContext;
use crate::config::{Config, Workspace};
use crate::gupshup::{GupshupClient, RetryPolicy};
use crate::outbox::{Sender, deliver_due};
use crate::render::balance::{balance_card, not_gupshup};
use crate::store::StoredReading;

/// Longest `--check` waits for Discord before leaving the alerts to the running bot.
pub const DELIVERY_WAIT: Duration = Duration::from_secs(120);

/// What `--check` did for one workspace.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// The poll.
    pub poll: PollOutcome,
    /// Messages delivered before returning.
    pub delivered: usize,
}

/// Runs `pulso balance`; prints to stdout.
///
/// # Errors
/// Unknown workspace, database failures, an unreadable balance (plain mode) or alerts
/// Discord refused (`--check`).
pub async fn balance_command(
    config: Config,
    workspace: Option<&str>,
    check: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let targets: Vec<Workspace> = match workspace {
        Some(id) => vec![
            config
                .workspace(Some(id))
                .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?
                .clone(),
        ],
        None => config
            .workspaces
            .iter()
            .filter(|w| w.gupshup.is_some())
            .cloned()
            .collect(),
    };
    if targets.is_empty() {
        println!(
            "no workspace uses Gupshup (set whatsapp.provider = \"gupshup\" in a [[workspaces]] entry)"
        );
        return Ok(());
    }
    let settings = config.discord.clone();
    let ctx = app::context(config).await?;
    let sender = app::outbox_sender(&settings);
    let mut result = Ok(());
    for workspace in &targets {
        let outcome = match &workspace.gupshup {
            None => {
                print!("{}", not_gupshup(workspace, workspace.locale).to_text());
                Ok(())
            }
            Some(gupshup) if check => {
                let client = GupshupClient::new(gupshup, RetryPolicy::default())?;
                check_and_deliver(&ctx, sender.as_ref(), workspace, &client, now)
                    .await
                    .map(|outcome| report(workspace, &outcome))
            }
            Some(gupshup) => read_once(&ctx, workspace, gupshup, now).await,
        };
        if let Err(error) = outcome {
            eprintln!("{}: {error:#}", workspace.id);
            result = Err(error);
        }
    }
    ctx.store.close().await;
    result
}

fn report(workspace: &Workspace, outcome: &CheckOutcome) {
    let reading = match &outcome.poll.reading {
        Ok(r) => format!("{:.2} {}", r.amount, r.currency),
        Err(error) => format!("not read ({error})"),
    };
    println!(
        "{}: balance {reading} · state {} · {} alert(s), {} delivered",
        workspace.id,
        outcome.poll.state.level.as_str(),
        outcome.poll.events.len(),
        outcome.delivered
    );
}

async fn read_once(
    ctx: &BotContext,
    workspace: &Workspace,
    gupshup: &crate::config::GupshupSettings,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let client = GupshupClient::new(gupshup, RetryPolicy::default())?;
    let reading = client.balance(now).await;
    let stored = StoredReading {
        read_at: now,
        amount: reading.as_ref().ok().map(|r| r.amount),
        currency: reading.as_ref().ok().map(|r| r.currency.clone()),
        error: reading.as_ref().err().map(ToString::to_string),
    };
    ctx.store
        .insert_balance_reading(&workspace.id, &stored)
        .await?;
    reading?;
    let state = ctx.store.balance_alert_state(&workspace.id).await?;
    print!(
        "{}",
        balance_card(workspace, Some(&stored), &state, workspace.locale).to_text()
    );
    Ok(())
}

/// One poll through the state machine, then delivery of the alerts it queued (up to
/// `DELIVERY_WAIT`); without a sender they stay in the outbox for the running bot.
///
/// # Errors
/// Database failures, or an alert Discord refused for good.
pub async fn check_and_deliver(
    ctx: &BotContext,
    sender: Option<&Sender>,
    workspace: &Workspace,
    client: &GupshupClient,
    now: DateTime<Utc>,
) -> anyhow::Result<CheckOutcome> {
    let channel = alerts_channel(workspace, ctx.config.discord.transport);
    let poll = poll_workspace(&ctx.store, workspace, client, channel, now).await?;
    let Some(sender) = sender else {
        if !poll.queued.is_empty() {
            eprintln!("no Discord token: the alerts wait in the outbox for the running bot");
        }
        return Ok(CheckOutcome { poll, delivered: 0 });
    };
    let deadline = Instant::now() + DELIVERY_WAIT;
    let mut waiting = poll.queued.clone();
    let mut delivered = 0;
    while !waiting.is_empty() {
        deliver_due(&ctx.store, sender, ctx.clock.now()).await?;
        let mut still = Vec::new();
        for key in waiting {
            match ctx.store.outbox_status(&key).await? {
                Some((status, _, _)) if status == "sent" => delivered += 1,
                Some((status, error, _)) if status == "failed" => {
                    bail!(
                        "Discord refused the alert {key}: {}",
                        error.unwrap_or_default()
                    )
                }
                _ => still.push(key),
            }
        }
        waiting = still;
        if waiting.is_empty() {
            break;
        }
        if Instant::now() > deadline {
            bail!(
                "{} alert(s) still wait in the outbox after {} s; the running bot will deliver them",
                waiting.len(),
                DELIVERY_WAIT.as_secs()
            );
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Ok(CheckOutcome { poll, delivered })
}
