//! The end-to-end harness: a real `dbus-daemon` with a system-bus configuration and this
//! project's bus policy, the real `polkitd` on it, and the real daemon in simulate mode.
//! Clients run as root or as real unprivileged users (through `setpriv`).
//!
//! Needs root (it creates test users, installs the project's polkit action file where
//! polkitd reads it, and starts a bus and polkitd). Without root or a tool it fails with a
//! message saying what is missing; it never skips. Every client it waits for is killed, and
//! the test failed, after a time limit: a hung client fails instead of blocking the suite.

#![allow(dead_code, clippy::missing_panics_doc)]

pub mod remote;
pub mod vm;

use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::Once,
    time::{Duration, Instant},
};

use levitate_testkit::{
    output_within, release_loop, require_tool, sh, unmount_recursive, wait_output_within,
};

/// A test user with no rights beyond polkit's defaults.
pub const PLAIN_USER: &str = "levitate-test";
/// A test user in the group `levitate-live`, which the live-ISO polkit rule trusts.
pub const LIVE_USER: &str = "levitate-tlive";
/// A second member of `levitate-live`: the live rule trusts both, yet neither may act on
/// the other's plans.
pub const LIVE_USER2: &str = "levitate-tlive2";
pub const LIVE_GROUP: &str = "levitate-live";
/// The administrator a test's polkit authentication agent authenticates as, for the
/// installer's actions only (`tests/polkit/49-levitate-test-admin.rules`). Its password is
/// random, made once per machine, kept root-only in [`ADMIN_PASSWORD_FILE`].
pub const ADMIN_USER: &str = "levitate-tadmin";
const ADMIN_PASSWORD_FILE: &str = "/var/lib/levitate-e2e/admin-password";

/// How long a client (the CLI, busctl, dbus-send, a script driving them) may run before it
/// is killed and the test fails. The longest, a whole simulated install followed with
/// `--watch`, takes seconds.
pub const CLIENT_LIMIT: Duration = Duration::from_mins(2);
/// How long a quick system tool (`id`, `getent`, `useradd`, `busctl status`) may run.
const TOOL_LIMIT: Duration = Duration::from_secs(30);
/// How long `pkttyagent` may take to register with polkitd.
const AGENT_REGISTRATION_LIMIT: Duration = Duration::from_mins(1);

/// Runs a command with [`CLIENT_LIMIT`]; returns its output.
pub fn run_bounded(cmd: &mut Command) -> Output {
    output_within(cmd, CLIENT_LIMIT)
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The directory holding the workspace binaries of the same profile as this test.
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    // target/<profile>/deps/e2e-<hash>
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf()
}

/// Keeps a measurement (a boot's seconds, an install's) where `scripts/test.sh` prints it
/// after the run: a passing test's own output is not shown.
pub fn record_timing(line: &str) {
    use std::io::Write as _;
    eprintln!("{line}");
    let path = bin_dir().join("e2e-timings.txt");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{line}");
    }
}

pub fn shared_machine(name: &str) -> PathBuf {
    let in_repo = repo_root()
        .join("tests/machines")
        .join(format!("{name}.json"));
    assert!(
        in_repo.exists(),
        "machine file {} is missing",
        in_repo.display()
    );
    in_repo
}

fn ensure_group(name: &str) {
    if !output_within(Command::new("getent").args(["group", name]), TOOL_LIMIT)
        .status
        .success()
    {
        sh(Command::new("groupadd").args(["--system", name]));
    }
}

fn ensure_user(name: &str, groups: &[&str]) {
    if !output_within(Command::new("id").arg(name), TOOL_LIMIT)
        .status
        .success()
    {
        let mut c = Command::new("useradd");
        c.args([
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
        ]);
        if !groups.is_empty() {
            c.args(["--groups", &groups.join(",")]);
        }
        c.arg(name);
        sh(&mut c);
    }
}

/// Copies `src` to `dst` unless identical, so repeated test runs do not churn.
fn install_file(src: &Path, dst: &Path) {
    let want = fs::read(src).unwrap_or_else(|e| panic!("cannot read {}: {e}", src.display()));
    if fs::read(dst).ok().as_deref() != Some(&want[..]) {
        fs::create_dir_all(dst.parent().expect("parent")).expect("mkdir");
        fs::write(dst, &want).unwrap_or_else(|e| panic!("cannot write {}: {e}", dst.display()));
    }
}

static SETUP: Once = Once::new();

/// Machine-wide setup, once per test process: users, and the project's polkit files where
/// polkitd reads them (polkitd has no option for another directory).
fn global_setup() {
    SETUP.call_once(|| {
        levitate_testkit::require_root(
            "the end-to-end tests start a system bus and polkitd and create test users",
        );
        ensure_group(LIVE_GROUP);
        ensure_user(PLAIN_USER, &[]);
        ensure_user(LIVE_USER, &[LIVE_GROUP]);
        ensure_user(LIVE_USER2, &[LIVE_GROUP]);
        ensure_admin();
        let sys = repo_root().join("systemd");
        install_file(
            &sys.join("org.levitateos.installer.policy"),
            Path::new("/usr/share/polkit-1/actions/org.levitateos.installer.policy"),
        );
        install_file(
            &sys.join("50-levitate-live.rules"),
            Path::new("/etc/polkit-1/rules.d/50-levitate-live.rules"),
        );
        install_file(
            &repo_root().join("tests/polkit/49-levitate-test-admin.rules"),
            Path::new("/etc/polkit-1/rules.d/49-levitate-test-admin.rules"),
        );
    });
}

/// The test administrator with its password: made once with a random password, which
/// later test processes (also concurrent ones) read back instead of changing it.
fn ensure_admin() {
    ensure_user(ADMIN_USER, &[]);
    if Path::new(ADMIN_PASSWORD_FILE).exists() {
        return;
    }
    let mut raw = [0u8; 12];
    std::io::Read::read_exact(
        &mut fs::File::open("/dev/urandom").expect("/dev/urandom"),
        &mut raw,
    )
    .expect("random bytes");
    let password: String = raw.iter().fold(String::new(), |mut out, b| {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
        out
    });
    // The password goes through stdin, never argv.
    let mut child = Command::new("chpasswd")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chpasswd");
    std::io::Write::write_all(
        child.stdin.as_mut().expect("stdin"),
        format!("{ADMIN_USER}:{password}\n").as_bytes(),
    )
    .expect("write to chpasswd");
    drop(child.stdin.take());
    let out = wait_output_within(child, "chpasswd", TOOL_LIMIT);
    assert!(
        out.status.success(),
        "chpasswd failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = Path::new(ADMIN_PASSWORD_FILE).parent().expect("parent");
    fs::create_dir_all(dir).expect("mkdir");
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).expect("chmod");
    fs::write(ADMIN_PASSWORD_FILE, &password).expect("write the admin password");
}

/// The test administrator's password.
pub fn admin_password() -> String {
    fs::read_to_string(ADMIN_PASSWORD_FILE).expect("the admin password (global setup)")
}

/// A polkit authentication agent (`pkttyagent` on a pty of the test's own) registered for
/// one client process, run as root so that its helper reaches this test's bus: the setuid
/// `polkit-agent-helper-1` clears its environment and always reports to
/// `/run/dbus/system_bus_socket`, so the agent runs in a mount namespace of its own where
/// that path leads to the test's bus. It shows what polkit tells it (the action, the
/// `polkit.message`, the identity) and types what the test gives it.
pub struct Agent {
    child: Child,
    output: std::sync::Arc<std::sync::Mutex<String>>,
    /// The pty's master side: what is written here, the agent reads from its terminal.
    terminal: fs::File,
}

impl Agent {
    /// Everything the agent printed so far.
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Waits until the agent printed `text` `times` times; false after `limit`.
    pub fn wait_for(&self, text: &str, times: usize, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.output().matches(text).count() >= times {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Types a line (a password) into the agent's terminal.
    pub fn type_line(&mut self, line: &str) {
        std::io::Write::write_all(&mut self.terminal, format!("{line}\n").as_bytes())
            .expect("type");
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let _ = self.child.wait();
    }
}

/// The numeric user and group ids of `user`.
pub fn uid_gid(user: &str) -> (String, String) {
    let id = |flag: &str| {
        let out = output_within(Command::new("id").args([flag, user]), TOOL_LIMIT);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    (id("-u"), id("-g"))
}

/// What systemd's `org.freedesktop.login1.conf` says for root, for a stand-in logind.
const LOGIN1_POLICY: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="root">
    <allow own="org.freedesktop.login1"/>
    <allow send_destination="org.freedesktop.login1"/>
  </policy>
</busconfig>
"#;

/// The system bus configuration of Debian, on a private socket, with this project's policy.
fn bus_config(socket: &Path, policy_dir: &Path) -> String {
    fs::read_to_string(repo_root().join("tests/system-bus.conf.in"))
        .expect("tests/system-bus.conf.in")
        .replace("@SOCKET@", &socket.display().to_string())
        .replace("@POLICY_DIR@", &policy_dir.display().to_string())
}

pub struct Options {
    pub machine: &'static str,
    pub speed: f64,
    pub failure: Option<&'static str>,
    pub polkit: bool,
    /// The model manifest to start the embedded language model with; None: `--llm off`.
    pub llm_manifest: Option<PathBuf>,
    /// Sandbox mode instead of simulation: an image of this size (`12G`) in the test's
    /// directory, attached by the daemon as a loop device; the target root and state
    /// directory are in the test's directory too.
    pub sandbox: Option<&'static str>,
    /// Extra daemon arguments (`--firmware=bios`).
    pub daemon_args: Vec<&'static str>,
    /// Real mode (neither simulation nor sandbox), for what touches no disk: the target
    /// root and state directory are in the test's directory.
    pub real: bool,
    /// Environment of the daemon besides the bus address (`HTTPS_PROXY`).
    pub daemon_env: Vec<(&'static str, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            machine: "two-disks",
            speed: 20.0,
            failure: None,
            polkit: true,
            llm_manifest: None,
            sandbox: None,
            daemon_args: Vec::new(),
            real: false,
            daemon_env: Vec::new(),
        }
    }
}

/// Where `scripts/setup.sh` provisions the embedded model.
pub const PROVISIONED_MANIFEST: &str = "/opt/levitate-installer/models/default/manifest.json";
pub const PROVISIONED_PYTHON: &str = "/opt/levitate-installer/venv/bin/python3";

/// The provisioned manifest, or a clear failure.
pub fn provisioned_manifest() -> PathBuf {
    let p = PathBuf::from(PROVISIONED_MANIFEST);
    assert!(
        p.exists() && Path::new(PROVISIONED_PYTHON).exists(),
        "the embedded model is not provisioned ({PROVISIONED_MANIFEST} is missing): run scripts/setup.sh"
    );
    p
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// One private system bus with polkitd and the daemon. Everything is stopped and removed
/// on drop, also when a test fails.
pub struct Harness {
    pub dir: tempfile::TempDir,
    pub address: String,
    bus: Child,
    polkitd: Option<Child>,
    daemon: Option<Child>,
    pub daemon_log: PathBuf,
    pub ctl: PathBuf,
    pub tui: PathBuf,
    pub daemon_bin: PathBuf,
    machine: PathBuf,
    options: Options,
    /// Loopback port of the embedded language model, when one runs.
    pub llm_port: u16,
    extra_args: Vec<String>,
}

impl Harness {
    pub fn start(options: Options) -> Self {
        global_setup();
        let dbus_daemon = require_tool(&["dbus-daemon"]);
        let polkitd = require_tool(&[
            "/usr/lib/polkit-1/polkitd",
            "/usr/libexec/polkitd",
            "/usr/libexec/polkit-1/polkitd",
        ]);
        require_tool(&["setpriv"]);
        require_tool(&["busctl"]);
        let dir = tempfile::Builder::new()
            .prefix("levitate-e2e-")
            .tempdir()
            .expect("tempdir");
        // Unprivileged clients must reach the socket and the binaries.
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        let policy_dir = dir.path().join("system.d");
        fs::create_dir(&policy_dir).expect("mkdir");
        fs::copy(
            repo_root().join("systemd/org.levitateos.Installer1.conf"),
            policy_dir.join("org.levitateos.Installer1.conf"),
        )
        .expect("copy policy");
        for polkit_conf in [
            "/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf",
            "/etc/dbus-1/system.d/org.freedesktop.PolicyKit1.conf",
        ] {
            if Path::new(polkit_conf).exists() {
                fs::copy(
                    polkit_conf,
                    policy_dir.join("org.freedesktop.PolicyKit1.conf"),
                )
                .expect("copy polkit policy");
            }
        }
        // Tests may stand in for logind (the reboot), as root, like systemd's own policy.
        fs::write(
            policy_dir.join("org.freedesktop.login1.conf"),
            LOGIN1_POLICY,
        )
        .expect("login1 policy");
        let socket = dir.path().join("system_bus_socket");
        let conf = dir.path().join("bus.conf");
        fs::write(&conf, bus_config(&socket, &policy_dir)).expect("bus.conf");
        let bus = Command::new(dbus_daemon)
            .arg(format!("--config-file={}", conf.display()))
            .args(["--nofork", "--nopidfile"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            assert!(
                Instant::now() < deadline,
                "dbus-daemon did not create its socket"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let address = format!("unix:path={}", socket.display());
        let bin = bin_dir();
        let copy_bin = |name: &str| {
            let src = bin.join(name);
            assert!(
                src.exists(),
                "{} is missing: build the workspace first (cargo build --workspace)",
                src.display()
            );
            let dst = dir.path().join(name);
            fs::copy(&src, &dst).expect("copy binary");
            fs::set_permissions(&dst, fs::Permissions::from_mode(0o755)).expect("chmod");
            dst
        };
        let ctl = copy_bin("levitate-installctl");
        let tui = copy_bin("levitate-installer");
        let daemon_bin = copy_bin("levitate-installerd");
        let machine = dir.path().join("machine.json");
        fs::copy(shared_machine(options.machine), &machine).expect("copy machine");
        let mut h = Self {
            daemon_log: dir.path().join("daemon.log"),
            dir,
            address,
            bus,
            polkitd: None,
            daemon: None,
            ctl,
            tui,
            daemon_bin,
            machine,
            options,
            llm_port: free_port(),
            extra_args: Vec::new(),
        };
        if h.options.polkit {
            let child = Command::new(polkitd)
                .arg("--no-debug")
                .env("DBUS_SYSTEM_BUS_ADDRESS", &h.address)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start polkitd");
            h.polkitd = Some(child);
            h.wait_for_name("org.freedesktop.PolicyKit1");
        }
        h.start_daemon();
        h
    }

    /// Stops the daemon and starts it again with extra arguments (given last, they win).
    pub fn restart_daemon_with(&mut self, extra: &[&str]) {
        self.stop_daemon();
        self.extra_args = extra.iter().map(|s| (*s).to_owned()).collect();
        self.start_daemon();
    }

    /// Starts the daemon with extra arguments (given last, they win), kept for later starts.
    pub fn start_daemon_with(&mut self, extra: &[&str]) {
        self.extra_args = extra.iter().map(|s| (*s).to_owned()).collect();
        self.start_daemon();
    }

    pub fn start_daemon(&mut self) {
        let log = fs::File::create(&self.daemon_log).expect("daemon log");
        let mut cmd = Command::new(&self.daemon_bin);
        if let Some(size) = self.options.sandbox {
            cmd.arg(format!(
                "--sandbox-image={}:{size}",
                self.sandbox_image().display()
            ))
            .arg(format!("--target-root={}", self.target_root()))
            .arg(format!(
                "--state-dir={}",
                self.dir.path().join("state").display()
            ));
        } else if self.options.real {
            cmd.arg(format!("--target-root={}", self.target_root()))
                .arg(format!(
                    "--state-dir={}",
                    self.dir.path().join("state").display()
                ));
        } else {
            cmd.arg("--simulate").arg(&self.machine);
            if !self
                .extra_args
                .iter()
                .any(|a| a.starts_with("--simulate-speed"))
            {
                cmd.arg(format!("--simulate-speed={}", self.options.speed));
            }
        }
        cmd.args(&self.options.daemon_args)
            .envs(self.options.daemon_env.iter().map(|(k, v)| (k, v)))
            .args(["--log", "stderr"])
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.address)
            .env("LEVITATE_LOG", "debug")
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        if let Some(f) = self.options.failure {
            cmd.arg(format!("--simulate-failure={f}"));
        }
        let llm_given = self.extra_args.iter().any(|a| a.starts_with("--llm"));
        match &self.options.llm_manifest {
            _ if llm_given => {}
            None => {
                cmd.arg("--llm=off");
            }
            Some(manifest) => {
                cmd.arg("--llm-manifest")
                    .arg(manifest)
                    .arg(format!("--llm-port={}", self.llm_port))
                    .arg(format!("--llm-python={PROVISIONED_PYTHON}"))
                    .arg("--llm-server")
                    .arg(repo_root().join("python/llm_server.py"));
            }
        }
        cmd.args(&self.extra_args);
        self.daemon = Some(cmd.spawn().expect("start levitate-installerd"));
        self.wait_for_name(levitate_dbus::BUS_NAME);
    }

    /// Stops the daemon with SIGTERM (so it releases a sandbox image), SIGKILL after 15 s.
    pub fn stop_daemon(&mut self) {
        if let Some(mut d) = self.daemon.take() {
            if let Ok(pid) = i32::try_from(d.id()) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGTERM,
                );
            }
            let deadline = Instant::now() + Duration::from_secs(15);
            while d.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = d.kill();
            let _ = d.wait();
        }
    }

    pub fn sandbox_image(&self) -> PathBuf {
        self.dir.path().join("sandbox.img")
    }

    pub fn target_root(&self) -> String {
        self.dir.path().join("target").display().to_string()
    }

    /// Loop devices still backed by the sandbox image.
    pub fn sandbox_loops(&self) -> Vec<String> {
        // Not bounded: this runs in Drop too, where a failure must not panic.
        let out = Command::new("losetup")
            .arg("--associated")
            .arg(self.sandbox_image())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        out.lines()
            .filter_map(|l| l.split(':').next())
            .map(str::to_owned)
            .collect()
    }

    /// The daemon's process id, while it runs.
    pub fn daemon_pid(&self) -> Option<u32> {
        self.daemon.as_ref().map(Child::id)
    }

    /// Whether the daemon process is still alive.
    pub fn daemon_alive(&mut self) -> bool {
        self.daemon
            .as_mut()
            .is_some_and(|d| d.try_wait().ok().flatten().is_none())
    }

    pub fn stop_polkit(&mut self) {
        if let Some(mut p) = self.polkitd.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.name_has_owner("org.freedesktop.PolicyKit1") {
            assert!(Instant::now() < deadline, "polkitd did not leave the bus");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn name_has_owner(&self, name: &str) -> bool {
        output_within(
            Command::new("busctl")
                .arg(format!("--address={}", self.address))
                .args(["status", name]),
            TOOL_LIMIT,
        )
        .status
        .success()
    }

    fn wait_for_name(&mut self, name: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.name_has_owner(name) {
            if let Some(d) = self.daemon.as_mut() {
                if let Ok(Some(status)) = d.try_wait() {
                    panic!(
                        "the daemon exited ({status}) before owning {name}:\n{}",
                        self.log()
                    );
                }
            }
            assert!(
                Instant::now() < deadline,
                "{name} did not appear on the bus:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        fs::read_to_string(&self.daemon_log).unwrap_or_default()
    }

    /// Runs `cmd` with the bus address, as `user` (None: root).
    pub fn command_as(&self, user: Option<&str>, program: &Path, args: &[&str]) -> Command {
        let mut cmd = match user {
            None => Command::new(program),
            Some(u) => {
                let (uid, gid) = uid_gid(u);
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--init-groups")
                    .arg("--")
                    .arg(program);
                c
            }
        };
        cmd.args(args)
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.address)
            .stdin(Stdio::null());
        cmd
    }

    /// `levitate-installctl ARGS` as `user`; killed, and the test failed, after
    /// [`CLIENT_LIMIT`].
    pub fn ctl(&self, user: Option<&str>, args: &[&str]) -> Output {
        let mut cmd = self.command_as(user, &self.ctl, args);
        // A client killed for its time says nothing of why: the daemon's log does.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_bounded(&mut cmd)))
            .unwrap_or_else(|e| {
                eprintln!("--- the daemon's log ---\n{}", self.log());
                std::panic::resume_unwind(e)
            })
    }

    /// `levitate-installctl ARGS` as `user` with `input` (a secret) on its stdin; killed, and
    /// the test failed, after [`CLIENT_LIMIT`].
    pub fn ctl_with_input(&self, user: Option<&str>, args: &[&str], input: &[u8]) -> Output {
        let mut cmd = self.command_as(user, &self.ctl, args);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run levitate-installctl");
        std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), input).expect("write");
        wait_output_within(child, &format!("{cmd:?}"), CLIENT_LIMIT)
    }

    /// `levitate-installctl --json ARGS` as `user`, expecting success; returns the JSON.
    pub fn ctl_json(&self, user: Option<&str>, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ctl(user, &all);
        assert!(
            out.status.success(),
            "levitate-installctl {args:?} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Runs `program ARGS` as `user`, held until a polkit authentication agent has
    /// registered for its process: polkit then asks that agent, not a session's, when the
    /// program's calls need authentication. Returns the running client and the agent.
    ///
    /// The client waits on its stdin (a pipe of this process) and the agent reports its
    /// registration by closing a pipe of this process too, so nothing here depends on a
    /// FIFO in the test's directory or on another program's terminal handling.
    pub fn spawn_with_agent(&self, user: &str, program: &Path, args: &[&str]) -> (Child, Agent) {
        use std::os::fd::AsRawFd as _;
        use std::os::unix::ffi::OsStrExt as _;
        use std::os::unix::process::CommandExt as _;
        let pkttyagent = require_tool(&["pkttyagent"]);
        let program_text = program.display().to_string();
        let mut all = vec!["-c", r#"read _ && exec "$@""#, "sh", &program_text];
        all.extend_from_slice(args);
        let mut client = self
            .command_as(Some(user), Path::new("sh"), &all)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the client");
        let release = client.stdin.take().expect("client stdin");

        // The agent's terminal: it reads the password from it, with echo off, and
        // prints polkit's questions on it.
        let pty = nix::pty::openpty(None, None).expect("openpty");
        let (master, slave) = (pty.master, pty.slave);
        // Concurrent tests spawn processes too: none of them may inherit these.
        for fd in [&master, &slave] {
            let cloexec = nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC);
            nix::fcntl::fcntl(fd, cloexec).expect("cloexec");
        }
        let (notify_read, notify_write) =
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).expect("pipe2");

        // Everything the child's pre_exec needs, allocated before the fork.
        let c = |s: &[u8]| std::ffi::CString::new(s).expect("no NUL");
        let socket = c(self
            .dir
            .path()
            .join("system_bus_socket")
            .as_os_str()
            .as_bytes());
        let (root, run_dbus, link, tmpfs) = (
            c(b"/"),
            c(b"/run/dbus"),
            c(b"/run/dbus/system_bus_socket"),
            c(b"tmpfs"),
        );
        fs::create_dir_all("/run/dbus").expect("/run/dbus");
        let notify_fd = notify_write.as_raw_fd();
        let mut agent = Command::new(pkttyagent);
        agent
            .args(["--process", &client.id().to_string(), "--notify-fd", "3"])
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.address)
            .stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::from(slave.try_clone().expect("dup")))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe system calls on memory prepared above.
        #[allow(unsafe_code)]
        unsafe {
            agent.pre_exec(move || {
                use nix::libc;
                let check = |rc: libc::c_int| {
                    if rc == -1 {
                        Err(std::io::Error::last_os_error())
                    } else {
                        Ok(())
                    }
                };
                // A session of its own with the pty as its controlling terminal, which
                // the text listener opens as /dev/tty.
                check(libc::setsid())?;
                check(libc::ioctl(0, libc::TIOCSCTTY, 0))?;
                if notify_fd == 3 {
                    // dup2 onto itself would keep close-on-exec.
                    check(libc::fcntl(3, libc::F_SETFD, 0))?;
                } else {
                    check(libc::dup2(notify_fd, 3))?;
                }
                // The setuid helper ignores DBUS_SYSTEM_BUS_ADDRESS: in a mount namespace
                // of the agent's own, the standard socket path leads to the test's bus.
                check(libc::unshare(libc::CLONE_NEWNS))?;
                check(libc::mount(
                    std::ptr::null(),
                    root.as_ptr(),
                    std::ptr::null(),
                    libc::MS_REC | libc::MS_PRIVATE,
                    std::ptr::null(),
                ))?;
                check(libc::mount(
                    tmpfs.as_ptr(),
                    run_dbus.as_ptr(),
                    tmpfs.as_ptr(),
                    0,
                    std::ptr::null(),
                ))?;
                check(libc::symlink(socket.as_ptr(), link.as_ptr()))
            });
        }
        let child = agent.spawn().expect("start pkttyagent");
        drop(notify_write);

        let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let reader = fs::File::from(master.try_clone().expect("dup"));
        {
            let output = output.clone();
            std::thread::spawn(move || {
                let mut reader = reader;
                let mut buf = [0u8; 1024];
                // Ends with EIO once the agent (the last holder of the pty) is gone.
                while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
                    if n == 0 {
                        break;
                    }
                    output
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        let mut agent = Agent {
            child,
            output,
            terminal: fs::File::from(master),
        };

        // Registered: pkttyagent closes the notify descriptor (or it exited).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut rest = Vec::new();
            let _ = std::io::Read::read_to_end(&mut fs::File::from(notify_read), &mut rest);
            let _ = tx.send(());
        });
        let registered = rx.recv_timeout(AGENT_REGISTRATION_LIMIT).is_ok();
        let exited = agent.child.try_wait().ok().flatten();
        if !registered || exited.is_some() {
            let _ = client.kill();
            let out = wait_output_within(client, "the held client", TOOL_LIMIT);
            panic!(
                "pkttyagent did not register for the client within {AGENT_REGISTRATION_LIMIT:?} \
                 (exit: {exited:?}); it printed: {:?}\nclient: {}{}\n{}",
                agent.output(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                self.log()
            );
        }
        // Let the client go on.
        let mut release = release;
        std::io::Write::write_all(&mut release, b"go\n").expect("release the client");
        drop(release);
        (client, agent)
    }

    /// A zbus connection to the private bus, as root.
    pub async fn connect(&self) -> zbus::Connection {
        zbus::connection::Builder::address(self.address.as_str())
            .expect("address")
            .build()
            .await
            .expect("connect to the private bus")
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.stop_daemon();
        if self.options.sandbox.is_some() {
            // Whatever the daemon left behind (it was killed, or a test failed).
            unmount_recursive(&self.target_root());
            for dev in self.sandbox_loops() {
                release_loop(&dev);
            }
        }
        if let Some(mut p) = self.polkitd.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

/// Runs an async test body with a hard timeout, so a hang fails instead of blocking CI.
pub fn with_timeout<F: std::future::Future<Output = ()>>(secs: u64, f: F) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(secs), f)
            .await
            .expect("test timed out");
    });
}

/// Exit code of a finished command.
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
