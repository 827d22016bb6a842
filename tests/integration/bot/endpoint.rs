//! The HTTP interactions endpoint of the running app as Discord reaches it: signed
//! requests answered, bad signatures and bodies refused, and `pulso run` serving it end to
//! end until SIGTERM, on SQLite and PostgreSQL.

use chrono::Utc;
use pulso::bot::http::MAX_BODY;

use super::*;
use crate::harness::{free_port, wait_for_http};

crate::app_tests!(
    signed_indicators_command_answers_inline_with_the_report_figures,
    ping_gets_pong,
    unverifiable_requests_are_refused,
    malformed_json_is_a_bad_request,
    pulso_run_http_answers_like_pulso_indicators_and_stops_on_sigterm,
);

/// A signed /indicators answers inline (type 4) with the same figures as the report, and
/// "View details" links for pending, in progress and expired only.
async fn signed_indicators_command_answers_inline_with_the_report_figures(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    seed(app.store()).await;
    let (status, reply) = post(
        app.http(),
        &command("indicators", &[("period", "today")], "es-ES", Some(1)),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["type"], 4);
    let embed = &reply["data"]["embeds"][0];
    assert_eq!(embed["title"], "Indicadores de atención · Soporte");
    let report = today_report(app.store()).await;
    assert!(
        field(embed, "Consultas pendientes")
            .starts_with(&format!("**{}**", report.current.pending))
    );
    assert!(
        field(embed, "Consultas en progreso").starts_with(&format!("**{}**", report.in_progress))
    );
    assert!(
        field(embed, "Consultas resueltas")
            .starts_with(&format!("**{}**", report.current.resolved))
    );
    assert!(
        field(embed, "Consultas expiradas").starts_with(&format!("**{}**", report.current.expired))
    );
    // Attended today: r1 after 4 min, ip1 after 5, r2 after 8.
    assert!((report.current.avg_attention_min.unwrap() - 17.0 / 3.0).abs() < 1e-9);
    assert!(
        field(embed, "Promedio de atención").starts_with("**5,7 min**"),
        "{}",
        field(embed, "Promedio de atención")
    );
    assert!(field(embed, "Puntaje NPS").starts_with("**0,0**"));
    assert!(field(embed, "Puntaje CSAT").starts_with("**100,0**"));
    let links = buttons(&reply["data"]);
    assert_eq!(
        links,
        vec![
            (
                "Ver detalles · Pendientes".to_string(),
                "https://app.example.com/cs/pending".to_string()
            ),
            (
                "Ver detalles · En progreso".to_string(),
                "https://app.example.com/cs/in-progress".to_string()
            ),
            (
                "Ver detalles · Expiradas".to_string(),
                "https://app.example.com/cs/expired".to_string()
            ),
        ],
        "no link for resolved inquiries"
    );
    assert!(
        app.discord().requests().is_empty(),
        "an inline answer calls no Discord API"
    );
    app.finish().await;
}

/// PING gets PONG, as Discord requires before it accepts the endpoint URL.
async fn ping_gets_pong(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    let ping = json!({"type": 1, "id": "1", "application_id": APP_ID.to_string(), "token": "t", "version": 1});
    let (status, reply) = post(app.http(), &ping).await;
    assert_eq!((status, reply["type"].clone()), (200, json!(1)));
    app.finish().await;
}

/// Requests that are not provably from Discord are refused before they are parsed: a body
/// changed after signing, missing headers, a stale timestamp, an oversized body.
async fn unverifiable_requests_are_refused(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    let address = app.http();
    let body = serde_json::to_vec(&command("indicators", &[], "en-US", Some(1001))).unwrap();
    let timestamp = default_now().timestamp();
    let signature = sign(&body, timestamp);

    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    assert_eq!(
        post_raw(address, tampered, timestamp, Some(signature.clone()))
            .await
            .0,
        401,
        "tampered body"
    );
    assert_eq!(
        post_raw(address, body.clone(), timestamp, None).await.0,
        401,
        "missing signature"
    );
    assert_eq!(
        post_raw(address, body.clone(), timestamp + 1, Some(signature))
            .await
            .0,
        401,
        "signature of another timestamp"
    );

    let stale = timestamp - 301;
    let (status, reply) = post_raw(address, body.clone(), stale, Some(sign(&body, stale))).await;
    assert_eq!(status, 401, "stale timestamp: {reply}");
    let recent = timestamp - 299;
    assert_eq!(
        post_raw(address, body.clone(), recent, Some(sign(&body, recent)))
            .await
            .0,
        200,
        "within five minutes"
    );

    let huge = vec![b' '; MAX_BODY + 1];
    let signature = sign(&huge, timestamp);
    assert_eq!(
        post_raw(address, huge, timestamp, Some(signature)).await.0,
        413,
        "body over 64 KiB"
    );
    app.finish().await;
}

/// A correctly signed body that is not an interaction gets 400, not a crash.
async fn malformed_json_is_a_bad_request(db: TestDb) {
    let mut app = TestApp::spawn(db, bot_config()).await;
    let body = b"{\"type\": 2, \"data\": ".to_vec();
    let timestamp = default_now().timestamp();
    let (status, reply) = post_raw(
        app.http(),
        body.clone(),
        timestamp,
        Some(sign(&body, timestamp)),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(reply["error"], "body is not a valid interaction");
    app.finish().await;
}

/// The whole path: `pulso run` in http mode, on the database under test, answers a signed
/// /indicators with an embed whose numbers equal `pulso indicators --format json` for the
/// same period, and SIGTERM stops it cleanly. It listens on a port picked beforehand
/// ([`free_port`]) and is found by [`wait_for_http`], not in its logs.
async fn pulso_run_http_answers_like_pulso_indicators_and_stops_on_sigterm(db: TestDb) {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = ConfigBuilder::with([WorkspaceConfig::new("default", "Soporte")
        .timezone("America/Santiago")
        .locale("es")])
    .listen(&format!("127.0.0.1:{port}"))
    .toml("http://127.0.0.1:9", "http://127.0.0.1:9");
    std::fs::write(dir.path().join("pulso.toml"), config).unwrap();
    std::fs::write(
        dir.path().join("inquiries.csv"),
        "id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at\n\
         a,default,whatsapp,payments,resolved,op,2026-03-02T12:00:00Z,2026-03-02T12:07:00Z,2026-03-02T12:30:00Z,\n\
         b,default,whatsapp,claims,resolved,op,2026-03-03T12:00:00Z,2026-03-03T12:02:00Z,2026-03-03T13:00:00Z,\n\
         c,default,whatsapp,claims,pending,,2026-03-04T12:00:00Z,,,\n\
         d,default,whatsapp,claims,expired,,2026-03-04T12:00:00Z,,,2026-03-04T18:00:00Z\n\
         e,default,whatsapp,claims,in_progress,op,2026-03-05T12:00:00Z,2026-03-05T12:01:00Z,,\n",
    )
    .unwrap();
    let pulso = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_pulso"))
            .current_dir(dir.path())
            .env_remove("PULSO_CONFIG")
            .env_remove("PULSO_DISCORD_TOKEN")
            .env("PULSO_DATABASE_URL", &db.url)
            .args(["--config", "pulso.toml"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    pulso(&["import", "--inquiries", "inquiries.csv"]);
    let json: Value = serde_json::from_str(&pulso(&[
        "indicators",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-07",
        "--format",
        "json",
    ]))
    .unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir.path())
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DISCORD_TOKEN")
        .env("PULSO_DATABASE_URL", &db.url)
        .args(["--config", "pulso.toml", "run"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    wait_for_http(address, &mut child).await;
    let body = serde_json::to_vec(&command(
        "indicators",
        &[("from", "2026-03-01"), ("to", "2026-03-07")],
        "en-US",
        Some(31),
    ))
    .unwrap();
    let timestamp = Utc::now().timestamp();
    let (status, reply) = post_raw(
        address,
        body.clone(),
        timestamp,
        Some(sign(&body, timestamp)),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let embed = &reply["data"]["embeds"][0];
    let number = |name: &str| field(embed, name).split("**").nth(1).unwrap().to_string();
    assert_eq!(number("Pending inquiries"), json["pending"].to_string());
    assert_eq!(
        number("Inquiries in progress"),
        json["in_progress"].to_string()
    );
    assert_eq!(number("Resolved inquiries"), json["resolved"].to_string());
    assert_eq!(number("Expired inquiries"), json["expired"].to_string());
    let minutes = |key: &str| format!("{:.1} min", json[key].as_f64().unwrap());
    assert_eq!(number("Average attention"), minutes("avg_attention_min"));
    assert_eq!(number("Average resolution"), minutes("avg_resolution_min"));
    assert_eq!(
        number("Average attention + resolution"),
        minutes("avg_attention_resolution_min")
    );
    assert_eq!(json["resolved"], 2);

    let started = std::time::Instant::now();
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    assert!(started.elapsed() < Duration::from_secs(10));
    db.finish().await;
}
