//! The sandbox (bubblewrap) around students' code: hostile submissions — the network, another
//! student's files, the grader's environment, `$HOME` and `/tmp`, the course's tests, a `setsid`
//! daemon, processes without end — are each contained and told what happened, and the honest
//! students graded in the same run get exactly the grades they get alone. Without bubblewrap,
//! grading refuses to run; under `--no-sandbox`, a course changed by a student stops the run.

use std::net::TcpListener;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::common::*;

/// Unique to this test run: names the files and processes hostile code leaves behind.
fn token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{}{nanos}", std::process::id())
}

/// A student whose `add.rs` is `add` and `mul.rs` is `mul` (the rest of the crate is the course's).
fn student(subs: &Path, id: &str, add: &str, mul: &str) {
    let src = subs.join(id).join("exercises/arith/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("add.rs"), add).unwrap();
    std::fs::write(src.join("mul.rs"), mul).unwrap();
}

const MUL: &str = "pub fn mul(a: u64, b: u64) -> u64 {\n    a * b\n}\n";

/// The honest students: `zoe` (the solutions) and `yann` (one bug in mul).
fn honest(course: &Path, subs: &Path) {
    copy_tree(
        &course.join("solutions/arith/src"),
        &subs.join("zoe/exercises/arith/src"),
    );
    copy_tree(&fixtures().join("submissions/panics"), &subs.join("yann"));
}

/// Each hostile behaviour sits in a function a test calls; the test's arguments pick which.
fn hostile(subs: &Path, course: &Path, home: &Path, port: u16, token: &str) {
    let zoe = subs.join("zoe/exercises/arith/src/add.rs");
    let course_test = course.join("exercises/arith/tests/chapters/ch01_add.rs");
    student(
        subs,
        "hostile_files",
        &format!(
            r#"pub fn add(a: u64, b: u64) -> u64 {{
    match (a, b) {{
        (2, 3) => {{
            let home = std::env::var("HOME").unwrap_or_default();
            let in_home = std::fs::write(format!("{{home}}/pwned-{token}"), "x");
            let in_tmp = std::fs::write("/tmp/pwned-{token}", "x");
            let real_home = std::fs::write("{home}/pwned-{token}", "x");
            panic!("home {{in_home:?}}, tmp {{in_tmp:?}}, real home {{real_home:?}}");
        }}
        (7, 0) => {{
            let copy = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/chapters/ch01_add.rs");
            let copy = std::fs::write(copy, "fn sabotaged() {{}}");
            let course = std::fs::write("{course_test}", "fn sabotaged() {{}}");
            panic!("the graded copy: {{copy:?}}, the course: {{course:?}}");
        }}
        _ => a + b,
    }}
}}
"#,
            home = home.display(),
            course_test = course_test.display(),
        ),
        "pub fn mul(a: u64, b: u64) -> u64 {
    if b != 1 {
        let big = vec![b'x'; 65 << 20];
        panic!(\"big file: {:?}\", std::fs::write(\"big\", big));
    }
    a * b
}
",
    );
    student(
        subs,
        "hostile_net",
        &format!(
            r#"pub fn add(a: u64, b: u64) -> u64 {{
    match (a, b) {{
        (2, 3) => panic!("connect: {{:?}}", std::net::TcpStream::connect("127.0.0.1:{port}").map(|_| ())),
        (7, 0) => panic!("peek: {{:?}}", std::fs::read_to_string("{zoe}")),
        _ => panic!(
            "secret: {{:?}} {{:?}}",
            option_env!("GRADER_SECRET"),
            std::env::var("GRADER_SECRET")
        ),
    }}
}}
"#,
            zoe = zoe.display()
        ),
        MUL,
    );
    student(
        subs,
        "hostile_procs",
        &format!(
            r#"use std::process::Command;

pub fn add(a: u64, b: u64) -> u64 {{
    match (a, b) {{
        (2, 3) => {{
            let _ = Command::new("setsid").args(["-f", "sleep", "{token}"]).status();
            5
        }}
        (7, 0) => {{
            let mut children = Vec::new();
            loop {{
                match Command::new("sleep").arg("{token}").spawn() {{
                    Ok(child) => children.push(child),
                    Err(e) => panic!("process {{}}: {{e}}", children.len() + 1),
                }}
            }}
        }}
        _ => a + b,
    }}
}}
"#,
        ),
        MUL,
    );
}

fn by_id<'a>(json: &'a Value, id: &str) -> &'a Value {
    let students = json["students"].as_array().unwrap();
    students.iter().find(|s| s["id"] == id).unwrap()
}

/// The message of `student`'s test `name` (`ch01_add::…`).
fn message(json: &Value, student: &str, name: &str) -> String {
    let exercises = by_id(json, student)["exercises"].as_array().unwrap();
    let test = exercises
        .iter()
        .flat_map(|e| e["tests"].as_array().unwrap())
        .find(|t| t["name"] == name)
        .unwrap();
    test["message"].as_str().unwrap().to_string()
}

/// Processes whose command line mentions `token`.
fn survivors(token: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(token) {
                found.push(cmdline);
            }
        }
    }
    found
}

#[test]
fn hostile_code_is_contained_and_honest_grades_do_not_change() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let token = token();
    honest(course.path(), subs.path());
    hostile(subs.path(), course.path(), home.path(), port, &token);
    let course_test = course
        .path()
        .join("exercises/arith/tests/chapters/ch01_add.rs");
    let pristine = std::fs::read(&course_test).unwrap();

    let out = tempfile::tempdir().unwrap();
    let run = grader(course.path())
        .env("GRADER_SECRET", format!("hunter2-{token}"))
        .env("HOME", home.path())
        .arg("grade")
        .arg(subs.path())
        .arg("--out")
        .arg(out.path())
        .args(["--timeout", "5", "--memory-mb", "1024"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    let json = read_grades(out.path());
    let msg = |student, name| message(&json, student, name);

    // The network: the grader's loopback is not the test's.
    let connect = msg("hostile_net", "ch01_add::adds_small_numbers");
    assert!(
        connect.contains("connect: Err(") && connect.contains("ConnectionRefused"),
        "{connect}"
    );
    assert!(
        listener.accept().is_err(),
        "the test reached the grader's machine"
    );
    // Another student's files, the grader's environment (at run time and compile time).
    let peek = msg("hostile_net", "ch01_add::adding_zero_changes_nothing");
    assert!(
        peek.contains("peek: Err(") && peek.contains("NotFound"),
        "{peek}"
    );
    let secret = msg("hostile_net", "ch01_add::adds_large_numbers");
    assert!(secret.contains("secret: None Err(NotPresent)"), "{secret}");
    assert_eq!(by_id(&json, "hostile_net")["total"], 2);

    // $HOME and /tmp are the test's own, and gone with it; the real ones are out of reach.
    let files = msg("hostile_files", "ch01_add::adds_small_numbers");
    assert!(
        files.contains("home Ok(()), tmp Ok(()), real home Err("),
        "{files}"
    );
    assert!(!home.path().join(format!("pwned-{token}")).exists());
    assert!(!Path::new(&format!("/tmp/pwned-{token}")).exists());
    // The course's tests: the graded copy is read-only, the course is not there at all.
    let rewrite = msg("hostile_files", "ch01_add::adding_zero_changes_nothing");
    assert!(
        rewrite.contains("the graded copy: Err(") && rewrite.contains("ReadOnlyFilesystem"),
        "{rewrite}"
    );
    assert!(rewrite.contains("the course: Err("), "{rewrite}");
    assert_eq!(std::fs::read(&course_test).unwrap(), pristine);
    // A file past the size limit.
    let big = msg("hostile_files", "ch02_mul::multiplies_small_numbers");
    assert!(
        big.contains("big file: Err(") && big.contains("FileTooLarge"),
        "{big}"
    );

    // Processes without end are refused; the daemon and every process died with its test.
    let forks = msg("hostile_procs", "ch01_add::adding_zero_changes_nothing");
    assert!(
        forks.contains("Resource temporarily unavailable"),
        "{forks}"
    );
    assert_eq!(survivors(&token), Vec::<String>::new());

    // Nothing of the grader's environment in any feedback.
    for student in ["hostile_files", "hostile_net", "hostile_procs"] {
        let md =
            std::fs::read_to_string(out.path().join(format!("feedback/{student}.md"))).unwrap();
        assert!(!md.contains("hunter2"), "{md}");
    }

    // The honest students, graded alone, get exactly what they got among the hostile ones.
    let alone = tempfile::tempdir().unwrap();
    honest(course.path(), alone.path());
    let alone_out = tempfile::tempdir().unwrap();
    grade_ok(
        course.path(),
        alone.path(),
        alone_out.path(),
        &["--timeout", "5"],
    );
    let alone_json = read_grades(alone_out.path());
    for id in ["yann", "zoe"] {
        assert_eq!(by_id(&json, id), by_id(&alone_json, id), "{id}");
    }
    assert_eq!(by_id(&json, "zoe")["total"], 6);
}

#[test]
fn without_the_sandbox_a_changed_course_stops_the_run() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    let course_test = course
        .path()
        .join("exercises/arith/tests/chapters/ch01_add.rs");
    // Sorted before zoe, so zoe would be graded on the sabotaged test.
    student(
        subs.path(),
        "mallory",
        &format!(
            "pub fn add(a: u64, b: u64) -> u64 {{\n    \
             let _ = std::fs::write(\"{}\", \"fn sabotaged() {{}}\");\n    a + b\n}}\n",
            course_test.display()
        ),
        MUL,
    );
    honest(course.path(), subs.path());
    let out = tempfile::tempdir().unwrap();
    grader(course.path())
        .arg("grade")
        .arg(subs.path())
        .arg("--out")
        .arg(out.path())
        .arg("--no-sandbox")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("warning: --no-sandbox"))
        .stderr(predicate::str::contains(
            "the course changed while grading, so grading stopped",
        ))
        .stderr(predicate::str::contains(
            "exercises/arith/tests/chapters/ch01_add.rs was modified",
        ))
        .stderr(predicate::str::contains("git status"));
    assert!(!out.path().join("grades.csv").exists());
}

#[test]
fn without_bubblewrap_grading_refuses_and_says_what_to_do() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    honest(course.path(), subs.path());
    // A PATH without bwrap (nor anything else: the refusal comes before any build).
    let empty = tempfile::tempdir().unwrap();
    grader(course.path())
        .env("PATH", empty.path())
        .arg("grade")
        .arg(subs.path())
        .args(["--out", "reports"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bubblewrap (`bwrap`), which is not installed",
        ))
        .stderr(predicate::str::contains("apt-get install bubblewrap"))
        .stderr(predicate::str::contains("--no-sandbox"));
    let results = subs.path().join("results.json");
    grader(course.path())
        .env("PATH", empty.path())
        .arg("gradescope")
        .arg("--submission")
        .arg(subs.path().join("zoe"))
        .arg("--results")
        .arg(&results)
        .assert()
        .success();
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(json["score"], 0);
    let output = json["output"].as_str().unwrap();
    assert!(output.contains("bubblewrap"), "{output}");

    // A bwrap that the kernel does not let make namespaces.
    let refused = empty.path().join("bwrap");
    std::fs::write(
        &refused,
        "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n",
    )
    .unwrap();
    std::fs::set_permissions(
        &refused,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let path = std::env::join_paths(
        std::iter::once(empty.path().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    grader(course.path())
        .env("PATH", path)
        .arg("grade")
        .arg(subs.path())
        .args(["--out", "reports"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the sandbox for student code cannot start here: bwrap: No permissions to create new \
             namespace",
        ))
        .stderr(predicate::str::contains("sysctl"))
        .stderr(predicate::str::contains("--no-sandbox"));
}
