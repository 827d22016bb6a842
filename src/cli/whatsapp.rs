//! `pulso whatsapp [--workspace ID] [--format text|json]`: what `/whatsapp` answers, from
//! the stored readings (it never calls Gupshup; `pulso alerts check` polls what is due).

use super::{Format, WhatsappArgs, clock};
use crate::app::Services;
use crate::config::Config;
use crate::render::balance::not_gupshup;
use crate::render::whatsapp::{whatsapp_card, whatsapp_json};
use crate::service::whatsapp_view;

/// Runs `pulso whatsapp`; prints to stdout.
///
/// # Errors
/// Unknown workspace, database failures.
pub async fn whatsapp(config: &Config, args: WhatsappArgs) -> anyhow::Result<()> {
    let workspace = config
        .workspace(args.workspace.as_deref())
        .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?;
    if workspace.gupshup.is_none() {
        match args.format {
            Format::Text => print!("{}", not_gupshup(workspace, workspace.locale).to_text()),
            Format::Json => anyhow::bail!(
                "--workspace: {} does not use Gupshup (set whatsapp.provider = \"gupshup\")",
                workspace.id
            ),
        }
        return Ok(());
    }
    let services = Services::one_shot(config.clone(), clock(None)).await?;
    let view = whatsapp_view(&services.store, workspace).await;
    let now = services.clock.now();
    services.store.close().await;
    let view = view?;
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&whatsapp_json(
                workspace,
                &view.signals,
                view.balance.as_ref()
            ))?
        ),
        Format::Text => print!(
            "{}",
            whatsapp_card(workspace, &view.signals, view.balance.as_ref(), now).to_text()
        ),
    }
    Ok(())
}
