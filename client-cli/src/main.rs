//! `levitate-installctl`: the scriptable client of the LevitateOS installer. Unprivileged;
//! every decision and every privilege is the daemon's.
//!
//! Exit codes (stable, for scripts; see `exit.rs`):
//! 0 success; 1 the operation or job failed; 2 usage; 3 not authorized; 4 invalid input
//! (bad argument, unknown disk, not ready, missing secret, wrong state); 5 the plan is stale;
//! 6 busy (another job, a disk in use); 7 the daemon cannot be reached; 8 cancelled.

#[macro_use]
mod output;
mod args;
mod cmd;
mod ctx;
mod exit;

use std::process::ExitCode;

use clap::Parser;

use crate::{
    args::{Cli, Cmd, PlanCmd},
    cmd::{disks, interpret, job, plan, say, status},
    ctx::Ctx,
    exit::Outcome,
};

async fn run(cli: Cli) -> Outcome {
    let conn = zbus::connection::Builder::system()?.build().await?;
    let ctx = Ctx {
        conn,
        json: cli.json,
        no_interaction: cli.no_interaction,
    };
    match cli.command {
        Cmd::Status => status::status(&ctx).await,
        Cmd::Disks => disks::disks(&ctx).await,
        Cmd::Interpret { text } => interpret::interpret(&ctx, &text.join(" ")).await,
        Cmd::Say { session, text } => say::say(&ctx, session, &text.join(" ")).await,
        Cmd::Propose { actions } => plan::propose(&ctx, &actions).await,
        Cmd::Plan(PlanCmd::Show { plan }) => plan::show(&ctx, &ctx.plan(plan).await?).await,
        Cmd::Plan(PlanCmd::Confirm { plan, watch }) => plan::confirm(&ctx, plan, watch).await,
        Cmd::Plan(PlanCmd::Reject { plan }) => plan::reject(&ctx, plan).await,
        Cmd::Plan(PlanCmd::Secret { id, plan }) => plan::secret(&ctx, &id, plan).await,
        Cmd::Watch { job } => job::watch(&ctx, &ctx.job(job).await?).await,
        Cmd::Cancel { job } => job::cancel(&ctx, job).await,
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli).await {
        Ok(code) => code,
        Err(f) => f.report(json),
    }
}
