//! Restarting the machine through logind, the way a desktop's menu does.

use std::time::Duration;

use crate::stage::{ExecError, ExecResult};

/// `SD_LOGIND_SKIP_INHIBITORS`: the person asked for it; an inhibitor (a desktop's
/// "don't sleep while copying") must not keep the new system from starting.
const SKIP_INHIBITORS: u64 = 1 << 4;

const LOGIND: &str = "org.freedesktop.login1";
const PATH: &str = "/org/freedesktop/login1";
const MANAGER: &str = "org.freedesktop.login1.Manager";
/// logind answers at once (the reboot itself is queued); a hung one fails the step with a
/// message instead of holding the job, and every client watching it, for ever.
const TIMEOUT: Duration = Duration::from_secs(25);

/// `RebootWithFlags(skip-inhibitors)`, or `Reboot(false)` where logind is older and does
/// not know the method or the flag.
pub fn reboot() -> ExecResult {
    let handle = tokio::runtime::Handle::try_current()
        .map_err(|e| ExecError::Failed(format!("cannot reach logind: {e}")))?;
    handle.block_on(async {
        let conn = tokio::time::timeout(TIMEOUT, zbus::Connection::system())
            .await
            .map_err(|_| ExecError::Failed("the system bus did not answer".into()))?
            .map_err(|e| ExecError::Failed(format!("cannot reach the system bus: {e}")))?;
        let call = |method: &'static str, body: Option<u64>| {
            let conn = conn.clone();
            async move {
                let reply = async {
                    match body {
                        Some(flags) => {
                            conn.call_method(Some(LOGIND), PATH, Some(MANAGER), method, &(flags,))
                                .await
                        }
                        None => {
                            conn.call_method(Some(LOGIND), PATH, Some(MANAGER), method, &(false,))
                                .await
                        }
                    }
                };
                tokio::time::timeout(TIMEOUT, reply)
                    .await
                    .unwrap_or_else(|_| {
                        Err(zbus::Error::Failure(format!(
                            "logind did not answer {method} within {} s",
                            TIMEOUT.as_secs()
                        )))
                    })
            }
        };
        match call("RebootWithFlags", Some(SKIP_INHIBITORS)).await {
            Ok(_) => Ok(()),
            Err(zbus::Error::MethodError(name, _, _))
                if name.as_str() == "org.freedesktop.DBus.Error.UnknownMethod"
                    || name.as_str() == "org.freedesktop.DBus.Error.InvalidArgs" =>
            {
                tracing::info!("logind has no RebootWithFlags(skip-inhibitors); Reboot(false)");
                call("Reboot", None)
                    .await
                    .map(drop)
                    .map_err(|e| ExecError::Failed(format!("logind refused to reboot: {e}")))
            }
            Err(e) => Err(ExecError::Failed(format!("logind refused to reboot: {e}"))),
        }
    })
}
