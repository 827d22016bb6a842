//! The command line's shape: subcommands, their options and how option values are parsed
//! (clap derives the help text from the doc comments below).

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::CONFIG_ENV;
use crate::domain::{InquiryStatus, NamedPeriod, PeriodRequest};

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

impl Cli {
    /// Whether the command runs for long or keeps both cores busy (`run`, `bench`,
    /// `import`), and so gets tokio's multi-threaded runtime. Every other command answers
    /// once and exits: on one thread it starts no worker threads and wakes none, which is
    /// most of what a one-shot command spends beyond its own queries.
    pub fn wants_worker_threads(&self) -> bool {
        matches!(
            self.command,
            None | Some(Command::Run(_) | Command::Bench(_) | Command::Import(_))
        )
    }
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
    /// Inquiries of one status with the oldest open ones: pending (without a period) and in
    /// progress are the queue now; resolved and expired count a period (default today).
    Inquiries(InquiriesArgs),
    /// Build a workspace's digest now: print it (default) or post it through the outbox.
    Digest(DigestArgs),
    /// The Gupshup wallet balance now, or `--check`: one monitor poll, alerts delivered.
    Balance(BalanceArgs),
    /// The WhatsApp account's health as last read: app, account, quality, templates, wallet.
    Whatsapp(WhatsappArgs),
    /// Alert rules: evaluate them now (`check`) or show their state (`status`).
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// Import inquiries (and survey answers) from CSV files, all or nothing.
    Import(ImportArgs),
    /// Write generated demo inquiries for every configured workspace.
    DemoData(DemoArgs),
    /// Create or update the database schema.
    Migrate,
    /// Configuration commands.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Build a large dataset and time the indicators on it (docs/performance.md).
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
    /// Write the CSV files `pulso import` is timed on into this folder and keep them.
    /// Default: a temporary folder next to the database, removed when the run ends.
    #[arg(long, value_name = "DIR")]
    pub csv_dir: Option<PathBuf>,
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
    /// The period (default today).
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Fix "now" for reproducible output.
    #[arg(long, value_parser = parse_instant, value_name = "RFC3339")]
    pub now: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only these inquiries.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// One row per operator, origin or channel instead of the workspace's totals.
    #[arg(long, value_name = "operator|origin|channel")]
    pub by: Option<String>,
    /// Show the first N rows of the breakdown and sum the rest as "others" (N ≥ 1).
    #[arg(long, value_name = "N", requires = "by")]
    pub top: Option<String>,
    /// Order of the breakdown's rows (default resolved): counts most first, times slowest
    /// first, scores lowest first.
    #[arg(
        long,
        requires = "by",
        value_name = "resolved|expired|attention|resolution|csat|nps"
    )]
    pub sort: Option<String>,
}

/// `--operator`, `--origin`, `--channel`: comma-separated values an answer is restricted
/// to, declared once for every command that filters. Read as text and parsed by the
/// command, so a bad value is reported as `--origin: …` like the other option errors.
#[derive(Debug, Default, Args)]
pub struct FilterArgs {
    /// Only inquiries handled by these operators (comma-separated).
    #[arg(long, value_name = "V[,V]")]
    pub operator: Option<String>,
    /// Only inquiries of these origins (comma-separated).
    #[arg(long, value_name = "V[,V]")]
    pub origin: Option<String>,
    /// Only inquiries of these channels (comma-separated).
    #[arg(long, value_name = "V[,V]")]
    pub channel: Option<String>,
}

/// `--period P` or `--from D --to D`, declared once for every command that takes a period.
#[derive(Debug, Args)]
pub struct PeriodArgs {
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
}

impl PeriodArgs {
    /// The period asked for; `None` when neither `--period` nor `--from`/`--to` was given.
    pub fn request(&self) -> Option<PeriodRequest> {
        match (self.period, self.from, self.to) {
            (_, Some(from), Some(to)) => Some(PeriodRequest::Custom { from, to }),
            (Some(named), _, _) => Some(PeriodRequest::Named(named)),
            _ => None,
        }
    }
}

/// `pulso inquiries`.
#[derive(Debug, Args)]
pub struct InquiriesArgs {
    /// Which inquiries.
    #[arg(long, value_parser = parse_status, value_name = "pending|in_progress|resolved|expired")]
    pub status: InquiryStatus,
    /// Workspace id (default: the first configured one).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// The period; for pending it counts the pending requested in it instead of the queue.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Fix "now" for reproducible output.
    #[arg(long, value_parser = parse_instant, value_name = "RFC3339")]
    pub now: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only these inquiries.
    #[command(flatten)]
    pub filter: FilterArgs,
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
    /// Run one poll through the alert engine and deliver its alerts before exiting.
    #[arg(long)]
    pub check: bool,
}

/// `pulso whatsapp`.
#[derive(Debug, Args)]
pub struct WhatsappArgs {
    /// Workspace id (default: the only workspace).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// `text` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `pulso alerts …`.
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Evaluate every alert rule once, exactly as the scheduler's tick does, and deliver
    /// the alerts it produced before exiting (for cron setups and scripted checks).
    Check(AlertsCheckArgs),
    /// Show each rule's level, value, since, snooze and acknowledgement.
    Status(AlertsStatusArgs),
}

/// `pulso alerts check`.
#[derive(Debug, Args)]
pub struct AlertsCheckArgs {
    /// Workspace id (default: every workspace with rules).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// Evaluate as of this instant (default: now).
    #[arg(long, value_parser = parse_instant, value_name = "RFC3339")]
    pub now: Option<DateTime<Utc>>,
}

/// `pulso alerts status`.
#[derive(Debug, Args)]
pub struct AlertsStatusArgs {
    /// Workspace id (default: every workspace with rules or a Gupshup balance).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
    /// `text` for people, `json` for programs.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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

fn parse_status(value: &str) -> Result<InquiryStatus, String> {
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
