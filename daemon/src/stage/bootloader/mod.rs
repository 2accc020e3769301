//! The bootloader stage: GRUB for UEFI into the EFI system partition, or for BIOS into a
//! disk's boot sector. Planned and simulated; not yet carried out on real disks.

use levitate_dbus::Action;
use serde::{Deserialize, Serialize};

use crate::{
    install_state::InstallState,
    machine::Firmware,
    ops::StageOp,
    plan::{PlanBuilder, PlanError},
    stage::{ExecError, ExecResult, StageExecutor, StageId, StepContext},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum BootloaderOp {
    /// `target`: `efi`, or the disk whose boot sector gets GRUB.
    InstallBootloader { target: String },
}

impl StageOp for BootloaderOp {
    const STAGE: StageId = StageId::Bootloader;

    fn kind(&self) -> &'static str {
        "install_bootloader"
    }

    fn nominal_seconds(&self) -> f64 {
        3.0
    }

    fn runs_for_real(&self) -> bool {
        false
    }

    fn apply(&self, state: &mut InstallState) {
        state.bootloader_installed = true;
    }
}

/// `install_bootloader`: after the copy; where it goes follows the firmware.
pub fn plan_action(b: &mut PlanBuilder<'_>, action: &Action) -> Option<Result<(), PlanError>> {
    let Action::InstallBootloader { target } = action else {
        return None;
    };
    Some(plan_install(b, target.as_deref()))
}

fn plan_install(b: &mut PlanBuilder<'_>, target: Option<&str>) -> Result<(), PlanError> {
    if !b.state.system_copied {
        return Err(PlanError::NotReady(
            "the system is not copied yet: install the system before the bootloader".into(),
        ));
    }
    let target = match (b.ctx.machine.firmware, target) {
        (Firmware::Uefi, None | Some("efi")) => "efi".to_owned(),
        (Firmware::Bios, Some("efi")) => return Err(PlanError::Invalid("this machine boots with BIOS, so the bootloader goes to a disk, not to an EFI partition".into())),
        (Firmware::Bios, None) => b.state.root_disk.clone().ok_or_else(|| PlanError::NotReady("no disk holds the target root; choose a disk first".into()))?,
        (_, Some(disk)) => b.disk(disk)?.path.clone(),
    };
    let what = if target == "efi" {
        "GRUB for UEFI into the EFI system partition".to_owned()
    } else {
        format!("GRUB for BIOS into the boot sector of {target}")
    };
    b.push(
        format!("Install {what}"),
        BootloaderOp::InstallBootloader { target },
    );
    b.summary.push("installs the bootloader".into());
    Ok(())
}

/// Carries out the bootloader stage on the real target (not in this version).
pub struct BootloaderExecutor;

impl StageExecutor for BootloaderExecutor {
    type Op = BootloaderOp;

    fn run(&mut self, op: &BootloaderOp, _cx: &mut StepContext<'_>) -> ExecResult {
        Err(ExecError::NotSupported(op.kind()))
    }
}
