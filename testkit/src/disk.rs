//! Loop devices on sparse images, always detached.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::{require_root, require_tool, sh};

/// A sparse image attached as a loop device; on drop, whatever the test mounted from it is
/// unmounted, its swap turned off, and the device detached and the image deleted.
pub struct LoopDisk {
    pub dev: String,
    pub dir: tempfile::TempDir,
}

impl LoopDisk {
    pub fn new(size: u64) -> Self {
        Self::with_image(size, |_| {})
    }

    /// An image of `size` that `prepare` writes to (a partition table, a filesystem at an
    /// offset) before it is attached, without `--partscan`: the kernel then knows the disk
    /// but has no nodes for the partitions its table records, as for a reattached image.
    pub fn with_image(size: u64, prepare: impl FnOnce(&Path)) -> Self {
        require_root("these tests attach loop devices");
        for tool in ["losetup", "partx", "umount", "swapoff"] {
            require_tool(&[tool]);
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let image = dir.path().join("disk.img");
        std::fs::File::create(&image)
            .and_then(|f| f.set_len(size))
            .expect("sparse image");
        // Removed with `dir` if it panics: nothing is attached yet.
        prepare(&image);
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
        unmount_recursive(&self.target());
        release_loop(&self.dev);
    }
}

/// Unmounts whatever is mounted at or under `target`; quiet when nothing is.
pub fn unmount_recursive(target: &str) {
    let _ = Command::new("umount")
        .args(["--recursive", target])
        .stderr(Stdio::null())
        .status();
}

/// Turns off swap on the loop device's partitions, removes their nodes and detaches it.
pub fn release_loop(dev: &str) {
    for n in 1..=8 {
        let _ = Command::new("swapoff")
            .arg(format!("{dev}p{n}"))
            .stderr(Stdio::null())
            .status();
    }
    let _ = Command::new("partx")
        .args(["-d", dev])
        .stderr(Stdio::null())
        .status();
    let _ = Command::new("losetup").args(["-d", dev]).status();
}

/// Lays out `dev` with an sfdisk script, then adds the partition nodes (BLKPG via partx).
pub fn sfdisk_layout(dev: &str, script: &[u8]) {
    let mut child = Command::new(require_tool(&["sfdisk"]))
        .args(["--quiet", dev])
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sfdisk");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), script).expect("layout");
    assert!(child.wait().expect("sfdisk").success());
    sh(Command::new("partx").args(["-a", dev]));
}
