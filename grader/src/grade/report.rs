//! The instructor's reports: `grades.csv` (one row per student, for the LMS), `grades.json`
//! (everything), `feedback/<id>.md` (for the student) and the summary table on stdout.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use super::{Gradebook, StudentResult, hidden, leaderboard};
use crate::course::Course;
use crate::manifest::{Exercise, Manifest};
use crate::results::{ExerciseResult, Status, TestStatus};

pub fn write_all(course: &Course, book: &Gradebook, out: &Path) -> Result<()> {
    let write = |name: &str, text: String| {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    write("grades.csv", csv(course, book))?;
    write("grades.json", serde_json::to_string_pretty(book)? + "\n")?;
    std::fs::create_dir_all(out.join("feedback"))?;
    for s in &book.students {
        write(
            &format!("feedback/{}.md", safe_file_name(&s.id)),
            feedback(course, s, book.show_hidden),
        )?;
    }
    Ok(())
}

/// A student id as a file name: path separators and control characters replaced.
pub fn safe_file_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(course: &Course, book: &Gradebook) -> String {
    let mut out = String::from("id");
    for ex in &course.manifest.exercises {
        out.push(',');
        out.push_str(&csv_field(&ex.id));
    }
    out.push_str(",total,max");
    // Only when the class was graded with hidden tests, so the columns stay the same otherwise.
    let hidden = book.hidden.is_some();
    out.push_str(if hidden {
        ",hidden_passed,hidden_tests"
    } else {
        ""
    });
    // Only in a course with the leaderboard's program (a ratio, empty for an unmeasured student).
    let board = leaderboard::in_course(course);
    out.push_str(if board { ",leaderboard\n" } else { "\n" });
    for s in &book.students {
        out.push_str(&csv_field(&s.id));
        for e in &s.exercises {
            let _ = write!(out, ",{}", e.points);
        }
        let _ = write!(out, ",{},{}", s.total, s.max);
        if hidden {
            let (passed, all) = hidden::counts(&s.exercises);
            let _ = write!(out, ",{passed},{all}");
        }
        if board {
            out.push(',');
            if let Some(ratio) = s.leaderboard {
                let _ = write!(out, "{ratio:.3}");
            }
        }
        out.push('\n');
    }
    out
}

/// The summary printed after grading: one row per student, one column per exercise
/// (`points/max`, or the status when the tests could not run).
pub fn summary_table(book: &Gradebook) -> String {
    let Some(first) = book.students.first() else {
        return String::new();
    };
    let mut header = vec!["student".to_string()];
    header.extend(first.exercises.iter().map(|e| e.id.clone()));
    header.push("total".into());
    let mut rows = vec![header];
    for s in &book.students {
        let mut row = vec![s.id.clone()];
        for e in &s.exercises {
            row.push(match e.status {
                Status::CompileError => "compile error".into(),
                Status::Missing => "missing".into(),
                Status::Timeout => format!("{}/{} timeout", e.points, e.max),
                Status::Crashed => format!("{}/{} crashed", e.points, e.max),
                _ => format!("{}/{}", e.points, e.max),
            });
        }
        row.push(format!("{}/{}", s.total, s.max));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, w))| {
                if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

fn feedback(course: &Course, s: &StudentResult, show_hidden: bool) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Feedback for {}\n", s.id);
    let _ = writeln!(
        md,
        "{} — **{} / {} points**\n",
        course.manifest.course.title, s.total, s.max
    );
    if !s.notes.is_empty() {
        md.push_str("## About your submission\n\n");
        for n in &s.notes {
            let _ = writeln!(md, "- {n}");
        }
        md.push('\n');
    }
    if let Some(ratio) = s.leaderboard {
        let _ = writeln!(
            md,
            "Allocator leaderboard: your allocator replays the course's traces at {ratio:.2}× \
             the throughput of glibc's malloc (above 1: faster).\n"
        );
    }
    md.push_str("| exercise | status | points |\n|---|---|---|\n");
    for e in &s.exercises {
        let _ = writeln!(
            md,
            "| {} | {} | {}/{} |",
            e.id,
            e.status.as_str(),
            e.points,
            e.max
        );
    }
    for e in &s.exercises {
        let Some(ex) = course.manifest.find(&e.id) else {
            continue;
        };
        let _ = writeln!(md, "\n## {} — {}\n", e.id, e.title);
        let _ = writeln!(
            md,
            "Status: **{}**, {}/{} points. Chapter: `book/src/{}`.\n",
            e.status.as_str(),
            e.points,
            e.max,
            ex.chapter
        );
        if !matches!(e.status, Status::Passed | Status::Missing)
            && let Some(line) = unfinished_prerequisites(&course.manifest, ex, &s.exercises)
        {
            md.push_str(&line);
        }
        match e.status {
            Status::Passed => {
                md.push_str("Every test passed.\n");
                continue;
            }
            Status::Missing => {
                let _ = writeln!(
                    md,
                    "Not submitted: the grader looked for `exercises/{}/{}`.",
                    ex.krate,
                    ex.files.join("`, `")
                );
                continue;
            }
            Status::CompileError => {
                md.push_str("The code does not compile, so its tests could not run. The compiler said:\n\n```text\n");
                md.push_str(e.compile_error.as_deref().unwrap_or(""));
                md.push_str("\n```\n");
            }
            _ => {
                let (visible, hidden) = match show_hidden {
                    true => (e.clone(), None),
                    false => hidden::parts(e),
                };
                for t in &visible.tests {
                    let mark = match t.status {
                        TestStatus::Passed => "passed",
                        TestStatus::Failed => "FAILED",
                        TestStatus::Timeout => "TIMED OUT",
                        TestStatus::Crashed => "CRASHED",
                        TestStatus::NotRun => "not run",
                    };
                    let _ = writeln!(md, "- `{}` — {mark} ({}/{})", t.name, t.points, t.max);
                    if !t.passed && !t.message.is_empty() {
                        md.push_str("\n  ```text\n");
                        for line in t.message.lines().take(15) {
                            let _ = writeln!(md, "  {line}");
                        }
                        md.push_str("  ```\n");
                    }
                }
                if let Some(h) = hidden {
                    let _ = writeln!(md, "- {}", hidden::summary(&h));
                }
            }
        }
        md.push_str("\nHints:\n\n");
        for (i, h) in ex.hints.iter().enumerate() {
            let _ = writeln!(md, "{}. {h}", i + 1);
        }
    }
    md
}

/// "This exercise builds on pool (compile_error) …": a failure here may be a failure there,
/// since an exercise's tests call the code of the exercises it builds on.
pub(super) fn unfinished_prerequisites(
    manifest: &Manifest,
    ex: &Exercise,
    results: &[ExerciseResult],
) -> Option<String> {
    let unfinished: Vec<String> = manifest
        .prerequisites(ex)
        .into_iter()
        .filter_map(|dep| {
            let r = results.iter().find(|r| r.id == dep.id)?;
            (r.status != Status::Passed).then(|| format!("`{}` ({})", dep.id, r.status.as_str()))
        })
        .collect();
    (!unfinished.is_empty()).then(|| {
        format!(
            "This exercise builds on {}, which did not pass: its tests also run that code, so \
             fix it first.\n\n",
            unfinished.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_quoting() {
        assert_eq!(csv_field("alice"), "alice");
        assert_eq!(csv_field("smith, j"), "\"smith, j\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn file_names_never_escape_the_feedback_folder() {
        assert_eq!(safe_file_name("../evil"), ".._evil");
    }

    #[test]
    fn feedback_names_the_unfinished_exercises_a_failure_builds_on() {
        let m = Manifest::parse(crate::manifest::tests::CHAIN).unwrap();
        let result = |id: &str, status| ExerciseResult {
            id: id.into(),
            title: id.into(),
            points: 0,
            max: 1,
            status,
            tests: vec![],
            compile_error: None,
        };
        let b = &m.exercises[1];
        let line = unfinished_prerequisites(
            &m,
            b,
            &[
                result("a", Status::CompileError),
                result("b", Status::Failed),
            ],
        )
        .unwrap();
        assert!(line.contains("`a` (compile_error)"), "{line}");
        let passed = [result("a", Status::Passed), result("b", Status::Failed)];
        assert_eq!(unfinished_prerequisites(&m, b, &passed), None);
        assert_eq!(unfinished_prerequisites(&m, &m.exercises[0], &passed), None);
    }
}
