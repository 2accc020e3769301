//! Runs the language-model server: verifies the model, starts the server as an
//! unprivileged user, waits for `/health`, restarts it with backoff when it dies, logs its
//! output through tracing, and reports its state. The child dies with the daemon
//! (`kill_on_drop`, and the server exits when its parent is gone).

use std::{path::PathBuf, process::Stdio, sync::Arc, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    process::{Child, Command},
    sync::oneshot,
};
use tracing::{info, warn};

use super::{
    choice::{self, Choice, Requested},
    hardware,
    http::Endpoint,
    manifest::Catalogue,
    Answerer, Shared,
};

/// How to run the embedded server.
#[derive(Debug, Clone)]
pub struct EmbeddedConfig {
    pub manifest: PathBuf,
    pub python: PathBuf,
    pub script: PathBuf,
    /// `--llm-port`. None: the server binds a port the kernel chooses and tells it on its
    /// stdout, so no other daemon and no local user can hold the port first.
    pub port: Option<u16>,
    pub threads: usize,
}

/// Where the server script is installed by `systemd/install.sh` with the default prefix.
pub const INSTALLED_SCRIPT: &str = "/usr/share/levitate-installer/llm_server.py";

/// The server script for a daemon whose binary lies in `exe_dir`, whatever the current
/// directory: installed beside it (`<prefix>/libexec` -> `<prefix>/share`), else in the
/// checkout it was built in (`target/<profile>` -> `python/`; or the crate's checkout, when
/// `CARGO_TARGET_DIR` is elsewhere), else the default installed path.
pub fn server_script(exe_dir: Option<&std::path::Path>) -> PathBuf {
    let mut candidates = Vec::new();
    if let Some(dir) = exe_dir {
        candidates.push(dir.join("../share/levitate-installer/llm_server.py"));
        candidates.push(dir.join("../../python/llm_server.py"));
    }
    candidates
        .push(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../python/llm_server.py"));
    candidates.into_iter().find(|p| p.is_file()).map_or_else(
        || PathBuf::from(INSTALLED_SCRIPT),
        |p| std::fs::canonicalize(&p).unwrap_or(p),
    )
}

/// The line the server prints on its stdout once it listens (`python/llm_server.py`).
const LISTENING: &str = "LISTENING 127.0.0.1 ";
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

/// Logs the server's output through tracing; hands over the port of its `LISTENING` line.
fn forward_output(child: &mut Child) -> oneshot::Receiver<u16> {
    let (port_tx, port_rx) = oneshot::channel();
    if let Some(stdout) = child.stdout.take() {
        tokio::spawn(async move {
            let mut port_tx = Some(port_tx);
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(port) = line
                    .strip_prefix(LISTENING)
                    .and_then(|p| p.trim().parse().ok())
                {
                    if let Some(tx) = port_tx.take() {
                        let _ = tx.send(port);
                    }
                }
                info!(target: "llm_server", stream = "stdout", "{line}");
            }
        });
    }
    if let Some(stderr) = child.stderr.take() {
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                info!(target: "llm_server", stream = "stderr", "{line}");
            }
        });
    }
    port_rx
}

/// Waits for the server's port, then for `/health`: the endpoint, or why not.
async fn wait_ready(child: &mut Child, port: oneshot::Receiver<u16>) -> Result<Endpoint, String> {
    let deadline = tokio::time::Instant::now() + HEALTH_TIMEOUT;
    let port = tokio::select! {
        p = port => p.map_err(|_| "the server closed its output without saying its port".to_owned())?,
        status = child.wait() => return Err(format!("the server exited while starting ({})", status.map_or_else(|e| e.to_string(), |s| s.to_string()))),
        () = tokio::time::sleep_until(deadline) => return Err(format!("the server did not listen within {} s", HEALTH_TIMEOUT.as_secs())),
    };
    let endpoint = Endpoint::loopback(port).map_err(|e| e.to_string())?;
    while tokio::time::Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!(
                "the server exited while loading the model ({status})"
            ));
        }
        if let Ok(200) = endpoint.health(Duration::from_secs(2)).await {
            return Ok(endpoint);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!(
        "the model did not load within {} s",
        HEALTH_TIMEOUT.as_secs()
    ))
}

/// Reads the manifest, measures the machine and chooses the variant, hashing the chosen
/// files: what the daemon does at start, and `levitate-installerd --choose-variant` alone.
pub async fn measure_and_choose(
    manifest: &std::path::Path,
    requested: Option<Requested>,
) -> Result<(hardware::Hardware, Result<Choice, choice::ChoiceError>), String> {
    let catalogue = Catalogue::load(manifest).map_err(|e| e.to_string())?;
    let hw = hardware::detect().await;
    let measured = hw.clone();
    let choice = tokio::task::spawn_blocking(move || {
        choice::choose(
            &catalogue,
            &measured,
            requested.as_ref(),
            &|v| v.present().map_err(|e| e.to_string()),
            &mut |v| v.verify().map_err(|e| e.to_string()),
        )
    })
    .await
    .map_err(|e| e.to_string())?;
    Ok((hw, choice))
}

/// Reads the manifest, measures the machine and chooses the variant (hashing the chosen
/// files), saying which and why in the status.
async fn choose_variant(
    manifest: &std::path::Path,
    requested: Option<Requested>,
    shared: &Shared,
) -> Result<Choice, String> {
    let (hw, choice) = measure_and_choose(manifest, requested).await?;
    info!(hardware = %hw, "hardware for the language model");
    match choice {
        Ok(c) => {
            let v = &c.variant;
            info!(variant = %v.name, model = %v.model, gpu_layers = c.gpu_layers, reason = %c.reason, "language-model variant chosen");
            shared.update(|s| {
                s.variant.clone_from(&v.name);
                s.model.clone_from(&v.model);
                s.reason.clone_from(&c.reason);
                if let Some(a) = &v.adapter {
                    s.adapter_path = a.path.display().to_string();
                    s.adapter_sha256.clone_from(&a.sha256);
                }
            });
            Ok(c)
        }
        Err(e) => {
            let variant = e.variant().to_owned();
            shared.update(|s| s.variant = variant);
            Err(e.to_string())
        }
    }
}

/// Supervises the server until the daemon exits. Returns only when the embedded model
/// cannot run: its manifest, model or server script is unusable, no variant fits or the one
/// asked for is not installed, or, with `give_up_early` (another provider stands by), its
/// first start failed.
pub async fn run(
    config: EmbeddedConfig,
    requested: Option<Requested>,
    shared: Arc<Shared>,
    timeout: Duration,
    give_up_early: bool,
) -> String {
    let script = match std::fs::read(&config.script) {
        Ok(s) => s,
        Err(e) => return format!("cannot read the server {}: {e}", config.script.display()),
    };
    let Choice {
        variant,
        gpu_layers,
        ..
    } = match choose_variant(&config.manifest, requested, &shared).await {
        Ok(c) => c,
        Err(why) => return why,
    };
    // The grammar makes every model answer in the tool_call form, whatever its native
    // format; the manifest's format is recorded for people and for other frontends.
    info!(model = %variant.model, format = %variant.format, file = %variant.file.display(), script = %config.script.display(), "language model configured");
    let mut backoff = Duration::from_secs(1);
    let mut ever_ready = false;
    // The choice hashed the files just now; every later start hashes them again.
    let mut verified = true;
    loop {
        shared.set_state("starting".into());
        if !std::mem::take(&mut verified) {
            let v = variant.clone();
            match tokio::task::spawn_blocking(move || v.verify()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return e.to_string(),
                Err(e) => return e.to_string(),
            }
        }
        // The script goes in on stdin, so the unprivileged account needs to read only the
        // interpreter and the model, not the daemon's files.
        let mut cmd = Command::new(&config.python);
        cmd.arg("-")
            .arg("--model")
            .arg(&variant.file)
            .args(["--backend", &variant.backend])
            .args(["--port", &config.port.unwrap_or(0).to_string()])
            .args(["--threads", &config.threads.to_string()])
            .args(["--ctx", &variant.context.to_string()])
            .args(["--parent-pid", &std::process::id().to_string()])
            .args(["--n-gpu-layers", &gpu_layers.to_string()])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", "/nonexistent")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(a) = &variant.adapter {
            cmd.arg("--adapter").arg(&a.path);
        }
        if nix::unistd::geteuid().is_root() {
            if let Some((uid, gid)) = unprivileged_ids() {
                cmd.uid(uid).gid(gid);
            }
        }
        let outcome = match cmd.spawn() {
            Ok(mut child) => {
                if let Some(mut stdin) = child.stdin.take() {
                    // Dropped at the end of this block: the server reads the script to EOF.
                    let _ = stdin.write_all(&script).await;
                }
                let port = forward_output(&mut child);
                match wait_ready(&mut child, port).await {
                    Ok(endpoint) => {
                        ever_ready = true;
                        backoff = Duration::from_secs(1);
                        shared.update(|s| s.url = endpoint.url());
                        shared.set_answerer(Some(Answerer {
                            endpoint,
                            timeout,
                            model: None,
                            grammar: true,
                        }));
                        shared.set_state("ready".into());
                        let status = child.wait().await;
                        shared.set_answerer(None);
                        warn!(?status, "language-model server exited");
                        "the language-model server stopped".to_owned()
                    }
                    Err(why) => {
                        let _ = child.kill().await;
                        why
                    }
                }
            }
            Err(e) => format!("cannot start {}: {e}", config.python.display()),
        };
        if give_up_early && !ever_ready {
            return outcome;
        }
        shared.set_state(format!(
            "failed: {outcome}; restarting in {}s (the built-in interpreter answers meanwhile)",
            backoff.as_secs()
        ));
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

#[cfg(test)]
mod tests {
    use std::{fs, path::Path};

    use super::*;

    #[test]
    fn the_server_script_is_found_from_the_binary_not_the_current_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let make = |rel: &str| {
            let p = dir.path().join(rel);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(&p, "").expect("write");
            fs::canonicalize(p).expect("canonical")
        };
        // Installed: <prefix>/libexec/levitate-installerd.
        let installed = make("usr/share/levitate-installer/llm_server.py");
        fs::create_dir_all(dir.path().join("usr/libexec")).expect("mkdir");
        assert_eq!(
            server_script(Some(&dir.path().join("usr/libexec"))),
            installed
        );
        // Built in a checkout: <checkout>/target/debug/levitate-installerd.
        let built = make("checkout/python/llm_server.py");
        fs::create_dir_all(dir.path().join("checkout/target/debug")).expect("mkdir");
        assert_eq!(
            server_script(Some(&dir.path().join("checkout/target/debug"))),
            built
        );
        // Built elsewhere (CARGO_TARGET_DIR, or a copied binary): this crate's checkout.
        let ours =
            fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../python/llm_server.py"))
                .expect("the checkout's server");
        assert_eq!(server_script(Some(dir.path())), ours);
        assert_eq!(server_script(None), ours);
    }
}
