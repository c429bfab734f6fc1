//! `watch` driven through its keys without a terminal: with stdin piped, each key is a line (the
//! fallback), and every key the terminal offers works the same way.

use std::time::Duration;

use predicates::prelude::*;

use crate::common::*;

#[test]
fn watch_keys_as_lines_show_the_hint_the_list_a_summary_reset_and_quit() {
    let course = fixture_course();
    let root = course.path();
    let stub = std::fs::read_to_string(root.join("exercises/arith/src/add.rs")).unwrap();
    // The stub as the student edition ships it; the student has solved the exercise since.
    let stubs = root.join(".course-stubs/exercises/arith/src");
    std::fs::create_dir_all(&stubs).unwrap();
    std::fs::write(stubs.join("add.rs"), &stub).unwrap();
    std::fs::copy(
        root.join("solutions/arith/src/add.rs"),
        root.join("exercises/arith/src/add.rs"),
    )
    .unwrap();

    let out = grader(root)
        .args(["watch", "add", "--poll"])
        .write_stdin("h\nl\nc\nr\ny\nn\nq\n")
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap();
    let stdout = stdout_of(&out);
    assert!(out.status.success(), "{stdout}\n{}", stderr_of(&out));
    let find = |needle: &str| {
        stdout
            .find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in:\n{stdout}"))
    };
    // The first check passes; then each key in turn.
    let order = [
        find("✓ add: all 3 tests pass"),
        find("n/⏎ next · h hint · l list · c check all · r reset · o chapter · q quit"),
        // h: the next hint, counted as seen.
        find("Hint 1/2 for add: Use the + operator."),
        // l: the list.
        find("Progress: ["),
        // c: every exercise checked, and a summary.
        find("Check all:\n  ✓ add  4/4 points\n  ✗ mul  0/2 points\n1/2 exercises pass"),
        // r: asks first; y: resets through `reset`.
        find("Reset add? Your changes to exercises/arith/src/add.rs will be replaced"),
        find("Reset add to its stub:"),
        // n: checks again (the stub fails, so it stays on add).
        find("0/3 tests pass"),
    ];
    assert!(order.is_sorted(), "{order:?} in:\n{stdout}");
    assert_eq!(
        std::fs::read_to_string(root.join("exercises/arith/src/add.rs")).unwrap(),
        stub
    );
    let state = std::fs::read_to_string(root.join(".course-state.json")).unwrap();
    assert!(state.contains("\"hints_shown\": 1"), "{state}");
}

#[test]
fn watch_reset_answered_no_changes_nothing_and_next_moves_on_after_a_pass() {
    let course = fixture_course();
    let root = course.path();
    let solved = std::fs::read_to_string(root.join("solutions/arith/src/add.rs")).unwrap();
    std::fs::write(root.join("exercises/arith/src/add.rs"), &solved).unwrap();

    // Without an id, watch starts at the next unfinished exercise: add.
    grader(root)
        .args(["watch", "--poll"])
        .write_stdin("r\nn\nn\nq\n")
        .timeout(Duration::from_secs(300))
        .assert()
        .success()
        .stdout(predicate::str::contains("Nothing changed."))
        .stdout(predicate::str::contains("Checking mul — Multiplying"));
    assert_eq!(
        std::fs::read_to_string(root.join("exercises/arith/src/add.rs")).unwrap(),
        solved
    );
}
