//! Sandbox mode: a sparse image file attached as a loop device and offered as the only
//! disk, so that a whole installation can be tried for real without touching this
//! machine's disks. The daemon owns the loop device and detaches it when it exits.

use std::{
    fs::OpenOptions,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context, Result};

use crate::{size, stage::disks::tools};

pub struct Sandbox {
    pub image: PathBuf,
    pub device: String,
    /// The image was created by this run (it did not exist).
    pub created: bool,
}

impl Sandbox {
    /// `FILE:SIZE`: creates FILE as a sparse image of SIZE when it does not exist (an
    /// existing one must have that size) and attaches it.
    pub fn attach(spec: &str) -> Result<Self> {
        let (file, size) = spec
            .rsplit_once(':')
            .context("--sandbox-image takes FILE:SIZE, e.g. /var/tmp/disk.img:20G")?;
        let bytes = size::parse_bytes(size)
            .filter(|b| *b >= 64 * size::MIB)
            .with_context(|| format!("{size:?} is not an image size of at least 64M"))?;
        let image = PathBuf::from(file);
        if !image.is_absolute() {
            bail!("the sandbox image must be an absolute path");
        }
        let created = match OpenOptions::new().write(true).create_new(true).open(&image) {
            Ok(f) => {
                f.set_len(bytes)
                    .with_context(|| format!("cannot size {}", image.display()))?;
                true
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let len = std::fs::metadata(&image)?.len();
                if len != bytes {
                    bail!(
                        "{} exists with {len} bytes, not {bytes}; remove it or give its size",
                        image.display()
                    );
                }
                false
            }
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", image.display())),
        };
        let attached = tools::run(
            Command::new("losetup").arg("--associated").arg(&image),
            None,
        )
        .map_err(anyhow::Error::msg)?;
        if !attached.trim().is_empty() {
            bail!(
                "{} is already attached ({}); detach it first",
                image.display(),
                attached.trim()
            );
        }
        let device = tools::run(
            Command::new("losetup")
                .args(["--find", "--show", "--partscan"])
                .arg(&image),
            None,
        )
        .map_err(anyhow::Error::msg)?
        .trim()
        .to_owned();
        if !device.starts_with("/dev/loop") {
            bail!("losetup gave no loop device for {}", image.display());
        }
        tracing::info!(image = %image.display(), device, created, "sandbox image attached");
        Ok(Self {
            image,
            device,
            created,
        })
    }

    /// Where this sandbox keeps its journal and saved tables: apart from real mode's,
    /// under `base`, and belonging to this image (a new or another image starts them
    /// afresh; the same image attached again carries on, as a restarted daemon should).
    pub fn state_dir(&self, base: &Path) -> PathBuf {
        let dir = base.join("sandbox");
        // The file itself, not its name: an image deleted and made again is another disk.
        // Attached again under another loop number it is the same disk: `adopt` renames.
        let file = std::fs::metadata(&self.image).map_or_else(
            |_| String::new(),
            |m| {
                use std::os::unix::fs::MetadataExt;
                let born = m
                    .created()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}:{} {born}", m.dev(), m.ino())
            },
        );
        let owner = format!("{} {file}", self.image.display());
        if crate::job::journal::adopt(&dir, &owner, &self.device, self.created) {
            tracing::info!(dir = %dir.display(), "sandbox state starts afresh for this image");
        }
        dir
    }

    /// Unmounts whatever the installer mounted from the sandbox under `target_root`,
    /// turns its swap off and closes its encrypted volumes, so the loop device can go.
    pub fn release(&self, target_root: &Path) {
        let _ = Command::new("umount")
            .arg("--recursive")
            .arg(target_root)
            .status();
        let loop_name = self.device.trim_start_matches("/dev/").to_owned();
        // Whether a device is the sandbox disk, one of its partitions, or a device-mapper
        // volume on one of them (found through sysfs, with or without udev's symlinks).
        let on_sandbox = |dev: &str| -> bool {
            let Some(sys) = crate::stage::disks::kernel::sys_dir(dev) else {
                return false;
            };
            let name = sys
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.starts_with(&loop_name)
                || std::fs::read_dir(sys.join("slaves")).is_ok_and(|mut d| {
                    d.any(|s| {
                        s.is_ok_and(|s| s.file_name().to_string_lossy().starts_with(&loop_name))
                    })
                })
        };
        let swaps = std::fs::read_to_string("/proc/swaps").unwrap_or_default();
        for dev in swaps
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
        {
            if on_sandbox(dev) {
                let _ = Command::new("swapoff").arg(dev).status();
            }
        }
        if let Ok(entries) = std::fs::read_dir("/dev/mapper") {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with("luks-") && on_sandbox(&e.path().display().to_string()) {
                    let _ = Command::new("cryptsetup").args(["close", &name]).status();
                }
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = Command::new("partx").args(["-d", &self.device]).status();
        match Command::new("losetup").args(["-d", &self.device]).status() {
            Ok(s) if s.success() => {
                tracing::info!(device = self.device, "sandbox image detached");
            }
            _ => {
                tracing::warn!(device = self.device, image = %self.image.display(), "cannot detach the sandbox image");
            }
        }
    }
}
