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
        r"(?i),\s*(?:then\s+)?|\s+then\s+|\s+(?:put|use|make|give|add|create|install|wipe|erase|keep|set|go with|do|take|skip|drop|disable|enable|encrypt|omit)\s",
    )
});

/// "..., otherwise B": the other branch.
static OTHERWISE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:[,;]?\s*\b(?:otherwise|if not)|(?:[,;]\s*|\s+or\s+)else)\b[,:]?\s*")
});

/// "A [only] if C[, otherwise B]", one clause of a sentence (a sentence is read clause by
/// clause: "use the samsung, btrfs if it's an ssd, swap only if ram is under 4gb").
static IF_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?P<a>.+?),?\s+(?:but\s+)?(?:only\s+)?if (?P<c>.+?)(?:(?:[,;]?\s*(?:otherwise|if not)|(?:[,;]\s*|\s+or\s+)else)[,:]?\s+(?P<b>.+))?$",
    )
});

/// A clause that is a condition of the one before ("put /home on the hdd, if it has room").
static IF_START: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:but\s+)?(?:only\s+)?if\s"));

/// A clause that is the other branch ("..., otherwise ext4").
static OTHERWISE_START: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:otherwise|else|if not|or else)\b"));

/// "unless C, A": the condition first.
static UNLESS_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?P<lead>(?:and |but |so |also |then )?)unless (?P<c>[^,]+),\s*(?P<a>.+)$")
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

static IT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(on|onto|to|for|use)\s+it\b|\b(?:(?:in|on|onto)\s+)?there\b(?:\s+too)?")
});

/// The branch with "it" ("put /home on it", "install there") named as the disk the
/// condition was about.
fn it_is(branch: &str, disk: &str) -> String {
    IT.replace_all(branch, |c: &regex::Captures<'_>| match c.get(1) {
        Some(verb) => format!("{} {disk}", verb.as_str()),
        None => format!("on {disk}"),
    })
    .into_owned()
}

static MEMORY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<cmp>less than|fewer than|under|below|more than|over|above|at least|at most)\s+(?P<n>\d+(?:\.\d+)?)\s*(?P<u>gb|g|gigs?|gib|gigabytes?|mb|m|mib|megs?|megabytes?|tb|tib|terabytes?)?\b",
    )
});

static SECOND_DISK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:a\s+|an\s+)?(?:second|another|other|2nd|extra)\s+(?:drive|disk|ssd|hdd|hard drive)\b|\bmore than one (?:drive|disk)\b|\btwo (?:drives|disks)\b",
    )
});

/// "bigger than 256 gigs", "at least 1TB", "smaller than the WD": a disk's size compared
/// with a size or with another disk.
static SIZE_COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<cmp>bigger|larger|greater|more|over|above|at least|smaller|less|under|below|at most)(?:\s+than)?\s+(?:(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>gb|g|gigs?|gib|gigabytes?|tb|t|tib|terabytes?|teras?)\b|(?P<other>(?:the\s+)?[a-z0-9][a-z0-9 ]*))",
    )
});

static BLANK_DISK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:an?\s+)?(?:blank|empty|unused|free)\s+(?:one|disk|drive)\b"));

/// A branch that takes swap away ("skip swap", "drop the swap"): not so is the default.
static SWAP_DROPPED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:skip|drop|omit|disable|remove|forget|lose|ditch)\s+(?:the\s+)?swap\b|\bswap\s*(?:=|:)?\s*(?:off|0|none)\b",
    )
});

/// Words of a condition on a disk holding something ("if it has data", "unless there's an
/// OS on it").
const HOLDS_WORDS: &[&str] = &[
    "data",
    "os",
    "files",
    "anything",
    "something",
    "partitions",
    "stuff",
    "linux",
];

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
        // ("more than 4096MB of ram": in GiB.)
        let n = match cap
            .name("u")
            .map(|u| u.as_str().chars().next().unwrap_or('g'))
        {
            Some('m') => n / 1024.0,
            Some('t') => n * 1024.0,
            _ => n,
        };
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
    if let Some(yes) = size_compared(&c, on.as_deref(), branch, text, m) {
        return yes;
    }
    // The rest is said of one disk: the one the condition or the request names (else the
    // only one).
    let ssd = ["ssd", "nvme", "flash", "solid"].iter().any(|w| has(w));
    let hdd = ["hdd", "spinning", "rotational", "mechanical", "spinner"]
        .iter()
        .any(|w| has(w))
        || c.contains("hard drive")
        || c.contains("hard disk");
    let holds_something = HOLDS_WORDS.iter().any(|w| has(w)) || c.contains("operating system");
    let of_contents = holds_something
        || [
            "windows",
            "empty",
            "blank",
            "unused",
            "room",
            "space",
            "unallocated",
        ]
        .iter()
        .any(|w| has(w));
    // ("unless the hard drive is empty": a condition about what a disk holds is said of the
    // disk it names, else of the branch's; "if it's an SSD": of the branch's.)
    let own = of_contents.then(|| named_in(&c, m)).flatten();
    let disk = match on.as_deref().and_then(|o| described(o, m)).or(own) {
        Some(d) => d,
        None => described(&branch.to_lowercase(), m).or_else(|| subject(text, m))?,
    };
    if ssd != hdd && !of_contents {
        return Some(ssd != disk.rotational);
    }
    if has("windows") {
        return Some(disks::holds_windows(disk));
    }
    if has("empty") || has("blank") || has("unused") {
        return Some(disk.partitions.is_empty());
    }
    if holds_something {
        return Some(!disk.partitions.is_empty());
    }
    if has("room") || has("space") || has("unallocated") {
        return Some(disks::free_bytes(disk) >= 20 << 30);
    }
    None
}

/// A disk's size, or its free space, compared with a size or with another disk's: `None`
/// when the condition compares no size, `Some(None)` when it does but the machine cannot
/// decide it (no one disk named, or a size too close to call: "bigger than 256 gigs" of a
/// disk sold as 256 GB).
#[allow(clippy::option_option)]
fn size_compared(
    c: &str,
    on: Option<&str>,
    branch: &str,
    text: &str,
    m: &Machine,
) -> Option<Option<bool>> {
    let cap = SIZE_COMPARED.captures(c)?;
    let free = c
        .split(|ch: char| !ch.is_alphanumeric())
        .any(|w| matches!(w, "free" | "room" | "space" | "unallocated"));
    let disk = condition_subject(c, m)
        .or_else(|| on.and_then(|o| described(o, m)))
        .or_else(|| described(&branch.to_lowercase(), m))
        .or_else(|| subject(text, m));
    let Some(disk) = disk else {
        return Some(None);
    };
    let measure = |d: &Disk| if free { disks::free_bytes(d) } else { d.size };
    #[allow(clippy::cast_precision_loss)]
    let have = measure(disk) as f64;
    let bound = if let Some(n) = cap.name("n") {
        let Ok(n) = n.as_str().replace(',', ".").parse::<f64>() else {
            return Some(None);
        };
        let tera = cap["u"].to_lowercase().starts_with('t');
        n * if tera { 1e12 } else { 1e9 }
    } else {
        let other = cap.name("other").map_or("", |o| o.as_str());
        match named_in(other, m) {
            #[allow(clippy::cast_precision_loss)]
            Some(o) if o.path != disk.path => measure(o) as f64,
            _ => return Some(None),
        }
    };
    // (Sizes are sold in GB and shown in GiB: within a tenth of the bound, it is asked.)
    if (have - bound).abs() < bound / 10.0 {
        return Some(None);
    }
    Some(Some(match &cap["cmp"].to_lowercase()[..] {
        "smaller" | "less" | "under" | "below" | "at most" => have < bound,
        _ => have > bound,
    }))
}

/// The one disk a condition speaks of: the one before a comparison ("the wd is bigger than
/// the samsung"), else the one it names.
fn condition_subject<'m>(c: &str, m: &'m Machine) -> Option<&'m Disk> {
    let before = SIZE_COMPARED.find(c).map_or(c, |at| &c[..at.start()]);
    named_in(before, m)
}

/// The one disk of the kind words name ("the nvme", "the ssd", "the hard drive").
fn of_kind<'m>(words: &str, m: &'m Machine) -> Option<&'m Disk> {
    let has = |w: &str| words.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    let found: Vec<&Disk> = m
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
    match found.as_slice() {
        [d] => Some(d),
        _ => None,
    }
}

/// The one disk a condition names itself: by kind, device name or model, never by the
/// fallbacks of `subject` ("if it has windows" names none).
fn named_in<'m>(words: &str, m: &'m Machine) -> Option<&'m Disk> {
    of_kind(words, m).or_else(|| by_name_or_model(&words.to_lowercase(), m))
}

/// The one disk lower-case words name by device ("sdb", "nvme0n1p2") or maker and model.
fn by_name_or_model<'m>(lc: &str, m: &'m Machine) -> Option<&'m Disk> {
    let by_device: Vec<&Disk> = DEVICE
        .captures_iter(lc)
        .filter_map(|c| c.name("p").or_else(|| c.name("d")))
        .filter_map(|n| {
            let path = format!("/dev/{}", n.as_str());
            m.disks.iter().find(|d| d.path == path)
        })
        .collect();
    if let [d] = by_device.as_slice() {
        return Some(d);
    }
    match disks::disks_named_by_model(lc, &m.disks).as_slice() {
        [d] => Some(d),
        _ => None,
    }
}

/// The one disk words describe by kind ("the nvme", "the ssd", "the hard drive"), name or
/// model.
fn described<'m>(words: &str, m: &'m Machine) -> Option<&'m Disk> {
    if let Some(d) = of_kind(words, m) {
        return Some(d);
    }
    let named = subject(words, m)?;
    (m.disks.len() > 1 || words.contains(named.path.trim_start_matches("/dev/"))).then_some(named)
}

/// The one disk a request speaks of: by device name, maker or model, else the only disk,
/// else the one holding Windows when Windows is spoken of.
fn subject<'m>(text: &str, m: &'m Machine) -> Option<&'m Disk> {
    let lc = text.to_lowercase();
    if let Some(d) = by_name_or_model(&lc, m) {
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

/// Whether a sentence still holds a condition with its alternative ("if the samsung is
/// bigger than 500 gigs use it, otherwise the WD") that the machine could not decide: read
/// as said, both branches would be planned.
pub(super) fn branches_left(text: &str) -> bool {
    text.split_inclusive(['.', ';', '!', '?']).any(|s| {
        (IF_START.is_match(s.trim_start()) || s.to_lowercase().contains(" if "))
            && OTHERWISE.is_match(s)
    })
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
        } else if a.to_lowercase().contains("swap") && !SWAP_DROPPED.is_match(a) {
            // "add swap only if ...", not so: no swap (else the default adds one).
            "no swap".to_owned()
        } else {
            String::new()
        }
    };
    if let Some(c) = UNLESS_FIRST.captures(s) {
        let yes = holds(&c["c"], &c["a"], text, m)?;
        return Some(if yes {
            String::new()
        } else {
            format!("{}{}", &c["lead"], &c["a"])
        });
    }
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
            chosen = it_is(&chosen, "the second disk");
        } else if yes && BLANK_DISK.is_match(condition) {
            chosen = it_is(&chosen, "the empty disk");
        } else if let Some(d) = condition_subject(&condition.to_lowercase(), m).filter(|_| yes) {
            // ("if the samsung is bigger than 256 gigs put /home on it": it is the samsung.)
            chosen = it_is(&chosen, d.path.trim_start_matches("/dev/"));
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
    if_after(s, text, m, &pick)
}

/// "A if C" clause by clause; None when any condition cannot be decided (the sentence
/// stays as said).
fn if_after(
    s: &str,
    text: &str,
    m: &Machine,
    pick: &dyn Fn(&str, Option<&str>, bool) -> String,
) -> Option<String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let has_if = |c: &str| c.to_lowercase().contains(" if ");
    let mut out: Vec<String> = Vec::new();
    let mut any = false;
    let mut i = 0;
    while i < parts.len() {
        let mut clause = parts[i].to_owned();
        let mut used = 1;
        // ("use the wd, if it's an ssd use btrfs": a condition with its own request.)
        let own_request = |n: &str| {
            let rest = IF_START.replace(n, "");
            CONDITION_END.is_match(&rest)
        };
        if let Some(next) = parts
            .get(i + 1)
            .filter(|n| IF_START.is_match(n) && !own_request(n))
        {
            if !has_if(&clause) && !IF_START.is_match(&clause) {
                clause = format!("{clause} {next}");
                used = 2;
            }
        }
        if let Some(next) = parts.get(i + used).filter(|n| OTHERWISE_START.is_match(n)) {
            if has_if(&clause) {
                clause = format!("{clause}, {next}");
                used += 1;
            }
        }
        i += used;
        if IF_START.is_match(&clause) {
            let chosen = decide_sentence(&clause, text, m)?;
            any = true;
            if !chosen.trim().is_empty() {
                out.push(chosen.trim().to_owned());
            }
            continue;
        }
        let Some(c) = IF_AFTER.captures(&clause).filter(|c| {
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
        }) else {
            out.push(clause);
            continue;
        };
        let yes = holds(&c["c"], &c["a"], text, m)?;
        any = true;
        let chosen = pick(&c["a"], c.name("b").map(|b| b.as_str()), yes);
        if !chosen.trim().is_empty() {
            out.push(chosen.trim().to_owned());
        }
    }
    any.then(|| out.join(", "))
}
