//! What a command answers: unknown commands, the user's locale, bad options, guild to
//! workspace mapping, a slow or unreachable database (deferred, then edited), console
//! transcripts and the permission a digest send needs.

use super::*;

/// An unknown command gets a private answer in the user's language, never silence.
#[tokio::test]
async fn unknown_command_gets_a_private_error() {
    let db = TestDb::sqlite().await;
    let (address, shutdown) = spawn_endpoint(
        context(&db, config(&db, "http://127.0.0.1:9", false)),
        Duration::from_secs(2),
    )
    .await;
    let (status, reply) = post(address, &command("nope", &[], "en-GB", None)).await;
    assert_eq!((status, reply["type"].clone()), (200, json!(4)));
    assert_eq!(reply["data"]["flags"], 64, "ephemeral: {reply}");
    assert_eq!(
        reply["data"]["content"],
        "⚠️ I don't know the command /nope."
    );
    shutdown.cancel();
    db.finish().await;
}

/// The reply follows the user's Discord locale (`es*` Spanish, `pt*` Portuguese, anything
/// else English), and the workspace's locale when the user's is unknown.
#[tokio::test]
async fn replies_follow_the_users_locale() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let title = |reply: pulso::render::Reply| reply.embed.unwrap().title;
    let mut invocation = Invocation {
        command: "indicators".into(),
        locale: Some("es-419".into()),
        ..Invocation::default()
    };
    assert_eq!(
        title(handle(&ctx, &invocation).await),
        "Indicadores de atención · Soporte"
    );
    invocation.locale = Some("en-US".into());
    assert_eq!(
        title(handle(&ctx, &invocation).await),
        "Customer service indicators · Soporte"
    );
    invocation.locale = None;
    assert_eq!(
        title(handle(&ctx, &invocation).await),
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
    let reply = handle(&ctx, &bad_date("fr")).await;
    assert_eq!(
        reply.content.as_deref(),
        Some("⚠️ `from`: \"2026-02-30\" is not valid; write the date as YYYY-MM-DD.")
    );
    assert!(reply.ephemeral);
    let reply = handle(&ctx, &bad_date("pt-BR")).await;
    assert_eq!(
        reply.content.as_deref(),
        Some("⚠️ `from`: “2026-02-30” não é válido; escreva a data como AAAA-MM-DD.")
    );
    assert!(reply.ephemeral);
    db.finish().await;
}

/// Bad options get one clear private line each: reversed dates, over 366 days, period with
/// dates, half a range, a bad status.
#[tokio::test]
async fn bad_options_get_clear_private_replies() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
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
            "Usa `period` o `from` y `to`, no ambos.",
        ),
        (
            ask("indicators", &[("to", "2026-03-01")]),
            "Indica `from` y `to` juntos (fechas AAAA-MM-DD).",
        ),
        (
            ask("indicators", &[("period", "forever")]),
            "`period`: «forever» no es válido; usa today, yesterday, last-7-days, last-30-days, this-month o last-month.",
        ),
        (ask("inquiries", &[]), "Falta la opción `status`."),
    ];
    for (invocation, expected) in cases {
        let reply = handle(&ctx, &invocation).await;
        assert!(reply.ephemeral, "{invocation:?}");
        assert_eq!(
            reply.content.as_deref(),
            Some(format!("⚠️ {expected}").as_str()),
            "{invocation:?}"
        );
    }
    db.finish().await;
}

/// A guild that no workspace is bound to gets told so; each bound guild gets its workspace.
#[tokio::test]
async fn guilds_map_to_their_workspace() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", true));
    let ask = |guild: u64| Invocation {
        command: "indicators".into(),
        guild_id: Some(guild),
        locale: Some("en-US".into()),
        ..Invocation::default()
    };
    let reply = handle(&ctx, &ask(999)).await;
    assert!(reply.ephemeral);
    assert!(
        reply
            .content
            .unwrap()
            .contains("not linked to a pulso workspace")
    );
    assert_eq!(
        handle(&ctx, &ask(1001)).await.embed.unwrap().title,
        "Customer service indicators · Soporte"
    );
    assert_eq!(
        handle(&ctx, &ask(1002)).await.embed.unwrap().title,
        "Customer service indicators · Other"
    );
    db.finish().await;
}

/// With the database gone, the user gets a clear private message, not a timeout.
#[tokio::test]
async fn unreachable_database_gets_a_clear_reply() {
    let db = TestDb::sqlite().await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    db.store.close().await;
    let reply = handle(
        &ctx,
        &Invocation {
            command: "indicators".into(),
            locale: Some("es-AR".into()),
            ..Invocation::default()
        },
    )
    .await;
    assert!(reply.ephemeral);
    assert!(
        reply
            .content
            .unwrap()
            .starts_with("⚠️ No pude leer la base de datos de consultas.")
    );
    db.finish().await;
}

/// Checks out every connection of the (SQLite) pool, so commands wait for the database:
/// a real "slow database" without sleeping in production code.
async fn hold_every_connection(
    store: &pulso::store::Store,
) -> Vec<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
    let pulso::store::Pool::Sqlite(pool) = store.pool() else {
        panic!("SQLite only")
    };
    let mut held = Vec::new();
    while let Ok(Ok(connection)) =
        tokio::time::timeout(Duration::from_millis(200), pool.acquire()).await
    {
        held.push(connection);
    }
    assert!(!held.is_empty());
    held
}

/// A command slower than the deferral threshold answers "thinking…" (type 5) and the real
/// answer is PATCHed into the original message through the REST API.
#[tokio::test]
async fn slow_answer_is_deferred_then_patched_into_the_original_message() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let discord = FakeDiscord::start().await;
    let (address, shutdown) = spawn_endpoint(
        context(&db, config(&db, &discord.base, false)),
        Duration::from_millis(100),
    )
    .await;
    let held = hold_every_connection(&db.store).await;
    let (status, reply) = post(
        address,
        &command("inquiries", &[("status", "pending")], "en-US", None),
    )
    .await;
    assert_eq!((status, reply["type"].clone()), (200, json!(5)), "{reply}");
    assert!(
        discord.requests().is_empty(),
        "nothing is sent while the database is busy"
    );
    drop(held);
    let requests = discord.wait_for(1).await;
    let patch = &requests[0];
    assert_eq!(patch.method, "PATCH");
    assert_eq!(
        patch.path,
        format!("/api/v10/webhooks/{APP_ID}/interaction-token-1/messages/@original")
    );
    assert_eq!(patch.headers["authorization"], format!("Bot {TOKEN}"));
    assert_eq!(patch.headers["content-type"], "application/json");
    let embed = &patch.body["embeds"][0];
    assert_eq!(embed["title"], "Pending inquiries · Soporte");
    assert_eq!(field(embed, "Total"), "**2**");
    let oldest = field(embed, "Oldest");
    assert!(oldest.starts_with("1. `p1` waiting 3 h 0 min"), "{oldest}");
    assert!(oldest.contains("2. `p2` waiting 30 min"), "{oldest}");
    assert_eq!(
        buttons(&patch.body),
        vec![(
            "View details · Pending".to_string(),
            "https://app.example.com/cs/pending".to_string()
        )]
    );
    shutdown.cancel();
    db.finish().await;
}

/// A database too slow even for a deferred answer ends in a private "try again" for the
/// user: the public "thinking…" message is deleted and the error sent as an ephemeral
/// follow-up.
#[tokio::test]
async fn too_slow_database_ends_in_a_private_error_after_deferring() {
    let db = TestDb::sqlite().await;
    let discord = FakeDiscord::start().await;
    let mut ctx = context(&db, config(&db, &discord.base, false));
    ctx.command_timeout = Duration::from_millis(400);
    let (address, shutdown) = spawn_endpoint(ctx, Duration::from_millis(100)).await;
    let held = hold_every_connection(&db.store).await;
    let (_, reply) = post(address, &command("indicators", &[], "es-419", None)).await;
    assert_eq!(reply["type"], 5);
    let requests = discord.wait_for(2).await;
    drop(held);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        (
            "DELETE",
            format!("/api/v10/webhooks/{APP_ID}/interaction-token-1/messages/@original").as_str()
        )
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        (
            "POST",
            format!("/api/v10/webhooks/{APP_ID}/interaction-token-1").as_str()
        )
    );
    assert_eq!(requests[1].body["flags"], 64);
    assert_eq!(
        requests[1].body["content"],
        "⚠️ La base de datos está tardando demasiado en responder. Intenta de nuevo en unos minutos."
    );
    shutdown.cancel();
    db.finish().await;
}

/// A console session: help, both commands, a bad line, an error, in the workspace locale.
#[tokio::test]
async fn console_transcript() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let input = "/help\n\n/indicators period:today\n/inquiries status:resolved\nhello\n/inquiries status:pending period:\"last-7-days\"\n";
    let mut output = Vec::new();
    console::run(
        &ctx,
        None,
        input.as_bytes(),
        &mut output,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let transcript = String::from_utf8(output).unwrap();
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
    db.finish().await;
}

/// `/digest preview` answers privately; `/digest send` needs Manage Server, checked by pulso
/// and not only by Discord, and then queues the digest for its channel.
#[tokio::test]
async fn digest_send_needs_manage_server() {
    let db = TestDb::sqlite().await;
    seed(&db).await;
    let ctx = context(&db, config(&db, "http://127.0.0.1:9", false));
    let ask = |subcommand: &str, can_manage_guild: bool| Invocation {
        command: "digest".into(),
        subcommand: Some(subcommand.into()),
        locale: Some("en-US".into()),
        can_manage_guild,
        ..Invocation::default()
    };
    let preview = handle(&ctx, &ask("preview", false)).await;
    assert!(preview.ephemeral);
    assert_eq!(preview.embed.unwrap().title, "Resumen diario · Soporte");
    let refused = handle(&ctx, &ask("send", false)).await;
    assert_eq!(
        refused.content.as_deref(),
        Some("⚠️ You need the Manage Server permission to use this command.")
    );
    // Allowed, but this workspace has no digest channel on the http transport.
    let no_channel = handle(&ctx, &ask("send", true)).await;
    assert!(no_channel.content.unwrap().contains("digest.channel_id"));
    assert_eq!(db.store.outbox_counts().await.unwrap(), vec![]);
    db.finish().await;
}
