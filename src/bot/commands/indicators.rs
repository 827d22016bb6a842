//! `/indicators [period] [from] [to] [operator] [origin] [channel] [by] [top]`: the seven
//! indicators with their changes, for the inquiries the filter options keep; with `by`, a
//! breakdown of them per operator, origin or channel instead.

use super::{Action, CommandFuture, CommandSpec};
use crate::bot::BotContext;
use crate::bot::filters::{BY, CHANNEL, OPERATOR, ORIGIN, TOP};
use crate::bot::options::{Args, FROM, PERIOD, TO};
use crate::config::{Locale, Workspace};
use crate::domain::NamedPeriod;
use crate::indicators::{BreakdownRequest, SortBy};
use crate::render::{self, Reply};
use crate::service::{balance_line, build_breakdown_and_all, build_filtered_report};

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "indicators",
    localized_name: "cmd-indicators-name",
    description: "cmd-indicators",
    manage_guild_only: false,
    action: Action::Run {
        options: &[&PERIOD, &FROM, &TO, &OPERATOR, &ORIGIN, &CHANNEL, &BY, &TOP],
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
        let filter = args.filter()?;
        if let Some((by, top)) = args.breakdown()? {
            let request = BreakdownRequest {
                workspace: workspace.id.clone(),
                period,
                by,
                filter,
                sort: SortBy::default(),
                top: Some(top),
                now,
            };
            // Groups beyond the card's rows travel as a CSV of every group.
            let (shown, all) = build_breakdown_and_all(&ctx.store, request).await?;
            let card = render::breakdown_card(&shown, all.as_ref(), workspace, locale);
            return Ok(Reply {
                attachment: card.csv,
                ..card.reply
            });
        }
        let report =
            build_filtered_report(&ctx.store, &workspace.id, &period, now, &filter).await?;
        let balance = balance_line(&ctx.store, workspace).await?;
        Ok(render::indicators_card(
            &report,
            workspace,
            locale,
            balance.as_ref(),
        ))
    })
}
