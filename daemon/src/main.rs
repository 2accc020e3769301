//! `levitate-installerd`: the root daemon that owns `org.levitateos.Installer1` on the system
//! bus. See `docs/ARCHITECTURE.md` for the map.

mod actor;
mod auth;
mod executor;
mod iface;
mod interpret;
mod machine;
mod planner;
mod probe;
mod size;
mod stages;
mod validate;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use tracing::info;
use tracing_subscriber::{layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};
use zbus::fdo::{RequestNameFlags, RequestNameReply};

use crate::{
    actor::{Actor, Mode, Settings},
    executor::SimulatedExecutor,
    machine::Machine,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LlmMode {
    Auto,
    Off,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogTarget {
    /// journald when started by systemd, stderr otherwise.
    Auto,
    Journald,
    Stderr,
}

/// The LevitateOS installer daemon.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Run against the machine described in this file; plans execute in simulation and
    /// nothing is written.
    #[arg(long, value_name = "MACHINE.json")]
    simulate: Option<PathBuf>,
    /// Speed of simulated execution: 1 is realistic, 10 is ten times faster.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    simulate_speed: f64,
    /// Make simulated steps of this kind fail halfway (`copy_system`, `make_fs`, ...), to see
    /// how frontends show failures.
    #[arg(long, value_name = "OPERATION")]
    simulate_failure: Option<String>,
    /// Where the target system is mounted while installing.
    #[arg(long, value_name = "DIR", default_value = "/mnt/levitate")]
    target_root: String,
    /// The time zone database used to check zone names.
    #[arg(long, value_name = "DIR", default_value = "/usr/share/zoneinfo")]
    zoneinfo: PathBuf,
    /// The language-model assistant: `auto` starts the embedded model when it is installed,
    /// `off` uses the deterministic interpreter alone.
    #[arg(long, value_enum, default_value_t = LlmMode::Auto)]
    llm: LlmMode,
    /// Where logs go.
    #[arg(long, value_enum, default_value_t = LogTarget::Auto)]
    log: LogTarget,
}

fn init_logging(target: LogTarget) -> Result<()> {
    let filter = EnvFilter::try_from_env("LEVITATE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // systemd sets JOURNAL_STREAM when stderr goes to the journal.
    let journald = match target {
        LogTarget::Journald => true,
        LogTarget::Stderr => false,
        LogTarget::Auto => std::env::var_os("JOURNAL_STREAM").is_some(),
    };
    let registry = tracing_subscriber::registry().with(filter);
    if journald {
        let layer = tracing_journald::layer().context("cannot connect to journald")?;
        registry.with(layer).init();
    } else {
        registry
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
            .init();
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    init_logging(args.log)?;
    if !(args.simulate_speed.is_finite() && args.simulate_speed > 0.0) {
        bail!("--simulate-speed must be a positive number");
    }
    if !args.target_root.starts_with('/') {
        bail!("--target-root must be an absolute path");
    }
    let mode = match &args.simulate {
        Some(file) => Mode::Simulated {
            machine: Machine::from_file(file)?,
            executor: SimulatedExecutor {
                speed: args.simulate_speed,
                fail: args.simulate_failure.clone(),
            },
        },
        None => Mode::Real,
    };
    // Honours DBUS_SYSTEM_BUS_ADDRESS, so tests can use a private bus of the system kind.
    let conn = zbus::connection::Builder::system()
        .context("no system bus address")?
        .build()
        .await
        .context("cannot connect to the system bus")?;
    let actor = Actor::start(
        conn.clone(),
        mode,
        Settings {
            target_root: args.target_root.clone(),
            zoneinfo: args.zoneinfo.clone(),
            // The language-model server is not part of this build yet: the deterministic
            // interpreter answers alone, and the state says so.
            assistant_state: match args.llm {
                LlmMode::Off => "disabled".into(),
                LlmMode::Auto => "fallback only: no language model is installed".into(),
            },
        },
    )
    .await
    .context("cannot publish the installer objects")?;
    let handle = actor.handle();
    // Objects first, then the name: a client that sees the name finds everything in place.
    match conn
        .request_name_with_flags(levitate_dbus::BUS_NAME, RequestNameFlags::DoNotQueue.into())
        .await
        .with_context(|| format!("cannot own {}", levitate_dbus::BUS_NAME))?
    {
        RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner => {}
        other => bail!(
            "{} is already owned by another process ({other:?})",
            levitate_dbus::BUS_NAME
        ),
    }
    info!(
        name = levitate_dbus::BUS_NAME,
        simulate = ?args.simulate,
        version = env!("CARGO_PKG_VERSION"),
        "installer daemon ready"
    );
    let mut run = tokio::spawn(actor.run());
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = term.recv() => info!("SIGTERM: shutting down"),
        _ = tokio::signal::ctrl_c() => info!("SIGINT: shutting down"),
        // A daemon whose state owner died must not keep the name and answer nothing:
        // exit, and let systemd (Restart=on-failure) or D-Bus activation start a fresh one.
        result = &mut run => bail!("the installer's state task stopped unexpectedly: {result:?}"),
    }
    drop(handle);
    run.abort();
    Ok(())
}
