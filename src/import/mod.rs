//! `pulso import`: CSV files into the inquiry tables, all or nothing.
//!
//! Files are streamed row by row; valid rows are written in batches inside one transaction
//! while the rest of the file is still checked. The first bad row stops the writing but not
//! the checking, so one run reports up to [`MAX_REPORTED`] problems as `FILE:LINE: column:
//! problem`, and a rejected import rolls back: nothing is written.

mod rows;

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::domain::{Inquiry, SurveyResponse};
use crate::store::{InquiryWriter, Store, StoreError};
use rows::{Fields, Row, RowParser, parse_inquiry, parse_survey};

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
/// since pulso could never report on them.
///
/// # Errors
/// [`ImportError`]; in every case nothing is written.
pub async fn import_files(
    store: &Store,
    workspaces: &[&str],
    inquiries: &Path,
    surveys: Option<&Path>,
) -> Result<ImportSummary, ImportError> {
    let mut run = ImportRun {
        writer: Some(store.writer().await?),
        problems: Vec::new(),
        total_problems: 0,
        workspaces,
    };
    let mut summary = ImportSummary {
        inquiries: run
            .read_file(inquiries, &INQUIRY_COLUMNS, parse_inquiry)
            .await?,
        ..ImportSummary::default()
    };
    if let Some(surveys) = surveys {
        summary.surveys = run
            .read_file(surveys, &SURVEY_COLUMNS, parse_survey)
            .await?;
    }
    if run.total_problems > 0 {
        return Err(ImportError::Rejected {
            problems: run.problems,
            total: run.total_problems,
        });
    }
    if let Some(writer) = run.writer {
        writer.commit().await?;
    }
    Ok(summary)
}

struct ImportRun<'a> {
    /// `None` once a problem was found: later rows are only checked.
    writer: Option<InquiryWriter>,
    problems: Vec<ImportProblem>,
    total_problems: usize,
    workspaces: &'a [&'a str],
}

impl ImportRun<'_> {
    fn report(&mut self, file: &Path, line: u64, column: &str, problem: String) {
        self.total_problems += 1;
        self.writer = None;
        if self.problems.len() < MAX_REPORTED {
            self.problems.push(ImportProblem {
                file: file.to_path_buf(),
                line,
                column: column.to_string(),
                problem,
            });
        }
    }

    async fn read_file(
        &mut self,
        path: &Path,
        expected: &[&str],
        parse: RowParser,
    ) -> Result<u64, ImportError> {
        let read_error = |source| ImportError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(read_error)?;
        let header = reader.headers().map_err(read_error)?.clone();
        let Some(order) = self.column_order(path, &header, expected) else {
            return Ok(0);
        };
        let mut seen_ids: HashMap<u64, u64> = HashMap::new();
        let mut batch_inquiries = Vec::new();
        let mut batch_surveys = Vec::new();
        let mut rows = 0;
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    let line = error.position().map_or(line, csv::Position::line);
                    self.report(path, line, "row", format!("unreadable CSV: {error}"));
                    continue;
                }
            }
            rows += 1;
            let line = record.position().map_or(line, csv::Position::line);
            if record.len() != expected.len() {
                let found = record.len();
                let wanted = expected.len();
                self.report(
                    path,
                    line,
                    "row",
                    format!("has {found} fields, the header has {wanted}"),
                );
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
            let id = fields.get("id");
            if !id.is_empty() {
                if let Some(first) = seen_ids.insert(id_hash(workspace, id), line) {
                    faults.push((
                        "id".into(),
                        format!("duplicate id in this file (first on line {first})"),
                    ));
                }
            }
            for (column, problem) in faults.drain(..) {
                self.report(path, line, &column, problem);
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
        Ok(rows)
    }

    /// Maps each expected column to its position in the file's header; reports missing and
    /// unknown columns.
    fn column_order(
        &mut self,
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

async fn flush(
    writer: &mut InquiryWriter,
    inquiries: &mut Vec<Inquiry>,
    surveys: &mut Vec<SurveyResponse>,
) -> Result<(), StoreError> {
    writer.upsert_inquiries(std::mem::take(inquiries)).await?;
    writer.upsert_surveys(std::mem::take(surveys)).await?;
    Ok(())
}

fn id_hash(workspace: &str, id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    (workspace, id).hash(&mut hasher);
    hasher.finish()
}
