use std::collections::HashMap;

use levitate_dbus::{
    polkit, Action, Disk, Error, ErrorInfo, OptionInfo, Stage, UserInfo, WireAction, MAX_ACTIONS,
};
use zbus::{
    interface,
    message::Header,
    object_server::SignalEmitter,
    zvariant::{OwnedObjectPath, OwnedValue, Value},
};

use super::{
    lock,
    options::{self, Method},
    Shared,
};
use crate::{
    actor::{ActorHandle, Command},
    auth::{Authorizer, Options},
};

/// Everything the manager's properties show.
#[derive(Debug, Clone)]
pub struct ManagerProps {
    pub version: String,
    pub firmware: String,
    pub mode: String,
    pub stages: Vec<Stage>,
    pub assistant_state: String,
    pub assistant: HashMap<String, String>,
    pub active_job: OwnedObjectPath,
    pub last_job: OwnedObjectPath,
    pub pending_plans: Vec<OwnedObjectPath>,
    pub last_error: ErrorInfo,
    pub configuration: HashMap<String, String>,
    pub users: Vec<UserInfo>,
    /// 32 random hex digits drawn at start.
    pub instance_id: String,
}

pub struct ManagerIface {
    pub actor: ActorHandle,
    pub auth: Authorizer,
    pub props: Shared<ManagerProps>,
}

/// `org.levitateos.Installer1.Manager`: the installer as a whole.
#[interface(name = "org.levitateos.Installer1.Manager")]
impl ManagerIface {
    /// The disks, with partitions and whether each is in use. polkit: inspect.
    async fn list_disks(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        options: Options,
    ) -> Result<Vec<Disk>, Error> {
        options::check(&options, Method::ListDisks)?;
        self.auth.check(&hdr, polkit::INSPECT, &options).await?;
        self.actor.call(|reply| Command::ListDisks { reply }).await
    }

    /// What the `Disk` structure has no field for, as typed values: `logical_sector_size`
    /// (u), `physical_sector_size` (u), `holders` (as: devices holding the disk or its
    /// partitions, such as an open LUKS volume). Later versions may add keys. polkit: inspect.
    async fn disk_details(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        disk: String,
        options: Options,
    ) -> Result<HashMap<String, OwnedValue>, Error> {
        options::check(&options, Method::DiskDetails)?;
        self.auth.check(&hdr, polkit::INSPECT, &options).await?;
        let d = self
            .actor
            .call(|reply| Command::DiskDetails { disk, reply })
            .await?;
        let mut out = HashMap::new();
        out.insert(
            "logical_sector_size".to_owned(),
            OwnedValue::from(d.logical_sector_size),
        );
        out.insert(
            "physical_sector_size".to_owned(),
            OwnedValue::from(d.physical_sector_size),
        );
        out.insert(
            "holders".to_owned(),
            OwnedValue::try_from(Value::from(d.holders))
                .map_err(|e| Error::Failed(format!("cannot encode holders: {e}")))?,
        );
        Ok(out)
    }

    /// Opens a conversation session owned by the caller. It closes when the caller leaves
    /// the bus, unless `session.keep` (b) is given: then it stays until `Session.Close` or
    /// until the owner's session limit closes it. Each user may have 16 sessions; a full
    /// quota closes the user's oldest kept session, else fails with `Busy`. polkit:
    /// converse.
    async fn open_session(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        options: Options,
    ) -> Result<OwnedObjectPath, Error> {
        options::check(&options, Method::OpenSession)?;
        let uid = self.auth.check(&hdr, polkit::CONVERSE, &options).await?;
        let keep = options
            .get(levitate_dbus::options::SESSION_KEEP)
            .is_some_and(|v| matches!(&**v, Value::Bool(true)));
        let client = hdr.sender().map(ToString::to_string);
        self.actor
            .call(|reply| Command::OpenSession {
                uid,
                client,
                keep,
                reply,
            })
            .await
    }

    /// Turns a person's request into typed actions without side effects: nothing is planned
    /// or executed. Ambiguous or invalid requests give a `clarify` action with the question
    /// to ask. polkit: converse.
    async fn interpret(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        text: String,
        options: Options,
    ) -> Result<Vec<WireAction>, Error> {
        options::check(&options, Method::Interpret)?;
        self.auth.check(&hdr, polkit::CONVERSE, &options).await?;
        let actions = self
            .actor
            .call(|reply| Command::Understand { text, reply })
            .await?;
        Ok(actions.iter().map(Action::to_wire).collect())
    }

    /// Plans the actions; executes nothing. polkit: converse.
    async fn propose(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        actions: Vec<WireAction>,
        options: Options,
    ) -> Result<OwnedObjectPath, Error> {
        options::check(&options, Method::Propose)?;
        let uid = self.auth.check(&hdr, polkit::CONVERSE, &options).await?;
        if actions.len() > MAX_ACTIONS {
            return Err(Error::InvalidArgument(format!(
                "at most {MAX_ACTIONS} actions at once"
            )));
        }
        let actions = actions
            .into_iter()
            .map(Action::from_wire)
            .collect::<Result<Vec<_>, _>>()?;
        self.actor
            .call(|reply| Command::Propose {
                actions,
                uid,
                session: None,
                reply,
            })
            .await
    }

    /// Every key methods accept in their `a{sv}` options: (key, D-Bus signature of its
    /// value, what it does and which methods take it). Any other key, a wrong type, or a
    /// key given to a method that does not take it is `InvalidArgument` naming the key.
    #[zbus(property(emits_changed_signal = "const"))]
    #[allow(clippy::unused_self)] // a property getter takes `&self`
    fn supported_options(&self) -> Vec<OptionInfo> {
        options::supported()
    }

    /// Sent when the disks change: after a job, and in real and sandbox mode when the
    /// kernel's partitions, the mounts or the swaps change. Pending plans are re-checked
    /// (`Plan.Stale`) before it is sent; call `ListDisks` again.
    #[zbus(signal)]
    pub async fn disks_changed(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;

    /// The daemon's version.
    #[zbus(property(emits_changed_signal = "const"))]
    fn version(&self) -> String {
        lock(&self.props).version.clone()
    }

    /// How the machine boots: `uefi` or `bios`.
    #[zbus(property(emits_changed_signal = "const"))]
    fn firmware(&self) -> String {
        lock(&self.props).firmware.clone()
    }

    /// `real` (this machine's disks), `sandbox` (an image attached as a loop device is the
    /// only disk, written for real) or `simulated` (a machine file; nothing is written).
    #[zbus(property(emits_changed_signal = "const"))]
    fn mode(&self) -> String {
        lock(&self.props).mode.clone()
    }

    /// The installation checklist: (id, title, state) for Disk configuration, System installation, Configuration, User setup, Bootloader and Finalize; state is `pending`, `in_progress`, `done` or `failed`.
    #[zbus(property)]
    fn stages(&self) -> Vec<Stage> {
        lock(&self.props).stages.clone()
    }

    /// The language-model assistant: `disabled`, `starting`, `ready`, `remote`, or `failed: reason`.
    #[zbus(property)]
    fn assistant_state(&self) -> String {
        lock(&self.props).assistant_state.clone()
    }

    /// Who answers what the interpreter does not understand, and why: `provider`
    /// (`embedded`, `remote` or `none`), `state` (as `AssistantState`), `reason` (why this
    /// provider, in words; for the embedded model, why this variant), `model` (the model's
    /// name), `variant` (the embedded model's variant: `nano`, or a larger one the hardware
    /// or `--model` chose; empty for a remote endpoint), `adapter_path` and `adapter_sha256`
    /// (the variant's verified LoRA adapter; empty without one), `url` (the endpoint, never
    /// with credentials) and `last_error` (the last request that failed, empty after a
    /// success). Every key is always present; later versions may add keys.
    #[zbus(property)]
    fn assistant(&self) -> HashMap<String, String> {
        lock(&self.props).assistant.clone()
    }

    /// The running job, or `/` when none runs.
    #[zbus(property)]
    fn active_job(&self) -> OwnedObjectPath {
        lock(&self.props).active_job.clone()
    }

    /// The most recent job, running or finished, or `/`.
    #[zbus(property)]
    fn last_job(&self) -> OwnedObjectPath {
        lock(&self.props).last_job.clone()
    }

    /// Plans waiting to be confirmed or rejected, oldest first.
    #[zbus(property)]
    fn pending_plans(&self) -> Vec<OwnedObjectPath> {
        lock(&self.props).pending_plans.clone()
    }

    /// Deprecated, always empty: questions belong to a session (`Session.PendingQuestion`),
    /// and one for all sessions showed each person the last speaker's. Kept for version 1
    /// clients.
    #[zbus(property(emits_changed_signal = "const"))]
    #[allow(clippy::unused_self)] // a property getter takes `&self`
    fn pending_question(&self) -> String {
        String::new()
    }

    /// (name, message) of the last failed or cancelled job; empty strings when the last job succeeded.
    #[zbus(property)]
    fn last_error(&self) -> ErrorInfo {
        lock(&self.props).last_error.clone()
    }

    /// Settings applied so far: `hostname`, `timezone`, `locale`, `keyboard`.
    #[zbus(property)]
    fn configuration(&self) -> HashMap<String, String> {
        lock(&self.props).configuration.clone()
    }

    /// Users the installation creates: (name, sudo, groups, `password_set`). Passwords are never shown.
    #[zbus(property)]
    fn users(&self) -> Vec<UserInfo> {
        lock(&self.props).users.clone()
    }

    /// 32 random hex digits drawn at each start of the daemon. Object numbers start at 1
    /// again after a restart, so an old `/Job/3` can be another job: a client that saw a
    /// different `InstanceId` forgets the paths it knew.
    #[zbus(property(emits_changed_signal = "const"))]
    fn instance_id(&self) -> String {
        lock(&self.props).instance_id.clone()
    }
}
