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
    ffi::{CStr, CString, OsStr},
    fs::{self, DirBuilder, File, Metadata, OpenOptions},
    io::{self, Seek, SeekFrom},
    os::{
        fd::AsRawFd,
        unix::{
            ffi::OsStrExt,
            fs::{
                fchown, lchown, DirBuilderExt, DirEntryExt, FileExt, MetadataExt, OpenOptionsExt,
                PermissionsExt,
            },
        },
    },
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering},
        mpsc, Mutex, PoisonError,
    },
    thread,
    time::{Duration, Instant},
};

use tokio_util::sync::CancellationToken;

use super::source::EXCLUDED;
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
    #[allow(unsafe_code)]
    // SAFETY: syncfs takes the descriptor of an open file.
    let r = unsafe { libc::syncfs(file.as_raw_fd()) };
    done(r)
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

fn c_path(path: &Path) -> ExecResult<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| ExecError::Failed(format!("{} is not a valid path", path.display())))
}

/// Whether a system call's result reports an error, with the error.
fn check(ret: isize) -> io::Result<usize> {
    usize::try_from(ret).map_err(|_| io::Error::last_os_error())
}

/// The same for calls that return 0 or -1.
fn done(ret: libc::c_int) -> io::Result<()> {
    check(ret as isize).map(drop)
}

/// File data from `src` to `dst`, holes kept (found with `SEEK_DATA`/`SEEK_HOLE`).
fn copy_data(src: &File, dst: &File, meta: &Metadata, shared: &Shared<'_>) -> io::Result<()> {
    let size = meta.len();
    if meta.blocks() * 512 >= size {
        let copied = copy_range(src, dst, 0, size, shared)?;
        shared
            .bytes
            .fetch_add(size.saturating_sub(copied), Ordering::Relaxed);
        return Ok(());
    }
    let mut copied = 0;
    let mut at = 0;
    while at < size {
        let Some(data) = seek(src, at, libc::SEEK_DATA)? else {
            break;
        };
        let hole = seek(src, data, libc::SEEK_HOLE)?.unwrap_or(size).min(size);
        (&*dst).seek(SeekFrom::Start(data))?;
        copied += copy_range(src, dst, data, hole - data, shared)?;
        at = hole;
    }
    // A hole at the end is not written: the size makes it.
    dst.set_len(size)?;
    shared
        .bytes
        .fetch_add(size.saturating_sub(copied), Ordering::Relaxed);
    Ok(())
}

/// `lseek` with `SEEK_DATA` or `SEEK_HOLE`; `None` past the last data.
fn seek(file: &File, at: u64, whence: libc::c_int) -> io::Result<Option<u64>> {
    let offset =
        libc::off_t::try_from(at).map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
    #[allow(unsafe_code)]
    // SAFETY: lseek takes plain integers and the descriptor of an open file.
    let r = unsafe { libc::lseek(file.as_raw_fd(), offset, whence) };
    if let Ok(p) = u64::try_from(r) {
        return Ok(Some(p));
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ENXIO) => Ok(None),
        // A filesystem without SEEK_DATA: all of the rest is data.
        Some(libc::EINVAL) if whence == libc::SEEK_DATA => Ok(Some(at)),
        _ => Err(e),
    }
}

/// Copies `len` bytes at `at` (the same offset in both files; `dst`'s file position must
/// be there too), in the kernel where it can; returns what was copied (less when the
/// source shrank).
fn copy_range(src: &File, dst: &File, at: u64, len: u64, shared: &Shared<'_>) -> io::Result<u64> {
    let end = at + len;
    let mut pos = at;
    while pos < end {
        #[allow(clippy::cast_possible_truncation)] // at most CHUNK
        let chunk = (end - pos).min(CHUNK) as usize;
        let method = shared.method.load(Ordering::Relaxed);
        let moved = match method {
            COPY_FILE_RANGE => copy_file_range(src, dst, pos, chunk),
            SENDFILE => sendfile(src, dst, pos, chunk),
            _ => read_write(src, dst, pos, chunk),
        };
        let n = match moved {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // Across filesystems (EXDEV) or where the filesystems cannot: the next method,
            // for this copy and every later one.
            Err(e)
                if method < READ_WRITE
                    && matches!(
                        e.raw_os_error(),
                        Some(libc::EXDEV | libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
                    ) =>
            {
                let _ = shared.method.compare_exchange(
                    method,
                    method + 1,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                // copy_file_range leaves the file position where it was.
                (&*dst).seek(SeekFrom::Start(pos))?;
                continue;
            }
            Err(e) => return Err(e),
        };
        if n == 0 {
            break;
        }
        pos += n as u64;
        shared.bytes.fetch_add(n as u64, Ordering::Relaxed);
    }
    Ok(pos - at)
}

fn copy_file_range(src: &File, dst: &File, at: u64, len: usize) -> io::Result<usize> {
    let mut off_in =
        libc::loff_t::try_from(at).map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
    let mut off_out = off_in;
    #[allow(unsafe_code)]
    // SAFETY: both descriptors are open; the offsets are locals the call updates.
    let r = unsafe {
        libc::copy_file_range(
            src.as_raw_fd(),
            &raw mut off_in,
            dst.as_raw_fd(),
            &raw mut off_out,
            len,
            0,
        )
    };
    check(r)
}

/// Writes at the output's file position, which `copy_range`'s callers keep at `at`.
fn sendfile(src: &File, dst: &File, at: u64, len: usize) -> io::Result<usize> {
    let mut offset =
        libc::off_t::try_from(at).map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
    #[allow(unsafe_code)]
    // SAFETY: both descriptors are open; the offset is a local the call updates.
    let r = unsafe { libc::sendfile(dst.as_raw_fd(), src.as_raw_fd(), &raw mut offset, len) };
    check(r)
}

fn read_write(src: &File, dst: &File, at: u64, len: usize) -> io::Result<usize> {
    let mut buf = vec![0u8; len.min(1 << 20)];
    let n = src.read_at(&mut buf, at)?;
    dst.write_all_at(&buf[..n], at)?;
    Ok(n)
}

fn mknod(path: &Path, mode: u32, rdev: u64) -> io::Result<()> {
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    #[allow(unsafe_code)]
    // SAFETY: `c` is a valid C string; mode and device are plain integers.
    let r = unsafe { libc::mknod(c.as_ptr(), mode, rdev) };
    done(r)
}

/// A node whose metadata is read or written: an open file, or a path (not followed: a
/// symbolic link, or a node that cannot be opened without side effects).
enum Node<'a> {
    Fd(&'a File),
    Path(&'a CStr),
}

impl Node<'_> {
    fn chown(&self, meta: &Metadata) -> io::Result<()> {
        let (uid, gid) = (Some(meta.uid()), Some(meta.gid()));
        match self {
            Node::Fd(f) => fchown(f, uid, gid),
            Node::Path(p) => lchown(OsStr::from_bytes(p.to_bytes()), uid, gid),
        }
    }

    /// Not for symbolic links: `chmod` follows them.
    fn chmod(&self, meta: &Metadata) -> io::Result<()> {
        let mode = fs::Permissions::from_mode(meta.mode() & 0o7777);
        match self {
            Node::Fd(f) => f.set_permissions(mode),
            Node::Path(p) => fs::set_permissions(OsStr::from_bytes(p.to_bytes()), mode),
        }
    }

    /// Access and modification times, in nanoseconds.
    fn set_times(&self, meta: &Metadata) -> io::Result<()> {
        let times = [
            libc::timespec {
                tv_sec: meta.atime(),
                tv_nsec: meta.atime_nsec(),
            },
            libc::timespec {
                tv_sec: meta.mtime(),
                tv_nsec: meta.mtime_nsec(),
            },
        ];
        let r = match self {
            #[allow(unsafe_code)]
            // SAFETY: `times` is the two timespecs futimens reads.
            Node::Fd(f) => unsafe { libc::futimens(f.as_raw_fd(), times.as_ptr()) },
            #[allow(unsafe_code)]
            // SAFETY: `p` is a valid C string and `times` the two timespecs utimensat reads.
            Node::Path(p) => unsafe {
                libc::utimensat(
                    libc::AT_FDCWD,
                    p.as_ptr(),
                    times.as_ptr(),
                    libc::AT_SYMLINK_NOFOLLOW,
                )
            },
        };
        done(r)
    }

    /// The names, each ending in a NUL.
    fn list(&self) -> io::Result<Vec<u8>> {
        read_sized(|buf, size| match self {
            #[allow(unsafe_code)]
            // SAFETY: `buf` is null with size 0, or points to `size` writable bytes.
            Node::Fd(f) => unsafe { libc::flistxattr(f.as_raw_fd(), buf.cast(), size) },
            #[allow(unsafe_code)]
            // SAFETY: as above; `p` is a valid C string.
            Node::Path(p) => unsafe { libc::llistxattr(p.as_ptr(), buf.cast(), size) },
        })
    }

    fn get(&self, name: &CStr) -> io::Result<Vec<u8>> {
        read_sized(|buf, size| match self {
            #[allow(unsafe_code)]
            // SAFETY: `buf` is null with size 0, or points to `size` writable bytes.
            Node::Fd(f) => unsafe {
                libc::fgetxattr(f.as_raw_fd(), name.as_ptr(), buf.cast(), size)
            },
            #[allow(unsafe_code)]
            // SAFETY: as above; `p` and `name` are valid C strings.
            Node::Path(p) => unsafe {
                libc::lgetxattr(p.as_ptr(), name.as_ptr(), buf.cast(), size)
            },
        })
    }

    fn set(&self, name: &CStr, value: &[u8]) -> io::Result<()> {
        let (v, len) = (value.as_ptr().cast(), value.len());
        let r = match self {
            #[allow(unsafe_code)]
            // SAFETY: `value` is `len` readable bytes; `name` is a valid C string.
            Node::Fd(f) => unsafe { libc::fsetxattr(f.as_raw_fd(), name.as_ptr(), v, len, 0) },
            #[allow(unsafe_code)]
            // SAFETY: as above; `p` is a valid C string.
            Node::Path(p) => unsafe { libc::lsetxattr(p.as_ptr(), name.as_ptr(), v, len, 0) },
        };
        done(r)
    }
}

/// Calls a `*xattr` reader first for the size, then with a buffer of that size; again
/// when the value grew in between.
fn read_sized(mut call: impl FnMut(*mut u8, usize) -> isize) -> io::Result<Vec<u8>> {
    loop {
        let size = check(call(std::ptr::null_mut(), 0))?;
        if size == 0 {
            return Ok(Vec::new());
        }
        let mut buf = vec![0u8; size];
        match check(call(buf.as_mut_ptr(), size)) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(e) if e.raw_os_error() == Some(libc::ERANGE) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Every xattr of `from` onto `to`, but overlayfs's own.
fn copy_xattrs(from: &Node<'_>, to: &Node<'_>, src: &Path, dst: &Path) -> ExecResult {
    let names = match from.list() {
        Ok(names) => names,
        // A filesystem without xattrs (a pseudo filesystem's mount point) has none.
        Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => return Ok(()),
        Err(e) => {
            return Err(ExecError::io(format!(
                "cannot read the extended attributes of {}",
                src.display()
            ))(e))
        }
    };
    for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        if name.starts_with(SKIPPED_XATTRS) {
            continue;
        }
        let shown = String::from_utf8_lossy(name);
        let c = CString::new(name)
            .map_err(|_| ExecError::Failed(format!("{}: a bad xattr name", src.display())))?;
        let value = match from.get(&c) {
            Ok(v) => v,
            // Removed since it was listed.
            Err(e) if e.raw_os_error() == Some(libc::ENODATA) => continue,
            Err(e) => {
                return Err(ExecError::io(format!(
                    "cannot read the extended attribute {shown} of {}",
                    src.display()
                ))(e))
            }
        };
        to.set(&c, &value).map_err(ExecError::io(format!(
            "cannot set the extended attribute {shown} on {}",
            dst.display()
        )))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use std::{os::unix::net::UnixListener, process::Command};

    use super::*;
    use crate::testutil::{require_root, require_tool, sh, LoopDisk};

    /// A fresh ext4 filesystem (xattrs, ACLs and capabilities supported, unlike tmpfs) on a
    /// loop disk, mounted at the disk's target; unmounted and detached on drop.
    fn ext4(size: u64) -> (LoopDisk, PathBuf) {
        let disk = LoopDisk::new(size);
        sh(Command::new("mkfs.ext4").args(["-q", "-F", &disk.dev]));
        let mnt = PathBuf::from(disk.target());
        fs::create_dir_all(&mnt).expect("mount point");
        sh(Command::new("mount").arg(&disk.dev).arg(&mnt));
        (disk, mnt)
    }

    fn copy(source: &Path, target: &Path) -> ExecResult<u64> {
        let mut last = 0;
        copy_tree(source, target, &CancellationToken::new(), &mut |b| {
            assert!(b >= last, "progress went back from {last} to {b}");
            last = b;
        })
        .map(|()| last)
    }

    fn run_in(dir: &Path, tool: &str, args: &[&str]) -> String {
        sh(Command::new(tool).args(args).current_dir(dir))
    }

    fn stat(dir: &Path, format: &str, path: &str) -> String {
        run_in(dir, "stat", &["-c", format, path]).trim().to_owned()
    }

    /// What a live root holds that a naive copy loses, built with the system's own tools.
    const TREE: &str = r"
        set -e
        mkdir -p usr/bin usr/lib etc/acl-dir etc/opaque home/user lib/udev/devices var/lib \
            proc/1 tmp srv/other usr/share/doc/old/deeper
        printf ping > usr/bin/ping && setcap cap_net_raw+ep usr/bin/ping
        printf su > usr/bin/su && chmod 4755 usr/bin/su
        printf tool > usr/bin/tool && chown 1234:5678 usr/bin/tool && chmod 6750 usr/bin/tool
        printf linked > etc/first && ln etc/first usr/lib/second
        mknod lib/udev/devices/null c 1 3 && chmod 666 lib/udev/devices/null
        mkfifo var/fifo
        truncate -s 1G var/lib/sparse.img
        printf middle | dd of=var/lib/sparse.img bs=1 seek=536870912 conv=notrunc status=none
        printf acl > etc/acl-file && setfacl -m u:1234:rwx etc/acl-file
        setfacl -d -m u:1234:rx etc/acl-dir
        printf x > etc/xattr-file
        setfattr -n user.note -v hello etc/xattr-file
        setfattr -n trusted.kept -v yes etc/xattr-file
        setfattr -n trusted.overlay.opaque -v y etc/opaque
        setfattr -n user.kept -v 1 etc/opaque
        printf lib > usr/lib/libx.so.1 && ln -s libx.so.1 usr/lib/libx.so
        ln -s /nonexistent etc/dangling && chown -h 1234:5678 etc/dangling
        touch -h -d '2002-03-04 05:06:07.5' etc/dangling
        printf old > usr/share/doc/old/deeper/file
        touch -d '2001-02-03 04:05:06.123456789' usr/share/doc/old/deeper/file \
            usr/share/doc/old/deeper usr/share/doc/old
        printf mine > home/user/file && chown -R 1234:5678 home/user && chmod 700 home/user
        printf 1 > proc/1/status && chmod 555 proc
        printf t > tmp/junk && chmod 1777 tmp
        dd if=/dev/zero of=swapfile bs=1M count=1 status=none && chmod 600 swapfile
        mkswap swapfile > /dev/null
        mount -t tmpfs other srv/other && printf other > srv/other/file
    ";

    #[test]
    fn a_live_root_is_copied_with_everything_a_system_needs() {
        require_root("the copier's tests make device nodes and files of other owners");
        for tool in [
            "mkfs.ext4",
            "setcap",
            "getcap",
            "setfacl",
            "getfacl",
            "setfattr",
        ] {
            require_tool(&[tool]);
        }
        require_tool(&["getfattr"]);
        require_tool(&["mkswap"]);
        let (_from, from) = ext4(256 * MIB);
        let (_to, dst) = ext4(256 * MIB);
        let src = from.join("root");
        fs::create_dir(&src).expect("source root");
        run_in(&src, "sh", &["-c", TREE]);
        drop(UnixListener::bind(src.join("var/socket")).expect("socket"));

        let bytes = copy(&src, &dst).expect("copy");

        assert!(bytes >= 1 << 30, "progress counts the sparse file: {bytes}");
        // Every node as stat shows it: type, mode, owner, size, device, times in ns.
        let node = "%F %a %u:%g %s %t:%T %y %x";
        for path in [
            "usr/bin/ping",
            "usr/bin/su",
            "usr/bin/tool",
            "etc/first",
            "usr/lib/second",
            "lib/udev/devices/null",
            "var/fifo",
            "var/socket",
            "var/lib/sparse.img",
            "etc/acl-file",
            "etc/xattr-file",
            "usr/lib/libx.so.1",
            "usr/share/doc/old/deeper/file",
            "home/user/file",
        ] {
            assert_eq!(stat(&dst, node, path), stat(&src, node, path), "{path}");
        }
        // Reading a link is an access: the source's atime moves, the copy keeps the old one.
        let link = "%F %a %u:%g %s %y";
        for path in ["usr/lib/libx.so", "etc/dangling"] {
            assert_eq!(stat(&dst, link, path), stat(&src, link, path), "{path}");
        }
        assert_eq!(
            stat(&dst, "%u:%g %y", "etc/dangling"),
            "1234:5678 2002-03-04 05:06:07.500000000 +0000"
        );
        // Directories: their times set after their contents.
        let dir = "%F %a %u:%g %y";
        for path in [
            "usr/share/doc/old",
            "usr/share/doc/old/deeper",
            "home/user",
            "etc/acl-dir",
            "proc",
            "tmp",
        ] {
            assert_eq!(stat(&dst, dir, path), stat(&src, dir, path), "{path}");
        }
        assert_eq!(stat(&dst, "%Y", "usr/share/doc/old"), "981173106");
        assert_eq!(stat(&dst, "%a %u:%g", "usr/bin/su"), "4755 0:0");
        assert_eq!(stat(&dst, "%a %u:%g", "usr/bin/tool"), "6750 1234:5678");
        assert_eq!(stat(&dst, "%a %u", "home/user"), "700 1234");
        assert_eq!(
            stat(&dst, "%F %t:%T", "lib/udev/devices/null"),
            "character special file 1:3"
        );
        assert_eq!(stat(&dst, "%F", "var/fifo"), "fifo");
        assert_eq!(stat(&dst, "%F", "var/socket"), "socket");
        // One inode, two names.
        assert_eq!(
            stat(&dst, "%i %h", "etc/first"),
            stat(&dst, "%i %h", "usr/lib/second")
        );
        assert_eq!(stat(&dst, "%h", "etc/first"), "2");
        // The capability survives the chown that would clear it.
        let caps = run_in(&dst, "getcap", &["usr/bin/ping"]);
        assert!(caps.contains("cap_net_raw=ep"), "getcap: {caps}");
        // The sparse file keeps its size and data, and its holes.
        assert_eq!(stat(&dst, "%s", "var/lib/sparse.img"), "1073741824");
        let blocks: u64 = stat(&dst, "%b", "var/lib/sparse.img")
            .parse()
            .expect("blocks");
        let block: u64 = stat(&dst, "%B", "var/lib/sparse.img")
            .parse()
            .expect("size");
        assert!(
            blocks * block <= MIB,
            "the sparse file takes {blocks} blocks"
        );
        let middle = run_in(
            &dst,
            "dd",
            &[
                "if=var/lib/sparse.img",
                "bs=1",
                "skip=536870912",
                "count=6",
                "status=none",
            ],
        );
        assert_eq!(middle, "middle");
        // ACLs, access and default.
        let acls = ["-p", "--omit-header", "etc/acl-file", "etc/acl-dir"];
        let copied = run_in(&dst, "getfacl", &acls);
        assert_eq!(copied, run_in(&src, "getfacl", &acls));
        assert!(copied.contains("user:1234:rwx"), "getfacl: {copied}");
        assert!(
            copied.contains("default:user:1234:r-x"),
            "getfacl: {copied}"
        );
        // Every xattr but overlayfs's own.
        let xattrs = run_in(
            &dst,
            "getfattr",
            &["-h", "-d", "-m", "-", "etc/xattr-file", "etc/opaque"],
        );
        for kept in [
            "user.note=\"hello\"",
            "trusted.kept=\"yes\"",
            "user.kept=\"1\"",
        ] {
            assert!(xattrs.contains(kept), "{kept} lost: {xattrs}");
        }
        assert!(!xattrs.contains("trusted.overlay"), "copied: {xattrs}");
        assert_eq!(
            run_in(&dst, "readlink", &["usr/lib/libx.so", "etc/dangling"]),
            "libx.so.1\n/nonexistent\n"
        );
        // Left out: the excluded directory's contents, another filesystem's, swap.
        for empty in ["proc", "tmp", "srv/other"] {
            let n = fs::read_dir(dst.join(empty)).expect(empty).count();
            assert_eq!(n, 0, "{empty} has {n} entries");
        }
        assert!(!dst.join("swapfile").exists(), "the swap file was copied");
    }

    #[test]
    fn a_target_inside_the_source_is_not_copied_into_itself() {
        require_root("the copier's tests copy files of other owners");
        let dir = tempfile::tempdir().expect("tempdir");
        let src = dir.path().join("tree");
        let dst = src.join("inner/copy");
        fs::create_dir_all(&dst).expect("tree");
        fs::write(src.join("inner/file"), "data").expect("file");

        copy(&src, &dst).expect("copy");

        assert_eq!(fs::read(dst.join("inner/file")).expect("copied"), b"data");
        assert!(!dst.join("inner/copy").exists(), "the target was copied");
    }

    #[test]
    fn a_cancelled_copy_stops_before_writing() {
        require_root("the copier's tests copy files of other owners");
        let dir = tempfile::tempdir().expect("tempdir");
        let (src, dst) = (dir.path().join("src"), dir.path().join("dst"));
        fs::create_dir_all(src.join("a/b")).expect("tree");
        fs::write(src.join("a/file"), "data").expect("file");
        fs::create_dir(&dst).expect("target");
        let cancel = CancellationToken::new();
        cancel.cancel();

        let result = copy_tree(&src, &dst, &cancel, &mut |_| {});

        assert!(matches!(result, Err(ExecError::Cancelled)), "{result:?}");
        assert_eq!(fs::read_dir(&dst).expect("target").count(), 0);
    }
}
