//! Job progress and outcome: step events applied to the job's properties, the checklist
//! and the install state; the end of a job published with `Completed`.

use std::collections::BTreeMap;

use levitate_dbus::{human_size, ErrorInfo, JobState, StepState, JOB_PATH_PREFIX};
use tracing::{error, info, warn};

use super::{no_object, path, Actor, JobEntry};
use crate::{
    iface::{lock, JobIface, JobProps, LOG_TAIL},
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
                let Some(step) = entry.steps.get(i).cloned() else {
                    return;
                };
                self.stages.started(step.stage());
                entry.logged_tenths = 0;
                let op_id = entry.step_ids.get(i).cloned().unwrap_or_default();
                let remaining = remaining_seconds(entry, i, None);
                {
                    let mut p = lock(&props);
                    p.current_step.clone_from(&step.description);
                    p.cancelable = step.cancelable;
                    p.bytes = 0;
                    p.total_bytes = 0;
                    p.rate = 0;
                    p.progress_valid = false;
                    p.expected_end_time = expected_end(remaining);
                    set_step(&mut p, i, StepState::Running, "", "");
                }
                info!(job, step = i, description = %step.description, "step started");
                self.notify_job(
                    job,
                    &[
                        "CurrentStep",
                        "Cancelable",
                        "Steps",
                        "StepResults",
                        "Bytes",
                        "TotalBytes",
                        "Rate",
                        "ProgressValid",
                        "ExpectedEndTime",
                    ],
                )
                .await;
                self.job_log(job, &op_id, &step.description).await;
                self.publish_stages().await;
            }
            JobEvent::Progress(i, pr) => {
                // `+ 0.0`: an empty f64 sum is -0.0, which clients print as "-0%".
                let done: f64 = entry.weights.iter().take(i).sum::<f64>() + 0.0;
                let current = entry.weights.get(i).copied().unwrap_or(0.0)
                    * f64::from(pr.fraction_permille)
                    / 1000.0;
                let progress = (done + current).min(1.0);
                let remaining = remaining_seconds(entry, i, Some((progress, pr)));
                // A line in `Log` for every tenth of a data-moving step.
                let tenths = (pr.fraction_permille / 100).min(10);
                let line = (pr.total_bytes > 0 && tenths > entry.logged_tenths).then(|| {
                    entry.logged_tenths = tenths;
                    copied_line(pr)
                });
                let op_id = entry.step_ids.get(i).cloned().unwrap_or_default();
                {
                    let mut p = lock(&props);
                    p.progress = progress;
                    p.bytes = pr.bytes;
                    p.total_bytes = pr.total_bytes;
                    p.rate = pr.rate;
                    p.progress_valid = true;
                    p.expected_end_time = expected_end(remaining);
                }
                self.notify_job(
                    job,
                    &[
                        "Progress",
                        "Bytes",
                        "TotalBytes",
                        "Rate",
                        "ProgressValid",
                        "ExpectedEndTime",
                    ],
                )
                .await;
                if let Some(line) = line {
                    self.job_log(job, &op_id, &line).await;
                }
            }
            JobEvent::StepFinished(i, result) => {
                let Some(step) = entry.steps.get(i).cloned() else {
                    return;
                };
                let ok = result.is_ok();
                let done: f64 = entry.weights.iter().take(i + usize::from(ok)).sum::<f64>() + 0.0;
                let op_id = entry.step_ids.get(i).cloned().unwrap_or_default();
                let remaining = if ok {
                    remaining_seconds(entry, i + 1, None)
                } else {
                    None
                };
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
                let (state, error, message) = match &result {
                    Ok(()) => (StepState::Done, "", "Finished".to_owned()),
                    Err(ExecError::Cancelled) => (
                        StepState::Skipped,
                        CANCELLED,
                        "Stopped at a cancel request before it finished".to_owned(),
                    ),
                    // The job's failure: the step's error and what undoing the job did.
                    Err(e) => (StepState::Failed, FAILED, e.to_string()),
                };
                {
                    let mut p = lock(&props);
                    p.progress = done.min(1.0);
                    p.expected_end_time = expected_end(remaining);
                    set_step(&mut p, i, state, error, &message);
                }
                self.notify_job(
                    job,
                    &["Progress", "Steps", "StepResults", "ExpectedEndTime"],
                )
                .await;
                let line = match state {
                    StepState::Done => format!("Done: {}", step.description),
                    StepState::Failed => format!("Failed: {message}"),
                    _ => format!("Stopped: {}", step.description),
                };
                self.job_log(job, &op_id, &line).await;
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
            let why_not_run = if failure.is_some() {
                "Not run: an earlier step failed"
            } else {
                "Not run: the job was cancelled"
            };
            for i in 0..p.steps.len() {
                match p.steps[i].state {
                    StepState::Pending => set_step(&mut p, i, StepState::Skipped, "", why_not_run),
                    // Cannot happen: every started step reports its end before `Done`.
                    StepState::Running => set_step(
                        &mut p,
                        i,
                        StepState::Skipped,
                        CANCELLED,
                        "Stopped before it finished",
                    ),
                    _ => {}
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
            p.progress_valid = true;
            p.expected_end_time = 0;
            p.end_time = now_us();
            match state {
                JobState::Cancelled => CANCELLED,
                JobState::Failed => FAILED,
                JobState::Running | JobState::Succeeded => "",
            }
            .clone_into(&mut p.error_name);
            (state, success, message)
        };
        let error_name = lock(&props).error_name.clone();
        self.active_job = None;
        {
            let mut m = lock(&self.manager);
            m.active_job = no_object();
            if !success {
                m.last_error = ErrorInfo {
                    name: error_name,
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
                "StepResults",
                "ProgressValid",
                "ExpectedEndTime",
                "EndTime",
                "ErrorName",
            ],
        )
        .await;
        let line = match state {
            JobState::Succeeded => message.clone(),
            JobState::Cancelled => format!("Cancelled: {message}"),
            JobState::Failed | JobState::Running => format!("Failed: {message}"),
        };
        self.job_log(job, "", &line).await;
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

impl Actor {
    /// A line of `Log`: kept in `LogTail` (the last [`LOG_TAIL`]) and signalled.
    async fn job_log(&mut self, job: u64, operation_id: &str, line: &str) {
        let Some(entry) = self.jobs.get(&job) else {
            return;
        };
        {
            let mut p = lock(&entry.props);
            while p.log_tail.len() >= LOG_TAIL {
                p.log_tail.pop_front();
            }
            p.log_tail.push_back(line.to_owned());
        }
        self.notify_job(job, &["LogTail"]).await;
        let p = path(JOB_PATH_PREFIX, job);
        if let Ok(iface) = self.conn.object_server().interface::<_, JobIface>(&p).await {
            if let Err(e) = JobIface::log(iface.signal_emitter(), operation_id, line).await {
                warn!(error = %e, "cannot emit Log");
            }
        }
    }
}

const FAILED: &str = "org.levitateos.Installer1.Error.Failed";
const CANCELLED: &str = "org.levitateos.Installer1.Error.Cancelled";

/// Sets step `i`'s state in `Steps` and its result in `StepResults` together.
fn set_step(p: &mut JobProps, i: usize, state: StepState, error_name: &str, message: &str) {
    if let Some(s) = p.steps.get_mut(i) {
        s.state = state;
    }
    if let Some(r) = p.step_results.get_mut(i) {
        r.state = state;
        error_name.clone_into(&mut r.error_name);
        message.clone_into(&mut r.message);
    }
}

/// Now, in microseconds since the epoch (the unit of `StartTime` and its kin).
pub(super) fn now_us() -> u64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(since.as_micros()).unwrap_or(u64::MAX)
}

/// `ExpectedEndTime` for `remaining` seconds from now; 0 when unknown.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn expected_end(remaining: Option<f64>) -> u64 {
    match remaining {
        Some(r) if r.is_finite() && r >= 0.0 => now_us().saturating_add((r * 1e6) as u64),
        _ => 0,
    }
}

/// Seconds the job still needs, from its pace so far, with step `i` running (or about to
/// start, `progress` None). In a step that moves bytes at a known rate: its bytes left at
/// that rate, plus the steps after it at the job's pace; otherwise the share of the job
/// left at the job's pace (elapsed per share done). None before anything was measured.
#[allow(clippy::cast_precision_loss)]
fn remaining_seconds(
    entry: &JobEntry,
    i: usize,
    progress: Option<(f64, crate::stage::Progress)>,
) -> Option<f64> {
    remaining_after(
        entry.started.elapsed().as_secs_f64(),
        &entry.weights,
        i,
        progress,
    )
}

/// [`remaining_seconds`] after `elapsed` seconds of a job whose steps have `weights`.
#[allow(clippy::cast_precision_loss)]
fn remaining_after(
    elapsed: f64,
    weights: &[f64],
    i: usize,
    progress: Option<(f64, crate::stage::Progress)>,
) -> Option<f64> {
    let after: f64 = weights.iter().skip(i + 1).sum();
    let done = match progress {
        Some((p, _)) => p,
        None => weights.iter().take(i).sum(),
    };
    let pace = (done > 0.001 && elapsed > 0.0).then(|| elapsed / done);
    match progress {
        Some((_, pr)) if pr.rate > 0 && pr.total_bytes > 0 => {
            let step_left = pr.total_bytes.saturating_sub(pr.bytes) as f64 / pr.rate as f64;
            match pace {
                Some(pace) => Some(step_left + after * pace),
                None if after < 1e-9 => Some(step_left),
                None => None,
            }
        }
        _ => pace.map(|pace| (1.0 - done).max(0.0) * pace),
    }
}

/// A `Log` line for a data-moving step: "Copied 2.1 GiB of 4.5 GiB (120 MiB/s)".
fn copied_line(pr: crate::stage::Progress) -> String {
    let rate = if pr.rate > 0 {
        format!(" ({}/s)", human_size(pr.rate))
    } else {
        String::new()
    };
    format!(
        "Copied {} of {}{rate}",
        human_size(pr.bytes),
        human_size(pr.total_bytes)
    )
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
    fn the_time_left_follows_the_bytes_rate_and_the_pace_of_the_job() {
        let copy = |bytes, rate| crate::stage::Progress {
            fraction_permille: 500,
            bytes,
            total_bytes: 1000,
            rate,
        };
        let near = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
        // Nothing measured yet: unknown.
        assert_eq!(remaining_after(0.0, &[0.5, 0.5], 0, None), None);
        // Half the job done in 10 s: 10 s left.
        assert!(near(remaining_after(10.0, &[0.5, 0.5], 1, None), 10.0));
        // A copy (the middle quarter) half done at 10 bytes/s: its 500 bytes left take
        // 50 s, and the last quarter goes at the pace so far (20 s for a 0.375 share).
        let r = remaining_after(20.0, &[0.25, 0.25, 0.5], 1, Some((0.375, copy(500, 10))));
        let pace = 20.0 / 0.375;
        assert!(near(r, 50.0 + 0.5 * pace), "{r:?}");
        // A copy that is the whole job, first sample: its bytes alone tell.
        assert!(near(
            remaining_after(1.0, &[1.0], 0, Some((0.0, copy(500, 100)))),
            5.0
        ));
        // No rate yet and nothing done: unknown; 0 on the bus.
        assert_eq!(
            remaining_after(1.0, &[0.5, 0.5], 0, Some((0.0, copy(0, 0)))),
            None
        );
        assert_eq!(expected_end(None), 0);
        assert!(expected_end(Some(1.0)) > now_us());
        let gib = crate::stage::Progress {
            fraction_permille: 466,
            bytes: 2254 << 20,
            total_bytes: 4608 << 20,
            rate: 350 << 20,
        };
        assert_eq!(copied_line(gib), "Copied 2.2 GiB of 4.5 GiB (350 MiB/s)");
        assert_eq!(
            copied_line(crate::stage::Progress { rate: 0, ..gib }),
            "Copied 2.2 GiB of 4.5 GiB"
        );
    }

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
