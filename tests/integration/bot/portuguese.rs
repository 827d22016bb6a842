//! Brazilian Portuguese end to end (a `locale = "pt"` workspace on the console, a `pt-BR`
//! Discord user through the signed endpoint), and options checked against each command's
//! declaration: unknown, misspelled or repeated options and unknown subcommands get a
//! private answer naming them, on both backends.

use super::*;

crate::app_tests!(
    portuguese_console_transcript,
    pt_br_user_gets_portuguese_through_the_endpoint,
    unknown_options_and_subcommands_are_refused_by_name,
);

/// The bot config with its workspace in Brazilian Portuguese.
fn portuguese_config() -> ConfigBuilder {
    ConfigBuilder::with([soporte().locale("pt")])
}

/// A console on a `locale = "pt"` workspace answers cards and errors in Portuguese, with
/// Brazilian dates and number formats and "1 dia" for a one-day period.
async fn portuguese_console_transcript(db: TestDb) {
    let app = TestApp::spawn(db, portuguese_config()).await;
    assert_eq!(app.config().workspaces[0].locale, pulso::config::Locale::Pt);
    seed(app.store()).await;
    let input = "/indicators period:today\n/inquiries status:pending\n/indicators colour:red\n\
                 /indicators perod:today\n/digest\n/alerts mutar\n";
    let transcript = app.console(input).await;
    let expected_parts = [
        "== Indicadores de atendimento · Soporte ==\n10 de mar. de 2026 · 1 dia · America/Argentina/Buenos_Aires",
        "  Consultas pendentes: 2 · ▲ 2",
        "  Consultas resolvidas: 2 · ▲ 1",
        "  Consultas em andamento: 1 · agora",
        "  Pontuação NPS: 0,0 · 2 resp. · —",
        "Taxa de expiração: ",
        "▲▼ vs. período anterior",
        "  [Ver detalhes · Pendentes] https://app.example.com/cs/pending",
        "== Consultas pendentes · Soporte ==",
        "  As mais antigas: 1. `p1` aguardando 3 h 0 min · whatsapp · payments · 2. `p2` aguardando 30 min · whatsapp · payments",
        "⚠️ /indicators não tem a opção `colour`. Opções: `período`, `de`, `até`, `operador`, `origem`, `canal`, `divisão`, `primeiros`.",
        "⚠️ /indicators não tem a opção `perod`; você quis dizer `período`? Opções: `período`, `de`, `até`, `operador`, `origem`, `canal`, `divisão`, `primeiros`.",
        "⚠️ /digest precisa de um subcomando: `prévia`, `enviar`.",
        "⚠️ /alerts não tem o subcomando `mutar`; você quis dizer `silenciar`? Subcomandos: `silenciar`, `reativar`, `situação`, `confirmar`, `adiar`.",
    ];
    for part in expected_parts {
        assert!(
            transcript.contains(part),
            "missing {part:?} in:\n{transcript}"
        );
    }
    let average = transcript
        .lines()
        .find(|line| line.starts_with("  Média de atendimento: "))
        .unwrap_or_else(|| panic!("no average attention in:\n{transcript}"));
    assert!(average.contains(" min · mediana "), "{average}");
    assert!(
        !average.contains('.'),
        "Brazilian decimals use a comma: {average}"
    );
    app.finish().await;
}

/// A Discord user with locale `pt-BR` gets the Spanish workspace's card in Portuguese
/// through the real signed endpoint, and a private Portuguese error for a bad option.
async fn pt_br_user_gets_portuguese_through_the_endpoint(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    seed(app.store()).await;
    let address = app.http();
    let (status, reply) = post(address, &command("indicators", &[], "pt-BR", Some(1001))).await;
    assert_eq!((status, reply["type"].clone()), (200, json!(4)), "{reply}");
    let data = &reply["data"];
    let embed = &data["embeds"][0];
    assert_eq!(embed["title"], "Indicadores de atendimento · Soporte");
    assert_eq!(
        embed["description"],
        "10 de mar. de 2026 · 1 dia · America/Argentina/Buenos_Aires"
    );
    assert_eq!(field(embed, "Consultas pendentes"), "**2**\n▲ 2");
    assert_eq!(field(embed, "Consultas expiradas"), "**1**\n▲ 1");
    assert!(field(embed, "Média de resolução").contains("mediana"));
    assert_eq!(
        buttons(data),
        [
            (
                "Ver detalhes · Pendentes",
                "https://app.example.com/cs/pending"
            ),
            (
                "Ver detalhes · Em andamento",
                "https://app.example.com/cs/in-progress"
            ),
            (
                "Ver detalhes · Expiradas",
                "https://app.example.com/cs/expired"
            ),
        ]
        .map(|(label, url)| (label.to_string(), url.to_string()))
    );
    let (_, reply) = post(
        address,
        &command("inquiries", &[("statu", "pending")], "pt-BR", Some(1001)),
    )
    .await;
    assert_eq!(reply["data"]["flags"], 64, "private: {reply}");
    assert_eq!(
        reply["data"]["content"],
        "⚠️ /inquiries não tem a opção `statu`; você quis dizer `situação`? Opções: `situação`, `período`, `operador`, `origem`, `canal`."
    );
    app.finish().await;
}

/// Through the handler: an unknown option lists the known ones (nearest first when it is a
/// typo), a repeated option and an unknown subcommand are refused, in the user's language;
/// nothing runs against the database for any of them.
async fn unknown_options_and_subcommands_are_refused_by_name(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    let ask = |locale: &str, command: &str, subcommand: Option<&str>, options: &[(&str, &str)]| {
        Invocation {
            command: command.into(),
            subcommand: subcommand.map(str::to_string),
            options: options
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            locale: Some(locale.into()),
            can_manage_guild: true,
            ..Invocation::default()
        }
    };
    let cases = [
        (
            ask("en-US", "indicators", None, &[("colour", "red")]),
            "/indicators has no option `colour`. Its options: `period`, `from`, `to`, `operator`, `origin`, `channel`, `by`, `top`.",
        ),
        (
            ask("es-419", "indicators", None, &[("periodp", "today")]),
            "/indicators no tiene la opción `periodp`; ¿quisiste decir `periodo`? Opciones: `periodo`, `desde`, `hasta`, `operador`, `origen`, `canal`, `desglose`, `primeros`.",
        ),
        (
            ask(
                "en-GB",
                "indicators",
                None,
                &[("period", "today"), ("period", "yesterday")],
            ),
            "The option `period` is given more than once; give it once.",
        ),
        (
            ask("es-ES", "balance", None, &[("period", "today")]),
            "/balance no tiene opciones (recibí `period`).",
        ),
        (
            ask("en-US", "alerts", Some("mute"), &[("durration", "2h")]),
            "/alerts mute has no option `durration`; did you mean `duration`? Its options: `duration`, `rule`.",
        ),
        (
            ask("en-US", "digest", Some("sned"), &[]),
            "/digest has no subcommand `sned`; did you mean `send`? Its subcommands: `preview`, `send`.",
        ),
        (
            ask("pt-BR", "alerts", Some("silence"), &[]),
            "/alerts não tem o subcomando `silence`. Subcomandos: `silenciar`, `reativar`, `situação`, `confirmar`, `adiar`.",
        ),
    ];
    for (invocation, expected) in cases {
        let reply = app.invoke(&invocation).await;
        assert!(reply.ephemeral, "{invocation:?}");
        assert_eq!(
            reply.content.as_deref(),
            Some(format!("⚠️ {expected}").as_str()),
            "{invocation:?}"
        );
    }
    assert_eq!(app.store().outbox_counts().await.unwrap(), vec![]);
    app.finish().await;
}
