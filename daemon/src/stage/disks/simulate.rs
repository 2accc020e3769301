//! What a finished disk step changes on a simulated machine.

use levitate_dbus::Partition;

use super::DiskOp;
use crate::{
    machine::{describe_contents, partition_path},
    stage::simulate::SimMachine,
};

pub fn effect(op: &DiskOp, sim: &mut SimMachine<'_>) {
    match op {
        DiskOp::UnmountTarget => release(sim),
        DiskOp::WriteTable { disk, table } => {
            save_table(sim, disk);
            if let Some(d) = sim.machine.disks.iter_mut().find(|d| &d.path == disk) {
                table.as_str().clone_into(&mut d.table);
                d.partitions.clear();
            }
        }
        DiskOp::CreatePartition {
            disk,
            number,
            start,
            size,
            kind,
        } => {
            save_table(sim, disk);
            if let Some(d) = sim.machine.disks.iter_mut().find(|d| &d.path == disk) {
                d.partitions.push(Partition {
                    path: partition_path(disk, *number),
                    number: *number,
                    start: *start,
                    size: *size,
                    fs: String::new(),
                    kind: kind.as_str().to_owned(),
                    label: String::new(),
                    uuid: String::new(),
                    mountpoint: String::new(),
                    description: describe_contents("", kind.as_str(), ""),
                });
                d.partitions.sort_by_key(|p| p.start);
            }
        }
        DiskOp::RestoreTable { disk } => {
            if let (Some(old), Some(d)) = (
                sim.saved_tables.remove(disk),
                sim.machine.disks.iter_mut().find(|d| &d.path == disk),
            ) {
                *d = old;
            }
        }
        DiskOp::LuksFormat { partition, .. } => {
            if let Some((di, pi)) = sim.find(partition) {
                let p = &mut sim.machine.disks[di].partitions[pi];
                p.fs = "crypto_LUKS".into();
                p.uuid.clone_from(&sim.uuid);
                p.description = describe_contents(&p.fs, &p.kind, &p.label);
            }
        }
        DiskOp::MakeFs {
            partition,
            device,
            fs,
        } => {
            if let Some((di, pi)) = sim.find(partition) {
                let p = &mut sim.machine.disks[di].partitions[pi];
                if device == partition {
                    fs.as_str().clone_into(&mut p.fs);
                    p.uuid.clone_from(&sim.uuid);
                    p.label.clear();
                    p.description = describe_contents(&p.fs, &p.kind, &p.label);
                } else {
                    p.description = format!("LUKS-encrypted volume holding {}", fs.as_str());
                }
            }
        }
        DiskOp::Mount {
            partition,
            mountpoint,
            ..
        } => {
            let target = sim.target(mountpoint);
            if let Some((di, pi)) = sim.find(partition) {
                sim.machine.disks[di].partitions[pi].mountpoint = target;
            }
        }
        DiskOp::SwapOn { partition, .. } => {
            if let Some((di, pi)) = sim.find(partition) {
                sim.machine.disks[di].partitions[pi].mountpoint = "[SWAP]".into();
            }
        }
    }
}

/// Keeps the disk as it was before its table first changed, for undo.
fn save_table(sim: &mut SimMachine<'_>, disk: &str) {
    if sim.state.undo_table.as_deref() != Some(disk) {
        if let Some(d) = sim.machine.disk(disk) {
            sim.saved_tables.insert(disk.to_owned(), d.clone());
        }
    }
}

/// The target unmounted, its swap off and its LUKS volumes closed.
pub fn release(sim: &mut SimMachine<'_>) {
    let ours: Vec<&String> = sim
        .state
        .mounts
        .values()
        .chain(sim.state.swaps.iter())
        .collect();
    for d in &mut sim.machine.disks {
        for p in &mut d.partitions {
            let mapped =
                p.fs == "crypto_LUKS" && ours.iter().any(|o| o.starts_with("/dev/mapper/"));
            if ours.contains(&&p.path) || mapped {
                p.mountpoint.clear();
            }
        }
    }
}
