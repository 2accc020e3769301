//! `levitate-installer`: the conversational terminal frontend. Checklist on the left, the
//! conversation on the right; every change goes through a plan the person confirms.

mod app;
mod bridge;
mod ui;

use std::io::{self, IsTerminal};

use anyhow::{Context, Result};
use crossterm::{
    event::{DisableMouseCapture, EnableMouseCapture, Event, EventStream},
    execute,
    terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen},
};
use futures_util::StreamExt;
use ratatui::{backend::CrosstermBackend, Terminal};
use tokio::sync::mpsc;

use crate::{app::App, ui::Theme};

/// Puts the terminal back, whatever happened.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        LeaveAlternateScreen,
        DisableMouseCapture,
        crossterm::cursor::Show
    );
}

struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    if std::env::args().any(|a| a == "--version" || a == "-V") {
        println!("levitate-installer {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    if !io::stdout().is_terminal() {
        anyhow::bail!("levitate-installer needs a terminal; for scripts use levitate-installctl");
    }
    let theme = Theme {
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        default_hook(info);
    }));
    enable_raw_mode().context("cannot switch the terminal to raw mode")?;
    let _restore = Restore;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;

    let (effects_tx, effects_rx) = mpsc::channel(32);
    let (events_tx, mut events_rx) = mpsc::channel(64);
    tokio::spawn(bridge::run(effects_rx, events_tx));

    let mut app = App::new();
    let mut input = EventStream::new();
    while !app.quit {
        let mut viewport = app.viewport;
        terminal.draw(|f| viewport = ui::draw(&app, &theme, f))?;
        app.viewport = viewport;
        let effects = tokio::select! {
            event = input.next() => match event {
                Some(Ok(Event::Key(k))) => app.key(k),
                Some(Ok(Event::Mouse(m))) => {
                    app.mouse(m.kind);
                    Vec::new()
                }
                Some(Ok(_)) => Vec::new(),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            event = events_rx.recv() => match event {
                Some(e) => {
                    app.daemon(e);
                    Vec::new()
                }
                None => break,
            },
        };
        for e in effects {
            if effects_tx.send(e).await.is_err() {
                break;
            }
        }
    }
    Ok(())
}
