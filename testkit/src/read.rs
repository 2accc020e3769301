//! Results read back with tools that share no code with the daemon. A missing tool fails
//! the test; it never reads as "nothing there".

use std::{
    ffi::OsStr,
    process::{Command, Output},
};

/// Runs a reader; its exit status is the caller's business (blkid and findmnt say "nothing
/// found" with it), but a reader that cannot run fails the test.
fn read(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (scripts/setup.sh installs it)"))
}

/// `sfdisk --json` of a disk or image: the table label (`gpt`, `dos`) and the partitions;
/// `None` when it has no table.
pub fn sfdisk_parts(dev: impl AsRef<OsStr>) -> Option<(String, Vec<serde_json::Value>)> {
    let out = read(Command::new("sfdisk").arg("--json").arg(dev));
    if !out.status.success() {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    Some((
        v["partitiontable"]["label"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
        v["partitiontable"]["partitions"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    ))
}

/// The type (GUID or MBR byte) of each partition of [`sfdisk_parts`].
pub fn partition_types(parts: &[serde_json::Value]) -> Vec<&str> {
    parts
        .iter()
        .map(|p| p["type"].as_str().unwrap_or(""))
        .collect()
}

/// One value (`TYPE`, `UUID`, `LABEL`) of a low-level `blkid -p` probe; empty when blkid
/// finds none.
pub fn blkid_value(dev: &str, key: &str) -> String {
    let out = read(Command::new("blkid").args(["-p", "-o", "value", "-s", key, dev]));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The filesystem (or swap, or `crypto_LUKS`) on `dev`; empty when there is none.
pub fn blkid_type(dev: &str) -> String {
    blkid_value(dev, "TYPE")
}

/// The device mounted at `target`; empty when nothing is.
pub fn findmnt_source(target: &str) -> String {
    let out = read(Command::new("findmnt").args(["-n", "-o", "SOURCE", "--mountpoint", target]));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
