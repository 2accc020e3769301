//! The install state as steps finish, the machine the planner reads, and what a restarted
//! daemon picks up from the journal.

use levitate_dbus::ErrorInfo;
use tracing::info;

use super::{Actor, Mode};
use crate::{
    iface::lock,
    job::journal::{self, Journal},
    machine::Machine,
    ops::Operation,
    probe,
    stage::{disks::mounted_under, simulate, system::source::Source},
};

impl Actor {
    /// A restarted daemon picks up what earlier runs did on this boot from the journal:
    /// finished steps are applied again to the install state, then checked against what is
    /// really mounted now.
    pub fn replay_journal(&mut self) {
        if !matches!(self.mode, Mode::Real { .. }) {
            return;
        }
        let records = Journal::new(&self.settings.state_dir).read();
        let ops = journal::outcomes(&records);
        if ops.is_empty() {
            return;
        }
        for (op, finished) in &ops {
            if *finished {
                self.stages.finished(op.stage(), true);
                self.stages.applied(op);
            } else {
                // Neither done (the work did not finish) nor failed for this run.
                self.stages.started(op.stage());
                self.stages.stopped(op.stage());
            }
        }
        self.state = journal::replay(&records);
        let mounted = mounted_under(&self.settings.target_root);
        if !mounted {
            self.state.mounts.clear();
            self.state.swaps.clear();
        }
        if let Some(job) = journal::interrupted_job(&records) {
            lock(&self.manager).last_error = ErrorInfo {
                name: "org.levitateos.Installer1.Error.Failed".into(),
                message: format!(
                    "job {job} was interrupted: the daemon stopped in the middle of one of its steps; it is safe to run the plan again"
                ),
            };
        }
        lock(&self.manager).stages = self.stages.snapshot();
        info!(
            steps = ops.len(),
            target_mounted = mounted,
            "state picked up from the step journal"
        );
    }

    /// The machine as it is now. Probing reads sysfs and runs `blkid`/`debugfs`, so it runs
    /// on a blocking thread, not on the actor's.
    pub(super) async fn machine(&self) -> Machine {
        match &self.mode {
            Mode::Simulated { machine, .. } => machine.clone(),
            Mode::Real { sandbox } => {
                let sandbox = sandbox.clone();
                let idle = self.active_job.is_none();
                // A directory source's size may still be being summed: waited for here too.
                let source = self.settings.source.clone();
                let mut m = tokio::task::spawn_blocking(move || {
                    let mut m = probe::probe_system_with(sandbox.as_deref(), idle);
                    m.system_size = source.as_ref().map_or(0, Source::bytes);
                    m
                })
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "probing the disks crashed");
                    Machine {
                        firmware: crate::machine::Firmware::detect(),
                        memory: 0,
                        disks: Vec::new(),
                        system_size: 0,
                        details: std::collections::BTreeMap::new(),
                    }
                });
                if let Some(f) = self.settings.firmware {
                    m.firmware = f;
                }
                m
            }
        }
    }

    /// Applies a finished step to the install state, the checklist and, in simulation, the
    /// machine.
    pub(super) fn apply(&mut self, op: &Operation) {
        if let Mode::Simulated { machine, .. } = &mut self.mode {
            self.uuid_counter += 1;
            simulate::effect(
                machine,
                &mut self.sim_tables,
                &self.state,
                op,
                &self.settings.target_root,
                self.uuid_counter,
            );
        }
        self.state.apply(op);
        self.stages.applied(op);
    }
}
