use std::collections::VecDeque;

use levitate_dbus::{Error, JobState, JobStep, StepResult};
use zbus::{interface, message::Header, object_server::SignalEmitter, zvariant::OwnedObjectPath};

use super::{
    lock,
    options::{self, Method},
    Shared,
};
use crate::{
    actor::{ActorHandle, Command},
    auth::{Authorizer, Options},
};

#[derive(Debug, Clone)]
pub struct JobProps {
    pub plan: OwnedObjectPath,
    pub state: JobState,
    pub progress: f64,
    pub bytes: u64,
    pub total_bytes: u64,
    pub rate: u64,
    pub current_step: String,
    pub steps: Vec<JobStep>,
    pub cancelable: bool,
    pub message: String,
    /// Who confirmed it: they may cancel it without further authorization.
    pub owner: u32,
    pub authorization: String,
    pub error_name: String,
    pub step_results: Vec<StepResult>,
    pub progress_valid: bool,
    /// Microseconds since the epoch, as udisks has them.
    pub start_time: u64,
    pub expected_end_time: u64,
    pub end_time: u64,
    /// The last [`LOG_TAIL`] lines of `Log`.
    pub log_tail: VecDeque<String>,
}

/// Lines of `Log` that `LogTail` keeps.
pub const LOG_TAIL: usize = 100;

pub struct JobIface {
    pub id: u64,
    pub actor: ActorHandle,
    pub auth: Authorizer,
    pub props: Shared<JobProps>,
}

/// `org.levitateos.Installer1.Job`: a confirmed plan being carried out.
#[interface(name = "org.levitateos.Installer1.Job")]
impl JobIface {
    /// Cancels the job when `Cancelable`. Whoever confirmed it may; others need the plan's
    /// authorization.
    async fn cancel(&self, #[zbus(header)] hdr: Header<'_>, options: Options) -> Result<(), Error> {
        options::check(&options, Method::Cancel)?;
        let uid = self.auth.caller_uid(&hdr).await?;
        let (owner, action) = {
            let p = lock(&self.props);
            (p.owner, p.authorization.clone())
        };
        if uid != owner {
            self.auth.check(&hdr, &action, &options).await?;
        }
        let job = self.id;
        self.actor
            .call(|reply| Command::Cancel { job, reply })
            .await
    }

    /// Sent once when the job ends. `State` and `Message` say the same for late clients.
    #[zbus(signal)]
    pub async fn completed(
        emitter: &SignalEmitter<'_>,
        success: bool,
        message: &str,
    ) -> zbus::Result<()>;

    /// A line of progress for people ("Copied 2.1 GiB of 4.5 GiB"), with the operation id
    /// of the step it is about (as in `StepResults`; empty for the job as a whole). The
    /// last 100 lines are in `LogTail`. Never holds a secret.
    #[zbus(signal)]
    pub async fn log(
        emitter: &SignalEmitter<'_>,
        operation_id: &str,
        line: &str,
    ) -> zbus::Result<()>;

    /// The plan this job executes.
    #[zbus(property(emits_changed_signal = "const"))]
    fn plan(&self) -> OwnedObjectPath {
        lock(&self.props).plan.clone()
    }

    /// `running`, `succeeded`, `failed` or `cancelled`.
    #[zbus(property)]
    fn state(&self) -> JobState {
        lock(&self.props).state
    }

    /// Overall progress from 0.0 to 1.0.
    #[zbus(property)]
    fn progress(&self) -> f64 {
        lock(&self.props).progress
    }

    /// Bytes done in the running data-moving step (the system copy).
    #[zbus(property)]
    fn bytes(&self) -> u64 {
        lock(&self.props).bytes
    }

    /// Bytes in total of the running data-moving step; 0 when the step moves no data.
    #[zbus(property)]
    fn total_bytes(&self) -> u64 {
        lock(&self.props).total_bytes
    }

    /// Bytes per second of the running data-moving step; 0 when unknown.
    #[zbus(property)]
    fn rate(&self) -> u64 {
        lock(&self.props).rate
    }

    /// Description of the running step; empty when the job has ended.
    #[zbus(property)]
    fn current_step(&self) -> String {
        lock(&self.props).current_step.clone()
    }

    /// Every step: (stage id, description, state) with state `pending`, `running`, `done`, `failed` or `skipped`.
    #[zbus(property)]
    fn steps(&self) -> Vec<JobStep> {
        lock(&self.props).steps.clone()
    }

    /// Whether `Cancel` may be called now.
    #[zbus(property)]
    fn cancelable(&self) -> bool {
        lock(&self.props).cancelable
    }

    /// How the job ended, for people; empty while running.
    #[zbus(property)]
    fn message(&self) -> String {
        lock(&self.props).message.clone()
    }

    /// The D-Bus error name of a failed or cancelled job
    /// (`org.levitateos.Installer1.Error.Failed`, `org.levitateos.Installer1.Error.Cancelled`),
    /// the same as `Manager.LastError`'s; empty while running and after success.
    #[zbus(property)]
    fn error_name(&self) -> String {
        lock(&self.props).error_name.clone()
    }

    /// Every step's outcome, index-aligned with `Steps`: (operation id as in
    /// `Plan.StepIds`, state as in `Steps`, D-Bus error name of a failed or stopped step or
    /// empty, message for people: `Finished`, why it failed, stopped or was not run; empty
    /// while pending or running).
    #[zbus(property)]
    fn step_results(&self) -> Vec<StepResult> {
        lock(&self.props).step_results.clone()
    }

    /// Whether `Progress` measures the running step (it reports how far it is); false while
    /// a step that cannot tell runs: show a pulsing bar.
    #[zbus(property)]
    fn progress_valid(&self) -> bool {
        lock(&self.props).progress_valid
    }

    /// When the job started, in microseconds since the epoch.
    #[zbus(property(emits_changed_signal = "const"))]
    fn start_time(&self) -> u64 {
        lock(&self.props).start_time
    }

    /// When the job is expected to end, in microseconds since the epoch, from the pace so
    /// far (the bytes per second of a copy, the time per share of the job otherwise); 0
    /// when unknown (before anything measurable finished) and once the job has ended.
    #[zbus(property)]
    fn expected_end_time(&self) -> u64 {
        lock(&self.props).expected_end_time
    }

    /// When the job ended, in microseconds since the epoch; 0 while it runs.
    #[zbus(property)]
    fn end_time(&self) -> u64 {
        lock(&self.props).end_time
    }

    /// The last 100 lines of `Log`, oldest first, for a client that came late.
    #[zbus(property)]
    fn log_tail(&self) -> Vec<String> {
        lock(&self.props).log_tail.iter().cloned().collect()
    }
}
