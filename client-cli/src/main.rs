//! `levitate-installctl`: the scriptable client of the LevitateOS installer. Unprivileged;
//! every decision and every privilege is the daemon's.
//!
//! Exit codes (stable, for scripts):
//! 0 success; 1 the operation or job failed; 2 usage; 3 not authorized; 4 invalid input
//! (bad argument, unknown disk, not ready, missing secret, wrong state); 5 the plan is stale;
//! 6 busy (another job, a disk in use); 7 the daemon cannot be reached; 8 cancelled.

use std::{
    collections::HashMap,
    io::{IsTerminal, Read},
    process::ExitCode,
    time::Duration,
};

use anyhow::{anyhow, Context};
use clap::{Parser, Subcommand};
use futures_util::StreamExt;
use levitate_dbus::{
    human_size, options, Action, Disk, Error, JobProxy, ManagerProxy, PlanProxy, SessionProxy,
    NO_OBJECT,
};
use serde_json::{json, Value as Json};
use zbus::{
    zvariant::{OwnedObjectPath, Value},
    Connection,
};
use zeroize::Zeroizing;

#[derive(Debug, Parser)]
#[command(
    version,
    about = "Drive the LevitateOS installer from scripts and shells"
)]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Never wait for a polkit password dialog; fail with "not authorized" instead.
    #[arg(long, global = true)]
    no_interaction: bool,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
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
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Turn actions (canonical JSON, see the README; `-` reads stdin) into a plan and show it.
    Propose { actions: String },
    /// Show, confirm or reject a plan (default: the newest pending plan).
    #[command(subcommand)]
    Plan(PlanCmd),
    /// Follow a job until it completes (default: the running job, else the last one).
    Watch { job: Option<String> },
    /// Cancel the running job.
    Cancel { job: Option<String> },
}

#[derive(Debug, Subcommand)]
enum PlanCmd {
    /// Show a plan.
    Show { plan: Option<String> },
    /// Confirm a plan: it starts executing.
    Confirm {
        plan: Option<String>,
        /// Follow the job until it completes.
        #[arg(long)]
        watch: bool,
    },
    /// Reject a plan.
    Reject { plan: Option<String> },
    /// Hand over a secret the plan asks for (`password:vince`, `luks`), read from the
    /// terminal without echo, or from standard input when it is not a terminal.
    Secret { id: String, plan: Option<String> },
}

/// `println!` that ends the program quietly when stdout is closed (`| head`), as shell
/// tools do, instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(141);
        }
    }};
}

/// A failure with its exit code.
struct Failure {
    code: u8,
    name: String,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::NotAuthorized(_) => 3,
            Error::InvalidArgument(_)
            | Error::NoSuchDisk(_)
            | Error::NotReady(_)
            | Error::SecretMissing(_)
            | Error::InvalidState(_)
            | Error::NoSuchObject(_) => 4,
            Error::PlanStale(_) => 5,
            Error::Busy(_) | Error::DeviceBusy(_) => 6,
            Error::Cancelled(_) => 8,
            Error::ZBus(z) => return transport_failure(z),
            Error::NotSupported(_) | Error::Failed(_) => 1,
        };
        Self {
            code,
            name: e.short_name().to_owned(),
            message: e.message(),
        }
    }
}

fn transport_failure(e: &zbus::Error) -> Failure {
    let unreachable = match e {
        zbus::Error::MethodError(name, _, _) => {
            name.as_str() == "org.freedesktop.DBus.Error.ServiceUnknown"
                || name.as_str() == "org.freedesktop.DBus.Error.NameHasNoOwner"
        }
        zbus::Error::InputOutput(_) | zbus::Error::Address(_) | zbus::Error::Handshake(_) => true,
        _ => false,
    };
    if unreachable {
        Failure {
            code: 7,
            name: "Unreachable".into(),
            message: format!("the installer daemon cannot be reached on the system bus: {e}"),
        }
    } else if let zbus::Error::MethodError(name, msg, _) = e {
        Failure {
            code: 4,
            name: name.to_string(),
            message: msg.clone().unwrap_or_default(),
        }
    } else {
        Failure {
            code: 1,
            name: "Transport".into(),
            message: e.to_string(),
        }
    }
}

impl From<zbus::Error> for Failure {
    fn from(e: zbus::Error) -> Self {
        // Errors the daemon names map onto our enum; anything else is transport.
        match Error::from(e) {
            Error::ZBus(z) => transport_failure(&z),
            other => other.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Self {
            code: 4,
            name: "InvalidInput".into(),
            message: format!("{e:#}"),
        }
    }
}

type Outcome = Result<ExitCode, Failure>;

struct Ctx {
    conn: Connection,
    json: bool,
    no_interaction: bool,
}

impl Ctx {
    fn opts(&self) -> HashMap<&'static str, Value<'static>> {
        let mut o = HashMap::new();
        if self.no_interaction {
            o.insert(options::NO_USER_INTERACTION, Value::from(true));
        }
        o
    }

    async fn manager(&self) -> Result<ManagerProxy<'static>, Failure> {
        Ok(ManagerProxy::new(&self.conn).await?)
    }

    async fn plan(&self, path: Option<String>) -> Result<PlanProxy<'static>, Failure> {
        let path = match path {
            Some(p) => object_path(&p, levitate_dbus::PLAN_PATH_PREFIX)?,
            None => self
                .manager()
                .await?
                .pending_plans()
                .await?
                .pop()
                .ok_or_else(|| {
                    Failure::from(Error::NoSuchObject(
                        "there is no pending plan; propose one first".into(),
                    ))
                })?,
        };
        Ok(PlanProxy::builder(&self.conn).path(path)?.build().await?)
    }

    async fn job(&self, path: Option<String>) -> Result<JobProxy<'static>, Failure> {
        let path = if let Some(p) = path {
            object_path(&p, levitate_dbus::JOB_PATH_PREFIX)?
        } else {
            let m = self.manager().await?;
            let active = m.active_job().await?;
            let chosen = if active.as_str() == NO_OBJECT {
                m.last_job().await?
            } else {
                active
            };
            if chosen.as_str() == NO_OBJECT {
                return Err(Error::NoSuchObject("no job has run yet".into()).into());
            }
            chosen
        };
        Ok(JobProxy::builder(&self.conn).path(path)?.build().await?)
    }
}

/// Accepts a full object path or just the number at the end of one.
fn object_path(text: &str, prefix: &str) -> Result<OwnedObjectPath, Failure> {
    let full = if text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{prefix}/{text}")
    } else {
        text.to_owned()
    };
    OwnedObjectPath::try_from(full).map_err(|_| {
        Error::InvalidArgument(format!("{text:?} is not an object path or number")).into()
    })
}

fn print_json(v: &Json) {
    out!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

async fn status(ctx: &Ctx) -> Outcome {
    let m = ctx.manager().await?;
    let stages = m.stages().await?;
    let active = m.active_job().await?;
    let last_error = m.last_error().await?;
    let config = m.configuration().await?;
    let users = m.users().await?;
    let pending = m.pending_plans().await?;
    let mut job_json = Json::Null;
    let job_path = if active.as_str() == NO_OBJECT {
        m.last_job().await?
    } else {
        active.clone()
    };
    if job_path.as_str() != NO_OBJECT {
        let j = JobProxy::builder(&ctx.conn)
            .path(job_path.clone())?
            .build()
            .await?;
        job_json = json!({
            "path": job_path.as_str(),
            "state": j.state().await?,
            "progress": j.progress().await?,
            "current_step": j.current_step().await?,
            "message": j.message().await?,
        });
    }
    let v = json!({
        "version": m.version().await?,
        "mode": m.mode().await?,
        "firmware": m.firmware().await?,
        "assistant": m.assistant_state().await?,
        "stages": stages,
        "active_job": if active.as_str() == NO_OBJECT { Json::Null } else { json!(active.as_str()) },
        "job": job_json,
        "pending_plans": pending.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "configuration": config,
        "users": users,
        "last_error": if last_error.name.is_empty() { Json::Null } else { json!(last_error) },
    });
    if ctx.json {
        print_json(&v);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "LevitateOS installer {} ({}, {} firmware, assistant {})",
        v["version"].as_str().unwrap_or(""),
        v["mode"].as_str().unwrap_or(""),
        v["firmware"].as_str().unwrap_or(""),
        v["assistant"].as_str().unwrap_or("")
    );
    for s in &stages {
        out!("  {} {}", s.state.mark(), s.title);
    }
    if !job_json.is_null() {
        out!(
            "job {}: {} {:.0}% {}",
            job_json["path"].as_str().unwrap_or(""),
            job_json["state"].as_str().unwrap_or(""),
            job_json["progress"].as_f64().unwrap_or(0.0) * 100.0,
            job_json["current_step"].as_str().unwrap_or("")
        );
    }
    for (k, val) in &config {
        out!("{k}: {val}");
    }
    for u in &users {
        out!(
            "user {}{}{}",
            u.name,
            if u.sudo { " (sudo)" } else { "" },
            if u.password_set { ", password set" } else { "" }
        );
    }
    for p in &pending {
        out!("pending plan: {}", p.as_str());
    }
    if !last_error.name.is_empty() {
        out!("last error: {}", last_error.message);
    }
    Ok(ExitCode::SUCCESS)
}

/// Sector sizes and holders of a disk (`Manager.DiskDetails`).
struct Details {
    logical: u32,
    physical: u32,
    holders: Vec<String>,
}

async fn details(manager: &ManagerProxy<'_>, ctx: &Ctx, disk: &str) -> Result<Details, Error> {
    let map = manager.disk_details(disk, ctx.opts()).await?;
    let num = |k: &str| {
        map.get(k)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(512)
    };
    Ok(Details {
        logical: num("logical_sector_size"),
        physical: num("physical_sector_size"),
        holders: map
            .get("holders")
            .and_then(|v| Vec::<String>::try_from(v.try_clone().ok()?).ok())
            .unwrap_or_default(),
    })
}

async fn disks(ctx: &Ctx) -> Outcome {
    let manager = ctx.manager().await?;
    let disks: Vec<Disk> = manager.list_disks(ctx.opts()).await?;
    let mut all = Vec::with_capacity(disks.len());
    for d in &disks {
        all.push(details(&manager, ctx, &d.path).await?);
    }
    if ctx.json {
        let with: Vec<serde_json::Value> = disks
            .iter()
            .zip(&all)
            .map(|(d, x)| {
                let mut v = json!(d);
                v["details"] = json!({
                    "logical_sector_size": x.logical,
                    "physical_sector_size": x.physical,
                    "holders": x.holders,
                });
                v
            })
            .collect();
        print_json(&json!(with));
        return Ok(ExitCode::SUCCESS);
    }
    for (d, x) in disks.iter().zip(&all) {
        let kind = if d.rotational { "HDD" } else { "SSD" };
        let table = if d.table.is_empty() {
            "blank".to_owned()
        } else {
            d.table.to_uppercase()
        };
        out!(
            "{}  {}  {}  {} {}  {table}{}",
            d.path,
            human_size(d.size),
            if d.model.is_empty() { "-" } else { &d.model },
            d.transport,
            kind,
            if d.in_use.is_empty() {
                String::new()
            } else {
                format!("  IN USE: {}", d.in_use)
            }
        );
        if x.logical != 512 || x.physical != 512 {
            out!(
                "  sectors: {} bytes logical, {} physical",
                x.logical,
                x.physical
            );
        }
        if !x.holders.is_empty() {
            out!("  held by: {}", x.holders.join(", "));
        }
        for p in &d.partitions {
            out!(
                "  {}  {}  {}{}",
                p.path,
                human_size(p.size),
                p.description,
                if p.mountpoint.is_empty() {
                    String::new()
                } else {
                    format!("  (mounted at {})", p.mountpoint)
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn interpret(ctx: &Ctx, text: &str) -> Outcome {
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
            Action::Clarify { question } => out!("? {question}"),
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

async fn say(ctx: &Ctx, session: Option<String>, text: &str) -> Outcome {
    let path = match session {
        Some(s) => object_path(&s, levitate_dbus::SESSION_PATH_PREFIX)?,
        None => ctx.manager().await?.open_session(ctx.opts()).await?,
    };
    let s = SessionProxy::builder(&ctx.conn)
        .path(path.clone())?
        .build()
        .await?;
    let (reply, actions, plan) = s.say(text, ctx.opts()).await?;
    let actions: Vec<Json> = actions
        .into_iter()
        .filter_map(|w| Action::from_wire(w).ok())
        .map(|a| serde_json::to_value(a).unwrap_or(Json::Null))
        .collect();
    if ctx.json {
        print_json(&json!({
            "session": path.as_str(),
            "reply": reply,
            "actions": actions,
            "plan": if plan.as_str() == NO_OBJECT { Json::Null } else { json!(plan.as_str()) },
        }));
        return Ok(ExitCode::SUCCESS);
    }
    out!("{reply}");
    if plan.as_str() != NO_OBJECT {
        let proxy = PlanProxy::builder(&ctx.conn).path(plan)?.build().await?;
        show_plan(ctx, &proxy).await?;
    }
    out!(
        "(session {}: continue with --session {})",
        path.as_str(),
        path.as_str().rsplit('/').next().unwrap_or("")
    );
    Ok(ExitCode::SUCCESS)
}

async fn plan_json(plan: &PlanProxy<'_>) -> Result<Json, Failure> {
    let actions: Vec<Json> = plan
        .actions()
        .await?
        .into_iter()
        .filter_map(|w| Action::from_wire(w).ok())
        .map(|a| serde_json::to_value(a).unwrap_or(Json::Null))
        .collect();
    let job = plan.job().await?;
    Ok(json!({
        "path": plan.inner().path().as_str(),
        "state": plan.state().await?,
        "summary": plan.summary().await?,
        "destructive": plan.destructive().await?,
        "authorization": plan.authorization().await?,
        "destroys": plan.destroys().await?,
        "warnings": plan.warnings().await?,
        "steps": plan.steps().await?,
        "secrets": plan.secrets().await?,
        "actions": actions,
        "job": if job.as_str() == NO_OBJECT { Json::Null } else { json!(job.as_str()) },
    }))
}

async fn show_plan(ctx: &Ctx, plan: &PlanProxy<'_>) -> Outcome {
    let v = plan_json(plan).await?;
    if ctx.json {
        print_json(&v);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "Plan {} ({})",
        v["path"].as_str().unwrap_or(""),
        v["state"].as_str().unwrap_or("")
    );
    out!("{}", v["summary"].as_str().unwrap_or(""));
    let strings = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect()
    };
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
            s["description"].as_str().unwrap_or(""),
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
            s["id"].as_str().unwrap_or(""),
            s["prompt"].as_str().unwrap_or(""),
            if provided {
                " (provided)"
            } else {
                " (levitate-installctl plan secret ID)"
            }
        );
    }
    out!(
        "Confirming needs polkit authorization {}.",
        v["authorization"].as_str().unwrap_or("")
    );
    Ok(ExitCode::SUCCESS)
}

async fn propose(ctx: &Ctx, text: &str) -> Outcome {
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
    let plan = PlanProxy::builder(&ctx.conn).path(path)?.build().await?;
    show_plan(ctx, &plan).await
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

async fn watch(ctx: &Ctx, job: &JobProxy<'_>) -> Outcome {
    let mut completed = job.receive_completed().await?;
    let mut last_line = String::new();
    loop {
        let state = job.state().await?;
        let step = job.current_step().await?;
        let progress = job.progress().await?;
        let (bytes, total, rate) = (
            job.bytes().await?,
            job.total_bytes().await?,
            job.rate().await?,
        );
        if state != "running" {
            let message = job.message().await?;
            if ctx.json {
                out!(
                    "{}",
                    json!({"job": job.inner().path().as_str(), "state": state, "message": message})
                );
            } else {
                out!("{state}: {message}");
            }
            return Ok(match state.as_str() {
                "succeeded" => ExitCode::SUCCESS,
                "cancelled" => ExitCode::from(8),
                _ => ExitCode::from(1),
            });
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let pct = (progress * 100.0).round() as u32;
        let line = if ctx.json {
            json!({"progress": progress, "step": step, "bytes": bytes, "total_bytes": total, "rate": rate}).to_string()
        } else if total > 0 {
            format!(
                "[{pct:>3}%] {step}  {} / {}  {}/s",
                human_size(bytes),
                human_size(total),
                human_size(rate)
            )
        } else {
            format!("[{pct:>3}%] {step}")
        };
        // Between steps CurrentStep is empty: nothing new to say.
        if line != last_line && !step.is_empty() {
            out!("{line}");
            last_line = line;
        }
        // Completed wakes us at once; the timeout keeps progress lines coming, and makes a
        // missed signal harmless because State is read again.
        let _ = tokio::time::timeout(Duration::from_millis(500), completed.next()).await;
    }
}

async fn run(cli: Cli) -> Outcome {
    let conn = zbus::connection::Builder::system()?.build().await?;
    let ctx = Ctx {
        conn,
        json: cli.json,
        no_interaction: cli.no_interaction,
    };
    match cli.command {
        Cmd::Status => status(&ctx).await,
        Cmd::Disks => disks(&ctx).await,
        Cmd::Interpret { text } => interpret(&ctx, &text.join(" ")).await,
        Cmd::Say { session, text } => say(&ctx, session, &text.join(" ")).await,
        Cmd::Propose { actions } => propose(&ctx, &actions).await,
        Cmd::Plan(PlanCmd::Show { plan }) => show_plan(&ctx, &ctx.plan(plan).await?).await,
        Cmd::Plan(PlanCmd::Confirm {
            plan,
            watch: follow,
        }) => {
            let plan = ctx.plan(plan).await?;
            let job_path = plan.confirm(ctx.opts()).await?;
            if ctx.json && !follow {
                print_json(&json!({"job": job_path.as_str()}));
            } else if !ctx.json {
                out!("confirmed; job {}", job_path.as_str());
            }
            if follow {
                let job = JobProxy::builder(&ctx.conn).path(job_path)?.build().await?;
                return watch(&ctx, &job).await;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Plan(PlanCmd::Reject { plan }) => {
            ctx.plan(plan).await?.reject(ctx.opts()).await?;
            if ctx.json {
                print_json(&json!({"rejected": true}));
            } else {
                out!("rejected");
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Plan(PlanCmd::Secret { id, plan }) => {
            let plan = ctx.plan(plan).await?;
            let prompt = plan
                .secrets()
                .await?
                .into_iter()
                .find(|s| s.id == id)
                .map_or_else(|| format!("Secret {id}"), |s| s.prompt);
            let secret = read_secret(&prompt)?;
            plan.set_secret(&id, &secret, ctx.opts()).await?;
            if ctx.json {
                print_json(&json!({"secret": id, "provided": true}));
            } else {
                out!("{id} handed over");
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Watch { job } => watch(&ctx, &ctx.job(job).await?).await,
        Cmd::Cancel { job } => {
            ctx.job(job).await?.cancel(ctx.opts()).await?;
            if ctx.json {
                print_json(&json!({"cancel_requested": true}));
            } else {
                out!("cancel requested");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli).await {
        Ok(code) => code,
        Err(f) => {
            if json {
                out!(
                    "{}",
                    json!({"error": {"name": f.name, "message": f.message}})
                );
            }
            eprintln!("levitate-installctl: {}: {}", f.name, f.message);
            ExitCode::from(f.code)
        }
    }
}
