//! `pulso indicators [--operator|--origin|--channel V[,V]] [--by D [--top N] [--sort S]]`:
//! the workspace's indicators, filtered, or one row per operator, origin or channel.

use anyhow::bail;

use super::{FilterArgs, Format, IndicatorsArgs, clock};
use crate::app::Services;
use crate::config::Config;
use crate::domain::{Dimension, Filter, NamedPeriod, Period, PeriodRequest, parse_values};
use crate::indicators::{BreakdownRequest, SortBy};
use crate::render;
use crate::service::{build_breakdown, build_filtered_report};

/// Reads `--operator`, `--origin` and `--channel`; an error names the flag at fault.
///
/// # Errors
/// `--origin: no value given: …` and the like, from [`parse_values`].
pub fn filter(args: &FilterArgs) -> anyhow::Result<Filter> {
    let mut filter = Filter::default();
    for (dimension, text) in [
        (Dimension::Operator, &args.operator),
        (Dimension::Origin, &args.origin),
        (Dimension::Channel, &args.channel),
    ] {
        if let Some(text) = text {
            let values =
                parse_values(text).map_err(|error| anyhow::anyhow!("--{dimension}: {error}"))?;
            filter.set(dimension, values);
        }
    }
    Ok(filter)
}

/// What `--by`, `--top` and `--sort` ask for, checked before the database is opened.
struct Split {
    by: Dimension,
    top: Option<usize>,
    sort: SortBy,
}

fn split(args: &IndicatorsArgs) -> anyhow::Result<Option<Split>> {
    let Some(by) = &args.by else {
        return Ok(None);
    };
    let by: Dimension = by
        .parse()
        .map_err(|error| anyhow::anyhow!("--by: {error}"))?;
    let top = match &args.top {
        Some(text) => match text.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Some(n),
            _ => bail!("--top: {text:?} is not a number of rows; give 1 or more"),
        },
        None => None,
    };
    let sort = match &args.sort {
        Some(text) => text
            .parse()
            .map_err(|error| anyhow::anyhow!("--sort: {error}"))?,
        None => SortBy::default(),
    };
    Ok(Some(Split { by, top, sort }))
}

/// Runs `pulso indicators`; prints to stdout.
///
/// # Errors
/// Unknown workspace, a bad period or flag (named), database failures.
pub async fn indicators(config: &Config, args: IndicatorsArgs) -> anyhow::Result<()> {
    let workspace = config
        .workspace(args.workspace.as_deref())
        .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?;
    let filter = filter(&args.filter)?;
    let split = split(&args)?;
    let now = clock(args.now).now();
    let request = args
        .period
        .request()
        .unwrap_or(PeriodRequest::Named(NamedPeriod::Today));
    let period = match Period::resolve(request, workspace.timezone, now) {
        Ok(period) => period,
        Err(error) => bail!("--from/--to: {error}"),
    };
    let services = Services::one_shot(config.clone(), clock(args.now)).await?;
    let store = &services.store;
    let output = match split {
        None => build_filtered_report(store, &workspace.id, &period, now, &filter)
            .await
            .map_err(anyhow::Error::from)
            .and_then(|report| {
                Ok(match args.format {
                    Format::Json => serde_json::to_string_pretty(&report)? + "\n",
                    Format::Text => render::indicators_text(&report, workspace),
                })
            }),
        Some(Split { by, top, sort }) => {
            let request = BreakdownRequest {
                workspace: workspace.id.clone(),
                period,
                by,
                filter,
                sort,
                top,
                now,
            };
            build_breakdown(store, request)
                .await
                .map_err(anyhow::Error::from)
                .and_then(|breakdown| {
                    Ok(match args.format {
                        Format::Json => serde_json::to_string_pretty(&breakdown)? + "\n",
                        Format::Text => render::breakdown_text(&breakdown, workspace),
                    })
                })
        }
    };
    services.store.close().await;
    print!("{}", output?);
    Ok(())
}
