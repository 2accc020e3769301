//! The TUI in a real terminal (tmux), as the live session's user.

use std::{process::Command, time::Duration};

use crate::harness::{uid_gid, Harness, Options, LIVE_USER};

/// A tmux session running the TUI; killed on drop, also when the test fails.
struct Tmux {
    name: String,
}

impl Tmux {
    fn start(h: &Harness, user: &str) -> Self {
        // Unique per test too: tests of one process run side by side.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("levitate-tui-{}-{n}", std::process::id());
        let (uid, gid) = uid_gid(user);
        let inner = format!(
            "env DBUS_SYSTEM_BUS_ADDRESS={} TERM=xterm setpriv --reuid={uid} --regid={gid} --init-groups -- {}",
            h.address,
            h.tui.display()
        );
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                "100",
                "-y",
                "30",
                &inner,
            ])
            .status()
            .expect("tmux (installed by scripts/setup.sh)")
            .success();
        assert!(ok, "tmux could not start the TUI");
        // Keep the pane after the program exits, to see what it left on the terminal.
        let _ = Command::new("tmux")
            .args(["set-option", "-t", &name, "remain-on-exit", "on"])
            .status();
        Self { name }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.name.as_str()];
        args.extend_from_slice(keys);
        assert!(Command::new("tmux")
            .args(&args)
            .status()
            .expect("send-keys")
            .success());
    }

    fn type_line(&self, text: &str) {
        self.keys(&["-l", text]);
        self.keys(&["Enter"]);
    }

    /// Waits until the screen satisfies `ok`; fails with the screen.
    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool, secs: u64) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the screen never showed {what}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the screen shows `needle`; fails with the screen.
    fn wait_for(&self, needle: &str, secs: u64) -> String {
        self.wait_until(&format!("{needle:?}"), |s| s.contains(needle), secs)
    }
}

/// Whether the conversation shows the "..." of a request or job still under way: the row
/// right of the checklist's border that holds only it.
fn busy(screen: &str) -> bool {
    screen.lines().any(|l| {
        l.split("││")
            .nth(1)
            .is_some_and(|c| c.trim_end_matches([' ', '│']) == "...")
    })
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// Issue #14: `--help` started the TUI and unknown flags were ignored. Neither needs a
/// terminal or a daemon.
#[test]
fn the_tui_answers_help_and_version_and_refuses_unknown_flags() {
    let tui = crate::harness::bin_dir().join("levitate-installer");
    let run = |args: &[&str]| {
        crate::harness::run_bounded(
            Command::new(&tui)
                .args(args)
                .stdin(std::process::Stdio::null()),
        )
    };
    for flag in ["--help", "-h"] {
        let out = run(&[flag]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{flag}: {out:?}");
        assert!(
            stdout.contains("Usage: levitate-installer"),
            "{flag}: {stdout}"
        );
        assert!(stdout.contains("levitate-installctl"), "{flag}: {stdout}");
    }
    for flag in ["--version", "-V"] {
        let out = run(&[flag]);
        assert_eq!(out.status.code(), Some(0), "{flag}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("levitate-installer "));
    }
    for args in [&["--frobnicate"][..], &["extra"], &["--version", "--bogus"]] {
        let out = run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(stderr.contains("--help"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: {out:?}");
    }
}

#[test]
fn the_tui_drives_a_short_installation_in_a_real_terminal() {
    let mut h = Harness::start(Options {
        speed: 50.0,
        ..Options::default()
    });
    // The live session's user: polkit lets it do everything, as on the ISO.
    let t = Tmux::start(&h, LIVE_USER);
    t.wait_for("SIMULATED machine", 20);
    t.wait_for("Disk configuration", 5);
    t.type_line("list disks");
    t.wait_for("/dev/sdb: 1 TiB WD Blue", 20);
    t.type_line("use the whole ssd");
    // Wait for the content itself: tmux may capture a frame that is still being drawn.
    t.wait_for("DESTROYS: erases /dev/sda", 20);
    t.wait_for("Proceed? [y/n]", 5);
    // Issue #14: "yes" is one answer, not "y" and then "es" sent to the assistant.
    t.type_line("yes");
    t.wait_for("Done: All steps finished", 30);
    t.wait_for("[x] Disk configuration", 10);
    assert!(!t.screen().contains("> es"), "{}", t.screen());
    // Issue #14: a job that ends before the TUI's next read of it (this one takes a few
    // milliseconds, between two of the TUI's reads) is reported done, not left on "...".
    t.type_line("timezone berlin");
    t.wait_for("Proceed? [y/n]", 20);
    t.type_line("y");
    t.wait_for("[x] Configuration", 30);
    t.wait_until("the time zone job reported done", |s| !busy(s), 10);
    t.type_line("create user vince with sudo and set password");
    t.wait_for("Password for vince", 20);
    t.type_line("s3cret-pw");
    t.wait_for("Password for vince (again)", 10);
    t.type_line("s3cret-pw");
    let s = t.wait_for("Proceed? [y/n]", 10);
    assert!(!s.contains("s3cret-pw"), "the password is visible:\n{s}");
    assert!(!t.screen().contains("s3cret-pw"));
    t.type_line("y");
    let s = t.wait_for("[x] User setup", 30);
    assert!(!s.contains("s3cret-pw"), "{s}");
    t.wait_until("the user job reported done", |s| !busy(s), 10);
    // Up recalls requests, never the password.
    t.keys(&["Up"]);
    t.wait_for("> create user vince with sudo and set password", 5);
    t.keys(&["C-u"]);
    // The daemon agrees with the screen.
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["configuration"]["timezone"], "Europe/Berlin");
    assert_eq!(status["users"][0]["name"], "vince");
    assert_eq!(status["users"][0]["sudo"], true);
    assert_eq!(status["users"][0]["password_set"], true);
    assert_eq!(status["stages"][0]["state"], "done");
    // The daemon restarts (a service restart): the TUI says so, reconnects by itself, and
    // shows the new daemon's state (a simulated machine starts over).
    h.stop_daemon();
    t.wait_for("Lost the installer", 15);
    t.wait_for("NOT CONNECTED", 5);
    h.start_daemon();
    t.wait_for("Reconnected to the installer", 20);
    let s = t.wait_for("[ ] User setup", 10);
    assert!(!s.contains("NOT CONNECTED"), "{s}");
    t.type_line("list disks");
    t.wait_for("/dev/sdb: 1 TiB WD Blue", 20);
    // A restart in the middle of a job: the job dies with the daemon, and the TUI says so
    // after reconnecting instead of showing it running for ever.
    h.stop_daemon();
    t.wait_for("NOT CONNECTED", 15);
    h.start_daemon_with(&["--simulate-speed=0.1"]);
    t.wait_until("the reconnection", |s| !s.contains("NOT CONNECTED"), 20);
    t.type_line("use the whole ssd");
    t.wait_for("Proceed? [y/n]", 20);
    t.type_line("y");
    t.wait_for("[~]", 20);
    h.stop_daemon();
    t.wait_for("NOT CONNECTED", 15);
    h.start_daemon();
    t.wait_for("restarted while this job was running", 30);
    // Ctrl-C leaves, and the terminal is given back: the pane (kept by remain-on-exit)
    // shows the normal screen again, not the TUI's.
    t.keys(&["C-c"]);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let dead = Command::new("tmux")
            .args(["display-message", "-p", "-t", &t.name, "#{pane_dead}"])
            .output()
            .expect("tmux");
        if String::from_utf8_lossy(&dead.stdout).trim() == "1" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the TUI did not exit on Ctrl-C:\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let s = t.screen();
    assert!(
        !s.contains("Checklist") && !s.contains("Conversation"),
        "the TUI left its screen behind:\n{s}"
    );
}

/// Issue #12: the TUI follows the daemon's signals instead of reading every property four
/// times a second. Idle, it makes (almost) no calls; a change made by another client shows up
/// anyway, carried by `PropertiesChanged`.
#[test]
fn the_tui_follows_signals_instead_of_polling() {
    let h = Harness::start(Options::default());
    let t = Tmux::start(&h, LIVE_USER);
    t.wait_for("SIMULATED machine", 20);
    t.wait_for("Disk configuration", 5);
    // Every property read on the bus for three idle seconds (root may monitor the bus).
    let monitor = Command::new("dbus-monitor")
        .args([
            "--address",
            &h.address,
            "type='method_call',interface='org.freedesktop.DBus.Properties'",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("dbus-monitor (package dbus)");
    std::thread::sleep(Duration::from_secs(3));
    let watched = levitate_testkit::wait_output_within(
        {
            let mut m = monitor;
            let _ = m.kill();
            m
        },
        "dbus-monitor",
        Duration::from_secs(10),
    );
    let log = String::from_utf8_lossy(&watched.stdout);
    let reads = log
        .lines()
        .filter(|l| l.starts_with("method call") && l.contains("member=Get"))
        .count();
    // Polling every 250 ms read five properties per tick: about 60 in three seconds. The
    // safety re-read (every 5 s) may fall into the window once.
    assert!(
        reads <= 6,
        "the idle TUI read {reads} properties in 3 s:\n{log}"
    );
    // Another client changes the installation: the TUI's checklist follows.
    let plan = h.ctl_json(
        None,
        &[
            "propose",
            r#"{"action":"set_timezone","zone":"Europe/Berlin"}"#,
        ],
    );
    let out = h.ctl(
        None,
        &[
            "plan",
            "confirm",
            "--watch",
            plan["path"].as_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    t.wait_for("[x] Configuration", 10);
}
