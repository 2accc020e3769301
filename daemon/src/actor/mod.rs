//! The actor: one task owns all installer state and handles a closed set of commands, one at
//! a time. D-Bus handlers send commands and await replies; job tasks send events. Nothing
//! else mutates state, so there are no locks to hold across awaits.

mod confirm;
mod jobs;
mod objects;
mod publish;
mod sessions;
mod stale;
mod state;

use std::{
    collections::{BTreeMap, HashMap},
    path::PathBuf,
    sync::{Arc, Mutex},
};

use levitate_dbus::{Action, Disk, Error, ErrorInfo, NO_OBJECT, ROOT_PATH};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tracing::{error, info};
use zbus::{zvariant::OwnedObjectPath, Connection};
use zeroize::Zeroizing;

use self::sessions::SessionEntry;
pub use self::{sessions::SayReply, stale::watch_disks};
pub use crate::job::JobEvent;
use crate::{
    auth::Authorizer,
    iface::{lock, JobProps, ManagerIface, ManagerProps, PlanProps, Shared},
    install_state::InstallState,
    interpret,
    job::SimulatedExecutor,
    machine::Machine,
    plan::{Plan, PlanError, Step},
    stage::StageTracker,
    validate,
};

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
    /// `Manager.Interpret`: the interpreter, and the model for what it did not understand.
    Understand {
        text: String,
        reply: Reply<Vec<Action>>,
    },
    /// `Session.Say` from `uid`.
    Say {
        session: u64,
        uid: u32,
        /// The caller's unique bus name: the reply's `Message` signal goes to it alone.
        sender: Option<String>,
        text: String,
        reply: Reply<SayReply>,
    },
    /// A turn of `Say` came back from its task.
    TurnDone {
        session: u64,
        sender: Option<String>,
        turn: Result<crate::conversation::Turn, Error>,
        reply: Reply<SayReply>,
    },
    AssistantState {
        status: crate::llm::AssistantStatus,
        reply: Reply<()>,
    },
    OpenSession {
        uid: u32,
        /// The unique bus name of the client opening it: the session closes when it leaves.
        client: Option<String>,
        /// `session.keep`: the session outlives its client.
        keep: bool,
        reply: Reply<OwnedObjectPath>,
    },
    /// A bus client left (its unique name lost its owner).
    ClientLeft {
        name: String,
    },
    CloseSession {
        id: u64,
        reply: Reply<()>,
    },
    Propose {
        actions: Vec<Action>,
        uid: u32,
        /// The session whose `Say` proposes it; `None` for `Manager.Propose`.
        session: Option<u64>,
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
    /// The disk watcher saw block devices, mounts or swaps change.
    DisksMaybeChanged,
}

#[derive(Clone)]
pub struct ActorHandle {
    pub(crate) tx: mpsc::Sender<Command>,
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
    /// What the system is copied from (real and sandbox mode).
    pub source: Option<crate::stage::system::source::Source>,
}

/// The interpreter's answer with what a model's answer is checked against.
pub struct InterpretOutcome {
    pub actions: Vec<Action>,
    pub understood: bool,
    pub machine: Machine,
    pub users: Vec<String>,
}

/// Sessions one user may have open; a full quota closes the user's oldest session that no
/// client holds (`session.keep`), else refuses with `Busy`.
const SESSIONS_PER_UID: usize = 16;
/// Plans one user may have; a full quota evicts the user's oldest finished or rejected plan,
/// else refuses with `Busy`. Nobody's quota touches another user's objects.
const PLANS_PER_UID: usize = 16;
/// Hard limits over all users, against a flood from many accounts: beyond them, `Busy`.
const MAX_SESSIONS: usize = 256;
const MAX_PLANS: usize = 256;
/// Jobs kept on the bus at most; the oldest finished ones go first.
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
    /// For `ExpectedEndTime`: the pace of the job so far.
    started: std::time::Instant,
    /// The operation id of each step (`Plan.StepIds`).
    step_ids: Vec<String>,
    /// Tenths of the running data-moving step already told in `Log`.
    logged_tenths: u32,
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
    sessions: BTreeMap<u64, SessionEntry>,
    plans: BTreeMap<u64, PlanEntry>,
    jobs: BTreeMap<u64, JobEntry>,
    active_job: Option<u64>,
    next_id: u64,
    uuid_counter: u64,
    /// Simulation: each disk as it was before the installer first changed its table.
    sim_tables: HashMap<String, Disk>,
    zones: Arc<interpret::ZoneIndex>,
    /// `Machine::disks_fingerprint` when the disks were last looked at, to tell when they
    /// changed (`Manager.DisksChanged`).
    disks_seen: Option<u64>,
}

fn path(prefix: &str, id: u64) -> OwnedObjectPath {
    OwnedObjectPath::try_from(format!("{prefix}/{id}")).unwrap_or_else(|_| no_object())
}

fn no_object() -> OwnedObjectPath {
    OwnedObjectPath::try_from(NO_OBJECT).unwrap_or_default()
}

/// 32 hex digits from the kernel's random source; should that be unreadable, from a hash
/// of the time, the process id and std's randomly keyed hasher (still distinct per start).
fn instance_id() -> String {
    use std::{
        hash::{BuildHasher, Hasher},
        io::Read,
    };
    let mut bytes = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if let Err(e) = read {
        tracing::warn!(error = %e, "cannot read /dev/urandom; the instance id is derived from the time");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        for (i, half) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(now.as_nanos());
            h.write_u32(std::process::id());
            h.write_usize(i);
            half.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
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
        sessions::watch_clients(&conn, tx.downgrade()).await?;
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
            assistant: settings.assistant.watch().borrow().to_map(),
            active_job: no_object(),
            last_job: no_object(),
            pending_plans: Vec::new(),
            last_error: ErrorInfo::default(),
            configuration: HashMap::new(),
            users: Vec::new(),
            instance_id: instance_id(),
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
            disks_seen: None,
        })
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

    fn alloc_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    async fn handle_command(&mut self, cmd: Command) {
        match cmd {
            Command::ListDisks { reply } => {
                let _ = reply.send(Ok(self.machine().await.disks));
            }
            Command::DiskDetails { disk, reply } => {
                let mut m = self.machine().await;
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
                let machine = self.machine().await;
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
            Command::Understand { mut text, reply } => {
                // A password typed into the request never becomes an action value.
                let redacted = crate::conversation::secrets::redact(&text);
                zeroize::Zeroize::zeroize(&mut text);
                let (actor, helpers) = (self.handle.clone(), self.helpers());
                tokio::spawn(async move {
                    let r = crate::conversation::understand(
                        &actor,
                        &helpers,
                        &redacted.read,
                        Vec::new(),
                    )
                    .await;
                    let _ = reply.send(r);
                });
            }
            Command::Say {
                session,
                uid,
                sender,
                text,
                reply,
            } => self.say(session, uid, sender, text, reply),
            Command::TurnDone {
                session,
                sender,
                turn,
                reply,
            } => self.turn_done(session, sender, turn, reply).await,
            Command::AssistantState { status, reply } => {
                {
                    let mut m = lock(&self.manager);
                    m.assistant_state.clone_from(&status.state);
                    m.assistant = status.to_map();
                }
                self.notify_manager(&["AssistantState", "Assistant"]).await;
                let _ = reply.send(Ok(()));
            }
            Command::OpenSession {
                uid,
                client,
                keep,
                reply,
            } => {
                let _ = reply.send(self.open_session(uid, client, keep).await);
            }
            Command::ClientLeft { name } => self.client_left(&name).await,
            Command::CloseSession { id, reply } => {
                let _ = reply.send(self.close_session(id).await);
            }
            Command::Propose {
                actions,
                uid,
                session,
                reply,
            } => {
                let _ = reply.send(self.propose(actions, uid, session).await);
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
            Command::DisksMaybeChanged => self.disks_maybe_changed().await,
        }
    }
}
