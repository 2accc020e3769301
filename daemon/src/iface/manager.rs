use std::collections::HashMap;

use levitate_dbus::{polkit, Action, Disk, Error, ErrorInfo, Stage, UserInfo, WireAction, MAX_ACTIONS};
use zbus::{interface, message::Header, zvariant::OwnedObjectPath};

use super::{lock, Shared};
use crate::{actor::{ActorHandle, Command}, auth::{Authorizer, Options}};

/// Everything the manager's properties show.
#[derive(Debug, Clone)]
pub struct ManagerProps {
    pub version: String,
    pub firmware: String,
    pub mode: String,
    pub stages: Vec<Stage>,
    pub assistant_state: String,
    pub active_job: OwnedObjectPath,
    pub last_job: OwnedObjectPath,
    pub pending_plans: Vec<OwnedObjectPath>,
    pub pending_question: String,
    pub last_error: ErrorInfo,
    pub configuration: HashMap<String, String>,
    pub users: Vec<UserInfo>,
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
    async fn list_disks(&self, #[zbus(header)] hdr: Header<'_>, options: Options) -> Result<Vec<Disk>, Error> {
        self.auth.check(&hdr, polkit::INSPECT, &options).await?;
        self.actor.call(|reply| Command::ListDisks { reply }).await
    }

    /// Opens a conversation session owned by the caller. polkit: converse.
    async fn open_session(&self, #[zbus(header)] hdr: Header<'_>, options: Options) -> Result<OwnedObjectPath, Error> {
        let uid = self.auth.check(&hdr, polkit::CONVERSE, &options).await?;
        self.actor.call(|reply| Command::OpenSession { uid, reply }).await
    }

    /// Plans the actions; executes nothing. polkit: converse.
    async fn propose(&self, #[zbus(header)] hdr: Header<'_>, actions: Vec<WireAction>, options: Options) -> Result<OwnedObjectPath, Error> {
        let uid = self.auth.check(&hdr, polkit::CONVERSE, &options).await?;
        if actions.len() > MAX_ACTIONS {
            return Err(Error::InvalidArgument(format!("at most {MAX_ACTIONS} actions at once")));
        }
        let actions = actions
            .into_iter()
            .map(Action::from_wire)
            .collect::<Result<Vec<_>, _>>()?;
        self.actor.call(|reply| Command::Propose { actions, uid, reply }).await
    }

    #[zbus(property)]
    fn version(&self) -> String {
        lock(&self.props).version.clone()
    }

    #[zbus(property)]
    fn firmware(&self) -> String {
        lock(&self.props).firmware.clone()
    }

    #[zbus(property)]
    fn mode(&self) -> String {
        lock(&self.props).mode.clone()
    }

    #[zbus(property)]
    fn stages(&self) -> Vec<Stage> {
        lock(&self.props).stages.clone()
    }

    #[zbus(property)]
    fn assistant_state(&self) -> String {
        lock(&self.props).assistant_state.clone()
    }

    #[zbus(property)]
    fn active_job(&self) -> OwnedObjectPath {
        lock(&self.props).active_job.clone()
    }

    #[zbus(property)]
    fn last_job(&self) -> OwnedObjectPath {
        lock(&self.props).last_job.clone()
    }

    #[zbus(property)]
    fn pending_plans(&self) -> Vec<OwnedObjectPath> {
        lock(&self.props).pending_plans.clone()
    }

    #[zbus(property)]
    fn pending_question(&self) -> String {
        lock(&self.props).pending_question.clone()
    }

    #[zbus(property)]
    fn last_error(&self) -> ErrorInfo {
        lock(&self.props).last_error.clone()
    }

    #[zbus(property)]
    fn configuration(&self) -> HashMap<String, String> {
        lock(&self.props).configuration.clone()
    }

    #[zbus(property)]
    fn users(&self) -> Vec<UserInfo> {
        lock(&self.props).users.clone()
    }
}
