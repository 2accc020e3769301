//! Nodes other than files and directories, and the metadata every node carries.

use std::{
    ffi::{CStr, CString, OsStr},
    fs::{self, File, Metadata},
    io,
    os::{
        fd::AsRawFd,
        unix::{
            ffi::OsStrExt,
            fs::{fchown, lchown, MetadataExt, PermissionsExt},
        },
    },
    path::Path,
};

use nix::{
    fcntl::AT_FDCWD,
    sys::{
        stat::{self, Mode, SFlag, UtimensatFlags},
        time::TimeSpec,
    },
};

use super::{
    data::{check, done},
    SKIPPED_XATTRS,
};
use crate::stage::{ExecError, ExecResult};

pub(super) fn mknod(path: &Path, mode: u32, rdev: u64) -> io::Result<()> {
    Ok(stat::mknod(
        path,
        SFlag::from_bits_truncate(mode & libc::S_IFMT),
        Mode::from_bits_truncate(mode & 0o7777),
        rdev,
    )?)
}

/// A node whose metadata is read or written: an open file, or a path (not followed: a
/// symbolic link, or a node that cannot be opened without side effects).
pub(super) enum Node<'a> {
    Fd(&'a File),
    Path(&'a CStr),
}

impl Node<'_> {
    pub(super) fn chown(&self, meta: &Metadata) -> io::Result<()> {
        let (uid, gid) = (Some(meta.uid()), Some(meta.gid()));
        match self {
            Node::Fd(f) => fchown(f, uid, gid),
            Node::Path(p) => lchown(OsStr::from_bytes(p.to_bytes()), uid, gid),
        }
    }

    /// Not for symbolic links: `chmod` follows them.
    pub(super) fn chmod(&self, meta: &Metadata) -> io::Result<()> {
        let mode = fs::Permissions::from_mode(meta.mode() & 0o7777);
        match self {
            Node::Fd(f) => f.set_permissions(mode),
            Node::Path(p) => fs::set_permissions(OsStr::from_bytes(p.to_bytes()), mode),
        }
    }

    /// Access and modification times, in nanoseconds.
    pub(super) fn set_times(&self, meta: &Metadata) -> io::Result<()> {
        let atime = TimeSpec::new(meta.atime(), meta.atime_nsec());
        let mtime = TimeSpec::new(meta.mtime(), meta.mtime_nsec());
        Ok(match self {
            Node::Fd(f) => stat::futimens(f, &atime, &mtime),
            Node::Path(p) => stat::utimensat(
                AT_FDCWD,
                *p,
                &atime,
                &mtime,
                UtimensatFlags::NoFollowSymlink,
            ),
        }?)
    }

    /// The names, each ending in a NUL. The xattr calls here are libc's: nix has no safe
    /// wrapper for them.
    pub(super) fn list(&self) -> io::Result<Vec<u8>> {
        read_sized(|buf, size| match self {
            #[allow(unsafe_code)]
            // SAFETY: `buf` is null with size 0, or points to `size` writable bytes.
            Node::Fd(f) => unsafe { libc::flistxattr(f.as_raw_fd(), buf.cast(), size) },
            #[allow(unsafe_code)]
            // SAFETY: as above; `p` is a valid C string.
            Node::Path(p) => unsafe { libc::llistxattr(p.as_ptr(), buf.cast(), size) },
        })
    }

    pub(super) fn get(&self, name: &CStr) -> io::Result<Vec<u8>> {
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

    pub(super) fn set(&self, name: &CStr, value: &[u8]) -> io::Result<()> {
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
pub(super) fn read_sized(mut call: impl FnMut(*mut u8, usize) -> isize) -> io::Result<Vec<u8>> {
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
pub(super) fn copy_xattrs(from: &Node<'_>, to: &Node<'_>, src: &Path, dst: &Path) -> ExecResult {
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
