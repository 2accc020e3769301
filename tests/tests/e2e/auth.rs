//! Who may do what: polkit's answers for unprivileged and live-session users, the bus
//! policy on the daemon's name, polkitd unreachable, and the installed polkit actions.

use crate::harness::{code, run_bounded, stderr, Harness, Options, LIVE_USER, PLAIN_USER};

#[test]
fn unprivileged_caller_is_refused_erase_and_configure() {
    let h = Harness::start(Options::default());
    // Reading and proposing are open to anyone (inspect, converse).
    let disks = h.ctl_json(Some(PLAIN_USER), &["disks"]);
    assert_eq!(disks.as_array().expect("disks").len(), 2);
    for (actions, polkit_action) in [
        (r#"{"action":"partition","disk":"/dev/sda"}"#, "erase-disk"),
        (r#"{"action":"set_hostname","name":"box"}"#, "configure"),
    ] {
        let plan = h.ctl_json(Some(PLAIN_USER), &["propose", actions]);
        let path = plan["path"].as_str().expect("path");
        let out = h.ctl(Some(PLAIN_USER), &["--json", "plan", "confirm", path]);
        assert_eq!(
            code(&out),
            3,
            "expected NotAuthorized for {polkit_action}: {}",
            stderr(&out)
        );
        let err: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json error");
        assert_eq!(err["error"]["name"], "NotAuthorized");
        assert!(err["error"]["message"]
            .as_str()
            .expect("msg")
            .contains(polkit_action));
        // The plan stays pending and nothing ran.
        let shown = h.ctl_json(None, &["plan", "show", path]);
        assert_eq!(shown["state"], "pending");
    }
    let status = h.ctl_json(None, &["status"]);
    assert!(status["job"].is_null(), "a job ran: {status}");
    // Secrets cannot be planted in someone else's plan either.
    let plan = h.ctl_json(
        None,
        &[
            "propose",
            r#"[{"action":"create_user","name":"ann"},{"action":"set_password","user":"ann"}]"#,
        ],
    );
    let path = plan["path"].as_str().expect("path");
    let out = h.ctl_with_input(
        Some(PLAIN_USER),
        &["plan", "secret", "password:ann", path],
        b"evil",
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn live_group_member_is_allowed_by_the_live_rule() {
    let h = Harness::start(Options::default());
    let plan = h.ctl_json(
        Some(LIVE_USER),
        &["propose", r#"{"action":"partition","disk":"/dev/sdb"}"#],
    );
    let out = h.ctl(
        Some(LIVE_USER),
        &[
            "plan",
            "confirm",
            "--watch",
            plan["path"].as_str().expect("path"),
        ],
    );
    assert_eq!(code(&out), 0, "the live user was refused: {}", stderr(&out));
}

#[test]
fn unprivileged_process_cannot_own_the_bus_name() {
    let mut h = Harness::start(Options::default());
    h.stop_daemon();
    let send = |user: Option<&str>| {
        run_bounded(&mut h.command_as(
            user,
            std::path::Path::new("dbus-send"),
            &[
                &format!("--bus={}", h.address),
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.RequestName",
                "string:org.levitateos.Installer1",
                "uint32:4",
            ],
        ))
    };
    let out = send(Some(PLAIN_USER));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("AccessDenied"), "{}", stderr(&out));
    // The policy is what refuses: root may own it.
    let out = send(None);
    assert!(
        out.status.success(),
        "root could not own the name: {}",
        stderr(&out)
    );
}

#[test]
fn polkit_unreachable_means_refused() {
    let mut h = Harness::start(Options::default());
    // With polkitd up, the live user is allowed (see the test above); without, refused.
    h.stop_polkit();
    let out = h.ctl(
        Some(LIVE_USER),
        &["propose", r#"{"action":"partition","disk":"/dev/sdb"}"#],
    );
    assert_eq!(
        code(&out),
        3,
        "converse must fail closed too: {}",
        stderr(&out)
    );
    let root_plan = h.ctl_json(
        None,
        &["propose", r#"{"action":"set_hostname","name":"box"}"#],
    );
    let out = h.ctl(
        Some(LIVE_USER),
        &["plan", "confirm", root_plan["path"].as_str().expect("path")],
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stderr(&out).contains("polkit"), "{}", stderr(&out));
    // Root does not depend on polkit.
    let out = h.ctl(
        None,
        &[
            "plan",
            "confirm",
            "--watch",
            root_plan["path"].as_str().expect("path"),
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn polkitd_knows_the_actions_with_their_defaults() {
    let h = Harness::start(Options::default());
    for (action, any, active) in [
        ("org.levitateos.installer.inspect", "yes", "yes"),
        ("org.levitateos.installer.converse", "yes", "yes"),
        ("org.levitateos.installer.configure", "auth_admin", "yes"),
        (
            "org.levitateos.installer.erase-disk",
            "auth_admin_keep",
            "auth_admin_keep",
        ),
        ("org.levitateos.installer.reboot", "auth_admin", "yes"),
    ] {
        let out = run_bounded(&mut h.command_as(
            None,
            std::path::Path::new("pkaction"),
            &["--verbose", "--action-id", action],
        ));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "polkitd does not know {action}: {}",
            stderr(&out)
        );
        assert!(
            text.contains(&format!("implicit any:      {any}\n")),
            "{action}: {text}"
        );
        assert!(
            text.contains(&format!("implicit active:   {active}\n")),
            "{action}: {text}"
        );
    }
}
