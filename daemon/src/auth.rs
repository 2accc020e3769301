//! Authorization: every mutating method asks polkit about the *caller* (the message sender
//! as a `system-bus-name` subject), never about the daemon itself. Root callers are allowed.
//! When polkit cannot be asked, the answer is no.
//!
//! A check is interactive (polkit may ask the person for a password through their
//! authentication agent) when the call carries the `ALLOW_INTERACTIVE_AUTHORIZATION` message
//! flag or the option `auth.allow_user_interaction`, and never with
//! `auth.no_user_interaction` (as systemd's `bus-polkit.c`). When authentication would be
//! needed but the check was not interactive, the caller gets
//! `org.freedesktop.DBus.Error.InteractiveAuthorizationRequired` and may call again
//! interactively. Each check carries a cancellation id: when the caller leaves the bus
//! while polkit waits (a dialog open, a client that timed out), the check is cancelled
//! with `CancelCheckAuthorization` and the call goes no further.

use std::{
    collections::HashMap,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use futures_util::StreamExt as _;
use levitate_dbus::{options, Error};
use serde::{Deserialize, Serialize};
use tracing::{debug, info, warn};
use zbus::{
    fdo::DBusProxy,
    message::{Flags, Header},
    names::{BusName, UniqueName},
    proxy,
    zvariant::{OwnedValue, Type, Value},
    Connection,
};

/// `(sa{sv})` as polkit defines it.
#[derive(Debug, Serialize, Type)]
struct Subject<'a> {
    kind: &'a str,
    details: HashMap<&'a str, Value<'a>>,
}

/// `(bba{ss})`.
#[derive(Debug, Deserialize, Type)]
struct AuthorizationResult {
    is_authorized: bool,
    is_challenge: bool,
    /// `polkit.dismissed` when the person closed the dialog.
    details: HashMap<String, String>,
}

#[proxy(
    interface = "org.freedesktop.PolicyKit1.Authority",
    default_service = "org.freedesktop.PolicyKit1",
    default_path = "/org/freedesktop/PolicyKit1/Authority",
    gen_blocking = false
)]
trait Authority {
    fn check_authorization(
        &self,
        subject: &Subject<'_>,
        action_id: &str,
        details: HashMap<&str, &str>,
        flags: u32,
        cancellation_id: &str,
    ) -> zbus::Result<AuthorizationResult>;

    fn cancel_check_authorization(&self, cancellation_id: &str) -> zbus::Result<()>;
}

/// polkit's `AllowUserInteraction` flag.
const ALLOW_USER_INTERACTION: u32 = 1;
/// How long a person may take to answer an authentication dialog.
pub const INTERACTIVE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a non-interactive check may take before we refuse.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(25);
/// The longest `polkit.message` we pass on; an agent shows it in a dialog.
const MAX_MESSAGE: usize = 1000;

pub type Options = HashMap<String, OwnedValue>;

/// Whether the boolean option `key` is given and true.
fn flag(opts: &Options, key: &str) -> bool {
    opts.get(key)
        .is_some_and(|v| matches!(&**v, Value::Bool(true)))
}

/// Whether polkit may interact with the person for this call: the message flag or the
/// option asks for it, and `auth.no_user_interaction` does not forbid it.
pub fn interactive(header: &Header<'_>, opts: &Options) -> bool {
    if flag(opts, options::NO_USER_INTERACTION) {
        return false;
    }
    header
        .primary()
        .flags()
        .contains(Flags::AllowInteractiveAuth)
        || flag(opts, options::ALLOW_USER_INTERACTION)
}

/// What polkit is told about a check besides the action: the sentence an authentication
/// agent shows (`polkit.message`) and plain details that rules can read (`disk`, `plan`).
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub message: Option<String>,
    pub details: Vec<(&'static str, String)>,
}

impl Details {
    /// The details as polkit takes them. The message loses control characters and
    /// polkit's `$(` expansion, and is cut to a dialog's length.
    fn to_polkit(&self) -> HashMap<&str, String> {
        let mut out: HashMap<&str, String> =
            self.details.iter().map(|(k, v)| (*k, v.clone())).collect();
        if let Some(m) = &self.message {
            let clean: String = m
                .replace("$(", "$ (")
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_MESSAGE)
                .collect();
            out.insert("polkit.message", clean);
        }
        out
    }
}

/// Cancellation ids unique for this daemon's connection, as polkit requires.
static NEXT_CHECK: AtomicU64 = AtomicU64::new(1);

#[derive(Clone)]
pub struct Authorizer {
    conn: Connection,
}

impl Authorizer {
    pub fn new(conn: Connection) -> Self {
        Self { conn }
    }

    /// The Unix user id of the message's sender, as the bus daemon knows it.
    pub async fn caller_uid(&self, header: &Header<'_>) -> Result<u32, Error> {
        let sender = header
            .sender()
            .ok_or_else(|| Error::NotAuthorized("the message has no sender".into()))?;
        let dbus = DBusProxy::new(&self.conn)
            .await
            .map_err(|e| Error::Failed(format!("cannot ask the bus who is calling: {e}")))?;
        dbus.get_connection_unix_user(BusName::from(sender.to_owned()))
            .await
            .map_err(|e| Error::NotAuthorized(format!("cannot tell who is calling: {e}")))
    }

    /// Checks `action` for the sender of `header`; returns the caller's uid when allowed.
    pub async fn check(
        &self,
        header: &Header<'_>,
        action: &str,
        opts: &Options,
    ) -> Result<u32, Error> {
        self.check_with(header, action, opts, &Details::default())
            .await
    }

    /// Checks `action` for the sender of `header` telling polkit `details`; returns the
    /// caller's uid when allowed.
    pub async fn check_with(
        &self,
        header: &Header<'_>,
        action: &str,
        opts: &Options,
        details: &Details,
    ) -> Result<u32, Error> {
        let uid = self.caller_uid(header).await?;
        if uid == 0 {
            return Ok(uid);
        }
        let sender = header
            .sender()
            .ok_or_else(|| Error::NotAuthorized("the message has no sender".into()))?
            .to_owned();
        let interactive = interactive(header, opts);
        let id = format!(
            "levitate-installerd-{}",
            NEXT_CHECK.fetch_add(1, Ordering::Relaxed)
        );
        let limit = if interactive {
            INTERACTIVE_TIMEOUT
        } else {
            CHECK_TIMEOUT
        };
        let ask = tokio::time::timeout(
            limit,
            self.ask_polkit(&sender, action, interactive, details, &id),
        );
        let verdict = tokio::select! {
            v = ask => v,
            () = self.left_the_bus(&sender) => {
                info!(uid, action, "the caller left the bus; authorization check cancelled");
                self.cancel_check(&id).await;
                return Err(Error::Cancelled(
                    "the caller left the bus before polkit answered".into(),
                ));
            }
        };
        match verdict {
            Ok(Ok(r)) if r.is_authorized => {
                debug!(uid, action, interactive, "authorized by polkit");
                Ok(uid)
            }
            Ok(Ok(r)) if r.is_challenge && !interactive => {
                info!(
                    uid,
                    action, "authentication needed but interaction not allowed"
                );
                Err(Error::InteractiveAuthorizationRequired(format!(
                    "polkit action {action} needs you (uid {uid}) to authenticate; call again allowing interactive authorization (the ALLOW_INTERACTIVE_AUTHORIZATION flag or auth.allow_user_interaction, without auth.no_user_interaction) with an authentication agent running"
                )))
            }
            Ok(Ok(r)) => {
                let dismissed = r
                    .details
                    .get("polkit.dismissed")
                    .is_some_and(|v| v == "true");
                info!(
                    uid,
                    action,
                    challenge = r.is_challenge,
                    dismissed,
                    "not authorized"
                );
                Err(Error::NotAuthorized(format!(
                    "you (uid {uid}) are not allowed to do this: polkit action {action} was {}",
                    if dismissed {
                        "not granted (the authentication dialog was dismissed)"
                    } else if r.is_challenge {
                        "not granted (authentication was needed but did not succeed)"
                    } else {
                        "denied"
                    }
                )))
            }
            Ok(Err(e)) => {
                warn!(uid, action, error = %e, "polkit refused or unreachable; refusing");
                Err(Error::NotAuthorized(format!(
                    "polkit did not allow this ({action}), so it is refused: {e}"
                )))
            }
            Err(_) => {
                warn!(uid, action, "polkit did not answer in time; refusing");
                self.cancel_check(&id).await;
                Err(Error::NotAuthorized(format!(
                    "polkit did not answer within {} s for {action}, so it is refused",
                    limit.as_secs()
                )))
            }
        }
    }

    async fn ask_polkit(
        &self,
        sender: &UniqueName<'_>,
        action: &str,
        interactive: bool,
        details: &Details,
        cancellation_id: &str,
    ) -> zbus::Result<AuthorizationResult> {
        let authority = AuthorityProxy::new(&self.conn).await?;
        let mut subject_details = HashMap::new();
        subject_details.insert("name", Value::from(sender.as_str()));
        let subject = Subject {
            kind: "system-bus-name",
            details: subject_details,
        };
        let flags = if interactive {
            ALLOW_USER_INTERACTION
        } else {
            0
        };
        let details = details.to_polkit();
        let details = details.iter().map(|(k, v)| (*k, v.as_str())).collect();
        authority
            .check_authorization(&subject, action, details, flags, cancellation_id)
            .await
    }

    async fn cancel_check(&self, id: &str) {
        let cancel = async {
            AuthorityProxy::new(&self.conn)
                .await?
                .cancel_check_authorization(id)
                .await
        };
        match tokio::time::timeout(CHECK_TIMEOUT, cancel).await {
            Ok(Ok(())) => debug!(id, "polkit check cancelled"),
            Ok(Err(e)) => debug!(id, error = %e, "cannot cancel the polkit check"),
            Err(_) => debug!(id, "polkit did not answer the cancellation"),
        }
    }

    /// Resolves once `name` has no owner on the bus (never, when the bus cannot be asked).
    pub async fn left_the_bus(&self, name: &UniqueName<'_>) {
        let watch = async {
            let dbus = DBusProxy::new(&self.conn).await?;
            let mut changes = dbus
                .receive_name_owner_changed_with_args(&[(0, name.as_str())])
                .await?;
            // Subscribed first, then asked: a client gone in between is not missed.
            if !dbus.name_has_owner(BusName::from(name.to_owned())).await? {
                return Ok::<bool, zbus::Error>(true);
            }
            while let Some(change) = changes.next().await {
                if change.args().is_ok_and(|a| a.new_owner().is_none()) {
                    return Ok(true);
                }
            }
            Ok(false)
        };
        match watch.await {
            Ok(true) => {}
            Ok(false) => std::future::pending::<()>().await,
            Err(e) => {
                warn!(error = %e, "cannot watch the caller on the bus");
                std::future::pending::<()>().await;
            }
        }
    }
}
