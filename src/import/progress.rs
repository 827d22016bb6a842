//! What an import tells whoever watches it: how much of the files it has read, and when it
//! moves on to its final step, so a long import can show a progress bar or log lines
//! (the command line decides how; `import` only counts).

/// Hears how an import advances. Every method has a default that does nothing, and `()`
/// implements it for callers that do not watch.
pub trait ImportProgress {
    /// The import starts; `total_bytes` is the size of all its files.
    fn started(&mut self, total_bytes: u64) {
        let _ = total_bytes;
    }

    /// Rows and bytes read so far over all files (bytes include the headers).
    fn read(&mut self, rows: u64, bytes: u64) {
        let _ = (rows, bytes);
    }

    /// Every row was read and found good; the import now commits (building indexes,
    /// moving staged rows), which can take a while.
    fn finishing(&mut self) {}

    /// The import is refused; it now reads the files again for the lines of repeated ids.
    fn refused(&mut self) {}
}

impl ImportProgress for () {}
