//! Partition tables, written with `gptman` and `mbrman`. Pure file I/O on an open device (or
//! an image file in tests): nothing here talks to the kernel; `kernel.rs` tells it afterwards.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom, Write},
};

use levitate_dbus::TableKind;

use super::PartKind;
use crate::size::MIB;

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("cannot read or write the disk: {0}")]
    Io(#[from] std::io::Error),
    #[error("GPT: {0}")]
    Gpt(#[from] gptman::Error),
    #[error("MBR: {0}")]
    Mbr(#[from] mbrman::Error),
    #[error("{0}")]
    Layout(String),
}

/// A partition as the table records it, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub number: u32,
    pub start: u64,
    pub size: u64,
}

/// GPT type GUIDs (the Discoverable Partitions Specification's names).
pub const GUID_ESP: &str = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
pub const GUID_BIOS_BOOT: &str = "21686148-6449-6E6F-744E-656564454649";
pub const GUID_LINUX: &str = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
pub const GUID_SWAP: &str = "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F";

fn gpt_type(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Esp => GUID_ESP,
        PartKind::BiosBoot => GUID_BIOS_BOOT,
        PartKind::Linux => GUID_LINUX,
        PartKind::Swap => GUID_SWAP,
    }
}

fn mbr_type(kind: PartKind) -> Result<u8, TableError> {
    match kind {
        PartKind::Esp => Ok(0xef),
        PartKind::Linux => Ok(0x83),
        PartKind::Swap => Ok(0x82),
        PartKind::BiosBoot => Err(TableError::Layout(
            "a BIOS boot partition belongs on a GPT disk only".into(),
        )),
    }
}

/// A GUID's on-disk bytes: the first three fields are little-endian.
pub fn guid_bytes(text: &str) -> [u8; 16] {
    let hex: Vec<u8> = text
        .bytes()
        .filter(u8::is_ascii_hexdigit)
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap_or("00"), 16).unwrap_or(0))
        .collect();
    let mut b = [0u8; 16];
    if hex.len() == 16 {
        b.copy_from_slice(&hex);
        b[0..4].reverse();
        b[4..6].reverse();
        b[6..8].reverse();
    }
    b
}

/// A random (version 4) GUID for new disks and partitions.
fn random_guid() -> Result<[u8; 16], TableError> {
    let mut b = [0u8; 16];
    File::open("/dev/urandom")?.read_exact(&mut b)?;
    b[7] = (b[7] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Ok(b)
}

/// Bytes of the disk behind `f` (a block device or an image file).
pub fn size_of(f: &mut File) -> Result<u64, TableError> {
    Ok(f.seek(SeekFrom::End(0))?)
}

/// Zeroes the first and last MiB, where partition tables and most filesystem signatures
/// live, so that no old GPT header or superblock confuses the tools that read the new table.
fn clear_ends(f: &mut File, size: u64) -> Result<(), TableError> {
    let len = MIB.min(size);
    let zeros = vec![0u8; usize::try_from(len).unwrap_or(0)];
    f.seek(SeekFrom::Start(0))?;
    f.write_all(&zeros)?;
    f.seek(SeekFrom::Start(size - len))?;
    f.write_all(&zeros)?;
    Ok(())
}

/// Writes a new, empty table of `kind`, erasing the old one.
pub fn write_empty(f: &mut File, kind: TableKind, sector_size: u64) -> Result<(), TableError> {
    let size = size_of(f)?;
    if size < 4 * MIB {
        return Err(TableError::Layout(
            "the disk is too small for a partition table".into(),
        ));
    }
    clear_ends(f, size)?;
    match kind {
        TableKind::Gpt => {
            let mut gpt = gptman::GPT::new_from(f, sector_size, random_guid()?)?;
            gptman::GPT::write_protective_mbr_into(f, sector_size)?;
            gpt.write_into(f)?;
        }
        TableKind::Mbr => {
            let mut sig = [0u8; 4];
            sig.copy_from_slice(&random_guid()?[..4]);
            let ss = u32::try_from(sector_size)
                .map_err(|_| TableError::Layout("sector size out of range".into()))?;
            let mut mbr = mbrman::MBR::new_from(f, ss, sig)?;
            mbr.write_into(f)?;
        }
    }
    f.sync_all()?;
    Ok(())
}

/// The table on `f`: GPT when a valid GPT is there, else MBR, else none.
pub fn detect(f: &mut File, sector_size: u64) -> Option<TableKind> {
    if gptman::GPT::read_from(f, sector_size).is_ok() {
        return Some(TableKind::Gpt);
    }
    let ss = u32::try_from(sector_size).ok()?;
    let mbr = mbrman::MBR::read_from(f, ss).ok()?;
    // An all-zero sector also "parses"; a table has the 55AA signature.
    (mbr.header.boot_signature == [0x55, 0xaa]).then_some(TableKind::Mbr)
}

/// What `add` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// The same partition was there already (a step run again after a failure).
    AlreadyThere,
}

/// Adds partition `number` at `start` with `size` bytes. Running it again with the same
/// arguments changes nothing; a different partition under that number is an error.
pub fn add(
    f: &mut File,
    sector_size: u64,
    number: u32,
    start: u64,
    size: u64,
    kind: PartKind,
) -> Result<Added, TableError> {
    if start % sector_size != 0 || size % sector_size != 0 || size == 0 {
        return Err(TableError::Layout(format!(
            "partition {number} is not aligned to {sector_size}-byte sectors"
        )));
    }
    let first = start / sector_size;
    let last = (start + size) / sector_size - 1;
    match detect(f, sector_size) {
        Some(TableKind::Gpt) => {
            let mut gpt = gptman::GPT::read_from(f, sector_size)?;
            if number == 0 || number > gpt.header.number_of_partition_entries {
                return Err(TableError::Layout(format!(
                    "a GPT has no partition number {number}"
                )));
            }
            let existing = &gpt[number];
            if existing.is_used() {
                if existing.starting_lba == first && existing.ending_lba == last {
                    return Ok(Added::AlreadyThere);
                }
                return Err(TableError::Layout(format!(
                    "partition {number} already exists with another position"
                )));
            }
            if first < gpt.header.first_usable_lba || last > gpt.header.last_usable_lba {
                return Err(TableError::Layout(format!(
                    "partition {number} does not fit between sectors {} and {}",
                    gpt.header.first_usable_lba, gpt.header.last_usable_lba
                )));
            }
            if let Some((n, _)) = gpt
                .iter()
                .find(|(_, p)| p.is_used() && p.starting_lba <= last && first <= p.ending_lba)
            {
                return Err(TableError::Layout(format!(
                    "partition {number} would overlap partition {n}"
                )));
            }
            let name = match kind {
                PartKind::Esp => "EFI system",
                PartKind::BiosBoot => "BIOS boot",
                PartKind::Swap => "swap",
                PartKind::Linux => "Linux",
            };
            gpt[number] = gptman::GPTPartitionEntry {
                partition_type_guid: guid_bytes(gpt_type(kind)),
                unique_partition_guid: random_guid()?,
                starting_lba: first,
                ending_lba: last,
                attribute_bits: 0,
                partition_name: name.into(),
            };
            gpt.write_into(f)?;
        }
        Some(TableKind::Mbr) => {
            let ss = u32::try_from(sector_size)
                .map_err(|_| TableError::Layout("sector size out of range".into()))?;
            let mut mbr = mbrman::MBR::read_from(f, ss)?;
            let (Ok(first32), Ok(count32)) =
                (u32::try_from(first), u32::try_from(last - first + 1))
            else {
                return Err(TableError::Layout(
                    "an MBR table cannot address beyond 2 TiB; use GPT".into(),
                ));
            };
            let sys = mbr_type(kind)?;
            let idx = usize::try_from(number).unwrap_or(0);
            if !(1..=4).contains(&idx) {
                return Err(TableError::Layout(format!(
                    "the installer creates primary MBR partitions 1 to 4, not {number}"
                )));
            }
            let overlap = mbr.iter().find(|(i, p)| {
                *i != idx
                    && p.is_used()
                    && u64::from(p.starting_lba) <= last
                    && first < u64::from(p.starting_lba) + u64::from(p.sectors)
            });
            if let Some((n, _)) = overlap {
                return Err(TableError::Layout(format!(
                    "partition {number} would overlap partition {n}"
                )));
            }
            // Some BIOSes boot only a disk with an active partition: the first Linux one.
            let any_active = mbr.iter().any(|(_, p)| p.is_active());
            let Some(entry) = mbr.get_mut(idx) else {
                return Err(TableError::Layout(format!("no MBR slot {number}")));
            };
            if entry.is_used() {
                if entry.starting_lba == first32 && entry.sectors == count32 {
                    return Ok(Added::AlreadyThere);
                }
                return Err(TableError::Layout(format!(
                    "partition {number} already exists with another position"
                )));
            }
            *entry = mbrman::MBRPartitionEntry {
                boot: if !any_active && kind == PartKind::Linux {
                    mbrman::BOOT_ACTIVE
                } else {
                    mbrman::BOOT_INACTIVE
                },
                first_chs: mbrman::CHS::empty(),
                sys,
                last_chs: mbrman::CHS::empty(),
                starting_lba: first32,
                sectors: count32,
            };
            mbr.write_into(f)?;
        }
        None => {
            return Err(TableError::Layout(
                "the disk has no partition table to add to".into(),
            ))
        }
    }
    f.sync_all()?;
    Ok(Added::New)
}

/// A GUID's text from its on-disk bytes (the inverse of [`guid_bytes`]).
pub fn guid_text(b: &[u8; 16]) -> String {
    let hex = |r: &[u8]| {
        r.iter().fold(String::new(), |mut s, x| {
            let _ = std::fmt::Write::write_fmt(&mut s, format_args!("{x:02X}"));
            s
        })
    };
    let rev = |r: &[u8]| hex(&r.iter().rev().copied().collect::<Vec<u8>>());
    format!(
        "{}-{}-{}-{}-{}",
        rev(&b[0..4]),
        rev(&b[4..6]),
        rev(&b[6..8]),
        hex(&b[8..10]),
        hex(&b[10..16])
    )
}

/// The partitions the table on `f` records, by number.
pub fn entries(f: &mut File, sector_size: u64) -> Result<Vec<Entry>, TableError> {
    Ok(typed_entries(f, sector_size)?
        .into_iter()
        .map(|(e, _)| e)
        .collect())
}

/// The partitions the table on `f` records, each with its type: a GPT type GUID
/// (`C12A7328-...`) or an MBR type byte (`0x83`).
pub fn typed_entries(f: &mut File, sector_size: u64) -> Result<Vec<(Entry, String)>, TableError> {
    let mut out = Vec::new();
    match detect(f, sector_size) {
        Some(TableKind::Gpt) => {
            let gpt = gptman::GPT::read_from(f, sector_size)?;
            for (n, p) in gpt.iter().filter(|(_, p)| p.is_used()) {
                out.push((
                    Entry {
                        number: n,
                        start: p.starting_lba * sector_size,
                        size: (p.ending_lba + 1 - p.starting_lba) * sector_size,
                    },
                    guid_text(&p.partition_type_guid),
                ));
            }
        }
        Some(TableKind::Mbr) => {
            let ss = u32::try_from(sector_size)
                .map_err(|_| TableError::Layout("sector size out of range".into()))?;
            let mbr = mbrman::MBR::read_from(f, ss)?;
            for (n, p) in mbr.iter().filter(|(_, p)| p.is_used()) {
                let start = u64::from(p.starting_lba);
                let sectors = u64::from(p.sectors);
                // The kernel shows an extended partition as a 1 KiB stub.
                let size = if p.is_extended() {
                    1024.min(sectors * sector_size)
                } else {
                    sectors * sector_size
                };
                out.push((
                    Entry {
                        number: u32::try_from(n).unwrap_or(0),
                        start: start * sector_size,
                        size,
                    },
                    format!("{:#x}", p.sys),
                ));
            }
        }
        None => {}
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    fn image(size: u64) -> (tempfile::TempDir, std::path::PathBuf, File) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("disk.img");
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .expect("image");
        f.set_len(size).expect("sparse");
        (dir, path, f)
    }

    /// `sfdisk --json` on the image: an independent reader of what was written.
    fn sfdisk(path: &std::path::Path) -> serde_json::Value {
        let out = Command::new("sfdisk")
            .arg("--json")
            .arg(path)
            .output()
            .expect("sfdisk (package fdisk, installed by scripts/setup.sh)");
        assert!(
            out.status.success(),
            "sfdisk: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("sfdisk json")
    }

    #[test]
    fn gpt_layout_reads_back_with_sfdisk() {
        let (_dir, path, mut f) = image(64 * MIB);
        write_empty(&mut f, TableKind::Gpt, 512).expect("table");
        assert_eq!(
            add(&mut f, 512, 1, MIB, MIB, PartKind::BiosBoot).expect("p1"),
            Added::New
        );
        assert_eq!(
            add(&mut f, 512, 2, 2 * MIB, 8 * MIB, PartKind::Esp).expect("p2"),
            Added::New
        );
        assert_eq!(
            add(&mut f, 512, 3, 10 * MIB, 8 * MIB, PartKind::Swap).expect("p3"),
            Added::New
        );
        assert_eq!(
            add(&mut f, 512, 4, 18 * MIB, 40 * MIB, PartKind::Linux).expect("p4"),
            Added::New
        );
        // Idempotent: the same partition again is fine, a different one is refused.
        assert_eq!(
            add(&mut f, 512, 4, 18 * MIB, 40 * MIB, PartKind::Linux).expect("again"),
            Added::AlreadyThere
        );
        assert!(add(&mut f, 512, 4, 20 * MIB, 8 * MIB, PartKind::Linux).is_err());
        assert!(
            add(&mut f, 512, 5, 30 * MIB, 8 * MIB, PartKind::Linux).is_err(),
            "overlap"
        );
        assert!(
            add(&mut f, 512, 6, 63 * MIB, MIB, PartKind::Linux).is_err(),
            "beyond the usable end"
        );
        let t = sfdisk(&path);
        let table = &t["partitiontable"];
        assert_eq!(table["label"], "gpt");
        let parts = table["partitions"].as_array().expect("partitions");
        let got: Vec<(u64, u64, String)> = parts
            .iter()
            .map(|p| {
                (
                    p["start"].as_u64().unwrap_or(0),
                    p["size"].as_u64().unwrap_or(0),
                    p["type"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (2048, 2048, GUID_BIOS_BOOT.into()),
                (4096, 16384, GUID_ESP.into()),
                (20480, 16384, GUID_SWAP.into()),
                (36864, 81920, GUID_LINUX.into()),
            ]
        );
        let e = entries(&mut f, 512).expect("entries");
        assert_eq!(e.len(), 4);
        assert_eq!(
            e[3],
            Entry {
                number: 4,
                start: 18 * MIB,
                size: 40 * MIB
            }
        );
    }

    #[test]
    fn mbr_layout_reads_back_with_sfdisk() {
        let (_dir, path, mut f) = image(64 * MIB);
        // An old GPT first: the new MBR must not leave it behind.
        write_empty(&mut f, TableKind::Gpt, 512).expect("gpt");
        write_empty(&mut f, TableKind::Mbr, 512).expect("mbr");
        assert_eq!(detect(&mut f, 512), Some(TableKind::Mbr));
        add(&mut f, 512, 1, MIB, 16 * MIB, PartKind::Swap).expect("p1");
        add(&mut f, 512, 2, 17 * MIB, 40 * MIB, PartKind::Linux).expect("p2");
        assert!(add(&mut f, 512, 3, 60 * MIB, MIB, PartKind::BiosBoot).is_err());
        assert!(add(&mut f, 512, 5, 60 * MIB, MIB, PartKind::Linux).is_err());
        let t = sfdisk(&path);
        assert_eq!(t["partitiontable"]["label"], "dos");
        let parts = t["partitiontable"]["partitions"]
            .as_array()
            .expect("partitions");
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0]["type"], "82");
        assert_eq!(parts[1]["type"], "83");
        assert_eq!(
            parts[1]["bootable"], true,
            "the first Linux partition is active"
        );
        assert_eq!(parts[1]["start"], 34816);
    }

    #[test]
    fn blank_disks_have_no_table() {
        let (_dir, _path, mut f) = image(8 * MIB);
        assert_eq!(detect(&mut f, 512), None);
        assert!(entries(&mut f, 512).expect("entries").is_empty());
        assert!(add(&mut f, 512, 1, MIB, MIB, PartKind::Linux).is_err());
        assert!(write_empty(&mut f, TableKind::Gpt, 512).is_ok());
        let (_d2, _p2, mut tiny) = image(MIB);
        assert!(write_empty(&mut tiny, TableKind::Gpt, 512).is_err());
    }

    #[test]
    fn tables_are_read_back_with_their_types() {
        let (_dir, _path, mut f) = image(64 * MIB);
        write_empty(&mut f, TableKind::Gpt, 512).expect("gpt");
        add(&mut f, 512, 1, MIB, MIB, PartKind::BiosBoot).expect("p1");
        add(&mut f, 512, 2, 2 * MIB, 8 * MIB, PartKind::Linux).expect("p2");
        let types: Vec<String> = typed_entries(&mut f, 512)
            .expect("entries")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(types, [GUID_BIOS_BOOT, GUID_LINUX]);
        write_empty(&mut f, TableKind::Mbr, 512).expect("mbr");
        add(&mut f, 512, 1, MIB, 8 * MIB, PartKind::Swap).expect("p1");
        let e = typed_entries(&mut f, 512).expect("entries");
        assert_eq!(e[0].1, "0x82");
        assert_eq!(guid_text(&guid_bytes(GUID_ESP)), GUID_ESP);
    }

    #[test]
    fn guids_are_mixed_endian() {
        assert_eq!(
            guid_bytes(GUID_ESP)[..4],
            [0x28, 0x73, 0x2a, 0xc1],
            "first field little-endian"
        );
        assert_eq!(guid_bytes(GUID_ESP)[8..10], [0xba, 0x4b]);
    }
}
