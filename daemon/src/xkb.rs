//! The keyboard layouts and variants that exist, read from the XKB rules list
//! (`/usr/share/X11/xkb/rules/base.lst`, package xkb-data) of this machine: what the live
//! system can set is what its XKB data knows. Two uses: a `layout:variant` is checked
//! against it, and the descriptions other installers show ("English (US, intl., with dead
//! keys)", "French (AZERTY, AFNOR)") are read as the layouts they name.

use std::{collections::HashSet, path::Path, sync::LazyLock};

use regex::Regex;

/// Where Debian's xkb-data keeps the list.
pub const BASE_LST: &str = "/usr/share/X11/xkb/rules/base.lst";

/// Variant names that can be a layout's usual form ("French (AZERTY)", "br abnt2"): said
/// with the layout whose usual form they are, people mean the layout itself.
pub const USUAL_FORMS: &[&str] = &["qwerty", "qwertz", "azerty", "abnt2", "abnt"];

/// Whether `variant` (one of [`USUAL_FORMS`]) is how `layout` is anyway: AZERTY for French
/// and Belgian, QWERTZ for German and most of central Europe, QWERTY for the rest. "Czech
/// (QWERTY)" and "German (QWERTY)" are variants of their own.
pub fn is_usual_form(layout: &str, variant: &str) -> bool {
    const AZERTY: &[&str] = &["fr", "be"];
    const QWERTZ: &[&str] = &[
        "de", "at", "ch", "cz", "sk", "hu", "si", "hr", "rs", "ba", "me",
    ];
    match variant {
        "abnt2" | "abnt" => true,
        "azerty" => AZERTY.contains(&layout),
        "qwertz" => QWERTZ.contains(&layout),
        "qwerty" => !AZERTY.contains(&layout) && !QWERTZ.contains(&layout),
        _ => false,
    }
}

/// The layouts and variants of one rules list.
#[derive(Debug, Default)]
pub struct Xkb {
    layouts: HashSet<String>,
    variants: HashSet<(String, String)>,
    /// Each qualified description ("German (no dead keys)") and its `layout[:variant]`.
    described: Vec<(Vec<String>, String)>,
    /// All of `described` as one pattern, longest descriptions first.
    pattern: Option<Regex>,
}

/// The list of this machine, read once; None where xkb-data is not installed (then
/// layouts are checked by their form only).
pub static XKB: LazyLock<Option<Xkb>> = LazyLock::new(|| Xkb::load(Path::new(BASE_LST)));

/// The words of a description, lower case: "English (US, intl., with dead keys)" ->
/// english us intl with dead keys.
fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl Xkb {
    pub fn load(path: &Path) -> Option<Self> {
        Self::parse(&std::fs::read_to_string(path).ok()?)
    }

    /// Reads the `! layout` and `! variant` sections; None if there is no layout.
    pub fn parse(text: &str) -> Option<Self> {
        let mut x = Self::default();
        let mut section = "";
        for line in text.lines() {
            if let Some(name) = line.strip_prefix('!') {
                section = match name.trim() {
                    "layout" => "layout",
                    "variant" => "variant",
                    _ => "",
                };
                continue;
            }
            let mut parts = line.trim().splitn(2, char::is_whitespace);
            let (Some(name), Some(desc)) = (parts.next(), parts.next()) else {
                continue;
            };
            let desc = desc.trim();
            let (code, desc) = match section {
                "layout" => {
                    x.layouts.insert(name.to_owned());
                    (name.to_owned(), desc)
                }
                "variant" => {
                    let Some((layout, desc)) = desc.split_once(':') else {
                        continue;
                    };
                    x.variants.insert((layout.to_owned(), name.to_owned()));
                    if is_usual_form(layout, name) {
                        (layout.to_owned(), desc.trim())
                    } else {
                        (format!("{layout}:{name}"), desc.trim())
                    }
                }
                _ => continue,
            };
            // Only descriptions with a qualifier in parentheses: a bare language
            // ("German") is read by the interpreter's own tables.
            if desc.contains('(') {
                x.described.push((words_of(desc), code));
            }
        }
        if x.layouts.is_empty() {
            return None;
        }
        x.described.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let alternatives: Vec<String> = x
            .described
            .iter()
            .map(|(w, _)| {
                let w: Vec<String> = w.iter().map(|w| regex::escape(w)).collect();
                format!("(?:{})", w.join(r"[\s.,()/:-]+"))
            })
            .collect();
        x.pattern = Regex::new(&format!(
            r"(?i)\b(?:{})\b(?:\.?\))?",
            alternatives.join("|")
        ))
        .ok();
        Some(x)
    }

    /// Whether `layout` or `layout:variant` exists.
    pub fn knows(&self, layout: &str) -> bool {
        match layout.split_once(':') {
            None => self.layouts.contains(layout),
            Some((l, v)) => self.variants.contains(&(l.to_owned(), v.to_owned())),
        }
    }

    /// The layout a description names when its words are said with others around or
    /// between them ("Romanian keyboard (standard)", "programmer dvorak"): every word said
    /// (fillers aside, at least two) is one of the description's, and of the description's
    /// only its language may go unsaid. Several such: the US one, else none.
    pub fn described_by_words(&self, text: &str) -> Option<&str> {
        const FILLERS: &[&str] = &[
            "keyboard", "keymap", "layout", "the", "a", "an", "variant", "version", "but", "with",
            "please", "one", "kb", "style", "type",
        ];
        let said: Vec<String> = words_of(text)
            .into_iter()
            .filter(|w| !FILLERS.contains(&w.as_str()))
            .collect();
        if said.len() < 2 {
            return None;
        }
        let found: Vec<&str> = self
            .described
            .iter()
            .filter(|(words, _)| {
                said.iter().all(|w| words.contains(w))
                    && words.iter().skip(1).all(|w| said.contains(w))
            })
            .map(|(_, code)| code.as_str())
            .collect();
        match found.as_slice() {
            [one] => Some(one),
            _ => found.iter().find(|c| c.starts_with("us:")).copied(),
        }
    }

    /// Each description in `text`, with where it is and the layout it names.
    pub fn descriptions_in(&self, text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
        let Some(p) = &self.pattern else {
            return Vec::new();
        };
        p.find_iter(text)
            .filter_map(|m| {
                let said = words_of(m.as_str());
                self.described
                    .iter()
                    .find(|(w, _)| *w == said)
                    .map(|(_, code)| (m.range(), code.as_str()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "! model\n  pc105           Generic 105-key PC\n\n! layout\n  us              English (US)\n  de              German\n  fr              French\n  ch              German (Switzerland)\n\n! variant\n  intl            us: English (US, intl., with dead keys)\n  nodeadkeys      de: German (no dead keys)\n  afnor           fr: French (AZERTY, AFNOR)\n\n! option\n  grp             Switching to another layout\n";

    #[test]
    fn descriptions_said_with_other_words_and_usual_forms() {
        let list = "! layout\n  us  English (US)\n  ro  Romanian\n  pl  Polish\n  cz  Czech\n  fr  French\n\n! variant\n  std  ro: Romanian (standard)\n  dvp  us: English (programmer Dvorak)\n  dvp  pl: Polish (programmer Dvorak)\n  qwerty  cz: Czech (QWERTY)\n  azerty  fr: French (AZERTY)\n";
        let x = Xkb::parse(list).expect("list");
        assert_eq!(
            x.described_by_words("romanian keyboard (standard)"),
            Some("ro:std")
        );
        // The language unsaid, two languages have it: the US one.
        assert_eq!(x.described_by_words("programmer dvorak"), Some("us:dvp"));
        assert_eq!(
            x.described_by_words("polish programmer dvorak"),
            Some("pl:dvp")
        );
        // One word, or a word no description has: nothing.
        assert_eq!(x.described_by_words("romanian"), None);
        assert_eq!(x.described_by_words("romanian fancy"), None);
        // A usual form is the layout; Czech's QWERTY is a variant of its own.
        assert_eq!(x.described_by_words("french azerty"), Some("fr"));
        assert_eq!(
            x.described_by_words("czech qwerty layout"),
            Some("cz:qwerty")
        );
        assert!(is_usual_form("de", "qwertz") && !is_usual_form("de", "qwerty"));
        assert!(is_usual_form("us", "qwerty") && !is_usual_form("pl", "qwertz"));
    }

    #[test]
    fn layouts_and_variants_are_known_by_name() {
        let x = Xkb::parse(LIST).expect("list");
        assert!(x.knows("us") && x.knows("de:nodeadkeys") && x.knows("fr:afnor"));
        assert!(!x.knows("us:nodeadkeys") && !x.knows("xx") && !x.knows("pc105"));
        assert!(Xkb::parse("! model\n  pc105  Generic\n").is_none());
    }

    #[test]
    fn descriptions_are_found_with_or_without_their_punctuation() {
        let x = Xkb::parse(LIST).expect("list");
        let found = |t: &str| -> Vec<String> {
            x.descriptions_in(t)
                .into_iter()
                .map(|(_, c)| c.to_owned())
                .collect()
        };
        assert_eq!(
            found("variant: English (US, intl., with dead keys)"),
            ["us:intl"]
        );
        assert_eq!(found("english us intl with dead keys"), ["us:intl"]);
        assert_eq!(found("French (AZERTY, AFNOR) please"), ["fr:afnor"]);
        assert_eq!(found("keyboard German (Switzerland)"), ["ch"]);
        assert!(found("keyboard German").is_empty());
    }
}
