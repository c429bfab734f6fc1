//! `gradescope` (one upload in, Gradescope's results.json out) and `grade --gradescope`.

use std::io::Write;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::common::*;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn gradescope(course: &Path, upload: &Path, results: &Path) -> std::process::Output {
    grader(course)
        .arg("gradescope")
        .arg("--submission")
        .arg(upload)
        .arg("--results")
        .arg(results)
        .args(["--timeout", "5"])
        .output()
        .unwrap()
}

/// The sum of the entries' `max_score`: what Gradescope shows as the assignment's total.
fn max_score(json: &Value) -> u64 {
    let tests = json["tests"].as_array().unwrap();
    tests.iter().map(|t| t["max_score"].as_u64().unwrap()).sum()
}

#[test]
fn a_complete_upload_scores_full_marks_with_one_entry_per_exercise() {
    let course = fixture_course();
    let upload = tempfile::tempdir().unwrap();
    // A repository-like upload: the exercises sit one folder down.
    copy_tree(
        &course.path().join("solutions/arith/src"),
        &upload.path().join("course-main/exercises/arith/src"),
    );
    let results = upload.path().join("results/results.json");
    let run = gradescope(course.path(), upload.path(), &results);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let json = read_json(&results);
    assert_eq!(json["score"], 6);
    assert_eq!(max_score(&json), 6);
    let names: Vec<&str> = json["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["add — Adding", "mul — Multiplying"]);
    for t in json["tests"].as_array().unwrap() {
        assert_eq!(
            (&t["status"], &t["score"]),
            (&"passed".into(), &t["max_score"])
        );
    }
    assert!(
        stdout_of(&run).contains("Score 6 / 6"),
        "{}",
        stdout_of(&run)
    );
}

#[test]
fn results_held_back_until_the_due_date_say_so_everywhere_and_hide_the_total() {
    let course = fixture_course();
    let upload = tempfile::tempdir().unwrap();
    copy_tree(
        &course.path().join("solutions/arith/src"),
        &upload.path().join("exercises/arith/src"),
    );
    let results = upload.path().join("results.json");
    let run = grader(course.path())
        .arg("gradescope")
        .arg("--submission")
        .arg(upload.path())
        .arg("--results")
        .arg(&results)
        .args(["--visibility", "after-due-date"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    let json = read_json(&results);
    assert_eq!(json["visibility"], "after_due_date");
    for t in json["tests"].as_array().unwrap() {
        assert_eq!(t["visibility"], "after_due_date", "{t}");
    }
    let output = json["output"].as_str().unwrap();
    assert!(!output.contains("6 / 6"), "{output}");
    assert_eq!(json["score"], 6);
}

/// A zip uploaded as it is, with a failing exercise: the snapshot is what the student reads.
#[test]
fn a_zipped_upload_gets_the_failures_and_hints_of_each_exercise() {
    let course = fixture_course();
    let upload = tempfile::tempdir().unwrap();
    let mut zip =
        zip::ZipWriter::new(std::fs::File::create(upload.path().join("work.zip")).unwrap());
    for name in ["add.rs", "mul.rs"] {
        let from = fixtures()
            .join("submissions/panics/exercises/arith/src")
            .join(name);
        zip.start_file(
            format!("exercises/arith/src/{name}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&std::fs::read(from).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    let results = upload.path().join("results.json");
    let run = gradescope(course.path(), upload.path(), &results);
    assert!(run.status.success(), "{}", stderr_of(&run));
    let text = std::fs::read_to_string(&results).unwrap();
    assert!(
        !text.contains(&upload.path().display().to_string()),
        "{text}"
    );
    insta::assert_snapshot!("gradescope_results_zipped_upload", text);
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!((json["score"].as_u64().unwrap(), max_score(&json)), (5, 6));
}

#[test]
fn an_upload_without_exercises_still_gets_results_with_score_zero_and_why() {
    let course = fixture_course();
    let out = tempfile::tempdir().unwrap();
    let results = out.path().join("results.json");
    let run = gradescope(
        course.path(),
        &fixtures().join("submissions/no_exercises"),
        &results,
    );
    assert!(run.status.success(), "{}", stderr_of(&run));
    let json = read_json(&results);
    assert_eq!(json["score"], 0);
    assert_eq!(
        max_score(&json),
        6,
        "the entries still show what there was to earn"
    );
    let output = json["output"].as_str().unwrap();
    assert!(output.contains("no exercises/ folder found"), "{output}");
    assert!(
        output.contains("Upload your course's exercises/ folder"),
        "{output}"
    );
    for t in json["tests"].as_array().unwrap() {
        assert_eq!((&t["status"], &t["score"]), (&"failed".into(), &0.into()));
        assert!(
            t["output"].as_str().unwrap().starts_with("Not submitted"),
            "{t}"
        );
    }
}

/// Gradescope shows the student only results.json: a broken autograder must still write one
/// (and send them to the instructor); only a results file that cannot be written is an error.
#[test]
fn a_broken_autograder_still_writes_results_and_only_an_unwritable_file_fails() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results.json");
    grader(dir.path())
        .args([
            "--course",
            "no/such/course",
            "gradescope",
            "--submission",
            ".",
        ])
        .arg("--results")
        .arg(&results)
        .assert()
        .success()
        .stderr(predicate::str::contains("cannot find the course"));
    let json = read_json(&results);
    assert_eq!(json["score"], 0);
    assert_eq!(json["tests"], Value::Array(vec![]));
    assert!(
        json["output"]
            .as_str()
            .unwrap()
            .contains("please tell your instructor"),
        "{json}"
    );

    std::fs::write(dir.path().join("a_file"), "").unwrap();
    grader(dir.path())
        .args([
            "--course",
            "no/such/course",
            "gradescope",
            "--submission",
            ".",
        ])
        .arg("--results")
        .arg(dir.path().join("a_file/results.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("or pass --results FILE"));
}

#[test]
fn grade_with_gradescope_writes_each_students_results_json() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    copy_tree(
        &fixtures().join("submissions/compile_error"),
        &subs.path().join("compile_error"),
    );
    copy_tree(
        &course.path().join("solutions/arith/src"),
        &subs.path().join("alice/exercises/arith/src"),
    );
    let out = tempfile::tempdir().unwrap();
    grade_ok(
        course.path(),
        subs.path(),
        out.path(),
        &["--gradescope", "--visibility", "after-published"],
    );
    let grades = read_grades(out.path());
    for student in grades["students"].as_array().unwrap() {
        let id = student["id"].as_str().unwrap();
        let json = read_json(&out.path().join(format!("gradescope/{id}.json")));
        assert_eq!(json["visibility"], "after_published", "{id}");
        assert_eq!(json["score"], student["total"], "{id}");
        assert_eq!(max_score(&json), student["max"].as_u64().unwrap(), "{id}");
    }
    let broken = read_json(&out.path().join("gradescope/compile_error.json"));
    let mul = &broken["tests"][1];
    assert_eq!(mul["status"], "failed");
    let output = mul["output"].as_str().unwrap();
    assert!(output.contains("does not compile"), "{output}");
    assert!(
        output.contains("--> exercises/arith/src/mul.rs"),
        "{output}"
    );
    assert!(
        output.contains("Hints:\n1. Use the * operator."),
        "{output}"
    );
}
