//! The bootloader stage: the target's own GRUB, for UEFI into the EFI system partition
//! (with the removable fallback path) or for BIOS into a disk's boot sector, its menu made
//! by the target's `grub-mkconfig` with the root given by UUID, and the initramfs rebuilt
//! (and checked, for an encrypted root) first.

mod grub;

use levitate_dbus::Action;
use serde::{Deserialize, Serialize};

use crate::{
    install_state::InstallState,
    machine::Firmware,
    ops::StageOp,
    plan::{PlanBuilder, PlanError},
    stage::{ExecResult, StageExecutor, StageId, StepContext},
    validate,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum BootloaderOp {
    InstallBootloader {
        /// `efi`, or the disk whose boot sector gets GRUB.
        target: String,
        /// Extra kernel parameters, validated.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        kernel_args: String,
        /// Whether GRUB looks for other systems (another one was found on the disks).
        #[serde(default)]
        os_prober: bool,
    },
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
        true
    }

    fn apply(&self, state: &mut InstallState) {
        state.bootloader_installed = true;
    }

    fn interrupted(&self, state: &mut InstallState) {
        state.bootloader_installed = false;
    }
}

/// `install_bootloader`: after the copy; where it goes follows the firmware.
pub fn plan_action(b: &mut PlanBuilder<'_>, action: &Action) -> Option<Result<(), PlanError>> {
    let Action::InstallBootloader {
        target,
        kernel_args,
    } = action
    else {
        return None;
    };
    Some(plan_install(
        b,
        target.as_deref(),
        kernel_args.as_deref().unwrap_or(""),
    ))
}

fn plan_install(
    b: &mut PlanBuilder<'_>,
    target: Option<&str>,
    kernel_args: &str,
) -> Result<(), PlanError> {
    if !b.state.system_copied {
        return Err(PlanError::NotReady(
            "the system is not copied yet: install the system before the bootloader".into(),
        ));
    }
    validate::kernel_args(kernel_args).map_err(PlanError::Invalid)?;
    let target = match (b.ctx.machine.firmware, target) {
        (Firmware::Uefi, None | Some("efi")) => "efi".to_owned(),
        (Firmware::Bios, Some("efi")) => return Err(PlanError::Invalid("this machine boots with BIOS, so the bootloader goes to a disk, not to an EFI partition".into())),
        (Firmware::Bios, None) => b.state.root_disk.clone().ok_or_else(|| PlanError::NotReady("no disk holds the target root; choose a disk first".into()))?,
        (_, Some(disk)) => b.disk(disk)?.path.clone(),
    };
    if target == "efi" && !b.state.mounts.contains_key("/boot/efi") {
        return Err(PlanError::NotReady(
            "no EFI system partition is mounted at /boot/efi in the target; partition the disk for UEFI first".into(),
        ));
    }
    let what = if target == "efi" {
        "GRUB for UEFI into the EFI system partition".to_owned()
    } else {
        format!("GRUB for BIOS into the boot sector of {target}")
    };
    // Another system on the disks gets a menu entry.
    let os_prober = b.ctx.machine.disks.iter().any(|d| {
        d.partitions.iter().any(|p| {
            p.description.ends_with(" installed")
                || p.fs == "ntfs"
                || p.fs == "BitLocker"
                || p.kind == "msr"
        })
    });
    let extra = if kernel_args.is_empty() {
        String::new()
    } else {
        format!(" (kernel parameters: {kernel_args})")
    };
    b.push(
        format!("Install {what}{extra}"),
        BootloaderOp::InstallBootloader {
            target,
            kernel_args: kernel_args.to_owned(),
            os_prober,
        },
    );
    b.summary.push("installs the bootloader".into());
    Ok(())
}

/// Carries out the bootloader stage on the real target.
pub struct BootloaderExecutor;

impl StageExecutor for BootloaderExecutor {
    type Op = BootloaderOp;

    fn run(&mut self, op: &BootloaderOp, cx: &mut StepContext<'_>) -> ExecResult {
        let BootloaderOp::InstallBootloader {
            target,
            kernel_args,
            os_prober,
        } = op;
        grub::install(cx, target, kernel_args, *os_prober)
    }
}
