//! The `pulso` command line: one function per subcommand (the arguments are in `args`).
//!
//! This is the edge of the program, so errors are `anyhow` here; every library error
//! already names the key, file:line or option at fault.

mod alerts;
mod args;
mod balance;
mod import;
mod indicators;
mod inquiries;
mod whatsapp;

pub use args::*;

use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use crate::app::{self, Services};
use crate::bot::discord::register_commands;
use crate::clock::{Clock, FixedClock, SystemClock};
use crate::config::Config;
use crate::demo;
use crate::domain::Destination;
use crate::outbox::deliver_and_wait;
use crate::store::{Connections, Store};

fn clock(now: Option<DateTime<Utc>>) -> Arc<dyn Clock> {
    match now {
        Some(now) => Arc::new(FixedClock(now)),
        None => Arc::new(SystemClock),
    }
}

/// A token cancelled on SIGINT (Ctrl-C) or SIGTERM, for graceful shutdown.
pub fn shutdown_on_signals() -> CancellationToken {
    let token = CancellationToken::new();
    let cancel = token.clone();
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut terminate) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = terminate.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
        cancel.cancel();
    });
    token
}

/// Runs the parsed command line; output goes to stdout, diagnostics to stderr.
///
/// # Errors
/// Any failure, as one message naming what is wrong.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Bench(args) => bench(args).await,
        Command::Run(args) => {
            if let Some(id) = &args.workspace {
                config
                    .workspace(Some(id))
                    .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?;
            }
            app::run(config, args.workspace, shutdown_on_signals()).await?;
            Ok(())
        }
        Command::RegisterCommands(args) => {
            let count = register_commands(&config.discord, args.guild).await?;
            match args.guild {
                Some(guild) => println!("registered {count} commands in guild {guild}"),
                None => println!("registered {count} global commands"),
            }
            Ok(())
        }
        Command::Config(ConfigCommand::Check) => {
            println!(
                "{}: OK ({} workspace(s), database {})",
                config.source,
                config.workspaces.len(),
                config.database
            );
            Ok(())
        }
        Command::Migrate => {
            let store = Store::open_with(&config.database, Connections::One).await?;
            store.close().await;
            println!("database {} is up to date", config.database);
            Ok(())
        }
        Command::Indicators(args) => indicators::indicators(&config, args).await,
        Command::Inquiries(args) => inquiries::inquiries(&config, args).await,
        Command::Digest(args) => digest_command(config, args).await,
        Command::Balance(args) => {
            let now = SystemClock.now();
            balance::balance_command(config, args.workspace.as_deref(), args.check, now).await
        }
        Command::Whatsapp(args) => whatsapp::whatsapp(&config, args).await,
        Command::Alerts(AlertsCommand::Check(args)) => alerts::check(config, args).await,
        Command::Alerts(AlertsCommand::Status(args)) => alerts::status(config, args).await,
        Command::Import(args) => import::import(&config, &args).await,
        Command::DemoData(args) => {
            let mut settings = config.demo;
            settings.inquiries = args.inquiries.unwrap_or(settings.inquiries);
            settings.days = args.days.unwrap_or(settings.days);
            settings.seed = args.seed.unwrap_or(settings.seed);
            let store = Store::open_with(&config.database, Connections::One).await?;
            let now = clock(args.now).now();
            let result = demo::write(&store, &config.workspaces, &settings, now).await;
            store.close().await;
            let (inquiries, surveys) = result.context("writing demo data")?;
            println!(
                "wrote {inquiries} demo inquiries and {surveys} survey answers for {} workspace(s)",
                config.workspaces.len()
            );
            Ok(())
        }
    }
}

async fn bench(args: BenchArgs) -> anyhow::Result<()> {
    let options = crate::bench::BenchOptions {
        inquiries: args.inquiries,
        days: args.days,
        workspaces: args.workspaces,
        database: args.database,
        path: args.path,
        csv_dir: args.csv_dir,
        runs: args.runs,
        seed: args.seed,
        reuse: args.reuse,
    };
    // Ctrl-C drops the run, which removes a temporary database (gigabytes) and rolls back
    // a PostgreSQL write, instead of leaving them behind with the process.
    let report = tokio::select! {
        report = crate::bench::run(&options, |line| eprintln!("{line}")) => report?,
        _ = tokio::signal::ctrl_c() => {
            bail!("interrupted by Ctrl-C; the temporary database, if any, was removed")
        }
    };
    print!("{}", crate::bench::print(&report));
    if let Some(path) = args.json {
        std::fs::write(&path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    // The figures are printed either way; a wrong answer must still fail the run.
    let differing: Vec<String> = report
        .windows
        .iter()
        .filter(|window| !window.matches_live)
        .map(|window| format!("{} d", window.days))
        .chain(
            report
                .breakdowns
                .iter()
                .filter(|answer| answer.matches_live == Some(false))
                .map(|answer| format!("{} d {}", answer.days, answer.what)),
        )
        .collect();
    if !differing.is_empty() {
        bail!(
            "the fast answer differed from the live computation for the {} window(s); this is a bug in pulso, please report it with the --seed used",
            differing.join(", ")
        );
    }
    Ok(())
}

/// Longest `pulso digest --post` waits for Discord before giving up (the message stays in
/// the outbox and the running bot delivers it).
const POST_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

async fn digest_command(config: Config, args: DigestArgs) -> anyhow::Result<()> {
    let workspace = config
        .workspace(args.workspace.as_deref())
        .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?
        .clone();
    let now = clock(args.now).now();
    let services = Services::one_shot(config, clock(None)).await?;
    let digest = crate::digest::build(&services.store, &workspace, now, None).await?;
    let result = if args.post {
        post_digest(&services, &workspace, digest, now).await
    } else {
        print!("{}", digest.reply.to_text());
        match &digest.chart {
            Some((name, png)) => {
                let path = std::path::Path::new("data/digests").join(name);
                std::fs::create_dir_all("data/digests").context("creating data/digests")?;
                std::fs::write(&path, png)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("chart: {}", path.display());
            }
            None => println!("chart: not drawn (see the log)"),
        }
        Ok(())
    };
    services.store.close().await;
    result
}

async fn post_digest(
    services: &Services,
    workspace: &crate::config::Workspace,
    digest: crate::digest::Digest,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let transport = services.config.discord.transport;
    let destination =
        Destination::configured(workspace.digest.channel_id, transport).ok_or_else(|| {
            anyhow::anyhow!(
                "workspaces.digest.channel_id: {} has no digest channel; set one to post",
                workspace.id
            )
        })?;
    let sender = services.sender.as_ref().ok_or_else(|| {
        anyhow::anyhow!(
            "posting needs the bot token in {}",
            crate::config::DISCORD_TOKEN_ENV
        )
    })?;
    let key = format!("manual:{}:{}", workspace.id, now.timestamp());
    let message = crate::digest::message(workspace, destination, key.clone(), digest);
    services
        .store
        .enqueue(&message, SystemClock.now().timestamp())
        .await?;
    let delivered = deliver_and_wait(
        &services.store,
        sender,
        &SystemClock,
        std::slice::from_ref(&key),
        POST_WAIT,
    )
    .await?;
    let message_id = delivered.first().map_or("", |d| d.message_id.as_str());
    println!(
        "posted the digest of {} to {destination} (message {message_id})",
        workspace.id
    );
    Ok(())
}
