//! The deterministic interpreter: a person's request in, typed actions out.
//!
//! It handles the common phrasings instantly and without a model, resolves disk references
//! against the machine ("the ssd", "the 500gb drive", "the samsung"), normalises values
//! (time zones, languages, keyboard layouts), validates names, splits multi-part requests,
//! and answers `clarify` instead of guessing. Its output is only ever typed actions; the
//! planner re-validates everything before anything is shown as a plan.
//!
//! `classify` reads one clause (its `patterns` matched on `text`-folded words); `disks`
//! turns disk clauses into one `partition`; `values`, `zones` and `tables` normalise what
//! was named; `accept` decides which of a model's choices are taken.

mod accept;
mod classify;
mod conditions;
mod disks;
mod parts;
mod patterns;
mod people;
mod prepare;
mod tables;
mod text;
mod values;
mod words;
mod zones;

#[cfg(test)]
mod sets;
#[cfg(test)]
mod tests;

use levitate_dbus::Action;

pub use accept::accept_model_calls;
use classify::{classify, Clause};
use disks::{partition_action, DiskBits};
use patterns::{captured, MORE_GROUP, MOUNT_IT, NAME_CONTINUES, SPLIT};
use text::fold_text;
pub use text::{edit_distance, fold};
pub use zones::ZoneIndex;

use crate::machine::Machine;
use std::cell::OnceCell;

/// Unsupported topics that are about disks.
const STORAGE_TOPICS: &[&str] = &[
    "raid",
    "lvm",
    "zfs",
    "filesystem",
    "caching",
    "encryption",
    "resize",
    // ("copy my old home over from sdb, then wipe sdb": what the copy was to save.)
    "migration",
];

/// "put linux on the ssd and then set up a raid 1 mirror with the WD drive", "I'd like LVM;
/// if you can't, plain LUKS is fine. Wipe the SK hynix": every storage setup refused names
/// its disks and the disk asked for is none of them, or it names none in a sentence that
/// asks for no disk, so the disk request stands beside the refusal.
fn another_disk_than_refused(
    refused: &[(Vec<String>, Option<usize>)],
    disk_sentences: &[usize],
    disk: Option<&(usize, DiskBits)>,
    machine: &Machine,
) -> bool {
    let Some((_, bits)) = disk else {
        return false;
    };
    let Action::Partition { disk: chosen, .. } = partition_action(bits, machine) else {
        return false;
    };
    !refused.is_empty()
        && refused.iter().all(|(named, apart)| {
            !named.is_empty() && !named.contains(&chosen)
                || apart.is_some_and(|s| !disk_sentences.contains(&s))
        })
}

/// A setting someone else may recommend and the person adopt ("my sysadmin said servers
/// should use UTC, so go with that"): never anything that erases.
fn recommendable(a: &Action) -> bool {
    matches!(
        a,
        Action::SetTimezone { .. }
            | Action::SetLocale { .. }
            | Action::SetKeyboard { .. }
            | Action::SetHostname { .. }
    )
}

/// Longest request interpreted.
pub const MAX_TEXT: usize = 4096;

/// What the interpreter knows besides the text.
pub struct Context<'a> {
    pub machine: &'a Machine,
    /// Users that exist or are planned, most recent last ("set password" means the last).
    pub users: Vec<String>,
    pub zones: &'a ZoneIndex,
}

fn clarify(question: impl Into<String>) -> Action {
    Action::Clarify {
        question: question.into(),
        choices: Vec::new(),
    }
}

/// A question answered by picking one of `choices` (a GUI shows them as buttons).
fn choose(question: impl Into<String>, choices: Vec<String>) -> Action {
    Action::Clarify {
        question: question.into(),
        choices,
    }
}

/// Whether a question asks for a login instead of the one said ("\"Jürgen\" is not a valid
/// user name", "... has a space. What should the login be?").
fn asks_for_login(question: &str) -> bool {
    question.contains("is not a valid user name") || question.contains("What should the login be?")
}

/// "wipe the Samsung, but keep the WD untouched": keeping one of this machine's disks is a
/// clause of its own, as "but leave" is. (Only here is the machine known; "but keep the
/// default layout" keeps no disk and stays one clause.)
fn but_keep_a_disk(text: &str, disks: &[levitate_dbus::Disk]) -> String {
    patterns::BUT_KEEP_THE
        .replace_all(text, |c: &regex::Captures<'_>| {
            let object = fold_text(&c["o"]);
            let head: Vec<&str> = object.split_whitespace().take(3).collect();
            // (A partition kept is too: "but keep the Time Machine partition untouched".)
            let part = object
                .split_whitespace()
                .take(5)
                .any(|w| matches!(w, "partition" | "partitions" | "volume"))
                || patterns::DEVICE.is_match(&object);
            if disks::names_a_disk(&head.join(" "), disks) || part {
                format!(", {}", &c["k"])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// A finish whose rebooting is not said, or said not to: a later "reboot" decides it.
fn reboot_open(a: &Action) -> bool {
    matches!(
        a,
        Action::Finish {
            reboot: None | Some(false)
        }
    )
}

/// The single-valued settings, each by the keyword that sets it: said twice in one
/// request, the last one counts, and a correction ("no wait, make it falcon") is read
/// after that keyword.
fn setting_key(a: &Action) -> Option<&'static str> {
    match a {
        Action::SetHostname { .. } => Some("hostname"),
        Action::SetTimezone { .. } => Some("timezone"),
        Action::SetLocale { .. } => Some("language"),
        Action::SetKeyboard { .. } => Some("keyboard"),
        _ => None,
    }
}

/// "swap as big as my RAM", "twice the RAM": the size, from the memory the machine has.
/// (Only said beside a size's words: "8G of RAM" tells, it asks nothing.)
fn ram_sizes(text: &str, memory: u64) -> String {
    const GIB: u64 = 1 << 30;
    if memory == 0 {
        return text.to_owned();
    }
    patterns::RAM_SIZE
        .replace_all(text, |c: &regex::Captures<'_>| {
            let whole = c.get(0).map_or("", |m| m.as_str());
            // A bare "ram" or "memory" is only the word.
            if whole.split_whitespace().count() == 1 && !whole.contains(['-', '=']) {
                return whole.to_owned();
            }
            let bytes = if c.name("twice").is_some() {
                memory * 2
            } else if c.name("half").is_some() {
                memory / 2
            } else {
                memory
            };
            if bytes % GIB == 0 {
                format!("{}G", bytes / GIB)
            } else {
                format!("{}M", bytes >> 20)
            }
        })
        .into_owned()
}

/// The setting a question about an unreadable value is about.
fn asked_setting(question: &str) -> Option<&'static str> {
    [
        ("I don't know the time zone", "timezone"),
        ("I don't know the keyboard layout", "keyboard"),
        ("I don't know the language", "language"),
        ("A host name is one word", "hostname"),
        ("There is no time zone", "timezone"),
    ]
    .iter()
    .find(|(start, _)| question.starts_with(start))
    .map(|(_, key)| *key)
    .or_else(|| {
        question
            .contains("is not a valid host name")
            .then_some("hostname")
    })
}

/// What a question asks about: a setting, storage, or anything else (accounts, a word not
/// understood).
fn question_subject(question: &str, choices: &[String]) -> &'static str {
    if let Some(setting) = asked_setting(question) {
        return setting;
    }
    // ("... has a space. What should the login be?", "the root password": no storage.)
    let question = question.to_lowercase().replace("root password", "");
    let storage = choices.iter().any(|c| c.starts_with("/dev/"))
        || [
            "/dev/",
            "disk",
            "drive",
            "partition",
            "erase",
            "wipe",
            "free space",
            "unallocated",
            "install",
            "layout",
            "encrypt",
            "swap",
            "mount",
            "format",
            "filesystem",
        ]
        .iter()
        .any(|w| question.contains(w));
    if storage {
        "storage"
    } else {
        "other"
    }
}

/// An action at `gone` was removed: what was to be inserted after it moves up by one.
fn moved_up(
    disk: &mut Option<(usize, DiskBits)>,
    unnamed: &mut Option<(usize, bool)>,
    gone: usize,
) {
    for at in [
        disk.as_mut().map(|(d, _)| d),
        unnamed.as_mut().map(|(u, _)| u),
    ]
    .into_iter()
    .flatten()
    {
        if *at > gone {
            *at -= 1;
        }
    }
}

/// Merges one more disk clause into the request's; the first one marks where the
/// `partition` goes among the other actions.
fn add_disk_clause(disk: &mut Option<(usize, DiskBits)>, at: usize, b: DiskBits) {
    match disk {
        // ("The 3T volume is stale, so reformat vdc1 ... The system goes on vdb": the
        // request goes where it is asked for, not where a disk was first spoken of.)
        Some((pos, acc)) => {
            if !acc.asks() && b.asks() {
                *pos = at;
            }
            acc.merge(b);
        }
        None => *disk = Some((at, b)),
    }
}

/// The person a request names, as (login, whether they say they look after the machine):
/// the one asking ("I'm Tomasz", "me, Jonas", "I (Luis)") when the account is theirs, else
/// someone named after a relation ("my mum, Rosa", "my 9-year-old, Mia"). Words that name
/// a language or a nationality are no person.
fn person_named(text: &str, for_self: bool) -> Option<(String, bool)> {
    let found = |re: &regex::Regex| {
        re.captures_iter(text)
            .filter_map(|c| {
                c.name("n")
                    .or_else(|| c.name("p"))
                    .or_else(|| c.name("m"))
                    .or_else(|| c.name("q"))
            })
            .map(|n| n.as_str())
            .find(|n| {
                let w = n.to_lowercase();
                values::locale_for(&w).is_none() && !classify::is_not_a_name(&w)
            })
            .map(str::to_lowercase)
    };
    if for_self {
        let name = found(&patterns::SELF_NAMED)?;
        return Some((name, patterns::LOOKS_AFTER.is_match(&fold_text(text))));
    }
    found(&patterns::OTHER_NAMED).map(|n| (n, false))
}

/// Words that start a clause but are no value said before its setting ("set timezone",
/// "what locale").
const NOT_A_VALUE_FIRST: &[&str] = &[
    "my",
    "the",
    "a",
    "your",
    "our",
    "this",
    "that",
    "new",
    "same",
    "which",
    "what",
    "change",
    "pick",
    "choose",
    "show",
    "set",
    "no",
    "any",
    "default",
    "system",
    "correct",
    "right",
    "local",
    "current",
    "different",
    "other",
    "her",
    "his",
    "their",
    "its",
    "them",
    "him",
    "it",
    "tell",
    "give",
    "print",
    "display",
    "check",
    "see",
    "know",
    "is",
    "whats",
    "what's",
    "me",
];

/// "falcon as the computer name" -> "computer name falcon": the value said before its
/// setting, turned around so that the setting's own reading sees it.
fn value_first(clause: &str) -> Option<String> {
    let c = patterns::VALUE_FIRST.captures(clause)?;
    let v = c.name("v")?.as_str();
    let first = v.split_whitespace().next()?.to_lowercase();
    if NOT_A_VALUE_FIRST.contains(&first.as_str()) {
        return None;
    }
    // ("I set a hostname", "we changed the timezone": a sentence about the setting, its
    // words no value.)
    let last = v.split_whitespace().last()?.to_lowercase();
    if NOT_A_VALUE_FIRST.contains(&last.as_str())
        || matches!(
            first.as_str(),
            "i" | "we" | "you" | "he" | "she" | "they" | "it"
        )
    {
        return None;
    }
    Some(format!("{} {v}", &c["k"]))
}

/// The time zone of the first place a request names: a word or two after "in", "to",
/// "from" or "near", or capitalised, that names a zone exactly.
fn place_zone(text: &str, ctx: &Context<'_>) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | '!' | '?' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    (0..words.len()).find_map(|i| {
        let after_place_word = i > 0
            && ["in", "to", "from", "near", "around", "at"]
                .contains(&words[i - 1].to_lowercase().as_str());
        let capitalised =
            words[i].chars().next().is_some_and(char::is_uppercase) && words[i] != "I";
        if !after_place_word && !capitalised {
            return None;
        }
        (1..=3.min(words.len() - i))
            .rev()
            .find_map(|n| ctx.zones.resolve_exact(&words[i..i + n].join(" ")))
    })
}

/// What the clauses read so far have said: the actions, and what a later clause may refer
/// back to or correct. One clause at a time goes through [`Reading::clause`]; then
/// [`Reading::finish`] merges the disk clauses into one action and applies the rules that
/// look at the whole request.
// Each flag is one fact about the clauses before, read by a later one.
#[allow(clippy::struct_excessive_bools)]
struct Reading<'a> {
    ctx: &'a Context<'a>,
    /// The request as prepared for the clause reader.
    text: &'a str,
    /// The people read together before the clauses (they stand at [`people::MARKER`]).
    household: Option<people::Household>,
    /// "if I install beside windows, will I lose my files?": a conditional that ends in a
    /// question asks; it plans nothing.
    hypothetical: bool,
    users: Vec<String>,
    out: Vec<Action>,
    /// The disk clauses merged so far, and where their action goes.
    disk: Option<(usize, DiskBits)>,
    /// Each disk clause as said, for a layout across two disks.
    disk_clauses: Vec<DiskBits>,
    /// A new user asked for without a name: where it goes, and with what rights.
    unnamed: Option<(usize, bool)>,
    /// The clause before this one, folded.
    previous: String,
    /// The existing partition the previous clause named ("keep the ubuntu partition, mount
    /// it as /home").
    named_part: Option<String>,
    /// A partition kept or described, named by itself or its disk ("leave the backup
    /// volume as it is"): what a "mount it" after it mounts.
    kept_part: Option<String>,
    /// "don't reboot yet": a finish in this request does not reboot.
    not_yet: bool,
    /// A lone "no" was said: the next clause corrects the last one.
    correcting: bool,
    /// The setting of a question taken back by a correction, for the value said next.
    retracted_key: Option<&'static str>,
    /// The account "forget that" took back, unless the clause after it renames it.
    user_taken_back: Option<String>,
    /// The last clause told how things are ("the Seagate is empty").
    stating: bool,
    /// The clause reports what someone told the speaker to do ("a coworker told me to keep
    /// Windows"), or goes on with it ("and install next to it").
    told: bool,
    /// A step was said not to be wanted ("don't install a bootloader yet").
    negated_step: bool,
    /// Something was taken back.
    retracted: bool,
    /// The language of a nationality said, and where it stands: the request or its reason.
    nationality: Option<(usize, String)>,
    /// The nationality was only the reason ("I'm swiss, so swiss german keyboard").
    as_reason: bool,
    /// The last clause said why ("so I get a menu to choose").
    in_purpose: bool,
    /// The disk a statement named ("the 2TB Seagate is empty"), for "use that one" after it.
    stated_disk: Option<String>,
    /// Whether a clause has asked for a disk (then "it" is that one).
    disk_asked: bool,
    /// A plan for another day was told ("I'll probably wipe it later").
    for_later: bool,
    /// "create users alice and bob": more than one account is being named.
    plural_users: bool,
    /// The clause before asked for a disk (or the copy that follows it).
    prev_disk: bool,
    /// The word the clause being read follows ("and", "since", ", ").
    sep_before: String,
    /// For each storage setup refused, whether it was asked beside a layout, as an extra
    /// ("..., and zfs if you can", "Also an LVM thin pool"), not as the layout itself.
    storage_extras: Vec<bool>,
    /// For each storage setup refused, the disks it names ("a raid 1 mirror with the WD"),
    /// or, naming none and pointing back at none, the sentence it is in.
    storage_disks: Vec<(Vec<String>, Option<usize>)>,
    /// A setting someone else recommended ("my sysadmin said servers use UTC"), for "so go
    /// with that" next.
    recommended: Option<Action>,
    /// The sentence being read, and those with a clause that asks for a disk.
    sentence: usize,
    disk_sentences: Vec<usize>,
    /// The clause before refused a storage setup, and this one may go on naming its disks
    /// ("RAID0 across sda and sdb").
    storage_open: Option<usize>,
    /// The user whose group was just taken back ("not wheel"), for the group said next.
    regrouped: Option<String>,
    /// Where the last clause that added actions started in `out` ("put kim in audio and
    /// wheel": the next group is for those that clause added, not for everyone before).
    prev_clause_from: usize,
    clause_from: usize,
    /// An account this request says exists already ("I already made the account bob"):
    /// the only one "give him admin rights" may reach without a new account.
    existing: Option<String>,
    /// The time zone of the place the request names, found when a clause refers to it.
    place: OnceCell<Option<String>>,
    /// Storage described as it is ("the HGST is a ZFS pool"), refused if the request
    /// then asks to install into it.
    storage_there: Vec<Action>,
}

/// Mount points in the person's own letters: the readers fold case, a path does not
/// ("/srv/Media" is not "/srv/media").
fn paths_as_said(out: &mut [Action], text: &str) {
    let said: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '\''))
        .map(|w| w.trim_end_matches(['.', ':', '!', '?']))
        .filter(|w| w.starts_with('/') && crate::validate::mountpoint(w).is_ok())
        .collect();
    // ("/Home": the system's own directories have one spelling.)
    let standard = |p: &str| {
        matches!(
            p,
            "/" | "/home"
                | "/boot"
                | "/boot/efi"
                | "/efi"
                | "/var"
                | "/tmp"
                | "/srv"
                | "/opt"
                | "/usr"
                | "/var/log"
                | "/var/lib"
        )
    };
    let as_said = |path: &mut String| {
        if standard(path) {
            return;
        }
        if let Some(w) = said.iter().find(|w| w.to_lowercase() == *path) {
            (*w).clone_into(path);
        }
    };
    for a in out {
        match a {
            Action::Mount { mountpoint, .. } => as_said(mountpoint),
            Action::Partition {
                scheme: Some(scheme),
                ..
            } => {
                for entry in scheme {
                    as_said(&mut entry.mount);
                }
            }
            _ => {}
        }
    }
}

/// "bootloader on that disk too": on BIOS, the one disk the request lays out.
fn boot_on_the_disk_laid_out(out: &mut [Action], lc: &str, m: &Machine) {
    if m.firmware != crate::machine::Firmware::Bios || !patterns::BOOT_ON_THAT_DISK.is_match(lc) {
        return;
    }
    let laid_out: Vec<String> = out
        .iter()
        .filter_map(|a| match a {
            Action::Partition { disk, .. } => Some(disk.clone()),
            _ => None,
        })
        .collect();
    if let [disk] = laid_out.as_slice() {
        for a in out {
            if let Action::InstallBootloader { target, .. } = a {
                if target.is_none() {
                    *target = Some(disk.clone());
                }
            }
        }
    }
}

/// "that's everything, copy the system over and reboot when it's done": finishing comes
/// after every step it ends, in whatever order it was said.
fn finish_last(out: &mut Vec<Action>) {
    let ends = |a: &Action| matches!(a, Action::Finish { .. } | Action::Reboot);
    let step = |a: &Action| {
        !ends(a)
            && !matches!(
                a,
                Action::ListDisks
                    | Action::Status
                    | Action::Help
                    | Action::Undo
                    | Action::Clarify { .. }
                    | Action::Unsupported { .. }
            )
    };
    let Some(last_step) = out.iter().rposition(step) else {
        return;
    };
    let early: Vec<Action> = out[..last_step]
        .iter()
        .filter(|a| ends(a))
        .cloned()
        .collect();
    if early.is_empty() {
        return;
    }
    let mut kept: Vec<Action> = Vec::with_capacity(out.len());
    for (i, a) in out.drain(..).enumerate() {
        if !(i < last_step && ends(&a)) {
            kept.push(a);
        }
        if i == last_step {
            kept.extend(early.iter().cloned());
        }
    }
    *out = kept;
}

/// Interprets a request. Always returns at least one action.
#[cfg(test)]
pub fn interpret(text: &str, ctx: &Context<'_>) -> Vec<Action> {
    interpret_detailed(text, ctx).0
}

/// The clauses one clause of the request is read as, after "don't touch" spared a list:
/// "don't touch Fedora, the encrypted partition or the media drive" spares each item
/// ("don't touch the encrypted partition", "don't touch the media drive"). `not_to_touch`
/// carries the words that spare from one clause to the next.
fn spared_list(
    clause: &str,
    folded: &str,
    sep: &str,
    not_to_touch: &mut Option<String>,
) -> Vec<String> {
    let continues = sep == ","
        && patterns::SUBJECT_START.is_match(folded)
        && !folded.starts_with('i')
        && !patterns::REQUEST_WORDS.is_match(folded)
        && !folded.split_whitespace().any(|w| {
            matches!(
                w,
                "is" | "are"
                    | "was"
                    | "has"
                    | "have"
                    | "holds"
                    | "goes"
                    | "use"
                    | "put"
                    | "install"
                    | "wipe"
                    | "erase"
                    | "format"
                    | "take"
                    | "keep"
                    | "leave"
                    | "go"
            )
        });
    let clause = match not_to_touch.as_deref() {
        Some(verb) if continues => format!("{verb} {}", clause.trim()),
        _ => {
            *not_to_touch = patterns::DONT_TOUCH
                .find(folded)
                .map(|m| m.as_str().to_owned());
            clause.to_owned()
        }
    };
    // ("don't touch the encrypted partition or the media drive": each one spared.)
    match patterns::DONT_TOUCH.find(clause.trim()).map(|m| m.as_str()) {
        Some(v) if patterns::OR_THE.is_match(&clause) => patterns::OR_THE
            .split(&clause)
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    c.to_owned()
                } else {
                    format!("{v} the {}", c.trim())
                }
            })
            .collect(),
        _ => vec![clause],
    }
}

/// The interpretation and whether the request was understood (false: only the generic
/// "I didn't understand" question came out, and a model may try).
pub fn interpret_detailed(text: &str, ctx: &Context<'_>) -> (Vec<Action>, bool) {
    // A request written over several lines ("hostname: x\ntimezone: UTC", "- ada (admin)")
    // is a list: each line is a clause, without its bullet.
    let text: String = text
        .lines()
        // (Lines of a pasted log, "[    2.114] sd 0:0:0:0: [sda] ...", are only shown.)
        .filter(|l| !patterns::LOG_LINE.is_match(l))
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '*', '\u{2022}', '+'])
                .trim_start()
        })
        // ("[x] backup done", "\u{2611} partitioned": a checklist's ticked line is done
        // already; its open ones, "[ ] swap 4G", are the requests.)
        .filter(|l| !patterns::TICKED.is_match(l))
        .map(|l| patterns::CHECKBOX.replace(l, "").into_owned())
        // ("Ajustes / settings:": a heading's slash joins two names; it is no root.)
        .map(|l| {
            if l.trim_end().ends_with(':') {
                patterns::WORD_SLASH_WORD
                    .replace_all(&l, "$a or $b")
                    .into_owned()
            } else {
                l
            }
        })
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let text: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEXT)
        .collect();
    // Typed with caps lock on ("CREATE USER KIM AND ADD HER TO WHEEL"): read as if not.
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let text = if letters.clone().count() >= 6 && letters.clone().all(char::is_uppercase) {
        text.to_lowercase()
    } else {
        text
    };
    // Commands and JSON typed as a request are never read, in part or whole: what came
    // with them may be the bait ("hostname box; rm -rf /").
    let odd_quotes = text.matches('"').count() % 2 == 1;
    if patterns::INJECTED_JSON.is_match(&text)
        || odd_quotes && patterns::QUOTE_CHAINED.is_match(&text)
    {
        return (
            vec![clarify(
                "That looks like JSON or code, not a request: I only take requests in words. Say what you want, for example \"keyboard us\" or \"timezone Berlin\".",
            )],
            true,
        );
    }
    // "can this thing also set up accounts, or only the disk?": a question about what the
    // installer does, answered with help (read whole: its parts read as requests).
    if patterns::CAN_IT_ALSO.is_match(text.trim()) {
        return (vec![Action::Help], true);
    }
    if patterns::SHELL_COMMAND.is_match(&text) {
        return (
            vec![Action::Unsupported {
                topic: "commands".into(),
                reason: Some("The installer runs no commands it is given; say what you want done in words, for example \"wipe sda\" or \"set the hostname to box\"".into()),
            }],
            true,
        );
    }
    // ("set the hostname to 'vm01 && reboot'": the value is all that is quoted, one word
    // the host name's check refuses, never a host name and a request.)
    let text = patterns::QUOTED_HOST_VALUE
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let value: String = c["v"]
                .chars()
                .map(|ch| {
                    if ch.is_alphanumeric() || matches!(ch, '-' | '.') {
                        ch
                    } else {
                        '_'
                    }
                })
                .collect();
            format!("{} {value}", &c["k"])
        })
        .into_owned();
    // "my friend said to type \"wipe everything\"": quoted words are reported, not asked.
    let text = patterns::QUOTED
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let quoted = &c[0];
            let words = quoted.split_whitespace().count();
            // (Two words are enough after "said", "type": 'told me to type "wipe sda"'.)
            let before = &text[..c.get(0).map_or(0, |m| m.start())];
            let said = patterns::SAYING.is_match(before);
            // ("set the hostname to \"my home box\"": a value, refused by its own check.)
            if patterns::HOST_VALUE_NEXT.is_match(before) {
                quoted.to_owned()
            } else if words >= 3 || words == 2 && said {
                " that ".to_owned()
            } else {
                quoted.to_owned()
            }
        })
        .into_owned();
    let text = patterns::SINGLE_QUOTED_SAID
        .replace_all(&text, "${s} that${e}")
        .into_owned();
    // "(UTC-05:00) Eastern Time (US & Canada)": a zone as Windows lists it.
    let text = windows_zone_names(&text, ctx);
    // ("mount the 'Fotos & Musik' partition": a label's "&" joins no two requests.)
    let text = labels_with_ampersand(&text, ctx.machine);
    // "if there's a second drive put /home on it, otherwise ...": what the machine
    // decides is decided, and only the branch that holds is read.
    let undecided = fold_text(&text);
    let text = conditions::decide(&text, ctx.machine);
    let branches = conditions::branches_left(&text);
    // ("if it has less than 4 GB of RAM skip swap" on a machine with more: nothing.)
    if text.trim().is_empty() && !undecided.trim().is_empty() {
        return (
            vec![clarify(
                "What you asked for depends on something that is not so on this machine, so \
                 nothing changes. Say \"list disks\" or \"status\" to see the machine and \
                 the plan.",
            )],
            true,
        );
    }
    // "swap the size of my RAM": the machine's memory, in numbers.
    let text = ram_sizes(&text, ctx.machine.memory);
    // ("username sam, full name Samuel Okafor, make him an admin": the full name is no
    // account, and no one "him" could be; cut before the people reader.)
    let text = patterns::FULL_NAME_FIELD
        .replace_all(&text, ", ")
        .into_owned();
    let text = patterns::MY_FULL_NAME
        .replace_all(&text, "$v $f$e")
        .into_owned();
    let text = patterns::USE_AS_LOGIN
        .replace_all(&text, "create user $n$m")
        .into_owned();
    // ("user=ana groups=video,input pw=...": pairs apart before the people reader.)
    let text = prepare::glued_pairs_run(&text);
    // ("the intern memory": internal storage, before the people reader takes an intern.)
    let text = patterns::INTERN_STORAGE
        .replace_all(&text, "internal $n")
        .into_owned();
    // "student1 through student4": the names of the run, before anything reads people.
    let text = prepare::name_ranges(&text);
    // "create nadia and omar": two accounts, said without the noun the people reader knows.
    let text = prepare::create_two(&text);
    let text = prepare::group_two(&text);
    let text = prepare::mine_named(&text);
    // ("two admin users, hans and greta": the rights said first are both's.)
    let text = patterns::TWO_ADMINS_NAMED
        .replace_all(&text, "users $a and $b, both admins")
        .into_owned();
    // Several people with their own rights are read together, before the clauses.
    // (A place, a disk, a desktop or a program named is nobody: "KDE Plasma".)
    // ("user anna. We live in Graz": where people live is no one's login.)
    let lived_in = fold_text(&text);
    let household = people::read(&text, &|w| {
        let folded = fold_text(w);
        ctx.zones.resolve_exact(w).is_some()
            || [
                "live in ",
                "living in ",
                "based in ",
                "located in ",
                "moved to ",
                "live near ",
            ]
            .iter()
            .any(|p| lived_in.contains(&format!("{p}{folded}")))
            || disks::names_a_disk(&folded, &ctx.machine.disks)
            || disks::is_model_word(&folded, &ctx.machine.disks)
            || patterns::DESKTOP.is_match(&folded)
            || patterns::OTHER_UNSUPPORTED.is_match(&folded)
    });
    let text = household.as_ref().map_or(text, |h| h.rest.clone());
    let text = prepare::prepare(&text);
    let text = but_keep_a_disk(&text, &ctx.machine.disks);
    let other_disk = patterns::OTHER_DISK.is_match(&fold_text(&text));
    // A request that only asks for advice ("should I encrypt?", "what happens if I use the
    // whole disk?"): what its words would plan is not planned.
    // (The question may come after what it is about: "a guy told me to ... . what would
    // that do?")
    let folded = fold_text(&text);
    let sentences: Vec<&str> = folded
        .split_inclusive(['.', '!', '?'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let asks_advice = |s: &&str| {
        (patterns::ADVICE.is_match(s) || patterns::NOT_ASKING.is_match(s))
            && !patterns::ROOM_ASKED.is_match(s)
    };
    let advice = (folded.contains('?') || patterns::NOT_ASKING.is_match(&folded))
        && sentences.iter().any(asks_advice)
        && !sentences.iter().any(|s| {
            !asks_advice(s)
                && (patterns::THEN_ASKS.is_match(s)
                    || patterns::REQUEST_WORDS.is_match(s)
                    || patterns::REQUEST_QUESTION.is_match(s))
        })
        && !patterns::REQUEST_QUESTION.is_match(&folded);
    let mut reading = Reading {
        ctx,
        text: &text,
        hypothetical: text.trim_end().ends_with('?')
            && patterns::HYPOTHETICAL.is_match(&fold_text(&text)),
        household,
        users: ctx.users.clone(),
        out: Vec::new(),
        disk: None,
        disk_clauses: Vec::new(),
        unnamed: None,
        previous: String::new(),
        named_part: None,
        kept_part: None,
        not_yet: false,
        correcting: false,
        retracted_key: None,
        user_taken_back: None,
        stating: false,
        told: false,
        negated_step: false,
        retracted: false,
        nationality: None,
        as_reason: false,
        in_purpose: false,
        stated_disk: None,
        disk_asked: false,
        for_later: false,
        plural_users: false,
        place: OnceCell::new(),
        storage_there: Vec::new(),
        regrouped: None,
        prev_clause_from: 0,
        clause_from: 0,
        existing: None,
        prev_disk: false,
        sep_before: String::new(),
        storage_extras: Vec::new(),
        storage_disks: Vec::new(),
        recommended: None,
        sentence: 0,
        storage_open: None,
        disk_sentences: Vec::new(),
    };
    let text = text.trim();
    let clauses: Vec<&str> = SPLIT.split(text).collect();
    // The word each clause follows; after "because" or "since", a reason, not a request.
    let mut seps = vec![String::new()];
    seps.extend(
        SPLIT
            .find_iter(text)
            .map(|m| m.as_str().trim().to_lowercase()),
    );
    let (clauses, seps) = subjects_joined(&clauses, &seps);
    let mut not_to_touch: Option<String> = None;
    // The disks each doubt is about ("I haven't decided whether it becomes a backup disk":
    // the WD of the clause before); empty where a doubt names none.
    let mut doubts: Vec<Vec<&str>> = Vec::new();
    for (ci, clause) in clauses.iter().enumerate() {
        let last_clause = clauses[ci + 1..].iter().all(|c| c.trim().is_empty());
        reading.sep_before.clone_from(&seps[ci]);
        if matches!(seps[ci].as_str(), "." | "!" | "?" | ";") {
            reading.sentence += 1;
        }
        let folded = fold_text(clause.trim());
        if patterns::UNSURE.is_match(&folded) {
            let mut about = disks::disks_described(&folded, &ctx.machine.disks);
            if about.is_empty() && ci > 0 && folded.split_whitespace().any(|w| w == "it") {
                about =
                    disks::disks_described(&fold_text(clauses[ci - 1].trim()), &ctx.machine.disks);
            }
            doubts.push(about.iter().map(|d| d.path.as_str()).collect());
        }
        let each = spared_list(clause, &folded, &seps[ci], &mut not_to_touch);
        let asks = patterns::REQUEST_WORDS.is_match(&folded);
        let goes_on = reading.told
            && matches!(seps[ci].as_str(), "and" | ", and" | ",and")
            && !patterns::SUBJECT_START.is_match(&folded);
        reading.told = !asks
            && (patterns::TOLD_ME_TO.is_match(&folded)
                || patterns::DONE_EARLIER.is_match(&folded)
                || patterns::IDEA_HAD.is_match(&folded)
                || patterns::REPORTED.is_match(&folded)
                    && (folded.contains(" to ")
                        // ("my sister thinks I should keep Windows": what she would have.)
                        || folded.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
                            matches!(w[0], "i" | "we" | "you")
                                && matches!(w[1], "should" | "must" | "could" | "ought" | "need")
                        }))
                || goes_on);
        for (k, c) in each.iter().enumerate() {
            reading.clause(
                c,
                last_clause && k + 1 == each.len(),
                matches!(seps[ci].as_str(), "because" | "since"),
            );
        }
    }
    let (mut out, understood) = reading.finish(other_disk);
    paths_as_said(&mut out, text);
    boot_on_the_disk_laid_out(&mut out, &fold_text(text), ctx.machine);
    finish_last(&mut out);
    // "I think I want to wipe windows, but I'm not sure yet": nothing that erases or installs
    // is planned on a doubt; the rest stands.
    let destructive = |a: &Action| {
        matches!(
            a,
            Action::Partition { .. }
                | Action::Format { .. }
                | Action::InstallBootloader { .. }
                | Action::CopySystem { .. }
                | Action::Reboot
        )
    };
    // ("... the WD; I haven't decided whether it becomes a backup disk. The system goes on
    // the Samsung": a doubt about a disk the plan leaves alone doubts nothing planned.)
    let planned_on = |disk: &str| {
        out.iter().any(|a| match a {
            Action::Partition { disk: d, .. } => d == disk,
            Action::Format { partition, .. } => partition.starts_with(disk),
            _ => false,
        })
    };
    let doubt_elsewhere = !doubts.is_empty()
        && doubts
            .iter()
            .all(|about| !about.is_empty() && !about.iter().any(|d| planned_on(d)))
        && out
            .iter()
            .any(|a| matches!(a, Action::Partition { .. } | Action::Format { .. }));
    if let Some(at) = out
        .iter()
        .position(destructive)
        .filter(|_| patterns::UNSURE.is_match(&folded) && !doubt_elsewhere)
    {
        out.retain(|a| !destructive(a));
        // (Asked where the first of it was: "Put Linux on here. Not sure whether ...
        // Either way: hostname casa".)
        out.insert(at.min(out.len()), clarify(
            "You don't sound sure yet, so I planned nothing that erases or installs. Say it again when you are (for example \"wipe the ssd\"); the plan is always shown before anything runs.",
        ));
    }
    // "btw the disk encryption passphrase will be ...": a secret of the encryption spoken of
    // (it is asked for separately), in a request that asks for no disk: nothing to lay out.
    let without_secret = patterns::ENCRYPTION_SECRET.replace_all(&folded, " ");
    if without_secret != folded
        && !patterns::DISK_WORDS.is_match(&without_secret)
        && !patterns::ENCRYPT.is_match(&without_secret)
    {
        out.retain(|a| !matches!(a, Action::Partition { .. }));
    }
    // "dual boot with macOS on the 250GB ssd" where macOS fills it: there is no room beside
    // what the disk holds (and partitions are never shrunk), so ask instead.
    for a in &mut out {
        let Action::Partition {
            disk,
            wipe: Some(false),
            ..
        } = a
        else {
            continue;
        };
        let Some(d) = ctx.machine.disks.iter().find(|d| &d.path == disk) else {
            continue;
        };
        if !d.partitions.is_empty() && disks::free_bytes(d) < 4 << 30 {
            *a = clarify(format!(
                "{} has no free space beside what it holds, and I don't shrink partitions. Should I erase it, or use another disk?",
                crate::plan::describe_disk(d)
            ));
        }
    }
    // "use the whole nvme unless there's already an OS on it": an erase that depends on
    // what the disk holds is asked about, never planned.
    let erases = |a: &Action| {
        matches!(a, Action::Format { .. })
            || matches!(a, Action::Partition { wipe, .. } if *wipe != Some(false))
    };
    // ("I don't care if it has data", "even if there's windows": no condition.)
    // (Read on the request as said: a condition decided from the machine still asks
    // before anything is erased on it.)
    let conditional = patterns::IF_THE_DISK_HOLDS.find_iter(&undecided).any(|m| {
        let before = undecided[..m.start()].trim_end();
        !["care", "matter", "matters", "even", "mind", "whether"]
            .iter()
            .any(|w| before.ends_with(w))
    });
    // ("if the samsung is bigger than 500 gigs use it, otherwise the WD", not decided
    // from the machine: read as said, both branches' disks would be planned; neither is.)
    let on_disks = |a: &Action| {
        matches!(
            a,
            Action::Partition { .. } | Action::Format { .. } | Action::CopySystem { .. }
        )
    };
    let disks_planned: std::collections::BTreeSet<&str> = out
        .iter()
        .filter_map(|a| match a {
            Action::Partition { disk, .. } => Some(disk.as_str()),
            Action::Format { partition, .. } => Some(partition.as_str()),
            _ => None,
        })
        .collect();
    if branches && disks_planned.len() > 1 {
        out.retain(|a| !on_disks(a));
        out.push(clarify(
            "Which disk to use depends on a condition I can't tell from this machine, so I planned neither choice. \"list disks\" shows the disks; then say which one to use.",
        ));
    }
    if conditional && out.iter().any(erases) {
        out.retain(|a| !erases(a));
        out.push(clarify(
            "Whether to erase depends on what the disk holds, so I planned no erase. \"list disks\" shows what each disk holds; then say which disk to use and whether to keep what is on it.",
        ));
    }
    if advice {
        // ("will the new linux be able to use my zfs pool?": that the storage asked about is
        // not supported is the answer; "I have lots of games" beside a question is none.)
        out.retain(|a| {
            matches!(a, Action::Help | Action::Status | Action::Clarify { .. })
                || matches!(a, Action::Unsupported { topic, .. } if STORAGE_TOPICS.contains(&topic.as_str()))
        });
        out.retain(|a| !matches!(a, Action::Clarify { question, .. } if question.starts_with("I didn't understand")));
        if out.is_empty() {
            out.push(clarify(
                "That is your choice to make, and nothing changes until you ask for it. Ask for a plan (\"use the whole ssd, encrypted\") and I show it before anything is done; \"list disks\" shows the disks and \"help\" what I can do.",
            ));
        }
        // ("Should I use the 500 gig disk or the terabyte one? ... My name's Ana, username
        // ana": the other sentences' settings stand; nothing on the disks is planned.)
        let said: Vec<&str> = undecided
            .split_inclusive(['.', '!', '?'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let rest: Vec<&str> = said.iter().filter(|s| !asks_advice(s)).copied().collect();
        if !rest.is_empty() && rest.len() < said.len() {
            let (more, _) = interpret_detailed(&rest.join(" "), ctx);
            for a in more {
                let unread = matches!(&a, Action::Clarify { question, .. } if question.starts_with("I didn't understand"));
                // ("is 30 gigs too small? I have lots of games": games had, not asked for.)
                let asked = !matches!(a, Action::Unsupported { .. })
                    || rest.iter().any(|s| {
                        s.split(|c: char| !c.is_alphanumeric()).any(|w| {
                            matches!(
                                w,
                                "want" | "need" | "install" | "add" | "setup" | "like" | "get"
                            )
                        }) || s.contains("set up")
                    });
                if !asked {
                    continue;
                }
                if !destructive(&a)
                    && !matches!(a, Action::Finish { .. })
                    && !unread
                    && !out.contains(&a)
                {
                    out.push(a);
                }
            }
        }
    }
    (out, understood)
}

impl Reading<'_> {
    /// Reads one clause; `last_clause` when nothing but blanks follows it, `because` when
    /// it gives a reason.
    fn clause(&mut self, clause: &str, last_clause: bool, because: bool) {
        // (Clauses that added nothing, empty ones between commas, leave it where it was.)
        if self.out.len() > self.clause_from {
            self.prev_clause_from = self.clause_from;
        }
        self.clause_from = self.out.len();
        let clause = &clause.replace('\u{1}', ",");
        // ("The 4 TB disk holds our movies ... mount the partition on that disk": the disk
        // the statement before named, by its name.)
        // (Resolved only where the clause says "that disk".)
        let that_disk = || {
            let stated = self.stated_disk.as_deref()?;
            match disks::disks_described(stated, &self.ctx.machine.disks).as_slice() {
                [one] => Some(one.path.trim_start_matches("/dev/").to_owned()),
                _ => None,
            }
        };
        // ("wipe the one that has the small ext2 boot partition on it": the disk that
        // partition is on.)
        let by_its_part;
        let clause = match patterns::DISK_WITH_PART.captures(clause).and_then(|c| {
            let p = c.name("p")?;
            let (disk, _) = match parts::partition_ref(&fold_text(p.as_str()), self.ctx.machine) {
                Some(Ok(path)) => self.ctx.machine.partition(&path)?,
                _ => return None,
            };
            let m = c.get(0)?;
            Some(format!(
                "{}{}{}",
                &clause[..m.start()],
                disk.path.trim_start_matches("/dev/"),
                &clause[m.end()..]
            ))
        }) {
            Some(s) => {
                by_its_part = s;
                &by_its_part
            }
            None => clause,
        };
        let named_back;
        let clause = match patterns::ON_THAT_DISK
            .is_match(clause)
            .then(that_disk)
            .flatten()
        {
            Some(path) => {
                named_back = patterns::ON_THAT_DISK
                    .replace_all(clause, format!("$p {path}").as_str())
                    .into_owned();
                &named_back
            }
            None => clause,
        };
        if clause.contains(people::MARKER) {
            for a in self.household.iter().flat_map(|h| h.actions.iter()) {
                if let Action::CreateUser { name, .. } = a {
                    self.users.push(name.clone());
                }
                self.out.push(a.clone());
            }
            return;
        }
        // ("can linux go on the other ssd, the crucial 500?": the disk said again after a
        // disk clause is that clause's, not a question of its own.)
        let bare_disk = || {
            let f = fold_text(clause.trim().trim_end_matches(['.', '?', '!']));
            self.prev_disk
                && self.sep_before.trim() == ","
                && f.split_whitespace().count() <= 4
                && !patterns::INTENT.is_match(&f)
                && disks::names_a_disk(&f, &self.ctx.machine.disks)
        };
        let asked = clause.trim().ends_with('?') && !bare_disk();
        let oc = words::plain(clause.trim().trim_end_matches(['.', '?', '!']).trim());
        let oc = oc.trim_end_matches(['.', '?', '!']).trim();
        // ("scratch the timezone" takes one back: no value comes first.)
        let retracting = patterns::RETRACT_KIND.is_match(&fold_text(oc));
        let turned = value_first(oc).filter(|_| !retracting);
        let oc = turned.as_deref().unwrap_or(oc);
        let lc = fold_text(oc);
        if patterns::DONT_CARE.is_match(&lc)
            || patterns::ONLY_MOUNT.is_match(&lc)
                && self.out.iter().any(|a| matches!(a, Action::Mount { .. }))
            // ("put the grub on sda, in the MBR": where on the disk it goes, said again.)
            || patterns::IN_THE_MBR.is_match(&lc)
                && self
                    .out
                    .iter()
                    .any(|a| matches!(a, Action::InstallBootloader { .. }))
        {
            return;
        }
        let said_before = std::mem::replace(&mut self.previous, lc.clone());
        if let Some(name) = self.user_taken_back.take() {
            if !patterns::RENAME_USER.is_match(&lc) && !patterns::CORRECTION.is_match(&lc) {
                self.forget_user(&name);
                self.retracted = true;
            }
        }
        // ("Jürgen needs a login too, make it juergen": the login for a name that is none.)
        if let Some(Action::Clarify { question, .. }) = self.out.last() {
            if asks_for_login(question) {
                // ("user 'Sam Smith'... spaces won't work. ssmith": a login alone too, if it
                // is no word of a request.)
                let found = patterns::LOGIN_INSTEAD.captures(&lc).filter(|c| {
                    let n = &c["n"];
                    c.name("verb").is_some()
                        || self.correcting
                            && !classify::is_not_a_name(n)
                            && matches!(classify(n, n, self.ctx, &mut Vec::new()), Clause::Unknown)
                });
                if let Some(c) = found {
                    let name = c["n"].to_owned();
                    self.out.pop();
                    let sudo = match c.name("r").map(|r| r.as_str()) {
                        Some("with") => true,
                        Some(_) => false,
                        None => patterns::asks_for_rights(&fold_text(self.text)),
                    };
                    let made = classify::new_user(&name, sudo, &mut self.users);
                    self.out.push(made);
                    return;
                }
            }
        }
        if let Some((at, sudo)) = self.unnamed {
            // ("set up an admin account, name it 'Sysadmin Bob'": the account's name, not
            // the machine's; not one login, so the account's name is asked.)
            if [
                "name it ",
                "call it ",
                "name him ",
                "name her ",
                "call him ",
                "call her ",
            ]
            .iter()
            .any(|p| lc.starts_with(p))
                && !NAME_CONTINUES.is_match(&lc)
            {
                return;
            }
            if let Some(c) = NAME_CONTINUES.captures(&lc) {
                let name = captured(&c, &["v", "w", "x"], oc, &lc).unwrap_or_default();
                self.out.insert(
                    at.min(self.out.len()),
                    classify::new_login(&name, sudo, &mut self.users),
                );
                self.unnamed = None;
                return;
            }
        }
        if let Some(c) = patterns::RETRACT_KIND.captures(&lc) {
            if self.retract(&c["verb"], c["k"].trim()) {
                return;
            }
        }
        // ("install vlc - no, vlc can wait": taken back like "skip vlc".)
        if let Some(c) = patterns::PUT_OFF.captures(&lc) {
            if self.retract("no", c["k"].trim()) {
                return;
            }
        }
        // ("my flatmate Jonas ... don't create one for him": the account made for him
        // taken back.)
        if let Some(c) = people::NO_ACCOUNT_FOR.captures(&lc) {
            // (Him: the one named last before this clause, not one named after it.)
            let text = self.text.to_lowercase();
            let here = text.find(&lc).unwrap_or(text.len());
            let made = |n: &str| {
                self.out
                    .iter()
                    .filter_map(|a| match a {
                        Action::CreateUser { name, .. }
                            if n.is_empty() || name.eq_ignore_ascii_case(n) =>
                        {
                            text[..here]
                                .rfind(&name.to_lowercase())
                                .map(|at| (at, name.clone()))
                        }
                        _ => None,
                    })
                    .max_by_key(|(at, _)| *at)
                    .map(|(_, name)| name)
            };
            let who = match c.name("who").map(|w| w.as_str()) {
                Some("him" | "her" | "them") | None => made(""),
                Some(n) => made(n),
            };
            if let Some(name) = who {
                self.forget_user(&name);
                return;
            }
        }
        if patterns::NO_UNDO.is_match(&lc) && self.out.contains(&Action::Undo) {
            self.drop_where(|a| matches!(a, Action::Undo));
            return;
        }
        if patterns::NO_RIGHTS_AFTER_ALL.is_match(&lc) && self.no_rights_for_last_user() {
            return;
        }
        // "format sda2 as ext4 and mount it at /home": "it" is the partition just named.
        let just_named = match self.out.last() {
            Some(Action::Format { partition, .. } | Action::Mount { partition, .. }) => {
                Some(partition.clone())
            }
            _ => self.named_part.clone().or_else(|| {
                patterns::MOUNT_IT
                    .is_match(&lc)
                    .then(|| self.kept_part.clone())
                    .flatten()
            }),
        };
        // The partition named last stays "it" until another is named.
        // ("format sdc2 ..., and the efi partition next to it goes at /boot/efi": on the
        // disk of the partition named before.)
        let lc = match self
            .named_part
            .as_deref()
            .and_then(|p| self.ctx.machine.partition(p).map(|(d, _)| d.path.clone()))
        {
            Some(disk) if patterns::SAME_DISK.is_match(&lc) => patterns::SAME_DISK
                .replace_all(
                    &lc,
                    format!(" on {} ", disk.trim_start_matches("/dev/")).as_str(),
                )
                .into_owned(),
            _ => lc,
        };
        // (Asked about or named, the partition the clause itself speaks of.)
        let part_ref = parts::partition_ref(&lc, self.ctx.machine);
        let part_said = part_ref.is_some();
        let part_here = part_ref
            .and_then(Result::ok)
            .or_else(|| {
                patterns::FILES_ON
                    .captures(&lc)
                    .and_then(|c| parts::partition_ref(&c["where"], self.ctx.machine))
                    .and_then(Result::ok)
            })
            // ("the 4tb seagate holds my media library": its one filesystem, if it has one.)
            .or_else(|| {
                patterns::HOLDS_FILES
                    .captures(&lc)
                    .and_then(|c| {
                        parts::partition_ref(&format!("mount {}", &c["where"]), self.ctx.machine)
                    })
                    .and_then(Result::ok)
            });
        let this_names_part = part_here.is_some();
        let part_said = part_said || this_names_part;
        // ("the xfs volume labelled backup": the filesystem said is the one it has.)
        let fs_of_named_part = part_here
            .as_deref()
            .and_then(|p| self.ctx.machine.partition(p))
            .is_some_and(|(_, p)| {
                !p.fs.is_empty()
                    && p.fs != "swap"
                    && lc.split_whitespace().any(|w| w.eq_ignore_ascii_case(&p.fs))
            });
        // ("leave the 3T backup volume as it is, but mount it at /backup", "the 3 TB disk
        // holds our dumps. mount it at /backup": what is kept or described is what "mount
        // it" mounts next, and nothing else.)
        if part_here.is_none() {
            let kept = patterns::KEEP.is_match(&lc);
            if kept || patterns::DESCRIBES.is_match(&lc) {
                self.kept_part = kept
                    .then(|| parts::partition_ref(&format!("mount {lc}"), self.ctx.machine))
                    .flatten()
                    .and_then(Result::ok)
                    // (A disk named that has one partition: that one.)
                    .or_else(|| {
                        parts::only_partition(&disks::disks_described(&lc, &self.ctx.machine.disks))
                            .map(|p| p.path.clone())
                    })
                    .or(self.kept_part.take());
            }
        }
        if part_here.is_some() {
            self.named_part = part_here;
        }
        // "use sda2 as ext4 without formatting": the filesystem it has is kept; where it
        // is mounted comes in its own words ("mounted at /").
        if this_names_part
            && patterns::NO_FORMAT.is_match(&lc)
            && patterns::FS_AFTER_AS.is_match(&lc)
            && !patterns::MOUNT_TARGET.is_match(&lc)
        {
            if last_clause {
                if let Some(p) = &self.named_part {
                    self.out.push(clarify(format!(
                        "Where should I mount {p}? Say, for example, \"mount {p} at /home\"."
                    )));
                }
            }
            return;
        }
        // "format sdc6 as ext4. no, leave it": the format taken back; sdc6 is still "it".
        if patterns::LEAVE_IT.is_match(&lc) {
            if let Some(Action::Format { partition, .. }) = self.out.last().cloned() {
                self.out.pop();
                self.named_part = Some(partition);
                return;
            }
        }
        // "use sda2 as ext4, don't format": the format just read is taken back; so is one
        // read before a mount of the same partition ("format it and mount it at /. hmm,
        // actually don't format it").
        if patterns::NO_FORMAT.is_match(&lc) {
            let last = self.out.len().checked_sub(1);
            let at = self.out.iter().rposition(|a| {
                matches!(a, Action::Format { partition, .. }
                    if self.named_part.as_ref() == Some(partition))
            });
            // (The format read last needs no name: "use sda2 as ext4, don't format".)
            let at = match last {
                Some(i)
                    if matches!(&self.out[i], Action::Format { partition, .. }
                    if !this_names_part || self.named_part.as_ref() == Some(partition)) =>
                {
                    Some(i)
                }
                _ => at,
            };
            let only_mounted_since = at.is_some_and(|i| {
                self.out[i + 1..].iter().all(|a| {
                    matches!((a, &self.out[i]), (Action::Mount { partition: m, .. }, Action::Format { partition: f, .. }) if m == f)
                })
            });
            if let Some(i) = at.filter(|_| only_mounted_since) {
                self.out.remove(i);
                return;
            }
        }
        if let Some(partition) = &just_named {
            // ("wipe that one partition only": that one, not "partitions only, no format".)
            let one_part = lc.starts_with("wipe ") || lc.starts_with("erase ");
            if patterns::FORMAT_IT.is_match(&lc) && (!patterns::NO_FORMAT.is_match(&lc) || one_part)
            {
                // "use as ext4, format the partition": one format, the filesystem said.
                if classify::fs_named(&lc).is_empty()
                    && matches!(self.out.last(), Some(Action::Format { partition: p, .. }) if p == partition)
                {
                    return;
                }
                // "wipe the ubuntu partition and make it btrfs": the filesystem asked
                // about is this one.
                if matches!(self.out.last(), Some(Action::Clarify { choices, .. }) if choices.iter().any(|c| c == "btrfs"))
                {
                    self.out.pop();
                }
                self.out.push(classify::format_named(
                    self.ctx.machine,
                    partition.clone(),
                    &lc,
                ));
                // "turn it into an ext4 /boot": and mounted there.
                if let Some(m) = patterns::FS_THEN_PATH
                    .captures(&lc)
                    .and_then(|c| c.name("m"))
                {
                    self.out.push(classify::mount_action(
                        self.ctx.machine,
                        partition.clone(),
                        m.as_str().trim_end_matches(['.', ',']),
                    ));
                }
                return;
            }
            if let Some(m) = MOUNT_IT
                .captures(&lc)
                .and_then(|c| c.name("m").or_else(|| c.name("r")))
            {
                let mountpoint = match m.as_str() {
                    "root" => "/",
                    m => m.trim_end_matches(['.', ',']),
                };
                self.out.push(classify::mount_action(
                    self.ctx.machine,
                    partition.clone(),
                    mountpoint,
                ));
                return;
            }
        }
        // "install grub, and kernel options quiet": more parameters for the same bootloader.
        if let Some(Action::InstallBootloader { kernel_args, .. }) = self.out.last_mut() {
            if patterns::KERNEL_FLAGS.is_match(oc) || patterns::KERNEL_PARAM.is_match(oc) {
                if let Action::InstallBootloader {
                    kernel_args: Some(more),
                    ..
                } = classify::bootloader(oc)
                {
                    // (A parameter said twice is passed once.)
                    let mut all: Vec<&str> = Vec::new();
                    for p in kernel_args.as_deref().unwrap_or("").split_whitespace() {
                        all.push(p);
                    }
                    for p in more.split_whitespace() {
                        if !all.contains(&p) {
                            all.push(p);
                        }
                    }
                    let all = all.join(" ");
                    if crate::validate::kernel_args(&all).is_ok() {
                        *kernel_args = Some(all);
                    }
                    return;
                }
            }
        }
        // "install the bootloader. put it on the disk": where the bootloader just asked
        // for goes.
        if let Some(Action::InstallBootloader { target, .. }) = self.out.last_mut() {
            if let Some(on) = patterns::BOOT_TARGET_AFTER
                .captures(&lc)
                .and_then(|c| c.name("on"))
            {
                let again = format!("install the bootloader on {}", on.as_str());
                if let Clause::Act(Action::InstallBootloader {
                    target: Some(t), ..
                }) = classify(&again, &again, self.ctx, &mut Vec::new())
                {
                    *target = Some(t);
                    return;
                }
            }
        }
        // "put kim in the video and audio groups": the second group is kim's too.
        // ("put both in plugdev and dialout": each of them.)
        if let Some(Action::AddToGroup { group: last, .. }) = self.out.last() {
            if let Some(c) = patterns::ANOTHER_MEMBER.captures(&lc) {
                let (u, g) = (&c["u"], &c["g"]);
                let named_group = c.name("noun").is_some() || classify::COMMON_GROUPS.contains(&g);
                // ("(add to docker group)": the verb, no one's name.)
                let verb = matches!(
                    u,
                    "add" | "put" | "get" | "move" | "place" | "join" | "assign"
                );
                if named_group
                    && !verb
                    && !classify::is_not_a_name(u)
                    && crate::validate::username(u).is_ok()
                    && crate::validate::group(g).is_ok()
                {
                    let (user, group) = (u.to_owned(), g.to_owned());
                    self.out.push(Action::AddToGroup { user, group });
                    return;
                }
            }
            let last = last.clone();
            let from = self.prev_clause_from;
            let members: Vec<String> = self.out[from.min(self.out.len())..]
                .iter()
                .rev()
                .map_while(|a| match a {
                    Action::AddToGroup { user, group } if *group == last => Some(user.clone()),
                    _ => None,
                })
                .collect();
            if let Some(c) = MORE_GROUP.captures(&lc) {
                let g = c.name("g").map_or("", |g| g.as_str());
                let named_group = c.name("noun").is_some() || classify::COMMON_GROUPS.contains(&g);
                if named_group && crate::validate::group(g).is_ok() {
                    for user in members.into_iter().rev() {
                        let group = g.to_owned();
                        self.out.push(Action::AddToGroup { user, group });
                    }
                    return;
                }
            }
        }
        // "German keyboard, but without dead keys": the variant of the layout just set.
        if let Some(Action::SetKeyboard { variant, .. }) = self.out.last_mut() {
            if patterns::NO_DEAD_KEYS.is_match(&lc) && variant.is_none() {
                *variant = Some("nodeadkeys".into());
                return;
            }
        }
        // "lang german, same for keyboard": the layout of the language just set.
        if patterns::SAME_KEYBOARD.is_match(&lc) {
            let layout = self.out.iter().rev().find_map(|a| match a {
                Action::SetLocale { locale } => values::keyboard_of_locale(locale),
                _ => None,
            });
            self.out.push(layout.map_or_else(
                || clarify("Which keyboard layout? Say, for example, \"keyboard de\"."),
                |layout| Action::keyboard(&layout),
            ));
            return;
        }
        if patterns::DEFAULTS.is_match(&lc) {
            return;
        }
        // "create users deploy and admin, admin with sudo": the account named admin.
        if let Some(c) = patterns::ADMIN_NAMED_RIGHTS.captures(&lc) {
            let n = c["n"].to_owned();
            if let Some(Action::CreateUser { sudo, .. }) = self
                .out
                .iter_mut()
                .find(|a| matches!(a, Action::CreateUser { name, .. } if *name == n))
            {
                *sudo = Some(true);
                return;
            }
        }
        // "create users alice and bob": bob is another one.
        if self.plural_users && matches!(self.out.last(), Some(Action::CreateUser { .. })) {
            if let Some(c) = patterns::MORE_USER.captures(&lc) {
                let name = captured(&c, &["v"], oc, &lc).unwrap_or_default();
                let sudo = c
                    .name("m")
                    .is_some_and(|m| matches!(m.as_str(), "with sudo" | "with admin" | "as admin"));
                if !classify::is_not_a_name(&name) {
                    self.out
                        .push(classify::new_login(&name, sudo, &mut self.users));
                    return;
                }
            }
        }
        self.plural_users |=
            patterns::USERS_PLURAL.is_match(&lc) || patterns::CREATE_LIST.is_match(self.text);
        // "don't reboot yet, first set the hostname": not now, which finishes nothing by
        // itself; beside a finish, that finish does not reboot.
        if patterns::REBOOT.is_match(&lc)
            && patterns::NO_REBOOT.is_match(&lc)
            && patterns::NOT_YET.is_match(&lc)
            && !patterns::FINISH.is_match(&lc)
        {
            self.not_yet = true;
            return;
        }
        // "my daughter ... in Madrid, so set the time zone to hers": the place named.
        if patterns::ZONE_REF.is_match(&lc) {
            // ("I live in Porto ... use the time zone of my city": the zone told, asked for
            // here.)
            if self.asked_here(|a| matches!(a, Action::SetTimezone { .. })) {
                return;
            }
            if let Some(zone) = self
                .place
                .get_or_init(|| place_zone(self.text, self.ctx))
                .clone()
            {
                self.out.push(Action::SetTimezone { zone });
                return;
            }
        }
        // "Swedish locale and keyboard": the keyboard of the language just set, and the
        // language said already.
        if let Some(k) = patterns::KIND_ONLY.captures(&lc).and_then(|c| c.name("k")) {
            let locale = self.out.iter().rev().find_map(|a| match a {
                Action::SetLocale { locale } => Some(locale.clone()),
                _ => None,
            });
            let keyboard = self
                .out
                .iter()
                .any(|a| matches!(a, Action::SetKeyboard { .. }));
            // ... or of the place named ("my grandma in Seoul ..., so her time and
            // language").
            let set_locale = !self
                .out
                .iter()
                .any(|a| matches!(a, Action::SetLocale { .. }));
            // "russian keyboard and language": the language the keyboard was named by.
            let locale = locale
                .or_else(|| {
                    keyboard
                        .then(|| said_before.split_whitespace().find_map(values::locale_for))
                        .flatten()
                })
                .or_else(|| {
                    self.place
                        .get_or_init(|| place_zone(self.text, self.ctx))
                        .as_deref()
                        .and_then(values::language_of_zone)
                });
            match k.as_str() {
                "language" | "locale" | "lang" if set_locale => {
                    if let Some(locale) = locale {
                        self.out.push(Action::SetLocale { locale });
                        return;
                    }
                }
                // ("I type on a Turkish Q keyboard. Put Linux ..., then set the keyboard
                // layout": the value told, asked for here.)
                "language" | "locale" | "lang" if locale.is_some() => {
                    self.asked_here(|a| matches!(a, Action::SetLocale { .. }));
                    return;
                }
                "keyboard" | "keymap" | "layout" | "keys" if keyboard => {
                    self.asked_here(|a| matches!(a, Action::SetKeyboard { .. }));
                    return;
                }
                "keyboard" | "keymap" | "layout" | "keys" => {
                    if let Some(layout) = locale.as_deref().and_then(values::keyboard_of_locale) {
                        self.out.push(Action::keyboard(&layout));
                        return;
                    }
                }
                _ => {}
            }
        }
        // "Portuguese, the Portugal kind, not Brazilian": a value said not to be wanted,
        // beside another, asks for nothing.
        let unhedged = patterns::HEDGE_START.replace(&lc, "");
        if let Some(said) = unhedged
            .strip_prefix("not ")
            .or_else(|| unhedged.strip_prefix("but not "))
            .filter(|v| v.split_whitespace().count() <= 2)
        {
            let other = match self.out.last() {
                Some(Action::SetLocale { locale }) => {
                    values::locale_for(said).is_some_and(|l| l != *locale)
                }
                Some(a @ Action::SetKeyboard { .. }) => {
                    values::keyboard_for(said).is_some_and(|k| Some(k) != a.keymap())
                }
                _ => false,
            };
            if other {
                return;
            }
        }
        // "Portuguese, Brazilian of course": the language just set, as spoken there.
        if let Some(Action::SetLocale { locale }) = self.out.last_mut() {
            let said = patterns::OF_COURSE.replace(&lc, "");
            let said = said.trim();
            if let Some(l) = values::locale_for(said)
                .filter(|_| said.split_whitespace().count() <= 2)
                // ("Language: English, keyboard: gb": another setting's value.)
                .filter(|_| !patterns::OTHER_SETTING_KEY.is_match(said))
                .filter(|l| l.split('_').next() == locale.split('_').next() && l != locale)
            {
                *locale = l;
                return;
            }
        }
        // "set up secure boot. actually forget that, ...", "what have I set so far? scratch
        // that", "add user bob. scratch that": after something this message asked, "that"
        // is what the clause before asked, never the last turn's step.
        // ("put it on the SD card. oh wait, that's got my photos on it. forget that, use
        // the stick": a correction already under way, its reason told; what follows
        // corrects.)
        if patterns::THAT_TAKEN_BACK.is_match(&lc) && self.correcting && !last_clause {
            // ("Format the LUKS partition as ext4 - wait, no, that's my encrypted home,
            // cancel that. Just set the timezone": the step under correction is taken back,
            // not left for what follows to correct.)
            if matches!(
                self.out.last(),
                Some(Action::Format { .. } | Action::Mount { .. } | Action::Partition { .. })
            ) {
                self.out.pop();
                self.retracted = true;
                self.correcting = false;
            }
            return;
        }
        if patterns::THAT_TAKEN_BACK.is_match(&lc)
            && (self.out.len() > self.prev_clause_from || self.prev_disk)
        {
            if self.prev_disk {
                if last_clause {
                    self.forget_disk();
                    self.retracted = true;
                } else {
                    self.correcting = true;
                }
                return;
            }
            let from = self.prev_clause_from.min(self.out.len());
            let no_value = self.out[from..].iter().all(|a| {
                matches!(
                    a,
                    Action::Unsupported { .. }
                        | Action::Status
                        | Action::ListDisks
                        | Action::Help
                        | Action::Undo
                        | Action::Clarify { .. }
                )
            });
            // ("hostname kestrel. forget that, timezone paris": the setting is gone; a
            // value said next is its value: "hostname kestrel, forget that, falcon".)
            let setting = match &self.out[from..] {
                [a] => setting_key(a),
                _ => None,
            };
            if last_clause || no_value || setting.is_some() {
                for i in (from..self.out.len()).rev() {
                    self.remove_at(i);
                }
                self.retracted = true;
                self.retracted_key = setting;
                self.correcting = setting.is_some() && !last_clause;
            } else {
                // ("add user olivia, forget that, call her liv": what follows corrects it;
                // "add user bob. forget that, timezone paris": else bob is gone.)
                if let [Action::CreateUser { name, .. }] = &self.out[from..] {
                    self.user_taken_back = Some(name.clone());
                }
                self.correcting = true;
            }
            return;
        }
        // "timezone berlin, no, paris": the clause after a lone "no" corrects the last one.
        // ("scratch that" with nothing after it takes back, below.)
        if patterns::CORRECTING.is_match(&lc) && !(last_clause && lc.ends_with(" that")) {
            // "format sdb1? no wait, cancel that": what was cancelled, or only asked, is
            // gone; what follows is a request of its own.
            // ("cancel that, I'll keep just windows": first in the message, it takes back
            // the step before it, of the turn before.)
            let first = said_before.trim().is_empty()
                && self.out.is_empty()
                && self.disk.is_none()
                && self.unnamed.is_none();
            if first
                && ["cancel", "undo", "scratch", "revert"]
                    .iter()
                    .any(|w| lc.split_whitespace().any(|x| x == *w))
            {
                self.out.push(Action::Undo);
                self.correcting = true;
                return;
            }
            // (A login said to be invalid stays asked: "add user Jürgen - no, make it
            // juergen" names the login next.)
            let bad_login = matches!(self.out.last(), Some(Action::Clarify { question, .. }) if asks_for_login(question));
            if lc.contains("cancel")
                || matches!(self.out.last(), Some(Action::Clarify { .. })) && !bad_login
            {
                // ("locale C.UTF-8... no, actually british english": the setting the
                // question taken back was about.)
                self.retracted_key = match self.out.pop() {
                    Some(Action::Clarify { question, .. }) if !lc.contains("cancel") => {
                        asked_setting(&question)
                    }
                    _ => None,
                };
                self.retracted = true;
            }
            self.correcting = true;
            return;
        }
        // "changed my mind, make the hostname X": what follows is what is wanted now, not
        // an undo of the last step.
        // ("erase the seagate and install, never mind, just set the timezone": all of
        // what came before is taken back.)
        if !last_clause && patterns::MIND_CHANGED.is_match(&lc) {
            self.forget_disk();
            self.drop_where(|_| true);
            self.unnamed = None;
            self.users.clone_from(&self.ctx.users);
            self.retracted = true;
            return;
        }
        // "put bob in wheel... no wait, not wheel, put him in users": the value taken back.
        let unhedged = patterns::HEDGE_START.replace(&lc, "");
        if let Some(said) = unhedged.strip_prefix("not ").map(|v| {
            v.trim_start_matches("the ")
                .trim_end_matches(" group")
                .trim()
        }) {
            // ("put it on the sd card. no, not the card, ...": the disk just chosen is not
            // wanted; the disk said next is.)
            let this_disk = self
                .disk
                .as_ref()
                .is_some_and(|(_, b)| b.chose_the_disk_of(said, self.ctx.machine));
            if this_disk {
                self.forget_disk();
                self.correcting = true;
                self.retracted = true;
                return;
            }
            let value = match self.out.last() {
                Some(Action::AddToGroup { group, .. }) => Some(group.as_str()),
                Some(Action::SetTimezone { zone }) => zone.rsplit('/').next(),
                Some(Action::SetKeyboard { layout, .. }) => Some(layout.as_str()),
                Some(Action::SetHostname { name }) => Some(name.as_str()),
                _ => None,
            };
            if value.is_some_and(|v| v.eq_ignore_ascii_case(&said.replace(' ', "_"))) {
                // A group is taken back; a setting too, and the value said next is its
                // ("hostname atlas. no, not atlas. something else, later": none).
                match self.out.pop() {
                    Some(Action::AddToGroup { user, .. }) => self.regrouped = Some(user),
                    Some(a) => {
                        self.retracted_key = setting_key(&a);
                        self.correcting = true;
                    }
                    None => {}
                }
                self.retracted = true;
                return;
            }
        }
        // "GRUB goes on the disk itself, not into some EFI partition": where the thing just
        // asked for does not go asks for nothing (after a disk clause it spares a disk).
        if !self.prev_disk && patterns::NOT_PLACE.is_match(&unhedged) {
            return;
        }
        let mut corrects = std::mem::take(&mut self.correcting);
        // "put it on vdb, no wait, vdb is for docker later, use vda": the reason given for
        // the correction corrects nothing; the clause after it does.
        // ("... actually no, the one that has nothing on it": the disk meant, described.)
        if corrects
            && !patterns::ONE_THAT.is_match(&lc)
            && (patterns::STATEMENT.is_match(&lc)
                || disk_role(&lc)
                || patterns::WONT_WORK.is_match(&lc) && !patterns::INTENT.is_match(&lc))
        {
            self.correcting = true;
            corrects = false;
        }
        // "format nvme0n1p2 as xfs... no wait, that's my ubuntu, leave it alone", "format
        // sda1 - no, not sda1, that's my media": the format taken back is gone (what is
        // meant instead, if anything, is read from what follows).
        if corrects {
            if let Some(Action::Format { partition, .. }) = self.out.last() {
                let name = partition.trim_start_matches("/dev/");
                let kept = patterns::KEEP.is_match(&lc) || patterns::KEEP_ONLY.is_match(&lc);
                let not_it = lc
                    .strip_prefix("not ")
                    .is_some_and(|rest| rest.split_whitespace().next() == Some(name));
                if kept || not_it {
                    self.out.pop();
                    self.retracted = true;
                    self.correcting = not_it;
                    return;
                }
            }
        }
        // "... not wheel, audio": the group said instead, for the same user.
        if let Some(user) = self.regrouped.take() {
            let g = lc.trim_end_matches(" group").trim();
            if classify::COMMON_GROUPS.contains(&g) {
                self.out.push(Action::AddToGroup {
                    user,
                    group: g.to_owned(),
                });
                return;
            }
        }
        // "create user olivia, scratch that, call her liv": the user just made, renamed.
        // ("username leo. username papa": two logins, two users.)
        let login_said = |name: &str| {
            patterns::LOGIN_SAID
                .captures_iter(&fold_text(self.text))
                .any(|c| &c["v"] == name)
        };
        if let Some(Action::CreateUser { name, sudo }) = self.out.last_mut() {
            let by_login = login_said(name);
            let found = patterns::RENAME_USER.captures(&lc).filter(|c| {
                corrects
                    || c.name("w").is_some()
                    || c.name("u").is_some() && (!by_login || !lc.starts_with("user"))
            });
            // ("call her paola - with sudo": the rights said with the new name.)
            let rights = found
                .as_ref()
                .and_then(|c| c.name("r").or_else(|| c.name("s")))
                .map(|r| r.as_str() == "with");
            let renamed = found
                .and_then(|c| captured(&c, &["v", "w", "u"], oc, &lc))
                .map(|v| v.to_lowercase())
                .filter(|v| crate::validate::new_username(v).is_ok());
            if let Some(v) = renamed {
                self.users.retain(|u| u != name);
                self.users.push(v.clone());
                *name = v;
                if rights.is_some() {
                    *sudo = rights;
                }
                return;
            }
        }
        // "hostname kestrel, no wait, make it falcon": the same setting, corrected.
        let retracted_key = self.retracted_key.take();
        // ("hostname Surface_Go. oh wait, underscores aren't allowed? make it surface-go":
        // the value asked about again, said anew.)
        let key = self.out.last().and_then(|a| match a {
            Action::Clarify { question, .. } => asked_setting(question),
            a => setting_key(a),
        });
        let corrected = patterns::CORRECTION
            .captures(&lc)
            .and_then(|c| captured(&c, &["v"], oc, &lc))
            .or_else(|| corrects.then(|| oc.to_owned()))
            // ("hostname db01.prod, hmm, no, just db01")
            .map(|v| {
                v.strip_prefix("just ")
                    .or_else(|| v.strip_prefix("only "))
                    .or_else(|| v.strip_prefix("simply "))
                    .map_or(v.clone(), str::to_owned)
            });
        if let Some((key, v)) = key.zip(corrected.clone()) {
            if let Some(a) = self.read_as(key, &v) {
                if !matches!(a, Action::Clarify { .. }) {
                    self.out.pop();
                    self.out.push(a);
                    return;
                }
            }
        }
        // "timezone lisbon, actually madrid, I moved": a value alone after "actually"
        // corrects the setting just said, when it is a value of that setting.
        if let Some((key, c)) = key.zip(patterns::ACTUALLY_VALUE.captures(&lc)) {
            let v = captured(&c, &["v"], oc, &lc).unwrap_or_default();
            if let Some(a) = self.read_as(key, &v) {
                let same = self
                    .out
                    .last()
                    .is_some_and(|l| std::mem::discriminant(l) == std::mem::discriminant(&a));
                if same {
                    self.out.pop();
                    self.out.push(a);
                    return;
                }
            }
        }
        // ("... forget that, timezone paris": a setting said by its own name is its own.)
        let own_key = patterns::OTHER_SETTING_KEY.is_match(&lc);
        if let Some((key, v)) = retracted_key
            .zip(corrected.clone())
            .filter(|_| corrects && !own_key)
        {
            let v = patterns::MAKE_IT.replace(&v, "");
            if let Some(a) = self.read_as(key, &v) {
                self.out.push(a);
                return;
            }
        }
        // "mount the media drive at /srv/media, no, /mnt/media": the mount point, corrected.
        if corrects {
            if let Some(Action::Mount { mountpoint, .. }) = self.out.last_mut() {
                let at = lc
                    .trim_start_matches("at ")
                    .trim_start_matches("to ")
                    .trim_start_matches("on ")
                    .trim();
                if at.starts_with('/')
                    && !at.starts_with("/dev/")
                    && !at.contains(char::is_whitespace)
                    && crate::validate::mountpoint(at).is_ok()
                {
                    at.clone_into(mountpoint);
                    return;
                }
            }
        }
        // "add ci to the docker group. wait, no, make that kvm": the group, corrected.
        if let (Some(Action::AddToGroup { group, .. }), Some(v)) = (self.out.last_mut(), &corrected)
        {
            let v = v.trim().to_lowercase();
            if !v.contains(' ') && crate::validate::group(&v).is_ok() {
                *group = v;
                return;
            }
        }
        // "connect to my wifi, the password is ...": the network's password, refused with it.
        // ("connect to my wifi; create lea with the password ...": an account's, read.)
        if matches!(self.out.last(), Some(Action::Unsupported { topic, .. }) if topic == "network")
            && patterns::PASSWORD.is_match(&lc)
            && !lc.split_whitespace().any(|w| {
                matches!(
                    w,
                    "create" | "add" | "make" | "user" | "account" | "login" | "root" | "for"
                )
            })
        {
            return;
        }
        if patterns::EXPLAINS_MISTAKE.is_match(&lc) {
            if !self.out.contains(&Action::Undo) {
                self.out.push(Action::Undo);
            }
            return;
        }
        // "add anna to wheel, actually no, she doesn't need that": taken back.
        if corrects && patterns::RETRACT.is_match(&lc) {
            if self.out.last().is_some() {
                self.out.pop();
            }
            self.retracted = true;
            return;
        }
        // "I need to change my password. The user is dave": whose password it is.
        // "set a password for me (I'm 'nina')": the one asking is the user.
        if let Some(c) = patterns::THE_USER_IS
            .captures(&lc)
            .or_else(|| patterns::I_AM.captures(&lc))
        {
            let asked = self.out.iter().position(|a| {
                matches!(a, Action::Clarify { question, .. } if question.starts_with("Whose password"))
            });
            if let (Some(at), Some(user)) = (asked, captured(&c, &["v"], oc, &lc)) {
                if crate::validate::username(&user).is_ok() {
                    self.out[at] = Action::SetPassword { user };
                    return;
                }
            }
        }
        // "copy the system but don't install a bootloader yet": the step not wanted is
        // simply not done; alone, it is asked about.
        if patterns::NEGATED_STEP.is_match(&lc)
            && (patterns::BOOTLOADER.is_match(&lc) || patterns::COPY_SYSTEM.is_match(&lc))
        {
            self.negated_step = true;
            return;
        }
        // "later on I'll probably wipe the 1TB", "I'll set up users later": another day's
        // plan, only told.
        if patterns::FUTURE_WHEN.is_match(&lc)
            && patterns::FUTURE_MODAL.is_match(&lc)
            && !patterns::REBOOT.is_match(&lc)
        {
            self.stating = true;
            self.for_later = true;
            return;
        }
        // "I'm Danish, switch the language to mine": the language that nationality said.
        if patterns::LANGUAGE_MINE.is_match(&lc)
            && self
                .out
                .iter()
                .any(|a| matches!(a, Action::SetLocale { .. }))
        {
            self.as_reason = false;
            self.nationality = None;
            return;
        }
        // "I need the nvidia driver, install it please": "it" is what was just refused.
        if matches!(self.out.last(), Some(Action::Unsupported { .. }))
            && patterns::INSTALL_IT.is_match(&lc)
        {
            return;
        }
        // ("unlock my luks partition and use it as /home": "it" is the storage just refused.)
        if matches!(self.out.last(), Some(Action::Unsupported { topic, .. })
                if STORAGE_TOPICS.contains(&topic.as_str()))
            && patterns::USE_IT.is_match(&lc)
        {
            return;
        }
        // "disk done, my user's there", "everything's set: hostname, timezone": what is
        // reported as already done asks for nothing.
        if lc
            .split(':')
            .all(|part| part.trim().is_empty() || patterns::ALREADY_DONE.is_match(part.trim()))
            && !patterns::ALL_DONE.is_match(&lc)
        {
            return;
        }
        // "I already made the account bob earlier": no request, but whom "him" means next.
        if let Some(name) = patterns::ACCOUNT_EXISTS.captures(&lc).and_then(|c| {
            ["a", "b", "c", "d", "e", "f", "g", "h"]
                .iter()
                .find_map(|g| c.name(g))
                .map(|m| m.as_str().to_owned())
                .filter(|n| !classify::is_not_a_name(n) && crate::validate::username(n).is_ok())
        }) {
            self.users.retain(|u| *u != name);
            self.users.push(name.clone());
            self.existing = Some(name);
            return;
        }
        // A story told ("it deleted my printer drivers for the third time"): nothing in it
        // is asked, and the disks it names are only spoken of.
        let reported = patterns::REPORTED.is_match(&lc);
        // ("I just set the timezone to Berlin by mistake": a mistake told, to be undone.)
        let narrative = reported
            || self.told
            || patterns::MISTAKE_TOLD.is_match(&lc)
            || patterns::ASKED_BEFORE.is_match(&lc)
            || patterns::HARDWARE_FITTED.is_match(&lc)
            || !patterns::REQUEST_WORDS.is_match(&lc) && patterns::DONE_BY_SOMEONE.is_match(&lc)
            || !patterns::REQUEST_WORDS.is_match(&lc)
                && patterns::NARRATIVE.captures(&lc).is_some_and(|c| {
                    !c.name("v").is_some_and(|v| {
                        matches!(
                            v.as_str(),
                            "decided"
                                | "agreed"
                                | "wanted"
                                | "needed"
                                | "planned"
                                | "picked"
                                | "settled"
                                | "changed"
                                | "figured"
                                | "opted"
                                | "preferred"
                                | "encrypted"
                                | "formatted"
                                | "mounted"
                                | "named"
                                | "called"
                                | "reserved"
                                | "dedicated"
                                | "partitioned"
                                | "sized"
                                | "intended"
                                | "hoped"
                                | "expected"
                                | "assumed"
                        )
                    })
                });
        let was_stating = std::mem::take(&mut self.stating);
        // "the SK hynix has Fedora on it: the EFI partition, a 1G boot, the big btrfs
        // partition labelled fedora": the rest of what a statement lists, in the same
        // sentence, is listed too.
        if was_stating
            && matches!(self.sep_before.trim(), "," | "and" | ", and" | ",and")
            && (patterns::LISTED.is_match(&lc) || lc.starts_with("the "))
            && !patterns::INTENT.is_match(&lc)
            // ("..., and the HGST is a ZFS pool": a statement of its own.)
            && !lc
                .split_whitespace()
                .any(|w| matches!(w, "is" | "are" | "was" | "were" | "has" | "have" | "holds"))
            && !patterns::REQUEST_WORDS.is_match(&lc)
        {
            self.stating = true;
            return;
        }
        // A clause saying why ("so I get a menu to choose between windows"), and the few
        // words that continue it ("linux"); or what follows "because" ("because I use the
        // serial console").
        let purpose = patterns::PURPOSE.is_match(fold_text(clause).trim_start())
            || because
            || self.in_purpose && lc.split_whitespace().count() <= 2;
        self.in_purpose = purpose;
        if self.nationality.is_some() && clause.trim_start().to_lowercase().starts_with("so ") {
            self.as_reason = true;
        }
        // "use sda, no wait, the other one": after a disk, "one" is a disk.
        let (oc, lc) = if corrects
            && self.disk.is_some()
            && lc.ends_with(" one")
            && lc.split_whitespace().count() <= 4
        {
            let with_noun = format!("{} disk", &lc[..lc.len() - 4]);
            (with_noun.clone(), with_noun)
        } else {
            (oc.to_owned(), lc)
        };
        let oc = oc.as_str();
        // "set the root password; lisbon": a value alone after a password is its secret,
        // never a setting.
        if matches!(self.out.last(), Some(Action::SetPassword { .. }))
            && classify::bare_value(&lc, self.ctx).is_some()
        {
            return;
        }
        // "set password for root and for fedora-admin, both ...": the second one's too.
        if matches!(self.out.last(), Some(Action::SetPassword { .. })) {
            if let Some(u) = patterns::PASSWORD_ALSO_FOR
                .captures(&lc)
                .and_then(|c| captured(&c, &["u"], oc, &lc))
                .map(|u| u.to_lowercase())
                .filter(|u| !classify::is_not_a_name(u) && crate::validate::username(u).is_ok())
            {
                self.out.push(Action::SetPassword { user: u });
                return;
            }
        }
        let read = classify(oc, &lc, self.ctx, &mut self.users);
        // ("mdadm RAID0 across sda and sdb", "LVM spanning the nvme and the whole seagate":
        // the disks after "and" are the refused setup's too, until a clause of its own.)
        if let Some(s) = self.storage_open.take().filter(|s| {
            *s == self.sentence
                && !patterns::OWN_VERB.is_match(&lc)
                && matches!(read, Clause::Disk(_))
        }) {
            if let Some((named, _)) = self.storage_disks.last_mut() {
                for d in disks::disks_described(&lc, &self.ctx.machine.disks) {
                    if !named.contains(&d.path) {
                        named.push(d.path.clone());
                    }
                }
            }
            self.storage_open = Some(s);
        }
        if matches!(&read, Clause::Disk(b) if b.asks()) {
            self.disk_sentences.push(self.sentence);
        }
        // "The HGST had a ZFS pool on it that died. Wipe that disk": the disk a clause that
        // asks nothing of it named, for "that disk" next.
        if !matches!(read, Clause::Disk(_))
            && self.stated_disk.is_none()
            && !self.disk_asked
            && disks::names_a_disk(&lc, &self.ctx.machine.disks)
        {
            self.stated_disk = Some(disks::disk_bits(&lc).disk_text().to_owned());
        }
        // "erase the 2tb. on second thought, set the timezone to berlin": what corrects a
        // disk request with a request of another kind takes the disk request back.
        let about_disk = matches!(read, Clause::Disk(_))
            || self.prev_disk && matches!(read, Clause::Act(Action::CopySystem { .. }));
        if corrects
            && self.prev_disk
            && !about_disk
            && !matches!(read, Clause::Unknown | Clause::Act(Action::Clarify { .. }))
        {
            self.forget_disk();
        }
        // ("wipe the samsung and install", "... and install linux on it", "and put linux
        // there": after a disk, where the system goes, said again; not a separate copy.)
        let install_there = self.prev_disk
            && matches!(
                read,
                Clause::Act(Action::CopySystem {
                    source: None,
                    target: None
                })
            )
            && patterns::INSTALL_THERE.is_match(&lc)
            // ("... then install + grub", "2. install the system": the next step, the copy.)
            && !self.sep_before.contains("then")
            && !(self.sep_before.ends_with([')', '.'])
                && self.sep_before.contains(|c: char| c.is_ascii_digit()));
        self.prev_disk = about_disk;
        if install_there {
            return;
        }
        // "the first two drives have that LVM stuff ... can you just install into that",
        // "the HGST is a ZFS pool ... import the pool after the install": into the storage
        // described, or that storage set up again, refused after all.
        let again = patterns::STORAGE_AGAIN.is_match(&lc);
        if again || !self.disk_asked && patterns::INTO_THAT.is_match(&lc) {
            // (The storage the clause names, else the one described last.)
            let named = [
                ("pool", "zfs"),
                ("zfs", "zfs"),
                ("volume group", "lvm"),
                ("vg", "lvm"),
                ("lvm", "lvm"),
                ("array", "raid"),
                ("raid", "raid"),
                ("mirror", "raid"),
            ]
            .iter()
            .find(|(w, _)| {
                lc.split_whitespace().any(|x| x == *w) || w.contains(' ') && lc.contains(w)
            })
            .map(|(_, topic)| *topic);
            let at = self.storage_there.iter().rposition(|a| {
                named.is_none_or(|t| matches!(a, Action::Unsupported { topic, .. } if topic == t))
            });
            if let Some(at) = at {
                let refusal = self.storage_there.remove(at);
                self.out.push(refusal);
                return;
            }
        }
        // "make the two WD drives a mirror and install onto that": onto what was just
        // refused, nothing more to ask.
        if !self.disk_asked
            && patterns::INTO_THAT.is_match(&lc)
            && matches!(self.out.last(), Some(Action::Unsupported { topic, .. }) if STORAGE_TOPICS.contains(&topic.as_str()))
        {
            return;
        }
        match read {
            Clause::StorageThere(refusal) => self.storage_there.push(refusal),
            // "done, without reboot": one finish, with what the second clause added.
            Clause::Act(Action::Finish { reboot })
                if self.out.iter().any(|a| matches!(a, Action::Finish { .. })) =>
            {
                if let Some(Action::Finish { reboot: r }) = self
                    .out
                    .iter_mut()
                    .find(|a| matches!(a, Action::Finish { .. }))
                {
                    *r = reboot.or(*r);
                }
            }
            // "finish and restart": one finish that reboots.
            // ("we're done. don't reboot... actually, yes, reboot": the later word counts.)
            Clause::Act(Action::Reboot) if self.out.iter().any(reboot_open) => {
                if let Some(Action::Finish { reboot }) =
                    self.out.iter_mut().find(|a| reboot_open(a))
                {
                    *reboot = Some(true);
                }
            }
            Clause::Disk(mut b) if narrative => {
                self.stating = true;
                // "I moved the media off the Seagate already. Encrypt that drive": the disk
                // the story named, for "that drive" next.
                if self.stated_disk.is_none()
                    && !b.keeps()
                    && disks::names_a_disk(&lc, &self.ctx.machine.disks)
                {
                    self.stated_disk = Some(b.disk_text().to_owned());
                }
                // (What someone recommends may be adopted next: "my sister says I should
                // use btrfs ... wipe the nvme".)
                if self.told {
                    b.told_of();
                } else if reported {
                    b.stated();
                } else {
                    b.described();
                }
                add_disk_clause(&mut self.disk, self.out.len(), b);
            }
            // (What someone recommends that the installer does not do is still answered:
            // "my friend says raid 0 is fastest, set that up".)
            Clause::Act(Action::Unsupported { .. }) if reported => {
                if let Clause::Act(a) = classify(oc, &lc, self.ctx, &mut Vec::new()) {
                    self.out.push(a);
                }
            }
            Clause::Act(a) if narrative && recommendable(&a) => self.recommended = Some(a),
            // ("my sysadmin said use UTC": what was said, read on its own.)
            Clause::Unknown if reported => {
                let said = patterns::REPORTED.replace(&lc, "");
                let said = said.trim_start().trim_start_matches("that ").trim();
                if let Clause::Act(a) = classify(said, said, self.ctx, &mut Vec::new()) {
                    self.recommended = recommendable(&a).then_some(a);
                }
            }
            Clause::Act(_) | Clause::Many(_) | Clause::NeedName { .. } | Clause::Sudo
                if narrative => {}
            // "My sysadmin said servers should use UTC, so go with that".
            _ if self.recommended.is_some() && patterns::ADOPT_THAT.is_match(&lc) => {
                self.out.extend(self.recommended.take());
            }
            // "add user jorge, he should be an admin": rights for the user just created.
            // A group named as such ("groups: wheel, docker") stays a group.
            Clause::Act(Action::AddToGroup { user, group })
                if (group == "wheel" || group == "sudo")
                    && !lc.split_whitespace().any(|w| w == group)
                    && self
                        .out
                        .iter()
                        .any(|a| matches!(a, Action::CreateUser { name, .. } if *name == user)) =>
            {
                if let Some(Action::CreateUser { sudo, .. }) = self
                    .out
                    .iter_mut()
                    .find(|a| matches!(a, Action::CreateUser { name, .. } if *name == user))
                {
                    *sudo = Some(true);
                }
            }
            // "Make the clock match New York, I live in Jersey": where someone lives does
            // not undo a time zone said outright.
            Clause::Act(Action::SetTimezone { .. } | Action::Clarify { .. })
                if patterns::RESIDENCE.is_match(&lc)
                    && self
                        .out
                        .iter()
                        .any(|a| matches!(a, Action::SetTimezone { .. })) => {}
            // "connect it to my wifi, network name Kellerraum": the network's name, not
            // the machine's.
            Clause::Act(Action::SetHostname { .. })
                if lc.contains("network name")
                    && self.out.iter().any(
                        |a| matches!(a, Action::Unsupported { topic, .. } if topic == "network"),
                    ) => {}
            // "I'm Brazilian, so ...": the language of a nationality, kept aside to see
            // whether it is the request or only the reason for one.
            Clause::Act(Action::SetLocale { locale })
                if patterns::NATIONALITY_SAID.is_match(&lc) =>
            {
                self.nationality = Some((self.out.len(), locale.clone()));
                self.out.push(Action::SetLocale { locale });
            }
            // "..., so I get a menu to choose between windows and linux": the purpose of
            // what was asked; what it could not read is no question.
            Clause::Act(Action::Clarify { .. }) if purpose => {}
            // "put her in video so the games work": software spoken of as the reason, no
            // program asked for.
            Clause::Act(Action::Unsupported { .. })
                if purpose
                    && (!self.out.is_empty() || because)
                    && only_software_in_general(&lc) => {}
            // "set up my printer? It's an HP on the network": what is said of the thing
            // just refused is not another request.
            Clause::Act(Action::Unsupported { .. } | Action::Clarify { .. })
                if patterns::STATEMENT.is_match(&lc)
                    && matches!(self.out.last(), Some(Action::Unsupported { .. })) => {}
            // "install the boot loader so I can choose between windows and linux": the
            // disks it speaks of are no disk request.
            Clause::Disk(_) if purpose && self.disk.is_none() && !self.out.is_empty() => {}
            Clause::Act(a) => {
                if matches!(&a, Action::Unsupported { topic, .. } if STORAGE_TOPICS.contains(&topic.as_str()))
                {
                    // ("Wipe the hynix, full disk encryption. Enroll the key in the TPM": a
                    // sentence of its own after a whole disk request is another request.)
                    let own_sentence = matches!(self.sep_before.as_str(), "." | "!" | ";")
                        && self
                            .disk
                            .as_ref()
                            .is_some_and(|(_, b)| b.asks() && b.wants_partitioning());
                    let extra =
                        (matches!(self.sep_before.as_str(), "and" | "and also" | "+" | "&")
                            || patterns::STORAGE_EXTRA.is_match(fold_text(clause).trim()))
                            && !lc.contains("encrypt")
                            || own_sentence;
                    self.storage_extras.push(extra);
                    let named: Vec<String> = disks::disks_described(&lc, &self.ctx.machine.disks)
                        .iter()
                        .map(|d| d.path.clone())
                        .collect();
                    let apart = (named.is_empty() && !patterns::POINTS_BACK.is_match(&lc))
                        .then_some(self.sentence);
                    self.storage_disks.push((named, apart));
                    self.storage_open = Some(self.sentence);
                }
                // "set the password for luca and add him to docker": luca is "him".
                if let Action::SetPassword { user } = &a {
                    self.users.retain(|u| u != user);
                    self.users.push(user.clone());
                }
                self.out.push(a);
            }
            Clause::Many(actions) => self.out.extend(actions),
            // "make an account for my mum, Rosa", "an account for me? I'm Tomasz": the
            // person the request names elsewhere; else the name is asked for.
            Clause::NeedName { sudo } => {
                // ("my username should be kenji. I want to be admin": the speaker's account
                // made just before gets the rights.)
                let first_person = lc
                    .split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .any(|w| matches!(w, "i" | "me" | "my" | "i'm" | "im" | "i'll" | "i'd"))
                    && !lc.split(|c: char| !c.is_alphanumeric()).any(|w| {
                        matches!(
                            w,
                            "account" | "accounts" | "user" | "users" | "login" | "too" | "also"
                        )
                    });
                let made: Vec<usize> = (0..self.out.len())
                    .filter(|&i| matches!(self.out[i], Action::CreateUser { .. }))
                    .collect();
                // ("his account should not be an admin, username leo. I'll be the admin,
                // username papa": a login the request names and nothing made yet is the
                // speaker's, not the account made before.)
                let made_names: Vec<&str> = made
                    .iter()
                    .filter_map(|&i| match &self.out[i] {
                        Action::CreateUser { name, .. } => Some(name.as_str()),
                        _ => None,
                    })
                    .collect();
                let folded = fold_text(self.text);
                let login_to_come = patterns::LOGIN_SAID
                    .captures_iter(&folded)
                    .any(|c| !made_names.contains(&&c["v"]));
                // ("my daughter's laptop. username mia, not an admin. I'll be the admin": the
                // one account made is someone else's; the speaker's is asked for.)
                let words: Vec<&str> = folded
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                let someone_else = words
                    .windows(2)
                    .any(|p| matches!(p[0], "my" | "our") && classify::RELATIONS.contains(&p[1]));
                if let ([i], true) = (
                    made.as_slice(),
                    first_person && sudo && !login_to_come && !someone_else,
                ) {
                    if let Action::CreateUser { sudo: s, .. } = &mut self.out[*i] {
                        *s = Some(true);
                    }
                    return;
                }
                // ("kate should be a sudoer. create her account": the person named before,
                // whose rights were said first, and who has no account yet.)
                let pronoun = lc
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| matches!(w, "her" | "his" | "their"));
                let named_before = self.out.iter().position(|a| {
                    matches!(a, Action::AddToGroup { user, .. }
                        if !self.ctx.users.contains(user)
                            && !self.out.iter().any(|b| matches!(b, Action::CreateUser { name, .. } if name == user)))
                });
                if let (true, Some(i)) = (pronoun, named_before) {
                    if let Some(Action::AddToGroup { user, .. }) = self.out.get(i).cloned() {
                        let admin = |a: &Action| matches!(a, Action::AddToGroup { user: u, group } if *u == user && (group == "wheel" || group == "sudo"));
                        let rights = self.out.iter().any(admin);
                        self.drop_where(admin);
                        let made = classify::new_user(&user, sudo || rights, &mut self.users);
                        self.out.insert(i.min(self.out.len()), made);
                        return;
                    }
                }
                // (read before politeness is dropped: "for me" is one of its words)
                match person_named(self.text, patterns::FOR_ME.is_match(&fold_text(clause))) {
                    Some((name, duty)) => {
                        self.out
                            .push(classify::new_user(&name, sudo || duty, &mut self.users));
                    }
                    None => self.unnamed = Some((self.out.len(), sudo)),
                }
            }
            // Every disk clause of a hypothetical is only asked, so their merge is too.
            Clause::Disk(mut b) if self.hypothetical => {
                b.only_asked();
                add_disk_clause(&mut self.disk, self.out.len(), b);
            }
            // "It's a BIOS machine, there's no EFI here", "There are two drives, a Samsung
            // and a WD": a statement, and what it lists, ask for nothing and choose nothing.
            Clause::Disk(mut b)
                if patterns::STATEMENT.is_match(&lc)
                    || disk_role(&lc)
                    || was_stating
                        && !corrects
                        && (!b.asks()
                            || patterns::LISTED.is_match(&lc)
                            || lc.starts_with("the ") && !patterns::INTENT.is_match(&lc)) =>
            {
                self.stating = true;
                // ("That drive is old": what points back keeps the disk it points at.)
                if self.stated_disk.is_none() || disks::names_a_disk(&lc, &self.ctx.machine.disks) {
                    self.stated_disk = Some(b.disk_text().to_owned());
                }
                b.described();
                add_disk_clause(&mut self.disk, self.out.len(), b);
            }
            // "I don't need the old ubuntu partition anymore", "reuse the existing EFI
            // partition": one existing partition named, to be formatted or mounted next,
            // never a whole-disk plan.
            // ("do NOT touch the 4T media disk or the existing LUKS partition": a partition
            // kept, even where what is said of it matches none, is only kept.)
            Clause::Disk(mut b)
                if (this_names_part || part_said && b.keeps())
                    && (!b.asks()
                        // ("the xfs volume labelled backup should be available in the new
                        // system": the filesystem it has, no layout asked.)
                        || fs_of_named_part
                            && !patterns::INTENT.is_match(&lc)
                            && !patterns::DEVICE.is_match(&lc)
                        || patterns::REUSE.is_match(&lc)
                            && !lc.contains("install")
                            && !patterns::WIPE_FALSE.is_match(&lc)) =>
            {
                b.only_asked();
                add_disk_clause(&mut self.disk, self.out.len(), b);
            }
            // "replace ubuntu but keep the partitions as they are; format ...": no layout, the
            // partitions named next are what is done.
            Clause::Disk(mut b) if patterns::PARTITIONS_KEPT.is_match(&lc) => {
                b.only_asked();
                add_disk_clause(&mut self.disk, self.out.len(), b);
            }
            // "format that Recovery partition ... I want to use it as scratch space": "it" is
            // the partition just named, no disk.
            Clause::Disk(mut b)
                if self.named_part.is_some()
                    && !this_names_part
                    && patterns::POINTS_BACK.is_match(&lc)
                    && !b.names_some_disk(self.ctx.machine)
                    && !b.names_a_layout() =>
            {
                b.only_asked();
                add_disk_clause(&mut self.disk, self.out.len(), b);
            }
            // "use the WD, actually no, the Samsung": the disk said last.
            // ("encrypt it all... on second thought, leave it unencrypted": the same disk,
            // what is said of it corrected.)
            Clause::Disk(mut b)
                if corrects && self.disk.is_some() && b.names_some_disk(self.ctx.machine) =>
            {
                self.disk_asked = true;
                if let Some((_, acc)) = &mut self.disk {
                    b.corrects(acc);
                    // What was taken back lays nothing out, on any disk.
                    self.disk_clauses.clear();
                    self.disk_clauses.push(b.clone());
                    *acc = b;
                }
            }
            Clause::Disk(mut b) => {
                if asked {
                    b.asked();
                }
                if let Some(stated) = self.stated_disk.as_ref().filter(|_| !self.disk_asked) {
                    b.points_back_to(stated, self.ctx.machine);
                }
                // ("The 500 GB SATA SSD, the one with the cryptroot partition, held Arch.
                // Wipe that SSD": a disk named and asked nothing is what "that" means next.)
                if !b.asks()
                    && !self.disk_asked
                    && disks::names_a_disk(&lc, &self.ctx.machine.disks)
                {
                    self.stated_disk = Some(b.disk_text().to_owned());
                }
                self.disk_asked |= b.asks();
                self.disk_clauses.push(b.clone());
                add_disk_clause(&mut self.disk, self.out.len(), b);
            }
            Clause::Sudo => {
                if let Some(Action::CreateUser { sudo, .. }) = self
                    .out
                    .iter_mut()
                    .rev()
                    .find(|a| matches!(a, Action::CreateUser { .. }))
                {
                    *sudo = Some(true);
                } else if let Some(user) = self.existing.clone() {
                    // "bob already exists. give him admin rights": an account not made here,
                    // said to exist in this request (never one from an earlier turn: "I need
                    // sudo" is the speaker's).
                    self.out.push(Action::AddToGroup {
                        user,
                        group: "wheel".into(),
                    });
                }
            }
            // Words that mean nothing here ("please", "ignore previous instructions") are
            // dropped; only when nothing at all is understood does the person get a question.
            // "the spare usb thing, what's on it?": a question about the disk just named.
            // "the Seagate is empty, just use that one": the disk the statement named.
            Clause::Unknown
                if self.stated_disk.is_some()
                    && !self.disk_asked
                    && !asked
                    && !lc.contains("else")
                    && !lc.contains("other")
                    && patterns::POINTS_BACK.is_match(&lc)
                    && patterns::INTENT.is_match(&lc) =>
            {
                let said = format!("{} {lc}", self.stated_disk.as_deref().unwrap_or_default());
                let b = disks::disk_bits(&said);
                if b.uses_a_disk() {
                    self.disk_asked = true;
                    self.disk_clauses.push(b.clone());
                    add_disk_clause(&mut self.disk, self.out.len(), b);
                }
            }
            Clause::Unknown => {
                if asked {
                    if let Some((_, acc)) = &mut self.disk {
                        acc.asked();
                    }
                }
            }
        }
    }

    /// The user created last gets no administrator rights after all ("don't give him
    /// sudo"): neither the flag nor a wheel or sudo group. Whether there was one.
    fn no_rights_for_last_user(&mut self) -> bool {
        let Some(Action::CreateUser { name, sudo }) = self
            .out
            .iter_mut()
            .rev()
            .find(|a| matches!(a, Action::CreateUser { .. }))
        else {
            return false;
        };
        *sudo = Some(false);
        let name = name.clone();
        self.drop_where(|a| matches!(a, Action::AddToGroup { user, group } if *user == name && (group == "wheel" || group == "sudo")));
        true
    }

    /// Removes the actions `gone` matches, keeping where the pending ones (the disk's
    /// action, an unnamed user, a nationality's language) go among those that stay.
    fn drop_where(&mut self, gone: impl Fn(&Action) -> bool) {
        let mut i = 0;
        while i < self.out.len() {
            if gone(&self.out[i]) {
                self.remove_at(i);
            } else {
                i += 1;
            }
        }
    }

    /// `value` read as the value of the setting `key` ("hostname" and "falcon"), if it is
    /// read as one action.
    fn read_as(&mut self, key: &str, value: &str) -> Option<Action> {
        let again = format!("{key} {value}");
        match classify(&again, &fold_text(&again), self.ctx, &mut self.users) {
            Clause::Act(a) => Some(a),
            _ => None,
        }
    }

    /// The action at `i` taken out; what points into `out` after it moves with it.
    fn remove_at(&mut self, i: usize) {
        self.out.remove(i);
        let shift = |at: &mut usize| {
            if *at > i {
                *at -= 1;
            }
        };
        if let Some((at, _)) = &mut self.disk {
            shift(at);
        }
        if let Some((at, _)) = &mut self.unnamed {
            shift(at);
        }
        match &mut self.nationality {
            Some((at, _)) if *at == i => self.nationality = None,
            Some((at, _)) => shift(at),
            None => {}
        }
        shift(&mut self.clause_from);
    }

    /// The disk asked for so far is not wanted after all ("never mind the seagate", "erase
    /// the 2tb. on second thought, set the timezone"): nor is the copy that was to follow.
    fn forget_disk(&mut self) {
        self.disk = None;
        self.disk_clauses.clear();
        self.drop_where(|a| matches!(a, Action::CopySystem { .. }));
    }

    /// "put /var on vdb and the rest on vda. no wait, forget the separate /var": the
    /// partition of a layout said before, taken back; a clause that asked only for it goes
    /// with it, and the disk it named with it. Whether any clause had it.
    fn forget_part(&mut self, kind: &str) -> bool {
        let Some(c) = patterns::MOUNT_TAKEN_BACK.captures(kind) else {
            return false;
        };
        let m = c["m"].trim_end_matches('/');
        let mount = if m.starts_with('/') || m == "swap" {
            m.to_owned()
        } else {
            format!("/{m}")
        };
        let mut had = false;
        let mut emptied = false;
        let machine = self.ctx.machine;
        self.disk_clauses.retain_mut(|b| match b.drop_part(&mount) {
            // (Only a clause that named its own disk goes: "/var on vdb".)
            Some(gone) => {
                had = true;
                let goes = gone && b.names_some_disk(machine);
                emptied |= goes;
                !goes
            }
            None => true,
        });
        let Some((at, acc)) = &mut self.disk else {
            return had;
        };
        if emptied {
            // (The disk that clause named is no longer asked for: the rest is read again.)
            let at = *at;
            let mut rest = self.disk_clauses.iter().cloned();
            self.disk = rest.next().map(|mut first| {
                for b in rest {
                    first.merge(b);
                }
                (at, first)
            });
        } else if had {
            acc.drop_part(&mount);
        }
        had
    }

    /// The account `name` taken back: it, its password and its groups.
    /// The last action of a kind, told before and asked for now, moves to where it is asked.
    /// Whether there was one.
    fn asked_here(&mut self, kind: impl Fn(&Action) -> bool) -> bool {
        let Some(i) = self.out.iter().rposition(kind) else {
            return false;
        };
        let a = self.out.remove(i);
        moved_up(&mut self.disk, &mut self.unnamed, i);
        self.out.push(a);
        true
    }

    fn forget_user(&mut self, name: &str) {
        self.drop_where(|a| {
            matches!(a, Action::CreateUser { name: n, .. } if n == name)
                || matches!(a, Action::SetPassword { user } | Action::AddToGroup { user, .. } if user == name)
        });
        self.users.retain(|u| u != name);
        self.retracted = true;
    }

    /// "never mind the user", "forget wifi", "no desktop after all": what this request
    /// asked of that kind is taken back, and nothing else. `verb` "no" or "not" takes back
    /// only what was asked ("no swap" is a layout's word). Whether the clause was read.
    fn retract(&mut self, verb: &str, kind: &str) -> bool {
        let strong = !matches!(verb, "no" | "not");
        // "scratch ben": the account of that name, asked for before.
        if let Some(name) = self.out.iter().find_map(|a| match a {
            Action::CreateUser { name, .. } if name.eq_ignore_ascii_case(kind.trim()) => {
                Some(name.clone())
            }
            _ => None,
        }) {
            self.forget_user(&name);
            return true;
        }
        // "add dev to docker, libvirt and kvm, scratch kvm": that group, asked before.
        let group = kind.trim().trim_end_matches(" group");
        if strong
            && self
                .out
                .iter()
                .any(|a| matches!(a, Action::AddToGroup { group: g, .. } if g == group))
        {
            self.drop_where(|a| matches!(a, Action::AddToGroup { group: g, .. } if g == group));
            return true;
        }
        if strong && self.forget_part(kind) {
            self.retracted = true;
            return true;
        }
        let kind = kind.strip_suffix('s').unwrap_or(kind);
        let is: fn(&Action) -> bool = match kind {
            "user" | "account" | "new user" | "login" | "second user" | "other user" => {
                let Some(i) = self
                    .out
                    .iter()
                    .rposition(|a| matches!(a, Action::CreateUser { .. }))
                else {
                    // ("make me an account ... never mind the account": the one asked
                    // for without a name.)
                    if strong {
                        self.unnamed = None;
                        self.retracted = true;
                    }
                    return strong;
                };
                if let Some(Action::CreateUser { name, .. }) = self.out.get(i).cloned() {
                    self.forget_user(&name);
                }
                self.retracted = true;
                return true;
            }
            "sudo" | "admin" | "admin right" | "right" | "privilege" | "admin privilege"
            | "sudo privilege" | "sudo right" | "sudo access" | "admin access" | "root right"
            | "administrator" | "wheel" => {
                return self.no_rights_for_last_user();
            }
            "timezone" | "time zone" | "tz" => |a| matches!(a, Action::SetTimezone { .. }),
            "hostname" | "host name" | "computer name" => {
                |a| matches!(a, Action::SetHostname { .. })
            }
            "keyboard" | "keyboard layout" | "layout" | "keymap" => {
                |a| matches!(a, Action::SetKeyboard { .. })
            }
            "language" | "locale" => |a| matches!(a, Action::SetLocale { .. }),
            "password" => |a| matches!(a, Action::SetPassword { .. }),
            "root password" | "password for root" | "root pw" => {
                |a| matches!(a, Action::SetPassword { user } if user == "root")
            }
            "bootloader" | "boot loader" | "grub" => {
                |a| matches!(a, Action::InstallBootloader { .. })
            }
            "group" => |a| matches!(a, Action::AddToGroup { .. }),
            // "never mind the 2tb, install next to ubuntu instead": a disk no longer
            // wanted is left out by what is said next.
            _ if strong
                && (disks::names_a_disk(&fold_text(kind), &self.ctx.machine.disks)
                    || patterns::SIZE_WORD.is_match(kind)
                    || patterns::DISK_NAMED.is_match(kind)) =>
            {
                self.forget_disk();
                self.retracted = true;
                return true;
            }
            _ => {
                // "forget raid", "no desktop after all": a refusal taken back.
                // ("configure bluetooth... never mind bluetooth": the topic of the thing
                // alone, or of setting it up.)
                let topic_of = |t: &str| match classify(t, t, self.ctx, &mut Vec::new()) {
                    Clause::Act(Action::Unsupported { topic, .. }) => Some(topic),
                    _ => None,
                };
                let topics: Vec<String> = [topic_of(kind), topic_of(&format!("set up {kind}"))]
                    .into_iter()
                    .flatten()
                    .collect();
                // ("I want KDE, not the gnome": the other choice of the topic just asked
                // for, no taking back.)
                let other_choice = verb == "not"
                    && fold_text(self.text).matches(&fold_text(kind)[..]).count() == 1;
                if topics.is_empty() || other_choice {
                    return false;
                }
                let before = self.out.len();
                self.drop_where(
                    |a| matches!(a, Action::Unsupported { topic: t, .. } if topics.contains(t)),
                );
                let took_back = self.out.len() < before || strong;
                self.retracted |= took_back;
                return took_back;
            }
        };
        let before = self.out.len();
        self.drop_where(is);
        // (Nothing of that kind was asked: "never mind" still takes it back; "no" is
        // read as what it says.)
        let took_back = self.out.len() < before || strong;
        self.retracted |= took_back;
        took_back
    }

    /// The whole request read: the disk clauses become one action, and the rules that look
    /// at every action apply. `other_disk`: the request speaks of "the other" disk.
    fn finish(self, other_disk: bool) -> (Vec<Action>, bool) {
        let Reading {
            ctx,
            text,
            mut out,
            mut disk,
            disk_clauses,
            mut unnamed,
            nationality,
            as_reason,
            negated_step,
            not_yet,
            for_later,
            retracted,
            ..
        } = self;
        // "I am Brazilian, so ... everything in Portuguese": the language said is the
        // nationality's (pt_BR); "I'm swiss, so swiss german keyboard": the nationality was
        // only the reason.
        if let Some((at, locale)) = nationality.filter(|(at, _)| *at < out.len()) {
            let lang = |l: &str| l.split('_').next().unwrap_or_default().to_owned();
            let later_same = out[at + 1..].iter().position(
                |a| matches!(a, Action::SetLocale { locale: l } if lang(l) == lang(&locale)),
            );
            let removed = if let Some(i) = later_same {
                out[at + 1 + i] = Action::SetLocale { locale };
                out.remove(at);
                true
            } else if as_reason && out.len() > at + 1 {
                out.remove(at);
                true
            } else {
                false
            };
            // What was to be inserted after it moves up by one.
            if removed {
                moved_up(&mut disk, &mut unnamed, at);
            }
        }
        // ("mount it at /. hmm ... just mount it at /home": a partition has one mount point,
        // the one said last.)
        let mut i = 0;
        while i < out.len() {
            let later = match &out[i] {
                Action::Mount { partition, .. } => out[i + 1..]
                    .iter()
                    .any(|a| matches!(a, Action::Mount { partition: p, .. } if p == partition)),
                _ => false,
            };
            if later {
                out.remove(i);
                moved_up(&mut disk, &mut unnamed, i);
            } else {
                i += 1;
            }
        }
        // ("add console=ttyS0 to the kernel and install the bootloader on vda": one
        // bootloader, with both.)
        let loaders: Vec<usize> = (0..out.len())
            .filter(|&i| matches!(out[i], Action::InstallBootloader { .. }))
            .collect();
        if let [a, b] = loaders.as_slice() {
            if let (
                Action::InstallBootloader {
                    target: ta,
                    kernel_args: ka,
                },
                Action::InstallBootloader {
                    target: tb,
                    kernel_args: kb,
                },
            ) = (out[*a].clone(), out[*b].clone())
            {
                // ("the console runs on ttyS0 at 38400 ... add console=ttyS0,38400n8": the
                // arguments said in full are those said in part.)
                let (ka, kb) = match (&ka, &kb) {
                    (Some(a), Some(b)) if b.starts_with(a.as_str()) => (kb.clone(), kb),
                    (Some(a), Some(b)) if a.starts_with(b.as_str()) => (ka.clone(), ka),
                    _ => (ka, kb),
                };
                let clash = ta.is_some() && tb.is_some() && ta != tb
                    || ka.is_some() && kb.is_some() && ka != kb;
                // (Where the system is copied between them, the one after the copy stays:
                // "... serial console at 115200 ... copy the system, then install the boot
                // loader".)
                let copy_between = out[*a..*b]
                    .iter()
                    .any(|x| matches!(x, Action::CopySystem { .. }));
                let (keep, drop) = if copy_between { (*b, *a) } else { (*a, *b) };
                if !clash {
                    out[keep] = Action::InstallBootloader {
                        target: ta.or(tb),
                        kernel_args: ka.or(kb),
                    };
                    out.remove(drop);
                    moved_up(&mut disk, &mut unnamed, drop);
                }
            }
        }
        // "I live in Montréal and I speak French": French as spoken there (one zone, one
        // language, in one request).
        let zones: Vec<&str> = out
            .iter()
            .filter_map(|a| match a {
                Action::SetTimezone { zone } => Some(zone.as_str()),
                _ => None,
            })
            .collect();
        if let [zone] = zones.as_slice() {
            let zone = (*zone).to_owned();
            let locales: Vec<usize> = (0..out.len())
                .filter(|&i| matches!(out[i], Action::SetLocale { .. }))
                .collect();
            if let [i] = locales.as_slice() {
                if let Action::SetLocale { locale } = &mut out[*i] {
                    if let Some(placed) = values::language_in_place(locale, &zone, text) {
                        *locale = placed;
                    }
                }
            }
        }
        // A disk is partitioned only when the words ask for it: a question about a disk, or
        // words about what is on it now, get the disks shown; spoken of beside another request,
        // they add nothing.
        if let Some((at, _)) = unnamed {
            out.insert(
                at.min(out.len()),
                clarify(
                    "What should the new user be called? Say, for example, \"create user anna\".",
                ),
            );
        }
        // One refusal said twice in a row ("install steam and firefox") is given once; so is a
        // read-only answer asked twice anywhere in the request ("I'm lost, what can I say",
        // "list the disks ... once I've seen the list").
        // ("make it look like windows, install KDE": the look is the desktop's, one refusal.)
        let same = |x: &str, y: &str| {
            x == y
                || matches!(
                    (x, y),
                    ("appearance", "desktop") | ("desktop", "appearance")
                )
        };
        out.dedup_by(|a, b| match (&*a, &mut *b) {
            (
                Action::Unsupported {
                    topic: x,
                    reason: rx,
                },
                Action::Unsupported {
                    topic: y,
                    reason: ry,
                },
            ) if same(x, y) => {
                if x == "desktop" {
                    y.clone_from(x);
                    ry.clone_from(rx);
                }
                true
            }
            _ => false,
        });
        let mut given: Vec<std::mem::Discriminant<Action>> = Vec::new();
        out.retain(|a| {
            if !matches!(a, Action::Help | Action::Status | Action::ListDisks) {
                return true;
            }
            let d = std::mem::discriminant(a);
            let first = !given.contains(&d);
            given.push(d);
            first
        });
        // "install linux but don't touch windows": an install beside what is kept; "... put
        // the new system on the other one": on another disk.
        let mut elsewhere = None;
        if let Some((_, bits)) = &mut disk {
            if !bits.wants_partitioning()
                && bits.keeps_a_system()
                && out.iter().any(|a| matches!(a, Action::CopySystem { .. }))
            {
                elsewhere = other_disk
                    .then(|| disks::other_than(bits, ctx.machine))
                    .flatten();
                if elsewhere.is_none() {
                    bits.install_beside();
                    out.retain(|a| !matches!(a, Action::CopySystem { .. }));
                }
            }
        }
        // The same action said twice in one request ("install the system now, copy everything
        // over") is one; so is one account asked for twice.
        out.dedup();
        let mut created: Vec<String> = Vec::new();
        out.retain(|a| match a {
            Action::CreateUser { name, .. } if created.contains(name) => false,
            Action::CreateUser { name, .. } => {
                created.push(name.clone());
                true
            }
            _ => true,
        });
        // Beside a storage setup the installer refuses ("raid across sda and sdb"), the disks
        // named are part of that request, not a second one.
        // ("use sdc, whole thing, and mirror it onto sdb": a layout asked for in words of
        // its own is a request beside the one refused.)
        let refused_storage = out.iter().any(|a| {
            matches!(a, Action::Unsupported { topic, .. } if STORAGE_TOPICS.contains(&topic.as_str()))
        }) && !((self.storage_extras.iter().all(|x| *x) || another_disk_than_refused(
                &self.storage_disks,
                &self.disk_sentences,
                disk.as_ref(),
                ctx.machine,
            ))
            && disk
                .as_ref()
                .is_some_and(|(_, b)| b.asks() && b.wants_partitioning() && !b.every_disk()));
        // ... and the copy that was to follow it waits too; "assemble the array and mount
        // it at /data": what would be mounted is what was refused.
        if refused_storage {
            out.retain(|a| {
                !matches!(a, Action::CopySystem { .. })
                    && !matches!(a, Action::Clarify { question, .. } if question.starts_with("Which partition should I mount"))
                    // ("wipe both 100G disks and stripe them": which of the two is not asked.)
                    && !matches!(a, Action::Clarify { question, .. } if question.starts_with("Which disk should I use"))
            });
        }
        // "what's on my disks? and can i get the wifi driver": the disks shown beside the
        // rest.
        if let Some((at, bits)) = &disk {
            if bits.asks_to_see() && !out.is_empty() && !out.contains(&Action::ListDisks) {
                out.insert((*at).min(out.len()), Action::ListDisks);
            }
        }
        // "turn off secure boot, windows has it on", "I don't need windows anymore, format
        // its partition": disks spoken of, asking for nothing, beside other requests that
        // install nothing, are only context.
        let context_only = |bits: &DiskBits| {
            !bits.asks()
                && !bits.names_a_layout()
                && !out.is_empty()
                && !out.iter().any(|a| {
                    matches!(
                        a,
                        Action::CopySystem { .. } | Action::InstallBootloader { .. }
                    )
                })
        };
        let split = disk
            .as_ref()
            .filter(|(_, b)| b.wants_partitioning() && !refused_storage)
            .and_then(|_| disks::split_layout(&disk_clauses, ctx.machine));
        if let (Some((at, _)), Some(a)) = (&disk, elsewhere) {
            out.insert((*at).min(out.len()), a);
        } else if let (Some((at, _)), Some(two)) = (&disk, split) {
            let at = (*at).min(out.len());
            out.splice(at..at, two);
        } else if let Some((at, bits)) = disk.filter(|(_, b)| !refused_storage && !context_only(b))
        {
            if bits.wants_partitioning() {
                let action = partition_action(&bits, ctx.machine);
                // "install over the ubuntu partition: format nvme0n1p2 as btrfs, mount it at
                // /": the partitions formatted and mounted are the install; their disk is not
                // laid out anew (a new table would erase them).
                let works_on = |disk: &str| {
                    out.iter().any(|a| matches!(a, Action::Format { partition, .. } | Action::Mount { partition, .. }
                        if ctx.machine.partition(partition).is_some_and(|(d, _)| d.path == disk)))
                };
                // ("I want to replace Fedora only. Format the fedora partition as ext4 and
                // mount it as root": the system replaced by formatting its partition.)
                // ("I don't want to repartition the NVMe ... format the btrfs one as ext4 and
                // mount it as root": partitions kept, said anywhere, beside partitions formatted
                // or mounted: those are the install, no disk is laid out.)
                let reused = matches!(&action, Action::Partition { disk, wipe, scheme: None, .. }
                    if works_on(disk) && (wipe.is_none() || bits.only_replaces_a_system()))
                    || patterns::PARTITIONS_KEPT.is_match(&fold_text(text))
                        && out
                            .iter()
                            .any(|a| matches!(a, Action::Format { .. } | Action::Mount { .. }));
                // A disk the request keeps ("... lives on the 256GB disk, don't touch it") is
                // never laid out unless a clause asks for it by name: asked about instead.
                // ("format sdc2 ..., and the efi partition on sdc goes ...": a new table on
                // the disk whose partitions the plan formats or mounts would erase them.)
                let action = match &action {
                    Action::Partition { disk, wipe, .. }
                        if !reused && *wipe != Some(false) && works_on(disk) =>
                    {
                        clarify(format!(
                            "Laying out {disk} anew would erase the partitions on it that you asked me to format or mount. What should go on {disk}?"
                        ))
                    }
                    Action::Partition { disk, wipe, .. }
                        if *wipe != Some(false)
                            && disks::kept_not_asked(&disk_clauses, disk, ctx.machine) =>
                    {
                        clarify(format!(
                            "You asked me to keep {disk} as it is, so I won't use it. Which disk should I install on?"
                        ))
                    }
                    // Erasing a system or keeping it was not said: asked (unless one of its
                    // partitions is what the request works on).
                    Action::Partition {
                        disk, wipe: None, ..
                    } if !out
                        .iter()
                        .any(|a| matches!(a, Action::Format { .. } | Action::Mount { .. })) =>
                    {
                        disks::system_kept_or_erased(disk, ctx.machine).unwrap_or(action)
                    }
                    _ => action,
                };
                // "wipe the disk and install" with two disks: the copy waits for the answer.
                if matches!(action, Action::Clarify { .. }) {
                    out.retain(|a| !matches!(a, Action::CopySystem { .. }));
                }
                if !reused {
                    out.insert(at.min(out.len()), action);
                }
            } else if out.is_empty() {
                out.push(if bits.is_read_only() && patterns::KEEP_ONE_WIPE_REST.is_match(&fold_text(text)) {
                    // "keep the ubuntu partition but wipe the rest of the nvme": partitions
                    // are not removed one by one.
                    clarify("I can't erase some partitions of a disk and keep others. I can install in the free space beside them, or erase the whole disk: which should I do?")
                } else if bits.is_read_only() || bits.asks_to_see() {
                    Action::ListDisks
                } else if let Some(q) = disks::left_alone(&bits, ctx.machine) {
                    q
                } else {
                    clarify(
                        "Should I install on that disk? Say, for example, \"install on the ssd\".",
                    )
                });
            }
        }
        if negated_step && out.is_empty() {
            out.push(clarify(
                "Nothing is done without being asked; say what you want done instead (\"install the bootloader\", \"copy the system\").",
            ));
        }
        if not_yet {
            if out.is_empty() {
                out.push(Action::Finish {
                    reboot: Some(false),
                });
            } else if let Some(Action::Finish { reboot }) =
                out.iter_mut().find(|a| matches!(a, Action::Finish { .. }))
            {
                *reboot = Some(false);
            }
        }
        // A setting said twice ("hostname kestrel, no wait, make it falcon", "I'm British ...
        // but the language in American English") is what was said last.
        let mut seen: Vec<&str> = Vec::new();
        let mut keep = vec![true; out.len()];
        for (i, a) in out.iter().enumerate().rev() {
            if let Some(k) = setting_key(a) {
                keep[i] = !seen.contains(&k);
                seen.push(k);
            }
        }
        let mut flags = keep.into_iter();
        out.retain(|_| flags.next().unwrap_or(true));
        if out.is_empty() && for_later {
            out.push(clarify(
                "That sounds like a plan for later, so nothing changes now. Say what to do when you're ready.",
            ));
        }
        if out.is_empty() && retracted {
            out.push(clarify(
                "Nothing changes: you took that back. What should I do instead?",
            ));
        }
        if out.is_empty() {
            return (
                vec![clarify(
                    "I didn't understand that. You can say things like \"use the whole 500gb drive, encrypted\", \"timezone Berlin\" or \"create user anna with sudo\"; say \"help\" for more.",
                )],
                false,
            );
        }
        // "I'm in Chicago by the way, so central time please": a value that could not be
        // read is not asked about when the request sets that setting elsewhere.
        let set: Vec<&str> = out.iter().filter_map(setting_key).collect();
        let set: Vec<String> = set.into_iter().map(str::to_owned).collect();
        out.retain(|a| {
            !matches!(a, Action::Clarify { question, .. }
                if asked_setting(question).is_some_and(|k| set.iter().any(|s| s == k)))
        });
        // ("assemble the md array from sda1/sdb1 and mount it": a member of an array, a
        // volume group or a pool, or an encrypted container, holds no filesystem to mount,
        // unless it is formatted first.)
        let mut unmountable = vec![false; out.len()];
        for i in 0..out.len() {
            let Action::Mount {
                partition,
                mountpoint,
            } = &out[i]
            else {
                continue;
            };
            let formatted = out[..i]
                .iter()
                .any(|a| matches!(a, Action::Format { partition: p, .. } if p == partition));
            let Some(what) = ctx
                .machine
                .partition(partition)
                .and_then(|(_, p)| classify::unmountable(&p.fs))
                .filter(|_| !formatted)
            else {
                continue;
            };
            // (Beside the array refused, what would be mounted is what was refused.)
            unmountable[i] = refused_storage;
            out[i] = clarify(format!(
                "{partition} holds {what}, not a filesystem I can mount. Which partition should I mount at {mountpoint}?"
            ));
        }
        let mut gone = unmountable.into_iter();
        out.retain(|_| !gone.next().unwrap_or(false));
        let mut in_use = false;
        for a in &mut out {
            if let Some(q) = disks::in_use_question(a, ctx.machine) {
                *a = q;
                in_use = true;
            }
        }
        // (The copy waits for the disk's answer.)
        if in_use {
            out.retain(|a| !matches!(a, Action::CopySystem { .. }));
        }
        // "format p2 and mount it as /, and give the whole seagate to /home": the root is
        // where it was said; another layout gets none of its own.
        if out
            .iter()
            .any(|a| matches!(a, Action::Mount { mountpoint, .. } if mountpoint == "/"))
        {
            for a in &mut out {
                if let Action::Partition {
                    scheme: Some(scheme),
                    ..
                } = a
                {
                    if scheme.len() > 1 {
                        scheme.retain(|e| {
                            !(e.mount == "/" && e.size.is_none() && e.fs.is_none() && !e.encrypt)
                        });
                    }
                }
            }
        }
        // "Password for emma: x. Create emma first": what is asked for an account comes
        // after the account is made.
        let mut k = 0;
        while k < out.len() {
            let early = match &out[k] {
                Action::SetPassword { user } | Action::AddToGroup { user, .. } => out[k + 1..]
                    .iter()
                    .position(|a| matches!(a, Action::CreateUser { name, .. } if name == user))
                    .map(|p| k + 1 + p),
                _ => None,
            };
            match early {
                Some(made_at) => {
                    let a = out.remove(k);
                    out.insert(made_at, a);
                }
                None => k += 1,
            }
        }
        // "pwd=x user=ops": a password said before the one account the request makes is
        // that account's.
        let made: Vec<String> = out
            .iter()
            .filter_map(|a| match a {
                Action::CreateUser { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect();
        if let [user] = made.as_slice() {
            let whose = out.iter().position(|a| {
                matches!(a, Action::Clarify { question, .. } if question == classify::WHOSE_PASSWORD)
            });
            if let Some(q) = whose {
                out.remove(q);
                if !out
                    .iter()
                    .any(|a| matches!(a, Action::SetPassword { user: u } if u == user))
                {
                    let at = out
                        .iter()
                        .position(|a| matches!(a, Action::CreateUser { name, .. } if name == user))
                        .map_or(out.len(), |p| p + 1);
                    out.insert(at, Action::SetPassword { user: user.clone() });
                }
            }
        }
        // "root encrypted, password X": with no account anywhere, the password is the
        // encryption's passphrase, asked for separately when the plan runs.
        // ("encrypt the root, password I give later": the same while the disk is asked.)
        let encrypts = out.iter().any(|a| {
            matches!(a, Action::Partition { scheme: Some(s), .. } if s.iter().any(|e| e.encrypt))
        }) || {
            let said = fold_text(text);
            (said.contains("encrypt") || said.contains("luks"))
                && out.iter().any(|a| {
                    matches!(a, Action::Clarify { question, choices }
                        if question_subject(question, choices) == "storage")
                })
        };
        let accounts = !ctx.users.is_empty()
            || out
                .iter()
                .any(|a| matches!(a, Action::CreateUser { .. } | Action::SetPassword { .. }));
        if encrypts && !accounts {
            out.retain(|a| {
                !matches!(a, Action::Clarify { question, .. } if question == classify::WHOSE_PASSWORD)
            });
        }
        // ("I live in Zurich ... undo that and set it to Zurich": what is undone was done
        // before this request, so the undo comes before every change it asks; questions
        // stay where they were said.)
        if let Some(at) = out.iter().position(|a| matches!(a, Action::Undo)) {
            let changes = |a: &Action| {
                !matches!(
                    a,
                    Action::ListDisks
                        | Action::Status
                        | Action::Help
                        | Action::Clarify { .. }
                        | Action::Unsupported { .. }
                )
            };
            if let Some(first) = out[..at].iter().position(changes) {
                let undo = out.remove(at);
                out.insert(first, undo);
            }
        }
        // Every refusal once, and one question per subject: a second question on the
        // same subject follows from the first ("no partition sdc1" and "which partition
        // at /"), one on another subject is asked too ("which 100G disk" and "no zone
        // Europe/Frankfurt").
        let mut said: Vec<Action> = Vec::new();
        let mut subjects: Vec<&'static str> = Vec::new();
        out.retain(|a| match a {
            Action::Unsupported { .. } if said.contains(a) => false,
            Action::Unsupported { .. } => {
                said.push(a.clone());
                true
            }
            Action::Clarify { question, choices } => {
                let subject = question_subject(question, choices);
                let new = !subjects.contains(&subject);
                subjects.push(subject);
                new
            }
            _ => true,
        });
        // While a question about storage is open, nothing on disks travels with it: the
        // person answers first. A plan for the disks stays beside a question about
        // something else ("hostname Jonas's PC"), shown and confirmed like any plan.
        // Finishing is read as said; the conversation holds it until the answer
        // (`conversation::hold_finishing`).
        let about_storage = subjects.contains(&"storage");
        if out.iter().any(|a| matches!(a, Action::Clarify { .. })) {
            out.retain(|a| {
                // ("reformat the linux partition and install into it": which partition is
                // asked; the copy into it waits with the rest.)
                let on_disks = matches!(
                    a,
                    Action::Partition { .. }
                        | Action::Format { .. }
                        | Action::Mount { .. }
                        | Action::CopySystem { .. }
                );
                !(about_storage && on_disks)
            });
        }
        (out, true)
    }
}

/// What a disk is or will be for, said of a disk the install does not go on ("vdb will be
/// docker storage later"): a statement, choosing nothing.
fn disk_role(lc: &str) -> bool {
    !patterns::INTENT.is_match(&patterns::IN_USE_NOW.replace_all(lc, " "))
        && patterns::DISK_ROLE.is_match(lc)
        && (!patterns::ROLE_OF_THE_INSTALL.is_match(lc) || patterns::IN_USE_NOW.is_match(lc))
}

/// Software spoken of in general ("so the games work"), no program named nor installing
/// asked for.
fn only_software_in_general(lc: &str) -> bool {
    !lc.contains("install")
        && patterns::OTHER_UNSUPPORTED.find_iter(lc).all(|m| {
            matches!(
                m.as_str(),
                "games" | "apps" | "app" | "applications" | "programs" | "software" | "packages"
            )
        })
}

/// "The 3 TB disk, the one with the backup partition, holds our dumps": a disk named, then
/// what it is, then what it does, split at the commas; read as the one statement it is
/// (alone, "the 3 TB disk" would be the disk asked for).
fn subjects_joined(clauses: &[&str], seps: &[String]) -> (Vec<String>, Vec<String>) {
    let (mut out, mut out_seps) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < clauses.len() {
        let folded = |k: usize| fold_text(clauses[k].trim());
        let mut j = i + 1;
        if patterns::SUBJECT_ONLY.is_match(&folded(i)) {
            while j < clauses.len() && seps[j] == "," && patterns::APPOSITIVE.is_match(&folded(j)) {
                j += 1;
            }
            if j < clauses.len() && seps[j] == "," && patterns::PREDICATE_START.is_match(&folded(j))
            {
                // (What it is, said between, describes it the same way; its verb is what
                // makes the statement.)
                out.push(format!("{} {}", clauses[i].trim(), clauses[j].trim()));
                out_seps.push(seps[i].clone());
                i = j + 1;
                continue;
            }
        }
        out.push(clauses[i].to_owned());
        out_seps.push(seps[i].clone());
        i += 1;
    }
    (out, out_seps)
}

/// The words around an "&" in a label of this machine ("Fotos & Musik"), said as in the
/// label, written without the spaces that make "&" split a request in two.
fn labels_with_ampersand(text: &str, m: &Machine) -> String {
    let mut out = text.to_owned();
    for label in m.disks.iter().flat_map(|d| &d.partitions).map(|p| &p.label) {
        let words: Vec<&str> = label.split_whitespace().collect();
        for w in words.windows(3).filter(|w| w[1] == "&") {
            let said = regex::Regex::new(&format!(
                r"(?i)\b{}\s+&\s+{}\b",
                regex::escape(w[0]),
                regex::escape(w[2])
            ));
            if let Ok(said) = said {
                out = said
                    .replace_all(&out, format!("{}&{}", w[0], w[2]).as_str())
                    .into_owned();
            }
        }
    }
    out
}

/// A time zone as Windows shows it, "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", is
/// the zone it means: Windows' own name (`tables::WINDOWS_ZONES`), or else the first city
/// of its list that is a zone. The offset alone ("UTC+2") is left to be read as an offset.
fn windows_zone_names(text: &str, ctx: &Context<'_>) -> String {
    use regex::Regex;
    use std::sync::LazyLock;
    static DISPLAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\(?(?:utc|gmt)\s*(?:[+\-\u{2212}]\s*\d{1,2}(?::\d{2})?)?\)\s*(?P<rest>[^.;!?\n]*)")
            .expect("pattern")
    });
    static CITY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}").expect("pattern"));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for c in DISPLAY.captures_iter(text) {
        let (Some(whole), Some(rest)) = (c.get(0), c.name("rest")) else {
            continue;
        };
        let folded = rest.as_str().to_lowercase();
        let known = tables::WINDOWS_ZONES
            .iter()
            .filter(|(name, _)| folded.starts_with(name))
            .max_by_key(|(name, _)| name.len());
        let (zone, used) = if let Some((name, zone)) = known {
            ((*zone).to_owned(), name.len())
        } else {
            // The list's cities, up to the first word that is none ("..., New Delhi, and
            // the keyboard"); the first that is a zone is the one.
            let (mut found, mut used, mut pos) = (None, 0, 0);
            for piece in rest.as_str().split_inclusive(',') {
                let t = piece.trim_start();
                let Some(m) = CITY.find(t) else {
                    break;
                };
                if found.is_none() {
                    found = ctx.zones.resolve_exact(m.as_str());
                }
                let lead = piece.len() - t.len();
                used = pos + lead + m.end();
                pos += piece.len();
                if t.trim_end_matches(',').trim_end() != m.as_str() {
                    break;
                }
            }
            match found {
                Some(z) => (z, used),
                None => continue,
            }
        };
        out.push_str(&text[at..whole.start()]);
        out.push_str(&zone);
        at = rest.start() + used.min(rest.as_str().len());
    }
    out.push_str(&text[at..]);
    out
}
