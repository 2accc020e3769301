//! The request as one text, rewritten before it is split into clauses: the separators
//! people type, shorthand, other languages' keywords, sizes in words, commands, remarks in
//! parentheses. Each rewrite is one entry of [`STEPS`], applied in order; the order
//! matters where one rewrite makes the text another one reads.

use std::sync::LazyLock;

use regex::Regex;

use super::{patterns, words};

/// One rewrite of the whole request.
enum Step {
    /// Every match of the pattern replaced (`$1`, `$name` as in `Regex::replace_all`).
    Replace(&'static LazyLock<Regex>, &'static str),
    /// A rewrite that needs more than a replacement.
    Apply(fn(&str) -> String),
}

static STEPS: [Step; 256] = [
    Step::Replace(&patterns::ASIDE_WORD, " "),
    Step::Replace(
        &patterns::DISK_BECOMES,
        "turn all of $d into a single $fs filesystem mounted at $m",
    ),
    Step::Replace(&patterns::RUNNING_LIVE_OFF, "the live system runs off "),
    Step::Replace(&patterns::NOT_A_STORAGE_CARD, "$k adapter$s"),
    Step::Replace(&patterns::VALUE_MUST_BE, "$k $v$e"),
    Step::Replace(&patterns::KEY_FOR_ME, "$k "),
    Step::Apply(swap_in_words),
    Step::Replace(&patterns::SOLID_STATE, "solid state"),
    Step::Replace(&patterns::EXCEPT_STAYS, ", $k $v"),
    Step::Replace(&patterns::KERNEL_THIS, "$verb $v $to"),
    Step::Replace(&patterns::TRAVEL_BETWEEN, "$end"),
    Step::Replace(&patterns::BOTH_PARTS_ENCRYPTED, "$a $e and $b $e"),
    Step::Replace(&patterns::WANTS_HEADING, "$1"),
    Step::Replace(&patterns::MINUS_PART, "without $p"),
    // "skip the password stuff for now", "don't set a password yet": no password is asked.
    Step::Replace(&patterns::PASSWORD_NOT_NOW, "$e$f"),
    // "forget encryption on home": "no encryption on home".
    Step::Replace(&patterns::FORGET_THING, "no $t"),
    // "everything goes in root": a layout, never a wipe.
    Step::Replace(&patterns::ALL_IN_ROOT, "just one root partition$e"),
    // "everything's configured now: disk, users": the list asks for nothing.
    Step::Replace(&patterns::DONE_LIST, "$s"),
    // "Tokyo time (UTC+9)": the place; "UTC clock": the zone.
    Step::Replace(&patterns::OFFSET_REPEATED, "$t"),
    Step::Replace(&patterns::UTC_CLOCK, "${p}timezone $z"),
    // "make it web-01 to match the others": the value.
    Step::Replace(&patterns::VALUE_THEN_WHY, "$v"),
    // "don't you dare reformat windows"; "Secure Boot? If not, never mind" (no undo).
    Step::Replace(&patterns::DONT_YOU_DARE, "$n "),
    Step::Replace(&patterns::IF_NOT_NEVER_MIND, ""),
    // "the system on the SSD but /home on the WD": two placements.
    Step::Replace(&patterns::BUT_PLACED, "$a, $b"),
    // "wipe the sd card n put linux on it": chat's "n" is "and".
    Step::Replace(&patterns::CHAT_AND, "${1}and $2"),
    // "format sda1 as ext4 - no, not sda1 ... I meant nvme0n1p3": the step, on the one meant.
    Step::Apply(partition_meant),
    // "For my sister: username ingrid, ...": who the machine is for, then the requests.
    Step::Apply(heading_for),
    // "(like bcdedit on Windows)", "like a pagefile": what another system calls it, no
    // request of its own.
    Step::Apply(compared_to_other_systems),
    Step::Apply(short_partitions),
    Step::Replace(&patterns::SIZE_IS_PLENTY, "$s"),
    Step::Replace(&patterns::MOUNT_OF_SIZE, "$m $s"),
    Step::Replace(&patterns::SHOULD_USE, "$s$v"),
    Step::Replace(&patterns::TURN_INTO_FS, "format $p as $f"),
    Step::Replace(&patterns::PLACE_FOR_FILES, "a separate /home"),
    Step::Apply(disk_confirmed_in_parentheses),
    Step::Replace(&patterns::FROM_PLACE_PAREN, "($c)"),
    Step::Replace(&patterns::PART_ARROW_MOUNT, "mount $p at $m"),
    Step::Apply(mount_part_path),
    Step::Replace(&patterns::BEFORE_I_DO, ""),
    Step::Apply(said_then_colon),
    Step::Replace(&patterns::OWN_THING, "$p "),
    Step::Replace(&patterns::ENCRYPTED_BY_OLD, "$w has $o"),
    Step::Apply(old_encrypted_install),
    Step::Replace(&patterns::OLD_AND_CAN_GO, "$v"),
    Step::Apply(can_go),
    Step::Apply(gets_wiped),
    Step::Apply(system_removed),
    Step::Apply(kept_disk_list),
    // (What it holds is only the reason; the disk named twice would read as two.)
    Step::Replace(&patterns::HOLDS_THEN_KEEP, "$so$v $w $d"),
    Step::Apply(that_can_go),
    Step::Replace(&patterns::APPEARS_UNDER, "mount at $p"),
    // "install on vda with the bootloader on vda": two steps, the install and the loader.
    Step::Replace(&patterns::WITH_THE_BOOTLOADER, "$i; ${b}bootloader"),
    Step::Apply(add_me_named),
    Step::Apply(kind_then_login),
    Step::Apply(saved_for),
    Step::Replace(&patterns::SPARED_OR, "$n $v $a, $n $v $b$e"),
    Step::Replace(&patterns::CHANGE_NAME_IN, "$v $k to $n$e"),
    Step::Apply(copy_from_that),
    Step::Replace(&patterns::OLD_STORAGE_SAID, "$v my old disks"),
    Step::Replace(&patterns::RAM_SAID, "$v little memory"),
    Step::Replace(&patterns::ME_PAREN, "$v a user named $n"),
    Step::Apply(erasing_said),
    Step::Replace(
        &patterns::LEAVE_THAT_SYSTEM,
        "$sys drive$mid$v the $sys drive $end",
    ),
    Step::Replace(&patterns::GIVE_IT_SIZE, "$part $size$mid"),
    Step::Replace(&patterns::SETTINGS_CHANGER, "with sudo"),
    Step::Replace(&patterns::ALLOWED_TO_INSTALL, "should be an admin"),
    Step::Replace(&patterns::HOME_IS_PLACE, "I live in $p"),
    Step::Replace(&patterns::PLACE_BUT, "$a, $b"),
    Step::Replace(&patterns::LOCK_WITH_SECRET, "encrypt it"),
    Step::Apply(secret_at_boot),
    Step::Apply(does_admin_things),
    Step::Apply(rest_for_everything_else),
    Step::Replace(&patterns::ACCOUNT_FORM_ADMIN, "user $n with sudo"),
    Step::Replace(&patterns::ACCOUNT_FORM_PLAIN, "user $n without sudo"),
    Step::Replace(&patterns::ACCOUNT_NAME, "username "),
    Step::Replace(&patterns::FULL_NAME_FIELD, ""),
    Step::Replace(&patterns::THIS_USER, "$1 him"),
    Step::Replace(&patterns::PUT_EVERYTHING_ELSE, "everything else"),
    Step::Replace(&patterns::INSTALL_EVERYTHING, "$1 the base system"),
    Step::Replace(&patterns::LIKE_OTHER_ENCRYPTION, "full disk"),
    Step::Replace(&patterns::REGION_CITY, "timezone $r/$c"),
    Step::Replace(&patterns::FILESYSTEMS_ALL, "$f everywhere"),
    Step::Replace(&patterns::DECIMAL_COMMA_SIZE, "$1.$2$3"),
    Step::Replace(&patterns::ZERO_SWAP, "no swap"),
    Step::Apply(bare_part_sizes),
    Step::Replace(&patterns::KEY_ELLIPSIS, "$1 "),
    Step::Replace(&patterns::HEDGED_VALUE, "$k$sep"),
    // "half a gig": before "a gig" is read as one.
    Step::Apply(half_a_unit),
    // "a quarter of it", "half the disk": in percent.
    Step::Apply(spoken_shares),
    // Changes of mind about one value, said as the value alone ("root 30G... wait, 50G").
    Step::Apply(value_corrections),
    Step::Apply(not_x_but),
    Step::Replace(&patterns::FS_NOT_FS, "$y$mid"),
    // Dictated: "um", "uh"; "pass phrase"; "envy me"; digits one by one ("web dash zero
    // one", "tty s zero"); "sixty percent"; a maker's name heard as two words ("same
    // sung"); "... all my media just wipe the sk hynix" with no comma before the request.
    Step::Apply(fillers),
    Step::Replace(&patterns::ENCRYPTED_LEFT_OUT_YES, "$a, $b encrypted$end"),
    Step::Replace(&patterns::ENCRYPTED_LEFT_OUT_NO, "$a, $b encrypted$end"),
    Step::Replace(&patterns::SETTING_TOOK, "show the status"),
    Step::Apply(key_set_to),
    Step::Replace(&patterns::IN_LUKS, "encrypted"),
    Step::Replace(&patterns::AND_ALL, "$e"),
    Step::Replace(&patterns::DEVICE_DESCRIBED, "$d"),
    Step::Replace(&patterns::DISK_HOLDING_SAID, "$d"),
    Step::Replace(&patterns::MEMBER_OF_LIST, ", groups: $gs"),
    Step::Replace(&patterns::ENCRYPT_ONLY_EXCEPT, "only $p encrypted"),
    Step::Replace(&patterns::PASS_APART, "pass$1"),
    Step::Replace(&patterns::NVME_SAID, "nvme"),
    Step::Apply(digits_said),
    Step::Apply(percent_said),
    Step::Apply(maker_said_apart),
    Step::Apply(just_verb),
    Step::Apply(fs_said),
    // Dictated punctuation: "america slash chicago", "test dash vm", "console equals
    // ttyS0 comma 115200", "... period", "dave underscore ops", "john dot smith"; device
    // names spelled ("dev v d a").
    Step::Apply(said_slash),
    Step::Replace(&patterns::SAID_DASH, "-"),
    Step::Replace(&patterns::SAID_EQUALS, "="),
    Step::Replace(&patterns::SAID_COMMA, ",$d"),
    Step::Replace(&patterns::SAID_PERIOD, "."),
    Step::Replace(&patterns::SAID_UNDERSCORE, "_"),
    Step::Replace(&patterns::SAID_DOT, "$1.$2"),
    Step::Replace(&patterns::SPELLED_DEVICE, "/dev/${1}d$2"),
    Step::Replace(&patterns::DEV_SAID, "$1/dev/$2"),
    // "add bob to wheel n docker": "n" is "and".
    Step::Replace(&patterns::N_FOR_AND, "$1and$2"),
    Step::Apply(spaced_dashes),
    Step::Replace(&patterns::SPACED_PLUS, " and "),
    // "hostname homeserver no wait nas": a correction said without commas is a clause.
    // "scratch that last one": the last step undone, not a correction to come.
    Step::Replace(&patterns::UNDO_LAST, "undo"),
    Step::Replace(&patterns::CORRECTION_INLINE, ", $1$2, "),
    // A comma inside a kernel parameter ("console=ttyS0,115200") does not end a clause
    // (put back after the split); a slash between requests does.
    Step::Replace(&patterns::PARAM_COMMA, "$1\u{1}$2"),
    Step::Replace(&patterns::SLASH_SEPARATOR, ", $1"),
    Step::Replace(&patterns::AND_AND, ","),
    // "make user for me: nguyen": the name after the colon.
    Step::Replace(&patterns::FOR_ME_COLON, "called "),
    // "w/ luks", "w/o swap": the shorthand written out.
    Step::Replace(&patterns::WITHOUT_SHORT, "without"),
    Step::Replace(&patterns::WITH_SHORT, "with "),
    Step::Apply(words::english_keywords),
    // "keyboard: English (US, intl., with dead keys)": the layout a description names.
    Step::Apply(keyboard_descriptions),
    Step::Replace(&patterns::LAYOUT_THEN_VARIANT, "keyboard $v"),
    Step::Replace(&patterns::VARIANT_ALONE, "keyboard $v"),
    Step::Apply(words::sizes_in_digits),
    // Things said another way, each pattern with its examples: a hedged extra, an account
    // to start with, "its partition", a swap file, "under no circumstances", a path "in the
    // new system", an office's time, "eventually, but not today", a disk "reserved for"
    // something else, a second thought after "...", a list said encrypted, "available at
    // /x", "root and home", "whatever is free", "share it with windows".
    Step::Replace(&patterns::AND_IF_YOU_CAN, "and also "),
    Step::Replace(&patterns::START_WITH_ACCOUNT, "create $n"),
    Step::Replace(&patterns::ITS_PARTITION, "$v it"),
    Step::Replace(&patterns::SWAP_FILE_INSTEAD, "no swap"),
    Step::Replace(&patterns::SWAP_FILE, "swapfile$s"),
    Step::Replace(&patterns::NO_CIRCUMSTANCES, "$x must not be "),
    Step::Replace(&patterns::PATH_IN_NEW_SYSTEM, "$p"),
    Step::Replace(&patterns::PLACE_OF_WORK_TIME, "$c $t"),
    Step::Apply(ellipsis_well),
    Step::Replace(&patterns::NOT_TODAY, ""),
    Step::Replace(&patterns::RESERVED_FOR, "leave $d alone"),
    Step::Apply(encrypted_list),
    Step::Replace(&patterns::AVAILABLE_AT, "mount $o$s at $p"),
    Step::Replace(&patterns::HOME_LISTED_AFTER, "$a$s$d/home"),
    Step::Replace(&patterns::WHATEVER_FREE, "the free space"),
    Step::Replace(&patterns::SHARE_WITH, "beside $o"),
    Step::Replace(&patterns::ASIDE_TAIL, ""),
    // "the disk that isn't in use": one word, before "isn't" reads as an exclusion.
    Step::Replace(&patterns::NOT_IN_USE, "unused"),
    Step::Replace(&patterns::FOR_BOTH, "$v $a, $v $b"),
    Step::Replace(&patterns::MATCHING_KIND, "the $k$j too"),
    Step::Replace(&patterns::SETTING_REPLACED, "$k "),
    Step::Replace(&patterns::BOTH_STAY, "the $a $n stays, the $b $n stays"),
    Step::Replace(&patterns::TWO_STAY, "leave $a alone, leave $b alone"),
    Step::Apply(trailing_correction),
    Step::Replace(&patterns::SIZE_COMPOUND, "$n$u $w"),
    Step::Replace(&patterns::RENAMED_THEN, "$1, and "),
    Step::Replace(&patterns::EVERYTHING_OF_LINUX, "$1"),
    Step::Apply(fractions),
    Step::Replace(&patterns::LEAVE_REST_FOR, "the $1 $2"),
    Step::Replace(&patterns::EVERYTHING_SO, "all $1"),
    Step::Replace(&patterns::WHATS_LEFT, "$v the rest"),
    Step::Replace(&patterns::WHATS_LEFT_FOR, "the rest $t"),
    Step::Apply(number_words_for_parts),
    // "100 gigs for root and 8 for swap": the unit said once is the second size's too.
    Step::Replace(&patterns::UNIT_SAID_ONCE, "$a$u $b $c $d $e$u $f"),
    Step::Apply(split_key_runs),
    Step::Apply(commands_in_words),
    Step::Replace(&patterns::REPLACE_NAMED_PARTITION, "$p"),
    // ("user 'admin'": the word in quotes is said as the name.)
    Step::Replace(&patterns::QUOTED_ADMIN_NAME, "$1 named $2"),
    Step::Replace(&patterns::QUOTED_WORD, "$1$2$3"),
    Step::Replace(&patterns::TWO_GROUPS, "$1 the $2 group and $1 the $3 group"),
    Step::Replace(
        &patterns::GROUPS_FIRST,
        "$1 the $2 group and $1 the $3 group",
    ),
    Step::Apply(groups_spaced),
    Step::Apply(needs_group),
    Step::Apply(group_list),
    Step::Apply(group_referred_to),
    // "is sdb empty? if so install there": a question ends its clause and stays asked.
    Step::Replace(&patterns::QUESTION_END, "?; "),
    Step::Replace(&patterns::BUT_KEEP, ", $1"),
    Step::Replace(&patterns::DRIVE_VERB, " "),
    Step::Replace(&patterns::BUT_SETTING, ", $1"),
    Step::Replace(&patterns::BUT_ANOTHER_SETTING, ", $k"),
    Step::Replace(&patterns::SO_THEN, ", so $1"),
    Step::Replace(&patterns::SO_REASON, ", $1"),
    Step::Apply(key_is_runs),
    // "I only want to peek: mount the ubuntu partition ...": a colon before a verb ends
    // what came before, and so does one after a statement ("it's a test VM: ...").
    Step::Replace(&patterns::COLON_VERB, "$1, $2"),
    Step::Replace(&patterns::STATEMENT_COLON, "$1, "),
    Step::Apply(colon_between_requests),
    Step::Replace(&patterns::INLINE_DEAD_KEYS, ", without dead keys"),
    Step::Apply(slash_between_parts),
    // "(no separate home)", "(and install fonts)": a remark in parentheses is a clause
    // of its own; "(already exists)" says nothing; "(admin)" after a name asks for
    // rights; one word in parentheses ("(Canada)", "(xfs)") stays where it is.
    Step::Replace(&patterns::PAREN_SAYS_NOTHING, " "),
    Step::Apply(admin_named),
    // "user called bob with sudo": the article the request leaves out.
    Step::Replace(&patterns::BARE_USER_NAMED, "${1}a $2 $3"),
    Step::Replace(&patterns::PAREN_RIGHTS_REPEATED, "$1"),
    Step::Replace(&patterns::KEYBOARD_PAREN_AFTER, "$k $v $x"),
    Step::Replace(&patterns::PAREN_RIGHTS, " with sudo"),
    Step::Replace(&patterns::PAREN_NO_RIGHTS, " without sudo"),
    // "create two users: deploy and ops": the list after the colon is the users'.
    Step::Replace(&patterns::USERS_COLON, "$1 "),
    Step::Apply(language_country),
    // "add nomodeset since my gpu is weird": a kernel flag only, never a user's name.
    Step::Apply(kernel_flag_added),
    // "keep an msdos partition table": the kind of table, not what is on the disk kept.
    Step::Replace(&patterns::KEEP_TABLE, "with a $1"),
    // "Indian time (IST)": the abbreviation only repeats the zone named.
    Step::Replace(&patterns::TIME_ABBREVIATED, "time"),
    Step::Replace(&patterns::PAREN_CLAUSE, ", $1,"),
    // "usr kenji +wheel +video": groups added with a plus, after the name.
    Step::Apply(plus_groups),
    // "useradd -G audio,video bob": the user and each group, before commas split them.
    Step::Apply(useradd_groups),
    // "sudo=y", "reboot=no", "bootloader=vda", "/=btrfs": configuration keys as words.
    Step::Apply(config_words),
    Step::Apply(append_flags),
    // "user=joao+sudo": rights glued to the name.
    Step::Replace(&patterns::PLUS_SUDO, "$1 with sudo"),
    // "grp: ivan -> docker": the user, then the group.
    Step::Replace(&patterns::GROUP_ARROW, "add $u to group $g"),
    // "encrypt root and home": both, not a clause "home".
    Step::Replace(&patterns::WITH_KEYBOARD, ", $1$2"),
    Step::Replace(&patterns::RELATION_APPOSITIVE, "$1 $2"),
    Step::Replace(&patterns::ACCOUNT_APPOSITIVE, "$1 $2"),
    Step::Replace(&patterns::GO_AHEAD_IF, "if so, install there"),
    Step::Apply(tell_me_wh),
    Step::Replace(&patterns::ONE_WITH_NOTHING, "the empty $1"),
    Step::Replace(&patterns::KEEP_IT_SYSTEM, "$1$2, $3 $1"),
    Step::Replace(&patterns::KEEP_BOTH, "$1 $2$4, $1 $3$4"),
    Step::Apply(choose_at_boot),
    Step::Replace(&patterns::BESIDE_A_PART, "with $p$e"),
    Step::Replace(&patterns::I_THINK, "$s$w"),
    Step::Replace(&patterns::PARTITION_GOES_AT, "mount $p at $m"),
    // "mount srv-data at /srv and the old NTFS partition at /mnt/old": the second mounted
    // too; "format the BitLocker partition as ext4 and make it root": mounted there.
    Step::Replace(&patterns::MOUNT_AND_ANOTHER, "$1 and mount $2"),
    Step::Replace(&patterns::FORMAT_MAKE_IT, "$1 and mount it as $2"),
    Step::Replace(&patterns::FORMAT_FOR_PATH, "$1 and mount it at $2"),
    Step::Replace(&patterns::APPEAR_AT, "mount $1 at $2"),
    Step::Replace(&patterns::DISK_IS_TARGET, "${1}use the $2"),
    Step::Replace(&patterns::REPLACED_WITH_THIS, "$1"),
    Step::Replace(&patterns::LIKE_TO_KEEP, "$1"),
    Step::Replace(&patterns::RATHER_NOT, "leave"),
    Step::Replace(&patterns::OTHER_HAND, ""),
    Step::Replace(&patterns::GROUP_PURPOSE, "$1"),
    Step::Replace(&patterns::HOLDS_A_AND_B, "$1 with $2"),
    Step::Replace(&patterns::WHOLE_PEOPLE, "$1 $2"),
    Step::Apply(language_as_in),
    Step::Apply(places_zone),
    Step::Replace(&patterns::LISTED_AS_NAME, ", hostname $1"),
    Step::Replace(&patterns::MAY_INSTALL_SOFTWARE, "$1 with sudo"),
    Step::Replace(
        &patterns::WITH_ON_KERNEL_LINE,
        ", add $1 to the kernel command line",
    ),
    Step::Replace(&patterns::PROGRESS_LIST, "${1}everything is done"),
    Step::Replace(&patterns::FREE_SPACE_SIZE, "$1"),
    Step::Replace(&patterns::STRIPED, "stripe the disks"),
    Step::Replace(&patterns::USERS_AND_ADMIN, "${l}a user named $n"),
    Step::Replace(&patterns::IN_THE_CLEAR, "unencrypted"),
    Step::Replace(&patterns::HELP_ME_DO, "$v"),
    Step::Replace(&patterns::MAKE_SURE_IN, "add $u to "),
    Step::Replace(&patterns::NO_PASSWORD, ""),
    Step::Replace(&patterns::USER_NOUN, "$v $r $k"),
    Step::Replace(&patterns::THE_USER_MUST, "user $n $x"),
    Step::Apply(user_should_be_called),
    Step::Replace(&patterns::VALUE_ADVERB, "$1"),
    Step::Replace(&patterns::POSSESSIVE_USER, "$1 $n"),
    Step::Replace(&patterns::SECOND_THOUGHT, "actually"),
    Step::Apply(encrypt_both),
];

/// The request rewritten by every step, in order.
pub(super) fn prepare(text: &str) -> String {
    STEPS.iter().fold(text.to_owned(), |text, step| match step {
        Step::Replace(re, to) => re.replace_all(&text, *to).into_owned(),
        Step::Apply(f) => f(&text),
    })
}

/// "keep it simple: one user called oma": a colon before an account or a setting asked
/// for ends what came before, unless it follows a setting's name ("hostname: box",
/// "users: a, b"), typed right or not ("hostnmae: lab-07").
fn colon_between_requests(text: &str) -> String {
    if !text.contains(": ") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(": ") {
        let before = &rest[..at];
        let word = before
            .rsplit(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
            .next()
            .unwrap_or("")
            .to_lowercase();
        let key = KEYS_BEFORE_COLON.contains(&word.as_str())
            || words::keyword_for(&word).is_some()
            || words::is_keyword(&word);
        // ("Slovak setup please: slovenčina, Bratislava time": a language said first.)
        let after = &rest[at + 2..];
        let first = after
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let asks = patterns::REQUEST_AFTER_COLON.is_match(after)
            || first.len() > 3 && super::values::locale_for(&first).is_some();
        out.push_str(before);
        out.push_str(if key || !asks { ": " } else { ", " });
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// Words a colon follows when it introduces their value.
const KEYS_BEFORE_COLON: &[&str] = &[
    "hostname",
    "host",
    "name",
    "timezone",
    "zone",
    "tz",
    "time",
    "keyboard",
    "keymap",
    "layout",
    "kb",
    "kbd",
    "locale",
    "language",
    "lang",
    "user",
    "users",
    "username",
    "login",
    "account",
    "accounts",
    "password",
    "passphrase",
    "pw",
    "pwd",
    "group",
    "groups",
    "disk",
    "drive",
    "partition",
    "partitions",
    "scheme",
    "mount",
    "fs",
    "filesystem",
    "swap",
    "root",
    "home",
    "boot",
    "efi",
    "size",
    "table",
    "variant",
    "me",
    "for",
    "encryption",
    "us",
    "them",
    "kernel",
    "options",
    "args",
    "parameters",
    "cmdline",
    "console",
    "region",
    "country",
    "city",
    "location",
    "keys",
    "logins",
    "people",
    "names",
    "settings",
    "are",
    "is",
    "be",
    "like",
    "following",
    "these",
    "this",
    "plan",
    "setup",
    "config",
    "locales",
    "admin",
    "admins",
    "sudo",
    "bootloader",
    "grub",
    "target",
    "source",
    "image",
    "system",
    "note",
    "ps",
    "computer",
    "machine",
    "box",
    "pc",
    "laptop",
    "server",
];

/// "america slash chicago", "slash boot slash efi", "separate slash home": a dictated
/// slash joins a zone's region to its city and a path's parts, and starts a path.
fn said_slash(text: &str) -> String {
    if !text.to_lowercase().split_whitespace().any(|w| w == "slash") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut joined = false;
    for w in text.split_whitespace() {
        if w.eq_ignore_ascii_case("slash") {
            let last = out.rsplit(' ').next().unwrap_or("").to_lowercase();
            let inside = last.starts_with('/') || ZONE_REGIONS.contains(&last.as_str());
            if !inside && !out.is_empty() {
                out.push(' ');
            }
            out.push('/');
            joined = true;
            continue;
        }
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        out.push_str(w);
        joined = false;
    }
    out
}

/// The regions of the zone database's names ("America/Chicago").
const ZONE_REGIONS: &[&str] = &[
    "america",
    "europe",
    "asia",
    "africa",
    "australia",
    "pacific",
    "atlantic",
    "indian",
    "antarctica",
    "arctic",
    "etc",
    "us",
    "canada",
    "brazil",
    "mexico",
    "chile",
];

/// "hostname=web01 tz=UTC kbd=us": in a run of them, each key starts a request of its own.
fn key_is_runs(text: &str) -> String {
    if patterns::KEY_IS.find_iter(text).count() > 1 {
        patterns::KEY_IS.replace_all(text, ", $0").into_owned()
    } else {
        text.to_owned()
    }
}

/// Setting keywords that start a `key value` pair in a run of them.
/// "key=value" glued, for a word that may be a key.
static KEY_GLUED: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| patterns::re(r"(?i)\b(?P<k>[a-z]{2,12})\s*=\s*"));

const RUN_KEYS: &[&str] = &[
    "hostname", "hn", "tz", "timezone", "locale", "lang", "language", "kb", "kbd", "keyboard",
    "keymap", "loc",
];

/// Words after a keyword that are no value of its own ("language and keyboard", "the
/// keyboard layout").
const NOT_A_VALUE: &[&str] = &[
    "and", "or", "the", "a", "an", "same", "too", "also", "for", "of", "as", "should", "will",
    "please", "then", "but", "settings", "setting", "stuff", "since", "because", "so", "which",
    "that", "who", "where", "when", "while", "layout", "layouts", "map",
];

/// Words before a keyword that make it part of what precedes ("French as the language").
const NOT_BEFORE_A_KEY: &[&str] = &[
    "the", "my", "your", "our", "their", "his", "her", "a", "an", "as", "for", "of", "in", "to",
    "system", "same", "and", "or",
];

/// "tz pst locale `en_US` kb us", "hostname box timezone berlin keyboard de": in a run of
/// two or more `key value` pairs with nothing between them, each key starts a clause.
fn split_key_runs(text: &str) -> String {
    // ("hostnmae=vm-test-01 timzone=Europe/Berlin": a key typed with a typo, then "=".)
    // (One "LANG=de_DE.UTF-8" or "KEYMAP=fr" is read where it is, as a whole.)
    let is_key = |w: &str| {
        let w = w.to_lowercase();
        RUN_KEYS.contains(&w.as_str())
            || words::keyword_for(&w).is_some_and(|k| RUN_KEYS.contains(&k))
    };
    let glued = KEY_GLUED
        .captures_iter(text)
        .filter(|c| is_key(&c["k"]))
        .count();
    // ("hostname=ThinkStation-01 tz europe/warsaw": a glued key beside one that is not.)
    let spaced = text
        .split_whitespace()
        .filter(|w| {
            !w.contains('=') && RUN_KEYS.contains(&w.trim_end_matches(':').to_lowercase().as_str())
        })
        .count();
    let unglued = KEY_GLUED.replace_all(text, |c: &regex::Captures<'_>| {
        if glued + spaced >= 2 && glued >= 1 && is_key(&c["k"]) {
            format!("{} ", &c["k"])
        } else {
            c[0].to_owned()
        }
    });
    let text = unglued.as_ref();
    let words: Vec<&str> = text.split(' ').collect();
    // "hostnme box timzone berlin": a key typed with a typo is still a key.
    let as_key = |w: &str| -> String {
        let w = w.trim_end_matches(':').to_lowercase();
        match words::keyword_for(&w) {
            Some(k) if !RUN_KEYS.contains(&w.as_str()) && RUN_KEYS.contains(&k) => k.to_owned(),
            _ => w,
        }
    };
    let key_at = |i: usize| -> Option<usize> {
        let w = as_key(words[i]);
        let two = words.get(i + 1).is_some_and(|n| {
            matches!(
                n.trim_end_matches(':').to_lowercase().as_str(),
                "zone" | "name"
            )
        });
        let len = match w.as_str() {
            "time" | "host" if two => 2,
            k if RUN_KEYS.contains(&k) => 1,
            _ => return None,
        };
        let value = as_key(words.get(i + len)?);
        let value = value.trim_end_matches([',', ';', '?', '.', '!']);
        let is_key = RUN_KEYS.contains(&value) || value == "time" || value == "host";
        (!value.is_empty() && !is_key && !NOT_A_VALUE.contains(&value)).then_some(len)
    };
    let starts: Vec<usize> = (0..words.len()).filter(|&i| key_at(i).is_some()).collect();
    if starts.len() < 2 {
        return text.to_owned();
    }
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let prev = words[i - 1].to_lowercase();
            let separated = prev.ends_with([',', ';', '.', '|'])
                || ["and", "then", "&", "|", "+", "/"].contains(&prev.as_str());
            let later_key =
                starts.contains(&i) && starts[0] < i && !NOT_BEFORE_A_KEY.contains(&prev.as_str());
            out.push_str(if later_key && !separated { ", " } else { " " });
        }
        // ("timezone tokyo / locale ja_JP / kbd jp": a slash between settings is a comma.)
        if *w == "/" && starts.contains(&(i + 1)) {
            out.push(',');
            continue;
        }
        out.push_str(w);
    }
    out
}

/// "gpasswd -a alice wheel", "usermod -aG wheel,docker bob": the requests a sysadmin types
/// as commands, in words, before the clauses are split because one command may ask for
/// several things (`words::COMMANDS` reads the one-clause ones; nothing is ever run).
fn commands_in_words(text: &str) -> String {
    // Configuration files written by hand, and commands, as the request they make.
    let mut text = text.to_owned();
    for (re, to) in patterns::CONFIG_COMMANDS.iter() {
        if re.is_match(&text) {
            text = re.replace_all(&text, *to).into_owned();
        }
    }
    let text = patterns::GPASSWD.replace_all(&text, "add $u to group $g");
    let text = patterns::USERMOD.replace_all(&text, |c: &regex::Captures<'_>| {
        let groups: Vec<String> = c["g"]
            .split(',')
            .filter(|g| !g.is_empty())
            .map(|g| format!("add {} to group {g}", &c["u"]))
            .collect();
        groups.join(", ")
    });
    text.into_owned()
}

/// "add bob to docker video audio": groups listed with spaces only, each a group every
/// Linux system knows, are a list.
fn group_list(text: &str) -> String {
    patterns::GROUP_RUN
        .replace_all(text, |c: &regex::Captures<'_>| {
            let groups: Vec<&str> = c["gs"].split_whitespace().collect();
            if groups
                .iter()
                .all(|g| super::classify::COMMON_GROUPS.contains(g))
            {
                format!("{} {} to {}", &c["verb"], &c["u"], groups.join(", "))
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// "groups: wheel libvirt kvm": a list of known groups after the key, without commas.
fn groups_spaced(text: &str) -> String {
    patterns::GROUPS_SPACED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let groups: Vec<&str> = c["gs"].split_whitespace().collect();
            if groups
                .iter()
                .all(|g| super::classify::COMMON_GROUPS.contains(&g.to_lowercase().as_str()))
            {
                format!("{}{}{}", &c["k"], groups.join(", "), &c["e"])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// "rob needs wheel", "ana should be in docker": a known group a person needs.
fn needs_group(text: &str) -> String {
    patterns::NEEDS_GROUP
        .replace_all(text, |c: &regex::Captures<'_>| {
            let g = c["g"].to_lowercase();
            // ("bo gets sudo": rights, read as such elsewhere.)
            if super::classify::COMMON_GROUPS.contains(&g.as_str())
                && g != "sudo"
                && !super::classify::is_not_a_name(&c["u"])
            {
                format!("{}add {} to the {g} group{}", &c["s"], &c["u"], &c["e"])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// "French as used in Canada": the language and where it is spoken (only for a language:
/// "the disk as used in my old PC" stays).
fn language_as_in(text: &str) -> String {
    patterns::LANGUAGE_AS_IN
        .replace_all(text, |c: &regex::Captures<'_>| {
            let language = super::fold(&c[1]);
            if super::tables::LANGUAGES
                .iter()
                .any(|(name, _)| *name == language)
            {
                format!("{} {}", &c[1], &c[2])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// "Montréal's time zone": the zone of that place ("set Anna's time zone to Berlin" keeps
/// its value: the zone said after it).
fn places_zone(text: &str) -> String {
    patterns::PLACES_ZONE
        .replace_all(text, |c: &regex::Captures<'_>| {
            let after = text[c.get(0).map_or(0, |m| m.end())..].trim_start();
            let value_follows = after.split_whitespace().next().is_some_and(|w| {
                matches!(w, "to" | "is" | "=" | ":" | "should" | "as" | "->" | "in")
            }) || after.starts_with([':', '=']);
            if value_follows {
                c[0].to_owned()
            } else {
                format!("timezone {}", &c[1])
            }
        })
        .into_owned()
}

/// "... goes through the 'staff' group. Please put Kim in it": "it" is the group named.
fn group_referred_to(text: &str) -> String {
    let Some(group) = patterns::GROUP_NAMED
        .captures_iter(text)
        .last()
        .map(|c| c["g"].to_lowercase())
    else {
        return text.to_owned();
    };
    patterns::INTO_IT
        .replace_all(text, |c: &regex::Captures<'_>| {
            format!("{} {} {} group {group}", &c["verb"], &c["u"], &c["to"])
        })
        .into_owned()
}

/// "512M efi / 50G root btrfs / rest as /home xfs": when every part around " / " names a
/// mount point of its own, the slashes separate them.
fn slash_between_parts(text: &str) -> String {
    let parts: Vec<&str> = text.split(" / ").collect();
    let mut out = String::from(parts[0]);
    for pair in parts.windows(2) {
        // A part ends ("... efi", "... btrfs") and the next begins ("50G root", "rest").
        let ends = pair[0]
            .split_whitespace()
            .last()
            .is_some_and(|w| patterns::PART_END.is_match(w));
        let begins = pair[1]
            .split_whitespace()
            .next()
            .is_some_and(|w| patterns::PART_START.is_match(w));
        out.push_str(if ends && begins { ", " } else { " / " });
        out.push_str(pair[1]);
    }
    out
}

/// Configuration keys and their values, as the clause reader reads them in words. (Only
/// the installer's keys: "console=ttyS0" stays a kernel parameter.)
static CONFIG_WORDS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    const YES: &str = r"(?:y|yes|true|1|on|enabled?)\b";
    const NO: &str = r"(?:n|no|false|0|off|disabled?|none)\b";
    [
        (format!(r"\b(?:sudo|admin|wheel|superuser)\s*(?:=|:)\s*{YES}"), "with sudo"),
        (format!(r"\b(?:sudo|admin|wheel|superuser)\s*(?:=|:)\s*{NO}"), "without sudo"),
        (format!(r"\breboot\s*(?:=|:)\s*{YES}"), "and reboot"),
        (format!(r"\breboot\s*(?:=|:)\s*{NO}"), "without reboot"),
        (format!(r"\bwipe\s*(?:=|:)\s*{NO}"), "keep the existing partitions"),
        (format!(r"\bwipe\s*(?:=|:)\s*{YES}"), "wipe"),
        (format!(r"\b(?:encrypt\w*|luks|fde)\s*(?:=|:)\s*{YES}"), "encrypted"),
        (r"\bsecure_?boot\s*(?:=|:)\s*\w+".to_owned(), "secure boot"),
        (r"\b(?:bootloader|boot_?loader|grub)\s*(?:=|:)\s*(?:none|no|false|off|0|skip)\b".to_owned(), ""),
        (r"\b(?:bootloader|boot_?loader|grub)\s*(?:=|->|=>|:)\s*(?P<t>[\w/]+)".to_owned(), "install the bootloader on $t"),
        (r"\b(?:esp|efi)\s*(?:=|:)\s*(?:reuse|keep|existing)\b".to_owned(), "reuse the existing efi partition"),
        (r"\bdual_?boot\s*(?:=|:)\s*\S+".to_owned(), "dual boot"),
        (r"\b(?:sz|size)\s*(?:=|:)\s*".to_owned(), ""),
        (r"\b(?:--)?(?:vckeymap|xlayouts)\s*=\s*'?(?P<k>[\w:-]+)'?".to_owned(), "keyboard $k"),
        (r"\b(?:show|print|dump|list)\s+(?:the\s+)?(?:cfg|config|conf|configuration|settings)\b".to_owned(), "show the status"),
        // "/=btrfs", "root=xfs", "efi=1G", "/home=rest": a partition, and what it is.
        (r"(?:^|(?P<pre>[\s,;]))(?P<m>/[\w/]*|root|home|swap|efi|esp|boot|var)\s*(?:=|->|=>)\s*(?P<v>ext4|btrfs|xfs|vfat|fat32|rest|\d+(?:\.\d+)?\s*[kmgt]i?b?)\b".to_owned(), "$pre$m $v"),
        (r"\bmount\s+(?P<p>/?[\w/]+)\s*(?:->|=>|=|:)\s*(?P<m>/[\w/]*)".to_owned(), "mount $p at $m"),
        (r"\b(?:cmdline|kernel_?args|kernel_?params|append)\s*\+?(?:=|:)\s*".to_owned(), "kernel options "),
        (r"\b(?:ms-?)?dos\s+(?:label|partition table|table|disklabel)\b".to_owned(), "mbr"),
        (r"\b(?:the\s+)?(?:old[- ]style|legacy|old[- ]school|traditional)\s+(?:partition\s+)?table\b".to_owned(), "mbr"),
        (r"\b(?:don'?t|do not|no)\s+(?:use\s+)?gpt\b".to_owned(), ""),
        // "wipe the partition table on the seagate": the disk's partitioning, no partition.
        (r"\b(?:the\s+)?partition\s+tables?\b".to_owned(), "the partitioning"),
        // "don't forget to reboot", "remember to add": the thing to do.
        (r"\b(?:don'?t forget|do not forget|remember|make sure)\s+to\s+".to_owned(), ""),
        // "I'd rather not lose what's on the WD": keep it.
        (r"\b(?:i'?d rather not|i would rather not|i don'?t want to|i do not want to|i can'?t|we can'?t|please don'?t)\s+lose\s+(?:what'?s|what is|anything|the (?:stuff|data|files))\s+on\b".to_owned(), "keep"),
        // "I don't want to keep anything on the samsung": erase it.
        (r"\b(?:i\s+)?(?:don'?t|do not)\s+(?:want|need)\s+to\s+keep\s+(?:anything|it|what'?s on it)\b".to_owned(), "erase everything"),
        // "format nvme0n1p2=ext4": as that filesystem.
        (r"\b(?P<p>(?:sd[a-z]|vd[a-z]|nvme\d+n\d+p|mmcblk\d+p)\d+)\s*=\s*(?P<f>ext4|btrfs|xfs|vfat|swap)\b".to_owned(), "$p as $f"),
    ]
    .into_iter()
    .map(|(p, to)| (Regex::new(&format!("(?i){p}")).expect("pattern"), to))
    .collect()
});

fn useradd_groups(text: &str) -> String {
    static USERADD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:sudo\s+)?useradd\s+(?:-m\s+)?(?:-G|--groups)\s+(?P<g>[a-z_][\w-]*(?:,[a-z_][\w-]*)+)\s+(?:-m\s+)?(?P<u>[a-z_][\w-]*)")
            .expect("pattern")
    });
    USERADD
        .replace_all(text, |c: &regex::Captures<'_>| {
            let user = &c["u"];
            let groups: Vec<&str> = c["g"].split(',').collect();
            let sudo = groups.iter().any(|g| matches!(*g, "wheel" | "sudo"));
            let mut said = vec![format!(
                "create user {user}{}",
                if sudo { " with sudo" } else { "" }
            )];
            for g in groups.iter().filter(|g| !matches!(**g, "wheel" | "sudo")) {
                said.push(format!("add {user} to group {g}"));
            }
            said.join("; ")
        })
        .into_owned()
}

/// Accounts whose name is said after them, before the people reader: "login papa for my
/// dad. Then mine: lukas, with sudo" (only where accounts are spoken of; "mine is
/// encrypted" names nobody), "make me an account, tomas", "create me, kenji".
pub(super) fn mine_named(text: &str) -> String {
    let lower = text.to_lowercase();
    // ("username" holds "user".)
    let accounts = ["account", "user", "login"]
        .iter()
        .any(|w| lower.contains(w));
    // ("mine should be encrypted": a state, no login.)
    let no_login = |name: &str| {
        not_people(name)
            || name.ends_with("ed")
            || name.ends_with("ing")
            || super::words::is_keyword(name)
            || super::people::NOT_NAMES.contains(&name)
            || crate::validate::new_username(name).is_err()
    };
    let text = patterns::MINE_NAMED.replace_all(text, |c: &regex::Captures<'_>| {
        let name = c["n"].to_lowercase();
        if !accounts || no_login(&name) {
            c[0].to_owned()
        } else {
            format!("{}user {name}", &c["pre"])
        }
    });
    // ("make me an account, tomas": the account's name, after it.)
    let text = patterns::ACCOUNT_THEN_NAME.replace_all(&text, |c: &regex::Captures<'_>| {
        let name = c["n"].to_lowercase();
        if no_login(&name) {
            c[0].to_owned()
        } else {
            format!("{} called {name}{}", &c["pre"], &c["e"])
        }
    });
    // ("Create me, kenji, and then add me to video": the speaker's account, named.)
    patterns::CREATE_ME_NAMED
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let name = c["n"].to_lowercase();
            if no_login(&name) {
                c[0].to_owned()
            } else {
                format!("create user {name}{}", &c["e"])
            }
        })
        .into_owned()
}

/// Words after "create"/"add" that are parts, groups or things, never two people.
fn not_people(w: &str) -> bool {
    matches!(
        w,
        "root"
            | "home"
            | "swap"
            | "efi"
            | "esp"
            | "boot"
            | "sudo"
            | "wheel"
            | "admin"
            | "the"
            | "a"
            | "an"
            | "it"
            | "them"
            | "me"
            | "him"
            | "her"
            | "encryption"
            | "luks"
            | "partition"
            | "partitions"
            | "user"
            | "users"
            | "account"
            | "accounts"
            | "both"
            | "all"
            | "password"
            | "passwords"
            | "swapfile"
            | "grub"
            | "bootloader"
    ) || super::classify::COMMON_GROUPS.contains(&w)
        || matches!(
            w,
            "btrfs"
                | "xfs"
                | "f2fs"
                | "vfat"
                | "fat32"
                | "ntfs"
                | "zfs"
                | "var"
                | "tmp"
                | "srv"
                | "opt"
                | "usr"
                | "zram"
                | "hibernation"
                | "subvolumes"
                | "snapshots"
                | "mbr"
                | "gpt"
                | "uefi"
                | "bios"
                | "lvm"
                | "raid"
                | "wifi"
                | "firmware"
                | "drivers"
                | "nano"
                | "vim"
                | "htop"
                | "git"
                | "steam"
        )
        || super::values::locale_for(w).is_some()
        || w.starts_with("sd")
        || w.starts_with("nvme")
        || w.starts_with("vd")
        || w.starts_with("ext")
        || w.starts_with('/')
}

/// "create nadia and omar (and ...)": the noun the account readers know put back in.
pub(super) fn create_two(text: &str) -> String {
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<v>create|add)\s+(?P<a>[a-z][a-z0-9_-]{1,31})\s+(?:and|&)\s+(?P<b>[a-z][a-z0-9_-]{1,31})\b(?P<end>\s*$|\s*[,.;!:]|\s+(?:then|and|with|too|as|both|please)\b)")
            .expect("pattern")
    });
    PAIR.replace_all(text, |c: &regex::Captures<'_>| {
        let (a, b) = (c["a"].to_lowercase(), c["b"].to_lowercase());
        if not_people(&a) || not_people(&b) {
            return c[0].to_owned();
        }
        format!("{} users {} and {}{}", &c["v"], &c["a"], &c["b"], &c["end"])
    })
    .into_owned()
}

/// A comparison with another system ("(like Boot Camp)", ", like on Windows", "like a
/// pagefile") is dropped: its words ("Windows", "Storage Spaces") would be read as a request
/// about them. ("I'd like ...", "would like", "we like" are wishes, kept.)
fn compared_to_other_systems(text: &str) -> String {
    static PARENS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s*\((?:just\s+|a\s+bit\s+|kind\s+of\s+|sort\s+of\s+|pretty\s+much\s+)?(?:like|similar\s+to|as\s+in|same\s+as|as\s+on|as\s+with|the\s+way)\b[^()]*\)")
            .expect("pattern")
    });
    static LIKE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?P<before>\S+)?(?P<like>,?\s+(?:just\s+|kind\s+of\s+|sort\s+of\s+)?(?:like|similar\s+to|same\s+as)\s+(?:(?:on|in)\s+(?:windows|macos|mac\s*os|os\s*x|osx|the\s+mac)\b(?:\s+\d+)?|(?:an?\s+|the\s+|my\s+)?(?:[\w-]+\s+){0,3}?(?:on|in|from)\s+(?:windows|macos|mac\s*os|os\s*x|osx|the\s+mac)\b(?:\s+\d+)?|(?:an?\s+|the\s+)?(?:pagefile|page\s+file|bitlocker|boot\s*camp|storage\s+spaces|filevault|time\s+machine|bcdedit|disk\s+management)\b))")
            .expect("pattern")
    });
    let text = PARENS.replace_all(text, "");
    LIKE.replace_all(&text, |c: &regex::Captures<'_>| {
        let before = c.name("before").map_or("", |m| m.as_str());
        let wish = matches!(
            before.to_lowercase().as_str(),
            "i" | "i'd"
                | "id"
                | "we"
                | "we'd"
                | "you"
                | "they"
                | "would"
                | "really"
                | "don't"
                | "dont"
        );
        if wish {
            c[0].to_owned()
        } else {
            before.to_owned()
        }
    })
    .into_owned()
}

/// "root 50, swap 8, rest home": sizes said without a unit after a partition of the
/// layout are gigabytes (as every layout people write is sized).
fn bare_part_sizes(text: &str) -> String {
    static BARE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<m>root|home|swap|var|/home|/var|/)\s+(?P<n>\d{1,4})(?P<after>\s*(?:[,;]|$|\band\b|\+|\bplus\b))")
            .expect("pattern")
    });
    BARE.replace_all(text, |c: &regex::Captures<'_>| {
        let n: u32 = c["n"].parse().unwrap_or(0);
        if (1..=4096).contains(&n) {
            format!("{} {}G{}", &c["m"], n, &c["after"])
        } else {
            c[0].to_owned()
        }
    })
    .into_owned()
}

/// "put ola and piet in audio": the clause reader splits at "and", so each name gets its
/// own clause ("put ola in audio, put piet in audio").
pub(super) fn group_two(text: &str) -> String {
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<v>add|put|include|place)\s+(?P<a>[a-z][a-z0-9_-]{1,31})\s+(?:and|&)\s+(?P<b>[a-z][a-z0-9_-]{1,31})\s+(?P<to>to|in|into)\s+(?P<g>[^,;.!?]+)")
            .expect("pattern")
    });
    PAIR.replace_all(text, |c: &regex::Captures<'_>| {
        let (a, b) = (c["a"].to_lowercase(), c["b"].to_lowercase());
        let person = |w: &str| !not_people(w) && !super::classify::is_not_a_name(w);
        if !person(&a) || !person(&b) {
            return c[0].to_owned();
        }
        let (v, to, g) = (&c["v"], &c["to"], c["g"].trim_end());
        format!("{v} {} {to} {g}, {v} {} {to} {g}", &c["a"], &c["b"])
    })
    .into_owned()
}

/// "grub to efi, append quiet splash": the flags appended to the kernel's command line
/// ("append nomodeset to the kernel line" says where, and is read as said).
fn append_flags(text: &str) -> String {
    static APPEND: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:--)?append\s+(?P<rest>[^;,]*)").expect("pattern"));
    APPEND
        .replace_all(text, |c: &regex::Captures<'_>| {
            let rest = &c["rest"];
            let says_where = [" to ", " in ", " into ", " onto "]
                .iter()
                .any(|w| format!(" {rest} ").to_lowercase().contains(w));
            if says_where {
                c[0].to_owned()
            } else {
                format!("kernel options {rest}")
            }
        })
        .into_owned()
}

fn config_words(text: &str) -> String {
    let mut text = text.to_owned();
    for (re, to) in CONFIG_WORDS.iter() {
        text = re.replace_all(&text, *to).into_owned();
    }
    text
}

/// "swap 8G. no, 16G", "format it as btrfs - no, xfs": the value said last replaces the
/// one of its kind said before it, and the change of mind goes.
fn value_corrections(text: &str) -> String {
    let mut text = text.to_owned();
    let mut from = 0;
    // (Each pass takes one change of mind; a request has few.)
    for _ in 0..4 {
        let Some(c) = patterns::VALUE_CORRECTED.captures_at(&text, from) else {
            break;
        };
        let (whole, new) = (c.get(0).expect("match"), c.name("v").expect("value"));
        // ("actually, 40G for swap": a value with its own part is a request of its own.)
        let after = text[whole.end()..].trim_start().to_lowercase();
        if ["for ", "as ", "to ", "on ", "of ", "is "]
            .iter()
            .any(|w| after.starts_with(w))
        {
            from = whole.end();
            continue;
        }
        let kind = if patterns::FS_WORD.is_match(new.as_str()) {
            &patterns::FS_WORD
        } else {
            &patterns::SIZE_WORD
        };
        let before = &text[..whole.start()];
        let Some(old) = kind.find_iter(before).last() else {
            break;
        };
        text = format!(
            "{}{}{}{}",
            &text[..old.start()],
            new.as_str(),
            &text[old.end()..whole.start()],
            &text[whole.end()..]
        );
    }
    text
}

/// "timezone not sydney but melbourne": the value wanted. ("root not encrypted but home
/// encrypted" says what each part is, and stays as said.)
fn not_x_but(text: &str) -> String {
    patterns::NOT_X_BUT
        .replace_all(text, |c: &regex::Captures<'_>| {
            let said = c[0].to_lowercase();
            let describes = [
                "encrypted",
                "unencrypted",
                "formatted",
                "mounted",
                "wiped",
                "erased",
                "touched",
                "kept",
                "needed",
                "used",
                "separate",
                "big",
                "small",
            ]
            .iter()
            .any(|w| said.split_whitespace().any(|s| s == *w));
            if describes {
                c[0].to_owned()
            } else {
                String::new()
            }
        })
        .into_owned()
}

/// "a quarter of it", "half the disk", "two thirds of the drive": the share, in percent.
fn spoken_shares(text: &str) -> String {
    static SHARE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<f>(?:a|one)\s+quarter|(?:a|one)\s+third|two\s+thirds|three\s+quarters|half|a\s+half)\s+(?:of\s+)?(?:it|the\s+(?:whole\s+)?(?:disk|drive|space|ssd|hdd|nvme|seagate|samsung)|the\s+rest)\b")
            .expect("pattern")
    });
    // "half for the system, the other half for /home": the rest.
    static OTHER_HALF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:the\s+)?other\s+half(?:\s+of\s+it)?\b").expect("pattern")
    });
    let text = OTHER_HALF.replace_all(text, "the rest");
    SHARE
        .replace_all(&text, |c: &regex::Captures<'_>| {
            // ("half the rest": of what is left, which the planner has no word for.)
            if c[0].to_lowercase().ends_with("the rest") {
                return c[0].to_owned();
            }
            let f = c["f"].to_lowercase();
            let share = if f.ends_with("quarter") {
                "25%"
            } else if f.ends_with("quarters") {
                "75%"
            } else if f.ends_with("thirds") {
                "66%"
            } else if f.ends_with("third") {
                "33%"
            } else {
                "50%"
            };
            share.to_owned()
        })
        .into_owned()
}

fn half_a_unit(text: &str) -> String {
    patterns::HALF_A_UNIT
        .replace_all(text, |c: &regex::Captures<'_>| {
            if c["u"].to_lowercase().starts_with('t') {
                "512G"
            } else {
                "512M"
            }
        })
        .into_owned()
}

/// "usr kenji +wheel +video", "user ana +sudo": a run of "+word" after a name is its
/// groups ("+sudo" and "+admin" its rights); "+2G" (a size) is no group.
fn plus_groups(text: &str) -> String {
    patterns::PLUS_RUN
        .replace_all(text, |c: &regex::Captures<'_>| {
            let (rights, groups): (Vec<&str>, Vec<&str>) = c["run"]
                .split_whitespace()
                .map(|g| g.trim_start_matches('+'))
                .partition(|g| matches!(g.to_lowercase().as_str(), "sudo" | "admin"));
            let mut out = c["before"].to_owned();
            if !rights.is_empty() {
                out.push_str(" with sudo");
            }
            if !groups.is_empty() {
                out.push_str(", groups ");
                out.push_str(&groups.join(" and "));
            }
            out
        })
        .into_owned()
}

/// Whether `word` is a language (or a nationality) and `place` a country.
fn language_and_country(word: &str, place: &str) -> (bool, bool) {
    let fold = |s: &str| super::text::fold(s).trim().to_owned();
    let language = super::tables::LANGUAGES
        .iter()
        .chain(super::tables::NATIONALITIES)
        .any(|(k, _)| *k == fold(word));
    let country = super::tables::COUNTRIES
        .iter()
        .any(|(k, _)| *k == fold(place));
    (language, country)
}

/// "english (south africa)", "Portuguese (Brazil)": a language and, in parentheses, the
/// country it is spoken in, one value (not the language, then a country's time zone).
fn language_country(text: &str) -> String {
    // ("Spanish please, I'm from Mexico": said as "Spanish from Mexico".)
    let text = &patterns::LANGUAGE_THEN_ORIGIN
        .replace_all(text, |c: &regex::Captures<'_>| {
            let (language, country) = language_and_country(&c["w"], &c["c"]);
            if language && country {
                format!("{} from {}", &c["w"], &c["c"])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned();
    patterns::WORD_PAREN
        .replace_all(text, |c: &regex::Captures<'_>| {
            let (language, country) = language_and_country(&c["w"], &c["c"]);
            // ("dutch (nl_NL)": the locale said beside the language is the value.)
            let locale = c["c"].trim();
            let is_locale = locale.len() == 5
                && locale.as_bytes()[2] == b'_'
                && locale[..2].chars().all(|ch| ch.is_ascii_lowercase())
                && locale[3..].chars().all(|ch| ch.is_ascii_uppercase());
            if language && is_locale {
                locale.to_owned()
            } else if language && country {
                format!("{} {}", &c["w"], &c["c"])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// "Berlin instead": the correction's word goes, the value stays; after a disk ("use vdb
/// instead") it stays, as it says the disk said before is no longer wanted.
fn trailing_correction(text: &str) -> String {
    patterns::TRAILING_CORRECTION
        .replace_all(text, |c: &regex::Captures<'_>| {
            let at = c.get(0).map_or(0, |m| m.start());
            let before = text[..at].split_whitespace().last().unwrap_or("");
            if patterns::DISK_NAMED.is_match(before) && c[0].trim_start().starts_with("instead") {
                c[0].to_owned()
            } else {
                c["e"].to_owned()
            }
        })
        .into_owned()
}

/// "add nomodeset" with nowhere said: to the kernel's command line.
fn kernel_flag_added(text: &str) -> String {
    patterns::FLAG_ADDED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let after = &text[c.get(0).map_or(text.len(), |m| m.end())..];
            // ("append nomodeset acpi=off to the kernel command line": placed further on.)
            let placed = after
                .split_whitespace()
                .take(4)
                .any(|w| matches!(w, "to" | "in" | "into" | "on"));
            if placed {
                c[0].to_owned()
            } else {
                format!("{} to the kernel options", &c[0])
            }
        })
        .into_owned()
}

/// "I'm done with the data partition: mkfs.ext4 on sdb3": a sentence, then what to do. (A
/// label before the colon, "The Free Disk: make it gpt", names what the rest is about.)
fn said_then_colon(text: &str) -> String {
    patterns::SAID_THEN_COLON
        .replace_all(text, |c: &regex::Captures<'_>| {
            let said = format!(" {} ", c["s"].to_lowercase());
            let sentence = [
                " is ",
                " are ",
                " was ",
                " were ",
                "'m ",
                "'re ",
                "'ve ",
                " am ",
                " have ",
                " has ",
                " done ",
                " finished ",
                " need ",
                " want ",
                "n't ",
                " backed ",
                " saved ",
            ]
            .iter()
            .any(|w| said.contains(w));
            if sentence {
                format!("{}{}. {}", &c["pre"], &c["s"], &c["v"])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// What was said before `at` since the sentence began (or since one of `more` ends), in
/// lower case.
fn said_before(text: &str, at: usize, more: &str) -> String {
    text[..at]
        .to_lowercase()
        .rsplit(|c: char| matches!(c, '.' | '!' | '?' | ';') || more.contains(c))
        .next()
        .unwrap_or("")
        .to_owned()
}

/// "UTC-8... well, Pacific time really": the value after the second thought. ("wipe the
/// nvme... well, or maybe the seagate": a doubt, no correction.)
fn ellipsis_well(text: &str) -> String {
    patterns::ELLIPSIS_WELL
        .replace_all(text, |c: &regex::Captures<'_>| {
            let v = &c["v"];
            let doubt = v.split_whitespace().next().is_some_and(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "or" | "maybe" | "perhaps" | "possibly" | "not" | "i"
                )
            });
            if doubt {
                c[0].to_owned()
            } else {
                format!(", no, {v}{}", &c["e"])
            }
        })
        .into_owned()
}

/// "I want everything encrypted: root, /home and swap": the list said first, then all of
/// it encrypted; swap, named in it, too (swap is otherwise encrypted only when said).
fn encrypted_list(text: &str) -> String {
    patterns::ENCRYPTED_LIST
        .replace_all(text, |c: &regex::Captures<'_>| {
            let list = c["l"].trim_end();
            let swap = if list.to_lowercase().contains("swap") {
                ", encrypted swap"
            } else {
                ""
            };
            format!("{list}, all encrypted{swap}")
        })
        .into_owned()
}

/// "the old encrypted install", "wipe the encrypted install on the crucial": "encrypted"
/// describes what is there (said old, or erased); "put the encrypted system on the nvme"
/// asks for the new one.
fn old_encrypted_install(text: &str) -> String {
    patterns::OLD_ENCRYPTED_INSTALL
        .replace_all(text, |c: &regex::Captures<'_>| {
            let d = c["d"].to_lowercase();
            let old = d
                .split_whitespace()
                .any(|w| matches!(w, "old" | "existing" | "previous" | "current"));
            let sentence = said_before(text, c.get(0).map_or(0, |m| m.start()), ",");
            let erased = [
                "wipe",
                "erase",
                "replac",
                "remove",
                "delete",
                "nuke",
                "get rid of",
                "scrap",
            ]
            .iter()
            .any(|w| sentence.contains(w))
                // ("erase the crucial and do an encrypted install on it": "an" brings in
                // a new one.)
                && !matches!(d.trim(), "a" | "an");
            if old || erased {
                format!("{}{}", &c["d"], &c["n"])
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// "it should ask for a password when it starts": the disk's encryption, unless the
/// password at boot is spoken of as what autologin would spare ("it asks for a password
/// every time it boots, I want autologin").
fn secret_at_boot(text: &str) -> String {
    let lc = text.to_lowercase();
    if [
        "autologin",
        "auto-login",
        "auto login",
        "automatically",
        "automatic login",
    ]
    .iter()
    .any(|w| lc.contains(w))
    {
        return text.to_owned();
    }
    patterns::SECRET_AT_BOOT
        .replace_all(text, "encrypted")
        .into_owned()
}

/// "make it so ingrid can do the admin things": rights for the one named ("I can do
/// the admin stuff": the speaker's).
fn does_admin_things(text: &str) -> String {
    patterns::DOES_ADMIN_THINGS
        .replace_all(text, |c: &regex::Captures<'_>| {
            // ("that can't do admin tasks": no name, and no rights.)
            let at = c.get(0).map_or(0, |m| m.start());
            if text[..at].ends_with(['\'', '\u{2019}']) {
                return c[0].to_owned();
            }
            let who = match c["n"].to_lowercase().as_str() {
                "i" => "me".to_owned(),
                "she" => "her".to_owned(),
                "he" => "him".to_owned(),
                "they" => "them".to_owned(),
                "we" => "us".to_owned(),
                "it" | "you" | "that" | "this" | "also" | "too" | "not" | "never" | "and" => {
                    return c[0].to_owned()
                }
                n if n.ends_with("n't") => return c[0].to_owned(),
                _ => c["n"].to_owned(),
            };
            format!("give {who} sudo")
        })
        .into_owned()
}

/// "4G swap and the rest for everything else": the system, unless a root or a /home is
/// laid out too (then "everything else" may be either).
fn rest_for_everything_else(text: &str) -> String {
    let lc = text.to_lowercase();
    if ["root", "home", " / ", "/ "].iter().any(|w| lc.contains(w)) {
        return text.to_owned();
    }
    patterns::REST_FOR_EVERYTHING_ELSE
        .replace_all(text, "$r for the system")
        .into_owned()
}

/// The boot menu's choice: said beside a request, a reason; alone, a dual boot.
fn choose_at_boot(text: &str) -> String {
    let rest = patterns::CHOOSE_AT_BOOT.replace_all(text, " ");
    if rest.len() == text.len() {
        return text.to_owned();
    }
    let only_this = rest
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "i" | "i'd"
                    | "id"
                    | "like"
                    | "to"
                    | "want"
                    | "would"
                    | "be"
                    | "able"
                    | "so"
                    | "can"
                    | "that"
                    | "we"
                    | "please"
            )
        });
    if only_this {
        "dual boot".to_owned()
    } else {
        rest.into_owned()
    }
}

/// "X can go": "wipe X", where X names what a disk holds (a system, data, the disk) and no
/// part of a layout ("the swap can go"), no partition, no question ("which disk can go?")
/// and not only "it" ("ok, it can go now": go ahead).
fn can_go(text: &str) -> String {
    patterns::CAN_GO
        .replace_all(text, |c: &regex::Captures<'_>| {
            let x = c["x"].to_lowercase();
            let words: Vec<&str> = x.split_whitespace().collect();
            let part = words.iter().any(|w| {
                w.starts_with("partition")
                    || w.starts_with("/dev/")
                    || matches!(
                        *w,
                        "swap" | "home" | "/home" | "boot" | "efi" | "esp" | "root" | "/"
                    )
            });
            // ("I can go", "we could go either way": people, not what goes.)
            let people = matches!(
                words.first(),
                Some(&("i" | "we" | "you" | "they" | "he" | "she"))
            );
            let asked = matches!(
                words.first(),
                Some(
                    &("tell"
                        | "which"
                        | "what"
                        | "whether"
                        | "if"
                        | "show"
                        | "does"
                        | "do"
                        | "can")
                )
            );
            let holds = words.iter().any(|w| {
                matches!(
                    *w,
                    "old"
                        | "existing"
                        | "previous"
                        | "windows"
                        | "macos"
                        | "mac"
                        | "ubuntu"
                        | "fedora"
                        | "debian"
                        | "mint"
                        | "arch"
                        | "manjaro"
                        | "linux"
                        | "data"
                        | "files"
                        | "stuff"
                        | "everything"
                        | "photos"
                        | "media"
                        | "raid"
                        | "lvm"
                        | "zfs"
                        | "disk"
                        | "drive"
                        | "ssd"
                        | "hdd"
                        | "nvme"
                        | "card"
                        | "stick"
                        | "backups"
                        | "backup"
                )
            });
            if part || people || asked || !holds {
                c[0].to_owned()
            } else {
                format!("{}wipe {}{}", &c["pre"], &c["x"], &c["e"])
            }
        })
        .into_owned()
}

/// "sdc gets wiped", "the old disk should be erased": "wipe sdc", said as a statement
/// (never a question, "would ubuntu get wiped?", nor with a negation or a condition).
fn gets_wiped(text: &str) -> String {
    patterns::GETS_WIPED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let x = c["x"].to_lowercase();
            let asked_or_not = x.split_whitespace().any(|w| {
                matches!(
                    w,
                    "if" | "whether"
                        | "would"
                        | "will"
                        | "could"
                        | "can"
                        | "does"
                        | "do"
                        | "is"
                        | "not"
                        | "never"
                        | "nothing"
                        | "unless"
                        | "what"
                        | "which"
                        | "why"
                        | "how"
                        | "when"
                ) || w.ends_with("n't")
            });
            if asked_or_not {
                c[0].to_owned()
            } else {
                format!("{}wipe {}{}", &c["pre"], &c["x"], &c["e"])
            }
        })
        .into_owned()
}

/// "delete ubuntu", "make windows go away": "wipe ubuntu", unless what follows makes it
/// a partition ("remove the old linux partition") or a boot menu entry ("remove windows
/// from the grub menu").
fn system_removed(text: &str) -> String {
    patterns::SYSTEM_REMOVED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let after = c["after"].to_lowercase();
            let elsewhere = after.split_whitespace().next().is_some_and(|w| {
                w.starts_with("partition") || matches!(w, "part" | "volume" | "entry")
            }) || ["menu", "grub", "boot", "list", "entry"]
                .iter()
                .any(|w| after.split_whitespace().any(|a| a == *w));
            if elsewhere {
                return c[0].to_owned();
            }
            let x = ["x", "y", "z", "w"]
                .iter()
                .find_map(|n| c.name(n))
                .map_or("", |m| m.as_str());
            format!("wipe {x}{}", &c["after"])
        })
        .into_owned()
}

/// "install it on the crucial, the one with my old linux. i don't need that anymore, can be
/// erased": "wipe it", when the clause before names a disk or what one holds (never a
/// partition, never a question).
fn that_can_go(text: &str) -> String {
    patterns::THAT_CAN_GO
        .replace_all(text, |c: &regex::Captures<'_>| {
            let start = c.get(0).map_or(0, |m| m.start());
            let before = text[..start].to_lowercase();
            let segments: Vec<&str> = before
                .rsplit([',', '.', ';', ':', '!', '?'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .take(2)
                .collect();
            let named = segments.iter().any(|s| {
                s.split(|ch: char| !ch.is_alphanumeric()).any(|w| {
                    matches!(
                        w,
                        "old"
                            | "windows"
                            | "macos"
                            | "ubuntu"
                            | "fedora"
                            | "debian"
                            | "mint"
                            | "manjaro"
                            | "linux"
                            | "install"
                            | "installation"
                            | "backup"
                            | "backups"
                            | "disk"
                            | "drive"
                            | "ssd"
                            | "hdd"
                            | "nvme"
                    )
                })
            });
            // (A partition anywhere before: "format nvme0n1p2 ... it's the old ubuntu one, I
            // don't need it anymore" gives leave to format it, not to erase its disk.)
            let part = before.contains("partition") || patterns::PARTITION_PATH.is_match(&before);
            let asked = before.trim_end().ends_with('?');
            if !named || part || asked || segments.is_empty() {
                c[0].to_owned()
            } else {
                format!("{}wipe it{}", &c["pre"], &c["e"])
            }
        })
        .into_owned()
}

/// "For my sister: username ingrid, swedish keyboard", "I'd like to replace ubuntu but keep
/// the partitions: format ...": the heading ends where the requests begin. (Not a list's
/// heading: "accounts for the kids: mia, leo".)
fn heading_for(text: &str) -> String {
    if let Some(c) = patterns::HEADING_THEN_STEP.captures(text) {
        let h = c.name("h").map_or(0, |m| m.end());
        let v = c.name("v").map_or(0, |m| m.start());
        return format!("{}; {}", &text[..h], &text[v..]);
    }
    let Some(c) = patterns::HEADING_FOR.captures(text) else {
        return text.to_owned();
    };
    let heading = &c["h"];
    // ("layout for the 40G disk: /boot 1G ...": a heading of the installer's own, kept.)
    let installer_word = heading.split_whitespace().any(|w| {
        let w = w.to_lowercase();
        super::words::is_keyword(&w) || patterns::DISK_WORDS.is_match(&w)
    });
    if installer_word || patterns::ACCOUNT_OR_GROUP_WORD.is_match(heading) {
        return text.to_owned();
    }
    format!("{heading}; {}", &text[c.get(0).map_or(0, |m| m.end())..])
}

/// "admin user hr-admin": the user hr-admin, with the rights the kind says.
fn kind_then_login(text: &str) -> String {
    patterns::KIND_THEN_LOGIN
        .replace_all(text, |c: &regex::Captures<'_>| {
            let n = &c["n"];
            // ("admin user with sudo", "a normal account for bob": no login said.)
            if super::classify::is_not_a_name(n)
                || matches!(n.to_lowercase().as_str(), "for" | "on" | "in" | "at")
            {
                return c[0].to_owned();
            }
            let rights = match c["k"].to_lowercase().as_str() {
                "admin" | "administrator" | "sudo" => " with sudo",
                _ => "",
            };
            format!("{}create user {n}{rights}{}", &c["pre"], &c["post"])
        })
        .into_owned()
}

/// "I'm saving the Samsung for games": kept, as "keeping the Samsung for games" is. (Never
/// space: "save the rest for /home", "save 100G for home" lay out.)
fn saved_for(text: &str) -> String {
    patterns::SAVED_FOR
        .replace_all(text, |c: &regex::Captures<'_>| {
            let d = &c["d"];
            let space = d.split_whitespace().any(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "rest" | "remainder" | "space" | "room" | "remaining" | "leftover" | "free"
                ) || w.starts_with(|ch: char| ch.is_ascii_digit())
            });
            if space {
                c[0].to_owned()
            } else {
                format!("keeping {d} for")
            }
        })
        .into_owned()
}

/// "format sda1 as ext4 - no, not sda1, that's my media! I meant nvme0n1p3": the step said
/// once, on the partition meant; what was said between is the reason it changed.
fn partition_meant(text: &str) -> String {
    let Some(meant) = patterns::MEANT_PART.captures(text) else {
        return text.to_owned();
    };
    let end = meant.get(0).map_or(0, |m| m.end());
    let Some(step) = patterns::PART_STEP
        .captures(&text[..end])
        .filter(|c| !c["p"].eq_ignore_ascii_case(&meant["q"]))
    else {
        return text.to_owned();
    };
    let start = step.get(0).map_or(0, |m| m.start());
    format!(
        "{}{} {}{}{}",
        &text[..start],
        &step["v"],
        &meant["q"],
        step["rest"].trim_end(),
        &text[end..]
    )
}

/// "add me, Petra": an account for the person, whose name in prose is the login in lower
/// case (a login typed capitalised is asked about; this one was never typed as a login).
fn add_me_named(text: &str) -> String {
    patterns::ADD_ME_NAMED
        .replace_all(text, |c: &regex::Captures<'_>| {
            format!("create a user named {}", c["n"].to_lowercase())
        })
        .into_owned()
}

/// "the admin user should be called admin": "create an admin user named admin".
fn user_should_be_called(text: &str) -> String {
    patterns::USER_SHOULD_BE_CALLED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let admin = c["r"].split_whitespace().any(|w| {
                matches!(
                    w.to_lowercase().as_str(),
                    "admin" | "administrator" | "sudo"
                )
            });
            if admin {
                "create an admin user named ".to_owned()
            } else {
                "create a user named ".to_owned()
            }
        })
        .into_owned()
}

/// "leave sdb, sdc and sdd alone", "sdb/sdc/sdd stay untouched": "leave sdb alone; leave sdc
/// alone; leave sdd alone", each disk kept in a clause of its own.
fn kept_disk_list(text: &str) -> String {
    patterns::KEPT_DISK_LIST
        .replace_all(text, |c: &regex::Captures<'_>| {
            let list = c
                .name("a")
                .or_else(|| c.name("b"))
                .map_or("", |m| m.as_str());
            patterns::DISK_PATH
                .find_iter(list)
                .map(|d| format!("leave {} alone", d.as_str()))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .into_owned()
}

/// "sda (860 EVO) gets wiped", "sdb (WD 1T) -> /home": what the parentheses say after a
/// device only confirms which disk it is (maker, line, model, size), and is dropped.
fn disk_confirmed_in_parentheses(text: &str) -> String {
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?P<d>(?:/dev/)?(?:[svh]d[a-z]|xvd[a-z]|nvme\d+n\d+|mmcblk\d+))\s*\((?P<x>[^()]{1,40})\)")
            .expect("valid")
    });
    NAMED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let x = c["x"].to_lowercase();
            let words: Vec<&str> = x
                .split(|ch: char| ch.is_whitespace() || ch == ',')
                .filter(|w| !w.is_empty())
                .collect();
            let describes = words.len() <= 4
                && words.iter().all(|w| {
                    w.chars().any(|ch| ch.is_ascii_digit())
                        || super::disks::DISK_MAKERS.contains(w)
                        || super::disks::DISK_LINES.contains(w)
                        || matches!(
                            *w,
                            "ssd" | "hdd" | "nvme" | "disk" | "drive" | "the" | "sata" | "usb"
                        )
                });
            if describes {
                c["d"].to_owned()
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// "mkfs.btrfs nvme0n1p3, p1 -> /boot/efi": "p1" is a partition of the one disk whose
/// partitions are numbered after a "p" (nvme, mmcblk) and one of which the request names.
/// ("wipe nvme0n1 (ubuntu on p2 can go)": the disk alone named, "p2" is only a remark.)
fn short_partitions(text: &str) -> String {
    static DISK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(nvme\d+n\d+|mmcblk\d+)p\d+\b").expect("valid"));
    static SHORT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(^|[^\w/.-])p(\d{1,2})\b").expect("valid"));
    let mut disks: Vec<String> = DISK
        .captures_iter(text)
        .map(|c| c[1].to_lowercase())
        .collect();
    disks.sort();
    disks.dedup();
    let [disk] = disks.as_slice() else {
        return text.to_owned();
    };
    SHORT
        .replace_all(text, |c: &regex::Captures<'_>| {
            format!("{}{disk}p{}", &c[1], &c[2])
        })
        .into_owned()
}

/// "mount sdc2 / + sdc1 /boot/efi": "mount sdc2 at / and mount sdc1 at /boot/efi".
fn mount_part_path(text: &str) -> String {
    patterns::MOUNT_PART_PATH
        .replace_all(text, |c: &regex::Captures<'_>| {
            let mut out = format!("mount {} at {}", &c["p"], &c["m"]);
            for more in c["more"].split(['+', '&']).map(str::trim) {
                if let Some((p, m)) = more.split_once(char::is_whitespace) {
                    out.push_str(" and mount ");
                    out.push_str(p);
                    out.push_str(" at ");
                    out.push_str(m.trim());
                }
            }
            out
        })
        .into_owned()
}

/// "user=ana sudo=yes groups=video,audio pw=x hostname=ana-tab": a run of the installer's
/// own `key=value` pairs with only spaces between them, separated as a list. (Kernel options,
/// "console=ttyS0 quiet", have keys of their own and stay one run.)
pub(super) fn glued_pairs_run(text: &str) -> String {
    static PAIR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?P<k>[a-z_]{2,16})=\S+").expect("valid"));
    const KEYS: &[&str] = &[
        "user",
        "username",
        "login",
        "name",
        "sudo",
        "admin",
        "wheel",
        "groups",
        "group",
        "pw",
        "pass",
        "password",
        "passwd",
        "hostname",
        "hn",
        "host",
        "tz",
        "timezone",
        "locale",
        "lang",
        "language",
        "kb",
        "kbd",
        "keyboard",
        "keymap",
        "disk",
        "target",
        "fs",
        "filesystem",
        "swap",
        "encrypt",
        "luks",
        "fde",
        "wipe",
        "reboot",
        "bootloader",
        "efi",
        "esp",
        "table",
        "shell",
        "fullname",
    ];
    let pairs: Vec<regex::Match<'_>> = PAIR
        .captures_iter(text)
        .filter(|c| KEYS.contains(&c["k"].to_lowercase().as_str()))
        .filter_map(|c| c.get(0))
        .collect();
    if pairs.len() < 2 {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 2 * pairs.len());
    let mut at = 0;
    for pair in pairs.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let between = &text[a.end()..b.start()];
        let word = between.trim().trim_end_matches(',').trim();
        // ("... input pw hostname=x": a password's key, its value cut before reading, is a
        // pair of its own.)
        let secret_key = matches!(
            word.to_lowercase().as_str(),
            "pw" | "pwd" | "pass" | "passwd" | "password" | "passphrase"
        );
        if !between.is_empty() && (between.trim().is_empty() || secret_key) {
            out.push_str(&text[at..a.end()]);
            // (";", not ",": a value's own commas, "groups=video,audio", stay inside it.)
            out.push_str("; ");
            if secret_key {
                out.push_str(word);
                out.push_str("; ");
            }
            at = b.start();
        }
    }
    out.push_str(&text[at..]);
    out
}

/// "the source image is /x/squashfs.img, copy the system from that one": from that image.
fn copy_from_that(text: &str) -> String {
    let Some(image) = patterns::IMAGE_PATH
        .captures(text)
        .map(|c| c["p"].to_owned())
    else {
        return text.to_owned();
    };
    patterns::FROM_THAT
        .replace_all(text, |c: &regex::Captures<'_>| {
            format!("{}{}from {image}", &c["v"], &c["mid"])
        })
        .into_owned()
}

/// "install on the crucial, replacing the old install": ", replace the old install".
fn erasing_said(text: &str) -> String {
    patterns::ERASING_SAID
        .replace_all(text, |c: &regex::Captures<'_>| {
            // (Only after a request to install or use, and not a consequence: "careful,
            // erasing sdb would lose my photos" asks nothing.)
            let sentence = said_before(text, c.get(0).map_or(0, |m| m.start()), "");
            let asked = [
                "install",
                "use ",
                "put ",
                "reinstall",
                "partition",
                "layout",
                "set up",
            ]
            .iter()
            .any(|w| sentence.contains(w));
            let after = text[c.get(0).map_or(0, |m| m.end())..].to_lowercase();
            let clause = after.split([',', '.', ';', '!', '?']).next().unwrap_or("");
            let consequence = [
                " would ", " will ", " could ", " might ", " lose", " losing",
            ]
            .iter()
            .any(|w| clause.contains(w));
            if !asked || consequence {
                return c[0].to_owned();
            }
            let verb = match c["g"].to_lowercase().as_str() {
                "wiping" => "wipe",
                "erasing" => "erase",
                "replacing" => "replace",
                "overwriting" => "overwrite",
                "removing" => "remove",
                "deleting" => "delete",
                _ => "nuke",
            };
            format!("{}{verb}", &c["pre"])
        })
        .into_owned()
}

/// "user = admin (sudo)", "username: admin", "user admin, give it sudo": a user called
/// admin, where "admin" alone after "user" asks for rights ("an admin user").
fn admin_named(text: &str) -> String {
    let text = patterns::ADMIN_NAMED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let rights = if c.name("r").is_some() {
                " with sudo"
            } else {
                ""
            };
            format!("create a user named {}{rights}", &c["n"])
        })
        .into_owned();
    patterns::USER_THEN_ADMIN
        .replace_all(&text, |c: &regex::Captures<'_>| {
            format!("{}create a user named {}{}", &c["pre"], &c["n"], &c["post"])
        })
        .into_owned()
}

/// The descriptions of layouts other installers and desktops show ("English (US, intl.,
/// with dead keys)", "French (AZERTY, AFNOR)"), said after a keyboard word in the same
/// clause, as the layouts they name ("us:intl"): their commas end no clause.
fn keyboard_descriptions(text: &str) -> String {
    let Some(xkb) = crate::xkb::XKB.as_ref() else {
        return text.to_owned();
    };
    let mut out = String::new();
    let mut last = 0;
    for (at, code) in xkb.descriptions_in(text) {
        // ("keyboard de and english uk": after "and", another setting.)
        let keyboard_said = at.start >= last
            && patterns::KEYBOARD_BEFORE
                .find(&text[last..at.start])
                .is_some_and(|m| !m.as_str().to_lowercase().contains(" and "));
        if keyboard_said {
            out.push_str(&text[last..at.start]);
            out.push_str(code);
            last = at.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// "half for root and half for home", "three quarters of the drive for /": the share as
/// a percentage of the disk.
fn fractions(text: &str) -> String {
    patterns::FRACTION
        .replace_all(text, |c: &regex::Captures<'_>| {
            let share = match c["f"].to_lowercase().replace('-', " ").as_str() {
                "three quarters" => "75%",
                "two thirds" => "66%",
                "a quarter" | "one quarter" => "25%",
                "a third" | "one third" => "33%",
                _ => "50%",
            };
            format!("{share}{}", &c["after"])
        })
        .into_owned()
}

/// "twenty gigs for root, ten for /var": the number in digits, for the unit said once.
/// "swap sixteen": 16G of swap.
fn swap_in_words(text: &str) -> String {
    patterns::SWAP_IN_WORDS
        .replace_all(text, |c: &regex::Captures<'_>| {
            words::number_in_words(&c["n"].replace('-', " "))
                .map_or_else(|| c[0].to_owned(), |n| format!("swap {n}G{}", &c["e"]))
        })
        .into_owned()
}

fn number_words_for_parts(text: &str) -> String {
    patterns::NUMBER_WORD_FOR_PART
        .replace_all(text, |c: &regex::Captures<'_>| {
            let n = c["n"].trim().trim_end_matches(" and");
            words::number_in_words(n)
                .map_or_else(|| c[0].to_owned(), |n| format!("{n} {}", &c["rest"]))
        })
        .into_owned()
}

/// "orion - wait, no", "Arizona - we don't do daylight saving": a dash between words ends
/// a clause; before a preposition ("install - on the Samsung") it only pauses.
fn spaced_dashes(text: &str) -> String {
    patterns::SPACED_DASH
        .replace_all(text, |c: &regex::Captures<'_>| {
            let next = &c["next"];
            let continues = [
                "on", "onto", "to", "in", "into", "with", "for", "at", "from",
            ]
            .contains(&next.to_lowercase().as_str());
            format!("{}{next}", if continues { " " } else { ", " })
        })
        .into_owned()
}

/// "student1 through student4": each name of the run, written out (at most 20, with the
/// same stem and digits as wide as said: "pc01 to pc03" is pc01, pc02, pc03).
pub(super) fn name_ranges(text: &str) -> String {
    patterns::NAME_RANGE
        .replace_all(text, |c: &regex::Captures<'_>| {
            let (from, to) = (c["m"].parse::<u32>(), c["n"].parse::<u32>());
            let same_stem = c["a"].eq_ignore_ascii_case(&c["b"]);
            match (from, to) {
                (Ok(from), Ok(to)) if same_stem && from < to && to - from < 20 => {
                    let width = c["m"].len();
                    let names: Vec<String> = (from..=to)
                        .map(|i| format!("{}{i:0width$}", &c["a"]))
                        .collect();
                    let (last, rest) = names.split_last().unwrap_or((&names[0], &[]));
                    // (A run of names is a list of accounts: said so for the people reader.)
                    format!("users {} and {last}", rest.join(", "))
                }
                _ => c[0].to_owned(),
            }
        })
        .into_owned()
}

/// "um", "uh", "erm": sounds, no words. ("um" is Portuguese for "a": kept in Portuguese.)
fn fillers(text: &str) -> String {
    let lc = text.to_lowercase();
    let portuguese = [
        " de ", " para ", " com ", " uma ", " e ", "ção", "ã", "õ", "á",
    ]
    .iter()
    .any(|m| lc.contains(m));
    let mut out: Vec<&str> = Vec::new();
    for w in text.split_whitespace() {
        let bare = w.trim_end_matches([',', '.', '…']).to_lowercase();
        let sound = matches!(
            bare.as_str(),
            "uh" | "uhh" | "uhm" | "umm" | "ummm" | "erm" | "ehm"
        ) || bare == "um" && !portuguese;
        if sound {
            continue;
        }
        out.push(w);
    }
    if out.len() == text.split_whitespace().count() {
        return text.to_owned();
    }
    out.join(" ")
}

/// The digit a word says.
fn digit_of(word: &str) -> Option<char> {
    let d = match word.to_lowercase().as_str() {
        "zero" => '0',
        "one" => '1',
        "two" => '2',
        "three" => '3',
        "four" => '4',
        "five" => '5',
        "six" => '6',
        "seven" => '7',
        "eight" => '8',
        "nine" => '9',
        _ => return None,
    };
    Some(d)
}

/// "zero one" is 01, "one one five two zero zero" 115200; "tty s zero" is ttyS0.
fn digits_said(text: &str) -> String {
    let text = patterns::DIGITS_SAID.replace_all(text, |c: &regex::Captures<'_>| {
        c[0].split_whitespace()
            .filter_map(digit_of)
            .collect::<String>()
    });
    patterns::TTY_SAID
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let n = digit_of(&c["n"]).map_or_else(|| c["n"].to_owned(), String::from);
            format!("ttyS{n}")
        })
        .into_owned()
}

/// "sixty percent": 60%.
fn percent_said(text: &str) -> String {
    patterns::PERCENT_SAID
        .replace_all(text, |c: &regex::Captures<'_>| {
            words::number_in_words(&c["n"])
                .filter(|n| *n <= 100)
                .map_or_else(|| c[0].to_owned(), |n| format!("{n}%"))
        })
        .into_owned()
}

/// "the same sung", "the sea gate": a disk maker's name heard as two words, one edit
/// away at most once joined. Neither word may be a maker's name already.
fn maker_said_apart(text: &str) -> String {
    let ws: Vec<&str> = text.split_whitespace().collect();
    if ws.len() < 2 {
        return text.to_owned();
    }
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let maker = |a: &str, b: &str| -> Option<&'static str> {
        let (a, b) = (bare(a), bare(b));
        let makers = super::disks::DISK_MAKERS;
        // ("the w d": a maker's letters, spelled.)
        if a.len() == 1 && b.len() == 1 {
            let joined = format!("{a}{b}");
            return makers.iter().copied().find(|m| *m == joined);
        }
        if a.len() < 2
            || b.len() < 3
            || !(a.chars().chain(b.chars()).all(|c| c.is_ascii_lowercase()))
        {
            return None;
        }
        if makers.contains(&a.as_str()) || makers.contains(&b.as_str()) {
            return None;
        }
        let joined = format!("{a}{b}");
        makers
            .iter()
            .copied()
            .filter(|m| m.len() >= 6)
            .find(|m| super::text::edit_distance(&joined, m) <= 1)
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut changed = false;
    while i < ws.len() {
        if let Some(m) = ws.get(i + 1).and_then(|b| maker(ws[i], b)) {
            // (What follows the second word, a comma, stays.)
            let tail: String = ws[i + 1]
                .chars()
                .rev()
                .take_while(|c| !c.is_alphanumeric())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            out.push(format!("{m}{tail}"));
            i += 2;
            changed = true;
            continue;
        }
        out.push(ws[i].to_owned());
        i += 1;
    }
    if changed {
        out.join(" ")
    } else {
        text.to_owned()
    }
}

/// "dont touch the four terabyte thats all my media just wipe the sk hynix": "just" and a
/// verb start a request of their own ("can you just wipe it" stays one).
fn just_verb(text: &str) -> String {
    patterns::JUST_VERB
        .replace_all(text, |c: &regex::Captures<'_>| {
            let w = c["w"].to_lowercase();
            let joins = [
                "you", "i", "we", "just", "really", "please", "it", "and", "why", "if", "that",
                "you'd", "they", "he", "she", "please", "and", "then", "so", "to", "can", "could",
                "would", "will", "should", "must", "lets", "let's", "me", "us", "i'll", "we'll",
                "i'd", "or", "but", "now", "pls", "plz", "ok", "okay",
            ]
            .contains(&w.as_str());
            // ("the samsung dont touch it": what it refers to is said before.)
            let refers_back = c.name("o").is_some_and(|o| {
                matches!(
                    o.as_str().trim().to_lowercase().as_str(),
                    "it" | "them" | "that" | "this" | "those"
                )
            }) && !c["j"].to_lowercase().starts_with("just");
            let rest = c.name("o").map_or("", |o| o.as_str());
            if joins || refers_back {
                c[0].to_owned()
            } else {
                format!("{}, {}{rest}", &c["w"], &c["j"])
            }
        })
        .into_owned()
}

/// "ext four", "x f s", "b t r f s": the filesystem's name.
fn fs_said(text: &str) -> String {
    patterns::FS_SAID
        .replace_all(text, |c: &regex::Captures<'_>| {
            if let Some(e) = c.name("e") {
                let n = match e.as_str().to_lowercase().as_str() {
                    "four" | "4" => 4,
                    "three" | "3" => 3,
                    _ => 2,
                };
                format!("ext{n}")
            } else if c.name("x").is_some() {
                "xfs".to_owned()
            } else if c.name("b").is_some() {
                "btrfs".to_owned()
            } else {
                "vfat".to_owned()
            }
        })
        .into_owned()
}

/// "hostname is set to web01": the value; "what's the timezone set to right now?" asks.
fn key_set_to(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for c in patterns::KEY_SET_TO.captures_iter(text) {
        let Some(m) = c.get(0) else { continue };
        let before = text[..m.start()].to_lowercase();
        let before = before.trim_end();
        let asked = [
            "what's the",
            "what is the",
            "whats the",
            "what",
            "which",
            "is the",
            "how is the",
        ]
        .iter()
        .any(|q| before.ends_with(q));
        out.push_str(&text[last..m.start()]);
        if asked {
            out.push_str(m.as_str());
        } else {
            out.push_str(&c["k"]);
            out.push(' ');
        }
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// "encrypt root and home", "swap and / both encrypted": each one encrypted ("/" is the
/// root, said as a word where it stands alone).
fn encrypt_both(text: &str) -> String {
    let part = |p: &str| {
        if p == "/" {
            "root".to_owned()
        } else {
            p.to_owned()
        }
    };
    let text = patterns::ENCRYPT_BOTH.replace_all(text, |c: &regex::Captures<'_>| {
        format!("{} {} plus {}", &c[1], part(&c[2]), part(&c[3]))
    });
    patterns::BOTH_ENCRYPTED
        .replace_all(&text, |c: &regex::Captures<'_>| {
            format!("{} {} plus {}", &c[3], part(&c[1]), part(&c[2]))
        })
        .into_owned()
}

/// "show me where things stand" -> "where do things stand?"; "tell me what you can do" ->
/// "what can you do?".
fn tell_me_wh(text: &str) -> String {
    patterns::TELL_ME_WH
        .replace_all(text, |c: &regex::Captures<'_>| {
            let aux = c.name("m").map_or("do", |m| m.as_str().trim());
            format!("{} {aux} {} {}?", &c["w"], &c["s"], &c["v"])
        })
        .into_owned()
}
