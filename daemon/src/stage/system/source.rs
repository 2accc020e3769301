//! What the system is copied from: a squashfs image (the live medium's, or one named with
//! `--source`) or a directory (`--source /`). The daemon offers exactly one source; an
//! action may name only that one, so no caller can have arbitrary files of this machine
//! copied onto a disk.

use std::{
    fs,
    io::Read,
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, OnceLock},
};

/// Where live media keep their root image: Debian live-boot, Ubuntu casper, Fedora
/// dracut, Arch archiso.
pub const LIVE_IMAGES: [&str; 5] = [
    "/run/live/medium/live/filesystem.squashfs",
    "/lib/live/mount/medium/live/filesystem.squashfs",
    "/cdrom/casper/filesystem.squashfs",
    "/run/initramfs/live/LiveOS/squashfs.img",
    "/run/archiso/bootmnt/arch/x86_64/airootfs.sfs",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Squashfs,
    Directory,
}

/// The copy source, with the bytes a copy moves (the sum of its files' sizes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: PathBuf,
    pub kind: SourceKind,
    /// Set once known: a directory's is summed on a thread of its own, so that walking a
    /// whole running system does not hold up the daemon's start.
    bytes: Arc<OnceLock<u64>>,
}

impl Source {
    /// The source named on the command line, or else the live medium's image.
    pub fn find(explicit: Option<&Path>) -> Result<Option<Self>, String> {
        if let Some(p) = explicit {
            return Self::open(p).map(Some);
        }
        Ok(LIVE_IMAGES
            .iter()
            .map(Path::new)
            .find(|p| p.is_file())
            .and_then(|p| Self::open(p).ok()))
    }

    pub fn open(path: &Path) -> Result<Self, String> {
        let meta = fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let path = fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.is_dir() {
            let bytes = Arc::new(OnceLock::new());
            let (root, sum) = (path.clone(), Arc::clone(&bytes));
            let walk = move || {
                sum.get_or_init(|| directory_bytes(&root));
            };
            if let Err(e) = std::thread::Builder::new()
                .name("source-size".into())
                .spawn(walk.clone())
            {
                tracing::warn!(error = %e, "no thread to size the source: sizing it now");
                walk();
            }
            return Ok(Self {
                path,
                kind: SourceKind::Directory,
                bytes,
            });
        }
        let mut magic = [0u8; 4];
        fs::File::open(&path)
            .and_then(|mut f| f.read_exact(&mut magic))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if &magic != b"hsqs" {
            return Err(format!(
                "{} is neither a directory nor a squashfs image",
                path.display()
            ));
        }
        let bytes = squashfs_bytes(&path)?;
        Ok(Self::sized(path, SourceKind::Squashfs, bytes))
    }

    /// A source whose size is already known.
    pub fn sized(path: PathBuf, kind: SourceKind, bytes: u64) -> Self {
        Self {
            path,
            kind,
            bytes: Arc::new(OnceLock::from(bytes)),
        }
    }

    /// The bytes a copy moves; for a directory, waits for its walk to end (or walks it,
    /// if the thread has not begun: `get_or_init` runs one walk, the other caller waits).
    pub fn bytes(&self) -> u64 {
        *self.bytes.get_or_init(|| directory_bytes(&self.path))
    }

    /// How an action may name this source: `live`, or its path.
    pub fn named_by(&self, name: &str) -> bool {
        name == "live" || Path::new(name) == self.path
    }
}

/// The bytes a copy of a squashfs image moves: the root's size that live media keep beside
/// a `filesystem.squashfs` in `filesystem.size` (live-build, casper and
/// `scripts/live-root.sh` write it), else the image's listing. Reading the file spares
/// reading all of the image's metadata from a slow medium.
fn squashfs_bytes(image: &Path) -> Result<u64, String> {
    if image
        .file_name()
        .is_some_and(|n| n == "filesystem.squashfs")
    {
        let size = fs::read_to_string(image.with_file_name("filesystem.size"));
        if let Some(bytes) = size.ok().and_then(|s| s.trim().parse().ok()) {
            return Ok(bytes);
        }
    }
    listed_bytes(image)
}

/// The sum of the sizes of the regular files in a squashfs image, from its listing
/// (`unsquashfs -lls`: permissions, owner, size, date, time, name).
fn listed_bytes(image: &Path) -> Result<u64, String> {
    let out = Command::new("unsquashfs")
        .args(["-lls", "-n"])
        .arg(image)
        .output()
        .map_err(|e| format!("cannot run unsquashfs: {e} (is squashfs-tools installed?)"))?;
    if !out.status.success() {
        return Err(format!(
            "unsquashfs cannot read {}: {}",
            image.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| l.split_whitespace().nth(2)?.parse::<u64>().ok())
        .sum())
}

/// Directories a copy of a running system leaves out: pseudo filesystems and what lives
/// only while it runs. Relative to the source root.
pub const EXCLUDED: [&str; 7] = ["proc", "sys", "dev", "run", "tmp", "mnt", "media"];

/// The sum of the sizes of the regular files under `root`, on its filesystem, without the
/// excluded directories.
fn directory_bytes(root: &Path) -> u64 {
    let dev = fs::metadata(root).map_or(0, |m| m.dev());
    let mut total = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if dir == root && EXCLUDED.iter().any(|x| e.file_name().to_str() == Some(x)) {
                continue;
            }
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() && m.dev() == dev {
                stack.push(path);
            } else if m.is_file() {
                total += m.len();
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_medium_size_file_gives_the_bytes_without_reading_the_image() {
        let dir = tempfile::tempdir().expect("tempdir");
        // Not a readable image past its magic: the listing would fail.
        let image = dir.path().join("filesystem.squashfs");
        fs::write(&image, b"hsqs and nothing else").expect("image");
        fs::write(dir.path().join("filesystem.size"), "872851927\n").expect("size");

        let source = Source::open(&image).expect("source");

        assert_eq!(source.kind, SourceKind::Squashfs);
        assert_eq!(source.bytes(), 872_851_927);
    }

    #[test]
    fn a_directory_is_sized_without_its_pseudo_filesystems() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("etc")).expect("etc");
        fs::create_dir_all(dir.path().join("proc")).expect("proc");
        fs::write(dir.path().join("etc/hostname"), b"live\n").expect("hostname");
        fs::write(dir.path().join("proc/junk"), vec![0u8; 4096]).expect("junk");

        let source = Source::open(dir.path()).expect("source");

        assert_eq!(source.kind, SourceKind::Directory);
        assert_eq!(source.bytes(), 5);
    }
}
