//! Copying a directory tree (a running live system) into the target, keeping owners,
//! modes, times, links, device nodes, xattrs, ACLs and capabilities.
//!
//! One thread walks the source and creates the directories; a few workers create
//! everything else (file data moves in the kernel: `copy_file_range`, or `sendfile` across
//! filesystems), so that reads of cold inodes and data overlap; another thread writes the
//! copy to the target's disk as it grows, so that writing overlaps reading too, and the
//! copy is on the disk when it is reported done. Each node gets its
//! metadata in the only order that keeps it: data, owner (which clears setuid, setgid and
//! capabilities), mode, xattrs (ACLs and `security.capability` included), times last.
//! Directories get theirs after everything in them exists, so their times stick and their
//! default ACLs are not inherited by copies that never had them.
//!
//! Left out: the contents of the top-level [`EXCLUDED`] directories and of other
//! filesystems (their mount points are kept, empty), the target itself when it lies inside
//! the source, swap files, and `trusted.overlay.*` xattrs (overlayfs bookkeeping of the
//! live medium, meaningless on a plain filesystem).

use std::{
    collections::{HashMap, HashSet},
    ffi::OsStr,
    fs::{self, DirBuilder, File, Metadata, OpenOptions},
    io,
    os::unix::fs::{DirBuilderExt, DirEntryExt, FileExt, MetadataExt, OpenOptionsExt},
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering},
        mpsc, Mutex, PoisonError,
    },
    thread,
    time::{Duration, Instant},
};

use tokio_util::sync::CancellationToken;

use self::{
    data::{c_path, copy_data},
    meta::{copy_xattrs, mknod, Node},
};
use crate::stage::system::source::EXCLUDED;
use crate::{
    size::MIB,
    stage::{ExecError, ExecResult},
};

/// Threads that copy files while the walker reads directories: enough to keep several
/// reads of a cold disk in flight; the copying itself happens in the kernel.
const WORKERS: usize = 4;
/// Files found but not yet copied: the walker may run this far ahead of the workers.
const QUEUE: usize = 16 * 1024;
/// Files sorted at a time before they are handed to the workers (see `Walker::hand_over`).
const BATCH: usize = 64 * 1024;
/// Bytes moved per `copy_file_range`/`sendfile` call, and how often progress is reported.
const CHUNK: u64 = 8 * MIB;
/// Data copied between two flushes of the target to its disk, and the longest time between
/// two: often enough to keep the disk busy, seldom enough not to commit the journal for
/// every few files.
const FLUSH_EVERY: u64 = 32 * MIB;
const FLUSH_AT_LEAST: Duration = Duration::from_secs(1);
/// Where the swap signature lies in the first page (4 KiB pages) of a swap file.
const SWAP_MAGIC_AT: u64 = 4086;
const SWAP_MAGIC: &[u8; 10] = b"SWAPSPACE2";
/// The smallest swap area `mkswap` makes: ten pages.
const SWAP_MIN: u64 = 10 * 4096;
/// xattrs that are not copied: overlayfs's own (whiteouts, opaque directories, redirects).
const SKIPPED_XATTRS: &[u8] = b"trusted.overlay.";

/// Copies `source` into `target`, reporting bytes of file data copied so far (holes of
/// sparse files counted as copied, so the sum matches the source's size).
pub fn copy_tree(
    source: &Path,
    target: &Path,
    cancel: &CancellationToken,
    progress: &mut dyn FnMut(u64),
) -> ExecResult {
    let root = fs::symlink_metadata(source)
        .map_err(ExecError::io(format!("cannot read {}", source.display())))?;
    if !root.is_dir() {
        return Err(ExecError::Failed(format!(
            "{} is not a directory",
            source.display()
        )));
    }
    let disk =
        File::open(target).map_err(ExecError::io(format!("cannot open {}", target.display())))?;
    let target_meta = disk
        .metadata()
        .map_err(ExecError::io(format!("cannot read {}", target.display())))?;
    let shared = Shared {
        cancel,
        swaps: active_swap_files(),
        links: Mutex::new(HashMap::new()),
        bytes: AtomicU64::new(0),
        method: AtomicU8::new(COPY_FILE_RANGE),
        failed: AtomicBool::new(false),
        error: Mutex::new(None),
    };
    let mut walker = Walker {
        source,
        target,
        root_dev: root.dev(),
        target_key: (target_meta.dev(), target_meta.ino()),
        dirs: vec![Dir {
            src: source.to_path_buf(),
            dst: target.to_path_buf(),
            meta: root,
        }],
        reported: 0,
    };
    let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUE);
    let queue = Mutex::new(queue);
    let copying = AtomicBool::new(true);
    let outcome = thread::scope(|s| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| s.spawn(|| work(&queue, &shared)))
            .collect();
        s.spawn(|| flush_while_copying(&disk, target, &copying, &shared));
        let result = walker.walk(&jobs, &shared, progress);
        if result.is_err() {
            // The workers drain the queue instead of copying it.
            shared.failed.store(true, Ordering::Relaxed);
        }
        drop(jobs);
        while !workers.iter().all(thread::ScopedJoinHandle::is_finished) {
            thread::sleep(Duration::from_millis(20));
            walker.report(&shared, progress);
        }
        copying.store(false, Ordering::Relaxed);
        result
    });
    outcome?;
    if let Some(e) = shared
        .error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(e);
    }
    if cancel.is_cancelled() {
        return Err(ExecError::Cancelled);
    }
    for dir in walker.dirs.iter().rev() {
        finish_dir(dir)?;
    }
    syncfs(&disk).map_err(ExecError::io(format!(
        "cannot write the copy to {}",
        target.display()
    )))?;
    progress(shared.bytes.load(Ordering::Relaxed));
    Ok(())
}

/// Writes the copy to the target's disk as it grows (every [`FLUSH_EVERY`] bytes copied,
/// or [`FLUSH_AT_LEAST`]), until `copying` is cleared: the disk writes while the source is
/// read, instead of after, and a failing disk shows during the copy.
fn flush_while_copying(disk: &File, target: &Path, copying: &AtomicBool, shared: &Shared<'_>) {
    let (mut flushed, mut at) = (0, Instant::now());
    while copying.load(Ordering::Relaxed) && !shared.stopped() {
        thread::sleep(Duration::from_millis(20));
        let bytes = shared.bytes.load(Ordering::Relaxed);
        if bytes < flushed + FLUSH_EVERY && at.elapsed() < FLUSH_AT_LEAST {
            continue;
        }
        (flushed, at) = (bytes, Instant::now());
        if let Err(e) = syncfs(disk) {
            shared.fail(ExecError::io(format!(
                "cannot write the copy to {}",
                target.display()
            ))(e));
        }
    }
}

fn syncfs(file: &File) -> io::Result<()> {
    Ok(nix::unistd::syncfs(file)?)
}

/// What the walker and the workers share.
struct Shared<'a> {
    cancel: &'a CancellationToken,
    /// Swap files in use (`/proc/swaps`), by device and inode.
    swaps: HashSet<(u64, u64)>,
    /// The first copy of each inode with several links, by source device and inode.
    links: Mutex<HashMap<(u64, u64), PathBuf>>,
    bytes: AtomicU64,
    /// How file data moves: the first method that works between these two filesystems.
    method: AtomicU8,
    /// Set with the first error: everything stops.
    failed: AtomicBool,
    error: Mutex<Option<ExecError>>,
}

const COPY_FILE_RANGE: u8 = 0;
const SENDFILE: u8 = 1;
const READ_WRITE: u8 = 2;

impl Shared<'_> {
    fn stopped(&self) -> bool {
        self.failed.load(Ordering::Relaxed) || self.cancel.is_cancelled()
    }

    fn fail(&self, e: ExecError) {
        let mut first = self.error.lock().unwrap_or_else(PoisonError::into_inner);
        if first.is_none() {
            *first = Some(e);
        }
        self.failed.store(true, Ordering::Relaxed);
    }

    /// Creates `dst` with `create`, unless it is another link to an inode already copied:
    /// then links it to that copy and returns `None`.
    fn create_or_link<T>(
        &self,
        meta: &Metadata,
        dst: &Path,
        create: impl FnOnce() -> ExecResult<T>,
    ) -> ExecResult<Option<T>> {
        if meta.nlink() < 2 {
            return create().map(Some);
        }
        // Held while creating, so that no other link of this inode finds it missing.
        let mut links = self.links.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (meta.dev(), meta.ino());
        if let Some(first) = links.get(&key) {
            replacing(dst, || fs::hard_link(first, dst)).map_err(ExecError::io(format!(
                "cannot link {} to {}",
                dst.display(),
                first.display()
            )))?;
            return Ok(None);
        }
        let made = create()?;
        links.insert(key, dst.to_path_buf());
        Ok(Some(made))
    }

    /// A swap file: in use, or with a swap signature.
    fn is_swap(&self, file: &File, meta: &Metadata) -> bool {
        if self.swaps.contains(&(meta.dev(), meta.ino())) {
            return true;
        }
        // mkswap makes whole pages; other files are not read here, since a small read
        // before the copy shrinks the kernel's readahead for the rest.
        let mut magic = [0u8; SWAP_MAGIC.len()];
        meta.len() >= SWAP_MIN
            && meta.len() % 4096 == 0
            && file.read_exact_at(&mut magic, SWAP_MAGIC_AT).is_ok()
            && &magic == SWAP_MAGIC
    }
}

/// A directory entry that is not a directory, for a worker to copy.
struct Job {
    src: PathBuf,
    dst: PathBuf,
    /// The directory listing says it is a regular file (it may have changed since).
    regular: bool,
}

/// A directory created in the target, to get its metadata once everything in it exists.
struct Dir {
    src: PathBuf,
    dst: PathBuf,
    meta: Metadata,
}

struct Walker<'a> {
    source: &'a Path,
    target: &'a Path,
    root_dev: u64,
    target_key: (u64, u64),
    /// Every directory created, parents before children.
    dirs: Vec<Dir>,
    reported: u64,
}

impl Walker<'_> {
    /// Creates the directories and hands everything else to the workers. Stops early (with
    /// `Ok`) when a worker failed; the caller returns that error.
    fn walk(
        &mut self,
        jobs: &mpsc::SyncSender<Job>,
        shared: &Shared<'_>,
        progress: &mut dyn FnMut(u64),
    ) -> ExecResult {
        let mut found = Vec::new();
        let mut stack = vec![(self.source.to_path_buf(), self.target.to_path_buf())];
        while let Some((src, dst)) = stack.pop() {
            let top = src == self.source;
            let mut entries = fs::read_dir(&src)
                .and_then(Iterator::collect::<io::Result<Vec<_>>>)
                .map_err(ExecError::io(format!("cannot read {}", src.display())))?;
            // Subdirectories' inodes read in disk order, as files are below.
            entries.sort_unstable_by_key(DirEntryExt::ino);
            for entry in entries {
                if !keep_going(shared)? {
                    return Ok(());
                }
                self.report(shared, progress);
                let name = entry.file_name();
                let (s, d) = (src.join(&name), dst.join(&name));
                let kind = entry
                    .file_type()
                    .map_err(ExecError::io(format!("cannot read {}", s.display())))?;
                if !kind.is_dir() {
                    let job = Job {
                        src: s,
                        dst: d,
                        regular: kind.is_file(),
                    };
                    found.push((entry.ino(), job));
                    if found.len() >= BATCH {
                        self.hand_over(&mut found, jobs, shared, progress)?;
                    }
                    continue;
                }
                let meta = match entry.metadata() {
                    Ok(m) => m,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(ExecError::io(format!("cannot read {}", s.display()))(e)),
                };
                if (meta.dev(), meta.ino()) == self.target_key {
                    continue;
                }
                make_dir(&d)?;
                // Mount points and excluded directories are kept, empty.
                let descend = meta.dev() == self.root_dev && !(top && is_excluded(&name));
                if descend {
                    stack.push((s.clone(), d.clone()));
                }
                self.dirs.push(Dir {
                    src: s,
                    dst: d,
                    meta,
                });
            }
        }
        self.hand_over(&mut found, jobs, shared, progress)
    }

    /// Hands the files found to the workers in inode order: on the filesystems a system
    /// lives on, roughly the order of their data, so that the source is read forward rather
    /// than all over (measured here through a loop file: a seventh of the disk reads).
    fn hand_over(
        &mut self,
        found: &mut Vec<(u64, Job)>,
        jobs: &mpsc::SyncSender<Job>,
        shared: &Shared<'_>,
        progress: &mut dyn FnMut(u64),
    ) -> ExecResult {
        found.sort_unstable_by_key(|(ino, _)| *ino);
        for (_, job) in found.drain(..) {
            if !keep_going(shared)? || jobs.send(job).is_err() {
                break;
            }
            self.report(shared, progress);
        }
        Ok(())
    }

    /// Reports the bytes copied when another chunk's worth has been.
    fn report(&mut self, shared: &Shared<'_>, progress: &mut dyn FnMut(u64)) {
        let bytes = shared.bytes.load(Ordering::Relaxed);
        if bytes >= self.reported + CHUNK {
            self.reported = bytes;
            progress(bytes);
        }
    }
}

/// `Err(Cancelled)` once cancelled; `Ok(false)` once a worker failed.
fn keep_going(shared: &Shared<'_>) -> ExecResult<bool> {
    if shared.cancel.is_cancelled() {
        return Err(ExecError::Cancelled);
    }
    Ok(!shared.stopped())
}

fn is_excluded(name: &OsStr) -> bool {
    EXCLUDED.iter().any(|x| OsStr::new(x) == name)
}

/// A worker: copies what the walker finds until the walker is done. After a failure or
/// a cancel it only drains the queue, so that the walker never blocks on it.
fn work(queue: &Mutex<mpsc::Receiver<Job>>, shared: &Shared<'_>) {
    loop {
        let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        if shared.stopped() {
            continue;
        }
        if let Err(e) = copy_entry(&job, shared) {
            shared.fail(e);
        }
    }
}

fn copy_entry(job: &Job, shared: &Shared<'_>) -> ExecResult {
    if job.regular {
        match open_source(&job.src) {
            Ok(file) => {
                let meta = file
                    .metadata()
                    .map_err(ExecError::io(format!("cannot read {}", job.src.display())))?;
                if meta.is_file() {
                    return copy_file(job, &file, &meta, shared);
                }
            }
            // Gone since the directory was read: a running system's temporary file.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            // Replaced by a symbolic link since: copied as one below.
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {}
            Err(e) => {
                return Err(ExecError::io(format!("cannot open {}", job.src.display()))(
                    e,
                ))
            }
        }
    }
    copy_node(job, shared)
}

/// Opens a file to copy without changing its access time, and without blocking should it
/// have become a FIFO.
fn open_source(path: &Path) -> io::Result<File> {
    let open = |extra| {
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | extra)
            .open(path)
    };
    match open(libc::O_NOATIME) {
        // O_NOATIME is refused for files of other users without CAP_FOWNER.
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => open(0),
        other => other,
    }
}

fn copy_file(job: &Job, src: &File, meta: &Metadata, shared: &Shared<'_>) -> ExecResult {
    if shared.is_swap(src, meta) {
        return Ok(());
    }
    let dst = &job.dst;
    let Some(file) = shared.create_or_link(meta, dst, || {
        replacing(dst, || {
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW)
                .open(dst)
        })
        .map_err(ExecError::io(format!("cannot create {}", dst.display())))
    })?
    else {
        return Ok(());
    };
    copy_data(src, &file, meta, shared).map_err(ExecError::io(format!(
        "cannot copy {} to {}",
        job.src.display(),
        dst.display()
    )))?;
    set_metadata(&Node::Fd(src), &Node::Fd(&file), meta, &job.src, dst)
}

/// Symbolic links, device nodes, FIFOs and sockets.
fn copy_node(job: &Job, shared: &Shared<'_>) -> ExecResult {
    let (src, dst) = (&job.src, &job.dst);
    let meta = match fs::symlink_metadata(src) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(ExecError::io(format!("cannot read {}", src.display()))(e)),
    };
    let kind = meta.file_type();
    if kind.is_dir() || kind.is_file() {
        // Replaced by a directory or a file since the listing: rare enough to refuse.
        return Err(ExecError::Failed(format!(
            "{} changed while it was being copied",
            src.display()
        )));
    }
    let created = shared.create_or_link(&meta, dst, || {
        if kind.is_symlink() {
            let to = fs::read_link(src)
                .map_err(ExecError::io(format!("cannot read {}", src.display())))?;
            replacing(dst, || std::os::unix::fs::symlink(&to, dst))
        } else {
            replacing(dst, || mknod(dst, meta.mode(), meta.rdev()))
        }
        .map_err(ExecError::io(format!("cannot create {}", dst.display())))
    })?;
    if created.is_none() {
        return Ok(());
    }
    let (src_c, dst_c) = (c_path(src)?, c_path(dst)?);
    set_metadata(&Node::Path(&src_c), &Node::Path(&dst_c), &meta, src, dst)
}

/// Owner, mode, xattrs and times of a directory, once everything in it is copied.
fn finish_dir(dir: &Dir) -> ExecResult {
    let (dst, meta) = (&dir.dst, &dir.meta);
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(dst)
        .map_err(ExecError::io(format!("cannot open {}", dst.display())))?;
    let src = c_path(&dir.src)?;
    set_metadata(&Node::Path(&src), &Node::Fd(&file), meta, &dir.src, dst)
}

/// A copy's owner, mode, xattrs and times, in the only order that keeps them all: `chown`
/// clears setuid, setgid and capabilities, so it comes first; ACLs (xattrs) after the mode
/// they refine; times last, since every other change moves them.
fn set_metadata(
    from: &Node<'_>,
    to: &Node<'_>,
    meta: &Metadata,
    src: &Path,
    dst: &Path,
) -> ExecResult {
    let what = |doing: &str| ExecError::io(format!("cannot set the {doing} of {}", dst.display()));
    to.chown(meta).map_err(what("owner"))?;
    if !meta.file_type().is_symlink() {
        to.chmod(meta).map_err(what("mode"))?;
    }
    copy_xattrs(from, to, src, dst)?;
    to.set_times(meta).map_err(what("times"))
}

fn make_dir(dst: &Path) -> ExecResult {
    let made = DirBuilder::new().mode(0o700).create(dst).or_else(|e| {
        if e.kind() != io::ErrorKind::AlreadyExists {
            return Err(e);
        }
        // Left by an earlier, interrupted copy: keep a directory, replace anything else.
        if fs::symlink_metadata(dst)?.is_dir() {
            return Ok(());
        }
        fs::remove_file(dst)?;
        DirBuilder::new().mode(0o700).create(dst)
    });
    made.map_err(ExecError::io(format!("cannot create {}", dst.display())))
}

/// Runs `create`; when something is in the way (left by an earlier, interrupted copy),
/// removes it and runs `create` again.
fn replacing<T>(dst: &Path, mut create: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(dst)?;
            create()
        }
        other => other,
    }
}

/// Swap files in use, from `/proc/swaps` ("Filename Type Size Used Priority", names with
/// spaces written as `\040`).
fn active_swap_files() -> HashSet<(u64, u64)> {
    let Ok(text) = fs::read_to_string("/proc/swaps") else {
        return HashSet::new();
    };
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|name| fs::metadata(name.replace("\\040", " ")).ok())
        .filter(Metadata::is_file)
        .map(|m| (m.dev(), m.ino()))
        .collect()
}

mod data;
mod meta;
#[cfg(test)]
mod tests;
