//! Stale plans made visible: after every job and whenever the disks change, each pending
//! plan's fingerprint is compared with the machine as it is now (the same comparison
//! `Confirm` makes), `Plan.Stale` follows it, and `Manager.DisksChanged` says the disks
//! changed. In real and sandbox mode a watcher off the actor notices changes that no job
//! made (a USB stick plugged in, a partition mounted by hand).

use std::{path::Path, time::Duration};

use levitate_dbus::{PlanState, ROOT_PATH};
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use super::{Actor, Command};
use crate::{
    iface::{lock, ManagerIface},
    plan,
};

/// What the kernel says about block devices, mounts and swap; a change in any of them may
/// change what `ListDisks` shows.
const WATCHED: [&str; 3] = ["/proc/partitions", "/proc/self/mountinfo", "/proc/swaps"];
/// How often the watcher reads them.
const POLL: Duration = Duration::from_secs(2);

impl Actor {
    /// Re-checks every pending plan against the machine as it is now and signals what
    /// changed: `Stale` of each plan whose answer changed, then `DisksChanged` when the
    /// disks differ from the last time they were looked at.
    pub(super) async fn recheck_plans(&mut self) {
        let machine = self.machine().await;
        let now = plan::fingerprint(&machine, &self.state);
        let mut changed = Vec::new();
        for (id, entry) in &self.plans {
            let mut p = lock(&entry.props);
            if p.state != PlanState::Pending {
                continue;
            }
            let stale = entry.plan.fingerprint != now;
            if p.stale != stale {
                p.stale = stale;
                changed.push(*id);
            }
        }
        for id in changed {
            info!(plan = id, "plan is stale now");
            self.notify_plan(id, &["Stale"]).await;
        }
        let disks = machine.disks_fingerprint();
        if self
            .disks_seen
            .replace(disks)
            .is_some_and(|before| before != disks)
        {
            info!("the disks changed");
            match self
                .conn
                .object_server()
                .interface::<_, ManagerIface>(ROOT_PATH)
                .await
            {
                Ok(iface) => {
                    if let Err(e) = ManagerIface::disks_changed(iface.signal_emitter()).await {
                        warn!(error = %e, "cannot emit DisksChanged");
                    }
                }
                Err(e) => warn!(error = %e, "the manager object vanished"),
            }
        }
    }

    /// A change the watcher saw. While a job runs the disks are its to change and are
    /// not probed under it; its end re-checks everything.
    pub(super) async fn disks_maybe_changed(&mut self) {
        if self.active_job.is_none() {
            self.recheck_plans().await;
        }
    }

    /// Records the disks as they are now, so the first change is noticed as one.
    pub async fn remember_disks(&mut self) {
        self.disks_seen = Some(self.machine().await.disks_fingerprint());
    }
}

/// Watches [`WATCHED`] in a thread of its own and tells the actor when their content
/// changes. Polling: `/proc/partitions` offers no notification, and two seconds is quick
/// enough for a person who plugs in a disk and looks at the screen. Stops when the actor
/// is gone.
pub fn watch_disks(tx: mpsc::Sender<Command>) {
    let spawned = std::thread::Builder::new()
        .name("disk-watcher".into())
        .spawn(move || {
            let mut last = snapshot(&WATCHED);
            loop {
                std::thread::sleep(POLL);
                if tx.is_closed() {
                    return;
                }
                let now = snapshot(&WATCHED);
                if now != last {
                    debug!("block devices, mounts or swaps changed");
                    last = now;
                    // A full queue already holds work that will look at the disks.
                    if let Err(mpsc::error::TrySendError::Closed(_)) =
                        tx.try_send(Command::DisksMaybeChanged)
                    {
                        return;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        warn!(error = %e, "cannot watch the disks; changes show only after jobs");
    }
}

/// The content of each file, empty when it cannot be read.
fn snapshot(files: &[&str]) -> Vec<Vec<u8>> {
    files
        .iter()
        .map(|f| std::fs::read(Path::new(f)).unwrap_or_default())
        .collect()
}
