//! Client proxies, written by hand so that the contract is visible in one place.

use std::collections::HashMap;

use zbus::{
    proxy,
    zvariant::{OwnedObjectPath, OwnedValue, Value},
};

use crate::{Disk, ErrorInfo, JobStep, PlanStep, SecretRequest, Stage, UserInfo, WireAction};

/// `org.levitateos.Installer1.Manager` on `/org/levitateos/Installer1`.
#[proxy(
    interface = "org.levitateos.Installer1.Manager",
    default_service = "org.levitateos.Installer1",
    default_path = "/org/levitateos/Installer1",
    gen_blocking = false
)]
pub trait Manager {
    /// The disks the installer can see, with what they hold and whether they are in use.
    fn list_disks(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<Vec<Disk>>;

    /// What `Disk` has no field for: `logical_sector_size` (u), `physical_sector_size` (u),
    /// `holders` (as: devices holding the disk or its partitions). More keys may come.
    fn disk_details(
        &self,
        disk: &str,
        options: HashMap<&str, Value<'_>>,
    ) -> zbus::Result<HashMap<String, zbus::zvariant::OwnedValue>>;

    /// Turns a request into typed actions; no side effects.
    fn interpret(
        &self,
        text: &str,
        options: HashMap<&str, Value<'_>>,
    ) -> zbus::Result<Vec<(String, HashMap<String, OwnedValue>)>>;

    /// Opens a conversation session for the caller.
    fn open_session(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<OwnedObjectPath>;

    /// Turns actions into a plan object; nothing is executed.
    fn propose(
        &self,
        actions: Vec<WireAction>,
        options: HashMap<&str, Value<'_>>,
    ) -> zbus::Result<OwnedObjectPath>;

    /// The daemon's version.
    #[zbus(property)]
    fn version(&self) -> zbus::Result<String>;

    /// `uefi` or `bios`.
    #[zbus(property)]
    fn firmware(&self) -> zbus::Result<String>;

    /// `real`, `simulated` or `sandbox`.
    #[zbus(property)]
    fn mode(&self) -> zbus::Result<String>;

    /// The installation checklist.
    #[zbus(property)]
    fn stages(&self) -> zbus::Result<Vec<Stage>>;

    /// The language-model assistant's state.
    #[zbus(property)]
    fn assistant_state(&self) -> zbus::Result<String>;

    /// Who answers what the interpreter does not understand, and why: `provider`
    /// (`embedded`, `remote`, `none`), `state`, `reason`, `model`, `variant`,
    /// `adapter_path`, `adapter_sha256`, `url`, `last_error`.
    #[zbus(property)]
    fn assistant(&self) -> zbus::Result<HashMap<String, String>>;

    /// The running job, or `/`.
    #[zbus(property)]
    fn active_job(&self) -> zbus::Result<OwnedObjectPath>;

    /// The most recent job, running or finished, or `/`.
    #[zbus(property)]
    fn last_job(&self) -> zbus::Result<OwnedObjectPath>;

    /// Plans waiting for confirmation, oldest first.
    #[zbus(property)]
    fn pending_plans(&self) -> zbus::Result<Vec<OwnedObjectPath>>;

    /// The question the assistant is waiting on an answer to, or empty.
    #[zbus(property)]
    fn pending_question(&self) -> zbus::Result<String>;

    /// The last error of a job, or empty strings.
    #[zbus(property)]
    fn last_error(&self) -> zbus::Result<ErrorInfo>;

    /// Settings chosen so far: `hostname`, `timezone`, `locale`, `keyboard`.
    #[zbus(property)]
    fn configuration(&self) -> zbus::Result<HashMap<String, String>>;

    /// Users the installation creates.
    #[zbus(property)]
    fn users(&self) -> zbus::Result<Vec<UserInfo>>;
}

/// `org.levitateos.Installer1.Session`.
#[proxy(
    interface = "org.levitateos.Installer1.Session",
    default_service = "org.levitateos.Installer1",
    gen_blocking = false
)]
pub trait Session {
    /// Says something; returns the reply, the actions understood and the plan proposed
    /// (`/` when none). Nothing is executed.
    #[allow(clippy::type_complexity)]
    fn say(
        &self,
        text: &str,
        options: HashMap<&str, Value<'_>>,
    ) -> zbus::Result<(
        String,
        Vec<(String, HashMap<String, OwnedValue>)>,
        OwnedObjectPath,
    )>;

    /// A message of the conversation (role, text).
    #[zbus(signal)]
    fn message(&self, role: String, text: String) -> zbus::Result<()>;

    /// The conversation so far: (role, text).
    #[zbus(property)]
    fn history(&self) -> zbus::Result<Vec<(String, String)>>;

    /// The open question, or empty.
    #[zbus(property)]
    fn pending_question(&self) -> zbus::Result<String>;

    /// The last plan proposed in this session, or `/`.
    #[zbus(property)]
    fn last_plan(&self) -> zbus::Result<OwnedObjectPath>;

    /// Closes the session.
    fn close(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<()>;

    /// Unix user id of the session's owner.
    #[zbus(property)]
    fn owner(&self) -> zbus::Result<u32>;
}

/// `org.levitateos.Installer1.Plan`.
#[proxy(
    interface = "org.levitateos.Installer1.Plan",
    default_service = "org.levitateos.Installer1",
    gen_blocking = false
)]
pub trait Plan {
    /// Executes the plan; returns the job object.
    fn confirm(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<OwnedObjectPath>;

    /// Discards the plan.
    fn reject(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<()>;

    /// Hands over a secret the plan needs (see `Secrets`).
    fn set_secret(
        &self,
        id: &str,
        secret: &[u8],
        options: HashMap<&str, Value<'_>>,
    ) -> zbus::Result<()>;

    /// The actions the plan was made from.
    #[zbus(property)]
    fn actions(&self) -> zbus::Result<Vec<(String, HashMap<String, OwnedValue>)>>;

    /// The steps, in order.
    #[zbus(property)]
    fn steps(&self) -> zbus::Result<Vec<PlanStep>>;

    /// One paragraph for people.
    #[zbus(property)]
    fn summary(&self) -> zbus::Result<String>;

    /// Things the person should know before confirming.
    #[zbus(property)]
    fn warnings(&self) -> zbus::Result<Vec<String>>;

    /// What is destroyed, in words.
    #[zbus(property)]
    fn destroys(&self) -> zbus::Result<Vec<String>>;

    /// Whether confirming destroys data.
    #[zbus(property)]
    fn destructive(&self) -> zbus::Result<bool>;

    /// The polkit action confirming needs.
    #[zbus(property)]
    fn authorization(&self) -> zbus::Result<String>;

    /// Secrets needed before confirmation.
    #[zbus(property)]
    fn secrets(&self) -> zbus::Result<Vec<SecretRequest>>;

    /// `pending`, `confirmed` or `rejected`.
    #[zbus(property)]
    fn state(&self) -> zbus::Result<String>;

    /// The job, once confirmed; `/` before.
    #[zbus(property)]
    fn job(&self) -> zbus::Result<OwnedObjectPath>;
}

/// `org.levitateos.Installer1.Job`.
#[proxy(
    interface = "org.levitateos.Installer1.Job",
    default_service = "org.levitateos.Installer1",
    gen_blocking = false
)]
pub trait Job {
    /// Cancels the job if `Cancelable`.
    fn cancel(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<()>;

    /// Sent once when the job ends.
    #[zbus(signal)]
    fn completed(&self, success: bool, message: String) -> zbus::Result<()>;

    /// The plan it executes.
    #[zbus(property)]
    fn plan(&self) -> zbus::Result<OwnedObjectPath>;

    /// `running`, `succeeded`, `failed`, `cancelled`.
    #[zbus(property)]
    fn state(&self) -> zbus::Result<String>;

    /// 0.0 to 1.0.
    #[zbus(property)]
    fn progress(&self) -> zbus::Result<f64>;

    /// Bytes done in the current data-moving step.
    #[zbus(property)]
    fn bytes(&self) -> zbus::Result<u64>;

    /// Bytes in total of the current data-moving step, 0 when none.
    #[zbus(property)]
    fn total_bytes(&self) -> zbus::Result<u64>;

    /// Bytes per second, 0 when unknown.
    #[zbus(property)]
    fn rate(&self) -> zbus::Result<u64>;

    /// Description of the running step.
    #[zbus(property)]
    fn current_step(&self) -> zbus::Result<String>;

    /// Every step with its state.
    #[zbus(property)]
    fn steps(&self) -> zbus::Result<Vec<JobStep>>;

    /// Whether `Cancel` may be called now.
    #[zbus(property)]
    fn cancelable(&self) -> zbus::Result<bool>;

    /// The completion message, empty while running.
    #[zbus(property)]
    fn message(&self) -> zbus::Result<String>;
}
