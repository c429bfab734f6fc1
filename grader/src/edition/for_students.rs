//! What the student edition holds that the course does not: a README that speaks to a student
//! (the course's own README is the maintainers': `solutions/`, `verify`, how to add a chapter),
//! and a copy of every exercise's stub for `cargo course reset`.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::manifest::Manifest;
use crate::student::STUBS_DIR;

/// The students' README, filled in by [`readme`].
const TEMPLATE: &str = include_str!("README.student.md");

/// The students' README for a course with this manifest, whose edition's root `Cargo.toml` is
/// `cargo_toml` and whose root is `root` (the edition's).
pub fn readme(manifest: &Manifest, cargo_toml: &str, root: &Path) -> String {
    let rust = cargo_toml
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| {
            let v = t.get("workspace")?.get("package")?.get("rust-version")?;
            Some(format!("{} or newer", v.as_str()?))
        })
        .unwrap_or_else(|| "a recent stable release".to_string());
    // The capstone's `run` needs the runtime crate, which a course may not have.
    let run = if root.join("exercises/runtime/Cargo.toml").is_file() {
        "\nOnce you reach the capstone, `cargo course run prog.py` runs a Python program on your own \
         crates\n(`--compare` diffs its output with CPython 3.11's, which must be installed).\n"
    } else {
        ""
    };
    let first = manifest.exercises.first();
    let field = |f: fn(&crate::manifest::Exercise) -> &str| first.map_or("ID", f).to_string();
    let text = TEMPLATE
        .replace("{title}", &manifest.course.title)
        .replace("{rust}", &rust)
        .replace("{run}", run)
        .replace("{first}", &field(|e| &e.id))
        .replace("{crate}", &field(|e| &e.krate))
        .replace("{tests}", &field(|e| &e.tests));
    align_comments(&text)
}

/// In each fenced code block, the `# comments` after the commands start in one column again
/// (the ids filled in have the length of the course's, not of the placeholders).
fn align_comments(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with("```") {
            out.push(lines[i].to_string());
            i += 1;
            continue;
        }
        out.push(lines[i].to_string());
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .unwrap_or(lines.len());
        let split = |l: &str| -> (String, Option<String>) {
            match l.split_once("  # ") {
                Some((cmd, note)) => (cmd.trim_end().to_string(), Some(note.to_string())),
                None => (l.to_string(), None),
            }
        };
        let block: Vec<_> = lines[i + 1..end].iter().map(|l| split(l)).collect();
        let width = block
            .iter()
            .filter(|(_, n)| n.is_some())
            .map(|(c, _)| c.len())
            .max();
        for (cmd, note) in block {
            out.push(match (note, width) {
                (Some(n), Some(w)) => format!("{cmd:<w$}  # {n}"),
                _ => cmd,
            });
        }
        if end < lines.len() {
            out.push(lines[end].to_string());
        }
        i = end + 1;
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

const STUBS_README: &str = "\
# The stubs, as this edition of the course shipped them

`cargo course reset ID` copies an exercise's files from here back into `exercises/` (after a
backup of yours in `.course-backup/`). Leave this folder as it is: it is how `reset` finds the
stub even after you have committed your own code.
";

/// Copy every exercise's files (as the edition in `out` holds them) into `out/.course-stubs/`,
/// under their course paths. Returns how many.
pub fn write_stubs(manifest: &Manifest, out: &Path) -> Result<usize> {
    let dir = out.join(STUBS_DIR);
    let mut n = 0;
    for ex in &manifest.exercises {
        for f in &ex.files {
            let rel = format!("exercises/{}/{f}", ex.krate);
            let to = dir.join(&rel);
            std::fs::create_dir_all(to.parent().expect("a file path has a parent"))?;
            std::fs::copy(out.join(&rel), &to)
                .with_context(|| format!("copying {rel} into {STUBS_DIR}/"))?;
            n += 1;
        }
    }
    std::fs::write(dir.join("README.md"), STUBS_README)?;
    Ok(n)
}

/// Every exercise file of the edition in `out` has its copy in `.course-stubs/`, equal to it.
pub fn check_stubs(manifest: &Manifest, out: &Path) -> Result<()> {
    for ex in &manifest.exercises {
        for f in &ex.files {
            let rel = format!("exercises/{}/{f}", ex.krate);
            let copy = std::fs::read(out.join(STUBS_DIR).join(&rel)).ok();
            if copy != std::fs::read(out.join(&rel)).ok() {
                bail!(
                    "{}/{STUBS_DIR}/{rel} is not the stub of {rel} (a bug): `cargo course reset {}` \
                     would put back something else. Run `cargo course edition --force` again.",
                    out.display(),
                    ex.id
                );
            }
        }
    }
    Ok(())
}
