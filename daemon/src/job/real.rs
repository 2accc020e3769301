//! The real executor: each operation goes to its stage's executor.

use super::JobExecutor;
use crate::{
    install_state::InstallState,
    ops::Operation,
    plan::Step,
    stage::{
        bootloader::BootloaderExecutor, config::ConfigExecutor, disks::DiskExecutor,
        finalize::FinalizeExecutor, system::SystemExecutor, users::UsersExecutor, ExecConfig,
        ExecResult, StageExecutor, StepContext,
    },
};

#[derive(Default)]
pub struct RealExecutor {
    disks: DiskExecutor,
}

impl JobExecutor for RealExecutor {
    fn run(&mut self, step: &Step, cx: &mut StepContext<'_>) -> ExecResult {
        match &step.op {
            Operation::Disks(op) => self.disks.run(op, cx),
            Operation::System(op) => SystemExecutor.run(op, cx),
            Operation::Config(op) => ConfigExecutor.run(op, cx),
            Operation::Users(op) => UsersExecutor.run(op, cx),
            Operation::Bootloader(op) => BootloaderExecutor.run(op, cx),
            Operation::Finalize(op) => FinalizeExecutor {
                disks: &mut self.disks,
            }
            .run(op, cx),
        }
    }

    fn rollback(
        &mut self,
        config: &ExecConfig,
        state: &InstallState,
    ) -> ExecResult<Vec<Operation>> {
        self.disks.rollback(config, state)
    }

    fn commit(&mut self, config: &ExecConfig) {
        self.disks.commit(config);
    }
}
