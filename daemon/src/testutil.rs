//! What the root-only tests share: loop devices on sparse images that are always detached,
//! and running the tools they check results with.

use std::{
    path::PathBuf,
    process::{Command, Stdio},
};

pub fn require_root() {
    #[allow(unsafe_code)]
    let euid = unsafe { libc::geteuid() };
    assert_eq!(
        euid, 0,
        "these tests attach loop devices and need root (run the README's test command as root)"
    );
}

/// A sparse image attached as a loop device; on drop, whatever the test mounted from it is
/// unmounted, its swap turned off, and the device detached and the image deleted.
pub struct LoopDisk {
    pub dev: String,
    pub dir: tempfile::TempDir,
}

impl LoopDisk {
    pub fn new(size: u64) -> Self {
        require_root();
        let dir = tempfile::tempdir().expect("tempdir");
        let image = dir.path().join("disk.img");
        std::fs::File::create(&image)
            .and_then(|f| f.set_len(size))
            .expect("sparse image");
        let dev = sh(Command::new("losetup")
            .args(["--find", "--show"])
            .arg(&image))
        .trim()
        .to_owned();
        assert!(dev.starts_with("/dev/loop"), "losetup gave {dev:?}");
        Self { dev, dir }
    }

    pub fn target(&self) -> String {
        self.dir.path().join("target").display().to_string()
    }

    pub fn state_dir(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    pub fn part(&self, n: u32) -> String {
        format!("{}p{n}", self.dev)
    }
}

impl Drop for LoopDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .args(["--recursive", &self.target()])
            .stderr(Stdio::null())
            .status();
        for n in 1..=8 {
            let _ = Command::new("swapoff")
                .arg(self.part(n))
                .stderr(Stdio::null())
                .status();
        }
        let _ = Command::new("partx")
            .args(["-d", &self.dev])
            .stderr(Stdio::null())
            .status();
        let _ = Command::new("losetup").args(["-d", &self.dev]).status();
    }
}

/// Runs a command that must succeed; returns stdout.
pub fn sh(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (scripts/setup.sh installs it)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Lays out `dev` with an sfdisk script, then adds the partition nodes (BLKPG via partx).
pub fn sfdisk_layout(dev: &str, script: &[u8]) {
    let mut child = Command::new("sfdisk")
        .args(["--quiet", dev])
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sfdisk");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), script).expect("layout");
    assert!(child.wait().expect("sfdisk").success());
    sh(Command::new("partx").args(["-a", dev]));
}
