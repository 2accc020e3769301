//! Executors carry out plan steps. The simulated executor is a permanent feature (demos,
//! frontend development, tests): it reports realistic step-by-step progress and writes
//! nothing. Real disk and system executors plug in beside it.

use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use zeroize::Zeroizing;

use crate::{
    planner::{Fs, Operation, Step},
    size::MIB,
};

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Failed(String),
}

/// Progress of a data-moving step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub fraction_permille: u32,
    pub bytes: u64,
    pub total_bytes: u64,
    pub rate: u64,
}

/// Simulated copy speed: a SATA SSD with the live system's mix of small and large files.
const SIM_COPY_RATE: u64 = 350 * MIB;

pub struct SimulatedExecutor {
    /// 1.0 is realistic; tests run faster, demos may run slower.
    pub speed: f64,
    /// Operation kind (`copy_system`, `make_fs` ...) that fails, to show failures.
    pub fail: Option<String>,
}

pub fn operation_kind(op: &Operation) -> &'static str {
    match op {
        Operation::UnmountTarget => "unmount_target",
        Operation::WriteTable { .. } => "write_table",
        Operation::RestoreTable { .. } => "restore_table",
        Operation::CreatePartition { .. } => "create_partition",
        Operation::LuksFormat { .. } => "luks_format",
        Operation::MakeFs { .. } => "make_fs",
        Operation::Mount { .. } => "mount",
        Operation::SwapOn { .. } => "swap_on",
        Operation::CopySystem { .. } => "copy_system",
        Operation::WriteFstab => "write_fstab",
        Operation::InstallBootloader { .. } => "install_bootloader",
        Operation::SetHostname(_) => "set_hostname",
        Operation::SetTimezone(_) => "set_timezone",
        Operation::SetLocale(_) => "set_locale",
        Operation::SetKeyboard(_) => "set_keyboard",
        Operation::CreateUser { .. } => "create_user",
        Operation::SetPassword { .. } => "set_password",
        Operation::AddToGroup { .. } => "add_to_group",
        Operation::Finish => "finish",
        Operation::Reboot => "reboot",
    }
}

impl SimulatedExecutor {
    /// Seconds the real operation takes on a typical machine; also the weight of a step in
    /// a job's overall progress, so that a long copy moves the bar more than a mount.
    pub fn nominal_seconds(op: &Operation) -> f64 {
        match op {
            Operation::WriteTable { .. } => 0.6,
            Operation::LuksFormat { .. } => 2.5,
            Operation::MakeFs {
                fs: Fs::Vfat | Fs::Swap,
                ..
            }
            | Operation::SetPassword { .. }
            | Operation::CreateUser { .. } => 0.3,
            Operation::MakeFs { .. } => 1.2,
            Operation::CopySystem { bytes } => {
                #[allow(clippy::cast_precision_loss)]
                let s = *bytes as f64 / SIM_COPY_RATE as f64;
                s
            }
            Operation::InstallBootloader { .. } => 3.0,
            Operation::Finish | Operation::UnmountTarget => 0.5,
            _ => 0.15,
        }
    }

    /// Runs one step. `secret` is the step's secret, when it needs one; the simulation only
    /// checks that it is there.
    pub async fn run_step(
        &self,
        step: &Step,
        secret: Option<&Zeroizing<Vec<u8>>>,
        cancel: &CancellationToken,
        mut progress: impl FnMut(Progress),
    ) -> Result<(), ExecError> {
        if step.secret.is_some() && secret.is_none_or(|s| s.is_empty()) {
            return Err(ExecError::Failed(format!(
                "{}: the secret is missing",
                step.description
            )));
        }
        let total =
            Duration::from_secs_f64(Self::nominal_seconds(&step.op) / self.speed.max(0.001));
        let bytes_total = match step.op {
            Operation::CopySystem { bytes } => bytes,
            _ => 0,
        };
        let started = Instant::now();
        let tick = Duration::from_millis(100);
        loop {
            let elapsed = started.elapsed();
            let frac = if total.is_zero() {
                1.0
            } else {
                (elapsed.as_secs_f64() / total.as_secs_f64()).min(1.0)
            };
            if bytes_total > 0 {
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    clippy::cast_precision_loss
                )]
                let done = (bytes_total as f64 * frac) as u64;
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    clippy::cast_precision_loss
                )]
                let rate = if elapsed.as_secs_f64() > 0.0 {
                    (done as f64 / elapsed.as_secs_f64()) as u64
                } else {
                    0
                };
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                progress(Progress {
                    fraction_permille: (frac * 1000.0) as u32,
                    bytes: done,
                    total_bytes: bytes_total,
                    rate,
                });
            }
            if self.fail.as_deref() == Some(operation_kind(&step.op)) && frac >= 0.5 {
                return Err(ExecError::Failed(format!(
                    "{} failed (simulated failure requested with --simulate-failure)",
                    step.description
                )));
            }
            if frac >= 1.0 {
                break;
            }
            if step.cancelable && cancel.is_cancelled() {
                return Err(ExecError::Cancelled);
            }
            tokio::select! {
                () = cancel.cancelled(), if step.cancelable => {}
                () = tokio::time::sleep(tick.min(total.saturating_sub(elapsed))) => {}
            }
        }
        Ok(())
    }
}
