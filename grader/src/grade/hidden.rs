//! Hidden tests: an instructor's own tests, kept out of the course the students have.
//!
//! `grade --hidden DIR` (and `gradescope --hidden DIR`) takes `DIR/<exercise-id>.rs`, each a
//! module of ordinary `#[test]` functions, and compiles it into the same test binary as the
//! course's tests, as the module `hidden` inside that exercise's test module: a test `foo` in
//! `DIR/refcount.rs` runs as `ch04_refcount::hidden::foo`, so the exercise owns it and the
//! manifest scores it like any other test (`points`, or `weights = { "hidden::foo" = 3 }`).
//!
//! Students see how many hidden tests passed, not their names or messages (unless the instructor
//! passes `--show-hidden`); Gradescope shows them after the due date. The sources are in the
//! sandbox only while it compiles: a test of the student's code cannot read them from the crate
//! folder. (The compiled test binary itself holds their names and messages, as any binary holds
//! its strings; hidden tests hide the questions from the feedback, not from a determined
//! student's code that reads its own executable.)

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::engine::{Grader, lock_work_dir};
use super::sandbox::CourseFiles;
use super::submission::{Submission, collect};
use super::{Options, Visibility};
use crate::course::Course;
use crate::hash::Fnv1a;
use crate::results::{ExerciseResult, Status, TestResult, TestStatus};

/// The module every hidden test lives in, inside its exercise's test module.
pub const MODULE: &str = "hidden";

/// Is this (full or short) test name one of the hidden tests?
pub fn is_hidden(name: &str) -> bool {
    name.starts_with("hidden::") || name.contains("::hidden::")
}

/// The instructor's hidden tests, read once when grading starts.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    /// Course-relative path → contents, to lay over the pristine crates while they compile:
    /// each exercise's test module with a `mod hidden;` line added, and the hidden module itself.
    pub files: CourseFiles,
    /// Only the hidden modules' paths: removed again after each build.
    pub sources: Vec<String>,
    /// How many files, and a hash of them, as recorded in `grades.json` and the cache key.
    pub fingerprint: String,
}

impl Hidden {
    /// Read `DIR/<exercise-id>.rs` for every file there. Fails, naming the file and the ids the
    /// course has, on anything else: a typo would otherwise silently leave tests out.
    pub fn load(course: &Course, dir: &Path) -> Result<Hidden> {
        let entries = std::fs::read_dir(dir).with_context(|| {
            format!(
                "cannot read the hidden tests folder {}: it should hold one <exercise-id>.rs \
                 file per exercise with hidden tests",
                dir.display()
            )
        })?;
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        let mut hidden = Hidden::default();
        let mut hash = Fnv1a::default();
        let ids: Vec<&str> = (course.manifest.exercises.iter())
            .map(|e| e.id.as_str())
            .collect();
        for path in paths {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let Some(id) = name.strip_suffix(".rs") else {
                bail!(
                    "{}: the hidden tests folder holds only <exercise-id>.rs files",
                    path.display()
                );
            };
            let Some(ex) = course.manifest.find(id) else {
                bail!(
                    "{}: no exercise is called `{id}`; name the file after one of: {}",
                    path.display(),
                    ids.join(", ")
                );
            };
            let source =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let chapters = format!("exercises/{}/tests/chapters", ex.krate);
            let module = [
                format!("{chapters}/{}.rs", ex.tests),
                format!("{chapters}/{}/mod.rs", ex.tests),
            ]
            .into_iter()
            .find(|rel| course.root.join(rel).is_file())
            .with_context(|| {
                format!(
                    "the course has no test module {chapters}/{}.rs for exercise `{id}`",
                    ex.tests
                )
            })?;
            // `#[path]` is relative to the folder of the file that declares the module.
            let folder = module.rsplit_once('/').map_or("", |(d, _)| d);
            let file_name = format!("{MODULE}_{id}.rs");
            let mut text = std::fs::read(course.root.join(&module))?;
            text.extend_from_slice(
                format!(
                    "\n// Added by the grader: the instructor's hidden tests (`--hidden`).\n\
                     #[path = \"{file_name}\"]\nmod {MODULE};\n"
                )
                .as_bytes(),
            );
            let source_rel = format!("{folder}/{file_name}");
            hash.field(id.as_bytes()).field(&source);
            hidden.files.insert(module, text);
            hidden.files.insert(source_rel.clone(), source);
            hidden.sources.push(source_rel);
        }
        if hidden.sources.is_empty() {
            bail!(
                "no hidden tests in {}: put one <exercise-id>.rs file there per exercise (e.g. \
                 refcount.rs holding #[test] functions)",
                dir.display()
            );
        }
        hidden.fingerprint = format!(
            "{} file(s), fnv1a {:016x}",
            hidden.sources.len(),
            hash.finish()
        );
        Ok(hidden)
    }
}

/// An exercise's result split in two: the tests a student sees by name, and the hidden ones
/// (`None` if it has none), each with its own points and status.
pub fn parts(e: &ExerciseResult) -> (ExerciseResult, Option<ExerciseResult>) {
    let part = |hidden: bool| {
        let tests: Vec<TestResult> = (e.tests.iter())
            .filter(|t| is_hidden(&t.name) == hidden)
            .cloned()
            .collect();
        let status = match e.status {
            Status::CompileError | Status::Missing => e.status,
            _ if tests.iter().all(|t| t.passed) => Status::Passed,
            _ if tests.iter().any(|t| t.status == TestStatus::Timeout) => Status::Timeout,
            _ if tests.iter().any(|t| t.status == TestStatus::Crashed) => Status::Crashed,
            _ => Status::Failed,
        };
        ExerciseResult {
            points: tests.iter().map(|t| t.points).sum(),
            max: tests.iter().map(|t| t.max).sum(),
            status,
            tests,
            ..e.clone()
        }
    };
    let hidden = part(true);
    (part(false), (!hidden.tests.is_empty()).then_some(hidden))
}

/// "2 of 3 hidden tests passed (4/6 points)."
pub fn summary(hidden: &ExerciseResult) -> String {
    format!(
        "{} of {} hidden test(s) passed ({}/{} points): they are your instructor's, and what they \
         check is not shown.",
        hidden.tests.iter().filter(|t| t.passed).count(),
        hidden.tests.len(),
        hidden.points,
        hidden.max
    )
}

/// Hidden tests (passed, all) over every exercise of a student: the reports' extra columns.
pub fn counts(exercises: &[ExerciseResult]) -> (usize, usize) {
    let hidden = exercises
        .iter()
        .flat_map(|e| &e.tests)
        .filter(|t| is_hidden(&t.name));
    hidden.fold((0, 0), |(p, n), t| (p + usize::from(t.passed), n + 1))
}

/// `verify --hidden DIR`: every hidden test must fail on the stubs (it checks something the
/// student writes) and pass on the solutions (it is right). Grades the untouched stubs and the
/// solutions as two submissions, outside the jail (this is the course's own code). Returns, per
/// exercise with hidden tests: its id, how many hidden tests, and the problems found.
pub fn check(
    course: &Course,
    dir: &Path,
    limits: crate::runner::Limits,
    progress: &dyn Fn(String),
) -> Result<Vec<(String, usize, Vec<String>)>> {
    let hidden = Hidden::load(course, dir)?;
    let opts = Options {
        limits,
        jobs: 1,
        test_jobs: crate::runner::default_jobs(),
        build_timeout: std::time::Duration::from_secs(600),
        no_cache: true,
        gradescope: false,
        visibility: Visibility::Visible,
        sandbox: false,
        shard: None,
        hidden: None,
        hidden_dir: None,
        show_hidden: false,
    };
    let _lock = lock_work_dir(&course.work_dir())?;
    let grader = Grader::prepare(course, None, Some(&hidden), progress)?;
    let crates = course.manifest.crates();
    let mut graded = Vec::new();
    for (id, folder) in [("stubs", "exercises"), ("solutions", "solutions")] {
        let sub = Submission {
            id: id.to_string(),
            path: course.root.join(folder),
        };
        let found = collect(
            &sub,
            &crates,
            &course.root.join("exercises"),
            &course.work_dir(),
        );
        graded.push(grader.grade(id, found, &opts, progress).result);
        grader.check_intact()?;
    }
    let mut rows = Vec::new();
    for (stub, solution) in graded[0].exercises.iter().zip(&graded[1].exercises) {
        let (Some(on_stub), Some(on_solution)) = (parts(stub).1, parts(solution).1) else {
            continue;
        };
        let mut problems = Vec::new();
        for t in on_stub.tests.iter().filter(|t| t.passed) {
            problems.push(format!(
                "{} passes on the stub: it checks nothing the student writes",
                t.name
            ));
        }
        for t in on_solution.tests.iter().filter(|t| !t.passed) {
            let first = t.message.lines().take(6).collect::<Vec<_>>().join("\n");
            problems.push(format!("{} fails on the solution: {first}", t.name));
        }
        rows.push((stub.id.clone(), on_stub.tests.len(), problems));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_tests_are_known_by_their_module() {
        assert!(is_hidden("ch04_refcount::hidden::cycle_of_three"));
        assert!(is_hidden("hidden::cycle_of_three"));
        assert!(!is_hidden("ch04_refcount::hidden_cycle"));
        assert!(!is_hidden("ch04_refcount::unhidden::x"));
    }
}
