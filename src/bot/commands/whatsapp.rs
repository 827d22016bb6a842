//! `/whatsapp`: the WhatsApp account's health in one card (app health, account status and
//! can-send, quality and messaging limit, templates by status, wallet balance). Like
//! `/balance`, it shows what the monitor stored and never calls Gupshup.

use super::{Action, CommandFuture, CommandSpec};
use crate::bot::BotContext;
use crate::bot::options::Args;
use crate::config::{Locale, Workspace};
use crate::render::balance::not_gupshup;
use crate::render::whatsapp::whatsapp_card;
use crate::service::whatsapp_view;

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "whatsapp",
    localized_name: "cmd-whatsapp-name",
    description: "cmd-whatsapp",
    manage_guild_only: false,
    action: Action::Run { options: &[], run },
};

fn run<'a>(
    ctx: &'a BotContext,
    _args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        if workspace.gupshup.is_none() {
            return Ok(not_gupshup(workspace, locale));
        }
        let view = whatsapp_view(&ctx.store, workspace).await?;
        Ok(whatsapp_card(
            workspace,
            &view.signals,
            view.balance.as_ref(),
            ctx.clock.now(),
        ))
    })
}
