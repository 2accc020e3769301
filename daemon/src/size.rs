//! Sizes as people and machine files write them: `512M`, `8G`, `1.5T`, `20%`, `rest`.

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * KIB;
pub const GIB: u64 = 1024 * MIB;
pub const TIB: u64 = 1024 * GIB;

/// A partition size request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeSpec {
    /// An exact number of bytes.
    Bytes(u64),
    /// Percent of the whole disk, 1 to 100.
    Percent(u8),
    /// Whatever is left.
    Rest,
}

/// Parses `512M`, `8G`, `8 GiB`, `1.5T`, `4096` (bytes), with powers of 1024.
pub fn parse_bytes(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || t.len() > 32 {
        return None;
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let mult = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => KIB,
        "m" | "mb" | "mib" => MIB,
        "g" | "gb" | "gib" => GIB,
        "t" | "tb" | "tib" => TIB,
        _ => return None,
    };
    if num.is_empty() || num.matches('.').count() > 1 || num.starts_with('.') {
        return None;
    }
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let int: u64 = int.parse().ok()?;
    let mut bytes = int.checked_mul(mult)?;
    if !frac.is_empty() {
        if frac.len() > 6 {
            return None;
        }
        let frac_val: u64 = frac.parse().ok()?;
        let scale = 10u64.pow(u32::try_from(frac.len()).ok()?);
        bytes = bytes.checked_add(frac_val.checked_mul(mult)? / scale)?;
    }
    Some(bytes)
}

/// Parses a partition size: bytes with a unit, a percentage, or `rest`.
pub fn parse_size_spec(text: &str) -> Option<SizeSpec> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("rest") || t == "100%FREE" {
        return Some(SizeSpec::Rest);
    }
    if let Some(p) = t.strip_suffix('%') {
        let p: u8 = p.trim().parse().ok()?;
        return (1..=100).contains(&p).then_some(SizeSpec::Percent(p));
    }
    match parse_bytes(t)? {
        0 => None,
        b => Some(SizeSpec::Bytes(b)),
    }
}

/// `512 MiB`, `1.5 GiB`, `500 GiB`: the one formatter the daemon and the clients share.
pub use levitate_dbus::human_size as human;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        assert_eq!(parse_bytes("512M"), Some(512 * MIB));
        assert_eq!(parse_bytes("8G"), Some(8 * GIB));
        assert_eq!(parse_bytes("8 GiB"), Some(8 * GIB));
        assert_eq!(parse_bytes("1.5T"), Some(TIB + TIB / 2));
        assert_eq!(parse_bytes("4096"), Some(4096));
        assert_eq!(parse_size_spec("rest"), Some(SizeSpec::Rest));
        assert_eq!(parse_size_spec("20%"), Some(SizeSpec::Percent(20)));
    }

    #[test]
    fn rejects_nonsense_and_overflow() {
        for bad in [
            "",
            "G",
            "-5G",
            "5X",
            "1.2.3G",
            ".5G",
            "99999999999999999999T",
            "0",
            "0%",
            "101%",
            "rest please",
        ] {
            assert_eq!(parse_size_spec(bad), None, "{bad}");
        }
    }

    #[test]
    fn human_sizes_read_well() {
        assert_eq!(human(512 * MIB), "512 MiB");
        assert_eq!(human(GIB + GIB / 2), "1.5 GiB");
        assert_eq!(human(500 * GIB), "500 GiB");
        assert_eq!(human(TIB), "1 TiB");
    }
}
