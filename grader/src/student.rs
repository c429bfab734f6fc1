//! The student's commands: `list`, `check`, `hint`, and the state they share.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::cargo::{Listed, build_and_list};
use crate::course::Course;
use crate::hash::Fnv1a;
use crate::manifest::Exercise;
use crate::results::{ExerciseResult, Status, TestStatus, tests_of};
use crate::runner::{Limits, default_jobs, run_many};

/// What the tool remembers between runs, in `.course-state.json` at the course root.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseState>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ExerciseState {
    /// Outcome of the last `check`, with the hash of the exercise's files at that time.
    pub last: Option<LastCheck>,
    #[serde(default)]
    pub hints_shown: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LastCheck {
    pub passed: bool,
    pub points: u32,
    /// `None` until a check has built the crate and counted the tests.
    pub max: Option<u32>,
    /// [`files_hash`] of the exercise's files; a state file from an older tool whose hash
    /// differs just makes the exercise `failing` until the next check.
    pub files_hash: u64,
}

/// An exercise's status for `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    NotStarted,
    Failing,
    Done,
}

impl State {
    fn path(course: &Course) -> PathBuf {
        course.root.join(".course-state.json")
    }

    pub fn load(course: &Course) -> State {
        std::fs::read_to_string(Self::path(course))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, course: &Course) -> Result<()> {
        let path = Self::path(course);
        std::fs::write(&path, serde_json::to_string_pretty(self)? + "\n")
            .with_context(|| format!("cannot save progress to {}", path.display()))
    }

    /// Done = the last check passed and the files have not changed since.
    pub fn progress(&self, course: &Course, ex: &Exercise) -> Progress {
        match self.exercises.get(&ex.id).and_then(|s| s.last.as_ref()) {
            None => Progress::NotStarted,
            Some(l) if l.passed && l.files_hash == files_hash(course, ex) => Progress::Done,
            Some(_) => Progress::Failing,
        }
    }

    /// The first exercise (in course order) that is not done.
    pub fn next<'a>(&self, course: &'a Course) -> Option<&'a Exercise> {
        course
            .manifest
            .exercises
            .iter()
            .find(|ex| self.progress(course, ex) != Progress::Done)
    }

    /// The first exercise after `after` (in course order, wrapping around) that is not done:
    /// a student working through Part II is sent on to the next exercise of Part II, not back
    /// to the first unfinished one of Part I.
    pub fn next_after<'a>(&self, course: &'a Course, after: &Exercise) -> Option<&'a Exercise> {
        let all = &course.manifest.exercises;
        let start = all
            .iter()
            .position(|e| e.id == after.id)
            .map_or(0, |i| i + 1);
        all[start..]
            .iter()
            .chain(&all[..start])
            .find(|ex| self.progress(course, ex) != Progress::Done)
    }
}

/// A hash of the exercise's files (names and contents), stored in `.course-state.json`. It must
/// not change between Rust releases (std's `DefaultHasher` may), so it is FNV-1a.
pub fn files_hash(course: &Course, ex: &Exercise) -> u64 {
    let mut h = Fnv1a::default();
    for f in &ex.files {
        let bytes = std::fs::read(course.crate_dir(&ex.krate).join(f)).unwrap_or_default();
        h.field(f.as_bytes()).field(&bytes);
    }
    h.finish()
}

/// `list`: every exercise with its status and points, a progress bar, and what to do next.
pub fn list(course: &Course) -> String {
    let state = State::load(course);
    let mut out = String::new();
    let width = course
        .manifest
        .exercises
        .iter()
        .map(|e| e.id.len())
        .max()
        .unwrap_or(2);
    out.push_str(&format!(
        "{:>3}  {:<width$}  {:<11}  {:>7}  title\n",
        "#", "id", "status", "points"
    ));
    let mut done = 0;
    for (i, ex) in course.manifest.exercises.iter().enumerate() {
        let p = state.progress(course, ex);
        let status = match p {
            Progress::NotStarted => "not started",
            Progress::Failing => "failing",
            Progress::Done => "done",
        };
        done += usize::from(p == Progress::Done);
        let points = state
            .exercises
            .get(&ex.id)
            .and_then(|s| s.last.as_ref())
            .map_or("-".to_string(), |l| match l.max {
                Some(max) => format!("{}/{max}", l.points),
                None => format!("{}/?", l.points),
            });
        out.push_str(&format!(
            "{:>3}  {:<width$}  {status:<11}  {points:>7}  {}\n",
            i + 1,
            ex.id,
            ex.title
        ));
    }
    let total = course.manifest.exercises.len();
    let filled = (done * 30).checked_div(total).unwrap_or(0);
    out.push_str(&format!(
        "\nProgress: [{}{}] {done}/{total} exercises done\n",
        "#".repeat(filled),
        "-".repeat(30 - filled)
    ));
    match state.next(course) {
        Some(ex) => out.push_str(&next_steps(ex)),
        None => out.push_str(
            "\nEvery exercise is done. Congratulations! Try the chapters' challenges next.\n",
        ),
    }
    out
}

/// For `book`: where a student starts (or resumes).
pub fn where_to_start(course: &Course) -> String {
    match State::load(course).next(course) {
        Some(ex) => format!("{}  progress: cargo course list\n", next_steps(ex)),
        None => "\nEvery exercise is done: see `cargo course list`.\n".to_string(),
    }
}

fn next_steps(ex: &Exercise) -> String {
    format!(
        "\nNext: {} — {}\n  read:  book/src/{} (or `cargo course book --open`)\n  edit:  {}\n  check: cargo course check {}\n",
        ex.id,
        ex.title,
        ex.chapter,
        ex.files
            .iter()
            .map(|f| format!("exercises/{}/{f}", ex.krate))
            .collect::<Vec<_>>()
            .join("\n         "),
        ex.id
    )
}

/// `check`: build the exercise's crate, run its tests, print verdicts. Returns whether all passed.
pub fn check(course: &Course, id: Option<&str>, limits: Limits) -> Result<bool> {
    let mut state = State::load(course);
    let ex = match id {
        Some(id) => course
            .manifest
            .find(id)
            .ok_or_else(|| course.manifest.unknown_id_error(id))?,
        None => match state.next(course) {
            Some(ex) => ex,
            None => {
                println!("Every exercise is done. Run `cargo course check ID` to re-check one.");
                return Ok(true);
            }
        },
    };
    println!("Checking {} — {}", ex.id, ex.title);
    let unfinished: Vec<&str> = course
        .manifest
        .prerequisites(ex)
        .into_iter()
        .filter(|d| state.progress(course, d) != Progress::Done)
        .map(|d| d.id.as_str())
        .collect();
    if !unfinished.is_empty() {
        println!(
            "note: {} runs your code from {}, not done yet: their todo!()s fail these tests too \
             (start with `cargo course check {}`)",
            ex.id,
            unfinished.join(", "),
            unfinished[0]
        );
    }
    let spinner = ProgressBar::new_spinner().with_message(format!("building {}…", ex.krate));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let built = build_and_list(&course.root, &ex.krate, None, course.crate_dir(&ex.krate));
    spinner.finish_and_clear();
    let hash = files_hash(course, ex);
    let previous_max = state
        .exercises
        .get(&ex.id)
        .and_then(|s| s.last.as_ref())
        .and_then(|l| l.max);
    let (result, max) = match built? {
        Listed::Failed(errors) => {
            println!("{errors}");
            println!(
                "✗ {} does not compile (errors above). Fix them, then run `cargo course check {}` again.",
                ex.krate, ex.id
            );
            let mut r = ExerciseResult::unrun(ex, &[], Status::CompileError, "");
            r.compile_error = Some(errors);
            // No test list without a build: `list` keeps showing the last known maximum.
            (r, previous_max)
        }
        Listed::Ready(bin, all) => {
            let names = tests_of(ex, &all);
            let bar = ProgressBar::new(names.len() as u64).with_style(
                ProgressStyle::with_template("running tests [{bar:30}] {pos}/{len}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            let runs = run_many(&bin, &names, limits, default_jobs(), &|_| bar.inc(1));
            bar.finish_and_clear();
            let r = ExerciseResult::scored(ex, &names, &runs);
            print!("{}", verdicts(&r));
            let max = r.max;
            (r, Some(max))
        }
    };
    let passed = result.status == Status::Passed;
    let entry = state.exercises.entry(ex.id.clone()).or_default();
    entry.last = Some(LastCheck {
        passed,
        points: result.points,
        max,
        files_hash: hash,
    });
    state.save(course)?;
    if passed {
        println!(
            "✓ {}: all {} tests pass ({}/{} points).",
            ex.id,
            result.tests.len(),
            result.points,
            result.max
        );
        match state.next_after(course, ex) {
            Some(next) => print!("{}", next_steps(next)),
            None => println!("That was the last exercise: the whole course is done!"),
        }
    } else if result.status != Status::CompileError {
        println!(
            "\nStuck? `cargo course hint {}` shows a hint (one more each time). The chapter: book/src/{}",
            ex.id, ex.chapter
        );
    }
    Ok(passed)
}

/// One line per test, then the first failure's message in full.
pub fn verdicts(r: &ExerciseResult) -> String {
    let mut out = String::new();
    for t in &r.tests {
        let mark = match t.status {
            TestStatus::Passed => "✓",
            TestStatus::Failed => "✗",
            TestStatus::Timeout => "⏱",
            TestStatus::Crashed => "💥",
            TestStatus::NotRun => "·",
        };
        let extra = match t.status {
            TestStatus::Timeout | TestStatus::Crashed => format!("  ({})", t.message),
            _ => String::new(),
        };
        out.push_str(&format!("  {mark} {}{extra}\n", t.name));
    }
    let passed = r.tests.iter().filter(|t| t.passed).count();
    out.push_str(&format!(
        "{passed}/{} tests pass, {}/{} points\n",
        r.tests.len(),
        r.points,
        r.max
    ));
    if let Some(f) = r.first_failure() {
        out.push_str(&format!("\nFirst failure: {}\n", f.name));
        for line in f.message.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// `hint`: the next hint for `id`, one more each time.
pub fn hint(course: &Course, id: &str) -> Result<String> {
    let ex = course
        .manifest
        .find(id)
        .ok_or_else(|| course.manifest.unknown_id_error(id))?;
    let mut state = State::load(course);
    let entry = state.exercises.entry(ex.id.clone()).or_default();
    let n = ex.hints.len();
    let shown = (entry.hints_shown + 1).min(n);
    entry.hints_shown = shown;
    let mut out = String::new();
    for (i, h) in ex.hints.iter().take(shown).enumerate() {
        out.push_str(&format!("Hint {}/{n} for {}: {h}\n", i + 1, ex.id));
    }
    if shown < n {
        out.push_str(&format!(
            "(run `cargo course hint {}` again for the next hint)\n",
            ex.id
        ));
    } else {
        out.push_str(&format!(
            "That was the last hint. The chapter explains the rest: book/src/{}\n",
            ex.chapter
        ));
    }
    state.save(course)?;
    Ok(out)
}
