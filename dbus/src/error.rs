use zbus::{
    message::{Header, Message},
    names::ErrorName,
    DBusError,
};

/// The prefix of every installer error name but one.
const PREFIX: &str = "org.levitateos.Installer1.Error";
/// The freedesktop name `InteractiveAuthorizationRequired` is sent under, so that any D-Bus
/// client (`GDBus`, sd-bus, Qt) knows to retry with the `ALLOW_INTERACTIVE_AUTHORIZATION` flag.
pub const INTERACTIVE_AUTHORIZATION_REQUIRED: &str =
    "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";

/// Every error the installer API returns, named `org.levitateos.Installer1.Error.<Variant>`,
/// except `InteractiveAuthorizationRequired`, sent under the freedesktop name
/// `org.freedesktop.DBus.Error.InteractiveAuthorizationRequired`.
///
/// Messages are written for a person: they say what went wrong and what to do about it. They
/// never contain secrets.
///
/// `DBusError` is implemented by hand: the derive puts every variant under one prefix.
#[derive(Debug)]
pub enum Error {
    /// A transport-level D-Bus error (for clients; the daemon never sends it as such).
    ZBus(zbus::Error),
    /// polkit did not authorize the caller, or polkit could not be asked (fail closed).
    NotAuthorized(String),
    /// polkit would authorize the caller after authentication, but the call did not allow
    /// interaction (no `ALLOW_INTERACTIVE_AUTHORIZATION` flag, or `auth.no_user_interaction`):
    /// call again with the flag set and an authentication agent running.
    InteractiveAuthorizationRequired(String),
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
    /// Another job is running, or a limit is reached; wait, cancel, or close something.
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

/// Makes a variant from its message.
type MakeError = fn(String) -> Error;

/// The variants that carry a message, by short name, to decode a reply back.
const NAMED: [(&str, MakeError); 14] = [
    ("NotAuthorized", Error::NotAuthorized),
    (
        "InteractiveAuthorizationRequired",
        Error::InteractiveAuthorizationRequired,
    ),
    ("InvalidArgument", Error::InvalidArgument),
    ("NoSuchDisk", Error::NoSuchDisk),
    ("DeviceBusy", Error::DeviceBusy),
    ("PlanStale", Error::PlanStale),
    ("InvalidState", Error::InvalidState),
    ("NotReady", Error::NotReady),
    ("SecretMissing", Error::SecretMissing),
    ("Busy", Error::Busy),
    ("Cancelled", Error::Cancelled),
    ("NotSupported", Error::NotSupported),
    ("NoSuchObject", Error::NoSuchObject),
    ("Failed", Error::Failed),
];

impl Error {
    /// The short name of the error (`NotAuthorized`), for scripts and exit codes.
    pub fn short_name(&self) -> &'static str {
        match self {
            Self::ZBus(_) => "Transport",
            Self::NotAuthorized(_) => "NotAuthorized",
            Self::InteractiveAuthorizationRequired(_) => "InteractiveAuthorizationRequired",
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
            other => other.own_text().unwrap_or_default().to_owned(),
        }
    }

    /// The message of an installer error; `None` for a transport error.
    fn own_text(&self) -> Option<&str> {
        match self {
            Self::ZBus(_) => None,
            Self::NotAuthorized(m)
            | Self::InteractiveAuthorizationRequired(m)
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
            | Self::Failed(m) => Some(m),
        }
    }

    /// The full D-Bus error name of this error.
    pub fn dbus_name(&self) -> String {
        match self {
            Self::ZBus(_) => "org.freedesktop.zbus.Error".to_owned(),
            Self::InteractiveAuthorizationRequired(_) => {
                INTERACTIVE_AUTHORIZATION_REQUIRED.to_owned()
            }
            other => format!("{PREFIX}.{}", other.short_name()),
        }
    }

    /// The error a D-Bus error name stands for, with its message; `None` for names that are
    /// not the installer's.
    pub fn from_name(name: &str, message: Option<&str>) -> Option<Self> {
        let short = if name == INTERACTIVE_AUTHORIZATION_REQUIRED {
            "InteractiveAuthorizationRequired"
        } else {
            name.strip_prefix(PREFIX)?.strip_prefix('.')?
        };
        NAMED
            .iter()
            .find(|(n, _)| *n == short)
            .map(|(_, make)| make(message.unwrap_or_default().to_owned()))
    }
}

impl DBusError for Error {
    fn name(&self) -> ErrorName<'_> {
        ErrorName::try_from(self.dbus_name())
            .unwrap_or_else(|_| ErrorName::from_static_str_unchecked("org.freedesktop.zbus.Error"))
    }

    fn description(&self) -> Option<&str> {
        match self {
            Self::ZBus(e) => e.description(),
            other => other.own_text(),
        }
    }

    fn create_reply(&self, call: &Header<'_>) -> zbus::Result<Message> {
        let text = match self {
            Self::ZBus(zbus::Error::MethodError(_, Some(desc), _)) => desc.clone(),
            other => other.message(),
        };
        Message::error(call, self.name())?.build(&(text,))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let description = self.description().unwrap_or("no description");
        write!(f, "{}: {description}", self.dbus_name())
    }
}

impl std::error::Error for Error {}

impl From<zbus::Error> for Error {
    fn from(value: zbus::Error) -> Self {
        let known = match &value {
            zbus::Error::MethodError(name, desc, _) => Self::from_name(name, desc.as_deref()),
            zbus::Error::FDO(e) => {
                let e: &zbus::fdo::Error = e;
                Self::from_name(&e.name(), e.description())
            }
            _ => None,
        };
        known.unwrap_or(Self::ZBus(value))
    }
}

impl From<crate::ActionError> for Error {
    fn from(e: crate::ActionError) -> Self {
        Self::InvalidArgument(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (short, make) in NAMED {
            let e = make("why".into());
            assert_eq!(e.short_name(), short);
            let back = Error::from_name(&e.dbus_name(), Some("why")).expect("known");
            assert_eq!(back.short_name(), short);
            assert_eq!(back.message(), "why");
        }
        assert_eq!(
            Error::InteractiveAuthorizationRequired(String::new()).dbus_name(),
            "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"
        );
        assert_eq!(
            Error::Busy(String::new()).dbus_name(),
            "org.levitateos.Installer1.Error.Busy"
        );
        assert!(Error::from_name("org.freedesktop.DBus.Error.Failed", None).is_none());
    }

    #[test]
    fn the_fdo_form_decodes_too() {
        let fdo = zbus::fdo::Error::InteractiveAuthorizationRequired("log in".into());
        let e = Error::from(zbus::Error::FDO(Box::new(fdo)));
        assert!(
            matches!(&e, Error::InteractiveAuthorizationRequired(m) if m == "log in"),
            "{e:?}"
        );
    }
}
