//! The texts the installer answers with.

use levitate_dbus::Disk;
use zbus::zvariant::OwnedObjectPath;

use crate::{
    iface::{ManagerProps, PlanProps},
    size::human,
};

pub const HELP: &str = "Tell me what you want, in your own words, and I will show you a plan \
before anything happens. For example: \"list disks\", \"use the whole 500gb drive, encrypted\", \
\"install alongside windows\", \"install the system\", \"hostname is my-laptop\", \"timezone \
Berlin\", \"language French\", \"german keyboard\", \"create user anna with sudo\", \"set \
password\", \"install bootloader\", \"done\". Nothing changes until you confirm a plan.";

/// Finishing asked for beside a question: it waits (`conversation::hold_finishing`).
pub const FINISH_WAITS: &str = "Finishing waits for your answer: I will add it to the plan \
after that.";

/// One line per disk, for people.
pub fn describe_disks(disks: &[Disk]) -> String {
    if disks.is_empty() {
        return "I cannot see any disk.".into();
    }
    let lines: Vec<String> = disks
        .iter()
        .map(|d| {
            let kind = if d.rotational { "hard disk" } else { "SSD" };
            let model = if d.model.is_empty() {
                String::new()
            } else {
                format!(" {}", d.model)
            };
            let contents = if d.partitions.is_empty() {
                "empty".to_owned()
            } else {
                d.partitions
                    .iter()
                    .map(|p| p.description.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let busy = if d.in_use.is_empty() {
                String::new()
            } else {
                format!(" (in use: {})", d.in_use)
            };
            format!(
                "{}: {}{model} {kind}, {contents}{busy}",
                d.path,
                human(d.size)
            )
        })
        .collect();
    format!("The disks are:\n{}", lines.join("\n"))
}

/// What a proposed plan does, in the conversation's words.
pub fn plan(p: Option<&PlanProps>, path: &OwnedObjectPath) -> String {
    let Some(p) = p else {
        return format!(
            "Here is the plan ({}). Nothing happens until you confirm it.",
            path.as_str()
        );
    };
    let mut text = p.summary.clone();
    for d in &p.destroys {
        text.push_str("\nThis ");
        text.push_str(&d.text);
        text.push('.');
    }
    let secrets: Vec<&str> = p.secrets.iter().map(|s| s.prompt.as_str()).collect();
    if !secrets.is_empty() {
        text.push_str("\nIt needs: ");
        text.push_str(&secrets.join(", "));
        text.push('.');
    }
    text.push_str("\nNothing happens until you confirm the plan (");
    text.push_str(path.as_str());
    text.push_str(").");
    text
}

/// Where the installation stands, in one sentence.
pub fn status(m: &ManagerProps) -> String {
    let stages: Vec<String> = m
        .stages
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s.title,
                serde_json::to_value(s.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            )
        })
        .collect();
    let mut settings: Vec<String> = m
        .configuration
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    settings.sort();
    let users: Vec<String> = m
        .users
        .iter()
        .map(|u| format!("{}{}", u.name, if u.sudo { " (sudo)" } else { "" }))
        .collect();
    format!(
        "So far: {}. Settings: {}. Users: {}.",
        stages.join(", "),
        if settings.is_empty() {
            "none yet".into()
        } else {
            settings.join(", ")
        },
        if users.is_empty() {
            "none yet".into()
        } else {
            users.join(", ")
        }
    )
}

/// The answer to something the installer does not do: the reason when there is one, else
/// the topic in words; the topic's id (`secure_boot`) is for programs, not for people.
pub fn unsupported(topic: &str, reason: Option<&str>) -> String {
    if let Some(reason) = reason.map(str::trim).filter(|r| !r.is_empty()) {
        return format!("{}.", reason.trim_end_matches('.'));
    }
    let what = match topic {
        "secure_boot" => "Secure Boot setup",
        "raid" => "RAID",
        "lvm" => "LVM",
        "network" => "Setting up the network",
        "packages" => "Installing extra packages",
        "desktop" => "Choosing a desktop",
        _ => "That",
    };
    format!("{what} is not something this installer does.")
}

#[cfg(test)]
mod tests {
    use super::unsupported;

    /// Regression (#14, item 9): the reply showed the internal topic id (`(secure_boot)`).
    #[test]
    fn unsupported_requests_are_answered_in_words() {
        for (topic, name) in [
            ("secure_boot", "Secure Boot"),
            ("raid", "RAID"),
            ("lvm", "LVM"),
            ("network", "network"),
            ("packages", "packages"),
            ("desktop", "desktop"),
        ] {
            let said = unsupported(topic, None);
            assert!(!said.contains(topic) || topic == name, "{said}");
            assert!(!said.contains('_') && !said.contains('('), "{said}");
            assert!(said.contains(name), "{said}");
            assert!(said.ends_with('.') && !said.contains(".."), "{said}");
        }
        let said = unsupported(
            "secure_boot",
            Some("Secure Boot setup is not supported by this installer"),
        );
        assert_eq!(
            said,
            "Secure Boot setup is not supported by this installer."
        );
        let said = unsupported("network", Some("Network setup is done after installation."));
        assert_eq!(said, "Network setup is done after installation.");
    }
}
