//! The digest's `filter` and `breakdown` keys: refused with their key path when wrong, and
//! a digest with `breakdown = "operator"` carries the top 5 operators of the filtered
//! inquiries, on SQLite and PostgreSQL.

use std::path::PathBuf;

use pulso::config::{Config, ConfigError, ConfigSource};
use pulso::domain::{Dimension, Filter};

use crate::harness::{ConfigBuilder, TestApp, WorkspaceConfig, default_now};
use crate::helpers::*;

crate::app_tests!(digest_with_a_breakdown_shows_the_top_five_of_the_filtered_inquiries);

/// The problems of a config whose one workspace has `digest = { <digest> }`.
fn problems(digest: &str) -> Vec<String> {
    let text = format!(
        "[database]\nurl = \"sqlite://pulso.db\"\n[[workspaces]]\nid = \"ventas\"\nname = \"Ventas\"\n\
         timezone = \"UTC\"\nlocale = \"es\"\ndigest = {{ {digest} }}\n"
    );
    match Config::parse(
        &text,
        ConfigSource::File(PathBuf::from("/etc/pulso/pulso.toml")),
        None,
    ) {
        Err(ConfigError::Invalid { problems, .. }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn digest_filter_and_breakdown_errors_name_their_key() {
    let found = problems(r#"filter = { origin = " , ", channel = "web" }, breakdown = "agent""#);
    assert_eq!(
        found,
        [
            "workspaces[0].digest.filter.origin: no value given: list one or more values separated by commas",
            "workspaces[0].digest.breakdown: unknown dimension \"agent\": use operator, origin or channel",
        ]
    );
    let many: Vec<String> = (0..26).map(|n| format!("op{n}")).collect();
    let found = problems(&format!("filter = {{ operator = {:?} }}", many.join(",")));
    assert_eq!(
        found,
        ["workspaces[0].digest.filter.operator: 26 values given: at most 25"]
    );
    let text = "[database]\nurl = \"sqlite://pulso.db\"\n[[workspaces]]\nid = \"v\"\nname = \"V\"\n\
                timezone = \"UTC\"\nlocale = \"en\"\ndigest = { filter = { origin = \"payments, refunds\" }, breakdown = \"channel\" }\n";
    let config = Config::parse(
        text,
        ConfigSource::File(PathBuf::from("/etc/pulso/pulso.toml")),
        None,
    )
    .unwrap();
    let digest = &config.workspaces[0].digest;
    assert_eq!(digest.filter.origin, ["payments", "refunds"]);
    assert_eq!(digest.breakdown, Some(Dimension::Channel));
    let plain = problems("breakdown = \"operator\", grace = \"x\"");
    assert!(plain.iter().all(|p| !p.contains("breakdown")), "{plain:?}");
}

/// Six operators resolve 6, 5, 4, 3, 2 and 1 payments yesterday and one more refund each;
/// the digest filtered to payments shows a section with the first five, not the sixth, and
/// its card counts only payments.
async fn digest_with_a_breakdown_shows_the_top_five_of_the_filtered_inquiries(db: TestDb) {
    let app = TestApp::spawn(
        db,
        ConfigBuilder::with([WorkspaceConfig::new("w", "Equipo").locale("es").digest(
            "period = \"yesterday\", filter = { origin = \"payments\" }, breakdown = \"operator\"",
        )]),
    )
    .await;
    let operators = ["ana", "beto", "caro", "dani", "eva", "fede"];
    let mut rows = Vec::new();
    for (rank, operator) in operators.iter().enumerate() {
        for n in 0..=(6 - rank) {
            let mut row = resolved(
                "w",
                &format!("{operator}-{n}"),
                utc(2026, 3, 9, 10, 0, 0),
                3,
                10,
            );
            row.operator_id = Some(operator.to_string());
            if n == 6 - rank {
                row.origin = "refunds".into();
            }
            rows.push(row);
        }
    }
    insert(app.store(), &rows, &[]).await;
    let workspace = app.config().workspace(Some("w")).unwrap().clone();
    assert_eq!(workspace.digest.breakdown, Some(Dimension::Operator));
    assert_eq!(
        workspace.digest.filter,
        Filter {
            origin: vec!["payments".into()],
            ..Filter::default()
        }
    );

    let digest = pulso::digest::build(app.store(), &workspace, default_now(), None)
        .await
        .unwrap();
    let embed = digest.reply.embed.expect("the digest card");
    let section = embed
        .fields
        .iter()
        .find(|field| field.name == "Los 5 primeros por operador")
        .unwrap_or_else(|| panic!("no breakdown section in {:?}", embed.fields));
    for operator in &operators[..5] {
        assert!(
            section.value.contains(operator),
            "{operator}: {}",
            section.value
        );
    }
    assert!(!section.value.contains("fede"), "{}", section.value);
    let resolved = embed
        .fields
        .iter()
        .find(|field| field.name == "Consultas resueltas")
        .expect("the resolved field");
    assert!(
        resolved.value.starts_with("**21**"),
        "21 payments, not the 6 refunds: {}",
        resolved.value
    );
    app.finish().await;
}
