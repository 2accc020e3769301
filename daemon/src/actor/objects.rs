//! Plans on the bus: proposed, evicted beyond their limit, their secrets and rejection.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use levitate_dbus::{Action, Error, PlanState, PlanStep, SecretRequest, PLAN_PATH_PREFIX};
use tracing::info;
use zbus::zvariant::OwnedObjectPath;
use zeroize::Zeroizing;

use super::{no_object, path, Actor, Mode, PlanEntry, MAX_PLANS};
use crate::{
    iface::{lock, PlanIface, PlanProps},
    plan::{self, PlanContext},
    stage::host::Host,
    validate,
};

impl Actor {
    pub(super) async fn propose(
        &mut self,
        actions: Vec<Action>,
        uid: u32,
    ) -> Result<OwnedObjectPath, Error> {
        let machine = self.machine().await;
        let (simulated, sandbox) = match &self.mode {
            Mode::Simulated { .. } => (true, false),
            Mode::Real { sandbox } => (false, sandbox.is_some()),
        };
        // A simulated machine can do everything; a real one what its kernel and tools can.
        let host = if simulated {
            Host::capable()
        } else {
            Host::probe()
        };
        let ctx = PlanContext {
            source: self.settings.source.as_ref(),
            simulated,
            sandbox,
            host: &host,
            machine: &machine,
            state: &self.state,
            target_root: &self.settings.target_root,
            zoneinfo: &self.settings.zoneinfo,
        };
        let plan = plan::plan(actions, &ctx).inspect_err(|e| info!(error = %e, "plan refused"))?;
        self.evict_plans().await;
        let id = self.alloc_id();
        let props = Arc::new(Mutex::new(PlanProps {
            actions: plan.actions.clone(),
            steps: plan
                .steps
                .iter()
                .map(|s| PlanStep {
                    stage: s.stage().id().to_owned(),
                    description: s.description.clone(),
                    destructive: s.destructive,
                })
                .collect(),
            step_ids: crate::ops::step_ids(plan.steps.iter().map(|s| &s.op)),
            summary: plan.summary.clone(),
            warnings: plan.warnings.clone(),
            destroys: plan.destroys.clone(),
            destructive: plan.destructive(),
            authorization: plan.authorization.to_owned(),
            secrets: plan
                .secrets
                .iter()
                .map(|s| SecretRequest {
                    id: s.id.clone(),
                    prompt: s.prompt.clone(),
                    provided: false,
                })
                .collect(),
            state: PlanState::Pending,
            job: no_object(),
            proposer: uid,
            stale: false,
        }));
        let p = path(PLAN_PATH_PREFIX, id);
        self.conn
            .object_server()
            .at(
                &p,
                PlanIface {
                    id,
                    actor: self.handle.clone(),
                    auth: self.auth.clone(),
                    props: props.clone(),
                },
            )
            .await
            .map_err(|e| Error::Failed(format!("cannot publish the plan: {e}")))?;
        info!(
            plan = id,
            uid,
            steps = plan.steps.len(),
            destructive = plan.destructive(),
            "plan proposed"
        );
        self.plans.insert(
            id,
            PlanEntry {
                plan,
                props,
                secrets: HashMap::new(),
            },
        );
        self.publish_pending_plans().await;
        Ok(p)
    }

    /// Keeps at most `MAX_PLANS` plan objects: finished ones go first, then the oldest.
    pub(super) async fn evict_plans(&mut self) {
        while self.plans.len() >= MAX_PLANS {
            let victim = self
                .plans
                .iter()
                .find(|(id, e)| {
                    lock(&e.props).state != PlanState::Pending
                        && self
                            .active_job
                            .and_then(|j| self.jobs.get(&j))
                            .is_none_or(|j| j.plan != **id)
                })
                .or_else(|| self.plans.iter().next())
                .map(|(id, _)| *id);
            let Some(id) = victim else { break };
            self.plans.remove(&id);
            let _ = self
                .conn
                .object_server()
                .remove::<PlanIface, _>(path(PLAN_PATH_PREFIX, id))
                .await;
        }
    }

    pub(super) fn pending_entry(&self, plan: u64) -> Result<&PlanEntry, Error> {
        let entry = self
            .plans
            .get(&plan)
            .ok_or_else(|| Error::NoSuchObject(format!("plan {plan} does not exist any more")))?;
        match lock(&entry.props).state {
            PlanState::Pending => Ok(entry),
            PlanState::Confirmed => Err(Error::InvalidState(
                "this plan was already confirmed".into(),
            )),
            PlanState::Rejected => Err(Error::InvalidState(
                "this plan was rejected; propose it again".into(),
            )),
        }
    }
    pub(super) async fn reject(&mut self, plan: u64) -> Result<(), Error> {
        let entry = self.pending_entry(plan)?;
        lock(&entry.props).state = PlanState::Rejected;
        if let Some(e) = self.plans.get_mut(&plan) {
            e.secrets.clear();
        }
        info!(plan, "plan rejected");
        self.notify_plan(plan, &["State"]).await;
        self.publish_pending_plans().await;
        Ok(())
    }

    pub(super) async fn set_secret(
        &mut self,
        plan: u64,
        id: String,
        secret: Zeroizing<Vec<u8>>,
    ) -> Result<(), Error> {
        let entry = self.pending_entry(plan)?;
        if !entry.plan.secrets.iter().any(|s| s.id == id) {
            let wanted: Vec<&str> = entry.plan.secrets.iter().map(|s| s.id.as_str()).collect();
            return Err(Error::InvalidArgument(format!(
                "this plan needs no secret named {:?}; it needs: {}",
                validate::display_text(&id, 64),
                if wanted.is_empty() {
                    "none".into()
                } else {
                    wanted.join(", ")
                }
            )));
        }
        validate::secret(&secret).map_err(Error::InvalidArgument)?;
        let props = entry.props.clone();
        if let Some(e) = self.plans.get_mut(&plan) {
            e.secrets.insert(id.clone(), secret);
        }
        for s in &mut lock(&props).secrets {
            if s.id == id {
                s.provided = true;
            }
        }
        // The id names the secret (`password:vince`); the secret itself is never logged.
        info!(plan, secret_id = %id, "secret received");
        self.notify_plan(plan, &["Secrets"]).await;
        Ok(())
    }
}
