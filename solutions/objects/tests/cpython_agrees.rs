//! Does CPython agree with the exercise tests? Every expected number of the shared corpora
//! (`exercises/objects/tests/chapters/corpus/`) is recomputed by `python3` running the scripts in
//! `tests/cpython/`, and any difference fails with a list of what differs.
//!
//! The expectations are for CPython 3.11: with another `python3` these tests print a note and
//! pass without checking. `OBJECTS_PYTHON` overrides the interpreter (default `python3`);
//! `OBJECTS_PYTHON38` names a 3.8 interpreter for the 3.8 growth sequence (default
//! `python3.8`; skipped with a note if it cannot run).

#[allow(dead_code)] // the Rust-side builders of the corpus are for the exercise tests
#[path = "../../../exercises/objects/tests/chapters/corpus/mod.rs"]
mod corpus;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use corpus::layout_cases::{APPEND_CAPACITIES, DICT_GROWTH, SIZE_CASES};
use corpus::slots_cases::HIERARCHIES;

/// Runs `tests/cpython/<script>` with `exe`, `input` on stdin. Returns the version line and the
/// other lines, or `None` (with a note) when the interpreter cannot be started.
fn run_python(exe: &str, script: &str, input: &str) -> Option<(String, Vec<String>)> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "cpython", script]
        .iter()
        .collect();
    let child = Command::new(exe)
        .arg(&path)
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            eprintln!("note: cannot run {exe} ({e}); CPython check skipped");
            return None;
        }
    };
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .expect("write to python");
    let out = child.wait_with_output().expect("python runs");
    if !out.status.success() {
        eprintln!(
            "note: {exe} {script} failed ({}); CPython check skipped:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let text = String::from_utf8(out.stdout).expect("python prints UTF-8");
    let mut lines = text.lines().map(str::to_owned);
    let version = lines.next().unwrap_or_default();
    Some((version, lines.collect()))
}

/// The answers of a `want`-version interpreter, or `None` (with a note) for any other version.
fn answers(exe: &str, want: &str, script: &str, input: &[String]) -> Option<Vec<String>> {
    let (version, lines) = run_python(exe, script, &(input.join("\n") + "\n"))?;
    if version != want {
        eprintln!(
            "note: {exe} is Python {version}, the corpus is for {want}; CPython check skipped"
        );
        return None;
    }
    assert_eq!(
        lines.len(),
        input.len(),
        "{script} answered {} lines for {} questions",
        lines.len(),
        input.len()
    );
    Some(lines)
}

/// Fails with every (question, expected, CPython's answer) that differs.
fn assert_agree(what: &str, questions: &[String], expected: &[String], got: &[String]) {
    let diffs: Vec<String> = questions
        .iter()
        .zip(expected.iter().zip(got))
        .filter(|(_, (e, g))| e != g)
        .map(|(q, (e, g))| format!("  {q}\n    tests expect: {e}\n    CPython says: {g}"))
        .collect();
    assert!(
        diffs.is_empty(),
        "{} of {} {what} disagree with CPython:\n{}",
        diffs.len(),
        questions.len(),
        diffs.join("\n")
    );
    println!("{} {what}: CPython agrees", questions.len());
}

fn python() -> String {
    std::env::var("OBJECTS_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

#[test]
fn getsizeof_corpus_matches_cpython_311() {
    let questions: Vec<String> = SIZE_CASES
        .iter()
        .map(|c| format!("getsizeof({})", c.python))
        .collect();
    let expected: Vec<String> = SIZE_CASES.iter().map(|c| c.getsizeof.to_string()).collect();
    if let Some(got) = answers(&python(), "3.11", "layout_corpus.py", &questions) {
        assert_agree(
            "sizes (layout_cases.rs SIZE_CASES)",
            &questions,
            &expected,
            &got,
        );
    }
}

#[test]
fn dict_growth_table_matches_cpython_311() {
    let mut questions = Vec::new();
    let mut expected = Vec::new();
    for &(n, str_keys, int_keys) in DICT_GROWTH {
        questions.push(format!("getsizeof(inserted({n}))"));
        expected.push(str_keys.to_string());
        questions.push(format!("getsizeof(inserted_ints({n}))"));
        expected.push(int_keys.to_string());
    }
    if let Some(got) = answers(&python(), "3.11", "layout_corpus.py", &questions) {
        assert_agree(
            "dict sizes (layout_cases.rs DICT_GROWTH)",
            &questions,
            &expected,
            &got,
        );
    }
}

#[test]
fn append_capacities_match_cpython_311_and_38() {
    for &(version, appends, caps) in APPEND_CAPACITIES {
        let exe = match version {
            "3.11" => python(),
            "3.8" => std::env::var("OBJECTS_PYTHON38").unwrap_or_else(|_| "python3.8".to_owned()),
            other => panic!("no interpreter known for {other}"),
        };
        let questions = vec![format!("capacities({appends})")];
        let expected = vec![format!("{caps:?}")];
        if let Some(got) = answers(&exe, version, "layout_corpus.py", &questions) {
            assert_agree(
                &format!("{version} append capacities"),
                &questions,
                &expected,
                &got,
            );
        }
    }
}

/// A JSON string literal (the corpus names are plain ASCII; escape what JSON requires anyway).
fn json_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn json_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| json_str(s)).collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn slots_corpus_matches_cpython_311() {
    let questions: Vec<String> = HIERARCHIES
        .iter()
        .map(|h| {
            let classes: Vec<String> = h
                .classes
                .iter()
                .map(|c| {
                    format!(
                        "{{\"name\": {}, \"bases\": {}, \"slots\": {}, \"vars\": {}}}",
                        json_str(c.name),
                        json_list(c.bases),
                        c.slots.map_or("null".to_owned(), json_list),
                        json_list(c.class_vars)
                    )
                })
                .collect();
            format!(
                "{{\"name\": {}, \"classes\": [{}]}}",
                json_str(h.name),
                classes.join(", ")
            )
        })
        .collect();
    let expected: Vec<String> = HIERARCHIES
        .iter()
        .map(|h| format!("{} | {}", h.name, h.expect))
        .collect();
    if let Some(got) = answers(&python(), "3.11", "slots_corpus.py", &questions) {
        assert_agree(
            "class hierarchies (slots_cases.rs HIERARCHIES)",
            &questions,
            &expected,
            &got,
        );
    }
}

#[test]
fn corpora_are_big_and_unambiguous() {
    let errors = HIERARCHIES
        .iter()
        .filter(|h| h.expect.contains("Error: "))
        .count();
    assert!(
        HIERARCHIES.len() >= 30,
        "at least 30 hierarchies, have {}",
        HIERARCHIES.len()
    );
    assert!(errors >= 10, "at least 10 error cases, have {errors}");
    let mut names: Vec<&str> = HIERARCHIES.iter().map(|h| h.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), HIERARCHIES.len(), "hierarchy names are unique");
    let mut exprs: Vec<&str> = SIZE_CASES.iter().map(|c| c.python).collect();
    exprs.sort();
    exprs.dedup();
    assert_eq!(exprs.len(), SIZE_CASES.len(), "size cases are unique");
}
