//! The D-Bus contract of the LevitateOS installer.
//!
//! This crate is the API boundary between `levitate-installerd` and every frontend (the TUI,
//! the CLI, GNOME/KDE frontends, `busctl` scripts). It holds the bus and interface names, the
//! typed structures that travel on the bus, the [`Action`] type with its canonical JSON form,
//! the one wire error enum [`Error`], and hand-written proxies. It depends on nothing else in
//! the workspace. The introspection XML kept beside it (`org.levitateos.Installer1.xml`) is
//! compared with the live daemon by the end-to-end tests.

mod action;
mod error;
mod proxy;
pub mod secrets;
mod types;

pub use action::{Action, ActionError, PartitionEntry, TableKind, WireAction, MAX_ACTIONS};
pub use error::Error;
pub use proxy::{JobProxy, ManagerProxy, PlanProxy, SessionProxy};
pub use types::{
    Disk, ErrorInfo, JobState, JobStep, Notice, OptionInfo, Partition, PlanState, PlanStep,
    SecretRequest, Stage, StageState, StepResult, StepState, UserInfo,
};

/// A size for people, in powers of 1024 with one decimal that is never rounded up
/// (`512 MiB`, `1.5 GiB`, `500 GiB`): what the daemon writes in plans and what the clients
/// show, so that the same disk reads the same everywhere.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1 << 40, "TiB"),
        (1 << 30, "GiB"),
        (1 << 20, "MiB"),
        (1 << 10, "KiB"),
    ];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let whole = bytes / unit;
            let tenth = (bytes % unit) * 10 / unit;
            return if tenth == 0 || whole >= 100 {
                format!("{whole} {name}")
            } else {
                format!("{whole}.{tenth} {name}")
            };
        }
    }
    format!("{bytes} B")
}

/// The well-known name the daemon owns on the system bus.
pub const BUS_NAME: &str = "org.levitateos.Installer1";
/// The root object: the manager interface and `org.freedesktop.DBus.ObjectManager`.
pub const ROOT_PATH: &str = "/org/levitateos/Installer1";
/// Sessions live at `SESSION_PATH_PREFIX/<n>`.
pub const SESSION_PATH_PREFIX: &str = "/org/levitateos/Installer1/Session";
/// Plans live at `PLAN_PATH_PREFIX/<n>`.
pub const PLAN_PATH_PREFIX: &str = "/org/levitateos/Installer1/Plan";
/// Jobs live at `JOB_PATH_PREFIX/<n>`.
pub const JOB_PATH_PREFIX: &str = "/org/levitateos/Installer1/Job";

/// The manager interface on [`ROOT_PATH`].
pub const MANAGER_INTERFACE: &str = "org.levitateos.Installer1.Manager";
/// The interface of session objects.
pub const SESSION_INTERFACE: &str = "org.levitateos.Installer1.Session";
/// The interface of plan objects.
pub const PLAN_INTERFACE: &str = "org.levitateos.Installer1.Plan";
/// The interface of job objects.
pub const JOB_INTERFACE: &str = "org.levitateos.Installer1.Job";

/// The path a property holds when it points at no object (no active job, say).
pub const NO_OBJECT: &str = "/";

/// The introspection XML of every interface above, as shipped and documented.
pub const INTROSPECTION_XML: &str = include_str!("../org.levitateos.Installer1.xml");

/// polkit action ids, one per class of operation.
pub mod polkit {
    /// Read-only inspection (disks, state). Anyone by default.
    pub const INSPECT: &str = "org.levitateos.installer.inspect";
    /// Talking to the assistant and proposing plans; changes nothing.
    pub const CONVERSE: &str = "org.levitateos.installer.converse";
    /// Confirming non-destructive plans (settings, users, copying, bootloader).
    pub const CONFIGURE: &str = "org.levitateos.installer.configure";
    /// Confirming anything that destroys data (partitioning, formatting).
    pub const ERASE_DISK: &str = "org.levitateos.installer.erase-disk";
    /// Rebooting the machine at the end of the installation.
    pub const REBOOT: &str = "org.levitateos.installer.reboot";
    /// Handing a secret to, confirming or rejecting a plan someone else proposed (besides
    /// the plan's own action when confirming). Administrators only.
    pub const MANAGE_OTHERS: &str = "org.levitateos.installer.manage-others";
}

/// Option keys understood in the `a{sv}` options of methods. `Manager.SupportedOptions`
/// lists them with their signatures; any other key, or a known key of the wrong type, is
/// refused with `InvalidArgument` naming it.
pub mod options {
    /// `b`: never interactive, whatever the message flag says: when polkit would need
    /// authentication the call fails with `InteractiveAuthorizationRequired`.
    pub const NO_USER_INTERACTION: &str = "auth.no_user_interaction";
    /// `b`: polkit may show an authentication dialog, as with the message flag
    /// `ALLOW_INTERACTIVE_AUTHORIZATION` (for clients whose library cannot set it).
    pub const ALLOW_USER_INTERACTION: &str = "auth.allow_user_interaction";
    /// `s`: the caller's locale (`de_DE.UTF-8`), for texts the daemon writes. Accepted by
    /// `OpenSession`, `Propose`, `Interpret` and `Say`; texts fall back to English, which
    /// `Plan.Locale` says.
    pub const LOCALE: &str = "locale";
    /// `b`, `OpenSession` only: the session outlives the bus client that opened it (it
    /// closes with `Session.Close` or when its owner's session limit evicts it).
    pub const SESSION_KEEP: &str = "session.keep";
}
