//! The copied system made into an installed one: nothing of the live session stays (its
//! users and their sudo rules, live-only packages), and it gets a machine id of its own.

use std::{fmt::Write as _, fs, path::Path, process::Command};

use crate::stage::{
    process::{run, Chroot},
    ExecError, ExecResult,
};

/// Packages that only make sense on a live medium; their diverted `update-initramfs`
/// would silently do nothing in the installed system.
const LIVE_ONLY: [&str; 6] = [
    "live-boot",
    "live-boot-initramfs-tools",
    "live-config",
    "live-config-systemd",
    "live-tools",
    "casper",
];

/// First and last uid of accounts people log in with.
const HUMAN_UIDS: std::ops::RangeInclusive<u32> = 1000..=59999;

pub fn copied_system(target: &Path) -> ExecResult {
    remove_live_users(target)?;
    // Root stays locked unless the person asks for a root password.
    run(
        Command::new("usermod")
            .arg("--root")
            .arg(target)
            .args(["--lock", "root"]),
        None,
    )?;
    purge_live_packages(target)?;
    fresh_machine_id(target)
}

/// The accounts of people in the copied system: every one of them belongs to the live
/// session, since the installer creates the new system's users after the copy.
pub fn human_users(target: &Path) -> Vec<String> {
    fs::read_to_string(target.join("etc/passwd"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let uid: u32 = f.get(2)?.parse().ok()?;
            HUMAN_UIDS.contains(&uid).then(|| f[0].to_owned())
        })
        .collect()
}

fn remove_live_users(target: &Path) -> ExecResult {
    let users = human_users(target);
    for user in &users {
        run(
            Command::new("userdel")
                .arg("--root")
                .arg(target)
                .args(["--remove", "--force", user]),
            None,
        )?;
        tracing::info!(user, "live session user removed from the target");
    }
    // Their sudo rules (a passwordless rule for the live user is usual) go with them.
    let dir = target.join("etc/sudoers.d");
    for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        let names_one = users.iter().any(|u| {
            text.lines()
                .any(|l| l.split_whitespace().next() == Some(u.as_str()))
        });
        if names_one || text.contains("NOPASSWD") {
            fs::remove_file(entry.path()).map_err(ExecError::io(format!(
                "cannot remove {}",
                entry.path().display()
            )))?;
        }
    }
    Ok(())
}

fn purge_live_packages(target: &Path) -> ExecResult {
    let installed: Vec<&str> = LIVE_ONLY
        .into_iter()
        .filter(|p| target.join(format!("var/lib/dpkg/info/{p}.list")).exists())
        .collect();
    if installed.is_empty() {
        return Ok(());
    }
    let root = target.to_string_lossy();
    let chroot = Chroot::enter(&root)?;
    let mut argv = vec!["dpkg", "--purge"];
    argv.extend(&installed);
    chroot.run(&argv, None)?;
    tracing::info!(?installed, "live-only packages purged from the target");
    Ok(())
}

/// A random machine id of the new system's own (two installs never share one); the D-Bus
/// copy of the live system's goes.
fn fresh_machine_id(target: &Path) -> ExecResult {
    let mut id = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut id))
        .map_err(ExecError::io("cannot read /dev/urandom"))?;
    let hex = id.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    let path = target.join("etc/machine-id");
    fs::write(&path, format!("{hex}\n"))
        .map_err(ExecError::io(format!("cannot write {}", path.display())))?;
    let dbus = target.join("var/lib/dbus/machine-id");
    if dbus.symlink_metadata().is_ok() {
        fs::remove_file(&dbus)
            .map_err(ExecError::io(format!("cannot remove {}", dbus.display())))?;
    }
    Ok(())
}
