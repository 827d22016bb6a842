//! The low_survey rule's message: one card per group of low answers, in the workspace's
//! language, listing up to ten with their score, inquiry (linked where `links.inquiry` is
//! configured), operator and origin, and counting the rest. Its buttons snooze the rule
//! (a team already on a bad hour need not hear of each answer); there is no episode to
//! acknowledge.

use super::catalogue::{Arg, t};
use super::locale::{self, counted, local_time};
use super::reply::{ActionButton, Embed, Reply};
use super::rule_alerts::{ButtonAction, RuleButton};
use crate::config::{AlertRule, Locale, RuleKind, Workspace};
use crate::domain::{LowAnswer, LowAnswers, RuleState, SurveyKind};

const AMBER: u32 = 0xE67E22;

/// Text that Discord shows as written: markdown characters escaped, so an id such as
/// `c_17_` or an origin with `*` does not turn into formatting or break a link (also for
/// Gupshup's free text in the WhatsApp cards).
pub(super) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One answer's line: `• **NPS 3/10** · inquiry [c-17](…) · operator ana · payments`.
fn answer_line(answer: &LowAnswer, workspace: &Workspace) -> String {
    let locale = workspace.locale;
    let (kind, max) = match answer.kind {
        SurveyKind::Nps => ("NPS", 10),
        SurveyKind::Csat => ("CSAT", 5),
    };
    let mut parts = vec![format!("• **{kind} {}/{max}**", answer.score)];
    parts.push(match &answer.inquiry_id {
        Some(id) => {
            let shown = match &workspace.links.inquiry {
                Some(link) => format!("[{}]({})", plain(id), link.for_id(id)),
                None => plain(id),
            };
            t!(locale, "survey-inquiry", id = shown)
        }
        None => t!(locale, "survey-no-inquiry"),
    });
    if let Some(operator) = &answer.operator_id {
        parts.push(t!(locale, "survey-operator", operator = plain(operator)));
    }
    if let Some(origin) = &answer.origin {
        parts.push(plain(origin));
    }
    parts.join(" · ")
}

/// The card for one group of low answers (`answers.total` of them, the first listed).
pub fn low_survey_card(workspace: &Workspace, rule: &AlertRule, answers: &LowAnswers) -> Reply {
    let locale = workspace.locale;
    let (nps, csat) = match rule.kind {
        RuleKind::LowSurvey {
            nps_at_most,
            csat_at_most,
            ..
        } => (nps_at_most, csat_at_most),
        _ => (0, 0),
    };
    let mut lines = vec![t!(
        locale,
        "survey-intro",
        nps = nps.to_string(),
        csat = csat.to_string()
    )];
    lines.extend(
        answers
            .listed
            .iter()
            .map(|answer| answer_line(answer, workspace)),
    );
    let rest = answers.total.saturating_sub(answers.listed.len() as u64);
    if rest > 0 {
        lines.push(counted(locale, "survey-more", rest as f64, 0));
    }
    let title = t!(
        locale,
        "survey-title",
        name = rule.name.as_str(),
        count = Arg::Number {
            value: answers.total as f64,
            decimals: 0
        },
        shown = locale::count(answers.total, locale)
    );
    Reply {
        ephemeral: false,
        content: None,
        embed: Some(Embed {
            title: format!("{title} · {}", workspace.name),
            description: Some(lines.join("\n")),
            fields: Vec::new(),
            footer: Some(t!(locale, "rule-footer", rule = rule.kind.as_str())),
            color: Some(AMBER),
            image: None,
        }),
        links: Vec::new(),
        actions: snooze_buttons(workspace, &rule.name),
        attachment: None,
    }
}

/// Snooze 1 h and Snooze 4 h for the rule named `rule`: the buttons of a message that
/// has no episode to acknowledge (low answers, a WhatsApp limit or template change).
pub(super) fn snooze_buttons(workspace: &Workspace, rule: &str) -> Vec<ActionButton> {
    [
        (60, t!(workspace.locale, "button-snooze-1h")),
        (240, t!(workspace.locale, "button-snooze-4h")),
    ]
    .into_iter()
    .map(|(minutes, label)| ActionButton {
        label,
        custom_id: RuleButton {
            workspace: workspace.id.clone(),
            rule: rule.to_string(),
            action: ButtonAction::Snooze { minutes },
        }
        .custom_id(),
    })
    .collect()
}

/// What `/alerts status` says of a low_survey rule: how many answers it has reported and
/// when it last posted (its state's `last_value` and `last_notified_at`).
pub fn survey_status(state: &RuleState, workspace: &Workspace, locale: Locale) -> Vec<String> {
    let reported = state.last_value.unwrap_or(0.0);
    vec![
        counted(locale, "count-answers-reported", reported, 0),
        match state.last_notified_at {
            Some(at) => t!(locale, "alerts-survey-last", at = local_time(at, workspace)),
            None => t!(locale, "alerts-survey-never"),
        },
    ]
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::config::InquiryLink;
    use crate::domain::{SurveyCursor, SurveyOrder};

    fn workspace() -> Workspace {
        use crate::config::{Config, ConfigSource, EMBEDDED_DEFAULT};
        let mut config = Config::parse(EMBEDDED_DEFAULT, ConfigSource::Embedded, None).unwrap();
        let mut workspace = config.workspaces.remove(0);
        workspace.locale = Locale::En;
        workspace.links.inquiry =
            Some(InquiryLink::parse("https://cs.example.com/i/{id}").unwrap());
        workspace
    }

    #[test]
    fn lines_escape_markdown_and_link_the_inquiry() {
        let workspace = workspace();
        let answer = LowAnswer {
            id: "s1".into(),
            inquiry_id: Some("c_17 x".into()),
            kind: SurveyKind::Csat,
            score: 1,
            answered_at: DateTime::UNIX_EPOCH,
            operator_id: Some("ana".into()),
            origin: Some("pagos*".into()),
        };
        assert_eq!(
            answer_line(&answer, &workspace),
            "• **CSAT 1/5** · inquiry [c\\_17 x](https://cs.example.com/i/c_17%20x) · operator ana · pagos\\*"
        );
        let unknown = LowAnswer {
            inquiry_id: None,
            operator_id: None,
            origin: None,
            ..answer
        };
        assert_eq!(
            answer_line(&unknown, &workspace),
            "• **CSAT 1/5** · no inquiry"
        );
    }

    #[test]
    fn the_rest_is_counted_with_plurals() {
        let workspace = workspace();
        let rule = crate::config::AlertRule {
            name: "Surveys".into(),
            kind: RuleKind::LowSurvey {
                nps_at_most: 6,
                csat_at_most: 2,
                group_every: std::time::Duration::from_secs(300),
            },
            enabled: true,
            channel_id: None,
            hold: std::time::Duration::ZERO,
            repeat_every: std::time::Duration::from_secs(3600),
            threshold: 0.0,
            critical: None,
            recover_at: 0.0,
        };
        let cursor = SurveyCursor {
            order: SurveyOrder::Inserted,
            position: 1,
        };
        let answers = |total| LowAnswers {
            from: Some(cursor),
            next: cursor,
            total,
            listed: Vec::new(),
        };
        let card = low_survey_card(&workspace, &rule, &answers(1));
        let embed = card.embed.unwrap();
        assert!(
            embed.title.starts_with("🙁 Surveys · 1 low answer · "),
            "{}",
            embed.title
        );
        assert!(embed.description.unwrap().ends_with("…and 1 more answer."));
        let card = low_survey_card(&workspace, &rule, &answers(7));
        assert!(
            card.embed
                .unwrap()
                .description
                .unwrap()
                .ends_with("…and 7 more answers.")
        );
        assert_eq!(card.actions.len(), 2, "Snooze 1 h and 4 h, no Acknowledge");
    }
}
