//! Values a person names in words: sizes, languages, keyboard layouts.

use super::{
    tables,
    text::{edit_distance, fold, strip_articles},
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

/// Whether `said` bytes are about `size` (within a tenth of it): "500 GB" for a 465 GiB disk.
pub(super) fn about(size: u64, said: f64) -> bool {
    #[allow(clippy::cast_precision_loss)]
    let size = size as f64;
    (size - said).abs() <= 0.1 * size
}

fn lookup<'t>(table: &'t [(&str, &str)], key: &str) -> Option<&'t str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// A locale this installer knows: a language it has a name for and a country it knows.
fn known_locale(locale: &str) -> bool {
    let Some((lang, rest)) = locale.split_once('_') else {
        return false;
    };
    let country = rest.split(['.', '@']).next().unwrap_or("");
    validate::locale(locale).is_ok()
        && tables::LANGUAGES
            .iter()
            .any(|(_, l)| l.split('_').next() == Some(lang))
        && tables::LOCALE_COUNTRIES.contains(&country)
}

/// The closest name of a closed table, for a typo in a value that is one of a known few
/// ("swdish"): one edit for short names, two for long ones, and only a unique best.
fn near<'t>(table: &'t [(&str, &str)], key: &str) -> Option<&'t str> {
    let n = key.chars().count();
    let budget = match n {
        0..=4 => return None,
        5..=8 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for (k, v) in table {
        let d = edit_distance(key, k);
        if d > budget {
            continue;
        }
        match best {
            Some((bd, bv)) if d == bd && bv != *v => tie = true,
            Some((bd, _)) if d >= bd => {}
            _ => {
                best = Some((d, v));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(_, v)| v)
}

/// The words of a value, each shorter tail tried after the whole ("i type on a german").
fn tails(f: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(f.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    starts.into_iter().map(move |i| &f[i..])
}

pub(super) fn locale_for(value: &str) -> Option<String> {
    // "Portuguese (Brazil)", "spanish from argentina", "english - uk".
    // ("english but of India": the language, as spoken there.)
    // ("english, the india version": what only says "a variant of it" is dropped.)
    let plain = value.replace(['(', ')'], " ").replace(" but ", " ");
    let plain = plain
        .split_whitespace()
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "version" | "variant" | "flavour" | "flavor" | "style" | "dialect"
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let f = fold(&plain);
    let f = strip_articles(&f);
    // Typed as a locale: en_US.UTF-8, de_de, fr-FR; dictated or typed with spaces
    // ("de de utf8", "en us").
    let spaced: Vec<&str> = f.split_whitespace().collect();
    if let [l, c, rest @ ..] = spaced.as_slice() {
        let utf8 = |w: &[&str]| {
            matches!(
                w,
                [] | ["utf8" | "utf-8" | ".utf8" | ".utf-8"] | ["utf", "8"]
            )
        };
        if l.len() == 2 && c.len() == 2 && utf8(rest) {
            let candidate = format!("{l}_{}.UTF-8", c.to_uppercase());
            if known_locale(&candidate) {
                return Some(candidate);
            }
        }
    }
    let raw = value.trim().replace('-', "_");
    let (base, _) = raw.split_once('.').unwrap_or((raw.as_str(), ""));
    if let Some((l, c)) = base.split_once('_') {
        let candidate = format!("{}_{}.UTF-8", l.to_lowercase(), c.to_uppercase());
        return known_locale(&candidate).then_some(candidate);
    }
    // A language code alone ("lang=fr").
    if f.len() == 2 && f.chars().all(|c| c.is_ascii_lowercase()) {
        if let Some((_, l)) = tables::LANGUAGES
            .iter()
            .find(|(_, l)| l.split('_').next() == Some(f))
        {
            return Some((*l).to_owned());
        }
    }
    let f = f.trim_end_matches(" language").trim();
    if let Some(l) = lookup(tables::LANGUAGES, f).or_else(|| lookup(tables::NATIONALITIES, f)) {
        return Some(l.to_owned());
    }
    // A language and a country, in either order.
    for (country, code) in tables::COUNTRIES {
        for lang in [
            f.strip_suffix(country).map(|l| {
                let l = l.trim_end_matches([' ', '-']);
                // ("english but the india version": the article before the country.)
                let l = l.strip_suffix(" the").unwrap_or(l);
                // "spanish from mexico", "español de México", "português do Brasil".
                [
                    " from", " in", " de", " do", " da", " du", " von", " aus", " of",
                ]
                .iter()
                .find_map(|p| l.strip_suffix(p))
                .unwrap_or(l)
                .trim()
            }),
            f.strip_prefix(country)
                .map(|l| l.trim_start_matches([' ', '-']).trim()),
        ]
        .into_iter()
        .flatten()
        .filter(|l| !l.is_empty())
        {
            // "quebecois french (Canada)": the language is the last words.
            if let Some(base) = lookup(tables::LANGUAGES, lang)
                .or_else(|| tails(lang).find_map(|t| lookup(tables::LANGUAGES, t)))
            {
                let candidate = format!("{}_{code}.UTF-8", base.split('_').next().unwrap_or(""));
                if known_locale(&candidate) {
                    return Some(candidate);
                }
            }
        }
    }
    let found = tails(f)
        .skip(1)
        .find_map(|t| lookup(tables::LANGUAGES, t))
        .map(str::to_owned)
        .or_else(|| near(tables::LANGUAGES, f).map(str::to_owned))
        .or_else(|| tails(f).find_map(country_language));
    found
}

/// The language of a country named alone ("the language they speak in the netherlands"):
/// the first language this installer knows for it.
pub(super) fn country_language(name: &str) -> Option<String> {
    let name = strip_articles(name);
    let code = lookup(tables::COUNTRIES, name)?;
    let suffix = format!("_{code}.UTF-8");
    tables::LANGUAGES
        .iter()
        .map(|(_, l)| *l)
        .chain(tables::NATIONALITIES.iter().map(|(_, l)| *l))
        .find(|l| l.ends_with(&suffix))
        .map(str::to_owned)
}

/// The language of the country a zone is in, where this installer knows it ("Asia/Seoul":
/// Korean).
pub(super) fn language_of_zone(zone: &str) -> Option<String> {
    tables::ZONE_ALIASES
        .iter()
        .filter(|(_, z)| *z == zone)
        .find_map(|(name, _)| country_language(name))
}

/// The keyboard layout that goes with a locale: its country's (`pt_BR`: br, `de_CH`: ch), else
/// its language's (`de_DE`: de).
pub(super) fn keyboard_of_locale(locale: &str) -> Option<String> {
    let (lang, rest) = locale.split_once('_')?;
    let country = rest.split(['.', '@']).next()?.to_lowercase();
    let known = |c: &str| tables::LAYOUT_CODES.contains(&c).then(|| c.to_owned());
    match country.as_str() {
        "gb" | "uk" => Some("gb".into()),
        "us" => Some("us".into()),
        _ => known(&country).or_else(|| known(lang)),
    }
}

pub(super) fn keyboard_for(value: &str) -> Option<String> {
    keyboard_read(value)
        .and_then(|k| known_layout(&k))
        .or_else(|| {
            crate::xkb::XKB
                .as_ref()
                .and_then(|x| x.described_by_words(&fold(value)))
                .and_then(known_layout)
        })
}

/// The layout as this system's XKB list knows it: a variant that only names the layout's
/// usual form ("fr:azerty") is the layout; one the list lacks is asked about (None).
/// Without the list, as read.
pub(super) fn known_layout(layout: &str) -> Option<String> {
    // ("german qwertz": the layout; "czech qwerty": Czech's QWERTY variant; "german
    // azerty", a form no German variant has: the layout.)
    if let Some((base, variant)) = layout.split_once(':') {
        let listed = || crate::xkb::XKB.as_ref().is_some_and(|x| x.knows(layout));
        if crate::xkb::USUAL_FORMS.contains(&variant)
            && (crate::xkb::is_usual_form(base, variant) || !listed())
        {
            return Some(base.to_owned());
        }
    }
    crate::xkb::XKB
        .as_ref()
        .is_none_or(|x| x.knows(layout))
        .then(|| layout.to_owned())
}

fn keyboard_read(value: &str) -> Option<String> {
    // "fr:afnor", "us(intl)": a layout and variant the XKB list names, as they are
    // (`keyboard_for` then reads a usual form, "fr:azerty", as its layout).
    if let Some(c) = super::patterns::LAYOUT_CODE.captures(value.trim()) {
        let code = format!("{}:{}", &c["l"], &c["v"]);
        if crate::xkb::XKB.as_ref().is_some_and(|x| x.knows(&code)) {
            return Some(code);
        }
    }
    // "'br' abnt2 (brazil)": quotes say nothing, and a country named after a layout that
    // is not otherwise known repeats it.
    let value = value.replace(['\'', '"'], " ");
    // "bépo" alone: the French layout's variant it only is ("gb:bepo" is no layout).
    if fold(&value).trim() == "bepo" {
        return Some("fr:bepo".into());
    }
    // "azerty from belgium", "german (switzerland)": the country's own layout, where it has
    // one and the rest names a plain layout (a variant, "dvorak (us)", is kept).
    let folded = fold(&value.replace(['(', ')'], " "));
    let in_country = tables::COUNTRIES.iter().find_map(|(c, code)| {
        let rest = folded.trim().strip_suffix(c)?;
        if !rest.is_empty() && !rest.ends_with(' ') {
            return None;
        }
        let rest = rest.trim();
        let rest = [" from", " in", " of", " for", " as in", " like in"]
            .iter()
            .find_map(|p| rest.strip_suffix(p))
            .unwrap_or(rest)
            .trim();
        let code = code.to_lowercase();
        (!rest.is_empty()
            && tables::LAYOUT_CODES.contains(&code.as_str())
            && keyboard_named(rest).is_some_and(|k| !k.contains(':')))
        .then_some(code)
    });
    if in_country.is_some() {
        return in_country;
    }
    keyboard_named(&value).or_else(|| {
        let folded = folded.trim();
        tables::COUNTRIES.iter().find_map(|(c, _)| {
            folded
                .strip_suffix(c)
                .filter(|r| r.ends_with(' '))
                .and_then(|r| keyboard_named(r.trim()))
        })
    })
}

fn keyboard_named(value: &str) -> Option<String> {
    // "de-latin1-nodeadkeys": the console's name of the layout.
    let plain = value
        .replace(['(', ')', '-', '_', ':'], " ")
        .replace(" latin1", "");
    let f = fold(&plain);
    // "a german one", "the french style": the words around the name are not part of it.
    let mut f = strip_articles(&f).trim();
    // "a Russian one too": what follows the name adds nothing.
    for tail in [" too", " as well", " also", " please", " only", " just"] {
        f = f.strip_suffix(tail).unwrap_or(f).trim();
    }
    // "normal US", "the standard german one": the usual form, which the name already is.
    for lead in [
        "normal ",
        "standard ",
        "regular ",
        "plain ",
        "usual ",
        "classic ",
        "just ",
    ] {
        f = f.strip_prefix(lead).unwrap_or(f).trim();
    }
    for filler in [
        " one",
        " style",
        " layout",
        " keyboard",
        " keys",
        " type",
        " version",
    ] {
        f = f.trim_end_matches(filler).trim();
    }
    let f = f.strip_prefix("my ").unwrap_or(f);
    // "en español de España", "en français du Canada": where, else the language (a
    // country's own layout says more: Brazil's is not Portugal's).
    let f = f.strip_prefix("en ").unwrap_or(f);
    if let Some((lang, region)) = [" de ", " del ", " du ", " da ", " do "]
        .iter()
        .find_map(|sep| f.split_once(sep))
    {
        let country = lookup(tables::COUNTRIES, region.trim())
            .map(str::to_lowercase)
            .filter(|c| tables::LAYOUT_CODES.contains(&c.as_str()));
        if let Some(k) = country
            .or_else(|| keyboard_named(region))
            .or_else(|| keyboard_named(lang))
        {
            return Some(k);
        }
    }
    let simple = |f: &str| -> Option<String> {
        if let Some(code) = tables::LAYOUT_CODES.iter().find(|c| **c == f) {
            return Some((*code).to_owned());
        }
        lookup(tables::KEYBOARDS, f).map(str::to_owned)
    };
    if let Some(k) = simple(f) {
        return Some(k);
    }
    // ("Keyboard layout: United Kingdom": a country whose code is a layout's.)
    if let Some(k) = lookup(tables::COUNTRIES, f)
        .map(str::to_lowercase)
        .filter(|c| tables::LAYOUT_CODES.contains(&c.as_str()))
    {
        return Some(k);
    }
    // "latin american spanish", "swiss french": a layout named by its region and language.
    if let Some((region, lang)) = f.rsplit_once(' ') {
        if lookup(tables::LANGUAGES, lang).is_some() {
            if let Some(k) = simple(region) {
                return Some(k);
            }
        }
    }
    // A layout and a variant, in either order: "fr bepo", "us international", "dvorak uk".
    for (name, variant) in tables::KEYBOARD_VARIANTS {
        let rest = f
            .strip_suffix(name)
            .map(str::trim)
            .or_else(|| f.strip_prefix(name).map(str::trim));
        if let Some(base) = rest.filter(|r| !r.is_empty()).and_then(simple) {
            let base = base.split(':').next().unwrap_or_default().to_owned();
            // "french azerty", "german qwertz": the variant is the layout's own name.
            if lookup(tables::KEYBOARDS, name) == Some(base.as_str()) {
                return Some(base);
            }
            let layout = format!("{base}:{variant}");
            if let Some(known) = known_layout(&layout) {
                return Some(known);
            }
        }
    }
    let found = tails(f)
        .skip(1)
        .find_map(simple)
        .or_else(|| near(tables::KEYBOARDS, f).map(str::to_owned));
    found
}

/// The country code of a zone, where this installer knows it ("America/Toronto": CA).
pub(super) fn zone_country(zone: &str) -> Option<&'static str> {
    tables::ZONE_ALIASES
        .iter()
        .filter(|(_, z)| *z == zone)
        .find_map(|(name, _)| lookup(tables::COUNTRIES, name))
        .or_else(|| {
            tables::MULTI_ZONE_COUNTRIES
                .iter()
                .find(|(_, _, zones)| zones.contains(&zone))
                .and_then(|(names, ..)| names.iter().find_map(|n| lookup(tables::COUNTRIES, n)))
        })
}

/// A language said alone beside a place ("I live in Montréal and I speak French"): the
/// language as spoken in the place's country (`fr_CA`), where that locale exists; a
/// language said with its own country ("French from France", `fr_FR`) stays.
pub(super) fn language_in_place(locale: &str, zone: &str, text: &str) -> Option<String> {
    let lang = locale.split('_').next()?;
    // Only the language's plain value: "British English" (en_GB) is already placed.
    let plain = tables::LANGUAGES
        .iter()
        .find(|(_, l)| l.split('_').next() == Some(lang))
        .map(|(_, l)| *l)?;
    if plain != locale {
        return None;
    }
    let code = zone_country(zone)?;
    let own = locale.split(['_', '.']).nth(1)?;
    if code == own {
        return None;
    }
    let f = fold(text);
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .collect();
    let said_own = f.contains(&locale[..5].to_lowercase())
        || f.contains(&locale[..5].to_lowercase().replace('_', "-"))
        || tables::COUNTRIES.iter().any(|(name, c)| {
            *c == own && {
                let n: Vec<&str> = name.split(' ').collect();
                words.windows(n.len()).any(|w| w == n.as_slice())
            }
        });
    if said_own {
        return None;
    }
    let candidate = format!("{lang}_{code}.UTF-8");
    known_locale(&candidate).then_some(candidate)
}
