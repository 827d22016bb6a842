//! Breakdown cards, tables and CSV.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};

use super::*;
use crate::domain::Filter;
use crate::domain::{GroupKey, GroupedFacts, Period};
use crate::indicators::BreakdownRequest;
use crate::render::reply::{MAX_DESCRIPTION, MAX_EMBED_TOTAL, MAX_FIELD_VALUE, MAX_FIELDS};
use crate::render::{CSV_HEADER, breakdown_csv};

fn workspace(locale: Locale) -> Workspace {
    use crate::config::{Config, ConfigSource, EMBEDDED_DEFAULT};
    let mut config = Config::parse(EMBEDDED_DEFAULT, ConfigSource::Embedded, None).unwrap();
    let mut workspace = config.workspaces.remove(0);
    workspace.locale = locale;
    workspace
}

/// `operators` groups with long e-mail-like keys, large counts and every figure present,
/// plus the unassigned group; `top` as the service would be asked.
fn breakdown(operators: usize, top: Option<usize>, filter: Filter) -> Breakdown {
    let mut current = GroupedFacts::default();
    let mut previous = GroupedFacts::default();
    let mut keys: Vec<Option<String>> = (0..operators)
        .map(|i| Some(format!("operator-{i:03}@support.example.com")))
        .collect();
    keys.push(None);
    for (i, key) in keys.iter().enumerate() {
        let facts = current.group(GroupKey::of(key.clone()));
        facts.resolved = 1_000_000 + i as u64;
        facts.expired = 12_345;
        facts.pending = 999_999;
        facts.attention.push(600 + i as i64 * 60);
        facts.attention.push(123_456);
        facts.resolution.push(98_765);
        facts.nps_histogram[0] = 40_000;
        facts.csat_histogram[4] = 30_000;
        let before = previous.group(GroupKey::of(key.clone()));
        before.resolved = 7;
        before.attention.push(60);
    }
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let request = BreakdownRequest {
        workspace: "w".into(),
        period: Period::new(day, day + chrono::Days::new(6), chrono_tz::UTC).unwrap(),
        by: Dimension::Operator,
        filter,
        sort: SortBy::Resolved,
        top,
        now: DateTime::UNIX_EPOCH,
    };
    Breakdown::compute(request, current, previous, &BTreeMap::new())
}

#[test]
fn two_hundred_operators_fit_discord_with_ten_rows_others_and_a_csv() {
    let mut filter = Filter::default();
    filter.set(Dimension::Origin, vec!["payments".into(), "refunds".into()]);
    let shown = breakdown(200, Some(DISCORD_ROWS), filter.clone());
    let all = breakdown(200, None, filter);
    for locale in Locale::ALL {
        let card = breakdown_card(&shown, Some(&all), &workspace(locale), locale);
        let embed = card.reply.embed.clone().unwrap();
        assert_eq!(
            card.reply.clone().fit_to_discord(),
            card.reply,
            "{locale:?}: nothing cut"
        );
        assert!(
            embed.total_chars() <= MAX_EMBED_TOTAL,
            "{}",
            embed.total_chars()
        );
        assert!(embed.description.as_ref().unwrap().chars().count() <= MAX_DESCRIPTION);
        assert!(embed.fields.len() <= MAX_FIELDS);
        for field in &embed.fields {
            assert!(
                field.value.chars().count() <= MAX_FIELD_VALUE,
                "{}",
                field.value
            );
            let lines: Vec<&str> = field.value.lines().collect();
            // Fences, header, 10 groups, others.
            assert_eq!(lines.len(), 2 + 1 + DISCORD_ROWS + 1, "{}", field.value);
            let width = lines[1].chars().count();
            assert!(
                lines[1..lines.len() - 1]
                    .iter()
                    .all(|l| l.chars().count() == width)
            );
        }
        let others = t!(locale, "breakdown-others", count = "191");
        assert!(
            embed.fields[0].value.contains(&others),
            "{}",
            embed.fields[0].value
        );
        let description = embed.description.unwrap();
        assert!(
            description.contains(&t!(
                locale,
                "filter-line",
                restrictions = format!(
                    "{} = payments, refunds",
                    dimension_name(Dimension::Origin, locale)
                )
            )),
            "{description}"
        );

        let (name, bytes) = card.csv.expect("more groups than shown: a CSV");
        assert_eq!(name, "breakdown-operator-2026-12-01_2026-12-07.csv");
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(
            lines.len(),
            1 + 201,
            "header and every group, unassigned included"
        );
        let columns = CSV_HEADER.split(',').count();
        assert_eq!(columns, 17);
        assert!(lines.iter().all(|line| line.split(',').count() == columns));
        let unassigned: Vec<&str> = lines
            .iter()
            .find(|l| l.starts_with(','))
            .unwrap()
            .split(',')
            .collect();
        assert_eq!(unassigned[3], "1000200");
        assert_eq!(unassigned[14], "7");
    }
}

#[test]
fn few_groups_need_no_csv_and_unassigned_is_localized() {
    let shown = breakdown(3, Some(DISCORD_ROWS), Filter::default());
    for (locale, unassigned) in [
        (Locale::Es, "sin asignar"),
        (Locale::En, "unassigned"),
        (Locale::Pt, "sem atribuição"),
    ] {
        let card = breakdown_card(&shown, Some(&shown), &workspace(locale), locale);
        assert_eq!(card.csv, None);
        let embed = card.reply.embed.unwrap();
        assert!(embed.fields[0].value.contains(unassigned));
        assert!(!embed.description.unwrap().contains(&t!(
            locale,
            "filter-line",
            restrictions = ""
        )));
    }
    let title = breakdown_card(&shown, None, &workspace(Locale::En), Locale::En)
        .reply
        .embed
        .unwrap()
        .title;
    assert_eq!(title, "Indicators by operator · Dec 1, 2026 → Dec 7, 2026");
}

#[test]
fn the_terminal_table_is_aligned_and_has_every_column() {
    let mut filter = Filter::default();
    filter.set(Dimension::Channel, vec!["whatsapp".into()]);
    let text = breakdown_text(&breakdown(12, Some(5), filter), &workspace(Locale::Es));
    assert!(!text.contains("```") && !text.contains("**"), "{text}");
    assert!(text.contains("Filtro: canal = whatsapp"), "{text}");
    let table: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("Operador"))
        .take_while(|line| !line.is_empty())
        .collect();
    assert_eq!(
        table.len(),
        1 + 1 + 5 + 1,
        "header, rule, top 5, others:\n{text}"
    );
    let width = table[0].chars().count();
    assert!(
        table.iter().all(|line| line.chars().count() == width),
        "{text}"
    );
    assert!(table[0].contains("Resueltas") && table[0].contains("CSAT (resp)"));
    assert!(table[7].starts_with("otros (8)"), "{text}");
    assert!(
        table[3].contains("operator-011@support.example.com"),
        "full keys: {text}"
    );
}

#[test]
fn json_rows_carry_the_indicator_names() {
    let json = serde_json::to_value(breakdown(2, Some(1), Filter::default())).unwrap();
    assert_eq!(json["by"], "operator");
    assert_eq!(json["sort"], "resolved");
    assert!(json.get("filter").is_none(), "an empty filter is left out");
    let row = &json["groups"][0];
    for key in [
        "key",
        "pending",
        "in_progress",
        "resolved",
        "expired",
        "avg_attention_min",
        "avg_resolution_min",
        "avg_attention_resolution_min",
        "attention",
        "resolution",
        "attention_resolution",
        "nps",
        "csat",
        "previous",
        "expired_rate",
    ] {
        assert!(row.get(key).is_some(), "{key} missing in {row}");
    }
    // The unassigned group resolved most: first, with a JSON null key.
    assert_eq!(row["key"], serde_json::Value::Null);
    assert_eq!(json["others"]["key"], serde_json::Value::Null);
    assert_eq!(json["others"]["resolved"], 2_000_001);
    assert_eq!(json["total_groups"], 3);
}

#[test]
fn keys_with_commas_and_quotes_are_quoted_in_the_csv() {
    let mut rows = breakdown(1, None, Filter::default()).groups;
    rows[0].key.0 = Some("a, \"b\"".into());
    let csv = breakdown_csv(&rows[..1]);
    assert!(
        csv.lines().nth(1).unwrap().starts_with("\"a, \"\"b\"\"\","),
        "{csv}"
    );
}

/// The indicators card says which filter applied, and says nothing without one.
#[test]
fn the_indicators_card_names_its_filter() {
    use crate::domain::WindowFacts;
    use crate::indicators::{IndicatorReport, WindowIndicators};
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let period = Period::new(day, day, chrono_tz::UTC).unwrap();
    let mut report = IndicatorReport {
        workspace: "w".into(),
        current: WindowIndicators::from_facts(&period, WindowFacts::default()),
        in_progress: 0,
        oldest_pending: None,
        previous: WindowIndicators::from_facts(&period.previous(), WindowFacts::default()),
        generated_at: DateTime::UNIX_EPOCH,
        filter: Filter::default(),
    };
    let description = |report: &IndicatorReport| {
        let card = super::super::indicators_card(report, &workspace(Locale::Es), Locale::Es, None);
        card.embed.unwrap().description.unwrap()
    };
    assert!(!description(&report).contains("Filtro"));
    report
        .filter
        .set(Dimension::Origin, vec!["payments".into(), "refunds".into()]);
    report
        .filter
        .set(Dimension::Channel, vec!["whatsapp".into()]);
    assert!(
        description(&report).ends_with("\nFiltro: origen = payments, refunds · canal = whatsapp"),
        "{}",
        description(&report)
    );
    let text = super::super::indicators_text(&report, &workspace(Locale::Pt));
    assert!(
        text.contains("\nFiltro: origem = payments, refunds · canal = whatsapp\n"),
        "{text}"
    );
}
