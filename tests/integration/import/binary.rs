//! The `pulso import` binary for the kill and progress tests: a folder with a config of the
//! workspaces `w` and `x`, the database given as `PULSO_DATABASE_URL` (as in production),
//! and big generated files written straight to disk.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chrono::Duration;

use super::{INQUIRY_HEADER, SURVEY_HEADER};
use crate::helpers::utc;

/// A folder holding `pulso.toml` (workspaces `w` and `x`, no demo data) for runs of the
/// binary against `url`.
pub(super) struct Sandbox {
    pub dir: tempfile::TempDir,
    url: String,
}

impl Sandbox {
    pub fn new(url: &str) -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = "[database]\nurl = \"sqlite://unused.db\"\n\n[demo]\nenabled = false\n\n\
                      [[workspaces]]\nid = \"w\"\nname = \"W\"\ntimezone = \"UTC\"\nlocale = \"en\"\n\n\
                      [[workspaces]]\nid = \"x\"\nname = \"X\"\ntimezone = \"UTC\"\nlocale = \"en\"\n";
        std::fs::write(dir.path().join("pulso.toml"), config).expect("write config");
        Sandbox {
            dir,
            url: url.to_string(),
        }
    }

    /// `pulso --config pulso.toml import --inquiries INQUIRIES [--surveys SURVEYS]`, not
    /// started yet; stdin empty, stdout and stderr piped.
    pub fn import_command(&self, inquiries: &Path, surveys: Option<&Path>) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pulso"));
        command
            .current_dir(self.dir.path())
            .env_remove("PULSO_CONFIG")
            .env_remove("PULSO_LOG")
            .env("PULSO_DATABASE_URL", &self.url)
            .args(["--config", "pulso.toml", "import", "--inquiries"])
            .arg(inquiries)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(surveys) = surveys {
            command.arg("--surveys").arg(surveys);
        }
        command
    }

    /// Starts an import.
    pub fn spawn_import(&self, inquiries: &Path, surveys: Option<&Path>) -> Child {
        self.import_command(inquiries, surveys)
            .spawn()
            .expect("start pulso import")
    }

    /// Runs an import to its end, expecting success; returns stdout and stderr.
    pub fn import(&self, inquiries: &Path, surveys: Option<&Path>) -> (String, String) {
        let output = self
            .import_command(inquiries, surveys)
            .output()
            .expect("run pulso import");
        let stdout = String::from_utf8(output.stdout).expect("UTF-8 stdout");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
        assert!(
            output.status.success(),
            "pulso import failed ({}):\n{stdout}\n{stderr}",
            output.status
        );
        (stdout, stderr)
    }
}

/// Writes `rows` inquiries `{prefix}{n}` in a shuffled time order (each requested at its own
/// second over 30 days; the order of `n` is scrambled by a fixed odd multiplier), every one
/// resolved (so they touch three time indexes), and one survey answer per fourth inquiry.
/// Returns the two files and their row counts.
pub(super) fn write_big_files(
    dir: &Path,
    name: &str,
    prefix: &str,
    rows: u64,
    channel: &str,
) -> ((PathBuf, PathBuf), (u64, u64)) {
    let start = utc(2026, 3, 1, 0, 0, 0);
    let inquiries = dir.join(format!("{name}-inquiries.csv"));
    let surveys = dir.join(format!("{name}-surveys.csv"));
    let mut inquiry_file = std::io::BufWriter::new(std::fs::File::create(&inquiries).unwrap());
    let mut survey_file = std::io::BufWriter::new(std::fs::File::create(&surveys).unwrap());
    writeln!(inquiry_file, "{INQUIRY_HEADER}").unwrap();
    writeln!(survey_file, "{SURVEY_HEADER}").unwrap();
    let seconds = 30 * 86_400 / rows.max(1);
    let mut answers = 0;
    for line in 0..rows {
        // A bijection of 0..rows when the multiplier is odd and rows a power of ten: shuffled.
        let n = (line * 7_919 + 13) % rows;
        let at = start + Duration::seconds((n * seconds) as i64);
        let fmt = |at: chrono::DateTime<chrono::Utc>| {
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        let workspace = if n % 3 == 0 { "x" } else { "w" };
        writeln!(
            inquiry_file,
            "{prefix}{n},{workspace},{channel},payments,resolved,op-{},{},{},{},",
            n % 17,
            fmt(at),
            fmt(at + Duration::minutes((n % 50) as i64)),
            fmt(at + Duration::minutes(60 + (n % 200) as i64)),
        )
        .unwrap();
        if n % 4 == 0 {
            answers += 1;
            writeln!(
                survey_file,
                "{prefix}s{n},{workspace},{prefix}{n},nps,{},{}",
                n % 11,
                fmt(at + Duration::minutes(300)),
            )
            .unwrap();
        }
    }
    inquiry_file.flush().unwrap();
    survey_file.flush().unwrap();
    ((inquiries, surveys), (rows, answers))
}
