//! `levitate-installerd`: the root daemon that owns `org.levitateos.Installer1` on the system
//! bus. See `docs/ARCHITECTURE.md` for the map.

mod actor;
mod auth;
mod conversation;
mod iface;
mod install_state;
mod interpret;
mod job;
mod llm;
mod logind;
mod machine;
mod ops;
mod plan;
mod probe;
mod sandbox;
mod size;
mod stage;
#[cfg(test)]
mod testutil;
mod validate;
mod xkb;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use tracing::info;
use tracing_subscriber::{layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};
use zbus::fdo::{RequestNameFlags, RequestNameReply};

use crate::{
    actor::{Actor, Mode, Settings},
    job::SimulatedExecutor,
    machine::Machine,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LlmMode {
    Auto,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FirmwareArg {
    Auto,
    Uefi,
    Bios,
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
    /// Sandbox mode: attach FILE (created sparse with SIZE when missing) as a loop device
    /// and offer it as the only disk; plans run for real on it and nothing else is touched.
    #[arg(long, value_name = "FILE:SIZE", conflicts_with = "simulate")]
    sandbox_image: Option<String>,
    /// Plan for this firmware instead of the one the machine booted with.
    #[arg(long, value_enum, default_value_t = FirmwareArg::Auto)]
    firmware: FirmwareArg,
    /// Saved partition tables and the step journal (a tmpfs: they last for this boot).
    #[arg(long, value_name = "DIR", default_value = "/run/levitate-installer")]
    state_dir: PathBuf,
    /// What the system is copied from: a squashfs image or a directory (`/` for the running
    /// system). Default: the live medium's image at the usual live-ISO paths.
    #[arg(long, value_name = "PATH")]
    source: Option<PathBuf>,
    /// Where the target system is mounted while installing.
    #[arg(long, value_name = "DIR", default_value = "/mnt/levitate")]
    target_root: String,
    /// The time zone database used to check zone names.
    #[arg(long, value_name = "DIR", default_value = "/usr/share/zoneinfo")]
    zoneinfo: PathBuf,
    /// The language-model assistant: `auto` does what the assistant configuration says (the
    /// embedded model when nothing is configured), `off` uses the deterministic interpreter
    /// alone.
    #[arg(long, value_enum, default_value_t = LlmMode::Auto)]
    llm: LlmMode,
    /// The assistant configuration (`docs/assistant.toml`); the options below override it.
    /// A missing file at the default path means the defaults; a named file must exist.
    #[arg(long, value_name = "FILE")]
    assistant_config: Option<PathBuf>,
    /// Use this OpenAI-compatible endpoint (a remote API, Ollama, llama-server) instead of
    /// the embedded model: `http(s)://host[:port][/base]`, the base below which
    /// `chat/completions` lives (`/v1/...` at a bare host).
    #[arg(long, value_name = "URL")]
    llm_url: Option<String>,
    /// File holding the API key for the endpoint; must be owned by root and mode 600.
    #[arg(long, value_name = "FILE")]
    llm_key_file: Option<PathBuf>,
    /// The model the endpoint is asked for (`model` in each request).
    #[arg(long, value_name = "NAME")]
    llm_model: Option<String>,
    /// The embedded model's variant (`nano`, or one the manifest lists and an ISO build
    /// fetched) instead of the largest installed one that fits this machine's memory. One
    /// that is not installed is an error the assistant's state shows (the daemon runs on,
    /// the interpreter answers); no other variant is run in its place.
    #[arg(long, value_name = "VARIANT")]
    model: Option<String>,
    /// Manifest of the embedded model: its variants, their files, sha256 and memory needs.
    #[arg(
        long,
        value_name = "FILE",
        env = "LEVITATE_LLM_MANIFEST",
        default_value = "/opt/levitate-installer/models/default/manifest.json"
    )]
    llm_manifest: PathBuf,
    /// Python interpreter with the server's dependencies.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/opt/levitate-installer/venv/bin/python3"
    )]
    llm_python: PathBuf,
    /// The server script (default: the installed one beside this binary, else the one of
    /// the checkout this binary was built from, else /usr/share/levitate-installer/).
    #[arg(long, value_name = "FILE")]
    llm_server: Option<PathBuf>,
    /// Loopback port of the embedded server (default: one the kernel chooses, which the
    /// server reports back, so no other program can take it first).
    #[arg(long, value_name = "PORT")]
    llm_port: Option<u16>,
    /// Where logs go.
    #[arg(long, value_enum, default_value_t = LogTarget::Auto)]
    log: LogTarget,
    /// Benchmarking: copy this source (as `--source` takes) into `--copy-to`, then exit.
    #[arg(long, value_name = "SOURCE", hide = true, requires = "copy_to")]
    copy_only: Option<PathBuf>,
    #[arg(long, value_name = "DIR", hide = true, requires = "copy_only")]
    copy_to: Option<PathBuf>,
    /// Measure this machine, choose the model's variant from `--llm-manifest` (and
    /// `--model`) as the daemon does at start, print both, and exit: for ISO builders
    /// checking their catalogue on real hardware.
    #[arg(long)]
    choose_variant: bool,
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
        // Colours only for a person at a terminal: in a file they are `^[[2m` noise.
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(ansi),
            )
            .init();
    }
    Ok(())
}

/// `--copy-only SOURCE --copy-to DIR`: the system stage's copy alone, with its progress on
/// stderr, to measure it against other tools (`scripts/bench-copy.sh`).
fn copy_only(source: &std::path::Path, target: &std::path::Path) -> Result<()> {
    let source = stage::system::source::Source::open(source)
        .map_err(|e| anyhow::anyhow!("--copy-only: {e}"))?;
    let cancel = tokio_util::sync::CancellationToken::new();
    let mut shown = u32::MAX;
    stage::system::copy::copy(&source, target, &cancel, &mut |p| {
        if p.fraction_permille / 10 != shown / 10 {
            shown = p.fraction_permille;
            eprint!(
                "\rcopied {} of {} bytes ({}%)",
                p.bytes,
                p.total_bytes,
                shown / 10
            );
        }
    })?;
    eprintln!();
    Ok(())
}

/// The assistant's settings: its configuration file with the command line over it. A file
/// named with `--assistant-config` that cannot be read stops the daemon; any other problem
/// is the assistant's to report.
fn assistant_config(
    args: &Args,
) -> Result<Result<llm::config::AssistantConfig, llm::config::ConfigError>> {
    let config = llm::config::load(
        args.assistant_config
            .as_deref()
            .unwrap_or(std::path::Path::new(llm::config::DEFAULT_PATH)),
        args.assistant_config.is_some(),
        &llm::config::Overrides {
            off: args.llm == LlmMode::Off,
            url: args.llm_url.clone(),
            key_file: args.llm_key_file.clone(),
            model: args.llm_model.clone(),
            variant: args.model.clone(),
        },
    );
    if let (Err(e @ llm::config::ConfigError::Read(..)), Some(_)) =
        (&config, &args.assistant_config)
    {
        bail!("--assistant-config: {e}");
    }
    Ok(config)
}

/// `--choose-variant`: the hardware and the variant chosen, on stdout; fails when none can
/// run. The variant asked for is the daemon's own (`--model`, else `[embedded] model`).
async fn choose_variant(args: &Args) -> Result<()> {
    let requested = assistant_config(args)?
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .variant;
    let (hw, choice) = llm::supervisor::measure_and_choose(&args.llm_manifest, requested)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.llm_manifest.display()))?;
    println!("hardware: {hw}");
    let c = choice?;
    println!("variant: {}", c.variant.name);
    println!("model: {}", c.variant.model);
    println!("gpu_layers: {}", c.gpu_layers);
    println!("reason: {}", c.reason);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    init_logging(args.log)?;
    if let (Some(source), Some(target)) = (&args.copy_only, &args.copy_to) {
        return copy_only(source, target);
    }
    if args.choose_variant {
        return choose_variant(&args).await;
    }
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
        None => Mode::Real { sandbox: None },
    };
    // Held until exit: dropping it detaches the loop device.
    let sandbox = match &args.sandbox_image {
        Some(spec) => Some(sandbox::Sandbox::attach(spec)?),
        None => None,
    };
    let mode = match (mode, &sandbox) {
        (Mode::Real { .. }, Some(sb)) => Mode::Real {
            sandbox: Some(sb.device.clone()),
        },
        (mode, _) => mode,
    };
    // Real and sandbox mode copy from this; a simulation copies nothing.
    let source = if args.simulate.is_some() {
        None
    } else {
        let found = stage::system::source::Source::find(args.source.as_deref())
            .map_err(|e| anyhow::anyhow!("--source: {e}"))?;
        match &found {
            Some(s) => info!(source = %s.path.display(), kind = ?s.kind, "copy source"),
            None => {
                info!("no live image found and no --source given: copying the system is refused");
            }
        }
        found
    };
    let assistant_config = assistant_config(&args)?;
    let embedded = llm::supervisor::EmbeddedConfig {
        manifest: args.llm_manifest.clone(),
        python: args.llm_python.clone(),
        script: args.llm_server.clone().unwrap_or_else(|| {
            let exe = std::env::current_exe().ok();
            llm::supervisor::server_script(exe.as_deref().and_then(std::path::Path::parent))
        }),
        port: args.llm_port,
        // With every core busy, llama.cpp's spinning threads slow down 10-100x.
        threads: std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1).max(1)),
    };
    let assistant = llm::Assistant::start(assistant_config, embedded);
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
            state_dir: sandbox.as_ref().map_or_else(
                || args.state_dir.clone(),
                |sb| sb.state_dir(&args.state_dir),
            ),
            firmware: match args.firmware {
                FirmwareArg::Auto => None,
                FirmwareArg::Uefi => Some(machine::Firmware::Uefi),
                FirmwareArg::Bios => Some(machine::Firmware::Bios),
            },
            zoneinfo: args.zoneinfo.clone(),
            assistant: assistant.clone(),
            source,
        },
    )
    .await
    .context("cannot publish the installer objects")?;
    let mut actor = actor;
    actor.replay_journal();
    actor.remember_disks().await;
    let handle = actor.handle();
    if args.simulate.is_none() {
        actor::watch_disks(handle.tx.clone());
    }
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
    // The assistant's status, as Manager.Assistant and Manager.AssistantState show it.
    let mut statuses = assistant.watch();
    let forward = handle.clone();
    tokio::spawn(async move {
        loop {
            let status = statuses.borrow_and_update().clone();
            if forward
                .call(|reply| actor::Command::AssistantState { status, reply })
                .await
                .is_err()
            {
                break;
            }
            if statuses.changed().await.is_err() {
                break;
            }
        }
    });
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = term.recv() => info!("SIGTERM: shutting down"),
        _ = tokio::signal::ctrl_c() => info!("SIGINT: shutting down"),
        // A daemon whose state owner died must not keep the name and answer nothing:
        // exit, and let systemd (Restart=on-failure) or D-Bus activation start a fresh one.
        result = &mut run => {
            if let Some(sb) = &sandbox {
                sb.release(std::path::Path::new(&args.target_root));
            }
            bail!("the installer's state task stopped unexpectedly: {result:?}")
        }
    }
    drop(handle);
    run.abort();
    if let Some(sb) = &sandbox {
        sb.release(std::path::Path::new(&args.target_root));
    }
    drop(sandbox);
    Ok(())
}
