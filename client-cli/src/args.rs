//! The command line: global flags, commands and their arguments.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Drive the LevitateOS installer from scripts and shells"
)]
pub struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Never wait for a polkit password dialog; fail with "not authorized" instead.
    #[arg(long, global = true)]
    pub no_interaction: bool,
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The installer's state: mode, checklist, active job, settings, last error.
    Status,
    /// The disks the installer can see.
    Disks,
    /// Interpret a request ("use the whole ssd, encrypted") into actions, without side
    /// effects; --json prints the canonical action array.
    Interpret {
        /// The request, as a person would type it.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Say something to the installer, as in a conversation: prints the reply and any plan
    /// proposed (confirm it with `plan confirm`). --session continues a conversation.
    Say {
        /// A session from an earlier `say` (path or number); default: a new one.
        #[arg(long)]
        session: Option<String>,
        /// What to say, as a person would type it.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Turn actions (canonical JSON, see the README; `-` reads stdin) into a plan and show it.
    Propose {
        /// The actions: one object or an array, as JSON; `-` reads them from stdin.
        actions: String,
    },
    /// Show, confirm or reject a plan (default: the newest pending plan).
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Follow a job until it completes (default: the running job, else the last one).
    Watch {
        /// The job (path or number); default: the running job, else the last one.
        job: Option<String>,
    },
    /// Cancel the running job.
    Cancel {
        /// The job (path or number); default: the running job.
        job: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Show a plan.
    Show {
        /// The plan (path or number); default: the newest pending plan.
        plan: Option<String>,
    },
    /// Confirm a plan: it starts executing.
    Confirm {
        /// The plan (path or number); default: the newest pending plan.
        plan: Option<String>,
        /// Follow the job until it completes.
        #[arg(long)]
        watch: bool,
    },
    /// Reject a plan.
    Reject {
        /// The plan (path or number); default: the newest pending plan.
        plan: Option<String>,
    },
    /// Hand over a secret the plan asks for (`password:vince`, `luks`), read from the
    /// terminal without echo, or from standard input when it is not a terminal.
    Secret {
        /// The secret's id, as `plan show` lists it (`luks`, `password:vince`).
        id: String,
        /// The plan (path or number); default: the newest pending plan.
        plan: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Regression (#14, item 8): `--help` listed positional arguments with no words at all.
    #[test]
    fn every_argument_says_what_it_is() {
        fn check(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id != "help" && id != "version" && arg.get_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        check(&Cli::command(), "levitate-installctl", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:?}");
    }
}
