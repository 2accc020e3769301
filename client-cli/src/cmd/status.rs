//! `status`: the installer's state.

use std::process::ExitCode;

use levitate_dbus::NO_OBJECT;
use serde_json::{json, Value as Json};

use crate::{
    ctx::{active_or_last, Ctx},
    exit::Outcome,
    output::{path_or_null, percent, print_json, text},
};

/// `assistant`: who answers and why (`Manager.Assistant`); `state` is `AssistantState`,
/// also for a daemon older than the `Assistant` property.
async fn assistant_json(m: &levitate_dbus::ManagerProxy<'_>) -> zbus::Result<Json> {
    let state = m.assistant_state().await?;
    Ok(assistant_object(
        state,
        m.assistant().await.unwrap_or_default(),
    ))
}

/// The property's map as `status --json` shows it: the flat `adapter_*` keys become an
/// `adapter` object `{path, sha256}` (empty strings without one), and `variant`, `reason`,
/// `model` are always there, also from a daemon that does not send them yet.
fn assistant_object(state: String, mut a: std::collections::HashMap<String, String>) -> Json {
    a.insert("state".into(), state);
    let path = a.remove("adapter_path").unwrap_or_default();
    let sha256 = a.remove("adapter_sha256").unwrap_or_default();
    let mut v = serde_json::Map::new();
    for key in ["variant", "reason", "model"] {
        v.insert(key.into(), json!(a.remove(key).unwrap_or_default()));
    }
    v.extend(a.into_iter().map(|(k, s)| (k, json!(s))));
    v.insert("adapter".into(), json!({"path": path, "sha256": sha256}));
    Json::Object(v)
}

pub async fn status(ctx: &Ctx) -> Outcome {
    let m = ctx.manager().await?;
    let stages = m.stages().await?;
    let active = m.active_job().await?;
    let last_error = m.last_error().await?;
    let config = m.configuration().await?;
    let users = m.users().await?;
    let pending = m.pending_plans().await?;
    let mut job_json = Json::Null;
    let job_path = active_or_last(&m, &active).await?;
    if job_path.as_str() != NO_OBJECT {
        let j = ctx.job_at(job_path.clone()).await?;
        job_json = json!({
            "path": job_path.as_str(),
            "state": j.state().await?,
            "progress": j.progress().await?,
            "current_step": j.current_step().await?,
            "message": j.message().await?,
        });
        // A daemon older than 1.1 has no `ErrorName`: the key is then absent.
        if let Ok(name) = j.error_name().await {
            job_json["error_name"] = json!(name);
        }
    }
    let v = json!({
        "version": m.version().await?,
        "mode": m.mode().await?,
        "firmware": m.firmware().await?,
        "assistant": assistant_json(&m).await?,
        "stages": stages,
        "active_job": path_or_null(&active),
        "job": job_json,
        "pending_plans": pending.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "configuration": config,
        "users": users,
        "last_error": if last_error.name.is_empty() { Json::Null } else { json!(last_error) },
    });
    if ctx.json {
        print_json(&v);
        return Ok(ExitCode::SUCCESS);
    }
    out!(
        "LevitateOS installer {} ({}, {} firmware, assistant {})",
        text(&v["version"]),
        text(&v["mode"]),
        text(&v["firmware"]),
        text(&v["assistant"]["state"])
    );
    let a = &v["assistant"];
    if a["provider"] != "none" {
        out!(
            "assistant: {} {}{}{} ({})",
            text(&a["provider"]),
            text(&a["model"]),
            a["variant"]
                .as_str()
                .filter(|v| !v.is_empty())
                .map(|v| format!(" [{v}]"))
                .unwrap_or_default(),
            a["url"]
                .as_str()
                .filter(|u| !u.is_empty())
                .map(|u| format!(" at {u}"))
                .unwrap_or_default(),
            text(&a["reason"])
        );
    }
    if let Some(e) = a["last_error"].as_str().filter(|e| !e.is_empty()) {
        out!("assistant's last error: {e}");
    }
    for s in &stages {
        out!("  {} {}", s.state.mark(), s.title);
    }
    if !job_json.is_null() {
        out!(
            "job {}: {} {}% {}",
            text(&job_json["path"]),
            text(&job_json["state"]),
            percent(job_json["progress"].as_f64().unwrap_or(0.0)),
            text(&job_json["current_step"])
        );
    }
    for (k, val) in &config {
        out!("{k}: {val}");
    }
    for u in &users {
        out!(
            "user {}{}{}",
            u.name,
            if u.sudo { " (sudo)" } else { "" },
            if u.password_set { ", password set" } else { "" }
        );
    }
    for p in &pending {
        out!("pending plan: {}", p.as_str());
    }
    if !last_error.name.is_empty() {
        out!("last error: {}", last_error.message);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assistant_object_has_the_variant_and_an_adapter_object() {
        let map = [
            ("provider", "embedded"),
            ("reason", "nano: the only installed variant"),
            ("model", "SmolLM2"),
            ("variant", "nano"),
            ("adapter_path", "/opt/lora.gguf"),
            ("adapter_sha256", "ab"),
            ("url", "http://127.0.0.1:1"),
            ("last_error", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            assistant_object("ready".into(), map),
            json!({
                "provider": "embedded", "state": "ready", "variant": "nano",
                "reason": "nano: the only installed variant", "model": "SmolLM2",
                "adapter": {"path": "/opt/lora.gguf", "sha256": "ab"},
                "url": "http://127.0.0.1:1", "last_error": "",
            })
        );
        // A daemon older than the property: the keys are there, empty.
        assert_eq!(
            assistant_object("disabled".into(), std::collections::HashMap::new()),
            json!({"state": "disabled", "variant": "", "reason": "", "model": "",
                   "adapter": {"path": "", "sha256": ""}})
        );
    }
}
