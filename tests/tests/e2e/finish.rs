//! Rebooting through logind: a stand-in `org.freedesktop.login1` on the test's private
//! system bus (the real logind would restart this machine), in real mode with a plan that
//! touches no disk.

use std::sync::{Arc, Mutex};

use crate::harness::{code, with_timeout, Harness, Options};

type Calls = Arc<Mutex<Vec<String>>>;

/// A current logind: `RebootWithFlags` exists.
struct Logind(Calls);

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl Logind {
    fn reboot_with_flags(&self, flags: u64) {
        self.0
            .lock()
            .expect("calls")
            .push(format!("RebootWithFlags({flags})"));
    }

    fn reboot(&self, interactive: bool) {
        self.0
            .lock()
            .expect("calls")
            .push(format!("Reboot({interactive})"));
    }
}

/// An older logind: only `Reboot`.
struct OldLogind(Calls);

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl OldLogind {
    fn reboot(&self, interactive: bool) {
        self.0
            .lock()
            .expect("calls")
            .push(format!("Reboot({interactive})"));
    }
}

/// Serves `iface` as logind on the test bus while the daemon reboots; returns the calls.
fn reboot_with<I: zbus::object_server::Interface>(iface: impl FnOnce(Calls) -> I) -> Vec<String> {
    let h = Harness::start(Options {
        real: true,
        ..Options::default()
    });
    let calls: Calls = Arc::default();
    let iface = iface(calls.clone());
    with_timeout(120, async {
        let conn = zbus::connection::Builder::address(h.address.as_str())
            .expect("address")
            .name("org.freedesktop.login1")
            .expect("name")
            .serve_at("/org/freedesktop/login1", iface)
            .expect("serve")
            .build()
            .await
            .expect("stand-in logind");
        let plan = h.ctl_json(None, &["propose", r#"{"action":"reboot"}"#]);
        assert_eq!(
            plan["authorization"], "org.levitateos.installer.reboot",
            "{plan}"
        );
        let out = h.ctl(None, &["plan", "confirm", "--watch"]);
        assert_eq!(
            code(&out),
            0,
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            h.log()
        );
        drop(conn);
    });
    let calls = calls.lock().expect("calls").clone();
    calls
}

#[test]
fn reboot_asks_logind_to_skip_inhibitors_and_falls_back_on_an_older_logind() {
    // SD_LOGIND_SKIP_INHIBITORS is 1 << 4.
    assert_eq!(reboot_with(Logind), ["RebootWithFlags(16)"]);
    assert_eq!(reboot_with(OldLogind), ["Reboot(false)"]);
}
