//! `list` and `check` tell the same, honest story: each exercise's status is what its last check
//! found, its points are out of a maximum known before anything is built, and "next" is one
//! exercise, the first unfinished one in course order.

use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

/// Copy the fixture's solution of `file` (`add.rs`, `mul.rs`) over the stub.
fn solve(course: &Path, file: &str) {
    std::fs::copy(
        fixtures().join("course/solutions/arith/src").join(file),
        course.join("exercises/arith/src").join(file),
    )
    .unwrap();
}

fn list(course: &Path) -> String {
    let out = grader(course).arg("list").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    stdout_of(&out)
}

/// `list`'s row for `id`, with its runs of spaces squeezed to one: `add not started 0/4 Adding`.
fn row(list: &str, id: &str) -> String {
    let line = list
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(id))
        .unwrap_or_else(|| panic!("no row for {id} in:\n{list}"));
    line.split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn list_shows_what_each_exercise_is_worth_before_anything_is_built() {
    let course = fixture_course();
    let text = list(course.path());
    // add: three tests, one weighted 2; mul: two tests. Counted from the test sources.
    assert_eq!(row(&text, "add"), "add not started 0/4 Adding");
    assert_eq!(row(&text, "mul"), "mul not started 0/2 Multiplying");
    assert!(
        !course.path().join("target").exists(),
        "list built something"
    );
}

#[test]
fn tests_the_sources_cannot_count_are_counted_by_the_first_build_of_the_crate() {
    let course = fixture_course();
    // Two more tests of mul, written by a macro whose form the source scan does not follow.
    let module = course
        .path()
        .join("exercises/arith/tests/chapters/ch02_mul.rs");
    let mut text = std::fs::read_to_string(&module).unwrap();
    text.push_str(
        "\nmacro_rules! two_tests {\n    ($a:ident and $b:ident) => {\n        \
         #[test]\n        fn $a() {}\n        #[test]\n        fn $b() {}\n    };\n}\n\
         two_tests!(first and second);\n",
    );
    std::fs::write(&module, text).unwrap();
    let before = list(course.path());
    assert_eq!(row(&before, "mul"), "mul not started 0/? Multiplying");
    assert!(
        before.contains("the first check of the exercise's crate counts them"),
        "{before}"
    );
    // Checking add builds the crate, whose test list also holds mul's four tests.
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .code(1);
    assert_eq!(
        row(&list(course.path()), "mul"),
        "mul not started 0/4 Multiplying"
    );
}

/// The reported case: an exercise that passed, then broke only because another exercise's file
/// stopped compiling, showed `failing 12/12`. Status and points now both come from the last check.
#[test]
fn an_exercise_broken_by_another_files_compile_error_shows_does_not_compile_not_a_stale_score() {
    let course = fixture_course();
    solve(course.path(), "add.rs");
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .success();
    assert_eq!(row(&list(course.path()), "add"), "add done 4/4 Adding");
    write_exercise(
        course.path(),
        "mul.rs",
        "pub fn mul(a: u64, b: u64) -> u64 { a * }\n",
    );
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .code(1);
    assert_eq!(
        row(&list(course.path()), "add"),
        "add does not compile 0/4 Adding"
    );
}

#[test]
fn an_exercise_edited_since_its_last_check_shows_changed_and_no_score() {
    let course = fixture_course();
    solve(course.path(), "add.rs");
    grader(course.path())
        .args(["check", "add"])
        .assert()
        .success();
    let file = course.path().join("exercises/arith/src/add.rs");
    std::fs::write(&file, "pub fn add(a: u64, b: u64) -> u64 { a - b }\n").unwrap();
    let text = list(course.path());
    assert_eq!(row(&text, "add"), "add changed ?/4 Adding");
    assert!(
        text.contains("add was edited after its last check")
            && text.contains("cargo course check add"),
        "{text}"
    );
    // Not done any more: it is "next" again.
    assert!(text.contains("Next: add"), "{text}");
}

/// A third exercise after `mul` (in the private copy only), so that "the first unfinished
/// exercise" and "the one after the exercise just passed" differ.
fn add_third_exercise(course: &Path) {
    let w = |rel: &str, text: &str| std::fs::write(course.join(rel), text).unwrap();
    let append = |rel: &str, text: &str| {
        let old = std::fs::read_to_string(course.join(rel)).unwrap();
        std::fs::write(course.join(rel), old + text).unwrap();
    };
    w(
        "exercises/arith/src/sub.rs",
        "pub fn sub(a: u64, b: u64) -> u64 {\n    todo!(\"{a} - {b}\")\n}\n",
    );
    append("exercises/arith/src/lib.rs", "pub mod sub;\n");
    w(
        "exercises/arith/tests/chapters/ch03_sub.rs",
        "#[test]\nfn subtracts() {\n    assert_eq!(arith::sub::sub(5, 3), 2);\n}\n",
    );
    append("exercises/arith/tests/chapters/main.rs", "mod ch03_sub;\n");
    w("book/src/sub.md", "# Subtracting\n");
    append("book/src/SUMMARY.md", "- [Subtracting](sub.md)\n");
    append(
        "exercises/course.toml",
        "\n[[exercise]]\nid = \"sub\"\ntitle = \"Subtracting\"\nchapter = \"sub.md\"\n\
         crate = \"arith\"\nfiles = [\"src/sub.rs\"]\ntests = \"ch03_sub\"\nhints = [\"a\", \"b\"]\n",
    );
}

#[test]
fn after_a_pass_check_names_the_same_next_exercise_as_list() {
    let course = fixture_course();
    add_third_exercise(course.path());
    solve(course.path(), "mul.rs");
    // mul passes while add is still a stub: next is add (the first unfinished), not sub.
    grader(course.path())
        .args(["check", "mul"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Next: add"))
        .stdout(predicate::str::contains("Next: sub").not());
    assert!(list(course.path()).contains("Next: add"));
    // `check` without an id checks that same exercise.
    grader(course.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("Checking add"));
}
