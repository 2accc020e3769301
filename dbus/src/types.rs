//! Structures that travel on the bus. Field order is the wire order: never reorder, only
//! append in a new interface version.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use zbus::zvariant::{OwnedValue, Type, Value};

/// A disk as the daemon sees it. `D-Bus: (stssbbssa(suttssssss)s)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Disk {
    /// Device path, `/dev/sda`.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Model as reported by the hardware (untrusted text).
    pub model: String,
    /// Vendor as reported by the hardware (untrusted text).
    pub vendor: String,
    /// Whether the disk spins.
    pub rotational: bool,
    /// Whether the disk is removable media.
    pub removable: bool,
    /// `sata`, `nvme`, `usb`, `virtio`, `loop` ... or empty when unknown.
    pub transport: String,
    /// `gpt`, `mbr`, or empty for a blank disk.
    pub table: String,
    /// Partitions in on-disk order.
    pub partitions: Vec<Partition>,
    /// Why the disk cannot be installed to right now (`/dev/sda2 is mounted at /`), or empty.
    pub in_use: String,
}

/// A partition. `D-Bus: (suttssssss)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Partition {
    /// Device path, `/dev/sda1`.
    pub path: String,
    /// Partition number, from 1.
    pub number: u32,
    /// Offset from the start of the disk in bytes.
    pub start: u64,
    /// Size in bytes.
    pub size: u64,
    /// Filesystem type (`vfat`, `ext4`, `ntfs`, `crypto_LUKS`, `swap` ...) or empty.
    pub fs: String,
    /// Role: `esp`, `msr`, `recovery`, `bios_boot`, `linux`, `swap`, or empty.
    pub kind: String,
    /// Filesystem label (untrusted text) or empty.
    pub label: String,
    /// Filesystem UUID or empty.
    pub uuid: String,
    /// Where it is mounted now, `[SWAP]` for active swap, or empty.
    pub mountpoint: String,
    /// Human-readable description of what it holds (`NTFS filesystem labelled Windows`).
    pub description: String,
}

/// State of one installation stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
#[zvariant(signature = "s", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StageState {
    /// Nothing of this stage has run yet.
    Pending,
    /// A step of this stage is running.
    InProgress,
    /// The stage's steps ran and succeeded.
    Done,
    /// The last step of this stage failed.
    Failed,
}

impl StageState {
    /// The checklist mark every text frontend shows: `[ ]`, `[~]`, `[x]`, `[!]`.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Pending => "[ ]",
            Self::InProgress => "[~]",
            Self::Done => "[x]",
            Self::Failed => "[!]",
        }
    }
}

/// One entry of the installation checklist. `D-Bus: (sss)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct Stage {
    /// Stable identifier: `disks`, `system`, `configuration`, `users`, `bootloader`, `finalize`.
    pub id: String,
    /// Title for people: `Disk configuration`.
    pub title: String,
    /// Its state.
    pub state: StageState,
}

/// One step of a plan. `D-Bus: (ssb)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct PlanStep {
    /// The stage id the step belongs to.
    pub stage: String,
    /// What the step does, for people.
    pub description: String,
    /// Whether the step destroys data.
    pub destructive: bool,
}

/// A secret the plan needs before it can be confirmed. `D-Bus: (ssb)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct SecretRequest {
    /// Identifier to pass to `SetSecret`: `password:vince`, `luks`.
    pub id: String,
    /// What to ask the person: `Password for user vince`.
    pub prompt: String,
    /// Whether it has been handed over already.
    pub provided: bool,
}

/// State of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
#[zvariant(signature = "s", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PlanState {
    /// Waiting for confirmation or rejection.
    Pending,
    /// Confirmed; its job is in `Job`.
    Confirmed,
    /// Rejected by a client.
    Rejected,
}

/// State of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
#[zvariant(signature = "s", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Steps are running.
    Running,
    /// Every step succeeded.
    Succeeded,
    /// A step failed; `Message` says which and why.
    Failed,
    /// Cancelled before it finished.
    Cancelled,
}

/// State of one step of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
#[zvariant(signature = "s", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// Not started.
    Pending,
    /// Running now.
    Running,
    /// Finished successfully.
    Done,
    /// Failed.
    Failed,
    /// Not run because the job was cancelled or an earlier step failed.
    Skipped,
}

/// One step of a job with its state. `D-Bus: (sss)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct JobStep {
    /// The stage id the step belongs to.
    pub stage: String,
    /// What the step does.
    pub description: String,
    /// Its state.
    pub state: StepState,
}

/// The outcome of one step of a job, index-aligned with `Job.Steps`. `D-Bus: (ssss)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct StepResult {
    /// The step's stable operation id (`disks.write-table`, `system.copy#2`), the same as
    /// in `Plan.StepIds`.
    pub operation: String,
    /// Its state, as in `Job.Steps`.
    pub state: StepState,
    /// The D-Bus error name when the step failed or was stopped
    /// (`org.levitateos.Installer1.Error.Failed`, `...Cancelled`), else empty.
    pub error_name: String,
    /// What happened to the step, for people; empty while pending or running.
    pub message: String,
}

/// A user account that the installation will create. `D-Bus: (sbasb)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct UserInfo {
    /// Login name.
    pub name: String,
    /// Whether the user may administer the system (sudo / wheel).
    pub sudo: bool,
    /// Supplementary groups.
    pub groups: Vec<String>,
    /// Whether a password has been set (the password itself is never exposed).
    pub password_set: bool,
}

/// The last error, so that a reconnecting client sees it. `D-Bus: (ss)`; empty when none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct ErrorInfo {
    /// Error name (`org.levitateos.Installer1.Error.Failed`) or empty.
    pub name: String,
    /// Message for people, or empty.
    pub message: String,
}

/// A warning, or something a plan destroys, for frontends that write their own sentences.
/// `D-Bus: (ssa{ss})`. The id and the parameter names are stable and listed in
/// `docs/DBUS.md`; the text is the daemon's English sentence (`Plan.Locale`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct Notice {
    /// Stable id: `erase-disk`, `windows-erased` ...
    pub id: String,
    /// The same notice in words, as in `Plan.Warnings` or `Plan.Destroys`.
    pub text: String,
    /// Parameters by name (`disk`, `model`, `size` in bytes ...); untrusted text where it
    /// comes from the hardware (a disk's model, a filesystem's label).
    pub params: HashMap<String, String>,
}

/// An option that methods accept in their `a{sv}`. `D-Bus: (sss)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Value, OwnedValue)]
pub struct OptionInfo {
    /// The key, `auth.no_user_interaction`.
    pub key: String,
    /// The D-Bus signature its value must have (`b`, `s`).
    pub signature: String,
    /// What it does and which methods take it, in words.
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_enums_agree_between_serde_and_zvariant() {
        let v = Value::from(StageState::InProgress);
        assert_eq!(v, Value::from("in_progress"));
        assert_eq!(
            serde_json::to_string(&StageState::InProgress).expect("json"),
            "\"in_progress\""
        );
        let back = StageState::try_from(Value::from("in_progress")).expect("decodes");
        assert_eq!(back, StageState::InProgress);
    }
}
