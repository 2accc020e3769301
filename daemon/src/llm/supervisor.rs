//! Runs the language-model server: verifies the model, starts the server as an
//! unprivileged user, waits for `/health`, restarts it with backoff when it dies, logs its
//! output through tracing, and reports its state. The child dies with the daemon
//! (`kill_on_drop`, and the server exits when its parent is gone).

use std::{path::PathBuf, process::Stdio, sync::Arc, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
    sync::watch,
};
use tracing::{info, warn};

use super::{http::Endpoint, manifest::Manifest};

/// How to run the embedded server.
#[derive(Debug, Clone)]
pub struct EmbeddedConfig {
    pub manifest: PathBuf,
    pub python: PathBuf,
    pub script: PathBuf,
    pub port: u16,
    pub threads: usize,
}

/// What the assistant is doing, as `Manager.AssistantState` shows it.
pub type StateTx = watch::Sender<String>;

const HEALTH_TIMEOUT: Duration = Duration::from_secs(90);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The unprivileged account the server runs as when the daemon is root.
fn unprivileged_ids() -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    for wanted in ["levitate-llm", "nobody"] {
        for line in passwd.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() > 3 && f[0] == wanted {
                return Some((f[2].parse().ok()?, f[3].parse().ok()?));
            }
        }
    }
    None
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// Supervises the server until the daemon exits.
pub async fn run(config: EmbeddedConfig, state: Arc<StateTx>, endpoint: Endpoint) {
    let set = |s: String| {
        info!(assistant = %s, "assistant state");
        state.send_replace(s);
    };
    let manifest = match Manifest::load(&config.manifest) {
        Ok(m) => m,
        Err(e) => {
            return set(format!(
                "failed: {e}; answering with the built-in interpreter"
            ))
        }
    };
    let script = match std::fs::read(&config.script) {
        Ok(s) => s,
        Err(e) => {
            return set(format!(
                "failed: cannot read the server {}: {e}",
                config.script.display()
            ))
        }
    };
    // The grammar makes every model answer in the tool_call form, whatever its native
    // format; the manifest's format is recorded for people and for other frontends.
    info!(model = %manifest.name, format = %manifest.format, file = %manifest.file.display(), "language model configured");
    let mut backoff = Duration::from_secs(1);
    loop {
        set("starting".into());
        let m = manifest.clone();
        match tokio::task::spawn_blocking(move || m.verify()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                return set(format!(
                    "failed: {e}; answering with the built-in interpreter"
                ))
            }
            Err(e) => return set(format!("failed: {e}")),
        }
        // The script goes in on stdin, so the unprivileged account needs to read only the
        // interpreter and the model, not the daemon's files.
        let mut cmd = Command::new(&config.python);
        cmd.arg("-")
            .arg("--model")
            .arg(&manifest.file)
            .args(["--backend", &manifest.backend])
            .args(["--port", &config.port.to_string()])
            .args(["--threads", &config.threads.to_string()])
            .args(["--ctx", &manifest.context.to_string()])
            .args(["--parent-pid", &std::process::id().to_string()])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", "/nonexistent")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if is_root() {
            if let Some((uid, gid)) = unprivileged_ids() {
                cmd.uid(uid).gid(gid);
            }
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                set(format!(
                    "failed: cannot start {}: {e}; retrying in {}s",
                    config.python.display(),
                    backoff.as_secs()
                ));
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        if let Some(mut stdin) = child.stdin.take() {
            use tokio::io::AsyncWriteExt;
            let _ = stdin.write_all(&script).await;
        }
        for (stream, name) in [
            (
                child
                    .stdout
                    .take()
                    .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
                "stdout",
            ),
            (
                child
                    .stderr
                    .take()
                    .map(|s| Box::new(s) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
                "stderr",
            ),
        ] {
            if let Some(s) = stream {
                tokio::spawn(async move {
                    let mut lines = BufReader::new(s).lines();
                    while let Ok(Some(line)) = lines.next_line().await {
                        info!(target: "llm_server", stream = name, "{line}");
                    }
                });
            }
        }
        let started = tokio::time::Instant::now();
        let mut ready = false;
        while started.elapsed() < HEALTH_TIMEOUT {
            if let Ok(Some(status)) = child.try_wait() {
                warn!(%status, "language-model server exited while starting");
                break;
            }
            if let Ok((200, _)) = endpoint
                .request("GET", "/health", None, Duration::from_secs(2))
                .await
            {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        if ready {
            set("ready".into());
            backoff = Duration::from_secs(1);
            let status = child.wait().await;
            warn!(?status, "language-model server exited");
        } else {
            let _ = child.kill().await;
        }
        set(format!("failed: the language-model server stopped; restarting in {}s (the built-in interpreter answers meanwhile)", backoff.as_secs()));
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}
