//! `GET /healthz` and `GET /metrics`: what operators and load balancers look at.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use crate::clock::Clock;
use crate::store::Store;
use crate::telemetry::Heartbeat;

/// The scheduler counts as stuck when it has not ticked for this long (ticks are every 30 s).
pub const TICK_STALE_AFTER: Duration = Duration::from_secs(120);
/// Longest the database check may take.
pub const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// What the health check looks at.
pub struct HealthState {
    /// The database.
    pub store: Store,
    /// The scheduler's liveness; `None` when scheduling is off (no Discord token).
    pub heartbeat: Option<Heartbeat>,
    /// "Now".
    pub clock: Arc<dyn Clock>,
    /// When the process started: the first tick is not expected before then + 30 s.
    pub started: Instant,
}

/// `/healthz` and `/metrics`.
pub fn router(state: Arc<HealthState>) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn healthz(State(state): State<Arc<HealthState>>) -> Response {
    let mut problems = Vec::new();
    let database = match tokio::time::timeout(DATABASE_TIMEOUT, state.store.ping()).await {
        Ok(Ok(())) => "ok".to_string(),
        Ok(Err(error)) => {
            problems.push(format!("database unreachable: {error}"));
            "unreachable".to_string()
        }
        Err(_) => {
            problems.push(format!(
                "database did not answer within {} s",
                DATABASE_TIMEOUT.as_secs()
            ));
            "timeout".to_string()
        }
    };
    let scheduler = match &state.heartbeat {
        None => json!({ "status": "disabled" }),
        Some(heartbeat) => match heartbeat.last() {
            Some(last) => {
                let age = (state.clock.now().timestamp() - last).max(0);
                if age as u64 > TICK_STALE_AFTER.as_secs() {
                    problems.push(format!("scheduler has not ticked for {age} s"));
                }
                json!({ "status": if age as u64 > TICK_STALE_AFTER.as_secs() { "stale" } else { "ok" }, "last_tick_age_s": age })
            }
            None if state.started.elapsed() > TICK_STALE_AFTER => {
                problems.push("scheduler has not ticked since start".to_string());
                json!({ "status": "stale" })
            }
            None => json!({ "status": "starting" }),
        },
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if problems.is_empty() { "ok" } else { "unhealthy" },
        "database": database,
        "scheduler": scheduler,
        "problems": problems,
    });
    (status, axum::Json(body)).into_response()
}

async fn metrics(State(state): State<Arc<HealthState>>) -> Response {
    if let Ok(counts) = state.store.outbox_counts().await {
        let pending = counts
            .iter()
            .find(|(status, _)| status == "pending")
            .map_or(0, |(_, count)| *count);
        metrics::gauge!(crate::telemetry::OUTBOX_PENDING).set(pending as f64);
    }
    let handle = crate::telemetry::metrics();
    handle.run_upkeep();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle.render(),
    )
        .into_response()
}
