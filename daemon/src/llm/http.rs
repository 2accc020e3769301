//! A minimal HTTP/1.1 client for the language-model server on loopback, or an external
//! OpenAI-compatible endpoint over plain HTTP. One request per connection; bounded reads.

use std::time::Duration;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// Largest response body read.
const MAX_RESPONSE: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{0} is not an http://host:port URL")]
    BadUrl(String),
    #[error("cannot connect to {0}: {1}")]
    Connect(String, std::io::Error),
    #[error("I/O error talking to {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} did not answer in time")]
    Timeout(String),
    #[error("{0} sent a malformed response")]
    Malformed(String),
    #[error("{0} answered with status {1}: {2}")]
    Status(String, u16, String),
}

/// `http://host:port[/base]` split into the socket address and the path prefix.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub authority: String,
    pub base: String,
    /// Sent as `Authorization: Bearer`, never logged.
    pub api_key: Option<String>,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Self, HttpError> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| HttpError::BadUrl(url.into()))?;
        let (authority, base) = rest
            .split_once('/')
            .map_or((rest, String::new()), |(a, b)| {
                (a, format!("/{}", b.trim_end_matches('/')))
            });
        if authority.is_empty()
            || !authority.contains(':')
            || authority.contains(char::is_whitespace)
        {
            return Err(HttpError::BadUrl(url.into()));
        }
        Ok(Self {
            authority: authority.to_owned(),
            base,
            api_key: None,
        })
    }

    /// `GET path` or `POST path` with a JSON body; returns the status and the body.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        timeout: Duration,
    ) -> Result<(u16, Vec<u8>), HttpError> {
        tokio::time::timeout(timeout, self.request_inner(method, path, body))
            .await
            .map_err(|_| HttpError::Timeout(self.authority.clone()))?
    }

    async fn request_inner(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<(u16, Vec<u8>), HttpError> {
        let a = &self.authority;
        let mut s = TcpStream::connect(a)
            .await
            .map_err(|e| HttpError::Connect(a.clone(), e))?;
        let payload = body.map(ToString::to_string).unwrap_or_default();
        let mut head = format!("{method} {}{path} HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\nAccept: application/json\r\n", self.base);
        if let Some(key) = &self.api_key {
            head.push_str("Authorization: Bearer ");
            head.push_str(key);
            head.push_str("\r\n");
        }
        if body.is_some() {
            head.push_str("Content-Type: application/json\r\nContent-Length: ");
            head.push_str(&payload.len().to_string());
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())
            .await
            .map_err(|e| HttpError::Io(a.clone(), e))?;
        s.write_all(payload.as_bytes())
            .await
            .map_err(|e| HttpError::Io(a.clone(), e))?;
        let mut raw = Vec::new();
        // On the heap: a 16 KiB array would make every future holding this one large.
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = s
                .read(&mut chunk)
                .await
                .map_err(|e| HttpError::Io(a.clone(), e))?;
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..n]);
            if raw.len() > MAX_RESPONSE {
                return Err(HttpError::Malformed(a.clone()));
            }
        }
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| HttpError::Malformed(a.clone()))?;
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| HttpError::Malformed(a.clone()))?;
        let mut body = raw[split + 4..].to_vec();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body).ok_or_else(|| HttpError::Malformed(a.clone()))?;
        }
        Ok((status, body))
    }

    /// POSTs JSON and parses a JSON answer; non-2xx statuses are errors.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
        timeout: Duration,
    ) -> Result<serde_json::Value, HttpError> {
        let (status, bytes) = self.request("POST", path, Some(body), timeout).await?;
        if !(200..300).contains(&status) {
            let text: String = String::from_utf8_lossy(&bytes).chars().take(300).collect();
            return Err(HttpError::Status(self.authority.clone(), status, text));
        }
        serde_json::from_slice(&bytes).map_err(|_| HttpError::Malformed(self.authority.clone()))
    }
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size = usize::from_str_radix(
            std::str::from_utf8(&data[..line_end])
                .ok()?
                .split(';')
                .next()?
                .trim(),
            16,
        )
        .ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let e = Endpoint::parse("http://127.0.0.1:8765").expect("url");
        assert_eq!(
            (e.authority.as_str(), e.base.as_str()),
            ("127.0.0.1:8765", "")
        );
        let e = Endpoint::parse("http://localhost:11434/v1/").expect("url");
        assert_eq!(e.base, "/v1");
        for bad in ["https://x:1", "http://", "ftp://x:1", "http://nohost"] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").as_deref(),
            Some(&b"abcde"[..])
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"5\r\nab"), None);
    }
}
