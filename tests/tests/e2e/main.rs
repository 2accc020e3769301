//! End-to-end tests over a real system-type bus with the real polkitd, one module per
//! theme. The harness (a private bus, polkitd, the daemon, clients as unprivileged users) is
//! `harness/mod.rs`.
//!
//! One test binary, not one per theme: each binary links the whole dependency graph (zbus,
//! tokio) again, which costs more than the tests' own code on a small build machine, and
//! the harness is compiled once. `cargo test -p levitate-e2e protocol::` runs one theme.

#![allow(clippy::many_single_char_names)]

mod harness;

mod assistant;
mod auth;
mod install;
mod protocol;
mod robustness;
mod sandbox;
mod tui;
mod vm;

use std::{collections::HashMap, time::Duration};

use levitate_dbus::{Action, JobProxy, ManagerProxy, PlanProxy};
use zbus::zvariant::Value;

fn opts() -> HashMap<&'static str, Value<'static>> {
    HashMap::new()
}

fn wire(json: &str) -> Vec<levitate_dbus::WireAction> {
    Action::list_from_json(json)
        .expect("valid actions")
        .iter()
        .map(Action::to_wire)
        .collect()
}

async fn manager<'a>(conn: &zbus::Connection) -> ManagerProxy<'a> {
    ManagerProxy::builder(conn)
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()
        .await
        .expect("manager proxy")
}

async fn plan_proxy<'a>(
    conn: &zbus::Connection,
    path: zbus::zvariant::OwnedObjectPath,
) -> PlanProxy<'a> {
    // Uncached: a test reads a property right after the call that changed it.
    PlanProxy::builder(conn)
        .path(path)
        .expect("path")
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()
        .await
        .expect("plan proxy")
}

async fn job_proxy<'a>(
    conn: &zbus::Connection,
    path: zbus::zvariant::OwnedObjectPath,
) -> JobProxy<'a> {
    JobProxy::builder(conn)
        .path(path)
        .expect("path")
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()
        .await
        .expect("job proxy")
}

/// Waits until the job's State is no longer `running`, reading properties (not signals).
async fn wait_finished(job: &JobProxy<'_>) -> String {
    loop {
        let s = job.state().await.expect("state");
        if s != "running" {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
