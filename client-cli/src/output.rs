//! Writing to stdout: text lines and pretty JSON.

use serde_json::{json, Value as Json};
use zbus::zvariant::ObjectPath;

/// `println!` that ends the program quietly when stdout is closed (`| head`), as shell
/// tools do, instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit($crate::exit::STDOUT_CLOSED);
        }
    }};
}

pub fn print_json(v: &Json) {
    out!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

/// An object path as JSON, `null` for the daemon's "no object" path.
pub fn path_or_null(path: &ObjectPath<'_>) -> Json {
    if path.as_str() == levitate_dbus::NO_OBJECT {
        Json::Null
    } else {
        json!(path.as_str())
    }
}

/// The result of a command that only acknowledges: `v` with `--json`, else `text`.
pub fn print_result(json: bool, v: &Json, text: &str) {
    if json {
        print_json(v);
    } else {
        out!("{text}");
    }
}

/// Actions as the daemon sends them, in their canonical JSON; those that do not parse are
/// left out.
pub fn actions_json(wire: Vec<levitate_dbus::WireAction>) -> Vec<Json> {
    wire.into_iter()
        .filter_map(|w| levitate_dbus::Action::from_wire(w).ok())
        .map(|a| serde_json::to_value(a).unwrap_or(Json::Null))
        .collect()
}

/// A job's progress (0 to 1) as a whole percentage for people: within 0..=100 whatever the
/// daemon sends, so a cancelled job never reads "-0%" (an f64 sum of nothing is -0.0).
pub fn percent(progress: f64) -> u32 {
    if progress.is_nan() {
        return 0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let pct = (progress.clamp(0.0, 1.0) * 100.0).round() as u32;
    pct
}

/// A JSON string's text; `""` for anything else.
pub fn text(v: &Json) -> &str {
    v.as_str().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::percent;

    /// Regression (#14, item 3): `status` printed a cancelled job as "cancelled -0%".
    #[test]
    fn percentages_stay_between_0_and_100() {
        assert_eq!(format!("{}%", percent(-0.0)), "0%");
        assert_eq!(percent(-0.25), 0);
        assert_eq!(percent(f64::NAN), 0);
        assert_eq!(percent(0.004), 0);
        assert_eq!(percent(0.425), 43);
        assert_eq!(percent(1.0), 100);
        assert_eq!(percent(1.5), 100);
    }
}
