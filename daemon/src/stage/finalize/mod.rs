//! The finalize stage: processes left in the target stopped, the install log (no secrets)
//! copied into it, the target unmounted, its swap off and its encrypted volumes closed;
//! then optionally a reboot through logind (never in sandbox mode).

mod reboot;
mod target;

use levitate_dbus::Action;
use serde::{Deserialize, Serialize};

use crate::{
    install_state::InstallState,
    ops::StageOp,
    plan::{PlanBuilder, PlanError},
    stage::{
        disks::DiskExecutor, simulate::SimMachine, ExecError, ExecResult, StageExecutor, StageId,
        StepContext,
    },
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum FinalizeOp {
    Finish,
    Reboot,
}

impl StageOp for FinalizeOp {
    const STAGE: StageId = StageId::Finalize;

    fn kind(&self) -> &'static str {
        match self {
            Self::Finish => "finish",
            Self::Reboot => "reboot",
        }
    }

    fn nominal_seconds(&self) -> f64 {
        match self {
            Self::Finish => 0.5,
            Self::Reboot => 0.15,
        }
    }

    fn runs_for_real(&self) -> bool {
        true
    }

    fn apply(&self, state: &mut InstallState) {
        if let Self::Finish = self {
            // The target is released: unmounted, its swap off, its volumes closed.
            state.finished = true;
            state.mounts.clear();
            state.swaps.clear();
        }
    }

    fn simulate(&self, sim: &mut SimMachine<'_>) {
        if let Self::Finish = self {
            crate::stage::disks::simulate::release(sim);
        }
    }
}

/// `finish` (with or without a reboot) and `reboot`.
pub fn plan_action(b: &mut PlanBuilder<'_>, action: &Action) -> Option<Result<(), PlanError>> {
    match action {
        Action::Finish { reboot } => {
            if !b.state.bootloader_installed {
                b.warnings.push(crate::plan::notice(
                    "no-bootloader",
                    "No bootloader has been installed: the new system will not start on its own."
                        .into(),
                    &[],
                ));
            }
            b.push(
                "Unmount the target and close encrypted volumes",
                FinalizeOp::Finish,
            );
            b.summary.push("finishes the installation".into());
            if *reboot == Some(true) {
                b.push("Reboot into the new system", FinalizeOp::Reboot);
                b.reboot = true;
            }
        }
        Action::Reboot => {
            b.push("Reboot the machine", FinalizeOp::Reboot);
            b.summary.push("reboots".into());
            b.reboot = true;
        }
        _ => return None,
    }
    Some(Ok(()))
}

/// Carries out the finalize stage; releasing the target is the disk executor's work, since
/// it knows what this job opened.
pub struct FinalizeExecutor<'a> {
    pub disks: &'a mut DiskExecutor,
}

impl StageExecutor for FinalizeExecutor<'_> {
    type Op = FinalizeOp;

    fn run(&mut self, op: &FinalizeOp, cx: &mut StepContext<'_>) -> ExecResult {
        match op {
            FinalizeOp::Finish => {
                target::stop_processes(&cx.config.target_root);
                if cx.state.mounts.contains_key("/") {
                    target::copy_log(cx.config)?;
                }
                self.disks.release(cx.config, cx.state)
            }
            FinalizeOp::Reboot => {
                if cx.config.sandbox.is_some() {
                    return Err(ExecError::Refused(
                        "in sandbox mode the installer never restarts this machine; boot the image instead".into(),
                    ));
                }
                reboot::reboot()
            }
        }
    }
}
