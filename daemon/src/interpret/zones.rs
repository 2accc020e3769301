//! Time zone names from the zone database, found by city, alias, or near-miss spelling.

use std::{fs, path::Path};

use super::{fold, tables::ZONE_ALIASES};

/// Regions whose entries are canonical `Region/City` zones (the rest are legacy links).
const REGIONS: &[&str] = &[
    "America",
    "Europe",
    "Asia",
    "Africa",
    "Australia",
    "Pacific",
    "Atlantic",
    "Indian",
    "Antarctica",
    "Arctic",
];

/// States of the US, named after a city ("phoenix arizona", "austin tx").
const US_STATES: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "new hampshire",
    "new jersey",
    "new mexico",
    "new york",
    "north carolina",
    "north dakota",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "rhode island",
    "south carolina",
    "south dakota",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "washington",
    "west virginia",
    "wisconsin",
    "wyoming",
    "az",
    "ca",
    "tx",
    "ny",
    "wa",
    "or",
    "co",
    "il",
    "fl",
    "ma",
    "ga",
    "nc",
    "mi",
    "oh",
    "pa",
    "nj",
    "mn",
    "ut",
];

pub struct ZoneIndex {
    /// (IANA name, folded city)
    zones: Vec<(String, String)>,
}

impl ZoneIndex {
    /// Reads the zone names under `dir` (normally `/usr/share/zoneinfo`).
    pub fn load(dir: &Path) -> Self {
        let mut zones = Vec::new();
        for region in REGIONS {
            collect(&dir.join(region), region, &mut zones);
        }
        zones.sort();
        Self { zones }
    }

    /// The IANA name for what a person typed, if there is exactly one good match.
    pub fn resolve(&self, text: &str) -> Option<String> {
        self.lookup(text, true)
    }

    /// A zone named exactly (no typo allowed), for words that may not be a place at all
    /// ("put me on berlin time" is; "at the same time" is not).
    pub(super) fn resolve_exact(&self, text: &str) -> Option<String> {
        // ("la lingua italiana", "la contraseña": the article, not Los Angeles, which is
        // written "LA" where it is meant in passing.)
        if matches!(text.trim(), "la" | "La") {
            return None;
        }
        self.lookup(text, false)
    }

    fn lookup(&self, text: &str, typos: bool) -> Option<String> {
        if let Some(z) = self.lookup_one(text, false) {
            return Some(z);
        }
        let q = fold(text);
        let words: Vec<&str> = q.split_whitespace().collect();
        // "plain UTC", "just berlin": a word before the name that says nothing of it.
        if let [first, rest @ ..] = words.as_slice() {
            let filler = [
                "plain", "just", "simple", "straight", "pure", "regular", "normal", "good", "old",
                "only", "set", "use",
            ];
            if filler.contains(first) && !rest.is_empty() {
                return self.lookup(&rest.join(" "), typos);
            }
        }
        // "phoenix arizona", "portland, oregon", "paris france": a city, then the state or
        // country it is in (which says nothing more).
        for k in 1..words.len() {
            let tail = words[k..].join(" ");
            let tail = tail.trim_start_matches(',').trim();
            let region = ZONE_ALIASES.iter().any(|(a, _)| *a == tail)
                || super::tables::COUNTRIES.iter().any(|(c, _)| *c == tail)
                || US_STATES.contains(&tail);
            if region {
                let head = words[..k].join(" ");
                if let Some(z) = self.lookup_one(head.trim_end_matches(','), false) {
                    return Some(z);
                }
                // ("sidney australia": a city mistyped, taken only when its zone is in the
                // country named.)
                let country = || {
                    super::tables::COUNTRIES
                        .iter()
                        .find(|(c, _)| *c == tail)
                        .map(|(_, code)| *code)
                };
                if let Some(code) = typos.then(country).flatten() {
                    if let Some(z) = self
                        .lookup_one(head.trim_end_matches(','), true)
                        .filter(|z| super::values::zone_country(z) == Some(code))
                    {
                        return Some(z);
                    }
                }
            }
        }
        if typos {
            self.lookup_one(text, true)
        } else {
            None
        }
    }

    fn lookup_one(&self, text: &str, typos: bool) -> Option<String> {
        let q = fold(text);
        let mut q = q.trim();
        // "the mountain time zone", "central european time": the noun is not the name.
        for noun in [
            " time zone",
            " timezone",
            " zone",
            " standard time",
            " daylight time",
            " time",
        ] {
            if let Some(rest) = q.strip_suffix(noun).filter(|r| !r.trim().is_empty()) {
                q = rest.trim();
                break;
            }
        }
        // "US central", "U.S. Eastern": the country says nothing more.
        for country in ["us ", "u.s. ", "usa ", "american "] {
            if let Some(rest) = q.strip_prefix(country).filter(|r| {
                [
                    "eastern", "central", "mountain", "pacific", "alaska", "hawaii",
                ]
                .contains(&r.trim())
            }) {
                q = rest.trim();
            }
        }
        if q.is_empty() {
            return None;
        }
        // ("tz Etc/UTC": the name typed, which is as canonical as UTC.)
        if q == "etc/utc" {
            return Some("Etc/UTC".into());
        }
        if matches!(
            q,
            "utc" | "etc utc" | "etc/gmt" | "gmt" | "zulu" | "etc/universal"
        ) {
            return Some("UTC".into());
        }
        // (Read in the text as typed: folding makes the minus a space.)
        if let Some(z) = offset_zone(&text.trim().to_lowercase()) {
            return Some(z);
        }
        // A full name, typed with any case and spaces for underscores.
        if text.contains('/') {
            let wanted = q.replace(' ', "_");
            if let Some((z, _)) = self
                .zones
                .iter()
                .find(|(z, _)| fold(z).replace(' ', "_") == wanted)
            {
                return Some(z.clone());
            }
            // ("Europe/Frankfurt": no such zone. A name typed whole is corrected only for a
            // typo in it, never turned into another city's zone.)
            let region = wanted.split('/').next().unwrap_or("");
            let known_region = self
                .zones
                .iter()
                .any(|(z, _)| fold(z).split('/').next() == Some(region));
            if known_region && !ZONE_ALIASES.iter().any(|(a, _)| *a == q) {
                if !typos {
                    return None;
                }
                let near: Vec<&String> = self
                    .zones
                    .iter()
                    .map(|(z, _)| z)
                    .filter(|z| super::edit_distance(&fold(z).replace(' ', "_"), &wanted) <= 2)
                    .collect();
                return match near.as_slice() {
                    [one] => Some((*one).clone()),
                    _ => None,
                };
            }
        }
        if let Some((_, z)) = ZONE_ALIASES.iter().find(|(a, _)| *a == q) {
            return Some((*z).to_owned());
        }
        let city = q.rsplit('/').next().unwrap_or(q).trim();
        if let Some((z, _)) = self.zones.iter().find(|(_, c)| c == city) {
            return Some(z.clone());
        }
        if !typos {
            return None;
        }
        // Typos: one edit for short names, two for long ones, and only a unique best.
        let budget = match city.chars().count() {
            0..=4 => return None,
            5..=8 => 1,
            _ => 2,
        };
        let candidates = self
            .zones
            .iter()
            .map(|(z, c)| (z.as_str(), c.as_str()))
            .chain(ZONE_ALIASES.iter().map(|(a, z)| (*z, *a)));
        let mut best: Option<(usize, &str)> = None;
        let mut tie = false;
        for (zone, name) in candidates {
            let d = super::edit_distance(city, name);
            if d > budget {
                continue;
            }
            match best {
                Some((bd, bz)) if d == bd && bz != zone => tie = true,
                Some((bd, _)) if d >= bd => {}
                _ => {
                    best = Some((d, zone));
                    tie = false;
                }
            }
        }
        match (best, tie) {
            (Some((_, z)), false) => Some(z.to_owned()),
            _ => None,
        }
    }
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let full = format!("{prefix}/{name}");
        let path = e.path();
        if path.is_dir() {
            collect(&path, &full, out);
        } else if name.chars().next().is_some_and(char::is_uppercase) {
            out.push((full, fold(&name)));
        }
    }
}

/// "UTC+2", "GMT -5", "offset +05:30": a fixed offset as its zone (`Etc/GMT-2` is UTC+2:
/// POSIX signs are the other way round); offsets of half and three quarter hours as the
/// one place that keeps them.
fn offset_zone(q: &str) -> Option<String> {
    static OFFSET: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:(?:utc|gmt|offset|utc offset)\s*)?(?P<s>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$",
        )
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
    });
    let c = OFFSET.captures(q)?;
    let h: i32 = c["h"].parse().ok()?;
    let m: i32 = c.name("m").map_or(Some(0), |m| m.as_str().parse().ok())?;
    let east = &c["s"] == "+";
    let half = match (east, h, m) {
        (_, 0, 0) => return Some("UTC".into()),
        (true, 5, 30) => "Asia/Kolkata",
        (true, 5, 45) => "Asia/Kathmandu",
        (true, 3, 30) => "Asia/Tehran",
        (true, 4, 30) => "Asia/Kabul",
        (true, 6, 30) => "Asia/Yangon",
        (true, 9, 30) => "Australia/Darwin",
        (false, 3, 30) => "America/St_Johns",
        (_, _, 0) if (east && h <= 14) || (!east && h <= 12) => {
            return Some(format!("Etc/GMT{}{h}", if east { '-' } else { '+' }));
        }
        _ => return None,
    };
    Some(half.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> ZoneIndex {
        let dir = tempfile::tempdir().expect("tempdir");
        for z in [
            "America/Los_Angeles",
            "America/New_York",
            "America/Sao_Paulo",
            "Europe/Berlin",
            "Europe/Paris",
            "America/Argentina/Buenos_Aires",
            "Asia/Kolkata",
        ] {
            let p = dir.path().join(z);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(p, b"TZif").expect("write");
        }
        ZoneIndex::load(dir.path())
    }

    #[test]
    fn cities_aliases_accents_and_typos() {
        let z = index();
        for (text, want) in [
            ("los angeles", "America/Los_Angeles"),
            ("Los_Angeles", "America/Los_Angeles"),
            ("america/los_angeles", "America/Los_Angeles"),
            ("new york", "America/New_York"),
            ("São Paulo", "America/Sao_Paulo"),
            ("berlin", "Europe/Berlin"),
            ("berln", "Europe/Berlin"),
            ("los angelos", "America/Los_Angeles"),
            ("buenos aires", "America/Argentina/Buenos_Aires"),
            ("UTC", "UTC"),
            ("gmt", "UTC"),
            ("germany", "Europe/Berlin"),
            ("mumbai", "Asia/Kolkata"),
        ] {
            assert_eq!(z.resolve(text).as_deref(), Some(want), "{text}");
        }
        for text in ["mars/olympus", "narnia", "", "x"] {
            assert_eq!(z.resolve(text), None, "{text}");
        }
    }
}
