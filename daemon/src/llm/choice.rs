//! Which variant of the model runs: the largest installed one that fits this machine's
//! memory (its GPU's, when it can be offloaded there, else its RAM), with a margin; or the
//! one `--model` (or `[embedded] model`) names. Pure: the caller says which files are there
//! and what the hardware is, so the tests run every case.

use super::{
    hardware::{gib, Gpu, Hardware},
    manifest::{Catalogue, Variant},
};

/// RAM left to the installer (and the copy's page cache) besides the model.
pub const RAM_MARGIN: u64 = 512 << 20;
/// GPU memory left besides the offloaded layers (CUDA/ROCm context, scratch buffers).
pub const VRAM_MARGIN: u64 = 256 << 20;

/// A variant asked for by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    pub name: String,
    /// Where: `--model`, `model = "..." in /etc/...`.
    pub from: String,
}

/// The variant that runs, how, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub variant: Variant,
    /// Passed to the server as `--n-gpu-layers`: 0 runs on the CPU, -1 offloads all.
    pub gpu_layers: i32,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    #[error(
        "{from} names the variant {name}, which the manifest does not list (it lists {known})"
    )]
    Unknown {
        name: String,
        from: String,
        known: String,
    },
    #[error("{from} names the variant {name}, which is not installed: {why}")]
    NotInstalled {
        name: String,
        from: String,
        why: String,
    },
    #[error("no variant of the model is installed: {0}")]
    NoneInstalled(String),
    #[error("no installed variant fits this machine ({hardware}): {needs}")]
    NoneFits { hardware: String, needs: String },
}

impl ChoiceError {
    /// The variant the error is about, when one was named.
    pub fn variant(&self) -> &str {
        match self {
            Self::Unknown { name, .. } | Self::NotInstalled { name, .. } => name,
            Self::NoneInstalled(_) | Self::NoneFits { .. } => "",
        }
    }
}

/// The GPU `v` can be offloaded to, if any.
fn offload_to<'h>(v: &Variant, hw: &'h Hardware) -> Option<&'h Gpu> {
    let gpu = hw.best_gpu()?;
    (v.vram > 0 && v.gpu_layers != 0 && gpu.free() >= v.vram.saturating_add(VRAM_MARGIN))
        .then_some(gpu)
}

fn ram_fits(v: &Variant, hw: &Hardware) -> bool {
    hw.memory
        .is_some_and(|m| m.available >= v.ram.saturating_add(RAM_MARGIN))
}

/// How `v` runs here, in words, and its `gpu_layers`.
fn how(v: &Variant, hw: &Hardware) -> (i32, String) {
    let layers = |n: i32| {
        if n < 0 {
            "all layers".to_owned()
        } else {
            format!("{n} layers")
        }
    };
    let ram = match &hw.memory {
        Some(m) => format!("{} RAM available, needs {}", gib(m.available), gib(v.ram)),
        None => format!("RAM unknown ({}), needs {}", hw.memory_note, gib(v.ram)),
    };
    if let Some(gpu) = offload_to(v, hw) {
        return (
            v.gpu_layers,
            format!(
                "{} offloaded to {}: {} VRAM free, needs {}",
                layers(v.gpu_layers),
                gpu.name,
                gib(gpu.free()),
                gib(v.vram)
            ),
        );
    }
    let gpu = match hw.best_gpu() {
        None => format!("no GPU ({})", hw.vram_note),
        Some(g) if v.vram == 0 || v.gpu_layers == 0 => {
            format!("{} not used: this variant runs on the CPU", g.name)
        }
        Some(g) => format!(
            "{} not used: {} VRAM free, offloading needs {}",
            g.name,
            gib(g.free()),
            gib(v.vram)
        ),
    };
    (0, format!("{ram}; {gpu}"))
}

/// Chooses. `present` is the cheap check (the file is there, with its size and a recorded
/// sha256), `verify` the full one (hashes); only the chosen variant is hashed, and a variant
/// whose hash is wrong is passed over with the reason saying so.
pub fn choose(
    catalogue: &Catalogue,
    hw: &Hardware,
    requested: Option<&Requested>,
    present: &dyn Fn(&Variant) -> Result<(), String>,
    verify: &mut dyn FnMut(&Variant) -> Result<(), String>,
) -> Result<Choice, ChoiceError> {
    if let Some(r) = requested {
        let v = catalogue.get(&r.name).ok_or_else(|| ChoiceError::Unknown {
            name: r.name.clone(),
            from: r.from.clone(),
            known: catalogue.names(),
        })?;
        let not_installed = |why: String| ChoiceError::NotInstalled {
            name: r.name.clone(),
            from: r.from.clone(),
            why,
        };
        present(v).map_err(not_installed)?;
        verify(v).map_err(not_installed)?;
        let (gpu_layers, how) = how(v, hw);
        let fits = if gpu_layers != 0 || ram_fits(v, hw) || hw.memory.is_none() {
            ""
        } else {
            " although it does not fit"
        };
        return Ok(Choice {
            variant: v.clone(),
            gpu_layers,
            reason: format!("{}: chosen with {}{fits}; {how}", v.name, r.from),
        });
    }
    let mut installed = Vec::new();
    let mut absent = Vec::new();
    for v in &catalogue.variants {
        match present(v) {
            Ok(()) => installed.push(v),
            Err(why) => absent.push(format!("{}: {why}", v.name)),
        }
    }
    if installed.is_empty() {
        return Err(ChoiceError::NoneInstalled(absent.join("; ")));
    }
    // Largest first: the one that needs the most memory is the most capable.
    installed.sort_by_key(|v| std::cmp::Reverse((v.ram, v.size)));
    let only = installed.len() == 1;
    // When RAM cannot be read, the smallest installed variant is the safe guess.
    if hw.memory.is_none() {
        installed.reverse();
    }
    let mut passed_over = Vec::new();
    for v in installed.iter().copied() {
        let fits = offload_to(v, hw).is_some() || ram_fits(v, hw) || hw.memory.is_none();
        if !fits {
            passed_over.push(format!(
                "{} does not fit (needs {} RAM{})",
                v.name,
                gib(v.ram),
                if v.vram > 0 {
                    format!(" or {} VRAM", gib(v.vram))
                } else {
                    String::new()
                }
            ));
            continue;
        }
        if let Err(why) = verify(v) {
            passed_over.push(format!("{} passed over: {why}", v.name));
            continue;
        }
        let (gpu_layers, how) = how(v, hw);
        let which = if only {
            "the only installed variant"
        } else if hw.memory.is_none() {
            "the smallest installed variant, as RAM is unknown"
        } else {
            "the largest installed variant that fits"
        };
        let mut reason = format!("{}: {which}; {how}", v.name);
        for p in &passed_over {
            reason.push_str("; ");
            reason.push_str(p);
        }
        return Ok(Choice {
            variant: v.clone(),
            gpu_layers,
            reason,
        });
    }
    if passed_over.iter().any(|p| p.contains(" passed over: ")) {
        return Err(ChoiceError::NoneInstalled(
            absent
                .into_iter()
                .chain(passed_over)
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    Err(ChoiceError::NoneFits {
        hardware: hw.to_string(),
        needs: passed_over.join("; "),
    })
}

#[cfg(test)]
mod tests {
    use std::{
        collections::BTreeSet,
        path::{Path, PathBuf},
    };

    use super::*;
    use crate::llm::hardware::{detect_at, NvidiaSmi};

    const GIB: u64 = 1 << 30;
    const MIB: u64 = 1 << 20;

    fn variant(name: &str, ram: u64, vram: u64) -> Variant {
        Variant {
            name: name.into(),
            model: format!("{name}-model"),
            file: PathBuf::from(format!("/models/{name}.gguf")),
            sha256: "0".repeat(64),
            size: ram / 2,
            ram,
            vram,
            gpu_layers: if vram > 0 { -1 } else { 0 },
            backend: "llama".into(),
            format: "tool_call".into(),
            context: 2048,
            adapter: None,
            source: String::new(),
        }
    }

    /// nano (the embedded model), small-1.5b and medium-3b, as an ISO build lists them.
    fn catalogue() -> Catalogue {
        Catalogue {
            variants: vec![
                variant("nano", 400 * MIB, 0),
                variant("small-1.5b", 3 * GIB, 2 * GIB),
                variant("medium-3b", 6 * GIB, 4 * GIB),
            ],
        }
    }

    fn machine(name: &str) -> Hardware {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/hardware")
            .join(name);
        let nvidia = std::fs::read_to_string(root.join("nvidia-smi.txt"))
            .map_or(NvidiaSmi::Absent, NvidiaSmi::Output);
        detect_at(&root, &nvidia)
    }

    /// Chooses with `installed` present and `damaged` failing its hash.
    fn pick(
        hw: &Hardware,
        installed: &[&str],
        damaged: &[&str],
        requested: Option<&str>,
    ) -> (Result<Choice, ChoiceError>, Vec<String>) {
        let installed: BTreeSet<&str> = installed.iter().copied().collect();
        let mut hashed = Vec::new();
        let requested = requested.map(|n| Requested {
            name: n.into(),
            from: "--model".into(),
        });
        let r = choose(
            &catalogue(),
            hw,
            requested.as_ref(),
            &|v| {
                if installed.contains(v.name.as_str()) {
                    Ok(())
                } else {
                    Err(format!("cannot read the model file {}", v.file.display()))
                }
            },
            &mut |v| {
                hashed.push(v.name.clone());
                if damaged.contains(&v.name.as_str()) {
                    Err("does not match its manifest".into())
                } else {
                    Ok(())
                }
            },
        );
        (r, hashed)
    }

    #[test]
    fn only_nano_installed_on_the_build_box() {
        let (c, hashed) = pick(&machine("cpu-2core-23g"), &["nano"], &[], None);
        let c = c.expect("nano");
        assert_eq!((c.variant.name.as_str(), c.gpu_layers), ("nano", 0));
        assert_eq!(
            c.reason,
            "nano: the only installed variant; 22.1 GiB RAM available, needs 0.4 GiB; \
             no GPU (Unable to detect VRAM)"
        );
        assert_eq!(hashed, ["nano"]);
    }

    #[test]
    fn the_largest_that_fits_in_ram_without_a_gpu() {
        let all = ["nano", "small-1.5b", "medium-3b"];
        let (c, hashed) = pick(&machine("cpu-2core-23g"), &all, &[], None);
        let c = c.expect("medium");
        assert_eq!((c.variant.name.as_str(), c.gpu_layers), ("medium-3b", 0));
        assert_eq!(
            c.reason,
            "medium-3b: the largest installed variant that fits; 22.1 GiB RAM available, \
             needs 6.0 GiB; no GPU (Unable to detect VRAM)"
        );
        assert_eq!(hashed, ["medium-3b"], "only the chosen file is hashed");
        // 2 GiB: only nano fits; the others are named with what they need.
        let (c, _) = pick(&machine("small-2g"), &all, &[], None);
        let c = c.expect("nano");
        assert_eq!(c.variant.name, "nano");
        assert_eq!(
            c.reason,
            "nano: the largest installed variant that fits; 1.3 GiB RAM available, needs 0.4 GiB; \
             no GPU (Unable to detect VRAM); medium-3b does not fit (needs 6.0 GiB RAM or 4.0 GiB \
             VRAM); small-1.5b does not fit (needs 3.0 GiB RAM or 2.0 GiB VRAM)"
        );
    }

    /// As `levitate-installerd --choose-variant` chose on a real H100 (2026-11-27), with a
    /// catalogue whose largest variants fit only in GPU memory, then only the smaller one
    /// while another program held 70 GiB of it.
    #[test]
    fn a_server_gpu_takes_what_ram_cannot_hold_and_less_when_busy() {
        let cat = Catalogue {
            variants: vec![
                variant("nano", 512 * MIB, 0),
                variant("small-1.5b", 2 * GIB, 2 * GIB),
                variant("large-32b", 200 * GIB, 24 * GIB),
                variant("huge-72b", 400 * GIB, 96 * GIB),
            ],
        };
        let run = |hw: &Hardware| {
            choose(&cat, hw, None, &|_| Ok(()), &mut |_| Ok(())).expect("a variant")
        };
        let c = run(&machine("nvidia-h100"));
        assert_eq!((c.variant.name.as_str(), c.gpu_layers), ("large-32b", -1));
        assert!(
            c.reason.starts_with(
                "large-32b: the largest installed variant that fits; all layers offloaded to \
                 NVIDIA H100 80GB HBM3: 79.6 GiB VRAM free, needs 24.0 GiB; huge-72b does not \
                 fit (needs 400.0 GiB RAM or 96.0 GiB VRAM)"
            ),
            "{}",
            c.reason
        );
        let c = run(&machine("nvidia-h100-busy"));
        assert_eq!((c.variant.name.as_str(), c.gpu_layers), ("small-1.5b", -1));
        assert!(
            c.reason
                .contains("offloaded to NVIDIA H100 80GB HBM3: 9.1 GiB VRAM free, needs 2.0 GiB"),
            "{}",
            c.reason
        );
        assert!(c.reason.contains("large-32b does not fit"), "{}", c.reason);
    }

    #[test]
    fn offloads_to_an_nvidia_or_amd_gpu_with_room() {
        let all = ["nano", "small-1.5b", "medium-3b"];
        let (c, _) = pick(&machine("nvidia-rtx3060"), &all, &[], None);
        let c = c.expect("medium");
        assert_eq!((c.variant.name.as_str(), c.gpu_layers), ("medium-3b", -1));
        assert_eq!(
            c.reason,
            "medium-3b: the largest installed variant that fits; all layers offloaded to \
             NVIDIA GeForce RTX 3060: 11.7 GiB VRAM free, needs 4.0 GiB"
        );
        let (c, _) = pick(&machine("nvidia-h100"), &all, &[], None);
        assert!(c
            .expect("h100")
            .reason
            .contains("NVIDIA H100 80GB HBM3: 79.6 GiB VRAM free"));
        // The RX 6600's 7.7 GiB free hold medium-3b's 4 GiB.
        let (c, _) = pick(&machine("amd-rx6600"), &all, &[], None);
        let c = c.expect("amd");
        assert_eq!((c.variant.name.as_str(), c.gpu_layers), ("medium-3b", -1));
        assert!(
            c.reason
                .contains("offloaded to AMD GPU (card1): 7.7 GiB VRAM free"),
            "{}",
            c.reason
        );
        // nano alone never offloads (its manifest gives no vram): the GPU is named unused.
        let (c, _) = pick(&machine("amd-rx6600"), &["nano"], &[], None);
        let c = c.expect("nano");
        assert_eq!(c.gpu_layers, 0);
        assert!(
            c.reason
                .ends_with("AMD GPU (card1) not used: this variant runs on the CPU"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn a_gpu_offload_fits_where_ram_does_not() {
        // A 2 GiB box with a 12 GiB GPU: small-1.5b does not fit in RAM but in VRAM.
        let mut hw = machine("small-2g");
        hw.gpus = machine("nvidia-rtx3060").gpus;
        let (c, _) = pick(&hw, &["nano", "small-1.5b"], &[], None);
        let c = c.expect("small");
        assert_eq!((c.variant.name.as_str(), c.gpu_layers), ("small-1.5b", -1));
    }

    #[test]
    fn a_damaged_file_is_passed_over_and_said() {
        let all = ["nano", "small-1.5b", "medium-3b"];
        let (c, hashed) = pick(&machine("cpu-2core-23g"), &all, &["medium-3b"], None);
        let c = c.expect("small");
        assert_eq!(c.variant.name, "small-1.5b");
        assert!(
            c.reason
                .ends_with("; medium-3b passed over: does not match its manifest"),
            "{}",
            c.reason
        );
        assert_eq!(hashed, ["medium-3b", "small-1.5b"]);
        let (e, _) = pick(&machine("cpu-2core-23g"), &["nano"], &["nano"], None);
        let e = e.expect_err("damaged");
        assert!(matches!(e, ChoiceError::NoneInstalled(_)));
        assert!(e.to_string().contains("does not match its manifest"), "{e}");
    }

    #[test]
    fn nothing_installed_or_nothing_fits() {
        let (e, _) = pick(&machine("cpu-2core-23g"), &[], &[], None);
        let e = e.expect_err("none");
        assert!(
            e.to_string().starts_with("no variant of the model is installed: nano: cannot read the model file /models/nano.gguf"),
            "{e}"
        );
        let mut hw = machine("small-2g");
        hw.memory = Some(crate::llm::hardware::Memory {
            total: GIB,
            available: 600 * MIB,
        });
        let (e, _) = pick(&hw, &["nano", "small-1.5b"], &[], None);
        let e = e.expect_err("too small");
        assert!(matches!(e, ChoiceError::NoneFits { .. }));
        assert!(
            e.to_string().contains("0.6 GiB RAM available")
                && e.to_string().contains("nano does not fit"),
            "{e}"
        );
        // RAM unknown: the smallest.
        hw.memory = None;
        let (c, _) = pick(&hw, &["nano", "small-1.5b"], &[], None);
        let c = c.expect("smallest");
        assert_eq!(c.variant.name, "nano");
        assert!(c.reason.contains("as RAM is unknown"), "{}", c.reason);
    }

    #[test]
    fn model_overrides_and_names_what_is_wrong() {
        let hw = machine("small-2g");
        let (c, _) = pick(&hw, &["nano", "medium-3b"], &[], Some("medium-3b"));
        let c = c.expect("asked for");
        assert_eq!(c.variant.name, "medium-3b");
        assert!(c.reason.starts_with("medium-3b: chosen with --model although it does not fit; 1.3 GiB RAM available, needs 6.0 GiB"), "{}", c.reason);
        let (c, _) = pick(
            &machine("cpu-2core-23g"),
            &["nano", "medium-3b"],
            &[],
            Some("nano"),
        );
        assert!(c
            .expect("nano")
            .reason
            .starts_with("nano: chosen with --model; 22.1 GiB"));
        let (e, _) = pick(&hw, &["nano"], &[], Some("small-1.5b"));
        let e = e.expect_err("not installed");
        assert_eq!(e.variant(), "small-1.5b");
        assert_eq!(
            e.to_string(),
            "--model names the variant small-1.5b, which is not installed: cannot read the model file /models/small-1.5b.gguf"
        );
        let (e, _) = pick(&hw, &["nano"], &["nano"], Some("nano"));
        assert!(e
            .expect_err("damaged")
            .to_string()
            .contains("does not match"));
        let (e, _) = pick(&hw, &["nano"], &[], Some("huge"));
        assert_eq!(
            e.expect_err("unknown").to_string(),
            "--model names the variant huge, which the manifest does not list (it lists nano, small-1.5b, medium-3b)"
        );
    }
}
