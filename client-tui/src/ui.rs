//! Drawing. Reads the `App`, never changes it. ASCII only, so the Linux console font shows
//! everything; colour is an addition, never the only carrier of meaning (`NO_COLOR`).

use ratatui::{
    layout::{Constraint, Direction, Layout, Rect},
    style::{Color, Modifier, Style},
    text::{Line, Span},
    widgets::{Block, Borders, Gauge, Paragraph, Wrap},
    Frame,
};

use crate::app::{App, Mode, Viewport, Who};

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

/// Draws a frame; returns what it could show, so the app stops scrolling at the ends.
pub fn draw(app: &App, theme: &Theme, f: &mut Frame<'_>) -> Viewport {
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
    draw_conversation(app, theme, f, cols[1])
}

fn draw_title(app: &App, theme: &Theme, f: &mut Frame<'_>, area: Rect) {
    let d = &app.daemon;
    // "assistant: nano ready": the variant of the embedded model, when one was chosen.
    let label = if d.variant.is_empty() {
        "assistant".to_owned()
    } else {
        format!("assistant: {}", d.variant)
    };
    let assistant = match d.assistant.as_str() {
        "ready" => format!("{label} ready"),
        "remote" => format!("{label} remote"),
        "starting" => format!("{label} starting"),
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
    let block = Block::default()
        .borders(Borders::ALL)
        .title(fit_title(&[" Checklist ".to_owned()], area.width));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Breaks `text` into rows of at most `width` characters at spaces; words longer than a
/// row are cut. Spaces inside a row are kept (" 9." lines up under "10.").
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut len = 0;
    // Whether the row has taken a word yet (an empty one, from a leading space, counts).
    let mut started = false;
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        let sep = usize::from(started);
        if len + sep + word.len() <= width {
            if sep == 1 {
                row.push(' ');
            }
            row.extend(word.iter());
            len += sep + word.len();
            started = true;
            continue;
        }
        if started {
            rows.push(std::mem::take(&mut row));
        }
        while word.len() > width {
            rows.push(word.drain(..width).collect());
        }
        len = word.len();
        row = word.into_iter().collect();
        started = true;
    }
    rows.push(row);
    rows
}

/// `text` broken into rows of `width` (see `wrap_words`), each in `style`.
fn styled_rows(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    wrap_words(text, width)
        .into_iter()
        .map(|row| Line::from(Span::styled(row, style)))
        .collect()
}

/// The plan as rows of `width`: what it destroys (kept on screen whatever the size), and
/// the rest (summary, warnings, steps), which scrolls when it does not fit.
fn plan_rows(
    p: &crate::app::PlanView,
    theme: &Theme,
    width: usize,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let destroys = theme.fg(Color::Red).add_modifier(Modifier::BOLD);
    let pinned = p
        .destroys
        .iter()
        .flat_map(|d| styled_rows(&format!("DESTROYS: {d}"), destroys, width))
        .collect();
    let mut body = styled_rows(&p.summary, Theme::bold(), width);
    for w in &p.warnings {
        body.extend(styled_rows(
            &format!("Warning: {w}"),
            theme.fg(Color::Yellow),
            width,
        ));
    }
    for (i, s) in p.steps.iter().enumerate() {
        let style = if s.destructive {
            theme.fg(Color::Red)
        } else {
            Style::default()
        };
        body.extend(styled_rows(
            &format!("{:>2}. {}", i + 1, s.description),
            style,
            width,
        ));
    }
    (pinned, body)
}

/// The first of `titles` that fits on the top border of a box `width` columns wide; when
/// none does, the last one shortened at a word's end with "...", so a title never ends cut
/// off mid-word at the corner.
fn fit_title(titles: &[String], width: u16) -> String {
    let room = usize::from(width.saturating_sub(2));
    if let Some(t) = titles.iter().find(|t| t.chars().count() <= room) {
        return t.clone();
    }
    let last = titles.last().map_or("", |t| t.trim());
    // " " + text + "... "
    let Some(keep) = room.checked_sub(5).filter(|k| *k > 0) else {
        return String::new();
    };
    let mut text: String = last.chars().take(keep).collect();
    if let Some(space) = text.rfind(' ').filter(|i| *i > keep / 2) {
        text.truncate(space);
    }
    format!(" {}... ", text.trim_end())
}

/// A job's progress as a whole percentage: clamped, and never "-0%" (`+ 0.0` turns the
/// negative zero a job may report before it has moved into zero).
fn percent(progress: f64) -> String {
    let p = if progress.is_finite() {
        progress.clamp(0.0, 1.0)
    } else {
        0.0
    };
    format!("{:.0}%", p * 100.0 + 0.0)
}

/// The input line's title and what it shows (masked for a secret), and whether the title
/// holds the whole question.
fn input_title(app: &App, width: u16) -> (String, String, bool) {
    match &app.mode {
        Mode::Secret { .. } => {
            let prompt = app.secret_prompt().unwrap_or_default();
            let title = fit_title(
                &[
                    format!(" {prompt} (hidden; Esc cancels) "),
                    format!(" {prompt} (hidden) "),
                    format!(" {prompt} "),
                ],
                width,
            );
            let whole = title.contains(prompt.as_str());
            (title, "*".repeat(app.input.chars().count()), whole)
        }
        Mode::Confirm => (
            fit_title(
                &[
                    " Proceed? type yes or no, then Enter ".to_owned(),
                    " Proceed? yes or no ".to_owned(),
                    " yes or no ".to_owned(),
                ],
                width,
            ),
            app.input.to_string(),
            true,
        ),
        Mode::Chat => (
            fit_title(
                &[
                    " Say something (Enter sends, Up/Down history, Ctrl-C quits) ".to_owned(),
                    " Say something (Enter sends, Ctrl-C quits) ".to_owned(),
                    " Say something ".to_owned(),
                ],
                width,
            ),
            app.input.to_string(),
            true,
        ),
    }
}

/// The chat box's least height: borders and one row.
const CHAT_MIN: u16 = 3;

fn draw_conversation(app: &App, theme: &Theme, f: &mut Frame<'_>, area: Rect) -> Viewport {
    let running = app.job.as_ref().filter(|j| j.state == "running");
    let width = area.width.saturating_sub(2).max(1) as usize;
    let (input_title, input_shown, question_in_title) = input_title(app, area.width);
    // A plan waiting for an answer: what it destroys and the question stay on screen at
    // any size (taking the chat's room if they must); the rest scrolls.
    let (mut pinned, body) = match (&app.plan, &app.mode) {
        (Some(p), Mode::Confirm | Mode::Secret { .. }) => plan_rows(p, theme, width),
        _ => (Vec::new(), Vec::new()),
    };
    let asking = !pinned.is_empty() || !body.is_empty();
    if asking && !question_in_title {
        pinned.extend(styled_rows(
            &format!(
                "{} (hidden; Esc cancels)",
                app.secret_prompt().unwrap_or_default()
            ),
            theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            width,
        ));
    }
    let progress_height = if running.is_some() { 3 } else { 0 };
    let below_chat = area.height.saturating_sub(3 + progress_height);
    let rows = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    let box_height = if asking {
        let wanted = rows(pinned.len() + body.len()).saturating_add(2);
        let needed = rows(pinned.len() + usize::from(!body.is_empty())).saturating_add(2);
        let mut h = wanted.min(below_chat.saturating_sub(CHAT_MIN).max(needed));
        // A chat box too small to show a row is left out.
        if below_chat.saturating_sub(h) < CHAT_MIN {
            h = below_chat;
        }
        h.min(below_chat)
    } else if let Some(job) = running {
        // While a job runs, its steps take the plan's place.
        rows(job.steps.len() + 2).min(area.height.saturating_sub(3 + 3 + 5))
    } else {
        0
    };
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Min(0),
            Constraint::Length(box_height),
            Constraint::Length(progress_height),
            Constraint::Length(3),
        ])
        .split(area);

    let (chat_max, chat_page) = draw_chat(app, theme, f, parts[0]);

    let mut plan_max = 0;
    if asking {
        let room = box_height.saturating_sub(2) as usize;
        let body_room = room.saturating_sub(pinned.len());
        plan_max = body.len().saturating_sub(body_room);
        let first = app.plan_scroll.min(plan_max);
        let mut shown: Vec<Line<'_>> = pinned.into_iter().take(room).collect();
        shown.extend(body.into_iter().skip(first).take(body_room));
        let question = if app.mode == Mode::Confirm {
            "Proceed? [y/n]"
        } else {
            "a secret is needed"
        };
        let titles = if plan_max > 0 {
            let below = plan_max - first;
            vec![
                format!(" Plan - {question} - Up/Down scrolls ({first} above, {below} below) "),
                format!(" Plan - {question} - Up/Down scrolls "),
                format!(" {question} - Up/Down "),
                format!(" {question} "),
            ]
        } else {
            vec![format!(" Plan - {question} "), format!(" {question} ")]
        };
        f.render_widget(
            Paragraph::new(shown).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(fit_title(&titles, parts[1].width)),
            ),
            parts[1],
        );
    } else if let (Some(job), true) = (running, box_height > 2) {
        draw_steps(job, theme, f, parts[1]);
    }

    if let Some(job) = running {
        let mut label = percent(job.progress);
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
        let block = Block::default().borders(Borders::ALL).title(fit_title(
            &[format!(" {} ", job.current_step)],
            parts[2].width,
        ));
        let gauge = Gauge::default()
            .block(block)
            .gauge_style(theme.fg(Color::Green))
            .ratio(job.progress.clamp(0.0, 1.0))
            .label(label)
            .use_unicode(false);
        f.render_widget(gauge, parts[2]);
    }

    let input_area = parts[3];
    let visible_width = input_area.width.saturating_sub(3) as usize;
    let cursor = app.cursor.min(input_shown.chars().count());
    let skip = cursor.saturating_sub(visible_width);
    let shown: String = input_shown
        .chars()
        .skip(skip)
        .take(visible_width + 1)
        .collect();
    f.render_widget(
        Paragraph::new(format!("> {shown}"))
            .block(Block::default().borders(Borders::ALL).title(input_title)),
        input_area,
    );
    let x = input_area.x + 3 + u16::try_from(cursor - skip).unwrap_or(0);
    f.set_cursor_position((
        x.min(input_area.right().saturating_sub(2)),
        input_area.y + 1,
    ));
    Viewport {
        chat_max,
        chat_page,
        plan_max,
    }
}

/// The chat, scrolled from the bottom by rows; returns how far it can scroll and how many
/// rows it shows.
fn draw_chat(app: &App, theme: &Theme, f: &mut Frame<'_>, area: Rect) -> (usize, usize) {
    if area.height < CHAT_MIN {
        return (0, 0);
    }
    let inner_height = area.height.saturating_sub(2) as usize;
    let width = area.width.saturating_sub(2).max(1) as usize;
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
        wrapped.extend(styled_rows(&format!("{prefix}{}", l.text), style, width));
    }
    if app.busy {
        wrapped.push(Line::from(Span::styled("...", theme.fg(Color::DarkGray))));
    }
    let max = wrapped.len().saturating_sub(inner_height);
    let scroll = app.scroll.min(max);
    let end = wrapped.len() - scroll;
    let start = end.saturating_sub(inner_height);
    let visible: Vec<Line<'_>> = wrapped[start..end].to_vec();
    let titles = if scroll > 0 {
        vec![
            " Conversation (scrolled; PgDn) ".to_owned(),
            " Scrolled; PgDn ".to_owned(),
        ]
    } else {
        vec![" Conversation ".to_owned()]
    };
    f.render_widget(
        Paragraph::new(visible).block(
            Block::default()
                .borders(Borders::ALL)
                .title(fit_title(&titles, area.width)),
        ),
        area,
    );
    (max, inner_height)
}

/// A running job's steps, the running one in the middle.
fn draw_steps(job: &crate::app::JobView, theme: &Theme, f: &mut Frame<'_>, area: Rect) {
    let room = area.height.saturating_sub(2) as usize;
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
    let n = job.steps.len();
    let title = fit_title(
        &[
            format!(" Steps {done}/{n} (type cancel to stop) "),
            format!(" Steps {done}/{n} "),
        ],
        area.width,
    );
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
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
            variant: String::new(),
            stages: stages(done, running),
        }));
        app
    }

    fn screen(app: &App, w: u16, h: u16, color: bool) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        t.draw(|f| {
            draw(app, &Theme { color }, f);
        })
        .expect("draw");
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
    fn the_title_names_the_variant_of_the_model() {
        let mut app = connected(0, false);
        for (state, variant, title) in [
            ("ready", "nano", "| assistant: nano ready"),
            ("starting", "small-1.5b", "| assistant: small-1.5b starting"),
            ("remote", "", "| assistant remote"),
            ("failed: no variant fits", "", "| fallback only"),
        ] {
            app.daemon(DaemonEvent::Snapshot(DaemonView {
                version: "0.1.0".into(),
                mode: "simulated".into(),
                assistant: state.into(),
                variant: variant.into(),
                stages: stages(0, false),
            }));
            let top = rows(&app, 100, 30).remove(0);
            assert!(top.trim_end().ends_with(title), "{state}: {top}");
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

    /// A frame: the screen's rows as text, from the buffer (no quoting), and what it
    /// could show.
    fn frame(app: &App, w: u16, h: u16) -> (Vec<String>, Viewport) {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let mut viewport = Viewport::default();
        t.draw(|f| viewport = draw(app, &Theme { color: false }, f))
            .expect("draw");
        let buf = t.backend().buffer();
        let rows = (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
            .collect();
        (rows, viewport)
    }

    fn rows(app: &App, w: u16, h: u16) -> Vec<String> {
        frame(app, w, h).0
    }

    /// The conversation column's text with borders and line breaks folded into single
    /// spaces, so a sentence wrapped over rows is found whole.
    fn conversation_text(rows: &[String]) -> String {
        let start = rows
            .get(1)
            .and_then(|r| r.chars().enumerate().filter(|(_, c)| *c == '┌').nth(1))
            .map_or(0, |(i, _)| i);
        let text: Vec<String> = rows
            .iter()
            .skip(1)
            .map(|r| {
                r.chars()
                    .skip(start)
                    .map(|c| {
                        if "│─┌┐└┘".contains(c) {
                            ' '
                        } else {
                            c
                        }
                    })
                    .collect()
            })
            .collect();
        text.join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Presses a key as the person would: after a frame, as the run loop does.
    fn press(app: &mut App, code: crossterm::event::KeyCode, w: u16, h: u16) {
        app.viewport = frame(app, w, h).1;
        app.key(crossterm::event::KeyEvent::new(
            code,
            crossterm::event::KeyModifiers::NONE,
        ));
    }

    const DESTROYS: [&str; 2] = [
        "erases /dev/sda (Samsung SSD 870 EVO, 500 GiB): Windows 11 (NTFS, 200 GiB) and Ubuntu 22.04 (ext4, 250 GiB)",
        "erases /dev/sdb (WD Blue, 1 TiB): photos (ext4, 1 TiB)",
    ];

    /// An encrypted plan with swap, as long as the one issue #14 lost lines of.
    fn long_plan(destroys: usize, secret: bool) -> PlanView {
        let steps = [
            "Create a new GPT partition table on /dev/sda",
            "Create /dev/sda1: 512 MiB EFI system partition",
            "Create /dev/sda2: 1 GiB /boot",
            "Create /dev/sda3: 8 GiB swap (encrypted)",
            "Create /dev/sda4: 456.3 GiB root (encrypted)",
            "Encrypt /dev/sda3 with LUKS2",
            "Encrypt /dev/sda4 with LUKS2",
            "Format /dev/sda1 as FAT32",
            "Format /dev/sda2 as ext4",
            "Set up swap on /dev/mapper/levitate-swap",
            "Format /dev/mapper/levitate-root as ext4",
            "Mount /dev/mapper/levitate-root at /mnt/levitate",
            "Mount /dev/sda2 at /mnt/levitate/boot",
            "Mount /dev/sda1 at /mnt/levitate/boot/efi",
            "Activate swap on /dev/mapper/levitate-swap",
            "Remember the layout for the installed system (last step)",
        ];
        PlanView {
            path: "/org/levitateos/Installer1/Plan/7".into(),
            summary: "This plan uses all of /dev/sda (Samsung SSD 870 EVO, 500 GiB) for LevitateOS, encrypted, with 8 GiB of swap.".into(),
            steps: steps
                .iter()
                .enumerate()
                .map(|(i, d)| PlanStep {
                    stage: "disks".into(),
                    description: (*d).into(),
                    destructive: i == 0,
                })
                .collect(),
            destroys: DESTROYS[..destroys].iter().map(|d| (*d).into()).collect(),
            warnings: vec![
                "The passphrase is needed at every start; if it is lost, so is the data.".into(),
            ],
            secrets: if secret {
                vec![SecretRequest {
                    id: "luks".into(),
                    prompt: "Passphrase for the encrypted partitions".into(),
                    provided: false,
                }]
            } else {
                vec![]
            },
        }
    }

    fn with_plan(plan: PlanView) -> App {
        let mut app = connected(0, false);
        app.push(crate::app::Who::User, "> whole ssd, encrypted, with swap");
        app.daemon(DaemonEvent::Reply {
            text: "Here is the plan.".into(),
            plan: Some(plan),
            question: false,
        });
        app
    }

    /// Issue #14: at 60x15 the plan box showed only "... 14 more lines" while the
    /// passphrase was asked, so nothing said what would be erased.
    #[test]
    fn what_a_plan_destroys_and_the_question_stay_on_screen_at_any_size() {
        for (w, h, destroys, secret, question) in [
            (60, 15, 1, true, "Passphrase for the encrypted"),
            (60, 15, 1, false, "Proceed?"),
            (80, 24, 2, true, "Passphrase for the encrypted partitions"),
            (100, 30, 2, false, "Proceed?"),
            (100, 30, 2, true, "Passphrase for the encrypted partitions"),
        ] {
            let app = with_plan(long_plan(destroys, secret));
            let screen = rows(&app, w, h);
            let text = conversation_text(&screen);
            for d in &DESTROYS[..destroys] {
                assert!(
                    text.contains(&format!("DESTROYS: {d}")),
                    "{w}x{h}: {d:?} is not on screen:\n{}",
                    screen.join("\n")
                );
            }
            assert!(
                text.contains(question),
                "{w}x{h}: the question is not on screen:\n{}",
                screen.join("\n")
            );
        }
    }

    /// Issue #14: at 100x30 an encrypted plan with swap hid its last lines, with no way to
    /// see them.
    #[test]
    fn the_rest_of_a_long_plan_scrolls_into_view() {
        use crossterm::event::KeyCode;
        let last = "Remember the layout for the installed system (last step)";
        for (w, h, destroys, secret) in [(100, 30, 2, false), (60, 15, 1, true), (80, 24, 2, false)]
        {
            let mut app = with_plan(long_plan(destroys, secret));
            assert!(
                !conversation_text(&rows(&app, w, h)).contains(last),
                "{w}x{h}: the whole plan fits; the test needs a longer one"
            );
            let mut seen = false;
            for _ in 0..40 {
                press(&mut app, KeyCode::Down, w, h);
                let text = conversation_text(&rows(&app, w, h));
                assert!(
                    text.contains(&format!("DESTROYS: {}", DESTROYS[destroys - 1])),
                    "{w}x{h}: scrolling hid what the plan destroys"
                );
                if text.contains(last) {
                    seen = true;
                    break;
                }
            }
            assert!(seen, "{w}x{h}: Down never showed the plan's last step");
            for _ in 0..40 {
                press(&mut app, KeyCode::Up, w, h);
            }
            assert!(
                conversation_text(&rows(&app, w, h)).contains("This plan uses all of /dev/sda"),
                "{w}x{h}: Up did not go back to the start of the plan"
            );
        }
    }

    /// Issue #14: Page Up stopped before the start of a long message.
    #[test]
    fn page_up_reaches_the_start_of_a_long_message() {
        use crossterm::event::KeyCode;
        let words: Vec<String> = (1..=150).map(|i| format!("w{i}")).collect();
        let mut app = connected(0, false);
        app.daemon(DaemonEvent::Reply {
            text: words.join(" "),
            plan: None,
            question: false,
        });
        let (w, h) = (60, 15);
        assert!(!conversation_text(&rows(&app, w, h)).contains("w1 w2 w3"));
        for _ in 0..30 {
            press(&mut app, KeyCode::PageUp, w, h);
        }
        let text = conversation_text(&rows(&app, w, h));
        assert!(text.contains("w1 w2 w3"), "{text}");
        assert!(text.contains("Welcome"), "{text}");
        // And PageDown comes back to the end without a pile of extra presses.
        for _ in 0..30 {
            press(&mut app, KeyCode::PageDown, w, h);
        }
        assert!(conversation_text(&rows(&app, w, h)).contains("w149 w150"));
    }

    /// Issue #14: a prompt's title was cut mid-word ("(hidden; Esc c┐"). Every box title
    /// fits or is shortened where it reads well, at any width.
    #[test]
    fn box_titles_fit_or_are_shortened_at_any_width() {
        let mut secret = with_plan(long_plan(1, true));
        for c in "abc".chars() {
            secret.key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            ));
        }
        let running = {
            let mut app = connected(1, true);
            app.daemon(DaemonEvent::Job(JobView {
                path: "/org/levitateos/Installer1/Job/5".into(),
                state: "running".into(),
                progress: 0.42,
                current_step: "Copy the live system (4.5 GiB) to /mnt/levitate".into(),
                steps: vec![JobStep {
                    stage: "system".into(),
                    description: "Copy the live system (4.5 GiB) to /mnt/levitate".into(),
                    state: StepState::Running,
                }],
                ..JobView::default()
            }));
            app
        };
        for app in [&secret, &running] {
            for w in 40..=120 {
                let screen = rows(app, w, 24);
                for row in &screen {
                    let chars: Vec<char> = row.chars().collect();
                    for (i, c) in chars.iter().enumerate() {
                        if *c == '┐' && i > 0 {
                            assert!(
                                matches!(chars[i - 1], ' ' | '─' | '┌'),
                                "width {w}: a title is cut: {row}"
                            );
                        }
                    }
                }
            }
        }
        // Where there is room, the prompt is whole.
        let text = conversation_text(&rows(&secret, 100, 30));
        assert!(text.contains("Passphrase for the encrypted partitions"));
    }

    /// Issue #14: cancelled during the copy ("Steps 0/2"), the checklist showed the stage
    /// as done, and a status read "cancelled -0%". The checklist is what the daemon says;
    /// the TUI adds no mark of its own and never prints a negative zero.
    #[test]
    fn a_cancelled_copy_leaves_its_stage_not_done_and_no_negative_percent() {
        let steps = |copy: StepState, fstab: StepState| {
            vec![
                JobStep {
                    stage: "system".into(),
                    description: "Copy the live system (4.5 GiB) to /mnt/levitate".into(),
                    state: copy,
                },
                JobStep {
                    stage: "system".into(),
                    description: "Write /etc/fstab and /etc/crypttab by UUID".into(),
                    state: fstab,
                },
            ]
        };
        let mut app = connected(1, true);
        app.daemon(DaemonEvent::Job(JobView {
            path: "/org/levitateos/Installer1/Job/5".into(),
            state: "running".into(),
            progress: -0.0,
            current_step: "Copy the live system (4.5 GiB) to /mnt/levitate".into(),
            steps: steps(StepState::Running, StepState::Pending),
            ..JobView::default()
        }));
        let s = rows(&app, 100, 30).join("\n");
        assert!(s.contains("Steps 0/2"), "{s}");
        assert!(s.contains(" 0%") && !s.contains("-0%"), "{s}");
        app.daemon(DaemonEvent::Snapshot(DaemonView {
            version: "0.1.0".into(),
            mode: "simulated".into(),
            assistant: "ready".into(),
            variant: String::new(),
            stages: stages(1, false),
        }));
        app.daemon(DaemonEvent::Job(JobView {
            path: "/org/levitateos/Installer1/Job/5".into(),
            state: "cancelled".into(),
            progress: -0.0,
            steps: steps(StepState::Skipped, StepState::Skipped),
            message: "Cancelled; the steps that finished stay done".into(),
            ..JobView::default()
        }));
        let s = rows(&app, 100, 30).join("\n");
        assert!(s.contains("[ ] System installation"), "{s}");
        assert!(!s.contains("[x] System installation"), "{s}");
        assert!(!s.contains("-0"), "{s}");
        assert_eq!(s.matches("Cancelled").count(), 1, "{s}");
        assert!(!s.contains("..."), "still shown as busy:\n{s}");
    }

    /// The warning about a very short passphrase is seen even where the chat gives up its
    /// room to the plan.
    #[test]
    fn the_short_secret_warning_is_on_screen_at_any_size() {
        use crossterm::event::KeyCode;
        for (w, h) in [(60, 15), (100, 30)] {
            let mut app = with_plan(long_plan(1, true));
            for c in "Q7".chars() {
                press(&mut app, KeyCode::Char(c), w, h);
            }
            press(&mut app, KeyCode::Enter, w, h);
            let screen = rows(&app, w, h);
            assert!(
                conversation_text(&screen).contains("very short"),
                "{w}x{h}:\n{}",
                screen.join("\n")
            );
        }
    }

    #[test]
    fn words_wrap_at_spaces() {
        assert_eq!(
            wrap_words("use the whole disk", 9),
            ["use the", "whole", "disk"]
        );
        assert_eq!(wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_words("", 5), [""]);
        assert_eq!(wrap_words(" 9. Format", 20), [" 9. Format"]);
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
