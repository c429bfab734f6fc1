//! `watch`: check an exercise again whenever a file under `exercises/` is saved, with single keys
//! for what a student does next (next exercise, hint, list, check all, reset, open the chapter).
//!
//! File events are debounced (an editor's save is often several writes). Where the file system
//! cannot be watched (some network and container mounts), or with `--poll`, the tool falls back to
//! comparing modification times once a second.
//!
//! On a terminal, keys act at once (raw mode, restored by a guard even on a panic; Ctrl-C quits).
//! When stdin is not a terminal, the same letters work as lines: a letter, then Enter. The key
//! handling itself is a pure state machine ([`keys`]), and each check runs as a `check`
//! subprocess, whose output is captured so that the screen is redrawn once per result.

mod files;
mod keys;
mod screen;

use std::collections::VecDeque;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{Sender, channel};
use std::time::Duration;

use anyhow::{Context, Result};

use files::{newest, wait, watch_files};
pub use keys::{Action, Key, WatchState};
use screen::{Checked, LEGEND};

use crate::book;
use crate::course::Course;
use crate::manifest::Exercise;
use crate::runner::Limits;
use crate::student::{self, State};

enum Wake {
    Changed,
    Key(Key),
    Resize,
}

pub fn watch(course: &Course, id: Option<&str>, limits: Limits, poll: bool) -> Result<()> {
    // Checked once here: inside the loop an error is only printed, and would repeat forever.
    if let Some(id) = id
        && course.manifest.find(id).is_none()
    {
        return Err(course.manifest.unknown_id_error(id));
    }
    let Some(first) = id
        .map(str::to_string)
        .or_else(|| State::load(course).next(course).map(|e| e.id.clone()))
        .or_else(|| course.manifest.exercises.first().map(|e| e.id.clone()))
    else {
        println!("The course has no exercises.");
        return Ok(());
    };
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let exercises = course.root.join("exercises");
    let (tx, rx) = channel::<Wake>();
    let keys = tx.clone();
    if interactive {
        std::thread::spawn(move || read_keys(keys));
    } else {
        std::thread::spawn(move || read_lines(keys));
    }
    let _debouncer = watch_files(&exercises, poll, tx);
    // From here on raw mode is on, until this guard is dropped (also by a panic or an error).
    let raw = if interactive {
        Some(screen::Raw::on()?)
    } else {
        None
    };
    let mut ui = Ui {
        course,
        limits,
        raw,
        last: None,
        note: String::new(),
        sticky: false,
        dirty: false,
    };
    let mut st = WatchState::new(&first);
    let mut actions = VecDeque::from([Action::Check]);
    let mut pending = VecDeque::new();
    let mut checked_at = None;
    loop {
        while let Some(action) = actions.pop_front() {
            if action == Action::Check {
                // Sources as they are when this check starts: a save during it re-checks after.
                checked_at = newest(&exercises);
                let passed = ui.check(&st.current);
                let next = State::load(course).next(course).map(|e| e.id.clone());
                actions.extend(st.checked(passed, next.as_deref()));
            } else if !ui.act(&action, &st.current)? {
                return Ok(());
            }
        }
        ui.redraw(&st)?;
        match pending.pop_front().unwrap_or_else(|| wait(&rx)) {
            Wake::Key(k) => actions.extend(st.on_key(k)),
            Wake::Resize => ui.dirty = true,
            // Building reads the sources, and some file systems report reads as events: only a
            // newer modification time means the student saved something.
            Wake::Changed if newest(&exercises) != checked_at => {
                // Swallow the burst of events a single save produces (keeping any key).
                while let Ok(w) = rx.recv_timeout(Duration::from_millis(200)) {
                    if !matches!(w, Wake::Changed) {
                        pending.push_back(w);
                    }
                }
                actions.extend(st.on_save());
            }
            Wake::Changed => {}
        }
    }
}

/// What is on the screen, and how to carry out the actions.
struct Ui<'a> {
    course: &'a Course,
    limits: Limits,
    /// Some on a terminal: draw screens; None: print as lines.
    raw: Option<screen::Raw>,
    /// The last check of the current exercise.
    last: Option<Checked>,
    /// What the last key showed (a hint, the list, a summary), under the result.
    note: String,
    /// Keep the note over the next check (what `reset` did, shown with the check after it).
    sticky: bool,
    dirty: bool,
}

impl Ui<'_> {
    fn exercise(&self, id: &str) -> &Exercise {
        self.course
            .manifest
            .find(id)
            .expect("ids come from the manifest")
    }

    /// Show `text`: under the result on a terminal, printed at once otherwise.
    fn say(&mut self, text: String) {
        if self.raw.is_some() {
            self.note = text;
            self.dirty = true;
        } else {
            print!("{}", screen::with_newline(&text));
            let _ = std::io::stdout().flush();
        }
    }

    fn status(&self, text: &str) {
        if let Some(raw) = &self.raw {
            raw.status(text);
        } else {
            println!("{text}");
        }
    }

    fn check(&mut self, id: &str) -> bool {
        let ex = self.exercise(id);
        if let Some(raw) = &self.raw {
            // Piped, the output says it first.
            raw.status(&format!("Checking {} — {}…", ex.id, ex.title));
        }
        let checked = run_check(self.course, id, self.limits);
        let passed = checked.passed;
        if self.raw.is_some() {
            if !std::mem::take(&mut self.sticky) {
                self.note.clear();
            }
            self.dirty = true;
        } else {
            print!("{}", screen::with_newline(&checked.output));
            println!("\nWatching exercises/ for saves… Keys (type one, then Enter):\n{LEGEND}");
        }
        self.last = Some(checked);
        passed
    }

    /// Carry out one action (not `Check`). Ok(false) to quit.
    fn act(&mut self, action: &Action, id: &str) -> Result<bool> {
        let course = self.course;
        let ex = self.exercise(id);
        match action {
            Action::Quit => return Ok(false),
            Action::Check => unreachable!("checks are run by the loop"),
            Action::Hint => {
                let text = student::hint(course, id).map_or_else(
                    |e| format!("error: {e:#}"),
                    |t| t.replace(&format!("run `cargo course hint {id}` again"), "h again"),
                );
                self.say(text);
            }
            Action::List => self.say(student::list(course)),
            Action::CheckAll => {
                let mut rows = Vec::new();
                let all = &course.manifest.exercises;
                for (i, e) in all.iter().enumerate() {
                    self.status(&format!("Checking all: {}/{} {}…", i + 1, all.len(), e.id));
                    let c = run_check(course, &e.id, self.limits);
                    if e.id == id {
                        self.last = Some(c.clone());
                    }
                    rows.push((e.id.clone(), c));
                }
                self.say(screen::summary(&rows));
            }
            Action::AskReset => {
                let files = ex
                    .files
                    .iter()
                    .map(|f| format!("exercises/{}/{f}", ex.krate))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.say(format!(
                    "Reset {id}? Your changes to {files} will be replaced by the stub (a copy goes \
                     to {}/). y/N",
                    student::BACKUP_DIR
                ));
            }
            Action::Reset => {
                // `reset` prints as it goes: give it a normal terminal, then redraw.
                let result = self.cooked(|| student::reset(course, id, true));
                match result {
                    // Piped, `reset` has said what it did.
                    Ok(_) if self.raw.is_none() => {}
                    Ok(_) => self.say(format!(
                        "{id} is back to its stub (your version, if any, is kept in {}/).",
                        student::BACKUP_DIR
                    )),
                    Err(e) => self.say(format!("error: {e:#}")),
                }
                // Shown with the check that follows.
                self.sticky = true;
            }
            Action::ResetCancelled => self.say("Nothing changed.".to_string()),
            Action::OpenChapter => {
                let chapter = ex.chapter.clone();
                let text = self.cooked(|| open_chapter(course, &chapter));
                self.say(text);
            }
            Action::AllDone => self.say(
                "Every exercise is done. Congratulations! Try the chapters' challenges next."
                    .to_string(),
            ),
            Action::Legend => self.say(match self.raw {
                Some(_) => format!("That key does nothing. The keys are:\n{LEGEND}"),
                None => LEGEND.to_string(),
            }),
        }
        Ok(true)
    }

    /// Run `f` with raw mode off (it prints, or runs a program that uses the terminal).
    fn cooked<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let Some(raw) = &self.raw else { return f() };
        raw.suspend();
        let out = f();
        raw.resume();
        self.dirty = true;
        out
    }

    fn redraw(&mut self, st: &WatchState) -> Result<()> {
        if let Some(raw) = &self.raw
            && std::mem::take(&mut self.dirty)
        {
            let ex = self.exercise(&st.current);
            let text = screen::render(self.course, ex, self.last.as_ref(), &self.note, st);
            raw.draw(&text)?;
        }
        Ok(())
    }
}

/// Check `id` in a `check` subprocess, with its output captured.
fn run_check(course: &Course, id: &str, limits: Limits) -> Checked {
    let run = std::env::current_exe()
        .context("cannot find the course tool's own program")
        .and_then(|exe| {
            Command::new(exe)
                .arg("--course")
                .arg(&course.root)
                .args(["check", id, "--timeout"])
                .arg(limits.timeout.as_secs_f64().to_string())
                .arg("--memory-mb")
                .arg(limits.memory_mb.to_string())
                .stdin(Stdio::null())
                .output()
                .context("cannot run `check`")
        });
    match run {
        Ok(out) => {
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            Checked::new(out.status.success(), text)
        }
        Err(e) => Checked::new(false, format!("error: {e:#}\n")),
    }
}

/// Open the built book's page for `chapter` (building the book first if that page is missing).
/// Returns what to tell the student.
fn open_chapter(course: &Course, chapter: &str) -> String {
    let html = Path::new(chapter).with_extension("html");
    // Where `book` builds to: book.toml's `build.build-dir`, mdBook's default `book`.
    let build_dir = std::fs::read_to_string(course.book_dir().join("book.toml"))
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .and_then(|t| {
            t.get("build")?
                .get("build-dir")?
                .as_str()
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("book"));
    let mut page: PathBuf = course.book_dir().join(build_dir).join(&html);
    if !page.is_file() {
        println!("Building the book…");
        match book::build(&course.book_dir(), None) {
            Ok(index) => page = index.parent().unwrap_or(Path::new(".")).join(&html),
            Err(e) => return format!("error: {e:#}"),
        }
    }
    let shown = page
        .strip_prefix(&course.root)
        .unwrap_or(&page)
        .display()
        .to_string();
    let has_display = std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
        || cfg!(target_os = "macos");
    if has_display && book::open(&page).is_ok() {
        format!("Opened the chapter in your browser: {shown}")
    } else {
        format!(
            "No browser could be opened. The chapter is at {}",
            page.display()
        )
    }
}

/// Keys from the terminal in raw mode.
fn read_keys(tx: Sender<Wake>) {
    use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    while let Ok(ev) = event::read() {
        let wake = match ev {
            Event::Key(k) if k.kind == KeyEventKind::Press => Wake::Key(match k.code {
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => Key::CtrlC,
                KeyCode::Char(c) => Key::Char(c.to_ascii_lowercase()),
                KeyCode::Enter => Key::Enter,
                _ => Key::Other,
            }),
            Event::Resize(..) => Wake::Resize,
            _ => continue,
        };
        if tx.send(wake).is_err() {
            return;
        }
    }
}

/// The fallback when stdin is not a terminal: one key per line.
fn read_lines(tx: Sender<Wake>) {
    let mut line = String::new();
    while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
        if tx.send(Wake::Key(Key::from_line(&line))).is_err() {
            return;
        }
        line.clear();
    }
}
