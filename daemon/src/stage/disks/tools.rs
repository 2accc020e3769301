//! The external tools the disk executor runs: mkfs, cryptsetup, mount, swapon, blkid. Every
//! argument is a separate argv entry built from validated values; nothing goes through a
//! shell. Secrets travel on stdin only, never in argv or the environment.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use zeroize::Zeroizing;

use super::Fs;
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

pub fn mkfs(device: &str, fs: Fs) -> ExecResult {
    let mut cmd = match fs {
        Fs::Vfat => {
            let mut c = Command::new("mkfs.vfat");
            c.args(["-F", "32", "-n", "EFI"]);
            c
        }
        Fs::Ext4 => {
            let mut c = Command::new("mkfs.ext4");
            c.args(["-F", "-q"]);
            c
        }
        Fs::Btrfs => {
            let mut c = Command::new("mkfs.btrfs");
            c.args(["-f", "-q"]);
            c
        }
        Fs::Xfs => {
            let mut c = Command::new("mkfs.xfs");
            c.args(["-f", "-q"]);
            c
        }
        Fs::Swap => Command::new("mkswap"),
    };
    run(cmd.arg(device), None).map(drop)
}

/// `cryptsetup luksFormat` with the passphrase on stdin (`--key-file=-` reads it verbatim).
pub fn luks_format(partition: &str, passphrase: &Zeroizing<Vec<u8>>) -> ExecResult {
    run(
        Command::new("cryptsetup").args([
            "luksFormat",
            "--type",
            "luks2",
            "--batch-mode",
            "--key-file=-",
            partition,
        ]),
        Some(passphrase),
    )
    .map(drop)
}

pub fn luks_open(partition: &str, name: &str, passphrase: &Zeroizing<Vec<u8>>) -> ExecResult {
    run(
        Command::new("cryptsetup").args([
            "open",
            "--type",
            "luks2",
            "--key-file=-",
            partition,
            name,
        ]),
        Some(passphrase),
    )
    .map(drop)
}

pub fn luks_close(name: &str) -> ExecResult {
    run(Command::new("cryptsetup").args(["close", name]), None).map(drop)
}

/// A `blkid -p` value (`UUID`, `TYPE`) of a device: a low-level probe that needs no udev.
pub fn blkid_value(device: &str, key: &str) -> Option<String> {
    run(
        Command::new("blkid").args(["-p", "-o", "value", "-s", key, device]),
        None,
    )
    .ok()
    .map(|s| s.trim().to_owned())
    .filter(|s| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}
