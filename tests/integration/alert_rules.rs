//! Alert rules on a real database: each rule's observation against an independent
//! computation, a scripted day of the queue posting exactly one firing, one critical and
//! one resolved message to the fake Discord, and replicas evaluating together posting once.

use chrono::{DateTime, Duration, Utc};
use pulso::alerting::RuleObservation;
use pulso::config::{Config, ConfigSource};
use pulso::domain::{Inquiry, InquiryStatus, RuleLevel};
use pulso::jobs::rules_tick;
use pulso::outbox::{DiscordSender, Sender, deliver_due, nonce};
use pulso::service::observe_rule;
use pulso::store::Store;

use crate::fake_discord::FakeDiscord;
use crate::helpers::*;

crate::backend_tests!(
    observations_match_an_independent_count,
    a_day_of_the_queue_posts_firing_critical_and_resolved_once,
    replicas_evaluating_together_store_and_post_once,
);

const RULES: &str = r#"
[[workspaces.alerts]]
rule = "queue_waiting"
over = "15m"
threshold = 5
critical = 20
recover_at = 2

[[workspaces.alerts]]
rule = "oldest_pending"
threshold = "30m"

[[workspaces.alerts]]
rule = "attention_sla"
window = "1h"
target = "5m"
threshold = 80

[[workspaces.alerts]]
rule = "expired_spike"
window = "1h"
threshold = 3
"#;

fn config(rules: &str) -> Config {
    let text = format!(
        "[database]\nurl = \"sqlite://unused.db\"\n[discord]\ntransport = \"http\"\napplication_id = \"1\"\npublic_key = \"{}\"\n\
         [[workspaces]]\nid = \"w\"\nname = \"Soporte\"\ntimezone = \"America/Argentina/Buenos_Aires\"\nlocale = \"es\"\nalerts_channel_id = \"555\"\n{rules}",
        "0".repeat(64)
    );
    Config::parse_with_env(&text, ConfigSource::Embedded, |name| {
        (name == "PULSO_DISCORD_TOKEN").then(|| "token".to_string())
    })
    .unwrap()
}

fn t0() -> DateTime<Utc> {
    utc(2026, 12, 1, 15, 0, 0)
}

fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

fn attended(id: &str, requested_at: DateTime<Utc>, wait_min: i64) -> Inquiry {
    in_progress("w", id, requested_at, wait_min)
}

async fn observations_match_an_independent_count(store: &Store) {
    let now = t0();
    let rows = vec![
        pending("w", "p1", now - minutes(40)),
        pending("w", "p2", now - minutes(16)),
        pending("w", "p3", now - minutes(15)), // exactly 15 min: counts as waited over 15m
        pending("w", "p4", now - minutes(14)),
        pending("other", "x1", now - minutes(90)), // another workspace never counts
        attended("a1", now - minutes(50), 3),
        attended("a2", now - minutes(40), 5),
        attended("a3", now - minutes(30), 12),
        attended("a4", now - minutes(200), 2), // attended long before the window
        expired("w", "e1", now - minutes(100), 50),
        expired("w", "e2", now - minutes(70), 20),
        expired("w", "e3", now - minutes(200), 30),
    ];
    insert(store, &rows, &[]).await;
    let config = config(RULES);
    let workspace = &config.workspaces[0];
    // The same figures computed from the rows themselves.
    let mine: Vec<&Inquiry> = rows.iter().filter(|i| i.workspace == "w").collect();
    let waiting = mine
        .iter()
        .filter(|i| i.status == InquiryStatus::Pending && now - i.requested_at >= minutes(15))
        .count() as f64;
    let oldest = mine
        .iter()
        .filter(|i| i.status == InquiryStatus::Pending)
        .map(|i| (now - i.requested_at).num_seconds())
        .max()
        .unwrap() as f64;
    let in_window: Vec<i64> = mine
        .iter()
        .filter_map(|i| i.attended_at.map(|at| (at, at - i.requested_at)))
        .filter(|(at, _)| *at >= now - minutes(60) && *at <= now)
        .map(|(_, wait)| wait.num_seconds())
        .collect();
    let on_time =
        in_window.iter().filter(|w| **w <= 300).count() as f64 * 100.0 / in_window.len() as f64;
    let expired = mine
        .iter()
        .filter_map(|i| i.expired_at)
        .filter(|at| *at >= now - minutes(60) && *at <= now)
        .count() as f64;
    let expected = [waiting, oldest, on_time, expired];
    assert_eq!(
        expected,
        [3.0, 2400.0, 200.0 / 3.0, 2.0],
        "the fixture itself"
    );
    for (rule, want) in workspace.alerts.iter().zip(expected) {
        assert_eq!(
            observe_rule(store, "w", rule, now).await,
            RuleObservation::Value(want),
            "{}",
            rule.name
        );
    }
    // No inquiry attended in the window: the SLA has nothing to judge.
    assert_eq!(
        observe_rule(store, "w", &workspace.alerts[2], now + minutes(300)).await,
        RuleObservation::NoSamples
    );
}

/// `n` pending inquiries named `prefix-i`, requested `ago` before t0.
fn queue(prefix: &str, n: usize, ago: i64) -> Vec<Inquiry> {
    (0..n)
        .map(|i| pending("w", &format!("{prefix}-{i}"), t0() - minutes(ago)))
        .collect()
}

async fn a_day_of_the_queue_posts_firing_critical_and_resolved_once(store: &Store) {
    let config = config(
        &RULES[..RULES
            .find("[[workspaces.alerts]]\nrule = \"oldest")
            .unwrap()],
    );
    let discord = FakeDiscord::start().await;
    let sender =
        Sender::Discord(DiscordSender::new(&discord.base, "token".to_string().into()).unwrap());
    let tick = |at: DateTime<Utc>| {
        let (config, sender) = (&config, &sender);
        async move {
            rules_tick(store, config, at).await.unwrap();
            deliver_due(store, sender, at).await.unwrap();
        }
    };
    insert(store, &queue("a", 3, 20), &[]).await;
    tick(t0()).await; // 3 waiting: fine
    insert(store, &queue("b", 3, 16), &[]).await;
    tick(t0() + minutes(1)).await; // 6: firing
    tick(t0() + minutes(2)).await; // still 6: nothing new (reminders every hour)
    insert(store, &queue("c", 15, 30), &[]).await;
    tick(t0() + minutes(3)).await; // 21: critical
    let drained: Vec<Inquiry> = [queue("a", 3, 20), queue("b", 3, 16), queue("c", 15, 30)]
        .concat()
        .into_iter()
        .map(|i| resolved("w", &i.id, i.requested_at, 25, 5))
        .collect();
    insert(store, &drained, &[]).await;
    tick(t0() + minutes(40)).await; // 0: resolved
    tick(t0() + minutes(41)).await; // nothing more

    let posted = discord.posted();
    let titles: Vec<&str> = posted
        .iter()
        .map(|p| p.body["embeds"][0]["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "⚠️ queue_waiting · Soporte",
            "🔴 queue_waiting · crítica · Soporte",
            "✅ queue_waiting · resuelta · Soporte"
        ]
    );
    assert!(posted.iter().all(|p| p.channel == "555"));
    let description = |i: usize| {
        posted[i].body["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        description(0),
        "Esperando más de 15 min: **6 consultas** (alerta desde 5 consultas).\nDesde las 12:01."
    );
    assert!(description(1).starts_with("Esperando más de 15 min: **21 consultas**"));
    assert_eq!(description(2), "Resuelta tras 39 min; ahora 0 consultas.");
    for (i, event) in ["1:firing", "1:critical", "1:resolved"].iter().enumerate() {
        assert_eq!(
            posted[i].body["nonce"],
            nonce(&format!("alert:w:queue_waiting:{event}")).as_str()
        );
    }
    // The episode's first message is edited in place to show it is over, buttons gone.
    let edits: Vec<_> = discord
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(edits.len(), 1, "one edit");
    assert_eq!(
        edits[0].path,
        format!("/api/v10/channels/555/messages/{}", posted[0].id)
    );
    assert_eq!(
        edits[0].body["embeds"][0]["title"],
        "✅ queue_waiting · resuelta tras 39 min · Soporte"
    );
    assert_eq!(edits[0].body["components"], serde_json::json!([]));
    let edit = store
        .outbox_status("alert:w:queue_waiting:1:resolved-edit")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(edit.status, "sent");
    assert_eq!(edit.message_id.as_deref(), Some(posted[0].id.as_str()));
    let states = store.rule_states("w").await.unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0].state.level, RuleLevel::Ok);
    assert_eq!(states[0].state.episode, 1);
    assert_eq!(states[0].version, 6, "one stored evaluation per tick");
}

async fn replicas_evaluating_together_store_and_post_once(store: &Store) {
    let config = config(
        &RULES[..RULES
            .find("[[workspaces.alerts]]\nrule = \"oldest")
            .unwrap()],
    );
    insert(store, &queue("a", 8, 20), &[]).await;
    for at in [t0(), t0() + minutes(1)] {
        let (a, b) = tokio::join!(
            rules_tick(store, &config, at),
            rules_tick(store, &config, at)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let recorded = [&a[0], &b[0]].iter().filter(|o| o.recorded).count();
        assert_eq!(
            recorded, 1,
            "exactly one replica stores the evaluation at {at}"
        );
    }
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!(
        counts,
        vec![("pending".to_string(), 1)],
        "one firing message"
    );
    let states = store.rule_states("w").await.unwrap();
    assert_eq!((states[0].state.episode, states[0].version), (1, 2));
}
