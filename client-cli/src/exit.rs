//! Exit codes (stable, for scripts) and the mapping from errors onto them.
//!
//! 0 success; 1 the operation or job failed; 2 usage; 3 not authorized (also when
//! authentication is needed but `--no-interaction` forbade asking); 4 invalid input
//! (bad argument, unknown disk, not ready, missing secret, wrong state); 5 the plan is stale;
//! 6 busy (another job, a disk in use); 7 the daemon cannot be reached; 8 cancelled.

use std::process::ExitCode;

use levitate_dbus::Error;
use serde_json::json;

/// The operation or the job succeeded.
pub const SUCCESS: u8 = 0;
/// The operation or the job failed.
pub const FAILED: u8 = 1;
/// The command line is wrong: clap exits with it itself, before anything is asked.
#[allow(dead_code)]
pub const USAGE: u8 = 2;
/// polkit did not authorize the caller.
pub const NOT_AUTHORIZED: u8 = 3;
/// Bad argument, unknown disk, plan or job, not ready, missing secret, wrong state.
pub const INVALID_INPUT: u8 = 4;
/// The disks changed since the plan was made.
pub const PLAN_STALE: u8 = 5;
/// Another job runs, or a disk is in use.
pub const BUSY: u8 = 6;
/// The installer daemon cannot be reached.
pub const UNREACHABLE: u8 = 7;
/// The operation or the job was cancelled.
pub const CANCELLED: u8 = 8;
/// Standard output was closed under us (`| head`), as shell tools report it.
pub const STDOUT_CLOSED: i32 = 141;

/// A failure with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub name: String,
    pub message: String,
}

/// What a command returns: the exit code of a finished command, or why it failed.
pub type Outcome = Result<ExitCode, Failure>;

impl Failure {
    /// Says what failed, once: as JSON on stdout with `--json` (a script reads one
    /// document), else as text on stderr; and gives the exit code.
    pub fn report(self, json: bool) -> ExitCode {
        if json {
            out!(
                "{}",
                json!({"error": {"name": self.name, "message": self.message}})
            );
        } else {
            eprintln!("levitate-installctl: {}: {}", self.name, self.message);
        }
        ExitCode::from(self.code)
    }
}

/// The exit code of a job that has left the `running` state.
pub fn job_code(state: &str) -> u8 {
    match state {
        "succeeded" => SUCCESS,
        "cancelled" => CANCELLED,
        _ => FAILED,
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::NotAuthorized(_) | Error::InteractiveAuthorizationRequired(_) => NOT_AUTHORIZED,
            Error::InvalidArgument(_)
            | Error::NoSuchDisk(_)
            | Error::NotReady(_)
            | Error::SecretMissing(_)
            | Error::InvalidState(_)
            | Error::NoSuchObject(_) => INVALID_INPUT,
            Error::PlanStale(_) => PLAN_STALE,
            Error::Busy(_) | Error::DeviceBusy(_) => BUSY,
            Error::Cancelled(_) => CANCELLED,
            Error::ZBus(z) => return transport_failure(z),
            Error::NotSupported(_) | Error::Failed(_) => FAILED,
        };
        Self {
            code,
            name: e.short_name().to_owned(),
            message: e.message(),
        }
    }
}

fn transport_failure(e: &zbus::Error) -> Failure {
    let unreachable = match e {
        zbus::Error::MethodError(name, _, _) => {
            name.as_str() == "org.freedesktop.DBus.Error.ServiceUnknown"
                || name.as_str() == "org.freedesktop.DBus.Error.NameHasNoOwner"
        }
        zbus::Error::FDO(fdo) => matches!(
            **fdo,
            zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_)
        ),
        // `Connection`: the bus socket is not there or refuses us (no bus at all).
        zbus::Error::Connection(..)
        | zbus::Error::InputOutput(_)
        | zbus::Error::Address(_)
        | zbus::Error::Handshake(_) => true,
        _ => false,
    };
    if unreachable {
        Failure {
            code: UNREACHABLE,
            name: "Unreachable".into(),
            message: format!("the installer daemon cannot be reached on the system bus: {e}"),
        }
    } else if let zbus::Error::MethodError(name, msg, _) = e {
        Failure {
            code: INVALID_INPUT,
            name: name.to_string(),
            message: msg.clone().unwrap_or_default(),
        }
    } else {
        Failure {
            code: FAILED,
            name: "Transport".into(),
            message: e.to_string(),
        }
    }
}

impl From<zbus::Error> for Failure {
    fn from(e: zbus::Error) -> Self {
        // Errors the daemon names map onto our enum; anything else is transport.
        match Error::from(e) {
            Error::ZBus(z) => transport_failure(&z),
            other => other.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Self {
            code: INVALID_INPUT,
            name: "InvalidInput".into(),
            message: format!("{e:#}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use clap::Parser;
    use zbus::{message::Message, names::OwnedErrorName};

    use super::*;
    use crate::args::Cli;

    /// The error a D-Bus peer would send, as zbus hands it to a proxy's caller.
    fn method_error(name: &str, message: &str) -> zbus::Error {
        let reply = Message::method_call("/org/levitateos/Installer1", "Test")
            .expect("a valid path and member")
            .build(&())
            .expect("an empty body");
        zbus::Error::MethodError(
            OwnedErrorName::try_from(name.to_owned()).expect("a valid error name"),
            Some(message.to_owned()),
            reply,
        )
    }

    /// Every error the daemon names, with its short name and exit code.
    const DAEMON_ERRORS: [(&str, u8); 13] = [
        ("NotAuthorized", NOT_AUTHORIZED),
        ("InvalidArgument", INVALID_INPUT),
        ("NoSuchDisk", INVALID_INPUT),
        ("DeviceBusy", BUSY),
        ("PlanStale", PLAN_STALE),
        ("InvalidState", INVALID_INPUT),
        ("NotReady", INVALID_INPUT),
        ("SecretMissing", INVALID_INPUT),
        ("Busy", BUSY),
        ("Cancelled", CANCELLED),
        ("NotSupported", FAILED),
        ("NoSuchObject", INVALID_INPUT),
        ("Failed", FAILED),
    ];

    #[test]
    fn the_documented_codes_keep_their_numbers() {
        assert_eq!(
            [
                SUCCESS,
                FAILED,
                USAGE,
                NOT_AUTHORIZED,
                INVALID_INPUT,
                PLAN_STALE,
                BUSY,
                UNREACHABLE,
                CANCELLED
            ],
            [0, 1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert_eq!(STDOUT_CLOSED, 141);
    }

    #[test]
    fn every_daemon_error_name_maps_to_its_code() {
        for (short, code) in DAEMON_ERRORS {
            let name = format!("org.levitateos.Installer1.Error.{short}");
            let f = Failure::from(method_error(&name, "what went wrong"));
            assert_eq!((f.code, f.name.as_str()), (code, short), "{name}");
            assert_eq!(f.message, "what went wrong", "{name}");
            // The same error as a proxy returns it, already typed.
            let typed = Failure::from(levitate_dbus::Error::from(method_error(&name, "again")));
            assert_eq!((typed.code, typed.name.as_str()), (code, short), "{name}");
        }
    }

    #[test]
    fn a_daemon_that_is_not_on_the_bus_is_unreachable() {
        for name in [
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.NameHasNoOwner",
        ] {
            let f = Failure::from(method_error(name, "nobody home"));
            assert_eq!((f.code, f.name.as_str()), (UNREACHABLE, "Unreachable"));
            assert!(f
                .message
                .starts_with("the installer daemon cannot be reached"));
        }
        let io = zbus::Error::InputOutput(Arc::new(std::io::Error::other("gone")));
        assert_eq!(Failure::from(io).code, UNREACHABLE);
        assert_eq!(
            Failure::from(zbus::Error::Address("nowhere".into())).code,
            UNREACHABLE
        );
        assert_eq!(
            Failure::from(zbus::Error::Handshake("refused".into())).code,
            UNREACHABLE
        );
    }

    /// Regression (#14, item 8): a bus socket that is not there is what zbus 5.19 reports
    /// as `Error::Connection`, and it exited 1 ("Transport") instead of 7.
    #[test]
    fn a_bus_that_cannot_be_connected_to_is_unreachable() {
        let address: zbus::Address = "unix:path=/nonexistent/system_bus_socket"
            .parse()
            .expect("an address");
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let f = Failure::from(zbus::Error::Connection(Arc::new(io), address));
        assert_eq!((f.code, f.name.as_str()), (UNREACHABLE, "Unreachable"));
        assert!(
            f.message.contains("/nonexistent/system_bus_socket"),
            "{}",
            f.message
        );
        let fdo = zbus::fdo::Error::ServiceUnknown("no installer".into());
        assert_eq!(
            Failure::from(zbus::Error::FDO(Box::new(fdo))).code,
            UNREACHABLE
        );
    }

    #[test]
    fn other_bus_errors_are_invalid_input_by_their_full_name() {
        let name = "org.freedesktop.DBus.Error.UnknownMethod";
        let f = Failure::from(method_error(name, "no such method"));
        assert_eq!(
            (f.code, f.name.as_str(), f.message.as_str()),
            (INVALID_INPUT, name, "no such method")
        );
    }

    #[test]
    fn other_transport_errors_are_failures() {
        let f = Failure::from(zbus::Error::Failure("broken".into()));
        assert_eq!((f.code, f.name.as_str()), (FAILED, "Transport"));
    }

    #[test]
    fn local_input_errors_are_invalid_input() {
        let f = Failure::from(anyhow::anyhow!("inner").context("outer"));
        assert_eq!(
            (f.code, f.name.as_str(), f.message.as_str()),
            (INVALID_INPUT, "InvalidInput", "outer: inner")
        );
    }

    #[test]
    fn job_states_map_to_codes() {
        assert_eq!(job_code("succeeded"), SUCCESS);
        assert_eq!(job_code("cancelled"), CANCELLED);
        assert_eq!(job_code("failed"), FAILED);
    }

    #[test]
    fn a_wrong_command_line_exits_with_the_usage_code() {
        for args in [
            &["levitate-installctl"][..],
            &["levitate-installctl", "bogus"],
            &["levitate-installctl", "say"],
            &["levitate-installctl", "plan", "confirm", "--frobnicate"],
        ] {
            let e = Cli::try_parse_from(args).expect_err("a usage error");
            assert_eq!(e.exit_code(), i32::from(USAGE), "{args:?}");
        }
    }
}
