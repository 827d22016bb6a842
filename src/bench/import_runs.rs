//! Timing `pulso import` the way users run it: this executable as a child process with a
//! generated configuration, on the CSV files of [`super::csv_files`], one run per scenario.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;

use super::child;
use super::csv_files::CsvPair;
use super::data;
use crate::config::{Backend, DatabaseUrl};
use crate::store::Store;

/// The import scenarios, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// Time-ordered rows, `b…` ids, into an empty database (the one then queried).
    TimeOrdered,
    /// The same rows shuffled with UUID ids, into a second empty database.
    ShuffledUuid,
    /// A tenth as many rows, half changes and half new, into the first database.
    Upsert,
}

impl Scenario {
    /// Its name in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::TimeOrdered => "time-ordered",
            Scenario::ShuffledUuid => "shuffled UUID",
            Scenario::Upsert => "upsert",
        }
    }

    /// The target, rows (inquiries + answers) per second, on `backend`.
    pub fn target_rows_per_second(self, backend: Backend) -> f64 {
        match (backend, self) {
            (Backend::Sqlite, Scenario::TimeOrdered) => 200_000.0,
            (Backend::Sqlite, Scenario::ShuffledUuid) => 150_000.0,
            (Backend::Sqlite, Scenario::Upsert) => 100_000.0,
            (Backend::Postgres, Scenario::TimeOrdered) => 150_000.0,
            (Backend::Postgres, Scenario::ShuffledUuid) => 100_000.0,
            (Backend::Postgres, Scenario::Upsert) => 50_000.0,
        }
    }
}

/// The bound on an import's peak RSS, whatever the file's size.
pub const TARGET_PEAK_RSS_BYTES: u64 = 300_000_000;

/// One `pulso import` run.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRun {
    /// What was imported into what.
    pub scenario: Scenario,
    /// The database it wrote, password redacted.
    pub database: String,
    /// Inquiry rows in the file.
    pub inquiries: u64,
    /// Answer rows in the file.
    pub survey_answers: u64,
    /// Both files' size, bytes.
    pub csv_bytes: u64,
    /// The process from start to exit (reading, checking, writing, committing).
    pub wall_seconds: f64,
    /// (inquiries + answers) / wall seconds.
    pub rows_per_second: f64,
    /// The child's peak RSS (`ru_maxrss`); `None` where the platform does not say.
    pub peak_rss_bytes: Option<u64>,
    /// The target for this scenario and backend.
    pub target_rows_per_second: f64,
    /// Rows per second and peak RSS both within their targets.
    pub meets_targets: bool,
}

/// The configuration the children run with: the database, every benchmark workspace, no
/// demo data (which would fill the empty database before the import).
pub fn config_toml(url: &DatabaseUrl, workspaces: usize) -> String {
    let mut toml = String::from("# Written by `pulso bench` for its `pulso import` runs.\n");
    // A URL with a password cannot live in a file; the children get it from the environment.
    if DatabaseUrl::parse(url.expose(), false).is_ok() {
        toml += &format!("[database]\nurl = {:?}\n", url.expose());
    }
    toml += "\n[demo]\nenabled = false\n";
    for index in 0..workspaces {
        let (id, tz) = data::workspace(index);
        toml += &format!(
            "\n[[workspaces]]\nid = {id:?}\nname = {id:?}\ntimezone = {:?}\nlocale = \"en\"\n",
            tz.name()
        );
    }
    toml
}

/// Where the children run: the executable and the configuration file.
#[derive(Debug, Clone)]
pub struct Runner {
    /// This pulso.
    pub exe: PathBuf,
    /// The generated configuration.
    pub config: PathBuf,
    /// Folder for the children's output files.
    pub scratch: PathBuf,
}

impl Runner {
    /// A `pulso --config FILE` command against `url` (also in the environment, which
    /// carries a password the file cannot).
    pub fn command(&self, url: &DatabaseUrl) -> std::process::Command {
        let mut command = child::pulso(&self.exe);
        command
            .env(crate::config::DATABASE_URL_ENV, url.expose())
            .arg("--config")
            .arg(&self.config);
        command
    }

    /// Runs `pulso import` of `files` into `url` and measures it.
    ///
    /// # Errors
    /// When the import fails (its stderr is in the message).
    pub async fn import(
        &self,
        scenario: Scenario,
        url: &DatabaseUrl,
        files: &CsvPair,
    ) -> anyhow::Result<ImportRun> {
        let mut command = self.command(url);
        command
            .arg("import")
            .arg("--inquiries")
            .arg(&files.inquiries)
            .arg("--surveys")
            .arg(&files.surveys);
        let measured = child::run(command, &self.scratch, "import").await?;
        let rows = (files.inquiry_rows + files.survey_rows) as f64;
        let seconds = measured.wall.as_secs_f64();
        let rows_per_second = rows / seconds.max(1e-9);
        let target = scenario.target_rows_per_second(url.backend());
        Ok(ImportRun {
            scenario,
            database: url.to_string(),
            inquiries: files.inquiry_rows,
            survey_answers: files.survey_rows,
            csv_bytes: files.bytes,
            wall_seconds: seconds,
            rows_per_second,
            peak_rss_bytes: measured.peak_rss_bytes,
            target_rows_per_second: target,
            meets_targets: rows_per_second >= target
                && measured
                    .peak_rss_bytes
                    .is_none_or(|rss| rss <= TARGET_PEAK_RSS_BYTES),
        })
    }

    /// The shuffled import into a database of its own, which is removed afterwards
    /// whatever happened: on SQLite a file in `scratch`, on PostgreSQL `<name>_shuffled`
    /// (dropped first if an interrupted run left it).
    ///
    /// # Errors
    /// The import's or the database's failure.
    pub async fn import_shuffled(
        &self,
        first: &DatabaseUrl,
        files: &CsvPair,
    ) -> anyhow::Result<ImportRun> {
        match first.backend() {
            Backend::Sqlite => {
                let path = self.scratch.join("bench-shuffled.db");
                let url = sqlite_url(&path)?;
                let run = self.import(Scenario::ShuffledUuid, &url, files).await;
                for suffix in ["", "-wal", "-shm"] {
                    let mut name = path.clone().into_os_string();
                    name.push(suffix);
                    let _ = std::fs::remove_file(name);
                }
                run
            }
            Backend::Postgres => {
                let url = postgres_sibling(first, "_shuffled")?;
                Store::drop_postgres_database(&url).await?;
                Store::create_postgres_database(&url).await?;
                let run = self.import(Scenario::ShuffledUuid, &url, files).await;
                let dropped = Store::drop_postgres_database(&url).await;
                let run = run?;
                dropped.with_context(|| format!("dropping {url}"))?;
                Ok(run)
            }
        }
    }
}

fn sqlite_url(path: &Path) -> anyhow::Result<DatabaseUrl> {
    DatabaseUrl::parse(&format!("sqlite://{}", path.display()), true)
        .map_err(|problem| anyhow::anyhow!("{problem}"))
}

/// The database next to `url`'s on the same server: its name plus `suffix`.
fn postgres_sibling(url: &DatabaseUrl, suffix: &str) -> anyhow::Result<DatabaseUrl> {
    let mut parsed = url::Url::parse(url.expose()).context("the PostgreSQL URL")?;
    let name = parsed.path().trim_start_matches('/').to_string();
    parsed.set_path(&format!("/{name}{suffix}"));
    DatabaseUrl::parse(parsed.as_str(), true).map_err(|problem| anyhow::anyhow!("{problem}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_postgres_database_is_named_after_the_first() {
        let url = DatabaseUrl::parse("postgres://u@127.0.0.1:5432/pulso_bench?x=1", true).unwrap();
        let sibling = postgres_sibling(&url, "_shuffled").unwrap();
        assert_eq!(
            sibling.expose(),
            "postgres://u@127.0.0.1:5432/pulso_bench_shuffled?x=1"
        );
    }

    #[test]
    fn the_generated_configuration_loads() {
        let url = DatabaseUrl::parse("sqlite://bench.db", true).unwrap();
        let toml = config_toml(&url, 4);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.toml");
        std::fs::write(&path, toml).unwrap();
        let config = crate::config::Config::load(Some(&path)).unwrap();
        assert_eq!(config.workspaces.len(), 4);
        assert!(!config.demo.enabled);
    }
}
