//! `cargo course edition --out DIR`: the student edition of the course, i.e. everything but
//! `solutions/`, with a workspace and a lock file that no longer mention the solutions.
//!
//! The course plans for students who never see `solutions/` (COURSE.md §6): every student and
//! instructor command works without it. This writes that copy and checks it: cargo resolves its
//! workspace offline, and its manifest matches its files (the same check `list` makes). The
//! edition reads as one: its README is written for students (see `for_students`), its
//! `cargo test` runs the exercises' tests, and it keeps the stubs for `cargo course reset`.

mod files;
mod for_students;
mod workspace;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result, bail};

use crate::cargo::cargo;
use crate::course::Course;

pub use workspace::{Rewrite, student_manifest};

/// What `edition` wrote, for its summary.
#[derive(Debug)]
pub struct Report {
    pub out: PathBuf,
    pub files: usize,
    /// How the files were chosen: `git ls-files` or a walk of the folder.
    pub source: &'static str,
    pub solution_files: usize,
    pub manifest_dropped: Vec<String>,
    /// The edition's `default-members`, when they are not the course's.
    pub default_members: Option<Vec<String>>,
    /// How many exercise files `.course-stubs/` holds.
    pub stubs: usize,
    /// Packages the regenerated Cargo.lock no longer lists (None: the course has no lock).
    pub lock_dropped: Option<Vec<String>>,
    pub notes: Vec<String>,
}

/// Write the student edition of `course` into `out`. `force` allows a non-empty `out`, whose
/// contents are then replaced (all but its `.git/`, so `out` may be a clone of the students'
/// repository: its history stays, and `git status` there shows what changed).
pub fn write(course: &Course, out: &Path, force: bool) -> Result<Report> {
    let root = course.root.canonicalize().unwrap_or(course.root.clone());
    let out = resolve(out)?;
    if out.starts_with(&root) {
        bail!(
            "{} is inside the course ({}): the edition would be copied into itself and \
             published with the course. Choose a folder outside it, e.g. --out ../course-student.",
            out.display(),
            root.display()
        );
    }
    if root.starts_with(&out) {
        bail!(
            "{} holds the course itself; choose an empty folder outside the course.",
            out.display()
        );
    }
    // Everything that can fail on the course's side fails before DIR is touched.
    let manifest_path = root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let rewrite = student_manifest(&manifest)?;
    let listing = files::list(&root)?;
    prepare(&out, force)?;

    let mut notes = listing.notes;
    let mut written = 0;
    for rel in &listing.files {
        match files::copy_regular(&root.join(rel), &out.join(rel))? {
            true => written += 1,
            false => notes.push(format!("{} is not a regular file: skipped", rel.display())),
        }
    }
    std::fs::write(out.join("Cargo.toml"), &rewrite.text)
        .with_context(|| format!("writing {}", out.join("Cargo.toml").display()))?;
    // In place of the maintainers' README (which is about solutions/ and `verify`).
    let readme = for_students::readme(&course.manifest, &rewrite.text, &out);
    std::fs::write(out.join("README.md"), readme)
        .with_context(|| format!("writing {}", out.join("README.md").display()))?;
    let stubs = for_students::write_stubs(&course.manifest, &out)?;

    let lock_dropped = regenerate_lock(&out)?;
    check(&out)?;
    Ok(Report {
        out,
        files: written,
        source: listing.source,
        solution_files: listing.solution_files,
        manifest_dropped: rewrite.dropped,
        default_members: rewrite.default_members,
        stubs,
        lock_dropped,
        notes,
    })
}

/// `out` as an absolute path with its existing part canonical (so `starts_with` compares real
/// folders even through symlinks such as /tmp on macOS), though it may not exist yet.
fn resolve(out: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(out).with_context(|| format!("resolving {}", out.display()))?;
    let existing = abs
        .ancestors()
        .find(|a| a.exists())
        .context("no part of the --out path exists")?;
    let rest = abs.strip_prefix(existing).unwrap_or(Path::new(""));
    if rest
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        bail!("--out {}: give a path without `..`", out.display());
    }
    let existing = existing.canonicalize()?;
    // join("") would add a trailing slash to every path printed.
    Ok(if rest.as_os_str().is_empty() {
        existing
    } else {
        existing.join(rest)
    })
}

/// Make `out` an empty folder (but for `.git/`), refusing to empty it without `force`.
fn prepare(out: &Path, force: bool) -> Result<()> {
    if out.exists() && !out.is_dir() {
        bail!(
            "{} exists and is not a folder; choose another --out.",
            out.display()
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let entries: Vec<_> = std::fs::read_dir(out)?.collect::<Result<_, _>>()?;
    let replaced: Vec<_> = entries.iter().filter(|e| e.file_name() != ".git").collect();
    // A folder holding only .git/ (a fresh clone of the students' repository) counts as empty.
    if replaced.is_empty() {
        return Ok(());
    }
    if !force {
        bail!(
            "{} is not empty. Pass --force to replace its contents with the new edition (its \
             .git/ is kept), or choose an empty folder.",
            out.display()
        );
    }
    for entry in replaced {
        let path = entry.path();
        // file_type() does not follow symlinks: a link is removed, never what it points to.
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        }
        .with_context(|| format!("removing {} (--force)", path.display()))?;
    }
    Ok(())
}

/// Let cargo rewrite `out/Cargo.lock` for the edition's workspace, offline: it drops the
/// packages only the solutions used and keeps every other version as locked. Returns the names
/// dropped. If cargo cannot resolve offline, the course's lock is put back and this fails.
fn regenerate_lock(out: &Path) -> Result<Option<Vec<String>>> {
    let lock = out.join("Cargo.lock");
    let before = std::fs::read_to_string(&lock).ok();
    let run = cargo()
        .args([
            "metadata",
            "--offline",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(out.join("Cargo.toml"))
        .current_dir(out)
        .stdout(Stdio::null())
        .output()
        .context("running cargo metadata (is cargo on PATH?)")?;
    if !run.status.success() {
        if let Some(text) = &before {
            std::fs::write(&lock, text)?;
        }
        bail!(
            "cargo could not resolve the edition's workspace offline, so its Cargo.lock is still \
             the course's (with the solutions' packages):\n{}\n\
             Run `cargo fetch` in the course, then `cargo course edition` again with --force; or \
             run `cargo metadata` in {} with network access.",
            String::from_utf8_lossy(&run.stderr).trim(),
            out.display()
        );
    }
    let Some(before) = before else {
        return Ok(None);
    };
    let after = std::fs::read_to_string(&lock).unwrap_or_default();
    let names = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("name = \""))
            .filter_map(|l| l.strip_suffix('"'))
            .map(str::to_string)
            .collect()
    };
    let kept = names(&after);
    let mut dropped: Vec<String> = names(&before)
        .into_iter()
        .filter(|n| !kept.contains(n))
        .collect();
    dropped.dedup();
    Ok(Some(dropped))
}

/// The edition must stand on its own: no solutions/, and a manifest that matches its files.
fn check(out: &Path) -> Result<()> {
    if out.join("solutions").exists() {
        bail!(
            "{} still has a solutions/ folder (a bug); delete it.",
            out.display()
        );
    }
    let edition = Course::open(Some(out))
        .with_context(|| format!("the edition in {} has no usable manifest", out.display()))?;
    edition
        .manifest
        .ensure_valid(&edition.root)
        .with_context(|| format!("the edition in {} is not a usable course", out.display()))?;
    for_students::check_stubs(&edition.manifest, out)
}

impl Report {
    /// The summary printed by `edition`: what was written, what was left out, what to do next.
    pub fn render(&self) -> String {
        let out = self.out.display();
        let mut s = format!(
            "Wrote the student edition to {out}: {} files (chosen by {}).\n\nLeft out:\n",
            self.files, self.source
        );
        s += &format!("  solutions/ ({} files)\n", self.solution_files);
        if !self.manifest_dropped.is_empty() {
            s += &format!(
                "  Cargo.toml: {} (in [workspace])\n",
                self.manifest_dropped.join(", ")
            );
        }
        match &self.lock_dropped {
            Some(names) if names.is_empty() => {
                s += "  Cargo.lock: nothing (no package was only the solutions')\n"
            }
            Some(names) => {
                s += &format!(
                    "  Cargo.lock: {} package(s) only the solutions used ({})\n",
                    names.len(),
                    names.join(", ")
                );
            }
            None => {}
        }
        s += "\nFor the students:\n";
        s += "  README.md: written for students (how to start, check, hint, watch, reset), in place \
              of the course's\n";
        if let Some(members) = &self.default_members {
            let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
            s += &format!(
                "  Cargo.toml: default-members = [{}], so `cargo test` runs the exercises' tests\n",
                quoted.join(", ")
            );
        }
        s += &format!(
            "  {}/: the {} exercise files as shipped, for `cargo course reset`\n",
            crate::student::STUBS_DIR,
            self.stubs
        );
        if !self.notes.is_empty() {
            s += "\nNotes:\n";
            for n in &self.notes {
                s += &format!("  {n}\n");
            }
        }
        s += "\nChecked: cargo resolves the edition's workspace offline, its \
              exercises/course.toml matches its files, and its stubs are kept.\n\nNext steps:\n";
        s += &format!("  cd {out} && cargo course list\n");
        s += &format!("  publish {out} as the students' repository (git init, commit, push)\n");
        s
    }
}
