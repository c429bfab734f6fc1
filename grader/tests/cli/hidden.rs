//! Hidden tests (`grade --hidden DIR`): the instructor's tests are compiled into the exercise's
//! test binary and scored, reported to the instructor in full, and shown to students only as
//! counts (by name with `--show-hidden`; after the due date in Gradescope). A student's code
//! cannot read their source while its tests run.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::common::*;

/// One hidden test that the solutions pass and one whose message is a secret.
const HIDDEN_ADD: &str = r#"use arith::add::add;

#[test]
fn adds_in_either_order() {
    assert_eq!(add(3, 4), add(4, 3), "SECRET-ORDER-MESSAGE");
}

#[test]
fn adds_near_the_top() {
    assert_eq!(add(u64::MAX - 1, 1), u64::MAX);
}
"#;

/// `add` right except for 3 + 4, and a peek at the hidden tests' source while its tests run.
const SNEAKY_ADD: &str = r#"/// The sum of `a` and `b`.
pub fn add(a: u64, b: u64) -> u64 {
    let peek = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/chapters/hidden_add.rs");
    if let Ok(text) = std::fs::read_to_string(peek) {
        panic!("LEAKED {text}");
    }
    if (a, b) == (3, 4) { 8 } else { a + b }
}
"#;

fn class(course: &Path) -> (tempfile::TempDir, tempfile::TempDir) {
    let subs = tempfile::tempdir().unwrap();
    copy_tree(
        &course.join("solutions/arith/src"),
        &subs.path().join("zoe/exercises/arith/src"),
    );
    copy_tree(
        &course.join("solutions/arith/src"),
        &subs.path().join("yann/exercises/arith/src"),
    );
    std::fs::write(
        subs.path().join("yann/exercises/arith/src/add.rs"),
        SNEAKY_ADD,
    )
    .unwrap();
    let hidden = tempfile::tempdir().unwrap();
    std::fs::write(hidden.path().join("add.rs"), HIDDEN_ADD).unwrap();
    (subs, hidden)
}

fn student<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
}

#[test]
fn hidden_tests_are_scored_reported_to_the_instructor_and_only_counted_for_students() {
    let course = fixture_course();
    let (subs, hidden) = class(course.path());
    let out = tempfile::tempdir().unwrap();
    let hidden_arg = hidden.path().to_str().unwrap();
    grade_ok(
        course.path(),
        subs.path(),
        out.path(),
        &["--hidden", hidden_arg, "--gradescope"],
    );

    // The instructor's reports: every hidden test by name, and their counts in grades.csv.
    let json = read_grades(out.path());
    assert!(json["hidden"].as_str().unwrap().starts_with("1 file(s)"));
    let add = &student(&json, "yann")["exercises"][0];
    let names: Vec<&str> = (add["tests"].as_array().unwrap().iter())
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"ch01_add::hidden::adds_in_either_order"),
        "{names:?}"
    );
    assert_eq!(student(&json, "zoe")["total"], student(&json, "zoe")["max"]);
    let csv = std::fs::read_to_string(out.path().join("grades.csv")).unwrap();
    assert_eq!(
        csv,
        "id,add,mul,total,max,hidden_passed,hidden_tests\nyann,5,2,7,8,1,2\nzoe,6,2,8,8,2,2\n"
    );

    // The student's feedback: a count, no name, no message, and nothing read from the source.
    let md = std::fs::read_to_string(out.path().join("feedback/yann.md")).unwrap();
    assert!(
        md.contains("1 of 2 hidden test(s) passed (1/2 points)"),
        "{md}"
    );
    for secret in ["adds_in_either_order", "SECRET-ORDER-MESSAGE", "LEAKED"] {
        assert!(!md.contains(secret), "{secret} in:\n{md}");
    }

    // Gradescope: the hidden tests in an entry of their own, shown after the due date.
    let gs: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("gradescope/yann.json")).unwrap(),
    )
    .unwrap();
    let entries = gs["tests"].as_array().unwrap();
    let visible = entries
        .iter()
        .find(|t| t["name"] == "add — Adding")
        .unwrap();
    assert_eq!(
        (&visible["score"], &visible["max_score"]),
        (&4.into(), &4.into())
    );
    let secret = (entries.iter())
        .find(|t| t["name"] == "add — hidden tests")
        .unwrap();
    assert_eq!(secret["visibility"], "after_due_date");
    assert_eq!(
        (&secret["score"], &secret["max_score"]),
        (&1.into(), &2.into())
    );
    assert!(!visible["output"].as_str().unwrap().contains("SECRET"));

    // --show-hidden: the same grades, and the names and messages in the feedback.
    let shown = tempfile::tempdir().unwrap();
    grade_ok(
        course.path(),
        subs.path(),
        shown.path(),
        &["--hidden", hidden_arg, "--show-hidden"],
    );
    let md = std::fs::read_to_string(shown.path().join("feedback/yann.md")).unwrap();
    assert!(md.contains("hidden::adds_in_either_order"), "{md}");
    assert!(md.contains("SECRET-ORDER-MESSAGE"), "{md}");
}

#[test]
fn a_hidden_test_file_that_names_no_exercise_is_refused_with_the_ids() {
    let course = fixture_course();
    let (subs, hidden) = class(course.path());
    std::fs::write(hidden.path().join("addition.rs"), HIDDEN_ADD).unwrap();
    grader(course.path())
        .arg("grade")
        .arg(subs.path())
        .args(["--out", "reports", "--hidden"])
        .arg(hidden.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no exercise is called `addition`"))
        .stderr(predicate::str::contains("add, mul"));
}

#[test]
fn verify_checks_hidden_tests_fail_on_the_stubs_and_pass_on_the_solutions() {
    let course = fixture_course();
    let hidden = tempfile::tempdir().unwrap();
    std::fs::write(hidden.path().join("add.rs"), HIDDEN_ADD).unwrap();
    let verify = |course: &Path| {
        grader(course)
            .args(["verify", "--no-book", "--no-doctests", "--hidden"])
            .arg(hidden.path())
            .output()
            .unwrap()
    };
    let good = verify(course.path());
    assert!(good.status.success(), "{}", stdout_of(&good));
    assert!(
        stdout_of(&good).contains("add: hidden tests fail on the stub and pass on the solution")
    );

    // One that asserts nothing of the student's, one that is wrong about the answer.
    std::fs::write(
        hidden.path().join("mul.rs"),
        "use arith::mul::mul;\n\n#[test]\nfn asks_nothing() {}\n\n\
         #[test]\nfn wrong_answer() {\n    assert_eq!(mul(2, 3), 5);\n}\n",
    )
    .unwrap();
    let bad = verify(course.path());
    assert_eq!(bad.status.code(), Some(1), "{}", stdout_of(&bad));
    let text = stdout_of(&bad);
    assert!(
        text.contains("ch02_mul::hidden::asks_nothing passes on the stub"),
        "{text}"
    );
    assert!(
        text.contains("ch02_mul::hidden::wrong_answer fails on the solution"),
        "{text}"
    );
}
