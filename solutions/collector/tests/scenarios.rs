//! Runs every scenario of `exercises/collector/tests/scenarios/*.py` on CPython 3.11 and checks
//! that it prints the expected output written at the end of the file: the same lines the
//! chapter tests expect from `GcHeap`. So the expected outputs are CPython's, not ours.
//!
//! The interpreter is `python3`, or the one named by `COURSE_PYTHON311`; it must be 3.11.
//! Output is stdout and stderr together (`-u`, stderr into stdout), normalised the way
//! `del_exception.py` explains: addresses become `0x…`, traceback lines are left out. A scenario
//! that imports `_testcapi` is skipped, with a note, on an interpreter without that module.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "../../../exercises/collector/tests/chapters/scenario.rs"]
mod scenario;

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises/collector/tests/scenarios")
}

fn python() -> String {
    std::env::var("COURSE_PYTHON311").unwrap_or_else(|_| "python3".to_string())
}

/// Runs `script` and returns its output lines, normalised. `-u` and `2>&1`: stdout and stderr
/// interleave as they would on a terminal.
fn run(script: &Path) -> Vec<String> {
    let out = Command::new("sh")
        .args(["-c", "exec \"$0\" -u \"$1\" 2>&1"])
        .arg(python())
        .arg(script)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run sh: {e}"));
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    assert!(out.status.success(), "{} failed:\n{text}", script.display());
    normalise(&text)
}

/// Addresses become `0x…`; the traceback block of an unraisable report is left out.
fn normalise(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_traceback = false;
    for line in text.lines() {
        if line == "Traceback (most recent call last):" {
            in_traceback = true;
            continue;
        }
        if in_traceback && line.starts_with("  ") {
            continue;
        }
        in_traceback = false;
        lines.push(hide_addresses(line));
    }
    lines
}

fn hide_addresses(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        let hex = rest[at + 2..]
            .bytes()
            .take_while(u8::is_ascii_hexdigit)
            .count();
        if hex == 0 {
            out.push_str("0x");
        } else {
            out.push_str("0x…");
        }
        rest = &rest[at + 2 + hex..];
    }
    out.push_str(rest);
    out
}

/// Can the interpreter import `_testcapi` (needed by the legacy-finalizer scenario)?
fn has_testcapi() -> bool {
    Command::new(python())
        .args(["-c", "import _testcapi"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

#[test]
fn python_is_cpython_3_11() {
    let out = Command::new(python())
        .args([
            "-c",
            "import sys; print(sys.implementation.name, *sys.version_info[:2])",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e} (set COURSE_PYTHON311)", python()));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "cpython 3 11");
}

#[test]
fn every_scenario_prints_its_expected_output_on_cpython() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("the scenarios folder")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "found only {files:?}");
    let testcapi = has_testcapi();
    let mut failures = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("readable");
        if !testcapi && source.contains("import _testcapi") {
            // Some Linux distributions ship CPython's test modules in a separate package;
            // pyenv builds include them.
            println!(
                "note: skipping {}: {} has no _testcapi module",
                file.display(),
                python()
            );
            continue;
        }
        let expected = scenario::expected_output(&source);
        let actual = run(file);
        if actual != expected {
            failures.push(format!(
                "{}:\n  expected {expected:#?}\n  CPython printed {actual:#?}",
                file.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
