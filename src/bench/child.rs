//! Running pulso itself as a child process and measuring it as a user would see it: the
//! wall time from start to exit and the child's own peak RSS (`wait4`'s `ru_maxrss`), which
//! `/proc/self/status` of the benchmark cannot tell.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// How one run of a child went.
#[derive(Debug, Clone)]
pub struct Measured {
    /// From just before the spawn to its exit.
    pub wall: Duration,
    /// Its peak resident set size, bytes (`None` where `wait4` does not report it).
    pub peak_rss_bytes: Option<u64>,
    /// What it printed on stdout.
    pub stdout: String,
}

/// The current executable: what the benchmark measures is this very build of pulso.
///
/// # Errors
/// When the platform cannot say where it is.
pub fn pulso_exe() -> anyhow::Result<std::path::PathBuf> {
    std::env::current_exe().context("finding the pulso executable to run")
}

/// A `pulso` command with nothing from the environment choosing its configuration or
/// database: everything comes from the arguments.
pub fn pulso(exe: &Path) -> Command {
    let mut command = Command::new(exe);
    command
        .env_remove("PULSO_CONFIG")
        .env_remove("PULSO_DATABASE_URL")
        .stdin(Stdio::null());
    command
}

/// Runs `command` to its end, stdout and stderr into files in `dir` (read afterwards, so a
/// chatty child never blocks on a full pipe). A child that fails is an error carrying its
/// stderr. Dropping the returned future (Ctrl-C) kills the child.
///
/// # Errors
/// When it cannot start, or exits unsuccessfully.
pub async fn run(mut command: Command, dir: &Path, label: &str) -> anyhow::Result<Measured> {
    let stdout_path = dir.join(format!("{label}.stdout"));
    let stderr_path = dir.join(format!("{label}.stderr"));
    command
        .stdout(File::create(&stdout_path)?)
        .stderr(File::create(&stderr_path)?);
    let started = Instant::now();
    let child = command
        .spawn()
        .with_context(|| format!("starting {label}"))?;
    let guard = KillOnDrop {
        pid: child.id() as libc::pid_t,
        reaped: Arc::new(AtomicBool::new(false)),
    };
    let (pid, reaped) = (guard.pid, guard.reaped.clone());
    let waited = tokio::task::spawn_blocking(move || {
        let waited = wait(pid);
        reaped.store(true, Ordering::SeqCst);
        waited.map(|(status, rss)| (status, rss, started.elapsed()))
    })
    .await
    .context("waiting for the child")?;
    drop(guard);
    let (status, peak_rss_bytes, wall) = waited?;
    let stdout = std::fs::read_to_string(&stdout_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    let _ = std::fs::remove_file(&stdout_path);
    let _ = std::fs::remove_file(&stderr_path);
    if !status {
        bail!("{label} failed:\n{}", stderr.trim_end());
    }
    Ok(Measured {
        wall,
        peak_rss_bytes,
        stdout,
    })
}

/// Waits for `pid` and returns whether it exited with 0, and its peak RSS in bytes.
fn wait(pid: libc::pid_t) -> anyhow::Result<(bool, Option<u64>)> {
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child; both pointers are valid for writes.
        let done = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if done == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("wait4");
        }
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // ru_maxrss is in KiB on Linux (bytes on macOS, which the benchmark does not target).
    let rss = u64::try_from(usage.ru_maxrss).ok().filter(|kib| *kib > 0);
    Ok((success, rss.map(|kib| kib * 1024)))
}

/// Kills the child unless it was reaped: a cancelled benchmark must not leave an import
/// running against a database that is about to be removed.
struct KillOnDrop {
    pid: libc::pid_t,
    reaped: Arc<AtomicBool>,
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if !self.reaped.load(Ordering::SeqCst) {
            // SAFETY: plain syscall; the pid is our unreaped child, so it cannot be reused.
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
        }
    }
}

/// Times `command` to its end with output discarded, synchronously: for the short one-shot
/// commands, where a thread hop would be part of what is measured.
///
/// # Errors
/// When it cannot start or exits unsuccessfully.
pub fn time_quick(command: &mut Command) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("starting pulso")?;
    let elapsed = started.elapsed();
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(elapsed)
}
