//! Several people in one request, each with their own rights: "accounts for tom and ann,
//! both admins, plus kim without sudo", "My wife Ana and I (Luis) look after it; our son
//! Diego shouldn't change anything", "Two users: frontdesk and billing, neither an admin".
//!
//! The clause reader sees one clause at a time, so a right said of "both", "we" or "the
//! kids" would find nobody, and a list of names would lose all but the first. This reads
//! the people of a request together: who is named (after a relation, as the speaker, in a
//! list after "users"/"accounts"), which rights each is given (said of them, of the group
//! they were named in, or of "both"/"we"/"they"), and the groups and passwords asked for
//! them. What it reads becomes one marker clause; the rest of the request is read as
//! before.

use std::sync::LazyLock;

use levitate_dbus::Action;
use regex::Regex;

use super::patterns::re;
use super::{classify, values};

/// Stands for the clauses read here, in the text the clause reader gets.
pub(super) const MARKER: char = '\u{E000}';

/// What the people clauses ask, in order: accounts, then groups and passwords.
pub(super) struct Household {
    /// The request, the clauses read here replaced by one [`MARKER`] clause.
    pub rest: String,
    pub actions: Vec<Action>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Speaker,
    Other,
}

#[derive(Debug)]
struct Person {
    kind: Kind,
    name: Option<String>,
    sudo: Option<bool>,
    /// A plural ("the kids") that names given next replace.
    plural: bool,
    /// When it was named: accounts are made in the order names were given.
    named_at: usize,
    /// Named after a relation ("my son Leo").
    related: bool,
    /// The first clause that names the person: what is asked for them comes after it.
    clause: usize,
    /// The first clause that mentions them with their name ("the boys ... accounts finn
    /// and noah": the latter).
    named_clause: usize,
}

static CLAUSE_END: LazyLock<Regex> = LazyLock::new(|| {
    re(r"[,;.!?]+(?:\s+|$)|\n\s*|\s+(?:but|while|whereas|so|because|since|though)\s+")
});
static PAIR_COLON: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b[a-z][\w-]*\s+(?:and|&)\s+[a-z][\w-]*:\s"));
static ITEM_END: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\s+(?:and|&|plus|as well as|\+)\s+|^(?:and|plus|also|then)\s+"));
/// "give me a second user tom", "make me an account called ...": the speaker asks.
static FOR_ME_MAKE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:give|make|create|get|set up|add)\s+(?:me|us)\s+(?:an?\s+|another\s+|one\s+more\s+)?(?:second\s+|third\s+|new\s+|extra\s+|separate\s+)?(?:user|account|login)\b",
    )
});
/// "don't create one for him", "he will make his own account": no account for someone.
pub(super) static NO_ACCOUNT_FOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:don'?t|do not|no need to|not|never)\s+(?:create|make|add|set up|give)\s+(?:one|an?\s+(?:account|user|login)|any\s+(?:account|user|login)s?)\s+for\s+(?P<who>him|her|them|[a-z][a-z0-9_-]*)\b|\b(?:will|'ll|is going to|wants to)\s+(?:make|create|set up)\s+(?:his|her|their)\s+own\s+(?:account|user|login)\b|\b(?:doesn'?t|does not|won'?t)\s+(?:need|get|want)\s+(?:an?\s+)?(?:account|user|login)\b",
    )
});
/// "make her a user called guida": the person's account, by another login.
static ACCOUNT_FOR_HER_CALLED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:make|create|give|set up|add)\s+(?P<who>him|her)\s+(?:a|an|one)\s+(?:new\s+)?(?:user|account|login)\s+(?:called|named)\s+['\x22]?(?P<login>[a-z_][a-z0-9_-]*)",
    )
});
/// Words that give rights.
static RIGHTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:sudo\w*|admins?|administrators?|administer|wheel|root (?:access|rights)|superusers?|full (?:control|access|rights)|look(?:s|ing)? after|manag(?:e|es|ing)\b|maintain\w*|in charge|(?:install|add|remove|update)\w*\s+(?:stuff|software|things|programs|apps|packages|anything|updates)|change (?:settings|things|anything|stuff|the system)|make changes|sysadmin|privileged|(?:run|runs|control|controls|own|owns) (?:the|this) (?:system|machine|computer|pc|box))\b",
    )
});
/// Words that refuse them (they win: "shouldn't be able to install anything").
/// (A past tense, "I've never touched it since", says what was done, not what may be.)
static NO_RIGHTS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:without|no|not|never|neither|none|shouldn'?t|should not|can'?t|cannot|can not|mustn'?t|must not|won'?t|don'?t|doesn'?t)\b.*\b(?:sudo|admins?|administrators?|root|rights|privileges|able|change|install|touch|control|manage|wheel)(?:s|es|ing|ation)?\b|\bnon-?admins?\b|\b(?:standard|regular|normal|limited|restricted|ordinary|plain|unprivileged)\b|\b(?:just|only)\s+(?:use|uses|using|play|plays|playing|browse|need|needs|for)\b|\b(?:without|no)(?:\s+(?:it|them|that|one))?$",
    )
});
/// A refusal with what it refuses left out ("bob doesn't", "bob isn't").
static ELLIPSIS_NO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\S+\s+(?:doesn'?t|does not|isn'?t|is not|won'?t|will not|shouldn'?t|should not|can'?t|cannot|not)\s*[.!]*$",
    )
});
/// Words that make a request about accounts.
static ACCOUNT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:users?|accounts?|logins?|usernames?|profiles?)\b"));
/// A list of names follows ("users: a, b", "accounts for a and b", "logins for").
static LIST_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:users|accounts|logins|profiles|people)\b\s*(?:for\s*)?$|\b(?:users|accounts|logins|profiles)\s+(?:for\s+)?(?:the\s+\w+\s+of\s+us\s*)?$|^(?:create|add|make|set up)\s+(?:users|accounts)\b",
    )
});
/// Accounts, several: names follow ("users: a, b", "logins for maria and jose").
static PLURAL_ACCOUNTS: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:users|accounts|logins|profiles)\b"));
/// Words of other requests: a clause holding one is left to the clause reader.
static OTHER_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:host ?name|time ?zone|time|clock|keyboard|keymap|layout|locale|language|disks?|drives?|partition\w*|encrypt\w*|install (?:on|to|linux|the system)|reboot|restart|timezone|(?:call|name|rename) (?:it|the|this|my)|(?:use|wipe|erase) (?:the whole|all of|the entire|everything)|for the install)\b",
    )
});
static GROUP_ASKED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:in|into|to|join)\s+the\s+groups?\s+(?P<i>[a-z_][a-z0-9_-]*)\b|\b(?:in|into|to|join)\s+(?:the\s+)?(?P<g>[a-z_][a-z0-9_-]*)\s+groups?\b|\bgroups?\s+(?P<h>[a-z_][a-z0-9_-]*)\b",
    )
});
/// "groups docker,adm", "group: video and audio": groups listed, nobody named.
static GROUPS_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^groups?\s*[:=]?\s*[a-z_][a-z0-9_-]*(?:\s*(?:,|&|\+|\band\b)\s*[a-z_][a-z0-9_-]*)*$")
});
static GROUPISH: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:put|add|join|include|place)\b.*\b(?:in|into|to)\b"));
static QUANTIFIER_END: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:everyone|everybody|all|all of (?:them|us)|nobody|no one|none(?: of (?:them|us))?)$")
});
/// "I'm the admin", "I'm an administrator", "I'll be the admin": the speaker, with rights.
static SPEAKER_ADMIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:i'?m|i'?ll be|i will be|i'?m going to be|i am going to be|let me be)\s+(?:the\s+|an?\s+)?(?:admin\w*|sysadmin|superuser|root user|one in charge)\b",
    )
});
static SINGULAR_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:him|her|he|she|he's|she's)\b"));
/// "everyone except jordan", "nobody ... except me" (`neg`), "only kim" (`y`).
static EXCEPT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(?P<neg>nobody|no one|no-one|none(?: of (?:them|us))?|noone)|everyone|everybody|all(?: of (?:them|us))?|the others|all the others)\b(?:\s+\w+){0,3}?\s+(?:except(?: for)?|but|apart from|besides|other than|save)\s+(?P<x>[\w'-]+)|^(?:and\s+|but\s+)?only\s+(?P<y>[\w'-]+)\s+(?:gets|is|has|should|will|can|needs|may|as)\b",
    )
});
static EVERYONE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:both|all|each|every|everyone|everybody)\b(?:\s+\w+)?\s+(?:of\s+)?(?:us|them)\b|\ball\s+(?:two|three|four|five|six)\b|\bfor\s+both\b|\b(?:everyone|everybody|all of us|both of us|each of us|all of them|both of them)\b",
    )
});
static EXISTING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\balready\s+(?:exists?|has\s+(?:an?\s+)?accounts?|have\s+accounts?|there|set up|created)\b|\bexisting\s+(?:users?|accounts?)\b",
    )
});
static PASSWORD_ASKED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\bpass(?:word|phrase)s?\b|\b(?:set|give|with)\s+(?:a\s+|the\s+)?(?:pw|pwd|pws)\b")
});
/// "no password for him yet", "doesn't need a password": none to ask for.
static PASSWORD_REFUSED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:no|without|skip|not|don'?t|doesn'?t|won'?t)\s+(?:\w+\s+)?pass(?:word|phrase)s?\b")
});

const PLURALS: &[&str] = &[
    "kids",
    "children",
    "sons",
    "daughters",
    "parents",
    "grandparents",
    "boys",
    "girls",
    "twins",
    "roommates",
    "flatmates",
    "housemates",
    "colleagues",
    "coworkers",
    "students",
    "employees",
    "grandkids",
    "grandchildren",
    "teenagers",
];
/// "my cats Mochi and Daifuku", "our dog, Rex": animals and their names, nobody's account.
static PET_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i:\b(?P<pet>(?:cats?|dogs?|pets?|pupp(?:y|ies)|kittens?|rabbits?|bunn(?:y|ies)|hamsters?|parrots?|birds?|goldfish|horses?|ponies|pony|tortoises?|turtles?|guinea pigs?|ferrets?|lizards?|snakes?))\b)(?:\s*,?\s+(?i:named|called)?\s*)[A-Z][a-z]+(?:\s*(?:,|(?i:and)|&)\s*[A-Z][a-z]+)*",
    )
    .expect("pattern")
});
/// Words that may follow a name in a sentence ("my husband carl both run it").
const AFTER_A_NAME: &[&str] = &[
    "and",
    "or",
    "who",
    "should",
    "shouldn't",
    "needs",
    "need",
    "is",
    "isn't",
    "gets",
    "can",
    "can't",
    "with",
    "without",
    "as",
    "both",
    "will",
    "won't",
    "would",
    "run",
    "runs",
    "use",
    "uses",
    "just",
    "only",
    "also",
    "too",
    "does",
    "doesn't",
    "do",
    "has",
    "have",
    "must",
    "may",
    "look",
    "looks",
    "manage",
    "manages",
    "want",
    "wants",
    "plus",
    "gets",
    "get",
];
const SELF: &[&str] = &["i", "me", "myself"];
/// What a family calls its parents and grandparents, used as a name ("mum and dad").
const KIN_NAMES: &[&str] = &[
    "mum", "mom", "dad", "mama", "papa", "grandma", "grandpa", "granny", "grandad", "granddad",
    "nana", "nan", "gran",
];
const COLLECTIVE: &[&str] = &[
    "we",
    "us",
    "both",
    "all",
    "everyone",
    "everybody",
    "they",
    "them",
    "each",
    "neither",
    "none",
];
/// Words that stand where a name could in these sentences and are none.
/// (`classify::NOT_NAMES` is asked too: "password", "actually", "both" stand in both.)
pub(super) const NOT_NAMES: &[&str] = &[
    // Words of a change of mind ("oh and forget cy").
    "forget",
    "and",
    "or",
    "the",
    "a",
    "an",
    "is",
    "are",
    "was",
    "be",
    "to",
    "of",
    "for",
    "in",
    "on",
    "at",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "with",
    "without",
    "who",
    "whom",
    "which",
    "what",
    "as",
    "so",
    "too",
    "also",
    "just",
    "only",
    "please",
    "thanks",
    "should",
    "shouldn't",
    "can",
    "can't",
    "could",
    "will",
    "would",
    "must",
    "need",
    "needs",
    "want",
    "wants",
    "gets",
    "get",
    "has",
    "have",
    "had",
    "does",
    "do",
    "did",
    "not",
    "no",
    "yes",
    "both",
    "all",
    "each",
    "every",
    "everyone",
    "neither",
    "none",
    "one",
    "two",
    "three",
    "four",
    "five",
    "us",
    "we",
    "they",
    "them",
    "he",
    "she",
    "him",
    "her",
    "his",
    "hers",
    "their",
    "our",
    "my",
    "your",
    "you",
    "me",
    "i",
    "myself",
    "here",
    "there",
    "then",
    "now",
    "done",
    "going",
    "new",
    "setting",
    "using",
    "trying",
    "looking",
    "fine",
    "ok",
    "okay",
    "sure",
    "happy",
    "admin",
    "admins",
    "administrator",
    "sudo",
    "root",
    "user",
    "users",
    "account",
    "accounts",
    "login",
    "logins",
    "username",
    "rights",
    "access",
    "guest",
    "standard",
    "regular",
    "normal",
    "limited",
    "family",
    "computer",
    "machine",
    "laptop",
    "pc",
    "office",
    "home",
    "school",
    "games",
    "stuff",
    "things",
    "it's",
    "he's",
    "she's",
    "they're",
    "im",
    "i'm",
    "12",
    "age",
    "years",
    "old",
    "plus",
    "called",
    "named",
    "name",
    "lab",
    "little",
    "big",
    "small",
    "young",
    "older",
    "younger",
    "oldest",
    "youngest",
    "eldest",
    "teen",
    "main",
    "other",
    "another",
    "second",
    "first",
    "put",
    "add",
    "make",
    "create",
    "give",
    "set",
    "let",
    "oh",
    "hi",
    "hey",
    "hello",
    "well",
    "anyway",
    "could",
    "would",
    "use",
    "install",
    "call",
    "thank",
    "cheers",
    "dear",
    "besides",
    "except",
    "than",
    "else",
    "already",
    "exists",
    "existing",
    "still",
    "ready",
    "windows",
    "linux",
    "ubuntu",
    "debian",
    "fedora",
    "arch",
    "mint",
    "mac",
    "macos",
    "steam",
    "nvidia",
    "amd",
    "intel",
    "samsung",
    "gnome",
    "kde",
    "google",
    "chrome",
    "firefox",
    "levitate",
    "levitateos",
    "grub",
    "efi",
    "uefi",
    "bios",
    "wifi",
    "ssd",
    "hdd",
    "nvme",
    "usb",
    "btrfs",
    "xfs",
    "ext4",
    "luks",
    "utc",
    "gmt",
    "english",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A name as typed, if it can be one: letters (digits, '-', '_' after the first), not an
/// ordinary word, not a language or nationality.
fn name_in(word: &str) -> Option<String> {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
    let lower = w.to_lowercase();
    let ok = (2..=32).contains(&w.chars().count())
        && w.chars().next().is_some_and(char::is_alphabetic)
        && w.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !NOT_NAMES.contains(&lower.as_str())
        && !classify::RELATIONS.contains(&lower.as_str())
        && !PLURALS.contains(&lower.as_str())
        && !classify::is_not_a_name(&lower)
        && !classify::COMMON_GROUPS.contains(&lower.as_str());
    ok.then(|| w.to_owned())
}

/// A name in prose, where "German" or "Finn" are more likely a language.
fn prose_name(word: &str) -> Option<String> {
    name_in(word).filter(|n| values::locale_for(&n.to_lowercase()).is_none())
}

/// Nouns after a capitalised word that make it a thing's name ("her Arduino stuff", "the
/// Sicherung backup").
const THING_NOUNS: &[&str] = &[
    "stuff",
    "things",
    "project",
    "projects",
    "backup",
    "backups",
    "files",
    "folder",
    "folders",
    "drive",
    "disk",
    "partition",
    "pool",
    "install",
    "installation",
    "system",
    "server",
    "box",
    "card",
    "stick",
    "game",
    "games",
    "photos",
    "pictures",
    "music",
    "videos",
    "data",
    "library",
    "collection",
    "app",
    "apps",
    "software",
    "program",
    "programs",
    "kit",
    "board",
    "printer",
    "phone",
    "laptop",
    "pc",
    "computer",
    "machine",
    "ssd",
    "hdd",
    "nvme",
    "setup",
    "archive",
    "share",
    "volume",
];

/// A capitalised word in prose that names a thing, not a person: after an article or a
/// demonstrative ("the Toshiba", "the old Sicherung"), or before a number or a thing's
/// noun ("Sicherung 2016", "her Arduino stuff").
fn names_a_thing(lower: &[String], i: usize) -> bool {
    let article = |w: &str| matches!(w, "the" | "a" | "an" | "this" | "that" | "its");
    let before = |k: usize| i.checked_sub(k).map(|j| lower[j].as_str());
    let next = lower.get(i + 1).map_or("", String::as_str);
    before(1).is_some_and(article)
        || before(2).is_some_and(article)
            && before(1).is_some_and(|w| !classify::RELATIONS.contains(&w) && !PLURALS.contains(&w))
        || next.starts_with(|c: char| c.is_ascii_digit())
        || THING_NOUNS.contains(&next)
}

fn capitalised(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().skip(1).all(char::is_lowercase)
}

fn quoted(word: &str) -> Option<String> {
    let inner = word
        .trim_end_matches([',', '.', ';', '!', '?'])
        .strip_prefix(['\'', '"', '\u{2018}', '\u{201c}'])?
        .strip_suffix(['\'', '"', '\u{2019}', '\u{201d}'])?;
    name_in(inner)
}

/// One clause's reading: who it names (indexes into the people) and the rights it gives.
struct ItemRead {
    mentions: Vec<usize>,
    collective: bool,
    rights: Option<bool>,
}

struct Reader<'p> {
    /// Whether a word names a place or a disk ("Edinburgh", "Crucial"): no person.
    is_place: &'p dyn Fn(&str) -> bool,
    people: Vec<Person>,
    /// A list of names follows ("users:", "accounts for").
    listing: bool,
    /// The people of the last clause that named any.
    last_group: Vec<usize>,
    /// Named in this clause, waiting for a right said after them ("tom and ann, both
    /// admins").
    pending: Vec<usize>,
    /// How many names were given so far.
    named: usize,
    /// The person the speaker said they are ("amir is me").
    me: Option<usize>,
    /// A first name and a surname were given: one person, asked about elsewhere.
    full_name: bool,
    /// The plural being named ("our kids are Lily and Max"), and those named for each.
    naming: Option<String>,
    groups: std::collections::HashMap<String, Vec<usize>>,
    /// Which item of its clause is being read ("and the kids tom and lily": "lily" is a
    /// name of the list, never the name of someone unnamed before).
    item: usize,
}

impl Reader<'_> {
    fn person(&mut self, kind: Kind, name: Option<String>, plural: bool) -> usize {
        // "amir is me": the speaker is amir.
        if let (Kind::Speaker, Some(me)) = (kind, self.me) {
            return me;
        }
        let lower = name.as_ref().map(|n| n.to_lowercase());
        if let Some(i) = self.people.iter().position(|p| {
            p.kind == Kind::Speaker && kind == Kind::Speaker
                || lower.is_some() && p.name.as_ref().map(|n| n.to_lowercase()) == lower
        }) {
            if self.people[i].name.is_none() {
                if let Some(name) = name {
                    self.set_name(i, name);
                }
            }
            return i;
        }
        self.named += 1;
        self.people.push(Person {
            kind,
            name,
            sudo: None,
            plural,
            named_at: self.named,
            related: false,
            clause: usize::MAX,
            named_clause: usize::MAX,
        });
        let at = self.people.len() - 1;
        if let Some(rel) = self.naming.clone() {
            if self.people[at].name.is_some() {
                self.groups.entry(rel).or_default().push(at);
            }
        }
        at
    }

    fn set_name(&mut self, at: usize, name: String) {
        self.named += 1;
        let p = &mut self.people[at];
        p.name = Some(name);
        p.plural = false;
        p.named_at = self.named;
        if let Some(rel) = self.naming.clone() {
            self.groups.entry(rel).or_default().push(at);
        }
    }

    /// Names given to the plural or unnamed person named just before ("the kids, Mila and
    /// Theo", "me, Jonas").
    fn name_waiting(&mut self, name: &str) -> Option<usize> {
        let i = *self.last_group.last()?;
        if self.people[i].name.is_none() {
            self.set_name(i, name.to_owned());
            return Some(i);
        }
        None
    }

    fn read_item(&mut self, item: &str, first_of_sentence: bool, secretive: bool) -> ItemRead {
        let words: Vec<&str> = item.split_whitespace().collect();
        let lower: Vec<String> = words
            .iter()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
                    .to_lowercase()
            })
            .collect();
        let lc = lower.join(" ");
        let mut read = ItemRead {
            mentions: Vec::new(),
            collective: false,
            // ("alice gets sudo, bob doesn't": the rights said before, refused.)
            rights: if NO_RIGHTS.is_match(&lc) || ELLIPSIS_NO.is_match(&lc) {
                Some(false)
            } else if RIGHTS.is_match(&lc) {
                Some(true)
            } else {
                None
            },
        };
        let mut i = 0;
        let listing = self.listing;
        while i < words.len() {
            let w = lower[i].as_str();
            let next = lower.get(i + 1).map_or("", String::as_str);
            // "'sam' for me", "alex for them": the account of who follows ("group 'lp'"
            // is a group).
            let group_before = i > 0 && matches!(lower[i - 1].as_str(), "group" | "groups")
                // ("spelled with 'ue'": letters of a name, no name.)
                || lower[i.saturating_sub(3)..i].iter().any(|x| {
                    matches!(x.as_str(), "spelled" | "spelt" | "spelling" | "written" | "letters" | "instead")
                });
            // ("Keyboard Swiss German, which I believe is 'ch'": a setting's value.)
            let setting_before = lower[..i].iter().any(|x| {
                matches!(
                    x.as_str(),
                    "keyboard"
                        | "layout"
                        | "keymap"
                        | "hostname"
                        | "locale"
                        | "timezone"
                        | "language"
                )
            }) || i > 0
                && matches!(lower[i - 1].as_str(), "is" | "be" | "was")
                && !lower.iter().any(|x| {
                    matches!(
                        x.as_str(),
                        "user" | "account" | "login" | "username" | "name" | "called" | "named"
                    )
                });
            if let Some(name) = quoted(words[i]).filter(|_| !group_before && !setting_before) {
                let owner = match (next, lower.get(i + 2).map(String::as_str)) {
                    ("for", Some("me" | "myself")) => Some(Kind::Speaker),
                    ("for", Some("him" | "her" | "them")) => Some(Kind::Other),
                    _ => None,
                };
                // "Me: admin, name 'oliver'": the name of the one just spoken of.
                let name_word = i > 0
                    && matches!(
                        lower[i - 1].as_str(),
                        "name" | "username" | "login" | "called" | "named"
                    );
                let unnamed = read
                    .mentions
                    .last()
                    .or(self.last_group.last())
                    .copied()
                    .filter(|&p| self.people[p].name.is_none());
                if let (true, None, Some(p)) = (name_word, owner, unnamed) {
                    self.set_name(p, name);
                    if !read.mentions.contains(&p) {
                        read.mentions.push(p);
                    }
                    i += 1;
                    continue;
                }
                let at = match owner {
                    Some(Kind::Speaker) => self.person(Kind::Speaker, Some(name), false),
                    Some(Kind::Other) => {
                        match self
                            .people
                            .iter()
                            .rposition(|p| p.kind == Kind::Other && p.name.is_none())
                        {
                            Some(j) => {
                                self.set_name(j, name);
                                j
                            }
                            None => self.person(Kind::Other, Some(name), false),
                        }
                    }
                    None => self.person(Kind::Other, Some(name), false),
                };
                read.mentions.push(at);
                i += if owner.is_some() { 3 } else { 1 };
                continue;
            }
            // The speaker: "I", "me", "I'm Maria", "me (Hana)", "my name is Jonas".
            if SELF.contains(&w) || w == "i'm" || w == "i'll" || w == "im" && i == 0 {
                let after = words.get(i + 1).copied().unwrap_or("");
                let named = if w == "i'm" || w == "im" {
                    name_in(after).filter(|_| capitalised(after) || i + 2 >= words.len())
                } else if after.starts_with('(') {
                    // "me (Hana)", "me (sam, admin)": the first word in the parentheses.
                    name_in(after.trim_end_matches([',', ')', ';']))
                } else {
                    None
                };
                let step = if named.is_some() { 2 } else { 1 };
                // "I'm done", "I'd like": not a person unless named or given rights ("I'm
                // the admin").
                // ("I'll be the admin": the speaker too.)
                if named.is_some()
                    || !matches!(w, "i'm" | "im" | "i'll")
                    || SPEAKER_ADMIN.is_match(&lc)
                {
                    read.mentions.push(self.person(Kind::Speaker, named, false));
                }
                i += step;
                continue;
            }
            // ("my username is felix", "my login's felix": the speaker's account.)
            if w == "my"
                && matches!(
                    next,
                    "name" | "name's" | "username" | "username's" | "login" | "login's" | "user"
                )
            {
                // ("my username should be kenji", "my login will be kenji", "my user = kenji")
                let mut at = i + 2;
                while words.get(at).is_some_and(|x| {
                    matches!(
                        *x,
                        "is" | "will"
                            | "should"
                            | "shall"
                            | "would"
                            | "must"
                            | "be"
                            | "="
                            | ":"
                            | "name"
                            | "gonna"
                    )
                }) {
                    at += 1;
                }
                if let Some(n) = words.get(at).and_then(|x| name_in(x)) {
                    read.mentions
                        .push(self.person(Kind::Speaker, Some(n), false));
                    i = at + 1;
                    continue;
                }
            }
            if COLLECTIVE.contains(&w) {
                read.collective = true;
                if matches!(w, "neither" | "none") {
                    read.rights = Some(false);
                }
                i += 1;
                continue;
            }
            // "my wife Ana", "our son, Diego", "my partner is Joe", "the kids are Lily
            // and Max" (the rest of the list in the items after).
            let singular = classify::RELATIONS.contains(&w);
            let plural = PLURALS.contains(&w);
            if singular || plural {
                // "a guest account": the kind of account, nobody in particular.
                if ACCOUNT.is_match(next) {
                    i += 1;
                    continue;
                }
                // "helga for my mum": the relation is who the account just named is for,
                // the same person, not another one to name.
                let for_one_named = read
                    .mentions
                    .last()
                    .copied()
                    .filter(|&p| self.people[p].name.is_some());
                if let (true, Some(p)) = (
                    singular
                        && i >= 2
                        && lower[i - 2] == "for"
                        && matches!(lower[i - 1].as_str(), "my" | "our" | "the"),
                    for_one_named,
                ) {
                    self.people[p].related = true;
                    i += 1;
                    continue;
                }
                // "the kids" again: the kids named before.
                if let Some(named) = self.groups.get(w).filter(|g| !g.is_empty()) {
                    read.mentions.extend(named.iter().copied());
                    i += 1;
                    continue;
                }
                if plural {
                    self.naming = Some(w.to_owned());
                }
                let mut j = i + 1;
                if matches!(next, "is" | "are" | "named" | "called") {
                    j += 1;
                }
                let name = words.get(j).and_then(|x| {
                    let n = name_in(x)?;
                    let ends = x.ends_with([',', ')', '.', ';'])
                        || j + 1 >= words.len()
                        || words[j + 1].starts_with('(')
                        || quoted(x).is_some()
                        || capitalised(x)
                        || AFTER_A_NAME.contains(&lower[j + 1].as_str());
                    ends.then_some(n)
                });
                // "accounts for mum, dad and the kids": what the family calls them, said
                // without "my", is their login.
                let bare_kin = KIN_NAMES.contains(&w)
                    && self.listing
                    && (i == 0
                        || !matches!(
                            lower[i - 1].as_str(),
                            "my" | "our" | "the" | "his" | "her" | "their" | "your" | "a" | "an"
                        ) && !lower[i - 1].ends_with("'s"));
                let name = name.or_else(|| {
                    bare_kin.then(|| {
                        words[i]
                            .trim_matches(|c: char| !c.is_alphanumeric())
                            .to_owned()
                    })
                });
                let named = name.is_some();
                let at = self.person(Kind::Other, name, plural && !named);
                self.people[at].related = true;
                read.mentions.push(at);
                if plural {
                    self.listing = true;
                }
                i = if named { j + 1 } else { i + 1 };
                continue;
            }
            // A capitalised name in prose, a name in a list, a name already given ("tom's
            // password": tom's, his own).
            // ("rui's mom manages the computer": the mother, not rui.)
            let owner_of_someone = classify::RELATIONS.contains(&next) || PLURALS.contains(&next);
            let base = if owner_of_someone {
                words[i]
            } else {
                words[i]
                    .trim_end_matches([',', '.', ';', ':', '!', '?'])
                    .trim_end_matches("'s")
                    .trim_end_matches("\u{2019}s")
            };
            let known = name_in(base).filter(|n| {
                self.people
                    .iter()
                    .any(|p| p.name.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(n)))
            });
            // "me, oskar, with sudo": a word alone after someone unnamed is their name.
            if i == 0 && words.len() == 1 && !secretive && self.item == 0 {
                if let Some(at) = name_in(words[0]).and_then(|n| self.name_waiting(&n)) {
                    read.mentions.push(at);
                    i += 1;
                    continue;
                }
            }
            // First in an item of a list, or right after the list's noun ("create users
            // bob", "logins for maria"), or before its rights ("john as admin").
            let in_list = listing
                && (i == 0
                    || words[i - 1].ends_with(':')
                    || matches!(
                        lower[i - 1].as_str(),
                        "for" | "users" | "accounts" | "logins" | "profiles" | "user" | "account"
                    ))
                || matches!(next, "as" | "with" | "without")
                    && (i == 0
                        || matches!(
                            lower[i - 1].as_str(),
                            "up" | "create" | "add" | "make" | "and" | "user" | "account"
                        ))
                    && (RIGHTS.is_match(&lc) || NO_RIGHTS.is_match(&lc))
                || i > 0 && matches!(lower[i - 1].as_str(), "user" | "account" | "login");
            let prose = capitalised(words[i])
                && !(first_of_sentence
                    && i == 0
                    && !matches!(
                        next,
                        "and"
                            | "should"
                            | "is"
                            | "needs"
                            | "gets"
                            | "can"
                            | "will"
                            | "shouldn't"
                            | "has"
                    ));
            // A secret is never a name ("password ... to Verde2024"): a word soon after a
            // password's word, in a clause that speaks of one. ("ana and rui (password)":
            // rui is named before it.)
            let after_secret = secretive
                && lower[i.saturating_sub(3)..i].iter().any(|x| {
                    x.starts_with("pass") || matches!(x.as_str(), "pw" | "pwd" | "pin" | "secret")
                });
            let fresh = if after_secret {
                None
            } else if in_list {
                name_in(words[i])
            } else if prose {
                // ("GNOME Shell", "KDE Plasma": a word after a thing's name is its name.)
                let after_thing = i > 0 && (self.is_place)(words[i - 1]);
                prose_name(words[i])
                    .filter(|n| !(self.is_place)(n) && !after_thing && !names_a_thing(&lower, i))
            } else {
                None
            };
            // "Bob Smith", "Mary Ann": one person's full name, asked about by the clause
            // reader, never two people.
            if fresh.is_some()
                && capitalised(words[i])
                && words.get(i + 1).is_some_and(|x| {
                    capitalised(x) && name_in(x).is_some() && !words[i].ends_with(',')
                })
            {
                self.full_name = true;
            }
            if let Some(n) = known.or(fresh.filter(|_| !words[i].starts_with('('))) {
                let at = match self
                    .name_waiting(&n)
                    .filter(|_| i == 0 && read.mentions.is_empty())
                {
                    Some(at) => at,
                    None => self.person(Kind::Other, Some(n), false),
                };
                read.mentions.push(at);
                // "amir is me": the one speaking.
                if lower.get(i + 1).is_some_and(|x| x == "is")
                    && lower.get(i + 2).is_some_and(|x| x == "me" || x == "myself")
                {
                    self.me = Some(at);
                    i += 3;
                    continue;
                }
                // "Dan (he's the admin)": what the parentheses say is said of him.
                i += 1;
                continue;
            }
            // "his name's Robert", "everyone calls him Bob", "goes by Bob": another name
            // of the person just spoken of, never a second person.
            let alias_at = match (w, next) {
                ("his" | "her" | "their", "name's" | "name") => {
                    Some(if lower.get(i + 2).is_some_and(|x| x == "is") {
                        i + 3
                    } else {
                        i + 2
                    })
                }
                ("calls" | "call" | "called", "him" | "her" | "them")
                | ("goes" | "go", "by")
                | ("known", "as") => Some(i + 2),
                _ => None,
            };
            if let Some(at) = alias_at {
                let last = read.mentions.last().or(self.last_group.last()).copied();
                if let (Some(n), Some(p)) = (words.get(at).and_then(|x| name_in(x)), last) {
                    self.set_name(p, n);
                    i = at + 1;
                    continue;
                }
            }
            // "username nana", "called max": the login of the person just named.
            if matches!(w, "username" | "login" | "called" | "named") {
                if let (Some(n), Some(&at)) = (
                    words.get(i + 1).and_then(|x| name_in(x)),
                    read.mentions.last().or(self.last_group.last()),
                ) {
                    // ("username John Smith": a full name, kept whole so it is asked about,
                    // not two people.)
                    let capital = |x: &str| x.chars().next().is_some_and(char::is_uppercase);
                    let surname = words.get(i + 2).and_then(|x| name_in(x)).filter(|x| {
                        capital(&n) && capital(x) && x.chars().all(char::is_alphabetic)
                    });
                    if let Some(surname) = surname {
                        self.set_name(at, format!("{n} {surname}"));
                        if !read.mentions.contains(&at) {
                            read.mentions.push(at);
                        }
                        i += 3;
                        continue;
                    }
                    self.set_name(at, n);
                    if !read.mentions.contains(&at) {
                        read.mentions.push(at);
                    }
                    i += 2;
                    continue;
                }
            }
            i += 1;
        }
        read
    }

    fn give(&mut self, to: &[usize], rights: bool) {
        for &i in to {
            self.people[i].sudo = Some(rights);
        }
    }
}

/// A group asked for the people `to` in clause `ci`: wheel, sudo and admin give them rights
/// (whether they did is returned); any other valid group is joined after their accounts.
fn ask_group(
    r: &mut Reader<'_>,
    extra: &mut Vec<(usize, Vec<usize>, Action)>,
    ci: usize,
    to: &[usize],
    group: &str,
) -> bool {
    if crate::validate::group(group).is_err() {
        return false;
    }
    if matches!(group, "wheel" | "sudo" | "admin") {
        r.give(to, true);
        return true;
    }
    let group = Action::AddToGroup {
        user: String::new(),
        group: group.to_owned(),
    };
    extra.push((ci, to.to_vec(), group));
    false
}

/// Groups every system knows, named in a clause about people as groups ("in docker",
/// "(admin, docker)", "groups: audio, video"), not refused ("no docker") nor ordinary
/// words ("play games"); wheel and sudo are rights, said elsewhere.
fn groups_said(lc: &str) -> Vec<String> {
    static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[a-z_][a-z0-9_-]*"));
    let mut out: Vec<String> = Vec::new();
    let mut prev = "";
    let mut prev_was_group = false;
    for m in WORD.find_iter(lc) {
        let w = m.as_str();
        let before = &lc[..m.start()];
        let in_parens = before
            .rfind('(')
            .is_some_and(|o| before.rfind(')').is_none_or(|c| c < o));
        let placed = matches!(
            prev,
            "in" | "into"
                | "to"
                | "groups"
                | "group"
                | "plus"
                | "also"
                | "need"
                | "needs"
                | "join"
                | "joins"
        ) || prev_was_group && before.trim_end().ends_with([',', '&'])
            || prev_was_group && prev == "and"
            || in_parens;
        let grouped = classify::COMMON_GROUPS.contains(&w)
            && !matches!(
                w,
                "wheel" | "sudo" | "users" | "network" | "storage" | "input"
            )
            && !matches!(prev, "no" | "not" | "without")
            && placed;
        if grouped && !out.iter().any(|g| g == w) {
            out.push(w.to_owned());
        }
        prev_was_group = grouped || prev_was_group && w == "and";
        // ("in the audio group": the article stands between.)
        if w != "the" {
            prev = w;
        }
    }
    out
}

/// The people of `text`, read together, or None when it does not name several people to
/// give accounts.
pub(super) fn read(text: &str, is_place: &dyn Fn(&str) -> bool) -> Option<Household> {
    let text = &*PET_NAMES.replace_all(text, "$pet");
    // ("create users alice and bob: alice gets sudo": what follows the pair is said of each.)
    let text = &*PAIR_COLON.replace_all(text, |c: &regex::Captures<'_>| {
        let m = &c[0];
        format!("{},{}", &m[..m.len() - 2], &m[m.len() - 1..])
    });
    // ("accounts: 'mary jane' and 'peter'": a full name, asked about by the clause reader.)
    if super::patterns::QUOTED_FULL_NAME.is_match(text) {
        return None;
    }
    let mut r = Reader {
        is_place,
        people: Vec::new(),
        listing: false,
        last_group: Vec::new(),
        pending: Vec::new(),
        named: 0,
        me: None,
        full_name: false,
        naming: None,
        groups: std::collections::HashMap::new(),
        item: 0,
    };
    // Each clause: its byte range, whether it was read as about people, and what it asks
    // for its people (groups, passwords).
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for m in CLAUSE_END.find_iter(text) {
        // ("everyone but tom is admin": "but" after a quantifier excepts, it ends nothing.)
        if m.as_str().trim() == "but"
            && QUANTIFIER_END.is_match(&text[start..m.start()].to_lowercase())
        {
            continue;
        }
        // ("what I've set so far", "so much": "so" there ends nothing.)
        if m.as_str().trim().eq_ignore_ascii_case("so")
            && text[m.end()..]
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|w| {
                    matches!(w.to_lowercase().as_str(), "far" | "much" | "many" | "long")
                })
        {
            continue;
        }
        // A comma or colon inside parentheses does not end the clause.
        let open = text[start..m.start()].matches('(').count()
            > text[start..m.start()].matches(')').count();
        if open {
            continue;
        }
        clauses.push((start, m.start()));
        start = m.end();
    }
    clauses.push((start, text.len()));
    let mut claimed = vec![false; clauses.len()];
    let mut taken_back: Vec<String> = Vec::new();
    let mut any_account = false;
    let mut any_rights = false;
    let mut any_plural = false;
    let mut extra: Vec<(usize, Vec<usize>, Action)> = Vec::new();
    let mut first_of_sentence = true;
    for (ci, &(a, b)) in clauses.iter().enumerate() {
        let clause = text[a..b].trim();
        let lc = clause.to_lowercase();
        let sentence_start = first_of_sentence;
        // (";" ends the lines of a list, not the list.)
        first_of_sentence = text[b..]
            .chars()
            .next()
            .is_some_and(|c| matches!(c, '.' | '!' | '?' | '\n'));
        if clause.is_empty() {
            continue;
        }
        // "set Eastern time", "call the PC playroom": another request, read by the
        // clause reader; its capitalised words are no people.
        // ("set up wifi for them": a thing the installer does not do, answered as such.)
        // ("then show me what I've set so far": the status, asked.)
        let plain = lc.trim_start_matches(|c: char| !c.is_alphanumeric());
        let plain = ["then ", "and ", "now ", "and then ", "ok ", "okay "]
            .iter()
            .find_map(|w| plain.strip_prefix(w))
            .unwrap_or(plain);
        if OTHER_REQUEST.is_match(&lc)
            || super::patterns::STATUS.is_match(plain) && !ACCOUNT.is_match(plain)
            || super::patterns::UNSUPPORTED
                .iter()
                .any(|(re, ..)| re.is_match(&lc))
        {
            continue;
        }
        if sentence_start {
            r.listing = r.listing && LIST_CUE.is_match(&lc);
        }
        // "actually scratch ben": an account named before, taken back.
        let mut bare = lc.as_str();
        while let Some(rest) = ["and ", "oh ", "also ", "then ", "but ", "oh, ", "and, "]
            .iter()
            .find_map(|w| bare.strip_prefix(w))
        {
            bare = rest;
        }
        // (Only a taking back: "ned is the admin, not mo" says who is admin.)
        if let Some(k) = super::patterns::RETRACT_KIND
            .captures(bare)
            .filter(|c| !matches!(&c["verb"], "no" | "not"))
            .and_then(|c| c.name("k"))
            .map(|k| k.as_str().trim().to_owned())
        {
            if r.people.iter().any(|p| {
                p.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&k))
            }) {
                taken_back.push(k);
                claimed[ci] = true;
                continue;
            }
        }
        let carried = std::mem::take(&mut r.pending);
        // ("I want to check the accounts": accounts looked at, none asked for.)
        let looked_at = super::patterns::ACCOUNTS_LOOKED_AT.is_match(&lc);
        let account = ACCOUNT.is_match(&lc) && !looked_at;
        if PLURAL_ACCOUNTS.is_match(&lc) && !looked_at {
            r.listing = true;
            any_plural = true;
        }
        any_account |= account;
        let mut mentions = Vec::new();
        let mut clause_rights = None;
        let mut collective = false;
        for (k, item) in ITEM_END.split(clause).enumerate() {
            r.item = k;
            let read = r.read_item(
                item.trim(),
                sentence_start && k == 0,
                PASSWORD_ASKED.is_match(&lc),
            );
            collective |= read.collective;
            match read.rights {
                Some(rights) => {
                    any_rights = true;
                    clause_rights = Some(rights);
                    let mut to: Vec<usize> = read.mentions.clone();
                    // ("I want two accounts: alice (admin)": rights said in parentheses are
                    // the one named just before them, not the speaker's too.)
                    let in_parens = item.find('(').is_some_and(|at| {
                        let inside = item[at..].to_lowercase();
                        RIGHTS.is_match(&inside) || NO_RIGHTS.is_match(&inside)
                    });
                    if in_parens && to.len() > 1 {
                        to.drain(..to.len() - 1);
                    }
                    // ("give me a second user tom with sudo": "me" asks for tom's account.)
                    if to.len() > 1 && FOR_ME_MAKE.is_match(&item.to_lowercase()) {
                        to.retain(|&i| r.people[i].kind != Kind::Speaker);
                    }
                    // ("lou and mo (admin)": what the parentheses say is mo's alone.)
                    if !item.contains('(') || read.mentions.is_empty() {
                        to.append(&mut r.pending);
                    }
                    // "create luke and leia, make her an admin": the one named last.
                    if to.is_empty() && !read.collective && SINGULAR_PRONOUN.is_match(item) {
                        to.extend(r.last_group.last().copied());
                    }
                    if to.is_empty() && read.collective || to.is_empty() && carried.is_empty() {
                        to.extend(r.last_group.iter().copied());
                    } else if to.is_empty() {
                        to.extend(carried.iter().copied());
                    }
                    r.give(&to, rights);
                }
                None => r.pending.extend(read.mentions.iter().copied()),
            }
            mentions.extend(read.mentions);
        }
        // "everyone except jordan is an admin", "nobody gets sudo except me", "only kim is
        // an admin": the rights said go to everyone named but the one excepted, who gets
        // the other answer (or, after "only", to that one alone).
        if let Some(c) = EXCEPT.captures(&lc) {
            let who = c
                .name("x")
                .or_else(|| c.name("y"))
                .map_or("", |m| m.as_str());
            // (The rights are read without the quantifier and the one excepted.)
            let mut rest = lc.clone();
            for g in ["x", "y", "neg"] {
                if let Some(m) = c.name(g) {
                    rest.replace_range(m.range(), &" ".repeat(m.len()));
                }
            }
            let positive = RIGHTS.is_match(&rest) && !NO_RIGHTS.is_match(&rest);
            // ("only kim gets the video group", "everyone except jordan needs a
            // password": no rights are spoken of.)
            let about_rights = RIGHTS.is_match(&rest) || NO_RIGHTS.is_match(&rest);
            let others = if c.name("y").is_some() {
                !positive
            } else {
                positive != c.name("neg").is_some()
            };
            let excepted = r.people.iter().position(|p| {
                if SELF.contains(&who) {
                    p.kind == Kind::Speaker
                } else {
                    p.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(who))
                }
            });
            if let Some(x) = excepted.filter(|_| about_rights) {
                for (i, p) in r.people.iter_mut().enumerate() {
                    if p.name.is_some() || p.kind == Kind::Speaker {
                        p.sudo = Some(if i == x { !others } else { others });
                    }
                }
                any_rights = true;
                clause_rights = Some(!others);
            }
        }
        if LIST_CUE.is_match(&lc) {
            r.listing = true;
        } else if mentions.is_empty() && clause_rights.is_none() && !account {
            r.listing = false;
        }
        // What the clause asks for the people it names, or for the group before it; "all
        // three of us", "each of us", "both of us": everyone named.
        let everyone = collective && EVERYONE.is_match(&lc);
        let targets = if everyone {
            let mut all: Vec<usize> = (0..r.people.len())
                .filter(|&i| r.people[i].name.is_some())
                .collect();
            all.sort_by_key(|&i| r.people[i].named_at);
            all
        } else if mentions.is_empty() {
            r.last_group.clone()
        } else {
            mentions.clone()
        };
        // "user ana, password, sudo yes; user luis": a password said after a person is
        // theirs, not the last person's of the whole list.
        let password_for_last = PASSWORD_ASKED.is_match(&lc)
            && mentions.is_empty()
            && !r.last_group.is_empty()
            && ci > 0
            && claimed[ci - 1];
        // ("my son emil needs an account, and he should be in docker. ... stefan": "he" is
        // the one just spoken of, not the last named in the whole request.)
        let pronoun_for_last = mentions.is_empty()
            && r.last_group.len() == 1
            && SINGULAR_PRONOUN.is_match(&lc)
            && GROUP_ASKED.is_match(&lc);
        // ("user ops sudo, groups docker,adm; user ci ...": groups listed alone are the
        // person's just named.)
        let groups_alone =
            mentions.is_empty() && r.last_group.len() == 1 && GROUPS_ALONE.is_match(&lc);
        if groups_alone {
            let listed = lc
                .split_once(char::is_whitespace)
                .map_or("", |(_, rest)| rest)
                .trim_start_matches([':', '='])
                .split(|c: char| c == ',' || c == '&' || c == '+' || c.is_whitespace())
                .filter(|g| !g.is_empty() && *g != "and")
                .map(str::to_owned)
                .collect::<Vec<_>>();
            for g in listed {
                any_rights |= ask_group(&mut r, &mut extra, ci, &targets, &g);
            }
            claimed[ci] = true;
            continue;
        }
        let about_people = !mentions.is_empty()
            || collective
            || clause_rights.is_some()
            || password_for_last
            || pronoun_for_last;
        // "put bob in video and audio": a group request read by the clause reader.
        // ("put the kids in audio and video", "put ola in audio": people read here, in
        // groups every system knows, are read here too, in the order said.)
        let unread_group = GROUPISH.is_match(&lc)
            && !GROUP_ASKED.is_match(&lc)
            && (mentions.is_empty()
                || mentions.iter().any(|&m| r.people[m].name.is_none())
                || groups_said(&lc).is_empty());
        if about_people && !unread_group {
            // ("to the group staff": "the group" is no group's name; the one after it is.)
            let asked = GROUP_ASKED.captures_iter(&lc).find_map(|c| {
                let g = c
                    .name("i")
                    .or_else(|| c.name("g"))
                    .or_else(|| c.name("h"))?
                    .as_str();
                (!["a", "the", "that"].contains(&g)).then_some(g)
            });
            if let Some(g) = asked {
                any_rights |= ask_group(&mut r, &mut extra, ci, &targets, g);
            }
            // "kim (admin, docker, libvirt)", "all of them in docker": groups named for
            // the people, by the names every system knows.
            if !GROUP_ASKED.is_match(&lc) {
                for g in groups_said(&lc) {
                    let group = Action::AddToGroup {
                        user: String::new(),
                        group: g,
                    };
                    extra.push((ci, targets.clone(), group));
                }
            }
            if PASSWORD_ASKED.is_match(&lc) && !PASSWORD_REFUSED.is_match(&lc) {
                let pw = Action::SetPassword {
                    user: String::new(),
                };
                extra.push((ci, targets.clone(), pw));
            }
        }
        for &m in &mentions {
            r.people[m].clause = r.people[m].clause.min(ci);
            if r.people[m].name.is_some() {
                r.people[m].named_clause = r.people[m].named_clause.min(ci);
            }
        }
        if !mentions.is_empty() {
            r.last_group.clone_from(&mentions);
            r.last_group.dedup();
        } else if clause_rights.is_none() {
            r.pending = carried;
        }
        if mentions.is_empty() {
            r.naming = None;
        }
        claimed[ci] =
            (about_people || account && (LIST_CUE.is_match(&lc) || r.listing)) && !unread_group;
        // A clause with a secret in it stays with the clause reader (it redacts and asks).
        if lc.contains('\u{2022}') {
            claimed[ci] = false;
        }
    }
    // ("my flatmate Jonas ... don't create one for him", "... will make his own account":
    // no account for that person; "my mother, Margarida ... make her a user called
    // guida": her account, by the login given, not by her name.)
    for (ci, &(a, b)) in clauses.iter().enumerate() {
        let lc = text[a..b].to_lowercase();
        let Some(c) = NO_ACCOUNT_FOR
            .captures(&lc)
            .or_else(|| ACCOUNT_FOR_HER_CALLED.captures(&lc))
        else {
            continue;
        };
        let who = match c.name("who").map(|w| w.as_str()) {
            Some("him" | "her" | "them") | None => r
                .people
                .iter()
                .filter(|p| p.kind == Kind::Other && p.clause < ci)
                .filter_map(|p| p.name.clone().map(|n| (p.named_at, n)))
                .filter(|(_, n)| {
                    c.name("login")
                        .is_none_or(|l| !l.as_str().eq_ignore_ascii_case(n))
                })
                .max_by_key(|(at, _)| *at)
                .map(|(_, n)| n),
            Some(n) => Some(n.to_owned()),
        };
        taken_back.extend(who);
    }
    // "their account already exists": nobody to create.
    if EXISTING.is_match(&text.to_lowercase()) {
        return None;
    }
    let people: Vec<&Person> = r.people.iter().collect();
    let named = people.iter().filter(|p| p.name.is_some()).count();
    // Several people: two named, or accounts asked for several ("accounts for me and my
    // wife"); one named person beside "I" is the clause reader's.
    // ... or one person named after a relation and given or refused rights ("this
    // computer is for my son Leo; he shouldn't be able to install anything").
    let one_related = !any_account
        && named == 1
        && people
            .iter()
            .any(|p| p.related && p.name.is_some() && p.sudo.is_some());
    let several = named >= 2 || any_plural && people.len() >= 2 || one_related;
    if !several || r.full_name || !(any_account || any_rights) {
        return None;
    }
    // A person mentioned and given nothing, without a name ("I" in "I'd like"), is no
    // account unless accounts are asked for them.
    let mut actions = Vec::new();
    let mut users = Vec::new();
    let unnamed: Vec<&&Person> = people
        .iter()
        // ("I" spoken of, "the usb stick I booted from", is nobody to make an account for.)
        .filter(|p| p.name.is_none() && (p.sudo.is_some() || p.kind == Kind::Other && any_account))
        // ("give me a second user tom with sudo": "me" is who asks for tom's account.)
        .filter(|p| {
            !(p.kind == Kind::Speaker
                && people.iter().any(|q| {
                    q.name.is_some() && q.named_clause == p.clause && q.named_at > p.named_at
                }))
        })
        .collect();
    let mut by_name: Vec<&&Person> = people
        .iter()
        .filter(|p| {
            p.name
                .as_deref()
                .is_some_and(|n| !taken_back.iter().any(|t| t.eq_ignore_ascii_case(n)))
        })
        .collect();
    by_name.sort_by_key(|p| p.named_at);
    // In the order asked: each account where its person is first named, what is asked
    // for people after the accounts named up to there ("user ana, password, sudo; user
    // luis": ana, her password, luis).
    let mut keyed: Vec<((usize, u8, usize), Action)> = Vec::new();
    for p in by_name {
        if let Some(name) = &p.name {
            let made = classify::new_user(name, p.sudo.unwrap_or(false), &mut users);
            keyed.push(((p.clause, 0, p.named_at), made));
        }
    }
    for (k, (ci, targets, action)) in extra.iter().enumerate() {
        for &t in targets {
            let Some(user) = r.people[t]
                .name
                .as_ref()
                .map(|n| n.to_lowercase())
                .filter(|n| users.contains(n))
            else {
                continue;
            };
            let asked = match action {
                Action::AddToGroup { group, .. } => Action::AddToGroup {
                    user,
                    group: group.clone(),
                },
                _ => Action::SetPassword { user },
            };
            keyed.push(((*ci, 1, k), asked));
        }
    }
    keyed.sort_by_key(|(key, _)| *key);
    actions.extend(keyed.into_iter().map(|(_, a)| a));
    if !unnamed.is_empty() {
        actions.push(super::clarify(
            "What should each account be called? Say, for example, \"create user anna with sudo and user ben\".",
        ));
    }
    let mut rest = String::with_capacity(text.len());
    let mut put = false;
    let mut at = 0;
    // Where the accounts go among the other requests: at the first clause that asks for
    // one ("Gaming PC for the boys, windows stays. Put linux next to it. Accounts finn and
    // noah": after the disk, where they are asked for).
    let first_asked = people
        .iter()
        .filter(|p| p.name.is_some())
        .map(|p| p.named_clause)
        .min()
        .filter(|&ci| claimed.get(ci) == Some(&true));
    for (ci, &(a, b)) in clauses.iter().enumerate() {
        rest.push_str(&text[at..a]);
        if claimed[ci] {
            if !put && first_asked.is_none_or(|f| ci >= f) {
                rest.push_str(", ");
                rest.push(MARKER);
                rest.push(',');
                put = true;
            }
        } else {
            rest.push_str(&text[a..b]);
        }
        at = b;
    }
    rest.push_str(&text[at..]);
    if !put {
        return None;
    }
    Some(Household { rest, actions })
}
