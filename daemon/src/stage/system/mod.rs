//! The system stage: copying the live system into the target, then its fstab and crypttab.
//! Copying runs in simulation only in this version; fstab and crypttab are written for real.

pub mod copy;
mod copy_dir;
mod fstab;
mod prepare;
pub mod source;

use levitate_dbus::Action;
use serde::{Deserialize, Serialize};

#[cfg(test)]
pub use self::fstab::{render_crypttab, render_fstab, FstabEntry};
use crate::{
    install_state::InstallState,
    ops::StageOp,
    plan::{PlanBuilder, PlanError},
    size::{human, MIB},
    stage::{ExecError, ExecResult, StageExecutor, StageId, StepContext},
    validate,
};

/// Simulated copy speed: a SATA SSD with the live system's mix of small and large files.
const SIM_COPY_RATE: u64 = 350 * MIB;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum SystemOp {
    CopySystem {
        bytes: u64,
    },
    /// `/etc/fstab` and `/etc/crypttab` of the target, by UUID.
    WriteFstab,
}

impl StageOp for SystemOp {
    const STAGE: StageId = StageId::System;

    fn kind(&self) -> &'static str {
        match self {
            Self::CopySystem { .. } => "copy_system",
            Self::WriteFstab => "write_fstab",
        }
    }

    fn nominal_seconds(&self) -> f64 {
        match self {
            #[allow(clippy::cast_precision_loss)]
            Self::CopySystem { bytes } => *bytes as f64 / SIM_COPY_RATE as f64,
            Self::WriteFstab => 0.15,
        }
    }

    fn bytes(&self) -> u64 {
        match self {
            Self::CopySystem { bytes } => *bytes,
            Self::WriteFstab => 0,
        }
    }

    fn runs_for_real(&self) -> bool {
        true
    }

    fn apply(&self, state: &mut InstallState) {
        if let Self::CopySystem { .. } = self {
            state.system_copied = true;
        }
    }

    fn interrupted(&self, state: &mut InstallState) {
        if let Self::CopySystem { .. } = self {
            state.system_copied = false;
        }
    }
}

/// `copy_system`: the live system into the mounted target, then its fstab.
pub fn plan_action(b: &mut PlanBuilder<'_>, action: &Action) -> Option<Result<(), PlanError>> {
    let Action::CopySystem { source, target } = action else {
        return None;
    };
    Some(plan_copy(b, source.as_deref(), target.as_deref()))
}

fn plan_copy(
    b: &mut PlanBuilder<'_>,
    source: Option<&str>,
    target: Option<&str>,
) -> Result<(), PlanError> {
    if let Some(t) = target.filter(|t| *t != b.ctx.target_root) {
        return Err(PlanError::Invalid(format!(
            "the system is copied to the target root {}, not {}",
            b.ctx.target_root,
            validate::display_text(t, 64)
        )));
    }
    let bytes = match (b.ctx.simulated, b.ctx.source) {
        (true, _) => {
            if source.is_some_and(|s| s != "/" && s != "live") {
                return Err(PlanError::NotSupported(
                    "the system is copied from the running live system; other sources are not supported"
                        .into(),
                ));
            }
            b.ctx.machine.system_size
        }
        (false, None) => {
            return Err(PlanError::NotReady(
                "there is no system to copy: no live image was found; start the installer with --source"
                    .into(),
            ))
        }
        (false, Some(offered)) => {
            if let Some(name) = source.filter(|n| !offered.named_by(n)) {
                return Err(PlanError::NotSupported(format!(
                    "the installer copies only the system it offers ({}), not {}",
                    offered.path.display(),
                    validate::display_text(name, 64)
                )));
            }
            offered.bytes()
        }
    };
    if !b.state.mounts.contains_key("/") {
        return Err(PlanError::NotReady(format!(
            "nothing is mounted at {} yet: choose a disk to install to first",
            b.ctx.target_root
        )));
    }
    b.push(
        format!(
            "Copy the live system ({}) to {}",
            human(bytes),
            b.ctx.target_root
        ),
        SystemOp::CopySystem { bytes },
    );
    b.push(
        "Write /etc/fstab and /etc/crypttab by UUID",
        SystemOp::WriteFstab,
    );
    b.summary.push("copies the system".into());
    Ok(())
}

/// Carries out the system stage on the real target.
pub struct SystemExecutor;

impl StageExecutor for SystemExecutor {
    type Op = SystemOp;

    fn run(&mut self, op: &SystemOp, cx: &mut StepContext<'_>) -> ExecResult {
        match op {
            SystemOp::WriteFstab => fstab::write(&cx.config.target_root, cx.state),
            SystemOp::CopySystem { .. } => {
                let source = cx.config.source.as_ref().ok_or_else(|| {
                    ExecError::Failed("there is no system to copy: no source was given".into())
                })?;
                let target = std::path::Path::new(&cx.config.target_root);
                copy::copy(source, target, cx.cancel, cx.progress)?;
                prepare::copied_system(target)
            }
        }
    }
}
