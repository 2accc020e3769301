//! The HTTP client of the assistant: the embedded server on loopback, or an
//! OpenAI-compatible endpoint over HTTP or HTTPS (rustls with the system's CA certificates
//! and an optional extra CA file; `HTTPS_PROXY`/`NO_PROXY` honoured for remote endpoints).
//!
//! Every call has a deadline, never exceeded: connecting, retrying and reading all count
//! against it. Answers are streamed where the endpoint offers it, so what arrived before the
//! deadline can still be used, and reading stops as soon as the caller has what it needs.
//! Bodies are bounded: a larger one is refused without being read to its end.

use std::{
    error::Error as _,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use reqwest::{
    header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER},
    Client, StatusCode, Url,
};
use serde_json::{json, Value};
use tokio::time::{sleep, timeout_at, Instant};
use tracing::{debug, info};
use zeroize::Zeroizing;

/// Largest response body read; a chat answer of a few tokens is far below it.
pub const MAX_RESPONSE: usize = 1 << 20;
/// First wait between retries; doubled each time, never past the deadline.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{0} is not an http:// or https:// URL with a host")]
    BadUrl(String),
    #[error("cannot read the CA certificates in {0}: {1}")]
    CaFile(PathBuf, String),
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
    #[error("cannot connect to {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error(
        "the TLS certificate of {url} is not trusted ({reason}); when a private CA signed it, \
         name that CA's certificate as ca_file in the assistant configuration"
    )]
    Certificate { url: String, reason: String },
    #[error(
        "the TLS certificate of {url} was made for another name ({reason}); the url must \
         name the host the certificate is for"
    )]
    CertificateName { url: String, reason: String },
    #[error("TLS with {url} failed: {reason}")]
    Tls { url: String, reason: String },
    #[error("{url} did not answer within {:.1} s", .after.as_secs_f64())]
    Timeout { url: String, after: Duration },
    #[error("{url} sent more than {limit} bytes; the answer was refused")]
    TooLarge { url: String, limit: usize },
    #[error("{url} sent a malformed answer: {reason}")]
    Malformed { url: String, reason: String },
    #[error("{url} answered with status {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
        /// The server's `Retry-After`, honoured within the deadline.
        retry_after: Option<Duration>,
    },
    #[error("error talking to {url}: {reason}")]
    Io { url: String, reason: String },
}

impl HttpError {
    /// Worth another try: the server could not be reached, or said it is busy or broken.
    /// Never a 4xx other than 429 (the request itself is wrong), nor a certificate.
    fn retryable(&self) -> bool {
        match self {
            Self::Connect { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}

/// How to reach an endpoint.
#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// `http(s)://host[:port][/base]`: the OpenAI base URL (`https://api.example.com/v1`);
    /// a URL without a path means the server's root, where `/v1/...` lives.
    pub url: String,
    /// An extra PEM file of CA certificates trusted besides the system's.
    pub ca_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// Retries after the first try, within the call's deadline.
    pub retries: u32,
    /// Loopback servers are never reached through a proxy.
    pub use_proxy: bool,
}

/// An OpenAI-compatible endpoint. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct Endpoint {
    base: Url,
    client: Client,
    /// `Bearer KEY`, marked sensitive so that no debug output shows it.
    auth: Option<HeaderValue>,
    /// The key itself, only to take it out of what a server says back.
    key: Option<Arc<Zeroizing<String>>>,
    retries: u32,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url())
            .field("key", &self.auth.as_ref().map(|_| "(set)"))
            .finish_non_exhaustive()
    }
}

/// The answer of a chat completion, streamed or not.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ChatReply {
    /// The message in OpenAI's shape: `content` and, when given, `tool_calls`.
    pub message: Value,
    /// False when the deadline (or the caller's `enough`) ended the stream early.
    pub complete: bool,
}

impl ChatReply {
    pub fn content(&self) -> &str {
        self.message["content"].as_str().unwrap_or_default()
    }
}

/// `url` checked and parsed: http or https, a host, no credentials in it (they would be
/// logged and shown; the key has its own file).
pub fn parse_url(url: &str) -> Result<Url, HttpError> {
    let parsed = Url::parse(url).map_err(|_| HttpError::BadUrl(url.into()))?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.host_str().is_none_or(str::is_empty)
        || !parsed.username().is_empty()
        || parsed.password().is_some()
        || parsed.query().is_some()
    {
        return Err(HttpError::BadUrl(url.into()));
    }
    Ok(parsed)
}

fn read_ca(path: &Path) -> Result<Vec<reqwest::Certificate>, HttpError> {
    let pem = std::fs::read(path).map_err(|e| HttpError::CaFile(path.into(), e.to_string()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|e| HttpError::CaFile(path.into(), e.to_string()))?;
    if certs.is_empty() {
        return Err(HttpError::CaFile(
            path.into(),
            "no PEM certificate in it".into(),
        ));
    }
    Ok(certs)
}

impl Endpoint {
    pub fn new(config: &EndpointConfig, api_key: Option<&str>) -> Result<Self, HttpError> {
        let mut base = parse_url(&config.url)?;
        let path = base.path().trim_end_matches('/').to_owned();
        base.set_path(&path);
        let mut builder = Client::builder()
            .use_rustls_tls()
            .connect_timeout(config.connect_timeout)
            // A redirect could carry the key elsewhere; an API does not redirect.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("levitate-installer/", env!("CARGO_PKG_VERSION")));
        if !config.use_proxy {
            builder = builder.no_proxy();
        }
        if let Some(path) = &config.ca_file {
            for cert in read_ca(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder.build().map_err(|e| HttpError::Client(chain(&e)))?;
        let auth = match api_key {
            Some(key) => {
                let value = Zeroizing::new(format!("Bearer {key}"));
                let mut value = HeaderValue::from_str(&value).map_err(|_| {
                    HttpError::Client("the API key has characters a header cannot carry".into())
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(Self {
            base,
            client,
            auth,
            key: api_key.map(|k| Arc::new(Zeroizing::new(k.to_owned()))),
            retries: config.retries,
        })
    }

    /// The embedded server on `127.0.0.1:port`: no proxy, no retries (the supervisor
    /// restarts it), a short connect timeout.
    pub fn loopback(port: u16) -> Result<Self, HttpError> {
        Self::new(
            &EndpointConfig {
                url: format!("http://127.0.0.1:{port}"),
                ca_file: None,
                connect_timeout: Duration::from_secs(1),
                retries: 0,
                use_proxy: false,
            },
            None,
        )
    }

    /// The base URL, as shown to people (it never holds credentials).
    pub fn url(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_owned()
    }

    /// `GET /health` at the server's root: the status code.
    pub async fn health(&self, within: Duration) -> Result<u16, HttpError> {
        let mut url = self.base.clone();
        url.set_path("/health");
        let resp = self
            .client
            .get(url)
            .timeout(within)
            .send()
            .await
            .map_err(|e| self.classify(&e, within))?;
        Ok(resp.status().as_u16())
    }

    /// OpenAI's `chat/completions` below the base path; at a bare root, `/v1/...`.
    fn completions_url(&self) -> Url {
        let mut url = self.base.clone();
        let path = if self.base.path().trim_matches('/').is_empty() {
            "/v1/chat/completions".to_owned()
        } else {
            format!(
                "{}/chat/completions",
                self.base.path().trim_end_matches('/')
            )
        };
        url.set_path(&path);
        url
    }

    /// POSTs a chat completion, streamed (`"stream": true`; a server that does not stream
    /// answers with plain JSON, which is read as well). Retries connection failures, 429
    /// and 5xx with backoff while the deadline allows. Stops reading once `enough` says the
    /// content so far holds what the caller needs. At the deadline, a stream that had begun
    /// returns what arrived, marked incomplete.
    pub async fn chat(
        &self,
        body: &Value,
        deadline: Instant,
        enough: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<ChatReply, HttpError> {
        let started = Instant::now();
        let mut body = body.clone();
        body["stream"] = json!(true);
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 0;
        loop {
            match self
                .chat_once(&body, deadline, started, enough)
                .await
                .map_err(|e| self.redact(e))
            {
                Err(e) if e.retryable() && attempt < self.retries => {
                    let wait = match &e {
                        HttpError::Status {
                            retry_after: Some(after),
                            ..
                        } => backoff.max(*after),
                        _ => backoff,
                    };
                    if Instant::now() + wait >= deadline {
                        return Err(e);
                    }
                    info!(error = %e, retry_in_ms = wait.as_millis(), "retrying the model's endpoint");
                    sleep(wait).await;
                    backoff *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn chat_once(
        &self,
        body: &Value,
        deadline: Instant,
        started: Instant,
        enough: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<ChatReply, HttpError> {
        let url = self.url();
        let timeout = || HttpError::Timeout {
            url: url.clone(),
            after: started.elapsed(),
        };
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut request = self
            .client
            .post(self.completions_url())
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
            // A backstop only: the deadline below ends the call first, and cleanly.
            .timeout(remaining + Duration::from_secs(1));
        if let Some(auth) = &self.auth {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        let mut resp = timeout_at(deadline, request.send())
            .await
            .map_err(|_| timeout())?
            .map_err(|e| self.classify(&e, started.elapsed()))?;
        let status = resp.status();
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_RESPONSE as u64)
        {
            return Err(HttpError::TooLarge {
                url,
                limit: MAX_RESPONSE,
            });
        }
        let streamed = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut raw = Vec::new();
        let mut events = SseReader::default();
        loop {
            let chunk = match timeout_at(deadline, resp.chunk()).await {
                Err(_) if status.is_success() && streamed && events.started() => {
                    debug!(%url, "the deadline ended the model's stream");
                    return Ok(events.finish(false));
                }
                Err(_) => return Err(timeout()),
                Ok(Err(e)) => return Err(self.classify(&e, started.elapsed())),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => chunk,
            };
            if raw.len() + chunk.len() > MAX_RESPONSE || events.total + chunk.len() > MAX_RESPONSE {
                return Err(HttpError::TooLarge {
                    url,
                    limit: MAX_RESPONSE,
                });
            }
            if streamed && status.is_success() {
                events.feed(&chunk).map_err(|reason| HttpError::Malformed {
                    url: url.clone(),
                    reason,
                })?;
                if events.done || enough(&events.content) {
                    return Ok(events.finish(true));
                }
            } else {
                raw.extend_from_slice(&chunk);
            }
        }
        if !status.is_success() {
            return Err(status_error(url, status, &raw, retry_after));
        }
        if streamed {
            return Ok(events.finish(true));
        }
        let reply: Value = serde_json::from_slice(&raw).map_err(|e| HttpError::Malformed {
            url: url.clone(),
            reason: format!("not JSON ({e})"),
        })?;
        let message = reply["choices"][0]["message"].clone();
        if !message.is_object() {
            return Err(HttpError::Malformed {
                url,
                reason: "no choices[0].message".into(),
            });
        }
        Ok(ChatReply {
            message,
            complete: true,
        })
    }

    /// A server may echo the key in its error ("invalid key sk-..."); what it says goes to
    /// the log and the bus, the key must not.
    fn redact(&self, e: HttpError) -> HttpError {
        let Some(key) = self.key.as_deref().filter(|k| !k.is_empty()) else {
            return e;
        };
        let clean = |text: String| text.replace(key.as_str(), "[the API key]");
        match e {
            HttpError::Status {
                url,
                status,
                body,
                retry_after,
            } => HttpError::Status {
                url,
                status,
                body: clean(body),
                retry_after,
            },
            HttpError::Malformed { url, reason } => HttpError::Malformed {
                url,
                reason: clean(reason),
            },
            other => other,
        }
    }

    /// A transport error in words a person can act on; certificates are named as such.
    fn classify(&self, e: &reqwest::Error, after: Duration) -> HttpError {
        let url = self.url();
        if let Some(tls) = e.source().and_then(rustls_error) {
            return match tls {
                rustls::Error::InvalidCertificate(
                    reason @ (rustls::CertificateError::NotValidForName
                    | rustls::CertificateError::NotValidForNameContext { .. }),
                ) => HttpError::CertificateName {
                    url,
                    reason: reason.to_string(),
                },
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer) => {
                    HttpError::Certificate {
                        url,
                        reason: "UnknownIssuer: signed by a certificate authority this machine \
                                 does not trust"
                            .into(),
                    }
                }
                rustls::Error::InvalidCertificate(reason) => HttpError::Certificate {
                    url,
                    reason: reason.to_string(),
                },
                other => HttpError::Tls {
                    url,
                    reason: other.to_string(),
                },
            };
        }
        if e.is_timeout() {
            HttpError::Timeout { url, after }
        } else if e.is_connect() {
            HttpError::Connect {
                url,
                reason: chain(e),
            }
        } else {
            HttpError::Io {
                url,
                reason: chain(e),
            }
        }
    }
}

fn status_error(
    url: String,
    status: StatusCode,
    body: &[u8],
    retry_after: Option<Duration>,
) -> HttpError {
    // An OpenAI error says what is wrong in error.message; otherwise the start of the body.
    let text = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    HttpError::Status {
        url,
        status: status.as_u16(),
        body: crate::validate::display_text(&text, 300),
        retry_after,
    }
}

/// The TLS error behind a transport error. hyper-rustls hands it over inside `io::Error`s,
/// whose `source()` skips the error they wrap, so those are opened by hand.
fn rustls_error<'a>(mut e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    loop {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        e = match e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => inner,
            None => e.source()?,
        };
    }
}

/// An error and its causes in one line, without the URL reqwest repeats.
fn chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

/// Server-sent events of a streamed chat completion, put back together: the content
/// deltas concatenated, tool-call fragments joined by index.
#[derive(Default)]
struct SseReader {
    line: Vec<u8>,
    content: String,
    tool_calls: Vec<(String, String)>,
    events: usize,
    total: usize,
    done: bool,
}

impl SseReader {
    fn started(&self) -> bool {
        self.events > 0
    }

    fn feed(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.total += bytes.len();
        for &b in bytes {
            if b != b'\n' {
                self.line.push(b);
                continue;
            }
            let line = std::mem::take(&mut self.line);
            let line = String::from_utf8(line).map_err(|_| "an event is not UTF-8".to_owned())?;
            let Some(data) = line.trim_end_matches('\r').strip_prefix("data:") else {
                continue; // comments, `event:`, `id:` and the blank line between events
            };
            let data = data.trim();
            if data == "[DONE]" {
                self.done = true;
                return Ok(());
            }
            let event: Value =
                serde_json::from_str(data).map_err(|e| format!("an event is not JSON ({e})"))?;
            if let Some(message) = event.get("error") {
                return Err(format!("the stream reports an error: {message}"));
            }
            self.events += 1;
            let choice = &event["choices"][0];
            let delta = if choice["delta"].is_object() {
                &choice["delta"]
            } else {
                &choice["message"]
            };
            if let Some(text) = delta["content"].as_str() {
                self.content.push_str(text);
            }
            for call in delta["tool_calls"].as_array().into_iter().flatten() {
                let index = call["index"]
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .unwrap_or(self.tool_calls.len());
                if index >= 16 {
                    continue;
                }
                if self.tool_calls.len() <= index {
                    self.tool_calls
                        .resize(index + 1, (String::new(), String::new()));
                }
                let slot = &mut self.tool_calls[index];
                if let Some(name) = call["function"]["name"].as_str() {
                    slot.0.push_str(name);
                }
                if let Some(args) = call["function"]["arguments"].as_str() {
                    slot.1.push_str(args);
                }
            }
            if choice["finish_reason"].is_string() {
                self.done = true;
                return Ok(());
            }
        }
        Ok(())
    }

    fn finish(self, complete: bool) -> ChatReply {
        let tool_calls: Vec<Value> = self
            .tool_calls
            .into_iter()
            .filter(|(name, _)| !name.is_empty())
            .map(|(name, arguments)| json!({"type": "function", "function": {"name": name, "arguments": arguments}}))
            .collect();
        let mut message = json!({"role": "assistant", "content": self.content});
        if !tool_calls.is_empty() {
            message["tool_calls"] = Value::Array(tool_calls);
        }
        ChatReply { message, complete }
    }
}

#[cfg(test)]
mod tests;
