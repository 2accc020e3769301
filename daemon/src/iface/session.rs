use std::sync::Arc;

use levitate_dbus::{polkit, Action, Error, WireAction, NO_OBJECT};
use zbus::{interface, message::Header, object_server::SignalEmitter, zvariant::OwnedObjectPath};

use super::{conversation, lock, ManagerProps, Shared};
use crate::{
    actor::{ActorHandle, Command},
    auth::{Authorizer, Options},
    interpret::ZoneIndex,
    llm::Assistant,
};

/// Messages kept in a session's history.
const MAX_HISTORY: usize = 200;

/// What a conversation remembers.
#[derive(Debug, Default)]
pub struct SessionState {
    /// (role, text): `user` or `assistant`.
    pub history: Vec<(String, String)>,
    /// Users mentioned so far, most recent last ("set password" means the last).
    pub users: Vec<String>,
    /// The plan the last request produced, or `/`.
    pub last_plan: Option<OwnedObjectPath>,
    pub pending_question: String,
    /// The disks the last answer or question named, in order ("use that one", "the
    /// second one").
    pub last_disks: Vec<String>,
}

/// What a proposed plan does, in the conversation's words.
async fn plan_reply(server: &zbus::ObjectServer, path: &OwnedObjectPath) -> String {
    let Ok(iface) = server.interface::<_, super::PlanIface>(path).await else {
        return format!(
            "Here is the plan ({}). Nothing happens until you confirm it.",
            path.as_str()
        );
    };
    let plan = iface.get().await;
    let p = lock(&plan.props);
    let mut text = p.summary.clone();
    for d in &p.destroys {
        text.push_str("\nThis ");
        text.push_str(d);
        text.push('.');
    }
    let secrets: Vec<&str> = p.secrets.iter().map(|s| s.prompt.as_str()).collect();
    if !secrets.is_empty() {
        text.push_str("\nIt needs: ");
        text.push_str(&secrets.join(", "));
        text.push('.');
    }
    text.push_str("\nNothing happens until you confirm the plan (");
    text.push_str(path.as_str());
    text.push_str(").");
    text
}

/// "that one", "the second one", "the first disk": a reference to the disks just named.
fn refers_back(text: &str, disks: &[String]) -> Option<String> {
    let t = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    let t = t
        .strip_prefix("use ")
        .or_else(|| t.strip_prefix("install on "))
        .or_else(|| t.strip_prefix("install to "))
        .unwrap_or(&t);
    let t = t.strip_prefix("the ").unwrap_or(t);
    let index = match t {
        "that one" | "this one" | "that disk" | "that drive" | "this disk" | "this drive"
        | "it" => {
            return (disks.len() == 1).then(|| disks[0].clone());
        }
        "first one" | "first disk" | "first drive" | "first" => 0,
        "second one" | "second disk" | "second drive" | "second" | "other one" | "other disk"
            if disks.len() == 2 || t.starts_with("second") =>
        {
            1
        }
        "third one" | "third disk" | "third drive" | "third" => 2,
        "last one" | "last disk" | "last drive" | "last" => disks.len().checked_sub(1)?,
        _ => return None,
    };
    disks.get(index).cloned()
}

/// Device paths a text names, in order.
fn disk_paths(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in
        text.split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '(' || c == '?')
    {
        if word.starts_with("/dev/") && !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    }
    out
}

pub struct SessionIface {
    pub id: u64,
    pub owner: u32,
    pub actor: ActorHandle,
    pub auth: Authorizer,
    pub assistant: Assistant,
    pub zones: Arc<ZoneIndex>,
    pub manager: Shared<ManagerProps>,
    pub state: Shared<SessionState>,
}

impl SessionIface {
    /// The answer to the read-only actions, and the mutating ones to plan.
    async fn answer(&self, text: &str, actions: &[Action]) -> (Vec<String>, Vec<Action>) {
        let mut replies = Vec::new();
        let mut mutating = Vec::new();
        for a in actions {
            match a {
                Action::ListDisks => {
                    match self.actor.call(|reply| Command::ListDisks { reply }).await {
                        Ok(disks) => {
                            // The model may say it in a sentence; it is shown only when it names
                            // every disk, and the exact list always follows.
                            if self.assistant.available() {
                                let data = serde_json::json!(disks
                                .iter()
                                .map(|d| serde_json::json!({"path": d.path, "size": crate::size::human(d.size), "model": d.model, "in_use": d.in_use}))
                                .collect::<Vec<_>>());
                                if let Ok(s) = self.assistant.summarize(text, &data).await {
                                    if disks.iter().all(|d| s.contains(&d.path)) {
                                        replies.push(s);
                                    }
                                }
                            }
                            replies.push(conversation::describe_disks(&disks));
                        }
                        Err(e) => replies.push(format!("I cannot list the disks: {}", e.message())),
                    }
                }
                Action::Status => replies.push(self.status_text()),
                Action::Help => replies.push(conversation::HELP.to_owned()),
                Action::Clarify { question } => replies.push(question.clone()),
                Action::Unsupported { topic, reason } => replies.push(format!(
                    "That is not something this installer does ({topic}). {}",
                    reason.as_deref().unwrap_or("")
                )),
                other => mutating.push(other.clone()),
            }
        }
        (replies, mutating)
    }

    fn status_text(&self) -> String {
        let m = lock(&self.manager);
        let stages: Vec<String> = m
            .stages
            .iter()
            .map(|s| {
                format!(
                    "{}: {}",
                    s.title,
                    serde_json::to_value(s.state)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                )
            })
            .collect();
        let mut settings: Vec<String> = m
            .configuration
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        settings.sort();
        let users: Vec<String> = m
            .users
            .iter()
            .map(|u| format!("{}{}", u.name, if u.sudo { " (sudo)" } else { "" }))
            .collect();
        format!(
            "So far: {}. Settings: {}. Users: {}.",
            stages.join(", "),
            if settings.is_empty() {
                "none yet".into()
            } else {
                settings.join(", ")
            },
            if users.is_empty() {
                "none yet".into()
            } else {
                users.join(", ")
            }
        )
    }
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
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
        #[zbus(object_server)] server: &zbus::ObjectServer,
        text: String,
        options: Options,
    ) -> Result<(String, Vec<WireAction>, OwnedObjectPath), Error> {
        let uid = self.auth.check(&hdr, polkit::CONVERSE, &options).await?;
        if uid != 0 && uid != self.owner {
            return Err(Error::NotAuthorized(
                "only the session's owner may speak in it".into(),
            ));
        }
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        let (users, last_disks) = {
            let st = lock(&self.state);
            (st.users.clone(), st.last_disks.clone())
        };
        // "use that one" after a list of disks or a question about them: the person means
        // one of those, and says so more plainly to the interpreter.
        let text = match refers_back(&text, &last_disks) {
            Some(disk) => format!("use {disk}"),
            None => text,
        };
        let actions = conversation::interpret_request(
            &self.actor,
            &self.assistant,
            &self.zones,
            &text,
            users,
        )
        .await?;
        let (mut replies, mutating) = self.answer(&text, &actions).await;
        let mut plan_path = None;
        if !mutating.is_empty() {
            let plan = mutating.clone();
            match self
                .actor
                .call(|reply| Command::Propose {
                    actions: plan,
                    uid,
                    reply,
                })
                .await
            {
                Ok(p) => {
                    replies.push(plan_reply(server, &p).await);
                    plan_path = Some(p);
                }
                Err(e) => replies.push(e.message()),
            }
        }
        let question = actions.iter().find_map(|a| match a {
            Action::Clarify { question } => Some(question.clone()),
            _ => None,
        });
        let reply = replies.join("\n");
        {
            let mut st = lock(&self.state);
            for a in &actions {
                if let Action::CreateUser { name, .. } = a {
                    st.users.retain(|u| u != name);
                    st.users.push(name.clone());
                }
            }
            st.history.push(("user".into(), text));
            st.history.push(("assistant".into(), reply.clone()));
            let excess = st.history.len().saturating_sub(MAX_HISTORY);
            st.history.drain(..excess);
            st.pending_question = question.clone().unwrap_or_default();
            let named = disk_paths(&reply);
            if !named.is_empty() {
                st.last_disks = named;
            }
            if plan_path.is_some() {
                st.last_plan.clone_from(&plan_path);
            }
        }
        let q = question.unwrap_or_default();
        let _ = self
            .actor
            .call(|reply| Command::PendingQuestion { question: q, reply })
            .await;
        let _ = self.history_changed(&emitter).await;
        let _ = self.pending_question_changed(&emitter).await;
        let _ = self.last_plan_changed(&emitter).await;
        let _ = Self::message(&emitter, "assistant", &reply).await;
        let no_plan = || OwnedObjectPath::try_from(NO_OBJECT).unwrap_or_default();
        Ok((
            reply,
            actions.iter().map(Action::to_wire).collect(),
            plan_path.unwrap_or_else(no_plan),
        ))
    }

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

    /// A message of the conversation: role (`assistant`) and text. `History` keeps them.
    #[zbus(signal)]
    async fn message(emitter: &SignalEmitter<'_>, role: &str, text: &str) -> zbus::Result<()>;

    /// Unix user id of the session's owner.
    #[zbus(property(emits_changed_signal = "const"))]
    fn owner(&self) -> u32 {
        self.owner
    }

    /// The conversation so far, oldest first: (role, text), role `user` or `assistant`.
    #[zbus(property)]
    fn history(&self) -> Vec<(String, String)> {
        lock(&self.state).history.clone()
    }

    /// The question the installer asked last and waits an answer to, or empty.
    #[zbus(property)]
    fn pending_question(&self) -> String {
        lock(&self.state).pending_question.clone()
    }

    /// The plan proposed by the last request that produced one, or `/`.
    #[zbus(property)]
    fn last_plan(&self) -> OwnedObjectPath {
        lock(&self.state)
            .last_plan
            .clone()
            .unwrap_or_else(|| OwnedObjectPath::try_from(NO_OBJECT).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_disks_just_named() {
        let two = vec!["/dev/sda".to_owned(), "/dev/sdb".to_owned()];
        let one = vec!["/dev/nvme0n1".to_owned()];
        assert_eq!(
            refers_back("use that one", &one).as_deref(),
            Some("/dev/nvme0n1")
        );
        assert_eq!(
            refers_back("use that one", &two),
            None,
            "ambiguous with two"
        );
        assert_eq!(
            refers_back("the second one", &two).as_deref(),
            Some("/dev/sdb")
        );
        assert_eq!(
            refers_back("use the first disk.", &two).as_deref(),
            Some("/dev/sda")
        );
        assert_eq!(
            refers_back("the other one", &two).as_deref(),
            Some("/dev/sdb")
        );
        assert_eq!(refers_back("the third one", &two), None);
        assert_eq!(refers_back("timezone berlin", &two), None);
        assert_eq!(
            disk_paths("Which disk: /dev/sda (Samsung, 500 GiB) or /dev/sdb (WD, 1 TiB)?"),
            two
        );
    }
}
