//! GRUB in the target, by the target's own tools in a chroot.

use std::{fmt::Write as _, fs, path::Path};

use crate::stage::{
    disks::{guard, mapper_name, tools},
    process::Chroot,
    ExecError, ExecResult, StepContext,
};

pub fn install(
    cx: &StepContext<'_>,
    target: &str,
    kernel_args: &str,
    os_prober: bool,
) -> ExecResult {
    let root = Path::new(&cx.config.target_root);
    let efi = target == "efi";
    check_target(root, efi)?;
    if !efi {
        check_boot_disk(target, cx.config.sandbox.as_deref())?;
    }
    write_defaults(root, kernel_args, os_prober)?;
    let chroot = Chroot::enter(&cx.config.target_root)?;
    rebuild_initramfs(root, &chroot, cx.state.config.contains_key("keyboard"))?;
    if efi {
        let mut argv = vec![
            "grub-install",
            "--target=x86_64-efi",
            "--efi-directory=/boot/efi",
            "--bootloader-id=levitate",
            // The firmware's fallback path (EFI/BOOT/BOOTX64.EFI) boots it even where the
            // boot entry is lost or could not be written.
            "--force-extra-removable",
        ];
        // The planner warned about this (`stage::host`); both read the same mount.
        if !crate::stage::host::efi_variables_writable() {
            argv.push("--no-nvram");
        }
        chroot.run(&argv, None)?;
    } else {
        chroot.run(&["grub-install", "--target=i386-pc", target], None)?;
    }
    chroot.run(&["grub-mkconfig", "-o", "/boot/grub/grub.cfg"], None)?;
    drop(chroot);
    root_by_uuid(root, cx.state.mounts.get("/").map(String::as_str))
}

/// Clear errors for a target without a kernel or GRUB.
fn check_target(root: &Path, efi: bool) -> ExecResult {
    let kernel = fs::read_dir(root.join("boot"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("vmlinuz-"));
    if !kernel {
        return Err(ExecError::Failed(
            "the new system has no kernel in /boot (install a linux-image package into the live system)".into(),
        ));
    }
    if !root.join("usr/sbin/grub-install").exists() {
        return Err(ExecError::Failed(
            "the new system has no GRUB (grub-install is missing; it needs grub2-common)".into(),
        ));
    }
    let platform = if efi { "x86_64-efi" } else { "i386-pc" };
    if !root.join("usr/lib/grub").join(platform).is_dir() {
        return Err(ExecError::Failed(format!(
            "the new system has no GRUB for {platform} (it needs {})",
            if efi {
                "grub-efi-amd64-bin"
            } else {
                "grub-pc-bin"
            }
        )));
    }
    Ok(())
}

/// GRUB writes to the disk's boot sector: never the disk of the running system, and in
/// sandbox mode only the sandbox.
fn check_boot_disk(disk: &str, sandbox: Option<&str>) -> ExecResult {
    if let Some(only) = sandbox {
        if disk != only {
            return Err(ExecError::Refused(format!(
                "{disk} is not the sandbox disk {only}; in sandbox mode nothing else is touched"
            )));
        }
    }
    let name = disk.strip_prefix("/dev/").unwrap_or(disk);
    if guard::root_disks().iter().any(|d| d == name) {
        return Err(ExecError::Refused(format!(
            "{disk} holds the running system's root filesystem"
        )));
    }
    Ok(())
}

/// The installer's GRUB settings, in a file of their own that `grub-mkconfig` reads after
/// `/etc/default/grub`. Values are validated (no shell meaning) before they get here.
fn write_defaults(root: &Path, kernel_args: &str, os_prober: bool) -> ExecResult {
    let mut text = format!(
        "# Written by the LevitateOS installer.\nGRUB_CMDLINE_LINUX=\"{kernel_args}\"\nGRUB_DISABLE_OS_PROBER={}\n",
        if os_prober { "false" } else { "true" }
    );
    if let Some(speed) = serial_speed(kernel_args) {
        let _ = write!(
            text,
            "GRUB_TERMINAL=\"console serial\"\nGRUB_SERIAL_COMMAND=\"serial --speed={speed}\"\n"
        );
    }
    let dir = root.join("etc/default/grub.d");
    fs::create_dir_all(&dir).map_err(ExecError::io(format!("cannot create {}", dir.display())))?;
    let file = dir.join("levitate-installer.cfg");
    fs::write(&file, text).map_err(ExecError::io(format!("cannot write {}", file.display())))
}

/// `console=ttyS0,115200` -> 115200: GRUB's menu then shows on the serial console too.
fn serial_speed(kernel_args: &str) -> Option<u32> {
    kernel_args.split_whitespace().find_map(|a| {
        let dev = a.strip_prefix("console=ttyS")?;
        let speed = dev.split_once(',').map_or("9600", |(_, s)| s);
        let digits: String = speed.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

/// The initramfs made for this system where the copied one does not do: with an encrypted
/// root (its crypttab, checked to hold the cryptroot configuration, or the system cannot
/// open its root at boot, and the chosen layout's keymap for the passphrase prompt), or
/// when there is none. The live system's own is generic and boots a plain root, which
/// reads no keys (initramfs-tools takes a keymap in only with cryptsetup's KEYMAP=y);
/// rebuilding costs tens of seconds, many minutes on a slow machine.
fn rebuild_initramfs(root: &Path, chroot: &Chroot, keyboard_set: bool) -> ExecResult {
    if !root.join("usr/sbin/update-initramfs").exists() {
        return Ok(());
    }
    let encrypted = crate::stage::config::encrypted_root(root);
    if encrypted
        && !root
            .join("usr/share/initramfs-tools/hooks/cryptroot")
            .exists()
    {
        return Err(ExecError::Failed(
            "the root is encrypted but the new system has no cryptsetup-initramfs: it could not unlock its root at boot".into(),
        ));
    }
    if !(encrypted || initrds(root).is_empty()) {
        return Ok(());
    }
    let mode = if initrds(root).is_empty() { "-c" } else { "-u" };
    chroot.run(&["update-initramfs", mode, "-k", "all"], None)?;
    if encrypted {
        // cryptsetup-initramfs sets KEYMAP=y, so console-setup's hook puts the layout in;
        // without console-setup (no setupcon) there is none to put.
        let keymap = keyboard_set && root.join("bin/setupcon").exists();
        for initrd in initrds(root) {
            let listing = chroot.run(&["lsinitramfs", &format!("/boot/{initrd}")], None)?;
            check_initramfs(&initrd, &listing, keymap)?;
        }
    }
    Ok(())
}

/// What an encrypted root's initramfs must hold, from its listing: the cryptroot
/// configuration (or the root cannot be unlocked) and, with a layout chosen, the console
/// keymap (or the passphrase prompt reads the keys as US).
fn check_initramfs(initrd: &str, listing: &str, keymap: bool) -> ExecResult {
    if !listing.lines().any(|l| l.ends_with("cryptroot/crypttab")) {
        return Err(ExecError::Failed(format!(
            "/boot/{initrd} has no cryptroot configuration: the system could not unlock its root at boot"
        )));
    }
    let has_keymap = listing
        .lines()
        .any(|l| l.contains("etc/console-setup/cached_") && l.ends_with(".kmap.gz"));
    if keymap && !has_keymap {
        return Err(ExecError::Failed(format!(
            "/boot/{initrd} has no console keymap: the passphrase prompt would not use the chosen keyboard layout"
        )));
    }
    Ok(())
}

fn initrds(root: &Path) -> Vec<String> {
    fs::read_dir(root.join("boot"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("initrd.img-"))
        .collect()
}

/// Without udev, `grub-mkconfig` names the root by the installer's device (`/dev/loop0p2`),
/// which the booted system does not have: name it by its filesystem UUID. A LUKS volume's
/// mapper name is stable (crypttab gives it) and stays.
fn root_by_uuid(root: &Path, device: Option<&str>) -> ExecResult {
    let cfg_path = root.join("boot/grub/grub.cfg");
    let cfg = fs::read_to_string(&cfg_path)
        .map_err(ExecError::io(format!("cannot read {}", cfg_path.display())))?;
    let Some(device) = device else {
        return Err(ExecError::Failed(
            "nothing is mounted at / in the target".into(),
        ));
    };
    let fixed = if mapper_name(device).is_some() {
        cfg
    } else {
        let uuid = tools::blkid_value(device, "UUID")
            .ok_or_else(|| ExecError::Failed(format!("{device} has no filesystem UUID")))?;
        cfg.replace(&format!("root={device} "), &format!("root=UUID={uuid} "))
            .replace(&format!("root={device}\n"), &format!("root=UUID={uuid}\n"))
    };
    let linux: Vec<&str> = fixed
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("linux"))
        .collect();
    if linux.is_empty() {
        return Err(ExecError::Failed(
            "grub-mkconfig found no kernel: the boot menu is empty".into(),
        ));
    }
    if let Some(bad) = linux
        .iter()
        .find(|l| !l.contains("root=UUID=") && !l.contains("root=/dev/mapper/"))
    {
        return Err(ExecError::Failed(format!(
            "the boot menu does not name the root by UUID: {}",
            crate::validate::display_text(bad, 200)
        )));
    }
    fs::write(&cfg_path, fixed).map_err(ExecError::io(format!(
        "cannot write {}",
        cfg_path.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_without_a_kernel_or_grub_is_named_clearly() {
        let dir = tempfile::tempdir().expect("tempdir");
        let t = dir.path();
        fs::create_dir_all(t.join("boot")).expect("boot");
        let e = check_target(t, false).expect_err("no kernel").to_string();
        assert!(e.contains("no kernel in /boot"), "{e}");
        fs::write(t.join("boot/vmlinuz-6.1.0-1-amd64"), b"").expect("kernel");
        let e = check_target(t, false).expect_err("no grub").to_string();
        assert!(e.contains("no GRUB") && e.contains("grub-install"), "{e}");
        fs::create_dir_all(t.join("usr/sbin")).expect("sbin");
        fs::write(t.join("usr/sbin/grub-install"), b"").expect("grub-install");
        let e = check_target(t, true)
            .expect_err("no EFI platform")
            .to_string();
        assert!(
            e.contains("x86_64-efi") && e.contains("grub-efi-amd64-bin"),
            "{e}"
        );
        fs::create_dir_all(t.join("usr/lib/grub/i386-pc")).expect("i386-pc");
        check_target(t, false).expect("BIOS GRUB and a kernel are enough");
    }

    #[test]
    fn an_encrypted_roots_initramfs_needs_its_crypttab_and_the_chosen_keymap() {
        let crypttab = "usr/lib/x86_64-linux-gnu/libcryptsetup.so.12\ncryptroot/crypttab\n";
        let with_keymap = format!("{crypttab}etc/console-setup/cached_UTF-8_del.kmap.gz\n");
        let initrd = "initrd.img-6.1.0-28-amd64";

        let no_crypttab = check_initramfs(initrd, "usr/bin/cryptsetup\n", false)
            .expect_err("no crypttab")
            .to_string();
        let no_keymap = check_initramfs(initrd, crypttab, true)
            .expect_err("no keymap")
            .to_string();

        assert!(
            no_crypttab.contains("no cryptroot configuration"),
            "{no_crypttab}"
        );
        assert!(no_keymap.contains("no console keymap") && no_keymap.contains(initrd));
        check_initramfs(initrd, crypttab, false).expect("no layout chosen: none needed");
        check_initramfs(initrd, &with_keymap, true).expect("crypttab and keymap");
    }

    #[test]
    fn the_serial_console_speed_comes_from_the_kernel_parameters() {
        assert_eq!(serial_speed("console=ttyS0,115200"), Some(115_200));
        assert_eq!(serial_speed("quiet console=ttyS1,38400n8"), Some(38_400));
        assert_eq!(serial_speed("console=ttyS0"), Some(9600));
        assert_eq!(serial_speed("console=tty0"), None);
    }
}
