//! The TUI's state and its event logic. `App::event` changes state and returns effects for
//! the daemon bridge; `ui::draw` only reads the state. No I/O here, so all of it is tested
//! directly.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};
use levitate_dbus::{JobStep, PlanStep, SecretRequest, Stage, ROOT_PATH};
use zeroize::Zeroizing;

/// Lines kept in the chat.
const MAX_CHAT: usize = 2000;
/// Entries kept in the input history.
const MAX_HISTORY: usize = 200;
/// Below this many characters a password or passphrase is called out as easy to guess.
const SHORT_SECRET: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    User,
    Assistant,
    /// A question the installer asks back.
    Question,
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatLine {
    pub who: Who,
    pub text: String,
}

/// A plan as the TUI shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanView {
    pub path: String,
    pub summary: String,
    pub steps: Vec<PlanStep>,
    pub destroys: Vec<String>,
    pub warnings: Vec<String>,
    pub secrets: Vec<SecretRequest>,
}

/// A job as the TUI shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobView {
    pub path: String,
    pub state: String,
    pub progress: f64,
    pub bytes: u64,
    pub total_bytes: u64,
    pub rate: u64,
    pub current_step: String,
    pub steps: Vec<JobStep>,
    pub message: String,
}

/// The daemon's state as the properties show it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DaemonView {
    pub version: String,
    pub mode: String,
    pub assistant: String,
    /// The embedded model's variant (`Manager.Assistant`'s `variant`); empty when none.
    pub variant: String,
    pub stages: Vec<Stage>,
}

/// What the daemon bridge reports.
#[derive(Debug, Clone)]
pub enum DaemonEvent {
    Connected(DaemonView),
    Disconnected(String),
    Snapshot(DaemonView),
    Reply {
        text: String,
        plan: Option<PlanView>,
        /// The reply is a question back to the person.
        question: bool,
    },
    Job(JobView),
    /// A call failed; the text says why and what to do.
    Failed(String),
}

/// What the app asks the bridge to do.
#[derive(Debug, PartialEq)]
pub enum Effect {
    Say(String),
    SetSecret {
        plan: String,
        id: String,
        secret: Zeroizing<Vec<u8>>,
    },
    Confirm(String),
    Reject(String),
    Cancel(String),
}

/// What the last frame could show, so scrolling stops at the ends: the app counts in
/// rows, which only drawing knows (a message wraps to the screen's width).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    /// Rows the chat can scroll up from its end.
    pub chat_max: usize,
    /// Rows of chat on screen.
    pub chat_page: usize,
    /// Rows the plan's scrolling part can scroll down.
    pub plan_max: usize,
}

/// What the input line is for.
#[derive(Debug, PartialEq)]
pub enum Mode {
    /// Talking.
    Chat,
    /// Typing a secret, masked; `first` holds the first entry while confirming it;
    /// `warned`: that entry was called out as short, so a different second entry replaces
    /// it instead of being a typing mistake.
    Secret {
        index: usize,
        first: Option<Zeroizing<String>>,
        warned: bool,
    },
    /// Waiting for y or n on the plan.
    Confirm,
}

pub struct App {
    pub daemon: DaemonView,
    pub connected: bool,
    pub chat: Vec<ChatLine>,
    /// Rows scrolled up from the bottom of the chat.
    pub scroll: usize,
    /// Rows scrolled down in the plan on screen.
    pub plan_scroll: usize,
    /// Set after every frame by the run loop.
    pub viewport: Viewport,
    pub input: Zeroizing<String>,
    /// Cursor position in characters.
    pub cursor: usize,
    pub history: Vec<String>,
    history_pos: Option<usize>,
    pub mode: Mode,
    pub plan: Option<PlanView>,
    pub job: Option<JobView>,
    pub busy: bool,
    pub quit: bool,
}

impl Default for App {
    fn default() -> Self {
        Self::new()
    }
}

impl App {
    pub fn new() -> Self {
        Self {
            daemon: DaemonView::default(),
            connected: false,
            chat: vec![ChatLine {
                who: Who::Info,
                text: "Welcome. Tell me what you want, for example \"list disks\" or \"use the whole 500gb drive, encrypted\". Nothing changes until you confirm a plan.".into(),
            }],
            scroll: 0,
            plan_scroll: 0,
            viewport: Viewport::default(),
            input: Zeroizing::new(String::new()),
            cursor: 0,
            history: Vec::new(),
            history_pos: None,
            mode: Mode::Chat,
            plan: None,
            job: None,
            busy: false,
            quit: false,
        }
    }

    pub fn push(&mut self, who: Who, text: impl Into<String>) {
        for line in for_people(&text.into()).lines() {
            self.chat.push(ChatLine {
                who,
                text: line.to_owned(),
            });
        }
        let excess = self.chat.len().saturating_sub(MAX_CHAT);
        self.chat.drain(..excess);
        self.scroll = 0;
    }

    /// The stage the installation is at: the first that is not done.
    pub fn current_stage(&self) -> Option<usize> {
        self.daemon
            .stages
            .iter()
            .position(|s| s.state != levitate_dbus::StageState::Done)
    }

    fn byte_index(&self) -> usize {
        self.input
            .char_indices()
            .nth(self.cursor)
            .map_or(self.input.len(), |(i, _)| i)
    }

    fn take_input(&mut self) -> Zeroizing<String> {
        self.cursor = 0;
        std::mem::replace(&mut self.input, Zeroizing::new(String::new()))
    }

    /// The secret the plan still needs, if any.
    fn next_secret(&self, from: usize) -> Option<usize> {
        self.plan.as_ref().and_then(|p| {
            p.secrets
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, s)| !s.provided)
                .map(|(i, _)| i)
        })
    }

    /// After a plan arrives or a secret is handed over: ask for the next secret, or for y/n.
    fn advance_plan(&mut self, from: usize) {
        match self.next_secret(from) {
            Some(index) => {
                self.mode = Mode::Secret {
                    index,
                    first: None,
                    warned: false,
                }
            }
            None if self.plan.is_some() => self.mode = Mode::Confirm,
            None => self.mode = Mode::Chat,
        }
    }

    pub fn secret_prompt(&self) -> Option<String> {
        let Mode::Secret {
            index,
            first,
            warned,
        } = &self.mode
        else {
            return None;
        };
        let req = self.plan.as_ref()?.secrets.get(*index)?;
        // The warning about a short entry is part of the prompt, which stays on screen
        // where the chat may not.
        Some(match (first.is_some(), warned) {
            (true, true) => format!(
                "{} (very short: again to keep it, or a longer one)",
                req.prompt
            ),
            (true, false) => format!("{} (again)", req.prompt),
            (false, _) => req.prompt.clone(),
        })
    }

    /// A key press; returns what the bridge must do.
    pub fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c' | 'd')) {
            self.quit = true;
            return Vec::new();
        }
        let page = self.viewport.chat_page.saturating_sub(1).max(1);
        let asking = matches!(self.mode, Mode::Confirm | Mode::Secret { .. });
        match key.code {
            KeyCode::PageUp => {
                self.scroll = (self.scroll + page).min(self.viewport.chat_max);
                return Vec::new();
            }
            KeyCode::PageDown => {
                self.scroll = self.scroll.saturating_sub(page);
                return Vec::new();
            }
            // While a plan waits for an answer, Up and Down scroll it (no history then).
            KeyCode::Up if asking => {
                self.plan_scroll = self.plan_scroll.saturating_sub(1);
                return Vec::new();
            }
            KeyCode::Down if asking => {
                self.plan_scroll = (self.plan_scroll + 1).min(self.viewport.plan_max);
                return Vec::new();
            }
            _ => {}
        }
        match self.mode {
            Mode::Confirm => self.confirm_key(key),
            Mode::Secret { .. } => self.secret_key(key),
            Mode::Chat => self.chat_key(key),
        }
    }

    /// The answer to "Proceed?" is a word typed and sent with Enter, so "no" or "yes" is
    /// read whole: a single key used to decide on its first letter and send the rest to
    /// the assistant.
    fn confirm_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(plan) = self.plan.clone() else {
            self.mode = Mode::Chat;
            return Vec::new();
        };
        let answer = match key.code {
            KeyCode::Esc => {
                let _ = self.take_input();
                "no".to_owned()
            }
            KeyCode::Enter => self.take_input().trim().to_lowercase(),
            _ => {
                self.edit(key);
                return Vec::new();
            }
        };
        match answer.as_str() {
            "y" | "yes" => {
                self.mode = Mode::Chat;
                self.busy = true;
                self.push(Who::Info, "Confirmed. Starting...");
                vec![Effect::Confirm(plan.path)]
            }
            "n" | "no" => {
                self.mode = Mode::Chat;
                self.plan = None;
                self.push(Who::Info, "Plan rejected; nothing was changed.");
                vec![Effect::Reject(plan.path)]
            }
            "" => {
                self.push(
                    Who::Info,
                    "Type yes to carry out the plan or no to drop it, then Enter.",
                );
                Vec::new()
            }
            other => {
                let shown: String = other.chars().take(40).collect();
                self.push(
                    Who::Error,
                    format!("\"{shown}\" was not sent: the plan waits for yes or no (Esc also rejects it)."),
                );
                Vec::new()
            }
        }
    }

    fn secret_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Mode::Secret { index, .. } = self.mode else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => {
                let _ = self.take_input();
                let path = self.plan.take().map(|p| p.path);
                self.mode = Mode::Chat;
                self.push(
                    Who::Info,
                    "Cancelled; the plan was rejected and nothing was changed.",
                );
                path.map(Effect::Reject).into_iter().collect()
            }
            KeyCode::Enter => {
                let entry = self.take_input();
                if entry.is_empty() {
                    return Vec::new();
                }
                let Mode::Secret { first, warned, .. } = &mut self.mode else {
                    return Vec::new();
                };
                let warned = *warned;
                match first.take() {
                    // A different entry after a warning is the longer one asked for.
                    Some(f) if warned && *f != *entry => {
                        self.first_secret_entry(entry);
                        Vec::new()
                    }
                    None => {
                        self.first_secret_entry(entry);
                        Vec::new()
                    }
                    Some(f) if *f == *entry => {
                        let Some(plan) = self.plan.as_mut() else {
                            return Vec::new();
                        };
                        let id = plan.secrets[index].id.clone();
                        plan.secrets[index].provided = true;
                        let path = plan.path.clone();
                        self.advance_plan(index + 1);
                        vec![Effect::SetSecret {
                            plan: path,
                            id,
                            secret: Zeroizing::new(entry.as_bytes().to_vec()),
                        }]
                    }
                    Some(_) => {
                        self.push(Who::Error, "The two entries differ; type it again.");
                        Vec::new()
                    }
                }
            }
            _ => {
                self.edit(key);
                Vec::new()
            }
        }
    }

    /// Keeps the first entry of a secret to compare the repetition with, and says so when
    /// it is short: the person may keep it (typing it again) or type a longer one.
    fn first_secret_entry(&mut self, entry: Zeroizing<String>) {
        let len = entry.chars().count();
        let short = len < SHORT_SECRET;
        if let Mode::Secret { first, warned, .. } = &mut self.mode {
            *first = Some(entry);
            *warned = short;
        }
        if short {
            let what = if len == 1 { "character" } else { "characters" };
            self.push(
                Who::Question,
                format!("That is very short ({len} {what}) and easy to guess. Type it again to keep it, or type a longer one."),
            );
        }
    }

    fn chat_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match key.code {
            KeyCode::Esc => {
                let _ = self.take_input();
                Vec::new()
            }
            KeyCode::Enter => {
                let text = self.take_input().trim().to_owned();
                if text.is_empty() {
                    return Vec::new();
                }
                // A password typed into the request is neither shown nor kept here (the
                // daemon cuts it too, and says secrets are asked separately).
                let shown = levitate_dbus::secrets::redact(&text).shown;
                if self.history.last() != Some(&shown) {
                    self.history.push(shown.clone());
                    let excess = self.history.len().saturating_sub(MAX_HISTORY);
                    self.history.drain(..excess);
                }
                self.history_pos = None;
                if matches!(text.as_str(), "quit" | "exit now" | ":q") {
                    self.quit = true;
                    return Vec::new();
                }
                if matches!(text.as_str(), "cancel" | "stop") {
                    if let Some(job) = self.job.as_ref().filter(|j| j.state == "running") {
                        return vec![Effect::Cancel(job.path.clone())];
                    }
                }
                self.push(Who::User, format!("> {shown}"));
                if !self.connected {
                    // Never queue: a request typed now must not run later, unseen.
                    self.push(Who::Error, "Not connected to the installer, so this was not sent. I keep trying to reconnect; say it again once the title shows the installer.");
                    return Vec::new();
                }
                self.busy = true;
                vec![Effect::Say(text)]
            }
            KeyCode::Up => {
                if self.history.is_empty() {
                    return Vec::new();
                }
                let pos = self
                    .history_pos
                    .map_or(self.history.len() - 1, |p| p.saturating_sub(1));
                self.history_pos = Some(pos);
                self.input = Zeroizing::new(self.history[pos].clone());
                self.cursor = self.input.chars().count();
                Vec::new()
            }
            KeyCode::Down => {
                match self.history_pos {
                    Some(p) if p + 1 < self.history.len() => {
                        self.history_pos = Some(p + 1);
                        self.input = Zeroizing::new(self.history[p + 1].clone());
                    }
                    _ => {
                        self.history_pos = None;
                        self.input = Zeroizing::new(String::new());
                    }
                }
                self.cursor = self.input.chars().count();
                Vec::new()
            }
            _ => {
                self.edit(key);
                Vec::new()
            }
        }
    }

    /// Line editing shared by chat and secret input.
    fn edit(&mut self, key: KeyEvent) {
        let len = self.input.chars().count();
        match key.code {
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL) && self.input.len() < 4096 =>
            {
                let at = self.byte_index();
                self.input.insert(at, c);
                self.cursor += 1;
            }
            KeyCode::Char('u') => {
                let _ = self.take_input();
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_index();
                self.input.remove(at);
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_index();
                self.input.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            _ => {}
        }
    }

    pub fn mouse(&mut self, kind: MouseEventKind) {
        match kind {
            MouseEventKind::ScrollUp => {
                self.scroll = (self.scroll + 3).min(self.viewport.chat_max);
            }
            MouseEventKind::ScrollDown => self.scroll = self.scroll.saturating_sub(3),
            _ => {}
        }
    }

    /// Something the daemon bridge reports.
    pub fn daemon(&mut self, event: DaemonEvent) {
        match event {
            DaemonEvent::Connected(view) => {
                if !self.connected && !self.daemon.version.is_empty() {
                    self.push(Who::Info, "Reconnected to the installer.");
                }
                self.connected = true;
                self.daemon = view;
            }
            DaemonEvent::Snapshot(view) => self.daemon = view,
            DaemonEvent::Disconnected(why) => {
                if self.connected {
                    self.push(
                        Who::Error,
                        format!("Lost the installer ({why}); reconnecting..."),
                    );
                }
                self.connected = false;
                self.busy = false;
            }
            DaemonEvent::Reply {
                text,
                plan,
                question,
            } => {
                self.busy = false;
                self.push(
                    if question {
                        Who::Question
                    } else {
                        Who::Assistant
                    },
                    text,
                );
                if let Some(plan) = plan {
                    self.plan = Some(plan);
                    self.plan_scroll = 0;
                    self.advance_plan(0);
                }
            }
            DaemonEvent::Job(job) => {
                // A job may start and end between two reads of the bridge (a sandbox job
                // takes about 50 ms), so its end is announced unless this very job was
                // already seen ended; an earlier job's end says nothing about this one.
                let announced = self
                    .job
                    .as_ref()
                    .is_some_and(|j| j.path == job.path && j.state != "running");
                if job.state != "running" && !announced {
                    self.busy = false;
                    self.plan = None;
                    let (who, text) = outcome(&job);
                    self.push(who, text);
                }
                self.job = Some(job);
            }
            DaemonEvent::Failed(msg) => {
                self.busy = false;
                if self.mode == Mode::Confirm {
                    self.mode = Mode::Chat;
                }
                self.push(Who::Error, msg);
            }
        }
    }
}

/// The text with the daemon's object paths put in words: a parenthesised path is left out
/// ("confirm the plan (/org/levitateos/Installer1/Plan/3)." reads "confirm the plan."),
/// any other becomes "plan 3". Paths mean something to `busctl`, not to a person.
fn for_people(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(ROOT_PATH) {
        let (before, from) = rest.split_at(at);
        let end = from
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '_'))
            .unwrap_or(from.len());
        let (path, after) = from.split_at(end);
        if let (Some(before), Some(after)) = (before.strip_suffix(" ("), after.strip_prefix(')')) {
            out.push_str(before);
            rest = after;
        } else {
            out.push_str(before);
            out.push_str(&object_name(path));
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// "/org/levitateos/Installer1/Plan/3" as "plan 3".
fn object_name(path: &str) -> String {
    let tail = path
        .strip_prefix(ROOT_PATH)
        .unwrap_or(path)
        .trim_matches('/');
    match tail.split_once('/') {
        Some((kind, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{} {n}", kind.to_lowercase())
        }
        _ if tail.is_empty() => "the installer".to_owned(),
        _ => tail.replace('/', " ").to_lowercase(),
    }
}

/// What a finished job's outcome says to the person. The daemon's message may already
/// name the outcome ("Cancelled; the steps that finished stay done"): said once.
fn outcome(job: &JobView) -> (Who, String) {
    let message = job.message.trim();
    let labelled = |label: &str| {
        let named = message
            .get(..label.len())
            .is_some_and(|m| m.eq_ignore_ascii_case(label));
        match (message.is_empty(), named) {
            (true, _) => format!("{label}."),
            (false, true) => message.to_owned(),
            (false, false) => format!("{label}: {message}"),
        }
    };
    match job.state.as_str() {
        "succeeded" => (Who::Info, labelled("Done")),
        "cancelled" => (Who::Info, labelled("Cancelled")),
        _ => {
            let mut text = if message.is_empty() {
                "The job failed.".to_owned()
            } else {
                message.to_owned()
            };
            if !text.ends_with(['.', '!', '?']) {
                text.push('.');
            }
            text.push_str(" Tell me what to change, or try again.");
            (Who::Error, text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
        for c in text.chars() {
            app.key(key(KeyCode::Char(c)));
        }
        app.key(key(KeyCode::Enter))
    }

    fn plan_with_password() -> PlanView {
        PlanView {
            path: "/org/levitateos/Installer1/Plan/3".into(),
            summary: "This plan creates user vince".into(),
            secrets: vec![SecretRequest {
                id: "password:vince".into(),
                prompt: "Password for vince".into(),
                provided: false,
            }],
            ..PlanView::default()
        }
    }

    fn connected_app() -> App {
        let mut app = App::new();
        app.daemon(DaemonEvent::Connected(DaemonView {
            version: "0.1.0".into(),
            ..DaemonView::default()
        }));
        app
    }

    #[test]
    fn nothing_is_sent_or_queued_while_disconnected() {
        let mut app = App::new();
        assert!(type_text(&mut app, "use the whole disk").is_empty());
        assert!(app
            .chat
            .last()
            .is_some_and(|l| l.who == Who::Error && l.text.contains("not sent")));
    }

    #[test]
    fn typing_sends_say_and_keeps_history() {
        let mut app = connected_app();
        assert_eq!(
            type_text(&mut app, "list disks"),
            vec![Effect::Say("list disks".into())]
        );
        assert!(app.busy);
        assert_eq!(
            app.chat.last().map(|l| l.text.as_str()),
            Some("> list disks")
        );
        type_text(&mut app, "timezone berlin");
        app.key(key(KeyCode::Up));
        assert_eq!(app.input.as_str(), "timezone berlin");
        app.key(key(KeyCode::Up));
        assert_eq!(app.input.as_str(), "list disks");
        app.key(key(KeyCode::Down));
        app.key(key(KeyCode::Down));
        assert_eq!(app.input.as_str(), "");
    }

    #[test]
    fn a_password_typed_into_a_request_is_neither_shown_nor_kept() {
        let mut app = connected_app();
        let sent = type_text(&mut app, "create user ada, password Wq3-larch");
        assert_eq!(
            sent,
            vec![Effect::Say("create user ada, password Wq3-larch".into())],
            "the daemon gets the request and cuts the secret itself"
        );
        let shown: Vec<&str> = app.chat.iter().map(|l| l.text.as_str()).collect();
        assert!(!shown.iter().any(|t| t.contains("Wq3")), "{shown:?}");
        assert!(
            shown.contains(&"> create user ada, password ••••••"),
            "{shown:?}"
        );
        app.key(key(KeyCode::Up));
        assert_eq!(app.input.as_str(), "create user ada, password ••••••");
    }

    #[test]
    fn line_editing() {
        let mut app = App::new();
        for c in "hostnme".chars() {
            app.key(key(KeyCode::Char(c)));
        }
        app.key(key(KeyCode::Left));
        app.key(key(KeyCode::Left));
        app.key(key(KeyCode::Char('a')));
        assert_eq!(app.input.as_str(), "hostname");
        app.key(key(KeyCode::Home));
        app.key(key(KeyCode::Delete));
        app.key(key(KeyCode::End));
        app.key(key(KeyCode::Backspace));
        assert_eq!(app.input.as_str(), "ostnam");
        app.key(key(KeyCode::Esc));
        assert_eq!(app.input.as_str(), "");
    }

    #[test]
    fn a_plan_with_a_password_asks_twice_masked_then_for_confirmation() {
        let mut app = App::new();
        app.daemon(DaemonEvent::Reply {
            text: "Here is the plan".into(),
            plan: Some(plan_with_password()),
            question: false,
        });
        assert_eq!(app.secret_prompt().as_deref(), Some("Password for vince"));
        assert!(type_text(&mut app, "hunter22").is_empty());
        assert_eq!(
            app.secret_prompt().as_deref(),
            Some("Password for vince (again)")
        );
        let fx = type_text(&mut app, "hunter22");
        assert!(
            matches!(&fx[..], [Effect::SetSecret { id, secret, .. }] if id == "password:vince" && secret.as_slice() == b"hunter22")
        );
        assert_eq!(app.mode, Mode::Confirm);
        // The secret went nowhere else: not into history, not into the chat.
        assert!(app.history.is_empty());
        assert!(!app.chat.iter().any(|l| l.text.contains("hunter22")));
        assert_eq!(
            type_text(&mut app, "y"),
            vec![Effect::Confirm("/org/levitateos/Installer1/Plan/3".into())]
        );
    }

    #[test]
    fn mismatched_secrets_are_asked_again_and_esc_rejects() {
        let mut app = App::new();
        app.daemon(DaemonEvent::Reply {
            text: "plan".into(),
            plan: Some(plan_with_password()),
            question: false,
        });
        type_text(&mut app, "first-entry");
        assert!(type_text(&mut app, "second-entry").is_empty());
        assert_eq!(app.secret_prompt().as_deref(), Some("Password for vince"));
        assert_eq!(
            app.key(key(KeyCode::Esc)),
            vec![Effect::Reject("/org/levitateos/Installer1/Plan/3".into())]
        );
        assert_eq!(app.mode, Mode::Chat);
        assert!(app.plan.is_none());
    }

    #[test]
    fn n_rejects_and_job_completion_is_reported() {
        let mut app = connected_app();
        app.daemon(DaemonEvent::Reply {
            text: "plan".into(),
            plan: Some(PlanView {
                path: "/p/1".into(),
                ..PlanView::default()
            }),
            question: false,
        });
        assert_eq!(app.mode, Mode::Confirm);
        assert_eq!(
            type_text(&mut app, "n"),
            vec![Effect::Reject("/p/1".into())]
        );
        app.daemon(DaemonEvent::Job(JobView {
            state: "running".into(),
            path: "/j/2".into(),
            ..JobView::default()
        }));
        assert_eq!(
            type_text(&mut app, "cancel"),
            vec![Effect::Cancel("/j/2".into())]
        );
        app.daemon(DaemonEvent::Job(JobView {
            state: "failed".into(),
            message: "Failed: copy".into(),
            ..JobView::default()
        }));
        assert!(app
            .chat
            .last()
            .is_some_and(|l| l.who == Who::Error && l.text.contains("Failed: copy")));
    }

    fn job(path: &str, state: &str, message: &str) -> JobView {
        JobView {
            path: path.into(),
            state: state.into(),
            message: message.into(),
            ..JobView::default()
        }
    }

    fn chat_text(app: &App) -> String {
        app.chat
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Issue #14: a sandbox job finishes in about 50 ms, well within one refresh of the
    /// bridge, so the TUI may never see it running. After an earlier job had ended, such a
    /// job left the screen on "Confirmed. Starting... / ..." for ever.
    #[test]
    fn a_job_that_finishes_between_two_refreshes_is_reported_done() {
        let mut app = connected_app();
        app.daemon(DaemonEvent::Job(job("/j/1", "running", "")));
        app.daemon(DaemonEvent::Job(job("/j/1", "failed", "Failed: copy")));
        app.daemon(DaemonEvent::Reply {
            text: "plan".into(),
            plan: Some(PlanView {
                path: "/p/2".into(),
                ..PlanView::default()
            }),
            question: false,
        });
        assert_eq!(
            type_text(&mut app, "y"),
            vec![Effect::Confirm("/p/2".into())]
        );
        assert!(app.busy);
        // The first refresh after Confirm already finds the new job finished.
        app.daemon(DaemonEvent::Job(job(
            "/j/2",
            "succeeded",
            "All steps finished",
        )));
        assert!(!app.busy, "still waiting after the job ended");
        assert!(app.plan.is_none());
        assert_eq!(
            app.chat.last().map(|l| l.text.as_str()),
            Some("Done: All steps finished")
        );
        // The same outcome read again (a later refresh) is not announced twice.
        app.daemon(DaemonEvent::Job(job(
            "/j/2",
            "succeeded",
            "All steps finished",
        )));
        assert_eq!(chat_text(&app).matches("Done:").count(), 1);
    }

    fn confirming_app() -> App {
        let mut app = connected_app();
        app.daemon(DaemonEvent::Reply {
            text: "plan".into(),
            plan: Some(PlanView {
                path: "/p/1".into(),
                ..PlanView::default()
            }),
            question: false,
        });
        assert_eq!(app.mode, Mode::Confirm);
        app
    }

    /// Issue #14: typing "no" rejected on the "n" and sent "o" to the assistant.
    #[test]
    fn yes_and_no_are_answered_as_whole_words() {
        for (answer, expected) in [
            ("no", Effect::Reject("/p/1".into())),
            ("NO", Effect::Reject("/p/1".into())),
            ("n", Effect::Reject("/p/1".into())),
            ("yes", Effect::Confirm("/p/1".into())),
            ("Yes", Effect::Confirm("/p/1".into())),
            (" y ", Effect::Confirm("/p/1".into())),
        ] {
            let mut app = confirming_app();
            let mut effects = Vec::new();
            for c in answer.chars() {
                effects.extend(app.key(key(KeyCode::Char(c))));
            }
            effects.extend(app.key(key(KeyCode::Enter)));
            assert_eq!(effects, vec![expected], "answer {answer:?}");
            assert_eq!(app.mode, Mode::Chat);
            assert_eq!(
                app.input.as_str(),
                "",
                "answer {answer:?} left input behind"
            );
        }
    }

    #[test]
    fn another_answer_at_the_confirmation_is_said_not_ignored() {
        let mut app = confirming_app();
        assert!(type_text(&mut app, "maybe").is_empty());
        assert_eq!(app.mode, Mode::Confirm);
        assert!(app.plan.is_some());
        let last = app.chat.last().expect("a line");
        assert!(
            last.text.contains("yes or no") && last.text.contains("maybe"),
            "{last:?}"
        );
        // Enter alone asks too.
        let lines = app.chat.len();
        assert!(app.key(key(KeyCode::Enter)).is_empty());
        assert!(app.chat.len() > lines);
        assert_eq!(
            app.key(key(KeyCode::Esc)),
            vec![Effect::Reject("/p/1".into())]
        );
    }

    /// Issue #14: "Cancelled: Cancelled; the steps that finished stay done".
    #[test]
    fn job_outcomes_are_said_once_in_plain_words() {
        let mut app = connected_app();
        app.daemon(DaemonEvent::Job(job("/j/1", "running", "")));
        app.daemon(DaemonEvent::Job(job(
            "/j/1",
            "cancelled",
            "Cancelled; the steps that finished stay done",
        )));
        assert_eq!(
            app.chat.last().map(|l| l.text.as_str()),
            Some("Cancelled; the steps that finished stay done")
        );
        app.daemon(DaemonEvent::Job(job("/j/2", "cancelled", "")));
        assert_eq!(app.chat.last().map(|l| l.text.as_str()), Some("Cancelled."));
        app.daemon(DaemonEvent::Job(job("/j/3", "failed", "Failed: copy")));
        let last = app.chat.last().expect("a line");
        assert_eq!(last.who, Who::Error);
        assert!(last.text.starts_with("Failed: copy"), "{last:?}");
        assert!(!chat_text(&app).contains("Cancelled: Cancelled"));
    }

    /// Issue #14: "Nothing happens until you confirm the plan
    /// (/org/levitateos/Installer1/Plan/3)."
    #[test]
    fn object_paths_are_not_shown_to_the_person() {
        let mut app = connected_app();
        app.daemon(DaemonEvent::Reply {
            text: "This plan sets the time zone.\nNothing happens until you confirm the plan (/org/levitateos/Installer1/Plan/3).".into(),
            plan: None,
            question: false,
        });
        app.daemon(DaemonEvent::Failed(
            "No such object /org/levitateos/Installer1/Job/12; ask for the status".into(),
        ));
        let text = chat_text(&app);
        assert!(!text.contains("/org/levitateos"), "{text}");
        assert!(text.contains("until you confirm the plan."), "{text}");
        assert!(text.contains("No such object job 12;"), "{text}");
    }

    /// Issue #14: a one-letter password went through without a word.
    #[test]
    fn a_very_short_password_is_warned_about_and_can_be_kept_or_replaced() {
        let mut app = App::new();
        app.daemon(DaemonEvent::Reply {
            text: "plan".into(),
            plan: Some(plan_with_password()),
            question: false,
        });
        assert!(type_text(&mut app, "Q7").is_empty());
        let warning = app.chat.last().expect("a warning");
        assert!(warning.text.contains("short"), "{warning:?}");
        assert!(!chat_text(&app).contains("Q7"), "the secret was echoed");
        assert!(
            app.secret_prompt()
                .is_some_and(|p| p.starts_with("Password for vince (very short")),
            "{:?}",
            app.secret_prompt()
        );
        // Typed again: kept, as the person chose.
        let fx = type_text(&mut app, "Q7");
        assert!(
            matches!(&fx[..], [Effect::SetSecret { secret, .. }] if secret.as_slice() == b"Q7"),
            "{fx:?}"
        );
        // Or a longer one instead of the repetition: it replaces the short one and is asked
        // again, without a warning.
        let mut app = App::new();
        app.daemon(DaemonEvent::Reply {
            text: "plan".into(),
            plan: Some(plan_with_password()),
            question: false,
        });
        type_text(&mut app, "Q7");
        let lines = app.chat.len();
        assert!(type_text(&mut app, "correct-horse").is_empty());
        assert_eq!(app.chat.len(), lines, "a long password was warned about");
        assert_eq!(
            app.secret_prompt().as_deref(),
            Some("Password for vince (again)")
        );
        let fx = type_text(&mut app, "correct-horse");
        assert!(
            matches!(&fx[..], [Effect::SetSecret { secret, .. }] if secret.as_slice() == b"correct-horse"),
            "{fx:?}"
        );
    }

    #[test]
    fn ctrl_c_quits_and_reconnection_is_announced() {
        let mut app = App::new();
        app.daemon(DaemonEvent::Connected(DaemonView {
            version: "0.1.0".into(),
            ..DaemonView::default()
        }));
        app.daemon(DaemonEvent::Disconnected("daemon restarted".into()));
        assert!(!app.connected);
        app.daemon(DaemonEvent::Connected(DaemonView {
            version: "0.1.0".into(),
            ..DaemonView::default()
        }));
        assert!(app.chat.iter().any(|l| l.text.contains("Reconnected")));
        app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(app.quit);
    }
}
