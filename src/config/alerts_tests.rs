//! The rules' keys, defaults and problems as `pulso config check` reports them.

use super::*;

/// The rules and problems of an `[[alerts]]` list, as `config check` reads them (also used
/// by the low_survey tests).
pub(in crate::config) fn parse(toml_text: &str) -> (Vec<AlertRule>, Vec<String>) {
    #[derive(serde::Deserialize)]
    struct Wrapper {
        alerts: Vec<RawAlertRule>,
    }
    let raw: Wrapper = toml::from_str(toml_text).unwrap();
    let mut problems = Vec::new();
    let rules = alert_rules(&raw.alerts, "workspaces[0]", &mut problems);
    (rules, problems)
}

#[test]
fn defaults_are_documented_values() {
    let (rules, problems) = parse(
        "[[alerts]]\nrule = \"queue_waiting\"\n[[alerts]]\nrule = \"oldest_pending\"\n[[alerts]]\nrule = \"attention_sla\"\n[[alerts]]\nrule = \"expired_spike\"\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let shape: Vec<(&str, f64, f64)> = rules
        .iter()
        .map(|r| (r.name.as_str(), r.threshold, r.recover_at))
        .collect();
    assert_eq!(
        shape,
        [
            ("queue_waiting", 5.0, 2.0),
            ("oldest_pending", 1800.0, 900.0),
            ("attention_sla", 80.0, 85.0),
            ("expired_spike", 5.0, 2.0)
        ]
    );
    assert_eq!(
        rules[0].kind,
        RuleKind::QueueWaiting {
            over: Duration::from_secs(900)
        }
    );
    assert_eq!(rules[0].repeat_every, DEFAULT_REPEAT);
    assert_eq!(rules[0].hold, Duration::ZERO);
}

#[test]
fn the_issue_example_reads_as_written() {
    let (rules, problems) = parse(
        "[[alerts]]\nrule = \"queue_waiting\"\nover = \"15m\"\nthreshold = 5\ncritical = 20\nrecover_at = 2\nfor = \"2m\"\nname = \"Cola\"\nchannel_id = \"123456789012345678\"\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let rule = &rules[0];
    assert_eq!(
        (rule.threshold, rule.critical, rule.recover_at),
        (5.0, Some(20.0), 2.0)
    );
    assert_eq!(rule.hold, Duration::from_secs(120));
    assert_eq!(rule.name, "Cola");
    assert_eq!(rule.channel_id, Some(123456789012345678));
}

#[test]
fn problems_name_the_key_and_the_fix() {
    let (_, problems) = parse(
        "[[alerts]]\nrule = \"queue_wating\"\n[[alerts]]\nrule = \"queue_waiting\"\nrecover_at = 9\nwindow = \"1h\"\n[[alerts]]\nrule = \"oldest_pending\"\nthreshold = 30\n[[alerts]]\nrule = \"attention_sla\"\nthreshold = 120\n[[alerts]]\nrule = \"expired_spike\"\n[[alerts]]\nrule = \"expired_spike\"\n[[alerts]]\n",
    );
    let expected = [
        "workspaces[0].alerts[0].rule: unknown rule \"queue_wating\" (did you mean \"queue_waiting\"?)",
        "workspaces[0].alerts[1].window: not a key of rule \"queue_waiting\"",
        "workspaces[0].alerts[1].recover_at: must be below threshold",
        "workspaces[0].alerts[2].threshold: 30 is not valid; use a duration such as \"30m\"",
        "workspaces[0].alerts[3].threshold: 120 is not valid; use a percentage from 0 to 100",
        "workspaces[0].alerts[5].name: another rule of this workspace is already named \"expired_spike\"",
        "workspaces[0].alerts[6].rule: missing",
    ];
    for start in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(start)),
            "{start}\nnot in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn the_balance_name_is_reserved() {
    let (rules, problems) = parse("[[alerts]]\nrule = \"queue_waiting\"\nname = \"balance\"\n");
    assert!(rules.is_empty());
    assert_eq!(
        problems,
        [
            "workspaces[0].alerts[0].name: \"balance\" is reserved for the Gupshup balance alert (set in [workspaces.balance]); choose another `name`"
        ]
    );
}

#[test]
fn the_whatsapp_health_names_are_reserved() {
    let (rules, problems) =
        parse("[[alerts]]\nrule = \"queue_waiting\"\nname = \"whatsapp_quality\"\n");
    assert!(rules.is_empty());
    assert_eq!(
        problems,
        [
            "workspaces[0].alerts[0].name: \"whatsapp_quality\" is reserved for a WhatsApp health rule (turned on or off in [workspaces.whatsapp]); choose another `name`"
        ]
    );
}
