//! `/etc/fstab` and `/etc/crypttab` of the target, by UUID: devices are named by what is
//! on them, never by kernel names that change between boots.

use std::{fmt::Write as _, fs, path::Path};

use crate::{
    install_state::InstallState,
    stage::{
        disks::{mapper_backing, mapper_name, tools},
        ExecError, ExecResult,
    },
};

/// `/etc/fstab` and `/etc/crypttab` of the target, by UUID.
pub fn write(target_root: &str, state: &InstallState) -> ExecResult {
    let mut mounts = Vec::new();
    for (mountpoint, device) in &state.mounts {
        let uuid = tools::blkid_value(device, "UUID")
            .ok_or_else(|| ExecError::Failed(format!("{device} has no filesystem UUID")))?;
        let fstype = tools::blkid_value(device, "TYPE").unwrap_or_else(|| "auto".into());
        mounts.push(FstabEntry {
            uuid,
            mountpoint: mountpoint.clone(),
            fstype,
        });
    }
    for device in &state.swaps {
        let uuid = tools::blkid_value(device, "UUID")
            .ok_or_else(|| ExecError::Failed(format!("{device} has no swap UUID")))?;
        mounts.push(FstabEntry {
            uuid,
            mountpoint: "none".into(),
            fstype: "swap".into(),
        });
    }
    let mut crypt = Vec::new();
    for device in state.mounts.values().chain(state.swaps.iter()) {
        if let Some(name) = mapper_name(device) {
            let part = mapper_backing(name).ok_or_else(|| {
                ExecError::Failed(format!("cannot find the partition under {device}"))
            })?;
            let uuid = tools::blkid_value(&part, "UUID")
                .ok_or_else(|| ExecError::Failed(format!("{part} has no LUKS UUID")))?;
            crypt.push((name.to_owned(), uuid));
        }
    }
    let etc = Path::new(&target_root).join("etc");
    fs::create_dir_all(&etc)
        .map_err(|e| ExecError::Failed(format!("cannot create {}: {e}", etc.display())))?;
    fs::write(etc.join("fstab"), render_fstab(&mounts))
        .map_err(|e| ExecError::Failed(format!("cannot write fstab: {e}")))?;
    if !crypt.is_empty() {
        fs::write(etc.join("crypttab"), render_crypttab(&crypt))
            .map_err(|e| ExecError::Failed(format!("cannot write crypttab: {e}")))?;
    }
    Ok(())
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

/// crypttab: each LUKS volume by the UUID of its LUKS header; the passphrase is asked at
/// boot, by the initramfs (`initramfs`: Debian's cryptroot hook cannot tell from inside an
/// installer's chroot which volume holds the root, so it is told).
pub fn render_crypttab(volumes: &[(String, String)]) -> String {
    let mut out = String::from("# /etc/crypttab: written by the LevitateOS installer.\n");
    for (name, uuid) in volumes {
        let _ = writeln!(out, "{name}  UUID={uuid}  none  luks,discard,initramfs");
    }
    out
}
