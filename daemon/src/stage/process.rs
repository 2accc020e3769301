//! Running programs for the stages: on this system, or inside the target with the API
//! filesystems it needs. Every argument is a separate argv entry built from validated
//! values; nothing goes through a shell. Secrets travel on stdin only.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use nix::mount::{mount, umount2, MntFlags, MsFlags};

use crate::{
    stage::{ExecError, ExecResult},
    validate,
};

/// Runs `cmd` (with `input` on stdin when given) and returns its stdout, or an error naming
/// the tool and what it printed on stderr.
pub fn run(cmd: &mut Command, input: Option<&[u8]>) -> ExecResult<String> {
    let tool = cmd.get_program().to_string_lossy().into_owned();
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    tracing::debug!(tool, args = ?cmd.get_args().collect::<Vec<_>>(), "running");
    let mut child = cmd
        .spawn()
        .map_err(|e| ExecError::Failed(format!("cannot run {tool}: {e} (is it installed?)")))?;
    if let (Some(data), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(data)
            .map_err(|e| ExecError::Failed(format!("cannot write to {tool}: {e}")))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| ExecError::Failed(format!("{tool} did not finish: {e}")))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        Err(ExecError::Failed(format!(
            "{tool} failed ({}): {}",
            out.status,
            validate::display_text(last, 300)
        )))
    }
}

/// The target's API filesystems (`/dev`, `/proc`, `/sys`, `/run`, and EFI variables where
/// the machine has them) mounted for programs run inside it; unmounted again on drop, on
/// every path out of a step. Programs enter it with the `chroot` tool: changing root in
/// our own child would need an unsafe `pre_exec`.
pub struct Chroot {
    root: PathBuf,
    mounted: Vec<PathBuf>,
}

impl Chroot {
    pub fn enter(root: &str) -> ExecResult<Self> {
        let mut c = Self {
            root: PathBuf::from(root),
            mounted: Vec::new(),
        };
        c.mount(Some("proc"), Some("proc"), MsFlags::empty(), "proc")?;
        for dir in ["dev", "sys", "run"] {
            let host = format!("/{dir}");
            c.mount(Some(&host), None, MsFlags::MS_BIND | MsFlags::MS_REC, dir)?;
            // Unmounting our copies must not unmount the host's.
            let at = c.root.join(dir);
            mount(
                None::<&str>,
                &at,
                None::<&str>,
                MsFlags::MS_SLAVE | MsFlags::MS_REC,
                None::<&str>,
            )
            .map_err(|e| {
                ExecError::io(format!("cannot make {} a slave mount", at.display()))(e.into())
            })?;
        }
        Ok(c)
    }

    fn mount(
        &mut self,
        source: Option<&str>,
        fstype: Option<&str>,
        flags: MsFlags,
        dir: &str,
    ) -> ExecResult {
        let at = self.root.join(dir);
        std::fs::create_dir_all(&at)
            .map_err(ExecError::io(format!("cannot create {}", at.display())))?;
        mount(source, &at, fstype, flags, None::<&str>).map_err(|e| {
            ExecError::io(format!(
                "cannot mount {} on {}",
                source.unwrap_or("?"),
                at.display()
            ))(e.into())
        })?;
        self.mounted.push(at);
        Ok(())
    }

    #[allow(dead_code)]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Runs `argv` inside the target, with a plain environment.
    pub fn run(&self, argv: &[&str], input: Option<&[u8]>) -> ExecResult<String> {
        let mut cmd = Command::new("chroot");
        cmd.arg(&self.root)
            .args(argv)
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .env("LANG", "C.UTF-8")
            .env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd, input)
    }
}

/// A mount point of `/proc/self/mountinfo` as a path: its octal escapes (`\040` for a
/// space) decoded.
fn mountinfo_path(field: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b.get(i + 1..i + 4).and_then(|d| {
            std::str::from_utf8(d)
                .ok()
                .and_then(|d| u8::from_str_radix(d, 8).ok())
        });
        match octal {
            Some(c) if b[i] == b'\\' => {
                out.push(c);
                i += 4;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

/// Mount points at or under `at`, newest first: children before the mounts they sit on.
fn mounts_under(at: &Path) -> Vec<PathBuf> {
    let info = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut points: Vec<PathBuf> = info
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(mountinfo_path)
        .filter(|p| p.starts_with(at))
        .collect();
    points.reverse();
    points
}

/// What `umount --recursive` does: everything at or under `at`, newest first. When
/// something inside still holds a mount, the rest is detached lazily so the target can go.
fn unmount_tree(at: &Path) {
    for p in mounts_under(at) {
        if let Err(e) = umount2(&p, MntFlags::empty()) {
            tracing::debug!(path = %p.display(), error = %e, "unmount failed");
        }
    }
    if !mounts_under(at).is_empty() {
        let _ = umount2(at, MntFlags::MNT_DETACH);
        tracing::warn!(path = %at.display(), "unmounted lazily");
    }
}

impl Drop for Chroot {
    fn drop(&mut self) {
        for at in self.mounted.iter().rev() {
            unmount_tree(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::require_root;

    #[test]
    fn mountinfo_escapes_are_decoded() {
        assert_eq!(
            mountinfo_path(r"/mnt/a\040b\011c\134d"),
            PathBuf::from("/mnt/a b\tc\\d")
        );
        assert_eq!(mountinfo_path(r"/x\04"), PathBuf::from(r"/x\04"));
    }

    #[test]
    fn the_api_filesystems_are_mounted_and_all_unmounted_on_drop() {
        require_root("the chroot's API filesystems are mounted");
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("target");
        let host_before = mounts_under(Path::new("/dev")).len();
        {
            let chroot = Chroot::enter(root.to_str().expect("utf-8")).expect("enter");
            let mounted = mounts_under(&root);
            for dir in ["proc", "dev", "sys", "run"] {
                assert!(mounted.contains(&root.join(dir)), "{dir}: {mounted:?}");
            }
            // /dev's own submounts (pts, shm, mqueue) came along with the bind.
            assert!(root.join("proc/self/status").exists());
            assert!(root.join("dev/null").exists());
            drop(chroot);
        }
        assert_eq!(mounts_under(&root), Vec::<PathBuf>::new());
        // The host's mounts were slaves' masters, not unmounted with them.
        assert_eq!(mounts_under(Path::new("/dev")).len(), host_before);
        assert!(Path::new("/proc/self/status").exists());
    }
}
