//! Disk clauses: what was said about disks, which disk it points at, and the resulting
//! `partition` action.

use levitate_dbus::{Action, Disk, PartitionEntry, TableKind};

use super::{
    choose, clarify,
    patterns::{
        DEVICE, ENCRYPT, EVERY_DISK, FS, HOME, NO_FORMAT, NO_SWAP, ORDINAL, ROOT_REST, SIZE,
        WIPE_FALSE, WIPE_TRUE,
    },
    text::fold,
    values::{size_bytes, size_token},
};
use crate::{machine::Machine, plan::describe_disk};

/// Everything a disk clause said. Each flag is one independent thing a person can say.
#[allow(clippy::struct_excessive_bools)]
#[derive(Default)]
pub(super) struct DiskBits {
    text: String,
    wipe: Option<bool>,
    encrypt: bool,
    root_fs: Option<String>,
    home: bool,
    home_size: Option<String>,
    home_fs: Option<String>,
    swap: bool,
    swap_size: Option<String>,
    no_swap: bool,
    root_size: Option<String>,
    table: Option<TableKind>,
    every_disk: bool,
    dual_boot: bool,
    /// "partitions only": create them, format and mount by hand later.
    no_format: bool,
    /// Sizes that describe the disk ("the 500gb drive"), in bytes.
    disk_sizes: Vec<f64>,
}

impl DiskBits {
    pub(super) fn merge(&mut self, o: DiskBits) {
        self.text.push(' ');
        self.text.push_str(&o.text);
        self.wipe = o.wipe.or(self.wipe);
        self.encrypt |= o.encrypt;
        self.root_fs = o.root_fs.or(self.root_fs.take());
        self.home |= o.home;
        self.home_size = o.home_size.or(self.home_size.take());
        self.home_fs = o.home_fs.or(self.home_fs.take());
        self.swap |= o.swap;
        self.swap_size = o.swap_size.or(self.swap_size.take());
        self.no_swap |= o.no_swap;
        self.root_size = o.root_size.or(self.root_size.take());
        self.table = o.table.or(self.table);
        self.every_disk |= o.every_disk;
        self.dual_boot |= o.dual_boot;
        self.no_format |= o.no_format;
        self.disk_sizes.extend(o.disk_sizes);
    }
}

fn disk_list(disks: &[&Disk]) -> String {
    disks
        .iter()
        .map(|d| describe_disk(d))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Reads the disk-related parts of one clause.
pub(super) fn disk_bits(lc: &str) -> DiskBits {
    let mut b = DiskBits {
        text: lc.to_owned(),
        ..DiskBits::default()
    };
    b.encrypt = ENCRYPT.is_match(lc);
    b.dual_boot = WIPE_FALSE.is_match(lc);
    if b.dual_boot {
        b.wipe = Some(false);
    } else if WIPE_TRUE.is_match(lc) {
        b.wipe = Some(true);
    }
    b.no_swap = NO_SWAP.is_match(lc);
    b.no_format = NO_FORMAT.is_match(lc);
    b.swap = !b.no_swap && lc.contains("swap");
    b.every_disk = EVERY_DISK.is_match(lc);
    if lc.contains("mbr") || lc.contains("msdos") || lc.contains("dos partition") {
        b.table = Some(TableKind::Mbr);
    } else if lc.contains("gpt") {
        b.table = Some(TableKind::Gpt);
    }
    if let Some(m) = HOME.captures(lc) {
        let explicit = m.get(1).is_some() || lc.contains("partition") || lc.contains("/home");
        b.home = explicit || lc.contains("home on") || lc.contains("home as");
    }
    if ROOT_REST.is_match(lc) {
        b.root_size = Some("rest".into());
    }
    for m in FS.find_iter(lc) {
        let before = &lc[..m.start()];
        if b.home
            && (before.ends_with("home on ")
                || before.ends_with("home as ")
                || before.ends_with("home with ")
                || before.ends_with("home in "))
        {
            b.home_fs = Some(m.as_str().to_owned());
        } else {
            b.root_fs = Some(m.as_str().to_owned());
        }
    }
    for c in SIZE.captures_iter(lc) {
        let (Some(whole), Some(n), Some(u)) = (c.get(0), c.name("n"), c.name("u")) else {
            continue;
        };
        let after = lc[whole.end()..].trim_start();
        let before = lc[..whole.start()].trim_end();
        let token = size_token(n.as_str(), u.as_str());
        let near = |word: &str| {
            after.starts_with(word)
                || after
                    .strip_prefix("of ")
                    .is_some_and(|a| a.starts_with(word))
                || after
                    .strip_prefix("for ")
                    .is_some_and(|a| a.starts_with(word))
                || after
                    .strip_prefix("for the ")
                    .is_some_and(|a| a.starts_with(word))
                || before.ends_with(word)
                || before.ends_with(&format!("{word} of"))
                || before.ends_with(&format!("{word} partition of"))
        };
        if near("swap") {
            b.swap = true;
            b.swap_size = Some(token);
        } else if near("home") || near("/home") {
            b.home = true;
            b.home_size = Some(token);
        } else if near("root")
            || after.starts_with("for /")
            || after.starts_with("/ ")
            || after == "/"
        {
            b.root_size = Some(token);
        } else if let Some(bytes) = size_bytes(n.as_str(), u.as_str()) {
            b.disk_sizes.push(bytes.0);
            b.disk_sizes.push(bytes.1);
        }
    }
    b
}

/// Which disks a clause's words point at: None when it names none.
fn resolve_disks<'m>(b: &DiskBits, disks: &'m [Disk]) -> Result<Option<Vec<&'m Disk>>, Action> {
    let lc = b.text.as_str();
    let all: Vec<&Disk> = disks.iter().collect();
    let mut candidates = all.clone();
    let mut named = false;
    for c in DEVICE.captures_iter(lc) {
        let Some(name) = c.name("p").or_else(|| c.name("d")) else {
            continue;
        };
        let path = format!("/dev/{}", name.as_str());
        named = true;
        match disks.iter().find(|d| d.path == path) {
            Some(d) => candidates.retain(|x| x.path == d.path),
            None => {
                return Err(choose(
                    format!(
                        "There is no disk {path} on this machine. The disks are: {}. Which one should I use?",
                        disk_list(&all)
                    ),
                    paths(&all),
                ))
            }
        }
    }
    if !b.disk_sizes.is_empty() {
        named = true;
        candidates.retain(|d| {
            #[allow(clippy::cast_precision_loss)]
            let size = d.size as f64;
            b.disk_sizes.iter().any(|s| (size - s).abs() <= 0.1 * size)
        });
    }
    let words: Vec<&str> = lc
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    if has("nvme") {
        named = true;
        candidates.retain(|d| d.transport == "nvme");
    }
    if has("ssd") || has("ssds") || lc.contains("solid state") {
        named = true;
        candidates.retain(|d| !d.rotational);
    }
    if has("hdd") || lc.contains("hard drive") || lc.contains("hard disk") || has("spinning") {
        named = true;
        candidates.retain(|d| d.rotational);
    }
    if has("usb") || has("removable") || has("stick") {
        named = true;
        candidates.retain(|d| d.removable || d.transport == "usb");
    }
    // Vendor or model words ("the samsung", "the wd", "the 870").
    let vendor_words = disk_name_words(lc, disks);
    if !vendor_words.is_empty() {
        named = true;
        candidates.retain(|d| {
            vendor_words
                .iter()
                .all(|w| model_words(d).iter().any(|m| m == w))
        });
    }
    if let Some(c) = ORDINAL.captures(lc) {
        let idx = match c.get(1).map(|m| m.as_str()) {
            Some("first" | "1st") => Some(0),
            Some("second" | "2nd") => Some(1),
            Some("third" | "3rd") => Some(2),
            _ => None,
        };
        if let Some(i) =
            idx.filter(|_| c.get(2).is_some() || lc.contains("disk") || lc.contains("drive"))
        {
            named = true;
            let target = all.get(i).map(|d| d.path.clone());
            candidates.retain(|d| Some(&d.path) == target.as_ref());
        }
    }
    if has("largest") || has("biggest") || has("bigger") || has("larger") {
        named = true;
        let max = candidates.iter().map(|d| d.size).max();
        candidates.retain(|d| Some(d.size) == max);
    }
    if has("smallest") || has("smaller") {
        named = true;
        let min = candidates.iter().map(|d| d.size).min();
        candidates.retain(|d| Some(d.size) == min);
    }
    Ok(named.then_some(candidates))
}

/// Words of a disk's model and vendor, folded, with common vendor spellings.
fn model_words(d: &Disk) -> Vec<String> {
    let mut w: Vec<String> = fold(&format!("{} {}", d.model, d.vendor))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.len() >= 2)
        .map(str::to_owned)
        .collect();
    if w.iter().any(|t| t == "wd") {
        w.push("western".into());
        w.push("digital".into());
    }
    w
}

/// Words that appear in model names but say nothing about which disk is meant.
const NOT_NAMES: &[&str] = &[
    "ssd", "hdd", "disk", "drive", "the", "use", "with", "and", "nvme", "sata", "usb", "pro",
    "plus", "series", "internal", "external", "for", "on", "of", "blue", "black", "red", "green",
    "whole", "install", "it", "to", "evo",
];

/// The words of `lc` that name a disk by vendor or model ("samsung", "wd", "870").
fn disk_name_words<'t>(lc: &'t str, disks: &[Disk]) -> Vec<&'t str> {
    lc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !NOT_NAMES.contains(w))
        .filter(|w| w.len() >= 3 || *w == "wd")
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) || w.len() >= 3)
        .filter(|w| disks.iter().any(|d| model_words(d).iter().any(|m| m == w)))
        .collect()
}

/// The disks' paths: the answers to a question that asks to pick one.
fn paths(disks: &[&Disk]) -> Vec<String> {
    disks.iter().map(|d| d.path.clone()).collect()
}

pub(super) fn names_a_disk(lc: &str, disks: &[Disk]) -> bool {
    !disk_name_words(lc, disks).is_empty()
}

fn holds_windows(d: &Disk) -> bool {
    d.partitions
        .iter()
        .any(|p| p.fs == "ntfs" || p.fs == "BitLocker" || p.kind == "msr")
}

/// Turns merged disk clauses into a `partition` action, or a question.
pub(super) fn partition_action(b: &DiskBits, m: &Machine) -> Action {
    if m.disks.is_empty() {
        return clarify("I cannot see any disk to install to on this machine.");
    }
    let all: Vec<&Disk> = m.disks.iter().collect();
    if b.every_disk {
        return choose(
            format!(
                "I install to one disk at a time. Which one should I use: {}?",
                disk_list(&all)
            ),
            paths(&all),
        );
    }
    let chosen = match resolve_disks(b, &m.disks) {
        Err(q) => return q,
        Ok(Some(c)) => c,
        Ok(None) if b.dual_boot => m.disks.iter().filter(|d| holds_windows(d)).collect(),
        Ok(None) => all.clone(),
    };
    let disk = match chosen.as_slice() {
        [d] => *d,
        [] => {
            return choose(
                format!(
                    "No disk matches that. The disks are: {}. Which one should I use?",
                    disk_list(&all)
                ),
                paths(&all),
            )
        }
        many => {
            return choose(
                format!("Which disk should I use: {}?", disk_list(many)),
                paths(many),
            );
        }
    };
    let has_scheme =
        b.encrypt || b.root_fs.is_some() || b.home || b.swap || b.no_swap || b.root_size.is_some();
    let scheme = has_scheme.then(|| {
        let mut s = vec![PartitionEntry {
            mount: "/".into(),
            size: b.root_size.clone(),
            fs: b.root_fs.clone(),
            encrypt: b.encrypt,
        }];
        if b.home {
            s.push(PartitionEntry {
                mount: "/home".into(),
                size: b.home_size.clone(),
                fs: b.home_fs.clone().or_else(|| b.root_fs.clone()),
                encrypt: b.encrypt,
            });
        }
        if b.swap {
            s.push(PartitionEntry {
                mount: "swap".into(),
                size: b.swap_size.clone(),
                fs: None,
                encrypt: false,
            });
        }
        s
    });
    Action::Partition {
        disk: disk.path.clone(),
        table: b.table,
        wipe: b.wipe,
        scheme,
        format: b.no_format.then_some(false),
    }
}
