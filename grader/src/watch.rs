//! `watch`: re-run `check` whenever a file under `exercises/` is saved.
//!
//! File events are debounced (an editor's save is often several writes). Where the file system
//! cannot be watched (some network and container mounts), or with `--poll`, the tool falls back to
//! comparing modification times once a second. Either way, typing Enter re-checks at once and
//! `q` then Enter quits.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, SystemTime};

use anyhow::Result;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use walkdir::WalkDir;

use crate::course::Course;
use crate::runner::Limits;
use crate::student;

enum Wake {
    Changed,
    Enter,
    Quit,
}

pub fn watch(course: &Course, id: Option<&str>, limits: Limits, poll: bool) -> Result<()> {
    // Checked once here: inside the loop an error is only printed, and would repeat forever.
    if let Some(id) = id
        && course.manifest.find(id).is_none()
    {
        return Err(course.manifest.unknown_id_error(id));
    }
    let exercises = course.root.join("exercises");
    let (tx, rx) = channel::<Wake>();
    // Manual fallback, always on: Enter re-checks, q quits.
    let keys = tx.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            let wake = if line.trim() == "q" {
                Wake::Quit
            } else {
                Wake::Enter
            };
            if keys.send(wake).is_err() {
                break;
            }
            line.clear();
        }
    });
    let events = tx.clone();
    let debouncer = if poll {
        None
    } else {
        new_debouncer(
            Duration::from_millis(400),
            move |res: DebounceEventResult| {
                if let Ok(evs) = res
                    && evs.iter().any(|e| is_source(&e.path))
                {
                    let _ = events.send(Wake::Changed);
                }
            },
        )
        .and_then(|mut d| {
            d.watcher()
                .watch(&exercises, RecursiveMode::Recursive)
                .map(|_| d)
        })
        .map_err(|e| {
            eprintln!(
                "note: cannot watch {} ({e}); checking for changes every second instead.",
                exercises.display()
            )
        })
        .ok()
    };
    if debouncer.is_none() {
        let root = exercises.clone();
        std::thread::spawn(move || poll_loop(&root, tx));
    }
    loop {
        // Sources as they are when this check starts: a save during the check re-checks after.
        let checked_at = newest(&exercises);
        // A failing build or test is reported by `check` itself; an error here is the tool's
        // own (cargo missing, state not writable): say so, and keep watching.
        if let Err(e) = student::check(course, id, limits) {
            eprintln!("error: {e:#}");
        }
        println!("\nWatching exercises/ for saves… (Enter: check again, q then Enter: quit)");
        loop {
            match wait(&rx) {
                Wake::Quit => return Ok(()),
                Wake::Enter => break,
                // Building reads the sources, and some file systems report reads as events:
                // only a newer modification time means the student saved something.
                Wake::Changed => {
                    if newest(&exercises) != checked_at {
                        break;
                    }
                }
            }
        }
        // Swallow the burst of events a single save produces.
        while let Ok(Wake::Changed) = rx.recv_timeout(Duration::from_millis(200)) {}
    }
}

fn wait(rx: &Receiver<Wake>) -> Wake {
    loop {
        match rx.recv_timeout(Duration::from_secs(3600)) {
            Ok(w) => return w,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return Wake::Quit,
        }
    }
}

fn is_source(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "rs" || e == "toml")
        && !p.components().any(|c| c.as_os_str() == "target")
}

/// The newest modification time of any source file under `root`.
fn newest(root: &Path) -> Option<SystemTime> {
    WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && is_source(e.path()))
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max()
}

fn poll_loop(root: &Path, tx: std::sync::mpsc::Sender<Wake>) {
    let mut last = newest(root);
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = newest(root);
        if now != last {
            last = now;
            if tx.send(Wake::Changed).is_err() {
                return;
            }
        }
    }
}
