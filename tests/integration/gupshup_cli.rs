//! `pulso balance --check` end to end: the real binary against a fake Gupshup and a fake
//! Discord, the key only in the child's environment.

use crate::fake_discord::FakeDiscord;
use crate::fake_gupshup::{Answer, FakeGupshup};
use crate::gupshup::KEY;

/// The "done when": 120 → 40 → 40 → 45 → 70 through five `pulso balance --check`
/// runs posts exactly one low alert and one resolved message, and no secret leaks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_checks_post_one_alert_and_one_resolved_message() {
    let gupshup = FakeGupshup::start().await;
    let discord = FakeDiscord::start().await;
    gupshup.script([120.0, 40.0, 40.0, 45.0, 70.0].map(Answer::balance));
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[database]\nurl = \"sqlite://{}\"\n[discord]\ntransport = \"http\"\napplication_id = 1\npublic_key = \"{}\"\n\
         api_base = \"{}\"\n[[workspaces]]\nid = \"w\"\nname = \"Equipo\"\ntimezone = \"UTC\"\nlocale = \"en\"\n\
         alerts_channel_id = \"555\"\nwhatsapp = {{ provider = \"gupshup\" }}\n\
         gupshup = {{ api_key_env = \"PULSO_TEST_GUPSHUP_KEY\", base_url = \"{}\" }}\n",
        dir.path().join("pulso.db").display(),
        "ab".repeat(32),
        discord.base,
        gupshup.base
    );
    std::fs::write(dir.path().join("pulso.toml"), config).unwrap();
    let token = "discord-bot-token-e2e";
    let mut output = String::new();
    for _ in 0..5 {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_pulso"))
            .current_dir(dir.path())
            .env_remove("PULSO_CONFIG")
            .env_remove("PULSO_DATABASE_URL")
            .env("PULSO_TEST_GUPSHUP_KEY", KEY)
            .env("PULSO_DISCORD_TOKEN", token)
            .env("PULSO_LOG", "pulso=debug")
            .args(["--config", "pulso.toml", "balance", "--check"])
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr),
        );
        assert!(run.status.success(), "{stdout}\n{stderr}");
        output.push_str(&stdout);
        output.push_str(&stderr);
    }
    let posted = discord.posted();
    let titles: Vec<String> = posted
        .iter()
        .map(|p| {
            p.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        titles,
        [
            "⚠️ Low Gupshup balance · Equipo",
            "✅ Gupshup balance recovered · Equipo"
        ]
    );
    assert!(posted.iter().all(|p| p.channel == "555"));
    assert_ne!(posted[0].id, posted[1].id);
    assert!(output.contains("state low"), "{output}");
    for secret in [KEY, token] {
        assert!(!output.contains(secret), "a secret leaked into the output");
        assert!(posted.iter().all(|p| !p.body.to_string().contains(secret)));
    }
    // `pulso alerts status` lists the balance as rule `balance`, after its episode.
    let status = |format: &str| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_pulso"))
            .current_dir(dir.path())
            .env_remove("PULSO_CONFIG")
            .env_remove("PULSO_DATABASE_URL")
            .env("PULSO_TEST_GUPSHUP_KEY", KEY)
            .env("PULSO_DISCORD_TOKEN", token)
            .args([
                "--config",
                "pulso.toml",
                "alerts",
                "status",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        String::from_utf8(run.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&status("json")).unwrap();
    let balance = &json[0];
    assert_eq!(
        (&balance["workspace"], &balance["rule"], &balance["kind"]),
        (&"w".into(), &"balance".into(), &"balance".into())
    );
    assert_eq!(
        (
            &balance["level"],
            &balance["episode"],
            &balance["value"],
            &balance["threshold"]
        ),
        (&"ok".into(), &1.into(), &70.0.into(), &50.0.into())
    );
    let text = status("text");
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("w/balance: ok since ")
            && first.ends_with(" · 70.00 USD · threshold 50.00 USD"),
        "{text}"
    );
    // A self-serve workspace: the health rules it cannot read are said once, here.
    assert!(
        text.contains("\nw/whatsapp_quality: needs partner mode · no value yet\n")
            && text.contains("\nw/whatsapp_templates: needs app id · no value yet\n"),
        "{text}"
    );
    // Plain `pulso balance` prints the reading with its currency.
    gupshup.script([Answer::balance(33.5)]);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir.path())
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DATABASE_URL")
        .env("PULSO_TEST_GUPSHUP_KEY", KEY)
        .env("PULSO_DISCORD_TOKEN", token)
        .args(["--config", "pulso.toml", "balance", "--workspace", "w"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && stdout.contains("33.50 USD"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
