//! The last check before anything is written: read live from the kernel at execution time,
//! not from the plan, because a disk can be mounted between Propose and Confirm. A disk is
//! refused when it (or any of its partitions) backs the running root, is mounted, is active
//! swap or is held by another device (device-mapper, RAID), except the encrypted volumes
//! this installer opened itself. In sandbox mode every disk but the sandbox image is refused.

use std::{fs, path::Path};

use nix::sys::stat;

use super::{
    exec::{active_swaps, mount_points as mounts},
    kernel::devnum,
};
use crate::stage::{ExecError, ExecResult};

/// Devices a disk consists of: the disk and its partitions, as `(path, major:minor, sysfs dir)`.
fn members(disk: &str) -> ExecResult<Vec<(String, String, std::path::PathBuf)>> {
    let name = disk
        .strip_prefix("/dev/")
        .filter(|n| !n.is_empty() && !n.contains('/'))
        .ok_or_else(|| ExecError::Refused(format!("{disk} is not a disk under /dev")))?;
    let sys = Path::new("/sys/block").join(name);
    let read = |p: &Path| {
        fs::read_to_string(p)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    if !sys.exists() {
        return Err(ExecError::Refused(format!(
            "{disk} is not a whole disk the kernel knows"
        )));
    }
    let mut out = vec![(disk.to_owned(), read(&sys.join("dev")), sys.clone())];
    for e in fs::read_dir(&sys)
        .map_err(|e| ExecError::Refused(format!("cannot read {}: {e}", sys.display())))?
        .flatten()
    {
        let p = e.path();
        if p.join("partition").exists() {
            out.push((
                format!("/dev/{}", e.file_name().to_string_lossy()),
                read(&p.join("dev")),
                p,
            ));
        }
    }
    Ok(out)
}

/// Whole disks (`/sys/block` names) under a device number, following partitions to their
/// disk, device-mapper and RAID devices to their members, and loop devices to the disk
/// holding their backing file.
fn backing_disks(devnum: &str, depth: u32, out: &mut Vec<String>) {
    if depth > 8 {
        return;
    }
    let Ok(dir) = fs::canonicalize(Path::new("/sys/dev/block").join(devnum)) else {
        return;
    };
    let (disk_dir, name) = if dir.join("partition").exists() {
        let Some(parent) = dir.parent() else { return };
        (parent.to_path_buf(), parent.file_name())
    } else {
        (dir.clone(), dir.file_name())
    };
    let Some(name) = name.map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    if !out.contains(&name) {
        out.push(name);
    }
    if let Ok(slaves) = fs::read_dir(disk_dir.join("slaves")) {
        for s in slaves.flatten() {
            if let Ok(d) = fs::read_to_string(s.path().join("dev")) {
                backing_disks(d.trim(), depth + 1, out);
            }
        }
    }
    if let Ok(file) = fs::read_to_string(disk_dir.join("loop/backing_file")) {
        if let Ok(m) = fs::metadata(file.trim()) {
            use std::os::unix::fs::MetadataExt;
            let d = m.dev();
            backing_disks(
                &format!("{}:{}", stat::major(d), stat::minor(d)),
                depth + 1,
                out,
            );
        }
    }
}

/// Whole disks that hold the running root filesystem.
pub fn root_disks() -> Vec<String> {
    let mut out = Vec::new();
    for (dev, mnt) in mounts() {
        if mnt == "/" {
            backing_disks(&dev, 0, &mut out);
        }
    }
    out
}

/// Refuses `disk` unless nothing of it is in use. `ours` are device-mapper names the
/// installer opened itself (`luks-root`), which may hold partitions of the disk.
pub fn check_disk_free(disk: &str, sandbox: Option<&str>, ours: &[String]) -> ExecResult {
    if let Some(only) = sandbox {
        if disk != only {
            return Err(ExecError::Refused(format!(
                "{disk} is not the sandbox disk {only}; in sandbox mode nothing else is touched"
            )));
        }
    }
    let members = members(disk)?;
    let name = disk.trim_start_matches("/dev/");
    if root_disks().iter().any(|d| d == name) {
        return Err(ExecError::Refused(format!(
            "{disk} holds the running system's root filesystem"
        )));
    }
    let mut busy = Vec::new();
    let mounts = mounts();
    let swaps = active_swaps();
    for (path, num, sys) in &members {
        for (dev, mnt) in &mounts {
            if dev == num {
                busy.push(format!("{path} is mounted at {mnt}"));
            }
        }
        if swaps.contains(num) {
            busy.push(format!("{path} is active swap"));
        }
        if let Ok(holders) = fs::read_dir(sys.join("holders")) {
            for h in holders.flatten() {
                let dm_name = fs::read_to_string(h.path().join("dm/name"))
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_default();
                if dm_name.is_empty() || !ours.contains(&dm_name) {
                    let what = if dm_name.is_empty() {
                        h.file_name().to_string_lossy().into_owned()
                    } else {
                        dm_name
                    };
                    busy.push(format!("{path} is held by {what}"));
                }
            }
        }
    }
    if busy.is_empty() {
        Ok(())
    } else {
        busy.dedup();
        Err(ExecError::Refused(format!(
            "{disk} is in use: {}",
            busy.join("; ")
        )))
    }
}

/// Refuses to format or mount the partition `device` when it is not on the sandbox disk or
/// when it is mounted or active swap. (Installer volumes are checked by the executor.)
pub fn check_device_free(device: &str, sandbox: Option<&str>) -> ExecResult {
    if let Some(only) = sandbox {
        let prefix = crate::machine::partition_path(only, 0);
        let prefix = prefix.trim_end_matches('0');
        let on_sandbox = device
            .strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !on_sandbox {
            return Err(ExecError::Refused(format!(
                "{device} is not on the sandbox disk {only}; in sandbox mode nothing else is touched"
            )));
        }
    }
    let num = devnum(device)
        .ok_or_else(|| ExecError::Refused(format!("{device} is not a block device")))?;
    if let Some((_, mnt)) = mounts().into_iter().find(|(d, _)| *d == num) {
        return Err(ExecError::Refused(format!("{device} is mounted at {mnt}")));
    }
    if active_swaps().contains(&num) {
        return Err(ExecError::Refused(format!("{device} is active swap")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_root_is_never_free() {
        // The condition is created, not assumed (`/` may be on no disk here): the test runs
        // again in a private mount namespace where a loop disk's partition is mounted over `/`.
        let Some(disk) = crate::testutil::loop_disk_as_root(concat!(
            module_path!(),
            "::the_running_root_is_never_free"
        )) else {
            return;
        };
        let roots = root_disks();
        assert!(
            roots.iter().any(|d| *d == disk["/dev/".len()..]),
            "{disk} holds / but the guard finds {roots:?}"
        );
        let e = check_disk_free(&disk, None, &[])
            .expect_err("root disk refused")
            .to_string();
        assert!(
            e.contains("holds the running system's root filesystem"),
            "refused for another reason than holding /: {e}"
        );
        // Whatever else backs `/` on this machine is refused too.
        for name in root_disks() {
            let disk = format!("/dev/{name}");
            if Path::new("/sys/block").join(&name).exists() {
                let e = check_disk_free(&disk, None, &[])
                    .expect_err("root disk refused")
                    .to_string();
                assert!(e.contains("in use") || e.contains("root"), "{e}");
            }
        }
    }

    #[test]
    fn sandbox_mode_refuses_every_other_disk() {
        let e = check_disk_free("/dev/sda", Some("/dev/loop7"), &[])
            .expect_err("refused")
            .to_string();
        assert!(e.contains("sandbox"), "{e}");
        for other in ["/dev/sda1", "/dev/loop70p1", "/dev/loop7", "/dev/loop7p"] {
            let e = check_device_free(other, Some("/dev/loop7"))
                .expect_err("refused")
                .to_string();
            assert!(e.contains("sandbox"), "{other}: {e}");
        }
        assert!(check_disk_free("/dev/../etc", None, &[]).is_err());
        assert!(check_disk_free("sda", None, &[]).is_err());
    }
}
