//! Read-only probing of the running system's disks: sizes and partitions from `/sys/block`,
//! what is mounted from `/proc/self/mountinfo` and `/proc/swaps`, and what each partition
//! holds from a low-level `blkid -p` probe (superblocks and partition entries, read
//! directly, because a live system may have no udev database), and each disk's partition
//! table read from the disk itself, which may record partitions the kernel shows no node
//! for. Labels and models are untrusted text and are cleaned before use.

use std::{collections::HashMap, fs, path::Path, process::Command};

use levitate_dbus::{Disk, Partition};

use crate::{
    machine::{describe_contents, partition_path, refresh_in_use, DiskDetails, Firmware, Machine},
    size,
    stage::disks::table,
    validate,
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
    let mut out = HashMap::new();
    for (devnum, mnt) in crate::stage::disks::mount_points() {
        out.entry(devnum).or_insert(mnt);
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

/// `KEY=VALUE` lines of `blkid -o export`.
pub fn parse_blkid_export(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
        .map(|(k, v)| (k.to_owned(), validate::display_text(v, 64)))
        .collect()
}

/// A low-level probe of one device; empty when blkid is missing or finds nothing.
fn blkid(dev: &str) -> HashMap<String, String> {
    blkid_run(Command::new("blkid").args(["-p", "-o", "export", dev]))
}

/// A low-level probe of `size` bytes at `offset` of a disk: a partition the kernel has no
/// node for.
fn blkid_at(disk: &str, offset: u64, size: u64) -> HashMap<String, String> {
    blkid_run(Command::new("blkid").args([
        "-p",
        "-o",
        "export",
        "-O",
        &offset.to_string(),
        "-S",
        &size.to_string(),
        disk,
    ]))
}

fn blkid_run(cmd: &mut Command) -> HashMap<String, String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| parse_blkid_export(&String::from_utf8_lossy(&o.stdout)))
        .unwrap_or_default()
}

/// The partitions the disk's own table records, merged with those the kernel shows.
/// Erasing the disk destroys what its table records, and the kernel may not show all of
/// it: a reattached image, or a table changed under it, has partitions without nodes. Those
/// are read from the disk at their offsets. A partition the kernel shows where the table
/// agrees keeps what only the kernel knows (mounts, holders); one the table does not
/// record stays too, since it may be in use.
fn with_table(dev: &str, sector_size: u64, kernel: Vec<Partition>) -> Vec<Partition> {
    let Some(recorded) = fs::File::open(dev)
        .ok()
        .and_then(|mut f| table::typed_entries(&mut f, sector_size).ok())
    else {
        return kernel;
    };
    let mut out: Vec<Partition> = kernel
        .into_iter()
        .filter(|k| {
            !recorded
                .iter()
                .any(|(e, _)| e.number == k.number && (e.start, e.size) != (k.start, k.size))
        })
        .collect();
    for (e, part_type) in recorded {
        if out.iter().any(|p| p.number == e.number) {
            continue;
        }
        let probed = blkid_at(dev, e.start, e.size);
        let field = |k: &str| probed.get(k).cloned().unwrap_or_default();
        let fs = field("TYPE");
        let kind = match role_from_part_type(&part_type) {
            "basic_data" => "",
            role => role,
        };
        let label = field("LABEL");
        out.push(Partition {
            number: e.number,
            start: e.start,
            size: e.size,
            description: describe_contents(&fs, kind, &label),
            fs,
            kind: kind.to_owned(),
            label,
            uuid: field("UUID"),
            mountpoint: String::new(),
            path: partition_path(dev, e.number),
        });
    }
    out.sort_by_key(|p| p.number);
    out
}

/// `PRETTY_NAME` from an os-release file's text.
pub fn pretty_name(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|l| {
        let v = l
            .strip_prefix("PRETTY_NAME=")?
            .trim()
            .trim_matches(['"', '\'']);
        let v = validate::display_text(v, 64);
        (!v.is_empty()).then_some(v)
    })
}

/// Reads os-release from a read-only mount in a private mount namespace that nothing else
/// sees and that goes away with the process, without replaying journals or logs. Symlinks
/// are resolved inside the mounted filesystem, never against the running system; btrfs
/// roots in the usual subvolumes (`@`, `root`, `@rootfs`) are looked at too.
const READ_OS_RELEASE: &str = r#"
dir=$(mktemp -d) || exit 1
mount -o "$2" "$1" "$dir" || { rmdir "$dir"; exit 1; }
for root in "" /@ /root /@rootfs; do
    f="$dir$root/etc/os-release"
    if [ -L "$f" ]; then
        t=$(readlink "$f")
        case "$t" in /*) f="$dir$root$t" ;; *) f="$dir$root/etc/$t" ;; esac
    fi
    [ -f "$f" ] && [ ! -L "$f" ] || f="$dir$root/usr/lib/os-release"
    if [ -f "$f" ] && [ ! -L "$f" ]; then head -c 4096 "$f"; break; fi
done
umount "$dir"
rmdir "$dir"
"#;

/// The Linux system installed on an unmounted filesystem, or None. ext2/3/4 are read with
/// `debugfs` (no mount at all); btrfs and xfs through [`READ_OS_RELEASE`].
fn installed_system(dev: &str, fs: &str) -> Option<String> {
    let options = match fs {
        "ext2" | "ext3" | "ext4" => {
            return ["/etc/os-release", "/usr/lib/os-release"]
                .iter()
                .find_map(|file| {
                    let out = Command::new("debugfs")
                        .args(["-R", &format!("cat {file}"), dev])
                        .stderr(std::process::Stdio::null())
                        .output()
                        .ok()?;
                    pretty_name(&String::from_utf8_lossy(&out.stdout))
                });
        }
        "xfs" => "ro,norecovery",
        "btrfs" => "ro,rescue=nologreplay",
        _ => return None,
    };
    let out = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "--", "sh", "-c"])
        .args([READ_OS_RELEASE, "sh", dev, options])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    pretty_name(&String::from_utf8_lossy(&out.stdout))
}

/// [`installed_system`], remembered per filesystem UUID: a new filesystem has a new UUID,
/// and probing runs on every request.
fn installed_system_cached(dev: &str, fs: &str, uuid: &str) -> Option<String> {
    static SEEN: std::sync::OnceLock<std::sync::Mutex<HashMap<String, Option<String>>>> =
        std::sync::OnceLock::new();
    if uuid.is_empty() {
        return installed_system(dev, fs);
    }
    let key = format!("{dev}\0{fs}\0{uuid}");
    let cache = SEEN.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let found = installed_system(dev, fs);
    if let Ok(mut c) = cache.lock() {
        if c.len() > 256 {
            c.clear();
        }
        c.insert(key, found.clone());
    }
    found
}

/// The role of a partition from its GPT type GUID or MBR type byte.
pub fn role_from_part_type(part_type: &str) -> &'static str {
    match part_type.to_ascii_lowercase().as_str() {
        "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" | "0xef" => "esp",
        "e3c9e316-0b5c-4db8-817d-f92df00215ae" => "msr",
        "de94bba4-06d1-4d40-a16a-bfd50179d6ac" | "0x27" => "recovery",
        "21686148-6449-6e6f-744e-656564454649" => "bios_boot",
        "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f" | "0x82" => "swap",
        "0fc63daf-8483-4772-8e79-3d69d8477de4"
        | "4f68bce3-e8cd-4db1-96e7-fbcaf984b709"
        | "933ac7e1-2eb4-4f13-b844-0e14e2aef915"
        | "0x83" => "linux",
        "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" | "0x7" | "0x07" => "basic_data",
        _ => "",
    }
}

/// Probes one block device under `/sys/block/NAME`.
fn probe_disk(
    name: &str,
    mounts: &HashMap<String, String>,
    swaps: &[String],
    look_inside: bool,
) -> Disk {
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
            let probed = blkid(&path);
            let field = |k: &str| probed.get(k).cloned().unwrap_or_default();
            let fs = field("TYPE");
            let mut kind = role_from_part_type(&field("PART_ENTRY_TYPE")).to_owned();
            if kind == "basic_data" {
                // Windows' data partitions and shared data partitions share one type.
                kind = String::new();
            }
            let label = field("LABEL");
            let mut description = describe_contents(&fs, &kind, &label);
            if look_inside && mountpoint.is_empty() {
                if let Some(system) = installed_system_cached(&path, &fs, &field("UUID")) {
                    description = format!("{description}, with {system} installed");
                }
            }
            partitions.push(Partition {
                number: u32::try_from(read_u64(&pdir.join("partition"))).unwrap_or(0),
                start: read_u64(&pdir.join("start")) * 512,
                size: read_u64(&pdir.join("size")) * 512,
                description,
                fs,
                kind,
                label,
                uuid: field("UUID"),
                mountpoint,
                path,
            });
        }
    }
    partitions.sort_by_key(|p| p.number);
    let sector_size = Some(read_u64(&sys.join("queue/logical_block_size")))
        .filter(|s| s.is_power_of_two() && *s >= 512)
        .unwrap_or(512);
    let partitions = with_table(&dev, sector_size, partitions);
    let whole_mount = mountpoint_of(&sys, &dev);
    let mut disk = Disk {
        size: read_u64(&sys.join("size")) * 512,
        model: read_trimmed(&sys.join("device/model")),
        vendor: read_trimmed(&sys.join("device/vendor")),
        rotational: read_trimmed(&sys.join("queue/rotational")) == "1",
        removable: read_trimmed(&sys.join("removable")) == "1",
        transport: transport(name, &sys),
        table: match blkid(&dev).get("PTTYPE").map(String::as_str) {
            Some("gpt") => "gpt".into(),
            Some("dos") => "mbr".into(),
            _ => String::new(),
        },
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

/// Sector sizes and holders of a disk, from sysfs.
fn disk_details(name: &str) -> DiskDetails {
    let sys = Path::new("/sys/block").join(name);
    let sector = |f: &str| {
        u32::try_from(read_u64(&sys.join("queue").join(f)))
            .ok()
            .filter(|s| s.is_power_of_two() && *s >= 512)
            .unwrap_or(512)
    };
    let mut holders = Vec::new();
    let mut dirs = vec![sys.clone()];
    if let Ok(entries) = fs::read_dir(&sys) {
        dirs.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.join("partition").exists()),
        );
    }
    for dir in dirs {
        for h in fs::read_dir(dir.join("holders"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let dm = read_trimmed(&h.path().join("dm/name"));
            let name = if dm.is_empty() {
                validate::display_text(&h.file_name().to_string_lossy(), 64)
            } else {
                dm
            };
            if !holders.contains(&name) {
                holders.push(name);
            }
        }
    }
    DiskDetails {
        logical_sector_size: sector("logical_block_size"),
        physical_sector_size: sector("physical_block_size"),
        holders,
    }
}

/// The running machine as it is now; with `only` (sandbox mode), that disk alone. With
/// `look_inside`, unmounted Linux filesystems are read for an installed system; the actor
/// passes false while a job runs, so that no probe touches a disk being written.
pub fn probe_system_with(only: Option<&str>, look_inside: bool) -> Machine {
    let mounts = mounts_by_devnum();
    let swaps = active_swaps();
    let mut names: Vec<String> = match only {
        Some(dev) => vec![dev.trim_start_matches("/dev/").to_owned()],
        None => fs::read_dir("/sys/block")
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !ignored(n))
                    .collect()
            })
            .unwrap_or_default(),
    };
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
            .map(|n| {
                let mut d = probe_disk(n, &mounts, &swaps, look_inside);
                if only.is_some() {
                    "LevitateOS sandbox image".clone_into(&mut d.model);
                    "loop".clone_into(&mut d.transport);
                }
                d
            })
            .collect(),
        system_size: 0,
        details: names
            .iter()
            .map(|n| (format!("/dev/{n}"), disk_details(n)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;
    use crate::testutil::{sfdisk_layout, sh, LoopDisk};

    #[test]
    fn os_release_names_are_read_and_cleaned() {
        assert_eq!(
            pretty_name("ID=fedora\nPRETTY_NAME=\"Fedora Linux 41\x1b[31m\"\n").as_deref(),
            Some("Fedora Linux 41[31m")
        );
        assert_eq!(
            pretty_name("PRETTY_NAME='Arch Linux'").as_deref(),
            Some("Arch Linux")
        );
        assert_eq!(pretty_name("NAME=x\nPRETTY_NAME=\"\"\n"), None);
        assert_eq!(pretty_name(""), None);
    }

    #[test]
    fn blkid_output_and_partition_types() {
        let p = parse_blkid_export("DEVNAME=/dev/sda1\nUUID=ABCD-1234\nTYPE=vfat\nLABEL=SYSTEM\x1b[2J\nPART_ENTRY_TYPE=c12a7328-f81f-11d2-ba4b-00a0c93ec93b\ngarbage\nlower=x\n");
        assert_eq!(p.get("TYPE").map(String::as_str), Some("vfat"));
        assert_eq!(
            p.get("LABEL").map(String::as_str),
            Some("SYSTEM[2J"),
            "control characters are dropped"
        );
        assert!(!p.contains_key("lower"));
        assert_eq!(role_from_part_type(&p["PART_ENTRY_TYPE"]), "esp");
        assert_eq!(
            role_from_part_type("E3C9E316-0B5C-4DB8-817D-F92DF00215AE"),
            "msr"
        );
        assert_eq!(role_from_part_type("0x82"), "swap");
        assert_eq!(role_from_part_type("nonsense"), "");
    }

    /// A loop device of `size` bytes laid out with the sfdisk script `layout`.
    fn laid_out(size: u64, layout: &[u8]) -> LoopDisk {
        let disk = LoopDisk::new(size);
        sfdisk_layout(&disk.dev, layout);
        disk
    }

    #[test]
    fn probes_partitions_filesystems_and_labels_on_a_loop_device() {
        let disk = laid_out(
            96 << 20,
            b"label: gpt\nsize=32MiB, type=uefi\nsize=16MiB, type=swap\ntype=linux\n",
        );
        let dev = disk.dev.clone();
        sh(Command::new("mkfs.vfat").args(["-n", "EFI", &format!("{dev}p1")]));
        sh(Command::new("mkswap").arg(format!("{dev}p2")));
        // An installed Linux system: an os-release file, written without mounting.
        let tree = tempfile::tempdir().expect("tree");
        fs::create_dir_all(tree.path().join("etc")).expect("etc");
        fs::write(
            tree.path().join("etc/os-release"),
            "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
        )
        .expect("os-release");
        sh(Command::new("mkfs.ext4")
            .args(["-q", "-L", "root", "-d"])
            .arg(tree.path())
            .arg(format!("{dev}p3")));
        let probed = probe_disk(
            dev.trim_start_matches("/dev/"),
            &mounts_by_devnum(),
            &active_swaps(),
            true,
        );
        assert_eq!(probed.table, "gpt");
        assert_eq!(probed.size, 96 << 20);
        let kinds: Vec<(&str, &str, &str)> = probed
            .partitions
            .iter()
            .map(|p| (p.kind.as_str(), p.fs.as_str(), p.label.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("esp", "vfat", "EFI"),
                ("swap", "swap", ""),
                ("linux", "ext4", "root")
            ]
        );
        assert!(probed.partitions.iter().all(|p| !p.uuid.is_empty()));
        assert_eq!(
            probed.partitions[2].description,
            "ext4 filesystem labelled root, with Debian GNU/Linux 12 (bookworm) installed"
        );
        assert!(
            probed.in_use.is_empty(),
            "nothing of it is mounted: {}",
            probed.in_use
        );
    }

    /// Installed systems on btrfs (in a subvolume, os-release a relative symlink) and xfs
    /// (an absolute symlink, which must resolve inside that filesystem, not on this machine).
    #[test]
    fn installed_systems_on_btrfs_and_xfs_are_named() {
        let disk = laid_out(
            1 << 30,
            b"label: gpt\nsize=400MiB, type=linux\nsize=400MiB, type=linux\n",
        );
        let dev = disk.dev.clone();
        let tree = tempfile::tempdir().expect("tree");
        fs::create_dir_all(tree.path().join("@/etc")).expect("etc");
        fs::create_dir_all(tree.path().join("@/usr/lib")).expect("usr/lib");
        fs::write(
            tree.path().join("@/usr/lib/os-release"),
            "PRETTY_NAME=\"Fedora Linux 41 (Workstation Edition)\"\n",
        )
        .expect("os-release");
        std::os::unix::fs::symlink(
            "../usr/lib/os-release",
            tree.path().join("@/etc/os-release"),
        )
        .expect("symlink");
        sh(Command::new("mkfs.btrfs")
            .args(["-q", "-f", "--rootdir"])
            .arg(tree.path())
            .arg(format!("{dev}p1")));
        sh(Command::new("mkfs.xfs").args(["-q", "-f", &format!("{dev}p2")]));
        let mnt = tempfile::tempdir().expect("mnt");
        sh(Command::new("mount")
            .arg(format!("{dev}p2"))
            .arg(mnt.path()));
        let write = || -> std::io::Result<()> {
            fs::create_dir_all(mnt.path().join("etc"))?;
            fs::create_dir_all(mnt.path().join("usr/lib"))?;
            fs::write(
                mnt.path().join("usr/lib/os-release"),
                "PRETTY_NAME=\"Arch Linux\"\n",
            )?;
            std::os::unix::fs::symlink("/usr/lib/os-release", mnt.path().join("etc/os-release"))
        };
        let written = write();
        sh(Command::new("umount").arg(mnt.path()));
        written.expect("xfs tree");
        let probed = probe_disk(
            dev.trim_start_matches("/dev/"),
            &mounts_by_devnum(),
            &active_swaps(),
            true,
        );
        let d: Vec<&str> = probed
            .partitions
            .iter()
            .map(|p| p.description.as_str())
            .collect();
        assert_eq!(
            d,
            [
                "btrfs filesystem, with Fedora Linux 41 (Workstation Edition) installed",
                "xfs filesystem, with Arch Linux installed"
            ]
        );
        assert!(
            !mounts_by_devnum()
                .values()
                .any(|m| m.starts_with("/tmp/tmp")),
            "nothing stays mounted"
        );
        let quiet = probe_disk(
            dev.trim_start_matches("/dev/"),
            &mounts_by_devnum(),
            &active_swaps(),
            false,
        );
        assert_eq!(quiet.partitions[1].description, "xfs filesystem");
    }

    #[test]
    fn the_disk_holding_root_is_reported_in_use() {
        // The condition is created, not assumed (`/` may be on no disk here): the test runs
        // again in a private mount namespace where a loop disk's partition is mounted over `/`.
        let Some(disk) = crate::testutil::loop_disk_as_root(concat!(
            module_path!(),
            "::the_disk_holding_root_is_reported_in_use"
        )) else {
            return;
        };
        let mut m = probe_system_with(None, false);
        // Loop devices are never listed as targets; sandbox mode probes one by name.
        m.disks.extend(probe_system_with(Some(&disk), false).disks);
        let root_devs: Vec<String> = mounts_by_devnum()
            .into_iter()
            .filter(|(_, mnt)| mnt == "/")
            .map(|(devnum, _)| devnum)
            .collect();
        let mut holding = Vec::new();
        for d in &m.disks {
            let holds_root = d.partitions.iter().any(|p| p.mountpoint == "/")
                || root_devs.contains(&read_trimmed(
                    &Path::new("/sys/block").join(&d.path[5..]).join("dev"),
                ));
            if holds_root {
                assert!(!d.in_use.is_empty(), "{} holds / but is not in use", d.path);
                holding.push(d.path.as_str());
            }
        }
        assert!(
            holding.contains(&disk.as_str()),
            "{disk} holds / but the probe does not say so: {holding:?}"
        );
        assert!(m.disks.iter().all(|d| d.path.starts_with("/dev/")));
    }
}
