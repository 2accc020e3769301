//! Proof that installs boot (`scripts/test-boot.sh`): the daemon installs the reference live
//! root onto a sandbox image through its D-Bus API, and the image boots under QEMU to its
//! login prompt, where the created user logs in and uses sudo. The script checks each
//! result from the serial console; these tests assert its verdict and what it measured.
//! About two minutes each here (TCG).

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use levitate_testkit::{output_within, require_root, require_tool};

use crate::harness::{self, vm::Vm};

fn boot(variant: &str) {
    require_root("the install writes a loop device and mounts it");
    require_tool(&["qemu-system-x86_64"]);
    require_tool(&["unsquashfs"]);
    let out = output_within(
        Command::new("bash")
            .arg(harness::repo_root().join("scripts/test-boot.sh"))
            .arg(variant)
            .env("LEVITATE_BIN", harness::bin_dir()),
        Duration::from_mins(25),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "test-boot.sh {variant} failed:\n{stdout}\n{stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    for expected in [
        "CHECK sudo_uid=0",
        "CHECK hostname=testbox",
        "CHECK timezone=Europe/Berlin",
        "CHECK live_user=absent",
        "CHECK password_hash=yescrypt",
        "CHECK secret_in_image=absent",
        "RESULT ok",
    ] {
        assert!(
            lines.contains(&expected),
            "{expected} missing in:\n{stdout}"
        );
    }
    let timing = lines
        .iter()
        .find(|l| l.starts_with("BOOT variant="))
        .unwrap_or_else(|| panic!("no BOOT line in:\n{stdout}"));
    harness::record_timing(timing);
}

#[test]
fn bios_gpt_ext4_with_swap_installs_and_boots() {
    boot("bios-gpt-ext4");
}

#[test]
fn bios_mbr_xfs_installs_and_boots() {
    boot("bios-mbr-xfs");
}

/// The reference live root's image (built once and cached by `scripts/live-root.sh`).
fn live_image() -> PathBuf {
    let out = output_within(
        Command::new("sh").arg(harness::repo_root().join("scripts/live-root.sh")),
        Duration::from_mins(30),
    );
    assert!(
        out.status.success(),
        "scripts/live-root.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .trim(),
    );
    assert!(path.is_file(), "live-root.sh printed {}", path.display());
    path
}

/// Boots `image` with OVMF and checks it from its serial console.
fn boot_uefi(
    image: &Path,
    more_disks: &[&Path],
    dir: &Path,
    hostname: &str,
    extra: &[&str],
) -> String {
    let mut disks = Vec::new();
    for d in more_disks {
        disks.push(std::ffi::OsStr::new("--extra-disk"));
        disks.push(d.as_os_str());
    }
    let out = output_within(
        Command::new("python3")
            .arg(harness::repo_root().join("scripts/boot-check.py"))
            .arg(image)
            .args(disks)
            .args(["--uefi", "--hostname", hostname, "--user", "vince"])
            .arg("--password-file")
            .arg(dir.join("password"))
            .arg("--log")
            .arg(dir.join(format!("{hostname}.log")))
            .args(["--timeout", "900"])
            .args(["--expect", "sudo_uid=0", "--expect"])
            .arg(format!("hostname={hostname}"))
            .args(["--expect", "timezone=Europe/Berlin"])
            .args(extra),
        Duration::from_mins(16),
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.lines().any(|l| l == "RESULT ok"),
        "{hostname} did not boot as installed:\n{stdout}\n{}\nconsole tail:\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join(format!("{hostname}.log")))
            .unwrap_or_default()
            .lines()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .join("\n")
    );
    stdout
}

/// UEFI installs, which need FAT for the ESP and device-mapper for LUKS (this host has
/// neither), run by the daemon inside the project's VM on its virtio disks; each disk then
/// boots on this host with OVMF: GPT with ext4 and a btrfs `/home`, and a LUKS2 root whose
/// passphrase is typed at the initramfs prompt over the serial console. The first
/// installation also lays out a second disk for its /srv, and boots with it.
#[test]
fn uefi_installs_made_in_the_vm_boot_with_ovmf_ext4_btrfs_home_and_luks_root() {
    const GIB: u64 = 1 << 30;
    require_root("the VM's disks are image files under a root-owned cache");
    require_tool(&["qemu-system-x86_64"]);
    let ovmf = Path::new("/usr/share/OVMF/OVMF_CODE_4M.fd");
    assert!(
        ovmf.exists(),
        "OVMF is missing: scripts/setup.sh installs the ovmf package"
    );
    let image = live_image();
    let secrets = tempfile::tempdir().expect("tempdir");
    let password = format!("uefi-boot-{}-secret", std::process::id());
    std::fs::write(secrets.path().join("password"), &password).expect("password");
    std::fs::write(secrets.path().join("passphrase"), "vm luks passphrase").expect("passphrase");
    let vm = Vm::new(
        &harness::repo_root().join("tests/vm/install-uefi.sh"),
        &[
            (image, "filesystem.squashfs"),
            (secrets.path().join("password"), "password"),
            (secrets.path().join("passphrase"), "passphrase"),
        ],
        &[8 * GIB, 8 * GIB, GIB],
    );
    let out = vm.run(Duration::from_mins(45));
    harness::vm::assert_checks(
        &out,
        &[
            "uefi-btrfs-home-install",
            "data-disk-plan",
            "data-disk-alone",
            "data-disk-ext4",
            "uefi-fallback-loader",
            "uefi-luks-install",
            "luks-root-header",
            "targets-released",
            "no-secret-in-log",
        ],
    );
    for l in out.lines().filter(|l| l.starts_with("TIME ")) {
        harness::record_timing(l);
    }
    // With its second disk, whose /srv the same installation laid out (by UUID in fstab).
    let plain = boot_uefi(
        &vm.disks[0],
        &[&vm.disks[2]],
        secrets.path(),
        "uefibox",
        &[
            "--check",
            "home_fstype=findmnt -no FSTYPE /home",
            "--expect",
            "home_fstype=btrfs",
            "--check",
            "srv_source=findmnt -no SOURCE /srv",
            "--expect",
            "srv_source=/dev/vdb1",
            "--check",
            "srv_fstype=findmnt -no FSTYPE /srv",
            "--expect",
            "srv_fstype=ext4",
            "--check",
            "root_fstype=findmnt -no FSTYPE /",
            "--expect",
            "root_fstype=ext4",
        ],
    );
    let passphrase = secrets.path().join("passphrase");
    let encrypted = boot_uefi(
        &vm.disks[1],
        &[],
        secrets.path(),
        "luksbox",
        &[
            "--luks-passphrase-file",
            passphrase.to_str().expect("utf-8"),
            "--check",
            "root_source=findmnt -no SOURCE /",
            "--expect",
            "root_source=/dev/mapper/luks-root",
            // os-prober found the system installed on the other disk at install time.
            "--check",
            "other_system_entry=sudo -n grep -c \"^menuentry '.*(on /dev/vdc\" /boot/grub/grub.cfg",
            "--check",
            "xkb_layout=. /etc/default/keyboard; echo $XKBLAYOUT",
            "--expect",
            "xkb_layout=de",
            // The German map in the initramfs the passphrase was typed into: key 21 is z
            // (on a US map, y).
            "--check",
            "initramfs_key21=d=$(mktemp -d); sudo -n unmkinitramfs /boot/initrd.img-$(uname -r) $d; sudo -n sh -c \"cat $d/*/etc/console-setup/* $d/etc/console-setup/* 2>/dev/null\" | grep -o '^keycode 21 = +U+007[9a]' | head -1",
            "--expect",
            "initramfs_key21=keycode 21 = +U+007a",
        ],
    );
    let entries = encrypted
        .lines()
        .find_map(|l| l.strip_prefix("CHECK other_system_entry="))
        .and_then(|n| n.trim().parse::<u32>().ok())
        .unwrap_or(0);
    assert!(
        entries >= 1,
        "no boot menu entry for the system on the other disk:\n{encrypted}"
    );
    for l in plain.lines().chain(encrypted.lines()) {
        if l.starts_with("CHECK boot_seconds") {
            harness::record_timing(&format!("uefi {l}"));
        }
    }
    // The test password is nowhere on either disk (the encrypted one is ciphertext anyway;
    // its /boot and ESP are not).
    for disk in &vm.disks {
        let found = Command::new("grep")
            .args(["-a", "-q", "-F", &password])
            .arg(disk)
            .status()
            .expect("grep");
        assert!(!found.success(), "the password is on {}", disk.display());
    }
}
