//! Running programs for the stages: on this system, or inside the target with the API
//! filesystems it needs. Every argument is a separate argv entry built from validated
//! values; nothing goes through a shell. Secrets travel on stdin only.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

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
/// every path out of a step.
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
        c.mount(&["-t", "proc", "proc"], "proc")?;
        for dir in ["dev", "sys", "run"] {
            c.mount(&["--rbind", &format!("/{dir}")], dir)?;
            // Unmounting our copies must not unmount the host's.
            run(
                Command::new("mount")
                    .args(["--make-rslave"])
                    .arg(c.root.join(dir)),
                None,
            )?;
        }
        Ok(c)
    }

    fn mount(&mut self, how: &[&str], dir: &str) -> ExecResult {
        let at = self.root.join(dir);
        std::fs::create_dir_all(&at)
            .map_err(ExecError::io(format!("cannot create {}", at.display())))?;
        run(Command::new("mount").args(how).arg(&at), None)?;
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

impl Drop for Chroot {
    fn drop(&mut self) {
        for at in self.mounted.iter().rev() {
            let ok = Command::new("umount")
                .arg("--recursive")
                .arg(at)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                // Something inside still holds it: detach it so the target can go.
                let _ = Command::new("umount")
                    .args(["--recursive", "--lazy"])
                    .arg(at)
                    .status();
                tracing::warn!(path = %at.display(), "unmounted lazily");
            }
        }
    }
}
