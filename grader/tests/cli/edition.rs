//! `edition`: the student edition of the course, without solutions/, that still works.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// `edition --out OUT EXTRA…` run in `course`.
fn edition(course: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    grader(course)
        .arg("edition")
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// The edition in `out` has no solutions anywhere a student or cargo would look, and `list`
/// run inside it shows the exercises.
fn assert_usable_edition(out: &Path) {
    assert!(!out.join("solutions").exists());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("solutions"), "{manifest}");
    let lock = std::fs::read_to_string(out.join("Cargo.lock")).unwrap();
    assert!(!lock.contains("arith-solution"), "{lock}");
    assert!(out.join("exercises/arith/src/add.rs").is_file());
    assert!(out.join("book/src/add.md").is_file());
    // The stubs as shipped, for `cargo course reset`.
    for file in ["add.rs", "mul.rs"] {
        let rel = format!("exercises/arith/src/{file}");
        assert_eq!(
            std::fs::read(out.join(".course-stubs").join(&rel)).unwrap(),
            std::fs::read(out.join(&rel)).unwrap(),
        );
    }
    let list = grader(out).arg("list").output().unwrap();
    assert!(list.status.success(), "{}", stderr_of(&list));
    let text = stdout_of(&list);
    assert!(text.contains("add") && text.contains("mul"), "{text}");
}

#[test]
fn edition_of_a_plain_folder_leaves_out_the_solutions_and_still_lists_the_exercises() {
    let course = fixture_course();
    // Build products and a student's progress stay out of the edition.
    std::fs::create_dir_all(course.path().join("target/debug")).unwrap();
    std::fs::write(course.path().join("target/debug/junk"), "").unwrap();
    std::fs::write(course.path().join(".course-state.json"), "{}").unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("student");
    let run = edition(course.path(), &out, &[]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let summary = stdout_of(&run);
    for expected in [
        "a walk of the course folder",
        "solutions/ (4 files)",
        "\"solutions/*\" from members",
        "arith-solution",
        "cargo course list",
        "students' repository",
    ] {
        assert!(summary.contains(expected), "{expected:?} in:\n{summary}");
    }
    assert!(!out.join("target").exists());
    assert!(!out.join(".course-state.json").exists());
    assert_usable_edition(&out);
}

#[test]
fn edition_of_a_git_checkout_copies_the_tracked_files_only() {
    let course = fixture_course();
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(course.path())
            .args(args)
            .output()
    };
    if !git(&["init", "-q"]).is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: git is not available, so the `git ls-files` path is not tested");
        return;
    }
    assert!(git(&["add", "-A"]).unwrap().status.success());
    std::fs::write(course.path().join("exercises/scratch.txt"), "not tracked").unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("student");
    let run = edition(course.path(), &out, &[]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let summary = stdout_of(&run);
    assert!(summary.contains("git ls-files"), "{summary}");
    assert!(
        summary.contains("1 untracked file(s) not copied"),
        "{summary}"
    );
    assert!(!out.join("exercises/scratch.txt").exists());
    assert!(!out.join(".git").exists());
    assert_usable_edition(&out);
}

#[test]
fn a_second_edition_into_the_same_folder_needs_force_which_keeps_its_git_folder() {
    let course = fixture_course();
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("student");
    assert!(edition(course.path(), &out, &[]).status.success());

    let again = edition(course.path(), &out, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr_of(&again).contains("--force"),
        "{}",
        stderr_of(&again)
    );

    // A clone of the students' repository: --force replaces the files but keeps the history.
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(out.join("stale.txt"), "from an older edition").unwrap();
    let forced = edition(course.path(), &out, &["--force"]);
    assert!(forced.status.success(), "{}", stderr_of(&forced));
    assert!(out.join(".git/HEAD").is_file());
    assert!(!out.join("stale.txt").exists());
    assert_usable_edition(&out);
}

#[test]
fn an_edition_inside_the_course_is_refused_before_anything_is_written() {
    let course = fixture_course();
    let out = course.path().join("student");
    let run = edition(course.path(), &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr_of(&run).contains("inside the course"),
        "{}",
        stderr_of(&run)
    );
    assert!(!out.exists());
}

#[test]
fn the_edition_readme_speaks_to_students_in_place_of_the_maintainers() {
    let course = fixture_course();
    std::fs::write(
        course.path().join("README.md"),
        "# Fixture\n\n## Maintainers\n\n`cargo test`: solutions pass, stubs fail (see solutions/).\n",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("student");
    let run = edition(course.path(), &out, &[]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    assert!(
        stdout_of(&run).contains("README.md: written for students"),
        "{}",
        stdout_of(&run)
    );
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.starts_with("# Fixture course\n"), "{readme}");
    for expected in [
        "cargo course list",
        "cargo course book --open",
        "cargo course check",
        "cargo course watch",
        "cargo course hint add",
        "cargo course reset add",
        "cargo test -p arith ch01_add",
    ] {
        assert!(readme.contains(expected), "{expected:?} in:\n{readme}");
    }
    for absent in ["solutions", "Maintainers", "verify", "{"] {
        assert!(!readme.contains(absent), "{absent:?} in:\n{readme}");
    }
}

/// In the course, `cargo test` tests the grader and the solutions; in the edition it runs the
/// student's own exercises (their stubs fail until filled in).
#[test]
fn cargo_test_in_the_edition_runs_the_exercises_tests() {
    let course = fixture_course();
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("student");
    let run = edition(course.path(), &out, &[]);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("default-members = [\"exercises/*\"]"),
        "{manifest}"
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let test = Command::new(cargo)
        .arg("test")
        .arg("--offline")
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", out.join("target"))
        .output()
        .unwrap();
    let stdout = stdout_of(&test);
    assert!(!test.status.success(), "the stubs passed:\n{stdout}");
    assert!(
        stdout.contains("test ch01_add::adds_small_numbers ... FAILED"),
        "{stdout}\n{}",
        stderr_of(&test)
    );
    assert!(stdout.contains("not yet implemented"), "{stdout}");
}
