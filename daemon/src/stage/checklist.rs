//! The installation checklist: six stages whose states derive from executed steps.

use levitate_dbus::{Stage, StageState, StepState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StageId {
    Disks,
    System,
    Configuration,
    Users,
    Bootloader,
    Finalize,
}

impl StageId {
    pub const ALL: [StageId; 6] = [
        Self::Disks,
        Self::System,
        Self::Configuration,
        Self::Users,
        Self::Bootloader,
        Self::Finalize,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Self::Disks => "disks",
            Self::System => "system",
            Self::Configuration => "configuration",
            Self::Users => "users",
            Self::Bootloader => "bootloader",
            Self::Finalize => "finalize",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Disks => "Disk configuration",
            Self::System => "System installation",
            Self::Configuration => "Configuration",
            Self::Users => "User setup",
            Self::Bootloader => "Bootloader",
            Self::Finalize => "Finalize",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Per stage: how many of its steps run now, and how the last one ended.
#[derive(Debug, Default, Clone)]
pub struct StageTracker {
    running: [u32; 6],
    last_ok: [Option<bool>; 6],
}

impl StageTracker {
    pub fn started(&mut self, stage: StageId) {
        self.running[stage.index()] += 1;
    }

    /// A step of `stage` was cancelled: it no longer runs, and the stage is not done, even
    /// when an earlier job had finished it: the step was doing its work again (a second
    /// copy overwrites the first) and did not finish. A failed stage stays failed.
    pub fn stopped(&mut self, stage: StageId) {
        let i = stage.index();
        self.running[i] = self.running[i].saturating_sub(1);
        self.not_done(i);
    }

    /// A job that failed or was cancelled ended with these steps: a stage in which a step
    /// did not finish is not done, whatever its finished steps said.
    pub fn job_ended(&mut self, steps: &[(StageId, StepState)]) {
        for (stage, state) in steps {
            if *state != StepState::Done {
                self.not_done(stage.index());
            }
        }
    }

    fn not_done(&mut self, i: usize) {
        if self.last_ok[i] == Some(true) {
            self.last_ok[i] = None;
        }
    }

    pub fn finished(&mut self, stage: StageId, ok: bool) {
        let i = stage.index();
        self.running[i] = self.running[i].saturating_sub(1);
        self.last_ok[i] = Some(ok);
    }

    /// Forgets the outcome of the stages a finished operation undoes (a new layout
    /// replaces the target: what was installed into it is gone).
    pub fn applied(&mut self, op: &crate::ops::Operation) {
        for s in op.resets() {
            self.last_ok[s.index()] = None;
        }
    }

    pub fn state(&self, stage: StageId) -> StageState {
        let i = stage.index();
        match (self.running[i], self.last_ok[i]) {
            (n, _) if n > 0 => StageState::InProgress,
            (_, Some(true)) => StageState::Done,
            (_, Some(false)) => StageState::Failed,
            (_, None) => StageState::Pending,
        }
    }

    pub fn snapshot(&self) -> Vec<Stage> {
        StageId::ALL
            .iter()
            .map(|s| Stage {
                id: s.id().to_owned(),
                title: s.title().to_owned(),
                state: self.state(*s),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_steps() {
        let mut t = StageTracker::default();
        assert_eq!(t.state(StageId::Disks), StageState::Pending);
        t.started(StageId::Disks);
        assert_eq!(t.state(StageId::Disks), StageState::InProgress);
        t.finished(StageId::Disks, false);
        assert_eq!(t.state(StageId::Disks), StageState::Failed);
        t.started(StageId::Disks);
        t.finished(StageId::Disks, true);
        assert_eq!(t.state(StageId::Disks), StageState::Done);
        t.started(StageId::System);
        t.stopped(StageId::System);
        assert_eq!(
            t.state(StageId::System),
            StageState::Pending,
            "a cancelled stage that never finished is not done"
        );
        let snap = t.snapshot();
        assert_eq!(snap.len(), 6);
        assert_eq!(snap[0].title, "Disk configuration");
        assert_eq!(snap[5].state, StageState::Pending);
    }

    /// Regression (#14, item 3): a copy cancelled at "Steps 0/2" showed "[x] System
    /// installation", because a stage done by an earlier job went back to done when the
    /// new job's step of it was cancelled, though that step was overwriting it.
    #[test]
    fn a_stage_run_again_and_cancelled_is_not_done() {
        let mut t = StageTracker::default();
        t.started(StageId::System);
        t.finished(StageId::System, true);
        assert_eq!(t.state(StageId::System), StageState::Done);
        t.started(StageId::System);
        t.stopped(StageId::System);
        assert_ne!(t.state(StageId::System), StageState::Done);
    }

    /// A job that failed or was cancelled leaves no stage done that still had a step to
    /// run in it: the copy finished, the fstab after it never ran.
    #[test]
    fn a_job_that_did_not_succeed_marks_no_unfinished_stage_done() {
        let mut t = StageTracker::default();
        for (stage, ok) in [(StageId::Disks, true), (StageId::System, true)] {
            t.started(stage);
            t.finished(stage, ok);
        }
        t.started(StageId::Bootloader);
        t.finished(StageId::Bootloader, true);
        t.job_ended(&[
            (StageId::Disks, StepState::Done),
            (StageId::System, StepState::Done),
            (StageId::System, StepState::Skipped),
            (StageId::Users, StepState::Skipped),
        ]);
        assert_eq!(t.state(StageId::Disks), StageState::Done);
        assert_eq!(t.state(StageId::System), StageState::Pending);
        assert_eq!(t.state(StageId::Users), StageState::Pending);
        assert_eq!(
            t.state(StageId::Bootloader),
            StageState::Done,
            "a stage the job did not touch keeps what it had"
        );
    }
}
