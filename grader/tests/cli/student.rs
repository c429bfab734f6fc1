//! `list`, `check`, `hint`, `watch`: what a student sees (more in `status`, `messages` and
//! `reset`).

use predicates::prelude::*;

use crate::common::*;

#[test]
fn help_names_every_command() {
    let out = grader(&repo_root()).arg("--help").output().unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(stdout_of(&out));
}

#[test]
fn list_shows_every_exercise_and_where_to_start() {
    let course = fixture_course();
    let out = grader(course.path()).arg("list").output().unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(stdout_of(&out));
}

#[test]
fn check_of_a_stub_fails_and_shows_the_first_failure_and_the_hint_command() {
    let course = fixture_course();
    let out = grader(course.path())
        .args(["check", "add"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    insta::assert_snapshot!(stdout_of(&out));
}

#[test]
fn check_without_an_id_picks_the_next_unfinished_exercise_and_passes_when_solved() {
    let course = fixture_course();
    let solved = course.path().join("solutions/arith/src/add.rs");
    std::fs::copy(&solved, course.path().join("exercises/arith/src/add.rs")).unwrap();
    let out = grader(course.path()).arg("check").output().unwrap();
    assert!(out.status.success(), "{}", stdout_of(&out));
    insta::assert_snapshot!(stdout_of(&out));
    // `list` now counts it as done and points at the next exercise.
    grader(course.path())
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("add  done"))
        .stdout(predicate::str::contains("1/2 exercises done"))
        .stdout(predicate::str::contains("Next: mul"));
}

#[test]
fn editing_a_passed_exercise_makes_it_failing_again_after_a_check() {
    let course = fixture_course();
    let file = course.path().join("exercises/arith/src/add.rs");
    std::fs::copy(course.path().join("solutions/arith/src/add.rs"), &file).unwrap();
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .success();
    std::fs::write(&file, "pub fn add(a: u64, b: u64) -> u64 { a * b }\n").unwrap();
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .code(1);
    grader(course.path())
        .arg("list")
        .assert()
        .stdout(predicate::str::contains("add  failing"));
}

#[test]
fn check_of_code_that_does_not_compile_shows_the_compiler_errors() {
    let course = fixture_course();
    write_exercise(
        course.path(),
        "mul.rs",
        "pub fn mul(a: u64, b: u64) -> u64 { a * }\n",
    );
    grader(course.path())
        .args(["check", "mul"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error: expected expression"))
        .stdout(predicate::str::contains("arith does not compile"));
}

#[test]
fn after_a_compile_error_list_says_so_and_keeps_the_known_maximum() {
    let course = fixture_course();
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .code(1);
    write_exercise(
        course.path(),
        "add.rs",
        "pub fn add(a: u64, b: u64) -> u64 { a + }\n",
    );
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("arith does not compile"));
    grader(course.path())
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("add  does not compile      0/4"));
}

#[test]
fn student_commands_refuse_a_manifest_that_does_not_match_the_files() {
    let course = fixture_course();
    // The test module of `mul` is no longer part of the test binary: its tests would never run.
    std::fs::write(
        course.path().join("exercises/arith/tests/chapters/main.rs"),
        "mod ch01_add;\n",
    )
    .unwrap();
    for args in [
        &["list"][..],
        &["hint", "add"],
        &["check", "add"],
        &["watch", "add"],
    ] {
        grader(course.path())
            .args(args)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "exercises/arith/tests/chapters/main.rs: exercise `mul`: test module `ch02_mul` is \
                 not declared here, so its tests never run",
            ))
            .stderr(predicate::str::contains("fix: add `mod ch02_mul;`"));
    }
}

#[test]
fn hint_reveals_one_more_hint_each_time() {
    let course = fixture_course();
    let first = grader(course.path())
        .args(["hint", "mul"])
        .output()
        .unwrap();
    let second = grader(course.path())
        .args(["hint", "mul"])
        .output()
        .unwrap();
    insta::assert_snapshot!(format!("{}---\n{}", stdout_of(&first), stdout_of(&second)));
}

#[test]
fn an_unknown_exercise_is_an_error_that_lists_the_real_ones() {
    let course = fixture_course();
    grader(course.path())
        .args(["check", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "there is no exercise `nope`. Exercises: add, mul.",
        ))
        .stderr(predicate::str::contains("cargo course list"));
}

#[test]
fn outside_a_course_the_error_says_where_to_run() {
    let empty = tempfile::tempdir().unwrap();
    grader(empty.path())
        .arg("list")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no course found"))
        .stderr(predicate::str::contains("--course DIR"));
}

/// An unknown id is an error at once, not a watch that waits forever.
#[test]
fn watch_of_an_unknown_exercise_fails_at_once() {
    let course = fixture_course();
    grader(course.path())
        .args(["watch", "nosuch", "--poll"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("there is no exercise `nosuch`"))
        .stderr(predicate::str::contains("cargo course list"));
}

/// `watch` checks once, then again when a file is saved, and quits on `q`.
#[test]
fn watch_rechecks_after_a_save_and_quits_on_q() {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::mpsc;
    use std::time::Duration;

    let course = fixture_course();
    let bin = assert_cmd::cargo::cargo_bin("grader");
    let mut child = std::process::Command::new(bin)
        .current_dir(course.path())
        .env("CARGO_TARGET_DIR", course.path().join("target"))
        .args(["watch", "add", "--poll"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |needle: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("watch never printed {needle:?}");
    };
    wait_for("0/3 tests pass");
    wait_for("Watching exercises/");
    // Saving the solved file (with a newer modification time) triggers a new check.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::copy(
        course.path().join("solutions/arith/src/add.rs"),
        course.path().join("exercises/arith/src/add.rs"),
    )
    .unwrap();
    wait_for("✓ add: all 3 tests pass");
    child.stdin.as_mut().unwrap().write_all(b"q\n").unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
}
