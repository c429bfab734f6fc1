//! `check` lists an exercise's tests in the order their test module declares them (the
//! chapter's order), not libtest's alphabetical one, so that a student working bottom-up sees
//! the first steps pass first and the first failure is the next step to write.

use std::path::Path;

use crate::common::*;

/// The lines of `out` that are test verdicts (`  ✓ name`, `  ✗ name`), without the indent.
fn verdict_lines(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with("  ✓ ") || l.starts_with("  ✗ "))
        .map(|l| l.trim_start().to_string())
        .collect()
}

#[test]
fn check_lists_tests_in_the_order_their_module_declares_them() {
    let course = fixture_course();
    let out = grader(course.path())
        .args(["check", "add"])
        .output()
        .unwrap();
    let stdout = stdout_of(&out);
    // ch01_add.rs declares them in this order; alphabetically `adding_zero…` would come first.
    assert_eq!(
        verdict_lines(&stdout),
        [
            "✗ ch01_add::adds_small_numbers",
            "✗ ch01_add::adding_zero_changes_nothing",
            "✗ ch01_add::adds_large_numbers",
        ],
        "{stdout}"
    );
    assert!(
        stdout.contains("First failure: ch01_add::adds_small_numbers"),
        "{stdout}"
    );
}

/// Adds to a fixture copy an exercise `steps` in three steps: `double`, then `quadruple` (which
/// the chapter builds on `double`), then a test of both together, declared last although its
/// name sorts first.
fn add_steps_exercise(course: &Path) {
    let crate_dir = course.join("exercises/arith");
    let append = |path: &Path, text: &str| {
        let mut all = std::fs::read_to_string(path).unwrap();
        all.push_str(text);
        std::fs::write(path, all).unwrap();
    };
    append(&crate_dir.join("src/lib.rs"), "pub mod steps;\n");
    std::fs::write(
        crate_dir.join("src/steps.rs"),
        "/// Step 1.\npub fn double(x: u64) -> u64 {\n    todo!(\"double {x}\")\n}\n\n\
         /// Step 2.\npub fn quadruple(x: u64) -> u64 {\n    todo!(\"quadruple {x}\")\n}\n",
    )
    .unwrap();
    append(
        &crate_dir.join("tests/chapters/main.rs"),
        "mod ch03_steps;\n",
    );
    std::fs::write(
        crate_dir.join("tests/chapters/ch03_steps.rs"),
        "use arith::steps::{double, quadruple};\n\n\
         #[test]\nfn step1_double_doubles() {\n    assert_eq!(double(21), 42);\n}\n\n\
         #[test]\nfn step2_quadruple_quadruples() {\n    assert_eq!(quadruple(5), 20);\n}\n\n\
         #[test]\nfn a_whole_program_uses_both() {\n    assert_eq!(quadruple(double(1)), 8);\n}\n",
    )
    .unwrap();
    append(
        &course.join("exercises/course.toml"),
        "\n[[exercise]]\nid = \"steps\"\ntitle = \"Two steps\"\nchapter = \"mul.md\"\n\
         crate = \"arith\"\nfiles = [\"src/steps.rs\"]\ntests = \"ch03_steps\"\n\
         hints = [\"Double first.\", \"Then double twice.\"]\n",
    );
}

#[test]
fn a_student_who_wrote_only_the_first_step_sees_it_pass_and_the_rest_fail() {
    let course = fixture_course();
    add_steps_exercise(course.path());
    write_exercise(
        course.path(),
        "steps.rs",
        "/// Step 1.\npub fn double(x: u64) -> u64 {\n    2 * x\n}\n\n\
         /// Step 2.\npub fn quadruple(x: u64) -> u64 {\n    todo!(\"quadruple {x}\")\n}\n",
    );
    let out = grader(course.path())
        .args(["check", "steps"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    assert_eq!(
        verdict_lines(&stdout),
        [
            "✓ ch03_steps::step1_double_doubles",
            "✗ ch03_steps::step2_quadruple_quadruples",
            "✗ ch03_steps::a_whole_program_uses_both",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("1/3 tests pass, 1/3 points"), "{stdout}");
    assert!(
        stdout.contains("First failure: ch03_steps::step2_quadruple_quadruples"),
        "the next step to write is the first failure:\n{stdout}"
    );
}
