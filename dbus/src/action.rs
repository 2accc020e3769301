//! Installer actions: the canonical JSON form of `shared/spec/actions.md` and the typed D-Bus
//! form `(sa{sv})`.
//!
//! On the bus an action is its `snake_case` kind plus a dictionary of typed fields, e.g.
//! `("set_hostname", {"name": <"box">})` or `("partition", {"disk": <"/dev/sda">,
//! "wipe": <true>, "scheme": <[("/", "rest", "ext4", true)]>})`. Scheme entries are
//! `(s mount, s size, s fs, b encrypt)` with empty strings meaning "planner default".
//! Unknown kinds, unknown keys, missing required keys and wrongly typed values are rejected
//! here, before anything else looks at them; semantic validation is the daemon's.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use zbus::zvariant::{OwnedValue, Value};

/// An action on the bus: `(s kind, a{sv} fields)`.
pub type WireAction = (String, HashMap<String, OwnedValue>);

/// Most actions one request may carry.
pub const MAX_ACTIONS: usize = 64;
/// Longest string value accepted in an action field.
const MAX_FIELD_LEN: usize = 4096;
/// Most partition entries one scheme may hold.
const MAX_SCHEME_ENTRIES: usize = 128;

/// Partition table type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    /// GUID partition table.
    Gpt,
    /// MS-DOS / MBR partition table.
    Mbr,
}

impl TableKind {
    /// The canonical name (`gpt`, `mbr`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gpt => "gpt",
            Self::Mbr => "mbr",
        }
    }
}

/// One partition of a `partition` action's scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionEntry {
    /// `/boot/efi`, `/boot`, `/`, `/home`, another absolute path, or `swap`.
    pub mount: String,
    /// `512M`, `8G`, `20%` or `rest`; absent means the planner's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// `vfat`, `ext4`, `btrfs`, `xfs`, `swap`; absent means the planner's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs: Option<String>,
    /// LUKS2 under the filesystem.
    #[serde(default)]
    pub encrypt: bool,
}

/// A typed installer action. Serde gives the canonical JSON (`{"action": "set_hostname",
/// "name": "box"}`); [`Action::to_wire`] and [`Action::from_wire`] give the D-Bus form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Show the disks.
    ListDisks,
    /// Partition a disk.
    Partition {
        /// Device path.
        disk: String,
        /// Table type; absent means the planner's default for the firmware.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        table: Option<TableKind>,
        /// Whole disk (true, the default) or free space only (false).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wipe: Option<bool>,
        /// Partitions; absent means the planner's default layout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scheme: Option<Vec<PartitionEntry>>,
        /// Create filesystems and mount them (true, the default), or only write the
        /// partitions (false), to be formatted and mounted by hand with `format` and `mount`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        format: Option<bool>,
    },
    /// Format one partition.
    Format {
        /// Partition device path.
        partition: String,
        /// Filesystem.
        fs: String,
    },
    /// Mount one partition in the target tree.
    Mount {
        /// Partition device path.
        partition: String,
        /// Mount point inside the target (`/`, `/home` ...).
        mountpoint: String,
    },
    /// Copy the live system onto the target.
    CopySystem {
        /// Source tree; absent means the running live system.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// Target root; absent means the daemon's target root.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
    },
    /// Install the bootloader.
    InstallBootloader {
        /// A disk for BIOS, or `efi`; absent means decided by the firmware.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
        /// Extra kernel command-line parameters for the installed system
        /// (`console=ttyS0,115200`); printable, no quotes, at most 512 bytes.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kernel_args: Option<String>,
    },
    /// Set the host name.
    SetHostname {
        /// RFC 1123 host name.
        name: String,
    },
    /// Set the time zone.
    SetTimezone {
        /// IANA zone name.
        zone: String,
    },
    /// Set the system locale.
    SetLocale {
        /// `xx_YY.UTF-8`.
        locale: String,
    },
    /// Set the keyboard layout.
    SetKeyboard {
        /// Layout short name (`us`, `de`).
        layout: String,
        /// The layout's XKB variant (`nodeadkeys`, `dvorak`); absent means its usual form.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        variant: Option<String>,
    },
    /// Create a user account.
    CreateUser {
        /// Login name.
        name: String,
        /// Administrator rights; absent means false.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sudo: Option<bool>,
    },
    /// Set a user's password (the secret travels separately).
    SetPassword {
        /// Login name.
        user: String,
    },
    /// Add a user to a group.
    AddToGroup {
        /// Login name.
        user: String,
        /// Group name.
        group: String,
    },
    /// Finish the installation.
    Finish {
        /// Reboot afterwards; absent means ask.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reboot: Option<bool>,
    },
    /// Reboot now.
    Reboot,
    /// Show what has been set so far.
    Status,
    /// Undo the last change.
    Undo,
    /// Explain what the installer can do.
    Help,
    /// Ask the person a question.
    Clarify {
        /// The question.
        question: String,
        /// The answers to pick from when the question asks to choose (disk paths, say);
        /// empty for a free answer. An extension of `shared/spec/actions.md`: the JSON
        /// field `choices` is optional and absent when empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        choices: Vec<String>,
    },
    /// Something the installer does not do.
    Unsupported {
        /// `network`, `packages`, `desktop`, `raid`, `lvm`, `secure_boot` ...
        topic: String,
        /// Why, for people.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

/// Why an action could not be decoded from its wire or JSON form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// The kind is not one of the known actions.
    #[error("unknown action kind {0:?}")]
    UnknownKind(String),
    /// A field the action does not have.
    #[error("action {kind} has no field {key:?}")]
    UnknownField {
        /// Action kind.
        kind: String,
        /// Offending key.
        key: String,
    },
    /// A required field is absent.
    #[error("action {kind} needs the field {key:?}")]
    MissingField {
        /// Action kind.
        kind: &'static str,
        /// Missing key.
        key: &'static str,
    },
    /// A field has the wrong D-Bus type.
    #[error("field {key:?} of action {kind} must have D-Bus type {expected}")]
    WrongType {
        /// Action kind.
        kind: &'static str,
        /// Offending key.
        key: &'static str,
        /// The expected signature.
        expected: &'static str,
    },
    /// A string is longer than any sane value.
    #[error("field {key:?} of action {kind} is longer than {MAX_FIELD_LEN} bytes")]
    TooLong {
        /// Action kind.
        kind: &'static str,
        /// Offending key.
        key: &'static str,
    },
    /// Too many actions or scheme entries.
    #[error("{0}")]
    TooMany(String),
    /// The JSON form does not parse.
    #[error("invalid action JSON: {0}")]
    Json(String),
}

/// Pulls typed fields out of a wire dictionary, remembering which keys were consumed.
struct Fields {
    kind: &'static str,
    map: HashMap<String, OwnedValue>,
}

impl Fields {
    fn take(&mut self, key: &str) -> Option<OwnedValue> {
        self.map.remove(key)
    }

    fn opt_string(&mut self, key: &'static str) -> Result<Option<String>, ActionError> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        let s = match &*v {
            Value::Str(s) => s.as_str().to_owned(),
            _ => {
                return Err(ActionError::WrongType {
                    kind: self.kind,
                    key,
                    expected: "s",
                })
            }
        };
        if s.len() > MAX_FIELD_LEN {
            return Err(ActionError::TooLong {
                kind: self.kind,
                key,
            });
        }
        Ok(Some(s))
    }

    fn string(&mut self, key: &'static str) -> Result<String, ActionError> {
        self.opt_string(key)?.ok_or(ActionError::MissingField {
            kind: self.kind,
            key,
        })
    }

    fn opt_bool(&mut self, key: &'static str) -> Result<Option<bool>, ActionError> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        match &*v {
            Value::Bool(b) => Ok(Some(*b)),
            _ => Err(ActionError::WrongType {
                kind: self.kind,
                key,
                expected: "b",
            }),
        }
    }

    fn opt_strings(&mut self, key: &'static str) -> Result<Option<Vec<String>>, ActionError> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        let list: Vec<String> = Vec::try_from(v).map_err(|_| ActionError::WrongType {
            kind: self.kind,
            key,
            expected: "as",
        })?;
        if list.len() > MAX_SCHEME_ENTRIES
            || list.iter().map(String::len).sum::<usize>() > MAX_FIELD_LEN
        {
            return Err(ActionError::TooLong {
                kind: self.kind,
                key,
            });
        }
        Ok(Some(list))
    }

    fn opt_scheme(
        &mut self,
        key: &'static str,
    ) -> Result<Option<Vec<PartitionEntry>>, ActionError> {
        let Some(v) = self.take(key) else {
            return Ok(None);
        };
        let wrong = ActionError::WrongType {
            kind: self.kind,
            key,
            expected: "a(sssb)",
        };
        let raw: Vec<(String, String, String, bool)> = Vec::try_from(v).map_err(|_| wrong)?;
        if raw.len() > MAX_SCHEME_ENTRIES {
            return Err(ActionError::TooMany(format!(
                "a scheme may hold at most {MAX_SCHEME_ENTRIES} partitions"
            )));
        }
        raw.into_iter()
            .map(|(mount, size, fs, encrypt)| {
                if mount.len() + size.len() + fs.len() > MAX_FIELD_LEN {
                    return Err(ActionError::TooLong {
                        kind: self.kind,
                        key,
                    });
                }
                Ok(PartitionEntry {
                    mount,
                    size: non_empty(size),
                    fs: non_empty(fs),
                    encrypt,
                })
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// Fails on any key that was not consumed.
    fn finish(self) -> Result<(), ActionError> {
        match self.map.into_keys().min() {
            Some(key) => Err(ActionError::UnknownField {
                kind: self.kind.to_owned(),
                key,
            }),
            None => Ok(()),
        }
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Every action kind with its canonical name, so decoding can borrow a `'static` name.
const KINDS: &[&str] = &[
    "list_disks",
    "partition",
    "format",
    "mount",
    "copy_system",
    "install_bootloader",
    "set_hostname",
    "set_timezone",
    "set_locale",
    "set_keyboard",
    "create_user",
    "set_password",
    "add_to_group",
    "finish",
    "reboot",
    "status",
    "undo",
    "help",
    "clarify",
    "unsupported",
];

/// Builds a wire dictionary from optional typed values.
#[derive(Default)]
struct WireBuilder(HashMap<String, OwnedValue>);

impl WireBuilder {
    fn put<'a>(mut self, key: &str, value: impl Into<Value<'a>>) -> Self {
        // Conversions of plain strings, booleans and arrays of them never fail: they carry no
        // file descriptors, which is the only thing that makes `try_from` fail.
        if let Ok(v) = OwnedValue::try_from(value.into()) {
            self.0.insert(key.to_owned(), v);
        }
        self
    }

    fn put_opt<'a, T: Into<Value<'a>>>(self, key: &str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }
}

impl Action {
    /// A keyboard action from a keymap written `layout` or `layout:variant`, the one
    /// string the daemon validates and the target's configuration is written from.
    pub fn keyboard(keymap: &str) -> Action {
        let (layout, variant) = match keymap.split_once(':') {
            Some((l, v)) => (l, Some(v.to_owned())),
            None => (keymap, None),
        };
        Action::SetKeyboard {
            layout: layout.to_owned(),
            variant,
        }
    }

    /// The keymap a keyboard action sets, `layout` or `layout:variant`; `None` for other
    /// actions. An empty variant is the layout's usual form.
    pub fn keymap(&self) -> Option<String> {
        match self {
            Self::SetKeyboard { layout, variant } => Some(match variant.as_deref() {
                Some(v) if !v.is_empty() => format!("{layout}:{v}"),
                _ => layout.clone(),
            }),
            _ => None,
        }
    }

    /// The `snake_case` kind name, as in the canonical JSON's `"action"` field.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ListDisks => "list_disks",
            Self::Partition { .. } => "partition",
            Self::Format { .. } => "format",
            Self::Mount { .. } => "mount",
            Self::CopySystem { .. } => "copy_system",
            Self::InstallBootloader { .. } => "install_bootloader",
            Self::SetHostname { .. } => "set_hostname",
            Self::SetTimezone { .. } => "set_timezone",
            Self::SetLocale { .. } => "set_locale",
            Self::SetKeyboard { .. } => "set_keyboard",
            Self::CreateUser { .. } => "create_user",
            Self::SetPassword { .. } => "set_password",
            Self::AddToGroup { .. } => "add_to_group",
            Self::Finish { .. } => "finish",
            Self::Reboot => "reboot",
            Self::Status => "status",
            Self::Undo => "undo",
            Self::Help => "help",
            Self::Clarify { .. } => "clarify",
            Self::Unsupported { .. } => "unsupported",
        }
    }

    /// Parses a JSON array of actions (the form `interpret --json` prints and `propose`
    /// takes), or a single action object.
    pub fn list_from_json(text: &str) -> Result<Vec<Action>, ActionError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ActionError::Json(e.to_string()))?;
        let list = match value {
            serde_json::Value::Array(items) => items,
            other @ serde_json::Value::Object(_) => vec![other],
            _ => {
                return Err(ActionError::Json(
                    "expected an action object or an array of them".into(),
                ))
            }
        };
        if list.len() > MAX_ACTIONS {
            return Err(ActionError::TooMany(format!(
                "at most {MAX_ACTIONS} actions at once"
            )));
        }
        list.into_iter()
            .map(|v| serde_json::from_value(v).map_err(|e| ActionError::Json(e.to_string())))
            .collect()
    }

    /// The D-Bus form.
    pub fn to_wire(&self) -> WireAction {
        let b = WireBuilder::default();
        let b = match self.clone() {
            Self::ListDisks | Self::Reboot | Self::Status | Self::Undo | Self::Help => b,
            Self::Partition {
                disk,
                table,
                wipe,
                scheme,
                format,
            } => b
                .put("disk", disk)
                .put_opt("table", table.map(TableKind::as_str))
                .put_opt("wipe", wipe)
                .put_opt("format", format)
                .put_opt(
                    "scheme",
                    scheme.map(|s| {
                        s.into_iter()
                            .map(|e| {
                                (
                                    e.mount,
                                    e.size.unwrap_or_default(),
                                    e.fs.unwrap_or_default(),
                                    e.encrypt,
                                )
                            })
                            .collect::<Vec<_>>()
                    }),
                ),
            Self::Format { partition, fs } => b.put("partition", partition).put("fs", fs),
            Self::Mount {
                partition,
                mountpoint,
            } => b.put("partition", partition).put("mountpoint", mountpoint),
            Self::CopySystem { source, target } => {
                b.put_opt("source", source).put_opt("target", target)
            }
            Self::InstallBootloader {
                target,
                kernel_args,
            } => b
                .put_opt("target", target)
                .put_opt("kernel_args", kernel_args),
            Self::SetHostname { name } => b.put("name", name),
            Self::SetTimezone { zone } => b.put("zone", zone),
            Self::SetLocale { locale } => b.put("locale", locale),
            Self::SetKeyboard { layout, variant } => {
                b.put("layout", layout).put_opt("variant", variant)
            }
            Self::CreateUser { name, sudo } => b.put("name", name).put_opt("sudo", sudo),
            Self::SetPassword { user } => b.put("user", user),
            Self::AddToGroup { user, group } => b.put("user", user).put("group", group),
            Self::Finish { reboot } => b.put_opt("reboot", reboot),
            Self::Clarify { question, choices } => b
                .put("question", question)
                .put_opt("choices", (!choices.is_empty()).then_some(choices)),
            Self::Unsupported { topic, reason } => b.put("topic", topic).put_opt("reason", reason),
        };
        (self.kind().to_owned(), b.0)
    }

    /// Decodes the D-Bus form, strictly: unknown kinds and keys, missing fields and wrong
    /// types are errors.
    pub fn from_wire(wire: WireAction) -> Result<Action, ActionError> {
        let (kind, map) = wire;
        let kind = KINDS
            .iter()
            .copied()
            .find(|k| *k == kind)
            .ok_or_else(|| ActionError::UnknownKind(kind.chars().take(64).collect()))?;
        let mut f = Fields { kind, map };
        let action = match kind {
            "list_disks" => Self::ListDisks,
            "partition" => Self::Partition {
                disk: f.string("disk")?,
                table: match f.opt_string("table")?.as_deref() {
                    None | Some("") => None,
                    Some("gpt") => Some(TableKind::Gpt),
                    Some("mbr" | "msdos" | "dos") => Some(TableKind::Mbr),
                    Some(_) => {
                        return Err(ActionError::WrongType {
                            kind,
                            key: "table",
                            expected: "s (\"gpt\" or \"mbr\")",
                        })
                    }
                },
                wipe: f.opt_bool("wipe")?,
                scheme: f.opt_scheme("scheme")?,
                format: f.opt_bool("format")?,
            },
            "format" => Self::Format {
                partition: f.string("partition")?,
                fs: f.string("fs")?,
            },
            "mount" => Self::Mount {
                partition: f.string("partition")?,
                mountpoint: f.string("mountpoint")?,
            },
            "copy_system" => Self::CopySystem {
                source: f.opt_string("source")?,
                target: f.opt_string("target")?,
            },
            "install_bootloader" => Self::InstallBootloader {
                target: f.opt_string("target")?,
                kernel_args: f.opt_string("kernel_args")?,
            },
            "set_hostname" => Self::SetHostname {
                name: f.string("name")?,
            },
            "set_timezone" => Self::SetTimezone {
                zone: f.string("zone")?,
            },
            "set_locale" => Self::SetLocale {
                locale: f.string("locale")?,
            },
            "set_keyboard" => Self::SetKeyboard {
                layout: f.string("layout")?,
                variant: f.opt_string("variant")?,
            },
            "create_user" => Self::CreateUser {
                name: f.string("name")?,
                sudo: f.opt_bool("sudo")?,
            },
            "set_password" => Self::SetPassword {
                user: f.string("user")?,
            },
            "add_to_group" => Self::AddToGroup {
                user: f.string("user")?,
                group: f.string("group")?,
            },
            "finish" => Self::Finish {
                reboot: f.opt_bool("reboot")?,
            },
            "reboot" => Self::Reboot,
            "status" => Self::Status,
            "undo" => Self::Undo,
            "help" => Self::Help,
            "clarify" => Self::Clarify {
                question: f.string("question")?,
                choices: f.opt_strings("choices")?.unwrap_or_default(),
            },
            _ => Self::Unsupported {
                topic: f.string("topic")?,
                reason: f.opt_string("reason")?,
            },
        };
        f.finish()?;
        Ok(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_examples() -> Vec<Action> {
        Action::list_from_json(
            r#"[
            {"action":"list_disks"},
            {"action":"partition","disk":"/dev/sda","table":"gpt","wipe":false,
             "scheme":[{"mount":"/","size":"rest","fs":"btrfs","encrypt":true},{"mount":"swap","size":"8G"}]},
            {"action":"partition","disk":"/dev/sdb"},
            {"action":"format","partition":"/dev/sda2","fs":"xfs"},
            {"action":"mount","partition":"/dev/sda2","mountpoint":"/"},
            {"action":"copy_system"},
            {"action":"install_bootloader","target":"efi"},
            {"action":"set_hostname","name":"box"},
            {"action":"set_timezone","zone":"Europe/Berlin"},
            {"action":"set_locale","locale":"fr_FR.UTF-8"},
            {"action":"set_keyboard","layout":"de"},
            {"action":"set_keyboard","layout":"de","variant":"nodeadkeys"},
            {"action":"create_user","name":"vince","sudo":true},
            {"action":"set_password","user":"vince"},
            {"action":"add_to_group","user":"vince","group":"wheel"},
            {"action":"finish","reboot":false},
            {"action":"reboot"},{"action":"status"},{"action":"undo"},{"action":"help"},
            {"action":"clarify","question":"Which disk?"},
            {"action":"unsupported","topic":"network","reason":"later"}
        ]"#,
        )
        .expect("examples parse")
    }

    #[test]
    fn every_kind_round_trips_through_the_wire_form() {
        let examples = all_examples();
        assert_eq!(examples.len(), KINDS.len() + 2);
        for a in examples {
            let back = Action::from_wire(a.to_wire()).expect("decodes");
            assert_eq!(back, a);
        }
    }

    #[test]
    fn a_keymap_is_a_layout_and_its_variant() {
        let a = Action::keyboard("de:nodeadkeys");
        assert_eq!(
            serde_json::to_string(&a).expect("serializes"),
            r#"{"action":"set_keyboard","layout":"de","variant":"nodeadkeys"}"#
        );
        assert_eq!(a.keymap().as_deref(), Some("de:nodeadkeys"));
        let plain = Action::keyboard("us");
        assert_eq!(
            serde_json::to_string(&plain).expect("serializes"),
            r#"{"action":"set_keyboard","layout":"us"}"#
        );
        assert_eq!(plain.keymap().as_deref(), Some("us"));
    }

    #[test]
    fn canonical_json_matches_the_spec() {
        let a = Action::SetHostname { name: "box".into() };
        assert_eq!(
            serde_json::to_string(&a).expect("serializes"),
            r#"{"action":"set_hostname","name":"box"}"#
        );
        let p = Action::Partition {
            disk: "/dev/sda".into(),
            table: None,
            wipe: Some(true),
            scheme: None,
            format: None,
        };
        assert_eq!(
            serde_json::to_string(&p).expect("serializes"),
            r#"{"action":"partition","disk":"/dev/sda","wipe":true}"#
        );
    }

    #[test]
    fn clarify_carries_its_choices_only_when_there_are_some() {
        let free = Action::Clarify {
            question: "Which user?".into(),
            choices: Vec::new(),
        };
        assert_eq!(
            serde_json::to_string(&free).expect("serializes"),
            r#"{"action":"clarify","question":"Which user?"}"#
        );
        assert!(!free.to_wire().1.contains_key("choices"));
        let pick = Action::list_from_json(
            r#"{"action":"clarify","question":"Which disk?","choices":["/dev/sda","/dev/sdb"]}"#,
        )
        .expect("parses");
        assert_eq!(
            pick[0],
            Action::Clarify {
                question: "Which disk?".into(),
                choices: vec!["/dev/sda".into(), "/dev/sdb".into()],
            }
        );
        assert_eq!(
            Action::from_wire(pick[0].to_wire()).expect("decodes"),
            pick[0]
        );
        let (kind, mut map) = free.to_wire();
        map.insert("choices".into(), OwnedValue::from(7u32));
        assert!(matches!(
            Action::from_wire((kind, map)),
            Err(ActionError::WrongType { key: "choices", .. })
        ));
    }

    #[test]
    fn wire_decoding_is_strict() {
        let mut map = HashMap::new();
        map.insert("name".to_owned(), OwnedValue::from(42u32));
        assert!(matches!(
            Action::from_wire(("set_hostname".into(), map)),
            Err(ActionError::WrongType { key: "name", .. })
        ));
        assert!(matches!(
            Action::from_wire(("set_hostname".into(), HashMap::new())),
            Err(ActionError::MissingField { key: "name", .. })
        ));
        assert!(matches!(
            Action::from_wire(("rm_rf".into(), HashMap::new())),
            Err(ActionError::UnknownKind(_))
        ));
        let (kind, mut map) = Action::Reboot.to_wire();
        map.insert("force".into(), OwnedValue::from(true));
        assert!(matches!(
            Action::from_wire((kind, map)),
            Err(ActionError::UnknownField { .. })
        ));
        let (kind, mut map) = Action::SetHostname { name: "x".into() }.to_wire();
        map.insert(
            "name".into(),
            OwnedValue::try_from(Value::from("x".repeat(MAX_FIELD_LEN + 1))).expect("owned"),
        );
        assert!(matches!(
            Action::from_wire((kind, map)),
            Err(ActionError::TooLong { .. })
        ));
    }

    #[test]
    fn json_errors_are_reported_not_panicked() {
        for bad in [
            "",
            "[",
            "42",
            r#"{"action":"nope"}"#,
            r#"[{"action":"set_hostname"}]"#,
        ] {
            assert!(Action::list_from_json(bad).is_err(), "{bad}");
        }
    }
}
