//! What a command answers: unknown commands, the user's locale, bad options, guild to
//! workspace mapping, an unreachable database, console transcripts and the permission a
//! digest send needs, on SQLite and PostgreSQL. (A slow database: `deferred.rs`.)

use super::*;

crate::app_tests!(
    unknown_command_gets_a_private_error,
    replies_follow_the_users_locale,
    bad_options_get_clear_private_replies,
    guilds_map_to_their_workspace,
    unreachable_database_gets_a_clear_reply,
    console_transcript,
    digest_send_needs_manage_server,
    digest_send_on_the_console_says_it_prints_here,
    names_as_discord_shows_them_run_the_same_commands,
);

/// An unknown command gets a private answer in the user's language, never silence.
async fn unknown_command_gets_a_private_error(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    let (status, reply) = post(app.http(), &command("nope", &[], "en-GB", Some(1001))).await;
    assert_eq!((status, reply["type"].clone()), (200, json!(4)));
    assert_eq!(reply["data"]["flags"], 64, "ephemeral: {reply}");
    assert_eq!(
        reply["data"]["content"],
        "⚠️ I don't know the command /nope."
    );
    app.finish().await;
}

/// The reply follows the user's Discord locale (`es*` Spanish, `pt*` Portuguese, anything
/// else English), and the workspace's locale when the user's is unknown.
async fn replies_follow_the_users_locale(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    let title = |reply: pulso::render::Reply| reply.embed.unwrap().title;
    let mut invocation = Invocation {
        command: "indicators".into(),
        locale: Some("es-419".into()),
        ..Invocation::default()
    };
    assert_eq!(
        title(app.invoke(&invocation).await),
        "Indicadores de atención · Soporte"
    );
    invocation.locale = Some("en-US".into());
    assert_eq!(
        title(app.invoke(&invocation).await),
        "Customer service indicators · Soporte"
    );
    invocation.locale = None;
    assert_eq!(
        title(app.invoke(&invocation).await),
        "Indicadores de atención · Soporte"
    );
    let bad_date = |locale: &str| Invocation {
        options: vec![
            ("from".into(), "2026-02-30".into()),
            ("to".into(), "2026-03-01".into()),
        ],
        locale: Some(locale.into()),
        ..invocation.clone()
    };
    let reply = app.invoke(&bad_date("fr")).await;
    assert_eq!(
        reply.content.as_deref(),
        Some("⚠️ `from`: \"2026-02-30\" is not valid; write the date as YYYY-MM-DD.")
    );
    assert!(reply.ephemeral);
    let reply = app.invoke(&bad_date("pt-BR")).await;
    assert_eq!(
        reply.content.as_deref(),
        Some("⚠️ `de`: “2026-02-30” não é válido; escreva a data como AAAA-MM-DD.")
    );
    assert!(reply.ephemeral);
    app.finish().await;
}

/// Bad options get one clear private line each: reversed dates, over 366 days, period with
/// dates, half a range, a bad status.
async fn bad_options_get_clear_private_replies(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    let ask = |command: &str, options: &[(&str, &str)]| Invocation {
        command: command.into(),
        options: options
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        locale: Some("es-ES".into()),
        ..Invocation::default()
    };
    let cases = [
        (
            ask(
                "indicators",
                &[("from", "2026-03-10"), ("to", "2026-03-01")],
            ),
            "La fecha inicial 2026-03-10 es posterior a la final 2026-03-01; inviértelas.",
        ),
        (
            ask(
                "indicators",
                &[("from", "2025-01-01"), ("to", "2026-01-02")],
            ),
            "El período abarca 367 días; el máximo es 366.",
        ),
        (
            ask("indicators", &[("period", "today"), ("from", "2026-03-01")]),
            "Usa `periodo` o `desde` y `hasta`, no ambos.",
        ),
        (
            ask("indicators", &[("to", "2026-03-01")]),
            "Indica `desde` y `hasta` juntos (fechas AAAA-MM-DD).",
        ),
        (
            ask("indicators", &[("period", "forever")]),
            "`periodo`: «forever» no es válido; usa today, yesterday, last-7-days, last-30-days, this-month o last-month.",
        ),
        (ask("inquiries", &[]), "Falta la opción `estado`."),
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
    app.finish().await;
}

/// A guild that no workspace is bound to gets told so; each bound guild gets its workspace.
async fn guilds_map_to_their_workspace(db: TestDb) {
    let app = TestApp::spawn(db, guilds_config()).await;
    let ask = |guild: u64| Invocation {
        command: "indicators".into(),
        guild_id: Some(guild),
        locale: Some("en-US".into()),
        ..Invocation::default()
    };
    let reply = app.invoke(&ask(999)).await;
    assert!(reply.ephemeral);
    assert!(
        reply
            .content
            .unwrap()
            .contains("not linked to a pulso workspace")
    );
    assert_eq!(
        app.invoke(&ask(1001)).await.embed.unwrap().title,
        "Customer service indicators · Soporte"
    );
    assert_eq!(
        app.invoke(&ask(1002)).await.embed.unwrap().title,
        "Customer service indicators · Other"
    );
    app.finish().await;
}

/// With the database gone, the user gets a clear private message, not a timeout.
async fn unreachable_database_gets_a_clear_reply(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    app.store().close().await;
    let reply = app
        .invoke(&Invocation {
            command: "indicators".into(),
            locale: Some("es-AR".into()),
            ..Invocation::default()
        })
        .await;
    assert!(reply.ephemeral);
    assert!(
        reply
            .content
            .unwrap()
            .starts_with("⚠️ No pude leer la base de datos de consultas.")
    );
    app.finish().await;
}

/// A console session: help, both commands, a bad line, an error, in the workspace locale.
async fn console_transcript(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    seed(app.store()).await;
    let input = "/help\n\n/indicators period:today\n/inquiries status:resolved\nhello\n/inquiries status:pending period:\"last-7-days\"\n";
    let transcript = app.console(input).await;
    let expected_parts = [
        "Commands:\n  /indicators [period:today|yesterday|last-7-days|last-30-days|this-month|last-month] [from:…] [to:…]",
        "== Indicadores de atención · Soporte ==\n10 mar 2026 · 1 día · America/Argentina/Buenos_Aires",
        "  Consultas pendientes: 2 · ▲ 2",
        "  Consultas resueltas: 2 · ▲ 1",
        "  [Ver detalles · Pendientes] https://app.example.com/cs/pending",
        "== Consultas resueltas · Soporte ==",
        "commands start with '/'",
        "  Las más antiguas: 1. `p1` esperando 3 h 0 min · whatsapp · payments · 2. `p2` esperando 30 min · whatsapp · payments",
    ];
    for part in expected_parts {
        assert!(
            transcript.contains(part),
            "missing {part:?} in:\n{transcript}"
        );
    }
    let resolved_card = transcript
        .split("== Consultas resueltas")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    assert!(
        !resolved_card.contains("Ver detalles"),
        "resolved inquiries have no View details link:\n{resolved_card}"
    );
    app.finish().await;
}

/// `/digest preview` answers privately; `/digest send` needs Manage Server, checked by pulso
/// and not only by Discord, and then queues the digest for its channel.
async fn digest_send_needs_manage_server(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    seed(app.store()).await;
    let ask = |subcommand: &str, can_manage_guild: bool| Invocation {
        command: "digest".into(),
        subcommand: Some(subcommand.into()),
        locale: Some("en-US".into()),
        can_manage_guild,
        ..Invocation::default()
    };
    let preview = app.invoke(&ask("preview", false)).await;
    assert!(preview.ephemeral);
    assert_eq!(preview.embed.unwrap().title, "Resumen diario · Soporte");
    let refused = app.invoke(&ask("send", false)).await;
    assert_eq!(
        refused.content.as_deref(),
        Some("⚠️ You need the Manage Server permission to use this command.")
    );
    // Allowed, but this workspace has no digest channel on the http transport.
    let no_channel = app.invoke(&ask("send", true)).await;
    assert!(no_channel.content.unwrap().contains("digest.channel_id"));
    assert_eq!(app.store().outbox_counts().await.unwrap(), vec![]);
    app.finish().await;
}

/// On the console transport `/digest send` queues the digest for the terminal and says so,
/// never "posted in <#0>"; the next delivery prints it.
async fn digest_send_on_the_console_says_it_prints_here(db: TestDb) {
    let app = TestApp::spawn(db, bot_config().transport("console")).await;
    seed(app.store()).await;
    let transcript = app.console("/digest send\n").await;
    assert!(
        transcript.contains("✅ Resumen en cola; se imprimirá aquí en menos de un minuto."),
        "{transcript}"
    );
    assert!(!transcript.contains("<#"), "{transcript}");
    let delivered = app.deliver().await;
    assert_eq!(delivered.sent, 1, "{delivered:?}");
    app.finish().await;
}

/// The names Discord shows a Spanish or Portuguese user (`/indicadores periodo:`,
/// `/consultas estado:`, `/alertas estado`, `/resumo prévia`) are accepted too, on the
/// console and from any client that sends them, and answer exactly what the default names do.
async fn names_as_discord_shows_them_run_the_same_commands(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    seed(app.store()).await;
    let pairs = [
        (
            "/indicadores periodo:yesterday",
            "/indicators period:yesterday",
        ),
        (
            "/indicadores desde:2026-03-01 hasta:2026-03-09",
            "/indicators from:2026-03-01 to:2026-03-09",
        ),
        ("/consultas estado:resolved", "/inquiries status:resolved"),
        (
            "/consultas situação:pending período:today",
            "/inquiries status:pending period:today",
        ),
        ("/alertas estado", "/alerts status"),
        ("/resumo prévia", "/digest preview"),
    ];
    for (localized, default) in pairs {
        let (localized_reply, default_reply) =
            (app.command(localized).await, app.command(default).await);
        assert!(
            !localized_reply
                .content
                .as_deref()
                .unwrap_or_default()
                .starts_with('⚠'),
            "{localized}: {localized_reply:?}"
        );
        assert_eq!(
            format!("{localized_reply:?}"),
            format!("{default_reply:?}"),
            "{localized}"
        );
    }
    let twice = app
        .command("/indicators period:today periodo:yesterday")
        .await;
    assert_eq!(
        twice.content.as_deref(),
        Some("⚠️ La opción `periodo` aparece más de una vez; indícala una sola vez."),
        "one option under two names is still given twice"
    );
    app.finish().await;
}
