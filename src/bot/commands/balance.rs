//! `/balance`: the latest Gupshup wallet reading (balance, currency, time) and the alert
//! state. It shows what the monitor stored instead of calling Gupshup, so users cannot
//! spend the API's rate limits and the answer is instant.

use super::{Action, CommandFuture, CommandSpec};
use crate::bot::BotContext;
use crate::bot::options::Args;
use crate::config::{Locale, Workspace};
use crate::render::balance::{balance_card, not_gupshup};

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "balance",
    localized_name: "cmd-balance-name",
    description: "cmd-balance",
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
        let reading = ctx.store.latest_balance(&workspace.id).await?;
        let state = ctx.store.balance_alert_state(&workspace.id).await?;
        Ok(balance_card(workspace, reading.as_ref(), &state, locale))
    })
}
