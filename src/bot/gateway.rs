//! The `gateway` transport: a serenity client that receives slash commands as
//! `INTERACTION_CREATE` events. It asks for no privileged intents (commands need none, and
//! pulso never reads message content). Run exactly one gateway process per bot: Discord
//! lets two sessions connect and both would answer.

use std::time::Duration;

use serenity::all::{ClientBuilder, Context, EventHandler, GatewayIntents, Interaction, Ready};
use tokio_util::sync::CancellationToken;

use super::discord::{self, DiscordError};
use super::http::{crashed, deliver_late};
use super::{BotContext, handle, press};
use crate::config::DiscordSettings;
use crate::render;

struct Handler {
    ctx: BotContext,
    defer_after: Duration,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _discord: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected to the Discord gateway");
    }

    async fn interaction_create(&self, discord: Context, interaction: Interaction) {
        let command = match interaction {
            Interaction::Command(command) => command,
            Interaction::Component(component) => {
                let answer = press(&self.ctx, &discord::press(&component)).await;
                let response = discord::press_response(answer);
                if let Err(error) = component.create_response(&discord.http, response).await {
                    tracing::warn!(%error, "could not answer a button press");
                }
                return;
            }
            Interaction::Autocomplete(typing) => {
                let response = discord::autocomplete(&self.ctx, &typing).await;
                if let Err(error) = typing.create_response(&discord.http, response).await {
                    tracing::warn!(%error, "could not answer an autocomplete");
                }
                return;
            }
            _ => return,
        };
        let invocation = discord::invocation(&command);
        let ctx = self.ctx.clone();
        let mut work = tokio::spawn(async move { handle(&ctx, &invocation).await });
        let answered = match tokio::time::timeout(self.defer_after, &mut work).await {
            Ok(reply) => {
                let reply = reply.unwrap_or_else(|_| crashed(&command));
                command
                    .create_response(&discord.http, render::discord::response(reply))
                    .await
            }
            Err(_) => match command.defer(&discord.http).await {
                Ok(()) => {
                    let reply = work.await.unwrap_or_else(|_| crashed(&command));
                    deliver_late(&discord.http, &command, reply).await;
                    Ok(())
                }
                Err(error) => Err(error),
            },
        };
        if let Err(error) = answered {
            tracing::warn!(%error, command = %command.data.name, "could not answer an interaction");
        }
    }
}

/// Connects to the gateway and answers commands until `shutdown` is cancelled.
///
/// # Errors
/// [`DiscordError`] when the client cannot start (bad token, no network).
pub async fn run(
    ctx: BotContext,
    settings: &DiscordSettings,
    defer_after: Duration,
    shutdown: CancellationToken,
) -> Result<(), DiscordError> {
    if settings.token.is_none() {
        return Err(DiscordError::Setup(format!(
            "the gateway needs the bot token in {}",
            crate::config::DISCORD_TOKEN_ENV
        )));
    }
    let http = discord::http_client(settings);
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::empty())
        .event_handler(Handler { ctx, defer_after })
        .await?;
    let shards = client.shard_manager.clone();
    let mut start = std::pin::pin!(client.start());
    tokio::select! {
        result = &mut start => return Ok(result?),
        () = shutdown.cancelled() => {}
    }
    // serenity's shutdown does not end `start` when no shard is running yet (cancelled
    // while connecting), so the wait for it is bounded.
    shards.shutdown_all().await;
    if tokio::time::timeout(STOP_WAIT, start).await.is_err() {
        tracing::warn!("the gateway client did not stop within {STOP_WAIT:?}; leaving it");
    }
    Ok(())
}

/// How long a cancelled gateway client may take to close its shards.
const STOP_WAIT: Duration = Duration::from_secs(5);
