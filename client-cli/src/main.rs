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
    let cli = Cli::parse_from(requests_as_values(std::env::args_os()));
    let json = cli.json;
    match run(cli).await {
        Ok(code) => code,
        Err(f) => f.report(json),
    }
}

/// The arguments, with "--" before the first one that starts with "-" but holds a space:
/// a request written as a list ("- hostname: x\n- tz: UTC") is a value, never a flag, and
/// flags given after a request ("interpret 'hostname box' --json") stay flags.
fn requests_as_values(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    let mut ended = false;
    for a in args {
        let text = a.to_string_lossy();
        ended |= text == "--";
        if !ended && text.starts_with('-') && text.contains(char::is_whitespace) {
            out.push("--".into());
            ended = true;
        }
        out.push(a);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::requests_as_values;

    fn run(args: &[&str]) -> Vec<String> {
        requests_as_values(args.iter().map(std::ffi::OsString::from))
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_request_written_as_a_list_is_a_value_and_flags_after_a_request_stay_flags() {
        assert_eq!(
            run(&["ctl", "interpret", "--json", "- hostname: x\n- tz: UTC"]),
            [
                "ctl",
                "interpret",
                "--json",
                "--",
                "- hostname: x\n- tz: UTC"
            ]
        );
        assert_eq!(
            run(&["ctl", "interpret", "hostname box", "--json"]),
            ["ctl", "interpret", "hostname box", "--json"]
        );
        assert_eq!(
            run(&["ctl", "say", "--", "- a", "- b"]),
            ["ctl", "say", "--", "- a", "- b"]
        );
    }
}
