//! `pulso import`: CSV files into the inquiry tables, all or nothing.
//!
//! Files are streamed row by row; valid rows are written in batches inside one transaction
//! while the rest of the file is still checked. The first bad row stops the writing but not
//! the checking, so one run reports up to [`MAX_REPORTED`] problems as `FILE:LINE: column:
//! problem`, and a rejected import rolls back: nothing is written.
//!
//! Memory does not grow with the file: nothing is kept of a row once it is written. An id
//! given twice in a file is found by the database (the write refuses a key written twice,
//! [`RepeatedKeys::Refuse`]); only then, or when other problems were found, a second pass
//! over the files finds the lines of every repeat (`repeats`).

mod progress;
mod repeats;
mod rows;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::{Inquiry, SurveyResponse};
use crate::store::{InquiryWriter, RepeatedKeys, Store, StoreError};
pub use progress::ImportProgress;
use rows::{Fields, FileKind, Row};

/// How many problems one rejected import lists.
pub const MAX_REPORTED: usize = 20;

/// Header of an inquiries file.
pub const INQUIRY_COLUMNS: [&str; 10] = [
    "id",
    "workspace",
    "channel",
    "origin",
    "status",
    "operator_id",
    "requested_at",
    "attended_at",
    "resolved_at",
    "expired_at",
];

/// Header of a survey answers file.
pub const SURVEY_COLUMNS: [&str; 6] = [
    "id",
    "workspace",
    "inquiry_id",
    "kind",
    "score",
    "answered_at",
];

/// Rows written by a successful import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    /// Inquiry rows read and upserted.
    pub inquiries: u64,
    /// Survey rows read and upserted.
    pub surveys: u64,
}

/// One thing wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// The file.
    pub file: PathBuf,
    /// 1-based line number (the header is line 1).
    pub line: u64,
    /// The column at fault, or `row` for the row as a whole.
    pub column: String,
    /// What is wrong, and where useful, how to fix it.
    pub problem: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.problem
        )
    }
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A file could not be opened or read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: csv::Error,
    },
    /// Rows broke the contract; the listed ones are the first [`MAX_REPORTED`].
    #[error("import rejected, nothing was written: {total} problem(s){}\n{}",
        if *total > problems.len() { format!(" (first {} shown)", problems.len()) } else { String::new() },
        problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Rejected {
        /// The first problems found.
        problems: Vec<ImportProblem>,
        /// How many problems there were in all.
        total: usize,
    },
    /// The database failed; the transaction was rolled back.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports an inquiries file and, optionally, a survey answers file in one transaction.
///
/// `workspaces` are the configured workspace ids; rows for any other workspace are refused,
/// since pulso could never report on them. `progress` hears how far the reading got.
///
/// # Errors
/// [`ImportError`]; in every case nothing is written.
pub async fn import_files(
    store: &Store,
    workspaces: &[&str],
    inquiries: &Path,
    surveys: Option<&Path>,
    progress: &mut dyn ImportProgress,
) -> Result<ImportSummary, ImportError> {
    let files: Vec<(&Path, FileKind)> = std::iter::once((inquiries, FileKind::Inquiries))
        .chain(surveys.map(|path| (path, FileKind::Surveys)))
        .collect();
    let total_bytes = files
        .iter()
        .map(|(path, _)| std::fs::metadata(path).map_or(0, |meta| meta.len()))
        .sum();
    progress.started(total_bytes);
    let mut run = ImportRun {
        writer: Some(store.writer_with(RepeatedKeys::Refuse).await?),
        problems: Vec::new(),
        total_problems: 0,
        workspaces,
        progress,
        read: Counted::default(),
    };
    let mut summary = ImportSummary::default();
    let mut readable = Vec::new();
    for (index, &(path, kind)) in files.iter().enumerate() {
        let (rows, order) = run.read_file(index, path, kind).await?;
        match kind {
            FileKind::Inquiries => summary.inquiries = rows,
            FileKind::Surveys => summary.surveys = rows,
        }
        if let Some(order) = order {
            readable.push((index, path, kind, order));
        }
    }
    let committed = match run.writer.take() {
        Some(writer) if run.total_problems == 0 => {
            run.progress.finishing();
            writer.commit().await
        }
        _ => Ok(()),
    };
    match committed {
        Ok(()) if run.total_problems == 0 => return Ok(summary),
        Ok(()) | Err(StoreError::RepeatedKey { .. }) => {}
        Err(error) => return Err(error.into()),
    }
    // Refused: find every id given twice, with its lines, and list it with the rest.
    run.progress.refused();
    for (index, path, kind, order) in readable {
        let found = repeats::find(path.to_path_buf(), kind.columns(), order).await?;
        run.total_problems += found.total;
        run.problems
            .extend(found.first.into_iter().map(|repeat| Numbered {
                file_index: index,
                problem: ImportProblem {
                    file: path.to_path_buf(),
                    line: repeat.line,
                    column: "id".into(),
                    problem: format!(
                        "duplicate id in this file (first on line {})",
                        repeat.first_line
                    ),
                },
            }));
    }
    if run.total_problems == 0 {
        // The database saw a key twice that the files do not repeat: say what it said.
        return Err(StoreError::RepeatedKey {
            table: "the import",
        }
        .into());
    }
    // Stable: within a line, the repeat comes after the line's other problems.
    run.problems
        .sort_by_key(|numbered| (numbered.file_index, numbered.problem.line));
    run.problems.truncate(MAX_REPORTED);
    Err(ImportError::Rejected {
        problems: run.problems.into_iter().map(|n| n.problem).collect(),
        total: run.total_problems,
    })
}

/// A problem with the position of its file among the import's files, for sorting.
struct Numbered {
    file_index: usize,
    problem: ImportProblem,
}

/// Rows and bytes read so far, over all files.
#[derive(Debug, Clone, Copy, Default)]
struct Counted {
    rows: u64,
    bytes: u64,
}

/// Records between two progress reports.
const PROGRESS_EVERY: u64 = 4096;

struct ImportRun<'a> {
    /// `None` once a problem was found: later rows are only checked.
    writer: Option<InquiryWriter>,
    /// The first [`MAX_REPORTED`] problems found while reading.
    problems: Vec<Numbered>,
    total_problems: usize,
    workspaces: &'a [&'a str],
    progress: &'a mut dyn ImportProgress,
    /// What the files before the current one added up to.
    read: Counted,
}

impl ImportRun<'_> {
    fn report(&mut self, file_index: usize, file: &Path, line: u64, column: &str, problem: String) {
        self.total_problems += 1;
        self.writer = None;
        if self.problems.len() < MAX_REPORTED {
            self.problems.push(Numbered {
                file_index,
                problem: ImportProblem {
                    file: file.to_path_buf(),
                    line,
                    column: column.to_string(),
                    problem,
                },
            });
        }
    }

    /// Reads, checks and writes one file; returns its rows and, when its header was
    /// complete, where each expected column is.
    async fn read_file(
        &mut self,
        file_index: usize,
        path: &Path,
        kind: FileKind,
    ) -> Result<(u64, Option<Vec<usize>>), ImportError> {
        let expected = kind.columns();
        let parse = kind.parser();
        let (mut reader, header) = open_csv(path)?;
        let Some(order) = self.column_order(file_index, path, &header, expected) else {
            return Ok((0, None));
        };
        let mut batch_inquiries = Vec::new();
        let mut batch_surveys = Vec::new();
        let mut rows = 0;
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            if rows % PROGRESS_EVERY == 0 {
                self.progress.read(
                    self.read.rows + rows,
                    self.read.bytes + reader.position().byte(),
                );
            }
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    let line = error.position().map_or(line, csv::Position::line);
                    let problem = format!("unreadable CSV: {error}");
                    self.report(file_index, path, line, "row", problem);
                    continue;
                }
            }
            rows += 1;
            let line = record.position().map_or(line, csv::Position::line);
            if record.len() != expected.len() {
                let found = record.len();
                let wanted = expected.len();
                let problem = format!("has {found} fields, the header has {wanted}");
                self.report(file_index, path, line, "row", problem);
                continue;
            }
            let fields = Fields {
                record: &record,
                order: &order,
                columns: expected,
            };
            let mut faults = Vec::new();
            let parsed = parse(&fields, &mut faults);
            let workspace = fields.get("workspace");
            if !workspace.is_empty() && !self.workspaces.contains(&workspace) {
                faults.push((
                    "workspace".into(),
                    format!(
                        "unknown workspace {workspace:?} (configured: {})",
                        self.workspaces.join(", ")
                    ),
                ));
            }
            for (column, problem) in faults.drain(..) {
                self.report(file_index, path, line, &column, problem);
            }
            let (Some(writer), Some(row)) = (self.writer.as_mut(), parsed) else {
                continue;
            };
            match row {
                Row::Inquiry(inquiry) => batch_inquiries.push(inquiry),
                Row::Survey(answer) => batch_surveys.push(answer),
            }
            if batch_inquiries.len() + batch_surveys.len() >= crate::store::BATCH_ROWS {
                flush(writer, &mut batch_inquiries, &mut batch_surveys).await?;
            }
        }
        if let Some(writer) = self.writer.as_mut() {
            flush(writer, &mut batch_inquiries, &mut batch_surveys).await?;
        }
        self.read.rows += rows;
        self.read.bytes += reader.position().byte();
        self.progress.read(self.read.rows, self.read.bytes);
        Ok((rows, Some(order)))
    }

    /// Maps each expected column to its position in the file's header; reports missing and
    /// unknown columns.
    fn column_order(
        &mut self,
        file_index: usize,
        path: &Path,
        header: &csv::StringRecord,
        expected: &[&str],
    ) -> Option<Vec<usize>> {
        let mut order = Vec::with_capacity(expected.len());
        let mut complete = true;
        for column in expected {
            match header.iter().position(|name| name.trim() == *column) {
                Some(position) => order.push(position),
                None => {
                    complete = false;
                    let wanted = expected.join(",");
                    self.report(
                        file_index,
                        path,
                        1,
                        column,
                        format!("missing from the header (expected: {wanted})"),
                    );
                }
            }
        }
        for name in header.iter() {
            if !expected.contains(&name.trim()) {
                let wanted = expected.join(",");
                self.report(
                    file_index,
                    path,
                    1,
                    name,
                    format!("unknown column (expected: {wanted})"),
                );
                complete = false;
            }
        }
        complete.then_some(order)
    }
}

/// Opens a CSV file and reads its header; any row may have a wrong number of fields (each
/// is reported, not fatal).
fn open_csv(path: &Path) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord), ImportError> {
    let read_error = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(read_error)?;
    let header = reader.headers().map_err(read_error)?.clone();
    Ok((reader, header))
}

async fn flush(
    writer: &mut InquiryWriter,
    inquiries: &mut Vec<Inquiry>,
    surveys: &mut Vec<SurveyResponse>,
) -> Result<(), StoreError> {
    writer.upsert_inquiries(std::mem::take(inquiries)).await?;
    writer.upsert_surveys(std::mem::take(surveys)).await?;
    Ok(())
}
