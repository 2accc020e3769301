use levitate_dbus::{polkit, Error, Notice, PlanState, PlanStep, SecretRequest, WireAction};
use zbus::{interface, message::Header, zvariant::OwnedObjectPath};
use zeroize::Zeroizing;

use super::{
    lock,
    options::{self, Method},
    Shared,
};
use crate::{
    actor::{ActorHandle, Command},
    auth::{Authorizer, Details, Options},
};

#[derive(Debug, Clone)]
pub struct PlanProps {
    pub actions: Vec<levitate_dbus::Action>,
    pub steps: Vec<PlanStep>,
    /// The stable operation id of each step, index-aligned with `steps`.
    pub step_ids: Vec<String>,
    pub summary: String,
    pub warnings: Vec<Notice>,
    pub destroys: Vec<Notice>,
    pub destructive: bool,
    pub authorization: String,
    pub secrets: Vec<SecretRequest>,
    pub state: PlanState,
    pub job: OwnedObjectPath,
    /// Who proposed it: only they (or root, or an administrator through `manage-others`)
    /// may hand it secrets, confirm or reject it.
    pub proposer: u32,
    /// Whether the disks or the install state changed since it was made.
    pub stale: bool,
    /// The session whose `Say` proposed it, or `/`.
    pub session: OwnedObjectPath,
    /// What polkit is told when the plan is confirmed.
    pub polkit: Details,
}

pub struct PlanIface {
    pub id: u64,
    pub actor: ActorHandle,
    pub auth: Authorizer,
    pub props: Shared<PlanProps>,
}

impl PlanIface {
    fn authorization(&self) -> String {
        lock(&self.props).authorization.clone()
    }

    /// Lets the caller act on the plan as its proposer: root and the proposer may, anyone
    /// else needs `org.levitateos.installer.manage-others`. Returns the caller's uid.
    async fn as_proposer(&self, hdr: &Header<'_>, options: &Options) -> Result<u32, Error> {
        let uid = self.auth.caller_uid(hdr).await?;
        let (proposer, mut details) = {
            let p = lock(&self.props);
            (p.proposer, p.polkit.clone())
        };
        if uid == 0 || uid == proposer {
            return Ok(uid);
        }
        details.message = details.message.map(|m| {
            format!(
                "Authentication is required to act on a plan that another user (uid {proposer}) proposed. {m}"
            )
        });
        details.details.push(("proposer", proposer.to_string()));
        self.auth
            .check_with(hdr, polkit::MANAGE_OTHERS, options, &details)
            .await
    }
}

/// `org.levitateos.Installer1.Plan`: what will happen, shown before anything happens.
#[interface(name = "org.levitateos.Installer1.Plan")]
impl PlanIface {
    /// Executes the plan. polkit: the plan's `Authorization` (erase-disk, configure,
    /// reboot), told what is at stake (`polkit.message` naming the disks with model and
    /// size, or the changes; details `plan`, `disk`); this is the one place a plan asks.
    /// Only the proposer or root may confirm, or an administrator through
    /// `org.levitateos.installer.manage-others` (checked first). Interactive only with the
    /// `ALLOW_INTERACTIVE_AUTHORIZATION` flag or `auth.allow_user_interaction`; a check waits
    /// up to 300 s for the person (25 s when not interactive) and is cancelled when the
    /// caller leaves the bus, and then nothing starts.
    async fn confirm(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        options: Options,
    ) -> Result<OwnedObjectPath, Error> {
        options::check(&options, Method::Confirm)?;
        self.as_proposer(&hdr, &options).await?;
        let details = lock(&self.props).polkit.clone();
        let uid = self
            .auth
            .check_with(&hdr, &self.authorization(), &options, &details)
            .await?;
        let plan = self.id;
        self.actor
            .call(|reply| Command::Confirm { plan, uid, reply })
            .await
    }

    /// Discards the plan. Its proposer and root may; anyone else needs
    /// `org.levitateos.installer.manage-others`.
    async fn reject(&self, #[zbus(header)] hdr: Header<'_>, options: Options) -> Result<(), Error> {
        options::check(&options, Method::Reject)?;
        self.as_proposer(&hdr, &options).await?;
        let plan = self.id;
        self.actor
            .call(|reply| Command::Reject { plan, reply })
            .await
    }

    /// Hands over a secret the plan needs. Kept in memory only, zeroized after use, never
    /// shown anywhere. The proposer and root need no polkit here (the plan asks at
    /// `Confirm`); anyone else needs `org.levitateos.installer.manage-others`, so nobody
    /// can swap another person's password.
    async fn set_secret(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        id: String,
        secret: Vec<u8>,
        options: Options,
    ) -> Result<(), Error> {
        let secret = Zeroizing::new(secret);
        options::check(&options, Method::SetSecret)?;
        self.as_proposer(&hdr, &options).await?;
        let plan = self.id;
        self.actor
            .call(|reply| Command::SetSecret {
                plan,
                id,
                secret,
                reply,
            })
            .await
    }

    /// The actions the plan was made from, in the typed `(sa{sv})` form.
    #[zbus(property(emits_changed_signal = "const"))]
    fn actions(&self) -> Vec<WireAction> {
        lock(&self.props)
            .actions
            .iter()
            .map(levitate_dbus::Action::to_wire)
            .collect()
    }

    /// The steps in order: (stage id, description, destroys data).
    #[zbus(property(emits_changed_signal = "const"))]
    fn steps(&self) -> Vec<PlanStep> {
        lock(&self.props).steps.clone()
    }

    /// The stable operation id of each step, index-aligned with `Steps`: the stage and the
    /// operation (`disks.write-table`, `disks.format`, `system.copy`,
    /// `configuration.hostname`, `users.create`, `bootloader.install` ...; the list is in
    /// docs/DBUS.md); a second step of the same operation gets `#2`, a third `#3`. The same
    /// ids name the job's steps in `Job.StepResults` and `Job.Log`.
    #[zbus(property(emits_changed_signal = "const"))]
    fn step_ids(&self) -> Vec<String> {
        lock(&self.props).step_ids.clone()
    }

    /// What the plan does, in one paragraph for people.
    #[zbus(property(emits_changed_signal = "const"))]
    fn summary(&self) -> String {
        lock(&self.props).summary.clone()
    }

    /// What a person should know before confirming.
    #[zbus(property(emits_changed_signal = "const"))]
    fn warnings(&self) -> Vec<String> {
        lock(&self.props)
            .warnings
            .iter()
            .map(|w| w.text.clone())
            .collect()
    }

    /// `Warnings` for frontends that write their own sentences, index-aligned with it:
    /// (stable id, the English text, parameters). Ids and parameters are listed in
    /// docs/DBUS.md.
    #[zbus(property(emits_changed_signal = "const"))]
    fn warning_details(&self) -> Vec<Notice> {
        lock(&self.props).warnings.clone()
    }

    /// What confirming erases, in words ("erases /dev/sda (Samsung SSD 870 EVO, 500 GiB): ...").
    #[zbus(property(emits_changed_signal = "const"))]
    fn destroys(&self) -> Vec<String> {
        lock(&self.props)
            .destroys
            .iter()
            .map(|d| d.text.clone())
            .collect()
    }

    /// `Destroys` for frontends that write their own sentences, index-aligned with it:
    /// (stable id, the English text, parameters such as `disk`, `model`, `size`). Ids and
    /// parameters are listed in docs/DBUS.md.
    #[zbus(property(emits_changed_signal = "const"))]
    fn destroy_details(&self) -> Vec<Notice> {
        lock(&self.props).destroys.clone()
    }

    /// The language of the plan's texts (`en` in this version, whatever `locale` option
    /// was given); frontends that want another language render from the details' ids.
    #[zbus(property(emits_changed_signal = "const"))]
    #[allow(clippy::unused_self)] // a property getter takes `&self`
    fn locale(&self) -> String {
        crate::plan::TEXT_LOCALE.to_owned()
    }

    /// True once the disks or the install state changed since the plan was made, so
    /// that `Confirm` would fail with `PlanStale`. Re-checked after every job and when
    /// the disks change.
    #[zbus(property)]
    fn stale(&self) -> bool {
        lock(&self.props).stale
    }

    /// Whether confirming destroys data.
    #[zbus(property(emits_changed_signal = "const"))]
    fn destructive(&self) -> bool {
        lock(&self.props).destructive
    }

    /// The polkit action that `Confirm` needs: `org.levitateos.installer.erase-disk`, `.configure` or `.reboot`.
    #[zbus(property(emits_changed_signal = "const"), name = "Authorization")]
    fn authorization_prop(&self) -> String {
        self.authorization()
    }

    /// Secrets to hand over with `SetSecret` before confirming: (id, prompt, provided).
    #[zbus(property)]
    fn secrets(&self) -> Vec<SecretRequest> {
        lock(&self.props).secrets.clone()
    }

    /// `pending`, `confirmed` or `rejected`.
    #[zbus(property)]
    fn state(&self) -> PlanState {
        lock(&self.props).state
    }

    /// The job executing the plan once confirmed; `/` before.
    #[zbus(property)]
    fn job(&self) -> OwnedObjectPath {
        lock(&self.props).job.clone()
    }

    /// Unix user id of whoever proposed the plan: only they (or root, or an administrator
    /// through `org.levitateos.installer.manage-others`) may `SetSecret`, `Confirm` or
    /// `Reject` it.
    #[zbus(property(emits_changed_signal = "const"))]
    fn proposer(&self) -> u32 {
        lock(&self.props).proposer
    }

    /// The session whose `Say` proposed the plan; `/` when proposed with `Manager.Propose`.
    /// The plan outlives the session.
    #[zbus(property(emits_changed_signal = "const"))]
    fn session(&self) -> OwnedObjectPath {
        lock(&self.props).session.clone()
    }
}
