//! The `pulso` command line: argument parsing and one function per subcommand.
//!
//! This is the edge of the program, so errors are `anyhow` here; every library error
//! already names the key, file:line or option at fault.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use tokio_util::sync::CancellationToken;

use crate::app;
use crate::bot::discord::register_commands;
use crate::clock::{Clock, FixedClock, SystemClock};
use crate::config::{CONFIG_ENV, Config};
use crate::indicators::{NamedPeriod, Period, PeriodRequest, build_report};
use crate::store::Store;
use crate::{demo, import, render};

/// Customer-service indicators for teams whose WhatsApp chatbot hands off to operators.
#[derive(Debug, Parser)]
#[command(name = "pulso", version, about)]
pub struct Cli {
    /// Configuration file; without it the embedded default (SQLite + demo data) is used.
    #[arg(long, global = true, env = CONFIG_ENV, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format on stderr: `text` for people, `json` for log shippers.
    #[arg(long, global = true, value_enum, default_value_t = crate::telemetry::LogFormat::Text)]
    pub log_format: crate::telemetry::LogFormat,
    /// What to do (default: `run`).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer slash commands on the configured transport (console, gateway or http).
    Run(RunArgs),
    /// Register the slash commands with Discord (one bulk PUT).
    RegisterCommands(RegisterArgs),
    /// Print the customer-service indicators of a workspace for a period.
    Indicators(IndicatorsArgs),
    /// Build a workspace's digest now: print it (default) or post it through the outbox.
    Digest(DigestArgs),
    /// The Gupshup wallet balance now, or `--check`: one monitor poll, alerts delivered.
    Balance(BalanceArgs),
    /// Import inquiries (and survey answers) from CSV files, all or nothing.
    Import(ImportArgs),
    /// Write generated demo inquiries for every configured workspace.
    DemoData(DemoArgs),
    /// Create or update the database schema.
    Migrate,
    /// Configuration commands.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Build a large dataset and time the indicators on it (README "Performance").
    Bench(BenchArgs),
}

/// `pulso bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Inquiries to generate, spread over all workspaces.
    #[arg(long, default_value_t = 10_000_000, value_name = "N")]
    pub inquiries: u64,
    /// Days of history, ending now.
    #[arg(long, default_value_t = 1095, value_name = "D")]
    pub days: u32,
    /// Workspaces.
    #[arg(long, default_value_t = 3, value_name = "W")]
    pub workspaces: usize,
    /// Database to fill: `postgres://USER@HOST/DB` (created if missing) or `sqlite://FILE`.
    /// Default: a fresh SQLite file in a temporary folder, removed when the run ends.
    #[arg(long, value_name = "URL", conflicts_with = "path")]
    pub database: Option<String>,
    /// A fresh SQLite file to create instead of the temporary one; it is kept (time it again
    /// with `--reuse`).
    #[arg(long, value_name = "FILE")]
    pub path: Option<PathBuf>,
    /// Timed answers per window, after a warm-up of two.
    #[arg(long, default_value_t = 10, value_name = "R")]
    pub runs: usize,
    /// Also write the results as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Random seed of the dataset.
    #[arg(long, default_value_t = 7, value_name = "S")]
    pub seed: u64,
    /// Time an existing benchmark database (from an earlier run) instead of building one.
    #[arg(long)]
    pub reuse: bool,
}

/// `pulso config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration and report every problem; exits non-zero on problems.
    Check,
}

/// Output formats of `pulso indicators`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table with labels in the workspace's language.
    Text,
    /// Machine-readable JSON.
    Json,
}

/// `pulso indicators`.
#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// Workspace id (default: the first configured one).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// Named period, relative to now in the workspace's time zone.
    #[arg(long, value_parser = parse_period, conflicts_with_all = ["from", "to"],
          value_name = "today|yesterday|last-7-days|last-30-days|this-month|last-month")]
    pub period: Option<NamedPeriod>,
    /// First local day, inclusive (with --to).
    #[arg(long, value_parser = parse_date, requires = "to", value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Last local day, inclusive (with --from).
    #[arg(long, value_parser = parse_date, requires = "from", value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
    /// Fix "now" for reproducible output.
    #[arg(long, value_parser = parse_instant, value_name = "RFC3339")]
    pub now: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `pulso run`.
#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Workspace the console answers for (default: the first configured one).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
}

/// `pulso register-commands`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Register in this server only (updates at once) instead of globally.
    #[arg(long, value_name = "ID")]
    pub guild: Option<u64>,
}

/// `pulso digest`.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// Workspace id (default: the first configured one).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// Print the digest and write its chart (the default).
    #[arg(long, conflicts_with = "post")]
    pub print: bool,
    /// Post it to the workspace's digest channel, delivered before the command exits.
    #[arg(long)]
    pub post: bool,
    /// Fix "now" for reproducible output.
    #[arg(long, value_parser = parse_instant, value_name = "RFC3339")]
    pub now: Option<DateTime<Utc>>,
}

/// `pulso balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// Workspace id (default: every Gupshup workspace).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// Run one poll through the alert state machine and deliver its alerts before exiting.
    #[arg(long)]
    pub check: bool,
}

/// `pulso import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CSV with header id,workspace,channel,origin,status,operator_id,requested_at,attended_at,resolved_at,expired_at.
    #[arg(long, value_name = "FILE.csv")]
    pub inquiries: PathBuf,
    /// CSV with header id,workspace,inquiry_id,kind,score,answered_at.
    #[arg(long, value_name = "FILE.csv")]
    pub surveys: Option<PathBuf>,
}

/// `pulso demo-data`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Inquiries per workspace (default: `[demo] inquiries`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=5_000_000), value_name = "N")]
    pub inquiries: Option<u32>,
    /// Days of history ending now (default: `[demo] days`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650), value_name = "D")]
    pub days: Option<u32>,
    /// Random seed (default: `[demo] seed`).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Fix "now" for reproducible data.
    #[arg(long, value_parser = parse_instant, value_name = "RFC3339")]
    pub now: Option<DateTime<Utc>>,
}

fn parse_period(value: &str) -> Result<NamedPeriod, String> {
    value.parse()
}

fn parse_date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|error| format!("{value:?} is not a date ({error}); write YYYY-MM-DD"))
}

fn parse_instant(value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|error| {
            format!(
                "{value:?} is not an RFC 3339 instant ({error}); write e.g. 2026-11-29T12:00:00Z"
            )
        })
}

fn clock(now: Option<DateTime<Utc>>) -> Box<dyn Clock> {
    match now {
        Some(now) => Box::new(FixedClock(now)),
        None => Box::new(SystemClock),
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
    crate::store::set_aggregate_policy(config.aggregates);
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
            let store = Store::open(&config.database).await?;
            store.close().await;
            println!("database {} is up to date", config.database);
            Ok(())
        }
        Command::Indicators(args) => indicators(&config, args).await,
        Command::Digest(args) => digest_command(config, args).await,
        Command::Balance(args) => {
            let now = SystemClock.now();
            crate::alerts::balance_command(config, args.workspace.as_deref(), args.check, now).await
        }
        Command::Import(args) => {
            let store = Store::open(&config.database).await?;
            let ids: Vec<&str> = config.workspaces.iter().map(|w| w.id.as_str()).collect();
            let result =
                import::import_files(&store, &ids, &args.inquiries, args.surveys.as_deref()).await;
            store.close().await;
            let summary = result?;
            println!(
                "imported {} inquiries and {} survey answers",
                summary.inquiries, summary.surveys
            );
            Ok(())
        }
        Command::DemoData(args) => {
            let mut settings = config.demo;
            settings.inquiries = args.inquiries.unwrap_or(settings.inquiries);
            settings.days = args.days.unwrap_or(settings.days);
            settings.seed = args.seed.unwrap_or(settings.seed);
            let store = Store::open(&config.database).await?;
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
        runs: args.runs,
        seed: args.seed,
        reuse: args.reuse,
    };
    let report = crate::bench::run(&options, |line| eprintln!("{line}")).await?;
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
        .collect();
    if !differing.is_empty() {
        bail!(
            "the fast answer differed from the live computation for the {} window(s); this is a bug in pulso, please report it with the --seed used",
            differing.join(", ")
        );
    }
    Ok(())
}

async fn indicators(config: &Config, args: IndicatorsArgs) -> anyhow::Result<()> {
    let workspace = config
        .workspace(args.workspace.as_deref())
        .map_err(|problem| anyhow::anyhow!("--workspace: {problem}"))?;
    let now = clock(args.now).now();
    let request = match (args.period, args.from, args.to) {
        (_, Some(from), Some(to)) => PeriodRequest::Custom { from, to },
        (Some(named), _, _) => PeriodRequest::Named(named),
        _ => PeriodRequest::Named(NamedPeriod::Today),
    };
    let period = match Period::resolve(request, workspace.timezone, now) {
        Ok(period) => period,
        Err(error) => bail!("--from/--to: {error}"),
    };
    let store = Store::open(&config.database).await?;
    if config.demo.enabled {
        let filled = demo::fill_empty_workspaces(&store, &config.workspaces, &config.demo, now)
            .await
            .context("writing demo data ([demo] enabled = true)")?;
        if filled > 0 {
            tracing::info!(
                workspaces = filled,
                "filled empty workspaces with demo data"
            );
        }
    }
    let report = build_report(&store, &workspace.id, &period, now).await;
    store.close().await;
    let report = report?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => print!("{}", render::indicators_text(&report, workspace)),
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
    let settings = config.discord.clone();
    let ctx = app::context(config).await?;
    let digest = crate::digest::build(&ctx.store, &workspace, now, None).await?;
    let result = if args.post {
        post_digest(&ctx, &settings, &workspace, digest, now).await
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
    ctx.store.close().await;
    result
}

async fn post_digest(
    ctx: &crate::bot::BotContext,
    settings: &crate::config::DiscordSettings,
    workspace: &crate::config::Workspace,
    digest: crate::digest::Digest,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let channel =
        crate::schedule::digest_channel(workspace, settings.transport).ok_or_else(|| {
            anyhow::anyhow!(
                "workspaces.digest.channel_id: {} has no digest channel; set one to post",
                workspace.id
            )
        })?;
    let sender = app::outbox_sender(settings).ok_or_else(|| {
        anyhow::anyhow!(
            "posting needs the bot token in {}",
            crate::config::DISCORD_TOKEN_ENV
        )
    })?;
    let key = format!("manual:{}:{}", workspace.id, now.timestamp());
    let message = crate::digest::message(workspace, channel, key.clone(), digest);
    ctx.store
        .enqueue(&message, SystemClock.now().timestamp())
        .await?;
    let deadline = std::time::Instant::now() + POST_WAIT;
    loop {
        crate::outbox::deliver_due(&ctx.store, &sender, SystemClock.now()).await?;
        match ctx.store.outbox_status(&key).await? {
            Some((status, _, Some(message_id))) if status == "sent" => {
                println!(
                    "posted the digest of {} to channel {channel} (message {message_id})",
                    workspace.id
                );
                return Ok(());
            }
            Some((status, error, _)) if status == "failed" => {
                bail!("Discord refused the digest: {}", error.unwrap_or_default())
            }
            _ if std::time::Instant::now() > deadline => {
                bail!(
                    "the digest is still waiting in the outbox after {} s; the running bot will deliver it",
                    POST_WAIT.as_secs()
                )
            }
            _ => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
        }
    }
}
