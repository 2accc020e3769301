//! What ships: the install script's files and unit, and the README's busctl example.

use std::process::Command;

use crate::harness::{self, run_bounded, stderr, Harness, Options};

#[test]
fn busctl_example_from_the_readme_installs_in_simulation() {
    let h = Harness::start(Options::default());
    let script = harness::repo_root().join("docs/busctl-example.sh");
    let out = run_bounded(
        Command::new("bash")
            .arg(&script)
            .env("DBUS_SYSTEM_BUS_ADDRESS", &h.address),
    );
    assert!(
        out.status.success(),
        "busctl example failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["job"]["state"], "succeeded", "{status}");
    assert_eq!(status["configuration"]["hostname"], "busctl-box");
}

#[test]
fn install_script_puts_every_file_in_place_and_the_unit_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prefix = dir.path().join("usr");
    // The binaries this test was built with (also under CARGO_TARGET_DIR).
    let bindir = harness::bin_dir();
    let out = Command::new("sh")
        .arg(harness::repo_root().join("systemd/install.sh"))
        .args([
            "--prefix",
            prefix.to_str().expect("utf-8"),
            "--bindir",
            bindir.to_str().expect("utf-8"),
        ])
        .args(["--destdir", "", "--live"])
        .env("LEVITATE_INSTALL_NO_GROUP", "1")
        .output()
        .expect("install.sh");
    assert!(out.status.success(), "install.sh failed: {}", stderr(&out));
    for f in [
        "libexec/levitate-installerd",
        "bin/levitate-installctl",
        "bin/levitate-installer",
        "lib/systemd/system/levitate-installerd.service",
        "share/dbus-1/system-services/org.levitateos.Installer1.service",
        "share/dbus-1/system.d/org.levitateos.Installer1.conf",
        "share/polkit-1/actions/org.levitateos.installer.policy",
        "share/dbus-1/interfaces/org.levitateos.Installer1.xml",
        "share/levitate-installer/llm_server.py",
        "share/doc/levitate-installer/assistant.toml",
    ] {
        assert!(prefix.join(f).exists(), "{f} was not installed");
    }
    let unit = prefix.join("lib/systemd/system/levitate-installerd.service");
    let text = std::fs::read_to_string(&unit).expect("unit");
    assert!(text.contains(&format!(
        "ExecStart={}/libexec/levitate-installerd",
        prefix.display()
    )));
    assert!(text.contains("Type=dbus") && text.contains("BusName=org.levitateos.Installer1"));
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
        .expect("systemd-analyze");
    let complaints = String::from_utf8_lossy(&out.stderr);
    // systemd-analyze also reports on units it pulls in from this host; only ours matter.
    let ours: Vec<&str> = complaints
        .lines()
        .filter(|l| l.contains("levitate-installerd"))
        .collect();
    assert!(
        ours.is_empty(),
        "systemd-analyze verify complains: {ours:?}"
    );
    let activation = std::fs::read_to_string(
        prefix.join("share/dbus-1/system-services/org.levitateos.Installer1.service"),
    )
    .expect("activation");
    assert!(activation.contains("SystemdService=levitate-installerd.service"));
}

/// `scripts/try.sh` with `TRY_CLIENT` instead of the TUI, on this build's binaries, in a
/// process group of its own (as a terminal would run it). Returns the child and a channel
/// of its stderr lines.
fn start_try(client: &str) -> (TryRun, std::sync::mpsc::Receiver<String>) {
    use std::{io::BufRead, os::unix::process::CommandExt, process::Stdio};
    // SIGINT as a terminal leaves it: a test runner started in the background of a
    // non-interactive shell ignores it, and a shell cannot trap a signal ignored on entry.
    let mut child = Command::new("env")
        .args(["--default-signal=INT", "bash"])
        .arg(harness::repo_root().join("scripts/try.sh"))
        .args(["--size", "1G"])
        .env("TRY_BIN", harness::bin_dir())
        .env("TRY_CLIENT", client)
        .env_remove("DBUS_SYSTEM_BUS_ADDRESS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("scripts/try.sh");
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    (TryRun(child), rx)
}

/// try.sh, stopped with SIGTERM to its process group if a test fails while it runs: it
/// cleans up as on Ctrl-C.
struct TryRun(std::process::Child);

impl Drop for TryRun {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            if let Ok(pid) = i32::try_from(self.0.id()) {
                let _ = nix::sys::signal::killpg(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGTERM,
                );
            }
            let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
            while matches!(self.0.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    }
}

/// Waits for a stderr line of try.sh containing `what`; returns every line up to it.
fn wait_line(rx: &std::sync::mpsc::Receiver<String>, what: &str, seen: &mut Vec<String>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(2);
    while !seen.iter().any(|l| l.contains(what)) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(e) => panic!("try.sh never said {what:?} ({e}):\n{}", seen.join("\n")),
        }
    }
}

/// Everything try.sh made is gone: its directory (the image with it), every process naming
/// it (daemon, bus, client), every loop device backed by a file in it.
fn assert_try_left_nothing(seen: &[String]) {
    let work = seen
        .iter()
        .find_map(|l| l.strip_prefix("try.sh: working in "))
        .expect("the working directory")
        .to_owned();
    assert!(
        !std::path::Path::new(&work).exists(),
        "{work} is still there"
    );
    let loops = Command::new("losetup")
        .args(["--list", "--noheadings", "--output", "NAME,BACK-FILE"])
        .output()
        .expect("losetup");
    let loops = String::from_utf8_lossy(&loops.stdout).into_owned();
    assert!(
        !loops.contains(&work),
        "a loop device is still attached:\n{loops}"
    );
    let procs: Vec<String> = std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(&work))
        .collect();
    assert!(procs.is_empty(), "still running: {procs:?}");
    assert!(seen.iter().any(|l| l.contains("cleaned up")), "{seen:?}");
}

#[test]
fn try_script_runs_a_client_against_a_sandbox_with_the_model_and_leaves_nothing_behind() {
    harness::provisioned_manifest();
    // The client waits for the embedded model, then shows the status.
    let (mut run, rx) = start_try(
        r#"for _ in $(seq 600); do
               levitate-installctl --json status | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["assistant"]["state"] != "ready")' && break
               sleep 0.2
           done
           levitate-installctl --json status"#,
    );
    let deadline = std::time::Instant::now() + harness::CLIENT_LIMIT;
    let status = loop {
        if let Some(status) = run.0.try_wait().expect("try_wait") {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "try.sh did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut stdout = Vec::new();
    std::io::Read::read_to_end(run.0.stdout.as_mut().expect("stdout"), &mut stdout)
        .expect("stdout");
    let mut seen: Vec<String> = rx.try_iter().collect();
    wait_line(&rx, "cleaned up", &mut seen);
    assert!(status.success(), "{}", seen.join("\n"));
    let status: serde_json::Value = serde_json::from_slice(&stdout).expect("status JSON");
    assert_eq!(status["mode"], "sandbox", "{status}");
    assert_eq!(status["assistant"]["provider"], "embedded", "{status}");
    assert_eq!(status["assistant"]["state"], "ready", "{status}");
    assert_try_left_nothing(&seen);
}

#[test]
fn try_script_cleans_up_on_ctrl_c() {
    // A client this test can tell apart from every other process.
    let client = format!("sleep 600.{}", std::process::id());
    let (mut run, rx) = start_try(&client);
    let mut seen = Vec::new();
    wait_line(&rx, "ready in sandbox mode", &mut seen);
    // Ctrl-C: SIGINT to the whole foreground process group.
    let pgid = nix::unistd::Pid::from_raw(i32::try_from(run.0.id()).expect("pid"));
    nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGINT).expect("SIGINT");
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    let status = loop {
        if let Some(status) = run.0.try_wait().expect("try_wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            seen.extend(rx.try_iter());
            panic!("try.sh did not stop after Ctrl-C:\n{}", seen.join("\n"));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    wait_line(&rx, "cleaned up", &mut seen);
    assert_eq!(status.code(), Some(130), "{}", seen.join("\n"));
    assert_try_left_nothing(&seen);
    let left = Command::new("pgrep")
        .args(["-f", &format!("^{client}$")])
        .output()
        .expect("pgrep");
    assert!(
        String::from_utf8_lossy(&left.stdout).trim().is_empty(),
        "the client outlived try.sh"
    );
}
