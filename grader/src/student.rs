//! The student's commands: `list`, `check`, `hint`, `reset`, and the state they share.

mod diagnose;
mod reset;
mod scan;
mod state;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cargo::{Listed, build_and_list};
use crate::course::Course;
use crate::manifest::Exercise;
use crate::results::{ExerciseResult, Status, TestStatus, tests_of};
use crate::runner::{Limits, default_jobs, run_many};

pub use reset::{BACKUP_DIR, STUBS_DIR, reset};
pub use scan::tests_in_sources;
pub use state::{ExerciseState, LastCheck, Progress, State, files_hash};

/// The most an exercise can score: from the test list of its crate's last build if there was one
/// (exact), else counted from its test sources before any build (see `scan`); `None` if neither
/// can tell yet.
pub fn max_points(course: &Course, state: &State, ex: &Exercise) -> Option<u32> {
    state
        .exercises
        .get(&ex.id)
        .and_then(|s| s.max)
        .or_else(|| state.last(ex).and_then(|l| l.max))
        .or_else(|| {
            let names = tests_in_sources(&course.crate_dir(&ex.krate), &ex.tests)?;
            Some(names.iter().map(|n| ex.test_points(n)).sum())
        })
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
        "{:>3}  {:<width$}  {:<16}  {:>7}  title\n",
        "#", "id", "status", "points"
    ));
    let (mut done, mut changed, mut uncounted) = (0, Vec::new(), false);
    for (i, ex) in course.manifest.exercises.iter().enumerate() {
        let p = state.progress(course, ex);
        done += usize::from(p == Progress::Done);
        // The points the status stands for: those of the last check, unless the files changed
        // since (then no one knows until the next check).
        let passed = match (p, state.last(ex)) {
            (Progress::Changed, _) => "?".to_string(),
            (_, Some(l)) => l.points.to_string(),
            (_, None) => "0".to_string(),
        };
        let max = max_points(course, &state, ex).map_or_else(
            || {
                uncounted = true;
                "?".to_string()
            },
            |m| m.to_string(),
        );
        if p == Progress::Changed {
            changed.push(ex.id.as_str());
        }
        out.push_str(&format!(
            "{:>3}  {:<width$}  {:<16}  {:>7}  {}\n",
            i + 1,
            ex.id,
            p.label(),
            format!("{passed}/{max}"),
            ex.title
        ));
    }
    if let Some(first) = changed.first() {
        let (was, its) = match changed.len() {
            1 => ("was", "its"),
            _ => ("were", "their"),
        };
        out.push_str(&format!(
            "\nchanged: {} {was} edited after {its} last check, whose result no longer holds: \
             `cargo course check {first}` checks again.\n",
            changed.join(", ")
        ));
    }
    if uncounted {
        out.push_str(
            "\n…/?: the tests could not be counted from their sources; the first check of the \
             exercise's crate counts them.\n",
        );
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
    let spinner = ProgressBar::new_spinner().with_message(format!("building {}…", ex.krate));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let built = build_and_list(&course.root, &ex.krate, None, course.crate_dir(&ex.krate));
    spinner.finish_and_clear();
    let hash = files_hash(course, ex);
    let (result, max) = match built? {
        Listed::Failed(errors) => {
            println!("{errors}");
            print!("{}", diagnose::compile_error_summary(course, ex, &errors));
            let r = ExerciseResult::unrun(ex, &[], Status::CompileError, "");
            // No test list without a build: `list` keeps showing the last known maximum.
            (r, max_points(course, &state, ex))
        }
        Listed::Ready(bin, all) => {
            // One build lists the tests of every exercise of the crate: record what each is
            // worth, so that `list` shows exact maximums for those not checked yet.
            for e in course
                .manifest
                .exercises
                .iter()
                .filter(|e| e.krate == ex.krate)
            {
                let max = tests_of(e, &all).iter().map(|n| e.test_points(n)).sum();
                state.exercises.entry(e.id.clone()).or_default().max = Some(max);
            }
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
            // Only tests that really stopped at another exercise's todo!() earn the note.
            let unfinished = diagnose::unfinished_prerequisites(course, ex, &r);
            print!("{}", diagnose::unfinished_note(ex, &unfinished));
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
        compile_error: result.status == Status::CompileError,
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
        // The same "next" as `list`: the first exercise in course order that is not done.
        match state.next(course) {
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
