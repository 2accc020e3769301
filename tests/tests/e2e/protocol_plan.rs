//! What a plan tells a frontend beyond its sentences, over the real bus (issue #12): the
//! details of what it destroys and warns about (stable ids and parameters), its locale,
//! `Stale` once a job changed the disks (with `PropertiesChanged` and
//! `Manager.DisksChanged`), the options every method checks by name
//! (`Manager.SupportedOptions`), and the choices a question offers.

use std::{collections::HashMap, path::Path, time::Duration};

use futures_util::StreamExt;
use levitate_dbus::{options, Action, Error};
use zbus::zvariant::Value;

use crate::{
    harness::{self, stderr, with_timeout, Harness, Options, PLAIN_USER},
    job_proxy, manager, opts, plan_proxy, wait_finished, wire,
};

/// How long a signal may take to arrive after what caused it.
const SIGNAL_WAIT: Duration = Duration::from_secs(20);

#[test]
fn a_job_that_changes_the_disks_makes_other_plans_stale_and_says_so() {
    let h = Harness::start(Options::default());
    with_timeout(120, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let b = m
            .propose(wire(r#"{"action":"partition","disk":"/dev/sdb"}"#), opts())
            .await
            .expect("plan b");
        let a = m
            .propose(wire(r#"{"action":"partition","disk":"/dev/sda"}"#), opts())
            .await
            .expect("plan a");
        let pb = plan_proxy(&conn, b.clone()).await;
        assert!(
            !pb.stale().await.expect("stale"),
            "a fresh plan is not stale"
        );

        // Subscribed before the job, so nothing is missed.
        let mut disks_changed = m.receive_disks_changed().await.expect("DisksChanged");
        let props = zbus::fdo::PropertiesProxy::builder(&conn)
            .destination(levitate_dbus::BUS_NAME)
            .expect("destination")
            .path(b.clone())
            .expect("path")
            .build()
            .await
            .expect("properties proxy");
        let mut b_changed = props
            .receive_properties_changed()
            .await
            .expect("PropertiesChanged");

        let job = plan_proxy(&conn, a)
            .await
            .confirm(opts())
            .await
            .expect("confirm a");
        assert_eq!(
            wait_finished(&job_proxy(&conn, job).await).await,
            "succeeded"
        );

        // Plan B's Stale became true, signalled with its value.
        let stale_signal = tokio::time::timeout(SIGNAL_WAIT, async {
            while let Some(signal) = b_changed.next().await {
                let args = signal.args().expect("args");
                if args.interface_name.as_str() != levitate_dbus::PLAN_INTERFACE {
                    continue;
                }
                if let Some(v) = args.changed_properties.get("Stale") {
                    return v.clone().try_into().ok();
                }
            }
            None
        })
        .await
        .expect("no PropertiesChanged for Stale in time");
        assert_eq!(stale_signal, Some(true));
        assert!(pb.stale().await.expect("stale"), "plan b is stale");
        tokio::time::timeout(SIGNAL_WAIT, disks_changed.next())
            .await
            .expect("no DisksChanged in time")
            .expect("DisksChanged stream");
        // Stale says what Confirm would answer.
        assert!(matches!(
            pb.confirm(opts()).await.map_err(Error::from),
            Err(Error::PlanStale(_))
        ));

        // A plan made now is fresh.
        let c = m
            .propose(wire(r#"{"action":"partition","disk":"/dev/sdb"}"#), opts())
            .await
            .expect("plan c");
        assert!(!plan_proxy(&conn, c).await.stale().await.expect("stale"));
    });
}

/// `busctl` as the plain user, with `args` after `--system`.
fn busctl(h: &Harness, args: &[&str]) -> std::process::Output {
    harness::run_bounded(&mut h.command_as(Some(PLAIN_USER), Path::new("busctl"), args))
}

#[test]
fn options_are_checked_by_name_in_every_method_and_listed() {
    let h = Harness::start(Options::default());
    with_timeout(120, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let supported = m.supported_options().await.expect("SupportedOptions");
        let listed: Vec<(&str, &str)> = supported
            .iter()
            .map(|o| (o.key.as_str(), o.signature.as_str()))
            .collect();
        assert_eq!(
            listed,
            [
                (options::NO_USER_INTERACTION, "b"),
                (options::ALLOW_USER_INTERACTION, "b"),
                (options::LOCALE, "s"),
                (options::SESSION_KEEP, "b"),
            ]
        );
        assert!(supported.iter().all(|o| !o.description.is_empty()));

        // Every listed key is accepted, with its type, by a method that takes it.
        let mut all: HashMap<&str, Value<'_>> = HashMap::new();
        all.insert(options::NO_USER_INTERACTION, Value::from(true));
        all.insert(options::ALLOW_USER_INTERACTION, Value::from(false));
        all.insert(options::LOCALE, Value::from("de_DE.UTF-8"));
        all.insert(options::SESSION_KEEP, Value::from(false));
        m.open_session(all).await.expect("every supported option");

        let refused = |r: zbus::Result<()>, key: &str| match r.map_err(Error::from) {
            Err(Error::InvalidArgument(msg)) => assert!(msg.contains(key), "{msg}"),
            other => panic!("expected InvalidArgument naming {key}, got {other:?}"),
        };
        let typo = || HashMap::from([("auth.no_user_interation", Value::from(true))]);
        let wrong_type = || HashMap::from([(options::NO_USER_INTERACTION, Value::from("yes"))]);
        refused(
            m.list_disks(typo()).await.map(drop),
            "auth.no_user_interation",
        );
        refused(
            m.propose(
                wire(r#"{"action":"set_hostname","name":"x"}"#),
                wrong_type(),
            )
            .await
            .map(drop),
            options::NO_USER_INTERACTION,
        );
        refused(
            m.propose(
                wire(r#"{"action":"set_hostname","name":"x"}"#),
                HashMap::from([(options::SESSION_KEEP, Value::from(true))]),
            )
            .await
            .map(drop),
            options::SESSION_KEEP,
        );
        refused(
            m.interpret("hostname box", typo()).await.map(drop),
            "auth.no_user_interation",
        );
        let plan = m
            .propose(wire(r#"{"action":"set_hostname","name":"x"}"#), opts())
            .await
            .expect("propose");
        let p = plan_proxy(&conn, plan.clone()).await;
        refused(p.confirm(typo()).await.map(drop), "auth.no_user_interation");
        refused(p.reject(wrong_type()).await, options::NO_USER_INTERACTION);
        refused(
            p.set_secret("luks", b"correct horse battery", typo()).await,
            "auth.no_user_interation",
        );
        // Nothing happened: the plan still waits.
        assert_eq!(p.state().await.expect("state"), "pending");
        let session = m.open_session(opts()).await.expect("session");
        let s = levitate_dbus::SessionProxy::builder(&conn)
            .path(session.clone())
            .expect("path")
            .build()
            .await
            .expect("session proxy");
        refused(
            s.say("hello", typo()).await.map(drop),
            "auth.no_user_interation",
        );
        refused(s.close(wrong_type()).await, options::NO_USER_INTERACTION);
        let job = p.confirm(opts()).await.expect("confirm");
        let j = job_proxy(&conn, job).await;
        refused(j.cancel(typo()).await, "auth.no_user_interation");
        wait_finished(&j).await;

        // The same through busctl, as an unprivileged user: the message names the key.
        // `Manager.ListDisks` with one option (key, signature, value).
        let list_disks_with = |key: &str, sig: &str, value: &str| {
            busctl(
                &h,
                &[
                    "--system",
                    "call",
                    levitate_dbus::BUS_NAME,
                    levitate_dbus::ROOT_PATH,
                    levitate_dbus::MANAGER_INTERFACE,
                    "ListDisks",
                    "a{sv}",
                    "1",
                    key,
                    sig,
                    value,
                ],
            )
        };
        let out = list_disks_with("auth.no_user_interation", "b", "true");
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("unknown option \"auth.no_user_interation\""),
            "{}",
            stderr(&out)
        );
        let out = list_disks_with(options::NO_USER_INTERACTION, "s", "yes");
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("must be of type b, not s"),
            "{}",
            stderr(&out)
        );
        let out = list_disks_with(options::NO_USER_INTERACTION, "b", "true");
        assert!(out.status.success(), "{}", stderr(&out));
    });
}

#[test]
fn destroys_and_warnings_come_with_ids_and_parameters_beside_the_text() {
    let h = Harness::start(Options {
        machine: "windows",
        ..Options::default()
    });
    with_timeout(60, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let locale = HashMap::from([(options::LOCALE, Value::from("de_DE.UTF-8"))]);
        let path = m
            .propose(
                wire(r#"{"action":"partition","disk":"/dev/nvme0n1"}"#),
                locale,
            )
            .await
            .expect("propose");
        let p = plan_proxy(&conn, path).await;
        // The locale was accepted; the texts are English and the plan says so.
        assert_eq!(p.locale().await.expect("Locale"), "en");

        let destroys = p.destroys().await.expect("Destroys");
        let details = p.destroy_details().await.expect("DestroyDetails");
        assert_eq!(details.len(), destroys.len());
        let erase = &details[0];
        assert_eq!(erase.id, "erase-disk");
        assert_eq!(erase.text, destroys[0]);
        let param = |k: &str| erase.params.get(k).map(String::as_str);
        assert_eq!(param("disk"), Some("/dev/nvme0n1"));
        assert_eq!(param("model"), Some("WD_BLACK SN850X"));
        assert_eq!(param("size"), Some("1099511627776"));
        assert_eq!(param("partitions"), Some("4"));

        let warnings = p.warnings().await.expect("Warnings");
        let details = p.warning_details().await.expect("WarningDetails");
        let texts: Vec<&str> = details.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, warnings, "index-aligned, the same texts");
        let windows = details
            .iter()
            .find(|d| d.id == "windows-erased")
            .unwrap_or_else(|| panic!("no windows-erased in {details:?}"));
        assert_eq!(
            windows.params.get("disk").map(String::as_str),
            Some("/dev/nvme0n1")
        );

        // A plan without a bootloader warns with an id and no parameters.
        let finish = m
            .propose(wire(r#"{"action":"finish"}"#), opts())
            .await
            .expect("finish");
        let details = plan_proxy(&conn, finish)
            .await
            .warning_details()
            .await
            .expect("WarningDetails");
        assert_eq!(details[0].id, "no-bootloader");
        assert!(details[0].params.is_empty());

        let bad = HashMap::from([(options::LOCALE, Value::from("de; rm -rf /"))]);
        assert!(matches!(
            m.propose(wire(r#"{"action":"finish"}"#), bad)
                .await
                .map_err(Error::from),
            Err(Error::InvalidArgument(m)) if m.contains("locale")
        ));
    });
}

#[test]
fn a_question_about_disks_offers_them_as_choices() {
    let h = Harness::start(Options::default());
    with_timeout(60, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let wire = m
            .interpret("use the drive", opts())
            .await
            .expect("interpret");
        let actions: Vec<Action> = wire
            .into_iter()
            .map(|w| Action::from_wire(w).expect("valid action"))
            .collect();
        match actions.as_slice() {
            [Action::Clarify { choices, .. }] => {
                assert_eq!(*choices, ["/dev/sda", "/dev/sdb"]);
            }
            other => panic!("expected one clarify, got {other:?}"),
        }
    });
    // The CLI passes them through in JSON and lists them for people.
    let json = h.ctl_json(Some(PLAIN_USER), &["interpret", "use the drive"]);
    assert_eq!(json[0]["action"], "clarify", "{json}");
    assert_eq!(
        json[0]["choices"],
        serde_json::json!(["/dev/sda", "/dev/sdb"]),
        "{json}"
    );
    let out = h.ctl(Some(PLAIN_USER), &["interpret", "use the drive"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("1) /dev/sda") && text.contains("2) /dev/sdb"),
        "{text}"
    );
    // A free question carries no choices, and the JSON has no field for them.
    let json = h.ctl_json(Some(PLAIN_USER), &["interpret", "set the hostname"]);
    assert_eq!(json[0]["action"], "clarify", "{json}");
    assert!(json[0].get("choices").is_none(), "{json}");
}
