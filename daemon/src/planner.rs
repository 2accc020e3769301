//! The planner: typed actions in, an exact plan of steps out. Pure: it reads a [`Machine`]
//! and the [`InstallState`] and touches nothing, so it needs no root and is tested here
//! exhaustively. Every check a person would want before confirming happens here, and every
//! refusal says why and what to do instead.

use std::{collections::BTreeMap, path::Path};

use levitate_dbus::{polkit, Action, Disk, PartitionEntry, TableKind, UserInfo};

use crate::{
    machine::{busy_reason, partition_path, Firmware, Machine},
    size::{human, parse_size_spec, SizeSpec, GIB, MIB},
    stages::StageId,
    validate,
};

/// Filesystems the installer creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fs {
    Vfat,
    Ext4,
    Btrfs,
    Xfs,
    Swap,
}

impl Fs {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "vfat" | "fat32" | "fat" => Self::Vfat,
            "ext4" => Self::Ext4,
            "btrfs" => Self::Btrfs,
            "xfs" => Self::Xfs,
            "swap" => Self::Swap,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vfat => "vfat",
            Self::Ext4 => "ext4",
            Self::Btrfs => "btrfs",
            Self::Xfs => "xfs",
            Self::Swap => "swap",
        }
    }
}

/// The role of a new partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Esp,
    BiosBoot,
    Linux,
    Swap,
}

impl PartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Esp => "esp",
            Self::BiosBoot => "bios_boot",
            Self::Linux => "linux",
            Self::Swap => "swap",
        }
    }
}

/// What a step does. Executors match on this; nothing here is a command line. Serialized
/// into the step journal (it holds no secrets).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum Operation {
    UnmountTarget,
    WriteTable {
        disk: String,
        table: TableKind,
    },
    /// Puts back the partition table saved before the installer first changed `disk`.
    RestoreTable {
        disk: String,
    },
    CreatePartition {
        disk: String,
        number: u32,
        start: u64,
        size: u64,
        kind: PartKind,
    },
    LuksFormat {
        partition: String,
        mapper: String,
    },
    MakeFs {
        partition: String,
        device: String,
        fs: Fs,
    },
    Mount {
        partition: String,
        device: String,
        mountpoint: String,
    },
    SwapOn {
        partition: String,
        device: String,
    },
    CopySystem {
        bytes: u64,
    },
    WriteFstab,
    InstallBootloader {
        target: String,
    },
    SetHostname(String),
    SetTimezone(String),
    SetLocale(String),
    SetKeyboard(String),
    CreateUser {
        name: String,
        sudo: bool,
    },
    SetPassword {
        user: String,
    },
    AddToGroup {
        user: String,
        group: String,
    },
    Finish,
    Reboot,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub stage: StageId,
    pub description: String,
    pub destructive: bool,
    /// Whether a job may stop before this step (not in the middle of a table write).
    pub cancelable: bool,
    /// The id of the secret this step consumes (`luks`, `password:vince`).
    pub secret: Option<String>,
    pub op: Operation,
}

/// A secret the plan needs: id and prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretSpec {
    pub id: String,
    pub prompt: String,
}

/// A complete plan, ready to be shown and confirmed.
#[derive(Debug, Clone)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub steps: Vec<Step>,
    pub summary: String,
    pub warnings: Vec<String>,
    pub destroys: Vec<String>,
    pub secrets: Vec<SecretSpec>,
    pub authorization: &'static str,
    pub disks_fingerprint: u64,
}

impl Plan {
    pub fn destructive(&self) -> bool {
        self.steps.iter().any(|s| s.destructive)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NoSuchDisk(String),
    #[error("{0}")]
    DeviceBusy(String),
    #[error("{0}")]
    NotReady(String),
    #[error("{0}")]
    NotSupported(String),
}

/// What has been carried out so far; the planner checks order against it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallState {
    /// Target mounts made by the installer: mount point inside the target -> device.
    pub mounts: BTreeMap<String, String>,
    /// Swap devices the installer activated.
    pub swaps: Vec<String>,
    /// Disk holding the target's root filesystem.
    pub root_disk: Option<String>,
    pub system_copied: bool,
    pub bootloader_installed: bool,
    /// `hostname`, `timezone`, `locale`, `keyboard`.
    pub config: BTreeMap<String, String>,
    pub users: Vec<UserInfo>,
    pub finished: bool,
    /// The disk whose old partition table `undo` can put back: set when the installer
    /// changes a table, cleared once a filesystem or LUKS header is written on that disk.
    pub undo_table: Option<String>,
}

impl InstallState {
    fn user_mut(&mut self, name: &str) -> Option<&mut UserInfo> {
        self.users.iter_mut().find(|u| u.name == name)
    }

    /// Applies what a successful step changed.
    pub fn apply(&mut self, op: &Operation) {
        match op {
            Operation::UnmountTarget => {
                self.mounts.clear();
                self.swaps.clear();
            }
            Operation::Mount {
                device, mountpoint, ..
            } => {
                self.mounts.insert(mountpoint.clone(), device.clone());
            }
            Operation::SwapOn { device, .. } => self.swaps.push(device.clone()),
            Operation::CopySystem { .. } => self.system_copied = true,
            Operation::InstallBootloader { .. } => self.bootloader_installed = true,
            Operation::SetHostname(v) => {
                self.config.insert("hostname".into(), v.clone());
            }
            Operation::SetTimezone(v) => {
                self.config.insert("timezone".into(), v.clone());
            }
            Operation::SetLocale(v) => {
                self.config.insert("locale".into(), v.clone());
            }
            Operation::SetKeyboard(v) => {
                self.config.insert("keyboard".into(), v.clone());
            }
            Operation::CreateUser { name, sudo } => self.users.push(UserInfo {
                name: name.clone(),
                sudo: *sudo,
                groups: Vec::new(),
                password_set: false,
            }),
            Operation::SetPassword { user } => {
                if let Some(u) = self.user_mut(user) {
                    u.password_set = true;
                }
            }
            Operation::AddToGroup { user, group } => {
                if let Some(u) = self.user_mut(user) {
                    if !u.groups.contains(group) {
                        u.groups.push(group.clone());
                    }
                }
            }
            Operation::Finish => self.finished = true,
            Operation::WriteTable { disk, .. } | Operation::CreatePartition { disk, .. } => {
                self.undo_table = Some(disk.clone());
            }
            Operation::RestoreTable { .. } => self.undo_table = None,
            Operation::LuksFormat { partition, .. } | Operation::MakeFs { partition, .. } => {
                if self
                    .undo_table
                    .as_deref()
                    .is_some_and(|d| partition.starts_with(d))
                {
                    self.undo_table = None;
                }
            }
            Operation::WriteFstab | Operation::Reboot => {}
        }
    }
}

/// Everything the planner reads.
pub struct PlanContext<'a> {
    pub machine: &'a Machine,
    pub state: &'a InstallState,
    /// Where the target is mounted (`/mnt/levitate`).
    pub target_root: &'a str,
    /// The zone database used to check time zones.
    pub zoneinfo: &'a Path,
}

/// Smallest sizes the planner accepts.
const MIN_ROOT: u64 = 4 * GIB;
const MIN_OTHER: u64 = 32 * MIB;
const MIN_ESP: u64 = 64 * MIB;
const DEFAULT_ESP: u64 = 512 * MIB;
const DEFAULT_BOOT: u64 = GIB;

/// "/dev/sda (Samsung SSD 870 EVO, 500 GiB)"
pub fn describe_disk(d: &Disk) -> String {
    let model = if d.model.is_empty() {
        String::new()
    } else {
        format!("{}, ", d.model)
    };
    format!("{} ({model}{})", d.path, human(d.size))
}

/// "erases /dev/sda (Samsung SSD 870 EVO, 500 GiB): 2 partitions (...)"
fn describe_erase(d: &Disk) -> String {
    match d.partitions.len() {
        0 if d.table.is_empty() => format!("erases {}: the disk is blank", describe_disk(d)),
        0 => format!("erases {}: an empty partition table", describe_disk(d)),
        n => format!(
            "erases {}: {n} partition{} ({})",
            describe_disk(d),
            if n == 1 { "" } else { "s" },
            d.partitions
                .iter()
                .map(|p| format!("{} {}, {}", p.path, human(p.size), p.description))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

fn holds_windows(d: &Disk) -> bool {
    d.partitions
        .iter()
        .any(|p| p.fs == "ntfs" || p.fs == "BitLocker" || p.kind == "msr")
}

/// A partition to be created, resolved to bytes.
#[derive(Debug, Clone)]
struct NewPart {
    mount: Option<String>,
    fs: Option<Fs>,
    kind: PartKind,
    encrypt: bool,
    spec: SizeSpec,
}

struct Planner<'a> {
    ctx: &'a PlanContext<'a>,
    /// State as it will be after the steps planned so far.
    state: InstallState,
    steps: Vec<Step>,
    summary: Vec<String>,
    warnings: Vec<String>,
    destroys: Vec<String>,
    secrets: Vec<SecretSpec>,
    reboot: bool,
}

impl Planner<'_> {
    fn push(&mut self, stage: StageId, description: String, op: Operation) {
        self.steps.push(Step {
            stage,
            description,
            destructive: false,
            cancelable: true,
            secret: None,
            op,
        });
    }

    fn need_secret(&mut self, id: String, prompt: String) {
        if !self.secrets.iter().any(|s| s.id == id) {
            self.secrets.push(SecretSpec { id, prompt });
        }
    }

    fn disk(&self, path: &str) -> Result<&Disk, PlanError> {
        self.ctx.machine.disk(path).ok_or_else(|| {
            let known: Vec<&str> = self
                .ctx
                .machine
                .disks
                .iter()
                .map(|d| d.path.as_str())
                .collect();
            PlanError::NoSuchDisk(format!(
                "there is no disk {}; the disks are: {}",
                validate::display_text(path, 64),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// Busy unless every mount on the disk is one the installer made itself, in which case
    /// the plan unmounts the target first.
    fn ensure_free(&mut self, d: &Disk) -> Result<(), PlanError> {
        let ours = |p: &levitate_dbus::Partition| {
            self.state.swaps.contains(&p.path)
                || self.state.mounts.values().any(|dev| {
                    *dev == p.path || dev.starts_with("/dev/mapper/") && p.fs == "crypto_LUKS"
                })
        };
        let foreign: Vec<String> = d
            .partitions
            .iter()
            .filter(|p| !p.mountpoint.is_empty() && !ours(p))
            .map(busy_reason)
            .collect();
        let whole_disk_busy =
            !d.in_use.is_empty() && d.partitions.iter().all(|p| p.mountpoint.is_empty());
        if whole_disk_busy || !foreign.is_empty() {
            let why = if foreign.is_empty() {
                d.in_use.clone()
            } else {
                foreign.join("; ")
            };
            return Err(PlanError::DeviceBusy(format!(
                "{} is in use: {why}. Unmount it or choose another disk",
                d.path
            )));
        }
        // A new layout replaces the target: whatever the installer mounted before goes.
        if !self.state.mounts.is_empty() || !self.state.swaps.is_empty() {
            self.push(
                StageId::Disks,
                format!(
                    "Unmount the installation target at {}",
                    self.ctx.target_root
                ),
                Operation::UnmountTarget,
            );
            self.state.apply(&Operation::UnmountTarget);
            self.state.root_disk = None;
            self.state.system_copied = false;
            self.state.bootloader_installed = false;
        }
        Ok(())
    }

    fn target_path(&self, mountpoint: &str) -> String {
        if mountpoint == "/" {
            self.ctx.target_root.to_owned()
        } else {
            format!("{}{mountpoint}", self.ctx.target_root)
        }
    }

    fn resolve_entries(
        &mut self,
        scheme: Option<Vec<PartitionEntry>>,
        table: TableKind,
        reuse_esp: bool,
    ) -> Result<Vec<NewPart>, PlanError> {
        let firmware = self.ctx.machine.firmware;
        let entries = scheme.unwrap_or_default();
        let mut parts = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for e in entries {
            let mount = e.mount.trim().to_owned();
            if mount != "swap" {
                validate::mountpoint(&mount).map_err(PlanError::Invalid)?;
            }
            if mount != "swap" && seen.contains(&mount) {
                return Err(PlanError::Invalid(format!(
                    "{mount} appears twice in the scheme"
                )));
            }
            seen.push(mount.clone());
            let default_fs = match mount.as_str() {
                "swap" => Fs::Swap,
                "/boot/efi" => Fs::Vfat,
                _ => Fs::Ext4,
            };
            let fs = match e.fs.as_deref() {
                None => default_fs,
                Some(s) => Fs::parse(s).ok_or_else(|| {
                    PlanError::Invalid(format!(
                        "{:?} is not a filesystem the installer can create; use ext4, btrfs, xfs, vfat or swap",
                        validate::display_text(s, 32)
                    ))
                })?,
            };
            match (mount.as_str(), fs) {
                ("swap", Fs::Swap) | ("/boot/efi", Fs::Vfat) => {}
                ("swap", _) => {
                    return Err(PlanError::Invalid(
                        "a swap partition must use fs swap".into(),
                    ))
                }
                (_, Fs::Swap) => {
                    return Err(PlanError::Invalid(format!(
                        "fs swap only goes with mount swap, not {mount}"
                    )))
                }
                ("/boot/efi", _) => {
                    return Err(PlanError::Invalid(
                        "/boot/efi must be vfat (the firmware reads it)".into(),
                    ))
                }
                (_, Fs::Vfat) => {
                    return Err(PlanError::Invalid(format!(
                        "vfat is only for /boot/efi; use ext4, btrfs or xfs for {mount}"
                    )))
                }
                _ => {}
            }
            if e.encrypt && (mount == "/boot/efi" || mount == "/boot") {
                return Err(PlanError::Invalid(format!(
                    "{mount} cannot be encrypted: the firmware and the bootloader must read it; encrypt / and /home instead"
                )));
            }
            let spec = match e.size.as_deref() {
                None if mount == "/boot/efi" => SizeSpec::Bytes(DEFAULT_ESP),
                None if mount == "/boot" => SizeSpec::Bytes(DEFAULT_BOOT),
                None if mount == "swap" => SizeSpec::Bytes(swap_size(self.ctx.machine.memory)),
                None => SizeSpec::Rest,
                Some(s) => parse_size_spec(s).ok_or_else(|| {
                    PlanError::Invalid(format!(
                        "{:?} is not a partition size; use 512M, 8G, 20% or rest",
                        validate::display_text(s, 32)
                    ))
                })?,
            };
            let kind = match mount.as_str() {
                "/boot/efi" => PartKind::Esp,
                "swap" => PartKind::Swap,
                _ => PartKind::Linux,
            };
            parts.push(NewPart {
                mount: (mount != "swap").then_some(mount),
                fs: Some(fs),
                kind,
                encrypt: e.encrypt,
                spec,
            });
        }
        if !parts.iter().any(|p| p.mount.as_deref() == Some("/")) {
            // No "/" in the scheme means: the default root beside what was asked for.
            parts.push(NewPart {
                mount: Some("/".into()),
                fs: Some(Fs::Ext4),
                kind: PartKind::Linux,
                encrypt: false,
                spec: SizeSpec::Rest,
            });
        }
        let rests: Vec<bool> = parts
            .iter()
            .filter(|p| p.spec == SizeSpec::Rest)
            .map(|p| p.mount.as_deref() == Some("/"))
            .collect();
        if rests.len() > 2 || (rests.len() == 2 && !rests.contains(&true)) {
            return Err(PlanError::Invalid(
                "only one partition can take the rest of the space; give the others a size like 50G".into(),
            ));
        }
        let root_encrypted = parts
            .iter()
            .any(|p| p.mount.as_deref() == Some("/") && p.encrypt);
        let has_boot = parts.iter().any(|p| p.mount.as_deref() == Some("/boot"));
        if root_encrypted && !has_boot {
            parts.insert(
                0,
                NewPart {
                    mount: Some("/boot".into()),
                    fs: Some(Fs::Ext4),
                    kind: PartKind::Linux,
                    encrypt: false,
                    spec: SizeSpec::Bytes(DEFAULT_BOOT),
                },
            );
            self.summary.push(
                "adds a 1 GiB unencrypted /boot so the bootloader can load the kernel".into(),
            );
        }
        let has_esp = parts.iter().any(|p| p.kind == PartKind::Esp);
        match (firmware, table) {
            (Firmware::Uefi, _) if !has_esp && !reuse_esp => {
                parts.insert(
                    0,
                    NewPart {
                        mount: Some("/boot/efi".into()),
                        fs: Some(Fs::Vfat),
                        kind: PartKind::Esp,
                        encrypt: false,
                        spec: SizeSpec::Bytes(DEFAULT_ESP),
                    },
                );
            }
            (Firmware::Bios, TableKind::Gpt) => {
                parts.insert(
                    0,
                    NewPart {
                        mount: None,
                        fs: None,
                        kind: PartKind::BiosBoot,
                        encrypt: false,
                        spec: SizeSpec::Bytes(MIB),
                    },
                );
            }
            _ => {}
        }
        if reuse_esp {
            parts.retain(|p| p.kind != PartKind::Esp);
        }
        Ok(parts)
    }

    fn partition(
        &mut self,
        disk_path: &str,
        table: Option<TableKind>,
        wipe: bool,
        scheme: Option<Vec<PartitionEntry>>,
        format: bool,
    ) -> Result<(), PlanError> {
        let d = self.disk(disk_path)?.clone();
        if !format && scheme.iter().flatten().any(|e| e.encrypt) {
            return Err(PlanError::Invalid(
                "encryption is set up while formatting; leave out \"partitions only\" to encrypt"
                    .into(),
            ));
        }
        self.ensure_free(&d)?;
        let firmware = self.ctx.machine.firmware;
        let existing_table = match d.table.as_str() {
            "gpt" => Some(TableKind::Gpt),
            "mbr" => Some(TableKind::Mbr),
            _ => None,
        };
        let table = if wipe {
            table.unwrap_or(TableKind::Gpt)
        } else {
            let Some(existing) = existing_table else {
                return Err(PlanError::Invalid(format!(
                    "{} has no partition table, so there is nothing to keep; use the whole disk instead",
                    d.path
                )));
            };
            if table.is_some_and(|t| t != existing) {
                return Err(PlanError::Invalid(format!(
                    "{} has a {} table; keeping its partitions means keeping that table",
                    d.path,
                    existing.as_str()
                )));
            }
            existing
        };
        let existing_esp = (!wipe && firmware == Firmware::Uefi)
            .then(|| d.partitions.iter().find(|p| p.kind == "esp").cloned())
            .flatten();
        // Notes made while planning come after the sentence that says what the plan does.
        let notes_from = self.summary.len();
        let parts = self.resolve_entries(scheme, table, existing_esp.is_some())?;

        // The region to fill: the whole disk, or its largest free gap.
        let end_reserve = if table == TableKind::Gpt { MIB } else { 0 };
        let disk_end = (d.size / MIB) * MIB - end_reserve;
        let (region_start, region_end) = if wipe {
            (MIB, disk_end)
        } else {
            largest_gap(&d, disk_end)
        };
        let avail = region_end.saturating_sub(region_start);
        let mut fixed: u64 = 0;
        for p in &parts {
            fixed = fixed.saturating_add(match p.spec {
                SizeSpec::Bytes(b) => b.div_ceil(MIB) * MIB,
                SizeSpec::Percent(pc) => (d.size / 100 * u64::from(pc)) / MIB * MIB,
                SizeSpec::Rest => 0,
            });
        }
        let where_ = if wipe {
            format!("{} ({})", d.path, human(avail))
        } else {
            format!("the largest free space on {} ({})", d.path, human(avail))
        };
        if fixed > avail {
            return Err(PlanError::Invalid(format!(
                "not enough space: the layout needs {} but {where_} is all there is",
                human(fixed)
            )));
        }
        let mut rest = avail - fixed;
        // "/" and another partition both without a size ("separate home"): "/" gets a third
        // of the space (16 to 64 GiB), the other the remainder.
        let shared_rest = parts.iter().filter(|p| p.spec == SizeSpec::Rest).count() == 2;
        let root_share = (rest / 3).clamp(16 * GIB, 64 * GIB).min(rest / 2) / MIB * MIB;
        if shared_rest {
            rest -= root_share;
        }
        let mut sized = Vec::new();
        for p in parts {
            let bytes = match p.spec {
                SizeSpec::Bytes(b) => b.div_ceil(MIB) * MIB,
                SizeSpec::Percent(pc) => (d.size / 100 * u64::from(pc)) / MIB * MIB,
                SizeSpec::Rest if shared_rest && p.mount.as_deref() == Some("/") => root_share,
                SizeSpec::Rest => rest,
            };
            let min = match (p.kind, p.mount.as_deref()) {
                (PartKind::Esp, _) => MIN_ESP,
                (PartKind::BiosBoot, _) => MIB,
                (_, Some("/")) => MIN_ROOT,
                _ => MIN_OTHER,
            };
            if bytes < min {
                let what = p
                    .mount
                    .clone()
                    .unwrap_or_else(|| p.kind.as_str().to_owned());
                return Err(PlanError::Invalid(format!(
                    "not enough space: {what} would get {} but needs at least {}; {where_} is all there is",
                    human(bytes),
                    human(min)
                )));
            }
            sized.push((p, bytes));
        }
        let mut numbers_used: Vec<u32> = if wipe {
            Vec::new()
        } else {
            d.partitions.iter().map(|p| p.number).collect()
        };
        let max_parts = if table == TableKind::Mbr { 4 } else { 128 };
        if numbers_used.len() + sized.len() > max_parts {
            return Err(PlanError::Invalid(format!(
                "a {} table holds at most {max_parts} partitions; this layout needs {}",
                table.as_str(),
                numbers_used.len() + sized.len()
            )));
        }

        // Steps: table, partitions, encryption, filesystems, mounts.
        if wipe {
            self.destroys.push(describe_erase(&d));
            if holds_windows(&d) {
                self.warnings.push(format!(
                    "Windows on {} will be erased. To keep it, ask to install alongside Windows instead.",
                    d.path
                ));
            }
            for p in d
                .partitions
                .iter()
                .filter(|p| p.description.ends_with(" installed"))
            {
                self.warnings.push(format!(
                    "{} holds an installed system ({}); it will be erased.",
                    p.path, p.description
                ));
            }
            self.steps.push(Step {
                stage: StageId::Disks,
                description: format!(
                    "Create a new {} partition table on {}, erasing everything on it",
                    table.as_str().to_uppercase(),
                    describe_disk(&d)
                ),
                destructive: true,
                cancelable: true,
                secret: None,
                op: Operation::WriteTable {
                    disk: d.path.clone(),
                    table,
                },
            });
        }
        if table == TableKind::Mbr && firmware == Firmware::Uefi {
            self.warnings.push(
                "This machine boots with UEFI; an MBR table works but GPT is the usual choice."
                    .into(),
            );
        }
        let mut start = region_start;
        let mut created = Vec::new();
        for (p, bytes) in sized {
            let number = (1..=u32::MAX)
                .find(|n| !numbers_used.contains(n))
                .unwrap_or(1);
            numbers_used.push(number);
            let path = partition_path(&d.path, number);
            let role = match (p.kind, p.mount.as_deref()) {
                (PartKind::Esp, _) => "EFI system partition".to_owned(),
                (PartKind::BiosBoot, _) => "BIOS boot partition".to_owned(),
                (PartKind::Swap, _) => "swap".to_owned(),
                (_, Some(m)) => format!("{m} partition"),
                _ => "partition".to_owned(),
            };
            let enc = if p.encrypt { ", encrypted" } else { "" };
            self.steps.push(Step {
                stage: StageId::Disks,
                description: format!("Create {path}: {} {role}{enc}", human(bytes)),
                destructive: false,
                cancelable: true,
                secret: None,
                op: Operation::CreatePartition {
                    disk: d.path.clone(),
                    number,
                    start,
                    size: bytes,
                    kind: p.kind,
                },
            });
            start += bytes;
            created.push((p, path));
        }
        self.state.undo_table = Some(d.path.clone());
        if !format {
            self.summary.insert(
                notes_from,
                format!(
                    "creates {} partitions on {} without formatting them (format and mount them next; undo puts the old table back until then)",
                    created.len(),
                    describe_disk(&d)
                ),
            );
            return Ok(());
        }
        for (p, path) in &mut created {
            let device = if p.encrypt {
                let name = match p.mount.as_deref() {
                    Some("/") => "root".to_owned(),
                    Some(m) => m.trim_start_matches('/').replace('/', "-"),
                    None => "swap".to_owned(),
                };
                let mapper = format!("/dev/mapper/luks-{name}");
                self.need_secret(
                    "luks".into(),
                    "Passphrase for the encrypted partitions".into(),
                );
                self.steps.push(Step {
                    stage: StageId::Disks,
                    description: format!("Encrypt {path} with LUKS2 and open it as {mapper}"),
                    destructive: false,
                    cancelable: true,
                    secret: Some("luks".into()),
                    op: Operation::LuksFormat {
                        partition: path.clone(),
                        mapper: mapper.clone(),
                    },
                });
                mapper
            } else {
                path.clone()
            };
            if let Some(fs) = p.fs {
                let what = if fs == Fs::Swap {
                    format!("Set up swap on {device}")
                } else {
                    format!("Format {device} as {}", fs.as_str())
                };
                self.push(
                    StageId::Disks,
                    what,
                    Operation::MakeFs {
                        partition: path.clone(),
                        device: device.clone(),
                        fs,
                    },
                );
            }
            *path = format!("{path}\u{0}{device}");
        }
        let mut mounts: Vec<(String, String, String)> = Vec::new();
        if let Some(esp) = &existing_esp {
            self.summary.push(format!(
                "reuses the existing EFI system partition {} ({}) without formatting it",
                esp.path,
                human(esp.size)
            ));
            if esp.size < 256 * MIB {
                self.warnings.push(format!("The existing EFI system partition {} is only {}; it is shared with the other system.", esp.path, human(esp.size)));
            }
            mounts.push(("/boot/efi".into(), esp.path.clone(), esp.path.clone()));
        }
        for (p, both) in &created {
            let (path, device) = both.split_once('\u{0}').unwrap_or((both, both));
            match (p.kind, &p.mount) {
                (PartKind::Swap, _) => {
                    self.push(
                        StageId::Disks,
                        format!("Activate swap on {device}"),
                        Operation::SwapOn {
                            partition: path.to_owned(),
                            device: device.to_owned(),
                        },
                    );
                }
                (_, Some(m)) => mounts.push((m.clone(), path.to_owned(), device.to_owned())),
                _ => {}
            }
        }
        // Parents before children: / before /boot before /boot/efi.
        mounts.sort_by_key(|(m, _, _)| m.matches('/').count() + usize::from(m != "/"));
        for (m, path, device) in mounts {
            let target = self.target_path(&m);
            self.push(
                StageId::Disks,
                format!("Mount {device} at {target}"),
                Operation::Mount {
                    partition: path,
                    device: device.clone(),
                    mountpoint: m.clone(),
                },
            );
            self.state.apply(&Operation::Mount {
                partition: String::new(),
                device,
                mountpoint: m,
            });
        }
        self.state.root_disk = Some(d.path.clone());
        let fsroot = created
            .iter()
            .find(|(p, _)| p.mount.as_deref() == Some("/"))
            .and_then(|(p, _)| p.fs)
            .map_or("ext4", Fs::as_str);
        self.summary.insert(
            notes_from,
            if wipe {
                format!(
                    "uses all of {} with {} partitions (/ on {fsroot})",
                    describe_disk(&d),
                    created.len()
                )
            } else {
                format!(
                    "adds {} partitions in the free space of {}, keeping what is there",
                    created.len(),
                    describe_disk(&d)
                )
            },
        );
        Ok(())
    }

    fn format(&mut self, partition: &str, fs: &str) -> Result<(), PlanError> {
        let (d, p) = self.ctx.machine.partition(partition).ok_or_else(|| {
            PlanError::NoSuchDisk(format!(
                "there is no partition {}",
                validate::display_text(partition, 64)
            ))
        })?;
        let fs = Fs::parse(fs).ok_or_else(|| {
            PlanError::Invalid(format!(
            "{:?} is not a filesystem the installer can create; use ext4, btrfs, xfs, vfat or swap",
            validate::display_text(fs, 32)
        ))
        })?;
        if !p.mountpoint.is_empty() {
            return Err(PlanError::DeviceBusy(format!(
                "{} is in use ({}); unmount it before formatting",
                p.path, p.mountpoint
            )));
        }
        let (disk_desc, ppath, psize, pdesc) = (
            describe_disk(d),
            p.path.clone(),
            p.size,
            p.description.clone(),
        );
        self.destroys.push(format!(
            "erases {ppath} ({}, {pdesc}) on {disk_desc}",
            human(psize)
        ));
        if p.fs == "ntfs" || p.fs == "BitLocker" {
            self.warnings.push(format!(
                "{ppath} holds a Windows filesystem ({pdesc}); formatting it deletes those files."
            ));
        }
        self.steps.push(Step {
            stage: StageId::Disks,
            description: format!("Format {ppath} as {}, erasing it", fs.as_str()),
            destructive: true,
            cancelable: true,
            secret: None,
            op: Operation::MakeFs {
                partition: ppath.clone(),
                device: ppath.clone(),
                fs,
            },
        });
        self.summary
            .push(format!("formats {ppath} as {}", fs.as_str()));
        Ok(())
    }

    fn mount(&mut self, partition: &str, mountpoint: &str) -> Result<(), PlanError> {
        let (d, p) = self.ctx.machine.partition(partition).ok_or_else(|| {
            PlanError::NoSuchDisk(format!(
                "there is no partition {}",
                validate::display_text(partition, 64)
            ))
        })?;
        validate::mountpoint(mountpoint).map_err(PlanError::Invalid)?;
        if !p.mountpoint.is_empty() {
            return Err(PlanError::DeviceBusy(format!(
                "{} is already in use ({})",
                p.path, p.mountpoint
            )));
        }
        let formatted_here = self
            .steps
            .iter()
            .any(|s| matches!(&s.op, Operation::MakeFs { partition, .. } if partition == &p.path));
        if p.fs.is_empty() && !formatted_here {
            return Err(PlanError::NotReady(format!(
                "{} has no filesystem; format it first",
                p.path
            )));
        }
        if mountpoint != "/" && !self.state.mounts.contains_key("/") {
            return Err(PlanError::NotReady(format!(
                "mount a root filesystem at / before {mountpoint}"
            )));
        }
        if self.state.mounts.contains_key(mountpoint) {
            return Err(PlanError::Invalid(format!(
                "something is already mounted at {mountpoint} in the target"
            )));
        }
        let disk = d.path.clone();
        let target = self.target_path(mountpoint);
        let op = Operation::Mount {
            partition: p.path.clone(),
            device: p.path.clone(),
            mountpoint: mountpoint.to_owned(),
        };
        self.push(
            StageId::Disks,
            format!("Mount {} at {target}", p.path),
            op.clone(),
        );
        self.state.apply(&op);
        if mountpoint == "/" {
            self.state.root_disk = Some(disk);
        }
        self.summary
            .push(format!("mounts {partition} at {mountpoint}"));
        Ok(())
    }

    /// Undo puts back the partition table the installer replaced, until a filesystem is made
    /// on the new one; after that the old data is gone and there is nothing honest to undo.
    fn undo(&mut self) -> Result<(), PlanError> {
        let Some(disk) = self.state.undo_table.clone() else {
            return Err(PlanError::NotSupported(
                "there is nothing to undo: undo puts back a partition table the installer replaced, until a filesystem is created on it; settings can simply be set again, and a pending plan can be rejected".into(),
            ));
        };
        let d = self.disk(&disk)?.clone();
        self.ensure_free(&d)?;
        self.destroys.push(format!(
            "removes the partitions the installer created on {}",
            describe_disk(&d)
        ));
        self.steps.push(Step {
            stage: StageId::Disks,
            description: format!(
                "Restore the partition table of {} as it was before the installer changed it",
                describe_disk(&d)
            ),
            destructive: true,
            cancelable: true,
            secret: None,
            op: Operation::RestoreTable { disk: disk.clone() },
        });
        self.state.apply(&Operation::RestoreTable { disk });
        self.summary
            .push(format!("puts back the old partition table of {}", d.path));
        Ok(())
    }

    fn action(&mut self, action: Action) -> Result<(), PlanError> {
        match action {
            Action::Partition {
                disk,
                table,
                wipe,
                scheme,
                format,
            } => self.partition(
                &disk,
                table,
                wipe.unwrap_or(true),
                scheme,
                format.unwrap_or(true),
            )?,
            Action::Format { partition, fs } => self.format(&partition, &fs)?,
            Action::Mount {
                partition,
                mountpoint,
            } => self.mount(&partition, &mountpoint)?,
            Action::CopySystem { source, target } => {
                if let Some(t) = target.filter(|t| t != self.ctx.target_root) {
                    return Err(PlanError::Invalid(format!(
                        "the system is copied to the target root {}, not {}",
                        self.ctx.target_root,
                        validate::display_text(&t, 64)
                    )));
                }
                if source.as_deref().is_some_and(|s| s != "/" && s != "live") {
                    return Err(PlanError::NotSupported("the system is copied from the running live system; other sources are not supported".into()));
                }
                if !self.state.mounts.contains_key("/") {
                    return Err(PlanError::NotReady(format!(
                        "nothing is mounted at {} yet: choose a disk to install to first",
                        self.ctx.target_root
                    )));
                }
                let bytes = self.ctx.machine.system_size;
                self.push(
                    StageId::System,
                    format!(
                        "Copy the live system ({}) to {}",
                        human(bytes),
                        self.ctx.target_root
                    ),
                    Operation::CopySystem { bytes },
                );
                self.push(
                    StageId::System,
                    "Write /etc/fstab and /etc/crypttab by UUID".into(),
                    Operation::WriteFstab,
                );
                self.state.system_copied = true;
                self.summary.push("copies the system".into());
            }
            Action::InstallBootloader { target } => {
                if !self.state.system_copied {
                    return Err(PlanError::NotReady(
                        "the system is not copied yet: install the system before the bootloader"
                            .into(),
                    ));
                }
                let target = match (self.ctx.machine.firmware, target.as_deref()) {
                    (Firmware::Uefi, None | Some("efi")) => "efi".to_owned(),
                    (Firmware::Bios, Some("efi")) => return Err(PlanError::Invalid("this machine boots with BIOS, so the bootloader goes to a disk, not to an EFI partition".into())),
                    (Firmware::Bios, None) => self.state.root_disk.clone().ok_or_else(|| PlanError::NotReady("no disk holds the target root; choose a disk first".into()))?,
                    (_, Some(disk)) => self.disk(disk)?.path.clone(),
                };
                let what = if target == "efi" {
                    "GRUB for UEFI into the EFI system partition".to_owned()
                } else {
                    format!("GRUB for BIOS into the boot sector of {target}")
                };
                self.push(
                    StageId::Bootloader,
                    format!("Install {what}"),
                    Operation::InstallBootloader { target },
                );
                self.state.bootloader_installed = true;
                self.summary.push("installs the bootloader".into());
            }
            Action::SetHostname { name } => {
                validate::hostname(&name).map_err(PlanError::Invalid)?;
                self.summary.push(format!("sets the host name to {name}"));
                self.push(
                    StageId::Configuration,
                    format!("Set the host name to {name}"),
                    Operation::SetHostname(name),
                );
            }
            Action::SetTimezone { zone } => {
                validate::timezone(&zone, self.ctx.zoneinfo).map_err(PlanError::Invalid)?;
                self.summary.push(format!("sets the time zone to {zone}"));
                self.push(
                    StageId::Configuration,
                    format!("Set the time zone to {zone}"),
                    Operation::SetTimezone(zone),
                );
            }
            Action::SetLocale { locale } => {
                validate::locale(&locale).map_err(PlanError::Invalid)?;
                self.summary.push(format!("sets the language to {locale}"));
                self.push(
                    StageId::Configuration,
                    format!("Set the system locale to {locale}"),
                    Operation::SetLocale(locale),
                );
            }
            Action::SetKeyboard { layout } => {
                validate::keyboard(&layout).map_err(PlanError::Invalid)?;
                self.summary
                    .push(format!("sets the keyboard layout to {layout}"));
                self.push(
                    StageId::Configuration,
                    format!("Set the keyboard layout to {layout}"),
                    Operation::SetKeyboard(layout),
                );
            }
            Action::CreateUser { name, sudo } => {
                validate::new_username(&name).map_err(PlanError::Invalid)?;
                if self.state.users.iter().any(|u| u.name == name) {
                    return Err(PlanError::Invalid(format!("user {name} is already set up")));
                }
                let sudo = sudo.unwrap_or(false);
                let rights = if sudo {
                    " with administrator rights (sudo)"
                } else {
                    ""
                };
                self.summary.push(format!("creates user {name}{rights}"));
                let op = Operation::CreateUser {
                    name: name.clone(),
                    sudo,
                };
                self.push(
                    StageId::Users,
                    format!("Create user {name}{rights}"),
                    op.clone(),
                );
                self.state.apply(&op);
            }
            Action::SetPassword { user } => {
                validate::username(&user).map_err(PlanError::Invalid)?;
                if user != "root" && !self.state.users.iter().any(|u| u.name == user) {
                    return Err(PlanError::NotReady(format!(
                        "there is no user {user} yet; create the user first"
                    )));
                }
                let id = format!("password:{user}");
                self.need_secret(id.clone(), format!("Password for {user}"));
                self.steps.push(Step {
                    stage: StageId::Users,
                    description: format!("Set the password of {user}"),
                    destructive: false,
                    cancelable: true,
                    secret: Some(id),
                    op: Operation::SetPassword { user: user.clone() },
                });
                self.summary.push(format!("sets the password of {user}"));
            }
            Action::AddToGroup { user, group } => {
                validate::username(&user).map_err(PlanError::Invalid)?;
                validate::group(&group).map_err(PlanError::Invalid)?;
                if !self.state.users.iter().any(|u| u.name == user) {
                    return Err(PlanError::NotReady(format!(
                        "there is no user {user} yet; create the user first"
                    )));
                }
                self.summary
                    .push(format!("adds {user} to the group {group}"));
                self.push(
                    StageId::Users,
                    format!("Add {user} to the group {group}"),
                    Operation::AddToGroup { user, group },
                );
            }
            Action::Finish { reboot } => {
                if !self.state.bootloader_installed {
                    self.warnings.push("No bootloader has been installed: the new system will not start on its own.".into());
                }
                self.push(
                    StageId::Finalize,
                    "Unmount the target and close encrypted volumes".into(),
                    Operation::Finish,
                );
                self.summary.push("finishes the installation".into());
                if reboot == Some(true) {
                    self.push(
                        StageId::Finalize,
                        "Reboot into the new system".into(),
                        Operation::Reboot,
                    );
                    self.reboot = true;
                }
            }
            Action::Reboot => {
                self.push(
                    StageId::Finalize,
                    "Reboot the machine".into(),
                    Operation::Reboot,
                );
                self.summary.push("reboots".into());
                self.reboot = true;
            }
            Action::ListDisks
            | Action::Status
            | Action::Help
            | Action::Clarify { .. }
            | Action::Unsupported { .. } => {
                return Err(PlanError::Invalid(format!(
                    "{} is answered directly and changes nothing, so it cannot be part of a plan",
                    action.kind()
                )));
            }
            Action::Undo => self.undo()?,
        }
        Ok(())
    }
}

/// Swap for a machine with `memory` bytes of RAM: equal to RAM up to 8 GiB, then half, capped.
fn swap_size(memory: u64) -> u64 {
    let m = memory.max(GIB);
    let s = if m <= 8 * GIB {
        m
    } else {
        (m / 2).max(8 * GIB)
    };
    s.min(32 * GIB).div_ceil(MIB) * MIB
}

/// The largest free gap of `d` below `disk_end`, as `(start, end)` aligned to MiB.
fn largest_gap(d: &Disk, disk_end: u64) -> (u64, u64) {
    let mut used: Vec<(u64, u64)> = d
        .partitions
        .iter()
        .map(|p| (p.start, p.start + p.size))
        .collect();
    used.sort_unstable();
    let mut best = (0, 0);
    let mut cursor = MIB;
    for (s, e) in used
        .into_iter()
        .chain(std::iter::once((disk_end, disk_end)))
    {
        let start = cursor.div_ceil(MIB) * MIB;
        let end = (s / MIB) * MIB;
        if end > start && end - start > best.1 - best.0 {
            best = (start, end);
        }
        cursor = cursor.max(e);
    }
    best
}

/// Plans `actions` against the machine and what has been done.
pub fn plan(actions: Vec<Action>, ctx: &PlanContext<'_>) -> Result<Plan, PlanError> {
    if actions.is_empty() {
        return Err(PlanError::Invalid(
            "a plan needs at least one action".into(),
        ));
    }
    if actions.len() > levitate_dbus::MAX_ACTIONS {
        return Err(PlanError::Invalid(format!(
            "at most {} actions at once",
            levitate_dbus::MAX_ACTIONS
        )));
    }
    let mut p = Planner {
        ctx,
        state: ctx.state.clone(),
        steps: Vec::new(),
        summary: Vec::new(),
        warnings: Vec::new(),
        destroys: Vec::new(),
        secrets: Vec::new(),
        reboot: false,
    };
    for a in actions.iter().cloned() {
        p.action(a)?;
    }
    let destructive = p.steps.iter().any(|s| s.destructive);
    // Adding partitions in free space destroys nothing, but it still rewrites a disk's
    // table: the same class of operation for whoever administers the machine.
    let touches_disks = p.steps.iter().any(|s| {
        matches!(
            s.op,
            Operation::WriteTable { .. }
                | Operation::RestoreTable { .. }
                | Operation::CreatePartition { .. }
                | Operation::MakeFs { .. }
                | Operation::LuksFormat { .. }
        )
    });
    let authorization = if destructive || touches_disks {
        polkit::ERASE_DISK
    } else if p.reboot {
        polkit::REBOOT
    } else {
        polkit::CONFIGURE
    };
    let mut summary = format!("This plan {}.", p.summary.join("; "));
    if destructive {
        summary.push_str(" It destroys data: read what it erases before you confirm.");
    }
    Ok(Plan {
        actions,
        steps: p.steps,
        summary,
        warnings: p.warnings,
        destroys: p.destroys,
        secrets: p.secrets,
        authorization,
        disks_fingerprint: ctx.machine.disks_fingerprint(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(json: &str) -> Machine {
        Machine::from_json(json).expect("valid machine")
    }

    fn two_disks() -> Machine {
        machine(
            r#"{"firmware":"uefi","memory":"16G","disks":[
            {"path":"/dev/sda","size":"500G","model":"Samsung SSD 870 EVO","transport":"sata"},
            {"path":"/dev/sdb","size":"1T","model":"WD Blue","rotational":true,"transport":"sata"}]}"#,
        )
    }

    fn windows() -> Machine {
        machine(
            r#"{"firmware":"uefi","memory":"32G","disks":[
            {"path":"/dev/nvme0n1","size":"1T","model":"WD_BLACK SN850X","transport":"nvme","table":"gpt","partitions":[
              {"path":"/dev/nvme0n1p1","size":"100M","fs":"vfat","type":"esp","label":"SYSTEM"},
              {"path":"/dev/nvme0n1p2","size":"16M","type":"msr"},
              {"path":"/dev/nvme0n1p3","size":"600G","fs":"ntfs","label":"Windows"},
              {"path":"/dev/nvme0n1p4","size":"1G","fs":"ntfs","type":"recovery","label":"Recovery"}]}]}"#,
        )
    }

    fn zoneinfo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("Europe")).expect("mkdir");
        std::fs::write(dir.path().join("Europe/Berlin"), b"TZif").expect("write");
        dir
    }

    fn plan_with(m: &Machine, state: &InstallState, json: &str) -> Result<Plan, PlanError> {
        let z = zoneinfo();
        let ctx = PlanContext {
            machine: m,
            state,
            target_root: "/mnt/levitate",
            zoneinfo: z.path(),
        };
        plan(Action::list_from_json(json).expect("actions"), &ctx)
    }

    fn plan_on(m: &Machine, json: &str) -> Result<Plan, PlanError> {
        plan_with(m, &InstallState::default(), json)
    }

    fn created(p: &Plan) -> Vec<(u32, u64, u64, PartKind)> {
        p.steps
            .iter()
            .filter_map(|s| match s.op {
                Operation::CreatePartition {
                    number,
                    start,
                    size,
                    kind,
                    ..
                } => Some((number, start, size, kind)),
                _ => None,
            })
            .collect()
    }

    fn mounts(p: &Plan) -> Vec<(String, String)> {
        p.steps
            .iter()
            .filter_map(|s| match &s.op {
                Operation::Mount {
                    device, mountpoint, ..
                } => Some((mountpoint.clone(), device.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn uefi_whole_disk_default_layout_is_aligned_and_fills_the_disk() {
        let p = plan_on(&two_disks(), r#"{"action":"partition","disk":"/dev/sda"}"#).expect("plan");
        let parts = created(&p);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], (1, MIB, 512 * MIB, PartKind::Esp));
        let (_, start, size, kind) = parts[1];
        assert_eq!((start, kind), (513 * MIB, PartKind::Linux));
        assert_eq!(
            start + size,
            500 * GIB - MIB,
            "root ends 1 MiB before the end (backup GPT)"
        );
        assert!(parts
            .iter()
            .all(|(_, s, l, _)| s % MIB == 0 && l % MIB == 0));
        assert!(p.destructive());
        assert_eq!(p.authorization, polkit::ERASE_DISK);
        assert_eq!(
            p.steps[0].op,
            Operation::WriteTable {
                disk: "/dev/sda".into(),
                table: TableKind::Gpt
            }
        );
        assert_eq!(
            mounts(&p),
            [
                ("/".to_owned(), "/dev/sda2".to_owned()),
                ("/boot/efi".to_owned(), "/dev/sda1".to_owned())
            ]
        );
        assert!(p.destroys[0].starts_with("erases /dev/sda (Samsung SSD 870 EVO, 500 GiB)"));
        assert!(p.secrets.is_empty());
    }

    #[test]
    fn bios_gets_a_bios_boot_partition_on_gpt_and_none_on_mbr() {
        let bios = machine(
            r#"{"firmware":"bios","memory":"2G","disks":[{"path":"/dev/vda","size":"40G","transport":"virtio"}]}"#,
        );
        let p = plan_on(&bios, r#"{"action":"partition","disk":"/dev/vda"}"#).expect("gpt");
        let parts = created(&p);
        assert_eq!(parts[0].3, PartKind::BiosBoot);
        assert_eq!(parts[0].2, MIB);
        let p = plan_on(
            &bios,
            r#"{"action":"partition","disk":"/dev/vda","table":"mbr"}"#,
        )
        .expect("mbr");
        let parts = created(&p);
        assert_eq!(parts.len(), 1);
        assert_eq!(
            parts[0].1 + parts[0].2,
            40 * GIB,
            "MBR needs no backup table at the end"
        );
        let too_many = r#"{"action":"partition","disk":"/dev/vda","table":"mbr","scheme":[
            {"mount":"/","size":"10G"},{"mount":"/home","size":"5G"},{"mount":"/srv","size":"5G"},{"mount":"/var","size":"5G"},{"mount":"swap","size":"1G"}]}"#;
        assert!(
            matches!(plan_on(&bios, too_many), Err(PlanError::Invalid(m)) if m.contains("at most 4"))
        );
    }

    #[test]
    fn encrypted_root_gets_luks_a_plain_boot_and_a_passphrase_request() {
        let p = plan_on(
            &two_disks(),
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","encrypt":true}]}"#,
        )
        .expect("plan");
        assert_eq!(
            p.secrets,
            [SecretSpec {
                id: "luks".into(),
                prompt: "Passphrase for the encrypted partitions".into()
            }]
        );
        let luks: Vec<_> = p
            .steps
            .iter()
            .filter(|s| matches!(s.op, Operation::LuksFormat { .. }))
            .collect();
        assert_eq!(luks.len(), 1);
        assert_eq!(luks[0].secret.as_deref(), Some("luks"));
        let m = mounts(&p);
        assert_eq!(m[0], ("/".to_owned(), "/dev/mapper/luks-root".to_owned()));
        assert!(m
            .iter()
            .any(|(mp, dev)| mp == "/boot" && dev == "/dev/sda2"));
        assert!(p.summary.contains("unencrypted /boot"));
        assert!(matches!(
            plan_on(
                &two_disks(),
                r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/boot/efi","encrypt":true}]}"#
            ),
            Err(PlanError::Invalid(_))
        ));
    }

    #[test]
    fn separate_home_without_sizes_splits_the_disk() {
        let p = plan_on(
            &two_disks(),
            r#"{"action":"partition","disk":"/dev/sdb","scheme":[{"mount":"/home","fs":"xfs"}]}"#,
        )
        .expect("plan");
        let parts = created(&p);
        assert_eq!(parts.len(), 3);
        let root = parts.iter().find(|(n, ..)| *n == 3).expect("root");
        let home = parts.iter().find(|(n, ..)| *n == 2).expect("home");
        assert_eq!(root.2, 64 * GIB, "a third of 1 TiB, capped at 64 GiB");
        assert!(home.2 > 900 * GIB);
        assert!(p
            .steps
            .iter()
            .any(|s| matches!(&s.op, Operation::MakeFs { fs: Fs::Xfs, .. })));
        // Mount order: parents first.
        let order: Vec<String> = mounts(&p).into_iter().map(|(m, _)| m).collect();
        assert_eq!(order, ["/", "/home", "/boot/efi"]);
    }

    #[test]
    fn sizes_percentages_swap_and_rest() {
        let p = plan_on(&two_disks(), r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"swap","size":"8G"},{"mount":"/","size":"rest","fs":"btrfs"},{"mount":"/home","size":"20%"}]}"#).expect("plan");
        let parts = created(&p);
        assert_eq!(parts[1].2, 8 * GIB);
        assert_eq!(parts[3].2, 100 * GIB);
        assert!(p
            .steps
            .iter()
            .any(|s| matches!(s.op, Operation::SwapOn { .. })));
        let p = plan_on(
            &two_disks(),
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/"},{"mount":"swap"}]}"#,
        )
        .expect("swap from RAM");
        assert_eq!(
            created(&p)[2].2,
            8 * GIB,
            "16 GiB of RAM gives 8 GiB of swap"
        );
        for bad in [
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","size":"600G"}]}"#,
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","size":"1G"}]}"#,
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","size":"rest"},{"mount":"/home","size":"rest"},{"mount":"/srv","size":"rest"}]}"#,
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","fs":"ntfs"}]}"#,
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","fs":"swap"}]}"#,
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/home","fs":"vfat"}]}"#,
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/"},{"mount":"/"}]}"#,
            r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"../etc"}]}"#,
        ] {
            assert!(
                matches!(plan_on(&two_disks(), bad), Err(PlanError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn dual_boot_keeps_windows_and_reuses_its_esp() {
        let p = plan_on(
            &windows(),
            r#"{"action":"partition","disk":"/dev/nvme0n1","wipe":false}"#,
        )
        .expect("plan");
        assert!(!p.destructive(), "nothing is erased");
        assert!(p.destroys.is_empty());
        assert_eq!(
            p.authorization,
            polkit::ERASE_DISK,
            "the table still changes"
        );
        assert!(!p
            .steps
            .iter()
            .any(|s| matches!(s.op, Operation::WriteTable { .. })));
        let parts = created(&p);
        assert_eq!(parts.len(), 1, "no second ESP");
        let (number, start, size, _) = parts[0];
        assert_eq!(number, 5);
        assert_eq!(start, MIB + 100 * MIB + 16 * MIB + 600 * GIB + GIB);
        assert_eq!(start + size, 1024 * GIB - MIB);
        assert!(mounts(&p).contains(&("/boot/efi".to_owned(), "/dev/nvme0n1p1".to_owned())));
        assert!(!p.steps.iter().any(|s| matches!(&s.op, Operation::MakeFs { partition, .. } if partition == "/dev/nvme0n1p1")), "the shared ESP is not formatted");
        assert!(p.warnings.iter().any(|w| w.contains("only 100 MiB")));
    }

    #[test]
    fn dual_boot_without_room_is_refused_with_the_reason() {
        let full = machine(
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"100G","table":"gpt","partitions":[
            {"path":"/dev/sda1","size":"100M","fs":"vfat","type":"esp"},{"path":"/dev/sda2","size":"97G","fs":"ntfs","label":"Windows"}]}]}"#,
        );
        match plan_on(
            &full,
            r#"{"action":"partition","disk":"/dev/sda","wipe":false}"#,
        ) {
            Err(PlanError::Invalid(m)) => assert!(
                m.contains("not enough space") && m.contains("free space"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
        let blank = two_disks();
        assert!(
            matches!(plan_on(&blank, r#"{"action":"partition","disk":"/dev/sda","wipe":false}"#), Err(PlanError::Invalid(m)) if m.contains("no partition table"))
        );
    }

    #[test]
    fn erasing_windows_says_so_in_words() {
        let p = plan_on(
            &windows(),
            r#"{"action":"partition","disk":"/dev/nvme0n1"}"#,
        )
        .expect("plan");
        let d = &p.destroys[0];
        assert!(
            d.starts_with("erases /dev/nvme0n1 (WD_BLACK SN850X, 1 TiB): 4 partitions"),
            "{d}"
        );
        assert!(d.contains("NTFS filesystem labelled Windows"), "{d}");
        assert!(p
            .warnings
            .iter()
            .any(|w| w.contains("Windows on /dev/nvme0n1 will be erased")));
    }

    #[test]
    fn busy_disks_are_refused_unless_the_installer_mounted_them() {
        let m = machine(
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"100G","table":"gpt","partitions":[
            {"path":"/dev/sda1","size":"50G","fs":"ext4","mountpoint":"/"}]}]}"#,
        );
        assert!(
            matches!(plan_on(&m, r#"{"action":"partition","disk":"/dev/sda"}"#), Err(PlanError::DeviceBusy(msg)) if msg.contains("/dev/sda1 is mounted at /"))
        );
        assert!(matches!(
            plan_on(
                &m,
                r#"{"action":"format","partition":"/dev/sda1","fs":"ext4"}"#
            ),
            Err(PlanError::DeviceBusy(_))
        ));
        // The same mount, made by the installer: the plan unmounts the target first.
        let m = machine(
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"100G","table":"gpt","partitions":[
            {"path":"/dev/sda1","size":"50G","fs":"ext4","mountpoint":"/mnt/levitate"}]}]}"#,
        );
        let mut state = InstallState::default();
        state.mounts.insert("/".into(), "/dev/sda1".into());
        let p =
            plan_with(&m, &state, r#"{"action":"partition","disk":"/dev/sda"}"#).expect("replan");
        assert_eq!(p.steps[0].op, Operation::UnmountTarget);
        assert!(
            matches!(plan_on(&two_disks(), r#"{"action":"partition","disk":"/dev/sdc"}"#), Err(PlanError::NoSuchDisk(m)) if m.contains("/dev/sda, /dev/sdb"))
        );
    }

    #[test]
    fn format_and_mount_by_hand() {
        let w = windows();
        let p = plan_on(
            &w,
            r#"{"action":"format","partition":"/dev/nvme0n1p3","fs":"ext4"}"#,
        )
        .expect("format");
        assert!(p.destructive());
        assert!(
            p.destroys[0].contains("/dev/nvme0n1p3 (600 GiB, NTFS filesystem labelled Windows)"),
            "{:?}",
            p.destroys
        );
        assert!(p.warnings[0].contains("Windows filesystem"));
        let p = plan_on(&w, r#"[{"action":"format","partition":"/dev/nvme0n1p3","fs":"xfs"},{"action":"mount","partition":"/dev/nvme0n1p3","mountpoint":"/"},{"action":"mount","partition":"/dev/nvme0n1p1","mountpoint":"/boot/efi"},{"action":"copy_system"}]"#).expect("by hand");
        assert_eq!(mounts(&p).len(), 2);
        assert!(
            matches!(plan_on(&w, r#"{"action":"mount","partition":"/dev/nvme0n1p1","mountpoint":"/boot/efi"}"#), Err(PlanError::NotReady(m)) if m.contains("root"))
        );
        assert!(
            matches!(plan_on(&w, r#"{"action":"mount","partition":"/dev/nvme0n1p2","mountpoint":"/"}"#), Err(PlanError::NotReady(m)) if m.contains("no filesystem"))
        );
        assert!(matches!(
            plan_on(
                &w,
                r#"{"action":"format","partition":"/dev/nvme0n1p9","fs":"ext4"}"#
            ),
            Err(PlanError::NoSuchDisk(_))
        ));
        assert!(matches!(
            plan_on(
                &w,
                r#"{"action":"format","partition":"/dev/nvme0n1p3","fs":"zfs"}"#
            ),
            Err(PlanError::Invalid(_))
        ));
    }

    #[test]
    fn order_is_checked_copy_needs_a_root_and_bootloader_needs_a_copy() {
        let m = two_disks();
        assert!(matches!(
            plan_on(&m, r#"{"action":"copy_system"}"#),
            Err(PlanError::NotReady(_))
        ));
        assert!(matches!(
            plan_on(&m, r#"{"action":"install_bootloader"}"#),
            Err(PlanError::NotReady(_))
        ));
        let p = plan_on(&m, r#"[{"action":"partition","disk":"/dev/sda"},{"action":"copy_system"},{"action":"install_bootloader"},{"action":"finish","reboot":true}]"#).expect("whole install");
        assert!(p.steps.iter().any(|s| s.op
            == Operation::InstallBootloader {
                target: "efi".into()
            }));
        assert!(p.steps.iter().any(|s| s.op == Operation::Reboot));
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let bios = machine(r#"{"firmware":"bios","disks":[{"path":"/dev/vda","size":"40G"}]}"#);
        let p = plan_on(&bios, r#"[{"action":"partition","disk":"/dev/vda"},{"action":"copy_system"},{"action":"install_bootloader"}]"#).expect("bios");
        assert!(p.steps.iter().any(|s| s.op
            == Operation::InstallBootloader {
                target: "/dev/vda".into()
            }));
        assert!(matches!(
            plan_on(
                &bios,
                r#"[{"action":"partition","disk":"/dev/vda"},{"action":"copy_system"},{"action":"install_bootloader","target":"efi"}]"#
            ),
            Err(PlanError::Invalid(_))
        ));
        let p = plan_on(&m, r#"{"action":"finish"}"#).expect("finish");
        assert!(p.warnings[0].contains("No bootloader"));
        assert_eq!(p.authorization, polkit::CONFIGURE);
        assert_eq!(
            plan_on(&m, r#"{"action":"reboot"}"#)
                .expect("reboot")
                .authorization,
            polkit::REBOOT
        );
    }

    #[test]
    fn users_and_settings_are_validated() {
        let m = two_disks();
        let p = plan_on(&m, r#"[{"action":"create_user","name":"vince","sudo":true},{"action":"set_password","user":"vince"},{"action":"add_to_group","user":"vince","group":"wheel"},{"action":"set_password","user":"root"}]"#).expect("users");
        let ids: Vec<&str> = p.secrets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["password:vince", "password:root"]);
        assert_eq!(p.authorization, polkit::CONFIGURE);
        assert!(!p.destructive());
        for (json, want_not_ready) in [
            (r#"{"action":"create_user","name":"root"}"#, false),
            (r#"{"action":"create_user","name":"Vince"}"#, false),
            (
                r#"[{"action":"create_user","name":"a"},{"action":"create_user","name":"a"}]"#,
                false,
            ),
            (r#"{"action":"set_password","user":"ghost"}"#, true),
            (
                r#"{"action":"add_to_group","user":"ghost","group":"wheel"}"#,
                true,
            ),
            (r#"{"action":"set_hostname","name":"my_laptop!!"}"#, false),
            (r#"{"action":"set_timezone","zone":"Mars/Olympus"}"#, false),
            (r#"{"action":"set_locale","locale":"english"}"#, false),
            (r#"{"action":"set_keyboard","layout":"us; reboot"}"#, false),
        ] {
            let r = plan_on(&m, json);
            if want_not_ready {
                assert!(matches!(r, Err(PlanError::NotReady(_))), "{json}: {r:?}");
            } else {
                assert!(matches!(r, Err(PlanError::Invalid(_))), "{json}: {r:?}");
            }
        }
        let p = plan_on(&m, r#"[{"action":"set_hostname","name":"box"},{"action":"set_timezone","zone":"Europe/Berlin"},{"action":"set_locale","locale":"fr_FR.UTF-8"},{"action":"set_keyboard","layout":"de"}]"#).expect("settings");
        assert_eq!(p.steps.len(), 4);
        assert!(p.steps.iter().all(|s| s.stage == StageId::Configuration));
    }

    #[test]
    fn answers_are_not_plans() {
        let m = two_disks();
        for json in [
            "[]",
            r#"{"action":"list_disks"}"#,
            r#"{"action":"help"}"#,
            r#"{"action":"clarify","question":"which?"}"#,
            r#"{"action":"unsupported","topic":"network"}"#,
        ] {
            assert!(
                matches!(plan_on(&m, json), Err(PlanError::Invalid(_))),
                "{json}"
            );
        }
        assert!(matches!(
            plan_on(&m, r#"{"action":"undo"}"#),
            Err(PlanError::NotSupported(_))
        ));
    }

    #[test]
    fn install_state_applies_steps() {
        let mut s = InstallState::default();
        s.apply(&Operation::Mount {
            partition: "/dev/sda2".into(),
            device: "/dev/sda2".into(),
            mountpoint: "/".into(),
        });
        s.apply(&Operation::CreateUser {
            name: "vince".into(),
            sudo: true,
        });
        s.apply(&Operation::SetPassword {
            user: "vince".into(),
        });
        s.apply(&Operation::AddToGroup {
            user: "vince".into(),
            group: "video".into(),
        });
        s.apply(&Operation::SetHostname("box".into()));
        assert_eq!(s.mounts.get("/").map(String::as_str), Some("/dev/sda2"));
        assert!(s.users[0].password_set && s.users[0].sudo);
        assert_eq!(s.users[0].groups, ["video"]);
        assert_eq!(s.config.get("hostname").map(String::as_str), Some("box"));
        s.apply(&Operation::UnmountTarget);
        assert!(s.mounts.is_empty());
    }

    #[test]
    fn partitions_only_then_undo_until_something_is_formatted() {
        let m = windows();
        let p = plan_on(
            &m,
            r#"{"action":"partition","disk":"/dev/nvme0n1","wipe":false,"format":false}"#,
        )
        .expect("plan");
        assert!(p
            .steps
            .iter()
            .all(|s| matches!(s.op, Operation::CreatePartition { .. })));
        assert!(p.summary.contains("without formatting"), "{}", p.summary);
        assert_eq!(p.authorization, polkit::ERASE_DISK);
        let mut state = InstallState::default();
        for s in &p.steps {
            state.apply(&s.op);
        }
        assert_eq!(state.undo_table.as_deref(), Some("/dev/nvme0n1"));
        let undo = plan_with(&m, &state, r#"{"action":"undo"}"#).expect("undo");
        assert!(matches!(
            undo.steps.as_slice(),
            [Step { op: Operation::RestoreTable { disk }, destructive: true, .. }] if disk == "/dev/nvme0n1"
        ));
        assert!(
            undo.destroys[0].contains("removes the partitions"),
            "{:?}",
            undo.destroys
        );
        // A filesystem on the new layout ends what undo can honestly do.
        state.apply(&Operation::MakeFs {
            partition: "/dev/nvme0n1p5".into(),
            device: "/dev/nvme0n1p5".into(),
            fs: Fs::Ext4,
        });
        let e = plan_with(&m, &state, r#"{"action":"undo"}"#).expect_err("nothing to undo");
        assert!(e.to_string().contains("nothing to undo"), "{e}");
        // Encryption happens while formatting.
        assert!(matches!(
            plan_on(
                &m,
                r#"{"action":"partition","disk":"/dev/nvme0n1","format":false,"scheme":[{"mount":"/","encrypt":true}]}"#
            ),
            Err(PlanError::Invalid(_))
        ));
    }

    #[test]
    fn erasing_an_installed_system_is_named() {
        let mut m = windows();
        m.disks[0].partitions[3].description =
            "ext4 filesystem, with Debian GNU/Linux 12 (bookworm) installed".into();
        let p = plan_on(&m, r#"{"action":"partition","disk":"/dev/nvme0n1"}"#).expect("plan");
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("/dev/nvme0n1p4 holds an installed system")
                    && w.contains("Debian GNU/Linux 12")),
            "{:?}",
            p.warnings
        );
        assert!(
            p.destroys[0].contains("Debian GNU/Linux 12"),
            "{:?}",
            p.destroys
        );
    }
}
