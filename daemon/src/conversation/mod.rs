//! Conversations: what a session remembers, how a request is understood (the interpreter
//! first, the model only for what it did not understand), and how a turn is answered. The
//! actor owns every conversation; a turn's slow parts (the model, planning) run in a task
//! of their own that talks to the actor like any client, and the actor records the turn
//! when it is done. The `Session` interface only forwards.

pub mod references;
pub mod replies;
pub use levitate_dbus::secrets;

use std::sync::Arc;

use levitate_dbus::{Action, Error};
use zbus::zvariant::OwnedObjectPath;

use crate::{
    actor::{ActorHandle, Command, InterpretOutcome},
    iface::{lock, ManagerProps, Shared},
    interpret::{self, ZoneIndex},
    llm::Assistant,
};

/// Messages kept in a session's history.
const MAX_HISTORY: usize = 200;

/// What a conversation remembers.
#[derive(Debug, Default)]
pub struct Conversation {
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
    /// Finishing or rebooting asked for while a question was open: proposed with the next
    /// plan once no question is.
    pub held: Vec<Action>,
}

impl Conversation {
    /// The request as the interpreter should read it: "use that one" after a list of disks
    /// or a question about them means one of those, said plainly; "yes" to a login offered
    /// in lower case asks for it.
    pub fn resolve(&self, text: &str) -> String {
        if let Some(made) = references::accepts_login(&self.pending_question, text) {
            return made;
        }
        match references::refers_back(text, &self.last_disks) {
            Some(disk) => format!("use {disk}"),
            None => text.to_owned(),
        }
    }

    /// Remembers a finished turn.
    pub fn record(&mut self, turn: &Turn, reply: &str, plan: Option<&OwnedObjectPath>) {
        for a in &turn.actions {
            if let Action::CreateUser { name, .. } = a {
                self.users.retain(|u| u != name);
                self.users.push(name.clone());
            }
        }
        self.history.push(("user".into(), turn.text.clone()));
        self.history.push(("assistant".into(), reply.to_owned()));
        let excess = self.history.len().saturating_sub(MAX_HISTORY);
        self.history.drain(..excess);
        self.pending_question = turn.question().unwrap_or_default();
        self.held.clone_from(&turn.held);
        let named = references::disk_paths(reply);
        if !named.is_empty() {
            self.last_disks = named;
        }
        if let Some(p) = plan {
            self.last_plan = Some(p.clone());
        }
    }
}

/// One request answered: the actions understood, the answers to the read-only ones, and
/// the plan proposed for the others (or why none could be).
pub struct Turn {
    /// The request as kept and shown: any secret in it masked.
    pub text: String,
    pub actions: Vec<Action>,
    pub replies: Vec<String>,
    pub plan: Option<Result<OwnedObjectPath, Error>>,
    /// Finishing that waits for the open question's answer (see [`Conversation::held`]).
    pub held: Vec<Action>,
}

impl Turn {
    /// The questions the installer asks back, one per line, if any.
    pub fn question(&self) -> Option<String> {
        let asked: Vec<&str> = self
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::Clarify { question, .. } => Some(question.as_str()),
                _ => None,
            })
            .collect();
        (!asked.is_empty()).then(|| asked.join("\n"))
    }
}

/// What a turn needs besides the actor.
#[derive(Clone)]
pub struct Helpers {
    pub assistant: Assistant,
    pub zones: Arc<ZoneIndex>,
    pub manager: Shared<ManagerProps>,
}

/// Completes what the interpreter left open with the model, within the assistant's
/// deadline: only when the interpreter did not understand, and only with an answer the
/// acceptance rules keep.
pub async fn with_model(helpers: &Helpers, text: &str, outcome: InterpretOutcome) -> Vec<Action> {
    if outcome.understood || !helpers.assistant.available() {
        return outcome.actions;
    }
    let ctx = interpret::Context {
        machine: &outcome.machine,
        users: outcome.users.clone(),
        zones: &helpers.zones,
    };
    let chosen = match helpers.assistant.choose(text, &outcome.machine.disks).await {
        Ok(calls) => interpret::accept_model_calls(&calls, text, &ctx),
        Err(e) => {
            tracing::info!(error = %e, "no answer from the model; the interpreter answers");
            Vec::new()
        }
    };
    if chosen.is_empty() {
        outcome.actions
    } else {
        chosen
    }
}

/// Interprets `text` with the users a conversation mentioned.
pub async fn understand(
    actor: &ActorHandle,
    helpers: &Helpers,
    text: &str,
    users: Vec<String>,
) -> Result<Vec<Action>, Error> {
    if text.len() > interpret::MAX_TEXT {
        return Err(Error::InvalidArgument(format!(
            "the request is longer than {} bytes",
            interpret::MAX_TEXT
        )));
    }
    let outcome = actor
        .call(|reply| Command::Interpret {
            text: text.to_owned(),
            users,
            reply,
        })
        .await?;
    Ok(with_model(helpers, text, outcome).await)
}

/// What a conversation brings to a turn.
pub struct Before {
    pub users: Vec<String>,
    pub held: Vec<Action>,
}

/// Answers one request: understood, read-only questions answered, the rest proposed as a
/// plan. Runs outside the actor (the model and the probe take time).
pub async fn take_turn(
    actor: ActorHandle,
    helpers: Helpers,
    uid: u32,
    session: u64,
    text: String,
    said: secrets::Redacted,
    before: Before,
) -> Result<Turn, Error> {
    let actions = understand(&actor, &helpers, &text, before.users).await?;
    let mut replies = Vec::new();
    if said.found {
        replies.push(secrets::NOTICE.to_owned());
    }
    let mut mutating = Vec::new();
    for a in &actions {
        match a {
            Action::ListDisks => replies.extend(list_disks(&actor).await),
            Action::Status => replies.push(replies::status(&lock(&helpers.manager))),
            Action::Help => replies.push(replies::HELP.to_owned()),
            Action::Clarify { question, .. } => replies.push(question.clone()),
            Action::Unsupported { topic, reason } => {
                replies.push(replies::unsupported(topic, reason.as_deref()));
            }
            other => mutating.push(other.clone()),
        }
    }
    let held = hold_finishing(&actions, &mut mutating, before.held, &mut replies);
    let plan = if mutating.is_empty() {
        None
    } else {
        Some(
            actor
                .call(|reply| Command::Propose {
                    actions: mutating,
                    uid,
                    session: Some(session),
                    reply,
                })
                .await,
        )
    };
    Ok(Turn {
        text: said.shown,
        actions,
        replies,
        plan,
        held,
    })
}

/// While a question is open, finishing and rebooting wait for its answer ("hostname
/// Jonas's PC ... reboot when it's done" must not reboot before the name is given): they
/// leave this plan and are proposed with the first plan after the question is answered,
/// unless that request says how to finish itself. Returns what still waits.
fn hold_finishing(
    actions: &[Action],
    mutating: &mut Vec<Action>,
    held: Vec<Action>,
    replies: &mut Vec<String>,
) -> Vec<Action> {
    let finishing = |a: &Action| matches!(a, Action::Finish { .. } | Action::Reboot);
    if actions.iter().any(|a| matches!(a, Action::Clarify { .. })) {
        let now: Vec<Action> = mutating.iter().filter(|a| finishing(a)).cloned().collect();
        if now.is_empty() {
            return held;
        }
        mutating.retain(|a| !finishing(a));
        replies.push(replies::FINISH_WAITS.to_owned());
        return now;
    }
    if mutating.is_empty() {
        return held;
    }
    if !mutating.iter().any(finishing) {
        mutating.extend(held);
    }
    Vec::new()
}

/// The disks, exactly, as the daemon sees them. The model is not asked to say them in a
/// sentence (the conversation cycle's summary turn): measured on four machines and five ways
/// of asking, the embedded model named every disk in 1 answer of 20 and cost seconds each, so
/// the turn is not spent.
async fn list_disks(actor: &ActorHandle) -> Vec<String> {
    match actor.call(|reply| Command::ListDisks { reply }).await {
        Ok(disks) => vec![replies::describe_disks(&disks)],
        Err(e) => vec![format!("I cannot list the disks: {}", e.message())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask() -> Action {
        Action::Clarify {
            question: "\"web_server_02\" is not a valid host name".into(),
            choices: Vec::new(),
        }
    }

    fn answered(actions: &[Action], held: Vec<Action>) -> (Vec<Action>, Vec<Action>, usize) {
        let mut mutating: Vec<Action> = actions
            .iter()
            .filter(|a| !matches!(a, Action::Clarify { .. } | Action::Status))
            .cloned()
            .collect();
        let mut replies = Vec::new();
        let held = hold_finishing(actions, &mut mutating, held, &mut replies);
        (mutating, held, replies.len())
    }

    #[test]
    fn every_question_asked_is_pending() {
        let zone = Action::Clarify {
            question: "I don't know the time zone \"Mars\".".into(),
            choices: Vec::new(),
        };
        let turn = |actions: Vec<Action>| Turn {
            text: String::new(),
            actions,
            replies: Vec::new(),
            plan: None,
            held: Vec::new(),
        };
        assert_eq!(turn(vec![Action::Status]).question(), None);
        assert_eq!(
            turn(vec![ask(), Action::Status, zone])
                .question()
                .as_deref(),
            Some(
                "\"web_server_02\" is not a valid host name\nI don't know the time zone \"Mars\"."
            )
        );
    }

    #[test]
    fn finishing_waits_for_the_open_question_and_comes_with_the_next_plan() {
        let tz = Action::SetTimezone {
            zone: "Europe/Amsterdam".into(),
        };
        let reboot = Action::Finish { reboot: Some(true) };
        // Asked beside a question: the plan lacks it, the conversation keeps it, and the
        // person is told.
        let (plan, held, told) = answered(&[ask(), tz.clone(), reboot.clone()], Vec::new());
        assert_eq!(plan, vec![tz.clone()]);
        assert_eq!(held, vec![reboot.clone()]);
        assert_eq!(told, 1);
        // A turn with nothing to plan (a status question) keeps it waiting.
        let (plan, still, _) = answered(&[Action::Status], held.clone());
        assert!(plan.is_empty());
        assert_eq!(still, held);
        // Another question: still waiting.
        let (plan, still, _) = answered(&[ask()], held.clone());
        assert!(plan.is_empty());
        assert_eq!(still, held);
        // The answer: proposed last, with the answer's plan, and no longer kept.
        let name = Action::SetHostname {
            name: "web-server-02".into(),
        };
        let (plan, still, _) = answered(std::slice::from_ref(&name), held.clone());
        assert_eq!(plan, vec![name.clone(), reboot.clone()]);
        assert!(still.is_empty());
        // An answer that says how to finish itself replaces what waited.
        let no_reboot = Action::Finish {
            reboot: Some(false),
        };
        let (plan, still, _) = answered(&[name.clone(), no_reboot.clone()], held);
        assert_eq!(plan, vec![name, no_reboot]);
        assert!(still.is_empty());
        // A reboot injected beside a question never reaches a plan on its own.
        let (plan, held, _) = answered(&[ask(), Action::Reboot], Vec::new());
        assert!(plan.is_empty());
        assert_eq!(held, vec![Action::Reboot]);
    }
}
