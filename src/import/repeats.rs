//! The second pass of a refused import: every id given twice in a file, with both lines.
//!
//! The first pass keeps nothing of a row once it is written, so it cannot say where a
//! repeated id was first given. This pass reads only each row's key and line into a
//! [`KeyLedger`] (a temporary database on disk, so memory stays flat however long the file),
//! which sorts them and names each repeat exactly. It runs only for an import that is
//! refused anyway.

use std::path::PathBuf;

use super::rows::Fields;
use super::{ImportError, MAX_REPORTED, open_csv};
use crate::store::{KeyLedger, Repeats, StoreError};

/// The first [`MAX_REPORTED`] repeated `(workspace, id)` keys of the file at `path`, whose
/// header maps `columns` to the positions in `order`, and how many there are.
pub(super) async fn find(
    path: PathBuf,
    columns: &'static [&'static str],
    order: Vec<usize>,
) -> Result<Repeats, ImportError> {
    let search = tokio::task::spawn_blocking(move || find_blocking(&path, columns, &order));
    match search.await {
        Ok(found) => found,
        Err(error) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => Err(ImportError::Store(StoreError::WriterStopped(error))),
        },
    }
}

fn find_blocking(
    path: &std::path::Path,
    columns: &'static [&'static str],
    order: &[usize],
) -> Result<Repeats, ImportError> {
    // The header was checked by the first pass.
    let (mut reader, _header) = open_csv(path)?;
    let mut ledger = KeyLedger::new()?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            // Reported by the first pass; such a row has no key to compare.
            Err(_) => continue,
        }
        if record.len() != columns.len() {
            continue;
        }
        let fields = Fields {
            record: &record,
            order,
            columns,
        };
        let id = fields.get("id");
        if id.is_empty() {
            continue;
        }
        let line = record.position().map_or(0, csv::Position::line);
        ledger.add(fields.get("workspace"), id, line)?;
    }
    Ok(ledger.repeats(MAX_REPORTED)?)
}
