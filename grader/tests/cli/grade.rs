//! `grade`: fixture submissions of every kind — complete, untouched stubs, a compile error, an
//! infinite loop, a panic, a stack overflow and a memory bomb, no exercises folder, a zip file.

use std::io::Write;
use std::path::Path;

use predicates::prelude::*;

use crate::common::*;

/// The fixture submissions, plus `complete` (the solutions), `stubs` (the untouched exercises)
/// and `zipped` (the solutions as a .zip with a hostile `../` entry) made from the course.
pub fn submissions(course: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("submissions"), dir.path());
    for (name, from) in [("complete", "solutions"), ("stubs", "exercises")] {
        copy_tree(
            &course.join(from).join("arith/src"),
            &dir.path().join(name).join("exercises/arith/src"),
        );
    }
    let zip_file = std::fs::File::create(dir.path().join("zipped.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(zip_file);
    let opts = zip::write::SimpleFileOptions::default();
    for name in ["add.rs", "mul.rs"] {
        zip.start_file(format!("course-main/exercises/arith/src/{name}"), opts)
            .unwrap();
        zip.write_all(&std::fs::read(course.join("solutions/arith/src").join(name)).unwrap())
            .unwrap();
    }
    zip.start_file("../../escaped.rs", opts).unwrap();
    zip.write_all(b"this must never be written outside the sandbox")
        .unwrap();
    zip.finish().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a submission").unwrap();
    dir
}

#[test]
fn grading_scores_every_kind_of_submission_and_never_crashes() {
    let course = fixture_course();
    let subs = submissions(course.path());
    let out = tempfile::tempdir().unwrap();
    let run = grade_ok(
        course.path(),
        subs.path(),
        out.path(),
        &["--timeout", "2", "--memory-mb", "1024"],
    );
    insta::assert_snapshot!("summary", stdout_of(&run));
    insta::assert_snapshot!(
        "csv",
        std::fs::read_to_string(out.path().join("grades.csv")).unwrap()
    );
    let json = read_grades(out.path());
    insta::assert_json_snapshot!("json", json);
    for student in ["broken_lib", "compile_error", "hostile", "no_exercises"] {
        let md =
            std::fs::read_to_string(out.path().join(format!("feedback/{student}.md"))).unwrap();
        insta::assert_snapshot!(format!("feedback_{student}"), md);
    }
    // The zip is unpacked into <course>/target/grader/unzipped, so `../../escaped.rs` would
    // land in <course>/target/. Look there, and anywhere else in the course and submissions.
    assert!(!course.path().join("target/escaped.rs").exists());
    for dir in [course.path(), subs.path()] {
        let escaped: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_name() == "escaped.rs")
            .collect();
        assert!(escaped.is_empty(), "{escaped:?}");
    }
    assert!(stderr_of(&run).contains("ignored notes.txt: not a folder or a .zip file"));
}

#[test]
fn grading_a_folder_that_does_not_exist_says_what_to_pass() {
    let course = fixture_course();
    grader(course.path())
        .args(["grade", "no/such/folder", "--out", "reports"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the submissions folder no/such/folder",
        ))
        .stderr(predicate::str::contains(
            "one folder or .zip file per student",
        ));
}

#[test]
fn grading_an_empty_folder_explains_the_expected_layout() {
    let course = fixture_course();
    let empty = tempfile::tempdir().unwrap();
    grader(course.path())
        .arg("grade")
        .arg(empty.path())
        .args(["--out", "reports"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no submissions in"))
        .stderr(predicate::str::contains("exercises/<crate>/src/"));
}

/// The Done criterion on the real course: a copy of the solutions earns every point, the
/// untouched stubs earn none.
#[test]
fn real_course_solutions_get_full_marks_and_stubs_get_zero() {
    let Some(root) = real_course_with_solutions() else {
        return;
    };
    let subs = tempfile::tempdir().unwrap();
    for krate in grader::manifest::list_crates(&root) {
        copy_tree(
            &root.join("solutions").join(&krate).join("src"),
            &subs
                .path()
                .join("solutions_copy/exercises")
                .join(&krate)
                .join("src"),
        );
        copy_tree(
            &root.join("exercises").join(&krate).join("src"),
            &subs
                .path()
                .join("untouched/exercises")
                .join(&krate)
                .join("src"),
        );
    }
    let out = tempfile::tempdir().unwrap();
    // A generous per-test limit, as for `verify`: full marks must not depend on the load.
    let run = grader(&root)
        .env_remove("CARGO_TARGET_DIR")
        .arg("grade")
        .arg(subs.path())
        .arg("--out")
        .arg(out.path())
        .args(["--timeout", "60"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    let json = read_grades(out.path());
    let students = json["students"].as_array().unwrap();
    let by_id = |id: &str| students.iter().find(|s| s["id"] == id).unwrap();
    let full = by_id("solutions_copy");
    assert!(full["max"].as_u64().unwrap() > 0);
    assert_eq!(full["total"], full["max"], "{}", stdout_of(&run));
    assert_eq!(by_id("untouched")["total"], 0, "{}", stdout_of(&run));
    // The leaderboard measures the allocator that passes its tests, and only that one.
    let ratio = full["leaderboard"].as_f64().expect("a leaderboard ratio");
    assert!(ratio > 0.05, "{ratio}");
    assert!(by_id("untouched").get("leaderboard").is_none());
    let csv = std::fs::read_to_string(out.path().join("grades.csv")).unwrap();
    println!("{}\n{csv}", stdout_of(&run));
}

#[test]
fn a_reports_folder_inside_the_submissions_is_never_graded_as_a_student() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    copy_tree(
        &course.path().join("solutions/arith/src"),
        &subs.path().join("alice/exercises/arith/src"),
    );
    let out = subs.path().join("reports");
    for _ in 0..2 {
        grader(course.path())
            .arg("grade")
            .arg(subs.path())
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    }
    let csv = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    assert_eq!(csv, "id,add,mul,total,max\nalice,4,2,6,6\n");
}

#[test]
fn a_build_that_never_ends_is_stopped_and_reported() {
    let course = fixture_course();
    let out = tempfile::tempdir().unwrap();
    grade_ok(
        course.path(),
        &fixtures().join("slow_build"),
        out.path(),
        &["--build-timeout", "5"],
    );
    let json = read_grades(out.path());
    let student = &json["students"][0];
    assert_eq!(student["id"], "compiler_loop");
    assert_eq!(student["exercises"][0]["status"], "compile_error");
    let why = student["exercises"][0]["compile_error"].as_str().unwrap();
    assert!(
        why.contains("took longer than 5 s and was stopped"),
        "{why}"
    );
}

/// `#[path]` (or `include!`) could compile the course's own solution: the sandbox lives inside
/// the course. Such a file is graded as the stub; the student's other exercises are unaffected.
#[test]
fn a_file_that_pulls_in_the_solution_is_graded_as_the_stub() {
    let course = fixture_course();
    let out = tempfile::tempdir().unwrap();
    grade_ok(course.path(), &fixtures().join("cheating"), out.path(), &[]);
    let json = read_grades(out.path());
    let student = &json["students"][0];
    assert_eq!(student["id"], "cheater");
    let (add, mul) = (&student["exercises"][0], &student["exercises"][1]);
    assert_eq!(add["id"], "add");
    assert_eq!(add["points"], 0);
    assert_eq!(add["status"], "failed");
    assert!(
        add["tests"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not yet implemented"),
        "the stub ran: {add}"
    );
    assert_eq!((&mul["points"], &mul["max"]), (&2.into(), &2.into()));
    let why = "exercises/arith/src/add.rs uses include!/#[path] (`#[path]`): submissions may only \
               contain their own code; the file was replaced by the stub";
    assert_eq!(student["notes"][0], why);
    let feedback = std::fs::read_to_string(out.path().join("feedback/cheater.md")).unwrap();
    assert!(feedback.contains(why), "{feedback}");
}

#[test]
fn files_reached_through_a_link_out_of_the_submission_are_not_taken() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    let linker = subs.path().join("linker/exercises");
    std::fs::create_dir_all(&linker).unwrap();
    // The whole crate folder is a link to the course's own solution.
    std::os::unix::fs::symlink(course.path().join("solutions/arith"), linker.join("arith"))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    grade_ok(course.path(), subs.path(), out.path(), &[]);
    let json = read_grades(out.path());
    let student = &json["students"][0];
    assert_eq!(student["total"], 0, "{student}");
    let notes = student["notes"].to_string();
    assert!(
        notes.contains("skipped exercises/arith/src/add.rs: it lies outside the submission"),
        "{notes}"
    );
}

#[test]
fn grading_refuses_weights_that_name_no_test() {
    let course = fixture_course();
    let manifest = course.path().join("exercises/course.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("adds_large_numbers = 2", "adds_huge_numbers = 2");
    std::fs::write(&manifest, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    grader(course.path())
        .arg("grade")
        .arg(fixtures().join("cheating"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "exercise `add` names test `adds_huge_numbers` in weights/given, but there is no such test",
        ))
        .stderr(predicate::str::contains("cargo course verify"));
    assert!(!out.path().join("grades.csv").exists());
}
