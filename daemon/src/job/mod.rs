//! Jobs: the steps of a confirmed plan, run in order, each on a blocking thread through a
//! [`JobExecutor`] (simulated, or real: each stage's `StageExecutor`). The runner reports
//! to the actor as it goes, applies finished steps to the job's own install state, writes
//! the step journal in real mode, and after a failure lets the executor undo what the job
//! changed before the failure is reported. Secrets are dropped (and so zeroized) when the
//! job ends, however it ends, and so is the logind inhibitor taken before the first step.

pub mod journal;
mod real;
mod simulated;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use zeroize::Zeroizing;

use self::journal::{Journal, Record, Status};
pub use self::{real::RealExecutor, simulated::SimulatedExecutor};
use crate::{
    actor::Command,
    iface::{lock, Shared},
    install_state::InstallState,
    ops::Operation,
    plan::Step,
    stage::{disks::DiskOp, ExecConfig, ExecError, ExecResult, Progress, StepContext},
    validate::then_sentence,
};

/// Carries out the steps of one job.
pub trait JobExecutor: Send {
    fn run(&mut self, step: &Step, cx: &mut StepContext<'_>) -> ExecResult;
    /// After a failed step: undo what the job changed (unmount, put tables back) and say
    /// what that was, as operations.
    fn rollback(
        &mut self,
        _config: &ExecConfig,
        _state: &InstallState,
    ) -> ExecResult<Vec<Operation>> {
        Ok(Vec::new())
    }
    /// After a successful job.
    fn commit(&mut self, _config: &ExecConfig) {}
}

/// What a running job reports.
pub enum JobEvent {
    StepStarted(usize),
    Progress(usize, Progress),
    StepFinished(usize, Result<(), ExecError>),
    /// What undoing a failed job changed (unmounting, tables put back), to apply to the
    /// install state like finished steps.
    RolledBack(Vec<Operation>),
    Done,
}

/// Share of the whole job each step stands for, summing to 1: a long copy moves the bar
/// more than a mount.
pub fn weights(steps: &[Step]) -> Vec<f64> {
    let total: f64 = steps.iter().map(|s| s.op.nominal_seconds()).sum();
    steps
        .iter()
        .map(|s| s.op.nominal_seconds() / total.max(f64::MIN_POSITIVE))
        .collect()
}

/// A confirmed plan on its way.
pub struct Job {
    pub id: u64,
    pub steps: Vec<Step>,
    pub secrets: HashMap<String, Zeroizing<Vec<u8>>>,
    pub executor: Box<dyn JobExecutor>,
    pub config: ExecConfig,
    /// The install state when the job started; the runner applies each finished step.
    pub state: InstallState,
    /// Real mode: every step event is journaled.
    pub journal: Option<Journal>,
    pub cancel: CancellationToken,
    /// Where to ask logind for the shutdown and sleep inhibitor held while the steps run,
    /// and why.
    pub inhibit: Option<(zbus::Connection, String)>,
}

/// What a step's blocking thread owns.
struct Worker {
    executor: Box<dyn JobExecutor>,
    config: ExecConfig,
    state: InstallState,
}

/// Runs the job's steps in order, reporting to the actor through `actor`.
pub async fn run(job: Job, actor: mpsc::Sender<Command>) {
    let Job {
        id,
        steps,
        secrets,
        executor,
        config,
        state,
        journal,
        cancel,
        inhibit,
    } = job;
    // Held until the last step has ended, dropped (the descriptor closed) before `Done`.
    let inhibitor = match &inhibit {
        Some((conn, why)) => crate::logind::inhibit(conn, why).await,
        None => None,
    };
    let send = |event: JobEvent| {
        let tx = actor.clone();
        async move {
            let _ = tx.send(Command::Job { job: id, event }).await;
        }
    };
    let record = |i: usize, status, op: &Operation, message: &str| {
        if let Some(j) = &journal {
            j.append(&Record {
                job: id,
                step: i,
                status,
                op: op.clone(),
                message: message.to_owned(),
            });
        }
    };
    let worker: Shared<Worker> = Arc::new(Mutex::new(Worker {
        executor,
        config,
        state,
    }));
    let mut failed = false;
    for (i, step) in steps.iter().enumerate() {
        if cancel.is_cancelled() {
            break;
        }
        send(JobEvent::StepStarted(i)).await;
        record(i, Status::Started, &step.op, "");
        let secret = step.secret.as_ref().and_then(|id| secrets.get(id)).cloned();
        let result = run_step(
            &worker,
            step.clone(),
            secret,
            cancel.clone(),
            (id, i),
            &actor,
        )
        .await;
        let result = match result {
            Ok(()) => {
                record(i, Status::Done, &step.op, "");
                lock(&worker).state.apply(&step.op);
                Ok(())
            }
            Err(ExecError::Cancelled) => Err(ExecError::Cancelled),
            Err(e) => {
                let failed = e.to_string();
                record(i, Status::Failed, &step.op, &failed);
                let undone =
                    on_blocking(&worker, |w| w.executor.rollback(&w.config, &w.state)).await;
                let msg = match undone {
                    Ok(ops) => {
                        for op in &ops {
                            record(i, Status::Done, op, "undone after the failure");
                            lock(&worker).state.apply(op);
                        }
                        let restored: Vec<&str> = ops
                            .iter()
                            .filter_map(|op| match op {
                                Operation::Disks(DiskOp::RestoreTable { disk }) => {
                                    Some(disk.as_str())
                                }
                                _ => None,
                            })
                            .collect();
                        let msg = failure_message(&failed, &restored, None);
                        if !ops.is_empty() {
                            send(JobEvent::RolledBack(ops)).await;
                        }
                        msg
                    }
                    Err(e) => failure_message(&failed, &[], Some(&e.to_string())),
                };
                Err(ExecError::Failed(msg))
            }
        };
        let stop = result.is_err();
        failed |= stop;
        send(JobEvent::StepFinished(i, result)).await;
        if stop {
            break;
        }
    }
    if !failed && !cancel.is_cancelled() {
        let mut w = lock(&worker);
        let Worker {
            executor, config, ..
        } = &mut *w;
        executor.commit(config);
        drop(w);
    }
    drop(secrets);
    drop(inhibitor);
    send(JobEvent::Done).await;
}

/// What a failed step reports: its error, then what undoing the job did (the tables put
/// back) or that undoing failed too.
fn failure_message(failed: &str, restored: &[&str], undo_failed: Option<&str>) -> String {
    let mut msg = failed.to_owned();
    if !restored.is_empty() {
        msg = then_sentence(
            &msg,
            &format!(
                "The old partition table of {} was put back",
                restored.join(" and ")
            ),
        );
    }
    if let Some(e) = undo_failed {
        msg = then_sentence(&msg, &format!("Undoing the job's changes failed too: {e}"));
    }
    msg
}

/// One step on a blocking thread (tools, disk I/O and simulated time all block). Progress
/// is sampled: at most ten updates a second reach the bus.
async fn run_step(
    worker: &Shared<Worker>,
    step: Step,
    secret: Option<Zeroizing<Vec<u8>>>,
    cancel: CancellationToken,
    at: (u64, usize),
    actor: &mpsc::Sender<Command>,
) -> ExecResult {
    let (job, i) = at;
    let tx = actor.clone();
    on_blocking(worker, move |w| {
        let mut last = Instant::now();
        let mut progress = |p: Progress| {
            if last.elapsed() >= Duration::from_millis(100) || p.fraction_permille >= 1000 {
                last = Instant::now();
                let _ = tx.try_send(Command::Job {
                    job,
                    event: JobEvent::Progress(i, p),
                });
            }
        };
        let mut cx = StepContext {
            config: &w.config,
            state: &w.state,
            secret: secret.as_ref(),
            cancel: &cancel,
            progress: &mut progress,
        };
        w.executor.run(&step, &mut cx)
    })
    .await
}

/// Runs `work` on the job's worker on a blocking thread; a crash there fails the step
/// instead of taking the daemon down.
async fn on_blocking<T: Send + 'static>(
    worker: &Shared<Worker>,
    work: impl FnOnce(&mut Worker) -> ExecResult<T> + Send + 'static,
) -> ExecResult<T> {
    let worker = worker.clone();
    tokio::task::spawn_blocking(move || work(&mut lock(&worker)))
        .await
        .unwrap_or_else(|e| Err(ExecError::Failed(format!("the step's task crashed: {e}"))))
}

#[cfg(test)]
mod tests {
    use super::failure_message;

    /// Regression (#14, item 5): "cryptsetup ...: name is invalid or still in use." was
    /// followed by ". The old partition table ...": a doubled full stop.
    #[test]
    fn a_failure_and_its_undoing_read_as_sentences() {
        assert_eq!(
            failure_message(
                "cryptsetup failed (exit status: 1): Device name is invalid or still in use.",
                &["/dev/loop0"],
                None
            ),
            "cryptsetup failed (exit status: 1): Device name is invalid or still in use. The old partition table of /dev/loop0 was put back"
        );
        assert_eq!(
            failure_message(
                "cryptsetup failed (exit status: 1): Is dm_mod kernel module loaded?",
                &[],
                Some("umount failed.")
            ),
            "cryptsetup failed (exit status: 1): Is dm_mod kernel module loaded? Undoing the job's changes failed too: umount failed."
        );
        assert_eq!(
            failure_message("mkfs.xfs failed", &["/dev/sda", "/dev/sdb"], None),
            "mkfs.xfs failed. The old partition table of /dev/sda and /dev/sdb was put back"
        );
    }
}
