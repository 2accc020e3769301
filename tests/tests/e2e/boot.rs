//! Proof that installs boot (`scripts/test-boot.sh`): the daemon installs the reference live
//! root onto a sandbox image through its D-Bus API, and the image boots under QEMU to its
//! login prompt, where the created user logs in and uses sudo. The script checks each
//! result from the serial console; these tests assert its verdict and what it measured.
//! About two minutes each here (TCG).

use std::{process::Command, time::Duration};

use levitate_testkit::{output_within, require_root, require_tool};

use crate::harness;

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
    eprintln!("{timing}");
}

#[test]
fn bios_gpt_ext4_with_swap_installs_and_boots() {
    boot("bios-gpt-ext4");
}

#[test]
fn bios_mbr_xfs_installs_and_boots() {
    boot("bios-mbr-xfs");
}
