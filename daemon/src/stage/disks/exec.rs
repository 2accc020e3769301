//! The real disk executor. It runs on a blocking thread, one step at a time, and checks
//! each disk live before writing to it (`guard`). What a job changed is remembered so that
//! a failed job can put the old partition tables back (`backup`) and leave nothing mounted
//! or open.

use std::{
    fs::{self, File, OpenOptions},
    path::Path,
    process::Command,
};

use super::{backup, guard, kernel, table, tools, DiskOp};
use crate::{
    install_state::InstallState,
    ops::Operation,
    stage::{ExecConfig, ExecError, ExecResult, StageExecutor, StepContext},
};

/// Carries out disk steps for one job, and remembers what it changed.
#[derive(Debug, Default)]
pub struct DiskExecutor {
    /// Disks whose table this job saved before changing it.
    saved: Vec<String>,
    /// Disks on which this job made a filesystem or LUKS header.
    formatted: Vec<String>,
    /// Device-mapper names this job opened, swap it turned on, and whether it mounted.
    opened: Vec<String>,
    swapped: Vec<String>,
    mounted: bool,
}

fn open_disk(disk: &str) -> ExecResult<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(disk)
        .map_err(ExecError::io(format!("cannot open {disk}")))
}

/// The whole disk a partition belongs to, from sysfs.
fn disk_of(partition: &str) -> Option<String> {
    let name = partition.strip_prefix("/dev/")?;
    let dir = fs::canonicalize(Path::new("/sys/class/block").join(name)).ok()?;
    dir.join("partition").exists().then_some(())?;
    Some(format!(
        "/dev/{}",
        dir.parent()?.file_name()?.to_string_lossy()
    ))
}

/// `(major:minor, mount point)` from `/proc/self/mountinfo`, spaces decoded (`\040`).
pub fn mount_points() -> Vec<(String, String)> {
    fs::read_to_string("/proc/self/mountinfo")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f.len() > 4).then(|| (f[2].to_owned(), f[4].replace("\\040", " ")))
        })
        .collect()
}

/// Whether anything is mounted at or under `root`.
pub fn mounted_under(root: &str) -> bool {
    mount_points().iter().any(|(_, m)| is_under(m, root))
}

fn is_under(path: &str, root: &str) -> bool {
    path == root || path.starts_with(&format!("{}/", root.trim_end_matches('/')))
}

/// Devices in `/proc/swaps`, by `major:minor`.
pub(super) fn active_swaps() -> Vec<String> {
    fs::read_to_string("/proc/swaps")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().and_then(kernel::devnum))
        .collect()
}

/// The name of an installer volume (`/dev/mapper/luks-*`).
pub fn mapper_name(device: &str) -> Option<&str> {
    device
        .strip_prefix("/dev/mapper/")
        .filter(|n| n.starts_with("luks-"))
}

/// The partition under an open device-mapper volume, from sysfs.
pub fn mapper_backing(name: &str) -> Option<String> {
    let dm = kernel::sys_dir(&format!("/dev/mapper/{name}"))?;
    let slave = fs::read_dir(dm.join("slaves")).ok()?.flatten().next()?;
    Some(format!("/dev/{}", slave.file_name().to_string_lossy()))
}

impl StageExecutor for DiskExecutor {
    type Op = DiskOp;

    fn run(&mut self, op: &DiskOp, cx: &mut StepContext<'_>) -> ExecResult {
        let sandbox = cx.config.sandbox.as_deref();
        match op {
            DiskOp::UnmountTarget => self.release(cx.config, cx.state)?,
            DiskOp::WriteTable { disk, table } => {
                let kind = *table;
                self.change_table(cx, disk, |f, ss| {
                    table::write_empty(f, kind, ss).map_err(|e| ExecError::Failed(e.to_string()))
                })?;
            }
            DiskOp::CreatePartition {
                disk,
                number,
                start,
                size,
                kind,
            } => {
                let (n, s, z, k) = (*number, *start, *size, *kind);
                self.change_table(cx, disk, |f, ss| {
                    table::add(f, ss, n, s, z, k)
                        .map(drop)
                        .map_err(|e| ExecError::Failed(e.to_string()))
                })?;
            }
            DiskOp::RestoreTable { disk } => {
                guard::check_disk_free(disk, sandbox, &self.ours(cx.state))?;
                restore_table(&cx.config.state_dir, disk)?;
                self.saved.retain(|d| d != disk);
            }
            DiskOp::LuksFormat { partition, mapper } => self.luks_format(cx, partition, mapper)?,
            DiskOp::MakeFs {
                partition,
                device,
                fs,
            } => {
                if device == partition {
                    guard::check_device_free(device, sandbox)?;
                } else {
                    // A LUKS volume: the partition itself is held by our mapper.
                    check_volume(sandbox, device, Some(partition))?;
                }
                tools::mkfs(device, *fs)?;
                self.note_formatted(partition);
            }
            DiskOp::Mount {
                device, mountpoint, ..
            } => self.mount(cx.config, device, mountpoint)?,
            DiskOp::SwapOn { device, .. } => {
                let num = kernel::devnum(device)
                    .ok_or_else(|| ExecError::Failed(format!("{device} is not a block device")))?;
                if sandbox.is_some() {
                    // Turned on, the image's swap would be this machine's: the installed
                    // system gets it through its fstab, and the sandbox leaves it off.
                    tracing::info!(device, "sandbox: swap left off");
                } else if !active_swaps().contains(&num) {
                    tools::run(Command::new("swapon").arg(device), None)?;
                    self.swapped.push(device.clone());
                }
            }
        }
        Ok(())
    }
}

impl DiskExecutor {
    /// Device-mapper names the installer opened (this job or before): they may hold the
    /// disk's partitions without making it foreign.
    fn ours(&self, state: &InstallState) -> Vec<String> {
        let mut v = self.opened.clone();
        for d in state.mounts.values().chain(state.swaps.iter()) {
            if let Some(n) = mapper_name(d) {
                v.push(n.to_owned());
            }
        }
        v
    }

    /// Writes the table of `disk` and makes the kernel's view match it.
    fn change_table(
        &mut self,
        cx: &StepContext<'_>,
        disk: &str,
        change: impl FnOnce(&mut File, u64) -> ExecResult,
    ) -> ExecResult {
        guard::check_disk_free(disk, cx.config.sandbox.as_deref(), &self.ours(cx.state))?;
        let mut f = open_disk(disk)?;
        if backup::save(&cx.config.state_dir, disk, &mut f).map_err(ExecError::io(format!(
            "cannot save the partition table of {disk}"
        )))? {
            tracing::info!(disk, "old partition table saved");
            self.saved.push(disk.to_owned());
        }
        let ss = kernel::sector_size(&f);
        change(&mut f, ss)?;
        let entries = table::entries(&mut f, ss).map_err(|e| ExecError::Failed(e.to_string()))?;
        kernel::sync_partitions(&f, disk, &entries)
    }

    fn luks_format(&mut self, cx: &StepContext<'_>, partition: &str, mapper: &str) -> ExecResult {
        let pass = cx
            .secret
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ExecError::Failed("the passphrase is missing".into()))?;
        let name = mapper_name(mapper)
            .ok_or_else(|| ExecError::Failed(format!("{mapper} is not an installer volume name")))?
            .to_owned();
        if Path::new("/dev/mapper").join(&name).exists() {
            // Left open by an earlier attempt of this step: close it. A volume of that name
            // on anything else is not ours to close.
            if mapper_backing(&name).as_deref() != Some(partition) {
                return Err(ExecError::Refused(format!(
                    "a volume named {name} is already open on another device; close it first"
                )));
            }
            tools::luks_close(&name)?;
        }
        guard::check_device_free(partition, cx.config.sandbox.as_deref())?;
        tools::luks_format(partition, pass)?;
        self.note_formatted(partition);
        tools::luks_open(partition, &name, pass)?;
        self.opened.push(name);
        Ok(())
    }

    fn mount(&mut self, config: &ExecConfig, device: &str, mountpoint: &str) -> ExecResult {
        let target = config.target(mountpoint);
        let num = kernel::devnum(device)
            .ok_or_else(|| ExecError::Failed(format!("{device} is not a block device")))?;
        if mount_points()
            .iter()
            .any(|(d, m)| *d == num && *m == target)
        {
            return Ok(());
        }
        if mapper_name(device).is_some() {
            check_volume(config.sandbox.as_deref(), device, None)?;
        } else {
            guard::check_device_free(device, config.sandbox.as_deref())?;
        }
        fs::create_dir_all(&target).map_err(ExecError::io(format!("cannot create {target}")))?;
        let mut cmd = Command::new("mount");
        if tools::blkid_value(device, "TYPE").as_deref() == Some("vfat") {
            cmd.args(["-o", "umask=0077"]);
        }
        tools::run(cmd.args([device, target.as_str()]), None)?;
        self.mounted = true;
        Ok(())
    }

    /// Turns off the target's swap, unmounts it and closes its LUKS volumes, then flushes
    /// every filesystem.
    pub fn release(&mut self, config: &ExecConfig, state: &InstallState) -> ExecResult {
        for dev in state.swaps.iter().chain(self.swapped.iter()) {
            if kernel::devnum(dev).is_some_and(|n| active_swaps().contains(&n)) {
                tools::run(Command::new("swapoff").arg(dev), None)?;
            }
        }
        let root = &config.target_root;
        if mounted_under(root) {
            tools::run(Command::new("umount").args(["--recursive", root]), None)?;
        }
        let mut names = self.ours(state);
        names.sort();
        names.dedup();
        for name in names {
            if Path::new("/dev/mapper").join(&name).exists() {
                tools::luks_close(&name)?;
            }
        }
        self.opened.clear();
        self.swapped.clear();
        self.mounted = false;
        let _ = Command::new("sync").status();
        Ok(())
    }

    fn note_formatted(&mut self, partition: &str) {
        if let Some(d) = disk_of(partition) {
            if !self.formatted.contains(&d) {
                self.formatted.push(d);
            }
        }
    }

    /// After a successful job: tables under new filesystems cannot be undone any more.
    pub fn commit(&mut self, config: &ExecConfig) {
        for d in &self.formatted {
            backup::discard(&config.state_dir, d);
        }
    }

    /// After a failed job: unmount and close what it opened, then put back the tables it
    /// changed. Returns what it did as operations, for the install state and the journal.
    pub fn rollback(
        &mut self,
        config: &ExecConfig,
        state: &InstallState,
    ) -> ExecResult<Vec<Operation>> {
        let mut done = Vec::new();
        if self.mounted || !self.opened.is_empty() || !self.swapped.is_empty() {
            self.release(config, state)?;
            done.push(DiskOp::UnmountTarget.into());
        }
        for disk in std::mem::take(&mut self.saved).into_iter().rev() {
            guard::check_disk_free(&disk, config.sandbox.as_deref(), &[])?;
            restore_table(&config.state_dir, &disk)?;
            tracing::info!(disk, "old partition table restored after a failure");
            done.push(DiskOp::RestoreTable { disk }.into());
        }
        Ok(done)
    }
}

/// Puts back the saved table of `disk` and makes the kernel's view match it.
fn restore_table(state_dir: &Path, disk: &str) -> ExecResult {
    let mut f = open_disk(disk)?;
    backup::restore(state_dir, disk, &mut f)?;
    let ss = kernel::sector_size(&f);
    let entries = table::entries(&mut f, ss).map_err(|e| ExecError::Failed(e.to_string()))?;
    kernel::sync_partitions(&f, disk, &entries)
}

/// An installer volume (`/dev/mapper/luks-*`) may be formatted or mounted only when it is
/// open on the expected partition, and in sandbox mode on the sandbox disk.
fn check_volume(sandbox: Option<&str>, device: &str, partition: Option<&str>) -> ExecResult {
    let name = mapper_name(device)
        .ok_or_else(|| ExecError::Refused(format!("{device} is not an installer volume")))?;
    let backing =
        mapper_backing(name).ok_or_else(|| ExecError::Refused(format!("{device} is not open")))?;
    if partition.is_some_and(|p| p != backing) {
        return Err(ExecError::Refused(format!(
            "{device} is open on {backing}, not on the planned partition"
        )));
    }
    if let Some(only) = sandbox {
        if disk_of(&backing).as_deref() != Some(only) {
            return Err(ExecError::Refused(format!(
                "{device} is not on the sandbox disk {only}; in sandbox mode nothing else is touched"
            )));
        }
    }
    Ok(())
}
