//! The `http` transport: Discord's Interactions Endpoint URL, served with axum.
//!
//! Stateless, so any number of replicas can sit behind a load balancer. Each request is
//! verified (Ed25519 signature over timestamp + body, a timestamp within five minutes, a
//! body of at most 64 KiB) before it is parsed. A command answers inline (type 4) when it
//! finishes within [`InteractionsState::defer_after`]; otherwise the endpoint answers
//! "thinking…" (type 5) and the reply follows with `PATCH …/messages/@original`.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serenity::all::{
    CommandInteraction, CreateInteractionResponse, CreateInteractionResponseMessage, Http,
    Interaction,
};
use serenity::interactions_endpoint::Verifier;
use tokio_util::task::TaskTracker;

use super::{BotContext, discord};
use crate::config::Locale;
use crate::render::catalogue::t;
use crate::render::{self, Reply};

/// Largest request body accepted; real interactions are a few KiB.
pub const MAX_BODY: usize = 64 * 1024;
/// Oldest (or most future) signature timestamp accepted, against replays.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;
/// Answer inline when the command is done by then; Discord's hard deadline is 3 s.
pub const DEFAULT_DEFER_AFTER: Duration = Duration::from_millis(1500);

/// What the endpoint needs.
pub struct InteractionsState {
    /// The command handler's dependencies.
    pub ctx: BotContext,
    /// Checks signatures with the application's public key.
    pub verifier: Verifier,
    /// REST client for deferred answers.
    pub http: Arc<Http>,
    /// How long to wait for an inline answer before deferring.
    pub defer_after: Duration,
    /// Deferred answers still being delivered; waited for on shutdown.
    pub tracker: TaskTracker,
}

/// The routes of the interactions endpoint.
pub fn router(state: Arc<InteractionsState>) -> Router {
    Router::new()
        .route("/interactions", post(interactions))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

fn rejected(status: StatusCode, reason: &'static str) -> Response {
    tracing::info!(%status, reason, "interaction rejected");
    (status, axum::Json(serde_json::json!({ "error": reason }))).into_response()
}

async fn interactions(
    State(state): State<Arc<InteractionsState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let (Some(signature), Some(timestamp)) = (
        header("x-signature-ed25519"),
        header("x-signature-timestamp"),
    ) else {
        return rejected(StatusCode::UNAUTHORIZED, "missing signature headers");
    };
    if state.verifier.verify(signature, timestamp, &body).is_err() {
        return rejected(StatusCode::UNAUTHORIZED, "invalid request signature");
    }
    let fresh = timestamp
        .parse::<i64>()
        .is_ok_and(|at| (state.ctx.clock.now().timestamp() - at).abs() <= MAX_CLOCK_SKEW_SECS);
    if !fresh {
        return rejected(
            StatusCode::UNAUTHORIZED,
            "stale or invalid signature timestamp",
        );
    }
    let interaction: Interaction = match serde_json::from_slice(&body) {
        Ok(interaction) => interaction,
        Err(error) => {
            tracing::info!(%error, "interaction body is not a valid interaction");
            return rejected(StatusCode::BAD_REQUEST, "body is not a valid interaction");
        }
    };
    match interaction {
        Interaction::Ping(_) => axum::Json(CreateInteractionResponse::Pong).into_response(),
        Interaction::Command(command) => answer(state, command).await,
        // Suggestions read one aggregate range, bounded well inside Discord's 3 s.
        Interaction::Autocomplete(typing) => {
            axum::Json(discord::autocomplete(&state.ctx, &typing).await).into_response()
        }
        Interaction::Component(component) => {
            // A press writes one row and edits the message: well inside Discord's 3 s.
            let answer = super::press(&state.ctx, &discord::press(&component)).await;
            axum::Json(discord::press_response(answer)).into_response()
        }
        _ => rejected(StatusCode::BAD_REQUEST, "unsupported interaction type"),
    }
}

async fn answer(state: Arc<InteractionsState>, command: CommandInteraction) -> Response {
    let invocation = discord::invocation(&command);
    let ctx = state.ctx.clone();
    let mut work = tokio::spawn(async move { super::handle(&ctx, &invocation).await });
    match tokio::time::timeout(state.defer_after, &mut work).await {
        // An answer with a file (a breakdown's CSV) cannot be this JSON response: it is
        // deferred and edited in as a multipart request, like a slow answer.
        Ok(Ok(reply)) if reply.attachment.is_some() => {
            let http = state.http.clone();
            state
                .tracker
                .spawn(async move { deliver_late(&http, &command, reply).await });
            axum::Json(CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new(),
            ))
            .into_response()
        }
        Ok(reply) => axum::Json(render::discord::response(
            reply.unwrap_or_else(|_| crashed(&command)),
        ))
        .into_response(),
        Err(_) => {
            let http = state.http.clone();
            state.tracker.spawn(async move {
                let reply = work.await.unwrap_or_else(|_| crashed(&command));
                deliver_late(&http, &command, reply).await;
            });
            axum::Json(CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new(),
            ))
            .into_response()
        }
    }
}

/// A reply for a handler task that panicked (a bug): say so, in the user's language,
/// instead of staying silent.
pub(super) fn crashed(command: &CommandInteraction) -> Reply {
    tracing::error!("command handler panicked");
    let locale = super::user_locale(Some(&command.locale)).unwrap_or(Locale::En);
    Reply::ephemeral_text(t!(locale, "error-internal"))
}

/// Fills in a deferred answer. A private reply (an error) cannot turn the public "thinking…"
/// message private, so that message is deleted and the reply sent as a private follow-up.
pub async fn deliver_late(http: &Http, command: &CommandInteraction, reply: Reply) {
    for attempt in 1..=3u32 {
        let result = if reply.ephemeral {
            let _ = command.delete_response(http).await;
            command
                .create_followup(http, render::discord::followup(reply.clone()))
                .await
                .map(drop)
        } else {
            command
                .edit_response(http, render::discord::edit(reply.clone()))
                .await
                .map(drop)
        };
        match result {
            Ok(()) => return,
            Err(error) => {
                tracing::warn!(attempt, %error, "could not deliver a deferred answer");
                tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
            }
        }
    }
    tracing::error!("gave up delivering a deferred answer");
}

/// Serves `router` (the endpoint, health and metrics) on `listener` until `shutdown` is
/// cancelled, then waits (at most `drain`) for the deferred answers `tracker` follows.
/// `pulso run` and the tests start the server through this one function.
///
/// # Errors
/// I/O errors of the server.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    tracker: TaskTracker,
    shutdown: tokio_util::sync::CancellationToken,
    drain: Duration,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await?;
    tracker.close();
    if tokio::time::timeout(drain, tracker.wait()).await.is_err() {
        tracing::warn!("stopped before every deferred answer was delivered");
    }
    Ok(())
}
