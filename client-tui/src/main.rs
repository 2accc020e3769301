//! `levitate-installer`: the conversational terminal frontend. This first version connects
//! to the daemon and prints its status; the full ratatui screen builds on the same proxies.

use anyhow::{Context, Result};
use levitate_dbus::{ManagerProxy, StageState};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let conn = zbus::connection::Builder::system()?
        .build()
        .await
        .context("cannot connect to the system bus")?;
    let m = ManagerProxy::new(&conn).await?;
    let version = m
        .version()
        .await
        .context("the installer daemon (org.levitateos.Installer1) is not reachable")?;
    println!(
        "LevitateOS installer {version} ({} mode, {} firmware)",
        m.mode().await?,
        m.firmware().await?
    );
    for s in m.stages().await? {
        let mark = match s.state {
            StageState::Done => "[x]",
            StageState::InProgress => "[~]",
            StageState::Failed => "[!]",
            StageState::Pending => "[ ]",
        };
        println!("{mark} {}", s.title);
    }
    Ok(())
}
