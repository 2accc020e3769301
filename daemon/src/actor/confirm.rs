//! The confirm gate: a plan becomes a job only when it runs here, is fresh, has its
//! secrets, and no other job runs; and cancelling a running job.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Instant,
};

use levitate_dbus::{
    Error, ErrorInfo, JobState, JobStep, PlanState, StepResult, StepState, JOB_PATH_PREFIX,
    PLAN_PATH_PREFIX,
};
use tokio_util::sync::CancellationToken;
use tracing::info;
use zbus::zvariant::OwnedObjectPath;

use super::{jobs::now_us, path, Actor, JobEntry, Mode, MAX_JOBS};
use crate::{
    iface::{lock, JobIface, JobProps},
    job::{self, journal::Journal, Job, JobExecutor, RealExecutor, SimulatedExecutor},
    plan,
    stage::ExecConfig,
};

impl Actor {
    pub(super) async fn confirm(
        &mut self,
        plan_id: u64,
        uid: u32,
    ) -> Result<OwnedObjectPath, Error> {
        let entry = self.pending_entry(plan_id)?;
        if let Some(active) = self.active_job {
            return Err(Error::Busy(format!(
                "job {} is still running; wait for it to finish or cancel it",
                path(JOB_PATH_PREFIX, active).as_str()
            )));
        }
        if matches!(self.mode, Mode::Real { .. }) {
            let missing: Vec<&str> = entry
                .plan
                .steps
                .iter()
                .filter(|s| !s.op.runs_for_real())
                .map(|s| s.description.as_str())
                .collect();
            if !missing.is_empty() {
                return Err(Error::NotSupported(format!(
                    "this version carries out disk steps on real disks, not yet these (they run in simulation with --simulate): {}",
                    missing.join("; ")
                )));
            }
        }
        let machine = self.machine().await;
        if plan::fingerprint(&machine, &self.state) != entry.plan.fingerprint {
            return Err(Error::PlanStale(
                "the disks or the installation changed since this plan was made (another plan ran); propose it again".into(),
            ));
        }
        let missing: Vec<String> = entry
            .plan
            .secrets
            .iter()
            .filter(|s| !entry.secrets.contains_key(&s.id))
            .map(|s| format!("{} ({})", s.id, s.prompt))
            .collect();
        if !missing.is_empty() {
            return Err(Error::SecretMissing(format!(
                "the plan needs these secrets first, handed over with SetSecret: {}",
                missing.join(", ")
            )));
        }
        let Some(mut entry) = self.plans.remove(&plan_id) else {
            return Err(Error::NoSuchObject(format!(
                "plan {plan_id} does not exist any more"
            )));
        };
        let secrets = std::mem::take(&mut entry.secrets);
        let steps = entry.plan.steps.clone();
        let authorization = entry.plan.authorization.to_owned();
        let plan_props = entry.props.clone();
        let step_ids = lock(&plan_props).step_ids.clone();
        let why = format!(
            "Installing: {}",
            crate::validate::display_text(&entry.plan.summary, 200)
        );
        self.plans.insert(plan_id, entry);

        let job_id = self.alloc_id();
        let job_path = path(JOB_PATH_PREFIX, job_id);
        let props = Arc::new(Mutex::new(JobProps {
            plan: path(PLAN_PATH_PREFIX, plan_id),
            state: JobState::Running,
            progress: 0.0,
            bytes: 0,
            total_bytes: 0,
            rate: 0,
            current_step: String::new(),
            steps: steps
                .iter()
                .map(|s| JobStep {
                    stage: s.stage().id().to_owned(),
                    description: s.description.clone(),
                    state: StepState::Pending,
                })
                .collect(),
            cancelable: true,
            message: String::new(),
            owner: uid,
            authorization,
            error_name: String::new(),
            step_results: step_ids
                .iter()
                .map(|id| StepResult {
                    operation: id.clone(),
                    state: StepState::Pending,
                    error_name: String::new(),
                    message: String::new(),
                })
                .collect(),
            progress_valid: false,
            start_time: now_us(),
            expected_end_time: 0,
            end_time: 0,
            log_tail: VecDeque::new(),
        }));
        self.evict_jobs().await;
        self.conn
            .object_server()
            .at(
                &job_path,
                JobIface {
                    id: job_id,
                    actor: self.handle.clone(),
                    auth: self.auth.clone(),
                    props: props.clone(),
                },
            )
            .await
            .map_err(|e| Error::Failed(format!("cannot publish the job: {e}")))?;
        let cancel = CancellationToken::new();
        let weights = job::weights(&steps);
        self.jobs.insert(
            job_id,
            JobEntry {
                steps: steps.clone(),
                weights,
                props,
                cancel: cancel.clone(),
                plan: plan_id,
                failure: None,
                started: Instant::now(),
                step_ids,
                logged_tenths: 0,
            },
        );
        self.active_job = Some(job_id);
        {
            let mut p = lock(&plan_props);
            p.state = PlanState::Confirmed;
            p.job = job_path.clone();
            for s in &mut p.secrets {
                s.provided = false;
            }
        }
        self.notify_plan(plan_id, &["State", "Job", "Secrets"])
            .await;
        {
            let mut m = lock(&self.manager);
            m.active_job = job_path.clone();
            m.last_job = job_path.clone();
            m.last_error = ErrorInfo::default();
        }
        self.notify_manager(&["ActiveJob", "LastJob", "LastError"])
            .await;
        self.publish_pending_plans().await;

        let (executor, journal): (Box<dyn JobExecutor>, _) = match &self.mode {
            Mode::Simulated { executor, .. } => (
                Box::new(SimulatedExecutor {
                    speed: executor.speed,
                    fail: executor.fail.clone(),
                }),
                None,
            ),
            Mode::Real { .. } => (
                Box::new(RealExecutor::default()),
                Some(Journal::new(&self.settings.state_dir)),
            ),
        };
        let config = ExecConfig {
            target_root: self.settings.target_root.clone(),
            state_dir: self.settings.state_dir.clone(),
            sandbox: match &self.mode {
                Mode::Real { sandbox } => sandbox.clone(),
                Mode::Simulated { .. } => None,
            },
            source: self.settings.source.clone(),
        };
        info!(
            job = job_id,
            plan = plan_id,
            uid,
            steps = steps.len(),
            "job started"
        );
        tokio::spawn(job::run(
            Job {
                id: job_id,
                steps,
                secrets,
                executor,
                config,
                state: self.state.clone(),
                journal,
                cancel,
                inhibit: Some((self.conn.clone(), why)),
            },
            self.handle.tx.clone(),
        ));
        Ok(job_path)
    }

    pub(super) async fn evict_jobs(&mut self) {
        while self.jobs.len() >= MAX_JOBS {
            let Some(id) = self
                .jobs
                .keys()
                .copied()
                .find(|id| Some(*id) != self.active_job)
            else {
                break;
            };
            self.jobs.remove(&id);
            let _ = self
                .conn
                .object_server()
                .remove::<JobIface, _>(path(JOB_PATH_PREFIX, id))
                .await;
        }
    }

    pub(super) fn cancel(&mut self, job: u64) -> Result<(), Error> {
        let entry = self
            .jobs
            .get(&job)
            .ok_or_else(|| Error::NoSuchObject(format!("job {job} does not exist any more")))?;
        let props = lock(&entry.props);
        if props.state != JobState::Running {
            return Err(Error::InvalidState("the job has already finished".into()));
        }
        if !props.cancelable {
            return Err(Error::InvalidState(
                "the job is in a step that cannot be interrupted; try again in a moment".into(),
            ));
        }
        drop(props);
        info!(job, "cancel requested");
        entry.cancel.cancel();
        Ok(())
    }
}
