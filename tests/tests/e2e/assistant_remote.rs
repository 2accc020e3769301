//! The assistant's remote endpoint and its configuration, with real TLS: an HTTPS stand-in
//! (`tests/openai-stub.py`) whose certificate comes from a CA only the test trusts (named
//! as `ca_file` in the assistant configuration; the system store is never touched), a
//! CONNECT proxy on loopback, and endpoints that stall, flood or fail once. And the
//! embedded model's own port, which no other program can take first.

use std::{collections::HashMap, os::unix::fs::PermissionsExt, path::Path, time::Duration};

use levitate_testkit::output_within;
use serde_json::{json, Value};

use crate::{
    bus_dump,
    harness::{
        self,
        remote::{ConnectProxy, Stub, TestCa},
        stderr, with_timeout, Harness, Options,
    },
    manager,
};

/// Words the interpreter does not understand, so they go to the model.
const UNCLEAR: &str = "my grandmother would like the computer to sing";
const KEY: &str = "sk-levitate-remote-key-marker";

/// What the stub answers, once accepted.
fn from_the_model() -> Value {
    json!([{"action": "unsupported", "topic": "raid"}])
}

/// A root-only key file, as the daemon demands.
fn key_file(dir: &Path) -> std::path::PathBuf {
    let key = dir.join("api.key");
    std::fs::write(&key, KEY).expect("key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    key
}

/// Writes an assistant configuration (root's, mode 644, as the daemon demands).
fn config(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("config");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    path.display().to_string()
}

/// A configuration for the stub at `url`, trusting `ca`.
fn remote_config(dir: &Path, name: &str, url: &str, ca: &Path, extra: &str) -> String {
    let key = key_file(dir);
    config(
        dir,
        name,
        &format!(
            "provider = \"remote\"\n[remote]\nurl = \"{url}\"\nmodel = \"stub-model\"\nkey_file = \"{}\"\nca_file = \"{}\"\n{extra}",
            key.display(),
            ca.display()
        ),
    )
}

fn interpret(h: &Harness) -> Value {
    let out = h.ctl(None, &["interpret", "--json", UNCLEAR]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("actions")
}

async fn assistant(h: &Harness) -> HashMap<String, String> {
    manager(&h.connect().await)
        .await
        .assistant()
        .await
        .expect("Assistant")
}

/// Starts a harness whose daemon reads `config` (and `env`).
fn daemon_with(config: &str, env: Vec<(&'static str, String)>) -> Harness {
    let mut h = Harness::start(Options {
        daemon_env: env,
        ..Options::default()
    });
    h.restart_daemon_with(&["--llm=auto", "--assistant-config", config]);
    h
}

#[test]
fn a_remote_https_endpoint_is_trusted_through_ca_file_and_gets_the_key_nowhere_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "ok");
    let conf = remote_config(dir.path(), "assistant.toml", &stub.url(), &ca.cert, "");
    let mut h = daemon_with(&conf, Vec::new());
    assert_eq!(interpret(&h), from_the_model());
    let requests = stub.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0]["path"], "/v1/chat/completions");
    assert_eq!(requests[0]["authorization"], format!("Bearer {KEY}"));
    assert_eq!(requests[0]["body"]["model"], "stub-model");
    assert_eq!(requests[0]["body"]["stream"], true);
    // Who answers and why, on the bus and in the CLI.
    let status = h.ctl_json(None, &["status"]);
    let a = &status["assistant"];
    assert_eq!(a["provider"], "remote", "{status}");
    assert_eq!(a["state"], "remote");
    assert_eq!(a["url"], stub.url());
    assert_eq!(a["model"], "stub-model");
    assert_eq!(a["last_error"], "");
    assert!(
        a["reason"]
            .as_str()
            .is_some_and(|r| r.contains("provider = \"remote\"") && r.contains(&conf)),
        "{a}"
    );
    let text = String::from_utf8_lossy(&h.ctl(None, &["status"]).stdout).into_owned();
    assert!(
        text.contains(&format!("assistant: remote stub-model at {}", stub.url())),
        "{text}"
    );
    // The key travels only in the request: not on the bus, in the log, or on a command line.
    with_timeout(30, async {
        let dump = bus_dump(&h.connect().await).await;
        assert!(!dump.contains(KEY), "the key is visible on the bus");
    });
    let pid = h.daemon_pid().expect("daemon");
    for what in ["cmdline", "environ"] {
        let bytes = std::fs::read(format!("/proc/{pid}/{what}")).expect(what);
        assert!(
            !String::from_utf8_lossy(&bytes).contains(KEY),
            "the key is in {what}"
        );
    }
    h.stop_daemon();
    let log = h.log();
    assert!(!log.contains(KEY), "the key reached the log");
}

#[test]
fn ssl_cert_file_can_name_the_trusted_authorities_instead() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "ok");
    let conf = config(
        dir.path(),
        "assistant.toml",
        &format!(
            "provider = \"remote\"\n[remote]\nurl = \"{}\"\n",
            stub.url()
        ),
    );
    let h = daemon_with(
        &conf,
        vec![("SSL_CERT_FILE", ca.cert.display().to_string())],
    );
    assert_eq!(interpret(&h), from_the_model());
}

#[test]
fn an_untrusted_or_misnamed_certificate_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let trusted = TestCa::new(dir.path(), "trusted");
    let other = TestCa::new(dir.path(), "other");
    for (cert, expect) in [
        (
            other.issue("endpoint", "IP:127.0.0.1"),
            [
                "the TLS certificate of",
                "is not trusted (UnknownIssuer: signed by a certificate authority this machine does not trust)",
                "name that CA's certificate as ca_file",
            ],
        ),
        (
            trusted.issue("misnamed", "DNS:elsewhere.example"),
            [
                "the TLS certificate of",
                "was made for another name (certificate not valid for name \"127.0.0.1\"",
                "the url must name the host",
            ],
        ),
    ] {
        let stub = Stub::start(dir.path(), &cert, "ok");
        let conf = remote_config(dir.path(), "assistant.toml", &stub.url(), &trusted.cert, "");
        let mut h = daemon_with(&conf, Vec::new());
        // The interpreter answers; the model's answer never came, nor was it retried.
        assert_ne!(interpret(&h), from_the_model());
        assert!(stub.requests().is_empty(), "a request passed the handshake");
        assert!(!h.log().contains("retrying"), "{}", h.log());
        let a = with_timeout_value(assistant(&h));
        for part in expect {
            assert!(a["last_error"].contains(part), "{part}: {a:?}");
        }
        assert!(h.daemon_alive());
        assert!(h.log().contains(expect[1]));
    }
}

/// Runs a future to its value under the harness's timeout.
fn with_timeout_value<T>(f: impl std::future::Future<Output = T>) -> T {
    let mut out = None;
    with_timeout(60, async {
        out = Some(f.await);
    });
    out.expect("value")
}

#[test]
fn https_proxy_is_used_and_no_proxy_is_honoured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "ok");
    let conf = remote_config(dir.path(), "assistant.toml", &stub.url(), &ca.cert, "");
    let proxy = ConnectProxy::start();
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let h = daemon_with(&conf, vec![("HTTPS_PROXY", proxy_url.clone())]);
    assert_eq!(interpret(&h), from_the_model());
    assert_eq!(proxy.tunnels(), vec![format!("127.0.0.1:{}", stub.port)]);
    drop(h);
    // The proxy skipped for hosts NO_PROXY names.
    let h = daemon_with(
        &conf,
        vec![("HTTPS_PROXY", proxy_url), ("NO_PROXY", "127.0.0.1".into())],
    );
    assert_eq!(interpret(&h), from_the_model());
    assert_eq!(proxy.tunnels().len(), 1, "{:?}", proxy.tunnels());
    assert_eq!(stub.requests().len(), 2);
}

#[test]
fn a_stalled_endpoint_times_out_within_its_deadline_and_the_daemon_keeps_serving() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "stall");
    let conf = remote_config(
        dir.path(),
        "assistant.toml",
        &stub.url(),
        &ca.cert,
        "timeout = 1.5\n",
    );
    let mut h = daemon_with(&conf, Vec::new());
    for _ in 0..2 {
        let started = std::time::Instant::now();
        assert_ne!(interpret(&h), from_the_model());
        // (The stub never answers: the bound shows the deadline ended the wait, with room
        // for a loaded machine; the error below names the deadline itself.)
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the request took {:?}",
            started.elapsed()
        );
    }
    let a = with_timeout_value(assistant(&h));
    assert!(
        a["last_error"].contains("did not answer within 1.5 s"),
        "{a:?}"
    );
    assert!(h.daemon_alive());
    let out = h.ctl(None, &["interpret", "--json", "timezone berlin"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        r#"[{"action":"set_timezone","zone":"Europe/Berlin"}]"#
    );
}

/// A slow model that streams: its answer is used as soon as the call in it is complete,
/// though the stream never ends, and the request takes nowhere near its deadline.
#[test]
fn a_streamed_answer_is_used_as_soon_as_it_holds_the_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "trickle");
    let conf = remote_config(
        dir.path(),
        "assistant.toml",
        &stub.url(),
        &ca.cert,
        "timeout = 60\n",
    );
    let h = daemon_with(&conf, Vec::new());
    let started = std::time::Instant::now();
    assert_eq!(interpret(&h), from_the_model());
    // (The stream never ends and the deadline is 60 s: well under it, the answer was taken
    // as soon as it held the call, with room for a loaded machine.)
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the request took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_gigabyte_answer_is_refused_without_being_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "huge");
    let conf = remote_config(
        dir.path(),
        "assistant.toml",
        &stub.url(),
        &ca.cert,
        "timeout = 60\n",
    );
    let mut h = daemon_with(&conf, Vec::new());
    let started = std::time::Instant::now();
    assert_ne!(interpret(&h), from_the_model());
    assert!(started.elapsed() < Duration::from_secs(30));
    let a = with_timeout_value(assistant(&h));
    assert!(
        a["last_error"].contains("sent more than 1048576 bytes"),
        "{a:?}"
    );
    let written = stub
        .wait_record(Duration::from_secs(10), |r| r.get("huge_written").is_some())
        .expect("the stub noticed the client leave")["huge_written"]
        .as_u64()
        .expect("bytes");
    // What the socket buffers took: a few MiB of the gibibyte at most.
    assert!(written < 64 << 20, "{written} bytes were sent");
    assert!(h.daemon_alive());
}

#[test]
fn a_server_error_is_retried_and_the_answer_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "flaky");
    let conf = remote_config(dir.path(), "assistant.toml", &stub.url(), &ca.cert, "");
    let h = daemon_with(&conf, Vec::new());
    assert_eq!(interpret(&h), from_the_model());
    assert_eq!(stub.requests().len(), 2, "{:?}", stub.requests());
    assert_eq!(with_timeout_value(assistant(&h))["last_error"], "");
    assert!(h.log().contains("retrying the model's endpoint"));
}

#[test]
fn an_endpoint_that_does_not_stream_is_read_as_well() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "json");
    let conf = remote_config(dir.path(), "assistant.toml", &stub.url(), &ca.cert, "");
    let h = daemon_with(&conf, Vec::new());
    assert_eq!(interpret(&h), from_the_model());
}

#[test]
fn the_remote_endpoint_answers_when_the_embedded_model_cannot_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = TestCa::new(dir.path(), "trusted");
    let stub = Stub::start(dir.path(), &ca.issue("endpoint", "IP:127.0.0.1"), "ok");
    let key = key_file(dir.path());
    let conf = config(
        dir.path(),
        "assistant.toml",
        &format!(
            "fallback = \"remote\"\n[remote]\nurl = \"{}\"\nkey_file = \"{}\"\nca_file = \"{}\"\n",
            stub.url(),
            key.display(),
            ca.cert.display()
        ),
    );
    let mut h = Harness::start(Options::default());
    h.restart_daemon_with(&[
        "--llm=auto",
        "--assistant-config",
        &conf,
        "--llm-manifest",
        "/nonexistent/manifest.json",
    ]);
    let a = with_timeout_value(async {
        loop {
            let a = assistant(&h).await;
            if a["state"] != "starting" {
                return a;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    assert_eq!(a["provider"], "remote", "{a:?}");
    assert_eq!(a["state"], "remote");
    assert!(
        a["reason"].contains("the embedded model cannot run")
            && a["reason"].contains("manifest")
            && a["reason"].contains("fallback"),
        "{a:?}"
    );
    assert_eq!(interpret(&h), from_the_model());
}

#[test]
fn a_broken_configuration_is_named_and_the_interpreter_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conf = config(dir.path(), "assistant.toml", "provider = \"cloud\"\n");
    let mut h = daemon_with(&conf, Vec::new());
    let a = with_timeout_value(assistant(&h));
    assert!(
        a["state"].starts_with("failed: the assistant configuration") && a["state"].contains(&conf),
        "{a:?}"
    );
    assert_eq!(a["provider"], "none");
    assert!(h.daemon_alive());
    let out = h.ctl(None, &["interpret", "--json", "timezone berlin"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        r#"[{"action":"set_timezone","zone":"Europe/Berlin"}]"#
    );
    // A configuration named on the command line must exist.
    h.stop_daemon();
    let out = output_within(
        std::process::Command::new(&h.daemon_bin)
            .args(["--simulate"])
            .arg(harness::shared_machine("two-disks"))
            .args([
                "--log",
                "stderr",
                "--assistant-config",
                "/nonexistent/assistant.toml",
            ])
            .env("DBUS_SYSTEM_BUS_ADDRESS", &h.address),
        Duration::from_secs(30),
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--assistant-config"),
        "{}",
        stderr(&out)
    );
}

/// Pids of the model servers whose parent is `daemon`, with their ports from `/proc`.
fn model_servers_of(daemon: u32) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            args.windows(2)
                .any(|w| w[0] == b"--parent-pid" && w[1] == daemon.to_string().as_bytes())
        })
        .collect()
}

/// Regression (#14): the model server bound the fixed port 8765, so a second daemon, or a
/// local user who bound it first, kept the model down.
#[test]
fn two_daemons_and_a_squatter_on_the_old_port_all_leave_each_model_its_own_port() {
    let manifest = harness::provisioned_manifest();
    // Whoever holds 8765 (this test, or anyone else on the machine) plays the squatter.
    let _squatter = std::net::TcpListener::bind("127.0.0.1:8765");
    let start = || {
        let mut h = Harness::start(Options::default());
        // No --llm-port and no --llm-server: the port is the kernel's choice, and the
        // script is found from the binary (this test runs in tests/, where no python/ is).
        h.restart_daemon_with(&[
            "--llm=auto",
            "--llm-manifest",
            manifest.to_str().expect("utf-8"),
            &format!("--llm-python={}", harness::PROVISIONED_PYTHON),
        ]);
        h
    };
    let (a, b) = (start(), start());
    let urls: Vec<String> = [&a, &b]
        .iter()
        .map(|h| {
            with_timeout_value(async {
                loop {
                    let s = assistant(h).await;
                    assert!(!s["state"].starts_with("failed"), "{s:?}\n{}", h.log());
                    if s["state"] == "ready" {
                        return s["url"].clone();
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            })
        })
        .collect();
    assert_ne!(urls[0], urls[1]);
    for url in &urls {
        assert!(!url.ends_with(":8765"), "{url}");
    }
    for h in [&a, &b] {
        let servers = model_servers_of(h.daemon_pid().expect("daemon"));
        assert_eq!(servers.len(), 1, "{servers:?}");
        let cmdline = std::fs::read(format!("/proc/{}/cmdline", servers[0])).expect("cmdline");
        assert!(
            String::from_utf8_lossy(&cmdline).contains("--port\x000\x00"),
            "the server was given a fixed port"
        );
        let out = h.ctl(None, &["interpret", "--json", UNCLEAR]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(h.log().contains("llm_server"), "{}", h.log());
    }
}
