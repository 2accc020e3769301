//! Leaving the target: nothing of ours still running in it, and the install log in it.

use std::{fmt::Write as _, fs, path::Path, thread, time::Duration};

use nix::{
    sys::signal::{kill, Signal},
    unistd::Pid,
};

use crate::{
    job::journal::Journal,
    stage::{ExecConfig, ExecError, ExecResult},
};

/// Processes whose root or working directory is inside the target (a chroot the installer
/// ran, or a person's shell) are asked to stop, then killed: they would keep it mounted.
pub fn stop_processes(target_root: &str) {
    let inside = |p: &Path| p == Path::new(target_root) || p.starts_with(target_root);
    let find = || -> Vec<i32> {
        let me = std::process::id();
        fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|pid| u32::try_from(*pid).is_ok_and(|p| p != me))
            .filter(|pid| {
                ["root", "cwd"].iter().any(|link| {
                    fs::read_link(format!("/proc/{pid}/{link}")).is_ok_and(|p| inside(&p))
                })
            })
            .collect()
    };
    for (signal, wait) in [(Signal::SIGTERM, 2000), (Signal::SIGKILL, 500)] {
        let pids = find();
        if pids.is_empty() {
            return;
        }
        tracing::info!(?pids, %signal, "stopping processes left in the target");
        for pid in pids {
            // A process gone meanwhile gives ESRCH, which is what we want anyway.
            let _ = kill(Pid::from_raw(pid), signal);
        }
        thread::sleep(Duration::from_millis(wait));
    }
}

/// The step journal of this boot, as text, in `/var/log/levitate-installer.log` of the
/// target. Operations carry no secrets, so neither does the log.
pub fn copy_log(config: &ExecConfig) -> ExecResult {
    let mut text = String::from("# LevitateOS installer: the steps carried out, in order.\n");
    for r in Journal::new(&config.state_dir).read() {
        let args = serde_json::to_string(&r.op).unwrap_or_default();
        let status = serde_json::to_string(&r.status).unwrap_or_default();
        let _ = writeln!(
            text,
            "job {} step {} {} {args}{}{}",
            r.job,
            r.step,
            status.trim_matches('"'),
            if r.message.is_empty() { "" } else { ": " },
            r.message
        );
    }
    let path = Path::new(&config.target_root).join("var/log/levitate-installer.log");
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)
            .map_err(ExecError::io(format!("cannot create {}", dir.display())))?;
    }
    fs::write(&path, text).map_err(ExecError::io(format!("cannot write {}", path.display())))
}
