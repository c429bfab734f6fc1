//! `grade SUBMISSIONS --out DIR`: grade a folder of student submissions, each in a sandbox.
//!
//! Pipeline per student: find `exercises/<crate>/src/**/*.rs` → sandbox = pristine crates + those
//! files → build each crate's test binary (a warm, shared target dir) → run each test in its own
//! process under limits → score per the manifest → reports. One broken exercise never costs
//! another its points: a compile error is first narrowed to the exercises whose files it points
//! into (their files are put back to the stub and the crate rebuilt), and a hang or crash costs
//! only the test that hung or crashed.

mod forbidden;
mod isolate;
mod report;
mod sandbox;
mod submission;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cargo::{Listed, build_and_list, first_lines};
use crate::course::Course;
use crate::manifest::Exercise;
use crate::results::{ExerciseResult, Status, tests_of};
use crate::runner::{Limits, TestBinary, run_many};
use isolate::build_isolating;
pub use report::summary_table;
use sandbox::Sandbox;
use submission::{Found, discover};

/// One student's grade.
#[derive(Debug, Clone, Serialize)]
pub struct StudentResult {
    pub id: String,
    pub total: u32,
    pub max: u32,
    pub exercises: Vec<ExerciseResult>,
    /// What the grader noticed about the submission itself (skipped files, layout, zip errors).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gradebook {
    pub course: String,
    pub students: Vec<StudentResult>,
}

pub struct Options {
    pub limits: Limits,
    pub jobs: usize,
    /// Wall-clock limit for building one student's crate.
    pub build_timeout: std::time::Duration,
}

/// Grade every submission in `submissions`, write the reports into `out`, return the gradebook.
pub fn grade(course: &Course, submissions: &Path, out: &Path, opts: &Options) -> Result<Gradebook> {
    course.manifest.ensure_valid(&course.root)?;
    let (subs, ignored) = discover(submissions, out)?;
    for note in &ignored {
        eprintln!("note: {note}");
    }
    if subs.is_empty() {
        bail!(
            "no submissions in {}: put one folder (or .zip file) per student there, each holding \
             exercises/<crate>/src/…",
            submissions.display()
        );
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let work = course.work_dir();
    let _lock = lock_work_dir(&work)?;
    let sandbox = Sandbox::new(course, work.join("sandbox"), work.join("target"))?;
    let started = Instant::now();

    eprintln!(
        "Building the pristine course to list its tests (the first run also builds dependencies)…"
    );
    let spinner = spinner("building the pristine exercises");
    sandbox.reset(&BTreeMap::new())?;
    let mut all_tests: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for krate in course.manifest.crates() {
        spinner.set_message(format!("building {krate}"));
        let crate_dir = sandbox.crate_dir(&krate);
        match build_and_list(&sandbox.dir, &krate, Some(&sandbox.target), crate_dir)? {
            Listed::Ready(_, names) => {
                problems.extend(course.manifest.check_tests(&krate, &names));
                all_tests.insert(krate, names);
            }
            Listed::Failed(errors) => bail!(
                "the pristine exercise crate `{krate}` does not compile, so nothing can be graded:\n{}\n\
                 Run `cargo course verify` to check the course.",
                first_lines(&errors, 30)
            ),
        }
    }
    spinner.finish_and_clear();
    // Points would silently be wrong (an unweighted test, an exercise worth nothing).
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        bail!(
            "the manifest does not match the course's tests, so the points would be wrong; fix \
             these before grading:\n{}\n(`cargo course verify` checks the whole course.)",
            list.join("\n")
        );
    }

    let bar = ProgressBar::new(subs.len() as u64).with_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix("Grading");
    let mut students = Vec::new();
    for sub in &subs {
        bar.set_message(sub.id.clone());
        let pristine = course.root.join("exercises");
        let found = submission::collect(sub, &course.manifest.crates(), &pristine, &work);
        let result = grade_one(course, &sandbox, &sub.id, found, &all_tests, opts, &bar)
            .unwrap_or_else(|e| internal_error(course, &sub.id, &all_tests, &e));
        bar.inc(1);
        students.push(result);
    }
    bar.finish_and_clear();
    let book = Gradebook {
        course: course.manifest.course.title.clone(),
        students,
    };
    report::write_all(course, &book, out)?;
    eprintln!(
        "Graded {} submission(s) in {:.1} s. Reports: {}/grades.csv, grades.json, feedback/",
        book.students.len(),
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(book)
}

/// One `grade` at a time per course: runs share the sandbox and the warm target dir.
fn lock_work_dir(work: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(work)
        .with_context(|| format!("cannot create the grader's work folder {}", work.display()))?;
    let file = std::fs::File::create(work.join("grade.lock"))?;
    if file.try_lock().is_err() {
        eprintln!("Another `grade` of this course is running; waiting for it to finish…");
        file.lock()?;
    }
    Ok(file)
}

fn spinner(msg: &str) -> ProgressBar {
    let s = ProgressBar::new_spinner().with_message(msg.to_string());
    s.enable_steady_tick(std::time::Duration::from_millis(120));
    s
}

/// A failure of the grader's own machinery (disk full, sandbox unwritable) for one student:
/// reported in their row rather than aborting the whole class.
fn internal_error(
    course: &Course,
    id: &str,
    all_tests: &BTreeMap<String, Vec<String>>,
    e: &anyhow::Error,
) -> StudentResult {
    let exercises: Vec<ExerciseResult> = course
        .manifest
        .exercises
        .iter()
        .map(|ex| {
            let names = tests_of(ex, &all_tests[&ex.krate]);
            ExerciseResult::unrun(ex, &names, Status::Crashed, "the grader could not run this")
        })
        .collect();
    StudentResult {
        id: id.to_string(),
        total: 0,
        max: exercises.iter().map(|e| e.max).sum(),
        exercises,
        notes: vec![format!(
            "grader error (re-run grading for this student): {e:#}"
        )],
    }
}

fn grade_one(
    course: &Course,
    sandbox: &Sandbox,
    id: &str,
    found: Found,
    all_tests: &BTreeMap<String, Vec<String>>,
    opts: &Options,
    bar: &ProgressBar,
) -> Result<StudentResult> {
    let mut results: BTreeMap<String, ExerciseResult> = BTreeMap::new();
    let mut notes = found.notes.clone();
    if !found.no_exercises {
        sandbox.reset(&found.files)?;
    }
    for krate in course.manifest.crates() {
        let exercises: Vec<&Exercise> = course
            .manifest
            .exercises
            .iter()
            .filter(|e| e.krate == krate)
            .collect();
        let student_files = found.files.get(&krate);
        let mut to_run: Vec<&Exercise> = Vec::new();
        for ex in &exercises {
            let present =
                student_files.is_some_and(|files| ex.files.iter().any(|f| files.contains_key(f)));
            if present {
                to_run.push(ex);
            } else {
                let names = tests_of(ex, &all_tests[&krate]);
                let why = format!("not submitted: exercises/{krate}/{}", ex.files.join(", "));
                results.insert(
                    ex.id.clone(),
                    ExerciseResult::unrun(ex, &names, Status::Missing, &why),
                );
            }
        }
        if to_run.is_empty() {
            continue;
        }
        bar.set_message(format!("{id}: building {krate}"));
        let own_files: Vec<String> = student_files
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default();
        let (built, lost) =
            build_isolating(opts, sandbox, &krate, &to_run, &own_files, &mut notes)?;
        for (ex, errors) in lost {
            results.insert(
                ex.id.clone(),
                compile_error(ex, &all_tests[&krate], &errors),
            );
            to_run.retain(|e| e.id != ex.id);
        }
        let Some(path) = built else { continue };
        let binary = TestBinary {
            path,
            crate_dir: sandbox.crate_dir(&krate),
        };
        let names: Vec<String> = to_run
            .iter()
            .flat_map(|ex| tests_of(ex, &all_tests[&krate]))
            .collect();
        bar.set_message(format!("{id}: running {} tests of {krate}", names.len()));
        let mut runs = run_many(&binary, &names, opts.limits, opts.jobs, &|_| {});
        for r in &mut runs {
            r.message = student_paths(&r.message, &krate);
        }
        for ex in to_run {
            let own = tests_of(ex, &all_tests[&krate]);
            results.insert(ex.id.clone(), ExerciseResult::scored(ex, &own, &runs));
        }
    }
    let exercises: Vec<ExerciseResult> = course
        .manifest
        .exercises
        .iter()
        .filter_map(|ex| results.remove(&ex.id))
        .collect();
    Ok(StudentResult {
        id: id.to_string(),
        total: exercises.iter().map(|e| e.points).sum(),
        max: exercises.iter().map(|e| e.max).sum(),
        exercises,
        notes,
    })
}

fn compile_error(ex: &Exercise, all: &[String], errors: &str) -> ExerciseResult {
    let names = tests_of(ex, all);
    let mut r = ExerciseResult::unrun(
        ex,
        &names,
        Status::CompileError,
        "not run: the code does not compile",
    );
    r.compile_error = Some(first_lines(&student_paths(errors, &ex.krate), 40));
    r
}

/// The sandbox holds the crates at its top (`arith/src/add.rs:4:5`); students know them under
/// `exercises/`. Rewrites the crate's `src/` and `tests/` paths in compiler errors and panic
/// messages wherever such a path starts (not inside a longer path, such as an absolute one).
fn student_paths(text: &str, krate: &str) -> String {
    let prefixes = [format!("{krate}/src/"), format!("{krate}/tests/")];
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts_path = prev
            .is_none_or(|p| !(p.is_alphanumeric() || matches!(p, '_' | '-' | '.' | '/' | '\\')));
        if starts_path && prefixes.iter().any(|p| text[i..].starts_with(p.as_str())) {
            out.push_str("exercises/");
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::student_paths;

    #[test]
    fn sandbox_paths_become_the_paths_students_know() {
        assert_eq!(
            student_paths(
                "thread 't' panicked at arith/src/add.rs:4:5:\nboom",
                "arith"
            ),
            "thread 't' panicked at exercises/arith/src/add.rs:4:5:\nboom"
        );
        assert_eq!(
            student_paths(
                " --> arith/src/mul.rs:2:10\n  ::: arith/tests/chapters/main.rs",
                "arith"
            ),
            " --> exercises/arith/src/mul.rs:2:10\n  ::: exercises/arith/tests/chapters/main.rs"
        );
        // Already right, inside a longer path, or another crate: untouched.
        for kept in [
            "exercises/arith/src/a.rs",
            "/tmp/arith/src/a.rs",
            "matharith/src/a.rs",
        ] {
            assert_eq!(student_paths(kept, "arith"), kept);
        }
    }
}
