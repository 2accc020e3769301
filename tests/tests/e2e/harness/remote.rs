//! Stand-ins for what lies between the daemon and a remote model: a certificate authority
//! that only the test trusts (made with the openssl CLI, at test time), an HTTPS endpoint
//! that answers or misbehaves on purpose (`tests/openai-stub.py`), and a CONNECT proxy that
//! records the tunnels it opened. Nothing here touches the system's trust store.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use levitate_testkit::{require_tool, sh};

use super::repo_root;

/// A certificate authority of this test alone.
pub struct TestCa {
    dir: PathBuf,
    name: String,
    /// The CA's certificate (PEM): what a client must trust.
    pub cert: PathBuf,
    key: PathBuf,
}

impl TestCa {
    pub fn new(dir: &Path, name: &str) -> Self {
        require_tool(&["openssl"]);
        let cert = dir.join(format!("{name}-ca.pem"));
        let key = dir.join(format!("{name}-ca.key"));
        sh(Command::new("openssl")
            .args(["req", "-x509", "-nodes", "-newkey", "ec", "-pkeyopt"])
            .arg("ec_paramgen_curve:prime256v1")
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .args(["-days", "2", "-subj"])
            .arg(format!("/CN=levitate {name} test CA"))
            .args(["-addext", "basicConstraints=critical,CA:TRUE"])
            .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]));
        Self {
            dir: dir.to_owned(),
            name: name.to_owned(),
            cert,
            key,
        }
    }

    /// A server certificate and its key for `san` (`IP:127.0.0.1`, `DNS:localhost`).
    pub fn issue(&self, label: &str, san: &str) -> (PathBuf, PathBuf) {
        let base = self.dir.join(format!("{}-{label}", self.name));
        let (cert, key, csr, ext) = (
            base.with_extension("pem"),
            base.with_extension("key"),
            base.with_extension("csr"),
            base.with_extension("ext"),
        );
        std::fs::write(
            &ext,
            format!(
                "subjectAltName={san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            ),
        )
        .expect("extensions");
        sh(Command::new("openssl")
            .args(["req", "-nodes", "-newkey", "ec", "-pkeyopt"])
            .arg("ec_paramgen_curve:prime256v1")
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&csr)
            .args(["-subj", "/CN=levitate test endpoint"]));
        sh(Command::new("openssl")
            .args(["x509", "-req", "-in"])
            .arg(&csr)
            .arg("-CA")
            .arg(&self.cert)
            .arg("-CAkey")
            .arg(&self.key)
            .args(["-CAcreateserial", "-days", "2", "-out"])
            .arg(&cert)
            .arg("-extfile")
            .arg(&ext));
        (cert, key)
    }
}

/// Reads `LISTENING 127.0.0.1 PORT` from a child's stdout.
fn listening_port(child: &mut Child, what: &str) -> u16 {
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{what} did not say its port"));
    line.trim()
        .strip_prefix("LISTENING 127.0.0.1 ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{what} said {line:?}"))
}

/// `tests/openai-stub.py` over HTTPS on loopback; killed on drop.
pub struct Stub {
    child: Child,
    pub port: u16,
    record: PathBuf,
}

impl Stub {
    /// `mode`: `ok`, `json`, `flaky`, `stall` or `huge` (see the script).
    pub fn start(dir: &Path, (cert, key): &(PathBuf, PathBuf), mode: &str) -> Self {
        let record = dir.join(format!("stub-{mode}-{}.jsonl", super::free_port()));
        let mut child = Command::new(require_tool(&["python3"]))
            .arg(repo_root().join("tests/openai-stub.py"))
            .arg("--cert")
            .arg(cert)
            .arg("--key")
            .arg(key)
            .args(["--mode", mode])
            .arg("--record")
            .arg(&record)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tests/openai-stub.py");
        let port = listening_port(&mut child, "the stub endpoint");
        Self {
            child,
            port,
            record,
        }
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}/v1", self.port)
    }

    /// Every line recorded so far.
    pub fn records(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.record)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON record"))
            .collect()
    }

    /// The requests received.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.records()
            .into_iter()
            .filter(|r| r.get("path").is_some())
            .collect()
    }

    /// Waits up to `limit` for a record that `pred` accepts.
    pub fn wait_record(
        &self,
        limit: Duration,
        pred: impl Fn(&serde_json::Value) -> bool,
    ) -> Option<serde_json::Value> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(r) = self.records().into_iter().find(|r| pred(r)) {
                return Some(r);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP CONNECT proxy on loopback that records each tunnel's target; stopped on drop.
pub struct ConnectProxy {
    pub port: u16,
    seen: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

fn tunnel(mut client: TcpStream, seen: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        if client.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut words = head.split_whitespace();
    let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
        let _ = client.write_all(b"HTTP/1.1 405 Only CONNECT\r\n\r\n");
        return;
    };
    seen.lock().expect("lock").push(target.to_owned());
    let Ok(upstream) = TcpStream::connect(target) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let (mut c2, mut u2) = (
        client.try_clone().expect("clone"),
        upstream.try_clone().expect("clone"),
    );
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut u2);
        let _ = u2.shutdown(Shutdown::Write);
    });
    let (mut client, mut upstream) = (client, upstream);
    let _ = std::io::copy(&mut upstream, &mut client);
    let _ = client.shutdown(Shutdown::Write);
    let _ = up.join();
}

impl ConnectProxy {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (seen.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(conn) = conn {
                    let s = s.clone();
                    std::thread::spawn(move || tunnel(conn, &s));
                }
            }
        });
        Self { port, seen, stop }
    }

    /// The `host:port` of every tunnel opened so far.
    pub fn tunnels(&self) -> Vec<String> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}
