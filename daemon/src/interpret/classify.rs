//! Classifies one clause of a request: an action, part of a disk request, a modifier of the
//! previous clause, or nothing. The families are tried in a fixed order, and the first that
//! matches wins.

use levitate_dbus::Action;

use super::{
    choose, clarify,
    disks::{disk_bits, names_a_disk, DiskBits},
    parts::partition_ref,
    patterns::{
        asks_for_rights, captured, ADD_AS, BOOTLOADER, COPY_SYSTEM, CREATE_USER, CREATE_USER_SHORT,
        DESKTOP, DEVICE, DISK_WORDS, FINISH, FORMAT, FS_AFTER_AS, FS_TARGET, GRANT_ADMIN, GROUP,
        HELP, HOSTNAME, INFO_QUESTION, INSTALL_PACKAGE, KERNEL_FLAGS, KERNEL_PARAM, KEYBOARD,
        LET_USE, LIST_DISKS, LOCALE, LOCALE_LOOSE, MOUNT, MOUNT_TARGET, NAME_NEEDS_ACCOUNT,
        NO_FORMAT, NO_REBOOT, ONTO_DISK_WORDS, OTHER_UNSUPPORTED, PASSWORD, PASSWORD_BEFORE,
        PASSWORD_FOR, PASSWORD_POSSESSIVE, PASSWORD_SUBJECT, PASSWORD_TRAILING, REBOOT,
        REBOOT_AFTER, REQUEST_QUESTION, SELF_ACCOUNT, SETTING_QUESTION, SIZE, STATUS,
        SUDO_MODIFIER, TIMEZONE, UNDO, UNSUPPORTED, USER_NAME, USE_AS, WIPE_FALSE, WIPE_TRUE,
        ZONE_TIME,
    },
    text::{fold_mapped, strip_articles},
    values::{keyboard_for, locale_for},
    Context,
};
use crate::{machine::Machine, validate};

/// One clause of a request, classified.
pub(super) enum Clause {
    Act(Action),
    Disk(DiskBits),
    /// "with sudo" after "create user x".
    Sudo,
    /// Several actions from one clause ("create user x with a password").
    Many(Vec<Action>),
    /// A new user was asked for without a name ("a user for my wife"): the next clause may
    /// give it ("her name is ines"), else the person is asked.
    NeedName {
        sudo: bool,
    },
    /// Storage the installer does not set up, described as it is now ("the first two
    /// drives have that LVM stuff"): refused only if the request goes on to install into it.
    StorageThere(Action),
    Unknown,
}

/// Classifies one clause. `lc` is the folded clause, `oc` the original.
pub(super) fn classify(oc: &str, lc: &str, ctx: &Context<'_>, users: &mut Vec<String>) -> Clause {
    let lc = lc.trim();
    if lc.is_empty() {
        return Clause::Unknown;
    }
    // ("create a user called backup": a login that is a topic's word is a login.)
    let login_named = super::patterns::LOGIN_NAMED.is_match(lc);
    // ("My company needs Windows for VPN stuff": what something else is for, nothing asked
    // of the installer; the clause is read as if it were not there.)
    let only_what_for = super::patterns::SOMEONE_ELSE_FIRST.is_match(lc)
        && lc.contains(" for ")
        && refused(lc.split(" for ").next().unwrap_or_default()).is_none()
        && !super::patterns::SETUP_ASKED.is_match(lc);
    // ("add me to the libvirt group for virtual machines": a group named after software,
    // and what it is for, ask for no software.)
    let group_named = GROUP.is_match(lc) && lc.contains("group");
    // ("reformat the Time Machine partition as ext4", "format the BitLocker partition":
    // a partition named by what it holds, formatted or mounted, asks for no such topic.)
    let part_named = (FORMAT.is_match(lc) || MOUNT.is_match(lc))
        && matches!(partition_ref(lc, ctx.machine), Some(Ok(_)));
    // ("the HGST carries our ZFS pool": what is there, described, asks for no such topic.)
    // (Only what the predicate names: "the wifi is a broadcom chip, can you get it working"
    // still speaks of the network.)
    let describes = super::patterns::DESCRIBES
        .captures(lc)
        // ("it has to work with secure boot left on": what must be, asked.)
        .filter(|c| {
            c.name("next").is_none()
                || !c.name("verb").is_some_and(|v| {
                    matches!(v.as_str(), "is" | "are" | "was" | "were" | "has" | "had")
                })
        })
        .and_then(|c| c.name("verb"))
        .is_some_and(|v| refused(&lc[..v.start()]).is_none())
        && !super::patterns::REQUEST_WORDS.is_match(lc);
    // ("keep the Apple drive with Time Machine untouched": a label of two words or more
    // names its partition, not the topic its words name.)
    let acts_on_it = FORMAT.is_match(lc)
        || MOUNT.is_match(lc)
        || lc.split_whitespace().any(|w| {
            matches!(
                w,
                "keep"
                    | "keeping"
                    | "leave"
                    | "spare"
                    | "preserve"
                    | "reuse"
                    | "untouched"
                    | "alone"
            )
        });
    let unlabelled = if acts_on_it {
        without_long_labels(lc, ctx.machine)
    } else {
        lc.to_owned()
    };
    let read = refused(&unlabelled)
        .filter(|_| !login_named && !only_what_for && !part_named)
        .filter(|a| {
            !(group_named && matches!(a, Action::Unsupported { topic, .. } if topic == "packages"))
        })
        // ("the music is on the exFAT partition": the filesystem a partition has, said.)
        .filter(|a| {
            !(matches!(a, Action::Unsupported { topic, .. } if topic == "filesystem")
                && !FORMAT.is_match(lc)
                && (lc.contains("partition") || lc.contains("volume"))
                && ctx
                    .machine
                    .disks
                    .iter()
                    .flat_map(|d| &d.partitions)
                    .any(|p| {
                        !p.fs.is_empty()
                            && lc
                                .split(|c: char| !c.is_alphanumeric() && c != '+')
                                .any(|w| w.eq_ignore_ascii_case(&p.fs))
                    }))
        })
        .map(Clause::Act)
        .or_else(|| control(lc))
        .or_else(|| account(oc, lc, users))
        .or_else(|| setting(oc, lc, ctx).map(Clause::Act))
        .or_else(|| step(oc, lc, ctx.machine).map(Clause::Act))
        .unwrap_or_else(|| match remaining(lc, ctx.machine) {
            Clause::Unknown => bare_value(lc, ctx).map_or(Clause::Unknown, Clause::Act),
            read => read,
        });
    // ("at school he connects to the wifi called ...", "there's the xfs partition with
    // all our shared folders": the network a statement speaks of, nothing asked before it.)
    let network_spoken_of = |topic: &str| {
        topic == "network"
            && super::patterns::STATEMENT_START.is_match(lc)
            && !super::patterns::REQUEST_WORDS.is_match(lc)
            && !["get it", "make it", "set it", "can you", "could you"]
                .iter()
                .any(|w| lc.contains(w))
            && super::patterns::UNSUPPORTED
                .iter()
                .find(|(_, t, _)| *t == "network")
                .and_then(|(re, ..)| re.find(lc))
                .is_some_and(|w| {
                    // (Said after the statement's verb: "the wifi is a broadcom chip" is
                    // about the wifi, and may ask for it next.)
                    super::patterns::STATEMENT_START
                        .find(lc)
                        .is_some_and(|s| s.end() <= w.start())
                        && super::patterns::ASKS_NETWORK
                            .find(lc)
                            .is_none_or(|a| a.start() >= w.start())
                })
    };
    // "don't bother setting up wifi": not asked for, so not refused either.
    match read {
        Clause::Act(Action::Unsupported { ref topic, .. }) if network_spoken_of(topic) => {
            Clause::Unknown
        }
        // ("I've copied the family archive off the mirror": storage a story speaks of;
        // "there's 330G free after the BitLocker partition": a partition named by what it
        // is, there; no such storage asked for.)
        Clause::Act(a @ Action::Unsupported { .. })
            if held_storage(&a)
                && (super::patterns::NARRATIVE.is_match(lc)
                    && !super::patterns::REQUEST_WORDS.is_match(lc)
                    || super::patterns::STORAGE_NOUN_NAMED.is_match(lc)
                        && super::patterns::STATEMENT_START.is_match(lc)
                        && !super::patterns::STORAGE_ASKED.is_match(lc)) =>
        {
            Clause::StorageThere(a)
        }
        Clause::Act(Action::Unsupported { .. })
            if super::patterns::DONT_BOTHER.is_match(lc)
                || super::patterns::NOT_WANTED.is_match(lc) =>
        {
            Clause::Unknown
        }
        Clause::Act(Action::Unsupported { ref topic, .. })
            if topic == "network"
                && (super::patterns::CONNECTED_SAID.is_match(lc)
                    || super::patterns::NETWORK_CONDITION.is_match(lc)
                        && !super::patterns::SETUP_ASKED.is_match(lc)) =>
        {
            Clause::Unknown
        }
        // "The RAID disks and the Windows NVMe must not be touched": storage that is
        // there, named, asks for none.
        Clause::Act(Action::Unsupported { .. }) if super::patterns::STORAGE_NAMED.is_match(lc) => {
            Clause::Unknown
        }
        // "The two WDs are an mdadm mirror from my old server", "Windows lives on the
        // Samsung with BitLocker": storage that is there, described, asks for none.
        Clause::Act(a @ Action::Unsupported { .. })
            if held_storage(&a)
                && super::patterns::STORAGE_THERE.is_match(lc)
                && !super::patterns::STORAGE_ASKED.is_match(lc)
                && !super::patterns::REPORTED.is_match(lc) =>
        {
            Clause::StorageThere(a)
        }
        // ("the HGST carries our ZFS pool", "which lives BitLocker-encrypted on the NVMe",
        // "ansible does everything over SSH": described in other words.)
        Clause::Act(a @ Action::Unsupported { .. }) if describes => {
            if held_storage(&a) {
                Clause::StorageThere(a)
            } else {
                Clause::Unknown
            }
        }
        // "The WD stays untouched, it's going to be my Steam library later": what a disk
        // will hold is no software asked for now.
        Clause::Act(Action::Unsupported { ref topic, .. })
            if topic == "packages" && super::patterns::FUTURE_USE.is_match(lc) =>
        {
            Clause::Unknown
        }
        read => read,
    }
}

/// Storage a disk can hold now (an array, a volume group, a pool, an encrypted volume):
/// refused only when asked for, spoken of otherwise.
fn held_storage(a: &Action) -> bool {
    matches!(a, Action::Unsupported { topic, .. } if matches!(topic.as_str(), "raid" | "lvm" | "zfs" | "encryption"))
}

/// "finnish, helsinki, finnish keyboard": a value said alone, with no setting's name, that
/// can only be one setting: a place with one time zone, or a language.
pub(super) fn bare_value(lc: &str, ctx: &Context<'_>) -> Option<Action> {
    let v = lc.trim().trim_end_matches(['.', '!', ',']);
    // "en_US.UTF-8" alone: a locale.
    if super::patterns::LOCALE_CODE.is_match(v) {
        return super::values::locale_for(v).map(|locale| Action::SetLocale { locale });
    }
    if v.is_empty() || v.split_whitespace().count() > 3 || v.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    // (A language first: "suomi" is also the country.) "french canada", "english us": a
    // language and where it is spoken.
    let folded = super::fold(v);
    let is_language = |w: &str| super::tables::LANGUAGES.iter().any(|(name, _)| *name == w);
    let language = is_language(&folded)
        || folded
            .split_once(' ')
            .is_some_and(|(first, _)| is_language(first));
    if let Some(locale) = language.then(|| super::values::locale_for(v)).flatten() {
        return Some(Action::SetLocale { locale });
    }
    ctx.zones
        .resolve_exact(v)
        .map(|zone| Action::SetTimezone { zone })
}

fn unsupported(topic: &str, reason: &str) -> Action {
    Action::Unsupported {
        topic: topic.into(),
        reason: Some(reason.into()),
    }
}

/// Things the installer does not do. They come first: "raid 1 across both disks" is not a
/// partitioning request.
fn refused(lc: &str) -> Option<Action> {
    // ("the one with the zfs thing called tank": which disk, not zfs asked for.)
    let described = super::patterns::DISK_WITH_STORAGE.replace_all(lc, "$d");
    let lc = described.as_ref();
    // "network name is nas", "show up on the network as nas": the host name, said through
    // the network it is seen on.
    let host_name = HOSTNAME.is_match(lc);
    let resize_spoken_of = super::patterns::RESIZE_SPOKEN_OF.is_match(lc);
    // "the zfs stuff can be wiped", "the raid is dead anyway", "erase the APFS container":
    // storage that goes away is not asked for.
    // ("Erase the drive as APFS": what it is erased into is asked for.)
    // ("the ZFS disk stays untouched", "the backups live there": storage spoken of as kept.)
    // ("the internal drive has my Time Machine backups", "my backups are on the WD":
    // where they are, said.)
    let kept = super::patterns::KEEP.is_match(lc)
        || super::patterns::KEEP_ONLY.is_match(lc)
        || super::patterns::KEPT_TAIL.is_match(lc)
        || super::patterns::LIVES_THERE.is_match(lc)
        || super::patterns::HOLDS_FILES.is_match(lc)
        || super::patterns::FILES_ON.is_match(lc)
        || super::patterns::SAFETY_QUESTION.is_match(lc);
    // ("keep the two disks as a mirror": what they are kept as is asked for.)
    let kept = kept && !super::patterns::KEPT_AS_STORAGE.is_match(lc);
    let goes_away = kept
        || super::patterns::GOES_AWAY.is_match(lc)
            && !lc.contains(" as ")
            && !lc.contains(" into ")
            && !lc.contains("format")
            && !super::patterns::SET_UP_STORAGE
                .is_match(&super::patterns::GOES_AWAY.replace_all(lc, " "));
    UNSUPPORTED
        .iter()
        .filter(|(_, topic, _)| {
            !(goes_away
                && matches!(
                    *topic,
                    "raid" | "zfs" | "lvm" | "filesystem" | "backup" | "encryption"
                ))
        })
        .filter(|(_, topic, _)| !(host_name && *topic == "network"))
        .filter(|(_, topic, _)| !(resize_spoken_of && *topic == "resize"))
        // ("the scanner needs its drivers": drivers, said as such.)
        .filter(|(_, topic, _)| !(*topic == "hardware" && super::patterns::DRIVERS.is_match(lc)))
        .find(|(re, ..)| re.is_match(lc))
        .map(|(_, topic, reason)| unsupported(topic, reason))
}

/// Help, undo, the sudo modifier, finishing and rebooting.
fn control(lc: &str) -> Option<Clause> {
    if HELP.is_match(lc) {
        return Some(Clause::Act(Action::Help));
    }
    if UNDO.is_match(lc) {
        return Some(Clause::Act(Action::Undo));
    }
    if SETTING_QUESTION.is_match(lc) {
        return Some(Clause::Act(Action::Status));
    }
    if SUDO_MODIFIER.is_match(lc)
        || super::patterns::PRONOUN_RIGHTS.is_match(lc) && asks_for_rights(lc)
    {
        return Some(Clause::Sudo);
    }
    if REBOOT_AFTER.is_match(lc) && !NO_REBOOT.is_match(lc) {
        return Some(Clause::Act(Action::Finish { reboot: Some(true) }));
    }
    // "I'm done with windows" is not finishing.
    if FINISH.is_match(lc)
        && (!["done with", "finished with", "through with"]
            .iter()
            .any(|w| lc.contains(w))
            || super::patterns::DONE_WITH_SETUP.is_match(lc))
        && !super::patterns::NOT_FINISH.is_match(lc)
        && !super::patterns::FINISHED_DOING
            .captures(lc)
            .is_some_and(|c| {
                !matches!(
                    &c["v"],
                    "installing" | "setting" | "configuring" | "answering" | "everything"
                )
            })
    {
        let reboot = if NO_REBOOT.is_match(lc) {
            Some(false)
        } else if REBOOT.is_match(lc) {
            Some(true)
        } else {
            None
        };
        return Some(Clause::Act(Action::Finish { reboot }));
    }
    if REBOOT.is_match(lc) || super::patterns::POWER_OFF.is_match(lc) {
        if NO_REBOOT.is_match(lc) {
            return Some(Clause::Act(Action::Finish {
                reboot: Some(false),
            }));
        }
        // "should I restart?", "do I need to reboot?": a question, not the command ("do
        // the restart" is one).
        let imperative = lc.starts_with("do the ") || lc.starts_with("do a ");
        if INFO_QUESTION.is_match(lc) && !REQUEST_QUESTION.is_match(lc) && !imperative {
            return Some(Clause::Unknown);
        }
        return Some(Clause::Act(Action::Reboot));
    }
    // "leave it running" beside a finish.
    if NO_REBOOT.is_match(lc) {
        return Some(Clause::Act(Action::Finish {
            reboot: Some(false),
        }));
    }
    None
}

/// Words that stand where a name could, and are not one ("an account for me", "add him").
pub(super) const NOT_NAMES: &[&str] = &[
    // "mine should be tom", "the settings are password-locked", "the first password":
    // possessives, verbs and ordinals stand where a name could.
    "mine",
    "hers",
    "theirs",
    "ours",
    "yours",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "first",
    "second",
    "initial",
    "starting",
    "temporary",
    "default",
    "same",
    // Titles: "a user for Mr. O'Neil" names nobody's login.
    "mr",
    "mrs",
    "ms",
    "dr",
    "miss",
    "sir",
    // "so ingrid can do the admin things": what is done, nobody's login.
    "things",
    "stuff",
    // ("New user oskar, member of the users group": what he is, nobody's login.)
    "member",
    "members",
    "tasks",
    "jobs",
    "duties",
    "powers",
    // Several people, or words of a correction, are nobody's login.
    "both",
    "all",
    "each",
    "everybody",
    "anyone",
    "anybody",
    "nobody",
    "none",
    "neither",
    "admins",
    "users",
    "accounts",
    "actually",
    "wait",
    "scratch",
    "oops",
    "sorry",
    // Hesitations and answers ("username dad... hmm, no, make it papa").
    "no",
    "nope",
    "yes",
    "yeah",
    "hmm",
    "hm",
    "hmmm",
    "um",
    "umm",
    "uh",
    "er",
    "erm",
    "ah",
    // What is left where a secret was cut ("user mike, password and user nina").
    "password",
    "passwords",
    "passphrase",
    "passwd",
    "pw",
    "pwd",
    "besides",
    "except",
    "without",
    "w/o",
    "alright",
    "right",
    "okay",
    "ok",
    "yes",
    "yeah",
    "sure",
    "thanks",
    "but",
    "other",
    "than",
    "i",
    "me",
    "myself",
    "him",
    "her",
    "them",
    "it",
    "he",
    "she",
    "they",
    "us",
    "you",
    "someone",
    "somebody",
    "everyone",
    "my",
    "his",
    "their",
    "our",
    "your",
    "the",
    "a",
    "an",
    "for",
    "with",
    "and",
    "to",
    "called",
    "named",
    "user",
    "account",
    "login",
    "admin",
    "administrator",
    "please",
    "new",
    "this",
    "that",
    "one",
    "too",
    "also",
    "as",
    "is",
    "name",
    "username",
    "sudo",
    "rights",
    "access",
    "privileges",
    // Words of time and order, and verbs that follow someone ("before my colleague
    // arrives", "no admin for either"): never a login in prose or in a list.
    "either",
    "before",
    "after",
    "until",
    "till",
    "while",
    "when",
    "where",
    "once",
    "since",
    "because",
    "later",
    "soon",
    "today",
    "tomorrow",
    "tonight",
    "again",
    "next",
    "last",
    "arrives",
    "arrive",
    "comes",
    "come",
    "visits",
    "leaves",
    "starts",
    "works",
    "lives",
    "stays",
    "uses",
    "plays",
    "studies",
    "learns",
    "likes",
    "loves",
    "goes",
    "says",
    "knows",
    "helps",
    "takes",
    "makes",
    "moves",
    "joins",
    "reads",
    "writes",
    "watches",
    "travels",
    "returns",
    // Words that begin what is said of someone ("my son who is 12", "the users group").
    "who",
    "which",
    "whose",
    "group",
    "groups",
];

/// The user a pronoun means: the most recent one, or a question.
fn user_meant(said: String, users: &[String]) -> Result<String, Action> {
    if !is_not_a_name(&said) {
        return Ok(login(said));
    }
    users.last().cloned().ok_or_else(|| {
        clarify("Which user do you mean? Create the user first, or name them (\"add anna to the video group\").")
    })
}

/// The users a plural means ("both": the last two; "them", "all of them", "everyone": all
/// known), or None when it is no plural or there are not that many.
fn plural_members(said: &str, users: &[String]) -> Option<Vec<String>> {
    let said = said.to_lowercase();
    let said = said.trim();
    let n = match said {
        "both" | "both of them" | "the two of them" => 2,
        "them" | "them all" | "all of them" | "all" | "everyone" | "everybody" | "each of them" => {
            users.len()
        }
        _ => return None,
    };
    (n >= 2 && users.len() >= n).then(|| users[users.len() - n..].to_vec())
}

/// A user joins a group. The user named becomes the one a later "his password" means,
/// even one created before another.
fn group_action(user: String, group: &str, users: &mut Vec<String>) -> Action {
    let user = match user_meant(user, users) {
        Ok(u) => u,
        Err(q) => return q,
    };
    if let Err(e) = validate::username(&user) {
        return clarify(e);
    }
    // "the printer group": the group printing is given by.
    let group = match group {
        "printer" | "printers" | "printing" => "lp",
        "admin" | "admins" | "administrators" => "wheel",
        g => g,
    };
    if let Err(e) = validate::group(group) {
        return clarify(e);
    }
    users.retain(|u| *u != user);
    users.push(user.clone());
    Action::AddToGroup {
        user,
        group: group.to_owned(),
    }
}

/// A user referred to as names are written in prose ("Lucia's password", or "MARIA" with
/// caps lock on) is the login in lower case; anything else is kept as typed, to be accepted
/// or questioned.
fn login(name: String) -> String {
    let mut chars = name.chars();
    let capitalised = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    let shouted = name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if capitalised || shouted {
        name.to_ascii_lowercase()
    } else {
        name
    }
}

/// A new user's name, checked; the user joins `users`.
pub(super) fn new_user(name: &str, sudo: bool, users: &mut Vec<String>) -> Action {
    // A person named in prose ("my son Leo", "my mum, Rosa") or a name typed with caps lock
    // is the login in lower case; any other mix of cases is asked about.
    // ('kai' in quotes is kai.)
    let name = login(bare_name(name).to_owned());
    match validate::new_username(&name) {
        Ok(()) => {
            users.push(name.clone());
            Action::CreateUser {
                name,
                sudo: Some(sudo),
            }
        }
        Err(e) => clarify(e),
    }
}

/// Rights asked for in words beside a login, never by the login itself ("a user called
/// wheel", "my username will be k8s-admin").
fn rights_beside(lc: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    let mut words: Vec<&str> = lc.split(' ').collect();
    // (The last time it is said: "the admin user should be called admin" asks for rights.)
    if let Some(at) = words.iter().rposition(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '_') == name
    }) {
        words.remove(at);
    }
    super::patterns::asks_for_rights(&words.join(" "))
}

/// A name as said, without the sentence's end or the quotes around it.
fn bare_name(name: &str) -> &str {
    name.trim_end_matches(['.', '!', '?'])
        .trim_matches(['\'', '"', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}'])
}

/// A login typed after an account word ("create user Kevin", "username: John"): one not
/// in lower case is an invalid value the contract says to ask about, never to alter
/// silently; the question offers the lower-case one.
pub(super) fn new_login(name: &str, sudo: bool, users: &mut Vec<String>) -> Action {
    let bare = bare_name(name);
    let lower = bare.to_ascii_lowercase();
    if bare != lower && validate::new_username(&lower).is_ok() {
        let rights = if sudo {
            ", with administrator rights"
        } else {
            ""
        };
        return clarify(format!(
            "{:?} is not a valid user name: logins are written in lower case. Should it be {lower:?}{rights}?",
            validate::display_text(bare, 40)
        ));
    }
    new_user(name, sudo, users)
}

/// Groups, passwords and new users. A new user joins `users`, so a later "set password"
/// in the same request means them.
fn account(oc: &str, lc: &str, users: &mut Vec<String>) -> Option<Clause> {
    // ("add console=ttyS0,115200 to the kernel": options, for the bootloader.)
    if super::patterns::KERNEL_ADD.is_match(lc) {
        return None;
    }
    // ("the server needs an account called deploy": the account's name, not the
    // machine's.)
    if let Some(name) = super::patterns::NEEDS_ACCOUNT_CALLED
        .captures(lc)
        .and_then(|c| captured(&c, &["n"], oc, lc))
        .filter(|n| !is_not_a_name(n))
    {
        return Some(Clause::Act(new_login(
            &name,
            rights_beside(lc, &name),
            users,
        )));
    }
    // "I want to check the accounts before ...": what is set so far, shown.
    if super::patterns::ACCOUNTS_LOOKED_AT.is_match(lc) && !lc.contains("password") {
        return Some(Clause::Act(Action::Status));
    }
    // "create user 'Bob Smith'": a login is one word; a full name is asked about, never cut
    // to its first word.
    if let Some(c) = super::patterns::QUOTED_FULL_NAME.captures(oc) {
        return Some(Clause::Act(clarify(format!(
            "A user name is one word, like {:?}; {:?} has a space. What should the login be?",
            c["n"]
                .split_whitespace()
                .next()
                .unwrap_or("anna")
                .to_lowercase(),
            validate::display_text(&c["n"], 40)
        ))));
    }
    // "I don't need any user besides root": no account is asked for (a password may be).
    if super::patterns::NO_ACCOUNT.is_match(lc) {
        return (PASSWORD.is_match(lc) && !lc.contains("hostname"))
            .then(|| Clause::Act(password(oc, lc, users)));
    }
    if super::patterns::SPEAKER_WILL_ADMIN.is_match(lc) {
        return Some(Clause::NeedName { sudo: true });
    }
    // "my roommate needs an account too": a new user, named in what follows.
    if let Some(c) = super::patterns::SOMEONE_NEEDS_ACCOUNT.captures(lc) {
        // "my wife jane needs an account": the word after the relation is the name.
        let named = c.name("name").and_then(|_| captured(&c, &["name"], oc, lc));
        // "my son Leo needs an account": his login is leo.
        if let Some(name) = named.filter(|_| RELATIONS.contains(&&c["rel"])) {
            return Some(Clause::Act(new_user(
                &name,
                rights_beside(lc, &name),
                users,
            )));
        }
        return Some(Clause::NeedName {
            sudo: asks_for_rights(lc),
        });
    }
    if let Some(c) = super::patterns::GROUP_NO_USER.captures(lc) {
        if let Some(user) = users.last().cloned() {
            let group = captured(&c, &["g", "h", "i", "j", "k"], lc, lc).unwrap_or_default();
            if is_group(&group, lc) {
                return Some(Clause::Act(group_action(user, &group, users)));
            }
        }
    }
    // "user name is kev_99": a new user, named.
    if let Some(name) = super::patterns::THE_USER_IS
        .captures(lc)
        .and_then(|c| captured(&c, &["v", "w"], oc, lc))
    {
        return Some(Clause::Act(new_login(
            &name,
            rights_beside(lc, &name),
            users,
        )));
    }
    if let Some(c) = GRANT_ADMIN.captures(lc).filter(|_| asks_for_rights(lc)) {
        let user = captured(&c, &["u", "u2", "u3", "u4", "u5"], oc, lc).unwrap_or_default();
        return Some(Clause::Act(group_action(user, "wheel", users)));
    }
    if let Some(c) = LET_USE.captures(lc) {
        let group = captured(&c, &["g", "g2"], lc, lc).unwrap_or_default();
        if COMMON_GROUPS.contains(&group.as_str()) {
            let user = captured(&c, &["u", "u2", "u3"], oc, lc).unwrap_or_default();
            return Some(Clause::Act(group_action(user, &group, users)));
        }
    }
    if let Some(c) = ADD_AS.captures(lc) {
        let name = captured(&c, &["v"], oc, lc).unwrap_or_default();
        if !is_not_a_name(&name) {
            let sudo = rights_beside(lc, &name);
            return Some(Clause::Act(new_user(&name, sudo, users)));
        }
    }
    if let Some((name, typed)) = short_new_user(oc, lc) {
        let make = if typed { new_login } else { new_user };
        let account = make(&name, rights_beside(lc, &name), users);
        // ("create lea with the password ...": hers, asked for.)
        if let Action::CreateUser { name: user, .. } = &account {
            if super::patterns::WITH_PASSWORD_SAID.is_match(lc) {
                let user = user.clone();
                return Some(Clause::Many(vec![account, Action::SetPassword { user }]));
            }
        }
        return Some(Clause::Act(account));
    }
    if let Some(c) = GROUP.captures(lc) {
        // ("New user oskar, member of the users group": the user just named.)
        let user = captured(&c, &["u", "u2", "u3"], oc, lc).unwrap_or_else(|| "it".into());
        let group = captured(&c, &["g1", "g2", "g3", "g4"], oc, lc).unwrap_or_default();
        // "put everything in korean" is about the language, not a user.
        let thing = [
            "everything",
            "all",
            "stuff",
            "things",
            "text",
            "menus",
            "system",
        ]
        .contains(&user.to_lowercase().as_str());
        let system = NOT_MEMBERS.contains(&user.to_lowercase().as_str());
        if is_group(&group, lc) && !system {
            // "put both in plugdev", "add them all to docker": everyone just made.
            if let Some(many) = plural_members(&user, users) {
                let each = many
                    .into_iter()
                    .map(|u| group_action(u, &group, users))
                    .collect();
                return Some(Clause::Many(each));
            }
            if !thing {
                return Some(Clause::Act(group_action(user, &group, users)));
            }
        }
    }
    // ("ops in wheel" after "user: ops": only a person already named, and a group that is
    // one: "root in btrfs" is no member.)
    if let Some(c) = super::patterns::MEMBER_LINE.captures(lc) {
        let user = c
            .name("u")
            .or_else(|| c.name("u2"))
            .map_or("", |m| m.as_str());
        let group = c
            .name("g")
            .or_else(|| c.name("g2"))
            .map_or("", |m| m.as_str());
        let called_group =
            c.name("said").is_some() || c.name("after").is_some() || c.name("u2").is_some();
        if users.iter().any(|u| u == user)
            && (called_group || COMMON_GROUPS.contains(&group))
            && !NOT_GROUPS.contains(&group)
        {
            return Some(Clause::Act(group_action(user.to_owned(), group, users)));
        }
    }
    let create = CREATE_USER.captures(lc).or_else(|| {
        CREATE_USER_SHORT
            .captures(lc)
            .filter(|c| c.name("v").is_some())
    });
    let Some(c) = create else {
        // "user camille is admin": a new user, with rights.
        if let Some(name) = super::patterns::USER_IS_ADMIN
            .captures(lc)
            .and_then(|c| captured(&c, &["v"], oc, lc))
            .filter(|n| !users.iter().any(|u| u.eq_ignore_ascii_case(n)))
        {
            return Some(Clause::Act(new_login(&name, true, users)));
        }
        // "user ci without sudo in the docker group": a user not made yet, described.
        if let Some(name) = super::patterns::USER_WITH
            .captures(lc)
            .and_then(|c| captured(&c, &["v"], oc, lc))
            .filter(|n| {
                !users.iter().any(|u| u.eq_ignore_ascii_case(n))
                    && !is_not_a_name(n)
                    && !PASSWORD.is_match(lc)
            })
        {
            let made = new_login(&name, rights_beside(lc, &name), users);
            return Some(with_group_said(made, lc));
        }
        // "user bob pw ...": a user not made yet, with the password asked for.
        if let Some(name) = super::patterns::USER_THEN_PASSWORD
            .captures(lc)
            .and_then(|c| captured(&c, &["v"], oc, lc))
            .filter(|n| !users.iter().any(|u| u.eq_ignore_ascii_case(n)) && !is_not_a_name(n))
        {
            let made = new_login(&name, rights_beside(lc, &name), users);
            if let Action::CreateUser { name: user, .. } = &made {
                let user = user.clone();
                return Some(Clause::Many(vec![made, Action::SetPassword { user }]));
            }
            return Some(Clause::Act(made));
        }
        // ("my BIOS password is ...": nothing the installer sets.)
        if super::patterns::OTHER_THINGS_PASSWORD.is_match(lc) {
            return Some(Clause::Unknown);
        }
        // ("my luks password is ...": the disk's passphrase, asked when the plan runs.)
        // ("the firmware settings are password-locked": a password that is there, told.)
        if PASSWORD.is_match(lc)
            && !super::patterns::PASSWORD_GUARDED.is_match(lc)
            && !lc.contains("hostname")
            && !super::patterns::DISK_SECRET.is_match(lc)
        {
            // "set passwords for both", "passwords for all of them": each one's.
            if let Some(many) = super::patterns::PASSWORDS_FOR_ALL
                .captures(lc)
                .and_then(|c| plural_members(&c["who"], users))
            {
                let each = many
                    .into_iter()
                    .map(|user| Action::SetPassword { user })
                    .collect();
                return Some(Clause::Many(each));
            }
            // "password for root and for fedora-admin, both ...": each one's.
            if let Some(c) = super::patterns::PASSWORDS_FOR_TWO.captures(lc) {
                let two: Vec<String> = ["a", "b"]
                    .iter()
                    .filter_map(|k| captured(&c, &[k], oc, lc))
                    .map(|u| u.to_lowercase())
                    .filter(|u| !is_not_a_name(u) && validate::username(u).is_ok())
                    .collect();
                if two.len() == 2 {
                    let each = two
                        .into_iter()
                        .map(|user| Action::SetPassword { user })
                        .collect();
                    return Some(Clause::Many(each));
                }
            }
            return Some(Clause::Act(password(oc, lc, users)));
        }
        return None;
    };
    let sudo = asks_for_rights(lc);
    // The name: after "called", "named", "name is"...; else the word after the noun
    // unless it is a pronoun or an ordinary word ("a user for her": no name given).
    let rest = c.name("rest").map_or("", |m| m.as_str());
    let offset = c.name("rest").map_or(0, |m| m.start());
    // "a user named admin": said as the name, so it is one.
    let explicit = USER_NAME.is_match(rest);
    let named = USER_NAME
        .captures(rest)
        .and_then(|n| n.name("v").map(|v| (v.start(), v.end())))
        .or_else(|| c.name("v").map(|v| (v.start() - offset, v.end() - offset)))
        // "an account for my daughter emma": the name after the relation.
        .or_else(|| {
            let r = super::patterns::FOR_RELATIVE.captures(rest)?;
            let v = r.name("v")?;
            (RELATIONS.contains(&&r["rel"]) && !is_not_a_name(v.as_str()))
                .then_some((v.start(), v.end()))
        })
        .or_else(|| {
            let first = rest.split_whitespace().find(|w| *w != "for")?;
            let at = rest.find(first)?;
            (!NOT_NAMES.contains(&first)).then_some((at, at + first.len()))
        })
        // "create her account as emma": the login after "as" (not "as admin").
        .or_else(|| {
            let mut words = rest.split_whitespace().filter(|w| *w != "for");
            if words.next()? != "as" {
                return None;
            }
            let name = words.next().filter(|w| {
                !NOT_NAMES.contains(w)
                    && !matches!(
                        *w,
                        "admin" | "administrator" | "root" | "sudo" | "superuser" | "sudoer"
                    )
            })?;
            let at = rest.find(" as ")? + 4;
            (rest.get(at..at + name.len()) == Some(name)).then_some((at, at + name.len()))
        });
    let name = named.and_then(|(a, b)| {
        let (folded, map) = fold_mapped(oc);
        if folded != lc {
            // (Without a rest, the offsets are the clause's.)
            let src = if c.name("rest").is_some() { rest } else { lc };
            return src.get(a..b).map(str::to_owned);
        }
        let start = *map.get(offset + a)?;
        let end = map.get(offset + b).copied().unwrap_or(oc.len());
        oc.get(start..end).map(|v| v.trim().to_owned())
    });
    // "create an ansible user", "a student account": the name before the noun.
    // ("create her account": a pronoun is nobody's login.)
    let before_noun = || {
        super::patterns::NAME_BEFORE_NOUN
            .captures(lc)
            .and_then(|c| captured(&c, &["v"], oc, lc))
            .filter(|n| {
                let n = n.to_lowercase();
                !NOT_A_NAME_BEFORE_NOUN.contains(&n.as_str()) && !is_not_a_name(&n)
            })
    };
    let Some(name) = name
        .filter(|n| {
            !is_not_a_name(n)
                || explicit && matches!(n.to_lowercase().as_str(), "admin" | "administrator")
        })
        .or_else(before_noun)
    else {
        return Some(Clause::NeedName { sudo });
    };
    // "create user Bob Smith": a full name, not a login; ask.
    let surname = oc
        .find(name.as_str())
        .and_then(|at| oc[at + name.len()..].split_whitespace().next())
        .is_some_and(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(char::is_alphabetic)
                && !name.chars().all(|c| !c.is_lowercase())
                && ![
                    "with", "and", "who", "as", "to", "in", "for", "but", "without", "please",
                ]
                .contains(&w.to_lowercase().as_str())
        });
    if surname {
        return Some(Clause::Act(clarify(format!(
            "A user name is one word, like {:?}. What should the login be?",
            name.to_lowercase()
        ))));
    }
    // ("a user named admin": the name asks for no rights.)
    let sudo = sudo && rights_beside(lc, &name);
    let made = new_login(&name, sudo, users);
    if let Clause::Many(both) = with_group_said(made.clone(), lc) {
        return Some(Clause::Many(both));
    }
    if let Action::CreateUser {
        name: made_name, ..
    } = &made
    {
        // ("create user ines with passphrase '...'": the account's, not a disk's.)
        if PASSWORD.is_match(lc) || super::patterns::WITH_PASSPHRASE.is_match(lc) {
            let user = made_name.clone();
            return Some(Clause::Many(vec![made, Action::SetPassword { user }]));
        }
    }
    Some(Clause::Act(made))
}

/// Quotes typed around a list of kernel parameters.
const KERNEL_ARG_QUOTES: [char; 6] = ['\'', '"', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}'];

/// Words that end a keyboard's name in a sentence ("ru by mistake").
const KEYBOARD_TAIL: &[&str] = &[
    "by", "because", "since", "as", "for", "from", "that", "which", "i", "so", "please", "thanks",
    "instead", "but", "when", "if", "since", "from",
];

/// A user just made, and the group the same clause puts them in ("user build with no
/// sudo in the docker group"); wheel and sudo are rights, said by `sudo`.
fn with_group_said(made: Action, lc: &str) -> Clause {
    let group = super::patterns::IN_GROUP
        .captures(lc)
        .and_then(|c| c.name("g").or_else(|| c.name("h")).or_else(|| c.name("i")))
        .map(|g| g.as_str().to_owned())
        .filter(|g| {
            !matches!(g.as_str(), "wheel" | "sudo" | "admin") && validate::group(g).is_ok()
        });
    match (&made, group) {
        (Action::CreateUser { name: user, .. }, Some(group)) => {
            let user = user.clone();
            Clause::Many(vec![made, Action::AddToGroup { user, group }])
        }
        _ => Clause::Act(made),
    }
}

/// Words before "user" or "account" that say what kind, not who ("a new user", "an admin
/// account").
const NOT_A_NAME_BEFORE_NOUN: &[&str] = &[
    "new",
    "admin",
    "sudo",
    "normal",
    "regular",
    "standard",
    "second",
    "third",
    "another",
    "local",
    "separate",
    "extra",
    "additional",
    "user",
    "limited",
    "restricted",
    "unprivileged",
    "privileged",
    "administrator",
    "personal",
    "own",
    "single",
    "first",
    "main",
    "default",
    "basic",
    "simple",
    "sudoer",
    "superuser",
    "power",
    "non-admin",
    "nonadmin",
    "ordinary",
    "plain",
    "test",
    "temporary",
    "my",
    "the",
    "an",
    "a",
    "one",
];

/// A new user asked for in few words: a typo'd verb ("crate user rita"), "create NAME", or
/// the name first ("oscar needs an account"); and whether the name was typed as a login
/// ("crate user Kevin", "my username is Dan") rather than a person named ("Maria needs an
/// account").
fn short_new_user(oc: &str, lc: &str) -> Option<(String, bool)> {
    if let Some(c) = NAME_NEEDS_ACCOUNT
        .captures(lc)
        .or_else(|| SELF_ACCOUNT.captures(lc))
    {
        let typed = ["user", "login"].iter().any(|w| c[0].contains(w));
        // ("It needs an account called ci": the machine, whose account is named after.)
        let named_after =
            super::patterns::CALLED_AFTER.captures(&lc[c.get(0).map_or(0, |m| m.end())..]);
        if let Some(n) = named_after.and_then(|a| a.name("n")) {
            return Some((n.as_str().to_owned(), true));
        }
        return captured(&c, &["v", "w"], oc, lc)
            .filter(|n| !NOT_NAMES.contains(&n.as_str()))
            .filter(|n| {
                !matches!(
                    n.as_str(),
                    "it" | "this"
                        | "that"
                        | "he"
                        | "she"
                        | "they"
                        | "someone"
                        | "somebody"
                        | "everyone"
                        | "everybody"
                        | "nobody"
                        | "who"
                        | "which"
                )
            })
            .map(|n| (n, typed));
    }
    let c = CREATE_USER_SHORT.captures(lc)?;
    if let Some(verb) = c.name("verb") {
        // A word meant as "create", "add" or "make", never one that removes.
        let verb = verb.as_str();
        let meant = ["create", "add", "make", "setup", "register"]
            .iter()
            .any(|v| crate::interpret::edit_distance(verb, v) <= usize::from(verb.len() > 4) + 1);
        if !meant || ["delete", "remove", "drop", "del", "rm"].contains(&verb) {
            return None;
        }
        return captured(&c, &["w"], oc, lc).map(|n| (n, true));
    }
    let x = c.name("x")?.as_str();
    // "create partitions", "create swap", "add firefox": a noun of the installer or a
    // program, not a name.
    let reserved = NOT_NAMES.contains(&x)
        || DISK_WORDS.is_match(x)
        || OTHER_UNSUPPORTED.is_match(x)
        || DESKTOP.is_match(x)
        || UNSUPPORTED.iter().any(|(re, ..)| re.is_match(x))
        || crate::interpret::words::is_keyword(x)
        || [
            "partition",
            "partitions",
            "user",
            "users",
            "account",
            "group",
            "password",
            "it",
        ]
        .contains(&x);
    (!reserved)
        .then(|| captured(&c, &["x"], oc, lc))
        .flatten()
        .map(|n| (n, false))
}

/// Groups people are commonly given on a desktop system: "let hank use docker" names one,
/// where "install docker" asks for software.
pub(super) const COMMON_GROUPS: &[&str] = &[
    "sudo",
    "wheel",
    "adm",
    "audio",
    "video",
    "render",
    "input",
    "plugdev",
    "dialout",
    "uucp",
    "lp",
    "lpadmin",
    "scanner",
    "cdrom",
    "floppy",
    "netdev",
    "network",
    "storage",
    "docker",
    "libvirt",
    "kvm",
    "vboxusers",
    "wireshark",
    "games",
    "users",
    "bluetooth",
    "systemd-journal",
];

/// Words after "add X to" that are not a group.
const NOT_GROUPS: &[&str] = &[
    "the",
    "a",
    "an",
    "it",
    "disk",
    "drive",
    "list",
    "plan",
    "rest",
    "remainder",
    "space",
    "free",
    "partition",
    "middle",
    "end",
];

/// Whether `group`, after "add X to", is a group: a word of `NOT_GROUPS` only where it is
/// called one ("the disk group", "group disk").
fn is_group(group: &str, lc: &str) -> bool {
    !NOT_GROUPS.contains(&group)
        || group == "disk"
            && (lc.contains(&format!("{group} group")) || lc.contains(&format!("group {group}")))
}

/// People an account may be for ("my wife jane needs an account").
pub(super) const RELATIONS: &[&str] = &[
    "wife",
    "husband",
    "son",
    "daughter",
    "brother",
    "sister",
    "mum",
    "mom",
    "mother",
    "dad",
    "father",
    "friend",
    "roommate",
    "flatmate",
    "partner",
    "kid",
    "child",
    "colleague",
    "uncle",
    "aunt",
    "grandma",
    "grandpa",
    "grandmother",
    "grandfather",
    "cousin",
    "nephew",
    "niece",
    "boss",
    "girlfriend",
    "boyfriend",
    "student",
    "guest",
    "neighbour",
    "neighbor",
    "spouse",
    "housemate",
    "coworker",
    "co-worker",
    "granny",
    "grandson",
    "granddaughter",
    "teenager",
    "tenant",
    "assistant",
    "intern",
    "employee",
    "receptionist",
    "manager",
];

/// Words before "in" or "to" that are a system, not a user ("put linux in the rest").
const NOT_MEMBERS: &[&str] = &["linux", "windows", "ubuntu", "system", "everything"];

/// Words next to "password" that are not the user it is for.
const NOT_USERS: &[&str] = &[
    "now",
    "later",
    "today",
    "starters",
    "set",
    "change",
    "reset",
    "update",
    "the",
    "a",
    "new",
    "her",
    "his",
    "their",
    "my",
    "user",
    "its",
    "same",
    "admin",
    "strong",
    "good",
    "secure",
    "login",
    "account",
    "luks",
    "disk",
    "encryption",
    "old",
    "previous",
    "current",
    "default",
    "temporary",
    "wifi",
    // ("a root password for the console in emergencies": what it is for, nobody.)
    "console",
    "emergencies",
    "emergency",
    "rescue",
    "recovery",
    "ssh",
    "system",
    "machine",
    "server",
    "computer",
    "vm",
];

/// The question when a password is said for nobody named; `finish` gives it to the one
/// account the request makes, if there is one.
pub(super) const WHOSE_PASSWORD: &str =
    "Whose password should I set? Create a user first, or say \"set password for NAME\".";

/// A password clause: for the user it names, else the most recent one.
fn password(oc: &str, lc: &str, users: &[String]) -> Action {
    // Every way the name can be given is tried, most explicit first, so "set password
    // for vince" is not read as a user called "set".
    let named = [
        &*super::patterns::PASSWORD_PAREN,
        &*PASSWORD_SUBJECT,
        &*PASSWORD_FOR,
        &*PASSWORD_POSSESSIVE,
        &*PASSWORD_TRAILING,
        &*PASSWORD_BEFORE,
    ]
    .iter()
    .find_map(|re| {
        re.captures_iter(lc)
            .filter_map(|c| captured(&c, &["v", "w"], oc, lc))
            .find(|u| {
                let w = u.to_lowercase();
                // ("groups=video,audio,input, pw=...": a group listed last is nobody.)
                !NOT_USERS.contains(&w.as_str())
                    && !is_not_a_name(u)
                    && (!COMMON_GROUPS.contains(&w.as_str()) || users.contains(&w))
            })
    });
    let user = named.map(login).or_else(|| users.last().cloned());
    match user {
        None => clarify(WHOSE_PASSWORD),
        Some(u) => match validate::username(&u) {
            Ok(()) => Action::SetPassword { user: u },
            Err(e) => clarify(e),
        },
    }
}

/// Host name, keyboard layout, time zone and language.
fn setting(oc: &str, lc: &str, ctx: &Context<'_>) -> Option<Action> {
    // ("don't give me the Portuguese layout": that value is not wanted.)
    if super::patterns::VALUE_REFUSED.is_match(lc) && (KEYBOARD.is_match(lc) || LOCALE.is_match(lc))
    {
        return None;
    }
    // "my last PC was called falcon": another machine's name, not this one's.
    // ("call the computer Gaming Rig like his old one": named here, after the other.)
    let other_machine = super::patterns::OTHER_MACHINE_NAME.is_match(lc)
        && !["call ", "name ", "rename ", "set the host", "hostname "]
            .iter()
            .any(|v| lc.starts_with(v));
    if let Some(c) = HOSTNAME.captures(lc).filter(|_| !other_machine) {
        let name =
            captured(&c, &["v", "w", "x", "y", "z", "q", "o", "t"], oc, lc).unwrap_or_default();
        let name = unquoted(&name).to_owned();
        // "DESKTOP-GAMING01": a host name typed in capitals is the same name.
        let name = if name.chars().any(char::is_uppercase) && !name.chars().any(char::is_lowercase)
        {
            name.to_lowercase()
        } else {
            name
        };
        // ("changed the hostname twice": no name.)
        if only_when_said(&name) {
            return None;
        }
        // ("set the hostname to Dev-Box#1", the value cut as a secret might be: a word of
        // the sentence left, no name.)
        // ("the hostname must be set": that it is, asked, without a name.)
        if matches!(
            name.as_str(),
            "to" | "as" | "is" | "be" | "=" | ":" | "set" | "configured" | "chosen" | "changed"
        ) {
            return Some(clarify(
                "What should the host name be? Use letters, digits and hyphens, like my-laptop.",
            ));
        }
        // "set the hostname to lab-07 instead": words after the name that add nothing.
        let mut after = c.get(0).map_or("", |m| &lc[m.end()..]).trim();
        for filler in [
            "instead", "too", "as well", "also", "then", "now", "again", "thanks", "only",
        ] {
            after = after.strip_suffix(filler).unwrap_or(after).trim();
        }
        // "... as den-pc on the wifi": where the name is seen.
        if super::patterns::ON_THE_NETWORK.is_match(after) {
            after = "";
        }
        // ("... like his old one": what it is named after.)
        if let Some(at) = after
            .find(" like ")
            .or_else(|| after.starts_with("like ").then_some(0))
        {
            after = after[..at].trim();
        }
        if !after.is_empty() {
            // "I keep forgetting the hostname halfway through": spoken of, not set.
            let before = &lc[..c.get(0).map_or(0, |m| m.start())];
            let asks = before.split_whitespace().count() <= 3
                || before.split_whitespace().any(|w| {
                    [
                        "set", "change", "make", "call", "name", "rename", "use", "want", "like",
                        "please", "could", "can", "would", "should", "let", "give", "put", "pick",
                        "choose", "need",
                    ]
                    .contains(&w)
                });
            if !asks {
                return None;
            }
            return Some(clarify(format!(
                "A host name is one word (letters, digits and hyphens); did you mean {:?}? Say \"hostname NAME\".",
                validate::display_text(&format!("{name} {after}"), 40)
            )));
        }
        return Some(match validate::hostname(&name) {
            Ok(()) => Action::SetHostname { name },
            Err(e) => clarify(e),
        });
    }
    // "a UK keyboard with the pound key": the key named says nothing more.
    let kb = super::patterns::WITH_KEY.replace(lc, "");
    // "a French keyboard too": what follows the keyboard adds nothing.
    let mut kb = kb.trim_end().to_owned();
    for tail in [" too", " as well", " also", " please", " thanks", " then"] {
        if let Some(rest) = kb.strip_suffix(tail) {
            kb = rest.trim_end().to_owned();
        }
    }
    // "default layout with luks": the disk's layout, not the keyboard's.
    // ("layout: efi 1G, swap 8G, / rest btrfs": partitions listed after "layout".)
    let disk_layout = (super::patterns::DISK_LAYOUT.is_match(lc)
        || super::patterns::LAYOUT_OF_PARTITIONS.is_match(lc))
        && !["keyboard", "keymap", "kb", "kbd"]
            .iter()
            .any(|k| lc.split_whitespace().any(|w| w == *k));
    if let Some(c) = KEYBOARD.captures(&kb).filter(|_| !disk_layout) {
        let v = captured(&c, &["u", "v", "w", "x", "y", "z"], &kb, &kb).unwrap_or_default();
        // "a German keyboard I brought back from Munich", "to ru by mistake": the name
        // said, without what follows it, or the words before "keyboard".
        // ("whatever you think is best for the layout": advice asked, no layout named.)
        if v.split_whitespace().any(|w| {
            matches!(
                w,
                "whatever" | "think" | "best" | "recommend" | "recommended" | "suggest"
            )
        }) && keyboard_for(&v).is_none()
        {
            return None;
        }
        let found = keyboard_for(&v)
            .or_else(|| {
                super::patterns::TYPE_ON.captures(&kb).and_then(|c| {
                    keyboard_for(&c["u"]).or_else(|| keyboard_for(&c["u"].replace('-', " ")))
                })
            })
            .or_else(|| {
                let cut = v
                    .split_whitespace()
                    .take_while(|w| !KEYBOARD_TAIL.contains(w))
                    .collect::<Vec<_>>()
                    .join(" ");
                (cut != v && !cut.is_empty())
                    .then(|| keyboard_for(&cut))
                    .flatten()
            })
            .or_else(|| {
                let before = kb.split(" keyboard").next().unwrap_or("");
                let words: Vec<&str> = before.split_whitespace().collect();
                let last = words.len().checked_sub(1).map(|i| words[i])?;
                (before.len() < kb.len())
                    .then(|| keyboard_for(last))
                    .flatten()
            });
        // ("the layout on the NVMe is fine as it is", "whatever layout you normally use":
        // "layout" alone, with no keyboard's name, is the disk's.)
        let keyboard_said = lc.split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w,
                "keyboard"
                    | "keyboards"
                    | "keymap"
                    | "kb"
                    | "kbd"
                    | "keys"
                    | "key"
                    | "type"
                    | "typing"
            )
        });
        if !keyboard_said && (found.is_none() || v.split_whitespace().count() > 2) {
            return None;
        }
        return Some(match found {
            Some(layout) => Action::keyboard(&layout),
            None => clarify(format!(
                "I don't know the keyboard layout {:?}. Try a name like us, de, fr or \"german\".",
                validate::display_text(&v, 40)
            )),
        });
    }
    // "time to replace my old ubuntu", "it's time to install": an idiom, not a clock, unless
    // a place follows ("set the time to tokyo").
    let idiom = |c: &regex::Captures<'_>| {
        c.name("x").is_some_and(|x| {
            let before = &lc[..x.start()];
            // ("time to the netherlands", "time to australia": a place, or a country of
            // several zones, is still a clock.)
            let place = strip_articles(x.as_str());
            let country = super::fold(place);
            super::patterns::TIME_TO_IDIOM.is_match(before)
                && !super::patterns::TIME_SETTER.is_match(before)
                && ctx.zones.resolve(place).is_none()
                && super::tables::multi_zone_country(&country).is_none()
        })
    };
    // ("the system should be in german": a language, not where the system is.)
    if let Some(locale) = LOCALE
        .captures(lc)
        .and_then(|c| c.name("s"))
        .and_then(|s| locale_for(s.as_str()))
    {
        return Some(Action::SetLocale { locale });
    }
    if let Some(c) = TIMEZONE.captures(lc).filter(|c| !idiom(c)) {
        let v = captured(&c, &["c", "v", "w", "x"], oc, lc).unwrap_or_default();
        // "the same as seoul", "like tokyo", "that of rome": the place is what follows.
        let mut v = strip_articles(&v);
        for lead in [
            "as per ",
            "according to ",
            "same one as ",
            "same as ",
            "like ",
            "that of ",
            "the one in ",
            "the one of ",
            "matching ",
            "as ",
            "for ",
            "to ",
            "of ",
            // "fuso orario di Roma", "Zeitzone von Wien".
            "di ",
            "de ",
            "von ",
            "do ",
            "da ",
            // "Timezone: we're in Sydney".
            "we're in ",
            "we are in ",
            "i'm in ",
            "i am in ",
            "we live in ",
            "i live in ",
            "we're based in ",
            "based in ",
            "located in ",
            "here in ",
            "in ",
        ] {
            if let Some(rest) = v
                .get(..lead.len())
                .filter(|h| h.eq_ignore_ascii_case(lead))
                .and_then(|_| v.get(lead.len()..))
            {
                v = strip_articles(rest);
            }
        }
        let v = v
            .trim_end_matches("'s zone")
            .trim_end_matches("'s time")
            .trim_end_matches("'s");
        // "set the time zone for that", "accordingly": it points back at a place said
        // before, which was read already.
        if REFERS_BACK.contains(&v.to_lowercase().as_str()) || only_when_said(v) {
            return None;
        }
        // ("can you make that work in the new system too": the system is no place.)
        if v.split_whitespace().any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "system" | "install" | "installation" | "installer" | "os"
            )
        }) {
            return None;
        }
        let v = unquoted(v).to_owned();
        // "sao paulo brasil", "Vienna, Austria": a country after the city says nothing more.
        let v = without_country(&v, ctx);
        // "timezone australia": a country with several zones is asked about.
        let named = super::fold(&v);
        if let Some((_, country, zones)) = super::tables::multi_zone_country(&named) {
            return Some(choose(
                format!(
                    "{country} has several time zones. Which one: {}? (Or name your city.)",
                    zones.join(", ")
                ),
                zones.iter().map(|z| (*z).to_owned()).collect(),
            ));
        }
        // "tz IST", "portland": a name several places share is asked about.
        if let Some((_, why, zones)) = super::tables::ambiguous_zone(&named) {
            return Some(choose(
                format!("{why}. Which one: {}?", zones.join(", ")),
                zones.iter().map(|z| (*z).to_owned()).collect(),
            ));
        }
        // "GMT+5:30", "UTC-3": an offset is no place (several share it, and their clocks
        // change differently): asked for the city.
        // (A whole hour is its fixed zone, "UTC+2" Etc/GMT-2; "UTC+0" UTC itself.)
        let fixed = ctx
            .zones
            .resolve(&v)
            .filter(|z| z == "UTC" || z.starts_with("Etc/"));
        if super::patterns::UTC_OFFSET.is_match(named.trim()) && fixed.is_none() {
            if !named.chars().any(|c| c.is_ascii_digit() && c != '0') {
                return Some(Action::SetTimezone { zone: "UTC".into() });
            }
            return Some(clarify(format!(
                "{} is an offset, not a time zone: several places share it. Which city's time should I use?",
                validate::display_text(&v, 20)
            )));
        }
        // "IST (India)": the abbreviation, with its country said to make it clear ("IST
        // (Israel)": the country's zone).
        if let Some((said, country)) = v.split_once('(') {
            let country = country.trim_end_matches(')').trim();
            let shared = super::tables::ambiguous_zone(&super::fold(said)).is_some();
            if let Some(zone) = ctx.zones.resolve(country).filter(|_| shared) {
                return Some(Action::SetTimezone { zone });
            }
        }
        let v = match v.split_once('(') {
            Some((said, _)) if ctx.zones.resolve(&v).is_none() && !said.trim().is_empty() => {
                said.trim().to_owned()
            }
            _ => v,
        };
        // "my sister's in Denver": the place after "in".
        let found = ctx.zones.resolve(&v).or_else(|| {
            v.to_lowercase()
                .rfind(" in ")
                .and_then(|at| v.get(at + 4..))
                .and_then(|place| ctx.zones.resolve(place))
        });
        // ("UTC like all our other servers", "timezone please Berlin": the value, without
        // a comparison after it or a "please" before it.)
        let found = found.or_else(|| {
            let lower = v.to_lowercase();
            let cut = [" like ", " same as ", " as in ", " as on "]
                .iter()
                .filter_map(|w| lower.find(w))
                .min()
                .unwrap_or(lower.len());
            let head = lower[..cut].trim();
            let head = head
                .strip_prefix("please ")
                .or_else(|| head.strip_prefix("pls "))
                .unwrap_or(head)
                .trim();
            (head != lower && !head.is_empty())
                .then(|| ctx.zones.resolve(head))
                .flatten()
        });
        // "Europe/Berlinn": a zone written out in full but misspelt is asked about, never
        // quietly changed to the nearest one.
        let city = |z: &str| {
            z.rsplit('/')
                .next()
                .unwrap_or(z)
                .to_lowercase()
                .replace(' ', "_")
        };
        let misspelt = |zone: &str| {
            v.contains('/')
                && ctx.zones.resolve_exact(&v).is_none()
                && (1..=2).contains(&crate::interpret::edit_distance(&city(&v), &city(zone)))
        };
        // ("This server lives in a rack in the basement": where a thing stands is no
        // place to ask about.)
        let thing_placed = c.name("w").is_some_and(|w| {
            lc[..w.start()].split_whitespace().any(|t| {
                matches!(
                    t,
                    "it" | "server"
                        | "machine"
                        | "box"
                        | "pc"
                        | "computer"
                        | "laptop"
                        | "desktop"
                        | "rig"
                        | "tower"
                        | "vm"
                        | "nas"
                        | "disk"
                        | "drive"
                )
            })
        });
        // ("I'm in a hurry": where someone is, said in lower case and naming no place, is
        // no place either; "I live in Frankfrt" is asked about.)
        let no_place_name =
            c.name("w").is_some() && !v.chars().next().is_some_and(char::is_uppercase);
        if found.is_none() && (thing_placed || no_place_name) {
            return None;
        }
        return Some(match found {
            Some(zone) if misspelt(&zone) => choose(
                format!(
                    "There is no time zone {:?}. Did you mean {zone}?",
                    validate::display_text(&v, 40)
                ),
                vec![zone],
            ),
            Some(zone) => Action::SetTimezone { zone },
            None => clarify(format!("I don't know the time zone {:?}. Try a city, like Berlin or Los Angeles, or a name like Europe/Berlin.", validate::display_text(&v, 40))),
        });
    }
    // "it should run on UTC": the zone the machine keeps.
    if let Some(zone) = super::patterns::RUNS_ON_ZONE
        .captures(lc)
        .and_then(|c| ctx.zones.resolve_exact(&c["z"]))
    {
        return Some(Action::SetTimezone { zone });
    }
    // Looser forms count only when they name a zone or a language ("use sydney time", "I
    // speak german"); anything else is left to the other readings.
    if let Some(zone) = ZONE_TIME
        .captures(lc)
        .and_then(|c| c.name("z").or_else(|| c.name("y")))
        .and_then(|z| zone_at_end(z.as_str(), ctx))
    {
        return Some(Action::SetTimezone { zone });
    }
    // "set the language to swiss": a country whose people speak several is asked about.
    let several = |v: &str| {
        let v = super::fold(v);
        let v = strip_articles(v.trim());
        super::tables::MULTI_LANGUAGE_COUNTRIES
            .iter()
            .find(|(names, ..)| names.contains(&v))
            .map(|(_, country, locales)| {
                choose(
                    format!(
                        "{country} has several languages. Which one: {}?",
                        locales.join(", ")
                    ),
                    locales.iter().map(|l| (*l).to_owned()).collect(),
                )
            })
    };
    let loose = LOCALE_LOOSE
        .captures(lc)
        .and_then(|c| captured(&c, &["v", "u", "n", "e", "f", "g", "r", "s"], oc, lc));
    // ("I'm swiss, so ...": a nationality said as a reason is read elsewhere.)
    let language_named = lc.contains("lang") || lc.contains("locale");
    if let Some(asked) = loose
        .as_deref()
        .filter(|_| language_named)
        .and_then(several)
    {
        return Some(asked);
    }
    if let Some(locale) = loose
        // "i am finish": the installer's own word, not Finnish; "use it": a pronoun,
        // not Italian.
        .filter(|v| !super::words::is_keyword(&v.to_lowercase()))
        .filter(|v| {
            !(matches!(v.as_str(), "it" | "that" | "this" | "them" | "one")
                && !lc.contains("lang")
                && !lc.contains("locale"))
        })
        .and_then(|v| locale_for(&v))
    {
        return Some(Action::SetLocale { locale });
    }
    let c = LOCALE.captures(lc)?;
    let v = captured(&c, &["v", "w", "x", "s"], oc, lc).unwrap_or_default();
    // ("the Indian English locale so dates look right": the language said before the key,
    // what follows it the reason.)
    if v.split_whitespace().next().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "so" | "because" | "since" | "as" | "for"
        )
    }) {
        let before: Vec<&str> = lc[..c.get(0).map_or(0, |m| m.start())]
            .split_whitespace()
            .collect();
        if let Some(locale) = (1..=3).rev().find_map(|n| {
            (before.len() >= n)
                .then(|| locale_for(&before[before.len() - n..].join(" ")))
                .flatten()
        }) {
            return Some(Action::SetLocale { locale });
        }
    }
    // "set the language accordingly": the language was named before.
    if REFERS_BACK.contains(&v.to_lowercase().as_str()) || only_when_said(&v) {
        return None;
    }
    if let Some(asked) = several(&v) {
        return Some(asked);
    }
    Some(match locale_for(&v) {
        Some(locale) => Action::SetLocale { locale },
        None => clarify(format!("I don't know the language {:?}. Try a name like English, German or French, or a locale like en_US.UTF-8.", validate::display_text(&v, 40))),
    })
}

/// The zone the last one to three words of `words` name exactly, the longest first ("new
/// york" before "york").
fn zone_at_end(words: &str, ctx: &Context<'_>) -> Option<String> {
    let w: Vec<&str> = words.split_whitespace().collect();
    (1..=w.len().min(3))
        .rev()
        .find_map(|n| ctx.zones.resolve_exact(&w[w.len() - n..].join(" ")))
}

/// A place without the country named after it, when the place alone is a zone.
fn without_country(v: &str, ctx: &Context<'_>) -> String {
    let f = crate::interpret::text::fold(v);
    let f = f.trim_end_matches(['.', '!']);
    for (country, _) in super::tables::COUNTRIES {
        if let Some(place) = f.strip_suffix(country) {
            let place = place.trim_end_matches([' ', ',', '-']).trim();
            if place.len() > 2 && ctx.zones.resolve_exact(place).is_some() {
                return place.to_owned();
            }
        }
    }
    v.to_owned()
}

/// Values that point back at something said before ("set the time zone for that").
const REFERS_BACK: &[&str] = &[
    "for that",
    "for it",
    "for this",
    "accordingly",
    "to match",
    "to that",
    "to it",
    "that",
    "it",
    "there",
    "for there",
    "for me",
    "local",
    "my local time",
    "local time",
];

/// Words said after a setting that tell how often or when, never its value ("changed the
/// timezone twice", "set the hostname again").
const NO_VALUE_ADVERBS: &[&str] = &[
    "twice",
    "again",
    "already",
    "back",
    "too",
    "as well",
    "also",
    "later",
    "now",
    "first",
    "yet",
    "anyway",
    "once",
    "earlier",
    "before",
    "a few times",
    "several times",
    "three times",
    "by mistake",
];

/// "twice already", "again": words of when or how often, where a value would be.
fn only_when_said(v: &str) -> bool {
    let v = v.to_lowercase();
    NO_VALUE_ADVERBS.contains(&v.as_str())
        || v.split_whitespace()
            .all(|w| NO_VALUE_ADVERBS.contains(&w) || matches!(w, "times" | "a" | "few"))
}

/// A value without the quotes around it ("'kitchen-pc'", "\"atlas\"").
fn unquoted(v: &str) -> &str {
    let quotes: &[char] = &[
        '\'', '"', '`', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}',
    ];
    v.trim_start_matches(quotes).trim_end_matches(quotes)
}

/// Installation steps asked for by name: bootloader, copying the system, format, mount.
fn step(oc: &str, lc: &str, m: &Machine) -> Option<Action> {
    // "install Linux on my D: drive": which disk or partition a drive letter is, asked.
    if let Some(c) = super::patterns::DRIVE_LETTER.captures(lc).filter(|_| {
        lc.split_whitespace().any(|w| {
            matches!(
                w,
                "install" | "put" | "use" | "format" | "wipe" | "erase" | "replace" | "mount"
            )
        })
    }) {
        return Some(choose(
            format!(
                "Linux has no drive letters, so I can't tell which disk or partition {}: is. Which one do you mean?",
                c["l"].to_uppercase()
            ),
            m.disks
                .iter()
                .map(|d| d.path.clone())
                .chain(partition_paths(m))
                .collect(),
        ));
    }
    // "Replace a partition" (another installer's choice) without saying which: asked,
    // never a whole-disk layout.
    if super::patterns::REPLACE_A_PARTITION.is_match(lc) && !partition_paths(m).is_empty() {
        return Some(choose(
            "Which partition should the new system replace? It is formatted: what it holds is erased.",
            partition_paths(m),
        ));
    }
    if super::patterns::NEGATED_STEP.is_match(lc)
        && (BOOTLOADER.is_match(lc) || COPY_SYSTEM.is_match(lc))
    {
        return Some(clarify(
            "Nothing is done without being asked; say what you want done instead (\"install the bootloader\", \"copy the system\").",
        ));
    }
    // (flags and consoles said in words count unless asked about: "what is on ttyS0?")
    let said_for_boot = !INFO_QUESTION.is_match(lc)
        && (super::patterns::BOOT_FLAG.is_match(oc)
            || super::patterns::SERIAL_CONSOLE.is_match(oc));
    if BOOTLOADER.is_match(lc) || KERNEL_FLAGS.is_match(oc) || said_for_boot {
        let mut action = bootloader(oc);
        // "grub to vda": on BIOS the bootloader goes to a disk, named by its path, or the
        // only disk there is ("on the virtual disk"); on UEFI "to the EFI partition" is
        // the ESP.
        if let Action::InstallBootloader { target, .. } = &mut action {
            let bios = m.firmware == crate::machine::Firmware::Bios;
            *target = DEVICE
                .captures(lc)
                .and_then(|c| c.name("p").or_else(|| c.name("d")))
                .map(|d| format!("/dev/{}", d.as_str()))
                .filter(|p| bios && m.disks.iter().any(|d| d.path == *p))
                .or_else(|| match m.disks.as_slice() {
                    // "put grub on it", "on the disk": the only disk there is.
                    // ("have GRUB go into its MBR": the master boot record of that disk.)
                    [only]
                        if bios
                            && ([" on ", " to ", " onto "].iter().any(|w| {
                                lc.split_once(w).is_some_and(|(_, on)| {
                                    ONTO_DISK_WORDS.is_match(on) || matches!(on, "it" | "there")
                                })
                            }) || lc.split_whitespace().any(|w| w == "mbr")) =>
                    {
                        Some(only.path.clone())
                    }
                    _ => None,
                })
                .or_else(|| {
                    (!bios && super::patterns::TO_ESP.is_match(lc)).then(|| "efi".to_owned())
                });
        }
        return Some(action);
    }
    // "put linux alongside": where it goes is a disk request (in free space), not a copy.
    // "put the new system on the seagate": where it goes is a disk, so this is a disk
    // request too.
    let onto_disk = !lc.contains("copy")
        && [" on ", " onto ", " to ", " in ", " into "]
            .iter()
            .any(|w| {
                lc.find(w).is_some_and(|at| {
                    let rest = &lc[at + w.len()..];
                    super::disks::names_a_disk(rest, &m.disks)
                        // ("wipe the emmc and put linux on it": the disk just named.)
                        // ("install everything on it" copies: only "put" and its kin.)
                        || (matches!(rest.split_whitespace().next(), Some("it" | "it," | "there"))
                            // ("put the system on all of it": the whole of that disk.)
                            || rest.trim_start().starts_with("all of it")
                            || rest.trim_start().starts_with("the whole thing"))
                            && ["put ", "stick ", "throw ", "slap ", "chuck ", "bung ", "drop "]
                                .iter()
                                .any(|v| lc.starts_with(v))
                        || DEVICE.is_match(rest)
                        || ONTO_DISK_WORDS.is_match(rest)
                        || super::patterns::DESCRIBED_DISK.is_match(rest)
                })
            });
    // ("put Levitate there with an encrypted btrfs root": a layout, so a disk request.)
    let with_layout = super::patterns::WITH_LAYOUT.is_match(lc);
    if COPY_SYSTEM.is_match(lc) && !WIPE_FALSE.is_match(lc) && !onto_disk && !with_layout {
        // "copy the files from /mnt/iso/x.squashfs", "copy system to /mnt/target".
        let path_after = |word: &str| {
            // ("from the squashfs image at /run/...": the first path after the word.)
            let from = format!(" {}", oc.to_lowercase()).find(&format!(" {word} "))?;
            let at = from + oc.get(from..)?.find(" /")? + 1;
            let p = oc.get(at..)?.split_whitespace().next()?;
            let p = p.trim_end_matches(['.', ',']);
            validate::mountpoint(p).is_ok().then(|| p.to_owned())
        };
        let verb = lc.split_whitespace().next().unwrap_or("");
        let leads = ["unsquashfs", "rsync", "extract", "unpack", "copy"].contains(&verb);
        return Some(Action::CopySystem {
            source: path_after("from").or_else(|| leads.then(|| path_after(verb)).flatten()),
            target: path_after("to").or_else(|| path_after("into")),
        });
    }
    // One existing partition formatted or mounted: never a whole-disk request.
    // (a wipe refused, "don't wipe the ubuntu partition", or beside one, "next to the
    // windows partition", formats nothing)
    let wipes_part = super::patterns::WIPE_PART.is_match(lc)
        && !super::patterns::NEGATED_ERASE.is_match(lc)
        && !WIPE_FALSE.is_match(lc);
    // "use /dev/sda3 as ext4" (the words of Ubuntu's manual partitioning): formatted as
    // that filesystem, unless told not to.
    let used_as_fs = USE_AS.is_match(lc)
        && FS_AFTER_AS
            .captures(lc)
            .is_some_and(|c| FILESYSTEM_WORDS.contains(&&c["f"]));
    if (FORMAT.is_match(lc) || wipes_part || used_as_fs) && !NO_FORMAT.is_match(lc) {
        if let Some(r) = partition_ref(lc, m) {
            return Some(r.map_or_else(|q| q, |p| format_action(m, p, fs_named(lc))));
        }
        // "reformat it as ext4" with nothing named before: which partition, never a
        // whole-disk layout.
        let pronoun = lc
            .split_whitespace()
            .any(|w| matches!(w, "it" | "that" | "this" | "them"));
        let disk_named = super::patterns::DISK_NOUN.is_match(lc) || DEVICE.is_match(lc);
        let refused = super::patterns::FORMAT_REFUSED.is_match(lc);
        if pronoun && !disk_named && !refused && !partition_paths(m).is_empty() {
            let fs = fs_named(lc);
            return Some(choose(
                if fs.is_empty() {
                    "Which partition should I format?".to_owned()
                } else {
                    format!("Which partition should I format as {fs}?")
                },
                partition_paths(m),
            ));
        }
    }
    let mountpoint = MOUNT_TARGET
        .captures(lc)
        .and_then(|c| c.name("m"))
        .map(|x| x.as_str().trim_end_matches(['.', ',']))
        // "mount sda2 as root", "as home": the mount point said in a word.
        .or_else(|| {
            super::patterns::MOUNT_WORD
                .captures(lc)
                .map(|c| match &c["w"] {
                    "root" => "/",
                    "home" => "/home",
                    "boot" => "/boot",
                    _ => "/boot/efi",
                })
                .filter(|_| MOUNT.is_match(lc))
        });
    // "can the ubuntu partition be mounted at /mnt/old": mounted, with where.
    if MOUNT.is_match(lc) || mountpoint.is_some() && (USE_AS.is_match(lc) || lc.contains("mounted"))
    {
        if let Some(r) = partition_ref(lc, m) {
            return Some(match (r, mountpoint) {
                (Err(q), _) => q,
                (Ok(p), Some(mp)) => mount_action(m, p, mp),
                (Ok(p), None) => clarify(format!(
                    "Where should I mount {p}? Say, for example, \"mount {p} at /home\"."
                )),
            });
        }
        // "mount it as /home" with no partition named: which one, never a new layout.
        if MOUNT.is_match(lc) {
            let at = mountpoint.unwrap_or("its mount point");
            return Some(choose(
                format!("Which partition should I mount at {at}?"),
                partition_paths(m),
            ));
        }
    }
    None
}

/// The bootloader, with the kernel parameters named beside it ("with console=ttyS0,115200",
/// "kernel options quiet splash"), kept in the person's own letters and checked.
pub(super) fn bootloader(oc: &str) -> Action {
    let mut params: Vec<&str> = KERNEL_PARAM
        .captures_iter(oc)
        .filter_map(|c| c.name("p").map(|p| p.as_str()))
        .collect();
    // "nomodeset when booting", "console to ttyS0 at 115200 baud": said in words.
    let serial = super::patterns::SERIAL_CONSOLE.captures(oc).map(|c| {
        let baud = c
            .name("baud")
            .map_or(String::new(), |b| format!(",{}", b.as_str()));
        format!("console={}{baud}", &c["tty"])
    });
    if params.is_empty() {
        if let Some(c) = super::patterns::BOOT_FLAG.captures(oc) {
            params.extend(c.name("f").or_else(|| c.name("g")).map(|f| f.as_str()));
        }
        params.extend(serial.as_deref());
    }
    if let Some(flags) = super::patterns::KERNEL_ADD
        .captures(oc)
        .and_then(|c| c.name("flags"))
    {
        // "add quiet splash to the kernel options": the words added, as said.
        // ("put the bootloader on vda with console=ttyS0 on the kernel command line": what
        // comes "with" is added, not the bootloader and its disk.)
        let flags = flags.as_str();
        let lower = flags.to_lowercase();
        let flags = flags
            .rfind(" with ")
            .filter(|_| BOOTLOADER.is_match(&lower))
            .map_or(flags, |at| &flags[at + " with ".len()..]);
        // ("I want a serial console: console=ttyS0 on the kernel command line": what
        // follows the colon.)
        let flags = flags.rsplit_once(": ").map_or(flags, |(_, f)| f);
        params = flags
            .split_whitespace()
            // "add 'quiet splash' to the kernel command line": the quotes are not part of it.
            .map(|w| w.trim_matches(['\'', '"']))
            .filter(|w| !w.is_empty())
            .filter(|w| {
                ![
                    "the",
                    "and",
                    "flags",
                    "flag",
                    "option",
                    "options",
                    "parameter",
                    "parameters",
                ]
                .contains(&w.to_lowercase().as_str())
            })
            .collect();
    } else if let Some(at) = KERNEL_FLAGS.find(oc).map(|k| k.end()) {
        // Bare flags after "kernel options": the words of the original from there on.
        let flags = oc.get(at..).unwrap_or("");
        params.extend(
            flags
                .split_whitespace()
                // ("... on the kernel command line for my VFIO setup": why, no flag.)
                .take_while(|w| {
                    !matches!(
                        w.to_lowercase().as_str(),
                        "for" | "so" | "because" | "since" | "as" | "which" | "when" | "while"
                    )
                })
                .filter(|w| {
                    !w.contains('=')
                        && ![
                            "with",
                            "and",
                            "the",
                            "to",
                            "add",
                            "option",
                            "options",
                            "parameter",
                            "parameters",
                            "flag",
                            "flags",
                            "argument",
                            "arguments",
                            // ("must include X", "should have quiet splash": how it is
                            // asked, no flag.)
                            "must",
                            "should",
                            "needs",
                            "need",
                            "include",
                            "includes",
                            "including",
                            "contain",
                            "contains",
                            "have",
                            "has",
                            "get",
                            "gets",
                            "be",
                            "is",
                            "also",
                            "please",
                            "will",
                            "use",
                            "set",
                            "always",
                        ]
                        .contains(&w.to_lowercase().as_str())
                })
                .filter(|w| w.chars().any(char::is_alphanumeric)),
        );
    }
    // ("nomodeset" read both as a known flag and after "kernel args": passed once.)
    let mut seen: Vec<&str> = Vec::new();
    params.retain(|p| {
        let new = !seen.contains(p);
        seen.push(p);
        new
    });
    // (In the order said: "quiet loglevel=3", not the key=value ones first.)
    params.sort_by_key(|p| oc.find(*p).unwrap_or(usize::MAX));
    if params.is_empty() {
        return Action::InstallBootloader {
            target: None,
            kernel_args: None,
        };
    }
    // "kernel args 'quiet loglevel=3'": quotes around the list are not part of it (a
    // quoted value, acpi_osi="Windows 2020", is, and is refused below).
    let args = params
        .iter()
        .map(|p| {
            if p.contains("=\"") || p.contains("='") {
                (*p).to_owned()
            } else {
                p.trim_matches(KERNEL_ARG_QUOTES).to_owned()
            }
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    match validate::kernel_args(&args) {
        Ok(()) => Action::InstallBootloader {
            target: None,
            kernel_args: Some(args),
        },
        Err(e) => clarify(e),
    }
}

/// The filesystem a format request names, after "as", "to", "with" or "into", else a
/// filesystem's name anywhere ("format sda2 ext4").
pub(super) fn fs_named(lc: &str) -> &str {
    FS_TARGET
        .captures(lc)
        .and_then(|c| c.name("f"))
        .map(|f| f.as_str())
        .or_else(|| {
            FS_AFTER_AS
                .captures(lc)
                .and_then(|c| c.name("f"))
                .map(|f| f.as_str())
        })
        .or_else(|| lc.split_whitespace().find(|w| FILESYSTEM_WORDS.contains(w)))
        .unwrap_or("")
}

/// The filesystems a partition can be formatted as, in the words people use.
pub(super) const FILESYSTEM_WORDS: [&str; 7] =
    ["ext4", "btrfs", "xfs", "vfat", "fat32", "fat", "swap"];

/// `sda1` and `/dev/sda1` both mean `/dev/sda1`.
/// Every partition of the machine: the answers to "which partition?".
fn partition_paths(m: &Machine) -> Vec<String> {
    m.disks
        .iter()
        .flat_map(|d| d.partitions.iter().map(|p| p.path.clone()))
        .collect()
}

fn format_action(m: &Machine, path: String, fs: &str) -> Action {
    match m.partition(&path) {
        None => choose(
            format!("There is no partition {path}. Which partition should I format?"),
            partition_paths(m),
        ),
        Some(_) if !["ext4", "btrfs", "xfs", "vfat", "fat32", "fat", "swap"].contains(&fs) => {
            choose(
                format!("I can format as ext4, btrfs, xfs, vfat or swap; which one for {path}?"),
                ["ext4", "btrfs", "xfs", "vfat", "swap"]
                    .map(String::from)
                    .to_vec(),
            )
        }
        Some(_) => Action::Format {
            partition: path,
            fs: if fs == "fat32" || fs == "fat" {
                "vfat".into()
            } else {
                fs.to_owned()
            },
        },
    }
}

pub(super) fn mount_action(m: &Machine, path: String, mp: &str) -> Action {
    match (m.partition(&path), validate::mountpoint(mp)) {
        (None, _) => choose(
            format!("There is no partition {path}. Which partition should I mount?"),
            partition_paths(m),
        ),
        (_, Err(e)) => clarify(e),
        (Some(_), Ok(())) => Action::Mount {
            partition: path,
            mountpoint: mp.to_owned(),
        },
    }
}

/// What a partition holding `fs` holds, where that is no filesystem to mount as it is.
pub(super) fn unmountable(fs: &str) -> Option<&'static str> {
    Some(match fs {
        "linux_raid_member" => "part of a RAID array",
        "LVM2_member" => "part of an LVM volume group",
        "zfs_member" => "part of a ZFS pool",
        "swap" => "swap space",
        "crypto_LUKS" | "BitLocker" => "an encrypted volume",
        _ => return None,
    })
}

/// Listing disks, status, desktops, disk requests and extra software, in that order: a
/// request to list disks or see the status is not a disk request.
fn remaining(lc: &str, m: &Machine) -> Clause {
    // "show me what you've got for the disks so far": what was chosen, not the disks.
    let chosen_so_far = [
        "so far",
        "you've got",
        "you have got",
        "until now",
        "up to now",
    ]
    .iter()
    .any(|w| lc.contains(w));
    if chosen_so_far && STATUS.is_match(lc) {
        return Clause::Act(Action::Status);
    }
    // "my user on Ubuntu was called priya": an account spoken of, no disk.
    if super::patterns::ACCOUNT_TALK.is_match(lc) {
        return Clause::Unknown;
    }
    // "I need to pull the USB stick out first": the medium, taken out by hand.
    if super::patterns::EJECT.is_match(lc) {
        return Clause::Unknown;
    }
    // "I'm still deciding which drive to use": said, not asked.
    if super::patterns::STILL_DECIDING.is_match(lc) {
        return Clause::Unknown;
    }
    if (LIST_DISKS.is_match(lc) || super::patterns::ROOM_ASKED.is_match(lc))
        && !lc.starts_with("use")
        && !lc.contains("install")
        && !WIPE_TRUE.is_match(lc)
    {
        return Clause::Act(Action::ListDisks);
    }
    if STATUS.is_match(lc) && !super::patterns::HERES_THE_PLAN.is_match(lc) {
        return Clause::Act(Action::Status);
    }
    // "it has my games on it", "it's a laptop-ish desktop": what a statement names is not
    // asked for.
    let stated = super::patterns::STATEMENT.is_match(lc);
    let computer = super::patterns::DESKTOP_COMPUTER.replace_all(lc, " ");
    let computer =
        super::patterns::OWN_DESKTOP.replace_all(&computer, |c: &regex::Captures<'_>| {
            match c.name("next").map(|n| n.as_str()) {
                Some("environment" | "session" | "manager" | "effects" | "theme" | "look") => {
                    c[0].to_owned()
                }
                Some(next) => format!(" {next}"),
                None => " ".to_owned(),
            }
        });
    if DESKTOP.is_match(&computer) && !stated {
        return Clause::Act(unsupported("desktop", "The installed system is the live system's desktop; other desktops can be installed afterwards"));
    }
    if super::patterns::OLD_INSTALL_ALONE.is_match(lc) {
        return Clause::Unknown;
    }
    // "he wants to learn linux on this vm": what the machine is for, no disk request.
    if super::patterns::LEARN_LINUX.is_match(lc) && !super::patterns::DISK_VERB.is_match(lc) {
        return Clause::Unknown;
    }
    // "root access" is about rights, not the root partition.
    let lc_disk = super::patterns::ROOT_RIGHTS.replace_all(lc, "");
    // "install there": on the disk the request named.
    let there = matches!(
        lc,
        "install there"
            | "install it there"
            | "install on it"
            | "install onto it"
            | "install there then"
    );
    if DISK_WORDS.is_match(&lc_disk)
        || super::patterns::PROTECT.is_match(lc)
        || super::patterns::FILES_APART.is_match(lc)
        || super::patterns::BARE_SIZE.is_match(lc)
        || there
        || WIPE_FALSE.is_match(lc)
        || SIZE.is_match(lc) && (lc.contains("drive") || lc.contains("disk") || lc.contains(" one"))
        // "no wait, the 1TB is better": a disk by its size, preferred.
        || SIZE.is_match(lc)
            && lc
                .split_whitespace()
                .any(|w| matches!(w, "better" | "instead" | "rather" | "preferred"))
        || names_a_disk(lc, &m.disks)
        || super::patterns::DESCRIBED_DISK.is_match(lc)
        || super::patterns::MOUNT_PATH_CLAUSE.is_match(lc)
    {
        return Clause::Disk(disk_bits(lc));
    }
    // A driver is a package to install: the contract's topic for it is "packages".
    if super::patterns::DRIVERS.is_match(lc) {
        return Clause::Act(unsupported(
            "packages",
            "Drivers beyond the live system's are installed after installation, from the installed system",
        ));
    }
    // ("120 GB for the system and programs": software named alone, no verb, is what a
    // place is for, no request.)
    let bare_noun = super::patterns::BARE_SOFTWARE_NOUN.is_match(lc)
        // ("can't lose my games", "keep my apps"): software kept, not asked for.
        || lc.split_whitespace().any(|w| {
            matches!(w, "lose" | "losing" | "lost" | "keep" | "keeping" | "save" | "preserve" | "backup")
        });
    // ("a throwaway VM for testing our web app": what the machine is for, no software.)
    let purpose = super::patterns::PURPOSE_APP.replace_all(lc, " ");
    // ("his saved games and Steam library are on the Windows partition", "this VM will be
    // our PostgreSQL host", "my exam software needs it": software a statement speaks of,
    // nothing asked before its name.)
    let spoken_of = super::patterns::THING_SUBJECT.is_match(lc)
        && !lc.contains("install")
        && OTHER_UNSUPPORTED.find(&purpose).is_some_and(|sw| {
            super::patterns::ASKS_BEFORE
                .find(&purpose)
                .is_none_or(|a| a.start() >= sw.start())
        });
    if !stated
        && !spoken_of
        && !bare_noun
        && !super::patterns::INSTALL_HEADING.is_match(lc)
        && (OTHER_UNSUPPORTED.is_match(&purpose)
            || INSTALL_PACKAGE.is_match(lc)
                && (lc.starts_with("install") || super::patterns::ASKED_TO_INSTALL.is_match(lc)))
    {
        return Clause::Act(unsupported(
            "packages",
            "Extra software is installed after installation, from the installed system",
        ));
    }
    Clause::Unknown
}

/// "format it as ext4" for a partition named before.
pub(super) fn format_named(m: &Machine, partition: String, lc: &str) -> Action {
    format_action(m, partition, fs_named(lc))
}

/// Words that are never a user's name ("me", "him", "everything").
pub(super) fn is_not_a_name(word: &str) -> bool {
    NOT_NAMES.contains(&word.to_lowercase().as_str())
}

/// The clause with each partition label of two words or more said in it, whole or by two
/// words of it in a row ("Time Machine" of "Time Machine Backups"), replaced by "the
/// partition".
fn without_long_labels(lc: &str, m: &Machine) -> String {
    let mut out = lc.to_owned();
    for p in m.disks.iter().flat_map(|d| &d.partitions) {
        let label = p.label.to_lowercase();
        let words: Vec<&str> = label.split_whitespace().collect();
        for n in (2..=words.len()).rev() {
            for w in words.windows(n) {
                let said = w.join(" ");
                if out.contains(&said) {
                    out = out.replace(&said, "the partition");
                }
            }
        }
    }
    out
}
