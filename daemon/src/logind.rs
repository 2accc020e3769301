//! The logind inhibitor a job holds while it runs, as `PackageKit` does: shutdown and sleep
//! wait until the steps are done (a machine suspended halfway through writing a partition
//! table or copying the system is left half installed). Without logind (a container, a
//! test bus) the job runs all the same, with a warning in the log.

use std::{os::fd::OwnedFd, time::Duration};

use nix::fcntl::{fcntl, FcntlArg, FdFlag};
use tracing::{debug, warn};
use zbus::Connection;

const LOGIND: &str = "org.freedesktop.login1";
const PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";
/// What a job blocks.
pub const WHAT: &str = "shutdown:sleep";
/// Who holds the inhibitor, as `systemd-inhibit --list` shows it.
pub const WHO: &str = "LevitateOS installer";
/// How long logind may take to answer before the job starts without an inhibitor.
const TIMEOUT: Duration = Duration::from_secs(5);

/// An inhibitor: shutdown and sleep are blocked until it is dropped (its file descriptor
/// closed).
#[derive(Debug)]
pub struct Inhibitor {
    _fd: OwnedFd,
}

/// Asks logind for a blocking shutdown and sleep inhibitor, saying `why`. `None`, with a
/// warning in the log, when logind is not there or refuses.
pub async fn inhibit(conn: &Connection, why: &str) -> Option<Inhibitor> {
    let args = (WHAT, WHO, why, "block");
    let call = conn.call_method(Some(LOGIND), PATH, Some(MANAGER), "Inhibit", &args);
    let reply = match tokio::time::timeout(TIMEOUT, call).await {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => {
            warn!(error = %e, "cannot take a logind inhibitor; the job runs without one, and shutdown or sleep could interrupt it");
            return None;
        }
        Err(_) => {
            warn!("logind did not answer Inhibit within 5 s; the job runs without an inhibitor");
            return None;
        }
    };
    let fd: zbus::zvariant::OwnedFd = match reply.body().deserialize() {
        Ok(fd) => fd,
        Err(e) => {
            warn!(error = %e, "logind answered Inhibit without a file descriptor; the job runs without an inhibitor");
            return None;
        }
    };
    let fd = OwnedFd::from(fd);
    // The tools a step runs must not inherit the inhibitor and keep it after the job.
    if let Err(e) = fcntl(&fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC)) {
        warn!(error = %e, "cannot mark the inhibitor close-on-exec");
    }
    debug!(what = WHAT, why, "logind inhibitor taken");
    Some(Inhibitor { _fd: fd })
}
