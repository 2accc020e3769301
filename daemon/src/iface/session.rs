use levitate_dbus::Error;
use zbus::{interface, message::Header};

use crate::{
    actor::{ActorHandle, Command},
    auth::{Authorizer, Options},
};

pub struct SessionIface {
    pub id: u64,
    pub owner: u32,
    pub actor: ActorHandle,
    pub auth: Authorizer,
}

/// `org.levitateos.Installer1.Session`: one person's conversation with the installer.
#[interface(name = "org.levitateos.Installer1.Session")]
impl SessionIface {
    /// Closes the session. Only its owner or root may.
    async fn close(&self, #[zbus(header)] hdr: Header<'_>, options: Options) -> Result<(), Error> {
        // No option changes closing yet; the argument is there so the API can grow.
        let _ = options;
        let uid = self.auth.caller_uid(&hdr).await?;
        if uid != 0 && uid != self.owner {
            return Err(Error::NotAuthorized(
                "only the session's owner may close it".into(),
            ));
        }
        let id = self.id;
        self.actor
            .call(|reply| Command::CloseSession { id, reply })
            .await
    }

    /// Unix user id of the session's owner.
    #[zbus(property(emits_changed_signal = "const"))]
    fn owner(&self) -> u32 {
        self.owner
    }
}
