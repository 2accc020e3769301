//! File data, moved in the kernel, holes kept.

use std::{
    ffi::CString,
    fs::{File, Metadata},
    io::{self, Seek, SeekFrom},
    os::unix::{
        ffi::OsStrExt,
        fs::{FileExt, MetadataExt},
    },
    path::Path,
    sync::atomic::Ordering,
};

use nix::{
    errno::Errno,
    fcntl,
    unistd::{lseek, Whence},
};

use super::{Shared, CHUNK, COPY_FILE_RANGE, READ_WRITE, SENDFILE};
use crate::stage::{ExecError, ExecResult};

pub(super) fn c_path(path: &Path) -> ExecResult<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| ExecError::Failed(format!("{} is not a valid path", path.display())))
}

/// Whether a system call's result reports an error, with the error.
pub(super) fn check(ret: isize) -> io::Result<usize> {
    usize::try_from(ret).map_err(|_| io::Error::last_os_error())
}

/// The same for calls that return 0 or -1.
pub(super) fn done(ret: libc::c_int) -> io::Result<()> {
    check(ret as isize).map(drop)
}

/// File data from `src` to `dst`, holes kept (found with `SEEK_DATA`/`SEEK_HOLE`).
pub(super) fn copy_data(
    src: &File,
    dst: &File,
    meta: &Metadata,
    shared: &Shared<'_>,
) -> io::Result<()> {
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
        let Some(data) = seek(src, at, Whence::SeekData)? else {
            break;
        };
        let hole = seek(src, data, Whence::SeekHole)?.unwrap_or(size).min(size);
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
pub(super) fn seek(file: &File, at: u64, whence: Whence) -> io::Result<Option<u64>> {
    let offset = libc::off_t::try_from(at).map_err(|_| Errno::EFBIG)?;
    match lseek(file, offset, whence) {
        Ok(p) => Ok(u64::try_from(p).ok()),
        Err(Errno::ENXIO) => Ok(None),
        // A filesystem without SEEK_DATA: all of the rest is data.
        Err(Errno::EINVAL) if matches!(whence, Whence::SeekData) => Ok(Some(at)),
        Err(e) => Err(e.into()),
    }
}

/// Copies `len` bytes at `at` (the same offset in both files; `dst`'s file position must
/// be there too), in the kernel where it can; returns what was copied (less when the
/// source shrank).
pub(super) fn copy_range(
    src: &File,
    dst: &File,
    at: u64,
    len: u64,
    shared: &Shared<'_>,
) -> io::Result<u64> {
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

pub(super) fn copy_file_range(src: &File, dst: &File, at: u64, len: usize) -> io::Result<usize> {
    let mut off_in = i64::try_from(at).map_err(|_| Errno::EFBIG)?;
    let mut off_out = off_in;
    Ok(fcntl::copy_file_range(
        src,
        Some(&mut off_in),
        dst,
        Some(&mut off_out),
        len,
    )?)
}

/// Writes at the output's file position, which `copy_range`'s callers keep at `at`.
pub(super) fn sendfile(src: &File, dst: &File, at: u64, len: usize) -> io::Result<usize> {
    let mut offset = libc::off_t::try_from(at).map_err(|_| Errno::EFBIG)?;
    Ok(nix::sys::sendfile::sendfile(
        dst,
        src,
        Some(&mut offset),
        len,
    )?)
}

pub(super) fn read_write(src: &File, dst: &File, at: u64, len: usize) -> io::Result<usize> {
    let mut buf = vec![0u8; len.min(1 << 20)];
    let n = src.read_at(&mut buf, at)?;
    dst.write_all_at(&buf[..n], at)?;
    Ok(n)
}
