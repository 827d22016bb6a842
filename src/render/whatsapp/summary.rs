//! The WhatsApp health in one line (the daily digest, `/whatsapp`'s description), in JSON
//! for programs (`pulso whatsapp --format json`) and in `/alerts status`.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::super::balance::is_demo;
use super::super::catalogue::{Arg, t};
use super::super::locale::{count, local_time};
use super::super::rule_alerts::level_name;
use super::{GREEN, GREY, NOT_SENDABLE, ORANGE, RED, find, not_sendable, offered};
use crate::alerting::whatsapp::account_problems;
use crate::config::{GupshupMode, Locale, Workspace};
use crate::domain::{
    Quality, RuleLevel, RuleState, StoredSignal, WhatsappReading, WhatsappSignal, watched_signals,
};
use crate::store::StoredReading;

/// What is not healthy in a workspace's stored readings (of the signals its mode offers).
#[derive(Debug, Default)]
pub(super) struct Findings {
    /// Some signal has a good reading.
    pub(super) read_any: bool,
    /// Some signal's last call failed.
    failed_any: bool,
    /// The app is not healthy.
    app_unhealthy: bool,
    /// The account's problem values (`LIMITED`, `BANNED`, `FLAGGED`), empty when it can send.
    account: Vec<String>,
    /// The phone's quality when YELLOW or RED.
    quality: Option<Quality>,
    /// Templates that cannot be sent, per status, in [`NOT_SENDABLE`]'s order.
    stopped: Vec<(&'static str, u64)>,
}

impl Findings {
    /// The findings of `signals` that `workspace`'s mode offers.
    pub(super) fn of(workspace: &Workspace, signals: &[StoredSignal]) -> Findings {
        let mut findings = Findings::default();
        for stored in signals.iter().filter(|s| offered(workspace, s.signal)) {
            findings.failed_any |= stored.error.is_some();
            let Some((_, reading)) = &stored.reading else {
                continue;
            };
            findings.read_any = true;
            match reading {
                WhatsappReading::AppHealth(health) => findings.app_unhealthy = !health.healthy,
                WhatsappReading::Account(account) => {
                    // "canSendMessage LIMITED" → "LIMITED": the value is what people look up.
                    findings.account = account_problems(account)
                        .iter()
                        .map(|problem| problem.rsplit(' ').next().unwrap_or(problem).to_string())
                        .collect();
                }
                WhatsappReading::Quality(ratings) => {
                    findings.quality = ratings
                        .quality
                        .filter(|q| matches!(q, Quality::Yellow | Quality::Red));
                }
                WhatsappReading::Templates(templates) => {
                    findings.stopped = NOT_SENDABLE
                        .iter()
                        .map(|status| {
                            let n = templates
                                .iter()
                                .filter(|t| t.status.eq_ignore_ascii_case(status))
                                .count();
                            (*status, n as u64)
                        })
                        .filter(|(_, n)| *n > 0)
                        .collect();
                }
            }
        }
        findings
    }

    /// "⚠️ WhatsApp: 2 plantillas pausadas · calidad YELLOW · cuenta LIMITED · la app no
    /// está sana"; `None` when nothing is wrong.
    pub(super) fn line(&self, locale: Locale) -> Option<String> {
        let mut parts: Vec<String> = self
            .stopped
            .iter()
            .map(|(status, n)| {
                t!(
                    locale,
                    "wa-digest-templates",
                    status = *status,
                    count = Arg::Number {
                        value: *n as f64,
                        decimals: 0
                    },
                    shown = count(*n, locale)
                )
            })
            .collect();
        if let Some(quality) = self.quality {
            parts.push(t!(locale, "wa-digest-quality", quality = quality.as_str()));
        }
        if !self.account.is_empty() {
            let status = self.account.join("/");
            parts.push(t!(locale, "wa-digest-account", status = status));
        }
        if self.app_unhealthy {
            parts.push(t!(locale, "wa-digest-app"));
        }
        (!parts.is_empty()).then(|| t!(locale, "wa-digest-line", problems = parts.join(" · ")))
    }

    /// Red when the number cannot send or its quality is RED, orange for anything else
    /// wrong or a failed check, green when read and fine, grey when nothing was read.
    pub(super) fn color(&self) -> u32 {
        if !self.account.is_empty() || self.quality == Some(Quality::Red) {
            RED
        } else if self.app_unhealthy
            || self.quality.is_some()
            || !self.stopped.is_empty()
            || self.failed_any
        {
            ORANGE
        } else if self.read_any {
            GREEN
        } else {
            GREY
        }
    }
}

/// The daily digest's WhatsApp line when something is not healthy in the stored readings:
/// templates that cannot be sent, quality YELLOW/RED, an account that cannot send, an
/// unhealthy app. `None` when all is fine, nothing was read, or the workspace has no Gupshup.
pub fn digest_health_line(workspace: &Workspace, signals: &[StoredSignal]) -> Option<String> {
    Findings::of(workspace, signals).line(workspace.locale)
}

/// The config word of a mode, as `gupshup.mode` spells it.
fn mode_name(mode: GupshupMode) -> &'static str {
    match mode {
        GupshupMode::ApiKey => "api_key",
        GupshupMode::Partner => "partner",
        GupshupMode::Demo => "demo",
    }
}

/// One reading's JSON, with its `read_at`.
fn reading_json(stored: &StoredSignal, read_at: DateTime<Utc>, reading: &WhatsappReading) -> Value {
    match reading {
        WhatsappReading::AppHealth(health) => json!({
            "healthy": health.healthy,
            "reason": health.reason,
            "read_at": read_at,
        }),
        WhatsappReading::Account(account) => json!({
            "account_status": account.account_status,
            "docker_status": account.docker_status,
            "can_send": account.can_send,
            "messaging_limit": account.messaging_limit,
            "phone_quality": account.phone_quality,
            "phone": account.phone,
            "verified_name": account.verified_name,
            "reasons": account.reasons,
            "problems": account_problems(account),
            "read_at": read_at,
        }),
        WhatsappReading::Quality(ratings) => json!({
            "quality": ratings.quality.map(Quality::as_str),
            "current_limit": ratings.current_limit.as_ref().map(|tier| &tier.0),
            "old_limit": ratings.old_limit.as_ref().map(|tier| &tier.0),
            "event": ratings.event,
            "event_time": ratings.event_time,
            "read_at": read_at,
            "called_at": stored.called_at,
        }),
        WhatsappReading::Templates(templates) => {
            let mut by_status = Map::new();
            for template in templates {
                let entry = by_status
                    .entry(template.status.to_ascii_uppercase())
                    .or_insert(json!(0));
                *entry = json!(entry.as_u64().unwrap_or(0) + 1);
            }
            let not_sendable: Vec<Value> = templates
                .iter()
                .filter(|t| not_sendable(t))
                .map(|t| {
                    json!({
                        "id": t.id,
                        "name": t.name,
                        "language": t.language,
                        "category": t.category,
                        "status": t.status.to_ascii_uppercase(),
                        "quality": t.quality.map(Quality::as_str),
                        "reason": t.reason,
                    })
                })
                .collect();
            json!({
                "total": templates.len(),
                "by_status": by_status,
                "not_sendable": not_sendable,
                "read_at": read_at,
            })
        }
    }
}

/// `pulso whatsapp --format json`: the stored readings with stable keys. `app_health`,
/// `account`, `quality`, `templates` and `balance` are `null` when never read (or not
/// offered); each reading carries its `read_at` (RFC 3339); `errors` holds each last
/// failed call by signal (and `balance`); `needs_partner_mode` lists the signals the
/// workspace's mode does not offer; `mode` is `null` without Gupshup.
pub fn whatsapp_json(
    workspace: &Workspace,
    signals: &[StoredSignal],
    balance: Option<&StoredReading>,
) -> Value {
    let mut out = Map::new();
    out.insert("workspace".into(), json!(workspace.id));
    let mode = workspace.gupshup.as_ref().map(|settings| settings.mode);
    out.insert("mode".into(), json!(mode.map(mode_name)));
    out.insert("demo".into(), json!(is_demo(workspace)));
    let mut errors = Map::new();
    for signal in WhatsappSignal::ALL {
        let stored = find(signals, signal).filter(|_| offered(workspace, signal));
        let reading = stored.and_then(|stored| {
            let (read_at, reading) = stored.reading.as_ref()?;
            Some(reading_json(stored, *read_at, reading))
        });
        out.insert(signal.as_str().into(), reading.unwrap_or(Value::Null));
        if let Some((at, error)) = stored.and_then(|stored| stored.error.as_ref()) {
            errors.insert(signal.as_str().into(), json!({ "at": at, "error": error }));
        }
    }
    let balance = balance.filter(|_| mode.is_some());
    out.insert(
        "balance".into(),
        match balance {
            Some(reading) => json!({
                "amount": reading.amount,
                "currency": reading.currency,
                "read_at": reading.read_at,
            }),
            None => Value::Null,
        },
    );
    if let Some(StoredReading {
        read_at,
        error: Some(error),
        ..
    }) = balance
    {
        errors.insert("balance".into(), json!({ "at": read_at, "error": error }));
    }
    out.insert("errors".into(), Value::Object(errors));
    let needs_partner: Vec<&str> = match mode {
        Some(mode) => WhatsappSignal::ALL
            .into_iter()
            .filter(|signal| !signal.offered_in(mode))
            .map(WhatsappSignal::as_str)
            .collect(),
        None => Vec::new(),
    };
    out.insert("needs_partner_mode".into(), json!(needs_partner));
    Value::Object(out)
}

/// A health rule's last value in words. The values are the engine's for these rules
/// (`alerting::whatsapp::observation`: 0 fine, 1 degraded, 2 stopped; a unit test holds
/// the two together).
fn value_word(signal: WhatsappSignal, value: f64, locale: Locale) -> String {
    let level = value.round() as i64;
    match signal {
        WhatsappSignal::AppHealth if level <= 0 => t!(locale, "wa-value-healthy"),
        WhatsappSignal::AppHealth => t!(locale, "wa-value-unhealthy"),
        WhatsappSignal::Account if level <= 0 => t!(locale, "wa-value-can-send"),
        WhatsappSignal::Account => t!(locale, "wa-value-cannot-send"),
        WhatsappSignal::Quality => match level {
            ..=0 => Quality::Green,
            1 => Quality::Yellow,
            _ => Quality::Red,
        }
        .as_str()
        .to_string(),
        WhatsappSignal::Templates => t!(locale, "wa-rules-templates"),
    }
}

/// One rule's parts: level, value, since and acknowledgement (the template rule has no
/// level: it tells changes).
fn rule_parts(
    signal: WhatsappSignal,
    state: &RuleState,
    workspace: &Workspace,
    locale: Locale,
) -> Vec<String> {
    if signal == WhatsappSignal::Templates {
        return vec![t!(locale, "wa-rules-templates")];
    }
    let mut parts = vec![level_name(state.level, locale)];
    parts.push(match state.last_value {
        Some(value) => value_word(signal, value, locale),
        None => t!(locale, "alerts-rule-no-value"),
    });
    if let (Some(since), true) = (state.since, state.level != RuleLevel::Ok) {
        let since = local_time(since, workspace);
        parts.push(t!(locale, "alerts-rule-since", since = since));
    }
    if let Some((by, _)) = &state.acknowledged {
        parts.push(t!(locale, "alerts-rule-acked", by = by));
    }
    parts
}

/// `/alerts status`'s section on the WhatsApp rules, in `rules_status`'s format
/// (`• **rule**: level · value · since · acked · snoozed`; a rule never evaluated reads
/// "ok"); a signal the workspace's mode does not offer reads "needs partner mode", the
/// self-serve template list without `gupshup.app_id` "needs gupshup.app_id", a rule turned
/// off "disabled". Empty for a workspace without Gupshup.
pub fn whatsapp_rules_status(
    workspace: &Workspace,
    states: &[(WhatsappSignal, Option<RuleState>)],
    now: DateTime<Utc>,
    locale: Locale,
) -> String {
    let Some(settings) = &workspace.gupshup else {
        return String::new();
    };
    let watched = watched_signals(workspace);
    let mut lines = vec![t!(locale, "wa-rules-heading")];
    for (signal, state) in states {
        let parts = if !signal.enabled_in(&workspace.whatsapp_health) {
            vec![t!(locale, "alerts-rule-disabled")]
        } else if signal.offered_in(settings.mode) && !watched.contains(signal) {
            vec![t!(locale, "wa-needs-app-id")]
        } else if signal.offered_in(settings.mode) {
            let state = state.clone().unwrap_or_default();
            let mut parts = rule_parts(*signal, &state, workspace, locale);
            if let Some(until) = state.snoozed_until.filter(|until| *until > now) {
                let until = local_time(until, workspace);
                parts.push(t!(locale, "alerts-rule-snoozed", until = until));
            }
            parts
        } else {
            vec![t!(locale, "wa-needs-partner")]
        };
        lines.push(format!("• **{}**: {}", signal.rule(), parts.join(" · ")));
    }
    lines.join("\n")
}

#[cfg(test)]
#[path = "summary_tests.rs"]
mod tests;
