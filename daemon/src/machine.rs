//! The machine the daemon installs to: firmware, memory and disks, either read from a
//! simulated machine file (`--simulate`) or probed from the running system.
//!
//! Machine files are untrusted input: every field is checked and every text cleaned before
//! it reaches a plan or the bus.

use std::{collections::BTreeMap, fs, path::Path};

use levitate_dbus::{Disk, Partition};
use serde::Deserialize;

use crate::{size, validate};

/// Most disks and partitions a machine file may describe.
const MAX_DISKS: usize = 64;
const MAX_PARTITIONS: usize = 128;
/// Largest machine file read.
const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Size of the live system a simulated copy moves when the file does not say.
const DEFAULT_SYSTEM_SIZE: u64 = 4 * size::GIB + 512 * size::MIB;

/// Boot firmware.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Firmware {
    Uefi,
    Bios,
}

impl Firmware {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uefi => "uefi",
            Self::Bios => "bios",
        }
    }

    /// What the running system booted with.
    pub fn detect() -> Self {
        if Path::new("/sys/firmware/efi").exists() {
            Self::Uefi
        } else {
            Self::Bios
        }
    }
}

/// A machine: what the planner needs to know about the hardware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    pub firmware: Firmware,
    pub memory: u64,
    pub disks: Vec<Disk>,
    /// Bytes a copy of the live system moves.
    pub system_size: u64,
    /// What `Manager.DiskDetails` tells beyond the `Disk` structure, by disk path.
    pub details: BTreeMap<String, DiskDetails>,
}

/// Facts about a disk that the `Disk` wire structure has no field for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskDetails {
    pub logical_sector_size: u32,
    pub physical_sector_size: u32,
    /// Devices holding the disk or its partitions (`luks-root`, `md0`, `dm-3`).
    pub holders: Vec<String>,
}

impl Default for DiskDetails {
    fn default() -> Self {
        Self {
            logical_sector_size: 512,
            physical_sector_size: 512,
            holders: Vec::new(),
        }
    }
}

impl Machine {
    pub fn disk(&self, path: &str) -> Option<&Disk> {
        self.disks.iter().find(|d| d.path == path)
    }

    /// The disk holding `partition`, and the partition.
    pub fn partition(&self, path: &str) -> Option<(&Disk, &Partition)> {
        self.disks
            .iter()
            .find_map(|d| d.partitions.iter().find(|p| p.path == path).map(|p| (d, p)))
    }

    /// A fingerprint of the disks, to tell whether they changed since a plan was made.
    pub fn disks_fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for d in &self.disks {
            (&d.path, d.size, &d.table, &d.in_use).hash(&mut h);
            for p in &d.partitions {
                (
                    &p.path,
                    p.start,
                    p.size,
                    &p.fs,
                    &p.kind,
                    &p.uuid,
                    &p.mountpoint,
                )
                    .hash(&mut h);
            }
        }
        h.finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MachineFileError {
    #[error("cannot read machine file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("machine file {path} is larger than 1 MiB")]
    TooLarge { path: String },
    #[error("machine file {path} is not valid: {reason}")]
    Invalid { path: String, reason: String },
}

#[derive(Deserialize)]
struct FileMachine {
    firmware: Firmware,
    #[serde(default)]
    memory: Option<String>,
    #[serde(default)]
    disks: Vec<FileDisk>,
    /// Extension: how much a simulated system copy moves (`4.5G`).
    #[serde(default)]
    system_size: Option<String>,
}

#[derive(Deserialize)]
struct FileDisk {
    path: String,
    size: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    rotational: bool,
    #[serde(default)]
    removable: bool,
    #[serde(default)]
    transport: String,
    #[serde(default)]
    table: Option<String>,
    #[serde(default)]
    partitions: Vec<FilePartition>,
    #[serde(default)]
    logical_sector_size: Option<u32>,
    #[serde(default)]
    physical_sector_size: Option<u32>,
}

#[derive(Deserialize)]
struct FilePartition {
    path: String,
    size: String,
    #[serde(default)]
    fs: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    uuid: String,
    /// Extension: where the partition is mounted on the simulated machine (`/`, `[SWAP]`).
    #[serde(default)]
    mountpoint: String,
}

/// `/dev/` followed by a plain device name.
pub fn is_device_path(path: &str) -> bool {
    path.strip_prefix("/dev/").is_some_and(|name| {
        !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'.'))
            && !name.split('/').any(|p| p.is_empty() || p == "..")
    })
}

/// The device path of partition `number` of `disk` (`/dev/sda1`, `/dev/nvme0n1p1`).
pub fn partition_path(disk: &str, number: u32) -> String {
    if disk.ends_with(|c: char| c.is_ascii_digit()) {
        format!("{disk}p{number}")
    } else {
        format!("{disk}{number}")
    }
}

/// Describes what a partition holds, for people: `NTFS filesystem labelled Windows`.
pub fn describe_contents(fs: &str, kind: &str, label: &str) -> String {
    let what = match (kind, fs) {
        ("esp", _) => "EFI system partition".to_owned(),
        ("msr", _) => "Microsoft reserved partition".to_owned(),
        ("recovery", _) => "recovery partition".to_owned(),
        ("bios_boot", _) => "BIOS boot partition".to_owned(),
        (_, "swap") => "swap space".to_owned(),
        (_, "crypto_LUKS") => "LUKS-encrypted volume".to_owned(),
        (_, "ntfs") => "NTFS filesystem".to_owned(),
        (_, "BitLocker") => "BitLocker-encrypted volume".to_owned(),
        (_, "") => "no known filesystem".to_owned(),
        (_, fs) => format!("{fs} filesystem"),
    };
    if label.is_empty() {
        what
    } else {
        format!("{what} labelled {label}")
    }
}

/// Why a partition with a mount point is in use, for people.
pub fn busy_reason(p: &Partition) -> String {
    if p.mountpoint == "[SWAP]" {
        format!("{} is active swap", p.path)
    } else if p.mountpoint == "[HELD]" {
        format!(
            "{} is held by another device (an open LUKS volume, LVM or RAID)",
            p.path
        )
    } else {
        format!("{} is mounted at {}", p.path, p.mountpoint)
    }
}

/// Fills `in_use` from the partitions' mount points.
pub fn refresh_in_use(disk: &mut Disk) {
    let busy: Vec<String> = disk
        .partitions
        .iter()
        .filter(|p| !p.mountpoint.is_empty())
        .map(busy_reason)
        .collect();
    disk.in_use = busy.join("; ");
}

impl Machine {
    /// Reads and checks a simulated machine file.
    pub fn from_file(path: &Path) -> Result<Self, MachineFileError> {
        let shown = path.display().to_string();
        let meta = fs::metadata(path).map_err(|source| MachineFileError::Io {
            path: shown.clone(),
            source,
        })?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(MachineFileError::TooLarge { path: shown });
        }
        let text = fs::read_to_string(path).map_err(|source| MachineFileError::Io {
            path: shown.clone(),
            source,
        })?;
        Self::from_json(&text).map_err(|reason| MachineFileError::Invalid {
            path: shown,
            reason,
        })
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        let file: FileMachine = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let size_of = |what: &str, s: &str| {
            size::parse_bytes(s).ok_or_else(|| format!("{what}: {s:?} is not a size like 500G"))
        };
        let memory = match &file.memory {
            Some(m) => size_of("memory", m)?,
            None => 4 * size::GIB,
        };
        let system_size = match &file.system_size {
            Some(s) => size_of("system_size", s)?,
            None => DEFAULT_SYSTEM_SIZE,
        };
        if file.disks.len() > MAX_DISKS {
            return Err(format!("more than {MAX_DISKS} disks"));
        }
        let mut disks = Vec::with_capacity(file.disks.len());
        let mut details = BTreeMap::new();
        for d in file.disks {
            if !is_device_path(&d.path) {
                return Err(format!("{:?} is not a device path like /dev/sda", d.path));
            }
            if disks.iter().any(|x: &Disk| x.path == d.path) {
                return Err(format!("disk {} is listed twice", d.path));
            }
            let disk_size = size_of(&d.path, &d.size)?;
            let table = match d.table.as_deref() {
                None | Some("") => String::new(),
                Some("gpt") => "gpt".into(),
                Some("mbr" | "msdos" | "dos") => "mbr".into(),
                Some(other) => return Err(format!("{}: unknown table type {other:?}", d.path)),
            };
            if d.partitions.len() > MAX_PARTITIONS {
                return Err(format!("{}: more than {MAX_PARTITIONS} partitions", d.path));
            }
            if table.is_empty() && !d.partitions.is_empty() {
                return Err(format!("{}: partitions listed but no table", d.path));
            }
            // Files give sizes only: partitions are laid out one after another from 1 MiB.
            let mut start = size::MIB;
            let mut partitions = Vec::with_capacity(d.partitions.len());
            for (i, p) in d.partitions.into_iter().enumerate() {
                if !is_device_path(&p.path) {
                    return Err(format!("{:?} is not a device path", p.path));
                }
                let mut psize = size_of(&p.path, &p.size)?;
                // People write rounded sizes ("a 128G partition filling the 128G card"): a
                // partition that overruns the disk by a rounding (up to 2% of the disk) ends
                // where the disk does. More than that is a file that cannot be true.
                let overrun = start.saturating_add(psize).saturating_sub(disk_size);
                if overrun > 0 && overrun <= (disk_size / 50).max(16 * size::MIB) {
                    psize = psize.saturating_sub(overrun);
                }
                let end = start
                    .checked_add(psize)
                    .filter(|e| *e <= disk_size)
                    .ok_or_else(|| format!("{}: partitions do not fit on {}", p.path, d.path))?;
                let label = validate::display_text(&p.label, 64);
                let fs = validate::display_text(&p.fs, 32);
                let kind = validate::display_text(&p.kind, 32);
                partitions.push(Partition {
                    number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    start,
                    size: psize,
                    description: describe_contents(&fs, &kind, &label),
                    fs,
                    kind,
                    label,
                    uuid: validate::display_text(&p.uuid, 64),
                    mountpoint: validate::display_text(&p.mountpoint, 255),
                    path: p.path,
                });
                start = end;
            }
            let mut disk = Disk {
                path: d.path,
                size: disk_size,
                model: validate::display_text(&d.model, 64),
                vendor: validate::display_text(&d.vendor, 64),
                rotational: d.rotational,
                removable: d.removable,
                transport: validate::display_text(&d.transport, 16),
                table,
                partitions,
                in_use: String::new(),
            };
            refresh_in_use(&mut disk);
            let sector = |v: Option<u32>| -> Result<u32, String> {
                match v {
                    None => Ok(512),
                    Some(s) if s.is_power_of_two() && (512..=65536).contains(&s) => Ok(s),
                    Some(s) => Err(format!("{}: {s} is not a sector size", disk.path)),
                }
            };
            details.insert(
                disk.path.clone(),
                DiskDetails {
                    logical_sector_size: sector(d.logical_sector_size)?,
                    physical_sector_size: sector(d.physical_sector_size)?,
                    holders: Vec::new(),
                },
            );
            disks.push(disk);
        }
        Ok(Self {
            firmware: file.firmware,
            memory,
            disks,
            system_size,
            details,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOWS: &str = r#"{"firmware":"uefi","memory":"32G","disks":[
      {"path":"/dev/nvme0n1","size":"1T","model":"WD_BLACK SN850X","transport":"nvme","table":"gpt",
       "partitions":[
         {"path":"/dev/nvme0n1p1","size":"100M","fs":"vfat","type":"esp","label":"SYSTEM"},
         {"path":"/dev/nvme0n1p3","size":"600G","fs":"ntfs","label":"Windows"}]}]}"#;

    #[test]
    fn reads_the_spec_format() {
        let m = Machine::from_json(WINDOWS).expect("valid");
        assert_eq!(m.firmware, Firmware::Uefi);
        assert_eq!(m.memory, 32 * size::GIB);
        let d = &m.disks[0];
        assert_eq!(d.size, size::TIB);
        assert_eq!(d.partitions[1].start, 101 * size::MIB);
        assert_eq!(
            d.partitions[1].description,
            "NTFS filesystem labelled Windows"
        );
        assert!(d.in_use.is_empty());
    }

    #[test]
    fn sector_sizes_default_to_512() {
        let m = Machine::from_json(
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"1T","physical_sector_size":4096},{"path":"/dev/sdb","size":"1T"}]}"#,
        )
        .expect("valid");
        assert_eq!(m.details["/dev/sda"].physical_sector_size, 4096);
        assert_eq!(m.details["/dev/sda"].logical_sector_size, 512);
        assert_eq!(m.details["/dev/sdb"], DiskDetails::default());
    }

    #[test]
    fn rejects_hostile_files() {
        for bad in [
            r#"{"firmware":"arm"}"#,
            r#"{"firmware":"uefi","disks":[{"path":"/etc/passwd","size":"1G"}]}"#,
            r#"{"firmware":"uefi","disks":[{"path":"/dev/../sda","size":"1G"}]}"#,
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"lots"}]}"#,
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"1G","table":"gpt","partitions":[{"path":"/dev/sda1","size":"2G"}]}]}"#,
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"1G"},{"path":"/dev/sda","size":"1G"}]}"#,
            r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"1G","physical_sector_size":1000}]}"#,
        ] {
            assert!(Machine::from_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_partition_written_as_big_as_its_disk_ends_with_it() {
        // Rounded as people write them: the one partition "128G" of a "128G" card.
        let m = Machine::from_json(
            r#"{"firmware":"uefi","disks":[{"path":"/dev/mmcblk1","size":"128G","table":"mbr",
              "partitions":[{"path":"/dev/mmcblk1p1","size":"128G","fs":"exfat"}]},
              {"path":"/dev/sda","size":"4T","table":"gpt","partitions":[
              {"path":"/dev/sda1","size":"1T"},{"path":"/dev/sda2","size":"3T"}]}]}"#,
        )
        .expect("rounded sizes are read");
        let card = &m.disks[0];
        assert_eq!(
            card.partitions[0].start + card.partitions[0].size,
            card.size
        );
        let hdd = &m.disks[1];
        assert_eq!(hdd.partitions[1].start + hdd.partitions[1].size, hdd.size);
        // What is more than a rounding is still refused.
        let over = r#"{"firmware":"uefi","disks":[{"path":"/dev/sda","size":"100G","table":"gpt",
            "partitions":[{"path":"/dev/sda1","size":"60G"},{"path":"/dev/sda2","size":"43G"}]}]}"#;
        assert!(Machine::from_json(over).is_err());
    }

    #[test]
    fn mounted_partitions_make_the_disk_busy() {
        let m = Machine::from_json(
            r#"{"firmware":"bios","disks":[{"path":"/dev/vda","size":"10G","table":"mbr",
              "partitions":[{"path":"/dev/vda1","size":"9G","fs":"ext4","mountpoint":"/"}]}]}"#,
        )
        .expect("valid");
        assert_eq!(m.disks[0].in_use, "/dev/vda1 is mounted at /");
    }

    #[test]
    fn partition_paths() {
        assert_eq!(partition_path("/dev/sda", 2), "/dev/sda2");
        assert_eq!(partition_path("/dev/nvme0n1", 2), "/dev/nvme0n1p2");
        assert_eq!(partition_path("/dev/loop3", 1), "/dev/loop3p1");
    }
}
