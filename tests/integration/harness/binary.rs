//! For the few tests that must run the real `pulso` binary (signals, what a process logs):
//! a port to configure and a wait for the server that does not read logs.

use std::net::SocketAddr;
use std::process::Child;
use std::time::{Duration, Instant};

/// A port that was free a moment ago, for `[http] listen` of a binary under test.
///
/// The binary cannot report the port it bound to except in its logs, so the test picks one:
/// between this listener closing and pulso binding the port another process could take it.
/// That race is small and fails loudly (pulso exits naming `http.listen`); in-process tests
/// avoid it by binding port 0 and asking [`pulso::app::App::address`].
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Waits up to 20 s until `address` accepts HTTP connections (`GET /healthz` answers with
/// any status), failing at once if `child` exits first.
pub async fn wait_for_http(address: SocketAddr, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = reqwest::Client::new();
    loop {
        if client
            .get(format!("http://{address}/healthz"))
            .send()
            .await
            .is_ok()
        {
            return;
        }
        if let Some(status) = child.try_wait().expect("child status") {
            panic!("pulso exited before listening on {address}: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "pulso did not listen on {address}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs `pulso --config pulso.toml ARGS` in `dir` against `database` with a Discord token
/// and the extra variables `env`, as a cron job would; fails the test on a non-zero exit.
/// Returns stdout and stderr.
pub fn run_pulso(
    dir: &std::path::Path,
    database: &str,
    env: &[(&str, &str)],
    args: &[&str],
) -> (String, String) {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_pulso"))
        .current_dir(dir)
        .env_remove("PULSO_CONFIG")
        .env("PULSO_DATABASE_URL", database)
        .env("PULSO_DISCORD_TOKEN", "discord-bot-token-cli")
        .envs(env.iter().copied())
        .args(["--config", "pulso.toml"])
        .args(args)
        .output()
        .expect("run pulso");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&run.stdout).into_owned(),
        String::from_utf8_lossy(&run.stderr).into_owned(),
    );
    assert!(run.status.success(), "pulso {args:?}\n{stdout}\n{stderr}");
    (stdout, stderr)
}
