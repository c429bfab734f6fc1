//! The build step of the book's C extensions. Needs gcc and CPython 3.11 with its headers, which
//! `.ci/run` installs. Each test builds into its own temporary `target/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;
use crate::doctest::{PRIMARY, interpreter, run_book};

/// A module `hello` with `hello.answer() == 42`.
const HELLO: &str = r#"#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *answer(PyObject *module, PyObject *unused) { return PyLong_FromLong(42); }

static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};

static struct PyModuleDef hello = {PyModuleDef_HEAD_INIT, "hello", NULL, -1, methods};

PyMODINIT_FUNC PyInit_hello(void) { return PyModule_Create(&hello); }
"#;

const BROKEN: &str = "#include <Python.h>\nstatic int oops(void) { return undeclared_name; }\n";

/// A book at `root/book` with one page and the given C sources; returns its `src/`.
fn book(root: &Path, page: &str, sources: &[(&str, &str)]) -> PathBuf {
    let src = root.join("book/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("page.md"), page).unwrap();
    std::fs::create_dir_all(root.join("book/cext")).unwrap();
    for (name, text) in sources {
        std::fs::write(root.join("book/cext").join(name), text).unwrap();
    }
    src
}

fn python() -> PathBuf {
    interpreter(PRIMARY).expect("CPython 3.11 is needed for these tests")
}

/// What `code` prints when run with `dir` on PYTHONPATH.
fn run_python(dir: &Path, code: &str) -> String {
    let out = Command::new(python())
        .args(["-c", code])
        .env("PYTHONPATH", python_path(dir))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn an_extension_is_built_for_the_sessions_interpreter_and_imports() {
    let root = tempfile::tempdir().unwrap();
    let src = book(root.path(), "", &[("hello.c", HELLO)]);
    let mut ext = Extensions::at(&src, &root.path().join("target")).unwrap();
    assert_eq!(ext.modules(), ["hello"]);
    let mut failures = Vec::new();
    let dir = ext
        .for_session(PRIMARY, &python(), ">>> 1", &mut failures)
        .expect("3.11 sessions always get the extensions");
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(dir.starts_with(root.path().canonicalize().unwrap().join("target/cext/3.11")));
    assert_eq!(
        run_python(&dir, "import hello; print(hello.answer())"),
        "42\n"
    );
}

#[test]
fn other_versions_are_built_only_for_sessions_that_import_an_extension() {
    let root = tempfile::tempdir().unwrap();
    let src = book(root.path(), "", &[("hello.c", HELLO)]);
    let mut ext = Extensions::at(&src, &root.path().join("target")).unwrap();
    let mut failures = Vec::new();
    // The 3.11 interpreter stands in for another version: what matters is the decision.
    assert_eq!(
        ext.for_session("3.99", &python(), ">>> 1", &mut failures),
        None
    );
    assert!(!root.path().join("target/cext/3.99").exists());
    let dir = ext.for_session("3.99", &python(), ">>> import hello", &mut failures);
    assert!(dir.is_some() && failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_broken_extension_fails_the_doctest_run_naming_its_file_with_gccs_message() {
    let root = tempfile::tempdir().unwrap();
    // No page imports `broken`: 3.11 builds every extension anyway, so the error shows.
    let page = "# P\n\n```python\n>>> 1 + 1\n2\n```\n";
    let src = book(root.path(), page, &[("broken.c", BROKEN)]);
    let report = run_book(&src).unwrap();
    assert_eq!(report.failures.len(), 1, "{:#?}", report.failures);
    let f = &report.failures[0];
    assert!(
        f.starts_with("book/cext/broken.c does not compile for CPython 3.11"),
        "{f}"
    );
    assert!(
        f.contains("book/cext/broken.c:2:"),
        "gcc's own location: {f}"
    );
    assert!(f.contains("undeclared_name"), "gcc's message: {f}");
    assert!(
        !f.contains(&root.path().display().to_string()),
        "no temporary paths: {f}"
    );
    assert_eq!(report.ran.get("3.11"), Some(&1), "the pages still run");
}

#[test]
fn a_failed_build_is_reported_once_per_version() {
    let root = tempfile::tempdir().unwrap();
    let src = book(root.path(), "", &[("broken.c", BROKEN), ("hello.c", HELLO)]);
    let mut ext = Extensions::at(&src, &root.path().join("target")).unwrap();
    let mut failures = Vec::new();
    for _ in 0..3 {
        assert_eq!(ext.for_session(PRIMARY, &python(), "", &mut failures), None);
    }
    assert_eq!(failures.len(), 1, "{failures:#?}");
}

#[test]
fn a_source_is_rebuilt_only_when_it_changes() {
    let root = tempfile::tempdir().unwrap();
    let src = book(root.path(), "", &[("hello.c", HELLO)]);
    let target = root.path().join("target");
    let build = || {
        let mut failures = Vec::new();
        let dir = Extensions::at(&src, &target)
            .unwrap()
            .for_session(PRIMARY, &python(), "", &mut failures)
            .unwrap();
        assert!(failures.is_empty(), "{failures:#?}");
        let module = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "so"))
            .unwrap();
        (dir, modified(&module).unwrap())
    };
    let (_, first) = build();
    assert_eq!(build().1, first, "an unchanged source is not rebuilt");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let changed = HELLO.replace("42", "43");
    std::fs::write(root.path().join("book/cext/hello.c"), changed).unwrap();
    let (dir, again) = build();
    assert!(again > first, "an edited source is rebuilt");
    assert_eq!(
        run_python(&dir, "import hello; print(hello.answer())"),
        "43\n"
    );
}

#[test]
fn imports_are_recognised_by_module_name() {
    let modules = ["leak".to_string(), "nodes".to_string()];
    for yes in [
        ">>> import leak",
        ">>> import sys, leak",
        ">>> import gc, nodes as n",
        ">>> from leak import drop_first",
        "...     import nodes",
    ] {
        assert!(imports_any(yes, &modules), "{yes}");
    }
    for no in [
        ">>> import leaky",
        ">>> import sys",
        ">>> x = 'import leak'",
        ">>> from leakage import x",
    ] {
        assert!(!imports_any(no, &modules), "{no}");
    }
}

#[test]
fn missing_headers_are_reported_with_how_to_get_them() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let src = book(root.path(), "", &[("hello.c", HELLO)]);
    // An interpreter whose include folder has no Python.h, as a Debian python3 without -dev.
    let fake = root.path().join("python-without-headers");
    std::fs::write(&fake, "#!/bin/sh\necho /nonexistent/include\necho .so\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut failures = Vec::new();
    let dir = Extensions::at(&src, &root.path().join("target"))
        .unwrap()
        .for_session(PRIMARY, &fake, "", &mut failures);
    assert_eq!(dir, None);
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert!(
        failures[0].contains("/nonexistent/include/Python.h is missing"),
        "{}",
        failures[0]
    );
    assert!(
        failures[0].contains("apt-get install python3-dev"),
        "{}",
        failures[0]
    );
}
