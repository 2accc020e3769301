//! Saved partition tables. Before the installer first changes a disk's table it copies the
//! first and the last MiB (MBR, GPT headers and entries, and the GPT backup at the end)
//! under the state directory; `undo` and a failed job write them back. The copy is kept
//! until a filesystem is made on the new layout (then the old data is gone and undo would
//! be a lie) or until it has been restored.

use std::{
    fs::{self, File, OpenOptions},
    io::{Read, Seek, SeekFrom, Write},
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{
    size::MIB,
    stage::{ExecError, ExecResult},
};

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    disk: String,
    size: u64,
    len: u64,
    /// What the disk is, beyond its name: a name can pass to another disk (a USB stick
    /// swapped, a loop device reused), and a saved table must only go back where it came from.
    #[serde(default)]
    identity: String,
}

/// The loop device's backing file, or the hardware's WWID or serial number, from sysfs.
fn identity(disk: &str) -> String {
    let sys = Path::new("/sys/block").join(disk.trim_start_matches("/dev/"));
    [
        "loop/backing_file",
        "wwid",
        "device/wwid",
        "device/serial",
        "serial",
    ]
    .iter()
    .find_map(|f| {
        fs::read_to_string(sys.join(f))
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    })
    .unwrap_or_default()
}

fn dir_for(state_dir: &Path, disk: &str) -> PathBuf {
    state_dir
        .join("backup")
        .join(disk.trim_start_matches("/dev/").replace('/', "_"))
}

/// Whether a saved table exists for `disk`.
#[cfg(test)]
pub fn exists(state_dir: &Path, disk: &str) -> bool {
    dir_for(state_dir, disk).join("meta.json").exists()
}

/// Saves the ends of `disk` unless a copy is already kept: the oldest copy is the one that
/// undo must restore, also after a job that failed and is run again.
pub fn save(state_dir: &Path, disk: &str, f: &mut File) -> std::io::Result<bool> {
    let dir = dir_for(state_dir, disk);
    if dir.join("meta.json").exists() {
        return Ok(false);
    }
    fs::create_dir_all(&dir)?;
    let size = f.seek(SeekFrom::End(0))?;
    let len = MIB.min(size / 2);
    let mut buf = vec![0u8; usize::try_from(len).unwrap_or(0)];
    f.seek(SeekFrom::Start(0))?;
    f.read_exact(&mut buf)?;
    write_synced(&dir.join("head.bin"), &buf)?;
    f.seek(SeekFrom::Start(size - len))?;
    f.read_exact(&mut buf)?;
    write_synced(&dir.join("tail.bin"), &buf)?;
    let meta = serde_json::to_vec(&Meta {
        disk: disk.to_owned(),
        size,
        len,
        identity: identity(disk),
    })
    .map_err(std::io::Error::other)?;
    // The metadata last: a copy without it is incomplete and is not used.
    write_synced(&dir.join("meta.json"), &meta)?;
    Ok(true)
}

fn write_synced(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    f.write_all(data)?;
    f.sync_all()
}

/// Writes the saved ends back onto `disk` and forgets the copy.
pub fn restore(state_dir: &Path, disk: &str, f: &mut File) -> ExecResult {
    let dir = dir_for(state_dir, disk);
    let meta: Meta = fs::read(dir.join("meta.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| ExecError::Failed(format!("no saved partition table for {disk}")))?;
    let size = f
        .seek(SeekFrom::End(0))
        .map_err(|e| ExecError::Failed(format!("cannot read {disk}: {e}")))?;
    if meta.disk != disk || meta.size != size {
        return Err(ExecError::Failed(format!(
            "the saved table belongs to a disk of {} bytes, {disk} has {size}; not restoring",
            meta.size
        )));
    }
    if meta.identity != identity(disk) {
        return Err(ExecError::Failed(format!(
            "the saved table belongs to another disk than the one now at {disk}; not restoring"
        )));
    }
    let read = |name: &str| -> ExecResult<Vec<u8>> {
        let b = fs::read(dir.join(name))
            .map_err(|e| ExecError::Failed(format!("cannot read the saved table: {e}")))?;
        if u64::try_from(b.len()).ok() == Some(meta.len) {
            Ok(b)
        } else {
            Err(ExecError::Failed(
                "the saved table is damaged (wrong length)".into(),
            ))
        }
    };
    let (head, tail) = (read("head.bin")?, read("tail.bin")?);
    let write = |f: &mut File, at: u64, data: &[u8]| -> std::io::Result<()> {
        f.seek(SeekFrom::Start(at))?;
        f.write_all(data)
    };
    write(f, 0, &head)
        .and_then(|()| write(f, size - meta.len, &tail))
        .and_then(|()| f.sync_all())
        .map_err(|e| {
            ExecError::Failed(format!("cannot write the saved table back to {disk}: {e}"))
        })?;
    discard(state_dir, disk);
    Ok(())
}

/// Forgets the saved copy (a filesystem was made: the old layout is gone for good).
pub fn discard(state_dir: &Path, disk: &str) {
    let _ = fs::remove_dir_all(dir_for(state_dir, disk));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> (tempfile::TempDir, File) {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(dir.path().join("disk.img"))
            .expect("image");
        (dir, f)
    }

    #[test]
    #[allow(clippy::cast_possible_truncation)]
    fn saved_ends_are_restored_byte_for_byte() {
        let (dir, mut f) = image();
        f.set_len(8 * MIB).expect("size");
        let pattern: Vec<u8> = (0..8 * MIB).map(|i| (i % 251) as u8).collect();
        f.write_all(&pattern).expect("pattern");
        let state = dir.path().join("state");
        assert!(save(&state, "/dev/levitate-test-a", &mut f).expect("save"));
        assert!(exists(&state, "/dev/levitate-test-a"));
        // A second save keeps the first (older) copy.
        f.seek(SeekFrom::Start(0)).expect("seek");
        f.write_all(&[0xee; 4096]).expect("scribble");
        assert!(!save(&state, "/dev/levitate-test-a", &mut f).expect("save again"));
        // Destroy both ends, then restore.
        f.seek(SeekFrom::Start(0)).expect("seek");
        f.write_all(&vec![0u8; 2 * MIB as usize])
            .expect("zero head");
        f.seek(SeekFrom::Start(7 * MIB)).expect("seek");
        f.write_all(&vec![0u8; MIB as usize]).expect("zero tail");
        assert!(
            restore(&state, "/dev/levitate-test-b", &mut f).is_err(),
            "another disk's copy"
        );
        restore(&state, "/dev/levitate-test-a", &mut f).expect("restore");
        let mut back = Vec::new();
        f.seek(SeekFrom::Start(0)).expect("seek");
        f.read_to_end(&mut back).expect("read");
        assert_eq!(back[..MIB as usize], pattern[..MIB as usize]);
        assert_eq!(back[7 * MIB as usize..], pattern[7 * MIB as usize..]);
        assert!(
            back[MIB as usize..2 * MIB as usize].iter().all(|b| *b == 0),
            "only the ends are restored"
        );
        assert!(
            !exists(&state, "/dev/levitate-test-a"),
            "a restored copy is forgotten"
        );
        assert!(restore(&state, "/dev/levitate-test-a", &mut f).is_err());
    }

    #[test]
    fn a_copy_for_a_disk_of_another_size_is_refused() {
        let (dir, mut f) = image();
        f.set_len(4 * MIB).expect("size");
        let state = dir.path().join("state");
        save(&state, "/dev/levitate-test-a", &mut f).expect("save");
        f.set_len(6 * MIB).expect("grow");
        let e = restore(&state, "/dev/levitate-test-a", &mut f)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("not restoring"), "{e}");
    }
}
