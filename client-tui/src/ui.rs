//! Drawing. Reads the `App`, never changes it. ASCII only, so the Linux console font shows
//! everything; colour is an addition, never the only carrier of meaning (`NO_COLOR`).

use ratatui::{
    layout::{Constraint, Direction, Layout, Rect},
    style::{Color, Modifier, Style},
    text::{Line, Span},
    widgets::{Block, Borders, Gauge, Paragraph, Wrap},
    Frame,
};

use crate::app::{App, Mode, Who};

/// Example requests under each stage of the checklist.
const EXAMPLES: [&[&str]; 6] = [
    &["\"list disks\"", "\"whole ssd, encrypted\""],
    &["\"install the system\""],
    &["\"hostname is box\"", "\"timezone Berlin\""],
    &["\"create user anna\"", "\"set password\""],
    &["\"install bootloader\""],
    &["\"done\""],
];

pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    /// Bold reads the same with and without colour.
    fn bold() -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
}

pub fn draw(app: &App, theme: &Theme, f: &mut Frame<'_>) {
    let area = f.area();
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(1), Constraint::Min(3)])
        .split(area);
    draw_title(app, theme, f, rows[0]);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(35), Constraint::Percentage(65)])
        .split(rows[1]);
    draw_checklist(app, theme, f, cols[0]);
    draw_conversation(app, theme, f, cols[1]);
}

fn draw_title(app: &App, theme: &Theme, f: &mut Frame<'_>, area: Rect) {
    let d = &app.daemon;
    let assistant = match d.assistant.as_str() {
        "ready" => "assistant ready".to_owned(),
        "remote" => "assistant remote".to_owned(),
        "starting" => "assistant starting".to_owned(),
        "" => "assistant ?".to_owned(),
        s if s.starts_with("failed") || s == "disabled" => "fallback only".to_owned(),
        s => s.to_owned(),
    };
    let machine = match d.mode.as_str() {
        "simulated" => "SIMULATED machine",
        "sandbox" => "SANDBOX",
        "real" => "this machine",
        _ => "",
    };
    let link = if app.connected {
        ""
    } else {
        " | NOT CONNECTED"
    };
    let text = format!(
        " LevitateOS installer {} | {machine} | {assistant}{link}",
        d.version
    );
    let style = if app.connected {
        Theme::bold()
    } else {
        Theme::bold().patch(theme.fg(Color::Red))
    };
    f.render_widget(Paragraph::new(Line::from(Span::styled(text, style))), area);
}

fn draw_checklist(app: &App, theme: &Theme, f: &mut Frame<'_>, area: Rect) {
    let current = app.current_stage();
    let mut lines = Vec::new();
    let titles = [
        "Disk configuration",
        "System installation",
        "Configuration",
        "User setup",
        "Bootloader",
        "Finalize",
    ];
    for (i, title) in titles.iter().enumerate() {
        let state = app.daemon.stages.get(i).map(|s| s.state);
        let state = state.unwrap_or(levitate_dbus::StageState::Pending);
        let mark = state.mark();
        let color = match state {
            levitate_dbus::StageState::Done => Color::Green,
            levitate_dbus::StageState::InProgress => Color::Yellow,
            levitate_dbus::StageState::Failed => Color::Red,
            levitate_dbus::StageState::Pending => Color::Reset,
        };
        let mut style = theme.fg(color);
        let pointer = if current == Some(i) {
            style = style.add_modifier(Modifier::BOLD);
            ">"
        } else {
            " "
        };
        lines.push(Line::from(Span::styled(
            format!("{pointer}{mark} {title}"),
            style,
        )));
        if current == Some(i) || area.height as usize > 6 * 3 + 2 {
            for ex in EXAMPLES[i] {
                lines.push(Line::from(Span::styled(
                    format!("    {ex}"),
                    theme.fg(Color::DarkGray),
                )));
            }
        }
    }
    let block = Block::default().borders(Borders::ALL).title(" Checklist ");
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Breaks `text` into rows of at most `width` characters at spaces; words longer than a
/// row are cut.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut len = 0;
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        let sep = usize::from(len > 0);
        if len + sep + word.len() <= width {
            if sep == 1 {
                row.push(' ');
            }
            row.extend(word.iter());
            len += sep + word.len();
            continue;
        }
        if len > 0 {
            rows.push(std::mem::take(&mut row));
        }
        while word.len() > width {
            rows.push(word.drain(..width).collect());
        }
        len = word.len();
        row = word.into_iter().collect();
    }
    rows.push(row);
    rows
}

/// The plan as lines: summary, what it destroys (red), warnings, steps.
fn plan_lines(p: &crate::app::PlanView, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(p.summary.clone(), Theme::bold()))];
    for d in &p.destroys {
        lines.push(Line::from(Span::styled(
            format!("DESTROYS: {d}"),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        )));
    }
    for w in &p.warnings {
        lines.push(Line::from(Span::styled(
            format!("Warning: {w}"),
            theme.fg(Color::Yellow),
        )));
    }
    for (i, s) in p.steps.iter().enumerate() {
        let style = if s.destructive {
            theme.fg(Color::Red)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!("{:>2}. {}", i + 1, s.description),
            style,
        )));
    }
    lines
}

fn draw_conversation(app: &App, theme: &Theme, f: &mut Frame<'_>, area: Rect) {
    let running = app.job.as_ref().filter(|j| j.state == "running");
    // The plan gets the room it needs: the chat keeps at least three lines, the input its
    // own; what still does not fit is counted in the last line.
    let plan_width = area.width.saturating_sub(2).max(1) as usize;
    let plan_lines = app
        .plan
        .as_ref()
        .map(|p| plan_lines(p, theme))
        .unwrap_or_default();
    let needed: usize = plan_lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(plan_width))
        .sum();
    let plan_height = match (&app.plan, &app.mode) {
        (Some(_), Mode::Confirm | Mode::Secret { .. }) => u16::try_from(needed + 2)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(3 + 5))
            .max(3),
        _ => 0,
    };
    let progress_height = if running.is_some() { 3 } else { 0 };
    // While a job runs, its steps take the plan's place.
    let plan_height = match running {
        Some(job) if plan_height == 0 => u16::try_from(job.steps.len() + 2)
            .unwrap_or(u16::MAX)
            .min(area.height.saturating_sub(3 + 3 + 5)),
        _ => plan_height,
    };
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Min(3),
            Constraint::Length(plan_height),
            Constraint::Length(progress_height),
            Constraint::Length(3),
        ])
        .split(area);

    // Chat history, scrolled from the bottom.
    let chat_area = parts[0];
    let inner_height = chat_area.height.saturating_sub(2) as usize;
    let width = chat_area.width.saturating_sub(2).max(1) as usize;
    let mut wrapped: Vec<Line<'_>> = Vec::new();
    for l in &app.chat {
        let style = match l.who {
            Who::User => Theme::bold(),
            Who::Assistant => Style::default(),
            Who::Info => theme.fg(Color::Cyan),
            Who::Error => theme.fg(Color::Red).add_modifier(Modifier::BOLD),
            Who::Question => theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        };
        let prefix = match l.who {
            Who::Error => "! ",
            Who::Question => "? ",
            _ => "",
        };
        let text = format!("{prefix}{}", l.text);
        for row in wrap_words(&text, width) {
            wrapped.push(Line::from(Span::styled(row, style)));
        }
    }
    if app.busy {
        wrapped.push(Line::from(Span::styled("...", theme.fg(Color::DarkGray))));
    }
    let end = wrapped.len().saturating_sub(app.scroll.min(wrapped.len()));
    let start = end.saturating_sub(inner_height);
    let visible: Vec<Line<'_>> = wrapped[start..end].to_vec();
    let title = if app.scroll > 0 {
        " Conversation (scrolled; PgDn) "
    } else {
        " Conversation "
    };
    f.render_widget(
        Paragraph::new(visible).block(Block::default().borders(Borders::ALL).title(title)),
        chat_area,
    );

    if let (Some(job), Mode::Chat) = (running, &app.mode) {
        if plan_height > 2 {
            let room = plan_height.saturating_sub(2) as usize;
            let current = job
                .steps
                .iter()
                .position(|s| s.state == levitate_dbus::StepState::Running)
                .unwrap_or(0);
            let first = current
                .saturating_sub(room / 2)
                .min(job.steps.len().saturating_sub(room));
            let lines: Vec<Line<'_>> = job
                .steps
                .iter()
                .skip(first)
                .take(room)
                .map(|s| {
                    let (mark, style) = match s.state {
                        levitate_dbus::StepState::Done => ("[x]", theme.fg(Color::Green)),
                        levitate_dbus::StepState::Running => {
                            ("[~]", Theme::bold().patch(theme.fg(Color::Yellow)))
                        }
                        levitate_dbus::StepState::Failed => {
                            ("[!]", theme.fg(Color::Red).add_modifier(Modifier::BOLD))
                        }
                        levitate_dbus::StepState::Skipped => ("[-]", theme.fg(Color::DarkGray)),
                        levitate_dbus::StepState::Pending => ("[ ]", Style::default()),
                    };
                    Line::from(Span::styled(format!("{mark} {}", s.description), style))
                })
                .collect();
            let done = job
                .steps
                .iter()
                .filter(|s| s.state == levitate_dbus::StepState::Done)
                .count();
            let title = format!(" Steps {done}/{} (type cancel to stop) ", job.steps.len());
            f.render_widget(
                Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
                parts[1],
            );
        }
    } else if plan_height > 0 {
        let room = plan_height.saturating_sub(2) as usize;
        let mut shown = Vec::new();
        let mut used = 0;
        for (i, l) in plan_lines.iter().enumerate() {
            let h = l.width().max(1).div_ceil(plan_width);
            let left = plan_lines.len() - i;
            if used + h > room || (used + h == room && left > 1) {
                shown.push(Line::from(Span::styled(
                    format!("... {left} more lines (levitate-installctl plan show)"),
                    theme.fg(Color::DarkGray),
                )));
                break;
            }
            used += h;
            shown.push(l.clone());
        }
        let title = if app.mode == Mode::Confirm {
            " Plan - Proceed? [y/n] "
        } else {
            " Plan - a secret is needed "
        };
        f.render_widget(
            Paragraph::new(shown)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(title)),
            parts[1],
        );
    }

    if let Some(job) = running {
        let mut label = format!("{:.0}%", job.progress * 100.0);
        if job.total_bytes > 0 {
            label = format!(
                "{label}  {} / {}",
                levitate_dbus::human_size(job.bytes),
                levitate_dbus::human_size(job.total_bytes)
            );
            if job.rate > 0 {
                let left = job.total_bytes.saturating_sub(job.bytes) / job.rate.max(1);
                label = format!(
                    "{label}  {}/s  {}m{:02}s left",
                    levitate_dbus::human_size(job.rate),
                    left / 60,
                    left % 60
                );
            }
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(format!(" {} ", job.current_step));
        let gauge = Gauge::default()
            .block(block)
            .gauge_style(theme.fg(Color::Green))
            .ratio(job.progress.clamp(0.0, 1.0))
            .label(label)
            .use_unicode(false);
        f.render_widget(gauge, parts[2]);
    }

    let (title, shown) = match &app.mode {
        Mode::Secret { .. } => (
            format!(
                " {} (hidden; Esc cancels) ",
                app.secret_prompt().unwrap_or_default()
            ),
            "*".repeat(app.input.chars().count()),
        ),
        Mode::Confirm => (
            " Proceed? type yes or no, then Enter ".to_owned(),
            app.input.to_string(),
        ),
        Mode::Chat => (
            " Say something (Enter sends, Up/Down history, Ctrl-C quits) ".to_owned(),
            app.input.to_string(),
        ),
    };
    let input_area = parts[3];
    let visible_width = input_area.width.saturating_sub(3) as usize;
    let cursor = app.cursor.min(shown.chars().count());
    let skip = cursor.saturating_sub(visible_width);
    let shown: String = shown.chars().skip(skip).take(visible_width + 1).collect();
    f.render_widget(
        Paragraph::new(format!("> {shown}"))
            .block(Block::default().borders(Borders::ALL).title(title)),
        input_area,
    );
    let x = input_area.x + 3 + u16::try_from(cursor - skip).unwrap_or(0);
    f.set_cursor_position((
        x.min(input_area.right().saturating_sub(2)),
        input_area.y + 1,
    ));
}

#[cfg(test)]
mod tests {
    use insta::assert_snapshot;
    use levitate_dbus::{JobStep, PlanStep, SecretRequest, Stage, StageState, StepState};
    use ratatui::{backend::TestBackend, Terminal};

    use super::*;
    use crate::app::{DaemonEvent, DaemonView, JobView, PlanView};

    fn stages(done: usize, running: bool) -> Vec<Stage> {
        [
            "disks",
            "system",
            "configuration",
            "users",
            "bootloader",
            "finalize",
        ]
        .iter()
        .zip([
            "Disk configuration",
            "System installation",
            "Configuration",
            "User setup",
            "Bootloader",
            "Finalize",
        ])
        .enumerate()
        .map(|(i, (id, title))| Stage {
            id: (*id).into(),
            title: title.into(),
            state: if i < done {
                StageState::Done
            } else if i == done && running {
                StageState::InProgress
            } else {
                StageState::Pending
            },
        })
        .collect()
    }

    fn connected(done: usize, running: bool) -> App {
        let mut app = App::new();
        app.daemon(DaemonEvent::Connected(DaemonView {
            version: "0.1.0".into(),
            mode: "simulated".into(),
            assistant: "ready".into(),
            stages: stages(done, running),
        }));
        app
    }

    fn screen(app: &App, w: u16, h: u16, color: bool) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| draw(app, &Theme { color }, f)).expect("draw");
        format!("{}", t.backend())
    }

    fn plan() -> PlanView {
        PlanView {
            path: "/org/levitateos/Installer1/Plan/2".into(),
            summary: "This plan uses all of /dev/sda (Samsung SSD 870 EVO, 500 GiB).".into(),
            steps: vec![
                PlanStep {
                    stage: "disks".into(),
                    description: "Create a new GPT partition table on /dev/sda".into(),
                    destructive: true,
                },
                PlanStep {
                    stage: "disks".into(),
                    description: "Create /dev/sda1: 512 MiB EFI system partition".into(),
                    destructive: false,
                },
                PlanStep {
                    stage: "disks".into(),
                    description: "Format /dev/sda2 as ext4".into(),
                    destructive: false,
                },
            ],
            destroys: vec![
                "erases /dev/sda (Samsung SSD 870 EVO, 500 GiB): the disk is blank".into(),
            ],
            warnings: vec![],
            secrets: vec![],
        }
    }

    #[test]
    fn empty_screen() {
        assert_snapshot!(screen(&connected(0, false), 100, 30, true));
    }

    #[test]
    fn plan_shown_and_waiting_for_confirmation() {
        let mut app = connected(0, false);
        app.push(crate::app::Who::User, "> use the whole ssd");
        app.daemon(DaemonEvent::Reply {
            text: "Here is the plan. Nothing happens until you confirm it.".into(),
            plan: Some(plan()),
            question: false,
        });
        assert_snapshot!(screen(&app, 100, 30, true));
    }

    #[test]
    fn secret_prompt_is_masked() {
        let mut app = connected(1, false);
        let mut p = plan();
        p.secrets = vec![SecretRequest {
            id: "password:vince".into(),
            prompt: "Password for vince".into(),
            provided: false,
        }];
        app.daemon(DaemonEvent::Reply {
            text: "Here is the plan.".into(),
            plan: Some(p),
            question: false,
        });
        for c in "hunter2".chars() {
            app.key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            ));
        }
        let s = screen(&app, 100, 30, true);
        assert!(!s.contains("hunter2"));
        assert_snapshot!(s);
    }

    #[test]
    fn progress_during_the_copy() {
        let mut app = connected(1, true);
        app.daemon(DaemonEvent::Job(JobView {
            path: "/org/levitateos/Installer1/Job/5".into(),
            state: "running".into(),
            progress: 0.42,
            bytes: 2 << 30,
            total_bytes: 4 << 30,
            rate: 350 << 20,
            current_step: "Copy the live system (4.5 GiB) to /mnt/levitate".into(),
            steps: vec![
                JobStep {
                    stage: "disks".into(),
                    description: "Mount /dev/sda2 at /mnt/levitate".into(),
                    state: StepState::Done,
                },
                JobStep {
                    stage: "system".into(),
                    description: "Copy the live system (4.5 GiB) to /mnt/levitate".into(),
                    state: StepState::Running,
                },
                JobStep {
                    stage: "system".into(),
                    description: "Write /etc/fstab and /etc/crypttab by UUID".into(),
                    state: StepState::Pending,
                },
            ],
            message: String::new(),
        }));
        assert_snapshot!(screen(&app, 100, 30, true));
    }

    #[test]
    fn error_and_disconnection() {
        let mut app = connected(2, false);
        app.daemon(DaemonEvent::Failed("Not authorized: you (uid 1000) are not allowed to do this. Ask an administrator, or use the live session's user.".into()));
        app.daemon(DaemonEvent::Disconnected("the daemon restarted".into()));
        assert_snapshot!(screen(&app, 100, 30, false));
    }

    #[test]
    fn small_terminal_80x24() {
        let mut app = connected(0, false);
        app.daemon(DaemonEvent::Reply {
            text: "Here is the plan.".into(),
            plan: Some(plan()),
            question: false,
        });
        assert_snapshot!(screen(&app, 80, 24, true));
    }

    #[test]
    fn words_wrap_at_spaces() {
        assert_eq!(
            wrap_words("use the whole disk", 9),
            ["use the", "whole", "disk"]
        );
        assert_eq!(wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_words("", 5), [""]);
        assert!(wrap_words("a b c d e f", 3)
            .iter()
            .all(|r| r.chars().count() <= 3));
    }

    #[test]
    fn tiny_terminal_does_not_panic() {
        let mut app = connected(0, false);
        app.daemon(DaemonEvent::Reply {
            text: "x".repeat(500),
            plan: Some(plan()),
            question: false,
        });
        for (w, h) in [(1, 1), (10, 5), (20, 8), (40, 12)] {
            let _ = screen(&app, w, h, true);
        }
    }

    #[test]
    fn screens_are_plain_ascii_for_the_linux_console() {
        let mut app = connected(1, true);
        app.daemon(DaemonEvent::Reply {
            text: "Here is the plan.".into(),
            plan: Some(plan()),
            question: false,
        });
        let s = screen(&app, 100, 30, true);
        // Box drawing and the full block are in the Linux console's default fonts.
        let odd: Vec<char> = s
            .chars()
            .filter(|c| !c.is_ascii() && !"─│┌┐└┘█".contains(*c))
            .collect();
        assert!(odd.is_empty(), "glyphs the console font may lack: {odd:?}");
    }
}
