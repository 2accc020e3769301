//! What has been carried out so far. The planner checks order against it, the actor
//! publishes it, a restarted daemon rebuilds it from the journal, and executors consult it;
//! all of them change it only through [`InstallState::apply`], whose per-operation rules
//! live with each stage (`StageOp::apply`).

use std::collections::BTreeMap;

use levitate_dbus::UserInfo;

use crate::ops::Operation;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallState {
    /// Target mounts made by the installer: mount point inside the target -> device.
    pub mounts: BTreeMap<String, String>,
    /// Swap devices the installer activated.
    pub swaps: Vec<String>,
    /// Disk holding the target's root filesystem.
    pub root_disk: Option<String>,
    pub system_copied: bool,
    pub bootloader_installed: bool,
    /// `hostname`, `timezone`, `locale`, `keyboard`.
    pub config: BTreeMap<String, String>,
    pub users: Vec<UserInfo>,
    pub finished: bool,
    /// The disk whose old partition table `undo` can put back: set when the installer
    /// changes a table, cleared once a filesystem or LUKS header is written on that disk.
    pub undo_table: Option<String>,
}

impl InstallState {
    /// Applies what a successful step changed.
    pub fn apply(&mut self, op: &Operation) {
        op.apply_to(self);
    }

    /// A step that started and did not finish (cancelled, failed, or the daemon stopped):
    /// what it was redoing is not done (`StageOp::interrupted`).
    pub fn interrupted(&mut self, op: &Operation) {
        op.interrupted_in(self);
    }

    pub fn user_mut(&mut self, name: &str) -> Option<&mut UserInfo> {
        self.users.iter_mut().find(|u| u.name == name)
    }

    /// The target was unmounted for a new layout: what was installed into it is gone.
    pub fn target_released(&mut self) {
        self.mounts.clear();
        self.swaps.clear();
        self.root_disk = None;
        self.system_copied = false;
        self.bootloader_installed = false;
    }

    /// A root was mounted as the target: what an earlier installation configured lived in
    /// its target, not in this one.
    pub fn new_target(&mut self) {
        self.system_copied = false;
        self.bootloader_installed = false;
        self.finished = false;
        self.config.clear();
        self.users.clear();
    }

    /// What a plan depends on besides the disks: a plan made before another one ran is
    /// stale when this changed.
    pub fn fingerprint(&self, h: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        (
            &self.mounts,
            &self.swaps,
            self.system_copied,
            self.bootloader_installed,
            self.finished,
        )
            .hash(h);
        for u in &self.users {
            u.name.hash(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::{config::ConfigOp, disks::DiskOp, users::UserOp};

    #[test]
    fn install_state_applies_steps() {
        let mut s = InstallState::default();
        s.apply(
            &DiskOp::Mount {
                disk: "/dev/sda".into(),
                partition: "/dev/sda2".into(),
                device: "/dev/sda2".into(),
                mountpoint: "/".into(),
            }
            .into(),
        );
        s.apply(
            &UserOp::CreateUser {
                name: "vince".into(),
                sudo: true,
            }
            .into(),
        );
        s.apply(
            &UserOp::SetPassword {
                user: "vince".into(),
            }
            .into(),
        );
        s.apply(
            &UserOp::AddToGroup {
                user: "vince".into(),
                group: "video".into(),
            }
            .into(),
        );
        s.apply(&ConfigOp::SetHostname("box".into()).into());
        assert_eq!(s.mounts.get("/").map(String::as_str), Some("/dev/sda2"));
        assert_eq!(s.root_disk.as_deref(), Some("/dev/sda"));
        assert!(s.users[0].password_set && s.users[0].sudo);
        assert_eq!(s.users[0].groups, ["video"]);
        assert_eq!(s.config.get("hostname").map(String::as_str), Some("box"));
        s.system_copied = true;
        s.apply(&DiskOp::UnmountTarget.into());
        assert!(s.mounts.is_empty());
        assert_eq!(s.root_disk, None, "a new layout replaces the target");
        assert!(!s.system_copied);
        s.apply(&crate::stage::finalize::FinalizeOp::Finish.into());
        assert!(s.finished && s.mounts.is_empty());
        s.apply(
            &DiskOp::Mount {
                disk: "/dev/sdb".into(),
                partition: "/dev/sdb2".into(),
                device: "/dev/sdb2".into(),
                mountpoint: "/".into(),
            }
            .into(),
        );
        assert!(
            s.users.is_empty() && s.config.is_empty() && !s.finished,
            "a second installation starts from nothing"
        );
    }
}
