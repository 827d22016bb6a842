//! `/inquiries status [period]`: how many inquiries of one status, and the oldest ten open.

use super::{Action, CommandFuture, CommandSpec};
use crate::bot::BotContext;
use crate::bot::options::{Args, PERIOD, STATUS};
use crate::config::{Locale, Workspace};
use crate::domain::InquiryStatus;
use crate::domain::NamedPeriod;
use crate::indicators::PeriodSummary;
use crate::render::{self, InquiryList};

/// How many open inquiries the list shows.
const LISTED: u32 = 10;

/// The command.
pub static SPEC: CommandSpec = CommandSpec {
    name: "inquiries",
    localized_name: "cmd-inquiries-name",
    description: "cmd-inquiries",
    manage_guild_only: false,
    action: Action::Run {
        options: &[&STATUS, &PERIOD],
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
        let window = period.window();
        let store = &ctx.store;
        let list = match status {
            InquiryStatus::InProgress => InquiryList {
                status,
                period: None,
                count: store.in_progress_count(&workspace.id).await?,
                oldest: store.oldest_in_progress(&workspace.id, LISTED).await?,
                now,
            },
            InquiryStatus::Pending => {
                let samples = store.window_samples(&workspace.id, window).await?;
                InquiryList {
                    status,
                    period: Some(PeriodSummary::of(&period)),
                    count: samples.pending,
                    oldest: store
                        .oldest_pending_in_window(&workspace.id, window, LISTED)
                        .await?,
                    now,
                }
            }
            InquiryStatus::Resolved | InquiryStatus::Expired => {
                let samples = store.window_samples(&workspace.id, window).await?;
                let count = if status == InquiryStatus::Resolved {
                    samples.resolved.len() as u64
                } else {
                    samples.expired
                };
                InquiryList {
                    status,
                    period: Some(PeriodSummary::of(&period)),
                    count,
                    oldest: Vec::new(),
                    now,
                }
            }
        };
        Ok(render::inquiries_card(&list, workspace, locale))
    })
}
