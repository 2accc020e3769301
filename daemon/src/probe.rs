//! Read-only probing of the running system's disks from `/sys/block`, `/proc/self/mountinfo`
//! and `/proc/swaps`. Filesystem signatures and partition-table parsing come with the real
//! disk executors; this is what a plan preview and the safety checks need.

use std::{collections::HashMap, fs, path::Path};

use levitate_dbus::{Disk, Partition};

use crate::{
    machine::{describe_contents, refresh_in_use, Firmware, Machine},
    size, validate,
};

/// Devices that are never installation targets.
fn ignored(name: &str) -> bool {
    ["loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd"]
        .iter()
        .any(|p| name.starts_with(p))
}

fn read_trimmed(path: &Path) -> String {
    fs::read_to_string(path)
        .map(|s| validate::display_text(&s, 64))
        .unwrap_or_default()
}

fn read_u64(path: &Path) -> u64 {
    read_trimmed(path).parse().unwrap_or(0)
}

/// `major:minor` -> mount point, from the kernel's mount table.
fn mounts_by_devnum() -> HashMap<String, String> {
    let text = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let mut out = HashMap::new();
    for line in text.lines() {
        let mut f = line.split(' ');
        let (Some(_), Some(_), Some(devnum), Some(_), Some(mnt)) =
            (f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        out.entry(devnum.to_owned())
            .or_insert_with(|| mnt.to_owned());
    }
    out
}

fn active_swaps() -> Vec<String> {
    fs::read_to_string("/proc/swaps")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

fn transport(name: &str, sys: &Path) -> String {
    let target = fs::read_link(sys)
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let t = if name.starts_with("nvme") {
        "nvme"
    } else if name.starts_with("vd") {
        "virtio"
    } else if name.starts_with("mmcblk") {
        "mmc"
    } else if target.contains("/usb") {
        "usb"
    } else if target.contains("/ata") {
        "sata"
    } else {
        ""
    };
    t.to_owned()
}

/// Probes one block device under `/sys/block/NAME`.
fn probe_disk(name: &str, mounts: &HashMap<String, String>, swaps: &[String]) -> Disk {
    let sys = Path::new("/sys/block").join(name);
    let dev = format!("/dev/{name}");
    let mountpoint_of = |sysdir: &Path, devpath: &str| {
        if swaps.iter().any(|s| s == devpath) {
            return "[SWAP]".to_owned();
        }
        mounts
            .get(&read_trimmed(&sysdir.join("dev")))
            .cloned()
            .unwrap_or_default()
    };
    let mut partitions = Vec::new();
    if let Ok(entries) = fs::read_dir(&sys) {
        for e in entries.flatten() {
            let pdir = e.path();
            if !pdir.join("partition").exists() {
                continue;
            }
            let pname = e.file_name().to_string_lossy().into_owned();
            let path = format!("/dev/{pname}");
            let holders = fs::read_dir(pdir.join("holders")).map_or(0, Iterator::count);
            let mut mountpoint = mountpoint_of(&pdir, &path);
            if mountpoint.is_empty() && holders > 0 {
                "[HELD]".clone_into(&mut mountpoint);
            }
            partitions.push(Partition {
                number: u32::try_from(read_u64(&pdir.join("partition"))).unwrap_or(0),
                start: read_u64(&pdir.join("start")) * 512,
                size: read_u64(&pdir.join("size")) * 512,
                fs: String::new(),
                kind: String::new(),
                label: String::new(),
                uuid: String::new(),
                description: describe_contents("", "", ""),
                mountpoint,
                path,
            });
        }
    }
    partitions.sort_by_key(|p| p.number);
    let whole_mount = mountpoint_of(&sys, &dev);
    let mut disk = Disk {
        size: read_u64(&sys.join("size")) * 512,
        model: read_trimmed(&sys.join("device/model")),
        vendor: read_trimmed(&sys.join("device/vendor")),
        rotational: read_trimmed(&sys.join("queue/rotational")) == "1",
        removable: read_trimmed(&sys.join("removable")) == "1",
        transport: transport(name, &sys),
        table: String::new(),
        partitions,
        in_use: String::new(),
        path: dev.clone(),
    };
    refresh_in_use(&mut disk);
    if !whole_mount.is_empty() {
        let reason = format!("{dev} itself is in use ({whole_mount})");
        disk.in_use = if disk.in_use.is_empty() {
            reason
        } else {
            format!("{reason}; {}", disk.in_use)
        };
    }
    disk
}

/// The running machine as it is now.
pub fn probe_system() -> Machine {
    let mounts = mounts_by_devnum();
    let swaps = active_swaps();
    let mut names: Vec<String> = fs::read_dir("/sys/block")
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !ignored(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * size::KIB);
    Machine {
        firmware: Firmware::detect(),
        memory,
        disks: names
            .iter()
            .map(|n| probe_disk(n, &mounts, &swaps))
            .collect(),
        system_size: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_disk_holding_root_is_reported_in_use() {
        // Read-only: probes this machine and checks that whatever holds `/` says so.
        let m = probe_system();
        let root_dev = mounts_by_devnum()
            .into_iter()
            .find(|(_, mnt)| mnt == "/")
            .map(|(devnum, _)| devnum);
        if let Some(devnum) = root_dev {
            for d in &m.disks {
                let holds_root = d.partitions.iter().any(|p| p.mountpoint == "/")
                    || read_trimmed(&Path::new("/sys/block").join(&d.path[5..]).join("dev"))
                        == devnum;
                if holds_root {
                    assert!(!d.in_use.is_empty(), "{} holds / but is not in use", d.path);
                }
            }
        }
        assert!(m.disks.iter().all(|d| d.path.starts_with("/dev/")));
    }
}
