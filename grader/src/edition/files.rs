//! Which files go into the student edition: the course's git-tracked files if it is a git
//! checkout (so build products, local state and stray files stay out), else the files on disk
//! minus the known build and state folders. Never anything under `solutions/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::manifest::MANIFEST_PATH;

/// The files to copy, relative to the course root.
pub struct Listing {
    pub files: Vec<PathBuf>,
    pub source: &'static str,
    /// How many files under solutions/ were left out.
    pub solution_files: usize,
    pub notes: Vec<String>,
}

/// Whether `rel` is left out of the edition: the solutions, and (for a course that is not a
/// git checkout) build products and the student's progress file and backups. The stubs kept for
/// `reset` are written afresh from the exercises, never copied (an edition made from an edition
/// would otherwise keep the stubs of exercises that are gone).
fn excluded(rel: &Path) -> bool {
    rel.starts_with(".git")
        || rel == Path::new(".course-state.json")
        || rel.starts_with(crate::student::BACKUP_DIR)
        || rel.starts_with(crate::student::STUBS_DIR)
        || rel.starts_with("book/build")
        || rel.components().any(|c| c.as_os_str() == "target")
}

fn is_solution(rel: &Path) -> bool {
    rel.starts_with("solutions")
}

pub fn list(root: &Path) -> Result<Listing> {
    let (all, source, mut notes) = match git_files(root) {
        Some((tracked, untracked)) => {
            let mut notes = Vec::new();
            let untracked: Vec<_> = untracked.into_iter().filter(|p| !is_solution(p)).collect();
            if let Some(first) = untracked.first() {
                notes.push(format!(
                    "{} untracked file(s) not copied (e.g. {}): `git add` them and run again \
                     with --force if the students need them",
                    untracked.len(),
                    first.display()
                ));
            }
            (tracked, "git ls-files", notes)
        }
        None => (walk(root)?, "a walk of the course folder", Vec::new()),
    };
    let solution_files = all.iter().filter(|p| is_solution(p)).count();
    let mut files = Vec::new();
    let mut missing = 0;
    for rel in all {
        if is_solution(&rel) || excluded(&rel) {
            continue;
        }
        // A tracked file deleted from the working tree: the edition follows the working tree.
        if root.join(&rel).symlink_metadata().is_err() {
            missing += 1;
            continue;
        }
        files.push(rel);
    }
    if missing > 0 {
        notes.push(format!(
            "{missing} tracked file(s) deleted from the working tree were not copied"
        ));
    }
    Ok(Listing {
        files,
        source,
        solution_files,
        notes,
    })
}

/// `(tracked, untracked)` paths if `root` is a git checkout that tracks the course, else None.
fn git_files(root: &Path) -> Option<(Vec<PathBuf>, Vec<PathBuf>)> {
    let ls = |extra: &[&str]| -> Option<Vec<PathBuf>> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["ls-files", "-z"])
            .args(extra)
            .output()
            .ok()?;
        out.status.success().then(|| {
            out.stdout
                .split(|b| *b == 0)
                .filter(|p| !p.is_empty())
                .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
                .collect()
        })
    };
    let tracked = ls(&["--cached"])?;
    // A course folder inside some other repository that does not track it: walk instead.
    if !tracked.iter().any(|p| p == Path::new(MANIFEST_PATH)) {
        return None;
    }
    let untracked = ls(&["--others", "--exclude-standard"]).unwrap_or_default();
    Some((tracked, untracked))
}

fn walk(root: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let entries = WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            !excluded(rel)
        });
    for entry in entries {
        let entry = entry.with_context(|| format!("reading {}", root.display()))?;
        if !entry.file_type().is_dir() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            files.push(rel.to_path_buf());
        }
    }
    Ok(files)
}

/// Copy `from` to `to` (making its folder) if it is a regular file; false (and nothing copied)
/// for a symlink or anything else. Permissions come along, so scripts stay executable.
pub fn copy_regular(from: &Path, to: &Path) -> Result<bool> {
    let meta = from
        .symlink_metadata()
        .with_context(|| format!("reading {}", from.display()))?;
    if !meta.file_type().is_file() {
        return Ok(false);
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(true)
}
