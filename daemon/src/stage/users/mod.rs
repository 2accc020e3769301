//! The users stage: accounts of the new system, their passwords (yescrypt, set with the
//! `chpasswd -e` on stdin, never on a command line) and groups, made by the shadow tools
//! with `--root` (they chroot into the target and use its files and defaults).

mod password;

use std::{path::Path, process::Command};

use levitate_dbus::{Action, UserInfo};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{
    install_state::InstallState,
    ops::StageOp,
    plan::{PlanBuilder, PlanError, Step},
    stage::{process::run, ExecError, ExecResult, StageExecutor, StageId, StepContext},
    validate,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum UserOp {
    CreateUser { name: String, sudo: bool },
    SetPassword { user: String },
    AddToGroup { user: String, group: String },
}

impl StageOp for UserOp {
    const STAGE: StageId = StageId::Users;

    fn kind(&self) -> &'static str {
        match self {
            Self::CreateUser { .. } => "create_user",
            Self::SetPassword { .. } => "set_password",
            Self::AddToGroup { .. } => "add_to_group",
        }
    }

    fn nominal_seconds(&self) -> f64 {
        match self {
            Self::CreateUser { .. } | Self::SetPassword { .. } => 0.3,
            Self::AddToGroup { .. } => 0.15,
        }
    }

    fn runs_for_real(&self) -> bool {
        true
    }

    fn apply(&self, state: &mut InstallState) {
        match self {
            Self::CreateUser { name, sudo } => state.users.push(UserInfo {
                name: name.clone(),
                sudo: *sudo,
                groups: Vec::new(),
                password_set: false,
            }),
            Self::SetPassword { user } => {
                if let Some(u) = state.user_mut(user) {
                    u.password_set = true;
                }
            }
            Self::AddToGroup { user, group } => {
                if let Some(u) = state.user_mut(user) {
                    if !u.groups.contains(group) {
                        u.groups.push(group.clone());
                    }
                }
            }
        }
    }
}

/// Users, passwords (asked as secrets, never in the plan) and groups.
pub fn plan_action(b: &mut PlanBuilder<'_>, action: &Action) -> Option<Result<(), PlanError>> {
    Some(match action {
        Action::CreateUser { name, sudo } => create_user(b, name, sudo.unwrap_or(false)),
        Action::SetPassword { user } => set_password(b, user),
        Action::AddToGroup { user, group } => add_to_group(b, user, group),
        _ => return None,
    })
}

fn create_user(b: &mut PlanBuilder<'_>, name: &str, sudo: bool) -> Result<(), PlanError> {
    validate::new_username(name).map_err(PlanError::Invalid)?;
    if b.state.users.iter().any(|u| u.name == name) {
        return Err(PlanError::Invalid(format!("user {name} is already set up")));
    }
    let rights = if sudo {
        " with administrator rights (sudo)"
    } else {
        ""
    };
    b.summary.push(format!("creates user {name}{rights}"));
    b.push(
        format!("Create user {name}{rights}"),
        UserOp::CreateUser {
            name: name.to_owned(),
            sudo,
        },
    );
    Ok(())
}

fn existing_user(b: &PlanBuilder<'_>, user: &str) -> Result<(), PlanError> {
    if b.state.users.iter().any(|u| u.name == user) {
        Ok(())
    } else {
        Err(PlanError::NotReady(format!(
            "there is no user {user} yet; create the user first"
        )))
    }
}

fn set_password(b: &mut PlanBuilder<'_>, user: &str) -> Result<(), PlanError> {
    validate::username(user).map_err(PlanError::Invalid)?;
    if user != "root" {
        existing_user(b, user)?;
    }
    let id = format!("password:{user}");
    b.need_secret(&id, &format!("Password for {user}"));
    b.push_step(
        Step::new(
            format!("Set the password of {user}"),
            UserOp::SetPassword {
                user: user.to_owned(),
            },
        )
        .with_secret(id),
    );
    b.summary.push(format!("sets the password of {user}"));
    Ok(())
}

fn add_to_group(b: &mut PlanBuilder<'_>, user: &str, group: &str) -> Result<(), PlanError> {
    validate::username(user).map_err(PlanError::Invalid)?;
    validate::group(group).map_err(PlanError::Invalid)?;
    existing_user(b, user)?;
    b.summary.push(format!("adds {user} to the group {group}"));
    b.push(
        format!("Add {user} to the group {group}"),
        UserOp::AddToGroup {
            user: user.to_owned(),
            group: group.to_owned(),
        },
    );
    Ok(())
}

/// Carries out the users stage on the real target.
pub struct UsersExecutor;

impl StageExecutor for UsersExecutor {
    type Op = UserOp;

    fn run(&mut self, op: &UserOp, cx: &mut StepContext<'_>) -> ExecResult {
        let target = Path::new(&cx.config.target_root);
        match op {
            UserOp::CreateUser { name, sudo } => create(target, name, *sudo),
            UserOp::SetPassword { user } => {
                let secret = cx.secret.filter(|s| !s.is_empty()).ok_or_else(|| {
                    ExecError::Failed(format!("the password of {user} is missing"))
                })?;
                let hash = Zeroizing::new(password::yescrypt(secret)?);
                let line = Zeroizing::new(format!("{user}:{}\n", hash.as_str()));
                run(
                    Command::new("chpasswd")
                        .arg("--root")
                        .arg(target)
                        .arg("--encrypted"),
                    Some(line.as_bytes()),
                )?;
                Ok(())
            }
            UserOp::AddToGroup { user, group } => {
                if !has_group(target, group) {
                    run(
                        Command::new("groupadd")
                            .arg("--root")
                            .arg(target)
                            .arg(group),
                        None,
                    )?;
                }
                run(
                    Command::new("usermod")
                        .arg("--root")
                        .arg(target)
                        .args(["--append", "--groups", group, user]),
                    None,
                )?;
                Ok(())
            }
        }
    }
}

/// Whether the target has `group`.
fn has_group(target: &Path, group: &str) -> bool {
    std::fs::read_to_string(target.join("etc/group"))
        .unwrap_or_default()
        .lines()
        .any(|l| l.split(':').next() == Some(group))
}

/// A user with a home and their own group; administrators through the target's `sudo`
/// group, or `wheel` where that is what it has.
fn create(target: &Path, name: &str, sudo: bool) -> ExecResult {
    let mut cmd = Command::new("useradd");
    cmd.arg("--root")
        .arg(target)
        .args(["--create-home", "--user-group", "--shell", "/bin/bash"]);
    if sudo {
        let admin = ["sudo", "wheel"]
            .into_iter()
            .find(|g| has_group(target, g))
            .ok_or_else(|| {
                ExecError::Failed(
                    "the new system has neither a sudo nor a wheel group to make an administrator"
                        .into(),
                )
            })?;
        cmd.args(["--groups", admin]);
    }
    run(cmd.arg(name), None)?;
    Ok(())
}
