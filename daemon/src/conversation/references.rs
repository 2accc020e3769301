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

/// "yes" to "\"Kevin\" is not a valid user name ... Should it be \"kevin\"?": the request
/// that makes the account the question offered.
pub fn accepts_login(question: &str, text: &str) -> Option<String> {
    const YES: &[&str] = &[
        "yes",
        "y",
        "yes please",
        "yep",
        "yeah",
        "sure",
        "ok",
        "okay",
        "fine",
        "correct",
        "right",
        "do that",
        "go ahead",
        "that's fine",
        "thats fine",
    ];
    let t = text.trim().trim_end_matches(['.', '!']).to_lowercase();
    // (With another question open beside it, "yes" answers neither for sure.)
    if !question.contains("is not a valid user name")
        || question.lines().count() > 1
        || !YES.contains(&t.as_str())
    {
        return None;
    }
    let (_, offered) = question.split_once("Should it be \"")?;
    let (login, rest) = offered.split_once('"')?;
    crate::validate::new_username(login).ok()?;
    let rights = if rest.starts_with(", with administrator rights") {
        " with sudo"
    } else {
        ""
    };
    Some(format!("create user {login}{rights}"))
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
    fn yes_to_a_lower_case_login_makes_it() {
        let asked = "\"Kevin\" is not a valid user name: logins are written in lower case. Should it be \"kevin\"?";
        assert_eq!(
            accepts_login(asked, "yes").as_deref(),
            Some("create user kevin")
        );
        assert_eq!(
            accepts_login(asked, "Sure.").as_deref(),
            Some("create user kevin")
        );
        let admin = "\"Ana\" is not a valid user name: logins are written in lower case. Should it be \"ana\", with administrator rights?";
        assert_eq!(
            accepts_login(admin, "ok").as_deref(),
            Some("create user ana with sudo")
        );
        assert_eq!(accepts_login(asked, "no, call him kev"), None);
        assert_eq!(accepts_login("Which disk?", "yes"), None);
        assert_eq!(accepts_login(&format!("Which disk?\n{asked}"), "yes"), None);
        // (A question that offers something not a login offers nothing.)
        let odd = "\"X\" is not a valid user name: Should it be \"a b\"?";
        assert_eq!(accepts_login(odd, "yes"), None);
    }

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
