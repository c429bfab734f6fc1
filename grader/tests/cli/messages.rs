//! `check` says the real cause of a failure: a compile error as a compile error (with its file,
//! line and whose file that is), and "finish the exercise this one builds on first" only when a
//! test really stopped at that exercise's `todo!()`.

use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

/// In the private copy: `mul` builds on `add`, and mul's code computes with `add`.
fn mul_built_on_add(course: &Path) {
    let manifest = course.join("exercises/course.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replace(
        "tests = \"ch02_mul\"\n",
        "tests = \"ch02_mul\"\nbuilds_on = [\"add\"]\n",
    );
    std::fs::write(&manifest, text).unwrap();
    write_exercise(
        course,
        "mul.rs",
        "pub fn mul(a: u64, b: u64) -> u64 {\n    (0..b).fold(0, |sum, _| crate::add::add(sum, a))\n}\n",
    );
}

#[test]
fn a_compile_error_in_another_exercises_file_is_reported_with_its_file_line_and_owner() {
    let course = fixture_course();
    write_exercise(
        course.path(),
        "mul.rs",
        "pub fn mul(a: u64, b: u64) -> u64 { a * }\n",
    );
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("arith does not compile"))
        .stdout(predicate::str::contains(
            "exercises/arith/src/mul.rs:1:41  (mul's file)",
        ))
        .stdout(predicate::str::contains("not in add's"))
        .stdout(predicate::str::contains("cargo course reset mul"))
        .stdout(predicate::str::contains("todo!()").not());
}

#[test]
fn a_compile_error_in_a_prerequisite_is_not_called_a_todo() {
    let course = fixture_course();
    mul_built_on_add(course.path());
    write_exercise(
        course.path(),
        "add.rs",
        "pub fn add(a: u64, b: u64) -> u64 { a + }\n",
    );
    grader(course.path())
        .args(["check", "mul"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "exercises/arith/src/add.rs:1:41  (add's file)",
        ))
        .stdout(predicate::str::contains("todo!()").not())
        .stdout(predicate::str::contains("not done yet").not());
}

#[test]
fn the_prerequisite_note_names_the_todo_the_tests_stopped_at() {
    let course = fixture_course();
    mul_built_on_add(course.path());
    grader(course.path())
        .args(["check", "mul"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "note: 2 of these tests stop at a todo!() in add's code (exercises/arith/src/add.rs:4)",
        ))
        .stdout(predicate::str::contains("cargo course check add"));
}

#[test]
fn an_unfinished_prerequisite_that_the_tests_never_reach_gets_no_note() {
    let course = fixture_course();
    mul_built_on_add(course.path());
    // Wrong, but without calling add: the failure is mul's own.
    write_exercise(
        course.path(),
        "mul.rs",
        "pub fn mul(a: u64, b: u64) -> u64 {\n    a + b\n}\n",
    );
    grader(course.path())
        .args(["check", "mul"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("assertion `left == right` failed"))
        .stdout(predicate::str::contains("note:").not())
        .stdout(predicate::str::contains("todo!()").not());
}
