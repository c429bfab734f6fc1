//! The student edition's root `Cargo.toml`: the course's, without `solutions/*` in the workspace.
//!
//! Cargo refuses a member glob that matches nothing, so once `solutions/` is left out, the
//! manifest must stop naming it. The edit is made line by line (no TOML editor is among the
//! course's dependencies, and re-serialising would lose the comments), then checked by parsing
//! both files: the result must equal the original minus those entries, or nothing is written.

use anyhow::{Context, Result, bail};
use toml::{Table, Value};

/// Replaces the comment above `[workspace]` when that comment talks about the solutions.
const NOTE: &str = "\
# Student edition of the course, written by `cargo course edition`. The exercise crates
# (exercises/*) are workspace members; their tests fail until their stubs are filled in.
# Check an exercise with `cargo course check`.";

/// The rewritten manifest, and what was taken out of it.
#[derive(Debug, PartialEq)]
pub struct Rewrite {
    pub text: String,
    /// `"entry" from key` for each entry removed, e.g. `"solutions/*" from members`.
    pub dropped: Vec<String>,
}

/// Whether a workspace member path points into `solutions/`.
fn is_solution(path: &str) -> bool {
    path == "solutions" || path.starts_with("solutions/")
}

/// `text` (a root Cargo.toml) without the `solutions/…` entries of `[workspace]` `members` and
/// `default-members`. An emptied `default-members` is removed (cargo then defaults to every
/// member). Fails, saying why, when the entries are not in the one-line form this can edit.
pub fn student_manifest(text: &str) -> Result<Rewrite> {
    let original: Table = text
        .parse()
        .context("the course's Cargo.toml is not valid TOML; fix it first")?;
    let (expected, dropped) = expected_table(&original);
    if dropped.is_empty() {
        return Ok(Rewrite {
            text: text.to_string(),
            dropped,
        });
    }

    let mut lines: Vec<String> = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            section = trimmed.split('#').next().unwrap_or("").trim().to_string();
        }
        if section == "[workspace]" {
            match edit_array_line(line) {
                Some(None) => continue, // an emptied default-members
                Some(Some(edited)) => {
                    lines.push(edited);
                    continue;
                }
                None => {}
            }
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
    Ok(Rewrite { text: out, dropped })
}

/// The original table minus the solutions entries, and the list of entries removed.
fn expected_table(original: &Table) -> (Table, Vec<String>) {
    let mut expected = original.clone();
    let mut dropped = Vec::new();
    let Some(Value::Table(ws)) = expected.get_mut("workspace") else {
        return (expected, dropped);
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
        if key == "default-members" && items.is_empty() {
            ws.remove(key);
        }
    }
    (expected, dropped)
}

/// For a one-line `members = […]` or `default-members = […]`: `Some(Some(line))` without its
/// solutions entries, `Some(None)` if the line should go (an emptied default-members), `None`
/// if the line is something else or has nothing to drop (the final comparison catches forms
/// this does not understand).
fn edit_array_line(line: &str) -> Option<Option<String>> {
    let indent = &line[..line.len() - line.trim_start().len()];
    let (key, value) = line.trim_start().split_once('=')?;
    let key = key.trim();
    if key != "members" && key != "default-members" {
        return None;
    }
    let value = value.trim_start().strip_prefix('[')?;
    let (inner, after) = value.split_once(']')?;
    let items: Vec<&str> = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let unquote = |s: &str| {
        s.strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .map(str::to_string)
    };
    let kept: Vec<&str> = items
        .iter()
        .copied()
        .filter(|s| !unquote(s).is_some_and(|p| is_solution(&p)))
        .collect();
    if kept.len() == items.len() {
        return None;
    }
    if kept.is_empty() && key == "default-members" {
        return Some(None);
    }
    Some(Some(format!(
        "{indent}{key} = [{}]{after}",
        kept.join(", ")
    )))
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
    fn drops_the_solutions_and_rewrites_the_comment_that_mentions_them() {
        let r = student_manifest(COURSE).unwrap();
        assert_eq!(
            r.dropped,
            [
                "\"solutions/*\" from members",
                "\"solutions/*\" from default-members"
            ]
        );
        assert!(!r.text.contains("solutions"), "{}", r.text);
        assert!(
            r.text
                .contains("members = [\"grader\", \"exercises/*\"]  # every crate\n")
        );
        assert!(r.text.contains("default-members = [\"grader\"]\n"));
        assert!(r.text.starts_with("# Student edition of the course"));
        assert!(r.text.ends_with("edition = \"2024\"\n"));
    }

    #[test]
    fn an_emptied_default_members_is_removed_and_an_unrelated_comment_kept() {
        let text = "# A miniature course.\n[workspace]\nmembers = [\"exercises/*\", \"solutions/*\"]\ndefault-members = [\"solutions/*\"]\n";
        let r = student_manifest(text).unwrap();
        assert_eq!(
            r.text,
            format!("# A miniature course.\n{NOTE}\n[workspace]\nmembers = [\"exercises/*\"]\n")
        );
    }

    #[test]
    fn a_manifest_without_solutions_is_left_alone() {
        let text = "[workspace]\nmembers = [\"grader\", \"exercises/*\"]\n";
        let r = student_manifest(text).unwrap();
        assert_eq!(r.text, text);
        assert!(r.dropped.is_empty());
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
