//! The WhatsApp news that is no episode: a messaging limit that moved, a template that
//! was paused, disabled or rejected, came back, or fell to quality RED.

use super::super::catalogue::t;
use super::super::reply::{Field, Reply};
use super::super::survey_alerts::{plain, snooze_buttons};
use super::{
    GREEN, MAX_QUOTE, ORANGE, RED, card, quality_text, quote, template_name, tier_number,
    tier_users,
};
use crate::alerting::whatsapp::{LimitChange, TemplateChange};
use crate::config::{Locale, Workspace};
use crate::domain::{Quality, Template, WhatsappSignal};

/// The news of a messaging limit that moved: lowered is a warning (the chatbot reaches
/// fewer people a day) with Snooze for rule whatsapp_quality; raised is good news, green,
/// with nothing to press.
pub fn limit_change_card(workspace: &Workspace, change: &LimitChange) -> Reply {
    let locale = workspace.locale;
    let (from, to) = match change {
        LimitChange::Lowered { from, to } | LimitChange::Raised { from, to } => (from, to),
    };
    let tiers = format!("{} → {}", from.0, to.0);
    let (from, to) = (tier_number(from, locale), tier_users(to, locale));
    let rule = WhatsappSignal::Quality.rule();
    match change {
        LimitChange::Lowered { .. } => {
            let text = t!(
                locale,
                "wa-limit-lowered",
                from = from,
                to = to,
                tiers = tiers
            );
            let impact = t!(locale, "wa-limit-lowered-impact");
            let heading = t!(locale, "wa-limit-lowered-title");
            let mut reply = card(
                workspace,
                heading,
                Some(format!("{text}\n{impact}")),
                Vec::new(),
                rule,
                ORANGE,
            );
            reply.actions = snooze_buttons(workspace, rule);
            reply
        }
        LimitChange::Raised { .. } => {
            let text = t!(
                locale,
                "wa-limit-raised",
                from = from,
                to = to,
                tiers = tiers
            );
            let heading = t!(locale, "wa-limit-raised-title");
            card(workspace, heading, Some(text), Vec::new(), rule, GREEN)
        }
    }
}

/// Language, category, status and quality of a template, as fields.
fn template_fields(template: &Template, locale: Locale) -> Vec<Field> {
    let field = |name: String, value: &str| Field {
        name,
        value: plain(value),
        inline: true,
    };
    let mut fields = Vec::new();
    if let Some(language) = &template.language {
        fields.push(field(t!(locale, "wa-field-language"), language));
    }
    if let Some(category) = &template.category {
        fields.push(field(t!(locale, "wa-field-category"), category));
    }
    fields.push(field(t!(locale, "wa-field-status"), &template.status));
    if let Some(quality) = template.quality {
        fields.push(Field {
            name: t!(locale, "wa-field-quality"),
            value: quality_text(quality, locale),
            inline: true,
        });
    }
    fields
}

/// The news of one template: stopped (paused, disabled or rejected, with Gupshup's
/// reason), its quality fallen to RED (Meta may pause it), each with Snooze for rule
/// whatsapp_templates; a pause that ended is good news, green, with nothing to press.
pub fn template_change_card(workspace: &Workspace, change: &TemplateChange) -> Reply {
    let locale = workspace.locale;
    let template = change.template();
    let (name, shown) = (template.name.as_str(), template_name(&template.name));
    let status = template.status.to_ascii_uppercase();
    let (heading, color, lines) = match change {
        TemplateChange::Stopped { from, .. } => {
            let (heading, color, impact) = match status.as_str() {
                "PAUSED" => (
                    t!(locale, "wa-template-paused-title", name = name),
                    ORANGE,
                    t!(locale, "wa-template-paused-impact"),
                ),
                "REJECTED" => (
                    t!(locale, "wa-template-rejected-title", name = name),
                    RED,
                    t!(locale, "wa-template-rejected-impact"),
                ),
                _ => (
                    t!(locale, "wa-template-disabled-title", name = name),
                    RED,
                    t!(locale, "wa-template-disabled-impact"),
                ),
            };
            let mut lines = vec![t!(
                locale,
                "wa-template-stopped",
                name = &shown,
                from = plain(from),
                status = plain(&status)
            )];
            if let Some(reason) = template.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                lines.push(t!(
                    locale,
                    "wa-template-reason",
                    reason = quote(reason, MAX_QUOTE)
                ));
            }
            lines.push(impact);
            (heading, color, lines)
        }
        TemplateChange::PauseEnded { .. } => (
            t!(locale, "wa-template-resumed-title", name = name),
            GREEN,
            vec![t!(locale, "wa-template-resumed", name = &shown)],
        ),
        TemplateChange::QualityDropped { from, .. } => (
            t!(locale, "wa-template-quality-title", name = name),
            ORANGE,
            vec![
                t!(
                    locale,
                    "wa-template-quality-dropped",
                    name = &shown,
                    from = quality_text(from.unwrap_or(Quality::Unknown), locale)
                ),
                t!(locale, "wa-template-quality-impact"),
            ],
        ),
    };
    let rule = WhatsappSignal::Templates.rule();
    let fields = template_fields(template, locale);
    let mut reply = card(
        workspace,
        heading,
        Some(lines.join("\n")),
        fields,
        rule,
        color,
    );
    if !matches!(change, TemplateChange::PauseEnded { .. }) {
        reply.actions = snooze_buttons(workspace, rule);
    }
    reply
}

#[cfg(test)]
#[path = "news_tests.rs"]
mod tests;
