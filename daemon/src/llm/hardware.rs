//! What the machine offers a model: RAM from `/proc/meminfo`, GPU memory from `nvidia-smi`
//! (NVIDIA) or from amdgpu's sysfs files (AMD). Every reader takes the text or the directory
//! it reads, so the tests feed it outputs recorded on real machines
//! (`daemon/tests/fixtures/hardware/`). No GPU memory found is an answer, "Unable to detect
//! VRAM", never an error.

use std::{
    fmt,
    path::{Path, PathBuf},
    time::Duration,
};

use tracing::debug;

/// What `Hardware::vram_note` says when no GPU memory could be read.
pub const NO_VRAM: &str = "Unable to detect VRAM";

const MIB: u64 = 1 << 20;

/// Bytes as people read them: `22.1 GiB`.
pub fn gib(bytes: u64) -> String {
    // Exact below 2^52 bytes; a tenth of a GiB is all that is shown.
    #[allow(clippy::cast_precision_loss)]
    let g = bytes as f64 / f64::from(1u32 << 30);
    format!("{g:.1} GiB")
}

/// RAM, from `/proc/meminfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    pub total: u64,
    /// `MemAvailable`: what can be had without swapping (page cache counts as free).
    pub available: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    Nvidia,
    Amd,
}

/// One GPU with its own memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gpu {
    pub vendor: Vendor,
    pub name: String,
    pub total: u64,
    pub used: u64,
}

impl Gpu {
    pub fn free(&self) -> u64 {
        self.total.saturating_sub(self.used)
    }
}

/// What the machine offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hardware {
    /// None when `/proc/meminfo` could not be read; `memory_note` says why.
    pub memory: Option<Memory>,
    pub memory_note: String,
    pub gpus: Vec<Gpu>,
    /// Empty when a GPU was found; otherwise `NO_VRAM` with what was tried.
    pub vram_note: String,
}

impl Hardware {
    /// The GPU with the most free memory.
    pub fn best_gpu(&self) -> Option<&Gpu> {
        self.gpus.iter().max_by_key(|g| g.free())
    }
}

impl fmt::Display for Hardware {
    /// `22.1 GiB RAM available of 23.5 GiB; NVIDIA GeForce RTX 3060: 11.7 GiB VRAM free of
    /// 12.0 GiB` or `...; no GPU (Unable to detect VRAM)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.memory {
            Some(m) => write!(f, "{} RAM available of {}", gib(m.available), gib(m.total))?,
            None => write!(f, "RAM unknown ({})", self.memory_note)?,
        }
        match self.best_gpu() {
            Some(g) => write!(
                f,
                "; {}: {} VRAM free of {}",
                g.name,
                gib(g.free()),
                gib(g.total)
            ),
            None => write!(f, "; no GPU ({})", self.vram_note),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HardwareError {
    #[error("/proc/meminfo has no {0} line")]
    Missing(&'static str),
    #[error("/proc/meminfo: cannot read {0:?}")]
    Malformed(String),
    #[error("nvidia-smi: cannot read {0:?}")]
    NvidiaSmi(String),
}

/// `MemTotal` and `MemAvailable` of `/proc/meminfo` (`MemTotal:  24684084 kB`).
pub fn parse_meminfo(text: &str) -> Result<Memory, HardwareError> {
    let field = |name: &'static str| -> Result<u64, HardwareError> {
        let line = text
            .lines()
            .find(|l| l.split(':').next() == Some(name))
            .ok_or(HardwareError::Missing(name))?;
        let mut words = line[name.len() + 1..].split_whitespace();
        let value: u64 = words
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| HardwareError::Malformed(line.to_owned()))?;
        match words.next() {
            Some("kB") => value
                .checked_mul(1024)
                .ok_or_else(|| HardwareError::Malformed(line.to_owned())),
            None => Ok(value),
            Some(_) => Err(HardwareError::Malformed(line.to_owned())),
        }
    };
    Ok(Memory {
        total: field("MemTotal")?,
        available: field("MemAvailable")?,
    })
}

/// The arguments `nvidia-smi` is run with; its answer is one line per GPU:
/// `NVIDIA GeForce RTX 3060, 12288, 345` (MiB).
pub const NVIDIA_SMI_ARGS: [&str; 2] = [
    "--query-gpu=name,memory.total,memory.used",
    "--format=csv,noheader,nounits",
];

/// Parses `nvidia-smi --query-gpu=[name,]memory.total,memory.used
/// --format=csv,noheader,nounits`: the last two fields of each line are MiB; a GPU whose
/// total is `[N/A]` (some MIG and vGPU set-ups) is left out, an unknown use counts as none.
pub fn parse_nvidia_smi(text: &str) -> Result<Vec<Gpu>, HardwareError> {
    let mut gpus = Vec::new();
    for (i, line) in text.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let n = fields.len();
        if n < 2 {
            return Err(HardwareError::NvidiaSmi(line.to_owned()));
        }
        let mib = |s: &str| -> Result<Option<u64>, HardwareError> {
            if s.starts_with('[') {
                return Ok(None);
            }
            s.parse::<u64>()
                .map(|v| v.checked_mul(MIB))
                .map_err(|_| HardwareError::NvidiaSmi(line.to_owned()))
        };
        let Some(total) = mib(fields[n - 2])? else {
            continue;
        };
        let used = mib(fields[n - 1])?.unwrap_or(0);
        let name = if n > 2 {
            fields[..n - 2].join(",")
        } else {
            format!("NVIDIA GPU {i}")
        };
        gpus.push(Gpu {
            vendor: Vendor::Nvidia,
            name,
            total,
            used,
        });
    }
    Ok(gpus)
}

/// AMD GPUs under `drm` (`/sys/class/drm`): each `cardN/device/mem_info_vram_total` and
/// `_used` (bytes, amdgpu). Connectors (`card0-DP-1`) and GPUs without the files (Intel,
/// NVIDIA) are skipped.
pub fn read_amd_sysfs(drm: &Path) -> Vec<Gpu> {
    let Ok(entries) = std::fs::read_dir(drm) else {
        return Vec::new();
    };
    let mut cards: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let digits = name.strip_prefix("card")?;
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| (name, e.path().join("device")))
        })
        .collect();
    cards.sort();
    let number = |p: &Path| -> Option<u64> { std::fs::read_to_string(p).ok()?.trim().parse().ok() };
    cards
        .into_iter()
        .filter_map(|(card, device)| {
            let total = number(&device.join("mem_info_vram_total"))?;
            let used = number(&device.join("mem_info_vram_used")).unwrap_or(0);
            let product = std::fs::read_to_string(device.join("product_name"))
                .ok()
                .map(|s| crate::validate::display_text(s.trim(), 60))
                .filter(|s| !s.is_empty());
            Some(Gpu {
                vendor: Vendor::Amd,
                name: product
                    .map_or_else(|| format!("AMD GPU ({card})"), |p| format!("{p} ({card})")),
                total,
                used,
            })
        })
        .filter(|g| g.total > 0)
        .collect()
}

/// What `nvidia-smi` answered: its standard output, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NvidiaSmi {
    /// Not installed: no NVIDIA driver.
    Absent,
    Output(String),
    /// Installed but failed (driver not loaded): its message.
    Failed(String),
}

/// Everything from a root directory (`/`, or a recorded machine): `proc/meminfo`,
/// `sys/class/drm`, and what `nvidia-smi` answered.
pub fn detect_at(root: &Path, nvidia: &NvidiaSmi) -> Hardware {
    let (memory, memory_note) = match std::fs::read_to_string(root.join("proc/meminfo")) {
        Ok(text) => match parse_meminfo(&text) {
            Ok(m) => (Some(m), String::new()),
            Err(e) => (None, e.to_string()),
        },
        Err(e) => (None, format!("cannot read /proc/meminfo: {e}")),
    };
    let mut tried = Vec::new();
    let mut gpus = match nvidia {
        NvidiaSmi::Absent => Vec::new(),
        NvidiaSmi::Output(text) => parse_nvidia_smi(text).unwrap_or_else(|e| {
            tried.push(e.to_string());
            Vec::new()
        }),
        NvidiaSmi::Failed(why) => {
            tried.push(format!("nvidia-smi: {why}"));
            Vec::new()
        }
    };
    gpus.extend(read_amd_sysfs(&root.join("sys/class/drm")));
    let vram_note = if gpus.is_empty() {
        std::iter::once(NO_VRAM.to_owned())
            .chain(tried)
            .collect::<Vec<_>>()
            .join(": ")
    } else {
        String::new()
    };
    Hardware {
        memory,
        memory_note,
        gpus,
        vram_note,
    }
}

/// Runs `nvidia-smi` (from `PATH`) for at most `limit`.
pub async fn run_nvidia_smi(limit: Duration) -> NvidiaSmi {
    let child = tokio::process::Command::new("nvidia-smi")
        .args(NVIDIA_SMI_ARGS)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    match tokio::time::timeout(limit, child).await {
        Err(_) => NvidiaSmi::Failed(format!("no answer within {} s", limit.as_secs())),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => NvidiaSmi::Absent,
        Ok(Err(e)) => NvidiaSmi::Failed(e.to_string()),
        Ok(Ok(out)) if out.status.success() => {
            NvidiaSmi::Output(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Ok(Ok(out)) => {
            // It explains itself on stdout ("NVIDIA-SMI has failed because ...").
            let text = String::from_utf8_lossy(&out.stdout).trim().to_owned()
                + String::from_utf8_lossy(&out.stderr).trim();
            NvidiaSmi::Failed(crate::validate::display_text(
                text.lines().next().unwrap_or(&out.status.to_string()),
                200,
            ))
        }
    }
}

/// This machine.
pub async fn detect() -> Hardware {
    let nvidia = run_nvidia_smi(Duration::from_secs(5)).await;
    debug!(?nvidia, "nvidia-smi");
    tokio::task::spawn_blocking(move || detect_at(Path::new("/"), &nvidia))
        .await
        .unwrap_or_else(|e| Hardware {
            memory: None,
            memory_note: e.to_string(),
            gpus: Vec::new(),
            vram_note: NO_VRAM.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/hardware")
            .join(name)
    }

    /// A recorded machine: its root, with `nvidia-smi.txt` (what nvidia-smi printed) or
    /// `nvidia-smi.failed` (its message and a non-zero exit) when it had one.
    fn recorded(name: &str) -> Hardware {
        let root = fixture(name);
        let nvidia = if let Ok(t) = std::fs::read_to_string(root.join("nvidia-smi.txt")) {
            NvidiaSmi::Output(t)
        } else if let Ok(t) = std::fs::read_to_string(root.join("nvidia-smi.failed")) {
            NvidiaSmi::Failed(t.lines().next().unwrap_or_default().to_owned())
        } else {
            NvidiaSmi::Absent
        };
        detect_at(&root, &nvidia)
    }

    const GIB: u64 = 1 << 30;

    #[test]
    fn a_two_core_box_without_a_gpu() {
        let h = recorded("cpu-2core-23g");
        assert_eq!(
            h.memory,
            Some(Memory {
                total: 24_684_084 * 1024,
                available: 23_148_484 * 1024
            })
        );
        assert!(h.gpus.is_empty());
        assert_eq!(h.vram_note, NO_VRAM);
        assert_eq!(
            h.to_string(),
            "22.1 GiB RAM available of 23.5 GiB; no GPU (Unable to detect VRAM)"
        );
    }

    #[test]
    fn an_rtx_3060_box() {
        let h = recorded("nvidia-rtx3060");
        assert_eq!(
            h.gpus,
            vec![Gpu {
                vendor: Vendor::Nvidia,
                name: "NVIDIA GeForce RTX 3060".into(),
                total: 12288 * MIB,
                used: 345 * MIB,
            }]
        );
        assert!(h.vram_note.is_empty());
        assert_eq!(h.memory.expect("memory").total, 16_297_236 * 1024);
        assert!(
            h.to_string()
                .ends_with("NVIDIA GeForce RTX 3060: 11.7 GiB VRAM free of 12.0 GiB"),
            "{h}"
        );
    }

    #[test]
    fn an_h100_box() {
        let h = recorded("nvidia-h100");
        let g = h.best_gpu().expect("gpu");
        assert_eq!(g.name, "NVIDIA H100 80GB HBM3");
        assert_eq!((g.total, g.used), (81559 * MIB, 0));
        assert!(h.memory.expect("memory").available > 100 * GIB);
        // The same card while another program holds 70 GiB of it.
        let busy = recorded("nvidia-h100-busy");
        let g = busy.best_gpu().expect("gpu");
        assert_eq!((g.total, g.used), (81559 * MIB, 72207 * MIB));
        assert_eq!(gib(g.free()), "9.1 GiB");
    }

    #[test]
    fn an_amd_box_and_its_integrated_intel_gpu() {
        let h = recorded("amd-rx6600");
        assert_eq!(
            h.gpus,
            vec![Gpu {
                vendor: Vendor::Amd,
                name: "AMD GPU (card1)".into(),
                total: 8_573_157_376,
                used: 313_286_656,
            }],
            "card0 (Intel, no mem_info files) and the connectors are skipped"
        );
        assert!(h.vram_note.is_empty());
    }

    #[test]
    fn a_two_gib_box_whose_nvidia_driver_is_not_loaded() {
        let h = recorded("small-2g");
        let m = h.memory.expect("memory");
        assert_eq!(m.total, 2_014_216 * 1024);
        assert!(m.available < 2 * GIB);
        assert!(h.gpus.is_empty());
        assert!(
            h.vram_note
                .starts_with("Unable to detect VRAM: nvidia-smi: NVIDIA-SMI has failed"),
            "{}",
            h.vram_note
        );
    }

    #[test]
    fn odd_tool_outputs() {
        // The two-field form of the query, several GPUs, and an unknown value.
        let gpus = parse_nvidia_smi("24576, 1200\n[N/A], [N/A]\n8192, [N/A]\n").expect("parse");
        assert_eq!(gpus.len(), 2);
        assert_eq!(gpus[0].name, "NVIDIA GPU 0");
        assert_eq!((gpus[1].total, gpus[1].used), (8192 * MIB, 0));
        assert!(parse_nvidia_smi("No devices were found\n").is_err());
        assert!(parse_nvidia_smi("").expect("empty").is_empty());
        assert_eq!(
            parse_meminfo("MemTotal: 10 kB\n"),
            Err(HardwareError::Missing("MemAvailable"))
        );
        assert!(parse_meminfo("MemTotal: x kB\nMemAvailable: 1 kB\n").is_err());
        let h = detect_at(Path::new("/nonexistent"), &NvidiaSmi::Absent);
        assert!(h.memory.is_none() && h.to_string().starts_with("RAM unknown (cannot read"));
        assert_eq!(h.vram_note, NO_VRAM);
    }
}
