//! The student edition's root `Cargo.toml`: the course's, without `solutions/*` in the workspace,
//! and with the exercise crates as its default members.
//!
//! Cargo refuses a member glob that matches nothing, so once `solutions/` is left out, the
//! manifest must stop naming it. The exercise crates become the `default-members`, so that a
//! student's `cargo test` at the root runs their own exercises' tests (the course's default, the
//! grader and the solutions, would run the course tool's test suite instead). The edit is made line
//! by line (no TOML editor is among the course's dependencies, and re-serialising would lose the
//! comments), then checked by parsing both files: the result must equal the original with exactly
//! those changes, or nothing is written.

use anyhow::{Context, Result, bail};
use toml::{Table, Value};

/// Replaces the comment above `[workspace]` when that comment talks about the solutions.
const NOTE: &str = "\
# Student edition of the course, written by `cargo course edition`. The exercise crates
# (exercises/*) are the default members, so `cargo test` here runs their tests: they fail until
# their stubs are filled in. `cargo course check` checks one exercise at a time.";

/// The rewritten manifest, and what was changed in it.
#[derive(Debug, PartialEq)]
pub struct Rewrite {
    pub text: String,
    /// `"entry" from key` for each entry removed, e.g. `"solutions/*" from members`.
    pub dropped: Vec<String>,
    /// The new `default-members` (the exercise crates), when they differ from the course's.
    pub default_members: Option<Vec<String>>,
}

/// Whether a workspace member path points into `solutions/`.
fn is_solution(path: &str) -> bool {
    path == "solutions" || path.starts_with("solutions/")
}

/// Whether a workspace member path is (or holds) exercise crates.
fn is_exercise(path: &str) -> bool {
    path == "exercises" || path.starts_with("exercises/")
}

/// `text` (a root Cargo.toml) without the `solutions/…` entries of `[workspace]` `members` and
/// `default-members`, and with `default-members` set to the `exercises/…` entries of `members`
/// (added after `members` if the course has none). Without exercise members, an emptied
/// `default-members` is removed (cargo then defaults to every member). Fails, saying why, when the
/// entries are not in the one-line form this can edit.
pub fn student_manifest(text: &str) -> Result<Rewrite> {
    let original: Table = text
        .parse()
        .context("the course's Cargo.toml is not valid TOML; fix it first")?;
    let (expected, dropped, default_members) = expected_table(&original);
    if expected == original {
        return Ok(Rewrite {
            text: text.to_string(),
            dropped,
            default_members,
        });
    }
    let had_default_members = matches!(original.get("workspace"),
        Some(Value::Table(ws)) if ws.contains_key("default-members"));

    let mut lines: Vec<String> = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            section = trimmed.split('#').next().unwrap_or("").trim().to_string();
        }
        if section == "[workspace]"
            && let Some(array) = ArrayLine::parse(line)
        {
            match (array.key.as_str(), &default_members) {
                ("default-members", Some(new)) => lines.push(array.with(new)),
                ("members", Some(new)) if !had_default_members => {
                    lines.push(array.without_solutions().unwrap_or(line.to_string()));
                    lines.push(
                        ArrayLine {
                            key: "default-members".into(),
                            after: String::new(),
                            ..array
                        }
                        .with(new),
                    );
                }
                ("default-members", None)
                    if array.kept().is_empty() && array.kept().len() < array.items.len() => {}
                _ => lines.push(array.without_solutions().unwrap_or(line.to_string())),
            }
            continue;
        }
        lines.push(line.to_string());
    }
    adjust_comment(&mut lines);
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }

    let result: Table = out
        .parse()
        .context("rewriting Cargo.toml produced invalid TOML (a bug in `cargo course edition`)")?;
    if result != expected {
        bail!(
            "could not take solutions/ out of the course's Cargo.toml: its [workspace] `members` \
             and `default-members` must each be a one-line array of strings, like\n  \
             members = [\"grader\", \"exercises/*\", \"solutions/*\"]\n\
             Put them in that form and run `cargo course edition` again."
        );
    }
    let rest = toml::to_string(&result).unwrap_or_default();
    if rest.contains("solutions/") {
        bail!(
            "the course's Cargo.toml still refers to solutions/ outside [workspace] members and \
             default-members, so the student edition would not build. Remove that reference \
             (or move it into the solutions' own manifests) and run `cargo course edition` again."
        );
    }
    Ok(Rewrite {
        text: out,
        dropped,
        default_members,
    })
}

/// The original table with the edition's changes, the entries removed, and the new
/// `default-members` if it changed.
fn expected_table(original: &Table) -> (Table, Vec<String>, Option<Vec<String>>) {
    let mut expected = original.clone();
    let mut dropped = Vec::new();
    let Some(Value::Table(ws)) = expected.get_mut("workspace") else {
        return (expected, dropped, None);
    };
    for key in ["members", "default-members"] {
        let Some(Value::Array(items)) = ws.get_mut(key) else {
            continue;
        };
        items.retain(|item| match item.as_str() {
            Some(path) if is_solution(path) => {
                dropped.push(format!("\"{path}\" from {key}"));
                false
            }
            _ => true,
        });
    }
    let exercises: Vec<String> = match ws.get("members") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|p| is_exercise(p))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    if exercises.is_empty() {
        if matches!(ws.get("default-members"), Some(Value::Array(a)) if a.is_empty()) {
            ws.remove("default-members");
        }
        return (expected, dropped, None);
    }
    let new = Value::Array(exercises.iter().cloned().map(Value::String).collect());
    let before = match original.get("workspace") {
        Some(Value::Table(w)) => w.get("default-members"),
        _ => None,
    };
    let changed = before != Some(&new);
    ws.insert("default-members".into(), new);
    (expected, dropped, changed.then_some(exercises))
}

/// A one-line `members = […]` or `default-members = […]` of strings.
struct ArrayLine {
    indent: String,
    key: String,
    /// The entries as written (quoted).
    items: Vec<String>,
    /// What follows the `]` (a comment).
    after: String,
}

impl ArrayLine {
    fn parse(line: &str) -> Option<ArrayLine> {
        let indent = &line[..line.len() - line.trim_start().len()];
        let (key, value) = line.trim_start().split_once('=')?;
        let key = key.trim();
        if key != "members" && key != "default-members" {
            return None;
        }
        let value = value.trim_start().strip_prefix('[')?;
        let (inner, after) = value.split_once(']')?;
        Some(ArrayLine {
            indent: indent.to_string(),
            key: key.to_string(),
            items: inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            after: after.to_string(),
        })
    }

    /// The entries that do not point into `solutions/`.
    fn kept(&self) -> Vec<&str> {
        let unquote = |s: &str| {
            s.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .map(str::to_string)
        };
        self.items
            .iter()
            .map(String::as_str)
            .filter(|s| !unquote(s).is_some_and(|p| is_solution(&p)))
            .collect()
    }

    /// The line without its solutions entries; None if it has none (the final comparison catches
    /// forms this does not understand).
    fn without_solutions(&self) -> Option<String> {
        let kept = self.kept();
        (kept.len() < self.items.len()).then(|| {
            format!(
                "{}{} = [{}]{}",
                self.indent,
                self.key,
                kept.join(", "),
                self.after
            )
        })
    }

    /// The line with these entries instead.
    fn with(&self, entries: &[String]) -> String {
        let quoted: Vec<String> = entries.iter().map(|e| format!("\"{e}\"")).collect();
        format!(
            "{}{} = [{}]{}",
            self.indent,
            self.key,
            quoted.join(", "),
            self.after
        )
    }
}

/// Say that this is the student edition just above `[workspace]`, replacing the comment there
/// if it talks about the solutions (it would describe a workspace the students do not have).
fn adjust_comment(lines: &mut Vec<String>) {
    let Some(ws) = lines.iter().position(|l| l.trim() == "[workspace]") else {
        return;
    };
    let start = lines[..ws]
        .iter()
        .rposition(|l| !l.trim_start().starts_with('#'))
        .map_or(0, |i| i + 1);
    if lines[start..ws].join("\n").contains(NOTE) {
        return;
    }
    let block_mentions_solutions = lines[start..ws].iter().any(|l| l.contains("solutions"));
    let note = NOTE.lines().map(str::to_string);
    if block_mentions_solutions {
        lines.splice(start..ws, note);
    } else {
        lines.splice(ws..ws, note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = "\
# The course workspace.
#
# `default-members` is the solutions plus the grader, so a bare `cargo test` is green.
[workspace]
resolver = \"3\"
members = [\"grader\", \"exercises/*\", \"solutions/*\"]  # every crate
default-members = [\"grader\", \"solutions/*\"]

[workspace.package]
edition = \"2024\"
";

    #[test]
    fn drops_the_solutions_and_makes_the_exercises_the_default_members() {
        let r = student_manifest(COURSE).unwrap();
        assert_eq!(
            r.dropped,
            [
                "\"solutions/*\" from members",
                "\"solutions/*\" from default-members"
            ]
        );
        assert_eq!(r.default_members, Some(vec!["exercises/*".to_string()]));
        assert!(!r.text.contains("solutions"), "{}", r.text);
        assert!(
            r.text
                .contains("members = [\"grader\", \"exercises/*\"]  # every crate\n")
        );
        assert!(r.text.contains("\ndefault-members = [\"exercises/*\"]\n"));
        assert!(r.text.starts_with("# Student edition of the course"));
        assert!(r.text.ends_with("edition = \"2024\"\n"));
    }

    #[test]
    fn default_members_are_added_after_members_when_the_course_has_none() {
        let text =
            "# A miniature course.\n[workspace]\nmembers = [\"exercises/*\", \"solutions/*\"]\n";
        let r = student_manifest(text).unwrap();
        assert_eq!(
            r.text,
            format!(
                "# A miniature course.\n{NOTE}\n[workspace]\nmembers = [\"exercises/*\"]\n\
                 default-members = [\"exercises/*\"]\n"
            )
        );
    }

    #[test]
    fn without_exercise_members_an_emptied_default_members_is_removed() {
        let text = "[workspace]\nmembers = [\"tool\", \"solutions/*\"]\ndefault-members = [\"solutions/*\"]\n";
        let r = student_manifest(text).unwrap();
        assert_eq!(
            r.text,
            format!("{NOTE}\n[workspace]\nmembers = [\"tool\"]\n")
        );
        assert_eq!(r.default_members, None);
    }

    #[test]
    fn a_manifest_already_in_student_form_is_left_alone() {
        let text = "[workspace]\nmembers = [\"grader\", \"exercises/*\"]\ndefault-members = [\"exercises/*\"]\n";
        let r = student_manifest(text).unwrap();
        assert_eq!(r.text, text);
        assert!(r.dropped.is_empty());
        assert_eq!(r.default_members, None);
    }

    #[test]
    fn a_multi_line_members_array_is_refused_not_half_edited() {
        let text = "[workspace]\nmembers = [\n  \"exercises/*\",\n  \"solutions/*\",\n]\n";
        let err = student_manifest(text).unwrap_err().to_string();
        assert!(err.contains("one-line array"), "{err}");
    }

    #[test]
    fn another_reference_to_the_solutions_is_refused() {
        let text = "[workspace]\nmembers = [\"exercises/*\", \"solutions/*\"]\n\n[patch.crates-io]\nx = { path = \"solutions/x\" }\n";
        let err = student_manifest(text).unwrap_err().to_string();
        assert!(err.contains("outside [workspace] members"), "{err}");
    }
}
