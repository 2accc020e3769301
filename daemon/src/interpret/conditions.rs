//! Conditions a request puts on the machine ("if there's a second drive put /home on it,
//! otherwise keep home on the SSD", "swap only if it has under 8 GB of RAM", "btrfs if the
//! target is an SSD, otherwise ext4"). The daemon sees the machine, so what it can decide
//! it decides, and only the branch that holds is read; a condition it cannot decide (or
//! words that are no condition: "tell me if it worked") leave the sentence as said, and
//! an erase that depends on one is asked about (`IF_THE_DISK_HOLDS`).

use std::sync::LazyLock;

use levitate_dbus::Disk;
use regex::Regex;

use super::{
    disks,
    patterns::{re, DEVICE},
};
use crate::machine::{Firmware, Machine};

/// "if C[,] [then] A[, otherwise B]" at the start of a sentence (C ends at a comma, at
/// "then", or where a request starts: "if there's a second drive put /home on it").
static IF_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?P<lead>(?:and |but |so |also |then |and then )?)(?:only )?if (?P<rest>.+)$")
});

/// Where the condition of "if C A" ends and the request starts.
static CONDITION_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i),\s*(?:then\s+)?|\s+then\s+|\s+(?:put|use|make|give|add|create|install|wipe|erase|keep|set|go with|do|take)\s",
    )
});

/// "..., otherwise B": the other branch.
static OTHERWISE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)[,;]?\s*\b(?:otherwise|else|if not)\b[,:]?\s*"));

/// "A [only] if C[, otherwise B]".
static IF_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?P<a>.+?),?\s+(?:but\s+)?(?:only\s+)?if (?P<c>.+?)(?:[,;]?\s*(?:otherwise|else|if not)[,:]?\s+(?P<b>.+))?$",
    )
});

/// "A unless C[; in that case B]".
static UNLESS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?P<a>.+?),?\s+unless (?P<c>.+?)(?:[,;]\s*(?:in that case|then|if so|if it does|otherwise)[,:]?\s+(?P<b>.+))?$",
    )
});

static THERE_IS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\bthere(?:'s| is) (?:already )?an? (?P<t>[a-z][a-z ]*?)(?: on| in|$)")
});

static KEEP_IT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(keep|leave|spare|preserve|beside|next to|alongside)\s+it\b"));

static IT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(on|onto|to|for|use)\s+it\b"));

static MEMORY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<cmp>less than|fewer than|under|below|more than|over|above|at least|at most)\s+(?P<n>\d+(?:\.\d+)?)\s*(?:gb|g|gigs?|gib|gigabytes?)?\b",
    )
});

static SECOND_DISK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:a\s+|an\s+)?(?:second|another|other|2nd|extra)\s+(?:drive|disk|ssd|hdd|hard drive)\b|\bmore than one (?:drive|disk)\b|\btwo (?:drives|disks)\b",
    )
});

static BLANK_DISK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:an?\s+)?(?:blank|empty|unused|free)\s+(?:one|disk|drive)\b"));

/// A condition decided: true, false, or not known from the machine.
fn holds(c: &str, branch: &str, text: &str, m: &Machine) -> Option<bool> {
    let c = c.to_lowercase();
    // "free space on the NVMe": the disk after "on" is what the condition is about.
    let (c, on) = match c.find(" on ").or_else(|| c.find(" in ")) {
        Some(at) => (c[..at].to_owned(), Some(c[at + 4..].to_owned())),
        None => (c.clone(), None),
    };
    let has = |w: &str| c.split(|ch: char| !ch.is_alphanumeric()).any(|x| x == w);
    // Memory: "less than 4 gigs of ram", "under 8 GB of memory".
    if has("ram") || has("memory") {
        let cap = MEMORY.captures(&c)?;
        let n: f64 = cap["n"].parse().ok()?;
        #[allow(clippy::cast_precision_loss)]
        let gib = m.memory as f64 / f64::from(1u32 << 30);
        return Some(match &cap["cmp"] {
            "less than" | "fewer than" | "under" | "below" => gib < n,
            "at most" => gib <= n,
            "at least" => gib >= n,
            _ => gib > n,
        });
    }
    // Firmware: "if this machine boots UEFI", "if it's legacy BIOS".
    if has("uefi") || has("efi") && (has("boots") || has("boot") || has("uses")) {
        return Some(m.firmware == Firmware::Uefi);
    }
    if has("bios") || has("legacy") {
        return Some(m.firmware == Firmware::Bios);
    }
    if SECOND_DISK.is_match(&c) {
        // (Sticks, cards and the disk the live system runs from are no second drive.)
        let fixed = m
            .disks
            .iter()
            .filter(|d| {
                !d.removable && d.transport != "usb" && d.transport != "mmc" && d.in_use.is_empty()
            })
            .count();
        return Some(fixed >= 2);
    }
    if (has("there") || has("find") || has("see")) && BLANK_DISK.is_match(&c) {
        return Some(
            m.disks
                .iter()
                .any(|d| d.partitions.is_empty() && d.in_use.is_empty()),
        );
    }
    // The rest is said of one disk: the one the condition or the request names (else the
    // only one).
    let disk = match on.as_deref().and_then(|o| described(o, m)) {
        Some(d) => d,
        None => described(&branch.to_lowercase(), m).or_else(|| subject(text, m))?,
    };
    let ssd = ["ssd", "nvme", "flash", "solid"].iter().any(|w| has(w));
    let hdd = ["hdd", "spinning", "rotational", "mechanical", "spinner"]
        .iter()
        .any(|w| has(w))
        || c.contains("hard drive")
        || c.contains("hard disk");
    if ssd != hdd {
        return Some(ssd != disk.rotational);
    }
    if has("windows") {
        return Some(disks::holds_windows(disk));
    }
    if has("empty") || has("blank") || has("unused") {
        return Some(disk.partitions.is_empty());
    }
    if [
        "data",
        "os",
        "files",
        "anything",
        "something",
        "partitions",
        "stuff",
        "linux",
    ]
    .iter()
    .any(|w| has(w))
        || c.contains("operating system")
    {
        return Some(!disk.partitions.is_empty());
    }
    if has("room") || has("space") || has("unallocated") {
        return Some(disks::free_bytes(disk) >= 20 << 30);
    }
    None
}

/// The one disk words describe by kind ("the nvme", "the ssd", "the hard drive"), name or
/// model.
fn described<'m>(words: &str, m: &'m Machine) -> Option<&'m Disk> {
    let has = |w: &str| words.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    let of_kind: Vec<&Disk> = m
        .disks
        .iter()
        .filter(|d| {
            if has("nvme") {
                d.transport == "nvme"
            } else if has("ssd") {
                !d.rotational
            } else if has("hdd") || words.contains("hard drive") || words.contains("hard disk") {
                d.rotational
            } else {
                false
            }
        })
        .collect();
    if let [d] = of_kind.as_slice() {
        return Some(d);
    }
    let named = subject(words, m)?;
    (m.disks.len() > 1 || words.contains(named.path.trim_start_matches("/dev/"))).then_some(named)
}

/// The one disk a request speaks of: by device name, maker or model, else the only disk,
/// else the one holding Windows when Windows is spoken of.
fn subject<'m>(text: &str, m: &'m Machine) -> Option<&'m Disk> {
    let lc = text.to_lowercase();
    let by_device: Vec<&Disk> = DEVICE
        .captures_iter(&lc)
        .filter_map(|c| c.name("p").or_else(|| c.name("d")))
        .filter_map(|n| {
            let path = format!("/dev/{}", n.as_str());
            m.disks.iter().find(|d| d.path == path)
        })
        .collect();
    if let [d] = by_device.as_slice() {
        return Some(d);
    }
    if let [d] = disks::disks_named_by_model(&lc, &m.disks).as_slice() {
        return Some(d);
    }
    if let [d] = m.disks.as_slice() {
        return Some(d);
    }
    if lc.contains("windows") {
        let w: Vec<&Disk> = m
            .disks
            .iter()
            .filter(|d| d.partitions.iter().any(|p| p.fs == "ntfs"))
            .collect();
        if let [d] = w.as_slice() {
            return Some(d);
        }
    }
    None
}

/// The request with each condition the machine decides replaced by the branch that holds.
pub(super) fn decide(text: &str, m: &Machine) -> String {
    let lower = text.to_lowercase();
    if !["if ", "unless "].iter().any(|w| lower.contains(w)) {
        return text.to_owned();
    }
    // ("Root on the SSD, and if there's a second drive ...": a new request starts there.)
    let split = JOINED_IF.replace_all(text, "; if ");
    let split = KEPT_BRANCH.replace_all(&split, ", $1");
    let mut any = false;
    let out = split
        .split_inclusive(['.', ';'])
        .map(|s| {
            let end = s.len() - s.trim_end_matches(['.', ';', ' ']).len();
            let (body, tail) = s.split_at(s.len() - end);
            match decide_sentence(body.trim(), text, m) {
                Some(d) => {
                    any = true;
                    if d.trim().is_empty() {
                        String::new()
                    } else {
                        format!(" {}{tail}", d.trim())
                    }
                }
                None => s.to_owned(),
            }
        })
        .collect::<String>();
    if any {
        out.trim().to_owned()
    } else {
        text.to_owned()
    }
}

/// "...; in that case use the hard drive": the other branch, after a semicolon.
static KEPT_BRANCH: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i);\s*(in that case|if so|if it does|otherwise|else|if not)\b"));

static JOINED_IF: LazyLock<Regex> = LazyLock::new(|| re(r"(?i),?\s+(?:and|but)\s+if\s+"));

fn decide_sentence(s: &str, text: &str, m: &Machine) -> Option<String> {
    // A negation or a stop anywhere ("if there's no windows", "but stop if ...", "except
    // if ...") is left as said: read wrongly, it would flip what the person asked.
    let negated = s
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| {
            let w = w.to_lowercase();
            matches!(
                w.as_str(),
                "no" | "not"
                    | "without"
                    | "stop"
                    | "leave"
                    | "except"
                    | "never"
                    | "nothing"
                    | "none"
            ) || w.ends_with("n't")
        });
    if negated || s.contains('.') {
        return None;
    }
    // (A question keeps its "if": "what happens if I wipe it?")
    if s.ends_with('?') {
        return None;
    }
    let pick = |a: &str, b: Option<&str>, yes: bool| -> String {
        if yes {
            a.to_owned()
        } else if let Some(b) = b {
            b.to_owned()
        } else if a.to_lowercase().contains("swap") {
            // "add swap only if ...", not so: no swap (else the default adds one).
            "no swap".to_owned()
        } else {
            String::new()
        }
    };
    if let Some(c) = UNLESS.captures(s) {
        let yes = holds(&c["c"], &c["a"], text, m)?;
        let b = c.name("b").map(|b| b.as_str());
        return Some(if yes {
            b.map(str::to_owned).unwrap_or_default()
        } else {
            c["a"].to_owned()
        });
    }
    if let Some(c) = IF_FIRST.captures(s) {
        let rest = &c["rest"];
        // ("there's a windows install on here keep it": "install" there is a noun.)
        let end = CONDITION_END.find_iter(rest).find(|e| {
            let before = rest[..e.start()].split_whitespace().last().unwrap_or("");
            !matches!(
                before.to_lowercase().as_str(),
                "windows"
                    | "linux"
                    | "ubuntu"
                    | "fedora"
                    | "fresh"
                    | "a"
                    | "an"
                    | "the"
                    | "existing"
                    | "old"
                    | "new"
                    | "clean"
            )
        })?;
        let condition = &rest[..end.start()];
        // ("put /home on it": the verb that ended the condition is the request's.)
        let after = rest[end.start()..].trim_start_matches([',', ' ']);
        let after = after.strip_prefix("then ").unwrap_or(after);
        let (a, b) = match OTHERWISE.find(after) {
            Some(o) => (&after[..o.start()], Some(&after[o.end()..])),
            None => (after, None),
        };
        let yes = holds(condition, a, text, m)?;
        let mut chosen = pick(a, b, yes);
        // ("if there's a second drive put /home on it": it is that drive.)
        if yes && SECOND_DISK.is_match(condition) {
            chosen = IT.replace_all(&chosen, "$1 the second disk").into_owned();
        } else if yes && BLANK_DISK.is_match(condition) {
            chosen = IT.replace_all(&chosen, "$1 the empty disk").into_owned();
        } else if let Some(thing) = THERE_IS.captures(condition).filter(|_| yes) {
            // ("if there's a windows install on here keep it": it is that install.)
            let kept = KEEP_IT.is_match(&chosen);
            chosen = KEEP_IT
                .replace_all(&chosen, format!("$1 the {}", &thing["t"]).as_str())
                .into_owned();
            // (Kept, with nothing else asked: the install goes beside it.)
            let lc = chosen.to_lowercase();
            if kept
                && ![
                    "install",
                    "dual",
                    "use",
                    "put",
                    "beside",
                    "alongside",
                    "next to",
                ]
                .iter()
                .any(|w| lc.contains(w))
            {
                chosen.push_str(" and install beside it");
            }
        }
        return Some(format!("{}{chosen}", &c["lead"]));
    }
    if let Some(c) = IF_AFTER.captures(s).filter(|c| {
        // ("I don't care if it has data", "tell me if it worked", "even if"): no condition.
        let before = c["a"]
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase();
        !matches!(
            before.trim_end_matches([',', '.']),
            "care"
                | "matter"
                | "matters"
                | "mind"
                | "even"
                | "as"
                | "what"
                | "see"
                | "check"
                | "tell"
                | "ask"
                | "know"
                | "wonder"
                | "sure"
                | "unsure"
                | "whether"
                | "decide"
                | "wondering"
                | "asking"
                | "me"
                | "us"
        )
    }) {
        let yes = holds(&c["c"], &c["a"], text, m)?;
        return Some(pick(&c["a"], c.name("b").map(|b| b.as_str()), yes));
    }
    None
}
