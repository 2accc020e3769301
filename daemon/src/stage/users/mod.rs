//! The users stage: accounts of the new system, their passwords and groups. Planned and
//! simulated; not yet carried out on real disks.

use levitate_dbus::{Action, UserInfo};
use serde::{Deserialize, Serialize};

use crate::{
    install_state::InstallState,
    ops::StageOp,
    plan::{PlanBuilder, PlanError, Step},
    stage::{ExecError, ExecResult, StageExecutor, StageId, StepContext},
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
        false
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

/// Carries out the users stage on the real target (not in this version).
pub struct UsersExecutor;

impl StageExecutor for UsersExecutor {
    type Op = UserOp;

    fn run(&mut self, op: &UserOp, _cx: &mut StepContext<'_>) -> ExecResult {
        Err(ExecError::NotSupported(op.kind()))
    }
}
