//! `reset ID`: an exercise's files back to the stub the course shipped, with a backup of the
//! student's version and the exercise's progress cleared.

use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;

use crate::common::*;

const STUB: &str = "course/exercises/arith/src/add.rs";
const SOLVED: &str = "course/solutions/arith/src/add.rs";

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).unwrap()
}

fn add_rs(course: &Path) -> PathBuf {
    course.join("exercises/arith/src/add.rs")
}

/// `grader` in `dir`, where git never looks above the temp folder (so a temp folder inside some
/// repository does not count as history).
fn student(dir: &Path) -> assert_cmd::Command {
    let mut cmd = grader(dir);
    cmd.env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap());
    cmd
}

/// The student edition of a fixture copy, in `dest/student`.
fn edition_of_fixture(dest: &Path) -> PathBuf {
    let course = fixture_course();
    let out = dest.join("student");
    grader(course.path())
        .arg("edition")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out
}

/// The path after "Your version is kept in " in `reset`'s output, under `course`.
fn backup_path(stdout: &str, course: &Path) -> PathBuf {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Your version is kept in "))
        .unwrap_or_else(|| panic!("no backup named in:\n{stdout}"));
    course.join(line.trim())
}

#[test]
fn reset_in_an_edition_puts_the_shipped_stub_back_keeps_a_backup_and_clears_progress() {
    let dest = tempfile::tempdir().unwrap();
    let course = edition_of_fixture(dest.path());
    std::fs::write(add_rs(&course), fixture(SOLVED)).unwrap();
    student(&course).args(["check", "add"]).assert().success();

    let out = student(&course)
        .args(["reset", "add", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.contains("Reset add to its stub"), "{text}");
    assert!(
        text.contains("exercises/arith/src/add.rs: from .course-stubs/"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(add_rs(&course)).unwrap(),
        fixture(STUB)
    );
    let backup = backup_path(&text, &course);
    assert!(backup.starts_with(course.join(".course-backup")), "{text}");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), fixture(SOLVED));
    // Backups never reach a commit.
    assert_eq!(
        std::fs::read_to_string(course.join(".course-backup/.gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    student(&course)
        .arg("list")
        .assert()
        .stdout(predicate::str::contains("add  not started"));
}

#[test]
fn reset_asks_first_and_changes_nothing_unless_told_yes() {
    let dest = tempfile::tempdir().unwrap();
    let course = edition_of_fixture(dest.path());
    std::fs::write(add_rs(&course), fixture(SOLVED)).unwrap();
    student(&course)
        .args(["reset", "add"])
        .write_stdin("n\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Reset add? Your changes to exercises/arith/src/add.rs will be replaced by the stub",
        ))
        .stdout(predicate::str::contains("[y/N]"))
        .stdout(predicate::str::contains("Nothing changed"))
        .stdout(predicate::str::contains("--yes"));
    assert_eq!(
        std::fs::read_to_string(add_rs(&course)).unwrap(),
        fixture(SOLVED)
    );
    assert!(!course.join(".course-backup").exists());
    // No answer at all (a script without --yes) is a no too.
    student(&course).args(["reset", "add"]).assert().code(1);
    student(&course)
        .args(["reset", "add"])
        .write_stdin("y\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Reset add to its stub"));
    assert_eq!(
        std::fs::read_to_string(add_rs(&course)).unwrap(),
        fixture(STUB)
    );
}

/// Resetting is also the way back from a deleted file (which `list` and `check` refuse).
#[test]
fn reset_restores_a_deleted_exercise_file() {
    let dest = tempfile::tempdir().unwrap();
    let course = edition_of_fixture(dest.path());
    std::fs::remove_file(add_rs(&course)).unwrap();
    student(&course).arg("list").assert().code(2);
    student(&course)
        .args(["reset", "add", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Your version is kept").not());
    assert_eq!(
        std::fs::read_to_string(add_rs(&course)).unwrap(),
        fixture(STUB)
    );
    student(&course).arg("list").assert().success();
}

/// Without the edition's copy, the stub comes from git, and a student's committed solution is not
/// mistaken for it.
#[test]
fn reset_after_the_student_committed_their_work_takes_the_stub_from_git_history() {
    let course = fixture_course();
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(course.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
    };
    if !git(&["init", "-q"]).is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: git is not available");
        return;
    }
    assert!(git(&["add", "-A"]).unwrap().status.success());
    assert!(
        git(&["commit", "-qm", "the course"])
            .unwrap()
            .status
            .success()
    );
    std::fs::write(add_rs(course.path()), fixture(SOLVED)).unwrap();
    assert!(git(&["commit", "-qam", "my add"]).unwrap().status.success());

    let out = student(course.path())
        .args(["reset", "add", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = stdout_of(&out);
    assert!(text.contains("from git commit"), "{text}");
    assert!(text.contains("\"the course\""), "{text}");
    assert_eq!(
        std::fs::read_to_string(add_rs(course.path())).unwrap(),
        fixture(STUB)
    );
}

#[test]
fn reset_without_a_stub_anywhere_changes_nothing_and_says_what_to_do() {
    // A plain folder: no .course-stubs/ and no git history.
    let course = fixture_course();
    std::fs::write(add_rs(course.path()), fixture(SOLVED)).unwrap();
    student(course.path())
        .args(["reset", "add", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot reset add"))
        .stderr(predicate::str::contains("nothing was changed"))
        .stderr(predicate::str::contains(
            ".course-stubs/exercises/arith/src/add.rs",
        ))
        .stderr(predicate::str::contains("not a git repository"))
        .stderr(predicate::str::contains("ask your instructor"));
    assert_eq!(
        std::fs::read_to_string(add_rs(course.path())).unwrap(),
        fixture(SOLVED)
    );
}

#[test]
fn reset_of_an_unknown_exercise_lists_the_real_ones() {
    let course = fixture_course();
    student(course.path())
        .args(["reset", "nope", "--yes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no exercise `nope`"))
        .stderr(predicate::str::contains("cargo course list"));
}
