//! A student's grade in Gradescope's `results.json` format
//! (https://gradescope-autograders.readthedocs.io/en/latest/specs/): one test entry per exercise,
//! not per test (the course has hundreds of tests; one box per exercise is what a student can
//! read), each with its score and the few lines that say what to fix.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::report::{safe_file_name, unfinished_prerequisites};
use super::{Gradebook, StudentResult, hidden};
use crate::course::Course;
use crate::results::{ExerciseResult, Status, TestStatus};

/// Failing tests listed per exercise; the rest are counted.
const MAX_FAILURES_SHOWN: usize = 8;
/// Lines (and characters) kept of one test's failure message.
const MAX_MESSAGE_LINES: usize = 12;
const MAX_MESSAGE_CHARS: usize = 2_000;

/// When Gradescope shows the results to the student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// At once.
    #[default]
    Visible,
    /// Never (the instructor still sees them).
    Hidden,
    /// Once the due date has passed.
    AfterDueDate,
    /// Once the instructor publishes the grades.
    AfterPublished,
}

/// The whole file. Field names are Gradescope's.
#[derive(Debug, Serialize)]
pub struct Results {
    pub score: u32,
    /// Shown above the tests: the total, and what the grader noticed about the upload.
    pub output: String,
    /// Plain text keeps compiler errors and panic messages laid out as printed.
    pub output_format: &'static str,
    pub test_output_format: &'static str,
    pub visibility: Visibility,
    /// The autograder's own log (builds, timings) is for the instructor only.
    pub stdout_visibility: &'static str,
    pub tests: Vec<Entry>,
    /// Gradescope's leaderboard: the allocator's throughput against glibc's, when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaderboard: Option<Vec<Board>>,
}

/// One column of Gradescope's leaderboard.
#[derive(Debug, Serialize)]
pub struct Board {
    pub name: &'static str,
    pub value: f64,
    /// Higher is better.
    pub order: &'static str,
}

/// One exercise, shown as one box.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub name: String,
    pub score: u32,
    pub max_score: u32,
    pub status: &'static str,
    pub output: String,
    pub visibility: Visibility,
}

fn results(score: u32, output: String, tests: Vec<Entry>, visibility: Visibility) -> Results {
    Results {
        score,
        output,
        output_format: "text",
        test_output_format: "text",
        visibility,
        stdout_visibility: "hidden",
        tests,
        leaderboard: None,
    }
}

/// `grade --gradescope`: `DIR/gradescope/<id>.json` per student, exactly what `gradescope` would
/// upload for them, so the mapping can be checked before an assignment goes live.
pub fn write_all(course: &Course, book: &Gradebook, out: &Path, shown: Visibility) -> Result<()> {
    let dir = out.join("gradescope");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for s in &book.students {
        let path = dir.join(format!("{}.json", safe_file_name(&s.id)));
        std::fs::write(
            &path,
            to_json(&of_student(course, s, shown, book.show_hidden))?,
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

pub fn to_json(r: &Results) -> Result<String> {
    Ok(serde_json::to_string_pretty(r)? + "\n")
}

/// A student's results, one entry per exercise in course order; an exercise with hidden tests
/// has a second entry for them, shown after the due date (or as the rest, with `show_hidden`).
pub fn of_student(
    course: &Course,
    s: &StudentResult,
    shown: Visibility,
    show_hidden: bool,
) -> Results {
    // The top-level output is shown whatever the tests' visibility, so the total only appears
    // when the results are visible at once.
    let mut output = match shown {
        Visibility::Visible => format!(
            "{}: {} / {} points.\n",
            course.manifest.course.title, s.total, s.max
        ),
        _ => format!("{}\n", course.manifest.course.title),
    };
    if !s.notes.is_empty() {
        output.push_str("\nAbout your submission:\n");
        for n in &s.notes {
            let _ = writeln!(output, "- {n}");
        }
    }
    if s.exercises.iter().all(|e| e.status == Status::Missing) {
        output.push_str(HOW_TO_SUBMIT);
    } else {
        output.push_str(
            "\nEach exercise below says which tests failed and why. `cargo course check <id>` \
             shows the same on your machine.\n",
        );
    }
    let mut tests = Vec::new();
    for e in &s.exercises {
        let (visible, hidden) = hidden::parts(e);
        tests.push(Entry {
            name: format!("{} — {}", e.id, e.title),
            score: visible.points,
            max_score: visible.max,
            status: status(visible.status),
            output: exercise_output(course, &visible, &s.exercises),
            visibility: shown,
        });
        if let Some(h) = hidden {
            let mut output = String::new();
            if matches!(h.status, Status::CompileError | Status::Missing) {
                output.push_str("Not run: see the exercise above.\n");
            } else {
                failures(&mut output, &h);
            }
            tests.push(Entry {
                name: format!("{} — hidden tests", e.id),
                score: h.points,
                max_score: h.max,
                status: status(h.status),
                output,
                visibility: match shown {
                    _ if show_hidden => shown,
                    Visibility::Visible => Visibility::AfterDueDate,
                    later => later,
                },
            });
        }
    }
    let mut r = results(s.total, output, tests, shown);
    r.leaderboard = s.leaderboard.map(|ratio| {
        vec![Board {
            name: "Allocator throughput (× glibc malloc)",
            value: (ratio * 1000.0).round() / 1000.0,
            order: "desc",
        }]
    });
    r
}

fn status(s: Status) -> &'static str {
    if s == Status::Passed {
        "passed"
    } else {
        "failed"
    }
}

/// What to upload, for a submission in which the grader found none of the exercises' files.
const HOW_TO_SUBMIT: &str = "\nNo exercise file was found in your upload, so nothing could be \
    graded. Upload your course's exercises/ folder (the one that holds course.toml and one \
    folder per crate), a .zip of it, or the whole course repository. Only the files under \
    exercises/<crate>/src/ are graded, so keep their names and places as they are in the course.\n";

/// The results of an upload that could not be graded at all because the autograder itself failed
/// (the course did not build, a disk was full): score 0, and words that send the student to the
/// instructor rather than to their code. Always visible: the student must know to ask.
pub fn failure(error: &anyhow::Error) -> Results {
    results(
        0,
        format!(
            "The autograder could not grade this submission. This is a problem with the \
             autograder, not with your work: please tell your instructor, who can see the \
             details in the autograder's log.\n\nThe error was: {error:#}\n"
        ),
        vec![],
        Visibility::Visible,
    )
}

fn exercise_output(course: &Course, e: &ExerciseResult, all: &[ExerciseResult]) -> String {
    let ex = course.manifest.find(&e.id);
    let mut out = String::new();
    match e.status {
        Status::Passed => {
            let _ = writeln!(out, "All {} tests passed.", e.tests.len());
            return out;
        }
        Status::Missing => {
            let looked_for = ex.map_or_else(String::new, |ex| {
                format!(
                    ": the grader looked for exercises/{}/{}",
                    ex.krate,
                    ex.files.join(", ")
                )
            });
            let _ = writeln!(out, "Not submitted{looked_for}.");
            return out;
        }
        Status::CompileError => {
            out.push_str(
                "Your code does not compile, so these tests could not run. The compiler said:\n\n",
            );
            out.push_str(e.compile_error.as_deref().unwrap_or("(no message)"));
            out.push('\n');
        }
        _ => failures(&mut out, e),
    }
    let Some(ex) = ex else { return out };
    if let Some(line) = unfinished_prerequisites(&course.manifest, ex, all) {
        out.push('\n');
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("\nHints:\n");
    for (i, h) in ex.hints.iter().enumerate() {
        let _ = writeln!(out, "{}. {h}", i + 1);
    }
    out
}

/// "2 of 3 tests passed." and then each failing test with the start of its message.
fn failures(out: &mut String, e: &ExerciseResult) {
    let passed = e.tests.iter().filter(|t| t.passed).count();
    let _ = writeln!(out, "{passed} of {} tests passed.", e.tests.len());
    let failing: Vec<_> = e.tests.iter().filter(|t| !t.passed).collect();
    // An unfinished stub fails every test with the same `todo!()`: say it once.
    let mut shown: Vec<String> = Vec::new();
    for t in failing.iter().take(MAX_FAILURES_SHOWN) {
        let verdict = match t.status {
            TestStatus::Timeout => "TIMED OUT",
            TestStatus::Crashed => "CRASHED",
            TestStatus::NotRun => "NOT RUN",
            TestStatus::Failed | TestStatus::Passed => "FAILED",
        };
        let _ = write!(out, "\n{verdict}: {} (0/{})", t.name, t.max);
        let message = short(&without_repeats(&t.message));
        // Compared without the test's name: libtest names the panicking thread after it.
        let same = message.replace(&t.name, "");
        if shown.contains(&same) {
            out.push_str(", the same message as above\n");
            continue;
        }
        out.push('\n');
        for line in message.lines() {
            let _ = writeln!(out, "    {line}");
        }
        shown.push(same);
    }
    if failing.len() > MAX_FAILURES_SHOWN {
        let _ = writeln!(
            out,
            "\n… and {} more failing tests.",
            failing.len() - MAX_FAILURES_SHOWN
        );
    }
}

/// A message with each paragraph kept once: a property test prints the same panic for every
/// case it shrinks.
fn without_repeats(message: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for paragraph in message.split("\n\n") {
        if !kept.contains(&paragraph) {
            kept.push(paragraph);
        }
    }
    kept.join("\n\n")
}

/// The first lines of a message, cut at a character boundary if one line is huge.
fn short(message: &str) -> String {
    let lines: Vec<&str> = message.lines().collect();
    let mut text = lines[..lines.len().min(MAX_MESSAGE_LINES)].join("\n");
    if let Some((cut, _)) = text.char_indices().nth(MAX_MESSAGE_CHARS) {
        text.truncate(cut);
        text.push_str(" …");
    } else if lines.len() > MAX_MESSAGE_LINES {
        text.push_str("\n…");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{short, without_repeats};

    #[test]
    fn a_panic_printed_again_and_again_is_kept_once() {
        let panic = "thread 't' panicked at src/a.rs:1:1:\nboom";
        let repeated = format!("{panic}\n\n{panic}\n\n{panic}\n\nminimal failing input: 3");
        assert_eq!(
            without_repeats(&repeated),
            format!("{panic}\n\nminimal failing input: 3")
        );
    }

    #[test]
    fn long_messages_are_cut_to_a_few_lines() {
        assert_eq!(short("one\ntwo"), "one\ntwo");
        let many: Vec<String> = (0..30).map(|i| format!("line {i}")).collect();
        let cut = short(&many.join("\n"));
        assert_eq!(cut.lines().count(), 13);
        assert!(cut.ends_with("line 11\n…"), "{cut}");
        let wide = "é".repeat(5_000);
        assert_eq!(short(&wide).chars().count(), 2_002);
    }
}
