//! Values a person names in words: sizes, languages, keyboard layouts.

use super::{
    tables,
    text::{fold, strip_articles},
};
use crate::validate;

/// `512M`-style size from a number and a spoken unit.
pub(super) fn size_token(n: &str, unit: &str) -> String {
    let u = match unit.chars().next() {
        Some('t') => "T",
        Some('m') => "M",
        _ => "G",
    };
    format!("{n}{u}")
}

pub(super) fn size_bytes(n: &str, unit: &str) -> Option<(f64, f64)> {
    let v: f64 = n.parse().ok()?;
    let (dec, bin) = match unit.chars().next() {
        Some('t') => (1e12, 1_099_511_627_776.0),
        Some('m') => (1e6, 1_048_576.0),
        _ => (1e9, 1_073_741_824.0),
    };
    Some((v * dec, v * bin))
}

fn lookup<'t>(table: &'t [(&str, &str)], key: &str) -> Option<&'t str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

pub(super) fn locale_for(value: &str) -> Option<String> {
    let f = fold(value);
    let f = strip_articles(&f);
    // Typed as a locale: en_US.UTF-8, de_de, fr-FR.
    let raw = value.trim().replace('-', "_");
    let (base, _) = raw.split_once('.').unwrap_or((raw.as_str(), ""));
    if let Some((l, c)) = base.split_once('_') {
        let candidate = format!("{}_{}.UTF-8", l.to_lowercase(), c.to_uppercase());
        if validate::locale(&candidate).is_ok() {
            return Some(candidate);
        }
    }
    lookup(tables::LANGUAGES, f)
        .or_else(|| lookup(tables::LANGUAGES, f.trim_end_matches(" language")))
        .map(str::to_owned)
}

pub(super) fn keyboard_for(value: &str) -> Option<String> {
    let f = fold(value);
    let f = strip_articles(&f).trim_end_matches(" layout").trim();
    if let Some(code) = tables::LAYOUT_CODES.iter().find(|c| **c == f) {
        return Some((*code).to_owned());
    }
    lookup(tables::KEYBOARDS, f).map(str::to_owned)
}
