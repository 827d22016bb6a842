//! The low_survey rule on a real database: its reading against an independent computation,
//! and through the real tick (`rules_tick`, delivered to the fake Discord): twelve low
//! answers post one message listing ten and counting two, the next tick within
//! `group_every` posts nothing, a later answer is posted alone, high scores never, two
//! replicas ticking together post once.

use chrono::{DateTime, Duration, Utc};
use pulso::config::{Config, ConfigSource};
use pulso::domain::{LowAnswers, SurveyCursor, SurveyKind, SurveyResponse};
use pulso::jobs::rules_tick;
use pulso::outbox::{DiscordSender, Sender, deliver_due};
use pulso::store::{LowAnswersQuery, Store};

use crate::fake_discord::FakeDiscord;
use crate::helpers::*;

crate::backend_tests!(
    the_reading_matches_an_independent_computation,
    low_answers_are_grouped_and_never_posted_twice,
    replicas_ticking_together_post_once,
);

const RULE: &str = "[[workspaces.alerts]]\nrule = \"low_survey\"\nname = \"Encuestas\"\n";

pub fn config(rule: &str) -> Config {
    let text = format!(
        "[database]\nurl = \"sqlite://unused.db\"\n[discord]\ntransport = \"http\"\napplication_id = \"1\"\npublic_key = \"{}\"\n\
         [[workspaces]]\nid = \"w\"\nname = \"Soporte\"\ntimezone = \"UTC\"\nlocale = \"es\"\nalerts_channel_id = \"555\"\n\
         links = {{ inquiry = \"https://cs.example.com/consultas/{{id}}\" }}\n{rule}",
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

fn nps(id: &str, score: i16, inquiry: Option<&str>, answered_at: DateTime<Utc>) -> SurveyResponse {
    SurveyResponse {
        inquiry_id: inquiry.map(str::to_string),
        ..answer("w", id, SurveyKind::Nps, score, answered_at)
    }
}

fn csat(id: &str, score: i16, inquiry: Option<&str>, answered_at: DateTime<Utc>) -> SurveyResponse {
    SurveyResponse {
        kind: SurveyKind::Csat,
        ..nps(id, score, inquiry, answered_at)
    }
}

async fn read(store: &Store, from: Option<SurveyCursor>, limit: u32) -> LowAnswers {
    store
        .low_answers(LowAnswersQuery {
            workspace: "w",
            from,
            nps_at_most: 6,
            csat_at_most: 2,
            limit,
            now: t0(),
        })
        .await
        .unwrap()
        .expect("no insert in flight")
}

async fn the_reading_matches_an_independent_computation(store: &Store) {
    // History before the rule's first reading: never reported.
    insert(store, &[], &[nps("old", 0, None, t0() - Duration::days(3))]).await;
    let first = read(store, None, 10).await;
    assert_eq!(
        (first.from, first.total),
        (None, 0),
        "the first reading only places the cursor"
    );
    insert(
        store,
        &[
            resolved("w", "c1", t0() - Duration::hours(2), 5, 10),
            pending("w", "c2", t0() - Duration::hours(1)),
        ],
        &[],
    )
    .await;
    let answers = vec![
        nps("a1", 6, Some("c1"), t0() - Duration::minutes(9)), // at the limit: low
        nps("a2", 7, Some("c1"), t0() - Duration::minutes(8)), // passive: not low
        csat("a3", 2, Some("c2"), t0() - Duration::minutes(7)), // known, unattended
        csat("a4", 3, None, t0() - Duration::minutes(6)),
        nps("a5", 0, Some("gone"), t0() - Duration::minutes(5)), // unknown inquiry
        csat("a6", 1, None, t0() - Duration::days(20)),          // a late import: still new
        SurveyResponse {
            workspace: "other".into(),
            ..nps("a7", 1, None, t0())
        },
        nps("a8", 3, Some("c1"), t0() - Duration::minutes(1)),
    ];
    // One transaction per answer, so insertion order is the order written here.
    for answer in &answers {
        insert(store, &[], std::slice::from_ref(answer)).await;
    }
    // The same answers judged from the rows themselves.
    let expected: Vec<(&str, i16, Option<&str>, Option<&str>)> = answers
        .iter()
        .filter(|a| a.workspace == "w")
        .filter(|a| match a.kind {
            SurveyKind::Nps => a.score <= 6,
            SurveyKind::Csat => a.score <= 2,
        })
        .map(|a| {
            let (operator, origin) = match a.inquiry_id.as_deref() {
                Some("c1") => (Some("op-1"), Some("payments")),
                Some("c2") => (None, Some("payments")),
                _ => (None, None),
            };
            (a.id.as_str(), a.score, operator, origin)
        })
        .collect();
    assert_eq!(expected.len(), 5, "the fixture itself");
    let got = read(store, Some(first.next), 10).await;
    assert_eq!(got.from, Some(first.next));
    assert_eq!(got.total, expected.len() as u64);
    let listed: Vec<(&str, i16, Option<&str>, Option<&str>)> = got
        .listed
        .iter()
        .map(|a| {
            (
                a.id.as_str(),
                a.score,
                a.operator_id.as_deref(),
                a.origin.as_deref(),
            )
        })
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(got.listed[5 - 1].answered_at, t0() - Duration::minutes(1));
    // All are counted; only `limit` are listed, the first ones.
    let short = read(store, Some(first.next), 2).await;
    assert_eq!(short.total, 5);
    assert_eq!(
        short
            .listed
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        ["a1", "a3"]
    );
    // Read from where that reading ended: nothing again, until a new answer.
    let again = read(store, Some(got.next), 10).await;
    assert_eq!((again.total, again.next), (0, got.next));
    // Re-importing an answer (an upsert) does not make it new.
    insert(store, &[], &[answers[0].clone()]).await;
    assert_eq!(read(store, Some(got.next), 10).await.total, 0);
}

/// The posted messages' descriptions, in order.
fn descriptions(discord: &FakeDiscord) -> Vec<String> {
    discord
        .posted()
        .iter()
        .map(|p| {
            p.body["embeds"][0]["description"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

async fn low_answers_are_grouped_and_never_posted_twice(store: &Store) {
    let config = config(RULE);
    let discord = FakeDiscord::start().await;
    let sender =
        Sender::Discord(DiscordSender::new(&discord.base, "token".to_string().into()).unwrap());
    let tick = |at: DateTime<Utc>| {
        let (config, sender) = (&config, &sender);
        async move {
            let outcomes = rules_tick(store, config, at).await.unwrap();
            deliver_due(store, sender, at).await.unwrap();
            outcomes
        }
    };
    insert(
        store,
        &[],
        &[nps("history", 0, None, t0() - Duration::hours(1))],
    )
    .await;
    assert!(
        tick(t0()).await[0].queued.is_empty(),
        "history is not posted"
    );
    insert(
        store,
        &[resolved("w", "c1", t0() - Duration::hours(2), 5, 10)],
        &[],
    )
    .await;
    let mut burst: Vec<SurveyResponse> = (0..12)
        .map(|i| nps(&format!("low-{i:02}"), (i % 7) as i16, Some("c1"), t0()))
        .collect();
    burst.extend((0..3).map(|i| nps(&format!("high-{i}"), 9, Some("c1"), t0())));
    burst.push(csat("happy", 5, None, t0()));
    for answer in &burst {
        insert(store, &[], std::slice::from_ref(answer)).await;
    }
    let posted = tick(t0() + Duration::seconds(30)).await;
    assert_eq!(posted[0].queued.len(), 1);
    let titles: Vec<String> = discord
        .posted()
        .iter()
        .map(|p| p.body["embeds"][0]["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["🙁 Encuestas · 12 respuestas bajas · Soporte"]);
    let text = &descriptions(&discord)[0];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 12, "intro, 10 answers, the rest:\n{text}");
    assert_eq!(lines[0], "NPS de 6 o menos y CSAT de 2 o menos:");
    assert_eq!(
        lines[1],
        "• **NPS 0/10** · consulta [c1](https://cs.example.com/consultas/c1) · operador op-1 · payments"
    );
    assert_eq!(lines[11], "…y 2 respuestas más.");
    assert!(
        !text.contains("NPS 9") && !text.contains("CSAT 5"),
        "high scores never: {text}"
    );
    let buttons = &discord.posted()[0].body["components"][0]["components"];
    assert_eq!(buttons.as_array().unwrap().len(), 2, "Snooze 1 h and 4 h");

    // Within group_every: nothing, even with a new low answer waiting.
    insert(
        store,
        &[],
        &[csat("late", 1, None, t0() - Duration::days(9))],
    )
    .await;
    assert!(tick(t0() + Duration::minutes(1)).await[0].queued.is_empty());
    assert!(tick(t0() + Duration::minutes(5)).await[0].queued.is_empty());
    // Past it: only the new answer (imported with an old answered_at).
    let alone = tick(t0() + Duration::minutes(5) + Duration::seconds(30)).await;
    assert_eq!(alone[0].queued.len(), 1);
    let texts = descriptions(&discord);
    assert_eq!(texts.len(), 2);
    assert_eq!(
        texts[1],
        "NPS de 6 o menos y CSAT de 2 o menos:\n• **CSAT 1/5** · sin consulta"
    );
    // Nothing new: nothing, however long.
    assert!(tick(t0() + Duration::hours(2)).await[0].queued.is_empty());
    assert_eq!(discord.posted().len(), 2);
    let state = &store.rule_states("w").await.unwrap()[0];
    assert_eq!(state.state.last_value, Some(13.0), "13 answers reported");
    assert_eq!(
        state.state.last_notified_at,
        Some(t0() + Duration::minutes(5) + Duration::seconds(30))
    );
}

async fn replicas_ticking_together_post_once(store: &Store) {
    let config = config(RULE);
    rules_tick(store, &config, t0()).await.unwrap();
    let low: Vec<SurveyResponse> = (0..3)
        .map(|i| nps(&format!("r{i}"), 2, None, t0()))
        .collect();
    insert(store, &[], &low).await;
    for at in [t0() + Duration::seconds(30), t0() + Duration::minutes(6)] {
        let (a, b) = tokio::join!(
            rules_tick(store, &config, at),
            rules_tick(store, &config, at)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        let recorded = [&a[0], &b[0]].iter().filter(|o| o.recorded).count();
        assert_eq!(
            recorded, 1,
            "exactly one replica stores the reading at {at}"
        );
        if at == t0() + Duration::minutes(6) {
            insert(store, &[], &[nps("r9", 1, None, at)]).await;
        }
    }
    let posted = rules_tick(store, &config, t0() + Duration::minutes(12))
        .await
        .unwrap();
    assert_eq!(
        posted[0].queued.len(),
        1,
        "the answer after the replicas' reading"
    );
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!(
        counts,
        vec![("pending".to_string(), 2)],
        "two messages, once each"
    );
    let state = &store.rule_states("w").await.unwrap()[0];
    assert_eq!(state.state.last_value, Some(4.0));
}
