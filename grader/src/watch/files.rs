//! Noticing saves under `exercises/`: file events (debounced), or polling modification times.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, SystemTime};

use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use walkdir::WalkDir;

use super::{Key, Wake};

/// Send `Changed` on saves under `exercises`: from file events (the returned debouncer must be
/// kept alive), or by polling.
pub fn watch_files(
    exercises: &Path,
    poll: bool,
    tx: Sender<Wake>,
) -> Option<notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>> {
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
                .watch(exercises, RecursiveMode::Recursive)
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
        let root = exercises.to_path_buf();
        std::thread::spawn(move || poll_loop(&root, tx));
    }
    debouncer
}

pub fn wait(rx: &Receiver<Wake>) -> Wake {
    loop {
        match rx.recv_timeout(Duration::from_secs(3600)) {
            Ok(w) => return w,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return Wake::Key(Key::Char('q')),
        }
    }
}

fn is_source(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "rs" || e == "toml")
        && !p.components().any(|c| c.as_os_str() == "target")
}

/// The newest modification time of any source file under `root`.
pub fn newest(root: &Path) -> Option<SystemTime> {
    WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && is_source(e.path()))
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max()
}

fn poll_loop(root: &Path, tx: Sender<Wake>) {
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
