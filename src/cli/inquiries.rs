//! `pulso inquiries --status S [--period P | --from D --to D] [--origin V[,V] …]
//! [--format text|json]`: what
//! `/inquiries` answers, on the terminal or as JSON.

use anyhow::bail;

use super::{Format, InquiriesArgs, clock};
use crate::app::Services;
use crate::config::Config;
use crate::domain::{NamedPeriod, Period, PeriodRequest};
use crate::render;
use crate::service::inquiry_list;

/// Runs `pulso inquiries`; prints to stdout.
///
/// # Errors
/// Unknown workspace, a bad period, database failures.
pub async fn inquiries(config: &Config, args: InquiriesArgs) -> anyhow::Result<()> {
    let workspace = config
        .workspace(args.workspace.as_deref())
        .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?;
    let filter = super::indicators::filter(&args.filter)?;
    let now = clock(args.now).now();
    let given = args.period.request();
    let explicit = given.is_some();
    let request = given.unwrap_or(PeriodRequest::Named(NamedPeriod::Today));
    let period = match Period::resolve(request, workspace.timezone, now) {
        Ok(period) => period,
        Err(error) => bail!("--from/--to: {error}"),
    };
    let services = Services::one_shot(config.clone(), clock(args.now)).await?;
    let list = inquiry_list(
        &services.store,
        &workspace.id,
        args.status,
        &period,
        explicit,
        now,
        &filter,
    )
    .await;
    services.store.close().await;
    let list = list?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
        Format::Text => print!(
            "{}",
            render::inquiries_card(&list, workspace, workspace.locale).to_text()
        ),
    }
    Ok(())
}
