//! Slash-command registration with the app's Discord settings against its fake Discord:
//! one localized bulk PUT, and a clear error without a token.

use pulso::bot::discord;

use super::*;

crate::app_tests!(
    commands_are_registered_with_one_localized_bulk_put,
    registration_without_token_names_the_variable,
);

/// `register-commands` sends one bulk PUT with every command, localized to es-ES, es-419
/// and pt-BR: command, subcommand, option and choice names too (interactions still carry
/// the default names, which is what pulso dispatches on).
async fn commands_are_registered_with_one_localized_bulk_put(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    let settings = &app.config().discord;
    discord::register_commands(settings, Some(77))
        .await
        .unwrap();
    discord::register_commands(settings, None).await.unwrap();
    let requests = app.discord().requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        (
            "PUT",
            format!("/api/v10/applications/{APP_ID}/guilds/77/commands").as_str()
        )
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        (
            "PUT",
            format!("/api/v10/applications/{APP_ID}/commands").as_str()
        )
    );
    assert_eq!(requests[0].headers["authorization"], format!("Bot {TOKEN}"));
    let commands = requests[0].body.as_array().unwrap();
    for command in commands {
        assert_eq!(
            command["dm_permission"], false,
            "guild contexts only: {command}"
        );
    }
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "indicators",
            "inquiries",
            "digest",
            "balance",
            "whatsapp",
            "alerts"
        ]
    );
    let digest = &commands[2];
    let subcommands: Vec<(&str, i64)> = digest["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap(), o["type"].as_i64().unwrap()))
        .collect();
    assert_eq!(subcommands, [("preview", 1), ("send", 1)]);
    assert_eq!(
        digest["options"][1]["description_localizations"]["es-419"],
        "Publicar el resumen en su canal ahora (Gestionar servidor)"
    );
    let indicators = &commands[0];
    assert_eq!(
        indicators["description"],
        "Customer service indicators for a period"
    );
    assert_eq!(
        indicators["description_localizations"]["es-ES"],
        "Indicadores de atención al cliente de un período"
    );
    assert_eq!(
        indicators["description_localizations"]["es-419"],
        "Indicadores de atención al cliente de un período"
    );
    let period = &indicators["options"][0];
    assert_eq!(period["name"], "period");
    assert_eq!(period["choices"][2]["value"], "last-7-days");
    assert_eq!(
        period["choices"][2]["name_localizations"]["es-419"],
        "Últimos 7 días"
    );
    // Brazilian Portuguese: names, descriptions and choices; options keep their names.
    let localized_names: Vec<(&str, &str)> = commands
        .iter()
        .map(|c| {
            (
                c["name_localizations"]["pt-BR"].as_str().unwrap(),
                c["name_localizations"]["es-419"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        localized_names,
        [
            ("indicadores", "indicadores"),
            ("consultas", "consultas"),
            ("resumo", "resumen"),
            ("saldo", "saldo"),
            ("whatsapp", "whatsapp"),
            ("alertas", "alertas"),
        ]
    );
    assert_eq!(
        indicators["description_localizations"]["pt-BR"],
        "Indicadores de atendimento ao cliente de um período"
    );
    assert_eq!(
        period["description_localizations"]["pt-BR"],
        "Período (padrão: hoje)"
    );
    assert_eq!(
        period["choices"][2]["name_localizations"]["pt-BR"],
        "Últimos 7 dias"
    );
    assert_eq!(period["name"], "period", "{period}");
    assert_eq!(
        period["name_localizations"],
        json!({"es-ES": "periodo", "es-419": "periodo", "pt-BR": "período"})
    );
    assert_eq!(
        digest["options"][1]["description_localizations"]["pt-BR"],
        "Publicar o resumo no canal configurado agora (Gerenciar servidor)"
    );
    let mute = &commands[5]["options"][0];
    assert_eq!(mute["name"], "mute");
    assert_eq!(mute["name_localizations"]["es-ES"], "silenciar");
    assert_eq!(mute["name_localizations"]["pt-BR"], "silenciar");
    assert_eq!(
        mute["options"][0]["name_localizations"]["es-419"],
        "duración"
    );
    assert_eq!(
        mute["options"][0]["description_localizations"]["pt-BR"],
        "Por quanto tempo, ex.: 2h, 1d (padrão 24h, no máximo 30d)"
    );
    let status = &commands[1]["options"][0];
    assert_eq!(
        status["choices"][1]["name_localizations"]["pt-BR"],
        "Em andamento"
    );
    assert_eq!(
        (status["name"].clone(), status["required"].clone()),
        (json!("status"), json!(true))
    );
    assert_eq!(status["name_localizations"]["pt-BR"], "situação");
    app.finish().await;
}

/// Registration without a token fails with a message naming the variable, before any call.
async fn registration_without_token_names_the_variable(db: TestDb) {
    let app = TestApp::spawn(db, bot_config()).await;
    let mut settings = app.config().discord.clone();
    settings.token = None;
    let error = discord::register_commands(&settings, None)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "registering commands needs the bot token in PULSO_DISCORD_TOKEN"
    );
    assert!(app.discord().requests().is_empty(), "no call was made");
    app.finish().await;
}
