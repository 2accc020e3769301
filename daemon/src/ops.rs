//! Operations: what a step does. One enum per stage, each defined in its stage's folder;
//! [`Operation`] only says which stage an operation belongs to. Everything else about an
//! operation (its kind, weight, whether it touches disks, how it changes the install state
//! when it finishes and when it does not, whether it runs on real disks yet, its simulated
//! effect) is answered by its stage through
//! [`StageOp`], so adding one touches the wire action and the stage's folder only.
//!
//! Serialized into the step journal (they hold no secrets) as `{"op": kind, "args": ...}`,
//! the same shape for every stage, so the journal does not say how the code is organised.

use serde::{Deserialize, Serialize};

use crate::{
    install_state::InstallState,
    stage::{
        bootloader::BootloaderOp, config::ConfigOp, disks::DiskOp, finalize::FinalizeOp,
        simulate::SimMachine, system::SystemOp, users::UserOp, StageId,
    },
};

/// What every stage answers about its operations.
pub trait StageOp {
    const STAGE: StageId;
    /// Stable `snake_case` name (`make_fs`), used in the journal, `--simulate-failure` and
    /// messages.
    fn kind(&self) -> &'static str;
    /// Seconds the operation takes on a typical machine: the simulation's duration and the
    /// step's weight in a job's overall progress, so a long copy moves the bar more than a
    /// mount.
    fn nominal_seconds(&self) -> f64 {
        0.15
    }
    /// Bytes the operation moves, when it reports byte progress.
    fn bytes(&self) -> u64 {
        0
    }
    /// Whether it changes a partition table or writes a filesystem or LUKS header: the
    /// class of operation that needs the erase-disk authorization.
    fn touches_disks(&self) -> bool {
        false
    }
    /// Whether the real executor carries it out in this version.
    fn runs_for_real(&self) -> bool;
    /// What a finished operation changed in the install state. The one place this is
    /// decided: the planner, the actor, journal replay and the executors all call it
    /// through [`InstallState::apply`].
    fn apply(&self, state: &mut InstallState);
    /// What a step that started and did not finish (cancelled, failed, the daemon
    /// stopped) leaves undone in the install state: the result of an earlier run of the
    /// same work no longer stands, because this one was redoing it (a second copy stopped
    /// halfway has overwritten part of the first).
    fn interrupted(&self, _state: &mut InstallState) {}
    /// What a finished operation changes on a simulated machine.
    fn simulate(&self, _sim: &mut SimMachine<'_>) {}
    /// Stages whose outcome a finished operation undoes on the checklist (a new layout
    /// replaces the target, and what was installed into it is gone).
    fn resets(&self) -> &'static [StageId] {
        &[]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Operation {
    Disks(DiskOp),
    System(SystemOp),
    Config(ConfigOp),
    Users(UserOp),
    Bootloader(BootloaderOp),
    Finalize(FinalizeOp),
}

/// Runs `$body` with `$o` bound to the stage's operation and `$t` to its type.
macro_rules! per_stage {
    ($op:expr, $o:ident => $body:expr) => {
        match $op {
            Operation::Disks($o) => $body,
            Operation::System($o) => $body,
            Operation::Config($o) => $body,
            Operation::Users($o) => $body,
            Operation::Bootloader($o) => $body,
            Operation::Finalize($o) => $body,
        }
    };
}

fn stage_of<T: StageOp>(_: &T) -> StageId {
    T::STAGE
}

impl Operation {
    pub fn stage(&self) -> StageId {
        per_stage!(self, o => stage_of(o))
    }

    pub fn kind(&self) -> &'static str {
        per_stage!(self, o => o.kind())
    }

    pub fn nominal_seconds(&self) -> f64 {
        per_stage!(self, o => o.nominal_seconds())
    }

    /// The stable operation id clients see (`Plan.StepIds`, `Job.StepResults`, `Job.Log`):
    /// the stage id and what the operation does, documented in docs/DBUS.md. Unlike
    /// [`Operation::kind`] it names the stage, and it never changes once published.
    pub fn operation_id(&self) -> &'static str {
        operation_id(self.kind())
    }

    pub fn bytes(&self) -> u64 {
        per_stage!(self, o => o.bytes())
    }

    pub fn touches_disks(&self) -> bool {
        per_stage!(self, o => o.touches_disks())
    }

    pub fn runs_for_real(&self) -> bool {
        per_stage!(self, o => o.runs_for_real())
    }

    pub(crate) fn apply_to(&self, state: &mut InstallState) {
        per_stage!(self, o => o.apply(state));
    }

    pub(crate) fn interrupted_in(&self, state: &mut InstallState) {
        per_stage!(self, o => o.interrupted(state));
    }

    pub fn resets(&self) -> &'static [StageId] {
        per_stage!(self, o => o.resets())
    }

    pub fn simulate(&self, sim: &mut SimMachine<'_>) {
        per_stage!(self, o => o.simulate(sim));
    }
}

/// The operation id of each operation kind. A kind missing here gets `other.<kind>`, which
/// the unit test below catches.
fn operation_id(kind: &str) -> &'static str {
    match kind {
        "unmount_target" => "disks.unmount-target",
        "write_table" => "disks.write-table",
        "restore_table" => "disks.restore-table",
        "create_partition" => "disks.create-partition",
        "luks_format" => "disks.encrypt",
        "make_fs" => "disks.format",
        "mount" => "disks.mount",
        "swap_on" => "disks.swap-on",
        "copy_system" => "system.copy",
        "write_fstab" => "system.fstab",
        "set_hostname" => "configuration.hostname",
        "set_timezone" => "configuration.timezone",
        "set_locale" => "configuration.locale",
        "set_keyboard" => "configuration.keyboard",
        "create_user" => "users.create",
        "set_password" => "users.password",
        "add_to_group" => "users.add-to-group",
        "install_bootloader" => "bootloader.install",
        "finish" => "finalize.finish",
        "reboot" => "finalize.reboot",
        _ => "other",
    }
}

/// The operation id of every step, index-aligned: the second step of one operation id
/// gets `#2`, the third `#3` (`disks.format`, `disks.format#2`).
pub fn step_ids<'a>(ops: impl IntoIterator<Item = &'a Operation>) -> Vec<String> {
    let mut seen: std::collections::HashMap<&'static str, usize> = std::collections::HashMap::new();
    ops.into_iter()
        .map(|op| {
            let id = op.operation_id();
            let n = seen.entry(id).or_insert(0);
            *n += 1;
            if *n == 1 {
                id.to_owned()
            } else {
                format!("{id}#{n}")
            }
        })
        .collect()
}

macro_rules! from_stage_op {
    ($($t:ty => $v:ident),+ $(,)?) => {$(
        impl From<$t> for Operation {
            fn from(op: $t) -> Self {
                Self::$v(op)
            }
        }
    )+};
}

from_stage_op!(
    DiskOp => Disks,
    SystemOp => System,
    ConfigOp => Config,
    UserOp => Users,
    BootloaderOp => Bootloader,
    FinalizeOp => Finalize,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_form_names_the_operation_not_the_stage() {
        let op: Operation = ConfigOp::SetHostname("box".into()).into();
        let json = serde_json::to_string(&op).expect("json");
        assert_eq!(json, r#"{"op":"set_hostname","args":"box"}"#);
        assert_eq!(serde_json::from_str::<Operation>(&json).expect("back"), op);
        let unit: Operation = FinalizeOp::Finish.into();
        let json = serde_json::to_string(&unit).expect("json");
        assert_eq!(json, r#"{"op":"finish"}"#);
        assert_eq!(
            serde_json::from_str::<Operation>(&json).expect("back"),
            unit
        );
        // A journal written before `Mount` named its disk still reads.
        let old = r#"{"op":"mount","args":{"partition":"/dev/vda2","device":"/dev/vda2","mountpoint":"/"}}"#;
        assert!(matches!(
            serde_json::from_str::<Operation>(old).expect("old mount"),
            Operation::Disks(DiskOp::Mount { .. })
        ));
        assert_eq!(unit.stage(), StageId::Finalize);
        assert_eq!(op.kind(), "set_hostname");
    }

    #[test]
    fn every_operation_kind_has_an_operation_id_and_repeats_are_numbered() {
        // Every kind any stage names (grep `fn kind` in stage/*/mod.rs).
        for kind in [
            "unmount_target",
            "write_table",
            "restore_table",
            "create_partition",
            "luks_format",
            "make_fs",
            "mount",
            "swap_on",
            "copy_system",
            "write_fstab",
            "set_hostname",
            "set_timezone",
            "set_locale",
            "set_keyboard",
            "create_user",
            "set_password",
            "add_to_group",
            "install_bootloader",
            "finish",
            "reboot",
        ] {
            let id = operation_id(kind);
            assert_ne!(id, "other", "{kind} has no operation id");
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '-'),
                "{id}"
            );
        }
        let ops: Vec<Operation> = vec![
            ConfigOp::SetHostname("a".into()).into(),
            FinalizeOp::Finish.into(),
            ConfigOp::SetHostname("b".into()).into(),
            ConfigOp::SetHostname("c".into()).into(),
        ];
        assert_eq!(
            step_ids(&ops),
            [
                "configuration.hostname",
                "finalize.finish",
                "configuration.hostname#2",
                "configuration.hostname#3"
            ]
        );
    }
}
