//! Root and tool checks, and running programs.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

/// Fails the test unless it runs as root; `why` says what needs root ("these tests attach
/// loop devices").
pub fn require_root(why: &str) {
    assert!(
        nix::unistd::geteuid().is_root(),
        "{why} and need root: run them as root (see the README's test command)"
    );
}

/// The first of `candidates` that is installed: an absolute path that exists, or a name
/// found on `PATH`. Fails the test, naming them, when none is.
pub fn require_tool(candidates: &[&str]) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let executable = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    for c in candidates {
        let p = Path::new(c);
        if p.is_absolute() {
            if executable(p) {
                return p.to_path_buf();
            }
        } else if let Some(found) = std::env::split_paths(&path)
            .map(|dir| dir.join(c))
            .find(|f| executable(f))
        {
            return found;
        }
    }
    panic!("none of {candidates:?} is installed; scripts/setup.sh installs them (see the README)")
}

/// Runs a command that must succeed; returns stdout.
pub fn sh(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (scripts/setup.sh installs it)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `cmd` with its output captured, like [`Command::output`], but kills it and fails the
/// test, naming the command, when it has not finished within `limit`.
pub fn output_within(cmd: &mut Command, limit: Duration) -> Output {
    let what = format!("{cmd:?}");
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e} (scripts/setup.sh installs it)"));
    wait_output_within(child, &what, limit)
}

/// Waits for a started child and collects its piped output, like
/// [`Child::wait_with_output`], but kills it and fails the test, naming `what`, when it has
/// not finished within `limit`.
pub fn wait_output_within(mut child: Child, what: &str, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    // As wait_with_output does: the child sees the end of its input.
    drop(child.stdin.take());
    // Read both pipes meanwhile, so that a child never blocks on a full one.
    let (tx, rx) = mpsc::channel();
    let mut pipes = 0;
    if let Some(mut out) = child.stdout.take() {
        let tx = tx.clone();
        pipes += 1;
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut out, &mut buf);
            let _ = tx.send((true, buf));
        });
    }
    if let Some(mut err) = child.stderr.take() {
        pipes += 1;
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut err, &mut buf);
            let _ = tx.send((false, buf));
        });
    }
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what} did not finish within {limit:?}; it was killed");
            }
            Err(e) => panic!("cannot wait for {what}: {e}"),
        }
    };
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    for _ in 0..pipes {
        let left = deadline.saturating_duration_since(Instant::now());
        let (is_stdout, buf) = rx.recv_timeout(left).unwrap_or_else(|_| {
            panic!("{what} exited, but what it started still holds its output after {limit:?}")
        });
        if is_stdout {
            stdout = buf;
        } else {
            stderr = buf;
        }
    }
    Output {
        status,
        stdout,
        stderr,
    }
}
