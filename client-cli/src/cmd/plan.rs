//! `propose` and `plan show|confirm|reject|secret`: plans, from actions to a confirmed job.

use std::{
    io::{IsTerminal, Read},
    process::ExitCode,
};

use anyhow::{anyhow, Context};
use levitate_dbus::{Action, Error, PlanProxy};
use serde_json::{json, Value as Json};
use zeroize::Zeroizing;

use crate::{
    cmd::job,
    ctx::Ctx,
    exit::{Failure, Outcome},
    output::{actions_json, path_or_null, print_json, print_result, text},
};

async fn plan_json(plan: &PlanProxy<'_>) -> Result<Json, Failure> {
    let actions = actions_json(plan.actions().await?);
    let job = plan.job().await?;
    Ok(json!({
        "path": plan.inner().path().as_str(),
        "state": plan.state().await?,
        "summary": plan.summary().await?,
        "destructive": plan.destructive().await?,
        "authorization": plan.authorization().await?,
        "destroys": plan.destroys().await?,
        "warnings": plan.warnings().await?,
        "destroy_details": plan.destroy_details().await?,
        "warning_details": plan.warning_details().await?,
        "locale": plan.locale().await?,
        "stale": plan.stale().await?,
        "steps": plan.steps().await?,
        "secrets": plan.secrets().await?,
        "actions": actions,
        "job": path_or_null(&job),
    }))
}

/// `plan show`, and the plan `propose` and `say` print.
pub async fn show(ctx: &Ctx, plan: &PlanProxy<'_>) -> Outcome {
    let v = plan_json(plan).await?;
    if ctx.json {
        print_json(&v);
        return Ok(ExitCode::SUCCESS);
    }
    out!("Plan {} ({})", text(&v["path"]), text(&v["state"]));
    out!("{}", text(&v["summary"]));
    let strings = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect()
    };
    if v["stale"].as_bool() == Some(true) {
        out!("  STALE: the disks or the installation changed since this plan was made; propose it again");
    }
    for d in strings("destroys") {
        out!("  DESTROYS: {d}");
    }
    for w in strings("warnings") {
        out!("  warning: {w}");
    }
    out!("Steps:");
    for (i, s) in v["steps"].as_array().into_iter().flatten().enumerate() {
        out!(
            "  {:>2}. {}{}",
            i + 1,
            text(&s["description"]),
            if s["destructive"].as_bool() == Some(true) {
                "  [destroys data]"
            } else {
                ""
            }
        );
    }
    for s in v["secrets"].as_array().into_iter().flatten() {
        let provided = s["provided"].as_bool() == Some(true);
        out!(
            "  needs secret {}: {}{}",
            text(&s["id"]),
            text(&s["prompt"]),
            if provided {
                " (provided)"
            } else {
                " (levitate-installctl plan secret ID)"
            }
        );
    }
    out!(
        "Confirming needs polkit authorization {}.",
        text(&v["authorization"])
    );
    Ok(ExitCode::SUCCESS)
}

/// `propose ACTIONS`: actions (`-`: from stdin) into a plan, shown.
pub async fn propose(ctx: &Ctx, text: &str) -> Outcome {
    let text = if text == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read actions from stdin")?;
        s
    } else {
        text.to_owned()
    };
    let actions = Action::list_from_json(&text).map_err(|e| Failure::from(Error::from(e)))?;
    let wire = actions.iter().map(Action::to_wire).collect();
    let path = ctx.manager().await?.propose(wire, ctx.opts()).await?;
    let plan = ctx.plan_at(path).await?;
    show(ctx, &plan).await
}

/// `plan confirm [--watch]`.
pub async fn confirm(ctx: &Ctx, named: Option<String>, follow: bool) -> Outcome {
    let plan = ctx.plan(named.clone()).await?;
    let job_path = match plan.confirm(ctx.opts()).await.map_err(Error::from) {
        Ok(path) => path,
        Err(Error::SecretMissing(said)) => {
            return Err(secrets_first(&plan, named.as_deref(), said).await.into())
        }
        Err(e) => return Err(e.into()),
    };
    if ctx.json && !follow {
        print_json(&json!({"job": job_path.as_str()}));
    } else if !ctx.json {
        out!("confirmed; job {}", job_path.as_str());
    }
    if follow {
        let job = ctx.job_at(job_path).await?;
        return job::watch(ctx, &job).await;
    }
    Ok(ExitCode::SUCCESS)
}

/// The daemon's "secrets missing" in this client's words: the commands that hand each one
/// over (the daemon names its D-Bus method, which a person at a shell does not call).
async fn secrets_first(plan: &PlanProxy<'_>, named: Option<&str>, said: String) -> Error {
    let Ok(secrets) = plan.secrets().await else {
        return Error::SecretMissing(said);
    };
    let after = named.map(|p| format!(" {p}")).unwrap_or_default();
    let (ids, commands): (Vec<String>, Vec<String>) = secrets
        .into_iter()
        .filter(|s| !s.provided)
        .map(|s| {
            (
                format!("{} ({})", s.id, s.prompt),
                format!("`levitate-installctl plan secret {}{after}`", s.id),
            )
        })
        .unzip();
    if ids.is_empty() {
        return Error::SecretMissing(said);
    }
    Error::SecretMissing(format!(
        "the plan needs {} first: hand {} over with {}",
        ids.join(", "),
        if ids.len() == 1 { "it" } else { "them" },
        commands.join(" and ")
    ))
}

/// `plan reject`.
pub async fn reject(ctx: &Ctx, plan: Option<String>) -> Outcome {
    ctx.plan(plan).await?.reject(ctx.opts()).await?;
    print_result(ctx.json, &json!({"rejected": true}), "rejected");
    Ok(ExitCode::SUCCESS)
}

/// `plan secret ID`: the secret read without echo (or from stdin) and handed over.
pub async fn secret(ctx: &Ctx, id: &str, plan: Option<String>) -> Outcome {
    let plan = ctx.plan(plan).await?;
    let prompt = plan
        .secrets()
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .map_or_else(|| format!("Secret {id}"), |s| s.prompt);
    let secret = read_secret(&prompt)?;
    plan.set_secret(id, &secret, ctx.opts()).await?;
    print_result(
        ctx.json,
        &json!({"secret": id, "provided": true}),
        &format!("{id} handed over"),
    );
    Ok(ExitCode::SUCCESS)
}

fn read_secret(prompt: &str) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    if std::io::stdin().is_terminal() {
        let first = Zeroizing::new(rpassword::prompt_password(format!("{prompt}: "))?);
        let again = Zeroizing::new(rpassword::prompt_password(format!("{prompt} (again): "))?);
        if *first != *again {
            return Err(anyhow!("the two entries differ"));
        }
        Ok(Zeroizing::new(first.as_bytes().to_vec()))
    } else {
        let mut buf = Zeroizing::new(Vec::new());
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read the secret from stdin")?;
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        Ok(buf)
    }
}
