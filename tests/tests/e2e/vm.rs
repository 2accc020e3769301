//! What this machine's kernel cannot do, in a Debian VM under QEMU (`harness/vm.rs`).

use std::{process::Command, time::Duration};

use levitate_testkit::{partition_types, sfdisk_parts};

use crate::harness::{self, vm::Vm};

/// The paths this machine's kernel cannot run (device-mapper for LUKS, FAT mounts, the
/// kernel's own table re-read on a virtio disk), inside a Debian VM under QEMU: the daemon on
/// the VM's real disks refuses the VM's root and a mounted disk, installs UEFI with an
/// encrypted root and swap, finishes, and installs beside a "Windows" disk reusing its ESP;
/// then a sandbox daemon with an encrypted root is stopped mid-installation and must close,
/// unmount and detach everything. The host reads the target image back with its own
/// sfdisk and cryptsetup.
#[test]
fn real_disks_inside_a_vm_luks_fat_and_dual_boot() {
    const GIB: u64 = 1 << 30;
    let unit =
        harness::vm::daemon_test_binary("vm_fstab_and_crypttab_by_uuid_on_a_real_luks_volume");
    let vm = Vm::new(
        &harness::repo_root().join("tests/vm/scenario.sh"),
        &[(unit, "daemon-tests")],
        &[8 * GIB, 8 * GIB],
    );
    let out = vm.run(Duration::from_mins(15));
    harness::vm::assert_checks(
        &out,
        &[
            "encrypted-install",
            "esp-mounted",
            "root-on-luks",
            "luks-closed",
            "dual-esp-reused",
            "windows-partitions-unchanged",
            "sandbox-encrypted",
            "sandbox-released-luks",
            "sandbox-detached",
            "unit-fstab-crypttab-on-luks",
            "no-secret-in-log",
        ],
    );
    assert!(out.contains("LEVITATE-VM-EXIT 0"), "{out}");

    // The host's own tools on the target image.
    let img = &vm.disks[0];
    let (_, parts) = sfdisk_parts(img).expect("a partition table on the target image");
    assert_eq!(
        partition_types(&parts),
        [
            "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
            "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
            "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
            "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F"
        ]
    );
    let root = &parts[2];
    let offset = root["start"].as_u64().expect("start") * 512;
    let size = root["size"].as_u64().expect("size") * 512;
    let dev = Command::new("losetup")
        .args(["--find", "--show", "--read-only"])
        .arg(format!("--offset={offset}"))
        .arg(format!("--sizelimit={size}"))
        .arg(img)
        .output()
        .expect("losetup");
    let dev = String::from_utf8_lossy(&dev.stdout).trim().to_owned();
    assert!(dev.starts_with("/dev/loop"), "{dev}");
    let test_pass = |p: &[u8]| {
        let mut c = Command::new("cryptsetup")
            .args(["open", "--test-passphrase", "--key-file=-", &dev])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("cryptsetup");
        std::io::Write::write_all(c.stdin.as_mut().expect("stdin"), p).expect("write");
        c.wait().expect("wait").success()
    };
    let (good, bad) = (test_pass(b"vm passphrase"), test_pass(b"other"));
    let _ = Command::new("losetup").args(["-d", &dev]).status();
    assert!(good, "the passphrase given on stdin opens the LUKS header");
    assert!(!bad, "another passphrase does not");
}
