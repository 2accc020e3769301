//! The daemon bridge: one task that owns the D-Bus connection and the session, carries out
//! the app's effects, and reports the daemon's state. It follows the daemon's signals
//! (`PropertiesChanged` of the manager and the jobs, `Job.Completed`, the name's owner
//! changing): a signal makes it read the state again, at most every [`SETTLE`]. A slow
//! safety re-read ([`SAFETY`]) catches what no signal says, and a lost daemon is noticed
//! by its name going; the bridge then reconnects (D-Bus activation starts it again).

use std::time::Duration;

use futures_util::StreamExt as _;
use levitate_dbus::{
    Error, JobProxy, ManagerProxy, PlanProxy, SessionProxy, BUS_NAME, JOB_INTERFACE, NO_OBJECT,
    ROOT_PATH,
};
use tokio::sync::mpsc;
use zbus::{
    proxy::CacheProperties, zvariant::OwnedObjectPath, Connection, MatchRule, MessageStream,
};

use crate::app::{DaemonEvent, DaemonView, Effect, JobView, PlanView};

/// How long signals are gathered before the state is read again: a copy sends several
/// changes at once, and one re-read shows them all.
const SETTLE: Duration = Duration::from_millis(50);
/// The re-read that no signal asked for: only a safety net.
const SAFETY: Duration = Duration::from_secs(5);

/// Every signal that means the screen may be out of date.
async fn signals(
    conn: &Connection,
) -> zbus::Result<futures_util::stream::SelectAll<MessageStream>> {
    let rules = [
        MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .sender(BUS_NAME)?
            .interface("org.freedesktop.DBus.Properties")?
            .member("PropertiesChanged")?
            .path_namespace(ROOT_PATH)?
            .build(),
        MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .sender(BUS_NAME)?
            .interface(JOB_INTERFACE)?
            .member("Completed")?
            .build(),
        MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .sender("org.freedesktop.DBus")?
            .interface("org.freedesktop.DBus")?
            .member("NameOwnerChanged")?
            .add_arg(BUS_NAME)?
            .build(),
    ];
    let mut all = futures_util::stream::SelectAll::new();
    for rule in rules {
        all.push(MessageStream::for_match_rule(rule, conn, Some(64)).await?);
    }
    Ok(all)
}

fn explain(e: zbus::Error) -> String {
    match Error::from(e) {
        Error::NotAuthorized(m) => {
            format!("Not authorized: {m}. Ask an administrator, or use the live session's user.")
        }
        Error::InteractiveAuthorizationRequired(m) => format!(
            "Authentication is needed and could not be asked for: {m}. Run the installer in a session with a polkit authentication agent, or as the live session's user."
        ),
        Error::PlanStale(m) => format!("{m}. Say what you want again and I will make a new plan."),
        Error::SecretMissing(m) => m,
        Error::ZBus(z) => format!("The installer did not answer: {z}"),
        other => other.message(),
    }
}

async fn manager(conn: &Connection) -> zbus::Result<ManagerProxy<'static>> {
    ManagerProxy::builder(conn)
        .cache_properties(CacheProperties::No)
        .build()
        .await
}

async fn snapshot(m: &ManagerProxy<'_>) -> zbus::Result<DaemonView> {
    Ok(DaemonView {
        version: m.version().await?,
        mode: m.mode().await?,
        assistant: m.assistant_state().await?,
        // A daemon older than `Assistant` has no variant to show.
        variant: m
            .assistant()
            .await
            .ok()
            .and_then(|mut a| a.remove("variant"))
            .unwrap_or_default(),
        stages: m.stages().await?,
    })
}

async fn plan_view(conn: &Connection, path: OwnedObjectPath) -> zbus::Result<PlanView> {
    let p = PlanProxy::builder(conn)
        .path(path.clone())?
        .cache_properties(CacheProperties::No)
        .build()
        .await?;
    Ok(PlanView {
        path: path.to_string(),
        summary: p.summary().await?,
        steps: p.steps().await?,
        destroys: p.destroys().await?,
        warnings: p.warnings().await?,
        secrets: p.secrets().await?,
    })
}

async fn job_view(conn: &Connection, path: &OwnedObjectPath) -> zbus::Result<JobView> {
    let j = JobProxy::builder(conn)
        .path(path.clone())?
        .cache_properties(CacheProperties::No)
        .build()
        .await?;
    Ok(JobView {
        path: path.to_string(),
        state: j.state().await?,
        progress: j.progress().await?,
        bytes: j.bytes().await?,
        total_bytes: j.total_bytes().await?,
        rate: j.rate().await?,
        current_step: j.current_step().await?,
        steps: j.steps().await?,
        message: j.message().await?,
    })
}

struct Live {
    conn: Connection,
    manager: ManagerProxy<'static>,
    session: SessionProxy<'static>,
    job: Option<OwnedObjectPath>,
    last_job_state: Option<JobView>,
    last_view: Option<DaemonView>,
}

async fn connect() -> zbus::Result<(Live, DaemonView)> {
    let conn = zbus::connection::Builder::system()?.build().await?;
    let manager = manager(&conn).await?;
    let view = snapshot(&manager).await?;
    let path = manager
        .open_session(std::collections::HashMap::new())
        .await?;
    let session = SessionProxy::builder(&conn).path(path)?.build().await?;
    // A job already running (another client started it, or we reconnected mid-job).
    let active = manager.active_job().await?;
    let job = (active.as_str() != NO_OBJECT).then_some(active);
    Ok((
        Live {
            conn,
            manager,
            session,
            job,
            last_job_state: None,
            last_view: Some(view.clone()),
        },
        view,
    ))
}

impl Live {
    async fn effect(
        &mut self,
        effect: Effect,
        events: &mpsc::Sender<DaemonEvent>,
    ) -> zbus::Result<()> {
        let opts = std::collections::HashMap::new;
        let report = |r: zbus::Result<()>| async {
            if let Err(e) = r {
                let _ = events.send(DaemonEvent::Failed(explain(e))).await;
            }
        };
        match effect {
            Effect::Say(text) => match self.session.say(&text, opts()).await {
                Ok((reply, actions, plan)) => {
                    let question = actions.iter().any(|(kind, _)| kind == "clarify");
                    let plan = if plan.as_str() == NO_OBJECT {
                        None
                    } else {
                        Some(plan_view(&self.conn, plan).await?)
                    };
                    let _ = events
                        .send(DaemonEvent::Reply {
                            text: reply,
                            plan,
                            question,
                        })
                        .await;
                }
                Err(e @ zbus::Error::MethodError(..))
                    if e.to_string().contains("UnknownObject") =>
                {
                    return Err(e)
                }
                Err(e) => report(Err(e)).await,
            },
            Effect::SetSecret { plan, id, secret } => {
                let p = PlanProxy::builder(&self.conn).path(plan)?.build().await?;
                report(p.set_secret(&id, &secret, opts()).await).await;
            }
            Effect::Confirm(plan) => {
                let p = PlanProxy::builder(&self.conn).path(plan)?.build().await?;
                match p.confirm(opts()).await {
                    Ok(job) => {
                        self.job = Some(job);
                        self.last_job_state = None;
                    }
                    Err(e) => report(Err(e)).await,
                }
            }
            Effect::Reject(plan) => {
                let p = PlanProxy::builder(&self.conn).path(plan)?.build().await?;
                report(p.reject(opts()).await).await;
            }
            Effect::Cancel(job) => {
                let j = JobProxy::builder(&self.conn).path(job)?.build().await?;
                report(j.cancel(opts()).await).await;
            }
        }
        Ok(())
    }

    async fn tick(&mut self, events: &mpsc::Sender<DaemonEvent>) -> zbus::Result<()> {
        let view = snapshot(&self.manager).await?;
        if self.last_view.as_ref() != Some(&view) {
            self.last_view = Some(view.clone());
            let _ = events.send(DaemonEvent::Snapshot(view)).await;
        }
        if self.job.is_none() {
            let active = self.manager.active_job().await?;
            if active.as_str() != NO_OBJECT {
                self.job = Some(active);
            }
        }
        if let Some(path) = self.job.clone() {
            let jv = job_view(&self.conn, &path).await?;
            if self.last_job_state.as_ref() != Some(&jv) {
                let done = jv.state != "running";
                self.last_job_state = Some(jv.clone());
                let _ = events.send(DaemonEvent::Job(jv)).await;
                if done {
                    self.job = None;
                }
            }
        }
        Ok(())
    }
}

/// After a reconnection: the outcome of the job that was being followed when the
/// connection went. Its object is still there if the daemon kept running (the next tick
/// reports its state); if the daemon restarted, the job died with it, and the person is
/// told so, with what the daemon recorded (`LastError`) when it did.
async fn pick_up(live: &mut Live, following: OwnedObjectPath, events: &mpsc::Sender<DaemonEvent>) {
    if live.job.is_some() {
        return;
    }
    if job_view(&live.conn, &following).await.is_ok() {
        live.job = Some(following);
        return;
    }
    let recorded = live
        .manager
        .last_error()
        .await
        .map(|e| e.message)
        .unwrap_or_default();
    let message = restart_message(following.as_str(), &recorded);
    let _ = events
        .send(DaemonEvent::Job(JobView {
            path: following.to_string(),
            state: "failed".into(),
            message,
            ..JobView::default()
        }))
        .await;
}

/// What to say about the followed job `path` after a daemon restart, given the restarted
/// daemon's `LastError`. That error is taken only when it is about this job ("job 5 before
/// the daemon restarted: ..."): the journal's last job may be an earlier run's, whose error
/// says nothing about this one.
fn restart_message(path: &str, recorded: &str) -> String {
    let id = path.rsplit('/').next().unwrap_or_default();
    let about_this_job = format!("job {id} before the daemon restarted: ");
    match recorded.strip_prefix(&about_this_job) {
        Some(problem) if !id.is_empty() && !problem.is_empty() => {
            format!("The installer restarted while this job was running: {problem}")
        }
        _ => "The installer restarted while this job was running, so it did not finish. Ask for the status to see what is done.".to_owned(),
    }
}

/// Runs until the app goes away.
pub async fn run(mut effects: mpsc::Receiver<Effect>, events: mpsc::Sender<DaemonEvent>) {
    // The job being followed when the connection went, if it had not finished.
    let mut following: Option<OwnedObjectPath> = None;
    loop {
        let mut live = match connect().await {
            Ok((mut live, view)) => {
                let _ = events.send(DaemonEvent::Connected(view)).await;
                if let Some(job) = following.take() {
                    pick_up(&mut live, job, &events).await;
                }
                live
            }
            Err(e) => {
                if events
                    .send(DaemonEvent::Disconnected(e.to_string()))
                    .await
                    .is_err()
                {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let stream = match signals(&live.conn).await {
            Ok(s) => s,
            Err(e) => {
                let _ = events.send(DaemonEvent::Disconnected(e.to_string())).await;
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        // Signals are drained by a task of their own: a stream that nobody reads while this
        // loop awaits a reply fills up, and zbus then holds every message back, the reply
        // too.
        let changed = std::sync::Arc::new(tokio::sync::Notify::new());
        let reader = tokio::spawn({
            let changed = changed.clone();
            let mut stream = stream;
            async move {
                while let Some(Ok(_)) = stream.next().await {
                    changed.notify_one();
                }
                changed.notify_one();
            }
        });
        let mut safety = tokio::time::interval(SAFETY);
        // Read once now: a change between `connect` and the subscription has no signal.
        let mut due: Option<tokio::time::Instant> = Some(tokio::time::Instant::now());
        let lost = loop {
            let settle = async {
                match due {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                effect = effects.recv() => {
                    let Some(effect) = effect else { return };
                    if let Err(e) = live.effect(effect, &events).await {
                        break e;
                    }
                    // What the effect changed is signalled too; a confirmed job is followed
                    // from now on, and its first state is read without waiting for one.
                    due.get_or_insert_with(|| tokio::time::Instant::now() + SETTLE);
                }
                () = changed.notified() => {
                    due.get_or_insert_with(|| tokio::time::Instant::now() + SETTLE);
                }
                () = settle => {
                    due = None;
                    if let Err(e) = live.tick(&events).await {
                        break e;
                    }
                }
                _ = safety.tick() => {
                    if let Err(e) = live.tick(&events).await {
                        break e;
                    }
                }
            }
        };
        reader.abort();
        following = live.job.take();
        if events
            .send(DaemonEvent::Disconnected(lost.to_string()))
            .await
            .is_err()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue #14: an error recorded for an earlier job was shown as this job's.
    #[test]
    fn after_a_restart_only_this_jobs_error_is_shown() {
        let path = "/org/levitateos/Installer1/Job/5";
        let own = restart_message(
            path,
            "job 5 before the daemon restarted: the daemon stopped in the middle of this step",
        );
        assert!(
            own.ends_with(": the daemon stopped in the middle of this step"),
            "{own}"
        );
        assert!(!own.contains("job 5"), "{own}");
        for other in [
            "job 3 before the daemon restarted: Failed: copy: no space left on device",
            "job 55 before the daemon restarted: disk full",
            "Failed: copy: no space left on device",
            "",
        ] {
            let m = restart_message(path, other);
            assert!(
                m.contains("did not finish") && !m.contains("copy") && !m.contains("disk full"),
                "{other:?} gave {m:?}"
            );
        }
    }
}
