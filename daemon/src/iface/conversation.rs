//! What Interpret and Say share: the interpreter first, the model for what it did not
//! understand, and the texts the daemon answers with.

use std::sync::Arc;

use levitate_dbus::{Action, Disk, Error};

use crate::{
    actor::{ActorHandle, Command},
    interpret::{self, ZoneIndex},
    llm::Assistant,
    size::human,
};

/// Interprets `text` (with users a conversation mentioned), asking the model only when the
/// interpreter did not understand, and only within the assistant's deadline.
pub async fn interpret_request(
    actor: &ActorHandle,
    assistant: &Assistant,
    zones: &Arc<ZoneIndex>,
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
    if outcome.understood || !assistant.available() {
        return Ok(outcome.actions);
    }
    let ctx = interpret::Context {
        machine: &outcome.machine,
        users: outcome.users.clone(),
        zones,
    };
    let chosen = match assistant.choose(text, &outcome.machine.disks).await {
        Ok(calls) => interpret::accept_model_calls(&calls, text, &ctx),
        Err(e) => {
            tracing::info!(error = %e, "no answer from the model; the interpreter answers");
            Vec::new()
        }
    };
    Ok(if chosen.is_empty() {
        outcome.actions
    } else {
        chosen
    })
}

pub const HELP: &str = "Tell me what you want, in your own words, and I will show you a plan \
before anything happens. For example: \"list disks\", \"use the whole 500gb drive, encrypted\", \
\"install alongside windows\", \"install the system\", \"hostname is my-laptop\", \"timezone \
Berlin\", \"language French\", \"german keyboard\", \"create user anna with sudo\", \"set \
password\", \"install bootloader\", \"done\". Nothing changes until you confirm a plan.";

/// One line per disk, for people.
pub fn describe_disks(disks: &[Disk]) -> String {
    if disks.is_empty() {
        return "I cannot see any disk.".into();
    }
    let lines: Vec<String> = disks
        .iter()
        .map(|d| {
            let kind = if d.rotational { "hard disk" } else { "SSD" };
            let model = if d.model.is_empty() {
                String::new()
            } else {
                format!(" {}", d.model)
            };
            let contents = if d.partitions.is_empty() {
                "empty".to_owned()
            } else {
                d.partitions
                    .iter()
                    .map(|p| p.description.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let busy = if d.in_use.is_empty() {
                String::new()
            } else {
                format!(" (in use: {})", d.in_use)
            };
            format!(
                "{}: {}{model} {kind}, {contents}{busy}",
                d.path,
                human(d.size)
            )
        })
        .collect();
    format!("The disks are:\n{}", lines.join("\n"))
}
