//! The disk that holds `/`, created rather than assumed: on a build machine or in a
//! container `/` may be on no disk at all (an overlay), and a test that only looks at
//! whatever holds `/` would then check nothing.

use std::{process::Command, time::Duration};

use crate::{output_within, require_tool, sfdisk_layout, sh, LoopDisk};

/// Set in the rerun: the loop disk whose first partition is mounted over `/`.
const ROOT_DISK_ENV: &str = "LEVITATE_TESTKIT_ROOT_DISK";

/// For a test about the disk holding the running root. `test` is the test's path,
/// `concat!(module_path!(), "::name")`.
///
/// Called by the test as it normally runs, it prepares a loop disk with one ext4
/// partition, runs the same test again (this test binary, that test alone) in a private
/// mount namespace (`unshare --mount`) in which the partition is mounted over `/`, fails
/// unless that run passed, and returns `None`: the caller returns. Called in that rerun, it
/// mounts the partition, checks that the kernel's mount table now shows it at `/` (the
/// condition the tested code reads from `/proc/self/mountinfo`), and returns the loop disk
/// (`/dev/loopN`) for the test to check against. `/proc`, `/sys` and `/dev` still resolve
/// through the process's root, which the mount does not move. The namespace, and the
/// mount, go away with the rerun; the loop disk is detached after it.
pub fn loop_disk_as_root(test: &str) -> Option<String> {
    if let Ok(dev) = std::env::var(ROOT_DISK_ENV) {
        let part = format!("{dev}p1");
        sh(Command::new("mount").args(["-n", &part, "/"]));
        let name = part.trim_start_matches("/dev/");
        let devnum = std::fs::read_to_string(format!("/sys/class/block/{name}/dev"))
            .expect("the partition's device number");
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").expect("mountinfo");
        assert!(
            mountinfo.lines().any(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                f.len() > 4 && f[2] == devnum.trim() && f[4] == "/"
            }),
            "{part} ({}) is not mounted at / in this namespace:\n{mountinfo}",
            devnum.trim()
        );
        return Some(dev);
    }
    require_tool(&["unshare"]);
    require_tool(&["mount"]);
    let disk = LoopDisk::new(64 << 20);
    sfdisk_layout(&disk.dev, b"label: gpt\ntype=linux\n");
    sh(Command::new(require_tool(&["mkfs.ext4"])).args(["-q", &disk.part(1)]));
    // Test names in the harness leave out the crate name that module_path! starts with.
    let name = test.split_once("::").map_or(test, |(_, rest)| rest);
    let exe = std::env::current_exe().expect("the test binary");
    let out = output_within(
        Command::new("unshare")
            .args(["--mount", "--propagation", "private", "--"])
            .arg(exe)
            .args(["--exact", name, "--test-threads=1", "--nocapture"])
            .env(ROOT_DISK_ENV, &disk.dev),
        Duration::from_secs(120),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} with {} mounted over / ({}):\n{stdout}\n{}",
        disk.part(1),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    None
}
