//! Planning the disk stage: whole-disk and side-by-side layouts, formatting and mounting
//! by hand, and undo. Layouts are aligned to 1 MiB, sizes parsed (`512M`, `8G`, `20%`,
//! `rest`), defaults follow the firmware (ESP on UEFI, BIOS boot partition on BIOS+GPT), an
//! encrypted root gets a plain `/boot`, dual boot uses the largest free gap and reuses the
//! ESP.

use levitate_dbus::{Action, Disk, PartitionEntry, TableKind};

use super::{
    layout::{self, size_parts, table_to_write, NewPart, Sized},
    DiskOp, Fs, PartKind,
};
use crate::{
    machine::{busy_reason, partition_path, Firmware},
    ops::Operation,
    plan::{describe_disk, disk_params, notice, PlanBuilder, PlanError, Step},
    size::{human, MIB},
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

/// "Debian GNU/Linux 12" from "ext4 filesystem, with Debian GNU/Linux 12 installed".
fn installed_system(description: &str) -> &str {
    let system = description.trim_end_matches(" installed");
    system.rsplit_once(", with ").map_or(system, |(_, s)| s)
}

fn holds_windows(d: &Disk) -> bool {
    d.partitions
        .iter()
        .any(|p| p.fs == "ntfs" || p.fs == "BitLocker" || p.kind == "msr")
}

impl PlanBuilder<'_> {
    /// Busy unless every mount on the disk is one the installer made itself, in which case
    /// the plan unmounts the target first (a data disk joins the target instead).
    fn ensure_free(&mut self, d: &Disk, data_disk: bool) -> Result<(), PlanError> {
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
        if !data_disk && (!self.state.mounts.is_empty() || !self.state.swaps.is_empty()) {
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
        let data_disk = self.data_disk(&d, scheme.as_deref())?;
        self.ensure_free(&d, data_disk)?;
        let firmware = self.ctx.machine.firmware;
        let table = table_to_write(&d, table, wipe)?;
        let existing_esp = (!wipe && firmware == Firmware::Uefi && !data_disk)
            .then(|| d.partitions.iter().find(|p| p.kind == "esp").cloned())
            .flatten();
        // Notes made while planning come after the sentence that says what the plan does.
        let notes_from = self.summary.len();
        let (parts, boot_added) = layout::resolve_entries(
            self.ctx.machine,
            scheme,
            table,
            existing_esp.is_some(),
            data_disk,
        )?;
        if boot_added {
            self.summary.push(
                "adds a 1 GiB unencrypted /boot so the bootloader can load the kernel".into(),
            );
        }
        let sized = size_parts(&d, table, wipe, parts)?;
        if wipe {
            self.erase_disk(&d, table);
        }
        if table == TableKind::Mbr && firmware == Firmware::Uefi {
            self.warnings.push(notice(
                "mbr-on-uefi",
                "This machine boots with UEFI; an MBR table works but GPT is the usual choice."
                    .into(),
                &[("disk", d.path.clone())],
            ));
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
        self.warn_unencrypted_swap(&created);
        let created = self.format_created(created);
        self.mount_created(&d, &created, existing_esp.as_ref());
        let fsroot = created
            .iter()
            .find(|c| c.part.mount.as_deref() == Some("/"))
            .and_then(|c| c.part.fs)
            .map_or("ext4", Fs::as_str);
        let mounts: Vec<&str> = created
            .iter()
            .filter_map(|c| c.part.mount.as_deref())
            .collect();
        self.summary.insert(
            notes_from,
            if data_disk {
                format!(
                    "{} {} for {} of the new system",
                    if wipe {
                        "uses all of"
                    } else {
                        "uses free space on"
                    },
                    describe_disk(&d),
                    if mounts.is_empty() {
                        "swap".to_owned()
                    } else {
                        mounts.join(" and ")
                    }
                )
            } else if wipe {
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

    /// Whether this layout is a second disk of the new system: a scheme without `/` while
    /// the target root is already laid out (earlier in this plan, or mounted by an earlier
    /// one). Its mount points join the target; the bootloader stays with `/`.
    fn data_disk(&self, d: &Disk, scheme: Option<&[PartitionEntry]>) -> Result<bool, PlanError> {
        let Some(root_dev) = self.state.mounts.get("/") else {
            return Ok(false);
        };
        let Some(entries) = scheme.filter(|s| !s.is_empty()) else {
            return Ok(false);
        };
        if entries.iter().any(|e| e.mount.trim() == "/") {
            return Ok(false);
        }
        if self.state.root_disk.as_deref() == Some(d.path.as_str()) {
            return Err(PlanError::Invalid(format!(
                "{} already holds the new system's root ({root_dev}); give all of its partitions in one layout",
                d.path
            )));
        }
        // A disk this installation already uses (laid out earlier in the plan or before)
        // is laid out again as a whole, never added to itself.
        let ours = d.partitions.iter().any(|p| {
            self.state.swaps.contains(&p.path)
                || self.state.mounts.values().any(|dev| *dev == p.path)
                || p.fs == "crypto_LUKS" && !p.mountpoint.is_empty()
        }) || self
            .state
            .mounts
            .values()
            .chain(self.state.swaps.iter())
            .any(|dev| dev.starts_with(&d.path));
        if ours {
            return Err(PlanError::Invalid(format!(
                "{} is already part of this installation; lay out all of it in one partition action",
                d.path
            )));
        }
        if self.state.system_copied {
            return Err(PlanError::NotReady(format!(
                "the system is already copied; a disk mounted now would hide what was copied there. Lay out {} with the system's disk, then copy",
                d.path
            )));
        }
        // (/boot and /boot/efi are refused with their own reason when the layout is read.)
        for e in entries {
            let m = e.mount.trim();
            if let Some(dev) = self
                .state
                .mounts
                .get(m)
                .filter(|_| m != "/boot" && m != "/boot/efi")
            {
                return Err(PlanError::Invalid(format!(
                    "{m} is already laid out on {dev}"
                )));
            }
            // Mounted now, /var would hide the /var/log laid out before it.
            if let Some(under) =
                self.state.mounts.keys().find(|k| {
                    m != "swap" && k.starts_with(&format!("{}/", m.trim_end_matches('/')))
                })
            {
                return Err(PlanError::Invalid(format!(
                    "{m} would hide {under}, laid out already; put {under} on the same disk as {m}, or lay {m} out first"
                )));
            }
        }
        Ok(true)
    }

    /// The new table, with what erasing the disk destroys and what it is worth a warning.
    fn erase_disk(&mut self, d: &Disk, table: TableKind) {
        let mut params = disk_params(d).to_vec();
        params.extend([
            ("table", d.table.clone()),
            ("partitions", d.partitions.len().to_string()),
        ]);
        self.destroys
            .push(notice("erase-disk", describe_erase(d), &params));
        if holds_windows(d) {
            self.warnings.push(notice(
                "windows-erased",
                format!(
                    "Windows on {} will be erased. To keep it, ask to install alongside Windows instead.",
                    d.path
                ),
                &[("disk", d.path.clone())],
            ));
        }
        for p in d
            .partitions
            .iter()
            .filter(|p| p.description.ends_with(" installed"))
        {
            self.warnings.push(notice(
                "installed-system-erased",
                format!(
                    "{} holds an installed system ({}); it will be erased.",
                    p.path, p.description
                ),
                &[
                    ("disk", d.path.clone()),
                    ("partition", p.path.clone()),
                    ("system", installed_system(&p.description).to_owned()),
                ],
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

    /// Swap left in the clear beside an encrypted partition holds, sooner or later, what
    /// the encryption protects (memory pages with keys and passwords).
    fn warn_unencrypted_swap(&mut self, created: &[Created]) {
        if !created.iter().any(|c| c.part.encrypt) {
            return;
        }
        for c in created
            .iter()
            .filter(|c| c.part.kind == PartKind::Swap && !c.part.encrypt)
        {
            self.warnings.push(notice(
                "swap-not-encrypted",
                format!(
                    "Swap on {} is not encrypted while the system is: memory written to swap, keys and passwords among it, stays readable on the disk. Ask for encrypted swap, or leave swap out.",
                    c.path
                ),
                &[("partition", c.path.clone())],
            ));
        }
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
                self.warnings.push(notice(
                    "small-shared-esp",
                    format!("The existing EFI system partition {} is only {}; it is shared with the other system.", esp.path, human(esp.size)),
                    &[("partition", esp.path.clone()), ("size", esp.size.to_string())],
                ));
            }
            mounts.push(("/boot/efi".into(), esp.path.clone(), esp.path.clone()));
        }
        for c in created {
            match (c.part.kind, &c.part.mount) {
                (PartKind::Swap, _) => {
                    // The step still makes it the installed system's swap (its fstab);
                    // in the sandbox the executor leaves it off.
                    let what = if self.ctx.sandbox {
                        self.warnings.push(notice(
                            "sandbox-swap-off",
                            format!(
                                "Sandbox mode: swap on {} is made and goes into the new system's fstab, but is not turned on here, where it would become this machine's swap.",
                                c.device
                            ),
                            &[("device", c.device.clone())],
                        ));
                        format!(
                            "Use {} as the new system's swap (not turned on here: sandbox)",
                            c.device
                        )
                    } else {
                        format!("Activate swap on {}", c.device)
                    };
                    self.push(
                        what,
                        DiskOp::SwapOn {
                            partition: c.path.clone(),
                            device: c.device.clone(),
                        },
                    );
                }
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
        let mut params = disk_params(d).to_vec();
        params.extend([
            ("partition", ppath.clone()),
            ("partition_size", psize.to_string()),
            ("fs", p.fs.clone()),
            ("label", p.label.clone()),
        ]);
        self.destroys.push(notice(
            "format-partition",
            format!("erases {ppath} ({}, {pdesc}) on {disk_desc}", human(psize)),
            &params,
        ));
        if p.fs == "ntfs" || p.fs == "BitLocker" {
            self.warnings.push(notice(
                "windows-filesystem-formatted",
                format!(
                    "{ppath} holds a Windows filesystem ({pdesc}); formatting it deletes those files."
                ),
                &[("partition", ppath.clone()), ("fs", p.fs.clone())],
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
        self.ensure_free(&d, false)?;
        self.destroys.push(notice(
            "restore-table",
            format!(
                "removes the partitions the installer created on {}",
                describe_disk(&d)
            ),
            &disk_params(&d),
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

/// A partition the plan creates: where it is and where its filesystem is.
struct Created {
    part: NewPart,
    path: String,
    /// The partition, or the LUKS volume on it.
    device: String,
}
