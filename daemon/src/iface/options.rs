//! The `a{sv}` options of every method, checked in one place. Every handler calls
//! [`check`] before anything else: a key the daemon does not know, a known key of the wrong
//! type, or a key the method has no use for is `InvalidArgument` naming the key, so a
//! client never believes an option did something it did not (a misspelt
//! `auth.no_user_interaction` silently ignored would pop up a password dialog).
//! `Manager.SupportedOptions` publishes [`SUPPORTED`].

use levitate_dbus::{options, Error, OptionInfo};

use crate::{auth::Options, validate};

/// The methods that take options, by their D-Bus member names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    ListDisks,
    DiskDetails,
    OpenSession,
    Interpret,
    Propose,
    Say,
    Close,
    Confirm,
    Reject,
    SetSecret,
    Cancel,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Self::ListDisks => "ListDisks",
            Self::DiskDetails => "DiskDetails",
            Self::OpenSession => "OpenSession",
            Self::Interpret => "Interpret",
            Self::Propose => "Propose",
            Self::Say => "Say",
            Self::Close => "Close",
            Self::Confirm => "Confirm",
            Self::Reject => "Reject",
            Self::SetSecret => "SetSecret",
            Self::Cancel => "Cancel",
        }
    }
}

/// One option: its key, the signature of its value, the methods that take it (`None`:
/// every method) and what it does.
pub struct OptionSpec {
    pub key: &'static str,
    pub signature: &'static str,
    pub methods: Option<&'static [Method]>,
    pub description: &'static str,
}

/// Every option the daemon accepts.
pub const SUPPORTED: &[OptionSpec] = &[
    OptionSpec {
        key: options::NO_USER_INTERACTION,
        signature: "b",
        methods: None,
        description: "Every method: true never waits for a polkit authentication dialog; a check that needs one fails instead.",
    },
    OptionSpec {
        key: options::ALLOW_USER_INTERACTION,
        signature: "b",
        methods: None,
        description: "Every method: true lets polkit show an authentication dialog, as the message flag ALLOW_INTERACTIVE_AUTHORIZATION does; auth.no_user_interaction wins.",
    },
    OptionSpec {
        key: options::LOCALE,
        signature: "s",
        methods: Some(&[
            Method::OpenSession,
            Method::Propose,
            Method::Interpret,
            Method::Say,
        ]),
        description: "OpenSession, Propose, Interpret, Say: the caller's locale (de_DE.UTF-8); texts fall back to English, which Plan.Locale says.",
    },
    OptionSpec {
        key: options::SESSION_KEEP,
        signature: "b",
        methods: Some(&[Method::OpenSession]),
        description: "OpenSession only: true keeps the session after the bus client that opened it leaves.",
    },
];

/// `Manager.SupportedOptions`.
pub fn supported() -> Vec<OptionInfo> {
    SUPPORTED
        .iter()
        .map(|o| OptionInfo {
            key: o.key.to_owned(),
            signature: o.signature.to_owned(),
            description: o.description.to_owned(),
        })
        .collect()
}

/// Checks the options `method` was called with; the first bad key (in key order, so the
/// answer does not depend on a hash map's order) is named in the error.
pub fn check(opts: &Options, method: Method) -> Result<(), Error> {
    let mut keys: Vec<&String> = opts.keys().collect();
    keys.sort();
    for key in keys {
        let shown = validate::display_text(key, 64);
        let Some(spec) = SUPPORTED.iter().find(|s| s.key == key.as_str()) else {
            let known: Vec<&str> = SUPPORTED.iter().map(|s| s.key).collect();
            return Err(Error::InvalidArgument(format!(
                "unknown option {shown:?}; the options are: {} (Manager.SupportedOptions)",
                known.join(", ")
            )));
        };
        if let Some(methods) = spec.methods {
            if !methods.contains(&method) {
                let names: Vec<&str> = methods.iter().map(|m| m.name()).collect();
                return Err(Error::InvalidArgument(format!(
                    "option {shown:?} is not one of {}: only {} take it",
                    method.name(),
                    names.join(", ")
                )));
            }
        }
        let value = &opts[key];
        let signature = value.value_signature().to_string();
        if signature != spec.signature {
            return Err(Error::InvalidArgument(format!(
                "option {shown:?} must be of type {}, not {}",
                spec.signature,
                validate::display_text(&signature, 32)
            )));
        }
        if spec.key == options::LOCALE {
            if let zbus::zvariant::Value::Str(s) = &**value {
                locale(s.as_str())?;
            }
        }
    }
    Ok(())
}

/// The `locale` option's value: a POSIX locale name (`de_DE.UTF-8`, `pt_BR`, `C`).
fn locale(value: &str) -> Result<(), Error> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidArgument(format!(
            "option \"locale\" must be a locale name like de_DE.UTF-8, not {:?}",
            validate::display_text(value, 64)
        )))
    }
}

#[cfg(test)]
mod tests {
    use zbus::zvariant::{OwnedValue, Value};

    use super::*;

    fn with(key: &str, value: Value<'_>) -> Options {
        let mut o = Options::new();
        o.insert(key.to_owned(), OwnedValue::try_from(value).expect("owned"));
        o
    }

    fn refused(opts: &Options, method: Method) -> String {
        match check(opts, method) {
            Err(Error::InvalidArgument(m)) => m,
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn known_options_of_the_right_type_pass() {
        assert!(check(&Options::new(), Method::Confirm).is_ok());
        let ok = [
            (
                options::NO_USER_INTERACTION,
                Value::from(true),
                Method::Confirm,
            ),
            (
                options::ALLOW_USER_INTERACTION,
                Value::from(false),
                Method::Cancel,
            ),
            (options::LOCALE, Value::from("de_DE.UTF-8"), Method::Propose),
            (options::LOCALE, Value::from("C"), Method::Say),
            (
                options::SESSION_KEEP,
                Value::from(true),
                Method::OpenSession,
            ),
        ];
        for (key, value, method) in ok {
            assert!(check(&with(key, value), method).is_ok(), "{key}");
        }
    }

    #[test]
    fn unknown_keys_wrong_types_and_wrong_methods_are_refused_by_name() {
        let m = refused(
            &with("auth.no_user_interation", true.into()),
            Method::Propose,
        );
        assert!(m.contains("\"auth.no_user_interation\""), "{m}");
        assert!(m.contains(options::NO_USER_INTERACTION), "{m}");
        let m = refused(
            &with(options::NO_USER_INTERACTION, Value::from("yes")),
            Method::Confirm,
        );
        assert!(
            m.contains(options::NO_USER_INTERACTION) && m.contains("type b"),
            "{m}"
        );
        let m = refused(&with(options::SESSION_KEEP, true.into()), Method::Propose);
        assert!(
            m.contains("session.keep") && m.contains("OpenSession"),
            "{m}"
        );
        let m = refused(
            &with(options::LOCALE, Value::from("de;rm -rf")),
            Method::Say,
        );
        assert!(m.contains("locale"), "{m}");
    }

    #[test]
    fn every_constant_is_listed_once() {
        let keys: Vec<&str> = SUPPORTED.iter().map(|s| s.key).collect();
        for k in [
            options::NO_USER_INTERACTION,
            options::ALLOW_USER_INTERACTION,
            options::LOCALE,
            options::SESSION_KEEP,
        ] {
            assert_eq!(keys.iter().filter(|x| **x == k).count(), 1, "{k}");
        }
    }
}
