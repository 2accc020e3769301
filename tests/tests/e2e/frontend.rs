//! `examples/gnome-frontend.py`, a frontend written with `GDBus` from `PyGObject` the way a
//! GNOME one would be, driven against the daemon (simulate mode) on the real system-policy
//! bus with the real polkitd, as real unprivileged users. It converses, shows the plan, hands
//! over a secret from its stdin, confirms, and follows the job through signals alone.

use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Output, Stdio},
};

use levitate_testkit::{require_tool, wait_output_within};

use crate::harness::{
    admin_password, code, repo_root, Harness, Options, CLIENT_LIMIT, LIVE_USER, PLAIN_USER,
};

/// Debian's Python with `python3-gi` (installed by `scripts/setup.sh`), not a virtualenv's.
const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// The example copied where an unprivileged user can read it.
fn frontend(h: &Harness) -> PathBuf {
    require_tool(&[SYSTEM_PYTHON]);
    let probe = std::process::Command::new(SYSTEM_PYTHON)
        .args(["-c", "import gi; gi.require_version('Gio', '2.0')"])
        .output()
        .expect("run python3");
    assert!(
        probe.status.success(),
        "python3-gi is missing (scripts/setup.sh installs it): {}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let dst = h.dir.path().join("gnome-frontend.py");
    fs::copy(repo_root().join("examples/gnome-frontend.py"), &dst).expect("copy the example");
    fs::set_permissions(&dst, fs::Permissions::from_mode(0o755)).expect("chmod");
    dst
}

/// Runs the frontend as `user` with `input` on its stdin; killed, and the test failed, after
/// the client limit.
fn run(h: &Harness, user: &str, args: &[&str], input: &[u8]) -> (Output, String) {
    let script = frontend(h);
    let mut all = vec![script.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    let mut cmd = h.command_as(Some(user), Path::new(SYSTEM_PYTHON), &all);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the frontend");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), input).expect("write stdin");
    let out = wait_output_within(child, &format!("{cmd:?}"), CLIENT_LIMIT);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("--- gnome-frontend.py as {user} ---\n{text}");
    (out, text)
}

#[test]
fn gnome_frontend_converses_confirms_and_follows_a_job_by_signals() {
    let h = Harness::start(Options::default());
    let secret = "Frontend-Secret-91";
    let (out, text) = run(
        &h,
        LIVE_USER,
        &[
            "--yes",
            "use the whole hdd, ext4",
            "create user anna with sudo and set password",
        ],
        format!("{secret}\n").as_bytes(),
    );
    assert_eq!(code(&out), 0, "the frontend failed:\n{text}");
    // It saw the plan before confirming: what it erases, the steps, who proposed it.
    assert!(text.contains("ERASES: "), "no Destroys shown:\n{text}");
    assert!(text.contains("/dev/sdb"), "the disk is not named:\n{text}");
    assert!(text.contains("needs polkit org.levitateos.installer.erase-disk"));
    // It was asked for the password and handed it over: the second job ran.
    assert!(text.contains("Password for anna"), "{text}");
    assert_eq!(
        text.matches("job succeeded").count(),
        2,
        "both jobs must be followed to the end through signals:\n{text}"
    );
    assert!(
        text.contains("progress: "),
        "no progress from PropertiesChanged:\n{text}"
    );
    // The log lines came as `Job.Log` signals, with the operation ids.
    assert!(text.contains("log [disks.write-table]"), "{text}");
    assert!(text.contains("log [users.create]"), "{text}");
    // The secret went over the bus only as SetSecret's argument.
    assert!(!text.contains(secret), "the frontend printed the secret");
    assert!(!h.log().contains(secret), "the daemon logged the secret");
    // The daemon did what the frontend confirmed.
    let status = h.ctl_json(None, &["status"]);
    let users = status["users"].as_array().expect("users");
    assert!(
        users
            .iter()
            .any(|u| u["name"] == "anna" && u["password_set"] == true),
        "{status}"
    );
}

#[test]
fn gnome_frontend_meets_interactive_authorization_required() {
    let h = Harness::start(Options::default());
    // A plain user needs an administrator for `configure`: polkit would ask. Without the
    // interactive flag the daemon says InteractiveAuthorizationRequired, and the frontend,
    // told never to interact, stops there.
    let (out, text) = run(
        &h,
        PLAIN_USER,
        &["--yes", "--never-interact", "hostname atlas"],
        b"",
    );
    assert_eq!(code(&out), 3, "{text}");
    assert!(
        text.contains("confirming the plan needs authentication"),
        "{text}"
    );
    assert!(
        text.contains("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"),
        "{text}"
    );
    // Retrying with the flag reaches polkit's dialog; no agent answers for this user here,
    // so polkit says no: NotAuthorized, and nothing ran.
    let (out, text) = run(&h, PLAIN_USER, &["--yes", "hostname atlas"], b"");
    assert_eq!(code(&out), 3, "{text}");
    assert!(
        text.contains("asking polkit's agent for a password"),
        "{text}"
    );
    assert!(
        text.contains("org.levitateos.Installer1.Error.NotAuthorized"),
        "{text}"
    );
    let status = h.ctl_json(None, &["status"]);
    assert!(status["job"].is_null(), "a job ran: {status}");
    // With polkit's agent for the frontend's process (what a desktop session provides):
    // the retry with the flag shows the dialog, the administrator answers, the job runs.
    let script = frontend(&h);
    let (client, mut agent) = h.spawn_with_agent(
        PLAIN_USER,
        Path::new(SYSTEM_PYTHON),
        &[script.to_str().expect("utf-8"), "--yes", "hostname atlas"],
    );
    assert!(
        agent.wait_for("Password:", 1, std::time::Duration::from_mins(1)),
        "the agent was not asked: {}\n{}",
        agent.output(),
        h.log()
    );
    assert!(
        agent
            .output()
            .contains("AUTHENTICATING FOR org.levitateos.installer.configure"),
        "{}",
        agent.output()
    );
    agent.type_line(&admin_password());
    let out = wait_output_within(client, "gnome-frontend.py with an agent", CLIENT_LIMIT);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("--- gnome-frontend.py with an agent ---\n{text}");
    assert_eq!(code(&out), 0, "{text}\nagent: {}", agent.output());
    assert!(
        text.contains("InteractiveAuthorizationRequired") || text.contains("needs authentication"),
        "{text}"
    );
    assert!(text.contains("job succeeded"), "{text}");
    // Asked once, for the one plan.
    assert_eq!(
        agent.output().matches("Password:").count(),
        1,
        "{}",
        agent.output()
    );
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["configuration"]["hostname"], "atlas", "{status}");
}

#[test]
fn gnome_frontend_shows_what_failed_from_the_error_name_and_step_results() {
    let h = Harness::start(Options {
        failure: Some("make_fs"),
        ..Options::default()
    });
    let (out, text) = run(&h, LIVE_USER, &["--yes", "use the whole hdd, ext4"], b"");
    assert_eq!(code(&out), 1, "{text}");
    assert!(text.contains("job failed: "), "{text}");
    // Read from signals alone: `ErrorName` and the failed step's own result.
    assert!(
        text.contains("error name: org.levitateos.Installer1.Error.Failed"),
        "{text}"
    );
    assert!(
        text.contains("failed step disks.format: org.levitateos.Installer1.Error.Failed: "),
        "{text}"
    );
}
