//! Logs and metrics: one place that sets up tracing and the Prometheus recorder.
//!
//! Metric names are constants here so every producer and the `/metrics` tests agree.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

/// Last Gupshup balance reading, by workspace and currency.
pub const GUPSHUP_BALANCE: &str = "pulso_gupshup_balance";
/// Balance alert state per workspace (0 ok, 1 low, 2 critical, 3 unknown).
pub const BALANCE_ALERT_STATE: &str = "pulso_balance_alert_state";
/// WhatsApp health rule state per workspace and rule (0 ok, 1 firing, 2 critical, 3
/// unknown: Gupshup could not be read for a while).
pub const WHATSAPP_HEALTH_STATE: &str = "pulso_whatsapp_health_state";
/// Digest occurrences by workspace and outcome (`claimed`, `late`, `skipped`).
pub const DIGESTS_TOTAL: &str = "pulso_digests_total";
/// Outbox messages waiting for delivery.
pub const OUTBOX_PENDING: &str = "pulso_outbox_pending";
/// Outbox deliveries by kind and outcome (`sent`, `retried`, `failed`).
pub const OUTBOX_DELIVERIES_TOTAL: &str = "pulso_outbox_deliveries_total";
/// Slash-command latency, by command.
pub const COMMAND_DURATION: &str = "pulso_command_duration_seconds";
/// Database query latency, by query.
pub const DB_QUERY_DURATION: &str = "pulso_db_query_duration_seconds";

/// Histogram buckets in seconds: from a 1 ms index lookup to Discord's 3 s deadline and beyond.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// When the last tick finished (epoch seconds; 0 before the first), for health checks.
#[derive(Debug, Clone, Default)]
pub struct Heartbeat(Arc<AtomicI64>);

impl Heartbeat {
    /// Epoch seconds of the last completed tick, if any.
    pub fn last(&self) -> Option<i64> {
        Some(self.0.load(Ordering::Relaxed)).filter(|at| *at > 0)
    }

    /// Records a completed tick at `at` (epoch seconds).
    pub fn beat(&self, at: i64) {
        self.0.store(at, Ordering::Relaxed);
    }
}

/// Log output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Sets up logging to stderr with the `PULSO_LOG` filter (default `pulso=info`).
pub fn init_logs(format: LogFormat) {
    let filter =
        EnvFilter::try_from_env("PULSO_LOG").unwrap_or_else(|_| EnvFilter::new("pulso=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// The process-wide Prometheus recorder, installed on first use (metrics recorded before
/// are dropped by the `metrics` facade, which is fine: nothing is recorded before startup).
pub fn metrics() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder was installed first; /metrics will be empty");
        }
        handle
    })
}

/// Times `future` into the [`DB_QUERY_DURATION`] histogram under `query`.
pub async fn timed_query<T>(
    query: &'static str,
    future: impl std::future::Future<Output = T>,
) -> T {
    let started = std::time::Instant::now();
    let result = future.await;
    metrics::histogram!(DB_QUERY_DURATION, "query" => query)
        .record(started.elapsed().as_secs_f64());
    result
}
