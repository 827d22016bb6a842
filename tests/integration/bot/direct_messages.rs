//! Nothing answered outside its server: a command from a direct message (no `guild_id`) is
//! refused privately, in the user's language, on the http endpoint and on the gateway,
//! even with a single workspace that answers every server; a button pressed there too.

use super::*;

crate::app_tests!(
    a_direct_message_over_http_is_refused_privately,
    a_direct_message_over_the_gateway_is_refused_privately,
);

async fn a_direct_message_over_http_is_refused_privately(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    seed(app.store()).await;
    let address = app.http();
    for (locale, text) in [
        (
            "es-ES",
            "⚠️ pulso responde en el servidor cuyo espacio de trabajo vigila, no en mensajes directos: usa el comando en ese servidor.",
        ),
        (
            "en-US",
            "⚠️ pulso answers in the server whose workspace it watches, not in direct messages: use the command in that server.",
        ),
    ] {
        let (status, reply) = post(address, &command("indicators", &[], locale, None)).await;
        assert_eq!(status, 200);
        assert_eq!(reply["type"], 4, "{reply}");
        assert_eq!(reply["data"]["flags"], 64, "private");
        assert_eq!(reply["data"]["content"], text);
        assert!(
            reply["data"]["embeds"].as_array().is_none_or(Vec::is_empty),
            "no figures"
        );
    }
    // The same command from a server is answered.
    let (_, reply) = post(address, &command("indicators", &[], "es-ES", Some(1001))).await;
    assert!(reply["data"]["embeds"][0]["title"].is_string(), "{reply}");
    app.finish().await;
}

async fn a_direct_message_over_the_gateway_is_refused_privately(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config().transport("gateway")).await;
    seed(app.store()).await;
    let gateway = super::gateway::connect_to_fake_gateway(&mut app).await;
    gateway.dispatch(
        "INTERACTION_CREATE",
        command("indicators", &[("period", "today")], "pt-BR", None),
    );
    let callback = super::gateway::first_callback(app.discord(), &gateway).await;
    assert_eq!(callback.body["type"], 4, "{}", callback.body);
    assert_eq!(callback.body["data"]["flags"], 64);
    assert_eq!(
        callback.body["data"]["content"],
        "⚠️ O pulso responde no servidor cujo espaço de trabalho ele acompanha, não em mensagens diretas: use o comando nesse servidor."
    );
    app.finish().await;
}
