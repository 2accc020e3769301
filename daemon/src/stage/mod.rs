//! The installation stages. Each folder holds one stage whole: its operations
//! (`StageOp`), its planning (the actions it claims), its real execution
//! (`StageExecutor`) and its simulated effect, side by side. The job runner (`job/`) and
//! the planner (`plan/`) dispatch to them; nothing else knows a stage's operations.

pub mod bootloader;
mod checklist;
pub mod config;
pub mod disks;
pub mod finalize;
pub mod host;
pub mod process;
pub mod simulate;
pub mod system;
pub mod users;

use std::path::PathBuf;

use tokio_util::sync::CancellationToken;
use zeroize::Zeroizing;

pub use self::checklist::{StageId, StageTracker};
use crate::{install_state::InstallState, plan::PlanBuilder, plan::PlanError};
use levitate_dbus::Action;

/// Why a step did not finish.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("cancelled")]
    Cancelled,
    /// A safety check refused to touch a device (mounted, swap, the running root, outside
    /// the sandbox).
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Failed(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl ExecError {
    /// An I/O error with what the installer was doing.
    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| Self::Io { what, source }
    }
}

pub type ExecResult<T = ()> = Result<T, ExecError>;

/// Progress of a data-moving step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub fraction_permille: u32,
    pub bytes: u64,
    pub total_bytes: u64,
    pub rate: u64,
}

/// Where and how a job's steps run.
#[derive(Debug, Clone)]
pub struct ExecConfig {
    /// Where the target is mounted (`/mnt/levitate`).
    pub target_root: String,
    /// Saved tables and the step journal (`/run/levitate-installer`).
    pub state_dir: PathBuf,
    /// In sandbox mode, the only disk that may be touched.
    pub sandbox: Option<String>,
    /// What the system is copied from.
    pub source: Option<system::source::Source>,
}

impl ExecConfig {
    /// Where `mountpoint` of the target is on this system.
    pub fn target(&self, mountpoint: &str) -> String {
        target_path(&self.target_root, mountpoint)
    }
}

/// Where `mountpoint` of the target is on this system, the target being mounted at
/// `root`: the planner's descriptions, the simulation and the executors all say it so.
pub fn target_path(root: &str, mountpoint: &str) -> String {
    if mountpoint == "/" {
        root.to_owned()
    } else {
        format!("{}{mountpoint}", root.trim_end_matches('/'))
    }
}

/// What a step runs with. Built by the job runner on the step's blocking thread.
pub struct StepContext<'a> {
    pub config: &'a ExecConfig,
    /// The install state as the job goes (earlier steps of this job applied).
    pub state: &'a InstallState,
    /// The step's secret, when it needs one.
    pub secret: Option<&'a Zeroizing<Vec<u8>>>,
    pub cancel: &'a CancellationToken,
    pub progress: &'a mut dyn FnMut(Progress),
}

/// Carries out the operations of one stage on the real system. Runs on a blocking thread
/// (tools and disk I/O block), one step at a time.
pub trait StageExecutor {
    type Op;
    fn run(&mut self, op: &Self::Op, cx: &mut StepContext<'_>) -> ExecResult;
}

/// How each stage claims the actions it plans: `None` when the action is not its own.
type ActionPlanner = fn(&mut PlanBuilder<'_>, &Action) -> Option<Result<(), PlanError>>;

/// Every stage's planner, in the order of the installation.
pub const PLANNERS: [ActionPlanner; 6] = [
    disks::plan::action,
    system::plan_action,
    config::plan_action,
    users::plan_action,
    bootloader::plan_action,
    finalize::plan_action,
];
