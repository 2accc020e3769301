//! What the root-only tests of the workspace share: the daemon's real-disk unit tests
//! (through `daemon/src/testutil.rs`) and the end-to-end suite (`tests/`).
//!
//! - [`require_root`] and [`require_tool`]: a test that needs root or a tool checks for it
//!   and fails with a message saying what is missing; it never skips.
//! - [`sh`], [`output_within`] and [`wait_output_within`]: running programs, with a time
//!   limit where a program could hang (a client on a bus).
//! - [`LoopDisk`]: a sparse image attached as a loop device, always detached on drop.
//! - [`sfdisk_parts`], [`blkid_type`], [`findmnt_source`]: results read back with tools that
//!   share no code with the daemon.
//! - [`loop_disk_as_root`]: a test about the disk that holds `/` reruns itself in a private
//!   mount namespace where a loop disk does.

mod disk;
mod process;
mod read;
mod root;

pub use disk::{release_loop, sfdisk_layout, unmount_recursive, LoopDisk};
pub use process::{output_within, require_root, require_tool, sh, wait_output_within};
pub use read::{blkid_type, blkid_value, findmnt_source, partition_types, sfdisk_parts};
pub use root::loop_disk_as_root;
