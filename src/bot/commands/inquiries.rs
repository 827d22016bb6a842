//! `/inquiries status [period] [operator] [origin] [channel]`: how many inquiries of one status, and the oldest ten open.
//! Pending without a period, and in progress always, is the queue right now
//! ([`crate::service::inquiry_list`]).

use super::{Action, CommandFuture, CommandSpec};
use crate::bot::BotContext;
use crate::bot::filters::{CHANNEL, OPERATOR, ORIGIN};
use crate::bot::options::{Args, INQUIRIES_PERIOD, STATUS};
use crate::config::{Locale, Workspace};
use crate::domain::NamedPeriod;
use crate::render;
use crate::service::inquiry_list;

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "inquiries",
    localized_name: "cmd-inquiries-name",
    description: "cmd-inquiries",
    manage_guild_only: false,
    action: Action::Run {
        options: &[&STATUS, &INQUIRIES_PERIOD, &OPERATOR, &ORIGIN, &CHANNEL],
        run,
    },
};

fn run<'a>(
    ctx: &'a BotContext,
    options: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let status = options.status()?;
        let now = ctx.clock.now();
        let period = options.period(NamedPeriod::Today, workspace.timezone, now)?;
        let explicit = options.has_period();
        let filter = options.filter()?;
        let list = inquiry_list(
            &ctx.store,
            &workspace.id,
            status,
            &period,
            explicit,
            now,
            &filter,
        )
        .await?;
        Ok(render::inquiries_card(&list, workspace, locale))
    })
}
