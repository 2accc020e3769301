//! The disk stage: partition tables, LUKS2, filesystems, mounts and swap, and undo of a
//! table change. `plan` claims the partition, format, mount and undo actions; `exec` carries
//! them out on real disks (tables written with `gptman`/`mbrman` in `table`, the kernel
//! told in `kernel`, each disk checked live before writing in `guard`, old tables saved in
//! `backup`, tools run in `tools`); `simulate` changes a described machine the same way.

pub mod backup;
mod exec;
pub mod guard;
pub mod kernel;
mod layout;
pub mod plan;
pub(crate) mod simulate;
pub mod table;
#[cfg(test)]
mod tests;
pub mod tools;

use levitate_dbus::TableKind;
use serde::{Deserialize, Serialize};

pub use self::exec::{mapper_backing, mapper_name, mount_points, mounted_under, DiskExecutor};
use crate::{install_state::InstallState, ops::StageOp, stage::StageId};

/// Filesystems the installer creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fs {
    Vfat,
    Ext4,
    Btrfs,
    Xfs,
    Swap,
}

impl Fs {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "vfat" | "fat32" | "fat" => Self::Vfat,
            "ext4" => Self::Ext4,
            "btrfs" => Self::Btrfs,
            "xfs" => Self::Xfs,
            "swap" => Self::Swap,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vfat => "vfat",
            Self::Ext4 => "ext4",
            Self::Btrfs => "btrfs",
            Self::Xfs => "xfs",
            Self::Swap => "swap",
        }
    }
}

/// The role of a new partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Esp,
    BiosBoot,
    Linux,
    Swap,
}

impl PartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Esp => "esp",
            Self::BiosBoot => "bios_boot",
            Self::Linux => "linux",
            Self::Swap => "swap",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum DiskOp {
    /// Unmounts the target, turns its swap off and closes its LUKS volumes, before a new
    /// layout replaces it.
    UnmountTarget,
    WriteTable {
        disk: String,
        table: TableKind,
    },
    /// Puts back the partition table saved before the installer first changed `disk`.
    RestoreTable {
        disk: String,
    },
    CreatePartition {
        disk: String,
        number: u32,
        start: u64,
        size: u64,
        kind: PartKind,
    },
    LuksFormat {
        partition: String,
        mapper: String,
    },
    MakeFs {
        partition: String,
        device: String,
        fs: Fs,
    },
    Mount {
        /// The disk the partition is on (empty in journals written before it was recorded).
        #[serde(default)]
        disk: String,
        partition: String,
        device: String,
        mountpoint: String,
    },
    SwapOn {
        partition: String,
        device: String,
    },
}

impl StageOp for DiskOp {
    const STAGE: StageId = StageId::Disks;

    fn kind(&self) -> &'static str {
        match self {
            Self::UnmountTarget => "unmount_target",
            Self::WriteTable { .. } => "write_table",
            Self::RestoreTable { .. } => "restore_table",
            Self::CreatePartition { .. } => "create_partition",
            Self::LuksFormat { .. } => "luks_format",
            Self::MakeFs { .. } => "make_fs",
            Self::Mount { .. } => "mount",
            Self::SwapOn { .. } => "swap_on",
        }
    }

    fn nominal_seconds(&self) -> f64 {
        match self {
            Self::WriteTable { .. } => 0.6,
            Self::LuksFormat { .. } => 2.5,
            Self::MakeFs {
                fs: Fs::Vfat | Fs::Swap,
                ..
            } => 0.3,
            Self::MakeFs { .. } => 1.2,
            Self::UnmountTarget => 0.5,
            _ => 0.15,
        }
    }

    fn touches_disks(&self) -> bool {
        matches!(
            self,
            Self::WriteTable { .. }
                | Self::RestoreTable { .. }
                | Self::CreatePartition { .. }
                | Self::MakeFs { .. }
                | Self::LuksFormat { .. }
        )
    }

    fn runs_for_real(&self) -> bool {
        true
    }

    fn apply(&self, state: &mut InstallState) {
        match self {
            Self::UnmountTarget => state.target_released(),
            Self::Mount {
                disk,
                device,
                mountpoint,
                ..
            } => {
                if mountpoint == "/" {
                    // A new target root: a new installation, nothing of an earlier one.
                    state.new_target();
                    if !disk.is_empty() {
                        state.root_disk = Some(disk.clone());
                    }
                }
                state.mounts.insert(mountpoint.clone(), device.clone());
            }
            Self::SwapOn { device, .. } => state.swaps.push(device.clone()),
            Self::WriteTable { disk, .. } | Self::CreatePartition { disk, .. } => {
                state.undo_table = Some(disk.clone());
            }
            Self::RestoreTable { .. } => state.undo_table = None,
            Self::LuksFormat { partition, .. } | Self::MakeFs { partition, .. } => {
                if state
                    .undo_table
                    .as_deref()
                    .is_some_and(|d| partition.starts_with(d))
                {
                    state.undo_table = None;
                }
            }
        }
    }

    fn simulate(&self, sim: &mut crate::stage::simulate::SimMachine<'_>) {
        simulate::effect(self, sim);
    }

    fn resets(&self) -> &'static [StageId] {
        match self {
            Self::UnmountTarget => &[StageId::System, StageId::Bootloader, StageId::Finalize],
            _ => &[],
        }
    }
}
