//! What the root-only tests share, from the workspace's test kit (`testkit/`): loop devices
//! on sparse images that are always detached, running the tools they check results with,
//! and a loop disk holding `/` in a private mount namespace.

pub use levitate_testkit::{
    blkid_value, findmnt_source, loop_disk_as_root, require_root, require_tool, sfdisk_layout, sh,
    LoopDisk,
};
