//! The model manifest: which file, its sha256, its format. The daemon verifies the file
//! before it starts the server, so a swapped or damaged model never runs.

use std::{
    fs,
    io::Read,
    path::{Path, PathBuf},
};

use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub name: String,
    pub file: PathBuf,
    pub sha256: String,
    #[serde(default = "default_backend")]
    pub backend: String,
    #[serde(default)]
    pub format: String,
    #[serde(default = "default_context")]
    pub context: u32,
}

fn default_backend() -> String {
    "llama".into()
}

fn default_context() -> u32 {
    2048
}

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read the model manifest {0}: {1}")]
    Read(String, std::io::Error),
    #[error("the model manifest {0} is not valid: {1}")]
    Invalid(String, String),
    #[error("cannot read the model file {0}: {1}")]
    Model(String, std::io::Error),
    #[error(
        "the model file {file} does not match its manifest (sha256 {actual}, expected {expected})"
    )]
    Checksum {
        file: String,
        actual: String,
        expected: String,
    },
}

impl Manifest {
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let shown = path.display().to_string();
        let text = fs::read_to_string(path).map_err(|e| ManifestError::Read(shown.clone(), e))?;
        let m: Manifest = serde_json::from_str(&text)
            .map_err(|e| ManifestError::Invalid(shown.clone(), e.to_string()))?;
        if m.sha256.len() != 64 || !m.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ManifestError::Invalid(
                shown,
                "sha256 must be 64 hex digits".into(),
            ));
        }
        if !["llama", "transformers"].contains(&m.backend.as_str()) {
            return Err(ManifestError::Invalid(
                shown,
                format!("unknown backend {:?}", m.backend),
            ));
        }
        Ok(m)
    }

    /// Hashes the model file and compares it with the manifest.
    pub fn verify(&self) -> Result<(), ManifestError> {
        let shown = self.file.display().to_string();
        let mut f =
            fs::File::open(&self.file).map_err(|e| ManifestError::Model(shown.clone(), e))?;
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f
                .read(&mut buf)
                .map_err(|e| ManifestError::Model(shown.clone(), e))?;
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
        if actual.eq_ignore_ascii_case(&self.sha256) {
            Ok(())
        } else {
            Err(ManifestError::Checksum {
                file: shown,
                actual,
                expected: self.sha256.clone(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_and_detects_a_changed_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let model = dir.path().join("m.gguf");
        fs::write(&model, b"hello").expect("write");
        let manifest = dir.path().join("manifest.json");
        let good = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        fs::write(
            &manifest,
            format!(
                r#"{{"name":"t","file":"{}","sha256":"{good}"}}"#,
                model.display()
            ),
        )
        .expect("write");
        let m = Manifest::load(&manifest).expect("load");
        m.verify().expect("matches");
        fs::write(&model, b"hellO").expect("write");
        assert!(matches!(m.verify(), Err(ManifestError::Checksum { .. })));
        fs::write(&manifest, r#"{"name":"t","file":"/x","sha256":"nothex"}"#).expect("write");
        assert!(matches!(
            Manifest::load(&manifest),
            Err(ManifestError::Invalid(..))
        ));
    }
}
