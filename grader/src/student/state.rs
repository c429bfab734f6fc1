//! What the tool remembers between runs, in `.course-state.json` at the course root, and what it
//! makes of it: each exercise's status, its points, and the one "next" exercise.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::hash::Fnv1a;
use crate::manifest::Exercise;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseState>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ExerciseState {
    /// Outcome of the last `check`, with the hash of the exercise's files at that time.
    pub last: Option<LastCheck>,
    #[serde(default)]
    pub hints_shown: usize,
    /// The exercise's maximum points, counted from the test list of the last build of its crate.
    /// Any exercise's check builds the whole crate, so this is known for every exercise of a
    /// crate once one of them has been checked, whether or not this one has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LastCheck {
    pub passed: bool,
    pub points: u32,
    /// `None` until a check has built the crate and counted the tests.
    pub max: Option<u32>,
    /// [`files_hash`] of the exercise's files; a state file from an older tool whose hash
    /// differs just makes the exercise `changed` until the next check.
    pub files_hash: u64,
    /// The crate did not compile, so no test ran (false in state files of older tools).
    #[serde(default)]
    pub compile_error: bool,
}

/// An exercise's status for `list`: what its last check found, if its files are still the ones
/// checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    NotStarted,
    /// The last check ran the tests and some failed.
    Failing,
    /// The last check could not build the crate.
    DoesNotCompile,
    /// The files were edited after the last check, so what it found no longer holds.
    Changed,
    Done,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::NotStarted => "not started",
            Progress::Failing => "failing",
            Progress::DoesNotCompile => "does not compile",
            Progress::Changed => "changed",
            Progress::Done => "done",
        }
    }
}

impl State {
    fn path(course: &Course) -> PathBuf {
        course.root.join(".course-state.json")
    }

    pub fn load(course: &Course) -> State {
        std::fs::read_to_string(Self::path(course))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, course: &Course) -> Result<()> {
        let path = Self::path(course);
        std::fs::write(&path, serde_json::to_string_pretty(self)? + "\n")
            .with_context(|| format!("cannot save progress to {}", path.display()))
    }

    pub fn last(&self, ex: &Exercise) -> Option<&LastCheck> {
        self.exercises.get(&ex.id).and_then(|s| s.last.as_ref())
    }

    /// What the last check found, unless the files changed since: done only if it passed and
    /// the files are the ones that passed.
    pub fn progress(&self, course: &Course, ex: &Exercise) -> Progress {
        match self.last(ex) {
            None => Progress::NotStarted,
            Some(l) if l.files_hash != files_hash(course, ex) => Progress::Changed,
            Some(l) if l.passed => Progress::Done,
            Some(l) if l.compile_error => Progress::DoesNotCompile,
            Some(_) => Progress::Failing,
        }
    }

    /// The one idea of "next", shared by `list`, `check` (without an id, and after a pass),
    /// `watch` and `book`: the first exercise, in course order, that is not done.
    pub fn next<'a>(&self, course: &'a Course) -> Option<&'a Exercise> {
        course
            .manifest
            .exercises
            .iter()
            .find(|ex| self.progress(course, ex) != Progress::Done)
    }
}

/// A hash of the exercise's files (names and contents), stored in `.course-state.json`. It must
/// not change between Rust releases (std's `DefaultHasher` may), so it is FNV-1a.
pub fn files_hash(course: &Course, ex: &Exercise) -> u64 {
    let mut h = Fnv1a::default();
    for f in &ex.files {
        let bytes = std::fs::read(course.crate_dir(&ex.krate).join(f)).unwrap_or_default();
        h.field(f.as_bytes()).field(&bytes);
    }
    h.finish()
}
