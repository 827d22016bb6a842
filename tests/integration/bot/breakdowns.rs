//! Breakdowns and filters on the bot: autocomplete of the filter options over the signed
//! endpoint (prefix, at most 25, only in the workspace's own server), `/indicators` with
//! filter options and `by`, and bad values refused naming the option as the user sees it,
//! on SQLite and PostgreSQL.

use pulso::domain::{Dimension, Filter, InquiryStatus, PeriodRequest};
use pulso::indicators::{BreakdownRequest, RowKey, SortBy};
use pulso::render;
use pulso::service::{build_breakdown, build_filtered_report};
use pulso::store::Store;

use super::*;
use crate::harness::Caller;

crate::app_tests!(
    autocomplete_suggests_recent_values_only_in_the_workspace_server,
    autocomplete_over_the_gateway_answers_through_the_callback,
    filtered_indicators_and_breakdowns_show_the_kept_inquiries,
    bad_filter_and_top_values_are_refused_naming_the_option,
);

/// An autocomplete interaction (type 4) of `/indicators` typing `prefix` into `option`.
fn typing(option: &str, prefix: &str, guild_id: Option<u64>) -> Value {
    let mut interaction = command("indicators", &[], "es-ES", guild_id);
    interaction["type"] = json!(4);
    interaction["data"]["options"] =
        json!([{"name": option, "type": 3, "value": prefix, "focused": true}]);
    interaction
}

/// The values of an autocomplete answer, checked to be a type 8 with name = value.
fn choices(reply: &Value) -> Vec<String> {
    assert_eq!(reply["type"], 8, "{reply}");
    reply["data"]["choices"]
        .as_array()
        .unwrap_or_else(|| panic!("no choices in {reply}"))
        .iter()
        .map(|choice| {
            assert_eq!(choice["name"], choice["value"]);
            choice["value"].as_str().unwrap().to_string()
        })
        .collect()
}

/// Origins written today: 30 `pa-NN`, `pagos`, `payments`, `refunds`, and one of 120
/// characters that Discord could not take as a choice.
async fn seed_origins(store: &Store) {
    let long = format!("pax{}", "x".repeat(117));
    let mut origins: Vec<String> = (0..30).map(|n| format!("pa-{n:02}")).collect();
    origins.extend(["pagos", "payments", "refunds"].map(String::from));
    origins.push(long);
    let rows: Vec<_> = origins
        .iter()
        .enumerate()
        .map(|(n, origin)| {
            let mut row = pending("default", &format!("o{n}"), utc(2026, 3, 10, 12, 0, 0));
            row.origin = origin.clone();
            row
        })
        .collect();
    insert(store, &rows, &[]).await;
}

/// Suggestions start with what was typed (any case), stop at 25, skip values over 100
/// characters, and are empty from another server or a direct message.
async fn autocomplete_suggests_recent_values_only_in_the_workspace_server(db: TestDb) {
    let mut app = TestApp::spawn(db, guilds_config()).await;
    seed_origins(app.store()).await;
    let address = app.http();

    let (status, reply) = post(address, &typing("origin", "pa", Some(1001))).await;
    assert_eq!(status, 200, "{reply}");
    let values = choices(&reply);
    assert_eq!(values.len(), 25, "{values:?}");
    assert!(values.iter().all(|v| v.starts_with("pa")), "{values:?}");

    let (_, reply) = post(address, &typing("origin", "PAY", Some(1001))).await;
    assert_eq!(choices(&reply), ["payments"]);
    let (_, reply) = post(address, &typing("origin", "pax", Some(1001))).await;
    assert!(choices(&reply).is_empty(), "a value over 100 characters");
    let (_, reply) = post(address, &typing("operator", "op", Some(1001))).await;
    assert!(choices(&reply).is_empty(), "pending rows have no operator");

    let (_, reply) = post(address, &typing("origin", "pa", Some(1002))).await;
    assert!(choices(&reply).is_empty(), "the other workspace's server");
    let (_, reply) = post(address, &typing("origin", "pa", Some(1003))).await;
    assert!(choices(&reply).is_empty(), "a server without a workspace");
    let (_, reply) = post(address, &typing("origin", "pa", None)).await;
    assert!(choices(&reply).is_empty(), "a direct message");
    let (_, reply) = post(address, &typing("period", "to", Some(1001))).await;
    assert!(choices(&reply).is_empty(), "not an autocomplete option");
    app.finish().await;
}

/// The same suggestions when Discord sends the autocomplete as a gateway
/// `INTERACTION_CREATE`: answered with a type 8 interaction callback over REST; from another
/// server, with none.
async fn autocomplete_over_the_gateway_answers_through_the_callback(db: TestDb) {
    let config = guilds_config().transport("gateway");
    let mut app = TestApp::spawn(db, config).await;
    seed_origins(app.store()).await;
    let gateway = super::gateway::connect_to_fake_gateway(&mut app).await;
    gateway.dispatch("INTERACTION_CREATE", typing("origin", "PAY", Some(1001)));
    let callback = super::gateway::first_callback(app.discord(), &gateway).await;
    assert_eq!(
        callback.path,
        "/api/v10/interactions/900/interaction-token-1/callback"
    );
    assert_eq!(choices(&callback.body), ["payments"]);

    let mut elsewhere = typing("origin", "pa", Some(1002));
    elsewhere["id"] = json!("901");
    elsewhere["token"] = json!("interaction-token-2");
    gateway.dispatch("INTERACTION_CREATE", elsewhere);
    let second = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let found = app
                .discord()
                .requests()
                .into_iter()
                .find(|request| request.path.contains("/interactions/901/"));
            if let Some(request) = found {
                return request;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("a callback for the second autocomplete");
    assert!(choices(&second.body).is_empty(), "{}", second.body);
    app.finish().await;
}

/// Today: ana resolves two payments (4 and 6 min to attend), beto one payment (10 min)
/// and one refund, one payment expires unattended and one refund waits.
async fn seed_operators(store: &Store) {
    let with = |mut row: pulso::domain::Inquiry, operator: Option<&str>, origin: &str| {
        row.operator_id = operator.map(String::from);
        row.origin = origin.into();
        row
    };
    let at = |h| utc(2026, 3, 10, h, 0, 0);
    insert(
        store,
        &[
            with(
                resolved("default", "a1", at(10), 4, 20),
                Some("ana"),
                "payments",
            ),
            with(
                resolved("default", "a2", at(11), 6, 20),
                Some("ana"),
                "payments",
            ),
            with(
                resolved("default", "b1", at(12), 10, 20),
                Some("beto"),
                "payments",
            ),
            with(
                resolved("default", "b2", at(13), 2, 20),
                Some("beto"),
                "refunds",
            ),
            with(expired("default", "e1", at(9), 60), None, "payments"),
            with(pending("default", "p1", at(14)), None, "refunds"),
        ],
        &[],
    )
    .await;
}

/// `/indicators origin:payments` counts only payments; with `by:operator` each operator's
/// row counts only their payments; both replies are exactly the cards of those figures,
/// on the console path and the signed endpoint (where Discord sends `top` as a number).
async fn filtered_indicators_and_breakdowns_show_the_kept_inquiries(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    seed_operators(app.store()).await;
    let workspace = app.config().workspace(Some("default")).unwrap().clone();
    let period = pulso::domain::Period::resolve(
        PeriodRequest::Named(NamedPeriod::Today),
        workspace.timezone,
        default_now(),
    )
    .unwrap();
    let filter = Filter {
        origin: vec!["payments".into()],
        ..Filter::default()
    };

    let report = build_filtered_report(app.store(), "default", &period, default_now(), &filter)
        .await
        .unwrap();
    assert_eq!((report.current.resolved, report.current.expired), (3, 1));
    assert_eq!(report.current.pending, 0, "the pending refund is not kept");
    assert!((report.current.avg_attention_min.unwrap() - 20.0 / 3.0).abs() < 1e-9);
    let reply = app
        .command_as(
            "/indicators period:today origen:payments",
            Caller::default(),
        )
        .await;
    assert!(!reply.ephemeral, "{}", reply.to_text());
    assert_eq!(
        reply,
        render::indicators_card(&report, &workspace, workspace.locale, None)
    );

    let request = BreakdownRequest {
        workspace: "default".into(),
        period,
        by: Dimension::Operator,
        filter: filter.clone(),
        sort: SortBy::Resolved,
        top: Some(10),
        now: default_now(),
    };
    let breakdown = build_breakdown(app.store(), request.clone()).await.unwrap();
    let rows: Vec<(RowKey, u64, u64)> = breakdown
        .groups
        .iter()
        .map(|row| (row.key.clone(), row.current.resolved, row.current.expired))
        .collect();
    assert_eq!(
        rows,
        [
            (RowKey(Some("ana".into())), 2, 0),
            (RowKey(Some("beto".into())), 1, 0),
            (RowKey(None), 0, 1),
        ]
    );
    assert_eq!(breakdown.groups[0].current.avg_attention_min, Some(5.0));
    assert_eq!(breakdown.groups[1].current.avg_attention_min, Some(10.0));
    let reply = app.command("/indicators origin:payments by:operator").await;
    assert_eq!(
        reply,
        render::breakdown_card(&breakdown, None, &workspace, workspace.locale).reply
    );

    let mut interaction = command(
        "indicators",
        &[("origin", "payments"), ("by", "operator")],
        "es-ES",
        Some(1),
    );
    interaction["data"]["options"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "top", "type": 4, "value": 1}));
    let (status, answer) = post(app.http(), &interaction).await;
    // Two groups beyond the top: the card comes with a CSV of every group, so it is
    // deferred and edited in as a multipart request.
    assert_eq!(
        (status, answer["type"].clone()),
        (200, json!(5)),
        "{answer}"
    );
    let top_one = build_breakdown(
        app.store(),
        BreakdownRequest {
            top: Some(1),
            ..request.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(top_one.groups.len(), 1);
    assert_eq!(top_one.others.as_ref().map(|o| o.current.resolved), Some(1));
    let every = build_breakdown(
        app.store(),
        BreakdownRequest {
            top: None,
            ..request
        },
    )
    .await
    .unwrap();
    let card = render::breakdown_card(
        &top_one,
        Some(&every),
        &workspace,
        pulso::config::Locale::Es,
    );
    let (name, csv) = card.csv.clone().expect("a CSV of every group");
    assert_eq!(
        csv.iter().filter(|&&b| b == b'\n').count(),
        1 + 3,
        "header and 3 groups"
    );
    let requests = app.discord().wait_for(1).await;
    let patch = &requests[0];
    assert_eq!(patch.method, "PATCH");
    assert!(
        patch.path.ends_with("/messages/@original"),
        "{}",
        patch.path
    );
    assert_eq!(patch.attachment.as_deref(), Some(name.as_str()));
    let expected = serde_json::to_value(render::discord::edit(card.reply)).unwrap();
    assert_eq!(patch.body["embeds"], expected["embeds"]);

    let reply = app
        .command("/inquiries status:resolved period:today operator:beto origin:payments")
        .await;
    let text = reply.to_text();
    assert!(!reply.ephemeral, "{text}");
    let list = pulso::service::inquiry_list(
        app.store(),
        "default",
        InquiryStatus::Resolved,
        &period,
        true,
        default_now(),
        &Filter {
            operator: vec!["beto".into()],
            ..filter
        },
    )
    .await
    .unwrap();
    assert_eq!(list.count, 1, "beto's one payment");
    assert_eq!(
        reply,
        render::inquiries_card(&list, &workspace, workspace.locale)
    );
    app.finish().await;
}

/// A filter of only commas, a `top` out of 1..=25 and a `top` without `by` get a private
/// error naming the option as the user's locale shows it.
async fn bad_filter_and_top_values_are_refused_naming_the_option(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    let spanish = Caller {
        locale: Some("es-ES"),
        ..Caller::default()
    };
    for (line, option) in [
        ("/indicators origin:\" , \"", "`origen`"),
        ("/inquiries status:pending canal:\",\"", "`canal`"),
        ("/indicators by:operator top:0", "`primeros`"),
        ("/indicators by:operator top:26", "`primeros`"),
        ("/indicators top:5", "`primeros`"),
    ] {
        let reply = app.command_as(line, spanish.clone()).await;
        let text = reply.to_text();
        assert!(reply.ephemeral, "{line}: {text}");
        assert!(text.contains(option), "{line}: {text}");
    }
    let reply = app.command("/indicators by:operator top:99").await;
    assert!(reply.to_text().contains("de 1 a 25"), "{}", reply.to_text());
    app.finish().await;
}
