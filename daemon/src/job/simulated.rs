//! The simulated executor, a permanent feature (demos, frontend development, tests): it
//! reports realistic step-by-step progress and writes nothing.

use std::time::{Duration, Instant};

use super::JobExecutor;
use crate::{
    plan::Step,
    stage::{ExecError, ExecResult, Progress, StepContext},
};

pub struct SimulatedExecutor {
    /// 1.0 is realistic; tests run faster, demos may run slower.
    pub speed: f64,
    /// Operation kind (`copy_system`, `make_fs` ...) that fails, to show failures.
    pub fail: Option<String>,
}

impl JobExecutor for SimulatedExecutor {
    /// Runs one step in its nominal time; the simulation only checks that a step's secret
    /// is there.
    fn run(&mut self, step: &Step, cx: &mut StepContext<'_>) -> ExecResult {
        if step.secret.is_some() && cx.secret.is_none_or(|s| s.is_empty()) {
            return Err(ExecError::Failed(format!(
                "{}: the secret is missing",
                step.description
            )));
        }
        let total = Duration::from_secs_f64(step.op.nominal_seconds() / self.speed.max(0.001));
        let bytes_total = step.op.bytes();
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
                (cx.progress)(progress(bytes_total, frac, elapsed));
            }
            if self.fail.as_deref() == Some(step.op.kind()) && frac >= 0.5 {
                return Err(ExecError::Failed(format!(
                    "{} failed (simulated failure requested with --simulate-failure)",
                    step.description
                )));
            }
            if frac >= 1.0 {
                break;
            }
            if step.cancelable && cx.cancel.is_cancelled() {
                return Err(ExecError::Cancelled);
            }
            // Short sleeps so that a cancellation is seen within a tick.
            std::thread::sleep(tick.min(total.saturating_sub(elapsed)));
        }
        Ok(())
    }
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn progress(total: u64, frac: f64, elapsed: Duration) -> Progress {
    let done = (total as f64 * frac) as u64;
    let rate = if elapsed.as_secs_f64() > 0.0 {
        (done as f64 / elapsed.as_secs_f64()) as u64
    } else {
        0
    };
    Progress {
        fraction_permille: (frac * 1000.0) as u32,
        bytes: done,
        total_bytes: total,
        rate,
    }
}
