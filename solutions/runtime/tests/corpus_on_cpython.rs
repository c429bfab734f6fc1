//! Runs every corpus program (`exercises/runtime/tests/programs/*.py`) on CPython 3.11 and checks
//! that it prints the expected output written at its end: the very lines the exercise tests
//! expect from the runtime. So the corpus's expectations are CPython's, not ours.
//!
//! The interpreter is `python3`, or the one named by `COURSE_PYTHON311`; it must be 3.11. Output
//! is stdout and stderr together (`-u`, stderr into stdout), normalised as the exercise tests
//! normalise the runtime's (addresses, traceback bodies).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "../../../exercises/runtime/tests/chapters/ch14_runtime/expected.rs"]
#[allow(dead_code)] // assert_prints runs the runtime: only the exercise tests use it
mod expected;

/// The folder of the corpus programs.
fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises/runtime/tests/programs")
}

fn python() -> String {
    std::env::var("COURSE_PYTHON311").unwrap_or_else(|_| "python3".to_string())
}

#[test]
fn the_interpreter_is_cpython_3_11() {
    let out = Command::new(python())
        .args(["-c", "import sys; print(sys.version_info[:2] == (3, 11))"])
        .output()
        .expect("python3 runs (set COURSE_PYTHON311 to a CPython 3.11)");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "True");
}

#[test]
fn every_program_has_a_runtime_test_or_is_pending() {
    let corpus = programs_dir().join("../chapters/ch14_runtime/corpus.rs");
    let listed = std::fs::read_to_string(&corpus).expect("corpus.rs");
    for entry in std::fs::read_dir(programs_dir()).expect("the programs folder") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".py") {
            assert!(
                listed.contains(&format!("\"{name}\"")),
                "{name} has no test: add it to programs! (or PENDING) in {}",
                corpus.display()
            );
        }
    }
}

#[test]
fn every_program_prints_its_expected_output_on_cpython() {
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(programs_dir())
        .expect("the programs folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "the corpus has {} programs", files.len());
    for path in &files {
        let source = std::fs::read_to_string(path).expect("readable");
        let want: Vec<String> = expected::normalise(&expected::expected_output(&source).join("\n"));
        let out = Command::new("sh")
            .args(["-c", "exec \"$0\" -u \"$1\" 2>&1"])
            .arg(python())
            .arg(path)
            .env("PYTHONHASHSEED", "0")
            .stdin(Stdio::null())
            .output()
            .expect("sh runs");
        let got = expected::normalise(&String::from_utf8_lossy(&out.stdout));
        if got != want {
            failures.push(format!(
                "{}:\n  expected {want:?}\n  CPython  {got:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
