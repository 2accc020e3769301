//! `interpret`: a request turned into actions, without side effects.

use std::process::ExitCode;

use levitate_dbus::{Action, Error};

use crate::{
    ctx::Ctx,
    exit::{Failure, Outcome},
};

pub async fn interpret(ctx: &Ctx, text: &str) -> Outcome {
    let wire = ctx.manager().await?.interpret(text, ctx.opts()).await?;
    let actions: Vec<Action> = wire
        .into_iter()
        .map(Action::from_wire)
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::from(Error::from(e)))?;
    if ctx.json {
        out!("{}", serde_json::to_string(&actions).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    for a in &actions {
        match a {
            Action::Clarify { question, choices } => {
                out!("? {question}");
                for (n, choice) in choices.iter().enumerate() {
                    out!("  {}) {choice}", n + 1);
                }
            }
            Action::Unsupported { topic, reason } => {
                out!(
                    "not supported ({topic}): {}",
                    reason.as_deref().unwrap_or("")
                );
            }
            other => out!("{}", serde_json::to_string(other).unwrap_or_default()),
        }
    }
    Ok(ExitCode::SUCCESS)
}
