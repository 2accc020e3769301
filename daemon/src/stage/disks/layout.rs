//! Layouts: a scheme of partitions resolved to sizes in bytes, with the partitions the
//! firmware needs and the defaults a person would expect.

use levitate_dbus::{Disk, PartitionEntry, TableKind};

use super::{Fs, PartKind};
use crate::{
    machine::{Firmware, Machine},
    plan::PlanError,
    size::{human, parse_size_spec, SizeSpec, GIB, MIB},
    validate,
};

/// Smallest sizes the planner accepts.
const MIN_ROOT: u64 = 4 * GIB;
const MIN_OTHER: u64 = 32 * MIB;
const MIN_ESP: u64 = 64 * MIB;
const DEFAULT_ESP: u64 = 512 * MIB;
const DEFAULT_BOOT: u64 = GIB;

/// A partition to be created, resolved to bytes.
#[derive(Debug, Clone)]
pub(super) struct NewPart {
    pub mount: Option<String>,
    pub fs: Option<Fs>,
    pub kind: PartKind,
    pub encrypt: bool,
    pub spec: SizeSpec,
}

/// The partitions a scheme asks for, validated, with what the firmware and an encrypted
/// root need added. The flag says whether a plain `/boot` was added for an encrypted root.
/// A data disk (`/home` on a second disk) gets only what its scheme says.
pub(super) fn resolve_entries(
    machine: &Machine,
    scheme: Option<Vec<PartitionEntry>>,
    table: TableKind,
    reuse_esp: bool,
    data_disk: bool,
) -> Result<(Vec<NewPart>, bool), PlanError> {
    let mut parts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for e in scheme.unwrap_or_default() {
        parts.push(entry_part(&e, machine.memory, &mut seen)?);
    }
    if data_disk {
        if let Some(m) = parts
            .iter()
            .filter_map(|p| p.mount.as_deref())
            .find(|m| ["/boot", "/boot/efi"].contains(m))
        {
            return Err(PlanError::Invalid(format!(
                "{m} belongs on the disk that holds / (the bootloader reads it from there)"
            )));
        }
        if parts.iter().filter(|p| p.spec == SizeSpec::Rest).count() > 1 {
            return Err(PlanError::Invalid(
                "only one partition can take the rest of the space; give the others a size like 50G"
                    .into(),
            ));
        }
        return Ok((parts, false));
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
            "only one partition can take the rest of the space; give the others a size like 50G"
                .into(),
        ));
    }
    let boot_added = add_required(&mut parts, machine.firmware, table, reuse_esp);
    Ok((parts, boot_added))
}

/// One entry of a scheme, checked: mount point, filesystem, encryption and size.
fn entry_part(
    e: &PartitionEntry,
    memory: u64,
    seen: &mut Vec<String>,
) -> Result<NewPart, PlanError> {
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
        None if mount == "swap" => SizeSpec::Bytes(swap_size(memory)),
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
    Ok(NewPart {
        mount: (mount != "swap").then_some(mount),
        fs: Some(fs),
        kind,
        encrypt: e.encrypt,
        spec,
    })
}

/// A plain `/boot` beside an encrypted root, the ESP on UEFI (unless an existing one is
/// reused), the BIOS boot partition on BIOS with GPT. Returns whether `/boot` was added.
fn add_required(
    parts: &mut Vec<NewPart>,
    firmware: Firmware,
    table: TableKind,
    reuse_esp: bool,
) -> bool {
    let mut boot_added = false;
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
        boot_added = true;
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
    boot_added
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

/// The new partitions with their sizes in bytes, and where the first one starts.
pub(super) struct Sized {
    pub start: u64,
    pub parts: Vec<(NewPart, u64)>,
}

/// The table the layout goes into: a new one when wiping, else the one the disk has.
pub(super) fn table_to_write(
    d: &Disk,
    table: Option<TableKind>,
    wipe: bool,
) -> Result<TableKind, PlanError> {
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
pub(super) fn size_parts(
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
