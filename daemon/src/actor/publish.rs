//! Property snapshots kept current and their changes signalled.

use levitate_dbus::{PlanState, JOB_PATH_PREFIX, PLAN_PATH_PREFIX, ROOT_PATH};
use tracing::warn;

use super::{path, Actor};
use crate::iface::{lock, JobIface, ManagerIface, PlanIface};

/// Emits `PropertiesChanged` for the named properties of the interface `$iface` at `$path`,
/// each name mapped to the `*_changed` method zbus generated for it. An object that is gone
/// has nothing to signal.
macro_rules! notify {
    ($conn:expr, $iface:ty, $path:expr, $props:expr, { $($name:literal => $method:ident),+ $(,)? }) => {{
        if let Ok(iface) = $conn.object_server().interface::<_, $iface>($path).await {
            let guard = iface.get().await;
            let em = iface.signal_emitter();
            for p in $props {
                let r = match *p {
                    $($name => guard.$method(em).await,)+
                    _ => Ok(()),
                };
                if let Err(e) = r {
                    warn!(property = p, error = %e, "cannot signal a property change");
                }
            }
        }
    }};
}

impl Actor {
    pub(super) async fn publish_stages(&self) {
        lock(&self.manager).stages = self.stages.snapshot();
        self.notify_manager(&["Stages"]).await;
    }

    pub(super) async fn publish_install_state(&self) {
        {
            let mut m = lock(&self.manager);
            m.configuration = self
                .state
                .config
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            m.users.clone_from(&self.state.users);
        }
        self.notify_manager(&["Configuration", "Users"]).await;
    }

    pub(super) async fn publish_pending_plans(&self) {
        lock(&self.manager).pending_plans = self
            .plans
            .iter()
            .filter(|(_, e)| lock(&e.props).state == PlanState::Pending)
            .map(|(id, _)| path(PLAN_PATH_PREFIX, *id))
            .collect();
        self.notify_manager(&["PendingPlans"]).await;
    }

    pub(super) async fn notify_manager(&self, props: &[&str]) {
        notify!(self.conn, ManagerIface, ROOT_PATH, props, {
            "Stages" => stages_changed,
            "AssistantState" => assistant_state_changed,
            "Assistant" => assistant_changed,
            "ActiveJob" => active_job_changed,
            "LastJob" => last_job_changed,
            "PendingPlans" => pending_plans_changed,
            "LastError" => last_error_changed,
            "Configuration" => configuration_changed,
            "Users" => users_changed,
        });
    }

    pub(super) async fn notify_plan(&self, plan: u64, props: &[&str]) {
        notify!(self.conn, PlanIface, path(PLAN_PATH_PREFIX, plan), props, {
            "State" => state_changed,
            "Job" => job_changed,
            "Secrets" => secrets_changed,
            "Stale" => stale_changed,
        });
    }

    pub(super) async fn notify_job(&self, job: u64, props: &[&str]) {
        notify!(self.conn, JobIface, path(JOB_PATH_PREFIX, job), props, {
            "State" => state_changed,
            "Progress" => progress_changed,
            "Bytes" => bytes_changed,
            "TotalBytes" => total_bytes_changed,
            "Rate" => rate_changed,
            "CurrentStep" => current_step_changed,
            "Steps" => steps_changed,
            "Cancelable" => cancelable_changed,
            "Message" => message_changed,
            "ErrorName" => error_name_changed,
            "StepResults" => step_results_changed,
            "ProgressValid" => progress_valid_changed,
            "ExpectedEndTime" => expected_end_time_changed,
            "EndTime" => end_time_changed,
            "LogTail" => log_tail_changed,
        });
    }
}
