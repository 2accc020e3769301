//! Sessions: each one person's conversation, owned here. A turn's slow part runs in a task
//! of its own (`conversation::take_turn`); the actor records it when it comes back.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt as _;
use levitate_dbus::{Action, Error, WireAction, NO_OBJECT, SESSION_PATH_PREFIX};
use tokio::sync::mpsc::WeakSender;
use tracing::{debug, info, warn};
use zbus::{fdo::DBusProxy, names::BusName, zvariant::OwnedObjectPath, Connection};
use zeroize::Zeroize;

use super::{path, Actor, Command, Reply, MAX_SESSIONS, SESSIONS_PER_UID};
use crate::{
    conversation::{self, replies, Conversation, Helpers, Turn},
    iface::{lock, SessionIface, Shared},
};

/// One open session.
pub(super) struct SessionEntry {
    pub owner: u32,
    pub conversation: Shared<Conversation>,
    /// The unique bus name of the client that opened it; `None` when kept
    /// (`session.keep`): it then outlives its client.
    pub client: Option<String>,
}

/// Tells the actor about every bus client that leaves, so that their sessions close. The
/// task ends with the connection or the actor; it holds no handle that keeps the actor up.
pub(super) async fn watch_clients(conn: &Connection, tx: WeakSender<Command>) -> zbus::Result<()> {
    let dbus = DBusProxy::new(conn).await?;
    let mut changes = dbus.receive_name_owner_changed().await?;
    tokio::spawn(async move {
        while let Some(change) = changes.next().await {
            let Ok(args) = change.args() else { continue };
            let gone = match args.name() {
                BusName::Unique(name) if args.new_owner().is_none() => name.to_string(),
                _ => continue,
            };
            let Some(tx) = tx.upgrade() else { break };
            if tx.send(Command::ClientLeft { name: gone }).await.is_err() {
                break;
            }
        }
        debug!("no longer watching bus clients");
    });
    Ok(())
}

/// What `Session.Say` returns: the reply, the actions understood, the plan or `/`.
pub type SayReply = (String, Vec<WireAction>, OwnedObjectPath);

impl Actor {
    pub(super) fn helpers(&self) -> Helpers {
        Helpers {
            assistant: self.settings.assistant.clone(),
            zones: self.zones.clone(),
            manager: self.manager.clone(),
        }
    }

    /// Opens a session for `uid`, tied to `client` unless `keep`. A full quota closes the
    /// user's oldest kept session, else refuses with `Busy`; nobody else's sessions are
    /// touched.
    pub(super) async fn open_session(
        &mut self,
        uid: u32,
        client: Option<String>,
        keep: bool,
    ) -> Result<OwnedObjectPath, Error> {
        let own = self.sessions.values().filter(|s| s.owner == uid).count();
        if own >= SESSIONS_PER_UID {
            let kept = self
                .sessions
                .iter()
                .find(|(_, s)| s.owner == uid && s.client.is_none())
                .map(|(id, _)| *id);
            match kept {
                Some(oldest) => {
                    info!(session = oldest, uid, "session limit reached; closing the oldest kept session");
                    self.close_session(oldest).await?;
                }
                None => {
                    return Err(Error::Busy(format!(
                        "you already have {own} sessions open, the most one user may have; close one (Session.Close or quit a client) first"
                    )))
                }
            }
        }
        if self.sessions.len() >= MAX_SESSIONS {
            return Err(Error::Busy(format!(
                "the installer has {MAX_SESSIONS} sessions open; try again when some are closed"
            )));
        }
        let client = if keep { None } else { client };
        let id = self.alloc_id();
        let p = path(SESSION_PATH_PREFIX, id);
        let conversation: Shared<Conversation> = Arc::new(Mutex::new(Conversation::default()));
        self.conn
            .object_server()
            .at(
                &p,
                SessionIface {
                    id,
                    owner: uid,
                    actor: self.handle.clone(),
                    auth: self.auth.clone(),
                    conversation: conversation.clone(),
                },
            )
            .await
            .map_err(|e| Error::Failed(format!("cannot publish the session: {e}")))?;
        self.sessions.insert(
            id,
            SessionEntry {
                owner: uid,
                conversation,
                client: client.clone(),
            },
        );
        info!(session = id, uid, kept = client.is_none(), "session opened");
        // A client that left while this was being opened has had its `ClientLeft` already.
        if let Some(name) = client.and_then(|c| BusName::try_from(c).ok()) {
            let here = match DBusProxy::new(&self.conn).await {
                Ok(dbus) => dbus.name_has_owner(name).await.unwrap_or(true),
                Err(_) => true,
            };
            if !here {
                self.close_session(id).await?;
                return Err(Error::Cancelled(
                    "the client left the bus before its session was opened".into(),
                ));
            }
        }
        Ok(p)
    }

    /// Closes the sessions the client `name` opened without `session.keep`.
    pub(super) async fn client_left(&mut self, name: &str) {
        let ids: Vec<u64> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.client.as_deref() == Some(name))
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            info!(
                session = id,
                client = name,
                "the session's client left the bus"
            );
            let _ = self.close_session(id).await;
        }
    }

    pub(super) async fn close_session(&mut self, id: u64) -> Result<(), Error> {
        if self.sessions.remove(&id).is_none() {
            return Err(Error::NoSuchObject(format!("session {id} does not exist")));
        }
        let _ = self
            .conn
            .object_server()
            .remove::<SessionIface, _>(path(SESSION_PATH_PREFIX, id))
            .await;
        info!(session = id, "session closed");
        Ok(())
    }

    /// Starts a turn: only the session's owner (or root) speaks in it.
    pub(super) fn say(
        &self,
        session: u64,
        uid: u32,
        sender: Option<String>,
        mut text: String,
        reply: Reply<SayReply>,
    ) {
        let Some(entry) = self.sessions.get(&session) else {
            let _ = reply.send(Err(Error::NoSuchObject(format!(
                "session {session} does not exist"
            ))));
            return;
        };
        if uid != 0 && uid != entry.owner {
            let _ = reply.send(Err(Error::NotAuthorized(
                "only the session's owner may speak in it".into(),
            )));
            return;
        }
        // Secrets are cut before anything reads, keeps or logs the request.
        let mut clean: String = text.chars().filter(|c| !c.is_control()).collect();
        let said = conversation::secrets::redact(&clean);
        clean.zeroize();
        text.zeroize();
        let (read, before) = {
            let c = lock(&entry.conversation);
            let before = conversation::Before {
                users: c.users.clone(),
                held: c.held.clone(),
            };
            (c.resolve(&said.read), before)
        };
        let (actor, helpers) = (self.handle.clone(), self.helpers());
        tokio::spawn(async move {
            let turn =
                conversation::take_turn(actor.clone(), helpers, uid, session, read, said, before)
                    .await;
            let _ = actor
                .tx
                .send(Command::TurnDone {
                    session,
                    sender,
                    turn,
                    reply,
                })
                .await;
        });
    }

    /// Records a finished turn, publishes it, and answers the caller.
    pub(super) async fn turn_done(
        &mut self,
        session: u64,
        sender: Option<String>,
        turn: Result<Turn, Error>,
        reply: Reply<SayReply>,
    ) {
        let turn = match turn {
            Ok(t) => t,
            Err(e) => {
                let _ = reply.send(Err(e));
                return;
            }
        };
        let mut replies = turn.replies.clone();
        let mut plan_path = None;
        match &turn.plan {
            Some(Ok(p)) => {
                let props = self
                    .plans
                    .iter()
                    .find(|(id, _)| path(levitate_dbus::PLAN_PATH_PREFIX, **id) == *p)
                    .map(|(_, e)| lock(&e.props).clone());
                replies.push(replies::plan(props.as_ref(), p));
                plan_path = Some(p.clone());
            }
            Some(Err(e)) => replies.push(e.message()),
            None => {}
        }
        let text = replies.join("\n");
        if let Some(entry) = self.sessions.get(&session) {
            lock(&entry.conversation).record(&turn, &text, plan_path.as_ref());
            self.notify_session(session, sender.as_deref(), &text).await;
        }
        let no_plan = || OwnedObjectPath::try_from(NO_OBJECT).unwrap_or_default();
        let _ = reply.send(Ok((
            text,
            turn.actions.iter().map(Action::to_wire).collect(),
            plan_path.unwrap_or_else(no_plan),
        )));
    }

    /// Signals a session's changed properties (the history only as invalidated: it is
    /// read back by its owner) and the assistant's message, to the speaker alone.
    async fn notify_session(&self, session: u64, speaker: Option<&str>, message: &str) {
        let p = path(SESSION_PATH_PREFIX, session);
        let Ok(iface) = self
            .conn
            .object_server()
            .interface::<_, SessionIface>(&p)
            .await
        else {
            return;
        };
        let guard = iface.get().await;
        let em = iface.signal_emitter();
        let to_speaker = speaker
            .and_then(|s| zbus::names::BusName::try_from(s.to_owned()).ok())
            .map(|dest| em.clone().set_destination(dest));
        let message = match &to_speaker {
            Some(em) => SessionIface::message(em, "assistant", message).await,
            None => Ok(()),
        };
        for r in [
            guard.history_invalidate(em).await,
            guard.pending_question_changed(em).await,
            guard.last_plan_changed(em).await,
            message,
        ] {
            if let Err(e) = r {
                warn!(error = %e, "cannot signal a session change");
            }
        }
    }
}
