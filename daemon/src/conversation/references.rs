//! References to what the conversation named before.

/// "that one", "the second one", "the first disk": a reference to the disks just named.
pub fn refers_back(text: &str, disks: &[String]) -> Option<String> {
    let t = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    let t = t
        .strip_prefix("use ")
        .or_else(|| t.strip_prefix("install on "))
        .or_else(|| t.strip_prefix("install to "))
        .unwrap_or(&t);
    let t = t.strip_prefix("the ").unwrap_or(t);
    let index = match t {
        "that one" | "this one" | "that disk" | "that drive" | "this disk" | "this drive"
        | "it" => {
            return (disks.len() == 1).then(|| disks[0].clone());
        }
        "first one" | "first disk" | "first drive" | "first" => 0,
        "second one" | "second disk" | "second drive" | "second" | "other one" | "other disk"
            if disks.len() == 2 || t.starts_with("second") =>
        {
            1
        }
        "third one" | "third disk" | "third drive" | "third" => 2,
        "last one" | "last disk" | "last drive" | "last" => disks.len().checked_sub(1)?,
        _ => return None,
    };
    disks.get(index).cloned()
}

/// Device paths a text names, in order.
pub fn disk_paths(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in
        text.split(|c: char| c.is_whitespace() || c == ',' || c == ':' || c == '(' || c == '?')
    {
        if word.starts_with("/dev/") && !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_disks_just_named() {
        let two = vec!["/dev/sda".to_owned(), "/dev/sdb".to_owned()];
        let one = vec!["/dev/nvme0n1".to_owned()];
        assert_eq!(
            refers_back("use that one", &one).as_deref(),
            Some("/dev/nvme0n1")
        );
        assert_eq!(
            refers_back("use that one", &two),
            None,
            "ambiguous with two"
        );
        assert_eq!(
            refers_back("the second one", &two).as_deref(),
            Some("/dev/sdb")
        );
        assert_eq!(
            refers_back("use the first disk.", &two).as_deref(),
            Some("/dev/sda")
        );
        assert_eq!(
            refers_back("the other one", &two).as_deref(),
            Some("/dev/sdb")
        );
        assert_eq!(refers_back("the third one", &two), None);
        assert_eq!(refers_back("timezone berlin", &two), None);
        assert_eq!(
            disk_paths("Which disk: /dev/sda (Samsung, 500 GiB) or /dev/sdb (WD, 1 TiB)?"),
            two
        );
    }
}
