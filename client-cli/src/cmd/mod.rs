//! One module per group of commands; each function prints its result and returns the exit
//! code.

pub mod disks;
pub mod interpret;
pub mod job;
pub mod plan;
pub mod say;
pub mod status;
