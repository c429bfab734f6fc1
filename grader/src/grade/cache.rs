//! Re-grading unchanged work is free: each student's result is kept in `DIR/.cache/<id>.json`
//! with a hash of everything that decided it, and reused while that hash is the same.
//!
//! The hash covers the student's side (the exact files the grader accepted from them, and the
//! notes it made while collecting them) and the grader's side (the pristine exercise crates with
//! their tests and snapshots, `course.toml`, the course's `Cargo.toml`/`Cargo.lock` that the
//! sandbox builds with, the limits, whether the sandbox is on, the compiler's version and the
//! grader binary itself). Change any of them and the student is graded again. A cache file that
//! cannot be read is ignored.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::report::safe_file_name;
use super::sandbox::course_files;
use super::submission::Found;
use super::{Options, StudentResult};
use crate::course::Course;
use crate::hash::Fnv1a;
use crate::results::TestStatus;

/// What one cache file holds.
#[derive(Serialize, Deserialize)]
struct Entry {
    /// The key, as 16 hex digits (JSON numbers cannot hold every u64 exactly).
    key: String,
    result: StudentResult,
    /// The result holds a timeout seen only once: a busy machine can make a correct test time
    /// out, so the next run grades the student again rather than reuse it. A timeout seen on
    /// that second run too is kept (`false`): an infinite loop is not graded at every run.
    #[serde(default)]
    retry: bool,
}

pub struct Cache {
    dir: PathBuf,
    /// Hash of the grader's side, the same for every student of a run.
    inputs: u64,
    /// False under `--no-cache`: never reuse, but still store the fresh results.
    reuse: bool,
}

impl Cache {
    pub fn new(course: &Course, opts: &Options, out: &Path) -> Result<Cache> {
        Ok(Cache {
            dir: out.join(".cache"),
            inputs: inputs_hash(course, opts)?,
            reuse: !opts.no_cache,
        })
    }

    /// The key of one student's grading: the run's inputs plus what was taken from them.
    pub fn key(&self, id: &str, found: &Found) -> u64 {
        let mut h = Fnv1a::default();
        h.field(&self.inputs.to_le_bytes()).field(id.as_bytes());
        h.field(&[u8::from(found.no_exercises)]);
        for (krate, files) in &found.files {
            for (rel, bytes) in files {
                h.field(krate.as_bytes()).field(rel.as_bytes()).field(bytes);
            }
        }
        // Notes such as "skipped a 2 MB file" are part of the feedback, so they count too.
        for note in &found.notes {
            h.field(note.as_bytes());
        }
        h.finish()
    }

    /// The stored result for `id`, if it was made under this very key.
    pub fn load(&self, id: &str, key: u64) -> Option<StudentResult> {
        if !self.reuse {
            return None;
        }
        let text = std::fs::read_to_string(self.path(id)).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        (entry.key == hex(key) && entry.result.id == id && !entry.retry).then_some(entry.result)
    }

    /// Was the stored result for `id`, under this very key, a first timeout to retry?
    fn retried(&self, id: &str, key: u64) -> bool {
        let Ok(text) = std::fs::read_to_string(self.path(id)) else {
            return false;
        };
        serde_json::from_str::<Entry>(&text)
            .is_ok_and(|e| e.key == hex(key) && e.result.id == id && e.retry)
    }

    /// Keep a fresh result: one with a timeout is reused only once a second run timed out too.
    pub fn store_graded(&self, key: u64, result: &StudentResult) -> Result<()> {
        let timed_out = (result.exercises.iter())
            .any(|e| e.tests.iter().any(|t| t.status == TestStatus::Timeout));
        let retry = timed_out && !self.retried(&result.id, key);
        self.write(key, result, retry)
    }

    /// Keep `result` for the next run. Written to a temporary file and renamed, so an
    /// interrupted run leaves the old entry or the new one, never half of one.
    #[cfg(test)]
    pub fn store(&self, key: u64, result: &StudentResult) -> Result<()> {
        self.write(key, result, false)
    }

    fn write(&self, key: u64, result: &StudentResult, retry: bool) -> Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        let entry = Entry {
            key: hex(key),
            result: result.clone(),
            retry,
        };
        let path = self.path(&result.id);
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_string(&entry)?)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{}.json", safe_file_name(id)))
    }
}

fn hex(key: u64) -> String {
    format!("{key:016x}")
}

/// The grader's side of every key. Hidden tests, when they come, belong here too.
fn inputs_hash(course: &Course, opts: &Options) -> Result<u64> {
    let mut h = Fnv1a::default();
    h.field(env!("CARGO_PKG_VERSION").as_bytes());
    // The version alone does not change when the grader's code does; a rebuilt binary has a
    // new size or modification time, which is enough to distrust every cached result.
    if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        h.field(&meta.len().to_le_bytes())
            .field(&modified.to_le_bytes());
    }
    // A new compiler may accept or reject other code (a new lint, a fixed bug).
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if let Ok(out) = Command::new(rustc)
        .arg("-vV")
        .current_dir(&course.root)
        .output()
    {
        h.field(&out.stdout);
    }
    let limits = opts.limits;
    h.field(&limits.timeout.as_nanos().to_le_bytes())
        .field(&limits.memory_mb.to_le_bytes())
        .field(&(limits.output_bytes as u64).to_le_bytes())
        .field(&opts.build_timeout.as_nanos().to_le_bytes());
    // Code that may read the environment or the network passes there and fails in the sandbox.
    h.field(&[u8::from(opts.sandbox)]);
    // Hidden tests are part of what is graded: other hidden tests, other grades.
    for (rel, bytes) in opts.hidden.iter().flat_map(|h| &h.files) {
        h.field(rel.as_bytes()).field(bytes);
    }
    // Exactly the files every student is graded from.
    for (rel, bytes) in course_files(&course.root, &course.manifest.crates())? {
        h.field(rel.as_bytes()).field(&bytes);
    }
    Ok(h.finish())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn found(add: &str) -> Found {
        let mut files = BTreeMap::new();
        files.insert("src/add.rs".to_string(), add.as_bytes().to_vec());
        Found {
            files: BTreeMap::from([("arith".to_string(), files)]),
            notes: vec![],
            no_exercises: false,
        }
    }

    fn cache(dir: &Path, inputs: u64) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            inputs,
            reuse: true,
        }
    }

    fn result(id: &str) -> StudentResult {
        StudentResult {
            id: id.into(),
            total: 3,
            max: 4,
            exercises: vec![],
            notes: vec!["a note".into()],
            leaderboard: None,
        }
    }

    #[test]
    fn a_timeout_is_graded_again_once_and_reused_when_it_happens_again() {
        use crate::results::{ExerciseResult, Status, TestResult};
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path(), 1);
        let mut hung = result("alice");
        hung.exercises = vec![ExerciseResult {
            id: "add".into(),
            title: "Adding".into(),
            points: 0,
            max: 1,
            status: Status::Timeout,
            tests: vec![TestResult {
                name: "ch01_add::loops".into(),
                passed: false,
                status: TestStatus::Timeout,
                points: 0,
                max: 1,
                message: "timed out".into(),
            }],
            compile_error: None,
        }];
        c.store_graded(7, &hung).unwrap();
        assert!(c.load("alice", 7).is_none(), "a first timeout is retried");
        c.store_graded(7, &hung).unwrap();
        assert!(c.load("alice", 7).is_some(), "a second timeout is kept");
        // A result without a timeout is kept at once.
        c.store_graded(8, &result("alice")).unwrap();
        assert!(c.load("alice", 8).is_some());
    }

    #[test]
    fn the_key_changes_with_the_files_the_notes_and_the_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path(), 1);
        let base = c.key("alice", &found("a + b"));
        assert_eq!(base, c.key("alice", &found("a + b")));
        assert_ne!(base, c.key("alice", &found("a + b ")));
        assert_ne!(base, c.key("bob", &found("a + b")));
        let mut noted = found("a + b");
        noted.notes.push("skipped a big file".into());
        assert_ne!(base, c.key("alice", &noted));
        assert_ne!(base, cache(dir.path(), 2).key("alice", &found("a + b")));
    }

    #[test]
    fn a_stored_result_comes_back_only_under_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path(), 1);
        c.store(7, &result("alice")).unwrap();
        let back = c.load("alice", 7).unwrap();
        assert_eq!(
            (back.total, back.max, &back.notes[..]),
            (3, 4, &result("alice").notes[..])
        );
        assert!(c.load("alice", 8).is_none());
        assert!(c.load("bob", 7).is_none());
        let no_reuse = Cache {
            reuse: false,
            ..cache(dir.path(), 1)
        };
        assert!(no_reuse.load("alice", 7).is_none());
    }

    #[test]
    fn a_corrupt_cache_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let c = cache(dir.path(), 1);
        c.store(7, &result("alice")).unwrap();
        let path = dir.path().join("alice.json");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        assert!(c.load("alice", 7).is_none());
        std::fs::write(&path, [0xff, 0xfe, 0]).unwrap();
        assert!(c.load("alice", 7).is_none());
    }
}
