//! The planner: typed actions in, an exact plan of steps out. Pure: it reads a [`Machine`]
//! and the [`InstallState`] and touches nothing, so it needs no root and is tested
//! exhaustively. Each action goes to the stage that claims it (`stage::PLANNERS`); every
//! check a person would want before confirming happens there, and every refusal says why
//! and what to do instead.

use std::path::Path;

use levitate_dbus::{polkit, Action, Disk, Notice};

use crate::{
    install_state::InstallState,
    machine::Machine,
    ops::Operation,
    size::human,
    stage::{host::Host, system::source::Source, StageId, PLANNERS},
    validate,
};

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub description: String,
    /// Whether it destroys data that exists now. Not a property of the operation alone:
    /// formatting a partition the same plan just created destroys nothing.
    pub destructive: bool,
    /// Whether a job may stop before this step (not in the middle of a table write).
    pub cancelable: bool,
    /// The id of the secret this step consumes (`luks`, `password:vince`).
    pub secret: Option<String>,
    pub op: Operation,
}

impl Step {
    pub fn new(description: impl Into<String>, op: impl Into<Operation>) -> Self {
        Self {
            description: description.into(),
            destructive: false,
            cancelable: true,
            secret: None,
            op: op.into(),
        }
    }

    #[must_use]
    pub fn destroying(mut self) -> Self {
        self.destructive = true;
        self
    }

    #[must_use]
    pub fn with_secret(mut self, id: impl Into<String>) -> Self {
        self.secret = Some(id.into());
        self
    }

    pub fn stage(&self) -> StageId {
        self.op.stage()
    }
}

/// A secret the plan needs: id and prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretSpec {
    pub id: String,
    pub prompt: String,
}

/// A complete plan, ready to be shown and confirmed.
#[derive(Debug, Clone)]
pub struct Plan {
    pub actions: Vec<Action>,
    pub steps: Vec<Step>,
    pub summary: String,
    pub warnings: Vec<Notice>,
    pub destroys: Vec<Notice>,
    pub secrets: Vec<SecretSpec>,
    pub authorization: &'static str,
    /// [`fingerprint`] of what the plan was made against; confirming needs it unchanged.
    pub fingerprint: u64,
}

impl Plan {
    pub fn destructive(&self) -> bool {
        self.steps.iter().any(|s| s.destructive)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NoSuchDisk(String),
    #[error("{0}")]
    DeviceBusy(String),
    #[error("{0}")]
    NotReady(String),
    #[error("{0}")]
    NotSupported(String),
}

/// Everything the planner reads.
pub struct PlanContext<'a> {
    pub machine: &'a Machine,
    pub state: &'a InstallState,
    /// Where the target is mounted (`/mnt/levitate`).
    pub target_root: &'a str,
    /// The zone database used to check time zones.
    pub zoneinfo: &'a Path,
    /// What the system is copied from; `None` in simulation (the machine file gives the
    /// size) and when the daemon found nothing to copy.
    pub source: Option<&'a Source>,
    /// Whether steps run in simulation.
    pub simulated: bool,
    /// Sandbox mode: the disk is an image on this machine, whose swap must not become
    /// this machine's.
    pub sandbox: bool,
    /// What this machine's kernel and tools can do ([`Host::capable`] in simulation).
    pub host: &'a Host,
}

/// What a plan depends on: the disks and the order-relevant install state.
pub fn fingerprint(machine: &Machine, state: &InstallState) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    machine.disks_fingerprint().hash(&mut h);
    state.fingerprint(&mut h);
    h.finish()
}

/// A warning or something a plan destroys: a stable id and named parameters beside the
/// English sentence, so a frontend can write the sentence in its own language. The ids and
/// parameter names are part of the API (`docs/DBUS.md`): add new ones, never rename.
pub fn notice(id: &str, text: String, params: &[(&str, String)]) -> Notice {
    Notice {
        id: id.to_owned(),
        text,
        params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    }
}

/// The parameters that name a disk in a [`Notice`]: `disk` (its path), `model` and `size`
/// (bytes).
pub fn disk_params(d: &Disk) -> [(&'static str, String); 3] {
    [
        ("disk", d.path.clone()),
        ("model", d.model.clone()),
        ("size", d.size.to_string()),
    ]
}

/// The language of the texts the planner writes (`Plan.Locale`). A `locale` option is
/// accepted and recorded, but this version writes English only.
pub const TEXT_LOCALE: &str = "en";

/// "/dev/sda (Samsung SSD 870 EVO, 500 GiB)"
pub fn describe_disk(d: &Disk) -> String {
    let model = if d.model.is_empty() {
        String::new()
    } else {
        format!("{}, ", d.model)
    };
    format!("{} ({model}{})", d.path, human(d.size))
}

/// A plan being built: the stages' planners add steps, sentences, warnings and secrets,
/// and every step is applied to `state` as it is added, so later actions of the same plan
/// see the state as it will be.
pub struct PlanBuilder<'a> {
    pub ctx: &'a PlanContext<'a>,
    pub state: InstallState,
    pub steps: Vec<Step>,
    pub summary: Vec<String>,
    pub warnings: Vec<Notice>,
    pub destroys: Vec<Notice>,
    pub secrets: Vec<SecretSpec>,
    /// Whether the plan reboots (its authorization is then the reboot action's).
    pub reboot: bool,
}

impl PlanBuilder<'_> {
    pub fn push_step(&mut self, step: Step) {
        self.state.apply(&step.op);
        self.steps.push(step);
    }

    pub fn push(&mut self, description: impl Into<String>, op: impl Into<Operation>) {
        self.push_step(Step::new(description, op));
    }

    pub fn need_secret(&mut self, id: &str, prompt: &str) {
        if !self.secrets.iter().any(|s| s.id == id) {
            self.secrets.push(SecretSpec {
                id: id.to_owned(),
                prompt: prompt.to_owned(),
            });
        }
    }

    pub fn disk(&self, path: &str) -> Result<&'_ Disk, PlanError> {
        let machine = self.ctx.machine;
        machine.disk(path).ok_or_else(|| {
            let known: Vec<&str> = machine.disks.iter().map(|d| d.path.as_str()).collect();
            PlanError::NoSuchDisk(format!(
                "there is no disk {}; the disks are: {}",
                validate::display_text(path, 64),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// Where `mountpoint` of the target is on this system.
    pub fn target_path(&self, mountpoint: &str) -> String {
        crate::stage::target_path(self.ctx.target_root, mountpoint)
    }

    fn action(&mut self, action: &Action) -> Result<(), PlanError> {
        for planner in PLANNERS {
            if let Some(result) = planner(self, action) {
                return result;
            }
        }
        Err(PlanError::Invalid(format!(
            "{} is answered directly and changes nothing, so it cannot be part of a plan",
            action.kind()
        )))
    }
}

/// Plans `actions` against the machine and what has been done.
pub fn plan(actions: Vec<Action>, ctx: &PlanContext<'_>) -> Result<Plan, PlanError> {
    if actions.is_empty() {
        return Err(PlanError::Invalid(
            "a plan needs at least one action".into(),
        ));
    }
    if actions.len() > levitate_dbus::MAX_ACTIONS {
        return Err(PlanError::Invalid(format!(
            "at most {} actions at once",
            levitate_dbus::MAX_ACTIONS
        )));
    }
    let mut b = PlanBuilder {
        ctx,
        state: ctx.state.clone(),
        steps: Vec::new(),
        summary: Vec::new(),
        warnings: Vec::new(),
        destroys: Vec::new(),
        secrets: Vec::new(),
        reboot: false,
    };
    for a in &actions {
        b.action(a)?;
    }
    crate::stage::host::check(&b.steps, ctx.machine, ctx.host, &mut b.warnings)?;
    let destructive = b.steps.iter().any(|s| s.destructive);
    // Adding partitions in free space destroys nothing, but it still rewrites a disk's
    // table: the same class of operation for whoever administers the machine.
    let touches_disks = b.steps.iter().any(|s| s.op.touches_disks());
    let authorization = if destructive || touches_disks {
        polkit::ERASE_DISK
    } else if b.reboot {
        polkit::REBOOT
    } else {
        polkit::CONFIGURE
    };
    let mut summary = format!("This plan {}.", b.summary.join("; "));
    if destructive {
        summary.push_str(" It destroys data: read what it erases before you confirm.");
    }
    Ok(Plan {
        actions,
        steps: b.steps,
        summary,
        warnings: b.warnings,
        destroys: b.destroys,
        secrets: b.secrets,
        authorization,
        fingerprint: fingerprint(ctx.machine, ctx.state),
    })
}

#[cfg(test)]
mod tests;
