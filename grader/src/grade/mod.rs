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
mod hidden;
mod isolate;
mod jail;
mod leaderboard;
mod report;
mod sandbox;
mod shard;
mod similarity;
mod submission;

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::results::ExerciseResult;
use crate::runner::Limits;
pub use autograder::autograde;
use cache::Cache;
use engine::{Grader, lock_work_dir};
pub use gradescope::Visibility;
pub use hidden::{Hidden, check as check_hidden};
pub use report::summary_table;
pub use shard::{Shard, merge};
use submission::{Found, discover};

/// One student's grade.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StudentResult {
    pub id: String,
    pub total: u32,
    pub max: u32,
    pub exercises: Vec<ExerciseResult>,
    /// What the grader noticed about the submission itself (skipped files, layout, zip errors).
    pub notes: Vec<String>,
    /// The allocator's throughput on the course's traces as a ratio to glibc malloc's (> 1:
    /// faster), for students whose allocator passes all its tests (`leaderboard.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaderboard: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gradebook {
    pub course: String,
    /// The instructor's hidden tests this class was graded with (`grade --hidden`): how many,
    /// and a fingerprint of their files, so shards graded with different ones are not merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<String>,
    /// The feedback shows the hidden tests by name (`--show-hidden`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub show_hidden: bool,
    pub students: Vec<StudentResult>,
}

pub struct Options {
    pub limits: Limits,
    /// Students graded at once, each in its own sandbox (`grade --jobs`).
    pub jobs: usize,
    /// Tests run at once for one student.
    pub test_jobs: usize,
    /// Grade only this slice of the class (`grade --shard I/N`).
    pub shard: Option<Shard>,
    /// The instructor's hidden tests (`grade --hidden DIR`).
    pub hidden: Option<Hidden>,
    /// `gradescope --hidden DIR`: read once the autograder has found the course.
    pub hidden_dir: Option<std::path::PathBuf>,
    /// Show the hidden tests' names and messages in the students' feedback.
    pub show_hidden: bool,
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

/// Grade every submission in `submissions` (or, with `--shard`, this shard's slice of them), write
/// the reports into `out`, return the gradebook.
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
    // Every shard reads the whole class (for the similarity report) and grades its own slice.
    let mine: Vec<bool> = match opts.shard {
        Some(shard) => {
            let picked = shard.select((0..subs.len()).collect());
            eprintln!(
                "Shard {shard}: {} of the class's {} submissions (`cargo course merge` joins \
                 the shards' reports).",
                picked.len(),
                subs.len()
            );
            (0..subs.len()).map(|i| picked.contains(&i)).collect()
        }
        None => vec![true; subs.len()],
    };
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;
    let mut jail = jail::probe_if(course, opts.sandbox)?;
    let work = course.work_dir();
    let _lock = lock_work_dir(&work)?;
    let cache = Cache::new(course, opts, out)?;
    let started = Instant::now();

    let graded_here = mine.iter().filter(|m| **m).count();
    let bar = ProgressBar::new(graded_here as u64).with_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix("Grading");
    // Collected (and unzipped) one by one; a student whose cached result still holds is done.
    let mut results: Vec<Option<StudentResult>> = Vec::new();
    let mut todo: Vec<(usize, String, Found, u64)> = Vec::new();
    let pristine = course.root.join("exercises");
    let mut class: Vec<(String, similarity::CrateFiles)> = Vec::new();
    for (sub, mine) in subs.iter().zip(mine) {
        bar.set_message(format!("{}: reading the submission", sub.id));
        let found = submission::collect(sub, &course.manifest.crates(), &pristine, &work);
        class.push((sub.id.clone(), found.files.clone()));
        if !mine {
            continue;
        }
        let key = cache.key(&sub.id, &found);
        match cache.load(&sub.id, key) {
            Some(result) => {
                bar.inc(1);
                results.push(Some(result));
            }
            None => {
                todo.push((results.len(), sub.id.clone(), found, key));
                results.push(None);
            }
        }
    }
    let reused = graded_here - todo.len();
    if !todo.is_empty() {
        // Printed even when the bar is hidden (no terminal): the first build takes minutes.
        bar.suspend(|| {
            eprintln!(
                "Building the pristine course to list its tests (the first run also builds \
                 dependencies)…"
            );
        });
        let progress = |msg: String| bar.set_message(msg);
        let first = Grader::prepare(course, jail.take(), opts.hidden.as_ref(), &progress)?;
        let graded = grade_all(&first, todo, opts, &cache, &bar)?;
        for (i, result) in graded {
            results[i] = Some(result);
        }
    }
    bar.finish_and_clear();
    let book = Gradebook {
        course: course.manifest.course.title.clone(),
        hidden: opts.hidden.as_ref().map(|h| h.fingerprint.clone()),
        show_hidden: opts.show_hidden,
        students: results.into_iter().flatten().collect(),
    };
    report::write_all(course, &book, out)?;
    similarity::write_csv(
        &similarity::similar_pairs(&stub_files(course)?, &class),
        out,
    )?;
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
         similarity.csv, feedback/{}",
        book.students.len(),
        started.elapsed().as_secs_f64(),
        out.display(),
        if opts.gradescope { ", gradescope/" } else { "" }
    );
    Ok(book)
}

/// The stubs' source files, as the similarity report's baseline: code every student was given.
fn stub_files(course: &Course) -> Result<similarity::CrateFiles> {
    let crates = course.manifest.crates();
    let mut stubs = similarity::CrateFiles::new();
    for (rel, bytes) in sandbox::course_files(&course.root, &crates)? {
        if let Some((krate, rel)) = rel
            .strip_prefix("exercises/")
            .and_then(|r| r.split_once('/'))
            && rel.starts_with("src/")
        {
            stubs
                .entry(krate.to_string())
                .or_default()
                .insert(rel.to_string(), bytes);
        }
    }
    Ok(stubs)
}

/// Grade `todo` (index in the class, id, files, cache key) with `opts.jobs` students at once, each
/// worker in its own sandbox. Stops everyone, with the error, if the course changed on disk.
fn grade_all(
    first: &Grader,
    todo: Vec<(usize, String, Found, u64)>,
    opts: &Options,
    cache: &Cache,
    bar: &ProgressBar,
) -> Result<Vec<(usize, StudentResult)>> {
    let workers = opts.jobs.clamp(1, todo.len().max(1));
    let queue = Mutex::new(todo.into_iter());
    let done: Mutex<Vec<(usize, StudentResult)>> = Mutex::new(Vec::new());
    let failed: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    // Made before any student's build starts: each copies the first one's warm target dir.
    let mut others = Vec::new();
    for k in 1..workers {
        bar.set_message(format!("preparing sandbox {} of {workers}", k + 1));
        others.push(first.worker(k, opts.test_jobs)?);
    }
    let graders: Vec<&Grader> = std::iter::once(first).chain(&others).collect();
    std::thread::scope(|s| {
        for grader in graders {
            let (queue, done, failed, stop) = (&queue, &done, &failed, &stop);
            s.spawn(move || {
                let fail = |e: anyhow::Error| {
                    stop.store(true, Ordering::SeqCst);
                    failed.lock().expect("error lock").get_or_insert(e);
                };
                let progress = |msg: String| bar.set_message(msg);
                while !stop.load(Ordering::SeqCst) {
                    let Some((i, id, found, key)) = queue.lock().expect("queue lock").next() else {
                        break;
                    };
                    let graded = grader.grade(&id, found, opts, &progress);
                    // Before this result is kept: no one may be graded on changed tests.
                    if let Err(e) = grader.check_intact() {
                        return fail(e);
                    }
                    // A result with a timeout is reused only once a second run agrees (see
                    // `Cache::store_graded`): a busy machine can make a correct test time out.
                    if graded.trustworthy
                        && let Err(e) = cache.store_graded(key, &graded.result)
                    {
                        bar.suspend(|| {
                            eprintln!("warning: {e:#} (the next run grades {id} again)")
                        });
                    }
                    bar.inc(1);
                    done.lock().expect("results lock").push((i, graded.result));
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().expect("error lock") {
        return Err(e);
    }
    Ok(done.into_inner().expect("results lock"))
}
