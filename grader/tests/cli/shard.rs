//! A class graded in slices: `grade --shard I/N` on three "machines" and `merge` of their reports
//! give exactly the reports of one run over the whole class, itself graded two students at once
//! (`--jobs 2`, two sandboxes), so the parallel run is checked against sequential ones too.

use std::path::Path;

use predicates::prelude::*;
use walkdir::WalkDir;

use crate::common::*;
use crate::grade::submissions;

/// Every report file under `dir` (the cache aside), by relative path.
fn reports(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .filter(|rel| !rel.starts_with(".cache"))
        .map(|rel| {
            let text = std::fs::read_to_string(dir.join(&rel)).unwrap();
            (rel, text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn three_shards_merged_equal_one_run_of_the_class_graded_two_at_a_time() {
    let course = fixture_course();
    let subs = submissions(course.path());
    let limits = ["--timeout", "2", "--memory-mb", "1024", "--gradescope"];
    let whole = tempfile::tempdir().unwrap();
    let mut args = limits.to_vec();
    args.extend(["--jobs", "2"]);
    grade_ok(course.path(), subs.path(), whole.path(), &args);

    let shards: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut sizes = Vec::new();
    for (i, dir) in shards.iter().enumerate() {
        let shard = format!("{}/3", i + 1);
        let mut args = limits.to_vec();
        args.extend(["--shard", &shard]);
        let run = grade_ok(course.path(), subs.path(), dir.path(), &args);
        assert!(stderr_of(&run).contains(&format!("Shard {shard}:")));
        sizes.push(
            read_grades(dir.path())["students"]
                .as_array()
                .unwrap()
                .len(),
        );
    }
    let class = read_grades(whole.path())["students"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(sizes.iter().sum::<usize>(), class, "{sizes:?}");
    assert!(sizes.iter().all(|&n| n + 1 >= class / 3), "{sizes:?}");

    let merged = tempfile::tempdir().unwrap();
    grader(course.path())
        .arg("merge")
        .args(shards.iter().map(|d| d.path()))
        .arg("--out")
        .arg(merged.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "Merged 3 shard(s), {class} student(s)"
        )));
    let (one, joined) = (reports(whole.path()), reports(merged.path()));
    assert_eq!(
        one.iter().map(|f| &f.0).collect::<Vec<_>>(),
        joined.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in one.iter().zip(&joined) {
        assert_eq!(a, b, "{name} differs between one run and the merged shards");
    }

    // Merging a shard twice would count its students twice: refused, nothing written.
    let twice = tempfile::tempdir().unwrap();
    grader(course.path())
        .arg("merge")
        .arg(shards[0].path())
        .arg(shards[0].path())
        .arg("--out")
        .arg(twice.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("was graded in both"));
    assert!(!twice.path().join("grades.csv").exists());
}

#[test]
fn a_shard_that_is_not_i_of_n_is_refused_with_the_form_to_use() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    for bad in ["0/3", "4/3", "two"] {
        grader(course.path())
            .arg("grade")
            .arg(subs.path())
            .args(["--out", "reports", "--shard", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("I/N").or(predicate::str::contains("between 1")));
    }
}
