//! The external tools the disk executor runs: mkfs, cryptsetup, mount, swapon, blkid. Every
//! argument is a separate argv entry built from validated values; nothing goes through a
//! shell. Secrets travel on stdin only, never in argv or the environment.

use std::process::Command;

use zeroize::Zeroizing;

use super::Fs;
use crate::stage::ExecResult;

pub use crate::stage::process::run;

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
