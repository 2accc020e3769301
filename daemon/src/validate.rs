//! Validation of every value that reaches the daemon from outside (clients, the language
//! model, machine files). Errors are sentences a person can act on.

use std::path::Path;

/// Names no installation may create as a regular user.
const RESERVED_USERS: &[&str] = &[
    "root",
    "daemon",
    "bin",
    "sys",
    "sync",
    "games",
    "man",
    "lp",
    "mail",
    "news",
    "uucp",
    "proxy",
    "www-data",
    "backup",
    "list",
    "irc",
    "gnats",
    "nobody",
    "systemd-network",
    "systemd-resolve",
    "messagebus",
    "polkitd",
    "sshd",
    "_apt",
];

/// RFC 1123 host name (labels of letters, digits and inner hyphens; 253 bytes at most).
pub fn hostname(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 253 {
        return Err(format!(
            "{:?} is not a valid host name: it must be 1 to 253 characters long",
            truncate(name)
        ));
    }
    for label in name.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err(format!(
                "{:?} is not a valid host name: use letters, digits and hyphens (not at the \
                 start or end), like my-laptop",
                truncate(name)
            ));
        }
    }
    Ok(())
}

/// `[a-z_][a-z0-9_-]*`, 32 characters at most.
pub fn username(name: &str) -> Result<(), String> {
    let mut bytes = name.bytes();
    let first_ok = matches!(bytes.next(), Some(b'a'..=b'z' | b'_'));
    let rest_ok = bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'));
    if !first_ok || !rest_ok || name.len() > 32 {
        return Err(format!(
            "{:?} is not a valid user name: start with a lowercase letter, then lowercase \
             letters, digits, '-' or '_', 32 characters at most",
            truncate(name)
        ));
    }
    Ok(())
}

/// A user name that a new account may take.
pub fn new_username(name: &str) -> Result<(), String> {
    username(name)?;
    if RESERVED_USERS.contains(&name) {
        return Err(format!(
            "{name:?} is a system account name; choose another name for the user"
        ));
    }
    Ok(())
}

/// Group names follow the user-name rules.
pub fn group(name: &str) -> Result<(), String> {
    username(name).map_err(|_| {
        format!(
            "{:?} is not a valid group name: lowercase letters, digits, '-' or '_'",
            truncate(name)
        )
    })
}

/// An IANA zone name that exists in the zone database (`zoneinfo`), or `UTC`.
pub fn timezone(zone: &str, zoneinfo: &Path) -> Result<(), String> {
    let shape_ok = !zone.is_empty()
        && zone.len() <= 64
        && !zone.starts_with('/')
        && !zone
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
        && zone
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'));
    let bad = || {
        format!(
            "{:?} is not a known time zone; use a name like Europe/Berlin or America/New_York",
            truncate(zone)
        )
    };
    if !shape_ok {
        return Err(bad());
    }
    if zone == "UTC" {
        return Ok(());
    }
    if zoneinfo.join(zone).is_file() {
        Ok(())
    } else {
        Err(bad())
    }
}

/// `ll_CC.UTF-8` (with an optional `@modifier`), or `C.UTF-8`.
pub fn locale(locale: &str) -> Result<(), String> {
    if locale == "C.UTF-8" {
        return Ok(());
    }
    let bad = || {
        format!(
            "{:?} is not a locale this installer can set; use a name like en_US.UTF-8",
            truncate(locale)
        )
    };
    let (base, modifier) = locale.split_once('@').unwrap_or((locale, ""));
    let Some(lang_country) = base.strip_suffix(".UTF-8") else {
        return Err(bad());
    };
    let Some((lang, country)) = lang_country.split_once('_') else {
        return Err(bad());
    };
    let ok = (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && modifier.len() <= 16
        && modifier.bytes().all(|b| b.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// Extra kernel parameters (`console=ttyS0,115200 quiet`): they end up inside double
/// quotes in a file a shell reads (`/etc/default/grub.d`), so only characters with no
/// meaning there are allowed.
pub fn kernel_args(args: &str) -> Result<(), String> {
    let ok = args.len() <= 512
        && args
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" =,.:/_-+@%".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} are not kernel parameters the installer accepts: use letters, digits, spaces and = , . : / _ - + @ %, at most 512 characters",
            truncate(args)
        ))
    }
}

/// A console/X11 layout name, optionally with a variant after a colon (`de:nodeadkeys`).
pub fn keyboard(layout: &str) -> Result<(), String> {
    let (name, variant) = layout.split_once(':').unwrap_or((layout, ""));
    let ok = (2..=16).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && variant.len() <= 32
        && variant
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !ok {
        return Err(format!(
            "{:?} is not a keyboard layout name; use a short name like us, de or fr",
            truncate(layout)
        ));
    }
    // The console and X11 read the layout from the XKB data: one it lacks leaves the
    // installed system with no working keymap. (Without the data, the form alone.)
    match crate::xkb::XKB.as_ref() {
        Some(x) if !x.knows(layout) => Err(format!(
            "{:?} is not a keyboard layout or variant this system knows; use a name like us, de, fr or de:nodeadkeys",
            truncate(layout)
        )),
        _ => Ok(()),
    }
}

/// An absolute mount point inside the target, no `..`, no odd characters.
pub fn mountpoint(path: &str) -> Result<(), String> {
    let ok = path.starts_with('/')
        && path.len() <= 255
        && !path.split('/').any(|p| p == ".." || p == ".")
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} is not a usable mount point; use an absolute path like /home or /srv",
            truncate(path)
        ))
    }
}

/// A secret handed over for a step: 1 to 1024 bytes, no NUL and no line breaks (they would
/// end the line `chpasswd` and `cryptsetup` read it from).
pub fn secret(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("the secret is empty".into());
    }
    if bytes.len() > 1024 {
        return Err("the secret is longer than 1024 bytes".into());
    }
    if bytes.iter().any(|b| matches!(b, 0 | b'\n' | b'\r')) {
        return Err("the secret contains a NUL byte or a line break".into());
    }
    Ok(())
}

/// Untrusted text (hardware model names, labels) made safe to show: control characters
/// dropped, length bounded.
pub fn display_text(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `first` followed by the sentence `next`, with one full stop between them whatever
/// `first` ends with: tools end their messages with ".", "?" or nothing, and a message
/// built on theirs must not read "in use.. The old table".
pub fn then_sentence(first: &str, next: &str) -> String {
    let first = first.trim_end();
    let first = first.trim_end_matches('.');
    if first.is_empty() {
        return next.to_owned();
    }
    let stop = if first.ends_with(['?', '!']) { "" } else { "." };
    format!("{first}{stop} {next}")
}

/// For error messages: never echo megabytes back.
fn truncate(s: &str) -> String {
    const MAX: usize = 64;
    if s.chars().count() <= MAX {
        display_text(s, MAX)
    } else {
        format!("{}...", display_text(s, MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_join_with_one_full_stop() {
        assert_eq!(then_sentence("in use.", "Next"), "in use. Next");
        assert_eq!(then_sentence("in use...  ", "Next"), "in use. Next");
        assert_eq!(then_sentence("loaded?", "Next"), "loaded? Next");
        assert_eq!(then_sentence("failed", "Next"), "failed. Next");
        assert_eq!(then_sentence("", "Next"), "Next");
    }

    #[test]
    fn hostnames() {
        for ok in ["box", "my-laptop", "a.b.c", "x1"] {
            assert!(hostname(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "my_laptop!!",
            "-x",
            "x-",
            "a..b",
            &"a".repeat(64),
            &"a.".repeat(200),
        ] {
            assert!(hostname(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames() {
        assert!(new_username("vince").is_ok());
        assert!(new_username("_svc-1").is_ok());
        for bad in [
            "root",
            "Vince",
            "1abc",
            "",
            "a b",
            &"a".repeat(33),
            "nobody",
        ] {
            assert!(new_username(bad).is_err(), "{bad}");
        }
        assert!(username("root").is_ok());
    }

    #[test]
    fn timezones_are_checked_against_the_database() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("Europe")).expect("mkdir");
        std::fs::write(dir.path().join("Europe/Berlin"), b"TZif").expect("write");
        assert!(timezone("Europe/Berlin", dir.path()).is_ok());
        assert!(timezone("UTC", dir.path()).is_ok());
        for bad in [
            "Mars/Olympus",
            "../etc/passwd",
            "/etc/passwd",
            "Europe",
            "Europe/../Europe/Berlin",
        ] {
            assert!(timezone(bad, dir.path()).is_err(), "{bad}");
        }
    }

    #[test]
    fn locales_keyboards_mountpoints_secrets() {
        assert!(locale("en_US.UTF-8").is_ok());
        assert!(locale("de_DE.UTF-8@euro").is_ok());
        assert!(locale("english").is_err());
        assert!(locale("en_US").is_err());
        assert!(keyboard("de").is_ok());
        assert!(keyboard("de:nodeadkeys").is_ok());
        assert!(keyboard("DE; rm -rf /").is_err());
        assert!(mountpoint("/srv/data").is_ok());
        assert!(mountpoint("/../etc").is_err());
        assert!(mountpoint("home").is_err());
        assert!(secret(b"hunter2").is_ok());
        assert!(secret(b"").is_err());
        assert!(secret(b"a\nb").is_err());
    }

    #[test]
    fn display_text_strips_control_characters() {
        assert_eq!(display_text("Evil\x1b[2J Disk\n", 64), "Evil[2J Disk");
    }
}
