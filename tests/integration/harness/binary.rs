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
