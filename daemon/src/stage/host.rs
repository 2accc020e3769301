//! What this machine's kernel and tools let the stages do, read when a plan is made, so
//! that a plan that cannot run is refused (or warned about) before `Proceed?`, not halfway
//! through a job: an encrypted root on a kernel without device-mapper formats its LUKS
//! header and then fails at `cryptsetup open`. Simulation plans against [`Host::capable`].

use std::{
    fs,
    path::{Path, PathBuf},
};

use super::disks::{DiskOp, Fs};
use crate::{
    machine::Machine,
    ops::Operation,
    plan::{PlanError, Step},
    stage::bootloader::BootloaderOp,
};

/// The programs the disk stage runs, by what they make.
const TOOLS: [&str; 6] = [
    "mkfs.vfat",
    "mkfs.ext4",
    "mkfs.btrfs",
    "mkfs.xfs",
    "mkswap",
    "cryptsetup",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// device-mapper with its crypt target (loaded, built in, or a module the kernel can
    /// load): LUKS volumes can be opened.
    pub dm_crypt: bool,
    /// The kernel mounts FAT (vfat registered, built in, or loadable): the EFI system
    /// partition can be mounted at `/boot/efi`.
    pub fat_mount: bool,
    /// EFI variables are mounted writable: `grub-install` can add a boot entry.
    pub efi_variables: bool,
    /// Of [`TOOLS`], the ones not installed.
    pub missing_tools: Vec<&'static str>,
}

impl Host {
    /// A machine that can do everything: what a simulated machine is.
    pub fn capable() -> Self {
        Self {
            dm_crypt: true,
            fat_mount: true,
            efi_variables: true,
            missing_tools: Vec::new(),
        }
    }

    /// The running system.
    pub fn probe() -> Self {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
        // A daemon started with a user's PATH still finds the administrator's tools.
        dirs.extend(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from));
        Self::probe_at(Path::new("/"), &dirs)
    }

    /// The system whose `/proc`, `/sys`, `/dev` and `/lib/modules` are under `root`, with
    /// programs looked up in `path` (tests give a made-up tree).
    pub fn probe_at(root: &Path, path: &[PathBuf]) -> Self {
        let read = |p: &str| fs::read_to_string(root.join(p)).unwrap_or_default();
        let release = read("proc/sys/kernel/osrelease").trim().to_owned();
        let modules = root.join("lib/modules").join(&release);
        let builtin = fs::read_to_string(modules.join("modules.builtin")).unwrap_or_default();
        // Loaded (or built in with parameters), listed as built in, or on disk to load.
        let module = |name: &str, file: &str| {
            root.join("sys/module").join(name).exists()
                || (!release.is_empty()
                    && (builtin.lines().any(|l| l == format!("kernel/{file}.ko"))
                        || ["", ".xz", ".zst", ".gz"]
                            .iter()
                            .any(|ext| modules.join(format!("kernel/{file}.ko{ext}")).exists())))
        };
        let device_mapper = (read("proc/misc")
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some("device-mapper"))
            && root.join("dev/mapper/control").exists())
            || module("dm_mod", "drivers/md/dm-mod");
        let fat_mount = read("proc/filesystems")
            .lines()
            .any(|l| l.split_whitespace().last() == Some("vfat"))
            || module("vfat", "fs/fat/vfat");
        Self {
            dm_crypt: device_mapper && module("dm_crypt", "drivers/md/dm-crypt"),
            fat_mount,
            efi_variables: efi_variables_writable_in(&read("proc/self/mountinfo")),
            missing_tools: TOOLS
                .into_iter()
                .filter(|t| !path.iter().any(|d| is_program(&d.join(t))))
                .collect(),
        }
    }
}

fn is_program(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Whether EFI variables are mounted writable here (`grub-install` then adds a boot entry;
/// otherwise it must be told `--no-nvram`).
pub fn efi_variables_writable() -> bool {
    efi_variables_writable_in(&fs::read_to_string("/proc/self/mountinfo").unwrap_or_default())
}

fn efi_variables_writable_in(mountinfo: &str) -> bool {
    mountinfo.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.get(4) == Some(&"/sys/firmware/efi/efivars")
            && f.get(5).is_some_and(|o| o.split(',').any(|o| o == "rw"))
    })
}

fn tool(fs: Fs) -> &'static str {
    match fs {
        Fs::Vfat => "mkfs.vfat",
        Fs::Ext4 => "mkfs.ext4",
        Fs::Btrfs => "mkfs.btrfs",
        Fs::Xfs => "mkfs.xfs",
        Fs::Swap => "mkswap",
    }
}

/// Checks a plan's steps against what `host` can do: what cannot run is refused with the
/// reason and a way out; what runs in a lesser way is a warning.
pub fn check(
    steps: &[Step],
    machine: &Machine,
    host: &Host,
    warnings: &mut Vec<levitate_dbus::Notice>,
) -> Result<(), PlanError> {
    let refuse = |why: String| Err(PlanError::NotSupported(why));
    for step in steps {
        match &step.op {
            Operation::Disks(DiskOp::LuksFormat { partition, .. }) => {
                if !host.dm_crypt {
                    return refuse(format!(
                        "this machine's kernel has no device-mapper with dm-crypt, so {partition} could be encrypted but never opened (cryptsetup open would fail halfway through the job); plan the disk without encryption, or install from a system whose kernel has dm-crypt"
                    ));
                }
                if host.missing_tools.contains(&"cryptsetup") {
                    return refuse(
                        "cryptsetup is not installed here, so nothing can be encrypted; install the cryptsetup package or plan the disk without encryption".into(),
                    );
                }
            }
            Operation::Disks(DiskOp::MakeFs { fs, .. })
                if host.missing_tools.contains(&tool(*fs)) =>
            {
                return refuse(format!(
                    "{} is not installed here, so no {} can be made; choose another filesystem or install the program",
                    tool(*fs),
                    fs.as_str()
                ));
            }
            Operation::Disks(DiskOp::Mount {
                device, mountpoint, ..
            }) if !host.fat_mount && is_fat(steps, machine, device) => {
                return refuse(format!(
                    "this machine's kernel cannot mount FAT filesystems (no vfat driver), so {device} cannot be mounted at {mountpoint}; install from a system whose kernel has vfat"
                ));
            }
            Operation::Bootloader(BootloaderOp::InstallBootloader { target, .. })
                if target == "efi" && !host.efi_variables =>
            {
                warnings.push(crate::plan::notice(
                    "efi-fallback-path",
                    "EFI variables cannot be written on this machine: GRUB goes to the firmware's fallback path (EFI/BOOT/BOOTX64.EFI) and no boot entry is added.".into(),
                    &[],
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether `device` holds FAT: made so by the plan, or found so on the disk.
fn is_fat(steps: &[Step], machine: &Machine, device: &str) -> bool {
    let made = steps.iter().rev().find_map(|s| match &s.op {
        Operation::Disks(DiskOp::MakeFs { device: d, fs, .. }) if d == device => Some(*fs),
        _ => None,
    });
    match made {
        Some(fs) => fs == Fs::Vfat,
        None => machine
            .partition(device)
            .is_some_and(|(_, p)| p.fs == "vfat"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    }

    #[test]
    fn a_kernel_without_device_mapper_or_fat_and_without_tools_is_read_as_such() {
        // As this project's build machine: no device-mapper, no vfat, no /lib/modules.
        let root = tempfile::tempdir().expect("root");
        write(root.path(), "proc/sys/kernel/osrelease", "6.1.0-test\n");
        write(root.path(), "proc/misc", "229 fuse\n237 loop-control\n");
        write(
            root.path(),
            "proc/filesystems",
            "nodev\tsysfs\n\text4\n\tbtrfs\n",
        );
        write(
            root.path(),
            "proc/self/mountinfo",
            "24 1 0:22 / /sys/firmware/efi/efivars ro,nosuid - efivarfs efivarfs ro\n",
        );
        let host = Host::probe_at(root.path(), &[root.path().join("bin")]);
        assert!(
            !host.dm_crypt && !host.fat_mount && !host.efi_variables,
            "{host:?}"
        );
        assert_eq!(host.missing_tools, TOOLS);
    }

    #[test]
    fn loaded_or_loadable_modules_and_installed_tools_count() {
        let root = tempfile::tempdir().expect("root");
        let r = root.path();
        write(r, "proc/sys/kernel/osrelease", "6.1.0-test\n");
        write(r, "proc/misc", "236 device-mapper\n");
        write(r, "dev/mapper/control", "");
        write(
            r,
            "lib/modules/6.1.0-test/kernel/drivers/md/dm-crypt.ko.xz",
            "",
        );
        write(
            r,
            "lib/modules/6.1.0-test/modules.builtin",
            "kernel/fs/fat/vfat.ko\n",
        );
        write(
            r,
            "proc/self/mountinfo",
            "24 1 0:22 / /sys/firmware/efi/efivars rw,nosuid,nodev - efivarfs efivarfs rw\n",
        );
        for t in ["mkfs.ext4", "mkswap"] {
            write(r, &format!("bin/{t}"), "");
            let mut perms = fs::metadata(r.join("bin").join(t))
                .expect("meta")
                .permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
            fs::set_permissions(r.join("bin").join(t), perms).expect("chmod");
        }
        let host = Host::probe_at(r, &[r.join("bin")]);
        assert!(
            host.dm_crypt && host.fat_mount && host.efi_variables,
            "{host:?}"
        );
        assert_eq!(
            host.missing_tools,
            ["mkfs.vfat", "mkfs.btrfs", "mkfs.xfs", "cryptsetup"]
        );
        // device-mapper itself missing: the crypt target alone is not enough.
        fs::remove_file(r.join("dev/mapper/control")).expect("rm");
        assert!(!Host::probe_at(r, &[]).dm_crypt);
    }
}
