//! The benchmark's dataset as the CSV files users hand to `pulso import`, in one pass over
//! the generator:
//!
//! - `inquiries.csv` / `surveys.csv`: time order, ids `b` + number (what the generator makes);
//! - `inquiries-shuffled.csv` / `surveys-shuffled.csv`: the same rows in random order with
//!   UUID ids (an answer's `inquiry_id` is its inquiry's UUID);
//! - `upsert-inquiries.csv` / `upsert-surveys.csv`: a tenth as many rows, shuffled, about
//!   half changing existing inquiries (see [`changed`]) and half new ones with their answers.
//!
//! Memory stays bounded: shuffled rows are dealt at random into bucket files of about
//! [`BUCKET_ROWS`] rows, then each bucket is shuffled in memory and appended to its file.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{DateTime, Duration};
use rand::seq::SliceRandom as _;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::csv_lines::{
    INQUIRY_HEADER, SURVEY_HEADER, answer_key, inquiry_fields, survey_line, uuid,
};
use super::data::{self, Shape};
use crate::domain::{Inquiry, InquiryStatus};

/// Rows per bucket file (about 15 MB of CSV): what one bucket's shuffle holds in memory.
const BUCKET_ROWS: u64 = 100_000;

/// Rows between progress lines and yields to the runtime (so Ctrl-C is seen).
const STEP: u64 = 10_000;

/// Seeds of the dealing and upsert choices, apart from the dataset's own stream so the
/// rows stay those of earlier versions for the same `--seed`.
const DEAL_SEED: u64 = 0x5eed_dea1;
const UPSERT_SEED: u64 = 0x5eed_0b5e;

/// One pair of files `pulso import` takes.
#[derive(Debug, Clone)]
pub struct CsvPair {
    /// `--inquiries`.
    pub inquiries: PathBuf,
    /// `--surveys`.
    pub surveys: PathBuf,
    /// Inquiry rows in it.
    pub inquiry_rows: u64,
    /// Answer rows in it.
    pub survey_rows: u64,
    /// Both files' size.
    pub bytes: u64,
}

/// The three variants the benchmark imports.
#[derive(Debug, Clone)]
pub struct CsvFiles {
    /// Time order, integer-like ids.
    pub ordered: CsvPair,
    /// The same rows shuffled, UUID ids.
    pub shuffled: CsvPair,
    /// Changes and additions to `ordered`, shuffled.
    pub upsert: CsvPair,
}

impl CsvFiles {
    /// Removes the files (gigabytes at full size) once imported, when they are not kept.
    pub fn remove(&self) {
        for pair in [&self.ordered, &self.shuffled, &self.upsert] {
            let _ = std::fs::remove_file(&pair.inquiries);
            let _ = std::fs::remove_file(&pair.surveys);
        }
    }
}

/// Writes all six files into `dir`; `progress` gets a line every tenth of the rows.
///
/// # Errors
/// Any file that cannot be written.
pub async fn write(dir: &Path, shape: &Shape, progress: impl Fn(&str)) -> anyhow::Result<CsvFiles> {
    let buckets = shape.inquiries.div_ceil(BUCKET_ROWS).clamp(1, 128) as usize;
    let upsert_buckets = (shape.inquiries / 10).div_ceil(BUCKET_ROWS).clamp(1, 128) as usize;
    let mut ordered = (
        Lines::create(dir.join("inquiries.csv"), INQUIRY_HEADER)?,
        Lines::create(dir.join("surveys.csv"), SURVEY_HEADER)?,
    );
    let mut shuffled = (
        Buckets::create(dir, "inquiries-shuffled", buckets)?,
        Buckets::create(dir, "surveys-shuffled", buckets)?,
    );
    let mut upsert = (
        Buckets::create(dir, "upsert-inquiries", upsert_buckets)?,
        Buckets::create(dir, "upsert-surveys", upsert_buckets)?,
    );
    let mut deal = ChaCha8Rng::seed_from_u64(shape.seed ^ DEAL_SEED);
    let mut change = ChaCha8Rng::seed_from_u64(shape.seed ^ UPSERT_SEED);
    let (mut fields, mut line) = (String::new(), String::new());
    let tenth = (shape.inquiries / 10).max(1);
    for (number, inquiry, answer) in shape.rows() {
        inquiry_fields(&mut fields, &inquiry);
        ordered.0.write(&[&inquiry.id, &fields])?;
        let id = uuid(shape.seed, number);
        shuffled.0.deal(&mut deal, &[&id, &fields])?;
        if let Some(answer) = &answer {
            survey_line(&mut line, answer, &answer.id, &inquiry.id);
            ordered.1.write(&[&line])?;
            survey_line(
                &mut line,
                answer,
                &uuid(shape.seed, answer_key(number)),
                &id,
            );
            shuffled.1.deal(&mut deal, &[&line])?;
        }
        if change.gen_ratio(1, 20) {
            let changed = changed(&inquiry, &mut change);
            inquiry_fields(&mut fields, &changed);
            upsert.0.deal(&mut deal, &[&changed.id, &fields])?;
        }
        if (number + 1) % STEP == 0 {
            if (number + 1) % tenth < STEP {
                progress(&format!("  {} inquiries generated", number + 1));
            }
            tokio::task::yield_now().await;
        }
    }
    for number in shape.inquiries..shape.inquiries + shape.inquiries / 20 {
        let (inquiry, answer) = added(shape, number, &mut change);
        inquiry_fields(&mut fields, &inquiry);
        upsert.0.deal(&mut deal, &[&inquiry.id, &fields])?;
        if let Some(answer) = answer {
            survey_line(&mut line, &answer, &answer.id, &inquiry.id);
            upsert.1.deal(&mut deal, &[&line])?;
        }
    }
    progress("  shuffling …");
    Ok(CsvFiles {
        ordered: pair(ordered.0.finish()?, ordered.1.finish()?),
        shuffled: pair(
            shuffled.0.finish(INQUIRY_HEADER, &mut deal).await?,
            shuffled.1.finish(SURVEY_HEADER, &mut deal).await?,
        ),
        upsert: pair(
            upsert.0.finish(INQUIRY_HEADER, &mut deal).await?,
            upsert.1.finish(SURVEY_HEADER, &mut deal).await?,
        ),
    })
}

fn pair(inquiries: (PathBuf, u64, u64), surveys: (PathBuf, u64, u64)) -> CsvPair {
    CsvPair {
        inquiries: inquiries.0,
        surveys: surveys.0,
        inquiry_rows: inquiries.1,
        survey_rows: surveys.1,
        bytes: inquiries.2 + surveys.2,
    }
}

/// An existing inquiry changed the way a platform's later export would, staying valid
/// (`Inquiry::consistency_problems`): a resolved one resolved sooner by another operator
/// (its answer, answered after the old time, stays after the new), one in progress handed
/// to another operator, a pending or expired one filed under another origin.
fn changed(inquiry: &Inquiry, rng: &mut ChaCha8Rng) -> Inquiry {
    let mut changed = inquiry.clone();
    let operator = Some(format!("op-{}", rng.gen_range(41..=50)));
    match (changed.status, changed.attended_at, changed.resolved_at) {
        (InquiryStatus::Resolved, Some(attended), Some(resolved)) => {
            let half = (resolved - attended).num_seconds() / 2;
            changed.resolved_at = Some(attended + Duration::seconds(half));
            changed.operator_id = operator;
        }
        (InquiryStatus::InProgress, ..) => changed.operator_id = operator,
        _ => changed.origin = format!("{}-reviewed", changed.origin),
    }
    debug_assert!(changed.consistency_problems().is_empty(), "{changed:?}");
    changed
}

/// A new inquiry (number `number`, past the dataset's) requested at a random instant of the
/// history, with its answer if it has one.
fn added(
    shape: &Shape,
    number: u64,
    rng: &mut ChaCha8Rng,
) -> (Inquiry, Option<crate::domain::SurveyResponse>) {
    let at = rng.gen_range(shape.first()..shape.now.timestamp());
    let requested_at = DateTime::from_timestamp(at, 0).unwrap_or(shape.now);
    let (workspace, _) = data::workspace((number % shape.workspaces as u64) as usize);
    let inquiry = data::inquiry(rng, &workspace, number, requested_at, shape.now);
    let answer = data::survey(rng, &inquiry, shape.now);
    (inquiry, answer)
}

/// A CSV file written line by line.
struct Lines {
    path: PathBuf,
    out: BufWriter<File>,
    rows: u64,
}

impl Lines {
    fn create(path: PathBuf, header: &str) -> anyhow::Result<Lines> {
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        out.write_all(header.as_bytes())?;
        Ok(Lines { path, out, rows: 0 })
    }

    /// Writes one row given as pieces (the last ends with its newline).
    fn write(&mut self, pieces: &[&str]) -> anyhow::Result<()> {
        for piece in pieces {
            self.out.write_all(piece.as_bytes())?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Flushes; returns the path, rows and bytes.
    fn finish(self) -> anyhow::Result<(PathBuf, u64, u64)> {
        let file = self
            .out
            .into_inner()
            .map_err(|error| error.into_error())
            .with_context(|| format!("writing {}", self.path.display()))?;
        let bytes = file.metadata()?.len();
        Ok((self.path, self.rows, bytes))
    }
}

/// Rows dealt at random into bucket files, shuffled bucket by bucket into `<name>.csv`.
struct Buckets {
    path: PathBuf,
    buckets: Vec<Lines>,
}

impl Buckets {
    fn create(dir: &Path, name: &str, count: usize) -> anyhow::Result<Buckets> {
        let buckets = (0..count)
            .map(|i| Lines::create(dir.join(format!("{name}.bucket{i}")), ""))
            .collect::<anyhow::Result<_>>()?;
        Ok(Buckets {
            path: dir.join(format!("{name}.csv")),
            buckets,
        })
    }

    fn deal(&mut self, rng: &mut ChaCha8Rng, pieces: &[&str]) -> anyhow::Result<()> {
        let bucket = rng.gen_range(0..self.buckets.len());
        self.buckets[bucket].write(pieces)
    }

    /// Writes the file: the header, then each bucket's lines shuffled; removes the buckets.
    async fn finish(
        self,
        header: &str,
        rng: &mut ChaCha8Rng,
    ) -> anyhow::Result<(PathBuf, u64, u64)> {
        let mut out = Lines::create(self.path, header)?;
        for bucket in self.buckets {
            let (path, _, _) = bucket.finish()?;
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let mut lines: Vec<&str> = text.lines().collect();
            lines.shuffle(rng);
            for line in lines {
                out.write(&[line, "\n"])?;
            }
            drop(text);
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            tokio::task::yield_now().await;
        }
        out.finish()
    }
}
