//! Re-grading into the same reports folder: unchanged students are reused, changed ones graded.

use std::path::Path;

use crate::common::*;

fn grade(course: &Path, subs: &Path, out: &Path, extra: &[&str]) -> String {
    let extra: Vec<&str> = ["--timeout", "5"].iter().chain(extra).copied().collect();
    stderr_of(&grade_ok(course, subs, out, &extra))
}

fn grades_json(out: &Path) -> String {
    std::fs::read_to_string(out.join("grades.json")).unwrap()
}

#[test]
fn a_re_grade_reuses_unchanged_students_and_grades_changed_ones_again() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    copy_tree(
        &course.path().join("solutions/arith/src"),
        &subs.path().join("alice/exercises/arith/src"),
    );
    copy_tree(
        &fixtures().join("submissions/panics"),
        &subs.path().join("bob"),
    );
    let out = tempfile::tempdir().unwrap();
    let first = grade(course.path(), subs.path(), out.path(), &[]);
    assert!(!first.contains("reused"), "{first}");
    let graded = grades_json(out.path());

    let second = grade(course.path(), subs.path(), out.path(), &[]);
    assert!(second.contains("(2 unchanged, reused;"), "{second}");
    assert!(!second.contains("Building the pristine course"), "{second}");
    assert_eq!(grades_json(out.path()), graded);

    // Bob fixes mul.rs: only he is graded again.
    std::fs::copy(
        course.path().join("solutions/arith/src/mul.rs"),
        subs.path().join("bob/exercises/arith/src/mul.rs"),
    )
    .unwrap();
    let third = grade(course.path(), subs.path(), out.path(), &[]);
    assert!(third.contains("(1 unchanged, reused;"), "{third}");
    let csv = std::fs::read_to_string(out.path().join("grades.csv")).unwrap();
    assert_eq!(csv, "id,add,mul,total,max\nalice,4,2,6,6\nbob,4,2,6,6\n");
    let regraded = grades_json(out.path());

    // A damaged cache file is ignored: that student is graded again, nothing crashes.
    std::fs::write(out.path().join(".cache/alice.json"), "{\"key\": 12").unwrap();
    let fourth = grade(course.path(), subs.path(), out.path(), &[]);
    assert!(fourth.contains("(1 unchanged, reused;"), "{fourth}");
    assert_eq!(grades_json(out.path()), regraded);

    // Other limits, or --no-cache: everyone is graded again, to the same grades.
    for extra in [&["--memory-mb", "2048"][..], &["--no-cache"]] {
        let again = grade(course.path(), subs.path(), out.path(), extra);
        assert!(!again.contains("reused"), "{extra:?}: {again}");
        assert_eq!(grades_json(out.path()), regraded);
    }

    // A changed course (here a test's weight) grades everyone again, with the new points.
    let manifest = course.path().join("exercises/course.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("adds_large_numbers = 2", "adds_large_numbers = 3"),
    )
    .unwrap();
    let changed = grade(course.path(), subs.path(), out.path(), &[]);
    assert!(!changed.contains("reused"), "{changed}");
    let csv = std::fs::read_to_string(out.path().join("grades.csv")).unwrap();
    assert_eq!(csv, "id,add,mul,total,max\nalice,5,2,7,7\nbob,5,2,7,7\n");
}
