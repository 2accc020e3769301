//! What a job tells a frontend (API 1.1, issue #12): the error name and every step's result
//! with its stable operation id, whether `Progress` can be trusted, when the job started
//! and is expected to end, its log lines, the daemon's instance id, and the logind
//! inhibitor it holds while it runs. The inhibitor tests use a stand-in
//! `org.freedesktop.login1` on the test's private bus: the real logind cannot run on a
//! private bus (and would inhibit this machine).

use std::{
    collections::{HashMap, HashSet},
    io::Read,
    os::fd::OwnedFd,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures_util::StreamExt;
use levitate_dbus::{JobProxy, StepState, JOB_PATH_PREFIX};
use zbus::zvariant::OwnedValue;

use crate::{
    harness::{code, with_timeout, Harness, Options},
    job_proxy, manager, opts, plan_proxy, wait_finished, wire,
};

const FAILED: &str = "org.levitateos.Installer1.Error.Failed";
const CANCELLED: &str = "org.levitateos.Installer1.Error.Cancelled";
/// Partitioning, the copy and a setting after it: a job with a long step in the middle.
const INSTALL: &str = r#"[{"action":"partition","disk":"/dev/sda"},{"action":"copy_system"},
    {"action":"set_hostname","name":"box"}]"#;

fn now_us() -> u64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock");
    u64::try_from(since.as_micros()).expect("micros")
}

/// A signal of a job object, as a client saw it.
#[derive(Debug, Clone)]
enum Seen {
    Log(String, String),
    Changed(HashMap<String, OwnedValue>),
}

/// Every `Log` and `PropertiesChanged` signal of every job object, in the order sent,
/// from now on.
async fn watch_jobs(conn: &zbus::Connection) -> Arc<Mutex<Vec<Seen>>> {
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .path_namespace(JOB_PATH_PREFIX)
        .expect("namespace")
        .build();
    let mut stream = zbus::MessageStream::for_match_rule(rule, conn, Some(4096))
        .await
        .expect("match rule");
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let out = seen.clone();
    tokio::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            let header = msg.header();
            let event = match header.member().map(zbus::names::MemberName::as_str) {
                Some("Log") => {
                    let (op, line): (String, String) = msg.body().deserialize().expect("Log");
                    Seen::Log(op, line)
                }
                Some("PropertiesChanged") => {
                    let (_, changed, _): (String, HashMap<String, OwnedValue>, Vec<String>) =
                        msg.body().deserialize().expect("PropertiesChanged");
                    Seen::Changed(changed)
                }
                _ => continue,
            };
            out.lock().expect("seen").push(event);
        }
    });
    seen
}

fn logged(seen: &Arc<Mutex<Vec<Seen>>>) -> Vec<(String, String)> {
    seen.lock()
        .expect("seen")
        .iter()
        .filter_map(|s| match s {
            Seen::Log(op, line) => Some((op.clone(), line.clone())),
            Seen::Changed(_) => None,
        })
        .collect()
}

/// Every value a property took in `PropertiesChanged`, in order.
fn changes(seen: &Arc<Mutex<Vec<Seen>>>, property: &str) -> Vec<OwnedValue> {
    seen.lock()
        .expect("seen")
        .iter()
        .filter_map(|s| match s {
            Seen::Changed(c) => c.get(property).and_then(|v| v.try_clone().ok()),
            Seen::Log(..) => None,
        })
        .collect()
}

/// Waits until step `i` of the job runs (and the job reports how far it is).
async fn wait_running(job: &JobProxy<'_>, i: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let results = job.step_results().await.expect("step results");
        if results[i].state == StepState::Running
            && job.progress_valid().await.expect("valid")
            && job.expected_end_time().await.expect("expected") > 0
        {
            return;
        }
        assert_eq!(job.state().await.expect("state"), "running", "{results:?}");
        assert!(Instant::now() < deadline, "step {i} never ran: {results:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn a_job_tells_its_step_ids_times_progress_validity_and_log() {
    let h = Harness::start(Options {
        speed: 4.0,
        ..Options::default()
    });
    with_timeout(120, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let seen = watch_jobs(&conn).await;
        let plan = plan_proxy(
            &conn,
            m.propose(wire(INSTALL), opts()).await.expect("propose"),
        )
        .await;
        let ids = plan.step_ids().await.expect("step ids");
        let steps = plan.steps().await.expect("steps");
        assert_eq!(ids.len(), steps.len(), "{ids:?}");
        assert_eq!(ids[0], "disks.write-table", "{ids:?}");
        for id in [
            "disks.create-partition",
            "disks.create-partition#2",
            "disks.format",
            "disks.format#2",
            "disks.mount",
            "system.copy",
            "configuration.hostname",
        ] {
            assert!(ids.iter().any(|i| i == id), "no {id} in {ids:?}");
        }
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            ids.len(),
            "ids repeat: {ids:?}"
        );
        let copy = ids.iter().position(|i| i == "system.copy").expect("copy");

        let before = now_us();
        let job = job_proxy(&conn, plan.confirm(opts()).await.expect("confirm")).await;
        wait_running(&job, copy).await;
        let start = job.start_time().await.expect("start");
        assert!(before <= start && start <= now_us(), "StartTime {start}");
        let expected = job.expected_end_time().await.expect("expected end");
        assert!(
            expected > start,
            "ExpectedEndTime {expected} <= StartTime {start}"
        );
        assert!(
            expected > now_us() - 1_000_000,
            "the copy is not done, yet ExpectedEndTime {expected} is in the past"
        );
        // The whole job takes about 4 s at this speed: the estimate is of that order.
        assert!(
            expected < now_us() + 30_000_000,
            "ExpectedEndTime {expected} is {} s away",
            (expected - now_us()) / 1_000_000
        );
        assert_eq!(job.end_time().await.expect("end"), 0);
        assert_eq!(job.error_name().await.expect("error name"), "");
        let results = job.step_results().await.expect("results");
        assert_eq!(results[0].state, StepState::Done, "{results:?}");
        assert_eq!(results[copy].message, "", "{results:?}");

        assert_eq!(wait_finished(&job).await, "succeeded");
        let end = job.end_time().await.expect("end");
        assert!(start < end && end <= now_us(), "EndTime {end}");
        assert_eq!(job.expected_end_time().await.expect("expected"), 0);
        assert_eq!(job.error_name().await.expect("error name"), "");
        assert!(job.progress_valid().await.expect("valid"));
        let results = job.step_results().await.expect("results");
        assert_eq!(
            results
                .iter()
                .map(|r| r.operation.as_str())
                .collect::<Vec<_>>(),
            ids,
            "StepResults and Plan.StepIds name the same steps"
        );
        for r in &results {
            assert_eq!(
                (r.state, r.error_name.as_str(), r.message.as_str()),
                (StepState::Done, "", "Finished"),
                "{results:?}"
            );
        }

        // The last Log signal comes before State changes; give the bus a moment anyway.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let lines = logged(&seen);
        assert_eq!(
            lines.first(),
            Some(&("disks.write-table".to_owned(), steps[0].description.clone())),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(op, l)| op == "system.copy" && l.starts_with("Copy the live system")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(op, l)| op == "system.copy"
                && l.starts_with("Copied ")
                && l.contains(" of 4.5 GiB")),
            "no copy progress in {lines:?}"
        );
        assert_eq!(
            lines.last(),
            Some(&(String::new(), "All steps finished".to_owned())),
            "{lines:?}"
        );
        // LogTail: the last 100 lines, those a client that came late reads.
        let tail = job.log_tail().await.expect("log tail");
        let texts: Vec<String> = lines.iter().map(|(_, l)| l.clone()).collect();
        assert!(!tail.is_empty() && tail.len() <= 100, "{tail:?}");
        assert_eq!(tail[..], texts[texts.len().saturating_sub(100)..]);

        // A step that cannot tell how far it is (partitioning) shows a pulsing bar; the
        // copy counts its bytes.
        let valid: Vec<bool> = changes(&seen, "ProgressValid")
            .into_iter()
            .map(|v| bool::try_from(v).expect("b"))
            .collect();
        assert!(
            valid.contains(&false) && valid.contains(&true),
            "ProgressValid never changed both ways: {valid:?}"
        );
        let tails = changes(&seen, "LogTail");
        assert!(!tails.is_empty(), "LogTail never signalled its change");
    });
}

#[test]
fn failed_and_cancelled_jobs_name_their_error_and_each_step() {
    let failing = Harness::start(Options {
        failure: Some("copy_system"),
        speed: 4.0,
        ..Options::default()
    });
    with_timeout(120, async {
        let conn = failing.connect().await;
        let m = manager(&conn).await;
        let plan = plan_proxy(
            &conn,
            m.propose(wire(INSTALL), opts()).await.expect("propose"),
        )
        .await;
        let ids = plan.step_ids().await.expect("ids");
        let copy = ids.iter().position(|i| i == "system.copy").expect("copy");
        let job = job_proxy(&conn, plan.confirm(opts()).await.expect("confirm")).await;
        assert_eq!(wait_finished(&job).await, "failed");
        assert_eq!(job.error_name().await.expect("error name"), FAILED);
        assert_eq!(m.last_error().await.expect("last error").name, FAILED);
        assert!(job.end_time().await.expect("end") >= job.start_time().await.expect("start"));
        let results = job.step_results().await.expect("results");
        assert_eq!(
            results
                .iter()
                .map(|r| r.operation.as_str())
                .collect::<Vec<_>>(),
            ids
        );
        for r in &results[..copy] {
            assert_eq!((r.state, r.error_name.as_str()), (StepState::Done, ""));
        }
        let failed = &results[copy];
        assert_eq!(
            (failed.state, failed.error_name.as_str()),
            (StepState::Failed, FAILED),
            "{results:?}"
        );
        assert!(
            failed.message.contains("Copy the live system") && failed.message.contains("failed"),
            "{failed:?}"
        );
        let after = &results[copy + 1];
        assert_eq!(
            (
                after.state,
                after.error_name.as_str(),
                after.message.as_str()
            ),
            (StepState::Skipped, "", "Not run: an earlier step failed")
        );
        let tail = job.log_tail().await.expect("tail");
        assert!(
            tail.iter()
                .any(|l| l.starts_with("Failed: Copy the live system")),
            "{tail:?}"
        );
    });
    // The CLI's JSON carries the error name too.
    let status = failing.ctl_json(None, &["status"]);
    assert_eq!(status["job"]["error_name"], FAILED, "{status}");
    let out = failing.ctl(None, &["--json", "watch"]);
    assert_eq!(code(&out), 1, "{}", String::from_utf8_lossy(&out.stdout));
    let last: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .expect("a line"),
    )
    .expect("JSON");
    assert_eq!(last["error_name"], FAILED, "{last}");
    drop(failing);

    let h = Harness::start(Options {
        speed: 2.0,
        ..Options::default()
    });
    with_timeout(120, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let plan = plan_proxy(
            &conn,
            m.propose(wire(INSTALL), opts()).await.expect("propose"),
        )
        .await;
        let ids = plan.step_ids().await.expect("ids");
        let copy = ids.iter().position(|i| i == "system.copy").expect("copy");
        let job = job_proxy(&conn, plan.confirm(opts()).await.expect("confirm")).await;
        wait_running(&job, copy).await;
        job.cancel(opts()).await.expect("cancel");
        assert_eq!(wait_finished(&job).await, "cancelled");
        assert_eq!(job.error_name().await.expect("error name"), CANCELLED);
        assert_eq!(m.last_error().await.expect("last error").name, CANCELLED);
        assert!(job.end_time().await.expect("end") > 0);
        let results = job.step_results().await.expect("results");
        assert_eq!(results[0].state, StepState::Done, "{results:?}");
        let stopped = &results[copy];
        assert_eq!(
            (
                stopped.state,
                stopped.error_name.as_str(),
                stopped.message.as_str()
            ),
            (
                StepState::Skipped,
                CANCELLED,
                "Stopped at a cancel request before it finished"
            ),
            "{results:?}"
        );
        let after = &results[copy + 1];
        assert_eq!(
            (
                after.state,
                after.error_name.as_str(),
                after.message.as_str()
            ),
            (StepState::Skipped, "", "Not run: the job was cancelled")
        );
    });
    let status = h.ctl_json(None, &["status"]);
    assert_eq!(status["job"]["error_name"], CANCELLED, "{status}");
}

#[test]
fn the_instance_id_changes_when_the_daemon_restarts_and_object_numbers_start_over() {
    let mut h = Harness::start(Options::default());
    let mut first = (String::new(), String::new());
    with_timeout(60, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let plan = m
            .propose(wire(r#"{"action":"set_hostname","name":"a"}"#), opts())
            .await
            .expect("propose");
        let job = plan_proxy(&conn, plan)
            .await
            .confirm(opts())
            .await
            .expect("confirm");
        wait_finished(&job_proxy(&conn, job.clone()).await).await;
        first = (m.instance_id().await.expect("id"), job.as_str().to_owned());
    });
    h.restart_daemon_with(&[]);
    with_timeout(60, async {
        let conn = h.connect().await;
        let m = manager(&conn).await;
        let id = m.instance_id().await.expect("id");
        for i in [&first.0, &id] {
            assert!(
                i.len() == 32
                    && i.chars()
                        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
                "not 32 hex digits: {i}"
            );
        }
        assert_ne!(first.0, id, "a restarted daemon kept its instance id");
        let plan = m
            .propose(wire(r#"{"action":"set_hostname","name":"b"}"#), opts())
            .await
            .expect("propose");
        let job = plan_proxy(&conn, plan)
            .await
            .confirm(opts())
            .await
            .expect("confirm");
        // What the instance id is for: the same path, another job.
        assert_eq!(job.as_str(), first.1);
        wait_finished(&job_proxy(&conn, job).await).await;
    });
}

/// One `Inhibit` call as the stand-in logind saw it, and the read end of the pipe whose
/// write end it handed back: it reads EOF once every copy of the write end is closed.
struct Inhibition {
    what: String,
    who: String,
    why: String,
    mode: String,
    read: OwnedFd,
}

impl Inhibition {
    /// Whether the daemon still holds the inhibitor.
    fn held(&self) -> bool {
        let mut f = std::fs::File::from(self.read.try_clone().expect("dup"));
        let mut buf = [0u8; 1];
        match f.read(&mut buf) {
            Ok(0) => false,
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => true,
            Err(e) => panic!("reading the inhibitor pipe: {e}"),
        }
    }
}

/// logind's `Inhibit`, recorded: a stand-in, the real logind cannot run on a private bus.
struct Logind(Arc<Mutex<Vec<Inhibition>>>);

#[zbus::interface(name = "org.freedesktop.login1.Manager")]
impl Logind {
    fn inhibit(
        &self,
        what: String,
        who: String,
        why: String,
        mode: String,
    ) -> zbus::fdo::Result<zbus::zvariant::OwnedFd> {
        use nix::fcntl::OFlag;
        // Close-on-exec: no client the test starts may keep the write end open.
        let (read, write) = nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)
            .map_err(|e| zbus::fdo::Error::Failed(e.to_string()))?;
        self.0.lock().expect("calls").push(Inhibition {
            what,
            who,
            why,
            mode,
            read,
        });
        Ok(write.into())
    }
}

/// Waits until the daemon closed inhibitor `i`.
async fn wait_released(calls: &Arc<Mutex<Vec<Inhibition>>>, i: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while calls.lock().expect("calls")[i].held() {
        assert!(
            Instant::now() < deadline,
            "the inhibitor is still held after the job ended"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn a_job_holds_a_logind_inhibitor_while_it_runs_and_runs_without_logind() {
    let mut h = Harness::start(Options {
        speed: 4.0,
        ..Options::default()
    });
    // No logind on the bus (the default harness): the job runs, the log says what is
    // missing.
    h.ctl_json(
        None,
        &["propose", r#"{"action":"set_hostname","name":"a"}"#],
    );
    let out = h.ctl(None, &["plan", "confirm", "--watch"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        h.log().contains("cannot take a logind inhibitor"),
        "no warning about the missing logind:\n{}",
        h.log()
    );

    let calls: Arc<Mutex<Vec<Inhibition>>> = Arc::default();
    with_timeout(120, async {
        let _logind = zbus::connection::Builder::address(h.address.as_str())
            .expect("address")
            .name("org.freedesktop.login1")
            .expect("name")
            .serve_at("/org/freedesktop/login1", Logind(calls.clone()))
            .expect("serve")
            .build()
            .await
            .expect("stand-in logind");
        for (round, ends) in [(0, "succeeded"), (1, "failed")] {
            if round == 1 {
                tokio::task::block_in_place(|| {
                    h.restart_daemon_with(&["--simulate-failure=copy_system"]);
                });
            }
            let conn = h.connect().await;
            let m = manager(&conn).await;
            let plan = plan_proxy(
                &conn,
                m.propose(wire(INSTALL), opts()).await.expect("propose"),
            )
            .await;
            let copy = plan
                .step_ids()
                .await
                .expect("ids")
                .iter()
                .position(|i| i == "system.copy")
                .expect("copy");
            let job = job_proxy(&conn, plan.confirm(opts()).await.expect("confirm")).await;
            wait_running(&job, copy).await;
            {
                let calls = calls.lock().expect("calls");
                assert_eq!(calls.len(), round + 1, "one Inhibit per job");
                let c = &calls[round];
                assert_eq!(
                    (c.what.as_str(), c.who.as_str(), c.mode.as_str()),
                    ("shutdown:sleep", "LevitateOS installer", "block")
                );
                assert!(c.why.starts_with("Installing: "), "{}", c.why);
                assert!(c.held(), "the inhibitor is not held while the job runs");
            }
            assert_eq!(wait_finished(&job).await, ends);
            wait_released(&calls, round).await;
        }
    });
}
