//! `say`: one turn of a conversation with the installer.

use std::process::ExitCode;

use levitate_dbus::{options, SessionProxy, NO_OBJECT};
use serde_json::json;

use crate::{
    cmd::plan,
    ctx::{object_path, Ctx},
    exit::Outcome,
    output::{actions_json, path_or_null, print_json},
};

pub async fn say(ctx: &Ctx, session: Option<String>, text: &str) -> Outcome {
    let path = if let Some(s) = session {
        object_path(&s, levitate_dbus::SESSION_PATH_PREFIX)?
    } else {
        // Kept: the session outlives this process, so `--session N` continues it.
        let mut opts = ctx.opts();
        opts.insert(options::SESSION_KEEP, true.into());
        ctx.manager().await?.open_session(opts).await?
    };
    let s = SessionProxy::builder(&ctx.conn)
        .path(path.clone())?
        .build()
        .await?;
    let (reply, actions, plan) = s.say(text, ctx.opts()).await?;
    let actions = actions_json(actions);
    if ctx.json {
        print_json(&json!({
            "session": path.as_str(),
            "reply": reply,
            "actions": actions,
            "plan": path_or_null(&plan),
        }));
        return Ok(ExitCode::SUCCESS);
    }
    out!("{reply}");
    // A question with answers to pick from: they are shown as a list to answer from.
    for choices in actions
        .iter()
        .filter(|a| a["action"] == "clarify")
        .filter_map(|a| a["choices"].as_array())
    {
        for (n, choice) in choices.iter().enumerate() {
            out!("  {}) {}", n + 1, choice.as_str().unwrap_or(""));
        }
    }
    if plan.as_str() != NO_OBJECT {
        let proxy = ctx.plan_at(plan).await?;
        plan::show(ctx, &proxy).await?;
    }
    out!(
        "(session {}: continue with --session {})",
        path.as_str(),
        path.as_str().rsplit('/').next().unwrap_or("")
    );
    Ok(ExitCode::SUCCESS)
}
