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
