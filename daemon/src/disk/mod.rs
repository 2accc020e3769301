//! The real disk executor: partition tables (`gptman`, `mbrman`), the kernel told with
//! BLKRRPART/BLKPG, filesystems, LUKS2, mounts, swap, fstab and crypttab. It runs on a
//! blocking thread, one step at a time, and checks each disk live before writing to it
//! (`guard`). What a job changed is remembered so that a failed job can put the old
//! partition tables back (`backup`) and leave nothing mounted or open.

pub mod backup;
pub mod guard;
pub mod kernel;
pub mod table;
pub mod tools;

use std::{
    fmt::Write as _,
    fs::{self, File, OpenOptions},
    path::{Path, PathBuf},
    process::Command,
};

use zeroize::Zeroizing;

use crate::planner::{InstallState, Operation, Step};

/// Where and how the executor works.
#[derive(Debug, Clone)]
pub struct DiskConfig {
    pub target_root: String,
    /// Saved tables and the step journal (`/run/levitate-installer`).
    pub state_dir: PathBuf,
    /// In sandbox mode, the only disk that may be touched.
    pub sandbox: Option<String>,
}

/// Carries out disk steps for one job.
pub struct DiskExecutor {
    cfg: DiskConfig,
    /// The install state as the job goes.
    state: InstallState,
    /// Disks whose table this job saved before changing it.
    saved: Vec<String>,
    /// Disks on which this job made a filesystem or LUKS header.
    formatted: Vec<String>,
    /// Device-mapper names this job opened, swap it turned on, and whether it mounted.
    opened: Vec<String>,
    swapped: Vec<String>,
    mounted: bool,
}

/// Whether the real executor can carry out `op` in this version.
pub fn supported(op: &Operation) -> bool {
    matches!(
        op,
        Operation::UnmountTarget
            | Operation::WriteTable { .. }
            | Operation::RestoreTable { .. }
            | Operation::CreatePartition { .. }
            | Operation::LuksFormat { .. }
            | Operation::MakeFs { .. }
            | Operation::Mount { .. }
            | Operation::SwapOn { .. }
            | Operation::WriteFstab
            | Operation::Finish
    )
}

fn open_disk(disk: &str) -> Result<File, String> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .open(disk)
        .map_err(|e| format!("cannot open {disk}: {e}"))
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
fn active_swaps() -> Vec<String> {
    fs::read_to_string("/proc/swaps")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().and_then(kernel::devnum))
        .collect()
}

fn mapper_name(device: &str) -> Option<&str> {
    device
        .strip_prefix("/dev/mapper/")
        .filter(|n| n.starts_with("luks-"))
}

impl DiskExecutor {
    pub fn new(cfg: DiskConfig, state: InstallState) -> Self {
        Self {
            cfg,
            state,
            saved: Vec::new(),
            formatted: Vec::new(),
            opened: Vec::new(),
            swapped: Vec::new(),
            mounted: false,
        }
    }

    fn target(&self, mountpoint: &str) -> String {
        if mountpoint == "/" {
            self.cfg.target_root.clone()
        } else {
            format!("{}{mountpoint}", self.cfg.target_root.trim_end_matches('/'))
        }
    }

    fn sandbox(&self) -> Option<&str> {
        self.cfg.sandbox.as_deref()
    }

    /// Device-mapper names the installer opened (this job or before): they may hold the
    /// disk's partitions without making it foreign.
    fn ours(&self) -> Vec<String> {
        let mut v = self.opened.clone();
        for d in self.state.mounts.values().chain(self.state.swaps.iter()) {
            if let Some(n) = mapper_name(d) {
                v.push(n.to_owned());
            }
        }
        v
    }

    /// Writes the table of `disk` and makes the kernel's view match it.
    fn change_table(
        &mut self,
        disk: &str,
        change: impl FnOnce(&mut File, u64) -> Result<(), String>,
    ) -> Result<(), String> {
        guard::check_disk_free(disk, self.sandbox(), &self.ours())?;
        let mut f = open_disk(disk)?;
        if backup::save(&self.cfg.state_dir, disk, &mut f)
            .map_err(|e| format!("cannot save the partition table of {disk}: {e}"))?
        {
            tracing::info!(disk, "old partition table saved");
            self.saved.push(disk.to_owned());
        }
        let ss = kernel::sector_size(&f);
        change(&mut f, ss)?;
        let entries = table::entries(&mut f, ss).map_err(|e| e.to_string())?;
        kernel::sync_partitions(&f, disk, &entries)
    }

    fn unmount_all(&mut self) -> Result<(), String> {
        for dev in self.state.swaps.iter().chain(self.swapped.iter()) {
            if kernel::devnum(dev).is_some_and(|n| active_swaps().contains(&n)) {
                tools::run(Command::new("swapoff").arg(dev), None)?;
            }
        }
        let root = self.cfg.target_root.clone();
        if mount_points().iter().any(|(_, m)| is_under(m, &root)) {
            tools::run(Command::new("umount").args(["--recursive", &root]), None)?;
        }
        let mut names = self.ours();
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
        Ok(())
    }

    /// Carries out one step.
    pub fn run_step(
        &mut self,
        step: &Step,
        secret: Option<&Zeroizing<Vec<u8>>>,
    ) -> Result<(), String> {
        match &step.op {
            Operation::UnmountTarget | Operation::Finish => {
                self.unmount_all()?;
                sync_disks();
            }
            Operation::WriteTable { disk, table } => {
                let kind = *table;
                self.change_table(disk, |f, ss| {
                    table::write_empty(f, kind, ss).map_err(|e| e.to_string())
                })?;
            }
            Operation::CreatePartition {
                disk,
                number,
                start,
                size,
                kind,
            } => {
                let (n, s, z, k) = (*number, *start, *size, *kind);
                self.change_table(disk, |f, ss| {
                    table::add(f, ss, n, s, z, k)
                        .map(drop)
                        .map_err(|e| e.to_string())
                })?;
            }
            Operation::RestoreTable { disk } => {
                guard::check_disk_free(disk, self.sandbox(), &self.ours())?;
                let mut f = open_disk(disk)?;
                backup::restore(&self.cfg.state_dir, disk, &mut f)?;
                self.saved.retain(|d| d != disk);
                let ss = kernel::sector_size(&f);
                let entries = table::entries(&mut f, ss).map_err(|e| e.to_string())?;
                kernel::sync_partitions(&f, disk, &entries)?;
            }
            Operation::LuksFormat { partition, mapper } => {
                let pass = secret
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| "the passphrase is missing".to_owned())?;
                let name = mapper_name(mapper)
                    .ok_or_else(|| format!("{mapper} is not an installer volume name"))?
                    .to_owned();
                if Path::new("/dev/mapper").join(&name).exists() {
                    // Left open by an earlier attempt of this step: close it. A volume of
                    // that name on anything else is not ours to close.
                    if mapper_backing(&name).as_deref() != Some(partition.as_str()) {
                        return Err(format!(
                            "a volume named {name} is already open on another device; close it first"
                        ));
                    }
                    tools::luks_close(&name)?;
                }
                guard::check_device_free(partition, self.sandbox())?;
                tools::luks_format(partition, pass)?;
                self.note_formatted(partition);
                tools::luks_open(partition, &name, pass)?;
                self.opened.push(name);
            }
            Operation::MakeFs {
                partition,
                device,
                fs,
            } => {
                if device == partition {
                    guard::check_device_free(device, self.sandbox())?;
                } else {
                    // A LUKS volume: the partition itself is held by our mapper.
                    self.check_volume(device, Some(partition))?;
                }
                tools::mkfs(device, *fs)?;
                self.note_formatted(partition);
            }
            Operation::Mount {
                device, mountpoint, ..
            } => {
                let target = self.target(mountpoint);
                let num = kernel::devnum(device)
                    .ok_or_else(|| format!("{device} is not a block device"))?;
                let already = mount_points()
                    .iter()
                    .any(|(d, m)| *d == num && *m == target);
                if !already {
                    if mapper_name(device).is_some() {
                        self.check_volume(device, None)?;
                    } else {
                        guard::check_device_free(device, self.sandbox())?;
                    }
                    fs::create_dir_all(&target)
                        .map_err(|e| format!("cannot create {target}: {e}"))?;
                    let mut cmd = Command::new("mount");
                    if tools::blkid_value(device, "TYPE").as_deref() == Some("vfat") {
                        cmd.args(["-o", "umask=0077"]);
                    }
                    tools::run(cmd.args([device.as_str(), target.as_str()]), None)?;
                    self.mounted = true;
                }
            }
            Operation::SwapOn { device, .. } => {
                let num = kernel::devnum(device)
                    .ok_or_else(|| format!("{device} is not a block device"))?;
                if !active_swaps().contains(&num) {
                    tools::run(Command::new("swapon").arg(device), None)?;
                    self.swapped.push(device.clone());
                }
            }
            Operation::WriteFstab => self.write_fstab()?,
            other => {
                return Err(format!(
                    "{} is not carried out on real disks by this version",
                    crate::executor::operation_kind(other)
                ))
            }
        }
        self.state.apply(&step.op);
        Ok(())
    }

    /// An installer volume (`/dev/mapper/luks-*`) may be formatted or mounted only when it
    /// is open on the expected partition, and in sandbox mode on the sandbox disk.
    fn check_volume(&self, device: &str, partition: Option<&str>) -> Result<(), String> {
        let name =
            mapper_name(device).ok_or_else(|| format!("{device} is not an installer volume"))?;
        let backing = mapper_backing(name).ok_or_else(|| format!("{device} is not open"))?;
        if partition.is_some_and(|p| p != backing) {
            return Err(format!(
                "{device} is open on {backing}, not on the planned partition"
            ));
        }
        if let Some(only) = self.sandbox() {
            if disk_of(&backing).as_deref() != Some(only) {
                return Err(format!(
                    "{device} is not on the sandbox disk {only}; in sandbox mode nothing else is touched"
                ));
            }
        }
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
    pub fn commit(&mut self) {
        for d in &self.formatted {
            backup::discard(&self.cfg.state_dir, d);
        }
    }

    /// After a failed job: unmount and close what it opened, then put back the tables it
    /// changed. Returns what it did as operations, for the install state and the journal.
    pub fn rollback(&mut self) -> Result<Vec<Operation>, String> {
        let mut done = Vec::new();
        if self.mounted || !self.opened.is_empty() || !self.swapped.is_empty() {
            self.unmount_all()?;
            done.push(Operation::UnmountTarget);
        }
        for disk in std::mem::take(&mut self.saved).into_iter().rev() {
            guard::check_disk_free(&disk, self.sandbox(), &[])?;
            let mut f = open_disk(&disk)?;
            backup::restore(&self.cfg.state_dir, &disk, &mut f)?;
            let ss = kernel::sector_size(&f);
            let entries = table::entries(&mut f, ss).map_err(|e| e.to_string())?;
            kernel::sync_partitions(&f, &disk, &entries)?;
            tracing::info!(disk, "old partition table restored after a failure");
            done.push(Operation::RestoreTable { disk });
        }
        Ok(done)
    }

    /// `/etc/fstab` and `/etc/crypttab` of the target, by UUID.
    fn write_fstab(&self) -> Result<(), String> {
        let mut mounts = Vec::new();
        for (mountpoint, device) in &self.state.mounts {
            let uuid = tools::blkid_value(device, "UUID")
                .ok_or_else(|| format!("{device} has no filesystem UUID"))?;
            let fstype = tools::blkid_value(device, "TYPE").unwrap_or_else(|| "auto".into());
            mounts.push(FstabEntry {
                uuid,
                mountpoint: mountpoint.clone(),
                fstype,
            });
        }
        for device in &self.state.swaps {
            let uuid = tools::blkid_value(device, "UUID")
                .ok_or_else(|| format!("{device} has no swap UUID"))?;
            mounts.push(FstabEntry {
                uuid,
                mountpoint: "none".into(),
                fstype: "swap".into(),
            });
        }
        let mut crypt = Vec::new();
        for device in self.state.mounts.values().chain(self.state.swaps.iter()) {
            if let Some(name) = mapper_name(device) {
                let part = mapper_backing(name)
                    .ok_or_else(|| format!("cannot find the partition under {device}"))?;
                let uuid = tools::blkid_value(&part, "UUID")
                    .ok_or_else(|| format!("{part} has no LUKS UUID"))?;
                crypt.push((name.to_owned(), uuid));
            }
        }
        let etc = Path::new(&self.cfg.target_root).join("etc");
        fs::create_dir_all(&etc).map_err(|e| format!("cannot create {}: {e}", etc.display()))?;
        fs::write(etc.join("fstab"), render_fstab(&mounts))
            .map_err(|e| format!("cannot write fstab: {e}"))?;
        if !crypt.is_empty() {
            fs::write(etc.join("crypttab"), render_crypttab(&crypt))
                .map_err(|e| format!("cannot write crypttab: {e}"))?;
        }
        Ok(())
    }
}

/// Flushes every filesystem before the installer reports the target finished.
fn sync_disks() {
    let _ = Command::new("sync").status();
}

/// The partition under an open device-mapper volume, from sysfs.
fn mapper_backing(name: &str) -> Option<String> {
    let dm = kernel::sys_dir(&format!("/dev/mapper/{name}"))?;
    let slave = fs::read_dir(dm.join("slaves")).ok()?.flatten().next()?;
    Some(format!("/dev/{}", slave.file_name().to_string_lossy()))
}

/// One line of fstab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FstabEntry {
    pub uuid: String,
    pub mountpoint: String,
    pub fstype: String,
}

/// fstab by UUID: root first, parents before children; fsck order 1 for an ext4 root, 2 for
/// other ext4 and FAT, 0 where fsck does nothing useful (btrfs, xfs, swap).
pub fn render_fstab(entries: &[FstabEntry]) -> String {
    let mut sorted: Vec<&FstabEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| {
        (
            e.fstype == "swap",
            e.mountpoint.matches('/').count() + usize::from(e.mountpoint != "/"),
            e.mountpoint.clone(),
        )
    });
    let mut out = String::from(
        "# /etc/fstab: written by the LevitateOS installer; devices by UUID.\n\
         # <file system>  <mount point>  <type>  <options>  <dump>  <pass>\n",
    );
    for e in sorted {
        let options = match e.fstype.as_str() {
            "vfat" => "umask=0077",
            "swap" => "sw",
            _ => "defaults",
        };
        let pass = match (e.fstype.as_str(), e.mountpoint.as_str()) {
            ("ext4" | "ext3" | "ext2", "/") => 1,
            ("ext4" | "ext3" | "ext2" | "vfat", _) => 2,
            _ => 0,
        };
        let _ = writeln!(
            out,
            "UUID={}  {}  {}  {options}  0  {pass}",
            e.uuid, e.mountpoint, e.fstype
        );
    }
    out
}

/// crypttab: each LUKS volume by the UUID of its LUKS header; the passphrase is asked at boot.
pub fn render_crypttab(volumes: &[(String, String)]) -> String {
    let mut out = String::from("# /etc/crypttab: written by the LevitateOS installer.\n");
    for (name, uuid) in volumes {
        let _ = writeln!(out, "{name}  UUID={uuid}  none  luks,discard");
    }
    out
}

#[cfg(test)]
mod tests;
