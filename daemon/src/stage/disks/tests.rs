//! The real executor on loop devices that each test creates (sparse images in a temporary
//! directory) and always detaches, also when it fails. Results are read back with tools
//! that share no code with the executor: `sfdisk --json`, `blkid`, `findmnt`, `cryptsetup`.
//! These tests need root; run them with the README's test command.

use std::process::{Command, Stdio};

use levitate_dbus::Action;
use zeroize::Zeroizing;

use super::*;
use crate::testutil::{blkid_value, findmnt_source, sfdisk_layout, sh, LoopDisk};
use crate::{
    install_state::InstallState,
    job::{JobExecutor, RealExecutor},
    machine::{Firmware, Machine},
    ops::Operation,
    plan::{self as planner, PlanContext},
    probe,
    size::{GIB, MIB},
    stage::system::{render_crypttab, render_fstab, FstabEntry},
    stage::{finalize::FinalizeOp, system::SystemOp, ExecConfig, StepContext},
};
use std::path::Path;

fn sfdisk_json(dev: &str) -> serde_json::Value {
    serde_json::from_str(&sh(Command::new("sfdisk").args(["--json", dev]))).expect("json")
}

fn machine_of(disk: &LoopDisk, firmware: Firmware) -> Machine {
    let mut m = probe::probe_system_with(Some(&disk.dev), true);
    m.firmware = firmware;
    m
}

fn plan(disk: &LoopDisk, firmware: Firmware, state: &InstallState, json: &str) -> planner::Plan {
    let machine = machine_of(disk, firmware);
    let actions = Action::list_from_json(json).expect("actions");
    let target = disk.target();
    planner::plan(
        actions,
        &PlanContext {
            source: None,
            simulated: false,
            sandbox: false,
            // What these tests run needs nothing this machine lacks (VM tests run in a VM).
            host: &crate::stage::host::Host::capable(),
            machine: &machine,
            state,
            target_root: &target,
            zoneinfo: Path::new("/usr/share/zoneinfo"),
        },
    )
    .unwrap_or_else(|e| panic!("plan {json}: {e}"))
}

/// A step on its own, outside a plan: the executor reads only its operation.
fn step(op: impl Into<Operation>) -> planner::Step {
    let op = op.into();
    planner::Step::new(op.kind(), op)
}

/// The real executor as a job runs it, without the job: steps one by one on this thread,
/// each applied to the state on success.
struct Executor {
    ex: RealExecutor,
    config: ExecConfig,
    state: InstallState,
}

impl Executor {
    fn run_step(
        &mut self,
        step: &planner::Step,
        secret: Option<&Zeroizing<Vec<u8>>>,
    ) -> Result<(), String> {
        let cancel = tokio_util::sync::CancellationToken::new();
        let mut cx = StepContext {
            config: &self.config,
            state: &self.state,
            secret,
            cancel: &cancel,
            progress: &mut |_| {},
        };
        self.ex.run(step, &mut cx).map_err(|e| e.to_string())?;
        self.state.apply(&step.op);
        Ok(())
    }

    fn rollback(&mut self) -> Result<Vec<Operation>, String> {
        let ops = self
            .ex
            .rollback(&self.config, &self.state)
            .map_err(|e| e.to_string())?;
        for op in &ops {
            self.state.apply(op);
        }
        Ok(ops)
    }

    fn commit(&mut self) {
        self.ex.commit(&self.config);
    }
}

fn executor(disk: &LoopDisk, state: &InstallState) -> Executor {
    Executor {
        ex: RealExecutor::default(),
        config: ExecConfig {
            target_root: disk.target(),
            state_dir: disk.state_dir(),
            sandbox: Some(disk.dev.clone()),
            source: None,
        },
        state: state.clone(),
    }
}

/// The executor of real mode, on the test's loop disk: no sandbox limit beyond the plan,
/// which names that disk alone. For what differs in sandbox mode (swap is left off there).
fn executor_outside_sandbox(disk: &LoopDisk, state: &InstallState) -> Executor {
    let mut ex = executor(disk, state);
    ex.config.sandbox = None;
    ex
}

/// Runs every step; on the first failure rolls back and returns the error.
fn run_plan(
    ex: &mut Executor,
    state: &mut InstallState,
    p: &planner::Plan,
    secret: Option<&Zeroizing<Vec<u8>>>,
) -> Result<(), String> {
    for step in &p.steps {
        if let Err(e) = ex.run_step(step, secret) {
            ex.rollback().expect("rollback");
            return Err(e);
        }
        state.apply(&step.op);
    }
    ex.commit();
    Ok(())
}

#[test]
fn whole_disk_bios_gpt_with_swap_and_btrfs_home() {
    let disk = LoopDisk::new(24 * GIB);
    let mut state = InstallState::default();
    let p = plan(
        &disk,
        Firmware::Bios,
        &state,
        &format!(
            r#"{{"action":"partition","disk":"{}","scheme":[{{"mount":"/","size":"8G","fs":"ext4"}},{{"mount":"swap","size":"512M"}},{{"mount":"/home","fs":"btrfs"}}]}}"#,
            disk.dev
        ),
    );
    let mut ex = executor(&disk, &state);
    run_plan(&mut ex, &mut state, &p, None).expect("install");

    let t = sfdisk_json(&disk.dev);
    assert_eq!(t["partitiontable"]["label"], "gpt");
    let parts = t["partitiontable"]["partitions"].as_array().expect("parts");
    let types: Vec<&str> = parts
        .iter()
        .map(|p| p["type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        [
            table::GUID_BIOS_BOOT,
            table::GUID_LINUX,
            table::GUID_SWAP,
            table::GUID_LINUX
        ]
    );
    for p in parts {
        assert_eq!(
            p["start"].as_u64().unwrap_or(1) % 2048,
            0,
            "MiB-aligned: {p}"
        );
    }
    assert_eq!(parts[1]["size"].as_u64(), Some(8 * GIB / 512));
    assert_eq!(blkid_value(&disk.part(2), "TYPE"), "ext4");
    assert_eq!(blkid_value(&disk.part(3), "TYPE"), "swap");
    assert_eq!(blkid_value(&disk.part(4), "TYPE"), "btrfs");
    assert_eq!(findmnt_source(&disk.target()), disk.part(2));
    assert_eq!(
        findmnt_source(&format!("{}/home", disk.target())),
        disk.part(4)
    );
    // Sandbox mode leaves the image's swap off: on, it would be this machine's.
    let swaps = std::fs::read_to_string("/proc/swaps").expect("swaps");
    assert!(!swaps.contains(&disk.part(3)), "{swaps}");

    // fstab by UUID, as blkid sees the filesystems.
    ex.run_step(&step(SystemOp::WriteFstab), None)
        .expect("fstab");
    let fstab = std::fs::read_to_string(format!("{}/etc/fstab", disk.target())).expect("fstab");
    for (n, mnt, fs) in [(2, "/", "ext4"), (4, "/home", "btrfs"), (3, "none", "swap")] {
        let line = format!("UUID={}  {mnt}  {fs}", blkid_value(&disk.part(n), "UUID"));
        assert!(fstab.contains(&line), "{line} in\n{fstab}");
    }
    assert!(!Path::new(&format!("{}/etc/crypttab", disk.target())).exists());

    // Finish: nothing of the disk stays mounted or active.
    ex.run_step(&step(FinalizeOp::Finish), None)
        .expect("finish");
    assert_eq!(findmnt_source(&disk.target()), "");
    let swaps = std::fs::read_to_string("/proc/swaps").expect("swaps");
    assert!(!swaps.contains(&disk.part(3)), "{swaps}");
    assert!(
        !backup::exists(&disk.state_dir(), &disk.dev),
        "formatted: no undo"
    );
}

#[test]
fn mbr_with_xfs_root_and_ext4_home() {
    let disk = LoopDisk::new(12 * GIB);
    let mut state = InstallState::default();
    let p = plan(
        &disk,
        Firmware::Bios,
        &state,
        &format!(
            r#"{{"action":"partition","disk":"{}","table":"mbr","scheme":[{{"mount":"/","size":"6G","fs":"xfs"}},{{"mount":"/home"}}]}}"#,
            disk.dev
        ),
    );
    let mut ex = executor(&disk, &state);
    run_plan(&mut ex, &mut state, &p, None).expect("install");
    let t = sfdisk_json(&disk.dev);
    assert_eq!(t["partitiontable"]["label"], "dos");
    let parts = t["partitiontable"]["partitions"].as_array().expect("parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["type"], "83");
    assert_eq!(parts[0]["bootable"], true);
    assert_eq!(blkid_value(&disk.part(1), "TYPE"), "xfs");
    assert_eq!(blkid_value(&disk.part(2), "TYPE"), "ext4");
    assert_eq!(findmnt_source(&disk.target()), disk.part(1));
    assert_eq!(
        findmnt_source(&format!("{}/home", disk.target())),
        disk.part(2)
    );
}

/// Lays out a "Windows" disk: ESP, MSR and an NTFS partition (mkfs.ntfs) with free space
/// after it, as a machine sold with Windows has before someone shrinks C:.
fn windows_layout(disk: &LoopDisk) {
    sfdisk_layout(
        &disk.dev,
        b"label: gpt\nsize=100MiB, type=uefi\nsize=16MiB, type=E3C9E316-0B5C-4DB8-817D-F92DF00215AE\nsize=2GiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7\n",
    );
    sh(Command::new("mkfs.vfat").args(["-n", "SYSTEM", &disk.part(1)]));
    sh(Command::new("mkfs.ntfs").args(["--fast", "--quiet", "-L", "Windows", &disk.part(3)]));
}

#[test]
fn dual_boot_keeps_windows_and_undo_puts_the_old_table_back() {
    let disk = LoopDisk::new(12 * GIB);
    windows_layout(&disk);
    let before = sfdisk_json(&disk.dev);
    let ntfs_uuid = blkid_value(&disk.part(3), "UUID");
    assert!(!ntfs_uuid.is_empty());
    let mut state = InstallState::default();
    let m = machine_of(&disk, Firmware::Uefi);
    assert_eq!(m.disks[0].partitions[0].kind, "esp");
    assert_eq!(m.disks[0].partitions[2].fs, "ntfs");
    // Partitions only: the ESP is reused, nothing is formatted, so undo stays possible.
    let p = plan(
        &disk,
        Firmware::Uefi,
        &state,
        &format!(
            r#"{{"action":"partition","disk":"{}","wipe":false,"format":false}}"#,
            disk.dev
        ),
    );
    assert!(p.destroys.is_empty(), "{:?}", p.destroys);
    let mut ex = executor(&disk, &state);
    run_plan(&mut ex, &mut state, &p, None).expect("add partitions");
    let after = sfdisk_json(&disk.dev);
    let old = before["partitiontable"]["partitions"]
        .as_array()
        .expect("old");
    let new = after["partitiontable"]["partitions"]
        .as_array()
        .expect("new");
    assert_eq!(new.len(), old.len() + 1, "{after}");
    for (o, n) in old.iter().zip(new) {
        assert_eq!(o, n, "an existing partition changed");
    }
    let added = &new[3];
    let windows_end = old[2]["start"].as_u64().unwrap_or(0) + old[2]["size"].as_u64().unwrap_or(0);
    assert!(added["start"].as_u64().unwrap_or(0) >= windows_end);
    assert_eq!(added["type"], table::GUID_LINUX);
    assert_eq!(
        blkid_value(&disk.part(3), "UUID"),
        ntfs_uuid,
        "Windows is intact"
    );
    assert_eq!(state.undo_table.as_deref(), Some(disk.dev.as_str()));

    let undo = plan(&disk, Firmware::Uefi, &state, r#"{"action":"undo"}"#);
    let mut ex = executor(&disk, &state);
    run_plan(&mut ex, &mut state, &undo, None).expect("undo");
    assert_eq!(
        sfdisk_json(&disk.dev),
        before,
        "the old table is back exactly"
    );
    assert!(
        !Path::new(&disk.part(4)).exists(),
        "the kernel dropped the new partition"
    );
    assert_eq!(state.undo_table, None);
}

#[test]
fn a_failing_mkfs_puts_the_old_table_back() {
    let disk = LoopDisk::new(12 * GIB);
    windows_layout(&disk);
    let before = sfdisk_json(&disk.dev);
    let mut state = InstallState::default();
    // xfs needs 300 MB; a 64 MiB /home makes mkfs.xfs fail for real after / is made.
    let p = plan(
        &disk,
        Firmware::Uefi,
        &state,
        &format!(
            r#"{{"action":"partition","disk":"{}","scheme":[{{"mount":"/home","size":"64M","fs":"xfs"}}]}}"#,
            disk.dev
        ),
    );
    let mut ex = executor(&disk, &state);
    let err = run_plan(&mut ex, &mut state, &p, None).expect_err("mkfs.xfs fails");
    assert!(err.contains("mkfs.xfs"), "{err}");
    assert_eq!(sfdisk_json(&disk.dev), before, "the old table is back");
    assert_eq!(findmnt_source(&disk.target()), "", "nothing stays mounted");
    assert!(!backup::exists(&disk.state_dir(), &disk.dev));
}

#[test]
fn a_mounted_disk_is_refused_when_the_step_runs() {
    let disk = LoopDisk::new(256 * MIB);
    sfdisk_layout(&disk.dev, b"label: gpt\ntype=linux\n");
    sh(Command::new("mkfs.ext4").args(["-q", &disk.part(1)]));
    let elsewhere = disk.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("dir");
    sh(Command::new("mount").arg(disk.part(1)).arg(&elsewhere));
    let before = sfdisk_json(&disk.dev);
    let write_table = step(DiskOp::WriteTable {
        disk: disk.dev.clone(),
        table: levitate_dbus::TableKind::Gpt,
    });
    let mut ex = executor(&disk, &InstallState::default());
    let err = ex.run_step(&write_table, None).expect_err("refused");
    let _ = Command::new("umount").arg(&elsewhere).status();
    assert!(
        err.contains("is mounted at") && err.contains(&disk.part(1)),
        "{err}"
    );
    assert_eq!(sfdisk_json(&disk.dev), before, "nothing written");
    // And a disk other than the sandbox's is refused whatever its state.
    let other = step(DiskOp::WriteTable {
        disk: "/dev/sda".into(),
        table: levitate_dbus::TableKind::Gpt,
    });
    assert!(ex
        .run_step(&other, None)
        .expect_err("refused")
        .contains("sandbox"));
}

#[test]
fn luks_passphrase_goes_through_stdin_and_opens_the_header() {
    let disk = LoopDisk::new(64 * MIB);
    let pass = Zeroizing::new(b"correct horse battery".to_vec());
    tools::luks_format(&disk.dev, &pass).expect("luksFormat");
    let dump = sh(Command::new("cryptsetup").args(["luksDump", &disk.dev]));
    assert!(
        dump.contains("Version:       \t2") || dump.contains("Version:"),
        "{dump}"
    );
    assert!(dump.contains('2'), "LUKS2 header: {dump}");
    assert_eq!(blkid_value(&disk.dev, "TYPE"), "crypto_LUKS");
    // The header opens with that passphrase and no other (no device-mapper needed).
    let test = |p: &[u8]| {
        let mut child = Command::new("cryptsetup")
            .args(["open", "--test-passphrase", "--key-file=-", &disk.dev])
            .stdin(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("cryptsetup");
        std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), p).expect("pass");
        child.wait().expect("wait").success()
    };
    assert!(test(b"correct horse battery"));
    assert!(
        !test(b"correct horse battery\n"),
        "the key is taken verbatim"
    );
    assert!(!test(b"wrong"));
}

#[test]
fn fstab_and_crypttab_render() {
    let f = render_fstab(&[
        FstabEntry {
            uuid: "b".into(),
            mountpoint: "/home".into(),
            fstype: "xfs".into(),
        },
        FstabEntry {
            uuid: "s".into(),
            mountpoint: "none".into(),
            fstype: "swap".into(),
        },
        FstabEntry {
            uuid: "e".into(),
            mountpoint: "/boot/efi".into(),
            fstype: "vfat".into(),
        },
        FstabEntry {
            uuid: "a".into(),
            mountpoint: "/".into(),
            fstype: "ext4".into(),
        },
    ]);
    let lines: Vec<&str> = f.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "UUID=a  /  ext4  defaults  0  1",
            "UUID=b  /home  xfs  defaults  0  0",
            "UUID=e  /boot/efi  vfat  umask=0077  0  2",
            "UUID=s  none  swap  sw  0  0",
        ]
    );
    assert_eq!(
        render_crypttab(&[("luks-root".into(), "u".into())])
            .lines()
            .nth(1),
        Some("luks-root  UUID=u  none  luks,discard,initramfs")
    );
}

#[test]
fn steps_run_again_after_an_interruption_do_not_fail() {
    let disk = LoopDisk::new(12 * GIB);
    let state = InstallState::default();
    let p = plan(
        &disk,
        Firmware::Bios,
        &state,
        &format!(
            r#"{{"action":"partition","disk":"{}","scheme":[{{"mount":"swap","size":"256M"}}]}}"#,
            disk.dev
        ),
    );
    let first_mount = p
        .steps
        .iter()
        .position(|s| {
            matches!(
                s.op,
                Operation::Disks(DiskOp::Mount { .. } | DiskOp::SwapOn { .. })
            )
        })
        .expect("mounts");
    let (prepare, activate) = p.steps.split_at(first_mount);
    // Real mode: swap is turned on (once), as the sandbox never does.
    let mut ex = executor_outside_sandbox(&disk, &state);
    for s in prepare {
        ex.run_step(s, None).expect("first attempt");
    }
    // The same steps again, as after a daemon that stopped before mounting: partitions
    // already there are accepted, filesystems are made again.
    let mut ex = executor_outside_sandbox(&disk, &state);
    for s in prepare
        .iter()
        .filter(|s| !matches!(s.op, Operation::Disks(DiskOp::WriteTable { .. })))
    {
        ex.run_step(s, None)
            .unwrap_or_else(|e| panic!("{} again: {e}", s.description));
    }
    for _ in 0..2 {
        for s in activate {
            ex.run_step(s, None)
                .unwrap_or_else(|e| panic!("{}: {e}", s.description));
        }
    }
    let mounts = sh(Command::new("findmnt")
        .args(["-n", "-o", "SOURCE", "--mountpoint"])
        .arg(disk.target()));
    assert_eq!(mounts.lines().count(), 1, "mounted once: {mounts}");
    let swaps = std::fs::read_to_string("/proc/swaps").expect("swaps");
    assert_eq!(swaps.matches(&disk.part(2)).count(), 1, "{swaps}");
}

/// Needs device-mapper and FAT, which the CI machine's kernel lacks: `tests/vm/scenario.sh`
/// runs it inside the test VM (`--ignored --exact`), and the end-to-end test asserts that it
/// passed there. An encrypted UEFI install on a loop device, then fstab and crypttab written
/// by UUID and checked against blkid.
#[test]
#[ignore = "runs inside the test VM (tests/vm/scenario.sh): needs device-mapper and FAT"]
fn vm_fstab_and_crypttab_by_uuid_on_a_real_luks_volume() {
    let disk = LoopDisk::new(6 * GIB);
    let mut state = InstallState::default();
    let p = plan(
        &disk,
        Firmware::Uefi,
        &state,
        &format!(
            r#"{{"action":"partition","disk":"{}","scheme":[{{"mount":"/","encrypt":true}},{{"mount":"swap","size":"256M"}}]}}"#,
            disk.dev
        ),
    );
    let pass = Zeroizing::new(b"vm test passphrase".to_vec());
    let mut ex = executor(&disk, &state);
    run_plan(&mut ex, &mut state, &p, Some(&pass)).expect("encrypted install");
    ex.run_step(&step(SystemOp::WriteFstab), None)
        .expect("fstab");
    let etc = format!("{}/etc", disk.target());
    let fstab = std::fs::read_to_string(format!("{etc}/fstab")).expect("fstab");
    let crypttab = std::fs::read_to_string(format!("{etc}/crypttab")).expect("crypttab");
    for (dev, mnt, fs) in [
        ("/dev/mapper/luks-root".to_owned(), "/", "ext4"),
        (disk.part(2), "/boot", "ext4"),
        (disk.part(1), "/boot/efi", "vfat"),
        (disk.part(4), "none", "swap"),
    ] {
        let line = format!("UUID={}  {mnt}  {fs}", blkid_value(&dev, "UUID"));
        assert!(fstab.contains(&line), "{line} in\n{fstab}");
    }
    let luks = format!(
        "luks-root  UUID={}  none",
        blkid_value(&disk.part(3), "UUID")
    );
    assert!(crypttab.contains(&luks), "{luks} in\n{crypttab}");
    ex.run_step(&step(FinalizeOp::Finish), None)
        .expect("finish");
    assert!(!Path::new("/dev/mapper/luks-root").exists());
}

/// Regression (#14, item 4): a reattached sandbox image holding a BIOS boot and a btrfs
/// partition in its table, for which the kernel had no nodes, was described as "This erases
/// /dev/loop0: an empty partition table". What a plan erases comes from the table on the
/// disk, not from the partitions the kernel happens to show.
#[test]
fn what_erasing_destroys_is_read_from_the_table_not_from_the_kernel() {
    let disk = LoopDisk::with_image(8 * GIB, |image| {
        let mut sfdisk = Command::new("sfdisk")
            .args(["--quiet"])
            .arg(image)
            .stdin(Stdio::piped())
            .spawn()
            .expect("sfdisk");
        std::io::Write::write_all(
            sfdisk.stdin.as_mut().expect("stdin"),
            b"label: gpt\nsize=1MiB, type=21686148-6449-6E6F-744E-656564454649\nsize=300MiB, type=linux\n",
        )
        .expect("layout");
        assert!(sfdisk.wait().expect("sfdisk").success());
        // A btrfs filesystem made apart, then written where partition 2 starts (2 MiB).
        let fs = image.with_file_name("btrfs.img");
        std::fs::File::create(&fs)
            .and_then(|f| f.set_len(300 * MIB))
            .expect("fs image");
        sh(Command::new("mkfs.btrfs")
            .args(["-q", "-L", "data"])
            .arg(&fs));
        sh(Command::new("dd")
            .arg(format!("if={}", fs.display()))
            .arg(format!("of={}", image.display()))
            .args(["bs=1M", "seek=2", "conv=notrunc,sparse", "status=none"]));
    });
    assert!(
        !Path::new(&disk.part(1)).exists() && !Path::new(&disk.part(2)).exists(),
        "the kernel must have no partition nodes for this test"
    );
    let p = plan(
        &disk,
        Firmware::Bios,
        &InstallState::default(),
        &format!(r#"{{"action":"partition","disk":"{}"}}"#, disk.dev),
    );
    let erases = &p.destroys[0].text;
    assert!(
        erases.contains(": 2 partitions (")
            && erases.contains(&format!("{} 1 MiB, BIOS boot partition", disk.part(1)))
            && erases.contains(&format!(
                "{} 300 MiB, btrfs filesystem labelled data",
                disk.part(2)
            )),
        "{erases}"
    );
}
