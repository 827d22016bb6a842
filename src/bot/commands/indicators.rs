//! `/indicators [period] [from] [to]`: the seven indicators with their changes.

use super::{CommandFuture, CommandSpec, Localized, OptionSpec, PERIOD_CHOICES};
use crate::bot::{BotContext, Invocation, Options};
use crate::config::{Locale, Workspace};
use crate::domain::NamedPeriod;
use crate::render;
use crate::service::{balance_line, build_report};

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "indicators",
    description: Localized {
        en: "Customer service indicators for a period",
        es: "Indicadores de atención al cliente de un período",
    },
    options: &[
        OptionSpec {
            name: "period",
            description: Localized {
                en: "Period (default: today)",
                es: "Período (por defecto: hoy)",
            },
            required: false,
            choices: PERIOD_CHOICES,
        },
        OptionSpec {
            name: "from",
            description: Localized {
                en: "First day, YYYY-MM-DD (with to)",
                es: "Primer día, AAAA-MM-DD (con to)",
            },
            required: false,
            choices: &[],
        },
        OptionSpec {
            name: "to",
            description: Localized {
                en: "Last day, YYYY-MM-DD (with from)",
                es: "Último día, AAAA-MM-DD (con from)",
            },
            required: false,
            choices: &[],
        },
    ],
    subcommands: &[],
    manage_guild_only: false,
    run,
};

fn run<'a>(
    ctx: &'a BotContext,
    invocation: &'a Invocation,
    workspace: &'a Workspace,
    locale: Locale,
) -> CommandFuture<'a> {
    Box::pin(async move {
        let now = ctx.clock.now();
        let period =
            Options(&invocation.options).period(NamedPeriod::Today, workspace.timezone, now)?;
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
