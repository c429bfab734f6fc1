//! `verify` and `book`: the maintainer's checks, on the fixture course and on the real one.

use predicates::prelude::*;

use crate::common::*;

#[test]
fn verify_passes_on_a_consistent_course() {
    let course = fixture_course();
    let out = grader(course.path()).arg("verify").output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        stdout_of(&out),
        stderr_of(&out)
    );
    insta::assert_snapshot!(stdout_of(&out));
}

/// `verify` without the book: exit code 1 and `problem` among the problems it lists.
fn verify_reports(course: &std::path::Path, problem: &str) {
    grader(course)
        .args(["verify", "--no-book", "--no-doctests"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(problem));
}

#[test]
fn verify_fails_when_a_test_passes_on_the_stub() {
    let course = fixture_course();
    // A "stub" that already holds the answer: its tests assert nothing the student writes.
    std::fs::copy(
        course.path().join("solutions/arith/src/mul.rs"),
        course.path().join("exercises/arith/src/mul.rs"),
    )
    .unwrap();
    verify_reports(
        course.path(),
        "ch02_mul::multiplies_small_numbers passes on the stub",
    );
}

#[test]
fn verify_fails_when_an_exercise_owns_no_test() {
    let course = fixture_course();
    // The module is declared but holds no test any more, so `mul` would be worth nothing.
    std::fs::write(
        course
            .path()
            .join("exercises/arith/tests/chapters/ch02_mul.rs"),
        "// the tests are yet to be written\n",
    )
    .unwrap();
    verify_reports(
        course.path(),
        "exercise `mul`: the test module has no test (no #[test] and no proptest!)",
    );
}

#[test]
fn verify_fails_when_stub_and_solution_signatures_differ() {
    let course = fixture_course();
    std::fs::write(
        course.path().join("exercises/arith/src/mul.rs"),
        "pub fn mul(a: u32, b: u64) -> u64 {\n    todo!(\"{a} {b}\")\n}\n",
    )
    .unwrap();
    verify_reports(
        course.path(),
        "src/mul.rs: only the stub has `fn mul (a : u32 , b : u64) -> u64`",
    );
}

#[test]
fn manifest_mistakes_are_explained_with_the_file_and_the_fix() {
    let course = fixture_course();
    let manifest = course.path().join("exercises/course.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    // An unknown crate, a missing chapter, a duplicate id, one hint, and a test module
    // (ch02_mul) that no entry claims any more.
    let broken = text
        .replace("chapter = \"mul.md\"", "chapter = \"nowhere.md\"")
        .replace("id = \"mul\"", "id = \"add\"")
        .replace("tests = \"ch02_mul\"", "tests = \"ch03_pow\"")
        .replace(
            "hints = [\"Use the * operator.\", \"Return a * b.\"]",
            "hints = [\"Only one.\"]",
        )
        + "\n[[exercise]]\nid = \"div\"\ntitle = \"Dividing\"\nchapter = \"add.md\"\ncrate = \"maths\"\nfiles = [\"src/div.rs\"]\ntests = \"ch04_div\"\nhints = [\"a\", \"b\"]\n";
    std::fs::write(&manifest, broken).unwrap();
    let out = grader(course.path())
        .args(["verify", "--no-book", "--no-doctests"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout_of(&out);
    let manifest_part = &text[text.find("✗ manifest").expect("a manifest section")..];
    let manifest_part = &manifest_part[..manifest_part
        .find("\n✗ ")
        .map_or(manifest_part.len(), |i| i + 1)];
    insta::assert_snapshot!(manifest_part);
}

#[test]
fn a_manifest_with_a_typo_is_rejected_with_the_line() {
    let course = fixture_course();
    let manifest = course.path().join("exercises/course.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("hints = [\"Use the +", "hintz = [\"Use the +");
    std::fs::write(&manifest, text).unwrap();
    grader(course.path())
        .arg("list")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "exercises/course.toml is not a valid manifest",
        ))
        .stderr(predicate::str::contains("unknown field `hintz`"));
}

#[test]
fn a_wrong_python_example_in_the_book_fails_with_its_page_and_line() {
    let course = fixture_course();
    let page = course.path().join("book/src/mul.md");
    std::fs::write(&page, "# Multiplying\n\n```python\n>>> 6 * 7\n41\n```\n").unwrap();
    grader(course.path())
        .arg("doctest")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("File \"book/src/mul.md\", line 4"));
}

#[test]
fn book_builds_into_the_requested_folder() {
    let course = fixture_course();
    let out = course.path().join("html");
    grader(course.path())
        .args(["book", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("The book is at"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Adding"));
    let add = std::fs::read_to_string(out.join("add.html")).unwrap();
    assert!(
        add.contains("pub fn add"),
        "the include pulled the stub's code into the page"
    );
}

/// The real course: solutions pass every test, stubs fail every non-given test, the manifest,
/// crates, test modules and book pages agree, the book builds and its Python is true.
#[test]
fn verify_passes_on_this_course() {
    let Some(root) = real_course_with_solutions() else {
        return;
    };
    // A generous per-test limit: this checks consistency, not speed, and it shares the machine
    // with the other tests (a headless browser among them), under which a runtime program that
    // takes 3 s alone can pass the default 10 s.
    let out = grader(&root)
        .env_remove("CARGO_TARGET_DIR")
        .args(["verify", "--timeout", "60"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        stdout_of(&out),
        stderr_of(&out)
    );
    println!("{}", stdout_of(&out));
}
