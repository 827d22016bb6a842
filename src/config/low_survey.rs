//! `rule = "low_survey"`: which survey answers are low and how often they are reported.
//!
//! The rule posts each low answer once, grouped; it has no value crossing a threshold, no
//! episode to hold (`for`), escalate (`critical`), remind about (`repeat_every`) or
//! resolve (`recover_at`). Those keys are refused by name rather than ignored, so nobody
//! expects reminders that never come.

use std::time::Duration;

use super::RuleKind;
use super::duration;
use super::raw::RawAlertRule;

/// Default `nps_at_most`: NPS detractors are the answers 0 to 6.
pub const DEFAULT_NPS_AT_MOST: i16 = 6;
/// Default `csat_at_most`: on a 1–5 CSAT scale, 1 and 2 are the unhappy answers.
pub const DEFAULT_CSAT_AT_MOST: i16 = 2;
/// Default `group_every`: answers arriving in a burst (a bad hour) share one message.
pub const DEFAULT_GROUP_EVERY: Duration = Duration::from_secs(300);
/// The shortest `group_every`: the tick runs every 30 seconds, so a shorter period could
/// never be honoured.
pub const MIN_GROUP_EVERY: Duration = Duration::from_secs(30);

/// The rule's kind from its keys; problems name `workspaces[i].alerts[j].key`.
pub(super) fn kind(raw: &RawAlertRule, key: &str, problems: &mut Vec<String>) -> RuleKind {
    let engine_keys = [
        ("threshold", raw.threshold.is_some()),
        ("critical", raw.critical.is_some()),
        ("recover_at", raw.recover_at.is_some()),
        ("for", raw.hold.is_some()),
        ("repeat_every", raw.repeat_every.is_some()),
    ];
    for (field, present) in engine_keys {
        if present {
            problems.push(format!(
                "{key}.{field}: not a key of rule \"low_survey\": it reports each low answer once, \
                 with no episode to hold, escalate, remind about or resolve (remove it; use \
                 nps_at_most, csat_at_most and group_every)"
            ));
        }
    }
    let nps_at_most = score(
        &raw.nps_at_most,
        0..=10,
        DEFAULT_NPS_AT_MOST,
        key,
        "nps_at_most",
        problems,
    );
    let csat_at_most = score(
        &raw.csat_at_most,
        1..=5,
        DEFAULT_CSAT_AT_MOST,
        key,
        "csat_at_most",
        problems,
    );
    let group_every = match raw.group_every.as_deref().map(duration::parse) {
        None => DEFAULT_GROUP_EVERY,
        Some(Ok(every)) if every >= MIN_GROUP_EVERY => every,
        Some(Ok(_)) => {
            problems.push(format!(
                "{key}.group_every: shorter than the 30-second tick; use at least \"30s\" (default \"5m\")"
            ));
            DEFAULT_GROUP_EVERY
        }
        Some(Err(problem)) => {
            problems.push(format!("{key}.group_every: {problem}"));
            DEFAULT_GROUP_EVERY
        }
    };
    RuleKind::LowSurvey {
        nps_at_most,
        csat_at_most,
        group_every,
    }
}

/// A whole score within the survey's scale.
fn score(
    value: &Option<toml::Value>,
    range: std::ops::RangeInclusive<i16>,
    default: i16,
    key: &str,
    field: &str,
    problems: &mut Vec<String>,
) -> i16 {
    match value {
        None => default,
        Some(toml::Value::Integer(n)) if range.contains(&i16::try_from(*n).unwrap_or(-1)) => {
            *n as i16
        }
        Some(other) => {
            problems.push(format!(
                "{key}.{field}: {other} is not valid; use a whole score from {} to {} (default {default})",
                range.start(),
                range.end()
            ));
            default
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::alerts::tests::parse;
    use super::*;

    #[test]
    fn defaults_and_written_values() {
        let (rules, problems) = parse(
            "[[alerts]]\nrule = \"low_survey\"\n[[alerts]]\nrule = \"low_survey\"\nname = \"Encuestas\"\nnps_at_most = 4\ncsat_at_most = 1\ngroup_every = \"15m\"\nchannel_id = \"42\"\nenabled = false\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            rules[0].kind,
            RuleKind::LowSurvey {
                nps_at_most: 6,
                csat_at_most: 2,
                group_every: Duration::from_secs(300)
            }
        );
        assert_eq!(rules[0].name, "low_survey");
        assert!(rules[0].enabled);
        assert_eq!(
            rules[1].kind,
            RuleKind::LowSurvey {
                nps_at_most: 4,
                csat_at_most: 1,
                group_every: Duration::from_secs(900)
            }
        );
        assert_eq!(
            (
                rules[1].name.as_str(),
                rules[1].channel_id,
                rules[1].enabled
            ),
            ("Encuestas", Some(42), false)
        );
    }

    #[test]
    fn problems_name_the_key() {
        let (_, problems) = parse(
            "[[alerts]]\nrule = \"low_survey\"\nnps_at_most = 11\ncsat_at_most = 0\ngroup_every = \"10s\"\nrepeat_every = \"1h\"\nfor = \"2m\"\nthreshold = 3\nwindow = \"1h\"\n[[alerts]]\nrule = \"queue_waiting\"\nnps_at_most = 6\ngroup_every = \"5m\"\n[[alerts]]\nrule = \"low_survey\"\nname = \"b\"\ncsat_at_most = \"2\"\ngroup_every = \"5x\"\n",
        );
        let expected = [
            "workspaces[0].alerts[0].threshold: not a key of rule \"low_survey\"",
            "workspaces[0].alerts[0].for: not a key of rule \"low_survey\"",
            "workspaces[0].alerts[0].repeat_every: not a key of rule \"low_survey\"",
            "workspaces[0].alerts[0].nps_at_most: 11 is not valid; use a whole score from 0 to 10",
            "workspaces[0].alerts[0].csat_at_most: 0 is not valid; use a whole score from 1 to 5",
            "workspaces[0].alerts[0].group_every: shorter than the 30-second tick",
            "workspaces[0].alerts[0].window: not a key of rule \"low_survey\" (remove it)",
            "workspaces[0].alerts[1].nps_at_most: not a key of rule \"queue_waiting\"",
            "workspaces[0].alerts[1].group_every: not a key of rule \"queue_waiting\"",
            "workspaces[0].alerts[2].csat_at_most: \"2\" is not valid",
            "workspaces[0].alerts[2].group_every: \"5x\" has an unknown unit",
        ];
        for start in expected {
            assert!(
                problems.iter().any(|p| p.starts_with(start)),
                "{start}\nnot in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    }
}
