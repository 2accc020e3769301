//! Bad input gets typed errors and the daemon keeps serving; busy disks are refused; secrets
//! never show on the bus or in the log.

use std::collections::HashMap;

use levitate_dbus::{Action, Error, SessionProxy};
use zbus::zvariant::{OwnedValue, Value};

use crate::{
    bus_dump,
    harness::{code, run_bounded, stderr, with_timeout, Harness, Options, PLAIN_USER},
    job_proxy, manager, opts, plan_proxy, wait_finished, wire,
};

#[test]
fn bad_arguments_get_typed_errors_and_the_daemon_keeps_serving() {
    let mut h = Harness::start(Options::default());
    with_timeout(60, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let propose = |json: &'static str| {
            let m = m.clone();
            async move { m.propose(wire(json), opts()).await.map_err(Error::from) }
        };
        assert!(matches!(
            propose(r#"{"action":"partition","disk":"/dev/sdz"}"#).await,
            Err(Error::NoSuchDisk(_))
        ));
        assert!(matches!(
            m.disk_details("/dev/sdz", opts())
                .await
                .map_err(Error::from),
            Err(Error::NoSuchDisk(_))
        ));
        let d = m.disk_details("/dev/sda", opts()).await.expect("details");
        assert_eq!(
            u32::try_from(&d["logical_sector_size"]).expect("u"),
            512,
            "{d:?}"
        );
        assert!(matches!(propose(r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","size":"12 parsecs"}]}"#).await, Err(Error::InvalidArgument(_))));
        assert!(
            matches!(propose(r#"{"action":"partition","disk":"/dev/sda","scheme":[{"mount":"/","size":"900G"}]}"#).await, Err(Error::InvalidArgument(m)) if m.contains("not enough space"))
        );
        assert!(matches!(
            propose(r#"{"action":"set_timezone","zone":"Mars/Olympus"}"#).await,
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            propose(r#"{"action":"create_user","name":"root"}"#).await,
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            propose(r#"{"action":"set_password","user":"ghost"}"#).await,
            Err(Error::NotReady(_))
        ));
        assert!(matches!(
            propose(r#"{"action":"copy_system"}"#).await,
            Err(Error::NotReady(_))
        ));
        assert!(matches!(
            propose(r#"{"action":"list_disks"}"#).await,
            Err(Error::InvalidArgument(_))
        ));

        // Typed fields with the wrong type inside the a{sv}.
        let mut fields = HashMap::new();
        fields.insert("name".to_owned(), OwnedValue::from(7u32));
        let r = m
            .propose(vec![("set_hostname".to_owned(), fields)], opts())
            .await
            .map_err(Error::from);
        assert!(
            matches!(r, Err(Error::InvalidArgument(ref msg)) if msg.contains("type s")),
            "{r:?}"
        );
        let r = m
            .propose(
                vec![("format_everything".to_owned(), HashMap::new())],
                opts(),
            )
            .await
            .map_err(Error::from);
        assert!(matches!(r, Err(Error::InvalidArgument(_))), "{r:?}");
        let too_many: Vec<_> = (0..65)
            .map(|_| Action::SetHostname { name: "a".into() }.to_wire())
            .collect();
        assert!(matches!(
            m.propose(too_many, opts()).await.map_err(Error::from),
            Err(Error::InvalidArgument(_))
        ));

        // A megabyte-long host name.
        let mut fields = HashMap::new();
        fields.insert(
            "name".to_owned(),
            OwnedValue::try_from(Value::from("x".repeat(1 << 20))).expect("owned"),
        );
        let r = m
            .propose(vec![("set_hostname".to_owned(), fields)], opts())
            .await
            .map_err(Error::from);
        match r {
            Err(Error::InvalidArgument(msg)) => {
                assert!(msg.len() < 500, "the error echoes the huge input");
            }
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
        // Unknown secret ids and oversized secrets.
        let p = m.propose(wire(r#"[{"action":"create_user","name":"ann"},{"action":"set_password","user":"ann"}]"#), opts()).await.expect("propose");
        let plan = plan_proxy(&conn, p).await;
        assert!(matches!(
            plan.set_secret("luks", b"x", opts())
                .await
                .map_err(Error::from),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            plan.set_secret("password:ann", &[b'a'; 5000], opts())
                .await
                .map_err(Error::from),
            Err(Error::InvalidArgument(_))
        ));
        assert!(matches!(
            plan.set_secret("password:ann", b"two\nlines", opts())
                .await
                .map_err(Error::from),
            Err(Error::InvalidArgument(_))
        ));
        // Sessions belong to their owner.
        let s = m.open_session(opts()).await.expect("session");
        let sp = SessionProxy::builder(&conn)
            .path(s)
            .expect("path")
            .build()
            .await
            .expect("session proxy");
        assert_eq!(sp.owner().await.expect("owner"), 0);
        sp.close(opts()).await.expect("close");
    });
    // Wrong D-Bus signatures are refused by the bus layer with InvalidArgs.
    let out = run_bounded(&mut h.command_as(
        Some(PLAIN_USER),
        std::path::Path::new("busctl"),
        &[
            &format!("--address={}", h.address),
            "call",
            "org.levitateos.Installer1",
            "/org/levitateos/Installer1",
            "org.levitateos.Installer1.Manager",
            "ListDisks",
            "s",
            "oops",
        ],
    ));
    assert!(!out.status.success());
    assert!(
        stderr(&out).to_lowercase().contains("signature"),
        "{}",
        stderr(&out)
    );
    // Unknown objects.
    let out = h.ctl(None, &["plan", "show", "9999"]);
    assert_ne!(code(&out), 0);
    assert!(h.daemon_alive(), "the daemon died:\n{}", h.log());
    let disks = h.ctl_json(Some(PLAIN_USER), &["disks"]);
    assert_eq!(disks.as_array().expect("disks").len(), 2);
}

#[test]
fn mounted_and_swap_disks_are_refused_and_labels_are_cleaned() {
    let h = Harness::start(Options {
        machine: "mounted",
        ..Options::default()
    });
    for (disk, why) in [("/dev/sda", "mounted at /"), ("/dev/sdb", "active swap")] {
        let out = h.ctl(
            None,
            &[
                "--json",
                "propose",
                &format!(r#"{{"action":"partition","disk":"{disk}"}}"#),
            ],
        );
        assert_eq!(code(&out), 6, "{}", stderr(&out));
        let err: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(err["error"]["name"], "DeviceBusy");
        assert!(
            err["error"]["message"].as_str().expect("msg").contains(why),
            "{err}"
        );
    }
    let out = h.ctl(
        None,
        &[
            "--json",
            "propose",
            r#"{"action":"format","partition":"/dev/sda2","fs":"ext4"}"#,
        ],
    );
    assert_eq!(code(&out), 6, "{}", stderr(&out));
    let plan = h.ctl_json(
        None,
        &["propose", r#"{"action":"partition","disk":"/dev/sdc"}"#],
    );
    assert_eq!(plan["state"], "pending");
    let disks = h.ctl_json(None, &["disks"]);
    let model = disks[1]["model"].as_str().expect("model");
    assert!(
        !model.contains('\u{1b}'),
        "control characters reached the bus: {model:?}"
    );
}

#[test]
fn secrets_never_appear_in_logs_properties_or_plans() {
    const SECRET: &str = "Zq9-unique-secret-marker";
    let h = Harness::start(Options::default());
    with_timeout(60, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let p = m
            .propose(wire(r#"[{"action":"partition","disk":"/dev/sdb","scheme":[{"mount":"/","encrypt":true}]},{"action":"create_user","name":"vince"},{"action":"set_password","user":"vince"}]"#), opts())
            .await
            .expect("propose");
        let plan = plan_proxy(&conn, p.clone()).await;
        plan.set_secret("luks", SECRET.as_bytes(), opts())
            .await
            .expect("luks");
        plan.set_secret("password:vince", SECRET.as_bytes(), opts())
            .await
            .expect("password");
        let job = plan.confirm(opts()).await.expect("confirm");
        let job = job_proxy(&conn, job).await;
        assert_eq!(wait_finished(&job).await, "succeeded");
        // Every property of every object, as the bus shows them.
        let dump = bus_dump(&conn).await;
        assert!(
            dump.contains("password:vince"),
            "the dump should hold the plan objects"
        );
        assert!(!dump.contains(SECRET), "a secret is visible on the bus");
    });
    let log = h.log();
    assert!(
        log.contains("secret received"),
        "the daemon log should record the hand-over:\n{log}"
    );
    assert!(!log.contains(SECRET), "a secret reached the log");
}

/// Regression (#14, item 8): the CLI's errors as a person and a script meet them. An
/// unreachable bus exits 7 as documented (it exited 1); an unknown plan or job says "no
/// plan 999" and exits 4 (it printed a raw `org.freedesktop.DBus.Error.UnknownObject`); a
/// missing secret names the command that hands it over, not the D-Bus method; with `--json`
/// an error is printed once, as JSON on stdout (it came as JSON and as text).
#[test]
fn cli_errors_name_commands_and_objects_and_exit_as_documented() {
    let h = Harness::start(Options::default());

    let nobus = h.dir.path().join("no_bus_here");
    let out = run_bounded(
        std::process::Command::new(&h.ctl)
            .arg("status")
            .env(
                "DBUS_SYSTEM_BUS_ADDRESS",
                format!("unix:path={}", nobus.display()),
            )
            .stdin(std::process::Stdio::null()),
    );
    assert_eq!(code(&out), 7, "no bus: {}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be reached"),
        "{}",
        stderr(&out)
    );

    for (args, said) in [
        (&["plan", "show", "999"][..], "no plan 999"),
        (&["plan", "confirm", "999"], "no plan 999"),
        (&["watch", "999"], "no job 999"),
        (&["cancel", "999"], "no job 999"),
    ] {
        let out = h.ctl(None, args);
        let err = stderr(&out);
        assert_eq!(code(&out), 4, "{args:?}: {err}");
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(!err.contains("org.freedesktop"), "{args:?}: {err}");
    }

    let out = h.ctl(None, &["--json", "plan", "show", "999"]);
    assert_eq!(code(&out), 4);
    assert_eq!(
        stderr(&out),
        "",
        "with --json the error is printed once, as JSON"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON value ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(v["error"]["name"], "NoSuchObject", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("no plan 999"),
        "{v}"
    );

    h.ctl_json(
        None,
        &[
            "propose",
            r#"{"action":"partition","disk":"/dev/sdb","scheme":[{"mount":"/","encrypt":true}]}"#,
        ],
    );
    let out = h.ctl(None, &["plan", "confirm"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 4, "{err}");
    assert!(
        err.contains("levitate-installctl plan secret luks"),
        "{err}"
    );
    assert!(!err.contains("SetSecret"), "{err}");
}

/// Regression (#14, item 9): the daemon's log, written to a file, was full of ANSI colour
/// codes that a terminal would have drawn and a file only shows as `^[[2m`.
#[test]
fn a_daemon_log_in_a_file_has_no_colour_codes() {
    let h = Harness::start(Options::default());
    h.ctl_json(None, &["status"]);
    let log = h.log();
    assert!(log.contains("installer daemon ready"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in the log file:\n{log:?}"
    );
}
