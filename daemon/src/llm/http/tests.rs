//! The client against a scripted HTTP server on loopback: answers, streams, retries,
//! bounds and deadlines. TLS and proxies are tested end to end (`tests/tests/e2e`).

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use super::*;

/// What the scripted server does with one request.
#[derive(Clone)]
enum Reply {
    /// Status, content type and body, with a Content-Length.
    Full(u16, &'static str, String),
    /// A 429 with `Retry-After: 0`.
    Busy,
    /// Headers, then nothing more.
    Stall,
    /// Headers claiming a gibibyte, then zeros for as long as the client reads.
    Huge { with_length: bool },
    /// Server-sent events, each after a pause.
    Events(Vec<(u64, String)>),
}

struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
    /// Bytes of body the server managed to write.
    written: Arc<AtomicUsize>,
    last_request: Arc<std::sync::Mutex<String>>,
}

async fn read_request(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

async fn serve(script: Vec<Reply>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(AtomicUsize::new(0));
    let written = Arc::new(AtomicUsize::new(0));
    let last_request = Arc::new(std::sync::Mutex::new(String::new()));
    let (r, w, l) = (requests.clone(), written.clone(), last_request.clone());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let n = r.fetch_add(1, Ordering::SeqCst);
            let reply = script[n.min(script.len() - 1)].clone();
            let (w, l) = (w.clone(), l.clone());
            tokio::spawn(async move {
                *l.lock().expect("lock") = read_request(&mut s).await;
                match reply {
                    Reply::Full(status, kind, body) => {
                        let head = format!("HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                        let _ = s.write_all(head.as_bytes()).await;
                        let _ = s.write_all(body.as_bytes()).await;
                    }
                    Reply::Busy => {
                        let _ = s.write_all(b"HTTP/1.1 429 Busy\r\nRetry-After: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
                    }
                    Reply::Stall => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n").await;
                        tokio::time::sleep(Duration::from_secs(30)).await;
                    }
                    Reply::Huge { with_length } => {
                        let head = if with_length {
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n"
                        } else {
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                        };
                        let _ = s.write_all(head.as_bytes()).await;
                        let zeros = vec![b'0'; 64 * 1024];
                        for _ in 0..(1 << 14) {
                            if s.write_all(&zeros).await.is_err() {
                                break;
                            }
                            w.fetch_add(zeros.len(), Ordering::SeqCst);
                        }
                    }
                    Reply::Events(events) => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n").await;
                        for (pause, data) in events {
                            tokio::time::sleep(Duration::from_millis(pause)).await;
                            if s.write_all(format!("data: {data}\n\n").as_bytes())
                                .await
                                .is_err()
                            {
                                break;
                            }
                        }
                    }
                }
            });
        }
    });
    Server {
        port,
        requests,
        written,
        last_request,
    }
}

fn endpoint(port: u16, retries: u32, key: Option<&str>) -> Endpoint {
    Endpoint::new(
        &EndpointConfig {
            url: format!("http://127.0.0.1:{port}"),
            ca_file: None,
            connect_timeout: Duration::from_secs(1),
            retries,
            use_proxy: false,
        },
        key,
    )
    .expect("endpoint")
}

fn answer(content: &str) -> String {
    json!({"choices": [{"message": {"role": "assistant", "content": content}}]}).to_string()
}

fn delta(content: &str) -> String {
    json!({"choices": [{"delta": {"content": content}, "finish_reason": null}]}).to_string()
}

fn never(_: &str) -> bool {
    false
}

async fn chat(e: &Endpoint, within: Duration) -> Result<ChatReply, HttpError> {
    e.chat(&json!({"messages": []}), Instant::now() + within, &never)
        .await
}

#[tokio::test]
async fn a_plain_json_answer_is_read_and_the_key_sent() {
    let s = serve(vec![Reply::Full(200, "application/json", answer("hi"))]).await;
    let e = endpoint(s.port, 0, Some("sk-marker"));
    let r = chat(&e, Duration::from_secs(5)).await.expect("answer");
    assert_eq!((r.content(), r.complete), ("hi", true));
    let request = s.last_request.lock().expect("lock").clone();
    assert!(
        request.starts_with("POST /v1/chat/completions "),
        "{request}"
    );
    assert!(
        request.contains("authorization: Bearer sk-marker")
            || request.contains("Authorization: Bearer sk-marker"),
        "{request}"
    );
    assert!(request.contains(r#""stream":true"#), "{request}");
    assert!(!format!("{e:?}").contains("sk-marker"));
}

#[tokio::test]
async fn a_key_the_server_echoes_is_taken_out_of_the_error() {
    let s = serve(vec![Reply::Full(
        401,
        "application/json",
        json!({"error": {"message": "invalid key sk-marker"}}).to_string(),
    )])
    .await;
    let e = chat(
        &endpoint(s.port, 0, Some("sk-marker")),
        Duration::from_secs(5),
    )
    .await
    .expect_err("401");
    assert_eq!(
        e.to_string(),
        format!(
            "http://127.0.0.1:{} answered with status 401: invalid key [the API key]",
            s.port
        )
    );
}

#[tokio::test]
async fn a_stream_is_put_back_together() {
    let call = |i: u64, name: Option<&str>, args: &str| {
        json!({"choices": [{"delta": {"tool_calls": [{"index": i, "function": {"name": name, "arguments": args}}]}}]}).to_string()
    };
    let s = serve(vec![Reply::Events(vec![
        (0, delta("<tool_")),
        (0, delta("call>")),
        (0, call(0, Some("set_hostname"), "{\"name\":")),
        (0, call(0, None, " \"box\"}")),
        (0, "[DONE]".into()),
    ])])
    .await;
    let r = chat(&endpoint(s.port, 0, None), Duration::from_secs(5))
        .await
        .expect("answer");
    assert!(r.complete);
    assert_eq!(r.content(), "<tool_call>");
    assert_eq!(
        r.message["tool_calls"][0]["function"],
        json!({"name": "set_hostname", "arguments": "{\"name\": \"box\"}"})
    );
}

#[tokio::test]
async fn a_slow_stream_gives_what_arrived_by_the_deadline() {
    let s = serve(vec![Reply::Events(vec![
        (0, delta("<tool_call>{\"name\": \"status\"}</tool_call>")),
        (5000, delta(" and more")),
    ])])
    .await;
    let e = endpoint(s.port, 0, None);
    let started = std::time::Instant::now();
    let r = chat(&e, Duration::from_millis(500)).await.expect("partial");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!r.complete);
    assert!(r.content().ends_with("</tool_call>"));
    // The caller may stop reading once it has what it needs.
    let s = serve(vec![Reply::Events(vec![
        (0, delta("<tool_call>{}</tool_call>")),
        (5000, delta("x")),
    ])])
    .await;
    let started = std::time::Instant::now();
    let r = endpoint(s.port, 0, None)
        .chat(
            &json!({}),
            Instant::now() + Duration::from_secs(10),
            &|c: &str| c.contains("</tool_call>"),
        )
        .await
        .expect("answer");
    assert!(r.complete && started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn server_errors_are_retried_and_client_errors_are_not() {
    let s = serve(vec![
        Reply::Full(500, "text/plain", "boom".into()),
        Reply::Busy,
        Reply::Full(200, "application/json", answer("ok")),
    ])
    .await;
    let r = chat(&endpoint(s.port, 2, None), Duration::from_secs(5))
        .await
        .expect("retried");
    assert_eq!(r.content(), "ok");
    assert_eq!(s.requests.load(Ordering::SeqCst), 3);

    let s = serve(vec![Reply::Full(
        400,
        "application/json",
        json!({"error": {"message": "unknown model"}}).to_string(),
    )])
    .await;
    let e = chat(&endpoint(s.port, 3, None), Duration::from_secs(5))
        .await
        .expect_err("400");
    assert!(
        matches!(&e, HttpError::Status { status: 400, body, .. } if body == "unknown model"),
        "{e}"
    );
    assert_eq!(s.requests.load(Ordering::SeqCst), 1);

    // Retries stop with the retry budget, and the last error is the one told.
    let s = serve(vec![Reply::Full(503, "text/plain", "down".into())]).await;
    let e = chat(&endpoint(s.port, 1, None), Duration::from_secs(5))
        .await
        .expect_err("503");
    assert!(e.to_string().contains("status 503: down"), "{e}");
    assert_eq!(s.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_within_the_deadline() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let started = std::time::Instant::now();
    let e = chat(&endpoint(port, 10, None), Duration::from_millis(900))
        .await
        .expect_err("refused");
    assert!(matches!(e, HttpError::Connect { .. }), "{e}");
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_stalled_server_times_out_at_the_deadline() {
    let s = serve(vec![Reply::Stall]).await;
    let started = std::time::Instant::now();
    let e = chat(&endpoint(s.port, 2, None), Duration::from_millis(600))
        .await
        .expect_err("stall");
    assert!(matches!(e, HttpError::Timeout { .. }), "{e}");
    assert!(e.to_string().contains("did not answer within"), "{e}");
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(s.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_huge_answer_is_refused_without_reading_it() {
    for with_length in [true, false] {
        let s = serve(vec![Reply::Huge { with_length }]).await;
        let e = chat(&endpoint(s.port, 0, None), Duration::from_secs(20))
            .await
            .expect_err("huge");
        assert!(matches!(e, HttpError::TooLarge { .. }), "{e}");
        tokio::time::sleep(Duration::from_millis(200)).await;
        let written = s.written.load(Ordering::SeqCst);
        // Socket buffers take a few MiB at most; the gibibyte was never read.
        assert!(
            written < 32 << 20,
            "{written} bytes written (length given: {with_length})"
        );
    }
}

#[test]
fn urls() {
    for ok in [
        "http://127.0.0.1:8765",
        "https://api.example.com/v1",
        "http://localhost:11434/v1/",
    ] {
        assert!(parse_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "ftp://x:1",
        "http://",
        "https://user:pw@example.com/v1",
        "example.com",
        "https://example.com/v1?key=x",
    ] {
        assert!(parse_url(bad).is_err(), "{bad}");
    }
    let at = |url: &str| {
        Endpoint::new(
            &EndpointConfig {
                url: url.into(),
                ca_file: None,
                connect_timeout: Duration::from_secs(1),
                retries: 0,
                use_proxy: false,
            },
            None,
        )
        .expect("endpoint")
        .completions_url()
        .to_string()
    };
    assert_eq!(
        at("http://127.0.0.1:9"),
        "http://127.0.0.1:9/v1/chat/completions"
    );
    assert_eq!(at("http://h:9/v1/"), "http://h:9/v1/chat/completions");
    assert_eq!(
        at("https://h/v1beta/openai"),
        "https://h/v1beta/openai/chat/completions"
    );
}

#[test]
fn a_missing_or_empty_ca_file_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").expect("write");
    for path in [dir.path().join("missing.pem"), empty] {
        let e = Endpoint::new(
            &EndpointConfig {
                url: "https://example.com".into(),
                ca_file: Some(path.clone()),
                connect_timeout: Duration::from_secs(1),
                retries: 0,
                use_proxy: true,
            },
            None,
        )
        .expect_err("bad CA file");
        assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    }
}

#[test]
fn events_split_anywhere_are_read_alike() {
    let stream = format!(
        "data: {}\r\n\r\n: a comment\n\ndata: {}\n\ndata: [DONE]\n\n",
        delta("ab"),
        delta("c")
    );
    for split in 0..stream.len() {
        let mut r = SseReader::default();
        r.feed(&stream.as_bytes()[..split]).expect("first part");
        r.feed(&stream.as_bytes()[split..]).expect("second part");
        assert!(r.done, "{split}");
        assert_eq!(r.finish(true).content(), "abc");
    }
    let mut r = SseReader::default();
    assert!(r.feed(b"data: {not json\n").is_err());
    let mut r = SseReader::default();
    assert!(r
        .feed(b"data: {\"error\": {\"message\": \"x\"}}\n")
        .is_err());
}
