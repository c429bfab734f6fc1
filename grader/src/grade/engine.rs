//! The grading engine shared by `grade` (a class) and `gradescope` (one upload): build the
//! pristine course once to learn its tests, then grade each student's files in the sandbox.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::hidden::Hidden;
use super::isolate::build_isolating;
use super::jail::Jail;
use super::leaderboard;
use super::sandbox::Sandbox;
use super::submission::Found;
use super::{Options, StudentResult};
use crate::cargo::{Listed, fetch, first_lines, list_built};
use crate::course::Course;
use crate::manifest::Exercise;
use crate::results::{ExerciseResult, Status, tests_of};
use crate::runner::{Launcher, TestBinary, run_many_with};

/// The leaderboard's program runs for a few seconds; a minute allows for a busy machine.
const LEADERBOARD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Progress messages ("alice: building collector"), for a progress bar or a log.
pub type Progress<'a> = &'a dyn Fn(String);

/// A course ready to grade: its sandbox, and every test of every crate (from the pristine build).
pub struct Grader<'c> {
    course: &'c Course,
    sandbox: Sandbox,
    all_tests: BTreeMap<String, Vec<String>>,
}

impl<'c> Grader<'c> {
    /// Read the pristine course (what every student is graded from), build its exercise crates
    /// (the first run also builds their dependencies into the warm target dir) and list their
    /// tests. Builds and tests of student code run in `jail` (`None`: `--no-sandbox`). Fails if
    /// the course itself is broken: then no student could be graded fairly. The caller holds the
    /// [`lock_work_dir`] lock.
    pub fn prepare(
        course: &'c Course,
        jail: Option<Jail>,
        hidden: Option<&Hidden>,
        progress: Progress,
    ) -> Result<Grader<'c>> {
        let work = course.work_dir();
        let jailed = jail.is_some();
        let sandbox = Sandbox::new(
            course,
            work.join("sandbox"),
            work.join("target"),
            jail,
            hidden,
        )?;
        sandbox.reset(&BTreeMap::new())?;
        if jailed {
            // Builds in the jail have no network: download what they need now.
            fetch(&sandbox.dir)?;
        }
        let mut all_tests: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut problems = Vec::new();
        for krate in course.manifest.crates() {
            progress(format!("building the pristine `{krate}` to list its tests"));
            let crate_dir = sandbox.crate_dir(&krate);
            match list_built(sandbox.build(&krate, None)?, crate_dir)? {
                Listed::Ready(_, names) => {
                    problems.extend(course.manifest.check_tests(&krate, &names));
                    all_tests.insert(krate, names);
                }
                Listed::Failed(errors) => bail!(
                    "the pristine exercise crate `{krate}` does not compile, so nothing can be \
                     graded:\n{}\nRun `cargo course verify` to check the course.",
                    first_lines(&errors, 30)
                ),
            }
        }
        // Points would silently be wrong (an unweighted test, an exercise worth nothing).
        if !problems.is_empty() {
            let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            bail!(
                "the manifest does not match the course's tests, so the points would be wrong; \
                 fix these before grading:\n{}\n(`cargo course verify` checks the whole course.)",
                list.join("\n")
            );
        }
        Ok(Grader {
            course,
            sandbox,
            all_tests,
        })
    }

    /// A grader for worker `k` of several grading students at once: the same course and tests,
    /// its own sandbox (`work/sandbox-k`, `work/target-k`) and test slots. Worker 0 is `self`.
    pub fn worker(&self, k: usize, test_jobs: usize) -> Result<Grader<'c>> {
        let work = self.course.work_dir();
        let sandbox = self.sandbox.sibling(
            work.join(format!("sandbox-{k}")),
            work.join(format!("target-{k}")),
            k * test_jobs,
        )?;
        Ok(Grader {
            course: self.course,
            sandbox,
            all_tests: self.all_tests.clone(),
        })
    }

    /// Fails if the course on disk changed since [`Grader::prepare`] read it.
    pub fn check_intact(&self) -> Result<()> {
        self.sandbox.check_intact()
    }

    /// Grade one student's files. Never fails: a failure of the grader's own machinery (disk
    /// full, sandbox unwritable) is reported in the student's notes rather than aborting the class.
    pub fn grade(&self, id: &str, found: Found, opts: &Options, progress: Progress) -> Graded {
        match grade_one(self, id, found, opts, progress) {
            Ok(result) => Graded {
                result,
                trustworthy: true,
            },
            Err(e) => Graded {
                result: internal_error(self.course, id, &self.all_tests, &e),
                trustworthy: false,
            },
        }
    }
}

/// A student's grade, and whether it reflects their work (false: the grader itself failed, so
/// the result must not be cached and reused).
pub struct Graded {
    pub result: StudentResult,
    pub trustworthy: bool,
}

/// One grading at a time per course: runs share the sandbox, the warm target dir and the folder
/// zips are unpacked into. Hold the returned file while grading.
pub(super) fn lock_work_dir(work: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(work)
        .with_context(|| format!("cannot create the grader's work folder {}", work.display()))?;
    let file = std::fs::File::create(work.join("grade.lock"))?;
    if file.try_lock().is_err() {
        eprintln!("Another grading of this course is running; waiting for it to finish…");
        file.lock()?;
    }
    Ok(file)
}

/// Every exercise `crashed` with the grader's error in the notes: the row a student gets when the
/// grader itself failed for them.
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
        leaderboard: None,
        notes: vec![format!(
            "grader error (re-run grading for this student): {e:#}"
        )],
    }
}

fn grade_one(
    grader: &Grader,
    id: &str,
    found: Found,
    opts: &Options,
    progress: Progress,
) -> Result<StudentResult> {
    let (course, sandbox, all_tests) = (grader.course, &grader.sandbox, &grader.all_tests);
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
        progress(format!("{id}: building {krate}"));
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
        progress(format!("{id}: running {} tests of {krate}", names.len()));
        let launcher = sandbox.launcher();
        let launcher = launcher.as_ref().map(|l| l as &dyn Launcher);
        let mut runs = run_many_with(
            &binary,
            &names,
            opts.limits,
            opts.test_jobs,
            &|_| {},
            launcher,
        );
        for r in &mut runs {
            // A panic may point into any crate of the course (the runtime runs the allocator).
            for other in course.manifest.crates() {
                r.message = student_paths(&r.message, &other);
            }
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
    // The leaderboard is for allocators that pass every test of their crate: a fast wrong
    // allocator is not on it. Measured while this student's files are still in the sandbox.
    let allocator: Vec<&ExerciseResult> = (exercises.iter())
        .filter(|e| {
            course
                .manifest
                .find(&e.id)
                .is_some_and(|ex| ex.krate == leaderboard::CRATE)
        })
        .collect();
    let leaderboard =
        if !allocator.is_empty() && allocator.iter().all(|e| e.status == Status::Passed) {
            progress(format!("{id}: measuring the allocator for the leaderboard"));
            leaderboard::measure(sandbox, LEADERBOARD_TIMEOUT)?
        } else {
            None
        };
    Ok(StudentResult {
        leaderboard,
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
        // Applied once per crate, a path is rewritten once.
        let twice = student_paths(
            &student_paths("at allocator/src/pool.rs:3", "allocator"),
            "runtime",
        );
        assert_eq!(twice, "at exercises/allocator/src/pool.rs:3");
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
