//! `pulso alerts check` and `pulso alerts status`: the alert rules from the command line,
//! the WhatsApp health rules included (`status` shows the Gupshup balance's too;
//! `pulso balance --check` polls it).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{AlertsCheckArgs, AlertsStatusArgs, Format, clock};
use crate::app::Services;
use crate::config::{BALANCE_RULE, Config, RuleKind, Workspace};
use crate::domain::RuleState;
use crate::domain::{has_alert_rules, watched_signals};
use crate::jobs::evaluate_workspace;
use crate::jobs::whatsapp::check_workspace;
use crate::outbox::deliver_and_wait;
use crate::render::balance::balance_value;
use crate::render::rule_alerts::rule_value;
use crate::service::{health_rules_with_state, rules_with_state};

/// Longest `check` waits for Discord before leaving the alerts to the running bot.
const DELIVERY_WAIT: Duration = Duration::from_secs(120);

/// The workspaces a command acts on: the one named, or every one `watched` accepts.
fn chosen<'a>(
    config: &'a Config,
    id: Option<&str>,
    watched: fn(&Workspace) -> bool,
) -> anyhow::Result<Vec<&'a Workspace>> {
    Ok(match id {
        Some(id) => vec![
            config
                .workspace(Some(id))
                .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?,
        ],
        None => config.workspaces.iter().filter(|w| watched(w)).collect(),
    })
}

/// A workspace with rules or a Gupshup balance (what `status` shows).
fn has_alerts(workspace: &Workspace) -> bool {
    has_alert_rules(workspace) || workspace.gupshup.is_some()
}

/// One evaluation of every rule, then delivery of what it queued.
pub(super) async fn check(config: Config, args: AlertsCheckArgs) -> anyhow::Result<()> {
    let services = Services::one_shot(config, clock(args.now)).await?;
    let now = services.clock.now();
    let result = check_with(&services, args.workspace.as_deref(), now).await;
    services.store.close().await;
    result
}

async fn check_with(
    services: &Services,
    workspace: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let targets = chosen(&services.config, workspace, has_alert_rules)?;
    if targets.is_empty() {
        println!(
            "no workspace has alert rules (add [[workspaces.alerts]] entries, or use Gupshup for the WhatsApp health rules)"
        );
        return Ok(());
    }
    let mut queued = Vec::new();
    for workspace in targets {
        for outcome in evaluate_workspace(&services.store, &services.config, workspace, now).await?
        {
            let rule = workspace.alerts.iter().find(|r| r.name == outcome.rule);
            let value = match (rule, outcome.state.last_value) {
                (Some(rule), Some(value)) => rule_value(rule, value, workspace.locale),
                _ => "no value".to_string(),
            };
            println!(
                "{}/{}: {} ({value}) · {} message(s) queued",
                workspace.id,
                outcome.rule,
                outcome.state.level.as_str(),
                outcome.queued.len()
            );
            queued.extend(outcome.queued);
        }
        // The WhatsApp health signals that are due, as the balance job's tick reads them
        // (the ratings at most once a day, whoever asks).
        let health = check_workspace(
            &services.store,
            &services.config,
            &services.monitor,
            workspace,
            now,
        )
        .await?;
        for outcome in health {
            let read = match &outcome.reading {
                Ok(_) => "read".to_string(),
                Err(error) => format!("not read: {error}"),
            };
            println!(
                "{}/{}: {} ({read}) · {} message(s) queued",
                workspace.id,
                outcome.signal.rule(),
                outcome.state.level.as_str(),
                outcome.queued.len()
            );
            queued.extend(outcome.queued);
        }
    }
    match (&services.sender, queued.is_empty()) {
        (_, true) => Ok(()),
        (None, false) => {
            eprintln!("no Discord token: the alerts wait in the outbox for the running bot");
            Ok(())
        }
        (Some(sender), false) => {
            let delivered = deliver_and_wait(
                &services.store,
                sender,
                services.clock.as_ref(),
                &queued,
                DELIVERY_WAIT,
            )
            .await?;
            println!("{} message(s) delivered", delivered.len());
            Ok(())
        }
    }
}

/// One rule's state, as `pulso alerts status --format json` prints it; the Gupshup
/// balance is rule `balance` of kind `balance`, in USD.
#[derive(Debug, Serialize)]
struct RuleStatus {
    workspace: String,
    rule: String,
    kind: &'static str,
    enabled: bool,
    level: &'static str,
    value: Option<f64>,
    threshold: f64,
    since: Option<DateTime<Utc>>,
    episode: i64,
    snoozed_until: Option<DateTime<Utc>>,
    acknowledged_by: Option<String>,
    /// low_survey only: answers reported so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    reported: Option<u64>,
    /// low_survey only: when its last message was queued.
    #[serde(skip_serializing_if = "Option::is_none")]
    last_posted_at: Option<DateTime<Utc>>,
}

impl RuleStatus {
    fn new(workspace: &Workspace, rule: &str, kind: &'static str, state: RuleState) -> Self {
        RuleStatus {
            workspace: workspace.id.clone(),
            rule: rule.to_string(),
            kind,
            enabled: true,
            level: state.level.as_str(),
            value: state.last_value,
            threshold: 0.0,
            since: state.since,
            episode: state.episode,
            snoozed_until: state.snoozed_until,
            acknowledged_by: state.acknowledged.map(|(by, _)| by),
            reported: None,
            last_posted_at: None,
        }
    }
}

/// A row of the text format: the status, with its value and threshold in words.
type StatusLine = (RuleStatus, Option<String>, String);

/// The WhatsApp health rules of a Gupshup workspace: each watched one with its state, each
/// one its mode does not offer as level `needs_partner_mode` (said once here, never as an
/// error of every tick) or, for self-serve templates without `gupshup.app_id`,
/// `needs_app_id`; each turned off as disabled.
async fn health_rows(
    services: &Services,
    workspace: &Workspace,
) -> anyhow::Result<Vec<StatusLine>> {
    let Some(gupshup) = &workspace.gupshup else {
        return Ok(Vec::new());
    };
    let watched = watched_signals(workspace);
    let mut rows = Vec::new();
    for (signal, state) in health_rules_with_state(&services.store, workspace).await? {
        let offered = signal.offered_in(gupshup.mode);
        let mut row = RuleStatus {
            enabled: signal.enabled_in(&workspace.whatsapp_health),
            ..RuleStatus::new(
                workspace,
                signal.rule(),
                HEALTH_KIND,
                state.unwrap_or_default(),
            )
        };
        if !offered {
            row.level = "needs_partner_mode";
        } else if !watched.contains(&signal) && row.enabled {
            row.level = "needs_app_id";
        }
        let value = row.value.map(|v| health_value(v).to_string());
        rows.push((row, value, health_value(1.0).to_string()));
    }
    Ok(rows)
}

/// The `kind` of the WhatsApp health rules in `pulso alerts status`.
const HEALTH_KIND: &str = "whatsapp_health";

/// A health rule's value in words: 0 fine, 1 degraded, 2 stopped.
fn health_value(value: f64) -> &'static str {
    match value {
        v if v >= 2.0 => "stopped",
        v if v >= 1.0 => "degraded",
        _ => "fine",
    }
}

/// Each rule's stored state, next to its configuration; the balance first where the
/// workspace uses Gupshup.
pub(super) async fn status(config: Config, args: AlertsStatusArgs) -> anyhow::Result<()> {
    let services = Services::one_shot(config, clock(None)).await?;
    let mut rows: Vec<StatusLine> = Vec::new();
    for workspace in chosen(&services.config, args.workspace.as_deref(), has_alerts)? {
        let locale = workspace.locale;
        if workspace.gupshup.is_some() {
            let state = services.store.balance_alert_state(&workspace.id).await?;
            let value = state.last_value.map(|v| balance_value(v, locale));
            let threshold = workspace.balance.threshold;
            let row = RuleStatus {
                threshold,
                ..RuleStatus::new(workspace, BALANCE_RULE, BALANCE_RULE, state)
            };
            rows.push((row, value, balance_value(threshold, locale)));
        }
        for (rule, state) in rules_with_state(&services.store, workspace).await? {
            let survey = matches!(rule.kind, RuleKind::LowSurvey { .. });
            let reported = survey.then(|| state.last_value.unwrap_or(0.0) as u64);
            let last_posted_at = state.last_notified_at.filter(|_| survey);
            let value = match reported {
                Some(reported) => Some(rule_value(rule, reported as f64, locale)),
                None => state.last_value.map(|v| rule_value(rule, v, locale)),
            };
            let row = RuleStatus {
                enabled: rule.enabled,
                threshold: rule.threshold,
                reported,
                last_posted_at,
                ..RuleStatus::new(workspace, &rule.name, rule.kind.as_str(), state)
            };
            rows.push((row, value, rule_value(rule, rule.threshold, locale)));
        }
        rows.extend(health_rows(&services, workspace).await?);
    }
    services.store.close().await;
    match args.format {
        Format::Json => {
            let list: Vec<&RuleStatus> = rows.iter().map(|(row, _, _)| row).collect();
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
        Format::Text => {
            for (row, value, threshold) in &rows {
                let off = if row.enabled { "" } else { " (disabled)" };
                let value = value.as_deref().unwrap_or("no value yet");
                if row.reported.is_some() {
                    let last = row
                        .last_posted_at
                        .map_or("no message yet".to_string(), |at| {
                            format!("last message {at}")
                        });
                    println!("{}/{}{off}: {value} · {last}", row.workspace, row.rule);
                    continue;
                }
                if row.kind == HEALTH_KIND {
                    let level = row.level.replace('_', " ");
                    let since = row.since.map_or(String::new(), |s| format!(" since {s}"));
                    println!(
                        "{}/{}{off}: {level}{since} · {value}",
                        row.workspace, row.rule
                    );
                    continue;
                }
                let since = row.since.map_or(String::new(), |s| format!(" since {s}"));
                println!(
                    "{}/{}{off}: {}{since} · {value} · threshold {threshold}",
                    row.workspace, row.rule, row.level,
                );
            }
        }
    }
    Ok(())
}
