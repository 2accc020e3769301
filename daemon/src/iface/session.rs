//! `org.levitateos.Installer1.Session`: forwards to the actor, which owns the
//! conversation; properties read the conversation the actor keeps.

use levitate_dbus::{polkit, Error, WireAction, NO_OBJECT};
use zbus::{interface, message::Header, object_server::SignalEmitter, zvariant::OwnedObjectPath};

use super::{
    lock,
    options::{self, Method},
    Shared,
};
use crate::{
    actor::{ActorHandle, Command},
    auth::{Authorizer, Options},
    conversation::Conversation,
};

pub struct SessionIface {
    pub id: u64,
    pub owner: u32,
    pub actor: ActorHandle,
    pub auth: Authorizer,
    pub conversation: Shared<Conversation>,
}

/// `org.levitateos.Installer1.Session`: one person's conversation with the installer.
#[interface(name = "org.levitateos.Installer1.Session")]
impl SessionIface {
    /// Says something to the installer. Returns the reply, the actions understood, and the
    /// plan proposed for the actions that change something (`/` when none). Nothing is
    /// executed: a plan waits for `Plan.Confirm`. The reply, the history and any question
    /// also appear in properties. polkit: converse; only the session's owner (or root).
    async fn say(
        &self,
        #[zbus(header)] hdr: Header<'_>,
        text: String,
        options: Options,
    ) -> Result<(String, Vec<WireAction>, OwnedObjectPath), Error> {
        options::check(&options, Method::Say)?;
        let uid = self.auth.check(&hdr, polkit::CONVERSE, &options).await?;
        let session = self.id;
        let sender = hdr.sender().map(ToString::to_string);
        self.actor
            .call(|reply| Command::Say {
                session,
                uid,
                sender,
                text,
                reply,
            })
            .await
    }

    /// Closes the session. Only its owner or root may.
    async fn close(&self, #[zbus(header)] hdr: Header<'_>, options: Options) -> Result<(), Error> {
        options::check(&options, Method::Close)?;
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

    /// A message of the conversation: role (`assistant`) and text, sent to the caller of
    /// `Say` alone. `History` keeps them.
    #[zbus(signal)]
    pub async fn message(emitter: &SignalEmitter<'_>, role: &str, text: &str) -> zbus::Result<()>;

    /// Unix user id of the session's owner.
    #[zbus(property(emits_changed_signal = "const"))]
    fn owner(&self) -> u32 {
        self.owner
    }

    /// The conversation so far, oldest first: (role, text), role `user` or `assistant`;
    /// passwords typed into it are masked. Only the session's owner and root read it:
    /// anyone else, and `GetManagedObjects` (which names no caller), get an empty list.
    /// Changes are signalled without the value (invalidated): read it back.
    #[zbus(property(emits_changed_signal = "invalidates"))]
    async fn history(&self, #[zbus(header)] hdr: Option<Header<'_>>) -> Vec<(String, String)> {
        let Some(hdr) = hdr else {
            return Vec::new();
        };
        match self.auth.caller_uid(&hdr).await {
            Ok(uid) if uid == 0 || uid == self.owner => lock(&self.conversation).history.clone(),
            _ => Vec::new(),
        }
    }

    /// The questions the installer asked last and waits answers to, or empty: one per
    /// line, where a request needed several (each about another subject).
    #[zbus(property)]
    fn pending_question(&self) -> String {
        lock(&self.conversation).pending_question.clone()
    }

    /// The plan proposed by the last request that produced one, or `/`.
    #[zbus(property)]
    fn last_plan(&self) -> OwnedObjectPath {
        lock(&self.conversation)
            .last_plan
            .clone()
            .unwrap_or_else(|| OwnedObjectPath::try_from(NO_OBJECT).unwrap_or_default())
    }
}
