//! Thin D-Bus interface structs. Each holds a handle to the actor, the authorizer, and a
//! snapshot of its properties that the actor keeps current. Handlers authorize the caller,
//! decode arguments and forward to the actor; they decide nothing.
//!
//! Properties live in `Arc<Mutex<_>>` rather than in the interface struct because zbus holds
//! an interface's read lock while a method handler awaits: the actor must never need the
//! write lock of an interface whose handler is waiting for it.

mod job;
mod manager;
pub mod options;
mod plan;
mod session;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use job::{JobIface, JobProps, LOG_TAIL};
pub use manager::{ManagerIface, ManagerProps};
pub use plan::{PlanIface, PlanProps};
pub use session::SessionIface;

/// Shared property snapshot.
pub type Shared<T> = Arc<Mutex<T>>;

/// Locks a snapshot; a panic elsewhere never makes the properties unreadable.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
