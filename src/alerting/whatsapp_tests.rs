use chrono::{TimeZone, Utc};

use super::*;
use crate::alerting::{RuleEvent, evaluate};
use crate::domain::{AppHealth, RuleLevel, RuleState};

fn at(hour: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap() + Duration::hours(hour)
}

fn account(can_send: &str, account: &str, docker: &str) -> AccountStatus {
    AccountStatus {
        can_send: Some(can_send.into()),
        account_status: Some(account.into()),
        docker_status: Some(docker.into()),
        ..AccountStatus::default()
    }
}

fn ratings(quality: Option<Quality>, old: &str, current: &str, hour: i64) -> Ratings {
    Ratings {
        quality,
        current_limit: Some(Tier(current.into())),
        old_limit: Some(Tier(old.into())),
        event: Some("DOWNGRADE".into()),
        event_time: Some(at(hour)),
    }
}

fn template(id: &str, status: &str, quality: Option<Quality>) -> Template {
    Template {
        id: id.into(),
        name: format!("{id}_name"),
        language: Some("es".into()),
        category: Some("UTILITY".into()),
        status: status.into(),
        quality,
        reason: None,
    }
}

#[test]
fn an_account_that_cannot_send_normally_is_critical_with_every_reason() {
    assert!(account_problems(&account("AVAILABLE", "ACTIVE", "CONNECTED")).is_empty());
    assert!(account_problems(&AccountStatus::default()).is_empty());
    assert!(account_problems(&account("AVAILABLE", "ACTIVE", "PENDING")).is_empty());
    assert_eq!(
        account_problems(&account("limited", "ACTIVE", "CONNECTED")),
        ["canSendMessage LIMITED"]
    );
    assert_eq!(
        account_problems(&account("BLOCKED", "BANNED", "RESTRICTED")),
        [
            "canSendMessage BLOCKED",
            "accountStatus BANNED",
            "dockerStatus RESTRICTED"
        ]
    );
    let limits = health_limits(
        WhatsappSignal::Account,
        std::time::Duration::from_secs(3600),
    );
    let limited = WhatsappReading::Account(account("LIMITED", "ACTIVE", "CONNECTED"));
    let fine = WhatsappReading::Account(account("AVAILABLE", "ACTIVE", "CONNECTED"));
    let (state, events) = evaluate(&RuleState::default(), observation(&limited), at(1), &limits);
    assert_eq!(state.level, RuleLevel::Critical);
    assert!(matches!(
        events[..],
        [RuleEvent::Critical { episode: 1, .. }]
    ));
    let (state, events) = evaluate(&state, observation(&fine), at(2), &limits);
    assert_eq!(state.level, RuleLevel::Ok);
    assert!(matches!(
        events[..],
        [RuleEvent::Resolved { episode: 1, .. }]
    ));
}

#[test]
fn app_health_fires_and_resolves_and_a_failure_never_recovers() {
    let limits = health_limits(
        WhatsappSignal::AppHealth,
        std::time::Duration::from_secs(3600),
    );
    let sick = WhatsappReading::AppHealth(AppHealth {
        healthy: false,
        reason: Some("App is not live.".into()),
    });
    let (state, events) = evaluate(&RuleState::default(), observation(&sick), at(1), &limits);
    assert_eq!(state.level, RuleLevel::Firing);
    assert!(matches!(events[..], [RuleEvent::Firing { .. }]));
    let (state, events) = evaluate(&state, RuleObservation::Failed, at(2), &limits);
    assert_eq!(state.level, RuleLevel::Firing);
    assert!(events.is_empty());
}

#[test]
fn quality_yellow_fires_red_is_critical_unknown_changes_nothing() {
    let limits = health_limits(
        WhatsappSignal::Quality,
        std::time::Duration::from_secs(3600),
    );
    let reading = |quality| WhatsappReading::Quality(ratings(quality, "TIER_1K", "TIER_1K", 0));
    assert_eq!(
        observation(&reading(Some(Quality::Unknown))),
        RuleObservation::NoSamples
    );
    assert_eq!(observation(&reading(None)), RuleObservation::NoSamples);
    let (state, _) = evaluate(
        &RuleState::default(),
        observation(&reading(Some(Quality::Yellow))),
        at(1),
        &limits,
    );
    assert_eq!(state.level, RuleLevel::Firing);
    let (state, events) = evaluate(
        &state,
        observation(&reading(Some(Quality::Red))),
        at(2),
        &limits,
    );
    assert_eq!(state.level, RuleLevel::Critical);
    assert!(matches!(events[..], [RuleEvent::Critical { .. }]));
}

#[test]
fn a_lowered_limit_is_reported_from_what_to_what() {
    let before = ratings(Some(Quality::Green), "TIER_250", "TIER_1K", 0);
    let after = ratings(Some(Quality::Red), "TIER_1K", "TIER_250", 30);
    assert_eq!(
        limit_change(Some(&before), &after, at(31)),
        Some(LimitChange::Lowered {
            from: Tier("TIER_1K".into()),
            to: Tier("TIER_250".into())
        })
    );
    assert_eq!(
        limit_change(Some(&after), &before, at(32)),
        Some(LimitChange::Raised {
            from: Tier("TIER_250".into()),
            to: Tier("TIER_1K".into())
        })
    );
    // The same event read again is no news.
    assert_eq!(limit_change(Some(&after), &after, at(33)), None);
    // TIER_NOT_SET and unknown words are never called lowered or raised.
    let unset = ratings(None, "TIER_1K", "TIER_NOT_SET", 30);
    assert_eq!(limit_change(Some(&before), &unset, at(31)), None);
}

#[test]
fn a_first_reading_reports_only_a_recent_event() {
    let downgrade = ratings(Some(Quality::Red), "TIER_1K", "TIER_250", 2);
    assert!(matches!(
        limit_change(None, &downgrade, at(20)),
        Some(LimitChange::Lowered { .. })
    ));
    let old = Ratings {
        event_time: Some(at(2) - Duration::days(3)),
        ..downgrade
    };
    assert_eq!(limit_change(None, &old, at(20)), None);
    let key = LimitChange::Lowered {
        from: Tier("TIER_1K".into()),
        to: Tier("TIER_250".into()),
    }
    .key(at(20));
    assert!(key.ends_with(":lowered:TIER_1K:TIER_250"), "{key}");
}

#[test]
fn templates_report_a_pause_its_end_a_disable_and_a_quality_drop_once_each() {
    let approved = [
        template("a", "APPROVED", Some(Quality::Green)),
        template("b", "APPROVED", Some(Quality::Green)),
    ];
    let paused = [
        template("a", "PAUSED", Some(Quality::Green)),
        template("b", "APPROVED", Some(Quality::Red)),
    ];
    let changes = template_changes(&approved, &paused);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        matches!(&changes[0], TemplateChange::Stopped { from, template } if from == "APPROVED" && template.status == "PAUSED")
    );
    assert!(matches!(
        &changes[1],
        TemplateChange::QualityDropped {
            from: Some(Quality::Green),
            ..
        }
    ));
    // Unchanged: nothing.
    assert!(template_changes(&paused, &paused).is_empty());
    let resumed = [
        template("a", "APPROVED", Some(Quality::Green)),
        template("b", "APPROVED", Some(Quality::Red)),
    ];
    assert!(matches!(
        template_changes(&paused, &resumed)[..],
        [TemplateChange::PauseEnded { .. }]
    ));
    let disabled = [template("a", "DISABLED", None)];
    assert!(
        matches!(&template_changes(&paused, &disabled)[..], [TemplateChange::Stopped { from, .. }] if from == "PAUSED")
    );
    // New or pending templates are no news.
    let new = [
        template("c", "PAUSED", None),
        template("a", "PENDING", None),
    ];
    assert!(template_changes(&approved, &new).is_empty());
    let keys: Vec<_> = changes.iter().map(|c| c.key(at(5))).collect();
    assert_ne!(keys[0], keys[1]);
}
