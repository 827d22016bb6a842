//! What `pulso import` prints while it works: stdout carries only the one summary line in
//! every case (scripts read it); with stderr not a terminal, stderr gets plain lines and no
//! terminal control at all; with stderr a terminal (a pseudo-terminal here), a progress bar
//! with bytes read, rows per second and an ETA.
//!
//! Not tested: the plain line every 10 s. It needs an import that runs 10 s, or a way to
//! shorten the interval that production code does not want (an environment variable).

use std::io::Read as _;
use std::os::fd::{FromRawFd as _, OwnedFd};
use std::process::Stdio;

use super::binary::{Sandbox, write_big_files};
use super::*;
use crate::helpers::TestDb;

crate::app_tests!(
    off_a_terminal_stdout_is_the_summary_and_stderr_plain_lines,
    on_a_terminal_stderr_shows_a_progress_bar,
);

/// The one line stdout holds after a successful import.
fn summary(inquiries: u64, surveys: u64) -> String {
    format!("imported {inquiries} inquiries and {surveys} survey answers\n")
}

/// Asserts `stderr` ends with the totals line for `rows` rows (on a terminal, after the
/// sequence that cleared the bar).
fn assert_totals_line(stderr: &str, rows: u64) {
    let last = stderr
        .rfind("import: ")
        .map_or("", |start| stderr[start..].trim_end());
    let prefix = format!("import: {rows} rows in ");
    assert!(
        last.starts_with(&prefix) && last.ends_with(" rows/s)") && !last.contains('\n'),
        "stderr should end with the totals: {stderr:?}"
    );
}

/// Piped (as in CI or cron): stdout is exactly the summary line; stderr is lines of plain
/// text (no escape sequence, no carriage return, no bar characters) ending with the totals.
async fn off_a_terminal_stdout_is_the_summary_and_stderr_plain_lines(db: TestDb) {
    let sandbox = Sandbox::new(&db.url);
    let (files, (rows, answers)) =
        write_big_files(sandbox.dir.path(), "plain", "p", 20_000, "whatsapp");
    let (stdout, stderr) = sandbox.import(&files.0, Some(&files.1));
    assert_eq!(stdout, summary(rows, answers));
    let control: Vec<char> = stderr
        .chars()
        .filter(|c| (c.is_control() && *c != '\n') || "█░▕▏⠁⠂⠄".contains(*c))
        .collect();
    assert!(
        control.is_empty(),
        "control characters {control:?} in {stderr:?}"
    );
    assert_totals_line(&stderr, rows + answers);
    assert_eq!(count_rows(&db.store, "inquiries").await, rows as i64);
    db.finish().await;
}

/// On a pseudo-terminal as stderr (stdout still a pipe): stderr draws a bar showing the
/// bytes read of the total, rows per second and an ETA, then the totals; stdout is exactly
/// the summary line, untouched by the bar.
async fn on_a_terminal_stderr_shows_a_progress_bar(db: TestDb) {
    let sandbox = Sandbox::new(&db.url);
    let (files, (rows, answers)) =
        write_big_files(sandbox.dir.path(), "bar", "b", 100_000, "whatsapp");
    let (master, terminal) = pseudo_terminal();
    let mut command = sandbox.import_command(&files.0, Some(&files.1));
    command
        .env("TERM", "xterm-256color")
        .stderr(Stdio::from(terminal));
    let child = command.spawn().expect("start pulso import");
    // The parent's copy of the terminal side goes with the command, so reading the other
    // side ends when pulso exits.
    drop(command);
    let reader = std::thread::spawn(move || {
        let mut master = std::fs::File::from(master);
        let mut bytes = Vec::new();
        let mut buffer = [0; 4096];
        loop {
            match master.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
                // Linux answers EIO once every terminal side is closed.
                Err(_) => break,
            }
        }
        bytes
    });
    let output = child.wait_with_output().expect("wait for pulso");
    let terminal = String::from_utf8_lossy(&reader.join().expect("reader")).into_owned();
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 stdout");
    assert!(output.status.success(), "pulso import failed: {terminal}");
    assert_eq!(stdout, summary(rows, answers));

    let total =
        std::fs::metadata(&files.0).unwrap().len() + std::fs::metadata(&files.1).unwrap().len();
    assert!(
        total > 1 << 20,
        "the files are over a MiB, so the bar counts MiB"
    );
    assert!(
        terminal.contains('\u{1b}'),
        "the bar redraws in place: {terminal:?}"
    );
    for words in ["MiB/", " rows/s", "ETA ", " rows · "] {
        assert!(
            terminal.contains(words),
            "the bar should show {words:?}: {terminal:?}"
        );
    }
    assert_totals_line(&terminal, rows + answers);
    assert_eq!(count_rows(&db.store, "inquiries").await, rows as i64);
    db.finish().await;
}

/// A pseudo-terminal of 120 columns: the side to read, and the terminal side (both close
/// on exec, so no other process started meanwhile keeps the terminal open).
fn pseudo_terminal() -> (OwnedFd, OwnedFd) {
    let (mut master, mut terminal) = (-1, -1);
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors it opened into the two integers, reads the
    // size, and is given no name buffer or terminal settings.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    for fd in [master, terminal] {
        // SAFETY: fcntl on a descriptor this function owns.
        let set = unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        assert_eq!(set, 0, "FD_CLOEXEC: {}", std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just opened and are owned by nothing else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(terminal)) }
}
