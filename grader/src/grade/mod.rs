//! `grade SUBMISSIONS --out DIR`: grade a folder of student submissions, each in a sandbox;
//! `gradescope`: grade the one upload inside a Gradescope autograder container.
//!
//! Pipeline per student: find `exercises/<crate>/src/**/*.rs` → sandbox = pristine crates + those
//! files → build each crate's test binary (a warm, shared target dir) → run each test in its own
//! process under limits → score per the manifest → reports. One broken exercise never costs
//! another its points: a compile error is first narrowed to the exercises whose files it points
//! into (their files are put back to the stub and the crate rebuilt), and a hang or crash costs
//! only the test that hung or crashed. A student whose files and grading inputs have not changed
//! since the last run into the same reports folder keeps their cached result.

mod autograder;
mod cache;
mod engine;
mod forbidden;
mod gradescope;
mod isolate;
mod jail;
mod report;
mod sandbox;
mod submission;

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::results::{ExerciseResult, TestStatus};
use crate::runner::Limits;
pub use autograder::autograde;
use cache::Cache;
use engine::{Grader, lock_work_dir};
pub use gradescope::Visibility;
pub use report::summary_table;
use submission::discover;

/// One student's grade.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Grade every student again, even those whose cached result still holds.
    pub no_cache: bool,
    /// Also write `DIR/gradescope/<id>.json`, each what `gradescope` would upload.
    pub gradescope: bool,
    /// When Gradescope shows the results (`gradescope`, `grade --gradescope`).
    pub visibility: Visibility,
    /// Build and run students' code in the sandbox (`jail.rs`); false only under `--no-sandbox`.
    pub sandbox: bool,
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
    let mut jail = jail::probe_if(course, opts.sandbox)?;
    let work = course.work_dir();
    let _lock = lock_work_dir(&work)?;
    let cache = Cache::new(course, opts, out)?;
    let started = Instant::now();

    let bar = ProgressBar::new(subs.len() as u64).with_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix("Grading");
    let progress = |msg: String| bar.set_message(msg);
    // Built only when a student needs grading: a re-run over unchanged work builds nothing.
    let mut grader: Option<Grader> = None;
    let mut reused = 0;
    let mut students = Vec::new();
    for sub in &subs {
        bar.set_message(sub.id.clone());
        let pristine = course.root.join("exercises");
        let found = submission::collect(sub, &course.manifest.crates(), &pristine, &work);
        let key = cache.key(&sub.id, &found);
        if let Some(result) = cache.load(&sub.id, key) {
            reused += 1;
            bar.inc(1);
            students.push(result);
            continue;
        }
        if grader.is_none() {
            // Printed even when the bar is hidden (no terminal): the first build takes minutes.
            bar.suspend(|| {
                eprintln!(
                    "Building the pristine course to list its tests (the first run also builds \
                     dependencies)…"
                );
            });
            grader = Some(Grader::prepare(course, jail.take(), &progress)?);
        }
        let prepared = grader.as_ref().expect("prepared above");
        let graded = prepared.grade(&sub.id, found, opts, &progress);
        // Before this result is kept: the next student must not be graded on changed tests.
        prepared.check_intact()?;
        // A timeout may come from a busy machine rather than the code: grade it again next time.
        let timed_out = graded
            .result
            .exercises
            .iter()
            .any(|e| e.tests.iter().any(|t| t.status == TestStatus::Timeout));
        if graded.trustworthy
            && !timed_out
            && let Err(e) = cache.store(key, &graded.result)
        {
            bar.suspend(|| eprintln!("warning: {e:#} (the next run grades {} again)", sub.id));
        }
        bar.inc(1);
        students.push(graded.result);
    }
    bar.finish_and_clear();
    let book = Gradebook {
        course: course.manifest.course.title.clone(),
        students,
    };
    report::write_all(course, &book, out)?;
    if opts.gradescope {
        gradescope::write_all(course, &book, out, opts.visibility)?;
    }
    let reused = if reused > 0 {
        format!(" ({reused} unchanged, reused; --no-cache grades them again)")
    } else {
        String::new()
    };
    eprintln!(
        "Graded {} submission(s) in {:.1} s{reused}. Reports: {}/grades.csv, grades.json, \
         feedback/{}",
        book.students.len(),
        started.elapsed().as_secs_f64(),
        out.display(),
        if opts.gradescope { ", gradescope/" } else { "" }
    );
    Ok(book)
}
