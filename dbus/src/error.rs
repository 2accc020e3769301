use zbus::DBusError;

/// Every error the installer API returns, named `org.levitateos.Installer1.Error.<Variant>`.
///
/// Messages are written for a person: they say what went wrong and what to do about it. They
/// never contain secrets.
#[derive(Debug, DBusError)]
#[zbus(prefix = "org.levitateos.Installer1.Error")]
pub enum Error {
    /// A transport-level D-Bus error (for clients; the daemon never sends it as such).
    #[zbus(error)]
    ZBus(zbus::Error),
    /// polkit did not authorize the caller, or polkit could not be asked (fail closed).
    NotAuthorized(String),
    /// An argument is malformed, out of range, of the wrong type or too large.
    InvalidArgument(String),
    /// The named disk or partition does not exist on this machine.
    NoSuchDisk(String),
    /// The disk is in use (mounted, swap, holds the running root, has holders) or not allowed.
    DeviceBusy(String),
    /// The disks changed since the plan was made; propose it again.
    PlanStale(String),
    /// The plan or job is not in a state that allows this (already confirmed, finished ...).
    InvalidState(String),
    /// A step of the plan needs something done first (a root filesystem before copying ...).
    NotReady(String),
    /// The plan needs a secret (password, passphrase) that has not been handed over yet.
    SecretMissing(String),
    /// Another job is running; wait for it or cancel it.
    Busy(String),
    /// The operation was cancelled.
    Cancelled(String),
    /// This daemon cannot do that in its current mode.
    NotSupported(String),
    /// The object does not exist (any more).
    NoSuchObject(String),
    /// The operation failed; the message says where and why.
    Failed(String),
}

impl Error {
    /// The short name of the error (`NotAuthorized`), for scripts and exit codes.
    pub fn short_name(&self) -> &'static str {
        match self {
            Self::ZBus(_) => "Transport",
            Self::NotAuthorized(_) => "NotAuthorized",
            Self::InvalidArgument(_) => "InvalidArgument",
            Self::NoSuchDisk(_) => "NoSuchDisk",
            Self::DeviceBusy(_) => "DeviceBusy",
            Self::PlanStale(_) => "PlanStale",
            Self::InvalidState(_) => "InvalidState",
            Self::NotReady(_) => "NotReady",
            Self::SecretMissing(_) => "SecretMissing",
            Self::Busy(_) => "Busy",
            Self::Cancelled(_) => "Cancelled",
            Self::NotSupported(_) => "NotSupported",
            Self::NoSuchObject(_) => "NoSuchObject",
            Self::Failed(_) => "Failed",
        }
    }

    /// The human-readable message.
    pub fn message(&self) -> String {
        match self {
            Self::ZBus(e) => e.to_string(),
            Self::NotAuthorized(m)
            | Self::InvalidArgument(m)
            | Self::NoSuchDisk(m)
            | Self::DeviceBusy(m)
            | Self::PlanStale(m)
            | Self::InvalidState(m)
            | Self::NotReady(m)
            | Self::SecretMissing(m)
            | Self::Busy(m)
            | Self::Cancelled(m)
            | Self::NotSupported(m)
            | Self::NoSuchObject(m)
            | Self::Failed(m) => m.clone(),
        }
    }
}

impl From<crate::ActionError> for Error {
    fn from(e: crate::ActionError) -> Self {
        Self::InvalidArgument(e.to_string())
    }
}
