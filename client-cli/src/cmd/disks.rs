//! `disks`: the disks the installer can see, with their sector sizes and holders.

use std::process::ExitCode;

use levitate_dbus::{human_size, Disk, Error, ManagerProxy};
use serde_json::json;

use crate::{ctx::Ctx, exit::Outcome, output::print_json};

/// Sector sizes and holders of a disk (`Manager.DiskDetails`).
struct Details {
    logical: u32,
    physical: u32,
    holders: Vec<String>,
}

async fn details(manager: &ManagerProxy<'_>, ctx: &Ctx, disk: &str) -> Result<Details, Error> {
    let map = manager.disk_details(disk, ctx.opts()).await?;
    let num = |k: &str| {
        map.get(k)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(512)
    };
    Ok(Details {
        logical: num("logical_sector_size"),
        physical: num("physical_sector_size"),
        holders: map
            .get("holders")
            .and_then(|v| Vec::<String>::try_from(v.try_clone().ok()?).ok())
            .unwrap_or_default(),
    })
}

pub async fn disks(ctx: &Ctx) -> Outcome {
    let manager = ctx.manager().await?;
    let disks: Vec<Disk> = manager.list_disks(ctx.opts()).await?;
    let mut all = Vec::with_capacity(disks.len());
    for d in &disks {
        all.push(details(&manager, ctx, &d.path).await?);
    }
    if ctx.json {
        let with: Vec<serde_json::Value> = disks
            .iter()
            .zip(&all)
            .map(|(d, x)| {
                let mut v = json!(d);
                v["details"] = json!({
                    "logical_sector_size": x.logical,
                    "physical_sector_size": x.physical,
                    "holders": x.holders,
                });
                v
            })
            .collect();
        print_json(&json!(with));
        return Ok(ExitCode::SUCCESS);
    }
    for (d, x) in disks.iter().zip(&all) {
        print_disk(d, x);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_disk(d: &Disk, x: &Details) {
    let kind = if d.rotational { "HDD" } else { "SSD" };
    let table = if d.table.is_empty() {
        "blank".to_owned()
    } else {
        d.table.to_uppercase()
    };
    out!(
        "{}  {}  {}  {} {}  {table}{}",
        d.path,
        human_size(d.size),
        if d.model.is_empty() { "-" } else { &d.model },
        d.transport,
        kind,
        if d.in_use.is_empty() {
            String::new()
        } else {
            format!("  IN USE: {}", d.in_use)
        }
    );
    if x.logical != 512 || x.physical != 512 {
        out!(
            "  sectors: {} bytes logical, {} physical",
            x.logical,
            x.physical
        );
    }
    if !x.holders.is_empty() {
        out!("  held by: {}", x.holders.join(", "));
    }
    for p in &d.partitions {
        out!(
            "  {}  {}  {}{}",
            p.path,
            human_size(p.size),
            p.description,
            if p.mountpoint.is_empty() {
                String::new()
            } else {
                format!("  (mounted at {})", p.mountpoint)
            }
        );
    }
}
