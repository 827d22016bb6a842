//! `pulso balance [--workspace ID] [--check]`: read the balance now, or run one poll through
//! the alert engine (what the scheduler does) and deliver its alerts before exiting, for
//! cron-driven setups.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::clock;
use crate::app::Services;
use crate::config::{Config, Workspace};
use crate::domain::{Destination, RuleLevel};
use crate::gupshup::{ReadBalance, RetryPolicy, Wallet};
use crate::jobs::{PollOutcome, poll_workspace};
use crate::outbox::deliver_and_wait;
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
    let services = Services::one_shot(config, clock(None)).await?;
    let mut result = Ok(());
    for workspace in &targets {
        let outcome = match &workspace.gupshup {
            None => {
                print!("{}", not_gupshup(workspace, workspace.locale).to_text());
                Ok(())
            }
            Some(gupshup) if check => {
                let client = Wallet::new(
                    &workspace.id,
                    gupshup,
                    RetryPolicy::default(),
                    &services.store,
                )?;
                check_and_deliver(&services, workspace, &client, now)
                    .await
                    .map(|outcome| report(workspace, &outcome))
            }
            Some(gupshup) => read_once(&services, workspace, gupshup, now).await,
        };
        if let Err(error) = outcome {
            eprintln!("{}: {error:#}", workspace.id);
            result = Err(error);
        }
    }
    services.store.close().await;
    result
}

/// The balance's name for a level, as `--check` has always printed it: firing is "low".
pub(super) fn balance_level(level: RuleLevel) -> &'static str {
    match level {
        RuleLevel::Ok => "ok",
        RuleLevel::Firing => "low",
        RuleLevel::Critical => "critical",
    }
}

fn report(workspace: &Workspace, outcome: &CheckOutcome) {
    let demo = if workspace.gupshup.as_ref().is_some_and(|g| g.is_demo()) {
        " (demo wallet)"
    } else {
        ""
    };
    let reading = match &outcome.poll.reading {
        Ok(r) => format!("{:.2} {}{demo}", r.amount, r.currency),
        Err(error) => format!("not read ({error})"),
    };
    println!(
        "{}: balance {reading} · state {} · {} alert(s), {} delivered",
        workspace.id,
        balance_level(outcome.poll.state.level),
        outcome.poll.events.len(),
        outcome.delivered
    );
}

async fn read_once(
    services: &Services,
    workspace: &Workspace,
    gupshup: &crate::config::GupshupSettings,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let client = Wallet::new(
        &workspace.id,
        gupshup,
        RetryPolicy::default(),
        &services.store,
    )?;
    let reading = client.balance(now).await;
    let stored = StoredReading {
        read_at: now,
        amount: reading.as_ref().ok().map(|r| r.amount),
        currency: reading.as_ref().ok().map(|r| r.currency.clone()),
        error: reading.as_ref().err().map(ToString::to_string),
    };
    services
        .store
        .insert_balance_reading(&workspace.id, &stored)
        .await?;
    reading?;
    let state = services.store.balance_alert_state(&workspace.id).await?;
    print!(
        "{}",
        balance_card(workspace, Some(&stored), &state, workspace.locale).to_text()
    );
    Ok(())
}

/// One poll through the alert engine, then delivery of the alerts it queued (up to
/// `DELIVERY_WAIT`); without a sender they stay in the outbox for the running bot.
///
/// # Errors
/// Database failures, or an alert Discord refused for good.
pub async fn check_and_deliver(
    services: &Services,
    workspace: &Workspace,
    client: &impl ReadBalance,
    now: DateTime<Utc>,
) -> anyhow::Result<CheckOutcome> {
    let transport = services.config.discord.transport;
    let destination = Destination::configured(workspace.alerts_channel_id, transport);
    let poll = poll_workspace(&services.store, workspace, client, destination, now).await?;
    let Some(sender) = &services.sender else {
        if !poll.queued.is_empty() {
            eprintln!("no Discord token: the alerts wait in the outbox for the running bot");
        }
        return Ok(CheckOutcome { poll, delivered: 0 });
    };
    let delivered = deliver_and_wait(
        &services.store,
        sender,
        services.clock.as_ref(),
        &poll.queued,
        DELIVERY_WAIT,
    )
    .await?
    .len();
    Ok(CheckOutcome { poll, delivered })
}
