//! The Gupshup balance in replies: the indicator line, `/balance`, `/alerts status` and the
//! alert messages, in the reader's language (texts from the catalogue).

use chrono::{DateTime, Utc};

use super::catalogue::t;
use super::locale::number;
use super::locale::{counted, local_time, waiting_time};
use super::reply::{Embed, Field, Reply};
use super::rule_alerts::buttons;
use crate::alerting::RuleEvent;
use crate::config::{BALANCE_RULE, Locale, Workspace};
use crate::domain::{RuleLevel, RuleState};
use crate::service::BalanceLine;
use crate::store::StoredReading;

const ORANGE: u32 = 0xE67E22;
const RED: u32 = 0xE74C3C;
const GREEN: u32 = 0x2ECC71;
const GREY: u32 = 0x95A5A6;

/// Everything an alert message states besides the event itself.
#[derive(Debug, Clone, Copy)]
pub struct AlertContext<'a> {
    /// The workspace (name, locale, zone, limits).
    pub workspace: &'a Workspace,
    /// Days until the balance runs out at the last 7 days' spending; `None` without enough
    /// history or spending.
    pub days_left: Option<f64>,
    /// Why the balance could not be read (unknown warnings).
    pub error: Option<&'a str>,
    /// Gupshup refused the API key or token (401/403): the unknown warning says so.
    pub key_refused: bool,
}

/// An amount in its currency, `41,94 USD` (the `/whatsapp` card shows the wallet too).
pub(super) fn money(amount: f64, currency: &str, locale: Locale) -> String {
    let sign = if amount < 0.0 { "-" } else { "" };
    format!("{sign}{} {currency}", number(amount.abs(), 2, locale))
}

/// An amount in USD as the balance messages write it: "41,94 USD".
pub fn balance_value(amount: f64, locale: Locale) -> String {
    money(amount, "USD", locale)
}

/// Whether `workspace` reads pulso's simulated wallet (and simulated WhatsApp signals),
/// which every message must say.
pub(super) fn is_demo(workspace: &Workspace) -> bool {
    workspace.gupshup.as_ref().is_some_and(|g| g.is_demo())
}

/// "Gupshup balance", or "Gupshup balance (demo)" for the simulated wallet.
pub(super) fn balance_name(demo: bool, locale: Locale) -> String {
    if demo {
        t!(locale, "gupshup-balance-demo")
    } else {
        t!(locale, "gupshup-balance")
    }
}

/// `footer`, after the demo note when the wallet is the simulated one.
fn with_demo_note(workspace: &Workspace, footer: Option<String>, locale: Locale) -> Option<String> {
    if !is_demo(workspace) {
        return footer;
    }
    let note = t!(locale, "balance-demo-note");
    Some(match footer {
        Some(footer) => format!("{note} · {footer}"),
        None => note,
    })
}

/// The indicator field: "Saldo de Gupshup: 41,94 USD (< 50 USD)", with "(demo)" for the
/// simulated wallet.
pub fn balance_field(line: &BalanceLine, locale: Locale) -> Field {
    Field {
        name: format!("⚠️ {}", balance_name(line.demo, locale)),
        value: format!(
            "**{}**\n< {}",
            money(line.amount, &line.currency, locale),
            money(line.threshold, "USD", locale)
        ),
        inline: true,
    }
}

/// "This workspace does not use Gupshup", for `/balance` and `/alerts` elsewhere.
pub fn not_gupshup(workspace: &Workspace, locale: Locale) -> Reply {
    Reply::ephemeral_text(t!(locale, "not-gupshup", workspace = &workspace.name))
}

/// The balance's words for the engine's levels: firing is "low".
fn level_name(level: RuleLevel, locale: Locale) -> String {
    match level {
        RuleLevel::Ok => t!(locale, "level-ok"),
        RuleLevel::Firing => t!(locale, "level-low"),
        RuleLevel::Critical => t!(locale, "level-critical"),
    }
}

fn field(name: String, value: String) -> Field {
    Field {
        name,
        value,
        inline: true,
    }
}

/// `/balance` and `pulso balance`: the latest reading, its currency and time, and the state.
pub fn balance_card(
    workspace: &Workspace,
    reading: Option<&StoredReading>,
    state: &RuleState,
    locale: Locale,
) -> Reply {
    let threshold = workspace.balance.threshold;
    let mut fields = Vec::new();
    let description = match reading {
        Some(StoredReading {
            amount: Some(amount),
            currency: Some(currency),
            read_at,
            ..
        }) => {
            let amount = format!("**{}**", money(*amount, currency, locale));
            fields.push(field(t!(locale, "balance-amount"), amount));
            let read_at = local_time(*read_at, workspace);
            fields.push(field(t!(locale, "balance-read-at"), read_at));
            (!currency.eq_ignore_ascii_case("USD")).then(|| {
                t!(
                    locale,
                    "balance-other-currency",
                    currency = currency,
                    threshold = number(threshold, 0, locale)
                )
            })
        }
        _ => Some(t!(locale, "balance-no-reading")),
    };
    let limit = money(threshold, "USD", locale);
    fields.push(field(t!(locale, "balance-threshold"), limit));
    let level = level_name(state.level, locale);
    fields.push(field(t!(locale, "balance-state"), level));
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!(
                "{} · {}",
                balance_name(is_demo(workspace), locale),
                workspace.name
            ),
            description,
            fields,
            footer: with_demo_note(workspace, None, locale),
            color: Some(match state.level {
                RuleLevel::Ok => GREEN,
                RuleLevel::Firing => ORANGE,
                RuleLevel::Critical => RED,
            }),
            image: None,
        }),
        links: Vec::new(),
        actions: Vec::new(),
        attachment: None,
    }
}

/// `/alerts status`: level, failures, acknowledgement, mute.
pub fn alerts_status(
    workspace: &Workspace,
    state: &RuleState,
    now: DateTime<Utc>,
    locale: Locale,
) -> Reply {
    let level = level_name(state.level, locale);
    let mut lines = vec![match state.since {
        Some(since) => t!(
            locale,
            "alerts-state-since",
            level = level,
            since = local_time(since, workspace)
        ),
        None => t!(locale, "alerts-state", level = level),
    }];
    if state.failures > 0 {
        let failures = state.failures.to_string();
        lines.push(t!(locale, "alerts-failures", failures = failures));
    }
    if let (Some((by, _)), true) = (&state.acknowledged, state.level != RuleLevel::Ok) {
        lines.push(t!(locale, "alerts-acked-by", by = by));
    }
    lines.push(match state.snoozed_until.filter(|until| *until > now) {
        Some(until) => t!(
            locale,
            "alerts-muted-until",
            until = local_time(until, workspace)
        ),
        None => t!(locale, "alerts-on"),
    });
    Reply::ephemeral_text(lines.join("\n"))
}

/// An alert message for the balance rule's `event`, in the workspace's language; an open
/// episode's (low, critical, reminder) carries the Acknowledge and Snooze buttons.
pub fn alert_card(event: &RuleEvent, context: &AlertContext<'_>) -> Reply {
    let workspace = context.workspace;
    let locale = workspace.locale;
    let limits = workspace.balance;
    let usd = |amount: f64| money(amount, "USD", locale);
    let needs = t!(locale, "alert-needs");
    let critical = |level: RuleLevel| level == RuleLevel::Critical;
    let (icon, heading, color, balance, limit) = match *event {
        RuleEvent::Firing { value, .. } => (
            "⚠️",
            t!(locale, "alert-low-title"),
            ORANGE,
            Some(value),
            limits.threshold,
        ),
        RuleEvent::Critical { value, .. } => (
            "🚨",
            t!(locale, "alert-critical-title"),
            RED,
            Some(value),
            limits.critical_below,
        ),
        RuleEvent::Reminder { value, level, .. } => (
            "⏰",
            t!(locale, "alert-reminder-title"),
            if critical(level) { RED } else { ORANGE },
            Some(value),
            if critical(level) {
                limits.critical_below
            } else {
                limits.threshold
            },
        ),
        RuleEvent::Resolved { value, .. } => (
            "✅",
            t!(locale, "alert-resolved-title"),
            GREEN,
            Some(value),
            limits.recover_at,
        ),
        RuleEvent::CannotEvaluate { .. } => (
            "❓",
            t!(locale, "alert-unknown-title"),
            GREY,
            None,
            limits.threshold,
        ),
    };
    let heading = if is_demo(workspace) {
        format!("{heading} ({})", t!(locale, "label-demo"))
    } else {
        heading
    };
    let description = match *event {
        RuleEvent::Resolved { value, .. } => t!(
            locale,
            "alert-resolved",
            balance = usd(value),
            limit = usd(limit)
        ),
        RuleEvent::CannotEvaluate { .. } => {
            let why = if context.key_refused {
                t!(locale, "alert-key-rejected")
            } else {
                context.error.unwrap_or_default().to_string()
            };
            t!(locale, "alert-unknown", why = why, needs = needs)
        }
        _ => {
            let days = match context.days_left {
                Some(days) => {
                    let days = counted(locale, "count-days", days, 1);
                    t!(locale, "alert-days-left", days = days)
                }
                None => t!(locale, "alert-no-history"),
            };
            t!(
                locale,
                "alert-below",
                balance = usd(balance.unwrap_or_default()),
                limit = usd(limit),
                days = days,
                needs = needs
            )
        }
    };
    let mut fields = Vec::new();
    if let Some(balance) = balance {
        fields.push(field(t!(locale, "balance-amount"), usd(balance)));
    }
    fields.push(field(
        t!(locale, "balance-threshold"),
        usd(limits.threshold),
    ));
    if let Some(days) = context.days_left {
        let days = number(days, 1, locale);
        fields.push(field(t!(locale, "alert-days-left-field"), days));
    }
    let actions = match *event {
        RuleEvent::Firing { episode, .. }
        | RuleEvent::Critical { episode, .. }
        | RuleEvent::Reminder { episode, .. } => buttons(workspace, BALANCE_RULE, episode),
        _ => Vec::new(),
    };
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!("{icon} {heading} · {}", workspace.name),
            description: Some(description),
            fields,
            footer: with_demo_note(workspace, Some(t!(locale, "alert-footer")), locale),
            color: Some(color),
            image: None,
        }),
        links: Vec::new(),
        actions,
        attachment: None,
    }
}

/// A balance episode's first message once the episode is over: green, "recovered after
/// …", no buttons left to press.
pub fn resolved_first_card(workspace: &Workspace, lasted: chrono::Duration) -> Reply {
    let locale = workspace.locale;
    let lasted = waiting_time(lasted.num_seconds() as f64 / 60.0, locale);
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!(
                "{} · {}",
                t!(locale, "alert-resolved-after", lasted = lasted),
                workspace.name
            ),
            description: None,
            fields: Vec::new(),
            footer: Some(t!(locale, "alert-footer")),
            color: Some(GREEN),
            image: None,
        }),
        links: Vec::new(),
        actions: Vec::new(),
        attachment: None,
    }
}
