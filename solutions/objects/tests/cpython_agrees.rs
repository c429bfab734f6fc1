//! Does CPython agree with the exercise tests? Every expected number of the shared corpora
//! (`exercises/objects/tests/chapters/corpus/`) is recomputed by CPython running the scripts in
//! `tests/cpython/`, and any difference fails with a list of what differs. The free-list model
//! (`objects::freelist`) is replayed against CPython's own free lists the same way.
//!
//! The expectations are for CPython 3.11, found as `python3` if that is 3.11, else
//! `python3.11`, else `$(pyenv prefix 3.11)/bin/python3.11` (`OBJECTS_PYTHON` names it instead).
//! A script that fails on 3.11 fails the test with its stderr. Without any 3.11 the tests fail
//! too, unless `OBJECTS_ALLOW_NO_CPYTHON=1` is set (then they print a note and pass). The 3.8
//! growth sequence uses `python3.8` or `$(pyenv prefix 3.8)/bin/python3.8` (`OBJECTS_PYTHON38`
//! instead), and is skipped with a note when no 3.8 is installed.

#[allow(dead_code)] // the Rust-side builders of the corpus are for the exercise tests
#[path = "../../../exercises/objects/tests/chapters/corpus/mod.rs"]
mod corpus;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use corpus::layout_cases::{APPEND_CAPACITIES, DICT_GROWTH, SIZE_CASES};
use corpus::slots_cases::HIERARCHIES;
use objects::freelist::{KeysSpec, Kind, ObjId, Runtime};

/// True if `python` runs and says it is `version` ("3.11").
fn reports_version(python: &Path, version: &str) -> bool {
    Command::new(python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == version)
}

/// An interpreter for `version`, looked up as grader/src/doctest.rs `interpreter` does: the
/// `env_var` override alone if it is set; else `python3` (only for the primary 3.11), then
/// `pythonX.Y` on PATH, then pyenv's `X.Y` (a pyenv shim on PATH can exist and still fail).
fn find_python(version: &str, env_var: &str) -> Option<PathBuf> {
    if let Ok(exe) = std::env::var(env_var) {
        let exe = PathBuf::from(exe);
        return reports_version(&exe, version).then_some(exe);
    }
    let mut candidates = Vec::new();
    if version == "3.11" {
        candidates.push(PathBuf::from("python3"));
    }
    candidates.push(PathBuf::from(format!("python{version}")));
    if let Ok(out) = Command::new("pyenv").args(["prefix", version]).output()
        && out.status.success()
    {
        let prefix = String::from_utf8_lossy(&out.stdout).trim().to_string();
        candidates.push(Path::new(&prefix).join(format!("bin/python{version}")));
    }
    candidates.into_iter().find(|c| reports_version(c, version))
}

/// CPython 3.11, or `None` when it is absent and `OBJECTS_ALLOW_NO_CPYTHON=1` allows that.
/// Panics when it is absent and not allowed.
fn python311() -> Option<PathBuf> {
    if let Some(exe) = find_python("3.11", "OBJECTS_PYTHON") {
        return Some(exe);
    }
    let allowed = std::env::var("OBJECTS_ALLOW_NO_CPYTHON").is_ok_and(|v| v == "1");
    assert!(
        allowed,
        "no CPython 3.11 found (tried $OBJECTS_PYTHON if set, else python3, python3.11 and \
         `pyenv prefix 3.11`): install it (e.g. `pyenv install 3.11`), or set \
         OBJECTS_ALLOW_NO_CPYTHON=1 to skip these checks"
    );
    eprintln!("note: no CPython 3.11 and OBJECTS_ALLOW_NO_CPYTHON=1: CPython check skipped");
    None
}

/// Runs `tests/cpython/<script>` with `exe`, `input` on stdin. Returns the version line and the
/// other lines. Panics, with the script's stderr, if it cannot run or fails.
fn run_python(exe: &Path, script: &str, input: &str) -> (String, Vec<String>) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "cpython", script]
        .iter()
        .collect();
    let mut child = Command::new(exe)
        .arg(&path)
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    // A script that dies early closes its stdin: its exit status and stderr, below, say why.
    let _ = child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes());
    let out = child.wait_with_output().expect("python runs");
    assert!(
        out.status.success(),
        "{} {script} failed ({}):\n{}",
        exe.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("python prints UTF-8");
    let mut lines = text.lines().map(str::to_owned);
    let version = lines.next().unwrap_or_default();
    (version, lines.collect())
}

/// The answers of the `want`-version interpreter `exe` (found by [`find_python`]).
fn answers(exe: &Path, want: &str, script: &str, input: &[String]) -> Vec<String> {
    let (version, lines) = run_python(exe, script, &(input.join("\n") + "\n"));
    assert_eq!(
        version,
        want,
        "{} reports Python {version}, not {want}",
        exe.display()
    );
    assert_eq!(
        lines.len(),
        input.len(),
        "{script} answered {} lines for {} questions",
        lines.len(),
        input.len()
    );
    lines
}

/// The answers of CPython 3.11, or `None` if it is absent and that is allowed.
fn answers_311(script: &str, input: &[String]) -> Option<Vec<String>> {
    python311().map(|exe| answers(&exe, "3.11", script, input))
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

#[test]
fn getsizeof_corpus_matches_cpython_311() {
    let questions: Vec<String> = SIZE_CASES
        .iter()
        .map(|c| format!("getsizeof({})", c.python))
        .collect();
    let expected: Vec<String> = SIZE_CASES.iter().map(|c| c.getsizeof.to_string()).collect();
    if let Some(got) = answers_311("layout_corpus.py", &questions) {
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
    if let Some(got) = answers_311("layout_corpus.py", &questions) {
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
            "3.11" => python311(),
            "3.8" => {
                let found = find_python("3.8", "OBJECTS_PYTHON38");
                if found.is_none() {
                    eprintln!(
                        "note: no CPython 3.8 (python3.8, `pyenv prefix 3.8`): \
                         3.8 growth sequence not checked"
                    );
                }
                found
            }
            other => panic!("no interpreter known for {other}"),
        };
        let Some(exe) = exe else { continue };
        let questions = vec![format!("capacities({appends})")];
        let expected = vec![format!("{caps:?}")];
        let got = answers(&exe, version, "layout_corpus.py", &questions);
        assert_agree(
            &format!("{version} append capacities"),
            &questions,
            &expected,
            &got,
        );
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
    if let Some(got) = answers_311("slots_corpus.py", &questions) {
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

/// One experiment of the free-list check: how to make an object in CPython (an expression
/// evaluated by `tests/cpython/freelist_limits.py`) and in the model, and how many to make, drop
/// and make again.
type Maker = (&'static str, fn(&mut Runtime) -> ObjId, usize);

const fn keys(log2_size: u8, unicode: bool) -> Option<KeysSpec> {
    Some(KeysSpec { log2_size, unicode })
}

/// The experiments: each limit (100 floats, 80 lists, 80 dicts and 80 keys objects, 2000 tuples
/// per length), the 3.11 length-20 pile-up, keys objects that are never recycled, and
/// subclass instances, which no free list takes.
const MAKERS: &[Maker] = &[
    ("float('1.5')", Runtime::float_new, 150),
    ("[]", Runtime::list_new, 100),
    ("[]", Runtime::list_new, 50),
    ("{}", |rt| rt.dict_new(None), 100),
    ("{'a': 1}", |rt| rt.dict_new(keys(3, true)), 100),
    ("{1: 1}", |rt| rt.dict_new(keys(3, false)), 100),
    (
        "{'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6}",
        |rt| rt.dict_new(keys(4, true)),
        100,
    ),
    ("tuple(range(2))", |rt| rt.tuple_new(2), 2100),
    ("tuple(range(19))", |rt| rt.tuple_new(19), 100),
    ("tuple(range(20))", |rt| rt.tuple_new(20), 2100),
    ("tuple(range(21))", |rt| rt.tuple_new(21), 10),
    ("()", |rt| rt.tuple_new(0), 10),
    ("F(1.5)", |rt| rt.subclass_new(Kind::Float), 150),
    ("T((1, 2))", |rt| rt.subclass_new(Kind::Tuple(2)), 100),
    ("T()", |rt| rt.subclass_new(Kind::Tuple(0)), 10),
    ("L()", |rt| rt.subclass_new(Kind::List), 100),
    ("D()", |rt| rt.subclass_new(Kind::Dict(None)), 100),
];

/// The model's answer to `churn(expr, n)`: (blocks freed when the n objects die, blocks
/// allocated to make n again), starting from empty free lists.
fn model_churn(make: fn(&mut Runtime) -> ObjId, n: usize) -> String {
    let mut rt = Runtime::new();
    rt.collect(2);
    let objs: Vec<ObjId> = (0..n).map(|_| make(&mut rt)).collect();
    let frees = rt.frees();
    objs.iter().for_each(|&o| rt.dealloc(o));
    let freed = rt.frees() - frees;
    let mallocs = rt.mallocs();
    (0..n).for_each(|_| {
        make(&mut rt);
    });
    format!("({freed}, {})", rt.mallocs() - mallocs)
}

/// The model's answer to `gen0_changes(n)`: the gen-0 count's change while n lists are made,
/// dropped, and made again after a full collection.
fn model_gen0_changes(n: usize) -> String {
    let mut rt = Runtime::new();
    rt.collect(2);
    let count = |rt: &Runtime| rt.gen0_count() as i64;
    let start = count(&rt);
    let lists: Vec<ObjId> = (0..n).map(|_| rt.list_new()).collect();
    let made = count(&rt);
    lists.iter().for_each(|&l| rt.dealloc(l));
    let dropped = count(&rt);
    (0..n).for_each(|_| {
        rt.list_new();
    });
    let remade = count(&rt);
    format!(
        "[{}, {}, {}]",
        made - start,
        dropped - made,
        remade - dropped
    )
}

#[test]
fn free_list_model_matches_cpython_311() {
    let mut questions = Vec::new();
    let mut expected = Vec::new();
    for &(python, make, n) in MAKERS {
        questions.push(format!("churn({python:?}, {n})"));
        expected.push(model_churn(make, n));
    }
    for n in [100, 50, 200] {
        questions.push(format!("gen0_changes({n})"));
        expected.push(model_gen0_changes(n));
    }
    if let Some(got) = answers_311("freelist_limits.py", &questions) {
        assert_agree(
            "free-list experiments (objects::freelist model)",
            &questions,
            &expected,
            &got,
        );
    }
}
