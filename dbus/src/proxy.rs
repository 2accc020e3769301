//! Client proxies, written by hand so that the contract is visible in one place.
//!
//! Every method call sets the `ALLOW_INTERACTIVE_AUTHORIZATION` flag: a program using these
//! proxies can let polkit ask for a password (an authentication agent in the person's
//! session answers). Pass `auth.no_user_interaction` to forbid it for one call.

use std::collections::HashMap;

use zbus::{
    proxy,
    zvariant::{OwnedObjectPath, OwnedValue, Value},
};

use crate::{
    Disk, ErrorInfo, JobStep, Notice, OptionInfo, PlanStep, SecretRequest, Stage, StepResult,
    UserInfo, WireAction,
};

/// `org.levitateos.Installer1.Manager` on `/org/levitateos/Installer1`.
#[proxy(
    interface = "org.levitateos.Installer1.Manager",
    default_service = "org.levitateos.Installer1",
    default_path = "/org/levitateos/Installer1",
    gen_blocking = false
)]
pub trait Manager {
    /// The disks the installer can see, with what they hold and whether they are in use.
    #[zbus(allow_interactive_auth)]
    fn list_disks(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<Vec<Disk>>;

    /// What `Disk` has no field for: `logical_sector_size` (u), `physical_sector_size` (u),
    /// `holders` (as: devices holding the disk or its partitions). More keys may come.
    #[zbus(allow_interactive_auth)]
    fn disk_details(
        &self,
        disk: &str,
        options: HashMap<&str, Value<'_>>,
    ) -> zbus::Result<HashMap<String, zbus::zvariant::OwnedValue>>;

    /// Turns a request into typed actions; no side effects.
    #[zbus(allow_interactive_auth)]
    fn interpret(
        &self,
        text: &str,
        options: HashMap<&str, Value<'_>>,
    ) -> zbus::Result<Vec<(String, HashMap<String, OwnedValue>)>>;

    /// Opens a conversation session for the caller.
    #[zbus(allow_interactive_auth)]
    fn open_session(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<OwnedObjectPath>;

    /// Turns actions into a plan object; nothing is executed.
    #[zbus(allow_interactive_auth)]
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

    /// 32 random hex digits drawn at each daemon start: a client that saw another value
    /// knows that object paths were renumbered (an old `/Job/3` is another job).
    #[zbus(property)]
    fn instance_id(&self) -> zbus::Result<String>;

    /// Every option key methods accept: (key, signature, what it does). Others are refused
    /// with `InvalidArgument`.
    #[zbus(property)]
    fn supported_options(&self) -> zbus::Result<Vec<OptionInfo>>;

    /// The disks changed (after a job, or outside the installer); pending plans were
    /// re-checked first (`Plan.Stale`).
    #[zbus(signal)]
    fn disks_changed(&self) -> zbus::Result<()>;
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
    #[zbus(allow_interactive_auth)]
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
    #[zbus(allow_interactive_auth)]
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
    #[zbus(allow_interactive_auth)]
    fn confirm(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<OwnedObjectPath>;

    /// Discards the plan.
    #[zbus(allow_interactive_auth)]
    fn reject(&self, options: HashMap<&str, Value<'_>>) -> zbus::Result<()>;

    /// Hands over a secret the plan needs (see `Secrets`).
    #[zbus(allow_interactive_auth)]
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

    /// `Warnings` as (stable id, English text, parameters), index-aligned.
    #[zbus(property)]
    fn warning_details(&self) -> zbus::Result<Vec<Notice>>;

    /// `Destroys` as (stable id, English text, parameters), index-aligned.
    #[zbus(property)]
    fn destroy_details(&self) -> zbus::Result<Vec<Notice>>;

    /// The language of the plan's texts (`en`).
    #[zbus(property)]
    fn locale(&self) -> zbus::Result<String>;

    /// Whether the disks or the install state changed since the plan was made, so that
    /// `Confirm` would fail with `PlanStale`.
    #[zbus(property)]
    fn stale(&self) -> zbus::Result<bool>;

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

    /// The stable operation id of each step (`disks.write-table`, `system.copy`),
    /// index-aligned with `Steps`.
    #[zbus(property)]
    fn step_ids(&self) -> zbus::Result<Vec<String>>;

    /// Unix user id of whoever proposed the plan.
    #[zbus(property)]
    fn proposer(&self) -> zbus::Result<u32>;

    /// The session whose `Say` proposed the plan; `/` when proposed with `Manager.Propose`.
    #[zbus(property)]
    fn session(&self) -> zbus::Result<OwnedObjectPath>;
}

/// `org.levitateos.Installer1.Job`.
#[proxy(
    interface = "org.levitateos.Installer1.Job",
    default_service = "org.levitateos.Installer1",
    gen_blocking = false
)]
pub trait Job {
    /// Cancels the job if `Cancelable`.
    #[zbus(allow_interactive_auth)]
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

    /// A line of progress for people, with the operation id of the step it is about
    /// (empty for the job as a whole).
    #[zbus(signal)]
    fn log(&self, operation_id: String, line: String) -> zbus::Result<()>;

    /// The D-Bus error name of a failed or cancelled job; empty otherwise.
    #[zbus(property)]
    fn error_name(&self) -> zbus::Result<String>;

    /// (operation id, state, error name, message) of every step, index-aligned with `Steps`.
    #[zbus(property)]
    fn step_results(&self) -> zbus::Result<Vec<StepResult>>;

    /// Whether `Progress` measures the running step; false: show a pulsing bar.
    #[zbus(property)]
    fn progress_valid(&self) -> zbus::Result<bool>;

    /// When the job started, microseconds since the epoch.
    #[zbus(property)]
    fn start_time(&self) -> zbus::Result<u64>;

    /// When the job is expected to end, microseconds since the epoch; 0 when unknown.
    #[zbus(property)]
    fn expected_end_time(&self) -> zbus::Result<u64>;

    /// When the job ended, microseconds since the epoch; 0 while it runs.
    #[zbus(property)]
    fn end_time(&self) -> zbus::Result<u64>;

    /// The last 100 `Log` lines, oldest first.
    #[zbus(property)]
    fn log_tail(&self) -> zbus::Result<Vec<String>>;
}
