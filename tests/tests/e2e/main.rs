//! End-to-end tests over a real system-type bus with the real polkitd, one module per
//! theme. The harness (a private bus, polkitd, the daemon, clients as unprivileged users) is
//! `harness/mod.rs`; what these tests share with the daemon's root-only unit tests (root and
//! tool checks, loop devices, sfdisk/blkid/findmnt readers, timed children) is the
//! `levitate-testkit` crate.
//!
//! One test binary, not one per theme: each binary links the whole dependency graph (zbus,
//! tokio) again, which costs more than the tests' own code on a small build machine, and
//! the harness is compiled once. `cargo test -p levitate-e2e protocol::` runs one theme.

#![allow(clippy::many_single_char_names)]

mod harness;

mod assistant;
mod assistant_remote;
mod auth;
mod boot;
mod finish;
mod frontend;
mod install;
mod job_api;
mod protocol;
mod protocol_plan;
mod robustness;
mod sandbox;
mod tui;
mod vm;

use std::{collections::HashMap, time::Duration};

use levitate_dbus::{Action, JobProxy, ManagerProxy, PlanProxy};
use zbus::zvariant::{OwnedObjectPath, Value};

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

/// A proxy that reads every property from the daemon, never from a cache: a test reads a
/// property right after the call that changed it.
async fn uncached<'a, P>(conn: &zbus::Connection, path: Option<OwnedObjectPath>) -> P
where
    P: From<zbus::Proxy<'a>> + zbus::proxy::Defaults,
{
    let mut builder = zbus::proxy::Builder::<P>::new(conn);
    if let Some(path) = path {
        builder = builder.path(path).expect("path");
    }
    builder
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()
        .await
        .expect("proxy")
}

async fn manager<'a>(conn: &zbus::Connection) -> ManagerProxy<'a> {
    uncached(conn, None).await
}

async fn plan_proxy<'a>(conn: &zbus::Connection, path: OwnedObjectPath) -> PlanProxy<'a> {
    uncached(conn, Some(path)).await
}

async fn job_proxy<'a>(conn: &zbus::Connection, path: OwnedObjectPath) -> JobProxy<'a> {
    uncached(conn, Some(path)).await
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

/// Every property of every object, as the bus shows them (`GetManagedObjects`), as text.
async fn bus_dump(conn: &zbus::Connection) -> String {
    let om = zbus::fdo::ObjectManagerProxy::builder(conn)
        .destination(levitate_dbus::BUS_NAME)
        .expect("dest")
        .path(levitate_dbus::ROOT_PATH)
        .expect("path")
        .build()
        .await
        .expect("om");
    format!("{:?}", om.get_managed_objects().await.expect("objects"))
}
