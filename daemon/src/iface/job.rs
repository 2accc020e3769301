use levitate_dbus::{Error, JobState, JobStep};
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
}

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
}
