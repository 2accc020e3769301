//! Existing partitions named in a request ("sda2", "the windows partition", "the existing
//! EFI partition"): formatting or mounting one partition is never a whole-disk request.

use std::sync::LazyLock;

use levitate_dbus::{Action, Disk, Partition};
use regex::Regex;

use super::{clarify, patterns::DEVICE, values::about};
use crate::machine::Machine;

/// Where the reference ends and the target begins ("... as /boot/efi", "... to ext4").
static TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s(?:as|at|on|to|with|into|using|for|under|in)\s")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// A partition by its number ("p2", "part 3", "partition 1").
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bp(?:art(?:ition)?)?\s*(\d{1,3})\b")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// Words that make a clause speak of one existing partition.
/// "make the hdd one big partition at /data": a partition to lay out, none there yet.
static NEW_PARTITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:make|create|turn|give|with|as|into)\b.*\b(?:one|a|an|single|new)\s+(?:(?:big|large|huge|single|giant|new|whole|separate|data|ext4|xfs|btrfs)\s+){0,3}(?:partition|volume)\b")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
static ONE_PARTITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(partition|part|volume|existing|p\d+)\b")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// "format the encrypted one", "mount the ntfs one": what only a partition is, before "one".
static KIND_ONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:encrypted|luks|bitlocker|ntfs|ext4|btrfs|xfs|exfat|vfat|fat32|efi)\s+one\b")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});
/// A size said of the partition meant ("the 250G LUKS partition", "the 1 GB one").
static SIZE_SAID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d+(?:\.\d+)?)\s*(tb|tib|t|gb|gib|g|gigs?|mb|mib|m)\b")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

const LINUX_NAMES: &[&str] = &[
    "linux",
    "ubuntu",
    "debian",
    "fedora",
    "arch",
    "mint",
    "manjaro",
    "opensuse",
    "suse",
    "pop",
    "popos",
    "elementary",
    "kubuntu",
    "xubuntu",
    "gentoo",
    "void",
    "nixos",
    "endeavouros",
    "zorin",
    "centos",
    "rhel",
    "rocky",
    "alma",
    "kali",
    "mx",
];

pub(super) fn is_linux_name(w: &str) -> bool {
    LINUX_NAMES.contains(&w)
}

fn is_linux_fs(p: &Partition) -> bool {
    matches!(p.fs.as_str(), "ext4" | "ext3" | "ext2" | "btrfs" | "xfs") || p.kind == "linux"
}

/// Whether a disk holds an installed Linux (a Linux filesystem not in use by the live system).
pub(super) fn holds_linux(d: &Disk, name: Option<&str>) -> bool {
    d.partitions.iter().any(|p| {
        is_linux_fs(p)
            && p.mountpoint.is_empty()
            && name.is_none_or(|n| {
                n == "linux"
                    || p.label.to_lowercase().contains(n)
                    || p.description.to_lowercase().contains(n)
            })
    })
}

fn looks_like_partition_name(name: &str) -> bool {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:sd|vd|xvd|hd)[a-z]+\d+|nvme\d+n\d+p\d+|mmcblk\d+p\d+)$")
            .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
    });
    NAME.is_match(name)
}

/// The partition a clause names: None when it names none (it may name a disk), else the
/// partition's path or the question to ask.
pub(super) fn partition_ref(lc: &str, m: &Machine) -> Option<Result<String, Action>> {
    // ("I want the new server to mount srv-data at /srv": what is mounted comes after the
    // verb, not before its "to".)
    let asked = ["to mount ", "to format ", "to reformat ", "to reuse "]
        .iter()
        .find_map(|v| lc.find(v).map(|i| &lc[i + 3..]))
        .unwrap_or(lc);
    let reference = TARGET.split(asked).next().unwrap_or(asked);
    for c in DEVICE.captures_iter(reference) {
        let Some(name) = c.name("p").or_else(|| c.name("d")) else {
            continue;
        };
        let path = format!("/dev/{}", name.as_str());
        if m.partition(&path).is_some() {
            return Some(Ok(path));
        }
        if m.disks.iter().any(|d| d.path == path) {
            continue;
        }
        if looks_like_partition_name(name.as_str()) {
            return Some(Err(clarify(format!(
                "There is no partition {path} on this machine. Which partition do you mean?"
            ))));
        }
    }
    // "mount the PHOTOS card at /mnt/photos": a partition's label, said to mount or
    // format it, names it without the word "partition".
    let verb = lc
        .split_whitespace()
        .any(|w| matches!(w, "mount" | "mounted" | "format" | "reformat" | "reuse"));
    // ("its srv-data partition": a label may hold a dash, a dot or an underscore.)
    let joined_words: Vec<&str> = reference
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.contains(['-', '_', '.']))
        .collect();
    let label_said = verb
        && reference
            .split(|c: char| !c.is_alphanumeric())
            .chain(joined_words.iter().copied())
            .filter(|w| {
                w.len() >= 4 && !matches!(*w, "windows" | "root" | "home" | "boot" | "system")
            })
            .any(|w| {
                m.disks
                    .iter()
                    .flat_map(|d| &d.partitions)
                    .any(|p| p.label.to_lowercase() == w)
            });
    // ("the "Sicherung 2016" partition": a label of several words, said whole.)
    let long_label = m
        .disks
        .iter()
        .flat_map(|d| &d.partitions)
        .map(|p| p.label.to_lowercase())
        .find(|l| l.contains(' ') && l.len() >= 6 && reference.contains(l.as_str()));
    // ("the Time Machine partition" for "Time Machine Backups": two of a long label's
    // words in a row name it, where they name no other.)
    let long_label = long_label.or_else(|| {
        let said: Vec<&str> = reference
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let mut found = m
            .disks
            .iter()
            .flat_map(|d| &d.partitions)
            .map(|p| p.label.to_lowercase())
            .filter(|l| {
                let words: Vec<&str> = l
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                words.len() >= 2
                    && words
                        .windows(2)
                        .any(|pair| pair[0].len() >= 3 && said.windows(2).any(|s| s == pair))
            });
        let first = found.next();
        first.filter(|_| found.next().is_none())
    });
    // ("mount Jürgen's partition", "the fotos partition" for "Fotos & Musik – Jürgen": a
    // word of one label only, said before "partition" or as whose it is.)
    let long_label = long_label.or_else(|| {
        let labels: Vec<String> = m
            .disks
            .iter()
            .flat_map(|d| &d.partitions)
            .map(|p| p.label.to_lowercase())
            .collect();
        // (Each label's words of four letters or more, folded, once.)
        let words: Vec<Vec<String>> = labels
            .iter()
            .map(|l| {
                super::text::fold_text(l)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() >= 4)
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        let said: Vec<&str> = reference.split_whitespace().collect();
        let named = |w: &str| {
            said.windows(2).any(|p| {
                p[0] == format!("{w}'s") || p[0] == w && matches!(p[1], "partition" | "volume")
            })
        };
        let mut found = labels.iter().zip(&words).filter(|(l, own)| {
            l.contains(' ')
                && own.iter().any(|w| {
                    named(w)
                        && !matches!(
                            w.as_str(),
                            "windows" | "system" | "backup" | "backups" | "data"
                        )
                        && words.iter().filter(|o| o.contains(w)).count() == 1
                })
        });
        let first = found.next().map(|(l, _)| l.clone());
        first.filter(|_| found.next().is_none())
    });
    let label_said = label_said || long_label.is_some();
    let kind_one = verb && KIND_ONE.is_match(reference);
    // "mount the seagate at /srv/media (don't format it)": a disk named by its maker or
    // model whose one filesystem is what is mounted. (Formatting a disk so named is a
    // disk request, not this.)
    let said: Vec<&str> = lc.split_whitespace().collect();
    let mounts_only = said.iter().any(|w| matches!(*w, "mount" | "mounted"))
        && !(0..said.len()).any(|i| {
            (said[i].starts_with("format") || said[i].starts_with("reformat"))
                && !i.checked_sub(1).is_some_and(|j| {
                    matches!(
                        said[j],
                        "don't" | "dont" | "not" | "no" | "never" | "without"
                    )
                })
        });
    if mounts_only && !ONE_PARTITION.is_match(reference) && !label_said {
        if let [d] = super::disks::disks_named_by_model(reference, &m.disks).as_slice() {
            let data: Vec<&Partition> = d
                .partitions
                .iter()
                .filter(|p| !p.fs.is_empty() && p.fs != "swap" && p.kind != "esp")
                .collect();
            if let [p] = data.as_slice() {
                return Some(Ok(p.path.clone()));
            }
        }
    }
    // "format the nikon sd card as ext4": a disk named, with one partition, and nothing
    // said of installing on it or laying it out: that partition is what is formatted.
    let formats_only = said.iter().any(|w| matches!(*w, "format" | "reformat"))
        && !said.iter().any(|w| {
            matches!(
                *w,
                "install"
                    | "installing"
                    | "use"
                    | "put"
                    | "linux"
                    | "system"
                    | "root"
                    | "/"
                    | "wipe"
                    | "erase"
                    | "whole"
                    | "entire"
                    | "partition"
                    | "partitions"
                    | "layout"
                    | "encrypt"
                    | "encrypted"
                    | "swap"
                    | "home"
                    | "efi"
                    | "there"
                    | "it"
            )
        });
    if formats_only && !ONE_PARTITION.is_match(reference) && !label_said {
        let mut named = super::disks::disks_named_by_model(reference, &m.disks);
        if named.is_empty() {
            named = super::disks::disks_described(reference, &m.disks);
        }
        if let Some(p) = only_partition(&named).filter(|p| !p.fs.is_empty() && p.kind != "esp") {
            return Some(Ok(p.path.clone()));
        }
    }
    if !(ONE_PARTITION.is_match(reference) || label_said || kind_one)
        || reference.contains("partitions")
        // ("erase the linux partition and create one big one": the first is named.)
        || NEW_PARTITION.is_match(reference)
            && !ONE_PARTITION.is_match(&NEW_PARTITION.replace_all(reference, " "))
    {
        return None;
    }
    let words: Vec<&str> = reference
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    let mut filters: Vec<Filter> = Vec::new();
    let esp = has("efi") || has("esp");
    if esp {
        filters.push(Box::new(|p| p.kind == "esp"));
    }
    // "the ubuntu efi partition": the system names whose ESP, not another partition.
    // ("the windows recovery partition": Windows' recovery partition.)
    if has("windows") && !esp && !has("recovery") {
        filters.push(Box::new(|p| {
            p.kind != "recovery" && (p.fs == "ntfs" || p.label.to_lowercase().contains("windows"))
        }));
    }
    if has("recovery") {
        filters.push(Box::new(|p| p.kind == "recovery"));
    }
    if has("swap") {
        filters.push(Box::new(|p| p.fs == "swap"));
    }
    // "the 250G LUKS partition", "the encrypted one", "the BitLocker partition": what the
    // partition holds now.
    if has("luks") {
        filters.push(Box::new(|p| p.fs.eq_ignore_ascii_case("crypto_luks")));
    } else if has("bitlocker") {
        filters.push(Box::new(|p| p.fs.eq_ignore_ascii_case("bitlocker")));
    } else if has("encrypted") {
        filters.push(Box::new(|p| {
            p.fs.eq_ignore_ascii_case("crypto_luks") || p.fs.eq_ignore_ascii_case("bitlocker")
        }));
    }
    // "p2 on the nvme", "partition 3 of sda": the partition's number on its disk.
    if let Some(n) = NUMBERED
        .captures(reference)
        .and_then(|c| c.get(1))
        .map(|n| n.as_str().to_owned())
    {
        filters.push(Box::new(move |p| {
            let digits = p.path.len() - p.path.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            p.path[p.path.len() - digits..] == n
        }));
    }
    if let Some(n) = words
        .iter()
        .copied()
        .find(|w| is_linux_name(w))
        .filter(|_| !esp)
    {
        let n = n.to_owned();
        filters.push(Box::new(move |p| {
            is_linux_fs(p)
                && (n == "linux"
                    || p.label.to_lowercase().contains(&n)
                    || p.description.to_lowercase().contains(&n))
        }));
    }
    // ("format it btrfs", "format my ubuntu partition xfs": a filesystem right after the
    // verb, or last, is the new one, not the one that tells the partition.)
    let formats = words.iter().any(|w| w.ends_with("format"));
    let new_fs = |fs: &str| {
        formats
            && words.iter().enumerate().any(|(i, w)| {
                *w == fs
                    && (i + 1 == words.len()
                        || i > 0 && words[i - 1].ends_with("format")
                        || i > 1
                            && words[i - 2].ends_with("format")
                            && matches!(words[i - 1], "it" | "that" | "this" | "them"))
            })
    };
    for fs in [
        "ext4", "btrfs", "xfs", "ntfs", "vfat", "exfat", "hfsplus", "apfs",
    ] {
        if has(fs) && !new_fs(fs) {
            filters.push(Box::new(move |p| p.fs == fs));
        }
    }
    let all: Vec<(&Disk, &Partition)> = m
        .disks
        .iter()
        .flat_map(|d| d.partitions.iter().map(move |p| (d, p)))
        .collect();
    // A label the person repeats ("the partition labelled DATA").
    let labelled: Vec<&str> = words
        .iter()
        .copied()
        .chain(joined_words.iter().copied())
        .filter(|w| w.len() >= 3 && all.iter().any(|(_, p)| p.label.to_lowercase() == *w))
        .filter(|w| !(esp && (is_linux_name(w) || *w == "windows")))
        .collect();
    if let Some(l) = long_label {
        filters.push(Box::new(move |p| p.label.to_lowercase() == l));
    } else if !labelled.is_empty() {
        let l: Vec<String> = labelled.iter().map(|s| (*s).to_owned()).collect();
        filters.push(Box::new(move |p| l.contains(&p.label.to_lowercase())));
    }
    // ("the efi partition on sdc at /boot/efi": the disk may be said after the partition.)
    let said_words: Vec<&str> = lc
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut named_disks: Vec<&Disk> = m
        .disks
        .iter()
        .filter(|d| {
            let short = d.path.trim_start_matches("/dev/");
            words.contains(&short)
                || said_words.contains(&short)
                || (has("nvme") && d.transport == "nvme")
        })
        .collect();
    // "the partition on the DataTraveler": its disk by maker or model, anywhere said.
    if named_disks.is_empty() {
        named_disks = super::disks::disks_named_by_model(lc, &m.disks);
    }
    // ("the 4TB drive's partition", "the partition on sda at /srv": by size or name.)
    let described = || super::disks::disks_described(&lc.replace("'s ", " "), &m.disks);
    // ... and where that disk has one partition, it is the one meant.
    if filters.is_empty() && named_disks.is_empty() {
        if let Some(p) = only_partition(&described()) {
            return Some(Ok(p.path.clone()));
        }
    }
    if let (Some(p), true) = (only_partition(&named_disks), filters.is_empty()) {
        return Some(Ok(p.path.clone()));
    }
    // (On a disk named, where any is.)
    let on_named =
        |d: &Disk| named_disks.is_empty() || named_disks.iter().any(|n| n.path == d.path);
    // The partitions of the size said, on the disks named.
    let of_size_said = || -> Vec<&(&Disk, &Partition)> {
        all.iter()
            .filter(|(d, p)| size_fits(reference, p.size) && on_named(d))
            .collect()
    };
    if filters.is_empty() {
        // ("reformat the 250G partition": one partition of that size.)
        if let [(_, p)] = of_size_said().as_slice() {
            return Some(Ok(p.path.clone()));
        }
        return Some(Err(clarify(format!(
            "Which partition do you mean? The partitions are: {}.",
            list(&all)
        ))));
    }
    let found: Vec<&(&Disk, &Partition)> = all
        .iter()
        .filter(|(d, p)| filters.iter().all(|f| f(p)) && on_named(d))
        .collect();
    // A size said narrows what the rest leaves (it may be its disk's size instead:
    // "the 4 TB media partition").
    let sized: Vec<&(&Disk, &Partition)> = found
        .iter()
        .copied()
        .filter(|(_, p)| size_fits(reference, p.size))
        .collect();
    let found = if found.len() > 1 && sized.len() == 1 {
        sized
    } else {
        found
    };
    // ("the old 1G fedora boot partition": a system's name may be its label or the install
    // the partition belongs to; the size said decides, and where it points elsewhere,
    // to one partition, that one is meant.)
    let found = match found.as_slice() {
        [(_, p)]
            if SIZE_SAID.is_match(reference)
                && !size_fits(reference, p.size)
                && labelled.iter().any(|w| is_linux_name(w)) =>
        {
            let fits = of_size_said();
            if fits.len() == 1 {
                fits
            } else {
                found
            }
        }
        _ => found,
    };
    match found.as_slice() {
        [(_, p)] => Some(Ok(p.path.clone())),
        [] => Some(Err(clarify(format!(
            "No partition matches that. The partitions are: {}. Which one do you mean?",
            list(&all)
        )))),
        many => Some(Err(clarify(format!(
            "Which partition do you mean: {}?",
            list(&many.iter().map(|x| **x).collect::<Vec<_>>())
        )))),
    }
}

/// Whether a size said in `reference` is about `bytes` (within a tenth, decimal or binary).
fn size_fits(reference: &str, bytes: u64) -> bool {
    SIZE_SAID.captures_iter(reference).any(|c| {
        super::values::size_bytes(&c[1], &c[2])
            .is_some_and(|(dec, bin)| about(bytes, dec) || about(bytes, bin))
    })
}

/// The partition of the one disk meant, where that disk has exactly one.
pub(super) fn only_partition<'m>(disks: &[&'m Disk]) -> Option<&'m Partition> {
    match disks {
        [d] => match d.partitions.as_slice() {
            [p] => Some(p),
            _ => None,
        },
        _ => None,
    }
}

/// One thing said about the partition meant.
type Filter = Box<dyn Fn(&Partition) -> bool>;

fn list(parts: &[(&Disk, &Partition)]) -> String {
    if parts.is_empty() {
        return "none".into();
    }
    parts
        .iter()
        .map(|(_, p)| format!("{} ({})", p.path, p.description))
        .collect::<Vec<_>>()
        .join(", ")
}
