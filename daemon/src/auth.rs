//! Authorization: every mutating method asks polkit about the *caller* (the message sender
//! as a `system-bus-name` subject), never about the daemon itself. Root callers are allowed.
//! When polkit cannot be asked, the answer is no.

use std::{collections::HashMap, time::Duration};

use levitate_dbus::{options, Error};
use serde::{Deserialize, Serialize};
use tracing::{debug, info, warn};
use zbus::{
    fdo::DBusProxy,
    message::Header,
    names::BusName,
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
    // Part of polkit's reply; read by nobody, but it must be there to decode the reply.
    #[allow(dead_code)]
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
}

/// polkit's `AllowUserInteraction` flag.
const ALLOW_USER_INTERACTION: u32 = 1;
/// How long a person may take to answer an authentication dialog.
const INTERACTIVE_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a non-interactive check may take before we refuse.
const CHECK_TIMEOUT: Duration = Duration::from_secs(25);

pub type Options = HashMap<String, OwnedValue>;

/// Whether the caller asked never to be prompted.
fn no_interaction(opts: &Options) -> bool {
    opts.get(options::NO_USER_INTERACTION)
        .is_some_and(|v| matches!(&**v, Value::Bool(true)))
}

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
        let uid = self.caller_uid(header).await?;
        if uid == 0 {
            return Ok(uid);
        }
        let sender = header.sender().map(ToString::to_string).unwrap_or_default();
        let interactive = !no_interaction(opts);
        let verdict = tokio::time::timeout(
            if interactive {
                INTERACTIVE_TIMEOUT
            } else {
                CHECK_TIMEOUT
            },
            self.ask_polkit(&sender, action, interactive),
        )
        .await;
        match verdict {
            Ok(Ok(r)) if r.is_authorized => {
                debug!(uid, action, "authorized by polkit");
                Ok(uid)
            }
            Ok(Ok(r)) => {
                info!(uid, action, challenge = r.is_challenge, "not authorized");
                Err(Error::NotAuthorized(format!(
                    "you (uid {uid}) are not allowed to do this: polkit action {action} was {}",
                    if r.is_challenge {
                        "not granted (authentication was needed but did not succeed)"
                    } else {
                        "denied"
                    }
                )))
            }
            Ok(Err(e)) => {
                warn!(uid, action, error = %e, "polkit unreachable; refusing");
                Err(Error::NotAuthorized(format!(
                    "cannot ask polkit whether you may do this ({action}), so it is refused: {e}"
                )))
            }
            Err(_) => {
                warn!(uid, action, "polkit did not answer in time; refusing");
                Err(Error::NotAuthorized(format!(
                    "polkit did not answer in time for {action}, so it is refused"
                )))
            }
        }
    }

    async fn ask_polkit(
        &self,
        sender: &str,
        action: &str,
        interactive: bool,
    ) -> zbus::Result<AuthorizationResult> {
        let authority = AuthorityProxy::new(&self.conn).await?;
        let mut details = HashMap::new();
        details.insert("name", Value::from(sender));
        let subject = Subject {
            kind: "system-bus-name",
            details,
        };
        let flags = if interactive {
            ALLOW_USER_INTERACTION
        } else {
            0
        };
        authority
            .check_authorization(&subject, action, HashMap::new(), flags, "")
            .await
    }
}
