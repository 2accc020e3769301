//! The configuration stage: host name, time zone, locale and keyboard of the new system,
//! written into the target's files (`files`). `systemd-firstboot --root` is no shortcut:
//! it keeps values that exist, and a copied live system has them all.

mod files;
pub use files::encrypted_root;

use levitate_dbus::Action;
use serde::{Deserialize, Serialize};

use crate::{
    install_state::InstallState,
    ops::StageOp,
    plan::{PlanBuilder, PlanError},
    stage::{ExecResult, StageExecutor, StageId, StepContext},
    validate,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
#[allow(clippy::enum_variant_names)] // the journal names them so
pub enum ConfigOp {
    SetHostname(String),
    SetTimezone(String),
    SetLocale(String),
    SetKeyboard(String),
}

impl ConfigOp {
    /// The key in the install state's configuration (and the `Configuration` property).
    fn key(&self) -> &'static str {
        match self {
            Self::SetHostname(_) => "hostname",
            Self::SetTimezone(_) => "timezone",
            Self::SetLocale(_) => "locale",
            Self::SetKeyboard(_) => "keyboard",
        }
    }

    fn value(&self) -> &str {
        match self {
            Self::SetHostname(v)
            | Self::SetTimezone(v)
            | Self::SetLocale(v)
            | Self::SetKeyboard(v) => v,
        }
    }
}

impl StageOp for ConfigOp {
    const STAGE: StageId = StageId::Configuration;

    fn kind(&self) -> &'static str {
        match self {
            Self::SetHostname(_) => "set_hostname",
            Self::SetTimezone(_) => "set_timezone",
            Self::SetLocale(_) => "set_locale",
            Self::SetKeyboard(_) => "set_keyboard",
        }
    }

    fn runs_for_real(&self) -> bool {
        true
    }

    fn apply(&self, state: &mut InstallState) {
        state
            .config
            .insert(self.key().to_owned(), self.value().to_owned());
    }
}

/// Host name, time zone, language and keyboard, each validated.
pub fn plan_action(b: &mut PlanBuilder<'_>, action: &Action) -> Option<Result<(), PlanError>> {
    let (check, summary, step, op) = match action {
        Action::SetHostname { name } => (
            validate::hostname(name),
            format!("sets the host name to {name}"),
            format!("Set the host name to {name}"),
            ConfigOp::SetHostname(name.clone()),
        ),
        Action::SetTimezone { zone } => (
            validate::timezone(zone, b.ctx.zoneinfo),
            format!("sets the time zone to {zone}"),
            format!("Set the time zone to {zone}"),
            ConfigOp::SetTimezone(zone.clone()),
        ),
        Action::SetLocale { locale } => (
            validate::locale(locale),
            format!("sets the language to {locale}"),
            format!("Set the system locale to {locale}"),
            ConfigOp::SetLocale(locale.clone()),
        ),
        Action::SetKeyboard { .. } => {
            // One string, `layout:variant`, is what is validated and written.
            let keymap = action.keymap().unwrap_or_default();
            (
                validate::keyboard(&keymap),
                format!("sets the keyboard layout to {keymap}"),
                format!("Set the keyboard layout to {keymap}"),
                ConfigOp::SetKeyboard(keymap),
            )
        }
        _ => return None,
    };
    Some(check.map_err(PlanError::Invalid).map(|()| {
        b.summary.push(summary);
        b.push(step, op);
    }))
}

/// Carries out the configuration stage on the real target.
pub struct ConfigExecutor;

impl StageExecutor for ConfigExecutor {
    type Op = ConfigOp;

    fn run(&mut self, op: &ConfigOp, cx: &mut StepContext<'_>) -> ExecResult {
        let target = std::path::Path::new(&cx.config.target_root);
        match op {
            ConfigOp::SetHostname(name) => files::hostname(target, name),
            ConfigOp::SetTimezone(zone) => files::timezone(target, zone),
            ConfigOp::SetLocale(locale) => files::locale(target, locale),
            ConfigOp::SetKeyboard(layout) => {
                files::keyboard(target, layout)?;
                // The LUKS prompt comes from the initramfs: it must know the layout too.
                if cx.state.bootloader_installed && files::encrypted_root(target) {
                    files::rebuild_initramfs(target)?;
                }
                Ok(())
            }
        }
    }
}
