//! Shared helpers for the grader's CLI tests: a private copy of the fixture course, the command,
//! and snapshot filters that remove what varies between machines (temp paths, timings).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use walkdir::WalkDir;

/// The repository root (the grader crate's parent).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The repository root if it has its solutions; None (with a note) in a student edition
/// (`cargo course edition`), where the tests that need the real solutions cannot run.
pub fn real_course_with_solutions() -> Option<PathBuf> {
    let root = repo_root();
    if root.join("solutions").is_dir() {
        Some(root)
    } else {
        eprintln!("skipped: this is a student edition of the course (no solutions/)");
        None
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copy a folder tree as regular files: a symlink (the solutions link to the exercises' given
/// files and folders) is copied as what it points to, as a student's submission would hold it.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in WalkDir::new(from).follow_links(true) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A fresh copy of the fixture course, so state files and edits stay private to one test.
pub fn fixture_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("course"), dir.path());
    dir
}

/// Replace `exercises/arith/src/FILE` of a fixture course copy with `text`, as a student's edit.
pub fn write_exercise(course: &Path, file: &str, text: &str) {
    std::fs::write(course.join("exercises/arith/src").join(file), text).unwrap();
}

/// `grader` run in `dir`, building into `dir/target`.
///
/// Each fixture copy needs its own target dir: cargo names a workspace member's artifacts by a
/// hash that does not depend on where the workspace sits, so two copies sharing a target dir
/// overwrite each other's test binaries (and the grader's sandbox) when tests run in parallel.
pub fn grader(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("grader").unwrap();
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("COURSE_ROOT");
    cmd
}

/// Replace a temp folder's path by a fixed name in command output.
pub fn redact(text: &str, dir: &Path, name: &str) -> String {
    let real = dir.canonicalize().unwrap_or(dir.to_path_buf());
    text.replace(&real.display().to_string(), name)
        .replace(&dir.display().to_string(), name)
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The `grades.json` that `grade` wrote into `out`.
pub fn read_grades(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("grades.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `grade SUBS --out OUT EXTRA…` run in `course`; it must succeed. Its output, for more checks.
pub fn grade_ok(course: &Path, subs: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let run = grader(course)
        .arg("grade")
        .arg(subs)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    run
}
