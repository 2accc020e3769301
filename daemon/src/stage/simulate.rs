//! The simulated machine as steps finish: what each operation changes is its stage's
//! `StageOp::simulate`; this is what they all work on.

use std::collections::HashMap;

use levitate_dbus::Disk;

use crate::{
    install_state::InstallState,
    machine::{refresh_in_use, Machine},
    ops::Operation,
};

/// A simulated machine and what its effects need.
pub struct SimMachine<'a> {
    pub machine: &'a mut Machine,
    /// The install state before the operation is applied.
    pub state: &'a InstallState,
    pub target_root: &'a str,
    /// A fresh filesystem UUID for this step.
    pub uuid: String,
    /// Each disk as it was before the installer first changed its table, for undo.
    pub saved_tables: &'a mut HashMap<String, Disk>,
}

impl SimMachine<'_> {
    pub fn target(&self, mountpoint: &str) -> String {
        crate::stage::target_path(self.target_root, mountpoint)
    }

    /// (disk index, partition index) of a partition.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        self.machine.disks.iter().enumerate().find_map(|(di, d)| {
            d.partitions
                .iter()
                .position(|p| p.path == path)
                .map(|pi| (di, pi))
        })
    }
}

/// Applies a finished operation to a simulated machine; `n` numbers the step (for UUIDs).
pub fn effect(
    machine: &mut Machine,
    saved_tables: &mut HashMap<String, Disk>,
    state: &InstallState,
    op: &Operation,
    target_root: &str,
    n: u64,
) {
    let mut sim = SimMachine {
        machine,
        state,
        target_root,
        uuid: format!("{n:08x}-5e1a-4000-8000-{n:012x}"),
        saved_tables,
    };
    op.simulate(&mut sim);
    for d in &mut sim.machine.disks {
        refresh_in_use(d);
    }
}
