//! Sandbox mode: the real executor on the daemon's own sparse image, read back with sfdisk,
//! blkid, findmnt and `/proc/swaps`.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use levitate_testkit::{blkid_type, findmnt_source, partition_types, sfdisk_parts};

use crate::harness::{code, stderr, Harness, Options, LIVE_USER};

/// The daemon in sandbox mode on an image of `size`, with `firmware` (`--firmware=bios`).
fn sandbox_harness(size: &'static str, firmware: &'static str) -> Harness {
    Harness::start(Options {
        sandbox: Some(size),
        daemon_args: vec![firmware],
        ..Options::default()
    })
}

fn sandbox_disk(h: &Harness) -> String {
    let disks = h.ctl_json(Some(LIVE_USER), &["disks"]);
    let disks = disks.as_array().expect("disks");
    assert_eq!(
        disks.len(),
        1,
        "the sandbox image is the only disk: {disks:?}"
    );
    assert_eq!(disks[0]["model"], "LevitateOS sandbox image");
    // Manager.DiskDetails, read from sysfs: a loop device has 512-byte sectors.
    assert_eq!(disks[0]["details"]["logical_sector_size"], 512, "{disks:?}");
    assert!(disks[0]["details"]["holders"].is_array(), "{disks:?}");
    disks[0]["path"].as_str().expect("path").to_owned()
}

/// A whole installation's disk part, for real, on the daemon's sandbox image: a failing
/// plan first (mkfs.xfs refuses 64 MiB) that must leave the disk as it was, then a layout
/// with swap and an xfs /home, checked with sfdisk, blkid, findmnt and /proc/swaps; then
/// finish, and on exit the daemon detaches the image.
#[test]
fn sandbox_partitions_formats_and_mounts_for_real() {
    let mut h = sandbox_harness("12G", "--firmware=bios");
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["mode"], "sandbox", "{status}");
    let dev = sandbox_disk(&h);
    assert!(dev.starts_with("/dev/loop"), "{dev}");
    assert_eq!(h.sandbox_loops(), std::slice::from_ref(&dev));

    let bad = format!(
        r#"{{"action":"partition","disk":"{dev}","scheme":[{{"mount":"/home","size":"64M","fs":"xfs"}}]}}"#
    );
    h.ctl_json(Some(LIVE_USER), &["propose", &bad]);
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_ne!(code(&out), 0, "mkfs.xfs must fail on 64 MiB");
    let status = h.ctl_json(None, &["status"]);
    let last = status["last_error"]["message"].as_str().unwrap_or("");
    assert!(
        last.contains("mkfs.xfs") && last.contains("was put back"),
        "{status}"
    );
    assert_eq!(sfdisk_parts(&dev), None, "the blank disk is blank again");
    assert_eq!(findmnt_source(&h.target_root()), "");

    let good = format!(
        r#"{{"action":"partition","disk":"{dev}","scheme":[{{"mount":"swap","size":"512M"}},{{"mount":"/home","fs":"xfs"}}]}}"#
    );
    let plan = h.ctl_json(Some(LIVE_USER), &["propose", &good]);
    assert_eq!(plan["authorization"], "org.levitateos.installer.erase-disk");
    assert!(
        plan["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|w| w.as_str().unwrap_or("").contains("not turned on here")),
        "the plan says the sandbox's swap stays off: {plan}"
    );
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(code(&out), 0, "{}\n{}", stderr(&out), h.log());
    let (label, parts) = sfdisk_parts(&dev).expect("a table");
    assert_eq!(label, "gpt");
    assert_eq!(
        partition_types(&parts),
        [
            "21686148-6449-6E6F-744E-656564454649",
            "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F",
            "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
            "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
        ]
    );
    let p = |n: u32| format!("{dev}p{n}");
    assert_eq!(blkid_type(&p(2)), "swap");
    assert_eq!(blkid_type(&p(3)), "xfs");
    assert_eq!(blkid_type(&p(4)), "ext4");
    assert_eq!(findmnt_source(&h.target_root()), p(4));
    assert_eq!(findmnt_source(&format!("{}/home", h.target_root())), p(3));
    // Regression (#14, item 9): swapon ran on this machine, making the image's swap the
    // host's. It is made for the installed system and left off here.
    assert!(
        !std::fs::read_to_string("/proc/swaps")
            .expect("swaps")
            .contains(&p(2)),
        "the sandbox's swap became this machine's"
    );
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["stages"][0]["state"], "done", "{status}");

    // Formatted: there is nothing honest left to undo.
    let said = h.ctl_json(Some(LIVE_USER), &["say", "undo"]);
    assert!(
        said["reply"]
            .as_str()
            .unwrap_or("")
            .contains("nothing to undo"),
        "{said}"
    );

    h.ctl_json(
        Some(LIVE_USER),
        &["propose", r#"{"action":"finish","reboot":false}"#],
    );
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(code(&out), 0, "{}\n{}", stderr(&out), h.log());
    assert_eq!(findmnt_source(&h.target_root()), "");
    assert!(!std::fs::read_to_string("/proc/swaps")
        .expect("swaps")
        .contains(&p(2)));
    h.stop_daemon();
    assert!(
        h.sandbox_loops().is_empty(),
        "the daemon detached its image"
    );
}

/// Regression (#14, item 5): an encrypted layout in the sandbox, on a kernel without
/// device-mapper (this build machine), was offered, then failed at `cryptsetup open` after
/// the disk had been partitioned. What the machine cannot do is refused when planning,
/// with the reason, and nothing is written; where the kernel has device-mapper it is a
/// plan like any other.
#[test]
fn sandbox_encryption_without_device_mapper_is_refused_when_planning() {
    let h = sandbox_harness("8G", "--firmware=bios");
    let dev = sandbox_disk(&h);
    let encrypted = format!(
        r#"{{"action":"partition","disk":"{dev}","scheme":[{{"mount":"/","encrypt":true}}]}}"#
    );
    let out = h.ctl(Some(LIVE_USER), &["propose", &encrypted]);
    let device_mapper = std::fs::read_to_string("/proc/misc")
        .unwrap_or_default()
        .contains("device-mapper")
        && std::path::Path::new("/dev/mapper/control").exists();
    if device_mapper {
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    } else {
        assert_eq!(code(&out), 1, "NotSupported: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("NotSupported")
                && err.contains("device-mapper")
                && err.contains("without encryption"),
            "{err}"
        );
        assert!(!err.contains(".."), "{err}");
        let status = h.ctl_json(None, &["status"]);
        assert!(
            status["pending_plans"]
                .as_array()
                .is_some_and(Vec::is_empty),
            "{status}"
        );
    }
    assert_eq!(sfdisk_parts(&dev), None, "nothing written");
}

/// Partitions only, then the daemon restarts, its image attached as another loop device:
/// it learns from its journal what it did, and undo puts the old (empty) table back.
#[test]
fn sandbox_journal_survives_a_restart_and_undo_restores_the_table() {
    let mut h = sandbox_harness("8G", "--firmware=uefi");
    let dev = sandbox_disk(&h);
    let said = h.ctl_json(Some(LIVE_USER), &["say", "undo"]);
    assert!(said["plan"].is_null(), "nothing to undo yet: {said}");
    let plan = h.ctl_json(
        Some(LIVE_USER),
        &[
            "propose",
            &format!(r#"{{"action":"partition","disk":"{dev}","format":false}}"#),
        ],
    );
    assert!(
        plan["summary"]
            .as_str()
            .unwrap_or("")
            .contains("without formatting"),
        "{plan}"
    );
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(code(&out), 0, "{}\n{}", stderr(&out), h.log());
    let (_, parts) = sfdisk_parts(&dev).expect("a table");
    assert_eq!(parts.len(), 2, "ESP and root");
    assert_eq!(blkid_type(&format!("{dev}p2")), "", "not formatted");

    // The image comes back as another loop device: its number is taken meanwhile (as a
    // test running beside this one may do). The journal's device names move with it.
    h.stop_daemon();
    let mut squatters = Vec::new();
    while !squatters
        .iter()
        .any(|l: &levitate_testkit::LoopDisk| l.dev == dev)
    {
        assert!(squatters.len() < 16, "cannot take {dev} over");
        squatters.push(levitate_testkit::LoopDisk::new(1 << 20));
    }
    h.start_daemon();
    assert!(
        h.log().contains("state picked up from the step journal"),
        "{}",
        h.log()
    );
    let dev = sandbox_disk(&h);
    assert!(squatters.iter().all(|l| l.dev != dev), "{dev} was taken");
    let said = h.ctl_json(Some(LIVE_USER), &["say", "undo"]);
    assert!(
        said["plan"].is_string(),
        "undo is offered after the restart: {said}"
    );
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(code(&out), 0, "{}\n{}", stderr(&out), h.log());
    assert_eq!(sfdisk_parts(&dev), None, "the disk is blank again");
    assert!(!std::path::Path::new(&format!("{dev}p1")).exists());
    let said = h.ctl_json(Some(LIVE_USER), &["say", "undo"]);
    assert!(said["plan"].is_null(), "undone once: {said}");
}

/// Regression (#14, item 9): an old error from an earlier sandbox run was carried into
/// the next one ("job 3 before the daemon restarted: mkfs.xfs failed ..."): a failure
/// is reported by the run it happened in. The daemon restarted on the same image (as the
/// same device) still knows what it did there (undo is offered); on a new image it starts
/// from nothing.
#[test]
fn sandbox_a_new_run_carries_no_old_error_and_a_new_image_no_old_state() {
    let mut h = sandbox_harness("8G", "--firmware=bios");
    let dev = sandbox_disk(&h);
    let confirm = |h: &Harness, json: &str| {
        h.ctl_json(Some(LIVE_USER), &["propose", json]);
        h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"])
    };
    let out = confirm(
        &h,
        &format!(r#"{{"action":"partition","disk":"{dev}","format":false}}"#),
    );
    assert_eq!(code(&out), 0, "{}\n{}", stderr(&out), h.log());
    let out = confirm(
        &h,
        &format!(
            r#"{{"action":"partition","disk":"{dev}","scheme":[{{"mount":"/home","size":"64M","fs":"xfs"}}]}}"#
        ),
    );
    assert_eq!(code(&out), 1, "mkfs.xfs fails on 64 MiB");
    let status = h.ctl_json(None, &["status"]);
    assert!(
        status["last_error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("mkfs.xfs"),
        "{status}"
    );

    h.restart_daemon_with(&[]);
    let status = h.ctl_json(None, &["status"]);
    assert!(
        status["last_error"].is_null(),
        "the last run's error came along: {status}"
    );
    // The same image still offers undo, also when it came back as another loop device (a
    // test running beside this one took the number): the journal's names move with it.
    let said = h.ctl_json(Some(LIVE_USER), &["say", "undo"]);
    assert!(
        said["plan"].is_string(),
        "the same image still offers undo: {said}"
    );

    h.stop_daemon();
    std::fs::remove_file(h.sandbox_image()).expect("remove the image");
    h.start_daemon();
    let status = h.ctl_json(None, &["status"]);
    assert!(status["last_error"].is_null(), "{status}");
    assert!(
        status["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .all(|s| s["state"] == "pending"),
        "a new image starts from nothing: {status}"
    );
    let said = h.ctl_json(Some(LIVE_USER), &["say", "undo"]);
    assert!(
        said["plan"].is_null(),
        "nothing to undo on a new image: {said}"
    );
}

/// Driving partitions by hand: partitions only, then `format` and `mount` actions.
#[test]
fn sandbox_format_and_mount_by_hand() {
    let h = sandbox_harness("8G", "--firmware=bios");
    let dev = sandbox_disk(&h);
    let too_big = h.ctl(
        Some(LIVE_USER),
        &[
            "propose",
            &format!(
                r#"{{"action":"partition","disk":"{dev}","scheme":[{{"mount":"/","size":"20G"}}]}}"#
            ),
        ],
    );
    assert_eq!(code(&too_big), 4, "InvalidArgument: {}", stderr(&too_big));
    assert!(
        stderr(&too_big).contains("not enough space"),
        "{}",
        stderr(&too_big)
    );
    assert_eq!(sfdisk_parts(&dev), None, "nothing written");
    let confirm = |json: &str| {
        h.ctl_json(Some(LIVE_USER), &["propose", json]);
        let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
        assert_eq!(code(&out), 0, "{json}: {}\n{}", stderr(&out), h.log());
    };
    confirm(&format!(
        r#"{{"action":"partition","disk":"{dev}","format":false}}"#
    ));
    let root = format!("{dev}p2");
    let refused = h.ctl(
        Some(LIVE_USER),
        &[
            "propose",
            &format!(r#"{{"action":"mount","partition":"{root}","mountpoint":"/"}}"#),
        ],
    );
    assert_ne!(code(&refused), 0, "no filesystem yet");
    assert!(
        stderr(&refused).contains("format it first"),
        "{}",
        stderr(&refused)
    );
    confirm(&format!(
        r#"{{"action":"format","partition":"{root}","fs":"btrfs"}}"#
    ));
    assert_eq!(blkid_type(&root), "btrfs");
    let said = h.ctl_json(Some(LIVE_USER), &["say", "undo"]);
    assert!(said["plan"].is_null(), "formatted: no undo: {said}");
    confirm(&format!(
        r#"{{"action":"mount","partition":"{root}","mountpoint":"/"}}"#
    ));
    assert_eq!(findmnt_source(&h.target_root()), root);
    confirm(r#"{"action":"finish","reboot":false}"#);
    assert_eq!(findmnt_source(&h.target_root()), "");
}

/// The reference live root, as the daemon's `--source`.
fn source_arg() -> &'static str {
    let out = levitate_testkit::output_within(
        std::process::Command::new("sh")
            .arg(crate::harness::repo_root().join("scripts/live-root.sh")),
        std::time::Duration::from_mins(30),
    );
    assert!(
        out.status.success(),
        "scripts/live-root.sh failed: {}",
        stderr(&out)
    );
    let image = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned();
    Box::leak(format!("--source={image}").into_boxed_str())
}

/// The daemon in sandbox mode copying from `source` (its `--source=` argument), the image
/// partitioned whole with the default layout and mounted at the target.
fn sandbox_ready_to_copy(source: &'static str) -> Harness {
    let h = Harness::start(Options {
        sandbox: Some("8G"),
        daemon_args: vec!["--firmware=bios", source],
        ..Options::default()
    });
    let dev = sandbox_disk(&h);
    h.ctl_json(
        Some(LIVE_USER),
        &[
            "propose",
            &format!(r#"{{"action":"partition","disk":"{dev}"}}"#),
        ],
    );
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(code(&out), 0, "{}\n{}", stderr(&out), h.log());
    h
}

/// Copying the live system for real: the plan names the source's real size; the job's
/// byte progress has that total and never goes back; a cancelled copy ends cancelled and
/// leaves the checklist's system stage undone; a target without room is refused before
/// anything is written, naming the target and the space needed; one whose room is taken
/// while it runs fails naming the target; then the copy goes through and keeps what a
/// system needs (a setuid binary, the live user gone, a fresh
/// machine id), with nothing left mounted inside the target.
#[test]
fn sandbox_copy_progress_cancel_and_a_full_disk() {
    let h = sandbox_ready_to_copy(source_arg());

    let plan = h.ctl_json(Some(LIVE_USER), &["propose", r#"{"action":"copy_system"}"#]);
    let copy = plan["steps"][0]["description"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        copy.starts_with("Copy the live system (") && !copy.contains("(0 B)"),
        "{plan}"
    );
    let confirmed = h.ctl_json(Some(LIVE_USER), &["plan", "confirm"]);
    let job_path = confirmed["job"].as_str().expect("job").to_owned();
    let (mut seen, mut total) = (Vec::new(), 0);
    crate::harness::with_timeout(120, async {
        let conn = h.connect().await;
        let job = crate::job_proxy(&conn, job_path.clone().try_into().expect("path")).await;
        for _ in 0..400 {
            let (b, t) = (
                job.bytes().await.expect("bytes"),
                job.total_bytes().await.expect("total"),
            );
            if t > 0 {
                seen.push(b);
                total = t;
            }
            if b > t / 4 && t > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    });
    assert!(
        total > 500 << 20,
        "the total is the source's size, known up front: {total}"
    );
    assert!(seen.len() >= 2, "progress was reported: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "never backwards: {seen:?}"
    );
    let out = h.ctl(Some(LIVE_USER), &["cancel"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = h.ctl(Some(LIVE_USER), &["watch"]);
    assert_eq!(
        code(&out),
        8,
        "a cancelled job exits 8: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["job"]["state"], "cancelled", "{status}");
    assert_ne!(status["stages"][1]["state"], "done", "{status}");

    // A target without room: refused before anything is written.
    let target = h.target_root();
    let filler = format!("{target}/filler");
    let out = std::process::Command::new("fallocate")
        .args([
            "-l",
            &(free_bytes(&target) - (200 << 20)).to_string(),
            &filler,
        ])
        .output()
        .expect("fallocate");
    assert!(out.status.success(), "{}", stderr(&out));
    h.ctl_json(Some(LIVE_USER), &["propose", r#"{"action":"copy_system"}"#]);
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stdout));
    let status = h.ctl_json(None, &["status"]);
    let msg = status["last_error"]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("not enough space on") && msg.contains(&target) && msg.contains("needs"),
        "{status}"
    );
    assert_nothing_mounted_inside(&target);
    std::fs::remove_file(&filler).expect("remove filler");

    // Room at the start, taken while the copy runs: unsquashfs's write fails.
    copy_into_a_disk_that_fills_up(&h);

    // With room, the copy goes through.
    h.ctl_json(Some(LIVE_USER), &["propose", r#"{"action":"copy_system"}"#]);
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(
        code(&out),
        0,
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        h.log()
    );
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["stages"][1]["state"], "done", "{status}");
    let meta = |p: &str| std::fs::symlink_metadata(format!("{target}{p}")).expect(p);
    let sudo = meta("/usr/bin/sudo");
    assert_eq!(
        (sudo.uid(), sudo.mode() & 0o4000),
        (0, 0o4000),
        "sudo keeps setuid root"
    );
    assert_eq!(
        meta("").permissions().mode() & 0o7777,
        0o755,
        "the target root is 0755"
    );
    let passwd = std::fs::read_to_string(format!("{target}/etc/passwd")).expect("passwd");
    assert!(
        !passwd.lines().any(|l| l.starts_with("live:")),
        "the live user is gone"
    );
    assert!(!std::path::Path::new(&format!("{target}/etc/sudoers.d/live")).exists());
    let id = std::fs::read_to_string(format!("{target}/etc/machine-id")).expect("machine-id");
    assert_eq!(id.trim().len(), 32, "{id}");
    assert_nothing_mounted_inside(&target);
}

fn assert_nothing_mounted_inside(target: &str) {
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").expect("mountinfo");
    assert!(
        !mounts.contains(&format!(" {target}/")),
        "nothing is left mounted inside the target:\n{mounts}"
    );
}

/// Free bytes of the filesystem holding `path`.
fn free_bytes(path: &str) -> u64 {
    let free = levitate_testkit::sh(std::process::Command::new("df").args([
        "--output=avail",
        "-B1",
        path,
    ]));
    free.lines()
        .last()
        .unwrap_or("0")
        .trim()
        .parse()
        .expect("df")
}

/// Proposes and confirms a copy, and once its first bytes are in, takes all the room left
/// on the target: the job must fail with a clear message naming the target, and leave
/// nothing mounted inside it. The filler is removed again.
fn copy_into_a_disk_that_fills_up(h: &Harness) {
    let target = h.target_root();
    h.ctl_json(Some(LIVE_USER), &["propose", r#"{"action":"copy_system"}"#]);
    let confirmed = h.ctl_json(Some(LIVE_USER), &["plan", "confirm"]);
    let job_path = confirmed["job"].as_str().expect("job").to_owned();
    let mut started = false;
    crate::harness::with_timeout(120, async {
        let conn = h.connect().await;
        let job = crate::job_proxy(&conn, job_path.clone().try_into().expect("path")).await;
        for _ in 0..1200 {
            if job.bytes().await.expect("bytes") > 1 << 20 {
                started = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    });
    assert!(started, "the copy never started: {}", h.log());
    let filler = format!("{target}/filler-during-copy");
    let out = std::process::Command::new("fallocate")
        .args(["-l", &free_bytes(&target).to_string(), &filler])
        .output()
        .expect("fallocate");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = h.ctl(Some(LIVE_USER), &["watch"]);
    let status = h.ctl_json(None, &["status"]);
    std::fs::remove_file(&filler).expect("remove filler");
    assert_eq!(
        code(&out),
        1,
        "the copy fails when the disk fills up: {}\n{status}",
        String::from_utf8_lossy(&out.stdout)
    );
    let msg = status["last_error"]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains(&format!("not enough space on {target}"))
            && msg.contains("filled up while copying"),
        "{status}"
    );
    assert_ne!(status["stages"][1]["state"], "done", "{status}");
    assert_nothing_mounted_inside(&target);
}

/// Copying from a directory (`--source DIR`; on a running live system `--source /`): the
/// live root unpacked into a directory is copied through the daemon by the installer's own
/// copier; an action naming any other directory is refused; a disk that fills up during
/// the copy gives a clear error; the copy keeps the fixtures' metadata (a file capability,
/// a setuid file, hard links, a sparse file, directory times).
#[test]
fn sandbox_copy_from_a_directory_source() {
    let image = source_arg().trim_start_matches("--source=").to_owned();
    let dir = tempfile::Builder::new()
        .prefix("levitate-dirsrc-")
        .tempdir_in("/var/tmp")
        .expect("tempdir");
    let root = dir.path().join("root");
    let out = levitate_testkit::output_within(
        std::process::Command::new("unsquashfs")
            .args(["-q", "-n", "-f", "-d"])
            .arg(&root)
            .arg(&image),
        std::time::Duration::from_mins(10),
    );
    assert!(out.status.success(), "unsquashfs: {}", stderr(&out));
    let root = root.to_str().expect("utf-8").to_owned();
    // squashfs keeps no ACLs; a directory does.
    levitate_testkit::sh(std::process::Command::new("setfacl").args([
        "-m",
        "u:nobody:r",
        &format!("{root}/opt/levitate-fixtures/link-a"),
    ]));
    let h = sandbox_ready_to_copy(Box::leak(format!("--source={root}").into_boxed_str()));

    let out = h.ctl(
        Some(LIVE_USER),
        &["propose", r#"{"action":"copy_system","source":"/etc"}"#],
    );
    assert_ne!(code(&out), 0, "another directory is refused");
    assert!(
        stderr(&out).contains("copies only the system it offers"),
        "{}",
        stderr(&out)
    );
    let plan = h.ctl_json(
        Some(LIVE_USER),
        &[
            "propose",
            &format!(r#"{{"action":"copy_system","source":"{root}"}}"#),
        ],
    );
    let copy = plan["steps"][0]["description"].as_str().unwrap_or("");
    assert!(
        copy.starts_with("Copy the live system (") && !copy.contains("(0 B)"),
        "{plan}"
    );
    h.ctl(Some(LIVE_USER), &["plan", "reject"]);

    copy_into_a_disk_that_fills_up(&h);

    h.ctl_json(Some(LIVE_USER), &["propose", r#"{"action":"copy_system"}"#]);
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch"]);
    assert_eq!(
        code(&out),
        0,
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        h.log()
    );
    let target = h.target_root();
    let meta = |p: &str| std::fs::symlink_metadata(format!("{target}{p}")).expect(p);
    let getcap = levitate_testkit::sh(
        std::process::Command::new("getcap").arg(format!("{target}/opt/levitate-fixtures/cap")),
    );
    assert!(getcap.contains("cap_net_raw=ep"), "{getcap:?}");
    assert_eq!(
        meta("/opt/levitate-fixtures/setuid").mode() & 0o7777,
        0o4755
    );
    assert_eq!(
        meta("/opt/levitate-fixtures/link-a").ino(),
        meta("/opt/levitate-fixtures/link-b").ino()
    );
    let sparse = meta("/opt/levitate-fixtures/sparse");
    assert!(
        sparse.len() == 64 << 20 && sparse.blocks() * 512 < 1 << 20,
        "{sparse:?}"
    );
    let null = meta("/opt/levitate-fixtures/null");
    assert!(
        null.file_type().is_char_device() && null.rdev() == 0x103,
        "{null:?}"
    );
    assert!(meta("/opt/levitate-fixtures/fifo").file_type().is_fifo());
    let acl = levitate_testkit::sh(
        std::process::Command::new("getfacl")
            .args(["-c", &format!("{target}/opt/levitate-fixtures/link-a")]),
    );
    assert!(acl.contains("user:nobody:r--"), "{acl}");
    assert_eq!(
        meta("/opt/levitate-fixtures/old-dir").mtime(),
        meta_of(&root, "/opt/levitate-fixtures/old-dir").mtime()
    );
    assert_eq!(meta("").permissions().mode() & 0o7777, 0o755);
    let passwd = std::fs::read_to_string(format!("{target}/etc/passwd")).expect("passwd");
    assert!(
        !passwd.lines().any(|l| l.starts_with("live:")),
        "the live user is gone"
    );
}

fn meta_of(root: &str, p: &str) -> std::fs::Metadata {
    std::fs::symlink_metadata(format!("{root}{p}")).expect(p)
}

/// The disk watcher (real and sandbox mode): a partition table written behind the
/// installer's back, on the sandbox image only, shows as `Manager.DisksChanged` and makes a
/// plan for that disk `Stale` without any job running.
#[test]
fn sandbox_a_disk_changed_outside_the_installer_makes_its_plans_stale() {
    use futures_util::StreamExt;

    let h = sandbox_harness("8G", "--firmware=bios");
    let dev = sandbox_disk(&h);
    assert!(dev.starts_with("/dev/loop"), "{dev}");
    let sfdisk = levitate_testkit::require_tool(&["sfdisk"]);
    crate::harness::with_timeout(90, async {
        let conn = h.connect().await;
        let m = crate::manager(&conn).await;
        let plan = m
            .propose(
                crate::wire(&format!(
                    r#"{{"action":"partition","disk":"{dev}","scheme":[{{"mount":"/"}}]}}"#
                )),
                crate::opts(),
            )
            .await
            .expect("propose");
        let p = crate::plan_proxy(&conn, plan).await;
        assert!(!p.stale().await.expect("stale"));
        let mut changed = m.receive_disks_changed().await.expect("DisksChanged");

        // Not through the installer: sfdisk on the test's own image.
        let mut child = std::process::Command::new(sfdisk)
            .args(["--quiet", &dev])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("sfdisk");
        std::io::Write::write_all(
            child.stdin.as_mut().expect("stdin"),
            b"label: gpt\n,100M,L\n",
        )
        .expect("layout");
        assert!(child.wait().expect("sfdisk").success());
        // Whether the kernel rescanned already or not, the partition node is there after.
        let _ = crate::harness::run_bounded(std::process::Command::new("partx").args(["-a", &dev]));

        tokio::time::timeout(std::time::Duration::from_secs(20), changed.next())
            .await
            .expect("no DisksChanged within 20 s of the change")
            .expect("DisksChanged stream");
        assert!(p.stale().await.expect("stale"), "the plan is stale now");
        let disks = m.list_disks(crate::opts()).await.expect("disks");
        assert_eq!(disks[0].partitions.len(), 1, "{disks:?}");
    });
}
