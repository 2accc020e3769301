//! The VM harness: boots the cached Debian image (`tests/vm/build-image.sh`, run by
//! `scripts/setup.sh`) under QEMU with TCG, with a payload disk holding this build's
//! binaries and a scenario script, and extra blank disks; returns what the guest printed on
//! its serial console. For what this machine's kernel cannot do (device-mapper, FAT).

use std::{
    fs,
    io::Read,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use levitate_testkit::output_within;

use super::{bin_dir, repo_root};

pub fn cache() -> PathBuf {
    std::env::var_os("LEVITATE_VM_CACHE").map_or_else(
        || PathBuf::from("/var/cache/levitate-installer/vm"),
        PathBuf::from,
    )
}

/// The daemon's unit-test binary that holds `test` (cargo names it
/// `deps/levitate_installerd-HASH`; the newest one that lists the test wins).
pub fn daemon_test_binary(test: &str) -> PathBuf {
    let mut candidates: Vec<(std::time::SystemTime, PathBuf)> =
        fs::read_dir(bin_dir().join("deps"))
            .expect("target/debug/deps")
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("levitate_installerd-") && !n.contains('.'))
            })
            .filter_map(|p| Some((fs::metadata(&p).ok()?.modified().ok()?, p)))
            .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    candidates
        .into_iter()
        .map(|(_, p)| p)
        .find(|p| {
            let listed = output_within(
                Command::new(p).args(["--list", "--ignored"]),
                Duration::from_secs(30),
            );
            String::from_utf8_lossy(&listed.stdout).contains(test)
        })
        .unwrap_or_else(|| {
            panic!("no daemon test binary holds {test}: build it first (cargo test --workspace --no-run)")
        })
}

/// The verdict of a scenario's `CHECK name ok|FAIL` lines: none failed, and each of
/// `required` ran and passed.
pub fn assert_checks(out: &str, required: &[&str]) {
    let checks: Vec<&str> = out.lines().filter(|l| l.starts_with("CHECK ")).collect();
    let failed: Vec<&&str> = checks.iter().filter(|l| !l.ends_with(" ok")).collect();
    assert!(failed.is_empty(), "failed in the VM: {failed:?}\n{out}");
    for name in required {
        assert!(
            checks.contains(&format!("CHECK {name} ok").as_str()),
            "{name} did not run:\n{out}"
        );
    }
}

/// A VM run: the payload and disk images live in `dir` and go with it.
pub struct Vm {
    pub dir: tempfile::TempDir,
    pub disks: Vec<PathBuf>,
}

impl Vm {
    /// Prepares a payload with the daemon, the CLI, the D-Bus policy, `scenario` as
    /// `run.sh` (which sources `common.sh`, copied beside it) and `extra` files (source, name in the payload), and `disks` blank sparse
    /// disks of the given sizes (vdc, vdd, ...).
    pub fn new(scenario: &Path, extra: &[(PathBuf, &str)], disks: &[u64]) -> Self {
        assert!(
            cache().join("ready-2").exists(),
            "the VM image is missing in {}: run scripts/setup.sh (tests/vm/build-image.sh)",
            cache().display()
        );
        let dir = tempfile::Builder::new()
            .prefix("levitate-vm-")
            .tempdir()
            .expect("tempdir");
        let payload = dir.path().join("payload");
        fs::create_dir(&payload).expect("payload dir");
        for bin in ["levitate-installerd", "levitate-installctl"] {
            fs::copy(bin_dir().join(bin), payload.join(bin)).expect("copy binary");
        }
        fs::copy(
            repo_root().join("systemd/org.levitateos.Installer1.conf"),
            payload.join("org.levitateos.Installer1.conf"),
        )
        .expect("copy policy");
        fs::copy(scenario, payload.join("run.sh")).expect("copy scenario");
        fs::copy(
            repo_root().join("tests/vm/common.sh"),
            payload.join("common.sh"),
        )
        .expect("copy common.sh");
        for (src, name) in extra {
            fs::copy(src, payload.join(name)).expect("copy payload file");
        }
        let out = output_within(
            Command::new("mkfs.ext4")
                .args(["-q", "-F", "-d"])
                .arg(&payload)
                .arg(dir.path().join("payload.img"))
                .arg("1G"),
            Duration::from_mins(2),
        );
        assert!(out.status.success(), "cannot build the payload disk");
        let disks = disks
            .iter()
            .enumerate()
            .map(|(i, size)| {
                let p = dir.path().join(format!("disk{i}.img"));
                fs::File::create(&p)
                    .and_then(|f| f.set_len(*size))
                    .expect("disk image");
                p
            })
            .collect();
        Self { dir, disks }
    }

    /// Boots the VM and returns its console output once it powers off.
    pub fn run(&self, timeout: Duration) -> String {
        let c = cache();
        let console = self.dir.path().join("console.log");
        let mut cmd = Command::new("qemu-system-x86_64");
        cmd.args([
            "-accel", "tcg", "-machine", "q35", "-m", "1536", "-smp", "2", "-nic", "none",
        ])
        .args(["-display", "none", "-monitor", "none", "-no-reboot"])
        .arg("-serial")
        .arg(format!("file:{}", console.display()))
        .arg("-kernel")
        .arg(c.join("vmlinuz"))
        .arg("-initrd")
        .arg(c.join("initrd.img"))
        .args([
            "-append",
            "root=/dev/vda rw console=ttyS0 quiet panic=-1 init=/sbin/levitate-vm-init",
        ])
        .arg("-drive")
        .arg(format!(
            "file={},if=virtio,format=raw,snapshot=on",
            c.join("root.img").display()
        ))
        .arg("-drive")
        .arg(format!(
            "file={},if=virtio,format=raw,readonly=on",
            self.dir.path().join("payload.img").display()
        ));
        for d in &self.disks {
            cmd.arg("-drive")
                .arg(format!("file={},if=virtio,format=raw", d.display()));
        }
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("qemu-system-x86_64 (package qemu-system-x86, installed by scripts/setup.sh)");
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the VM did not finish within {timeout:?}; console:\n{}",
                    fs::read_to_string(&console).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let out = fs::read_to_string(&console).unwrap_or_default();
        assert!(
            out.contains("LEVITATE-VM-EXIT"),
            "the scenario did not finish; qemu: {err}\nconsole:\n{out}"
        );
        out
    }
}
