//! The step journal: one JSON line per step event under the state directory
//! (`/run/levitate-installer/journal.jsonl`, so it lasts exactly as long as this boot). A
//! restarted daemon replays the steps that finished and so knows what is mounted, what
//! was partitioned and what can be undone. Operations carry no secrets, so neither does
//! the journal.

use std::{
    fs::{self, OpenOptions},
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use crate::{install_state::InstallState, ops::Operation};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Started,
    Done,
    Failed,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    pub job: u64,
    pub step: usize,
    pub status: Status,
    pub op: Operation,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    pub fn new(state_dir: &Path) -> Self {
        Self {
            path: state_dir.join("journal.jsonl"),
        }
    }

    /// Appends one record and flushes it to disk before the step goes on.
    pub fn append(&self, rec: &Record) {
        let line = match serde_json::to_string(rec) {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot encode a journal record");
                return;
            }
        };
        let result = self
            .path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| {
                OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.path)
            })
            .and_then(|mut f| {
                f.write_all(line.as_bytes())?;
                f.write_all(b"\n")?;
                f.sync_data()
            });
        if let Err(e) = result {
            tracing::warn!(path = %self.path.display(), error = %e, "cannot write the step journal");
        }
    }

    /// The records, in order. Damaged lines (a crash mid-write) are skipped.
    pub fn read(&self) -> Vec<Record> {
        fs::read_to_string(&self.path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

/// The operations that finished, in order.
#[cfg(test)]
pub fn done(records: &[Record]) -> Vec<Operation> {
    records
        .iter()
        .filter(|r| r.status == Status::Done)
        .map(|r| r.op.clone())
        .collect()
}

/// Every step the journal records, in order, with whether it finished: a step that failed,
/// or started and has no later record (cancelled, or the daemon stopped), did not.
pub fn outcomes(records: &[Record]) -> Vec<(Operation, bool)> {
    records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r.status {
            Status::Done => Some((r.op.clone(), true)),
            Status::Failed => Some((r.op.clone(), false)),
            Status::Started => (!records[i + 1..]
                .iter()
                .any(|l| l.job == r.job && l.step == r.step))
            .then(|| (r.op.clone(), false)),
        })
        .collect()
}

/// What a restarted daemon rebuilds from the journal: the install state after every
/// finished step, through the one `InstallState::apply`, and what steps that did not
/// finish left undone (`InstallState::interrupted`).
pub fn replay(records: &[Record]) -> InstallState {
    let mut state = InstallState::default();
    for (op, finished) in outcomes(records) {
        if finished {
            state.apply(&op);
        } else {
            state.interrupted(&op);
        }
    }
    state
}

/// The last job recorded, when the daemon stopped in the middle of one of its steps: news
/// to the daemon that starts next. A job that failed is not: the daemon that ran it
/// reported the failure (`Completed`, `LastError`), and carrying it into a later run told
/// of an old error as if it were new.
pub fn interrupted_job(records: &[Record]) -> Option<u64> {
    let last = records.last()?;
    (last.status == Status::Started).then_some(last.job)
}

/// Where the sandbox keeps its journal and saved tables: they describe the image `owner`
/// names (its path and the file itself), attached as `device`. When another image is
/// attached, or this one was created anew (`fresh`), they start afresh: an earlier image's
/// steps, stages and saved tables would otherwise be taken for this one's (undo writing
/// another image's table onto it). The same image attached as another loop device (the
/// number it had went to someone else meanwhile) keeps them, its device names moved to the
/// new one. Returns whether it started afresh.
pub fn adopt(dir: &Path, owner: &str, device: &str, fresh: bool) -> bool {
    let marker = dir.join("owner");
    let recorded = fs::read_to_string(&marker).unwrap_or_default();
    let (was_owner, was_device) = recorded.split_once('\n').unwrap_or((&recorded, ""));
    if !fresh && was_owner == owner {
        if was_device != device && !was_device.is_empty() {
            move_device(dir, was_device, device);
        }
        record_owner(&marker, owner, device);
        return false;
    }
    for gone in [dir.join("journal.jsonl"), dir.join("backup")] {
        let removed = if gone.is_dir() {
            fs::remove_dir_all(&gone)
        } else {
            fs::remove_file(&gone)
        };
        if let Err(e) = removed.or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        }) {
            tracing::warn!(path = %gone.display(), error = %e, "cannot clear the sandbox's earlier state");
        }
    }
    record_owner(&marker, owner, device);
    true
}

fn record_owner(marker: &Path, owner: &str, device: &str) {
    if let Err(e) = marker
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(marker, format!("{owner}\n{device}")))
    {
        tracing::warn!(path = %marker.display(), error = %e, "cannot record the sandbox image");
    }
}

/// Renames `from` (`/dev/loop3`) to `to` in the journal and the saved tables: device names
/// are JSON strings there, the disk's own (`"/dev/loop3"`) or a partition's
/// (`"/dev/loop3p1"`), and a saved table's folder is named by the disk.
fn move_device(dir: &Path, from: &str, to: &str) {
    let rename = |text: &str| {
        text.replace(&format!("\"{from}\""), &format!("\"{to}\""))
            .replace(&format!("\"{from}p"), &format!("\"{to}p"))
    };
    let journal = dir.join("journal.jsonl");
    if let Ok(text) = fs::read_to_string(&journal) {
        if let Err(e) = fs::write(&journal, rename(&text)) {
            tracing::warn!(error = %e, "cannot move the sandbox journal to its new device");
        }
    }
    let name = |d: &str| d.trim_start_matches("/dev/").replace('/', "_");
    let (old, new) = (
        dir.join("backup").join(name(from)),
        dir.join("backup").join(name(to)),
    );
    if old.is_dir() {
        let _ = fs::remove_dir_all(&new);
        let meta = old.join("meta.json");
        let moved = fs::read_to_string(&meta)
            .and_then(|m| fs::write(&meta, rename(&m)))
            .and_then(|()| fs::rename(&old, &new));
        if let Err(e) = moved {
            tracing::warn!(error = %e, "cannot move the sandbox's saved table to its new device");
        }
    }
    tracing::info!(
        from,
        to,
        "the sandbox image is attached as another device now"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_steps_replay_and_damage_is_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let j = Journal::new(dir.path());
        let op: Operation = crate::stage::config::ConfigOp::SetHostname("box".into()).into();
        for status in [Status::Started, Status::Done] {
            j.append(&Record {
                job: 3,
                step: 0,
                status,
                op: op.clone(),
                message: String::new(),
            });
        }
        j.append(&Record {
            job: 3,
            step: 1,
            status: Status::Started,
            op: crate::stage::system::SystemOp::WriteFstab.into(),
            message: String::new(),
        });
        fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join("journal.jsonl"))
            .and_then(|mut f| f.write_all(b"{\"job\":3,\"st"))
            .expect("damage");
        let records = j.read();
        assert_eq!(done(&records), vec![op]);
        assert_eq!(interrupted_job(&records), Some(3));
    }

    /// Regression (#14, item 9): a failed job's error was reported again by every later
    /// daemon (a new sandbox run showed the last run's `mkfs.xfs` failure as its `LastError`).
    #[test]
    fn a_failed_job_is_not_news_to_the_next_daemon_but_an_interrupted_one_is() {
        let dir = tempfile::tempdir().expect("tempdir");
        let j = Journal::new(dir.path());
        let op: Operation = crate::stage::system::SystemOp::WriteFstab.into();
        for (status, message) in [
            (Status::Started, ""),
            (Status::Failed, "mkfs.xfs failed"),
            (Status::Done, "undone after the failure"),
        ] {
            j.append(&Record {
                job: 4,
                step: 0,
                status,
                op: op.clone(),
                message: message.into(),
            });
        }
        assert_eq!(interrupted_job(&j.read()), None);
    }

    /// Regression (#14, item 3): a copy run again and stopped halfway left the install
    /// state saying the system was copied (bootloader plans were then allowed), after a
    /// restart too.
    #[test]
    fn a_copy_run_again_and_stopped_halfway_is_not_a_copied_system() {
        let dir = tempfile::tempdir().expect("tempdir");
        let j = Journal::new(dir.path());
        let copy: Operation = crate::stage::system::SystemOp::CopySystem { bytes: 1 }.into();
        for (job, status) in [
            (1, Status::Started),
            (1, Status::Done),
            (2, Status::Started),
        ] {
            j.append(&Record {
                job,
                step: 0,
                status,
                op: copy.clone(),
                message: String::new(),
            });
        }
        assert!(!replay(&j.read()).system_copied);
        j.append(&Record {
            job: 3,
            step: 0,
            status: Status::Done,
            op: copy.clone(),
            message: String::new(),
        });
        assert!(replay(&j.read()).system_copied, "copied again, to the end");
        let mut state = InstallState::default();
        state.apply(&copy);
        state.interrupted(&copy);
        assert!(!state.system_copied);
    }

    #[test]
    fn the_sandbox_state_belongs_to_its_image() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sb = dir.path().join("sandbox");
        let write = || {
            Journal::new(&sb).append(&Record {
                job: 1,
                step: 0,
                status: Status::Done,
                op: crate::stage::system::SystemOp::WriteFstab.into(),
                message: String::new(),
            });
            fs::create_dir_all(sb.join("backup/loop0")).expect("backup");
        };
        assert!(
            adopt(&sb, "image A", "/dev/loop0", false),
            "nothing recorded yet"
        );
        write();
        assert!(
            !adopt(&sb, "image A", "/dev/loop0", false),
            "the same image again"
        );
        assert_eq!(Journal::new(&sb).read().len(), 1);
        assert!(adopt(&sb, "image B", "/dev/loop0", false), "another image");
        assert!(Journal::new(&sb).read().is_empty() && !sb.join("backup").exists());
        write();
        assert!(
            adopt(&sb, "image B", "/dev/loop0", true),
            "the image made anew"
        );
        assert!(Journal::new(&sb).read().is_empty());
    }

    /// The same image attached again as another loop device (its old number taken by
    /// someone else meanwhile) keeps its journal and saved table, under the new name.
    #[test]
    fn the_same_image_on_another_loop_device_keeps_its_state_renamed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sb = dir.path().join("sandbox");
        assert!(adopt(&sb, "image A", "/dev/loop1", false));
        let op: Operation = crate::stage::disks::DiskOp::MakeFs {
            partition: "/dev/loop1p2".into(),
            device: "/dev/loop1p2".into(),
            fs: crate::stage::disks::Fs::Ext4,
        }
        .into();
        Journal::new(&sb).append(&Record {
            job: 1,
            step: 0,
            status: Status::Done,
            op,
            message: String::new(),
        });
        fs::create_dir_all(sb.join("backup/loop1")).expect("backup");
        fs::write(
            sb.join("backup/loop1/meta.json"),
            r#"{"disk":"/dev/loop1","size":1}"#,
        )
        .expect("meta");

        assert!(!adopt(&sb, "image A", "/dev/loop12", false));

        let text = fs::read_to_string(sb.join("journal.jsonl")).expect("journal");
        assert!(
            text.contains("\"/dev/loop12p2\"") && !text.contains("\"/dev/loop1p2\""),
            "{text}"
        );
        assert_eq!(done(&Journal::new(&sb).read()).len(), 1);
        let meta = fs::read_to_string(sb.join("backup/loop12/meta.json")).expect("moved");
        assert!(meta.contains("\"/dev/loop12\""), "{meta}");
        assert!(!sb.join("backup/loop1").exists());
    }

    /// Regression: replay used an `apply` that differed from the planner's and the actor's,
    /// so after a daemon restart the disk holding the target root was forgotten and a BIOS
    /// bootloader plan was refused ("no disk holds the target root").
    #[test]
    fn a_restarted_daemon_still_knows_the_root_disk_and_plans_a_bios_bootloader() {
        use crate::{
            machine::Machine,
            plan::{plan, PlanContext},
            stage::bootloader::BootloaderOp,
        };
        let m =
            Machine::from_json(r#"{"firmware":"bios","disks":[{"path":"/dev/vda","size":"40G"}]}"#)
                .expect("machine");
        let dir = tempfile::tempdir().expect("tempdir");
        let host = crate::stage::host::Host::capable();
        let ctx = |state| PlanContext {
            machine: &m,
            state,
            target_root: "/mnt/levitate",
            zoneinfo: dir.path(),
            source: None,
            simulated: true,
            sandbox: false,
            host: &host,
        };
        let fresh = InstallState::default();
        let install = plan(
            levitate_dbus::Action::list_from_json(
                r#"[{"action":"partition","disk":"/dev/vda"},{"action":"copy_system"}]"#,
            )
            .expect("actions"),
            &ctx(&fresh),
        )
        .expect("install plan");
        let j = Journal::new(dir.path());
        for (i, s) in install.steps.iter().enumerate() {
            j.append(&Record {
                job: 1,
                step: i,
                status: Status::Done,
                op: s.op.clone(),
                message: String::new(),
            });
        }
        let state = replay(&j.read());
        assert_eq!(state.root_disk.as_deref(), Some("/dev/vda"));
        let boot = plan(
            levitate_dbus::Action::list_from_json(r#"{"action":"install_bootloader"}"#)
                .expect("actions"),
            &ctx(&state),
        )
        .expect("a bootloader plan after a restart");
        assert_eq!(
            boot.steps[0].op,
            Operation::from(BootloaderOp::InstallBootloader {
                target: "/dev/vda".into(),
                kernel_args: String::new(),
                os_prober: false,
            })
        );
    }
}
