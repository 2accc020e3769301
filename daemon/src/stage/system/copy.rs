//! Copying the live system into the target. From a squashfs image, `unsquashfs` straight
//! from the image (what real installers measured fastest, and it keeps owners, modes,
//! times, links, device nodes, xattrs and capabilities); from a directory, our own copier
//! (`copy_dir`). Progress in bytes against the total known up front, never going back;
//! cancellable; a disk too small is refused before anything is written.

use std::{
    io::Read,
    os::unix::fs::PermissionsExt,
    path::Path,
    process::{Command, Stdio},
    thread,
    time::Duration,
};

use nix::sys::statvfs::Statvfs;
use tokio_util::sync::CancellationToken;

use super::source::{Source, SourceKind};
use crate::{
    size::{human, MIB},
    stage::{ExecError, ExecResult, Progress},
};

/// Copies `source` into `target` (a mounted, empty or partly filled root), reporting bytes
/// copied against `source.bytes()`.
pub fn copy(
    source: &Source,
    target: &Path,
    cancel: &CancellationToken,
    progress: &mut dyn FnMut(Progress),
) -> ExecResult {
    ensure_room(source, target)?;
    let mut meter = Meter::new(source.bytes(), target);
    match source.kind {
        SourceKind::Squashfs => unsquash(source, target, cancel, &mut meter, progress)?,
        SourceKind::Directory => {
            super::copy_dir::copy_tree(&source.path, target, cancel, &mut |done| {
                progress(meter.at(done));
            })
            .map_err(|e| filled_up(e, source, target))?;
        }
    }
    // squashfs keeps the mode of the image's root, which can be 0777.
    std::fs::set_permissions(target, std::fs::Permissions::from_mode(0o755)).map_err(
        ExecError::io(format!("cannot set the mode of {}", target.display())),
    )?;
    progress(meter.done());
    Ok(())
}

/// Refuses a target without room for the system (with 5 % and 64 MiB to spare for
/// metadata), naming the target and the space needed.
fn ensure_room(source: &Source, target: &Path) -> ExecResult {
    let free = free_bytes(target)?;
    let need = source.bytes() + source.bytes() / 20 + 64 * MIB;
    if free < need {
        return Err(ExecError::Failed(format!(
            "not enough space on {}: the system needs {} and only {} are free; choose a larger root partition",
            target.display(),
            human(need),
            human(free)
        )));
    }
    Ok(())
}

fn statvfs(path: &Path) -> ExecResult<Statvfs> {
    nix::sys::statvfs::statvfs(path).map_err(|e| {
        ExecError::io(format!("cannot read the free space of {}", path.display()))(e.into())
    })
}

fn free_bytes(path: &Path) -> ExecResult<u64> {
    let st = statvfs(path)?;
    Ok(st.blocks_available() * st.fragment_size())
}

fn used_bytes(path: &Path) -> u64 {
    statvfs(path).map_or(0, |st| {
        (st.blocks() - st.blocks_free()) * st.fragment_size()
    })
}

/// Bytes copied so far: the copier's own count, or the space the target filled since the
/// start, whichever is further; never past the total before the end, never backwards.
struct Meter<'a> {
    total: u64,
    target: &'a Path,
    used_at_start: u64,
    last: u64,
    started: std::time::Instant,
}

impl<'a> Meter<'a> {
    fn new(total: u64, target: &'a Path) -> Self {
        Self {
            total,
            target,
            used_at_start: used_bytes(target),
            last: 0,
            started: std::time::Instant::now(),
        }
    }

    fn at(&mut self, counted: u64) -> Progress {
        let written = used_bytes(self.target).saturating_sub(self.used_at_start);
        let ceiling = self.total.saturating_sub(1);
        self.last = self.last.max(counted.max(written).min(ceiling));
        self.progress(self.last)
    }

    fn done(&mut self) -> Progress {
        self.last = self.total;
        self.progress(self.total)
    }

    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    fn progress(&self, bytes: u64) -> Progress {
        let secs = self.started.elapsed().as_secs_f64();
        Progress {
            fraction_permille: if self.total == 0 {
                1000
            } else {
                (bytes as f64 / self.total as f64 * 1000.0) as u32
            },
            bytes,
            total_bytes: self.total,
            rate: if secs > 0.0 {
                (bytes as f64 / secs) as u64
            } else {
                0
            },
        }
    }
}

/// `unsquashfs -f -d TARGET IMAGE`, its progress bar ("[===  ] 2803/9498  29%", counted
/// in inodes and data blocks) read as the share of the total done.
fn unsquash(
    source: &Source,
    target: &Path,
    cancel: &CancellationToken,
    meter: &mut Meter<'_>,
    progress: &mut dyn FnMut(Progress),
) -> ExecResult {
    let threads = thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut child = Command::new("unsquashfs")
        .args(["-f", "-p", &threads.to_string(), "-d"])
        .arg(target)
        .arg(&source.path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            ExecError::Failed(format!(
                "cannot run unsquashfs: {e} (is squashfs-tools installed?)"
            ))
        })?;
    let bar = spawn_reader(child.stdout.take());
    let errors = spawn_reader(child.stderr.take());
    let total = source.bytes();
    loop {
        if cancel.is_cancelled() {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ExecError::Cancelled);
        }
        if let Some(status) = child.try_wait().map_err(ExecError::io("unsquashfs"))? {
            let stderr = errors.join().unwrap_or_default();
            if status.success() {
                return Ok(());
            }
            return Err(unsquash_error(&stderr, source, target));
        }
        let counted = bar
            .latest()
            .map_or(0, |(done, all)| fraction_of(total, done, all));
        progress(meter.at(counted));
        thread::sleep(Duration::from_millis(50));
    }
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn fraction_of(total: u64, done: u64, all: u64) -> u64 {
    if all == 0 {
        return 0;
    }
    (total as f64 * (done.min(all) as f64 / all as f64)) as u64
}

/// The disk filled up during the copy (the room checked first was taken meanwhile, or
/// the files took more blocks than their sizes).
fn disk_full(source: &Source, target: &Path) -> ExecError {
    ExecError::Failed(format!(
        "not enough space on {}: the disk filled up while copying {} of system files",
        target.display(),
        human(source.bytes())
    ))
}

fn filled_up(e: ExecError, source: &Source, target: &Path) -> ExecError {
    match &e {
        ExecError::Io { source: io, .. } if io.raw_os_error() == Some(libc::ENOSPC) => {
            disk_full(source, target)
        }
        _ => e,
    }
}

fn unsquash_error(stderr: &str, source: &Source, target: &Path) -> ExecError {
    if stderr.contains("No space left on device") {
        return disk_full(source, target);
    }
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("unsquashfs failed");
    ExecError::Failed(format!(
        "copying {} failed: {}",
        source.path.display(),
        crate::validate::display_text(last, 300)
    ))
}

/// A child's output read on a thread of its own: the last progress seen, and everything
/// at the end.
struct Reader {
    latest: std::sync::Arc<std::sync::Mutex<Option<(u64, u64)>>>,
    handle: Option<thread::JoinHandle<String>>,
}

impl Reader {
    fn latest(&self) -> Option<(u64, u64)> {
        *self
            .latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn join(mut self) -> Option<String> {
        self.handle.take()?.join().ok()
    }
}

fn spawn_reader(stream: Option<impl Read + Send + 'static>) -> Reader {
    let latest = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = latest.clone();
    let handle = stream.map(|mut s| {
        thread::spawn(move || {
            let mut all = String::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let chunk = String::from_utf8_lossy(&buf[..n]);
                if let Some(p) = chunk.split(['\r', '\n']).rev().find_map(parse_bar) {
                    *seen
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(p);
                }
                if all.len() < 64 * 1024 {
                    all.push_str(&chunk);
                }
            }
            all
        })
    });
    Reader { latest, handle }
}

/// "[====|   ] 2803/9498  29%" -> (2803, 9498).
fn parse_bar(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim_start().strip_prefix('[')?;
    let (_, counts) = rest.split_once(']')?;
    let (done, all) = counts.split_whitespace().next()?.split_once('/')?;
    Some((done.parse().ok()?, all.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_is_read_and_never_exceeds_its_total() {
        assert_eq!(
            parse_bar("[==================/        ] 2803/9498  29%"),
            Some((2803, 9498))
        );
        assert_eq!(parse_bar("created 4358 files"), None);
        assert_eq!(parse_bar("[] x/y"), None);
        assert_eq!(fraction_of(1000, 50, 100), 500);
        assert_eq!(fraction_of(1000, 150, 100), 1000);
        assert_eq!(fraction_of(1000, 1, 0), 0);
    }
}
