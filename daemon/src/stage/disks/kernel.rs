//! Telling the kernel about a new partition table. The whole-disk re-read (`BLKRRPART`) is
//! tried first, with retries while the disk is busy; then the partitions the kernel shows
//! are compared with the table and fixed one by one with `BLKPG`, because some kernels (and
//! loop devices on this project's CI machine) answer the re-read without creating the
//! partition nodes. Finally the `/dev` nodes are waited for.

use std::{
    fs::{self, File},
    os::{
        fd::AsRawFd,
        unix::fs::{FileTypeExt, MetadataExt},
    },
    path::Path,
    thread::sleep,
    time::{Duration, Instant},
};

use nix::{errno::Errno, sys::stat};

use super::table::Entry;
use crate::{
    machine::partition_path,
    stage::{ExecError, ExecResult},
};

/// The block-device ioctls of `<linux/fs.h>` and `<linux/blkpg.h>`, typed by nix's macros.
/// They are `_IO` codes that still take an argument, hence the `_bad` forms.
#[allow(unsafe_code)] // the macros define unsafe fns: the kernel reads or writes the argument
mod ioctl {
    nix::ioctl_none!(blkrrpart, 0x12, 95);
    nix::ioctl_read_bad!(blksszget, nix::request_code_none!(0x12, 104), libc::c_int);
    nix::ioctl_write_ptr_bad!(
        blkpg,
        nix::request_code_none!(0x12, 105),
        super::BlkpgIoctlArg
    );
}

const BLKPG_ADD_PARTITION: libc::c_int = 1;
const BLKPG_DEL_PARTITION: libc::c_int = 2;

#[repr(C)]
struct BlkpgPartition {
    start: libc::c_longlong,
    length: libc::c_longlong,
    pno: libc::c_int,
    devname: [libc::c_char; 64],
    volname: [libc::c_char; 64],
}

#[repr(C)]
struct BlkpgIoctlArg {
    op: libc::c_int,
    flags: libc::c_int,
    datalen: libc::c_int,
    data: *mut libc::c_void,
}

fn is_block(f: &File) -> bool {
    f.metadata().is_ok_and(|m| m.file_type().is_block_device())
}

/// Logical sector size of a block device; 512 for an image file.
pub fn sector_size(f: &File) -> u64 {
    if !is_block(f) {
        return 512;
    }
    let mut size: libc::c_int = 0;
    #[allow(unsafe_code)]
    // SAFETY: `f` is an open block device; BLKSSZGET writes one c_int through the pointer,
    // which points to `size`, alive for the call.
    let r = unsafe { ioctl::blksszget(f.as_raw_fd(), &raw mut size) };
    if r.is_ok() && size > 0 {
        u64::try_from(size).unwrap_or(512)
    } else {
        512
    }
}

fn blkpg(f: &File, op: libc::c_int, number: u32, start: u64, size: u64) -> std::io::Result<()> {
    let mut part = BlkpgPartition {
        start: i64::try_from(start).unwrap_or(i64::MAX),
        length: i64::try_from(size).unwrap_or(i64::MAX),
        pno: libc::c_int::try_from(number).unwrap_or(0),
        devname: [0; 64],
        volname: [0; 64],
    };
    let arg = BlkpgIoctlArg {
        op,
        flags: 0,
        datalen: libc::c_int::try_from(std::mem::size_of::<BlkpgPartition>()).unwrap_or(0),
        data: (&raw mut part).cast(),
    };
    #[allow(unsafe_code)]
    // SAFETY: `f` is an open block device; BLKPG reads the argument struct and the
    // partition struct it points to (`datalen` bytes), both locals alive for the call, and
    // writes neither.
    let r = unsafe { ioctl::blkpg(f.as_raw_fd(), &raw const arg) };
    r.map(drop).map_err(std::io::Error::from)
}

/// The partitions the kernel shows for `disk` now: number, start and size in bytes.
pub fn kernel_partitions(disk: &str) -> Vec<Entry> {
    let name = disk.trim_start_matches("/dev/");
    let sys = Path::new("/sys/block").join(name);
    let read = |p: &Path| -> u64 {
        fs::read_to_string(p)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    };
    let mut out: Vec<Entry> = fs::read_dir(&sys)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().join("partition").exists())
                .map(|e| Entry {
                    number: u32::try_from(read(&e.path().join("partition"))).unwrap_or(0),
                    start: read(&e.path().join("start")) * 512,
                    size: read(&e.path().join("size")) * 512,
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort_by_key(|e| e.number);
    out
}

/// Makes the kernel's view of `disk` match `table` and waits for the partition nodes.
pub fn sync_partitions(f: &File, disk: &str, table: &[Entry]) -> ExecResult {
    if !is_block(f) {
        return Ok(());
    }
    for attempt in 0..5 {
        #[allow(unsafe_code)]
        // SAFETY: `f` is an open block device; BLKRRPART takes no argument.
        let r = unsafe { ioctl::blkrrpart(f.as_raw_fd()) };
        let Err(e) = r else {
            break;
        };
        if e != Errno::EBUSY || attempt == 4 {
            // Busy for good (a partition is open) or not supported: BLKPG below still
            // handles each partition that is not in use.
            tracing::debug!(disk, error = %e, "BLKRRPART failed; using BLKPG");
            break;
        }
        sleep(Duration::from_millis(200));
    }
    let current = kernel_partitions(disk);
    for old in &current {
        if !table.contains(old) {
            blkpg(f, BLKPG_DEL_PARTITION, old.number, 0, 0).map_err(|e| {
                ExecError::Failed(format!(
                    "cannot remove partition {} of {disk} from the kernel's view: {e}",
                    old.number
                ))
            })?;
        }
    }
    let current = kernel_partitions(disk);
    for new in table {
        if !current.contains(new) {
            blkpg(f, BLKPG_ADD_PARTITION, new.number, new.start, new.size).map_err(|e| {
                ExecError::Failed(format!(
                    "cannot tell the kernel about partition {} of {disk}: {e}",
                    new.number
                ))
            })?;
        }
    }
    wait_for_nodes(disk, table)
}

/// Waits until `/dev` has a block device for every partition (devtmpfs creates them; udev
/// may still be renaming or probing).
fn wait_for_nodes(disk: &str, table: &[Entry]) -> ExecResult {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let missing: Vec<String> = table
            .iter()
            .map(|e| partition_path(disk, e.number))
            .filter(|p| !fs::metadata(p).is_ok_and(|m| m.file_type().is_block_device()))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(ExecError::Failed(format!(
                "the kernel did not create {} within 10 seconds",
                missing.join(", ")
            )));
        }
        sleep(Duration::from_millis(50));
    }
}

/// `major:minor` of a block device node.
pub fn devnum(path: &str) -> Option<String> {
    let m = fs::metadata(path).ok()?;
    if !m.file_type().is_block_device() {
        return None;
    }
    let rdev = m.rdev();
    Some(format!("{}:{}", stat::major(rdev), stat::minor(rdev)))
}

/// The sysfs directory of a block device node, found by its device number: works for
/// `/dev/mapper/NAME` whether it is udev's symlink or the plain node made without udev.
pub fn sys_dir(path: &str) -> Option<std::path::PathBuf> {
    fs::canonicalize(Path::new("/sys/dev/block").join(devnum(path)?)).ok()
}
