//! The Gupshup balance in replies: the indicator line, `/balance`, `/alerts status` and the
//! alert messages, in Spanish and English.

use chrono::{DateTime, Utc};

use super::locale::number;
use super::reply::{Embed, Field, Reply};
use crate::alerting::AlertEvent;
use crate::config::{Locale, Workspace};
use crate::domain::{AlertState, Level};
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
}

fn money(amount: f64, currency: &str, locale: Locale) -> String {
    let sign = if amount < 0.0 { "-" } else { "" };
    format!("{sign}{} {currency}", number(amount.abs(), 2, locale))
}

fn local_time(at: DateTime<Utc>, workspace: &Workspace) -> String {
    at.with_timezone(&workspace.timezone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// The indicator field: "Saldo de Gupshup: 41,94 USD (< 50 USD)".
pub fn balance_field(line: &BalanceLine, locale: Locale) -> Field {
    let name = match locale {
        Locale::Es => "Saldo de Gupshup",
        Locale::En => "Gupshup balance",
    };
    Field {
        name: format!("⚠️ {name}"),
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
    Reply::ephemeral_text(match locale {
        Locale::Es => format!(
            "ℹ️ El espacio de trabajo {} no usa Gupshup como proveedor de WhatsApp: no hay saldo que mostrar.",
            workspace.name
        ),
        Locale::En => format!(
            "ℹ️ The workspace {} does not use Gupshup as its WhatsApp provider: there is no balance to show.",
            workspace.name
        ),
    })
}

fn level_name(level: Level, locale: Locale) -> &'static str {
    match (level, locale) {
        (Level::Ok, Locale::Es) => "normal",
        (Level::Ok, Locale::En) => "ok",
        (Level::Low, Locale::Es) => "saldo bajo",
        (Level::Low, Locale::En) => "low",
        (Level::Critical, Locale::Es) => "crítico",
        (Level::Critical, Locale::En) => "critical",
    }
}

/// `/balance` and `pulso balance`: the latest reading, its currency and time, and the state.
pub fn balance_card(
    workspace: &Workspace,
    reading: Option<&StoredReading>,
    state: &AlertState,
    locale: Locale,
) -> Reply {
    let es = locale == Locale::Es;
    let threshold = workspace.balance.threshold;
    let mut fields = Vec::new();
    let description = match reading {
        Some(StoredReading {
            amount: Some(amount),
            currency: Some(currency),
            read_at,
            ..
        }) => {
            fields.push(Field {
                name: (if es { "Saldo" } else { "Balance" }).into(),
                value: format!("**{}**", money(*amount, currency, locale)),
                inline: true,
            });
            fields.push(Field {
                name: (if es { "Leído" } else { "Read at" }).into(),
                value: local_time(*read_at, workspace),
                inline: true,
            });
            if !currency.eq_ignore_ascii_case("USD") {
                Some(if es {
                    format!(
                        "La moneda es {currency}: no se compara con el umbral de {} USD.",
                        number(threshold, 0, locale)
                    )
                } else {
                    format!(
                        "The currency is {currency}: it is not compared with the {} USD threshold.",
                        number(threshold, 0, locale)
                    )
                })
            } else {
                None
            }
        }
        _ => Some(if es {
            "Todavía no hay lecturas del saldo: el monitor consulta Gupshup periódicamente.".into()
        } else {
            "No balance reading yet: the monitor polls Gupshup periodically.".into()
        }),
    };
    fields.push(Field {
        name: (if es { "Umbral" } else { "Threshold" }).into(),
        value: money(threshold, "USD", locale),
        inline: true,
    });
    fields.push(Field {
        name: (if es { "Estado" } else { "State" }).into(),
        value: level_name(state.level, locale).into(),
        inline: true,
    });
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!(
                "{} · {}",
                if es {
                    "Saldo de Gupshup"
                } else {
                    "Gupshup balance"
                },
                workspace.name
            ),
            description,
            fields,
            footer: None,
            color: Some(match state.level {
                Level::Ok => GREEN,
                Level::Low => ORANGE,
                Level::Critical => RED,
            }),
            image: None,
        }),
        links: Vec::new(),
    }
}

/// `/alerts status`: level, failures, mute.
pub fn alerts_status(
    workspace: &Workspace,
    state: &AlertState,
    now: DateTime<Utc>,
    locale: Locale,
) -> Reply {
    let es = locale == Locale::Es;
    let mut lines = vec![format!(
        "{}: **{}**{}",
        if es { "Estado" } else { "State" },
        level_name(state.level, locale),
        state
            .since
            .map(|since| format!(
                " ({} {})",
                if es { "desde" } else { "since" },
                local_time(since, workspace)
            ))
            .unwrap_or_default()
    )];
    if state.failures > 0 {
        lines.push(if es {
            format!("Lecturas fallidas seguidas: {}", state.failures)
        } else {
            format!("Consecutive failed readings: {}", state.failures)
        });
    }
    lines.push(match state.muted_until.filter(|until| *until > now) {
        Some(until) if es => format!("🔇 Silenciadas hasta {}", local_time(until, workspace)),
        Some(until) => format!("🔇 Muted until {}", local_time(until, workspace)),
        None if es => "🔔 Alertas activas".into(),
        None => "🔔 Alerts on".into(),
    });
    Reply::ephemeral_text(lines.join("\n"))
}

/// An alert message for `event`, in the workspace's language.
pub fn alert_card(event: &AlertEvent, context: &AlertContext<'_>) -> Reply {
    let workspace = context.workspace;
    let locale = workspace.locale;
    let es = locale == Locale::Es;
    let limits = workspace.balance;
    let usd = |amount: f64| money(amount, "USD", locale);
    let needs = if es {
        "El chatbot necesita saldo para funcionar: sin saldo deja de enviar mensajes de WhatsApp. Recarga la billetera de Gupshup."
    } else {
        "The chatbot needs balance to work: without it, it stops sending WhatsApp messages. Recharge the Gupshup wallet."
    };
    let (icon, heading, color, balance, limit) = match *event {
        AlertEvent::Low { balance, .. } => (
            "⚠️",
            if es {
                "Saldo de Gupshup bajo"
            } else {
                "Low Gupshup balance"
            },
            ORANGE,
            Some(balance),
            limits.threshold,
        ),
        AlertEvent::Critical { balance, .. } => (
            "🚨",
            if es {
                "Saldo de Gupshup crítico"
            } else {
                "Critical Gupshup balance"
            },
            RED,
            Some(balance),
            limits.critical_below,
        ),
        AlertEvent::Reminder { balance, level, .. } => (
            "⏰",
            if es {
                "Recordatorio: saldo de Gupshup bajo"
            } else {
                "Reminder: Gupshup balance still low"
            },
            if level == Level::Critical {
                RED
            } else {
                ORANGE
            },
            Some(balance),
            if level == Level::Critical {
                limits.critical_below
            } else {
                limits.threshold
            },
        ),
        AlertEvent::Resolved { balance, .. } => (
            "✅",
            if es {
                "Saldo de Gupshup recuperado"
            } else {
                "Gupshup balance recovered"
            },
            GREEN,
            Some(balance),
            limits.recover_at,
        ),
        AlertEvent::Unknown { .. } => (
            "❓",
            if es {
                "No se puede leer el saldo de Gupshup"
            } else {
                "Cannot read the Gupshup balance"
            },
            GREY,
            None,
            limits.threshold,
        ),
    };
    let description = match *event {
        AlertEvent::Resolved { balance, .. } if es => format!(
            "El saldo volvió a **{}** (≥ {}). Alerta resuelta.",
            usd(balance),
            usd(limit)
        ),
        AlertEvent::Resolved { balance, .. } => format!(
            "The balance is back at **{}** (≥ {}). Alert resolved.",
            usd(balance),
            usd(limit)
        ),
        AlertEvent::Unknown { auth, .. } => {
            let why = match (auth, es) {
                (true, true) => "Gupshup rechazó la clave de API (API key rejected): revisa la variable de entorno configurada.".to_string(),
                (true, false) => "API key rejected by Gupshup: check the configured environment variable.".to_string(),
                (false, _) => context.error.unwrap_or_default().to_string(),
            };
            if es {
                format!(
                    "Tres lecturas seguidas fallaron. {why}\nMientras tanto no se sabe si hay saldo. {needs}"
                )
            } else {
                format!(
                    "Three readings in a row failed. {why}\nUntil it can be read, nobody knows if there is balance. {needs}"
                )
            }
        }
        _ => {
            let balance = balance.unwrap_or_default();
            let days = match context.days_left {
                Some(days) if es => format!(
                    "Al ritmo de gasto de los últimos 7 días alcanza para unos **{} días**.",
                    number(days, 1, locale)
                ),
                Some(days) => format!(
                    "At the spending rate of the last 7 days it lasts about **{} days**.",
                    number(days, 1, locale)
                ),
                None if es => {
                    "Aún no hay historial suficiente para estimar los días restantes.".into()
                }
                None => "Not enough history yet to estimate the days left.".into(),
            };
            if es {
                format!(
                    "El saldo es **{}**, por debajo de {}. {days}\n{needs}",
                    usd(balance),
                    usd(limit)
                )
            } else {
                format!(
                    "The balance is **{}**, under {}. {days}\n{needs}",
                    usd(balance),
                    usd(limit)
                )
            }
        }
    };
    let mut fields = Vec::new();
    if let Some(balance) = balance {
        fields.push(Field {
            name: (if es { "Saldo" } else { "Balance" }).into(),
            value: usd(balance),
            inline: true,
        });
    }
    fields.push(Field {
        name: (if es { "Umbral" } else { "Threshold" }).into(),
        value: usd(limits.threshold),
        inline: true,
    });
    if let Some(days) = context.days_left {
        fields.push(Field {
            name: (if es {
                "Días restantes (estim.)"
            } else {
                "Days left (est.)"
            })
            .into(),
            value: number(days, 1, locale),
            inline: true,
        });
    }
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!("{icon} {heading} · {}", workspace.name),
            description: Some(description),
            fields,
            footer: Some(if es {
                "pulso · /alerts mute para silenciar".into()
            } else {
                "pulso · /alerts mute to silence".into()
            }),
            color: Some(color),
            image: None,
        }),
        links: Vec::new(),
    }
}
