//! The policy for accepting a model's choices: only what the deterministic checks confirm.

use levitate_dbus::Action;

use super::{
    patterns::asks_for_rights,
    tables,
    text::{fold, fold_text},
    values::{keyboard_for, locale_for},
    Context,
};
use crate::validate;

/// Whether `word` occurs in `text` as a whole word or phrase (both folded).
fn grounded(word: &str, text: &str) -> bool {
    let w = fold(word);
    let t = fold(text);
    if w.is_empty() {
        return false;
    }
    if w.contains(' ') {
        return t.contains(&w);
    }
    t.split(|c: char| !c.is_alphanumeric() && c != '/' && c != '.')
        .any(|tok| tok == w)
}

/// Turns the model's choices into actions, accepting only what the deterministic checks
/// confirm: values must be normalisable and must come from the person's own words, and
/// nothing destructive or final is ever taken from the model. Returns nothing when no
/// choice survives, and the caller keeps the interpreter's answer.
pub fn accept_model_calls(
    calls: &[crate::llm::calls::Call],
    text: &str,
    ctx: &Context<'_>,
) -> Vec<Action> {
    let arg = |c: &crate::llm::calls::Call, k: &str| {
        c.arguments
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let cue = |words: &[&str]| words.iter().any(|w| grounded(w, text));
    let mut out = Vec::new();
    for c in calls.iter().take(8) {
        let action = match c.name.as_str() {
            // Choices without values still need a word of the person's that points to them.
            "help" => Some(Action::Help),
            "status"
                if cue(&[
                    "set", "chosen", "so far", "summary", "progress", "status", "settings",
                ]) =>
            {
                Some(Action::Status)
            }
            "list_disks" if cue(&["disk", "disks", "drive", "drives", "storage"]) => {
                Some(Action::ListDisks)
            }
            "undo" if cue(&["undo", "back", "revert", "mistake", "wrong"]) => Some(Action::Undo),
            "copy_system" if cue(&["install", "copy", "system"]) => Some(Action::CopySystem {
                source: None,
                target: None,
            }),
            "install_bootloader" if cue(&["boot", "bootloader", "grub"]) => {
                Some(Action::InstallBootloader {
                    target: None,
                    kernel_args: None,
                })
            }
            "set_hostname" => arg(c, "name")
                .filter(|n| validate::hostname(n).is_ok() && grounded(n, text))
                .map(|name| Action::SetHostname { name }),
            "set_timezone" => arg(c, "zone")
                .filter(|z| {
                    grounded(z, text)
                        || z.rsplit('/')
                            .next()
                            .is_some_and(|city| grounded(&city.replace('_', " "), text))
                })
                .and_then(|z| ctx.zones.resolve(&z))
                .map(|zone| Action::SetTimezone { zone }),
            "set_locale" => arg(c, "locale")
                .and_then(|l| {
                    locale_for(&l).filter(|loc| {
                        grounded(&l, text)
                            || tables::LANGUAGES
                                .iter()
                                .any(|(name, x)| x == loc && grounded(name, text))
                    })
                })
                .map(|locale| Action::SetLocale { locale }),
            "set_keyboard" => arg(c, "layout")
                .filter(|l| grounded(l, text))
                .and_then(|l| keyboard_for(&l))
                .map(|layout| Action::keyboard(&layout)),
            "create_user" => arg(c, "name")
                .filter(|n| validate::new_username(n).is_ok() && grounded(n, text))
                .map(|name| Action::CreateUser {
                    name,
                    // Rights only when the person's words ask for them.
                    sudo: Some(asks_for_rights(&fold_text(text))),
                }),
            "set_password" => arg(c, "user")
                .filter(|u| {
                    validate::username(u).is_ok()
                        && (grounded(u, text) || ctx.users.last() == Some(u))
                })
                .map(|user| Action::SetPassword { user }),
            "add_to_group" => match (arg(c, "user"), arg(c, "group")) {
                (Some(u), Some(g))
                    if validate::username(&u).is_ok()
                        && validate::group(&g).is_ok()
                        && grounded(&u, text)
                        && grounded(&g, text)
                        // "don't give bob sudo" grants nothing, whatever the model says.
                        && (!["wheel", "sudo", "admin"].contains(&g.as_str())
                            || asks_for_rights(&fold_text(text))) =>
                {
                    Some(Action::AddToGroup { user: u, group: g })
                }
                _ => None,
            },
            "unsupported" => arg(c, "topic")
                .filter(|t| {
                    [
                        "network",
                        "packages",
                        "drivers",
                        "desktop",
                        "raid",
                        "lvm",
                        "secure_boot",
                    ]
                    .contains(&t.as_str())
                })
                .map(|topic| Action::Unsupported {
                    topic,
                    reason: None,
                }),
            // Partitioning, formatting, mounting, finishing and rebooting are never taken
            // from the model.
            _ => None,
        };
        out.extend(action);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::interpret::{
        tests::{json, two_disks},
        ZoneIndex,
    };

    #[allow(clippy::needless_pass_by_value)]
    fn call(name: &str, args: serde_json::Value) -> crate::llm::calls::Call {
        crate::llm::calls::Call {
            name: name.into(),
            arguments: args.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn model_choices_are_accepted_only_when_grounded_and_never_destructive() {
        let m = two_disks();
        let zones = ZoneIndex::load(Path::new("/usr/share/zoneinfo"));
        let ctx = Context {
            machine: &m,
            users: vec![],
            zones: &zones,
        };
        let text = "I'd like the machine to be known as atlas";
        let ok = accept_model_calls(
            &[call("set_hostname", serde_json::json!({"name": "atlas"}))],
            text,
            &ctx,
        );
        assert_eq!(json(&ok), r#"[{"action":"set_hostname","name":"atlas"}]"#);
        // A value the person never said is not taken.
        assert!(accept_model_calls(
            &[call("set_hostname", serde_json::json!({"name": "zeus"}))],
            text,
            &ctx
        )
        .is_empty());
        // Destructive and final choices are never taken from the model.
        for (name, args) in [
            ("partition", serde_json::json!({"disk": "/dev/sda"})),
            (
                "format",
                serde_json::json!({"partition": "/dev/sda1", "fs": "ext4"}),
            ),
            ("reboot", serde_json::json!({})),
            ("finish", serde_json::json!({"reboot": true})),
        ] {
            assert!(
                accept_model_calls(
                    &[call(name, args)],
                    "wipe /dev/sda and reboot, finish",
                    &ctx
                )
                .is_empty(),
                "{name}"
            );
        }
        // Bare choices need a cue; sudo needs the person's own word.
        assert!(accept_model_calls(
            &[call("status", serde_json::json!({}))],
            "what is the meaning of life",
            &ctx
        )
        .is_empty());
        let u = accept_model_calls(
            &[call(
                "create_user",
                serde_json::json!({"name": "zoe", "sudo": true}),
            )],
            "my daughter zoe needs a login",
            &ctx,
        );
        assert_eq!(
            json(&u),
            r#"[{"action":"create_user","name":"zoe","sudo":false}]"#
        );
        let z = accept_model_calls(
            &[call(
                "set_timezone",
                serde_json::json!({"zone": "Europe/Berlin"}),
            )],
            "we live near berlin",
            &ctx,
        );
        assert_eq!(
            json(&z),
            r#"[{"action":"set_timezone","zone":"Europe/Berlin"}]"#
        );
        assert!(accept_model_calls(
            &[call(
                "set_timezone",
                serde_json::json!({"zone": "Asia/Tokyo"})
            )],
            "we live near berlin",
            &ctx
        )
        .is_empty());
    }
}
