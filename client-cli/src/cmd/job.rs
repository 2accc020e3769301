//! `watch` and `cancel`: jobs.

use std::{process::ExitCode, time::Duration};

use futures_util::StreamExt;
use levitate_dbus::{human_size, JobProxy};
use serde_json::json;

use crate::{
    ctx::Ctx,
    exit::{job_code, Outcome},
    output::{percent, print_result},
};

/// `watch`, and `plan confirm --watch`: progress lines until the job leaves `running`; the
/// exit code is the job's.
pub async fn watch(ctx: &Ctx, job: &JobProxy<'_>) -> Outcome {
    let mut completed = job.receive_completed().await?;
    let mut last_line = String::new();
    loop {
        let state = job.state().await?;
        let step = job.current_step().await?;
        let progress = job.progress().await?;
        let (bytes, total, rate) = (
            job.bytes().await?,
            job.total_bytes().await?,
            job.rate().await?,
        );
        if state != "running" {
            let message = job.message().await?;
            if ctx.json {
                // A daemon older than 1.1 has no `ErrorName`: the key is then absent.
                let error_name = job.error_name().await.ok();
                let mut v =
                    json!({"job": job.inner().path().as_str(), "state": state, "message": message});
                if let Some(name) = error_name {
                    v["error_name"] = json!(name);
                }
                out!("{v}");
            } else {
                out!("{state}: {message}");
            }
            return Ok(ExitCode::from(job_code(&state)));
        }
        let pct = percent(progress);
        let line = if ctx.json {
            json!({"progress": progress, "step": step, "bytes": bytes, "total_bytes": total, "rate": rate}).to_string()
        } else if total > 0 {
            format!(
                "[{pct:>3}%] {step}  {} / {}  {}/s",
                human_size(bytes),
                human_size(total),
                human_size(rate)
            )
        } else {
            format!("[{pct:>3}%] {step}")
        };
        // Between steps CurrentStep is empty: nothing new to say.
        if line != last_line && !step.is_empty() {
            out!("{line}");
            last_line = line;
        }
        // Completed wakes us at once; the timeout keeps progress lines coming, and makes a
        // missed signal harmless because State is read again.
        let _ = tokio::time::timeout(Duration::from_millis(500), completed.next()).await;
    }
}

/// `cancel`.
pub async fn cancel(ctx: &Ctx, job: Option<String>) -> Outcome {
    ctx.job(job).await?.cancel(ctx.opts()).await?;
    print_result(
        ctx.json,
        &json!({"cancel_requested": true}),
        "cancel requested",
    );
    Ok(ExitCode::SUCCESS)
}
