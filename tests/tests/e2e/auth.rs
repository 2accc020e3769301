//! Who may do what: polkit's answers for unprivileged and live-session users, the bus
//! policy on the daemon's name, polkitd unreachable, and the installed polkit actions;
//! interactive authorization with a real authentication agent, its cancellation, plan
//! ownership and per-user limits.

use std::{path::Path, time::Duration};

use futures_util::StreamExt as _;
use levitate_testkit::wait_output_within;

use crate::harness::{
    admin_password, code, run_bounded, stderr, uid_gid, Harness, Options, ADMIN_USER, CLIENT_LIMIT,
    LIVE_USER, LIVE_USER2, PLAIN_USER,
};

const IAR: &str = "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired";

/// `gdbus call` of a plan method as `user`: `GDBus` sets `ALLOW_INTERACTIVE_AUTHORIZATION` only
/// with `--interactive`, and prints the error's D-Bus name.
fn gdbus_plan(
    h: &Harness,
    user: &str,
    plan: &str,
    method: &str,
    args: &[&str],
) -> std::process::Output {
    let method = format!("org.levitateos.Installer1.Plan.{method}");
    let mut all = vec![
        "call",
        "--system",
        "--dest",
        levitate_dbus::BUS_NAME,
        "--object-path",
        plan,
        "--method",
        &method,
    ];
    all.extend_from_slice(args);
    run_bounded(&mut h.command_as(Some(user), Path::new("gdbus"), &all))
}

/// A property of an object, as `busctl` prints it (`u 999`, `o "/"`).
fn property(h: &Harness, path: &str, iface: &str, name: &str) -> String {
    let out = run_bounded(&mut h.command_as(
        None,
        Path::new("busctl"),
        &[
            &format!("--address={}", h.address),
            "get-property",
            levitate_dbus::BUS_NAME,
            path,
            iface,
            name,
        ],
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn plan_path(plan: &serde_json::Value) -> String {
    plan["path"].as_str().expect("path").to_owned()
}

/// Whether an object is on the bus.
fn exists(h: &Harness, path: &str) -> bool {
    let out = run_bounded(&mut h.command_as(
        None,
        Path::new("busctl"),
        &[
            &format!("--address={}", h.address),
            "introspect",
            "--xml-interface",
            levitate_dbus::BUS_NAME,
            path,
        ],
    ));
    String::from_utf8_lossy(&out.stdout).contains("org.levitateos.Installer1.")
}

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
        (
            "org.levitateos.installer.manage-others",
            "auth_admin",
            "auth_admin",
        ),
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

/// The issue's first point: without the message flag, a check that needs authentication
/// answers `InteractiveAuthorizationRequired` (the freedesktop name), also with the flag
/// when `auth.no_user_interaction` forbids it; with the flag and no agent, `NotAuthorized`;
/// with the flag (or `auth.allow_user_interaction`) and a real agent, polkit asks it once,
/// shows what is at stake (`polkit.message`: disk, model, size), and the plan runs. The
/// proposer's `SetSecret` asks nothing: the one prompt is at `Confirm`.
#[test]
fn interactive_authorization_is_asked_for_once_with_what_is_at_stake() {
    require_gdbus();
    let h = Harness::start(Options::default());
    let plan = h.ctl_json(
        Some(PLAIN_USER),
        &[
            "propose",
            r#"[{"action":"partition","disk":"/dev/sdb"},{"action":"create_user","name":"ann"},{"action":"set_password","user":"ann"}]"#,
        ],
    );
    let path = plan_path(&plan);
    assert_eq!(plan["authorization"], "org.levitateos.installer.erase-disk");
    // The proposer hands the secret over without any authorization (no agent runs here).
    let out = h.ctl_with_input(
        Some(PLAIN_USER),
        &["plan", "secret", "password:ann", &path],
        b"correct horse",
    );
    assert_eq!(code(&out), 0, "SetSecret asked polkit: {}", stderr(&out));

    // No flag: GDBus without --interactive.
    let out = gdbus_plan(&h, PLAIN_USER, &path, "Confirm", &["@a{sv} {}"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(IAR), "{}", stderr(&out));
    // The flag, but the option forbids interaction: still IAR, decoded by the CLI.
    let out = h.ctl(
        Some(PLAIN_USER),
        &["--json", "--no-interaction", "plan", "confirm", &path],
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        err["error"]["name"], "InteractiveAuthorizationRequired",
        "{err}"
    );
    // The flag (every proxy call of the CLI sets it) and no agent: polkit cannot ask.
    let out = h.ctl(Some(PLAIN_USER), &["--json", "plan", "confirm", &path]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let err: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(err["error"]["name"], "NotAuthorized", "{err}");
    assert_eq!(
        h.ctl_json(None, &["plan", "show", &path])["state"],
        "pending"
    );

    // The flag and an agent: the administrator's password, asked once.
    let (client, mut agent) = h.spawn_with_agent(
        PLAIN_USER,
        &h.ctl,
        &["--json", "plan", "confirm", "--watch", &path],
    );
    assert!(
        agent.wait_for("Password:", 1, Duration::from_secs(30)),
        "the agent was not asked: {}\n{}",
        agent.output(),
        h.log()
    );
    let shown = agent.output();
    assert!(
        shown.contains("AUTHENTICATING FOR org.levitateos.installer.erase-disk"),
        "{shown}"
    );
    assert!(
        shown.contains("Authentication is required to erase data on a disk: this plan erases /dev/sdb (WD Blue, 1 TiB)"),
        "polkit.message did not reach the agent: {shown}"
    );
    assert!(
        shown.contains(&format!("Authenticating as: {ADMIN_USER}")),
        "{shown}"
    );
    agent.type_line(&admin_password());
    let out = wait_output_within(client, "levitate-installctl plan confirm", CLIENT_LIMIT);
    assert_eq!(
        code(&out),
        0,
        "confirm failed after authenticating: {}{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out),
        agent.output()
    );
    assert_eq!(
        agent.output().matches("AUTHENTICATING FOR").count(),
        1,
        "asked more than once: {}",
        agent.output()
    );
    assert_eq!(
        h.ctl_json(None, &["plan", "show", &path])["state"],
        "confirmed"
    );

    // `auth.allow_user_interaction` without the flag is interactive too (configure is
    // auth_admin for a user outside any session).
    let plan = h.ctl_json(
        Some(PLAIN_USER),
        &["propose", r#"{"action":"set_hostname","name":"box"}"#],
    );
    let path = plan_path(&plan);
    let method = "org.levitateos.Installer1.Plan.Confirm".to_owned();
    let (client, mut agent) = h.spawn_with_agent(
        PLAIN_USER,
        Path::new("gdbus"),
        &[
            "call",
            "--system",
            "--dest",
            levitate_dbus::BUS_NAME,
            "--object-path",
            &path,
            "--method",
            &method,
            "{'auth.allow_user_interaction': <true>}",
        ],
    );
    assert!(
        agent.wait_for("Password:", 1, Duration::from_secs(30)),
        "the option did not make the check interactive: {}",
        agent.output()
    );
    assert!(
        agent
            .output()
            .contains("Authentication is required to configure the system being installed"),
        "{}",
        agent.output()
    );
    agent.type_line(&admin_password());
    let out = wait_output_within(client, "gdbus call Confirm", CLIENT_LIMIT);
    assert!(out.status.success(), "{}\n{}", stderr(&out), agent.output());
    assert!(String::from_utf8_lossy(&out.stdout).contains("/org/levitateos/Installer1/Job/"));
}

/// The issue's third point: a caller that leaves while polkit waits for a password has
/// its check cancelled (`CancelCheckAuthorization`), and the plan does not start, even
/// when the password is typed afterwards.
#[test]
fn the_check_is_cancelled_when_the_caller_leaves_and_nothing_starts() {
    let h = Harness::start(Options::default());
    let plan = h.ctl_json(
        Some(PLAIN_USER),
        &["propose", r#"{"action":"partition","disk":"/dev/sdb"}"#],
    );
    let path = plan_path(&plan);
    let (mut client, mut agent) =
        h.spawn_with_agent(PLAIN_USER, &h.ctl, &["plan", "confirm", &path]);
    assert!(
        agent.wait_for("Password:", 1, Duration::from_secs(30)),
        "the agent was not asked: {}",
        agent.output()
    );
    // The client gives up (a timeout, Ctrl-C): its connection closes.
    client.kill().expect("kill the client");
    let _ = client.wait();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !h.log().contains("authorization check cancelled") && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    // Typing the password afterwards starts nothing: polkit cancelled the dialog (the
    // agent, blocked reading the terminal, says so once it has read the line).
    agent.type_line(&admin_password());
    assert!(
        agent.wait_for("Cancelled", 1, Duration::from_secs(10)),
        "polkit did not cancel the dialog: {}",
        agent.output()
    );
    std::thread::sleep(Duration::from_secs(3));
    assert!(
        !h.log().contains("job started"),
        "a job started:\n{}",
        h.log()
    );
    assert!(
        h.log().contains("authorization check cancelled"),
        "the daemon did not cancel the check:\n{}",
        h.log()
    );
    assert_eq!(
        h.ctl_json(None, &["plan", "show", &path])["state"],
        "pending"
    );
    let status = h.ctl_json(None, &["status"]);
    assert!(status["job"].is_null(), "a job ran: {status}");
}

/// `Plan.Proposer` and `Plan.Session`: who proposed it, and the session whose `Say` did
/// (`/` for `Manager.Propose`).
#[test]
fn plans_name_their_proposer_and_session() {
    let h = Harness::start(Options::default());
    let (uid, _) = uid_gid(LIVE_USER);
    let plan = h.ctl_json(
        Some(LIVE_USER),
        &["propose", r#"{"action":"set_hostname","name":"box"}"#],
    );
    let path = plan_path(&plan);
    let iface = levitate_dbus::PLAN_INTERFACE;
    assert_eq!(property(&h, &path, iface, "Proposer"), format!("u {uid}"));
    assert_eq!(property(&h, &path, iface, "Session"), r#"o "/""#);
    let said = h.ctl_json(Some(LIVE_USER), &["say", "set the hostname to box"]);
    let session = said["session"].as_str().expect("session");
    let plan = said["plan"].as_str().expect("a plan from say");
    assert_eq!(property(&h, plan, iface, "Proposer"), format!("u {uid}"));
    assert_eq!(
        property(&h, plan, iface, "Session"),
        format!(r#"o "{session}""#)
    );
}

/// The issue's fifth point: two members of the live group, both trusted by the live rule,
/// cannot hand a secret to, confirm or reject each other's plans (that needs
/// manage-others, which the rule does not grant); the proposer can; root can.
#[test]
fn another_live_user_cannot_touch_someone_elses_plan() {
    let h = Harness::start(Options::default());
    let plan = h.ctl_json(
        Some(LIVE_USER),
        &[
            "propose",
            r#"[{"action":"create_user","name":"ann"},{"action":"set_password","user":"ann"}]"#,
        ],
    );
    let path = plan_path(&plan);
    let out = h.ctl_with_input(
        Some(LIVE_USER2),
        &["plan", "secret", "password:ann", &path],
        b"evil",
    );
    assert_eq!(code(&out), 3, "SetSecret by another: {}", stderr(&out));
    for verb in ["confirm", "reject"] {
        let out = h.ctl(Some(LIVE_USER2), &["--json", "plan", verb, &path]);
        assert_eq!(code(&out), 3, "{verb} by another: {}", stderr(&out));
        let err: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert!(
            err["error"]["message"]
                .as_str()
                .expect("message")
                .contains("org.levitateos.installer.manage-others"),
            "{err}"
        );
    }
    let shown = h.ctl_json(None, &["plan", "show", &path]);
    assert_eq!(shown["state"], "pending");
    assert_eq!(shown["secrets"][0]["provided"], false, "{shown}");
    // The proposer may.
    let out = h.ctl_with_input(
        Some(LIVE_USER),
        &["plan", "secret", "password:ann", &path],
        b"correct horse",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = h.ctl(Some(LIVE_USER), &["plan", "confirm", "--watch", &path]);
    assert_eq!(code(&out), 0, "the proposer was refused: {}", stderr(&out));
    // Root may act on anyone's plan.
    let other = h.ctl_json(
        Some(LIVE_USER2),
        &["propose", r#"{"action":"set_hostname","name":"theirs"}"#],
    );
    let out = h.ctl(None, &["plan", "reject", &plan_path(&other)]);
    assert_eq!(code(&out), 0, "root was refused: {}", stderr(&out));
}

/// The issue's sixth point: limits are per user. One user filling its quota of pending
/// plans gets `Busy` and evicts nobody else's plan; a rejected plan of its own makes room.
#[test]
fn one_users_full_quota_evicts_no_one_elses_plan() {
    let h = Harness::start(Options::default());
    let theirs = plan_path(&h.ctl_json(
        Some(LIVE_USER2),
        &["propose", r#"{"action":"set_hostname","name":"theirs"}"#],
    ));
    let mut mine = Vec::new();
    for i in 0..16 {
        let name = format!("box{i}");
        let actions = format!(r#"{{"action":"set_hostname","name":"{name}"}}"#);
        mine.push(plan_path(
            &h.ctl_json(Some(LIVE_USER), &["propose", &actions]),
        ));
    }
    let out = h.ctl(
        Some(LIVE_USER),
        &[
            "--json",
            "propose",
            r#"{"action":"set_hostname","name":"more"}"#,
        ],
    );
    assert_eq!(code(&out), 6, "a 17th pending plan: {}", stderr(&out));
    let err: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(err["error"]["name"], "Busy", "{err}");
    assert_eq!(
        h.ctl_json(None, &["plan", "show", &theirs])["state"],
        "pending"
    );
    assert!(mine.iter().all(|p| exists(&h, p)));
    // Rejecting one of its own makes room, by removing that one.
    let out = h.ctl(Some(LIVE_USER), &["plan", "reject", &mine[3]]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    h.ctl_json(
        Some(LIVE_USER),
        &["propose", r#"{"action":"set_hostname","name":"more"}"#],
    );
    assert!(!exists(&h, &mine[3]), "the rejected plan stayed");
    assert!(exists(&h, &theirs), "another user's plan was evicted");
    assert!(exists(&h, &mine[0]));
}

/// The issue's last point: a session closes when the client that opened it leaves the
/// bus; one opened with `session.keep` stays (the CLI's `say` keeps its session, so
/// `--session` continues it from another process).
#[test]
fn a_session_closes_with_its_client_unless_kept() {
    let h = Harness::start(Options::default());
    let said = h.ctl_json(Some(LIVE_USER), &["say", "set the hostname to box"]);
    let kept = said["session"].as_str().expect("session").to_owned();
    let n = kept.rsplit('/').next().expect("number");
    let again = h.ctl_json(
        Some(LIVE_USER),
        &["say", "--session", n, "set the hostname to other"],
    );
    assert_eq!(again["session"], kept.as_str(), "{again}");
    crate::harness::with_timeout(60, async {
        let conn = h.connect().await;
        let m = levitate_dbus::ManagerProxy::new(&conn)
            .await
            .expect("manager");
        let fleeting = m
            .open_session(std::collections::HashMap::new())
            .await
            .expect("open");
        let mut keep = std::collections::HashMap::new();
        keep.insert(levitate_dbus::options::SESSION_KEEP, true.into());
        let held = m.open_session(keep).await.expect("open kept");
        assert!(exists(&h, fleeting.as_str()) && exists(&h, held.as_str()));
        // Watch from another connection while this one leaves.
        let watcher = h.connect().await;
        let om = zbus::fdo::ObjectManagerProxy::builder(&watcher)
            .destination(levitate_dbus::BUS_NAME)
            .expect("dest")
            .path(levitate_dbus::ROOT_PATH)
            .expect("path")
            .build()
            .await
            .expect("object manager");
        let mut removed = om.receive_interfaces_removed().await.expect("subscribe");
        drop(m);
        conn.close().await.expect("close");
        let gone = tokio::time::timeout(Duration::from_secs(20), removed.next())
            .await
            .expect("no InterfacesRemoved after the client left")
            .expect("signal");
        assert_eq!(
            gone.args().expect("args").object_path().as_str(),
            fleeting.as_str()
        );
        assert!(!exists(&h, fleeting.as_str()), "the session stayed");
        assert!(exists(&h, held.as_str()), "the kept session was closed");
    });
    assert!(exists(&h, &kept), "the CLI's session was closed");
}

fn require_gdbus() {
    levitate_testkit::require_tool(&["gdbus"]);
}
