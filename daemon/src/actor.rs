//! The actor: one task owns all installer state and handles a closed set of commands, one at
//! a time. D-Bus handlers send commands and await replies; job tasks send events. Nothing
//! else mutates state, so there are no locks to hold across awaits.

use std::{
    collections::{BTreeMap, HashMap},
    fmt::Write as _,
    path::PathBuf,
    sync::{Arc, Mutex},
};

use levitate_dbus::{
    Action, Disk, Error, ErrorInfo, JobState, JobStep, Partition, PlanState, PlanStep,
    SecretRequest, StepState, JOB_PATH_PREFIX, NO_OBJECT, PLAN_PATH_PREFIX, ROOT_PATH,
    SESSION_PATH_PREFIX,
};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};
use zbus::{zvariant::OwnedObjectPath, Connection};
use zeroize::Zeroizing;

use crate::{
    auth::Authorizer,
    executor::{ExecError, Progress, SimulatedExecutor},
    iface::{
        lock, JobIface, JobProps, ManagerIface, ManagerProps, PlanIface, PlanProps, SessionIface,
        Shared,
    },
    interpret,
    machine::{describe_contents, partition_path, refresh_in_use, Machine},
    planner::{self, InstallState, Operation, Plan, PlanContext, PlanError, Step},
    probe,
    stages::{StageId, StageTracker},
    validate,
};

/// Emits `PropertiesChanged` for the named properties of the interface `$iface` at `$path`,
/// each name mapped to the `*_changed` method zbus generated for it. An object that is gone
/// has nothing to signal.
macro_rules! notify {
    ($conn:expr, $iface:ty, $path:expr, $props:expr, { $($name:literal => $method:ident),+ $(,)? }) => {{
        if let Ok(iface) = $conn.object_server().interface::<_, $iface>($path).await {
            let guard = iface.get().await;
            let em = iface.signal_emitter();
            for p in $props {
                let r = match *p {
                    $($name => guard.$method(em).await,)+
                    _ => Ok(()),
                };
                if let Err(e) = r {
                    warn!(property = p, error = %e, "cannot signal a property change");
                }
            }
        }
    }};
}

pub type Reply<T> = oneshot::Sender<Result<T, Error>>;

/// Everything the actor handles.
pub enum Command {
    ListDisks {
        reply: Reply<Vec<Disk>>,
    },
    DiskDetails {
        disk: String,
        reply: Reply<crate::machine::DiskDetails>,
    },
    Interpret {
        text: String,
        /// Users a conversation mentioned, most recent last.
        users: Vec<String>,
        reply: Reply<InterpretOutcome>,
    },
    PendingQuestion {
        question: String,
        reply: Reply<()>,
    },
    AssistantState {
        state: String,
        reply: Reply<()>,
    },
    OpenSession {
        uid: u32,
        reply: Reply<OwnedObjectPath>,
    },
    CloseSession {
        id: u64,
        reply: Reply<()>,
    },
    Propose {
        actions: Vec<Action>,
        uid: u32,
        reply: Reply<OwnedObjectPath>,
    },
    Confirm {
        plan: u64,
        uid: u32,
        reply: Reply<OwnedObjectPath>,
    },
    Reject {
        plan: u64,
        reply: Reply<()>,
    },
    SetSecret {
        plan: u64,
        id: String,
        secret: Zeroizing<Vec<u8>>,
        reply: Reply<()>,
    },
    Cancel {
        job: u64,
        reply: Reply<()>,
    },
    Job {
        job: u64,
        event: JobEvent,
    },
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

/// The cheap, cloneable way to talk to the actor.
#[derive(Clone)]
pub struct ActorHandle {
    tx: mpsc::Sender<Command>,
}

impl ActorHandle {
    pub async fn call<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Result<T, Error> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(make(reply))
            .await
            .map_err(|_| Error::Failed("the installer is shutting down".into()))?;
        rx.await
            .map_err(|_| Error::Failed("the installer dropped the request".into()))?
    }
}

/// How the daemon reaches disks.
pub enum Mode {
    /// A described machine; plans execute in simulation.
    Simulated {
        machine: Machine,
        executor: SimulatedExecutor,
    },
    /// The running system's disks, or in sandbox mode only the loop device given here.
    Real { sandbox: Option<String> },
}

pub struct Settings {
    pub target_root: String,
    /// Saved partition tables and the step journal.
    pub state_dir: PathBuf,
    /// Firmware to plan for instead of the detected one (sandbox images for another machine).
    pub firmware: Option<crate::machine::Firmware>,
    pub zoneinfo: PathBuf,
    pub assistant: crate::llm::Assistant,
}

/// The interpreter's answer with what a model's answer is checked against.
pub struct InterpretOutcome {
    pub actions: Vec<Action>,
    pub understood: bool,
    pub machine: Machine,
    pub users: Vec<String>,
}

/// Objects kept on the bus at most; the oldest finished ones go first.
const MAX_SESSIONS: usize = 32;
const MAX_PLANS: usize = 32;
const MAX_JOBS: usize = 16;

struct PlanEntry {
    plan: Plan,
    props: Shared<PlanProps>,
    secrets: HashMap<String, Zeroizing<Vec<u8>>>,
}

struct JobEntry {
    steps: Vec<Step>,
    /// Share of the whole job each step stands for, summing to 1.
    weights: Vec<f64>,
    props: Shared<JobProps>,
    cancel: CancellationToken,
    plan: u64,
    failure: Option<String>,
}

pub struct Actor {
    conn: Connection,
    auth: Authorizer,
    handle: ActorHandle,
    rx: mpsc::Receiver<Command>,
    mode: Mode,
    settings: Settings,
    state: InstallState,
    stages: StageTracker,
    manager: Shared<ManagerProps>,
    sessions: BTreeMap<u64, u32>,
    plans: BTreeMap<u64, PlanEntry>,
    jobs: BTreeMap<u64, JobEntry>,
    active_job: Option<u64>,
    next_id: u64,
    uuid_counter: u64,
    /// Simulation: each disk as it was before the installer first changed its table.
    sim_tables: HashMap<String, Disk>,
    zones: Arc<interpret::ZoneIndex>,
}

fn path(prefix: &str, id: u64) -> OwnedObjectPath {
    OwnedObjectPath::try_from(format!("{prefix}/{id}")).unwrap_or_else(|_| no_object())
}

fn no_object() -> OwnedObjectPath {
    OwnedObjectPath::try_from(NO_OBJECT).unwrap_or_default()
}

impl From<PlanError> for Error {
    fn from(e: PlanError) -> Self {
        match e {
            PlanError::Invalid(m) => Error::InvalidArgument(m),
            PlanError::NoSuchDisk(m) => Error::NoSuchDisk(m),
            PlanError::DeviceBusy(m) => Error::DeviceBusy(m),
            PlanError::NotReady(m) => Error::NotReady(m),
            PlanError::NotSupported(m) => Error::NotSupported(m),
        }
    }
}

impl Actor {
    /// Creates the actor, registers the root objects, and returns it with the handle.
    pub async fn start(conn: Connection, mode: Mode, settings: Settings) -> zbus::Result<Self> {
        let (tx, rx) = mpsc::channel(256);
        let handle = ActorHandle { tx };
        let auth = Authorizer::new(conn.clone());
        let (firmware, mode_name) = match &mode {
            Mode::Simulated { machine, .. } => (machine.firmware.as_str(), "simulated"),
            Mode::Real { sandbox } => (
                settings
                    .firmware
                    .unwrap_or_else(crate::machine::Firmware::detect)
                    .as_str(),
                if sandbox.is_some() { "sandbox" } else { "real" },
            ),
        };
        let zones = Arc::new(interpret::ZoneIndex::load(&settings.zoneinfo));
        let stages = StageTracker::default();
        let manager = Arc::new(Mutex::new(ManagerProps {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            firmware: firmware.to_owned(),
            mode: mode_name.to_owned(),
            stages: stages.snapshot(),
            assistant_state: settings.assistant.state(),
            active_job: no_object(),
            last_job: no_object(),
            pending_plans: Vec::new(),
            pending_question: String::new(),
            last_error: ErrorInfo::default(),
            configuration: HashMap::new(),
            users: Vec::new(),
        }));
        let server = conn.object_server();
        server.at(ROOT_PATH, zbus::fdo::ObjectManager).await?;
        server
            .at(
                ROOT_PATH,
                ManagerIface {
                    actor: handle.clone(),
                    auth: auth.clone(),
                    props: manager.clone(),
                    assistant: settings.assistant.clone(),
                    zones: zones.clone(),
                },
            )
            .await?;
        Ok(Self {
            conn,
            auth,
            handle,
            rx,
            mode,
            zones: zones.clone(),
            settings,
            state: InstallState::default(),
            stages,
            manager,
            sessions: BTreeMap::new(),
            plans: BTreeMap::new(),
            jobs: BTreeMap::new(),
            active_job: None,
            next_id: 1,
            uuid_counter: 0,
            sim_tables: HashMap::new(),
        })
    }

    /// A restarted daemon picks up what earlier runs did on this boot from the journal:
    /// finished steps are applied again to the install state, then checked against what is
    /// really mounted now.
    pub fn replay_journal(&mut self) {
        if !matches!(self.mode, Mode::Real { .. }) {
            return;
        }
        let records = crate::journal::Journal::new(&self.settings.state_dir).read();
        let ops = crate::journal::done(&records);
        if ops.is_empty() {
            return;
        }
        for op in &ops {
            if let Some(stage) = stage_of(op) {
                self.stages.finished(stage, true);
            }
            self.state.apply(op);
        }
        let mounted = crate::disk::mounted_under(&self.settings.target_root);
        if !mounted {
            self.state.mounts.clear();
            self.state.swaps.clear();
        }
        if let Some((job, Some(problem))) = crate::journal::last_job_outcome(&records) {
            lock(&self.manager).last_error = ErrorInfo {
                name: "org.levitateos.Installer1.Error.Failed".into(),
                message: format!("job {job} before the daemon restarted: {problem}"),
            };
        }
        lock(&self.manager).stages = self.stages.snapshot();
        info!(
            steps = ops.len(),
            target_mounted = mounted,
            "state picked up from the step journal"
        );
    }

    pub fn handle(&self) -> ActorHandle {
        self.handle.clone()
    }

    /// Runs until every handle is gone.
    pub async fn run(mut self) {
        while let Some(cmd) = self.rx.recv().await {
            self.handle_command(cmd).await;
        }
    }

    fn machine(&self) -> Machine {
        match &self.mode {
            Mode::Simulated { machine, .. } => machine.clone(),
            Mode::Real { sandbox } => {
                let mut m = probe::probe_system_with(sandbox.as_deref(), self.active_job.is_none());
                if let Some(f) = self.settings.firmware {
                    m.firmware = f;
                }
                m
            }
        }
    }

    /// What a plan depends on: the disks and the order-relevant install state.
    fn fingerprint(&self, machine: &Machine) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        machine.disks_fingerprint().hash(&mut h);
        let s = &self.state;
        (
            &s.mounts,
            &s.swaps,
            s.system_copied,
            s.bootloader_installed,
            s.finished,
        )
            .hash(&mut h);
        for u in &s.users {
            u.name.hash(&mut h);
        }
        h.finish()
    }

    fn alloc_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    async fn handle_command(&mut self, cmd: Command) {
        match cmd {
            Command::ListDisks { reply } => {
                let _ = reply.send(Ok(self.machine().disks));
            }
            Command::DiskDetails { disk, reply } => {
                let mut m = self.machine();
                let r = if m.disk(&disk).is_some() {
                    Ok(m.details.remove(&disk).unwrap_or_default())
                } else {
                    Err(Error::NoSuchDisk(format!(
                        "there is no disk {}",
                        validate::display_text(&disk, 64)
                    )))
                };
                let _ = reply.send(r);
            }
            Command::Interpret {
                text,
                users: mentioned,
                reply,
            } => {
                let machine = self.machine();
                let mut users: Vec<String> =
                    self.state.users.iter().map(|u| u.name.clone()).collect();
                for u in mentioned {
                    users.retain(|x| *x != u);
                    users.push(u);
                }
                let ctx = interpret::Context {
                    machine: &machine,
                    users: users.clone(),
                    zones: &self.zones,
                };
                // The interpreter reads untrusted text; whatever happens in it must not take
                // the actor (and with it the whole daemon) down.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    interpret::interpret_detailed(&text, &ctx)
                }))
                .map_err(|_| {
                    error!("the interpreter panicked");
                    Error::Failed("the request could not be interpreted (internal error)".into())
                });
                if let Ok((actions, understood)) = &result {
                    info!(actions = actions.len(), understood, "request interpreted");
                }
                let _ = reply.send(result.map(|(actions, understood)| InterpretOutcome {
                    actions,
                    understood,
                    machine,
                    users,
                }));
            }
            Command::PendingQuestion { question, reply } => {
                lock(&self.manager).pending_question = question;
                self.notify_manager(&["PendingQuestion"]).await;
                let _ = reply.send(Ok(()));
            }
            Command::AssistantState { state, reply } => {
                lock(&self.manager).assistant_state = state;
                self.notify_manager(&["AssistantState"]).await;
                let _ = reply.send(Ok(()));
            }
            Command::OpenSession { uid, reply } => {
                let _ = reply.send(self.open_session(uid).await);
            }
            Command::CloseSession { id, reply } => {
                let _ = reply.send(self.close_session(id).await);
            }
            Command::Propose {
                actions,
                uid,
                reply,
            } => {
                let _ = reply.send(self.propose(actions, uid).await);
            }
            Command::Confirm { plan, uid, reply } => {
                let _ = reply.send(self.confirm(plan, uid).await);
            }
            Command::Reject { plan, reply } => {
                let _ = reply.send(self.reject(plan).await);
            }
            Command::SetSecret {
                plan,
                id,
                secret,
                reply,
            } => {
                let _ = reply.send(self.set_secret(plan, id, secret).await);
            }
            Command::Cancel { job, reply } => {
                let _ = reply.send(self.cancel(job));
            }
            Command::Job { job, event } => self.job_event(job, event).await,
        }
    }

    async fn open_session(&mut self, uid: u32) -> Result<OwnedObjectPath, Error> {
        if self.sessions.len() >= MAX_SESSIONS {
            if let Some(oldest) = self.sessions.keys().next().copied() {
                self.close_session(oldest).await?;
            }
        }
        let id = self.alloc_id();
        let p = path(SESSION_PATH_PREFIX, id);
        self.conn
            .object_server()
            .at(
                &p,
                SessionIface {
                    id,
                    owner: uid,
                    actor: self.handle.clone(),
                    auth: self.auth.clone(),
                    assistant: self.settings.assistant.clone(),
                    zones: self.zones.clone(),
                    manager: self.manager.clone(),
                    state: Arc::new(Mutex::new(crate::iface::SessionState::default())),
                },
            )
            .await
            .map_err(|e| Error::Failed(format!("cannot publish the session: {e}")))?;
        self.sessions.insert(id, uid);
        info!(session = id, uid, "session opened");
        Ok(p)
    }

    async fn close_session(&mut self, id: u64) -> Result<(), Error> {
        if self.sessions.remove(&id).is_none() {
            return Err(Error::NoSuchObject(format!("session {id} does not exist")));
        }
        let _ = self
            .conn
            .object_server()
            .remove::<SessionIface, _>(path(SESSION_PATH_PREFIX, id))
            .await;
        info!(session = id, "session closed");
        Ok(())
    }

    async fn propose(&mut self, actions: Vec<Action>, uid: u32) -> Result<OwnedObjectPath, Error> {
        let machine = self.machine();
        let ctx = PlanContext {
            machine: &machine,
            state: &self.state,
            target_root: &self.settings.target_root,
            zoneinfo: &self.settings.zoneinfo,
        };
        let mut plan =
            planner::plan(actions, &ctx).inspect_err(|e| info!(error = %e, "plan refused"))?;
        plan.disks_fingerprint = self.fingerprint(&machine);
        self.evict_plans().await;
        let id = self.alloc_id();
        let props = Arc::new(Mutex::new(PlanProps {
            actions: plan.actions.clone(),
            steps: plan
                .steps
                .iter()
                .map(|s| PlanStep {
                    stage: s.stage.id().to_owned(),
                    description: s.description.clone(),
                    destructive: s.destructive,
                })
                .collect(),
            summary: plan.summary.clone(),
            warnings: plan.warnings.clone(),
            destroys: plan.destroys.clone(),
            destructive: plan.destructive(),
            authorization: plan.authorization.to_owned(),
            secrets: plan
                .secrets
                .iter()
                .map(|s| SecretRequest {
                    id: s.id.clone(),
                    prompt: s.prompt.clone(),
                    provided: false,
                })
                .collect(),
            state: PlanState::Pending,
            job: no_object(),
            proposer: uid,
        }));
        let p = path(PLAN_PATH_PREFIX, id);
        self.conn
            .object_server()
            .at(
                &p,
                PlanIface {
                    id,
                    actor: self.handle.clone(),
                    auth: self.auth.clone(),
                    props: props.clone(),
                },
            )
            .await
            .map_err(|e| Error::Failed(format!("cannot publish the plan: {e}")))?;
        info!(
            plan = id,
            uid,
            steps = plan.steps.len(),
            destructive = plan.destructive(),
            "plan proposed"
        );
        self.plans.insert(
            id,
            PlanEntry {
                plan,
                props,
                secrets: HashMap::new(),
            },
        );
        self.publish_pending_plans().await;
        Ok(p)
    }

    /// Keeps at most `MAX_PLANS` plan objects: finished ones go first, then the oldest.
    async fn evict_plans(&mut self) {
        while self.plans.len() >= MAX_PLANS {
            let victim = self
                .plans
                .iter()
                .find(|(id, e)| {
                    lock(&e.props).state != PlanState::Pending
                        && self
                            .active_job
                            .and_then(|j| self.jobs.get(&j))
                            .is_none_or(|j| j.plan != **id)
                })
                .or_else(|| self.plans.iter().next())
                .map(|(id, _)| *id);
            let Some(id) = victim else { break };
            self.plans.remove(&id);
            let _ = self
                .conn
                .object_server()
                .remove::<PlanIface, _>(path(PLAN_PATH_PREFIX, id))
                .await;
        }
    }

    fn pending_entry(&self, plan: u64) -> Result<&PlanEntry, Error> {
        let entry = self
            .plans
            .get(&plan)
            .ok_or_else(|| Error::NoSuchObject(format!("plan {plan} does not exist any more")))?;
        match lock(&entry.props).state {
            PlanState::Pending => Ok(entry),
            PlanState::Confirmed => Err(Error::InvalidState(
                "this plan was already confirmed".into(),
            )),
            PlanState::Rejected => Err(Error::InvalidState(
                "this plan was rejected; propose it again".into(),
            )),
        }
    }

    async fn confirm(&mut self, plan_id: u64, uid: u32) -> Result<OwnedObjectPath, Error> {
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
                .filter(|s| !crate::disk::supported(&s.op))
                .map(|s| s.description.as_str())
                .collect();
            if !missing.is_empty() {
                return Err(Error::NotSupported(format!(
                    "this version carries out disk steps on real disks, not yet these (they run in simulation with --simulate): {}",
                    missing.join("; ")
                )));
            }
        }
        let machine = self.machine();
        if self.fingerprint(&machine) != entry.plan.disks_fingerprint {
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
                    stage: s.stage.id().to_owned(),
                    description: s.description.clone(),
                    state: StepState::Pending,
                })
                .collect(),
            cancelable: true,
            message: String::new(),
            owner: uid,
            authorization,
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
        let weight = |s: &Step| SimulatedExecutor::nominal_seconds(&s.op);
        let total: f64 = steps.iter().map(weight).sum();
        let weights = steps
            .iter()
            .map(|s| weight(s) / total.max(f64::MIN_POSITIVE))
            .collect();
        self.jobs.insert(
            job_id,
            JobEntry {
                steps: steps.clone(),
                weights,
                props,
                cancel: cancel.clone(),
                plan: plan_id,
                failure: None,
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

        let executor = match &self.mode {
            Mode::Simulated { executor, .. } => JobExecutor::Simulated(SimulatedExecutor {
                speed: executor.speed,
                fail: executor.fail.clone(),
            }),
            Mode::Real { sandbox } => JobExecutor::Real {
                disk: Arc::new(Mutex::new(crate::disk::DiskExecutor::new(
                    crate::disk::DiskConfig {
                        target_root: self.settings.target_root.clone(),
                        state_dir: self.settings.state_dir.clone(),
                        sandbox: sandbox.clone(),
                    },
                    self.state.clone(),
                ))),
                journal: crate::journal::Journal::new(&self.settings.state_dir),
            },
        };
        let handle = self.handle.clone();
        info!(
            job = job_id,
            plan = plan_id,
            uid,
            steps = steps.len(),
            "job started"
        );
        tokio::spawn(run_job(job_id, steps, secrets, executor, handle, cancel));
        Ok(job_path)
    }

    async fn evict_jobs(&mut self) {
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

    async fn reject(&mut self, plan: u64) -> Result<(), Error> {
        let entry = self.pending_entry(plan)?;
        lock(&entry.props).state = PlanState::Rejected;
        if let Some(e) = self.plans.get_mut(&plan) {
            e.secrets.clear();
        }
        info!(plan, "plan rejected");
        self.notify_plan(plan, &["State"]).await;
        self.publish_pending_plans().await;
        Ok(())
    }

    async fn set_secret(
        &mut self,
        plan: u64,
        id: String,
        secret: Zeroizing<Vec<u8>>,
    ) -> Result<(), Error> {
        let entry = self.pending_entry(plan)?;
        if !entry.plan.secrets.iter().any(|s| s.id == id) {
            let wanted: Vec<&str> = entry.plan.secrets.iter().map(|s| s.id.as_str()).collect();
            return Err(Error::InvalidArgument(format!(
                "this plan needs no secret named {:?}; it needs: {}",
                validate::display_text(&id, 64),
                if wanted.is_empty() {
                    "none".into()
                } else {
                    wanted.join(", ")
                }
            )));
        }
        validate::secret(&secret).map_err(Error::InvalidArgument)?;
        let props = entry.props.clone();
        if let Some(e) = self.plans.get_mut(&plan) {
            e.secrets.insert(id.clone(), secret);
        }
        for s in &mut lock(&props).secrets {
            if s.id == id {
                s.provided = true;
            }
        }
        // The id names the secret (`password:vince`); the secret itself is never logged.
        info!(plan, secret_id = %id, "secret received");
        self.notify_plan(plan, &["Secrets"]).await;
        Ok(())
    }

    fn cancel(&mut self, job: u64) -> Result<(), Error> {
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

    async fn job_event(&mut self, job: u64, event: JobEvent) {
        let Some(entry) = self.jobs.get_mut(&job) else {
            return;
        };
        let props = entry.props.clone();
        match event {
            JobEvent::StepStarted(i) => {
                let Some(step) = entry.steps.get(i) else {
                    return;
                };
                self.stages.started(step.stage);
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
                let done: f64 = entry.weights.iter().take(i).sum();
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
                let done: f64 = entry.weights.iter().take(i + usize::from(ok)).sum();
                match &result {
                    Ok(()) => {
                        self.stages.finished(step.stage, true);
                        self.apply(&step.op);
                        info!(job, step = i, "step done");
                    }
                    Err(ExecError::Cancelled) => {
                        // Cancelled steps leave the stage as it was.
                        self.stages
                            .finished(step.stage, self.stages_last_ok(step.stage));
                        entry_failure(&mut self.jobs, job, None);
                    }
                    Err(ExecError::Failed(msg)) => {
                        self.stages.finished(step.stage, false);
                        error!(job, step = i, error = %msg, "step failed");
                        entry_failure(&mut self.jobs, job, Some(msg.clone()));
                    }
                }
                {
                    let mut p = lock(&props);
                    p.progress = done.min(1.0);
                    if let Some(s) = p.steps.get_mut(i) {
                        s.state = match result {
                            Ok(()) => StepState::Done,
                            Err(ExecError::Cancelled) => StepState::Skipped,
                            Err(ExecError::Failed(_)) => StepState::Failed,
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

    fn stages_last_ok(&self, stage: StageId) -> bool {
        self.stages.state(stage) != levitate_dbus::StageState::Failed
    }

    async fn finish_job(&mut self, job: u64) {
        let Some(entry) = self.jobs.get(&job) else {
            return;
        };
        let props = entry.props.clone();
        let failure = entry.failure.clone();
        let (state, success, message) = {
            let mut p = lock(&props);
            let all_done = p.steps.iter().all(|s| s.state == StepState::Done);
            let (state, success, message) = match (&failure, all_done) {
                (Some(msg), _) => (JobState::Failed, false, format!("Failed: {msg}")),
                (None, true) => (JobState::Succeeded, true, "All steps finished".to_owned()),
                (None, false) => (
                    JobState::Cancelled,
                    false,
                    "Cancelled; the steps that finished stay done".to_owned(),
                ),
            };
            for s in &mut p.steps {
                if s.state == StepState::Pending || s.state == StepState::Running {
                    s.state = StepState::Skipped;
                }
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
    }

    /// Applies a finished step to the install state and, in simulation, to the machine.
    fn apply(&mut self, op: &Operation) {
        let target_root = self.settings.target_root.clone();
        if let Mode::Simulated { machine, .. } = &mut self.mode {
            // Keep the disk as it was before its table first changed, for undo.
            match op {
                Operation::WriteTable { disk, .. } | Operation::CreatePartition { disk, .. }
                    if self.state.undo_table.as_deref() != Some(disk) =>
                {
                    if let Some(d) = machine.disk(disk) {
                        self.sim_tables.insert(disk.clone(), d.clone());
                    }
                }
                Operation::RestoreTable { disk } => {
                    if let (Some(old), Some(d)) = (
                        self.sim_tables.remove(disk),
                        machine.disks.iter_mut().find(|d| &d.path == disk),
                    ) {
                        *d = old;
                    }
                }
                _ => {}
            }
            self.uuid_counter += 1;
            simulate_effect(machine, &self.state, op, &target_root, self.uuid_counter);
        }
        self.state.apply(op);
        if matches!(op, Operation::UnmountTarget) {
            // A new layout replaces the old target: what was installed into it is gone.
            self.state.system_copied = false;
            self.state.bootloader_installed = false;
            self.state.root_disk = None;
            for s in [StageId::System, StageId::Bootloader, StageId::Finalize] {
                self.stages.reset(s);
            }
        }
        if let Operation::Mount {
            mountpoint,
            partition,
            ..
        } = op
        {
            if mountpoint == "/" {
                self.state.root_disk = self
                    .machine()
                    .partition(partition)
                    .map(|(d, _)| d.path.clone());
            }
        }
    }

    async fn publish_stages(&self) {
        lock(&self.manager).stages = self.stages.snapshot();
        self.notify_manager(&["Stages"]).await;
    }

    async fn publish_install_state(&self) {
        {
            let mut m = lock(&self.manager);
            m.configuration = self
                .state
                .config
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            m.users.clone_from(&self.state.users);
        }
        self.notify_manager(&["Configuration", "Users"]).await;
    }

    async fn publish_pending_plans(&self) {
        lock(&self.manager).pending_plans = self
            .plans
            .iter()
            .filter(|(_, e)| lock(&e.props).state == PlanState::Pending)
            .map(|(id, _)| path(PLAN_PATH_PREFIX, *id))
            .collect();
        self.notify_manager(&["PendingPlans"]).await;
    }

    async fn notify_manager(&self, props: &[&str]) {
        notify!(self.conn, ManagerIface, ROOT_PATH, props, {
            "Stages" => stages_changed,
            "AssistantState" => assistant_state_changed,
            "PendingQuestion" => pending_question_changed,
            "ActiveJob" => active_job_changed,
            "LastJob" => last_job_changed,
            "PendingPlans" => pending_plans_changed,
            "LastError" => last_error_changed,
            "Configuration" => configuration_changed,
            "Users" => users_changed,
        });
    }

    async fn notify_plan(&self, plan: u64, props: &[&str]) {
        notify!(self.conn, PlanIface, path(PLAN_PATH_PREFIX, plan), props, {
            "State" => state_changed,
            "Job" => job_changed,
            "Secrets" => secrets_changed,
        });
    }

    async fn notify_job(&self, job: u64, props: &[&str]) {
        notify!(self.conn, JobIface, path(JOB_PATH_PREFIX, job), props, {
            "State" => state_changed,
            "Progress" => progress_changed,
            "Bytes" => bytes_changed,
            "TotalBytes" => total_bytes_changed,
            "Rate" => rate_changed,
            "CurrentStep" => current_step_changed,
            "Steps" => steps_changed,
            "Cancelable" => cancelable_changed,
            "Message" => message_changed,
        });
    }
}

fn entry_failure(jobs: &mut BTreeMap<u64, JobEntry>, job: u64, failure: Option<String>) {
    if let Some(e) = jobs.get_mut(&job) {
        if failure.is_some() {
            e.failure = failure;
        }
    }
}

/// What a finished step changes on a simulated machine.
fn simulate_effect(
    machine: &mut Machine,
    state: &InstallState,
    op: &Operation,
    target_root: &str,
    n: u64,
) {
    let uuid = format!("{n:08x}-5e1a-4000-8000-{n:012x}");
    let target = |m: &str| {
        if m == "/" {
            target_root.to_owned()
        } else {
            format!("{target_root}{m}")
        }
    };
    let find = |machine: &mut Machine, path: &str| -> Option<(usize, usize)> {
        machine.disks.iter().enumerate().find_map(|(di, d)| {
            d.partitions
                .iter()
                .position(|p| p.path == path)
                .map(|pi| (di, pi))
        })
    };
    match op {
        Operation::UnmountTarget | Operation::Finish => {
            let ours: Vec<&String> = state.mounts.values().chain(state.swaps.iter()).collect();
            for d in &mut machine.disks {
                for p in &mut d.partitions {
                    let mapped =
                        p.fs == "crypto_LUKS" && ours.iter().any(|o| o.starts_with("/dev/mapper/"));
                    if ours.contains(&&p.path) || mapped {
                        p.mountpoint.clear();
                    }
                }
            }
        }
        Operation::WriteTable { disk, table } => {
            if let Some(d) = machine.disks.iter_mut().find(|d| &d.path == disk) {
                table.as_str().clone_into(&mut d.table);
                d.partitions.clear();
            }
        }
        Operation::CreatePartition {
            disk,
            number,
            start,
            size,
            kind,
        } => {
            if let Some(d) = machine.disks.iter_mut().find(|d| &d.path == disk) {
                d.partitions.push(Partition {
                    path: partition_path(disk, *number),
                    number: *number,
                    start: *start,
                    size: *size,
                    fs: String::new(),
                    kind: kind.as_str().to_owned(),
                    label: String::new(),
                    uuid: String::new(),
                    mountpoint: String::new(),
                    description: describe_contents("", kind.as_str(), ""),
                });
                d.partitions.sort_by_key(|p| p.start);
            }
        }
        Operation::LuksFormat { partition, .. } => {
            if let Some((di, pi)) = find(machine, partition) {
                let p = &mut machine.disks[di].partitions[pi];
                p.fs = "crypto_LUKS".into();
                p.uuid = uuid;
                p.description = describe_contents(&p.fs, &p.kind, &p.label);
            }
        }
        Operation::MakeFs {
            partition,
            device,
            fs,
        } => {
            if let Some((di, pi)) = find(machine, partition) {
                let p = &mut machine.disks[di].partitions[pi];
                if device == partition {
                    fs.as_str().clone_into(&mut p.fs);
                    p.uuid = uuid;
                    p.label.clear();
                    p.description = describe_contents(&p.fs, &p.kind, &p.label);
                } else {
                    p.description = format!("LUKS-encrypted volume holding {}", fs.as_str());
                }
            }
        }
        Operation::Mount {
            partition,
            mountpoint,
            ..
        } => {
            if let Some((di, pi)) = find(machine, partition) {
                machine.disks[di].partitions[pi].mountpoint = target(mountpoint);
            }
        }
        Operation::SwapOn { partition, .. } => {
            if let Some((di, pi)) = find(machine, partition) {
                machine.disks[di].partitions[pi].mountpoint = "[SWAP]".into();
            }
        }
        _ => {}
    }
    for d in &mut machine.disks {
        refresh_in_use(d);
    }
}

/// Which executor a job runs on.
enum JobExecutor {
    Simulated(SimulatedExecutor),
    Real {
        disk: Arc<Mutex<crate::disk::DiskExecutor>>,
        journal: crate::journal::Journal,
    },
}

/// The stage an operation belongs to (for replaying the journal).
fn stage_of(op: &Operation) -> Option<StageId> {
    Some(match op {
        Operation::UnmountTarget
        | Operation::WriteTable { .. }
        | Operation::RestoreTable { .. }
        | Operation::CreatePartition { .. }
        | Operation::LuksFormat { .. }
        | Operation::MakeFs { .. }
        | Operation::Mount { .. }
        | Operation::SwapOn { .. } => StageId::Disks,
        Operation::CopySystem { .. } | Operation::WriteFstab => StageId::System,
        Operation::SetHostname(_)
        | Operation::SetTimezone(_)
        | Operation::SetLocale(_)
        | Operation::SetKeyboard(_) => StageId::Configuration,
        Operation::CreateUser { .. }
        | Operation::SetPassword { .. }
        | Operation::AddToGroup { .. } => StageId::Users,
        Operation::InstallBootloader { .. } => StageId::Bootloader,
        Operation::Finish => StageId::Finalize,
        Operation::Reboot => return None,
    })
}

/// Runs the steps of one job in order, reporting to the actor. Secrets are dropped (and so
/// zeroized) when the job ends, however it ends. On real disks every step is journaled,
/// and a failure puts back the partition tables the job changed before it is reported.
async fn run_job(
    job: u64,
    steps: Vec<Step>,
    secrets: HashMap<String, Zeroizing<Vec<u8>>>,
    executor: JobExecutor,
    actor: ActorHandle,
    cancel: CancellationToken,
) {
    let send = |event: JobEvent| {
        let tx = actor.tx.clone();
        async move {
            let _ = tx.send(Command::Job { job, event }).await;
        }
    };
    let mut executor = executor;
    let mut failed = false;
    for (i, step) in steps.iter().enumerate() {
        if cancel.is_cancelled() {
            break;
        }
        send(JobEvent::StepStarted(i)).await;
        let secret = step.secret.as_ref().and_then(|id| secrets.get(id));
        let result = match &mut executor {
            JobExecutor::Simulated(sim) => {
                let tx = actor.tx.clone();
                let mut last = std::time::Instant::now();
                sim.run_step(step, secret, &cancel, |p| {
                    // Progress is sampled: at most ten updates a second reach the bus.
                    if last.elapsed() >= std::time::Duration::from_millis(100)
                        || p.fraction_permille >= 1000
                    {
                        last = std::time::Instant::now();
                        let _ = tx.try_send(Command::Job {
                            job,
                            event: JobEvent::Progress(i, p),
                        });
                    }
                })
                .await
            }
            JobExecutor::Real { disk, journal } => {
                real_step(job, i, step, secret, disk, journal, &actor).await
            }
        };
        let stop = result.is_err();
        failed |= stop;
        send(JobEvent::StepFinished(i, result)).await;
        if stop {
            break;
        }
    }
    if let JobExecutor::Real { disk, .. } = &executor {
        if !failed && !cancel.is_cancelled() {
            lock(disk).commit();
        }
    }
    drop(secrets);
    send(JobEvent::Done).await;
}

/// One step on real disks, journaled. When it fails, the job's changes are undone first
/// (unmounted, tables put back), the actor is told what that changed, and the message says
/// what was put back.
async fn real_step(
    job: u64,
    i: usize,
    step: &Step,
    secret: Option<&Zeroizing<Vec<u8>>>,
    disk: &Arc<Mutex<crate::disk::DiskExecutor>>,
    journal: &crate::journal::Journal,
    actor: &ActorHandle,
) -> Result<(), ExecError> {
    use crate::journal::{Record, Status};
    let record = |status, op: &Operation, message: &str| Record {
        job,
        step: i,
        status,
        op: op.clone(),
        message: message.to_owned(),
    };
    journal.append(&record(Status::Started, &step.op, ""));
    let (owned_step, owned_secret) = (step.clone(), secret.cloned());
    let Err(mut msg) = on_blocking(disk, move |d| {
        d.run_step(&owned_step, owned_secret.as_ref())
    })
    .await
    else {
        journal.append(&record(Status::Done, &step.op, ""));
        return Ok(());
    };
    journal.append(&record(Status::Failed, &step.op, &msg));
    match on_blocking(disk, crate::disk::DiskExecutor::rollback).await {
        Ok(ops) => {
            for op in &ops {
                journal.append(&record(Status::Done, op, "undone after the failure"));
            }
            let restored: Vec<&str> = ops
                .iter()
                .filter_map(|op| match op {
                    Operation::RestoreTable { disk } => Some(disk.as_str()),
                    _ => None,
                })
                .collect();
            if !restored.is_empty() {
                let _ = write!(
                    msg,
                    ". The old partition table of {} was put back",
                    restored.join(" and ")
                );
            }
            if !ops.is_empty() {
                let _ = actor
                    .tx
                    .send(Command::Job {
                        job,
                        event: JobEvent::RolledBack(ops),
                    })
                    .await;
            }
        }
        Err(e) => {
            let _ = write!(msg, ". Undoing the job's changes failed too: {e}");
        }
    }
    Err(ExecError::Failed(msg))
}

/// Runs `work` on the job's disk executor on a blocking thread (tools and disk I/O block).
async fn on_blocking<T: Send + 'static>(
    disk: &Arc<Mutex<crate::disk::DiskExecutor>>,
    work: impl FnOnce(&mut crate::disk::DiskExecutor) -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let disk = disk.clone();
    tokio::task::spawn_blocking(move || work(&mut lock(&disk)))
        .await
        .unwrap_or_else(|e| Err(format!("the disk task crashed: {e}")))
}
