//! `levitate-installer`: the conversational terminal frontend. Checklist on the left, the
//! conversation on the right; every change goes through a plan the person confirms.

mod app;
mod bridge;
mod ui;

use std::{
    ffi::OsString,
    io::{self, IsTerminal},
};

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

const USAGE: &str = "\
Usage: levitate-installer [OPTIONS]

The LevitateOS installer in the terminal: say what you want, read the plan, confirm it.
It talks to the installer daemon on the system bus; for scripts use levitate-installctl.

Options:
  -h, --help     Print this help and exit
  -V, --version  Print the version and exit

Environment:
  NO_COLOR       Draw without colour
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Invocation {
    Run,
    Help,
    Version,
}

/// The command line, strictly: an argument this program does not know is an error, not
/// something to ignore while starting the full screen anyway.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Invocation, String> {
    let mut invocation = Invocation::Run;
    for arg in args {
        match arg.to_str() {
            Some("-h" | "--help") => return Ok(Invocation::Help),
            Some("-V" | "--version") => invocation = Invocation::Version,
            _ => return Err(format!("unexpected argument '{}'", arg.to_string_lossy())),
        }
    }
    Ok(invocation)
}

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
    match parse_args(std::env::args_os().skip(1)) {
        Ok(Invocation::Run) => {}
        Ok(Invocation::Help) => {
            print!("{USAGE}");
            return Ok(());
        }
        Ok(Invocation::Version) => {
            println!("levitate-installer {}", env!("CARGO_PKG_VERSION"));
            return Ok(());
        }
        Err(e) => {
            eprintln!("levitate-installer: {e}\nTry 'levitate-installer --help'.");
            std::process::exit(2);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Invocation, String> {
        parse_args(args.iter().map(OsString::from))
    }

    /// Issue #14: `--help` started the TUI and unknown flags were ignored.
    #[test]
    fn help_and_version_are_answered_and_anything_else_is_refused() {
        assert_eq!(parse(&[]), Ok(Invocation::Run));
        assert_eq!(parse(&["--help"]), Ok(Invocation::Help));
        assert_eq!(parse(&["-h"]), Ok(Invocation::Help));
        assert_eq!(parse(&["--version"]), Ok(Invocation::Version));
        assert_eq!(parse(&["-V"]), Ok(Invocation::Version));
        assert_eq!(parse(&["--version", "--help"]), Ok(Invocation::Help));
        for bad in [
            &["--frobnicate"][..],
            &["list disks"],
            &["-V", "--verbose"],
            &["-"],
        ] {
            let e = parse(bad).expect_err("refused");
            assert!(e.contains("unexpected argument"), "{bad:?}: {e}");
        }
    }
}
