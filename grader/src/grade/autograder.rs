//! `gradescope`: grade the single upload of a Gradescope autograder run and write its
//! `results.json`. Gradescope starts a fresh container per submission, with the student's upload
//! in `/autograder/submission/` and the course (the autograder zip) in `/autograder/source/`.
//!
//! Whatever happens, a valid `results.json` is written: Gradescope shows its `output` to the
//! student, while a crash would show them only "the autograder failed". So an unusable upload
//! scores 0 with an explanation, and so does a broken autograder (with words that send the student
//! to the instructor). Only failing to write the file itself is an error.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use super::engine::{Grader, lock_work_dir};
use super::gradescope::{self, Results};
use super::{Gradebook, Hidden, Options, jail, report, submission};
use crate::course::Course;

/// Grade `submission` with the course at `course_dir` (see [`Course::open`]) and write
/// Gradescope's results to `results`. Progress goes to stderr, a summary to stdout: Gradescope
/// keeps both for the instructor.
pub fn autograde(
    course_dir: Option<&Path>,
    submission: &Path,
    results: &Path,
    opts: &Options,
) -> Result<()> {
    let started = Instant::now();
    let json = grade_upload(course_dir, submission, opts).unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        gradescope::failure(&e)
    });
    if let Some(dir) = results.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "cannot create {}: Gradescope expects results in /autograder/results/ (or pass \
                 --results FILE)",
                dir.display()
            )
        })?;
    }
    std::fs::write(results, gradescope::to_json(&json)?).with_context(|| {
        format!(
            "cannot write {}: check that its folder is writable (or pass --results FILE)",
            results.display()
        )
    })?;
    let max: u32 = json.tests.iter().map(|t| t.max_score).sum();
    println!(
        "Score {} / {max}, in {:.1} s. Wrote {}",
        json.score,
        started.elapsed().as_secs_f64(),
        results.display()
    );
    Ok(())
}

/// The results of a real grading; `Err` only when the autograder itself could not run.
fn grade_upload(course_dir: Option<&Path>, submission: &Path, opts: &Options) -> Result<Results> {
    let course = Course::open(course_dir).context(
        "the autograder cannot find the course: run_autograder must `cd /autograder/source` (the \
         course's root) or pass --course DIR",
    )?;
    course.manifest.ensure_valid(&course.root)?;
    let jail = jail::probe_if(&course, opts.sandbox)?;
    let work = course.work_dir();
    let _lock = lock_work_dir(&work)?;
    let pristine = course.root.join("exercises");
    let found = submission::collect_upload(submission, &course.manifest.crates(), &pristine, &work);
    for note in &found.notes {
        eprintln!("note: {note}");
    }
    let log = |msg: String| eprintln!("{msg}");
    let loaded = match &opts.hidden_dir {
        Some(dir) => Some(Hidden::load(&course, dir)?),
        None => None,
    };
    let hidden = loaded.as_ref().or(opts.hidden.as_ref());
    let grader = Grader::prepare(&course, jail, hidden, &log)?;
    let graded = grader.grade("submission", found, opts, &log);
    grader.check_intact()?;
    let book = Gradebook {
        course: course.manifest.course.title.clone(),
        hidden: hidden.map(|h| h.fingerprint.clone()),
        show_hidden: opts.show_hidden,
        students: vec![graded.result],
    };
    print!("{}", report::summary_table(&book));
    Ok(gradescope::of_student(
        &course,
        &book.students[0],
        opts.visibility,
        book.show_hidden,
    ))
}
