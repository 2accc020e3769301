//! Which model answers: `/etc/levitate-installer/assistant.toml` (documented in
//! `docs/assistant.toml`), then the command line, which wins. Only paths to secrets live
//! here, never a key itself, so the file may be read by anyone and shown in bug reports.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use serde::Deserialize;

use super::choice::Requested;

pub const DEFAULT_PATH: &str = "/etc/levitate-installer/assistant.toml";

/// Who answers what the interpreter did not understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// The model shipped with the installer, on loopback.
    Embedded,
    /// An OpenAI-compatible endpoint (`[remote]`).
    Remote,
    /// Nobody: the interpreter alone.
    Off,
}

/// What answers when the embedded model cannot run (not installed, damaged, its server
/// does not start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fallback {
    Remote,
    None,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    provider: Option<Provider>,
    fallback: Option<Fallback>,
    #[serde(default)]
    remote: RemoteSection,
    #[serde(default)]
    embedded: EmbeddedSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoteSection {
    url: Option<String>,
    model: Option<String>,
    key_file: Option<PathBuf>,
    ca_file: Option<PathBuf>,
    connect_timeout: Option<f64>,
    timeout: Option<f64>,
    retries: Option<u32>,
    grammar: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmbeddedSection {
    timeout: Option<f64>,
    /// The variant to run instead of the one the hardware chooses.
    model: Option<String>,
}

/// A remote endpoint, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteConfig {
    pub url: String,
    /// Sent as `model`; an endpoint serving one model may not need it.
    pub model: Option<String>,
    /// Owned by root, mode 600; read when the assistant starts.
    pub key_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub connect_timeout: Duration,
    /// One answer, retries included.
    pub timeout: Duration,
    pub retries: u32,
    /// Send llama.cpp's `grammar` field (llama-server, our server, Ollama ignore or use
    /// it); off for APIs that refuse unknown fields.
    pub grammar: bool,
}

/// The assistant's settings, resolved from the file and the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct AssistantConfig {
    pub provider: Provider,
    pub fallback: Fallback,
    pub remote: Option<RemoteConfig>,
    /// One answer of the embedded model.
    pub embedded_timeout: Duration,
    /// Why `provider` answers, in words (`Manager.Assistant`'s `reason`).
    pub reason: String,
    /// The embedded model's variant asked for by name (`--model`, `[embedded] model`);
    /// None: the hardware chooses.
    pub variant: Option<Requested>,
}

/// What the command line says; each given value wins over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--llm off`.
    pub off: bool,
    /// `--llm-url`: the remote endpoint answers.
    pub url: Option<String>,
    pub key_file: Option<PathBuf>,
    pub model: Option<String>,
    /// `--model VARIANT`: the embedded model's variant.
    pub variant: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the assistant configuration {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("the assistant configuration {0} is not valid: {1}")]
    Invalid(PathBuf, String),
}

const DEFAULT_EMBEDDED_TIMEOUT: Duration = Duration::from_millis(1200);
const DEFAULT_REMOTE_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_RETRIES: u32 = 2;

fn seconds(value: Option<f64>, default: Duration, name: &str) -> Result<Duration, String> {
    match value {
        None => Ok(default),
        Some(s) if s.is_finite() && s > 0.0 && s <= 600.0 => Ok(Duration::from_secs_f64(s)),
        Some(s) => Err(format!(
            "{name} = {s}: give seconds, more than 0 and at most 600"
        )),
    }
}

/// Reads `path` (a missing file is the defaults unless it was named on the command line)
/// and applies the command line over it.
pub fn load(
    path: &Path,
    named: bool,
    overrides: &Overrides,
) -> Result<AssistantConfig, ConfigError> {
    if overrides.off {
        return Ok(AssistantConfig {
            provider: Provider::Off,
            fallback: Fallback::None,
            remote: None,
            embedded_timeout: DEFAULT_EMBEDDED_TIMEOUT,
            reason: "turned off with --llm off".into(),
            variant: None,
        });
    }
    let (file, from_file) = match std::fs::read_to_string(path) {
        Ok(text) => {
            check_owner(path)?;
            (parse(path, &text)?, true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => {
            (FileConfig::default(), false)
        }
        Err(e) => return Err(ConfigError::Read(path.into(), e)),
    };
    resolve(file, from_file.then_some(path), overrides)
        .map_err(|e| ConfigError::Invalid(path.into(), e))
}

/// A file others could write would let them choose where requests (and the key) go.
fn check_owner(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|e| ConfigError::Read(path.into(), e))?;
    if meta.uid() != 0 || meta.mode() & 0o022 != 0 {
        return Err(ConfigError::Invalid(
            path.into(),
            "it must be owned by root and writable by root only".into(),
        ));
    }
    Ok(())
}

fn parse(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str(text)
        .map_err(|e| ConfigError::Invalid(path.into(), e.to_string().trim().replace('\n', " ")))
}

fn resolve(
    file: FileConfig,
    path: Option<&Path>,
    overrides: &Overrides,
) -> Result<AssistantConfig, String> {
    let r = file.remote;
    let url = overrides.url.clone().or(r.url);
    if let Some(url) = &url {
        super::http::parse_url(url).map_err(|e| e.to_string())?;
    }
    let remote = url
        .map(|url| -> Result<RemoteConfig, String> {
            Ok(RemoteConfig {
                url,
                model: overrides.model.clone().or(r.model),
                key_file: overrides.key_file.clone().or(r.key_file),
                ca_file: r.ca_file,
                connect_timeout: seconds(
                    r.connect_timeout,
                    DEFAULT_CONNECT_TIMEOUT,
                    "connect_timeout",
                )?,
                timeout: seconds(r.timeout, DEFAULT_REMOTE_TIMEOUT, "timeout")?,
                retries: r.retries.unwrap_or(DEFAULT_RETRIES).min(10),
                grammar: r.grammar.unwrap_or(true),
            })
        })
        .transpose()?;
    let embedded_timeout = seconds(
        file.embedded.timeout,
        DEFAULT_EMBEDDED_TIMEOUT,
        "[embedded] timeout",
    )?;
    let (provider, reason) = if overrides.url.is_some() {
        (Provider::Remote, "--llm-url given".to_owned())
    } else {
        match (file.provider, path) {
            (Some(p), Some(path)) => (
                p,
                format!("provider = {} in {}", provider_name(p), path.display()),
            ),
            (_, Some(path)) => (
                Provider::Embedded,
                format!("the default: no provider in {}", path.display()),
            ),
            (_, None) => (
                Provider::Embedded,
                "the default: no assistant configuration".to_owned(),
            ),
        }
    };
    let variant = match (&overrides.variant, file.embedded.model) {
        (Some(name), _) => Some(Requested {
            name: name.clone(),
            from: "--model".into(),
        }),
        (None, Some(name)) => Some(Requested {
            from: format!(
                "model = {name:?} in {}",
                path.map_or_else(String::new, |p| p.display().to_string())
            ),
            name,
        }),
        (None, None) => None,
    };
    let fallback = file.fallback.unwrap_or(Fallback::None);
    if remote.is_none() && (provider == Provider::Remote || fallback == Fallback::Remote) {
        return Err("a remote provider needs [remote] url (or --llm-url)".into());
    }
    Ok(AssistantConfig {
        provider,
        fallback,
        remote,
        embedded_timeout,
        reason,
        variant,
    })
}

fn provider_name(p: Provider) -> &'static str {
    match p {
        Provider::Embedded => "\"embedded\"",
        Provider::Remote => "\"remote\"",
        Provider::Off => "\"off\"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(text: &str, overrides: &Overrides) -> Result<AssistantConfig, String> {
        let file = parse(Path::new("/x.toml"), text).map_err(|e| e.to_string())?;
        resolve(file, Some(Path::new("/x.toml")), overrides)
    }

    #[test]
    fn defaults_without_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = load(&dir.path().join("none.toml"), false, &Overrides::default()).expect("ok");
        assert_eq!(c.provider, Provider::Embedded);
        assert_eq!(c.fallback, Fallback::None);
        assert_eq!(c.remote, None);
        assert_eq!(c.embedded_timeout, Duration::from_millis(1200));
        assert_eq!(c.reason, "the default: no assistant configuration");
        // Named on the command line, a missing file is an error.
        let e =
            load(&dir.path().join("none.toml"), true, &Overrides::default()).expect_err("missing");
        assert!(e.to_string().contains("none.toml"), "{e}");
    }

    #[test]
    fn a_full_file() {
        let c = from(
            r#"
provider = "remote"
fallback = "remote"
[remote]
url = "https://api.example.com/v1"
model = "small"
key_file = "/etc/levitate-installer/key"
ca_file = "/etc/levitate-installer/ca.pem"
connect_timeout = 2.5
timeout = 20
retries = 1
[embedded]
timeout = 3
"#,
            &Overrides::default(),
        )
        .expect("valid");
        assert_eq!(c.provider, Provider::Remote);
        assert_eq!(c.reason, "provider = \"remote\" in /x.toml");
        let r = c.remote.expect("remote");
        assert_eq!(r.model.as_deref(), Some("small"));
        assert_eq!(r.connect_timeout, Duration::from_millis(2500));
        assert_eq!(r.timeout, Duration::from_secs(20));
        assert_eq!(r.retries, 1);
        assert_eq!(c.embedded_timeout, Duration::from_secs(3));
    }

    #[test]
    fn the_command_line_wins() {
        let file = r#"
provider = "embedded"
[remote]
url = "https://a.example/v1"
key_file = "/a"
model = "m"
"#;
        let c = from(
            file,
            &Overrides {
                url: Some("http://127.0.0.1:1".into()),
                key_file: Some("/b".into()),
                ..Overrides::default()
            },
        )
        .expect("valid");
        assert_eq!(c.provider, Provider::Remote);
        assert_eq!(c.reason, "--llm-url given");
        let r = c.remote.expect("remote");
        assert_eq!(r.url, "http://127.0.0.1:1");
        assert_eq!(r.key_file.as_deref(), Some(Path::new("/b")));
        assert_eq!(r.model.as_deref(), Some("m"));
        let dir = tempfile::tempdir().expect("tempdir");
        let broken = dir.path().join("broken.toml");
        std::fs::write(&broken, "provider = 3").expect("write");
        let off = load(
            &broken,
            true,
            &Overrides {
                off: true,
                ..Overrides::default()
            },
        )
        .expect("--llm off reads no file");
        assert_eq!(off.provider, Provider::Off);
    }

    #[test]
    fn the_variant_from_the_file_or_the_command_line() {
        let c = from(
            "[embedded]\nmodel = \"small-1.5b\"\n",
            &Overrides::default(),
        )
        .expect("valid");
        assert_eq!(
            c.variant,
            Some(Requested {
                name: "small-1.5b".into(),
                from: "model = \"small-1.5b\" in /x.toml".into()
            })
        );
        let c = from(
            "[embedded]\nmodel = \"small-1.5b\"\n",
            &Overrides {
                variant: Some("nano".into()),
                ..Overrides::default()
            },
        )
        .expect("valid");
        assert_eq!(
            c.variant,
            Some(Requested {
                name: "nano".into(),
                from: "--model".into()
            })
        );
        assert_eq!(
            from("", &Overrides::default()).expect("valid").variant,
            None
        );
    }

    #[test]
    fn mistakes_are_named() {
        for (text, expect) in [
            ("provider = \"cloud\"", "unknown variant"),
            ("providr = \"remote\"", "unknown field"),
            ("provider = \"remote\"", "needs [remote] url"),
            ("fallback = \"remote\"", "needs [remote] url"),
            ("[remote]\nurl = \"ftp://x\"", "not an http"),
            ("[remote]\nurl = \"https://x\"\ntimeout = 0", "timeout = 0"),
            (
                "[remote]\nurl = \"https://x\"\nconnect_timeout = -1",
                "connect_timeout",
            ),
            ("[embedded]\ntimeout = 1e9", "at most 600"),
            ("provider = ", "x.toml"),
        ] {
            let e = from(text, &Overrides::default()).expect_err(text);
            assert!(e.contains(expect), "{text}: {e}");
        }
    }

    #[test]
    fn the_documented_example_is_valid_with_and_without_its_commented_settings() {
        let text = include_str!("../../../docs/assistant.toml");
        let c = from(text, &Overrides::default()).expect("docs/assistant.toml");
        assert_eq!(
            (c.provider, c.fallback, c.remote),
            (Provider::Embedded, Fallback::None, None)
        );
        let all = text
            .replace("# url = ", "url = ")
            .replace("# model = ", "model = ")
            .replace("# key_file = ", "key_file = ")
            .replace("# ca_file = ", "ca_file = ")
            .replace("provider = \"embedded\"", "provider = \"remote\"");
        let c = from(&all, &Overrides::default()).expect("every setting");
        assert_eq!(
            c.variant.map(|r| r.name).as_deref(),
            Some("small-1.5b"),
            "[embedded] model"
        );
        let r = c.remote.expect("remote");
        assert_eq!(r.url, "https://api.example.com/v1");
        assert_eq!(r.model.as_deref(), Some("small-model"));
        assert!(r.key_file.is_some() && r.ca_file.is_some() && r.grammar);
    }

    #[test]
    fn a_file_others_can_write_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("assistant.toml");
        std::fs::write(&path, "provider = \"off\"\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).expect("chmod");
        let e = load(&path, true, &Overrides::default()).expect_err("writable");
        assert!(e.to_string().contains("writable by root only"), "{e}");
    }
}
