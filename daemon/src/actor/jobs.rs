//! Job progress and outcome: step events applied to the job's properties, the checklist
//! and the install state; the end of a job published with `Completed`.

use std::collections::BTreeMap;

use levitate_dbus::{ErrorInfo, JobState, StepState, JOB_PATH_PREFIX};
use tracing::{error, info, warn};

use super::{no_object, path, Actor, JobEntry};
use crate::{
    iface::{lock, JobIface},
    job::JobEvent,
    stage::ExecError,
};

impl Actor {
    pub(super) async fn job_event(&mut self, job: u64, event: JobEvent) {
        let Some(entry) = self.jobs.get_mut(&job) else {
            return;
        };
        let props = entry.props.clone();
        match event {
            JobEvent::StepStarted(i) => {
                let Some(step) = entry.steps.get(i) else {
                    return;
                };
                self.stages.started(step.stage());
                {
                    let mut p = lock(&props);
                    p.current_step.clone_from(&step.description);
                    p.cancelable = step.cancelable;
                    p.bytes = 0;
                    p.total_bytes = 0;
                    p.rate = 0;
                    if let Some(s) = p.steps.get_mut(i) {
                        s.state = StepState::Running;
                    }
                }
                info!(job, step = i, description = %step.description, "step started");
                self.notify_job(
                    job,
                    &[
                        "CurrentStep",
                        "Cancelable",
                        "Steps",
                        "Bytes",
                        "TotalBytes",
                        "Rate",
                    ],
                )
                .await;
                self.publish_stages().await;
            }
            JobEvent::Progress(i, pr) => {
                // `+ 0.0`: an empty f64 sum is -0.0, which clients print as "-0%".
                let done: f64 = entry.weights.iter().take(i).sum::<f64>() + 0.0;
                let current = entry.weights.get(i).copied().unwrap_or(0.0)
                    * f64::from(pr.fraction_permille)
                    / 1000.0;
                {
                    let mut p = lock(&props);
                    p.progress = (done + current).min(1.0);
                    p.bytes = pr.bytes;
                    p.total_bytes = pr.total_bytes;
                    p.rate = pr.rate;
                }
                self.notify_job(job, &["Progress", "Bytes", "TotalBytes", "Rate"])
                    .await;
            }
            JobEvent::StepFinished(i, result) => {
                let Some(step) = entry.steps.get(i).cloned() else {
                    return;
                };
                let ok = result.is_ok();
                let done: f64 = entry.weights.iter().take(i + usize::from(ok)).sum::<f64>() + 0.0;
                match &result {
                    Ok(()) => {
                        self.stages.finished(step.stage(), true);
                        self.apply(&step.op);
                        info!(job, step = i, "step done");
                    }
                    Err(ExecError::Cancelled) => {
                        // A cancelled step's stage is not done, and neither is what the
                        // step was redoing in the install state.
                        self.stages.stopped(step.stage());
                        self.state.interrupted(&step.op);
                        entry_failure(&mut self.jobs, job, None);
                    }
                    Err(e) => {
                        self.stages.finished(step.stage(), false);
                        self.state.interrupted(&step.op);
                        error!(job, step = i, error = %e, "step failed");
                        entry_failure(&mut self.jobs, job, Some(e.to_string()));
                    }
                }
                {
                    let mut p = lock(&props);
                    p.progress = done.min(1.0);
                    if let Some(s) = p.steps.get_mut(i) {
                        s.state = match result {
                            Ok(()) => StepState::Done,
                            Err(ExecError::Cancelled) => StepState::Skipped,
                            Err(_) => StepState::Failed,
                        };
                    }
                }
                self.notify_job(job, &["Progress", "Steps"]).await;
                self.publish_stages().await;
                self.publish_install_state().await;
            }
            JobEvent::RolledBack(ops) => {
                for op in &ops {
                    self.apply(op);
                }
                self.publish_stages().await;
                self.publish_install_state().await;
            }
            JobEvent::Done => self.finish_job(job).await,
        }
    }

    async fn finish_job(&mut self, job: u64) {
        let Some(entry) = self.jobs.get(&job) else {
            return;
        };
        let props = entry.props.clone();
        let failure = entry.failure.clone();
        let (state, success, message) = {
            let mut p = lock(&props);
            let done = p
                .steps
                .iter()
                .filter(|s| s.state == StepState::Done)
                .count();
            let (state, success, message) = outcome(failure.as_deref(), done, p.steps.len());
            for s in &mut p.steps {
                if s.state == StepState::Pending || s.state == StepState::Running {
                    s.state = StepState::Skipped;
                }
            }
            if !success {
                let steps: Vec<_> = entry
                    .steps
                    .iter()
                    .zip(&p.steps)
                    .map(|(step, shown)| (step.stage(), shown.state))
                    .collect();
                self.stages.job_ended(&steps);
            }
            p.state = state;
            p.message.clone_from(&message);
            p.cancelable = false;
            p.current_step.clear();
            if success {
                p.progress = 1.0;
            }
            (state, success, message)
        };
        self.active_job = None;
        {
            let mut m = lock(&self.manager);
            m.active_job = no_object();
            if !success {
                let name = if state == JobState::Cancelled {
                    "Cancelled"
                } else {
                    "Failed"
                };
                m.last_error = ErrorInfo {
                    name: format!("org.levitateos.Installer1.Error.{name}"),
                    message: message.clone(),
                };
            }
        }
        info!(job, ?state, "job finished");
        self.notify_job(
            job,
            &[
                "State",
                "Message",
                "Cancelable",
                "CurrentStep",
                "Progress",
                "Steps",
            ],
        )
        .await;
        let p = path(JOB_PATH_PREFIX, job);
        match self.conn.object_server().interface::<_, JobIface>(&p).await {
            Ok(iface) => {
                if let Err(e) = JobIface::completed(iface.signal_emitter(), success, &message).await
                {
                    warn!(error = %e, "cannot emit Completed");
                }
            }
            Err(e) => warn!(error = %e, "job object vanished"),
        }
        self.notify_manager(&["ActiveJob", "LastError"]).await;
        if !success {
            self.publish_stages().await;
        }
        self.recheck_plans().await;
    }
}

/// How a job ended, and its message. The message says what happened without repeating
/// the state, which travels beside it (`State`, the error's name) and which clients print
/// in front of it ("cancelled: Cancelled; ..." read twice).
fn outcome(failure: Option<&str>, done: usize, total: usize) -> (JobState, bool, String) {
    match failure {
        Some(msg) => (JobState::Failed, false, msg.to_owned()),
        None if done == total => (JobState::Succeeded, true, "All steps finished".to_owned()),
        None => (
            JobState::Cancelled,
            false,
            format!(
                "Stopped at a cancel request after {done} of {total} steps; the steps that finished stay done"
            ),
        ),
    }
}

fn entry_failure(jobs: &mut BTreeMap<u64, JobEntry>, job: u64, failure: Option<String>) {
    if let Some(e) = jobs.get_mut(&job) {
        if failure.is_some() {
            e.failure = failure;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_message_does_not_repeat_its_state() {
        let (state, ok, msg) = outcome(None, 0, 2);
        assert_eq!((state, ok), (JobState::Cancelled, false));
        assert_eq!(
            msg,
            "Stopped at a cancel request after 0 of 2 steps; the steps that finished stay done"
        );
        let (state, ok, msg) = outcome(Some("mkfs.xfs failed (exit status: 1): too small"), 2, 5);
        assert_eq!((state, ok), (JobState::Failed, false));
        assert_eq!(msg, "mkfs.xfs failed (exit status: 1): too small");
        assert_eq!(
            outcome(None, 3, 3),
            (JobState::Succeeded, true, "All steps finished".to_owned())
        );
    }
}
