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
/// names. When another image is attached, or this one was created anew (`fresh`), they
/// start afresh: an earlier image's steps, stages and saved tables would otherwise be
/// taken for this one's (undo writing another image's table onto it). Returns whether it
/// started afresh.
pub fn adopt(dir: &Path, owner: &str, fresh: bool) -> bool {
    let marker = dir.join("owner");
    if !fresh && fs::read_to_string(&marker).is_ok_and(|o| o == owner) {
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
    if let Err(e) = fs::create_dir_all(dir).and_then(|()| fs::write(&marker, owner)) {
        tracing::warn!(path = %marker.display(), error = %e, "cannot record the sandbox image");
    }
    true
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
        assert!(adopt(&sb, "image A", false), "nothing recorded yet");
        write();
        assert!(!adopt(&sb, "image A", false), "the same image again");
        assert_eq!(Journal::new(&sb).read().len(), 1);
        assert!(adopt(&sb, "image B", false), "another image");
        assert!(Journal::new(&sb).read().is_empty() && !sb.join("backup").exists());
        write();
        assert!(adopt(&sb, "image B", true), "the image made anew");
        assert!(Journal::new(&sb).read().is_empty());
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
