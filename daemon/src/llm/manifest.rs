//! The model manifest: a catalogue of variants of the model (`nano`, the embedded one, and
//! larger ones an ISO build may fetch), each with its file, sha256, size and the memory it
//! needs, and an optional LoRA adapter. The daemon verifies the files before it starts the
//! server, so a swapped or damaged model never runs.
//!
//! ```json
//! {"variants": [
//!   {"name": "nano", "model": "SmolLM2-135M-Instruct", "file": "/opt/.../m.gguf",
//!    "sha256": "...", "size": 100000000, "ram": 402653184,
//!    "adapter": {"path": "/opt/.../nano-lora.gguf", "sha256": "..."}},
//!   {"name": "small-1.5b", "model": "Qwen2.5-1.5B-Instruct", "file": "...", "sha256": "...",
//!    "size": 1117320736, "ram": 2147483648, "vram": 1610612736, "gpu_layers": -1}
//! ]}
//! ```
//!
//! The single-model manifest of earlier versions (`{"name", "file", "sha256", ...}` at the
//! top) reads as a catalogue of one variant, `nano`.

use std::{
    fs,
    io::Read,
    path::{Path, PathBuf},
};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// A LoRA adapter applied over a variant's model (`Llama(lora_path=...)`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adapter {
    pub path: PathBuf,
    pub sha256: String,
}

/// One variant of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// `nano`, `small-1.5b`: what `--model` names.
    pub name: String,
    /// The model's own name (`Manager.Assistant`'s `model`).
    pub model: String,
    pub file: PathBuf,
    /// Empty for a variant listed but never fetched: it is not installed.
    pub sha256: String,
    /// Bytes on disk; 0 when the manifest does not say.
    pub size: u64,
    /// RAM the model needs when it runs on the CPU (weights, context, server).
    pub ram: u64,
    /// GPU memory it needs with `gpu_layers` offloaded; 0: never offloaded.
    pub vram: u64,
    /// Layers to offload when a GPU has `vram` free: -1 all of them.
    pub gpu_layers: i32,
    pub backend: String,
    pub format: String,
    pub context: u32,
    pub adapter: Option<Adapter>,
    /// Where the file came from (`hf:ORG/REPO/FILE@REV`, `pypi:...`), for people.
    pub source: String,
}

/// The variants, as the manifest lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    pub variants: Vec<Variant>,
}

/// The variant a single-model manifest describes.
pub const NANO: &str = "nano";

#[derive(Debug, Deserialize)]
struct RawVariant {
    /// The variant's name in a catalogue; the model's name in a single-model manifest.
    name: String,
    model: Option<String>,
    file: PathBuf,
    #[serde(default)]
    sha256: String,
    size: Option<u64>,
    ram: Option<u64>,
    #[serde(default)]
    vram: u64,
    gpu_layers: Option<i32>,
    #[serde(default = "default_backend")]
    backend: String,
    #[serde(default)]
    format: String,
    #[serde(default = "default_context")]
    context: u32,
    adapter: Option<Adapter>,
    #[serde(default)]
    source: String,
}

#[derive(Debug, Deserialize)]
struct RawCatalogue {
    variants: Vec<RawVariant>,
}

fn default_backend() -> String {
    "llama".into()
}

fn default_context() -> u32 {
    2048
}

/// What a variant whose manifest gives no `ram` is taken to need: its file and a quarter
/// more (context, buffers), and the server's own 256 MiB.
pub fn default_ram(size: u64) -> u64 {
    size.saturating_add(size / 4).saturating_add(256 << 20)
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read the model manifest {0}: {1}")]
    Read(String, std::io::Error),
    #[error("the model manifest {0} is not valid: {1}")]
    Invalid(String, String),
    /// `what`: `model` or `adapter`.
    #[error("cannot read the {0} file {1}: {2}")]
    Model(&'static str, String, std::io::Error),
    #[error(
        "the {what} file {file} does not match its manifest (sha256 {actual}, expected {expected})"
    )]
    Checksum {
        what: &'static str,
        file: String,
        actual: String,
        expected: String,
    },
    #[error("the model file {file} has {actual} bytes, its manifest says {expected}")]
    Size {
        file: String,
        actual: u64,
        expected: u64,
    },
    #[error(
        "no sha256 is recorded for {0}: it was never fetched (python/fetch_model.py --variant)"
    )]
    NotFetched(String),
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn valid_name(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

impl Catalogue {
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let shown = path.display().to_string();
        let text = fs::read_to_string(path).map_err(|e| ManifestError::Read(shown.clone(), e))?;
        Self::parse(&text).map_err(|e| ManifestError::Invalid(shown, e))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let variants = if raw.get("variants").is_some() {
            serde_json::from_value::<RawCatalogue>(raw)
                .map_err(|e| e.to_string())?
                .variants
        } else {
            // The single-model manifest: its name is the model's.
            let mut v: RawVariant = serde_json::from_value(raw).map_err(|e| e.to_string())?;
            v.model = Some(std::mem::replace(&mut v.name, NANO.to_owned()));
            vec![v]
        };
        if variants.is_empty() {
            return Err("it lists no variant".into());
        }
        let mut out: Vec<Variant> = Vec::with_capacity(variants.len());
        for v in variants {
            let name = v.name;
            if !valid_name(&name) {
                return Err(format!(
                    "variant name {name:?}: use 1 to 32 of a-z 0-9 . _ -"
                ));
            }
            if out.iter().any(|o| o.name == name) {
                return Err(format!("variant {name} is listed twice"));
            }
            if !v.sha256.is_empty() && !is_sha256(&v.sha256) {
                return Err(format!("{name}: sha256 must be 64 hex digits"));
            }
            if let Some(a) = &v.adapter {
                if !is_sha256(&a.sha256) {
                    return Err(format!(
                        "{name}: the adapter's sha256 must be 64 hex digits"
                    ));
                }
            }
            if !["llama", "transformers"].contains(&v.backend.as_str()) {
                return Err(format!("{name}: unknown backend {:?}", v.backend));
            }
            let gpu_layers = v.gpu_layers.unwrap_or(if v.vram > 0 { -1 } else { 0 });
            if gpu_layers < -1 {
                return Err(format!("{name}: gpu_layers is -1 (all), 0 or a count"));
            }
            // Without a size, the file's own (a missing file makes it 0: not installed).
            let size = v
                .size
                .unwrap_or_else(|| fs::metadata(&v.file).map_or(0, |m| m.len()));
            out.push(Variant {
                model: v.model.unwrap_or_else(|| name.clone()),
                name,
                file: v.file,
                sha256: v.sha256.to_ascii_lowercase(),
                size,
                ram: v.ram.unwrap_or_else(|| default_ram(size)),
                vram: v.vram,
                gpu_layers,
                backend: v.backend,
                format: v.format,
                context: v.context,
                adapter: v.adapter,
                source: v.source,
            });
        }
        Ok(Self { variants: out })
    }

    pub fn get(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.name == name)
    }

    pub fn names(&self) -> String {
        self.variants
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Variant {
    /// Cheap: the file is there with the size the manifest says, and a sha256 is recorded.
    /// `verify` hashes.
    pub fn present(&self) -> Result<(), ManifestError> {
        let shown = self.file.display().to_string();
        if self.sha256.is_empty() {
            return Err(ManifestError::NotFetched(shown));
        }
        let meta = fs::metadata(&self.file)
            .map_err(|e| ManifestError::Model("model", shown.clone(), e))?;
        if self.size != 0 && meta.len() != self.size {
            return Err(ManifestError::Size {
                file: shown,
                actual: meta.len(),
                expected: self.size,
            });
        }
        Ok(())
    }

    /// Hashes the model file (and the adapter's) and compares them with the manifest.
    pub fn verify(&self) -> Result<(), ManifestError> {
        if self.sha256.is_empty() {
            return Err(ManifestError::NotFetched(self.file.display().to_string()));
        }
        verify_file("model", &self.file, &self.sha256)?;
        if let Some(a) = &self.adapter {
            verify_file("adapter", &a.path, &a.sha256)?;
        }
        Ok(())
    }
}

/// Hashes `path` (the `what` file: `model`, `adapter`) and compares it with `expected`.
pub fn verify_file(what: &'static str, path: &Path, expected: &str) -> Result<(), ManifestError> {
    let shown = path.display().to_string();
    let mut f = fs::File::open(path).map_err(|e| ManifestError::Model(what, shown.clone(), e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| ManifestError::Model(what, shown.clone(), e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    let actual = h
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        });
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(ManifestError::Checksum {
            what,
            file: shown,
            actual,
            expected: expected.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    #[test]
    fn a_single_model_manifest_is_variant_nano_and_is_verified() {
        let dir = tempfile::tempdir().expect("tempdir");
        let model = dir.path().join("m.gguf");
        fs::write(&model, b"hello").expect("write");
        let manifest = dir.path().join("manifest.json");
        fs::write(
            &manifest,
            format!(
                r#"{{"name":"SmolLM2","file":"{}","sha256":"{HELLO}","source":"pypi:x"}}"#,
                model.display()
            ),
        )
        .expect("write");
        let c = Catalogue::load(&manifest).expect("load");
        assert_eq!(c.variants.len(), 1);
        let m = &c.variants[0];
        assert_eq!((m.name.as_str(), m.model.as_str()), ("nano", "SmolLM2"));
        assert_eq!(
            (m.size, m.ram, m.vram, m.gpu_layers),
            (5, default_ram(5), 0, 0)
        );
        assert_eq!(
            (m.backend.as_str(), m.context, &m.adapter),
            ("llama", 2048, &None)
        );
        m.present().expect("present");
        m.verify().expect("matches");
        fs::write(&model, b"hellO").expect("write");
        assert!(matches!(m.verify(), Err(ManifestError::Checksum { .. })));
        fs::write(&model, b"hello!").expect("write");
        assert!(matches!(m.present(), Err(ManifestError::Size { .. })));
        fs::write(&manifest, r#"{"name":"t","file":"/x","sha256":"nothex"}"#).expect("write");
        assert!(matches!(
            Catalogue::load(&manifest),
            Err(ManifestError::Invalid(..))
        ));
    }

    #[test]
    fn a_catalogue_with_an_adapter_and_an_entry_never_fetched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let model = dir.path().join("m.gguf");
        let lora = dir.path().join("lora.gguf");
        fs::write(&model, b"hello").expect("write");
        fs::write(&lora, b"hello").expect("write");
        let text = format!(
            r#"{{"variants": [
                {{"name": "nano", "model": "SmolLM2", "file": "{}", "sha256": "{HELLO}", "ram": 1000,
                  "adapter": {{"path": "{}", "sha256": "{HELLO}"}}}},
                {{"name": "small-1.5b", "file": "/nonexistent/q.gguf", "size": 1117320736,
                  "ram": 2147483648, "vram": 1610612736, "source": "hf:o/r/q.gguf@abc"}}
            ]}}"#,
            model.display(),
            lora.display()
        );
        let c = Catalogue::parse(&text).expect("parse");
        assert_eq!(c.names(), "nano, small-1.5b");
        let nano = c.get("nano").expect("nano");
        assert_eq!(nano.ram, 1000);
        assert_eq!(nano.adapter.as_ref().expect("adapter").path, lora);
        nano.verify().expect("model and adapter match");
        fs::write(&lora, b"other").expect("write");
        let e = nano.verify().expect_err("adapter changed");
        assert!(
            e.to_string().starts_with("the adapter file ") && e.to_string().contains("lora.gguf"),
            "{e}"
        );
        let small = c.get("small-1.5b").expect("small");
        assert_eq!((small.model.as_str(), small.gpu_layers), ("small-1.5b", -1));
        assert!(matches!(small.present(), Err(ManifestError::NotFetched(_))));
        assert!(matches!(small.verify(), Err(ManifestError::NotFetched(_))));
    }

    #[test]
    fn mistakes_are_named() {
        for (text, expect) in [
            (r#"{"variants": []}"#, "no variant"),
            (
                r#"{"variants": [{"name": "Big One", "file": "/x"}]}"#,
                "variant name",
            ),
            (
                r#"{"variants": [{"name": "a", "file": "/x"}, {"name": "a", "file": "/y"}]}"#,
                "twice",
            ),
            (
                r#"{"variants": [{"name": "a", "file": "/x", "backend": "onnx"}]}"#,
                "unknown backend",
            ),
            (
                r#"{"variants": [{"name": "a", "file": "/x", "gpu_layers": -2}]}"#,
                "gpu_layers",
            ),
            (
                r#"{"variants": [{"name": "a", "file": "/x", "adapter": {"path": "/l"}}]}"#,
                "sha256",
            ),
            (r#"{"variants": [{"file": "/x"}]}"#, "name"),
        ] {
            let e = Catalogue::parse(text).expect_err(text);
            assert!(e.contains(expect), "{text}: {e}");
        }
    }
}
