//! `/indicators [period] [from] [to]`: the seven indicators with their changes.

use super::{Action, CommandFuture, CommandSpec};
use crate::bot::BotContext;
use crate::bot::options::{Args, FROM, PERIOD, TO};
use crate::config::{Locale, Workspace};
use crate::domain::NamedPeriod;
use crate::render;
use crate::service::{balance_line, build_report};

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "indicators",
    localized_name: "cmd-indicators-name",
    description: "cmd-indicators",
    manage_guild_only: false,
    action: Action::Run {
        options: &[&PERIOD, &FROM, &TO],
        run,
    },
};

fn run<'a>(
    ctx: &'a BotContext,
    args: &'a Args,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let now = ctx.clock.now();
        let period = args.period(NamedPeriod::Today, workspace.timezone, now)?;
        let report = build_report(&ctx.store, &workspace.id, &period, now).await?;
        let balance = balance_line(&ctx.store, workspace).await?;
        Ok(render::indicators_card(
            &report,
            workspace,
            locale,
            balance.as_ref(),
        ))
    })
}
