//! Disk clauses: what was said about disks, which disk it points at, and the resulting
//! `partition` action.

use levitate_dbus::{Action, Disk, PartitionEntry, TableKind};

use super::{
    choose, clarify,
    parts::{holds_linux, is_linux_name},
    patterns::{
        DEVICE, ENCRYPT, ENCRYPT_EXCEPT, ENCRYPT_PAIR, EVERY_DISK, IF_EMPTY, INFO_QUESTION, INTENT,
        KEEP, KEEP_ONLY, NEGATED_ERASE, NOT_HOLDING, NOT_THIS_DISK, NO_ENCRYPT, NO_FORMAT, NO_SWAP,
        ONLY, ORDINAL, PERCENT, READ_ONLY, REQUEST_QUESTION, SIZE, SIZE_TOKEN, WIPE_FALSE,
        WIPE_TRUE,
    },
    text::fold,
    values::{about, size_bytes, size_token},
};
use crate::{machine::Machine, plan::describe_disk};

/// What was said about one partition of the new layout.
#[derive(Default, Clone)]
struct PartSaid {
    size: Option<String>,
    fs: Option<String>,
    encrypt: Option<bool>,
    /// Named on purpose ("separate home", "/home"), not only in passing.
    wanted: bool,
}

impl PartSaid {
    fn merge(&mut self, o: PartSaid) {
        self.size = o.size.or(self.size.take());
        self.fs = o.fs.or(self.fs.take());
        self.encrypt = o.encrypt.or(self.encrypt);
        self.wanted |= o.wanted;
    }
}

/// Everything a disk clause said. Each flag is one independent thing a person can say.
#[allow(clippy::struct_excessive_bools)]
#[derive(Default, Clone)]
pub(super) struct DiskBits {
    text: String,
    wipe: Option<bool>,
    /// Encryption said of no partition in particular ("encrypted", "no encryption").
    encrypt_all: Option<bool>,
    /// "all encrypted except the EFI": every partition, the swap too.
    encrypt_swap: bool,
    /// A filesystem said of no partition in particular ("with btrfs").
    fs_all: Option<String>,
    /// Partitions named, by mount point, in the order first named.
    parts: Vec<(String, PartSaid)>,
    no_swap: bool,
    /// "no separate home": the layout has no /home.
    no_home: bool,
    /// "a data disk", "nothing on it for the OS": no root of the system here.
    data_only: bool,
    /// "no separate /boot": nor a /boot.
    no_boot: bool,
    table: Option<TableKind>,
    every_disk: bool,
    dual_boot: bool,
    /// An installed system named to install beside or over ("my ubuntu").
    system: Option<String>,
    /// "partitions only": create them, format and mount by hand later.
    no_format: bool,
    /// Words that ask for the disk to be (re)partitioned: install, use, wipe, a layout...
    intent: bool,
    /// Words that ask to keep what is there ("don't touch windows", "leave my data"): the
    /// request is never a wipe, and partitions only when something else asks for it.
    keep: bool,
    /// A question or words about what is there now ("is the hdd empty?", "already").
    read_only: bool,
    /// Sizes that describe the disk ("the 500gb drive"), in bytes.
    disk_sizes: Vec<f64>,
    /// Clauses that only spare a disk beside others that ask for one ("don't wipe sdb,
    /// install on sdc"): their text and disk sizes.
    spared: Vec<(String, Vec<f64>)>,
    /// Keeping said in the clauses that choose the disk, and the wipe they said: what
    /// applies when the spared disk is another one.
    own_keep: bool,
    own_wipe: Option<bool>,
    /// "the disk that doesn't have windows on it": what the chosen disk must not hold.
    not_holding: Option<String>,
    /// "install there if it's empty": only a disk with nothing on it, else ask.
    if_empty: bool,
    /// A clause that is only a size ("maybe 4G"): the size of the partition named last.
    bare_size: Option<String>,
    /// Disks excluded in passing ("use the other drive, not the windows one"), as said.
    excluded: Vec<String>,
    /// How the merged clauses' words split between asking and only saying (boxed: a
    /// clause is moved often, and this is rarely more than empty).
    said: Box<Said>,
}

#[derive(Default, Clone)]
struct Said {
    /// The words of the merged clauses that ask for something, where clauses that ask
    /// nothing were merged too: what chooses the disk when all the words name none.
    asked_text: String,
    /// A clause that asks nothing gave another choice ("or maybe the ssd").
    alternative: bool,
    /// The merged clauses that ask nothing: the disks they name are not the one the asking
    /// words choose alone.
    others: Vec<String>,
}

impl DiskBits {
    pub(super) fn merge(&mut self, o: DiskBits) {
        if self.said.asked_text.is_empty() && self.intent {
            self.said.asked_text.clone_from(&self.text);
        }
        if o.intent {
            self.said.asked_text.push(' ');
            self.said.asked_text.push_str(&o.text);
        } else if o
            .text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "or" | "maybe" | "perhaps" | "either"))
        {
            // ("use the 1tb one? or maybe the ssd": another choice, not a statement; the
            // words that ask never choose alone.)
            self.said.alternative = true;
        } else {
            self.said.others.push(o.text.clone());
        }
        // A clause that only keeps ("don't wipe the nvme") names the disk to spare, not the
        // one to use: beside a clause that asks for something, its words leave the text the
        // disk is chosen from (the keeping itself stays).
        let keeps_only = |b: &DiskBits| b.keep && !b.intent;
        // ("use the 3T disk, wipe it. use vdb instead": the disk said last is the one.)
        let instead = o.intent
            && o.text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "instead")
            && (super::patterns::DISK_NAMED.is_match(&o.text)
                || !o.disk_sizes.is_empty()
                || o.text.split_whitespace().any(|w| DISK_MAKERS.contains(&w)));
        if instead {
            self.text.clear();
            self.disk_sizes.clear();
            self.spared.clear();
            self.keep = false;
            self.own_keep = false;
        }
        // ("leave fedora alone, leave the seagate alone, whole hynix": each kept apart.)
        let o_spared = keeps_only(&o) && (self.intent || keeps_only(self));
        let o_stated = o.read_only && !o.intent && o.parts.is_empty() && self.intent;
        if keeps_only(self) && o.intent {
            let text = std::mem::replace(&mut self.text, o.text.clone());
            self.spared
                .push((text, std::mem::take(&mut self.disk_sizes)));
            self.own_keep = o.own_keep;
            self.own_wipe = o.own_wipe;
        } else if o_spared {
            self.spared.push((o.text.clone(), o.disk_sizes.clone()));
        } else if o_stated {
            // ("wipe sda. there's already swap on the Toshiba": what a disk holds, said
            // beside the request, chooses no disk.)
        } else {
            self.text.push(' ');
            self.text.push_str(&o.text);
            self.own_keep |= o.own_keep;
            self.own_wipe = o.own_wipe.or(self.own_wipe);
        }
        // "some swap, maybe 4G": the size goes to the partition named last, if it has none.
        if let Some(size) = &o.bare_size {
            if let Some((_, p)) = self.parts.last_mut().filter(|(_, p)| p.size.is_none()) {
                p.size = Some(size.clone());
                p.wanted = true;
                // "a separate /boot, 1G ext4": its filesystem too.
                if o.fs_all.is_some() && p.fs.is_none() {
                    p.fs.clone_from(&o.fs_all);
                }
                return;
            }
        }
        let o_sizes = if o_spared || o_stated {
            Vec::new()
        } else {
            o.disk_sizes
        };
        self.wipe = o.wipe.or(self.wipe);
        // "an encrypted root plus swap ... actually, skip the encryption": no encryption,
        // said after, undoes what was said of each part before.
        if o.encrypt_all == Some(false) && !o.parts.iter().any(|(_, p)| p.encrypt == Some(true)) {
            for (_, p) in &mut self.parts {
                if p.encrypt == Some(true) {
                    p.encrypt = None;
                }
            }
            self.encrypt_swap = false;
        }
        self.encrypt_all = o.encrypt_all.or(self.encrypt_all);
        self.encrypt_swap |= o.encrypt_swap;
        self.fs_all = o.fs_all.or(self.fs_all.take());
        let swap_wanted = !o.no_swap && o.parts.iter().any(|(m, p)| m == "swap" && p.wanted);
        for (mount, said) in o.parts {
            self.part(&mount).merge(said);
        }
        self.no_swap |= o.no_swap;
        self.no_home |= o.no_home;
        self.data_only |= o.data_only;
        self.no_boot |= o.no_boot;
        // "no swap ... actually, yes, add a 2G swap": the later word wins.
        if swap_wanted {
            self.no_swap = false;
        }
        self.table = o.table.or(self.table);
        self.every_disk |= o.every_disk;
        self.dual_boot |= o.dual_boot;
        // ("install, leave ubuntu alone": beside it. "install and leave the ubuntu drive
        // alone": that drive is spared; neither its system nor the keeping is the chosen
        // disk's.)
        let drive_spared = o_spared
            && o.text
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| matches!(w, "drive" | "disk" | "ssd" | "hdd" | "drives" | "disks"));
        if !drive_spared {
            self.system = o.system.or(self.system.take());
        }
        self.no_format |= o.no_format;
        self.not_holding = o.not_holding.or(self.not_holding.take());
        self.if_empty |= o.if_empty;
        self.intent |= o.intent;
        if !drive_spared {
            self.keep |= o.keep;
        }
        if self.keep {
            self.wipe = Some(false);
        }
        self.read_only |= o.read_only;
        self.disk_sizes.extend(o_sizes);
        self.excluded.extend(o.excluded);
    }

    fn part(&mut self, mount: &str) -> &mut PartSaid {
        let i = if let Some(i) = self.parts.iter().position(|(m, _)| m == mount) {
            i
        } else {
            self.parts.push((mount.to_owned(), PartSaid::default()));
            self.parts.len() - 1
        };
        &mut self.parts[i].1
    }

    /// "forget the separate /var": the partition taken back. Whether the clause had it and
    /// said nothing else of a layout (then the clause goes with it).
    pub(super) fn drop_part(&mut self, mount: &str) -> Option<bool> {
        let had = self.parts.iter().any(|(m, _)| m == mount);
        self.parts.retain(|(m, _)| m != mount);
        match mount {
            "/home" => self.no_home = true,
            "swap" => self.no_swap = true,
            _ => {}
        }
        had.then(|| self.parts.is_empty() && !self.every_disk && self.wipe.is_none())
    }

    /// Whether `words` name the one disk these clauses chose ("not the card", said after
    /// "put it on the sd card").
    pub(super) fn chose_the_disk_of(&self, words: &str, m: &Machine) -> bool {
        let other = disk_bits(words);
        match (
            resolve_disks(self, &m.disks),
            resolve_disks(&other, &m.disks),
        ) {
            (Ok(Some(chosen)), Ok(Some(named))) => {
                matches!((chosen.as_slice(), named.as_slice()), ([one], [same]) if one.path == same.path)
            }
            _ => false,
        }
    }

    /// Whether the clauses ask for partitioning (and not only speak of disks).
    pub(super) fn wants_partitioning(&self) -> bool {
        self.intent || !self.read_only && !self.keep
    }

    /// A question was asked in the same clause.
    pub(super) fn asked(&mut self) {
        self.read_only = true;
    }

    /// The whole request is a question ("if I install beside windows, will I lose my
    /// files?"): nothing in it asks for a plan.
    pub(super) fn only_asked(&mut self) {
        self.read_only = true;
        self.intent = false;
    }

    /// The clause states what is there ("there's no EFI here"): it asks for nothing, and
    /// the partitions it names are not wanted. The system it names stays, for what refers
    /// to it ("my files are on the ubuntu install, so leave that drive alone").
    pub(super) fn stated(&mut self) {
        self.only_asked();
        self.parts.clear();
        self.text.clear();
        self.disk_sizes.clear();
        // ("my friend says I should wipe everything": a wipe told of is no wipe asked.)
        self.wipe = None;
        self.own_wipe = None;
        // ("my files are on the ubuntu drive. install on the other one": the system it
        // names says where the files are, not where to install; "leave the ubuntu drive
        // alone" still names the disk kept.)
        if !self.keep {
            self.system = None;
        }
    }

    /// What someone else told the speaker to do ("a coworker told me to keep Windows and
    /// install next to it"): nothing of it is asked, not even what it keeps.
    pub(super) fn told_of(&mut self) {
        self.stated();
        self.keep = false;
        self.own_keep = false;
        self.dual_boot = false;
        self.system = None;
    }

    /// The clause describes what a disk holds now ("the 3T disk has the backup xfs on
    /// it", "an encrypted partition at the end with work files"): stated, and its
    /// filesystem and encryption are what is there, not what to make.
    pub(super) fn described(&mut self) {
        self.stated();
        self.fs_all = None;
        self.encrypt_all = None;
        self.encrypt_swap = false;
    }

    /// "The 2TB Seagate is empty, just use that one": a clause that points back ("that
    /// one", "it") without naming a disk takes the disk the statement before it named.
    pub(super) fn points_back_to(&mut self, stated: &str, m: &Machine) {
        // (Only a clause that asks for the disk: "don't format it" keeps, it points at
        // nothing to install on.)
        // ("my files are on the ubuntu drive. install on the other one": not that disk,
        // one beside it.)
        if super::patterns::OTHER_DISK.is_match(&self.text)
            && self.uses_a_disk()
            && !names_a_disk(&self.text, &m.disks)
        {
            self.excluded.push(stated.to_owned());
            return;
        }
        let back = super::patterns::POINTS_BACK.is_match(&self.text) && self.uses_a_disk();
        // ("Ubuntu is on the NVMe ... set up the empty one": an empty disk is not the one
        // the story filled.)
        let empty_said = self
            .text
            .split_whitespace()
            .any(|w| matches!(w, "empty" | "blank" | "unused" | "new"));
        if back
            && !empty_said
            && !names_a_disk(&self.text, &m.disks)
            && resolve_disks(self, &m.disks).ok().flatten().is_none()
        {
            self.text = format!("{stated} {}", self.text);
            return;
        }
        // ("The 500 GB SATA SSD held Arch ... wipe that SSD" with two SSDs: "that SSD" is
        // the one just spoken of, where it is one of those the words fit.)
        let that = self
            .text
            .split_whitespace()
            .any(|w| matches!(w, "that" | "this" | "same"));
        if that && self.uses_a_disk() {
            let stated_disks = resolve_disks(&disk_bits(stated), &m.disks).ok().flatten();
            let these = resolve_disks(self, &m.disks).ok().flatten();
            if let (Some([one]), Some(these)) = (stated_disks.as_deref(), these) {
                if these.len() > 1 && these.iter().any(|d| d.path == one.path) {
                    self.text = format!("{stated} {}", self.text);
                }
            }
        }
    }

    /// The clause asks to use a disk (not only to keep one, or to leave it unformatted).
    pub(super) fn uses_a_disk(&self) -> bool {
        self.intent && !self.keep && !self.no_format
    }

    /// Whether the clause names a disk at all (one that is there or not).
    pub(super) fn names_some_disk(&self, m: &Machine) -> bool {
        !matches!(resolve_disks(self, &m.disks), Ok(None))
            || super::patterns::OTHER_DISK.is_match(&self.text)
    }

    /// The words the clause chose its disk by.
    pub(super) fn disk_text(&self) -> &str {
        &self.text
    }

    /// This clause names another disk for what `old` asked ("use the WD, actually no,
    /// the Samsung"): what was asked stays asked.
    pub(super) fn corrects(&mut self, old: &DiskBits) {
        self.intent |= old.intent;
        self.wipe = self.wipe.or(old.wipe);
        // "use sda, no wait, the other one": other than the disk just named.
        if super::patterns::OTHER_DISK.is_match(&self.text) && !old.text.trim().is_empty() {
            self.excluded.push(old.text.clone());
        }
    }

    /// "replace fedora", and nothing else said of the disk (no layout, no erasing).
    pub(super) fn only_replaces_a_system(&self) -> bool {
        self.system.is_some()
            && self.parts.is_empty()
            && !self.every_disk
            && self.table.is_none()
            && self.encrypt_all.is_none()
            && self.fs_all.is_none()
            && !self.text.split(|c: char| !c.is_alphanumeric()).any(|w| {
                matches!(
                    w,
                    "wipe"
                        | "wiping"
                        | "erase"
                        | "erasing"
                        | "whole"
                        | "entire"
                        | "nuke"
                        | "clean"
                        | "scratch"
                        | "everything"
                        | "all"
                        | "disk"
                        | "drive"
                )
            })
    }

    /// Whether the clause asks for anything itself.
    pub(super) fn asks(&self) -> bool {
        self.intent
    }

    /// Words that keep what is there ("leave the seagate alone").
    pub(super) fn keeps(&self) -> bool {
        self.keep
    }

    /// Whether the clauses speak of every disk at once ("wipe both drives").
    pub(super) fn every_disk(&self) -> bool {
        self.every_disk
    }

    /// Whether the clauses say anything of a layout (every disk, a wipe, partitions, a
    /// table): then they are more than context beside another request.
    pub(super) fn names_a_layout(&self) -> bool {
        self.every_disk
            || self.wipe.is_some() && !self.keep
            || self.table.is_some()
            || self.parts.iter().any(|(_, p)| p.wanted)
    }

    /// Words that only keep an installed system ("don't touch windows") beside "install
    /// linux": an install beside it, in free space.
    pub(super) fn keeps_a_system(&self) -> bool {
        self.keep && !self.intent && (self.text.contains("windows") || self.system.is_some())
    }

    pub(super) fn install_beside(&mut self) {
        self.intent = true;
        self.read_only = false;
        self.wipe = Some(false);
        self.dual_boot = self.text.contains("windows");
    }

    pub(super) fn is_read_only(&self) -> bool {
        self.read_only && !self.intent
    }

    /// Whether the clauses ask to see the disks ("what's on my disks?"), beside anything.
    pub(super) fn asks_to_see(&self) -> bool {
        self.is_read_only()
            && (super::patterns::LIST_DISKS.is_match(&self.text)
                || super::patterns::WHATS_ON_DISKS.is_match(&self.text))
    }
}

/// Paths that are never a partition of the new layout: the live system's and the
/// kernel's, and where other disks are mounted by hand.
const OTHER_SYSTEMS_PATHS: &[&str] = &[
    "/mnt",
    "/media",
    "/run",
    "/proc",
    "/sys",
    "/dev",
    "/boot/efi",
    "/efi",
];

/// A word that names a partition of the new layout, as its mount point.
fn mention<'w>(words: &[&'w str], i: usize) -> Option<(&'w str, bool)> {
    let w = words[i];
    let prev = i.checked_sub(1).map(|j| words[j]);
    let next = words.get(i + 1).copied();
    let deliberate = matches!(prev, Some("separate" | "own" | "dedicated" | "extra"))
        || matches!(
            next,
            Some("partition" | "volume" | "separate" | "separately" | "apart")
        );
    match w {
        "/boot/efi" | "efi" | "esp" | "/efi" => Some(("/boot/efi", true)),
        "/boot" => Some(("/boot", true)),
        "boot"
            if prev != Some("dual") && (deliberate || prev.is_some_and(|p| SIZE.is_match(p))) =>
        {
            Some(("/boot", true))
        }
        "/" | "root" | "/root" if w != "/root" => Some(("/", deliberate || w == "/")),
        "/home" => Some(("/home", true)),
        "home" => Some(("/home", deliberate)),
        "swap" => Some(("swap", true)),
        // "rest /data ext4": any other mount point of the new system's own. ("one big
        // partition at /media/photos": below /media or /mnt too, for a partition laid out.)
        w if w.starts_with('/')
            && w.len() > 1
            && crate::validate::mountpoint(w).is_ok()
            && !OTHER_SYSTEMS_PATHS.iter().any(|p| {
                w == *p
                    || w.starts_with(&format!("{p}/"))
                        && !(matches!(*p, "/mnt" | "/media") && words.contains(&"partition"))
            }) =>
        {
            Some((w, true))
        }
        _ => None,
    }
}

/// Reads the disk-related parts of one clause.
pub(super) fn disk_bits(lc: &str) -> DiskBits {
    let mut b = DiskBits {
        // "use the hdd, not the samsung": the disk excluded does not choose the disk.
        text: NOT_THIS_DISK.replace_all(lc, " ").into_owned(),
        excluded: NOT_THIS_DISK
            .find_iter(lc)
            .map(|m| m.as_str().to_owned())
            .collect(),
        ..DiskBits::default()
    };
    // "don't touch windows", "do not wipe the samsung", "leave my data alone": what is
    // negated asks for nothing, and nothing of the request may erase.
    // "keep the ubuntu partition as it is": a clause that starts by keeping keeps.
    // ("leave the encrypted partition alone" keeps a partition, not the encryption.)
    // ("leave the 970 and both WD disks alone": the second half keeps too.)
    b.keep =
        (KEEP.is_match(lc) || KEEP_ONLY.is_match(lc) || super::patterns::KEPT_TAIL.is_match(lc))
            && !super::patterns::KEEP_A_SETTING
                .is_match(&super::patterns::DESCRIBED_PART.replace_all(lc, " the partition "));
    let cleaned = NEGATED_ERASE.replace_all(lc, " ");
    let lc = cleaned.as_ref();
    // ("no dual boot": the opposite.)
    // ("I need Windows for class and Linux for coding": both stay.)
    let needs_windows = super::patterns::NEEDS_WINDOWS.is_match(lc)
        && !super::patterns::NEEDS_WINDOWS_NOT.is_match(lc);
    // ("don't use the whole disk": beside, never all of it.)
    b.dual_boot =
        (WIPE_FALSE.is_match(lc) || needs_windows || super::patterns::NOT_WHOLE.is_match(lc))
            && !super::patterns::NO_DUAL_BOOT.is_match(lc);
    if b.dual_boot || b.keep {
        b.wipe = Some(false);
    } else if WIPE_TRUE.is_match(lc) {
        b.wipe = Some(true);
    }
    b.own_keep = b.keep;
    b.own_wipe = b.wipe;
    b.no_swap = NO_SWAP.is_match(lc);
    b.no_home = super::patterns::NO_HOME.is_match(lc);
    b.data_only = super::patterns::DATA_ONLY.is_match(lc);
    b.no_boot = super::patterns::NO_BOOT.is_match(lc);
    b.no_format = NO_FORMAT.is_match(lc);
    b.every_disk = EVERY_DISK.is_match(lc);
    // ("put the grub on sda, in the MBR": the boot sector the bootloader goes to.)
    let boot_sector = super::patterns::IN_THE_MBR.is_match(lc);
    // ("a GPT table instead of MBR": the table not wanted says nothing.)
    let tables = super::patterns::TABLE_NOT_WANTED.replace_all(lc, " ");
    let lc_table = tables.as_ref();
    if boot_sector {
    } else if lc_table.contains("mbr")
        || lc_table.contains("msdos")
        || lc_table.contains("dos partition")
    {
        b.table = Some(TableKind::Mbr);
    } else if lc_table.contains("gpt")
        || lc_table
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "guid")
    {
        b.table = Some(TableKind::Gpt);
    }
    // Sizes become one token ("8 gig" -> "8G") so that they are one word below.
    // ("wipe the SK hynix, not the 4TB drive": the size of the disk excluded is none.)
    let kept_out = NOT_THIS_DISK.replace_all(lc, |c: &regex::Captures<'_>| {
        if c[0].contains(|ch: char| ch.is_ascii_digit()) {
            " ".to_owned()
        } else {
            c[0].to_owned()
        }
    });
    let sized = PERCENT.replace_all(&kept_out, |c: &regex::Captures<'_>| format!("{}%", &c["n"]));
    let sized = SIZE.replace_all(&sized, |c: &regex::Captures<'_>| {
        size_token(&c["n"], &c["u"])
    });
    let words: Vec<&str> = sized
        .split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    // A Linux named as what to install ("put linux alongside") is not one already there.
    let installed = |i: usize| {
        const VERBS: [&str; 11] = [
            "install", "put", "add", "get", "want", "need", "squeeze", "fit", "cram", "place",
            "give",
        ];
        let before = |k: usize| i.checked_sub(k).map(|j| words[j]);
        // "encrypt the linux part", "the new linux": the system being installed.
        // "can linux go in the empty space": the system that goes there.
        let part = words.get(i + 1).is_some_and(|w| {
            [
                "part", "side", "half", "portion", "root", "go", "fit", "live", "sit", "goes",
                "gets", "fits", "lives", "sits", "takes", "can", "should", "will", "needs", "uses",
                "has",
            ]
            .contains(w)
        });
        // ("the drive that Ubuntu lives on": a relative clause about the system there.)
        let relative = words[i] != "linux"
            && before(1).is_some_and(|w| {
                matches!(
                    w,
                    "that"
                        | "which"
                        | "where"
                        | "drive"
                        | "disk"
                        | "ssd"
                        | "nvme"
                        | "one"
                        | "partition"
                )
            });
        part && !relative
            || before(1) == Some("new")
            || before(1).is_some_and(|w| VERBS.contains(&w) || w.starts_with("install"))
            // "all of it for linux", "dual boot with linux" (a distribution named so is
            // one already there: "I'm done with ubuntu").
            || words[i] == "linux"
                && (before(1).is_some_and(|w| matches!(w, "for" | "with" | "everything" | "all"))
                    || i == 0 && words.get(1) == Some(&"in"))
            || before(1).is_some_and(|w| ["a", "the", "new"].contains(&w))
                && before(2).is_some_and(|w| VERBS.contains(&w))
    };
    b.system = (0..words.len())
        .find(|&i| is_linux_name(words[i]) && !installed(i))
        .map(|i| words[i].to_owned());
    let mut mentions: Vec<(usize, &str, bool)> = (0..words.len())
        .filter_map(|i| mention(&words, i).map(|(m, d)| (i, m, d)))
        .filter(|(_, m, _)| {
            !(*m == "swap" && b.no_swap || *m == "/home" && b.no_home || *m == "/boot" && b.no_boot)
        })
        .collect();
    // "reuse the existing EFI partition": the one there is kept, not a new one laid out.
    if super::patterns::REUSE_ESP.is_match(lc) || super::patterns::NO_ESP.is_match(lc) {
        mentions.retain(|(_, m, _)| *m != "/boot/efi");
    }
    // "the rest of the disk for the system": the system is the root.
    let rest_said = words.iter().any(|w| {
        matches!(
            *w,
            "rest" | "remainder" | "remaining" | "leftover" | "leftovers"
        )
    });
    // ... and "give linux 200G" (beside windows): its size is the root's.
    let sized = words.iter().any(|w| SIZE_TOKEN.is_match(w));
    if mentions.is_empty() && (rest_said || sized) {
        if let Some(i) = (0..words.len()).find(|&i| {
            matches!(words[i], "system" | "os" | "linux")
                && (rest_said
                    || words[i] == "linux" && installed(i)
                    // "half of it for the system", "100G for the os".
                    || i.checked_sub(1).is_some_and(|j| words[j] == "for")
                    || i.checked_sub(2).is_some_and(|j| words[j] == "for" && words[j + 1] == "the"))
        }) {
            mentions.push((i, "/", false));
        }
    }
    // "..., maybe 4G": a size said on its own, for the partition named before.
    if super::patterns::BARE_SIZE.is_match(lc) {
        b.bare_size = words
            .iter()
            .find(|w| SIZE_TOKEN.is_match(w))
            .map(|w| w.to_uppercase().replace("GB", "G"));
        b.fs_all = words
            .iter()
            .find(|w| matches!(**w, "ext4" | "btrfs" | "xfs" | "vfat"))
            .map(|w| (*w).to_owned());
        b.read_only = true;
        return b;
    }
    for (_, m, deliberate) in &mentions {
        let p = b.part(m);
        p.wanted |= *deliberate;
    }
    // Each size, filesystem, "the rest" and encryption word belongs to the nearest
    // partition named in the clause; with none named, sizes describe the disk and the rest
    // applies to the whole installation.
    // At equal distance the part before wins, unless the word points ahead ("25% for
    // /home", "8G to swap").
    // "50% root 50% home": sizes written before their parts (the first size names the part
    // right after it, with none before) point ahead.
    let first_size = words.iter().position(|w| SIZE_TOKEN.is_match(w));
    let sizes_lead = first_size.is_some_and(|f| {
        mentions.iter().any(|(j, ..)| *j == f + 1) && !mentions.iter().any(|(j, ..)| *j < f)
    });
    let nearest = |i: usize| {
        let ahead = sizes_lead
            && (SIZE_TOKEN.is_match(words[i])
                || matches!(words[i], "rest" | "remainder" | "remaining" | "leftover"))
            || words
                .get(i + 1)
                .is_some_and(|w| matches!(*w, "for" | "to" | "as" | "goes" | "into"));
        mentions
            .iter()
            .min_by_key(|(j, ..)| (i.abs_diff(*j), (*j > i) != ahead))
            .map(|(_, m, _)| *m)
    };
    let no_encrypt = NO_ENCRYPT.is_match(lc);
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let is_size = SIZE_TOKEN.is_match(w);
        let is_rest = matches!(
            *w,
            "rest" | "remainder" | "remaining" | "leftover" | "leftovers"
        ) || (*w == "else" && i > 0 && words[i - 1] == "everything");
        let is_fs = matches!(*w, "ext4" | "btrfs" | "xfs" | "vfat" | "fat32");
        // "ext4 everywhere", "btrfs for everything": every partition's filesystem.
        let everywhere = is_fs
            && (matches!(
                (next, words.get(i + 2).copied().unwrap_or("")),
                ("everywhere" | "throughout" | "across", _) | ("for" | "on", "everything" | "all")
            ) || i > 0 && matches!(words[i - 1], "everything" | "all" | "both")
                // "a btrfs layout with /home separate": the layout's, so every part's.
                || WHOLE_INSTALL.contains(&next));
        // ("what a LUKS prompt is": the thing spoken of, not asked for.)
        let spoken_of = matches!(next, "prompt" | "screen" | "thing" | "stuff");
        let is_encrypt = (ENCRYPT.is_match(w) || *w == "unencrypted") && !spoken_of;
        let target = nearest(i);
        // ("about 20 gigs free on the internal storage": room there is, no size asked.)
        // ("she only used about 200 GB", "Windows uses roughly 600 GB", "there's 20 GB on
        // it that Windows never used": an amount used or there, no disk's size.)
        let used_before = words[..i]
            .iter()
            .rev()
            .find(|x| {
                !matches!(
                    **x,
                    "about"
                        | "only"
                        | "roughly"
                        | "around"
                        | "approximately"
                        | "just"
                        | "maybe"
                        | "~"
                )
            })
            .is_some_and(|x| {
                matches!(
                    *x,
                    "used"
                        | "uses"
                        | "using"
                        | "occupies"
                        | "occupied"
                        | "takes"
                        | "took"
                        | "taking"
                        | "fills"
                        | "filled"
                )
            });
        let room = matches!(
            next,
            "free" | "unallocated" | "available" | "spare" | "left"
        ) || matches!(next, "on" | "in")
            && matches!(words.get(i + 2).copied(), Some("it" | "there"));
        // ("the Windows ESP is only 100M": the size a partition there has, nothing asked.)
        let said_of_existing = is_size
            && i > 0
            && matches!(words[i - 1], "is" | "only")
            && words[..i]
                .iter()
                .any(|x| matches!(*x, "esp" | "windows" | "macos" | "recovery"));
        if is_size && (room || said_of_existing) {
        } else if is_size {
            // ("the 2TB Seagate": a maker's name after the size is the disk's too.)
            let describes_disk = matches!(
                next,
                "drive" | "disk" | "ssd" | "hdd" | "one" | "nvme" | "hard" | "device"
            ) || DISK_MAKERS.contains(&next)
                || DISK_LINES.contains(&next)
                // ("put linux on the 1TB": a size with an article and nothing after it.)
                || i > 0
                    && matches!(words[i - 1], "the" | "my" | "this" | "that")
                    && (next.is_empty() || matches!(next, "and" | "with" | "but"))
                    && (i < 2 || !matches!(words[i - 2], "of" | "for" | "to" | "give" | "with"));
            match target {
                Some(m) if !describes_disk => {
                    let p = b.part(m);
                    p.size = Some((*w).to_uppercase().replace("GB", "G"));
                    p.wanted = true;
                }
                // ("format the 400 GB btrfs one", "the encrypted 250 GB partition has to
                // stay": a partition's size, no disk's.)
                _ if used_before
                    || matches!(next, "partition" | "volume")
                    || matches!(
                        next,
                        "ext4"
                            | "btrfs"
                            | "xfs"
                            | "ntfs"
                            | "vfat"
                            | "fat32"
                            | "exfat"
                            | "efi"
                            | "boot"
                            | "luks"
                            | "encrypted"
                    ) && matches!(
                        words.get(i + 2).copied(),
                        Some("one" | "partition" | "volume")
                    ) => {}
                _ => {
                    let (n, u) = w.split_at(w.len() - 1);
                    if let Some(bytes) = size_bytes(n, &u.to_lowercase()) {
                        b.disk_sizes.push(bytes.0);
                        b.disk_sizes.push(bytes.1);
                    }
                }
            }
        } else if is_rest {
            if let Some(m) = target {
                let p = b.part(m);
                p.size = Some("rest".into());
                p.wanted = true;
            }
        } else if is_fs {
            let fs = if *w == "fat32" { "vfat" } else { *w };
            match target.filter(|_| !everywhere) {
                Some(m) => {
                    let p = b.part(m);
                    p.fs = Some(fs.to_owned());
                    p.wanted = true;
                }
                None => b.fs_all = Some(fs.to_owned()),
            }
        } else if is_encrypt {
            let on = !(no_encrypt || *w == "unencrypted");
            let only = ONLY.is_match(lc);
            // "encrypted swap", "swap 8G encrypted": said of the swap beside it alone.
            let beside_swap = target == Some("swap")
                && (next == "swap"
                    || i > 0 && words[i - 1] == "swap"
                    || i > 1 && words[i - 2] == "swap" && SIZE_TOKEN.is_match(words[i - 1]));
            // "encrypted install on the bigger disk with a separate home": all of it.
            let whole = WHOLE_INSTALL.contains(&next);
            match target.filter(|_| !whole) {
                Some("swap") if beside_swap => b.part("swap").encrypt = Some(on),
                Some(m) if m != "swap" && (only || mentions.len() == 1 || !on) => {
                    // ("home unencrypted", "home without encryption": the part, said.)
                    let said_right_before = |k: usize| {
                        i.checked_sub(k)
                            .and_then(|j| mention(&words, j))
                            .is_some_and(|(x, _)| x == m)
                    };
                    let named_plain = said_right_before(1)
                        || i > 1 && words[i - 1] == "without" && said_right_before(2);
                    let p = b.part(m);
                    p.encrypt = Some(on);
                    if on || named_plain {
                        p.wanted = true;
                    }
                    if on && only && m != "/" {
                        b.part("/").encrypt = Some(false);
                    }
                }
                _ => b.encrypt_all = Some(on),
            }
        }
    }
    // "encrypt home but not root", "encrypted home, not swap": the parts said not to be
    // are not; the encryption is each other part's.
    let plain_said = |i: usize| {
        let before = |k: usize| i.checked_sub(k).map(|j| words[j]);
        matches!(before(1), Some("not" | "except" | "excluding" | "without"))
            || before(1) == Some("the") && matches!(before(2), Some("not" | "except"))
            || words.get(i + 1) == Some(&"unencrypted")
            || words.get(i + 1) == Some(&"not")
                && words.get(i + 2).is_some_and(|w| w.starts_with("encrypt"))
            || words.get(i + 2) == Some(&"unencrypted")
                && words.get(i + 1).is_some_and(|w| {
                    matches!(
                        *w,
                        "left" | "kept" | "stays" | "is" | "remains" | "goes" | "stay"
                    )
                })
    };
    let plain: Vec<&str> = mentions
        .iter()
        .filter(|(i, ..)| plain_said(*i))
        .map(|(_, m, _)| *m)
        .collect();
    let encrypt_said = words
        .iter()
        .any(|w| ENCRYPT.is_match(w) && *w != "unencrypted");
    if !plain.is_empty() && encrypt_said && !no_encrypt_all(lc) {
        for (_, m, _) in &mentions {
            let p = b.part(m);
            p.wanted = true;
            p.encrypt = Some(!plain.contains(m));
        }
        b.encrypt_all = None;
    }
    b.not_holding = NOT_HOLDING
        .captures(lc)
        .and_then(|c| c.name("x").or_else(|| c.name("y")))
        .map(|m| m.as_str().to_owned());
    b.if_empty = IF_EMPTY.is_match(lc);
    // "encrypt root plus home" (from "encrypt root and home"): each of them.
    if let Some(c) = ENCRYPT_PAIR.captures(lc) {
        let named: Vec<&str> = vec![&c["a"], &c["b"]];
        for (i, _) in named.iter().enumerate() {
            if let Some((m, _)) = mention(&named, i) {
                let p = b.part(m);
                p.encrypt = Some(true);
                p.wanted = true;
            }
        }
    }
    // "encrypt everything except /boot": all of it encrypted, the exception not.
    if let Some(c) = ENCRYPT_EXCEPT.captures(lc) {
        let x = c
            .name("x")
            .or_else(|| c.name("y"))
            .map_or("", |m| m.as_str());
        let spared: Vec<&str> = x.split_whitespace().collect();
        if let Some((m, _)) = (0..spared.len()).find_map(|i| mention(&spared, i)) {
            b.encrypt_all = Some(true);
            b.encrypt_swap = m != "swap";
            for (mount, p) in &mut b.parts {
                if *mount != m && p.encrypt == Some(false) {
                    p.encrypt = None;
                }
            }
            let p = b.part(m);
            p.encrypt = Some(false);
            p.wanted = true;
        }
    }
    // "my personal files kept apart from the system": a /home of its own.
    if super::patterns::FILES_APART.is_match(lc) {
        b.part("/home").wanted = true;
    }
    // "lock the linux part so a thief couldn't read it": encrypted, but the worry alone
    // asks for no layout (read below, after what asks).
    let worry = super::patterns::PROTECT.is_match(lc) && b.encrypt_all.is_none();
    // "is there free space next to windows?" asks; "could you wipe it?" requests.
    let info = INFO_QUESTION.is_match(lc) && !REQUEST_QUESTION.is_match(lc);
    b.read_only = READ_ONLY.is_match(lc) || info || super::patterns::CHECK_ONLY.is_match(lc);
    // ("keep the btrfs partition", "leave the encrypted partition alone": words that
    // describe what is kept ask nothing of the new layout.)
    if b.keep {
        let rest = super::patterns::DESCRIBED_PART.replace_all(lc, " ");
        if rest != lc && !super::patterns::FS_OR_CRYPT_WORD.is_match(&rest) {
            b.encrypt_all = None;
            b.fs_all = None;
        }
    }
    b.intent = !info
        && !super::patterns::CHECK_ONLY.is_match(lc)
        && (INTENT.is_match(&super::patterns::INSTALL_NOUN.replace_all(lc, " "))
            && !(b.keep && KEEP_ONLY.is_match(lc))
            || b.wipe.is_some() && !b.keep
            // "sdc only": the one disk to use.
            || super::patterns::DISK_ONLY.is_match(lc)
            || super::patterns::DISK_KEY.is_match(lc)
            // "do whatever makes sense with the disk": the default, asked for.
            || super::patterns::YOUR_CHOICE.is_match(lc)
            || b.encrypt_all.is_some()
            || b.fs_all.is_some()
            || b.no_swap
            || b.table.is_some()
            // "keep the efi partition as is": a partition kept is not asked for.
            || !b.keep && b.parts.iter().any(|(_, p)| p.wanted));
    // ("it must never be formatted": told what not to do, nothing asked.)
    if b.no_format && b.intent && !INTENT.is_match(&NO_FORMAT.replace_all(lc, " ")) {
        b.intent = false;
    }
    if worry {
        b.encrypt_all = Some(true);
        b.read_only |= !b.intent;
    }
    // "leave the recovery partition and the EFI one as they are": partitions kept are
    // no layout.
    if b.keep && !b.intent {
        b.parts.clear();
        // ("leave fedora and the encrypted partition alone": what is kept is described,
        // nothing is asked of the new layout.)
        b.encrypt_all = None;
        b.encrypt_swap = false;
        b.fs_all = None;
    }
    // ("there's already swap on the Toshiba", "the toshiba already has swap": what a disk
    // holds, said; no request.)
    if super::patterns::ALREADY_HOLDS.is_match(lc) && !super::patterns::ACT_VERB.is_match(lc) {
        b.intent = false;
        b.read_only = true;
        b.parts.clear();
    }
    b
}

fn disk_list(disks: &[&Disk]) -> String {
    disks
        .iter()
        .map(|d| describe_disk(d))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Words that exclude or refuse ("not the windows nvme", "except", "don't"): where they
/// are, the disk is never chosen from part of what was said.
fn negates(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, w)| match *w {
        "not" | "don't" | "dont" | "never" | "except" | "without" | "no" | "nor" => true,
        // ("everything but the ssd", "but leave the WD": an exception; "it's empty but I'm
        // saving it" only goes on.)
        "but" => {
            i > 0
                && matches!(
                    words[i - 1],
                    "everything" | "anything" | "all" | "any" | "nothing" | "none" | "everywhere"
                )
                || words.get(i + 1).is_some_and(|n| {
                    matches!(
                        *n,
                        "leave" | "keep" | "spare" | "skip" | "the" | "not" | "never"
                    )
                })
        }
        _ => false,
    })
}

/// "I'm running from the live system, which lives on sda. Install onto the 128G disk": when
/// all the words name no disk, the words that ask choose it, and the disks only spoken of
/// are excluded; never where another choice, a negation or every disk was said.
fn asking_words_alone(b: &DiskBits) -> Option<DiskBits> {
    // ("use all of that Seagate", "all of it", "all our holiday photos": the whole of one
    // disk, or no disk; "all disks", "all of them", a bare "wipe all" are every disk.)
    let words: Vec<&str> = b.text.split_whitespace().collect();
    let all_of_disks = |i: usize| {
        let rest = words[i + 1..].iter().copied().find(|w| {
            !matches!(
                *w,
                "of" | "the" | "my" | "our" | "these" | "those" | "two" | "three" | "four" | "five"
            )
        });
        match rest {
            None => true,
            Some(w) => {
                matches!(
                    w,
                    "them"
                        | "disks"
                        | "drives"
                        | "ssds"
                        | "hdds"
                        | "devices"
                        | "nvmes"
                        | "storage"
                        | "and"
                        | "or"
                ) || w.ends_with(',')
            }
        }
    };
    let all_disks = b.every_disk
        || words
            .iter()
            .enumerate()
            .any(|(i, w)| matches!(*w, "both" | "each") || *w == "all" && all_of_disks(i));
    let usable = !b.said.alternative
        && !b.said.asked_text.trim().is_empty()
        && b.said.asked_text.trim() != b.text.trim()
        && b.excluded.is_empty()
        && !all_disks
        && !negates(&b.text)
        && !b.said.others.iter().any(|t| negates(t));
    usable.then(|| {
        let mut asked = b.clone();
        asked.text = std::mem::take(&mut asked.said.asked_text);
        asked.disk_sizes = disk_bits(&asked.text).disk_sizes;
        asked.excluded.append(&mut asked.said.others);
        asked
    })
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
        // ("install on sda2": a partition where a whole disk is meant is said to be one.)
        let holder = disks
            .iter()
            .find(|d| d.partitions.iter().any(|p| p.path == path));
        match disks.iter().find(|d| d.path == path) {
            Some(d) => candidates.retain(|x| x.path == d.path),
            None if holder.is_some() => {
                let disk = holder.map_or("", |d| d.path.as_str());
                return Err(super::clarify(format!(
                    "{path} is a partition of {disk}, not a whole disk. To install into it, say \"format {path} as ext4 and mount it at /\" (what it holds is erased); to use the whole disk, say \"use {disk}\"."
                )));
            }
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
        candidates.retain(|d| b.disk_sizes.iter().any(|s| about(d.size, *s)));
    }
    let words: Vec<&str> = lc
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    // "the empty disk": one with nothing on it.
    if super::patterns::EMPTY_DISK.is_match(lc) {
        named = true;
        candidates.retain(|d| d.partitions.is_empty());
    }
    // "the disk with cryptroot on it": a disk by the label of a partition it holds.
    // (Right after the word, and no word of a layout: "gpt with a 1G efi partition, 30G
    // root" names no partition labelled "root".)
    let held: Vec<&str> = (0..words.len())
        .filter(|&i| {
            matches!(
                words[i],
                "with" | "has" | "holds" | "holding" | "containing"
            )
        })
        // ("the drive with no data on it": nothing held.)
        .filter(|&i| !matches!(words.get(i + 1), Some(&("no" | "nothing" | "not" | "none"))))
        .flat_map(|i| words.iter().skip(i + 1).take(2).copied())
        // (Systems by name are read as what a disk holds, elsewhere.)
        .filter(|w| {
            !matches!(
                *w,
                "root" | "home" | "boot" | "swap" | "efi" | "esp" | "the" | "my" | "windows"
            ) && !is_linux_name(w)
        })
        .collect();
    if !held.is_empty() {
        let holding: Vec<&Disk> = candidates
            .iter()
            .copied()
            .filter(|d| {
                d.partitions.iter().any(|p| {
                    let label = super::fold(&p.label);
                    label.len() >= 4 && !label.contains(' ') && held.contains(&label.as_str())
                })
            })
            .collect();
        if !holding.is_empty() {
            named = true;
            candidates = holding;
        }
    }
    if has("nvme") {
        named = true;
        candidates.retain(|d| d.transport == "nvme");
    }
    if has("ssd") || has("ssds") || lc.contains("solid state") {
        named = true;
        candidates.retain(|d| !d.rotational);
        // ("the ssd" beside a card reader or a stick: the internal one, unless said to be
        // external.)
        let fixed = |d: &&Disk| !d.removable && d.transport != "usb";
        if !["usb", "external", "portable"].iter().any(|w| has(w)) && candidates.iter().any(fixed) {
            candidates.retain(fixed);
        }
    }
    if has("hdd") || lc.contains("hard drive") || lc.contains("hard disk") || has("spinning") {
        named = true;
        candidates.retain(|d| d.rotational);
    }
    // "the disk that isn't in use": none of it mounted or swapping.
    if super::patterns::NOT_IN_USE.is_match(lc) {
        named = true;
        candidates.retain(|d| d.partitions.iter().all(|p| p.mountpoint.is_empty()));
    }
    // "the disk I'm running from", "the live disk": the one the running system is on.
    if super::patterns::RUNNING_FROM.is_match(lc) {
        named = true;
        candidates.retain(|d| d.partitions.iter().any(|p| p.mountpoint == "/"));
    }
    if has("sata") {
        named = true;
        candidates.retain(|d| d.transport == "sata");
    }
    if has("usb") || has("removable") || has("stick") {
        named = true;
        candidates.retain(|d| d.removable || d.transport == "usb");
        // ("the usb stick" beside an SD card, removable too: the one on USB.)
        if (has("usb") || has("stick")) && candidates.iter().any(|d| d.transport == "usb") {
            candidates.retain(|d| d.transport == "usb");
        }
    }
    // "the emmc", "the internal storage", "the sd card": what each kind of disk is.
    if has("emmc") || has("mmc") {
        named = true;
        candidates.retain(|d| d.transport == "mmc" || d.path.starts_with("/dev/mmcblk"));
        if has("emmc") || has("internal") {
            candidates.retain(|d| !d.removable);
        }
    } else if has("card") && !has("graphics") && !has("network") || has("sdcard") || has("microsd")
    {
        named = true;
        candidates.retain(|d| {
            (d.transport == "mmc" || d.path.starts_with("/dev/mmcblk")) && d.removable
                || d.model.to_lowercase().contains("card")
        });
    } else if has("internal") && !has("usb") {
        named = true;
        candidates.retain(|d| !d.removable && d.transport != "usb");
    } else if has("external") {
        named = true;
        candidates.retain(|d| d.removable || d.transport == "usb");
    }
    // "the RAID disks", "the zfs drive", "the LVM one": what their partitions belong to.
    for (said, fs) in [
        ("raid", "linux_raid_member"),
        ("mdadm", "linux_raid_member"),
        ("array", "linux_raid_member"),
        ("zfs", "zfs_member"),
        ("lvm", "LVM2_member"),
        ("bitlocker", "BitLocker"),
    ] {
        let members = |d: &&Disk| d.partitions.iter().any(|p| p.fs.eq_ignore_ascii_case(fs));
        if has(said) && all.iter().any(members) {
            named = true;
            candidates.retain(members);
        }
    }
    // Vendor or model words ("the samsung", "the wd", "the 870").
    // A maker no disk here has ("install on the samsung" where there is only a WD): the
    // person means a disk that is not there, so ask instead of taking the one that is.
    if let Some(maker) = words.iter().find(|w| {
        DISK_MAKERS.contains(w)
            && !disks
                .iter()
                .any(|d| model_words(d).iter().any(|m| m == **w))
    }) {
        return Err(choose(
            format!(
                "I don't see a {maker} disk on this machine. The disks are: {}. Which one should I use?",
                disk_list(&all)
            ),
            paths(&all),
        ));
    }
    // "the samsung 980 pro" where the Samsung here is an 870: a model that is not there.
    // (A size is no model: "the samsung, 512M for efi", "samsung 500 gb".)
    if let Some((maker, number)) = (0..words.len().saturating_sub(1)).find_map(|i| {
        let number = words[i + 1];
        let unit = words.get(i + 2).is_some_and(|u| {
            matches!(
                *u,
                "g" | "gb"
                    | "gig"
                    | "gigs"
                    | "gib"
                    | "t"
                    | "tb"
                    | "tib"
                    | "m"
                    | "mb"
                    | "gigabytes"
                    | "terabytes"
            )
        });
        (DISK_MAKERS.contains(&words[i])
            && (3..=4).contains(&number.len())
            && number.chars().all(|c| c.is_ascii_digit())
            && !unit)
            .then_some((words[i], number))
    }) {
        let theirs: Vec<&Disk> = disks
            .iter()
            .filter(|d| model_words(d).iter().any(|m| m == maker))
            .collect();
        // ("the seagate 500" of an ST500DM002: the number inside the model, or the size
        // in gigabytes it is sold as.)
        let gigabytes: f64 = number.parse().unwrap_or(0.0);
        #[allow(clippy::cast_precision_loss)]
        let is_it = |d: &&Disk| {
            model_words(d).iter().any(|m| m.contains(number))
                || (d.size as f64 / 1e9 - gigabytes).abs() <= gigabytes / 10.0
        };
        if !theirs.is_empty() && !theirs.iter().any(is_it) {
            return Err(choose(
                format!(
                    "I don't see a {maker} {number} on this machine. The disks are: {}. Which one should I use?",
                    disk_list(&all)
                ),
                paths(&all),
            ));
        }
    }
    let vendor_words = disk_name_words(lc, disks);
    if !vendor_words.is_empty() {
        named = true;
        let before = candidates.clone();
        candidates.retain(|d| {
            vendor_words
                .iter()
                .all(|w| model_words(d).iter().any(|m| model_word_is(m, w)))
        });
        // "my spare disk, the 128 GB one" where a 64 GB disk is labelled "Spare": a label
        // word that is also an ordinary word describes; what was said besides decides.
        // (Only words that describe any disk: "the 500gb evo" names a model, and is asked.)
        let ordinary = |w: &&str| {
            matches!(
                *w,
                "spare"
                    | "free"
                    | "new"
                    | "old"
                    | "empty"
                    | "extra"
                    | "main"
                    | "data"
                    | "backup"
                    | "storage"
                    | "internal"
                    | "external"
                    | "blank"
                    | "unused"
                    | "second"
                    | "other"
            )
        };
        if candidates.is_empty() && before.len() < all.len() && vendor_words.iter().all(ordinary) {
            candidates = before;
        }
    }
    if let Some(c) = ORDINAL.captures(lc) {
        let idx = match c.get(1).map(|m| m.as_str()) {
            Some("first" | "1st") => Some(0),
            Some("second" | "2nd") => Some(1),
            Some("third" | "3rd") => Some(2),
            // ("my last laptop": only "the last disk" is a place in the list.)
            Some("last") if c.get(2).is_some() => all.len().checked_sub(1),
            _ => None,
        };
        // "a second one cluttering the disk": another of something, not a disk's place.
        let another = lc[..c.get(0).map_or(0, |m| m.start())].ends_with("a ");
        if let Some(i) = idx.filter(|_| {
            !another
                && (c.get(2).is_some()
                    || lc.contains("disk")
                    || lc.contains("drive")
                    // ("the second WD": a place among the disks of that maker.)
                    || named && candidates.len() > 1)
        }) {
            // ("the first WD", "the second samsung": the place among those named.)
            let among = if named && candidates.len() > 1 {
                candidates.clone()
            } else {
                all.clone()
            };
            named = true;
            let target = among.get(i).map(|d| d.path.clone());
            candidates.retain(|d| Some(&d.path) == target.as_ref());
        }
    }
    // "the big disk", "the small one": only right before the disk's noun.
    // ("the big slow one", "the quick little one": one more word may stand between.)
    let sized = |adjectives: &[&str]| {
        words.windows(2).chain(words.windows(3)).any(|win| {
            adjectives.contains(&win[0])
                && ["disk", "drive", "one", "ssd", "hdd", "hard"].contains(&win[win.len() - 1])
        })
    };
    // "the fast one", "the big slow one": speed is the kind of disk.
    // ("the faster of my two disks": a comparison names one without the noun.)
    if sized(&[
        "fast", "faster", "fastest", "quick", "quicker", "speedy", "snappy",
    ]) || ["faster", "fastest", "quicker", "quickest"]
        .iter()
        .any(|w| has(w))
    {
        named = true;
        candidates.retain(|d| !d.rotational);
        if candidates.iter().any(|d| d.transport == "nvme") {
            candidates.retain(|d| d.transport == "nvme");
        }
    }
    if sized(&[
        "slow",
        "slower",
        "slowest",
        "spinning",
        "mechanical",
        "spinny",
        "old-school",
    ]) || ["slower", "slowest"].iter().any(|w| has(w))
    {
        named = true;
        candidates.retain(|d| d.rotational);
    }
    // "the terabyte one", "the half-tera drive": a size said in words.
    if let Some(bytes) = spoken_size(lc) {
        named = true;
        candidates.retain(|d| about(d.size, bytes));
    }
    if has("largest")
        || has("biggest")
        || has("bigger")
        || has("larger")
        || sized(&["big", "large", "huge"])
    {
        named = true;
        let max = candidates.iter().map(|d| d.size).max();
        candidates.retain(|d| Some(d.size) == max);
    }
    if has("smallest") || has("smaller") || sized(&["small", "little", "tiny"]) {
        named = true;
        let min = candidates.iter().map(|d| d.size).min();
        candidates.retain(|d| Some(d.size) == min);
    }
    // "the second small one": a place among the disks of that size.
    if candidates.len() > 1 {
        let place = words.windows(2).find_map(|w| {
            let i = match w[0] {
                "first" | "1st" => 0,
                "second" | "2nd" => 1,
                "third" | "3rd" => 2,
                _ => return None,
            };
            [
                "small", "little", "tiny", "big", "large", "huge", "fast", "slow",
            ]
            .contains(&w[1])
            .then_some(i)
        });
        if let Some(i) = place {
            let target = candidates.get(i).map(|d| d.path.clone());
            candidates.retain(|d| Some(&d.path) == target.as_ref());
        }
    }
    Ok(named.then_some(candidates))
}

/// A disk's size said without digits: "the terabyte one" (1 TiB), "the half-tera drive"
/// (half of one), in bytes.
fn spoken_size(lc: &str) -> Option<f64> {
    let c = super::patterns::SPOKEN_DISK_SIZE.captures(lc)?;
    let tera = 1024f64.powi(4);
    Some(if c.name("half").is_some() {
        tera / 2.0
    } else {
        tera
    })
}

/// Whether `disk` is kept by a clause of the request ("don't touch sda", "... on the
/// 256GB disk, don't touch it") and named by no clause that asks for something.
pub(super) fn kept_not_asked(clauses: &[DiskBits], disk: &str, m: &Machine) -> bool {
    let names = |b: &DiskBits| -> Vec<String> {
        resolve_disks(b, &m.disks)
            .ok()
            .flatten()
            .filter(|ds| ds.len() == 1)
            .map(|ds| ds.iter().map(|d| d.path.clone()).collect())
            .unwrap_or_default()
    };
    let mut kept = false;
    for (i, c) in clauses.iter().enumerate() {
        let own = names(c);
        if c.keep && !c.intent {
            // "don't touch it": the disk of the clause before.
            let refers_back = c
                .text
                .split_whitespace()
                .any(|w| matches!(w, "it" | "that" | "this" | "them"));
            let ks = if own.is_empty() && refers_back && i > 0 {
                names(&clauses[i - 1])
            } else {
                own
            };
            kept |= ks.iter().any(|k| k == disk);
        } else if c.intent && own.iter().any(|k| k == disk) && !c.keep {
            return false;
        }
    }
    kept
}

/// Whether a word is one of a disk's model or vendor words ("Blue" of "WD Blue").
pub(super) fn is_model_word(word: &str, disks: &[Disk]) -> bool {
    disks
        .iter()
        .any(|d| model_words(d).iter().any(|m| m == word))
}

/// Whether a word said names a model word: the word itself, or the start of a part number
/// ("the CT500MX500" for "CT500MX500SSD1").
fn model_word_is(model: &str, said: &str) -> bool {
    model == said
        || said.len() >= 6
            && said.chars().any(|c| c.is_ascii_digit())
            && said.chars().any(|c| c.is_ascii_alphabetic())
            && model.starts_with(said)
}

/// Words of a disk's model and vendor, folded, with common vendor spellings.
fn model_words(d: &Disk) -> Vec<String> {
    let mut w: Vec<String> = fold(&format!("{} {}", d.model, d.vendor))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.len() >= 2)
        .map(str::to_owned)
        .collect();
    // Models as the kernel reports them name the maker by a code and run the product line
    // into the part number ("WDC_WD20EZRZ-00Z5HB0", "CT500MX500SSD1", "ST4000VN008"):
    // the maker's name and the line are words of the disk too.
    let codes: Vec<String> = w.clone();
    for t in &codes {
        for (prefix, maker) in [
            ("wdc", "wd"),
            ("wd", "wd"),
            ("ct", "crucial"),
            ("st", "seagate"),
            ("hgst", "hgst"),
            ("hus", "hgst"),
            ("hdwd", "toshiba"),
            ("mz", "samsung"),
        ] {
            if t.starts_with(prefix)
                && t.len() > prefix.len() + 3
                && t.chars().any(|c| c.is_ascii_digit())
            {
                w.push(maker.into());
            }
        }
        for line in DISK_LINES.iter().filter(|l| l.len() >= 4) {
            if t.len() > line.len() && t.contains(line) {
                w.push((*line).to_owned());
            }
        }
    }
    if w.iter().any(|t| t == "wd") {
        w.push("western".into());
        w.push("digital".into());
    }
    w.sort();
    w.dedup();
    w
}

/// Product lines and kinds of disks: after a size ("the 2TB barracuda", "the 500GB evo")
/// they describe the disk, no partition's size.
pub(super) const DISK_LINES: &[&str] = &[
    "barracuda",
    "ironwolf",
    "firecuda",
    "skyhawk",
    "exos",
    "evo",
    "qvo",
    "blue",
    "black",
    "red",
    "green",
    "purple",
    "mx500",
    "bx500",
    "external",
    "usb",
    "sata",
    "spinning",
    "spinner",
    "mechanical",
    "stick",
    "thumb",
    "flash",
];

/// Makers of disks, folded: named, they must match a disk that is there.
pub(super) const DISK_MAKERS: &[&str] = &[
    "samsung",
    "wd",
    "western",
    "crucial",
    "seagate",
    "kingston",
    "sandisk",
    "toshiba",
    "intel",
    "hitachi",
    "micron",
    "hynix",
    "adata",
    "corsair",
    "sabrent",
    "lexar",
    "transcend",
    "hgst",
    "teamgroup",
    "pny",
    "qemu",
    "kioxia",
    "solidigm",
];

/// Words that appear in model names but say nothing about which disk is meant.
const NOT_NAMES: &[&str] = &[
    "ssd", "hdd", "disk", "drive", "the", "use", "with", "and", "nvme", "sata", "usb", "pro",
    "plus", "series", "internal", "external", "for", "on", "of", "blue", "black", "red", "green",
    "whole", "install", "it", "to",
];

/// The words of `lc` that name a disk by vendor or model ("samsung", "wd", "870").
fn disk_name_words<'t>(lc: &'t str, disks: &[Disk]) -> Vec<&'t str> {
    lc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !NOT_NAMES.contains(w))
        .filter(|w| w.len() >= 3 || *w == "wd")
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) || w.len() >= 3)
        .filter(|w| {
            disks
                .iter()
                .any(|d| model_words(d).iter().any(|m| model_word_is(m, w)))
        })
        .collect()
}

/// The disks' paths: the answers to a question that asks to pick one.
fn paths(disks: &[&Disk]) -> Vec<String> {
    disks.iter().map(|d| d.path.clone()).collect()
}

/// The disks a text describes in any way a disk request could ("the 4TB drive", "sda"),
/// none where it names no disk or asks which.
pub(super) fn disks_described<'d>(lc: &str, disks: &'d [Disk]) -> Vec<&'d Disk> {
    resolve_disks(&disk_bits(lc), disks)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// The disks whose maker or model words a text says ("the partition on the Kingston stick").
pub(super) fn disks_named_by_model<'d>(lc: &str, disks: &'d [Disk]) -> Vec<&'d Disk> {
    let said = disk_name_words(lc, disks);
    if said.is_empty() {
        return Vec::new();
    }
    disks
        .iter()
        .filter(|d| {
            said.iter()
                .all(|w| model_words(d).iter().any(|m| model_word_is(m, w)))
        })
        .collect()
}

pub(super) fn names_a_disk(lc: &str, disks: &[Disk]) -> bool {
    !disk_name_words(lc, disks).is_empty() || size_names_a_disk(lc, disks)
}

/// "the 1TB", "my 500 gb one": what follows starts with the size of one of the disks.
fn size_names_a_disk(lc: &str, disks: &[Disk]) -> bool {
    let mut w = lc.split_whitespace().peekable();
    if w.peek()
        .is_some_and(|a| matches!(*a, "the" | "my" | "that" | "this"))
    {
        w.next();
    }
    let first = w.next().unwrap_or("");
    let digits = first
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(first.len());
    let (n, unit) = first.split_at(digits);
    let unit = if unit.is_empty() {
        w.next().unwrap_or("")
    } else {
        unit
    };
    let unit = unit.trim_end_matches([',', '.', ';']);
    if n.is_empty() || !matches!(unit, "t" | "tb" | "tib" | "g" | "gb" | "gib") {
        return false;
    }
    size_bytes(n, unit).is_some_and(|(dec, bin)| {
        disks
            .iter()
            .any(|d| about(d.size, dec) || about(d.size, bin))
    })
}

/// The bytes of a disk its partitions leave free.
pub(super) fn free_bytes(d: &Disk) -> u64 {
    let used: u64 = d.partitions.iter().map(|p| p.size).sum();
    d.size.saturating_sub(used)
}

pub(super) fn holds_windows(d: &Disk) -> bool {
    d.partitions
        .iter()
        .any(|p| p.fs == "ntfs" || p.fs == "BitLocker" || p.kind == "msr")
}

/// The disks a clause that keeps or spares points at: those it names, else those holding
/// the system it names, else Windows.
fn kept_disks<'m>(b: &DiskBits, m: &'m Machine) -> Vec<&'m Disk> {
    match resolve_disks(b, &m.disks) {
        Ok(Some(c)) => c,
        Ok(None) if b.system.is_some() => m
            .disks
            .iter()
            .filter(|d| holds_linux(d, b.system.as_deref()))
            .collect(),
        Ok(None) if b.text.contains("windows") => {
            m.disks.iter().filter(|d| holds_windows(d)).collect()
        }
        _ => Vec::new(),
    }
}

/// "don't go near the ubuntu drive, put the new system on the other one": a disk beside
/// the ones kept, or a question when that is not exactly one.
pub(super) fn other_than(b: &DiskBits, m: &Machine) -> Option<Action> {
    let kept = kept_disks(b, m);
    (!kept.is_empty()).then(|| others_than(&kept, m))
}

/// "don't put it on the sd card", said alone: the disk is left, and which one to use is
/// asked among the others (never chosen: nothing asked to install).
pub(super) fn left_alone(b: &DiskBits, m: &Machine) -> Option<Action> {
    // ("don't touch windows": its disk may still take the new system beside it.)
    if !b.keep {
        return None;
    }
    // (Each disk a clause of its own kept: "the sd card and the kingston stay as they are".)
    let mut kept: Vec<&Disk> = resolve_disks(b, &m.disks)
        .ok()
        .flatten()
        .unwrap_or_default();
    for d in spared_disks(b, m) {
        if kept.iter().all(|k| k.path != d.path) {
            kept.push(d);
        }
    }
    if kept.is_empty() {
        return None;
    }
    let kept_list = kept
        .iter()
        .map(|d| describe_disk(d))
        .collect::<Vec<_>>()
        .join(" and ");
    let others: Vec<&Disk> = m
        .disks
        .iter()
        .filter(|d| kept.iter().all(|k| k.path != d.path) && busy(d).is_none())
        .collect();
    Some(match others.as_slice() {
        [] => clarify(format!(
            "I'll leave {kept_list} alone; there is no other disk I could install on."
        )),
        _ => choose(
            format!(
                "I'll leave {kept_list} alone. Which disk should I install on: {}?",
                disk_list(&others)
            ),
            paths(&others),
        ),
    })
}

/// A `partition` of the one disk that is not `kept`, or a question.
fn others_than(kept: &[&Disk], m: &Machine) -> Action {
    match other_disk(kept, m) {
        Ok(d) => Action::Partition {
            disk: d.path.clone(),
            table: None,
            wipe: None,
            scheme: None,
            format: None,
        },
        Err(q) => q,
    }
}

/// The one disk that is not `kept`, or a question.
fn other_disk<'m>(kept: &[&Disk], m: &'m Machine) -> Result<&'m Disk, Action> {
    let others: Vec<&Disk> = m
        .disks
        .iter()
        .filter(|d| kept.iter().all(|k| k.path != d.path))
        .collect();
    // ("leave the host disk alone, use the remaining drive": a disk in use, the
    // system's or swapping, is never the other one meant.)
    let free: Vec<&Disk> = others
        .iter()
        .copied()
        .filter(|d| busy(d).is_none())
        .collect();
    if let ([one], true) = (free.as_slice(), others.len() > 1) {
        return Ok(*one);
    }
    match others.as_slice() {
        [d] => Ok(*d),
        [] => Err(clarify(format!(
            "There is no other disk: {} is all there is. Which disk should I use?",
            disk_list(kept)
        ))),
        many => Err(choose(
            format!(
                "Which of the other disks should I use: {}?",
                disk_list(many)
            ),
            paths(many),
        )),
    }
}

/// The disks the clauses that only spare name ("don't touch sda or the usb stick"), each
/// one listed on its own.
fn spared_disks<'m>(b: &DiskBits, m: &'m Machine) -> Vec<&'m Disk> {
    let mut out: Vec<&Disk> = Vec::new();
    for d in spared_each(&b.spared, m, false)
        .into_iter()
        .flatten()
        .flatten()
    {
        if out.iter().all(|o| o.path != d.path) {
            out.push(d);
        }
    }
    out
}

/// What each disk a sparing clause lists points at, resolved on its own ("don't touch sda
/// or the usb stick": sda, then the stick; sizes describe one disk); None where a piece
/// names no disk. With `parts`, a partition kept points at its disk too: that disk is not
/// the one spared whole (it may still be the disk meant), but what is kept is on it.
fn spared_each<'m>(
    spared: &[(String, Vec<f64>)],
    m: &'m Machine,
    parts: bool,
) -> Vec<Option<Vec<&'m Disk>>> {
    let mut out = Vec::new();
    for (text, sizes) in spared {
        let pieces: Vec<&str> = text.split(" or ").flat_map(|t| t.split(" and ")).collect();
        for piece in &pieces {
            // "the usb stick or the 250 gig one": each piece's own size.
            let disk_sizes = match pieces.len() {
                1 => sizes.clone(),
                _ if sizes.is_empty() => Vec::new(),
                _ => disk_bits(piece).disk_sizes,
            };
            let spared = DiskBits {
                text: (*piece).to_owned(),
                disk_sizes,
                ..DiskBits::default()
            };
            // "don't touch the ubuntu": the disk that holds the system named.
            let holding = || {
                let words: Vec<&str> = piece.split(|c: char| !c.is_alphanumeric()).collect();
                let held: Vec<&Disk> = m
                    .disks
                    .iter()
                    .filter(|d| {
                        words.iter().any(|w| {
                            *w == "windows" && holds_windows(d)
                                || is_linux_name(w) && holds_linux(d, Some(w))
                        })
                    })
                    .collect();
                (!held.is_empty()).then_some(held)
            };
            // ("keep sdb2 untouched", "leave the Time Machine partition alone"): the disk
            // that holds the partition named.
            let holder = || {
                if !parts {
                    return None;
                }
                let Some(Ok(path)) = super::parts::partition_ref(piece, m) else {
                    return None;
                };
                m.partition(&path).map(|(d, _)| vec![d])
            };
            out.push(
                resolve_disks(&spared, &m.disks)
                    .ok()
                    .flatten()
                    .or_else(holding)
                    .or_else(holder),
            );
        }
    }
    out
}

/// Words that put the system itself on a disk ("the operating system on the SSD").
const SYSTEM_WORDS: &[&str] = &[
    "system",
    "os",
    "operating",
    "linux",
    "levitate",
    "levitateos",
    "root",
    "install",
];

/// "root on the ssd, /home on the 1tb hdd (xfs)", "the system on the SSD and my home
/// folder on the big hard drive": each clause names one disk, one disk gets the system and
/// the other only other mount points. Two `partition` actions, the system's disk first;
/// None when the clauses do not split that way.
pub(super) fn split_layout(clauses: &[DiskBits], m: &Machine) -> Option<Vec<Action>> {
    let mut groups: Vec<(&Disk, DiskBits)> = Vec::new();
    let mut last: Option<usize> = None;
    let mut wipe_all: Option<bool> = None;
    // "..., both ext4", "..., all of it encrypted": said of every disk's partitions.
    let (mut fs_every, mut encrypt_every) = (None, None);
    // "my spare disk, the 128 GB one": a disk described again, not a second disk.
    let mut described: Vec<DiskBits> = Vec::new();
    for c in clauses.iter().filter(|c| !c.is_read_only()) {
        match described.last_mut() {
            Some(prev)
                if c.parts.is_empty()
                    && !c.intent
                    && c.wipe.is_none()
                    && super::patterns::DISK_APPOSITION.is_match(&c.text) =>
            {
                prev.merge(c.clone());
            }
            _ => described.push(c.clone()),
        }
    }
    for c in &described {
        let named = match resolve_disks(c, &m.disks) {
            Ok(Some(ds)) => Some(ds),
            // ("put Levitate next to ubuntu: ...": the disk the system named is on.)
            Ok(None) if c.system.is_some() && c.intent => {
                let with: Vec<&Disk> = m
                    .disks
                    .iter()
                    .filter(|d| holds_linux(d, c.system.as_deref()))
                    .collect();
                (with.len() == 1).then_some(with)
            }
            Ok(None) => None,
            Err(_) => return None,
        };
        match named.as_deref() {
            Some([d]) => {
                if let Some(i) = groups.iter().position(|(g, _)| g.path == d.path) {
                    groups[i].1.merge(c.clone());
                    last = Some(i);
                } else {
                    groups.push((d, c.clone()));
                    last = Some(groups.len() - 1);
                }
            }
            // "wipe both disks: ...", "erase everything, then ...": a wipe said before the
            // disks or of all of them goes to every disk.
            _ if c.every_disk || last.is_none() && c.parts.is_empty() => {
                wipe_all = c.wipe.or(wipe_all);
            }
            None if c.parts.is_empty()
                && (c.fs_all.is_some() || c.encrypt_all.is_some())
                && c.text.split_whitespace().any(|w| {
                    matches!(w, "both" | "all" | "everything" | "everywhere" | "each")
                }) =>
            {
                fs_every = c.fs_all.clone().or(fs_every);
                encrypt_every = c.encrypt_all.or(encrypt_every);
            }
            // "..., encrypted", "..., mounted at /backup": said after a disk's clause, it is
            // that disk's.
            None => groups.get_mut(last?)?.1.merge(c.clone()),
            Some(_) => return None,
        }
    }
    // "wipe both disks: the nvme gets efi + root, ...": said in one disk's clause.
    let wipe_all = groups
        .iter()
        .filter(|(_, g)| g.every_disk)
        .find_map(|(_, g)| g.wipe)
        .or(wipe_all);
    for (_, g) in &mut groups {
        g.fs_all = g.fs_all.take().or_else(|| fs_every.clone());
        g.encrypt_all = g.encrypt_all.or(encrypt_every);
    }
    // ("wipe the seagate, 16G swap. leave the nvme alone": a disk only kept is no group;
    // "keep ubuntu on the crucial, put levitate next to it": one asked for is.)
    groups.retain(|(_, g)| !(g.keep && !g.intent && g.parts.is_empty()));
    let [a, b] = groups.as_slice() else {
        return None;
    };
    let only_data = |g: &DiskBits| {
        !g.parts.is_empty()
            && g.parts
                .iter()
                .all(|(mount, _)| !["/", "/boot", "/boot/efi"].contains(&mount.as_str()))
            && !g
                .text
                .split(|ch: char| !ch.is_alphanumeric())
                .any(|w| SYSTEM_WORDS.contains(&w))
    };
    let ((root_disk, root), (data_disk, data)) = match (only_data(&a.1), only_data(&b.1)) {
        (false, true) => (a, b),
        (true, false) => (b, a),
        _ => return None,
    };
    let entries: Vec<PartitionEntry> = data
        .parts
        .iter()
        .map(|(mount, p)| entry(data, mount, p))
        .collect();
    Some(vec![
        Action::Partition {
            disk: root_disk.path.clone(),
            table: root.table,
            wipe: root.wipe.or(wipe_all),
            // The planner's default root, written out: this disk holds `/`.
            scheme: scheme(root).or_else(|| Some(vec![entry(root, "/", &PartSaid::default())])),
            format: None,
        },
        Action::Partition {
            disk: data_disk.path.clone(),
            table: data.table,
            wipe: data.wipe.or(wipe_all),
            scheme: Some(entries),
            format: None,
        },
    ])
}

/// "put Levitate on the nvme" where Windows or another Linux lives, without saying whether
/// to erase it (the planner's default) or install beside it: the question to ask.
pub(super) fn system_kept_or_erased(disk: &str, m: &Machine) -> Option<Action> {
    let d = m.disks.iter().find(|d| d.path == disk)?;
    let what = if holds_windows(d) {
        "Windows"
    } else if holds_linux(d, None) {
        "an installed Linux"
    } else if d.partitions.iter().any(|p| p.fs == "apfs") {
        "macOS"
    } else {
        return None;
    };
    // (With no room beside it, erasing is the only way; it is still asked.)
    if free_bytes(d) < 4 << 30 {
        return Some(clarify(format!(
            "{} holds {what} and has no free space beside it. Should I erase the whole disk, or use another one?",
            describe_disk(d)
        )));
    }
    Some(clarify(format!(
        "{} holds {what}. Should I erase the whole disk, or install beside it in the free space?",
        describe_disk(d)
    )))
}

/// Turns merged disk clauses into a `partition` action, or a question.
pub(super) fn partition_action(b: &DiskBits, m: &Machine) -> Action {
    shares_checked(laid_out(b, m))
}

/// "root 150% of the disk", "root 60% and home 60%": shares of a disk that cannot be are
/// asked about, never passed on.
fn shares_checked(action: Action) -> Action {
    let Action::Partition {
        scheme: Some(scheme),
        ..
    } = &action
    else {
        return action;
    };
    let percent: u32 = scheme
        .iter()
        .filter_map(|e| e.size.as_deref()?.strip_suffix('%')?.parse::<u32>().ok())
        .sum();
    if percent > 100 {
        return clarify(format!(
            "Those shares add up to {percent}% of the disk, more than there is. How should the disk be shared out?"
        ));
    }
    action
}

/// The disks said not to be used ("not the samsung", "every drive except the WD").
fn excluded_disks<'m>(b: &DiskBits, m: &'m Machine) -> Vec<&'m Disk> {
    b.excluded
        .iter()
        .flat_map(|text| {
            let said = DiskBits {
                text: text.clone(),
                ..DiskBits::default()
            };
            resolve_disks(&said, &m.disks)
                .ok()
                .flatten()
                .unwrap_or_default()
        })
        .collect()
}

fn laid_out(b: &DiskBits, m: &Machine) -> Action {
    if m.disks.is_empty() {
        return clarify("I cannot see any disk to install to on this machine.");
    }
    let all: Vec<&Disk> = m.disks.iter().collect();
    if let Some(size) = super::patterns::NEGATIVE_SIZE.find(&b.text) {
        return clarify(format!(
            "{:?} is not a size a partition can have. What size did you mean?",
            size.as_str().trim()
        ));
    }
    if b.every_disk {
        // ("wipe every drive except the WD": the one disk left, if one is.)
        let excluded = excluded_disks(b, m);
        let left: Vec<&Disk> = all
            .iter()
            .copied()
            .filter(|d| !excluded.is_empty() && excluded.iter().all(|x| x.path != d.path))
            .collect();
        if let [one] = left.as_slice() {
            let mut only = b.clone();
            only.every_disk = false;
            only.excluded.clear();
            only.text.clone_from(&one.path);
            return laid_out(&only, m);
        }
        // ("both 100G disks": of those the words name.)
        let named = resolve_disks(b, &m.disks)
            .ok()
            .flatten()
            .filter(|d| d.len() > 1)
            .unwrap_or_else(|| all.clone());
        return choose(
            format!(
                "I install to one disk at a time. Which one should I use: {}?",
                disk_list(&named)
            ),
            paths(&named),
        );
    }
    // "don't touch sda or sdb, use the remaining disk": the disks beside the spared ones.
    let mut other = None;
    if super::patterns::OTHER_DISK.is_match(&b.text) {
        let mut spared = spared_disks(b, m);
        // "the other drive, not the windows one": the disk excluded is the one kept.
        for text in &b.excluded {
            let said = DiskBits {
                text: text.clone(),
                ..DiskBits::default()
            };
            let described = resolve_disks(&said, &m.disks)
                .ok()
                .flatten()
                .unwrap_or_default();
            for d in kept_disks(&said, m).into_iter().chain(described) {
                if spared.iter().all(|s| s.path != d.path) {
                    spared.push(d);
                }
            }
        }
        if !spared.is_empty() {
            // "the other SATA one": of the others, those the words describe.
            let described = resolve_disks(b, &m.disks).ok().flatten();
            let kept: Vec<&Disk> = match &described {
                Some(d) if !d.is_empty() => m
                    .disks
                    .iter()
                    .filter(|x| {
                        spared.iter().any(|s| s.path == x.path)
                            || d.iter().all(|y| y.path != x.path)
                    })
                    .collect(),
                _ => spared.clone(),
            };
            // ("the other ssd" where the only SSD is the one spared: there is none.)
            if described.as_ref().is_some_and(|d| {
                !d.is_empty() && d.iter().all(|x| spared.iter().any(|s| s.path == x.path))
            }) {
                return choose(
                    format!(
                        "There is no other disk like that. The disks are: {}. Which one should I use?",
                        disk_list(&all)
                    ),
                    paths(&all),
                );
            }
            match other_disk(&kept, m).or_else(|_| other_disk(&spared, m)) {
                Ok(d) => other = Some(vec![d]),
                Err(q) => return q,
            }
        }
        // "the other drive" where there is only one: there is no other to take.
        if let [only] = all.as_slice() {
            return clarify(format!(
                "There is no other disk: {} is all there is. Which disk should I use?",
                describe_disk(only)
            ));
        }
    }
    let chosen = match other.map_or_else(|| resolve_disks(b, &m.disks), |o| Ok(Some(o))) {
        Err(q) => return q,
        Ok(Some(c)) => c,
        // "Linux is going to be my main OS" where no Linux is installed: the system being
        // installed, not one to find.
        Ok(None)
            if b.system.is_some()
                && (b.system.as_deref() != Some("linux")
                    || m.disks.iter().any(|d| holds_linux(d, None))) =>
        {
            let name = b.system.as_deref();
            // ("the ubuntu drive has my files, leave it alone and install on the other
            // disk": a disk beside the one that system is on.)
            let other = b.keep && super::patterns::OTHER_DISK.is_match(&b.text);
            let with: Vec<&Disk> = m
                .disks
                .iter()
                .filter(|d| holds_linux(d, name) != other)
                .collect();
            if with.is_empty() {
                return clarify(format!(
                    "I don't see {} installed on any disk. The disks are: {}. Which one should I use?",
                    name.unwrap_or("Linux"),
                    disk_list(&all)
                ));
            }
            with
        }
        Ok(None) if b.dual_boot => {
            let windows: Vec<&Disk> = m.disks.iter().filter(|d| holds_windows(d)).collect();
            if windows.is_empty() {
                // "in the free space" where no Windows is: the disks with something to
                // install beside and room for it.
                let room = |d: &Disk| free_bytes(d) >= 8 << 30;
                m.disks
                    .iter()
                    .filter(|d| !d.partitions.is_empty() && room(d))
                    .collect()
            } else {
                windows
            }
        }
        Ok(None) => all.clone(),
    };
    let mut chosen = chosen;
    // "whichever disk isn't the ssd": of the disks meant, not the one excluded.
    let excluded = excluded_disks(b, m);
    if chosen.len() > 1 && excluded.len() < m.disks.len() {
        chosen.retain(|d| excluded.iter().all(|x| x.path != d.path));
    }
    // ("sda died. put it on anything but the ssd": a disk said not to be used is never
    // the one chosen, whatever else named it.)
    if !excluded.is_empty()
        && !chosen.is_empty()
        && chosen
            .iter()
            .all(|d| excluded.iter().any(|x| x.path == d.path))
    {
        chosen = m
            .disks
            .iter()
            .filter(|d| excluded.iter().all(|x| x.path != d.path))
            .collect();
    }
    // ("wipe it and install there, leave the nvme alone": of the disks meant, never one
    // said to be left alone.)
    if chosen.len() > 1 {
        let spared = spared_disks(b, m);
        if chosen
            .iter()
            .any(|d| spared.iter().all(|s| s.path != d.path))
        {
            chosen.retain(|d| spared.iter().all(|s| s.path != d.path));
        }
    }
    if let Some(x) = &b.not_holding {
        let holds = |d: &Disk| match x.as_str() {
            "windows" => holds_windows(d),
            "anything" | "data" | "files" => !d.partitions.is_empty(),
            name => holds_linux(d, Some(name)) || holds_linux(d, None) && name == "linux",
        };
        chosen.retain(|d| !holds(d));
        if chosen.is_empty() {
            return choose(
                format!(
                    "Every disk I could use holds {x}. The disks are: {}. Which one should I use?",
                    disk_list(&all)
                ),
                paths(&all),
            );
        }
    }
    // ("The SD card in the side slot holds her photos. Wipe the built-in storage": where the
    // words that ask name one disk alone, the disks only spoken of do not choose another.)
    // (Only where those were statements: "..., not that one, the 500 gig ssd" corrects.)
    let only_statements = b.said.others.iter().all(|t| {
        t.trim().is_empty()
            || super::patterns::DESCRIBES.is_match(t)
            || super::patterns::NARRATIVE.is_match(t)
            || t.split_whitespace().any(|w| {
                matches!(
                    w,
                    "is" | "are"
                        | "was"
                        | "were"
                        | "has"
                        | "have"
                        | "had"
                        | "holds"
                        | "must"
                        | "should"
                        | "stays"
                        | "keep"
                        | "touched"
                        | "lives"
                        | "runs"
                )
            })
    });
    let asked_alone = asking_words_alone(b);
    if let ([d], Some(asked), true) = (chosen.as_slice(), &asked_alone, only_statements) {
        if let Ok(Some(v)) = resolve_disks(asked, &m.disks) {
            if matches!(v.as_slice(), [x] if x.path != d.path) {
                return laid_out(asked, m);
            }
        }
    }
    let disk = match chosen.as_slice() {
        [d] => *d,
        [] if asked_alone.is_some() => {
            return laid_out(&asked_alone.unwrap_or_default(), m);
        }
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
            // (Disks in use are not offered while some are free.)
            let free: Vec<&Disk> = many.iter().copied().filter(|d| busy(d).is_none()).collect();
            let offered = if free.is_empty() {
                many
            } else {
                free.as_slice()
            };
            return choose(
                format!("Which disk should I use: {}?", disk_list(offered)),
                paths(offered),
            );
        }
    };
    // "dual boot with windows" where no disk holds Windows: beside what, is asked.
    if b.dual_boot
        && b.text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "windows")
        && !m.disks.iter().any(holds_windows)
    {
        return choose(
            format!(
                "I don't see Windows on this machine, so there is nothing to install beside. The disks are: {}. Should I use one of them?",
                disk_list(&all)
            ),
            paths(&all),
        );
    }
    // "install on the second disk if it's empty": it is not, so ask.
    if b.if_empty && !disk.partitions.is_empty() {
        return choose(
            format!(
                "{} is not empty: it holds {} partition(s). Should I use it anyway, or another disk? The disks are: {}.",
                describe_disk(disk),
                disk.partitions.len(),
                disk_list(&all)
            ),
            paths(&all),
        );
    }
    // "don't wipe sdb, install on sdc": what keeps sdb says nothing of sdc.
    // ("install on the samsung. leave the other disk alone": "the other" is never the disk
    // named.)
    let named: Vec<(String, Vec<f64>)> = b
        .spared
        .iter()
        .filter(|(t, _)| !super::patterns::OTHER_DISK.is_match(t) || names_a_disk(t, &m.disks))
        .cloned()
        .collect();
    let spares_another = !b.spared.is_empty()
        && !b.own_keep
        && spared_each(&named, m, true).iter().all(|ds| {
            ds.as_ref()
                .is_some_and(|ds| !ds.is_empty() && ds.iter().all(|d| d.path != disk.path))
        });
    let wipe = if spares_another { b.own_wipe } else { b.wipe };
    // "beside windows, ... wipe ...": keeping and erasing said of the same disk; which one
    // is meant is asked, never guessed.
    if b.dual_boot && b.wipe == Some(true) && !spares_another {
        return clarify(format!(
            "Should I keep what is on {} and install beside it, or erase the whole disk?",
            describe_disk(disk)
        ));
    }
    let scheme = scheme(b);
    // "root 2 TB" on a 1 TB disk: clearly more than the disk holds is asked about here
    // (a near miss is the planner's to measure, with the space the layout needs).
    let asked: u64 = scheme
        .iter()
        .flatten()
        .filter_map(|e| e.size.as_deref().and_then(crate::size::parse_bytes))
        .sum();
    if asked > disk.size + disk.size / 10 {
        return choose(
            format!(
                "That layout asks for {}, more than {} holds. Which sizes should I use, or which disk?",
                crate::size::human(asked),
                describe_disk(disk)
            ),
            paths(&all),
        );
    }
    // ... and beside what is kept, more than the free space.
    let free = free_bytes(disk);
    if wipe == Some(false) && !disk.partitions.is_empty() && asked > free + free / 10 {
        return clarify(format!(
            "That layout asks for {}, but beside what is on {} there are only {} free. Which sizes should I use?",
            crate::size::human(asked),
            describe_disk(disk),
            crate::size::human(free)
        ));
    }
    Action::Partition {
        disk: disk.path.clone(),
        table: b.table,
        wipe,
        scheme,
        format: b.no_format.then_some(false),
    }
}

/// Words after a filesystem or "encrypted" that make it the whole installation's.
const WHOLE_INSTALL: &[&str] = &[
    "install",
    "installation",
    "system",
    "setup",
    "layout",
    "disk",
    "drive",
    "ssd",
    "everything",
];

/// The layout said, or None for the planner's default.
fn scheme(b: &DiskBits) -> Option<Vec<PartitionEntry>> {
    let said = |m: &str| b.parts.iter().find(|(x, _)| x == m).map(|(_, p)| p.clone());
    let root = said("/").unwrap_or_default();
    let any = b.encrypt_all.is_some()
        || b.fs_all.is_some()
        || b.no_swap
        || b.no_home
        || b.parts.iter().any(|(m, p)| {
            p.wanted || p.encrypt.is_some() || m == "swap" || p.size.is_some() || p.fs.is_some()
        });
    if !any {
        return None;
    }
    let mut s = Vec::new();
    for mount in ["/boot/efi", "/boot"] {
        if let Some(p) = said(mount).filter(|p| p.wanted && !(mount == "/boot" && b.no_boot)) {
            // The ESP is always FAT, so the layout says so ("ext4 for all but the efi"
            // is no filesystem of its); /boot takes the layout's own.
            let fs = if mount == "/boot/efi" {
                Some(
                    p.fs.filter(|f| matches!(f.as_str(), "vfat" | "fat32"))
                        .unwrap_or_else(|| "vfat".to_owned()),
                )
            } else {
                p.fs.or_else(|| b.fs_all.clone())
            };
            s.push(PartitionEntry {
                mount: mount.into(),
                size: p.size,
                fs,
                encrypt: false,
            });
        }
    }
    // ("the seagate becomes my /data drive, one big xfs partition": no root here unless
    // one is said.)
    let data_only = b.data_only
        && !root.wanted
        && b.parts
            .iter()
            .any(|(m, p)| p.wanted && DATA_MOUNTS.contains(&m.as_str()))
        && b.parts
            .iter()
            .all(|(m, p)| !p.wanted || DATA_MOUNTS.contains(&m.as_str()));
    if !data_only {
        s.push(entry(b, "/", &root));
    }
    if let Some(p) = said("/home").filter(|p| p.wanted && !b.no_home) {
        s.push(entry(b, "/home", &p));
    }
    // Other mount points said ("/data", "/var"), in the order said.
    for (mount, p) in &b.parts {
        if !["/boot/efi", "/boot", "/", "/home", "swap"].contains(&mount.as_str()) && p.wanted {
            s.push(entry(b, mount, p));
        }
    }
    if let Some(p) = said("swap").filter(|_| !b.no_swap) {
        s.push(entry(b, "swap", &p));
    }
    Some(s)
}

/// Mount points for data alone, which a disk may hold without the system.
const DATA_MOUNTS: &[&str] = &[
    "/data",
    "/srv",
    "/backup",
    "/backups",
    "/media",
    "/archive",
    "/storage",
    "/games",
    "/home",
    "/mnt/data",
    "/mnt/storage",
    "/mnt/backup",
    "/vm",
    "/vms",
    "/var/lib/libvirt",
];

/// One entry of a layout: what was said of the partition, else of the whole layout
/// (filesystem, encryption); swap is always `swap`, encrypted only when that was said of
/// it ("encrypted swap", "everything encrypted except the EFI"): "encrypted" alone leaves
/// it plain, as a second passphrase at every boot is not what it asked for (the planner
/// warns).
fn entry(b: &DiskBits, mount: &str, p: &PartSaid) -> PartitionEntry {
    let swap = mount == "swap";
    PartitionEntry {
        mount: mount.to_owned(),
        size: p.size.clone(),
        fs: if swap {
            Some("swap".into())
        } else {
            p.fs.clone().or_else(|| b.fs_all.clone())
        },
        encrypt: if swap {
            p.encrypt.unwrap_or(b.encrypt_swap)
        } else {
            p.encrypt.or(b.encrypt_all).unwrap_or(false)
        },
    }
}

/// What keeps a disk from being laid out: the running system or swap on it.
fn busy(d: &Disk) -> Option<String> {
    if !d.in_use.is_empty() {
        return Some(d.in_use.clone());
    }
    let mounted: Vec<String> = d
        .partitions
        .iter()
        .filter(|p| !p.mountpoint.is_empty())
        .map(|p| format!("{} is mounted at {}", p.path, p.mountpoint))
        .collect();
    (!mounted.is_empty()).then(|| mounted.join("; "))
}

/// A disk in use (the running system's, or one swapping) is never laid out, nor a mounted
/// partition formatted or mounted: the question asked instead, with the disks that are free.
pub(super) fn in_use_question(a: &Action, m: &Machine) -> Option<Action> {
    match a {
        Action::Partition { disk, .. } => {
            let why = busy(m.disks.iter().find(|d| d.path == *disk)?)?;
            let free: Vec<&Disk> = m.disks.iter().filter(|d| busy(d).is_none()).collect();
            Some(if free.is_empty() {
                clarify(format!(
                    "{disk} is in use ({why}), so I can't install on it, and no other disk is free."
                ))
            } else {
                choose(
                    format!(
                        "{disk} is in use ({why}), so I can't install on it. Which disk should I use: {}?",
                        disk_list(&free)
                    ),
                    paths(&free),
                )
            })
        }
        Action::Format { partition, .. } | Action::Mount { partition, .. } => {
            let (_, p) = m.partition(partition)?;
            (!p.mountpoint.is_empty()).then(|| {
                clarify(format!(
                    "{partition} is in use (mounted at {}), so I can't change it. Which partition did you mean?",
                    p.mountpoint
                ))
            })
        }
        _ => None,
    }
}

/// "everything encrypted except /boot", "encrypt all but swap": said of all the parts.
fn no_encrypt_all(lc: &str) -> bool {
    ENCRYPT_EXCEPT.is_match(lc)
}
