//! Planning the disk stage: whole-disk and side-by-side layouts, formatting and mounting
//! by hand, and undo. Layouts are aligned to 1 MiB, sizes parsed (`512M`, `8G`, `20%`,
//! `rest`), defaults follow the firmware (ESP on UEFI, BIOS boot partition on BIOS+GPT), an
//! encrypted root gets a plain `/boot`, dual boot uses the largest free gap and reuses the
//! ESP.

use levitate_dbus::{Action, Disk, PartitionEntry, TableKind};

use super::{DiskOp, Fs, PartKind};
use crate::{
    machine::{busy_reason, partition_path, Firmware},
    ops::Operation,
    plan::{describe_disk, PlanBuilder, PlanError, Step},
    size::{human, parse_size_spec, SizeSpec, GIB, MIB},
    validate,
};

/// The disk stage's actions.
pub fn action(b: &mut PlanBuilder<'_>, action: &Action) -> Option<Result<(), PlanError>> {
    Some(match action {
        Action::Partition {
            disk,
            table,
            wipe,
            scheme,
            format,
        } => b.partition(
            disk,
            *table,
            wipe.unwrap_or(true),
            scheme.clone(),
            format.unwrap_or(true),
        ),
        Action::Format { partition, fs } => b.format(partition, fs),
        Action::Mount {
            partition,
            mountpoint,
        } => b.mount(partition, mountpoint),
        Action::Undo => b.undo(),
        _ => return None,
    })
}

/// Smallest sizes the planner accepts.
const MIN_ROOT: u64 = 4 * GIB;
const MIN_OTHER: u64 = 32 * MIB;
const MIN_ESP: u64 = 64 * MIB;
const DEFAULT_ESP: u64 = 512 * MIB;
const DEFAULT_BOOT: u64 = GIB;

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

impl PlanBuilder<'_> {
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
                format!(
                    "Unmount the installation target at {}",
                    self.ctx.target_root
                ),
                DiskOp::UnmountTarget,
            );
        }
        Ok(())
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
        let table = table_to_write(&d, table, wipe)?;
        let existing_esp = (!wipe && firmware == Firmware::Uefi)
            .then(|| d.partitions.iter().find(|p| p.kind == "esp").cloned())
            .flatten();
        // Notes made while planning come after the sentence that says what the plan does.
        let notes_from = self.summary.len();
        let parts = self.resolve_entries(scheme, table, existing_esp.is_some())?;
        let sized = size_parts(&d, table, wipe, parts)?;
        if wipe {
            self.erase_disk(&d, table);
        }
        if table == TableKind::Mbr && firmware == Firmware::Uefi {
            self.warnings.push(
                "This machine boots with UEFI; an MBR table works but GPT is the usual choice."
                    .into(),
            );
        }
        let created = self.create_partitions(&d, wipe, sized);
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
        let created = self.format_created(created);
        self.mount_created(&d, &created, existing_esp.as_ref());
        let fsroot = created
            .iter()
            .find(|c| c.part.mount.as_deref() == Some("/"))
            .and_then(|c| c.part.fs)
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

    /// The new table, with what erasing the disk destroys and what it is worth a warning.
    fn erase_disk(&mut self, d: &Disk, table: TableKind) {
        self.destroys.push(describe_erase(d));
        if holds_windows(d) {
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
        self.push_step(
            Step::new(
                format!(
                    "Create a new {} partition table on {}, erasing everything on it",
                    table.as_str().to_uppercase(),
                    describe_disk(d)
                ),
                DiskOp::WriteTable {
                    disk: d.path.clone(),
                    table,
                },
            )
            .destroying(),
        );
    }

    /// One step per new partition, numbered after the ones that stay.
    fn create_partitions(&mut self, d: &Disk, wipe: bool, sized: Sized) -> Vec<Created> {
        let mut numbers_used: Vec<u32> = if wipe {
            Vec::new()
        } else {
            d.partitions.iter().map(|p| p.number).collect()
        };
        let mut start = sized.start;
        let mut created = Vec::new();
        for (p, bytes) in sized.parts {
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
            self.push(
                format!("Create {path}: {} {role}{enc}", human(bytes)),
                DiskOp::CreatePartition {
                    disk: d.path.clone(),
                    number,
                    start,
                    size: bytes,
                    kind: p.kind,
                },
            );
            start += bytes;
            created.push(Created {
                part: p,
                device: path.clone(),
                path,
            });
        }
        created
    }

    /// LUKS where asked, then the filesystems; each partition learns the device its
    /// filesystem is on (the partition, or its LUKS volume).
    fn format_created(&mut self, mut created: Vec<Created>) -> Vec<Created> {
        for c in &mut created {
            if c.part.encrypt {
                let name = match c.part.mount.as_deref() {
                    Some("/") => "root".to_owned(),
                    Some(m) => m.trim_start_matches('/').replace('/', "-"),
                    None => "swap".to_owned(),
                };
                let mapper = format!("/dev/mapper/luks-{name}");
                self.need_secret("luks", "Passphrase for the encrypted partitions");
                self.push_step(
                    Step::new(
                        format!("Encrypt {} with LUKS2 and open it as {mapper}", c.path),
                        DiskOp::LuksFormat {
                            partition: c.path.clone(),
                            mapper: mapper.clone(),
                        },
                    )
                    .with_secret("luks"),
                );
                c.device = mapper;
            }
            if let Some(fs) = c.part.fs {
                let what = if fs == Fs::Swap {
                    format!("Set up swap on {}", c.device)
                } else {
                    format!("Format {} as {}", c.device, fs.as_str())
                };
                self.push(
                    what,
                    DiskOp::MakeFs {
                        partition: c.path.clone(),
                        device: c.device.clone(),
                        fs,
                    },
                );
            }
        }
        created
    }

    /// Swap turned on, and the mounts, parents before children: / before /boot before
    /// /boot/efi. A reused ESP is mounted as it is.
    fn mount_created(
        &mut self,
        d: &Disk,
        created: &[Created],
        existing_esp: Option<&levitate_dbus::Partition>,
    ) {
        let mut mounts: Vec<(String, String, String)> = Vec::new();
        if let Some(esp) = existing_esp {
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
        for c in created {
            match (c.part.kind, &c.part.mount) {
                (PartKind::Swap, _) => self.push(
                    format!("Activate swap on {}", c.device),
                    DiskOp::SwapOn {
                        partition: c.path.clone(),
                        device: c.device.clone(),
                    },
                ),
                (_, Some(m)) => mounts.push((m.clone(), c.path.clone(), c.device.clone())),
                _ => {}
            }
        }
        mounts.sort_by_key(|(m, _, _)| m.matches('/').count() + usize::from(m != "/"));
        for (m, path, device) in mounts {
            let target = self.target_path(&m);
            self.push(
                format!("Mount {device} at {target}"),
                DiskOp::Mount {
                    disk: d.path.clone(),
                    partition: path,
                    device,
                    mountpoint: m,
                },
            );
        }
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
        self.push_step(
            Step::new(
                format!("Format {ppath} as {}, erasing it", fs.as_str()),
                DiskOp::MakeFs {
                    partition: ppath.clone(),
                    device: ppath.clone(),
                    fs,
                },
            )
            .destroying(),
        );
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
            .any(|s| matches!(&s.op, Operation::Disks(DiskOp::MakeFs { partition, .. }) if partition == &p.path));
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
        let target = self.target_path(mountpoint);
        let op = DiskOp::Mount {
            disk: d.path.clone(),
            partition: p.path.clone(),
            device: p.path.clone(),
            mountpoint: mountpoint.to_owned(),
        };
        self.push(format!("Mount {} at {target}", p.path), op);
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
        self.push_step(
            Step::new(
                format!(
                    "Restore the partition table of {} as it was before the installer changed it",
                    describe_disk(&d)
                ),
                DiskOp::RestoreTable { disk },
            )
            .destroying(),
        );
        self.summary
            .push(format!("puts back the old partition table of {}", d.path));
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

/// A partition the plan creates: where it is and where its filesystem is.
struct Created {
    part: NewPart,
    path: String,
    /// The partition, or the LUKS volume on it.
    device: String,
}

/// The new partitions with their sizes in bytes, and where the first one starts.
struct Sized {
    start: u64,
    parts: Vec<(NewPart, u64)>,
}

/// The table the layout goes into: a new one when wiping, else the one the disk has.
fn table_to_write(d: &Disk, table: Option<TableKind>, wipe: bool) -> Result<TableKind, PlanError> {
    if wipe {
        return Ok(table.unwrap_or(TableKind::Gpt));
    }
    let existing = match d.table.as_str() {
        "gpt" => TableKind::Gpt,
        "mbr" => TableKind::Mbr,
        _ => {
            return Err(PlanError::Invalid(format!(
            "{} has no partition table, so there is nothing to keep; use the whole disk instead",
            d.path
        )))
        }
    };
    if table.is_some_and(|t| t != existing) {
        return Err(PlanError::Invalid(format!(
            "{} has a {} table; keeping its partitions means keeping that table",
            d.path,
            existing.as_str()
        )));
    }
    Ok(existing)
}

/// Sizes the partitions within the region they fill (the whole disk, or its largest free
/// gap), refusing layouts that do not fit with the numbers.
fn size_parts(
    d: &Disk,
    table: TableKind,
    wipe: bool,
    parts: Vec<NewPart>,
) -> Result<Sized, PlanError> {
    let end_reserve = if table == TableKind::Gpt { MIB } else { 0 };
    let disk_end = (d.size / MIB) * MIB - end_reserve;
    let (region_start, region_end) = if wipe {
        (MIB, disk_end)
    } else {
        largest_gap(d, disk_end)
    };
    let avail = region_end.saturating_sub(region_start);
    let fixed_size = |spec: SizeSpec| match spec {
        SizeSpec::Bytes(b) => b.div_ceil(MIB) * MIB,
        SizeSpec::Percent(pc) => (d.size / 100 * u64::from(pc)) / MIB * MIB,
        SizeSpec::Rest => 0,
    };
    let fixed = parts
        .iter()
        .fold(0u64, |acc, p| acc.saturating_add(fixed_size(p.spec)));
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
            SizeSpec::Rest if shared_rest && p.mount.as_deref() == Some("/") => root_share,
            SizeSpec::Rest => rest,
            spec => fixed_size(spec),
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
    let kept = if wipe { 0 } else { d.partitions.len() };
    let max_parts = if table == TableKind::Mbr { 4 } else { 128 };
    if kept + sized.len() > max_parts {
        return Err(PlanError::Invalid(format!(
            "a {} table holds at most {max_parts} partitions; this layout needs {}",
            table.as_str(),
            kept + sized.len()
        )));
    }
    Ok(Sized {
        start: region_start,
        parts: sized,
    })
}
