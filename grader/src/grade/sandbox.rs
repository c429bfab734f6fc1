//! The sandbox: a fresh workspace made of the pristine exercise crates (their Cargo.toml, tests and
//! snapshots, never the student's) with ONLY the student's `src/**/*.rs` laid over them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::course::Course;

pub struct Sandbox {
    /// The sandbox workspace root (holds Cargo.toml, Cargo.lock and one folder per crate).
    pub dir: PathBuf,
    /// The shared, warm target dir (dependencies are built once for all students).
    pub target: PathBuf,
    crates: Vec<String>,
    course_root: PathBuf,
    manifest_text: String,
}

impl Sandbox {
    pub fn new(course: &Course, dir: PathBuf, target: PathBuf) -> Result<Sandbox> {
        let crates = course.manifest.crates();
        let manifest_text = workspace_manifest(&course.root, &crates)?;
        Ok(Sandbox {
            dir,
            target,
            crates,
            course_root: course.root.clone(),
            manifest_text,
        })
    }

    /// Wipe the sandbox and lay down the pristine course crates, then the overlay.
    pub fn reset(&self, overlay: &BTreeMap<String, BTreeMap<String, Vec<u8>>>) -> Result<()> {
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir)
                .with_context(|| format!("cannot clear the sandbox {}", self.dir.display()))?;
        }
        std::fs::create_dir_all(&self.dir)?;
        std::fs::write(self.dir.join("Cargo.toml"), &self.manifest_text)?;
        let lock = self.course_root.join("Cargo.lock");
        if lock.is_file() {
            std::fs::copy(&lock, self.dir.join("Cargo.lock"))?;
        }
        for krate in &self.crates {
            copy_crate(
                &self.course_root.join("exercises").join(krate),
                &self.dir.join(krate),
            )?;
        }
        for (krate, files) in overlay {
            for (rel, bytes) in files {
                self.write(krate, rel, bytes)?;
            }
        }
        Ok(())
    }

    /// Put back the pristine version of `rel` (relative to the crate), or delete it if the
    /// course has no such file (a student's extra module).
    pub fn restore(&self, krate: &str, rel: &str) -> Result<()> {
        let pristine = self.course_root.join("exercises").join(krate).join(rel);
        let dest = self.dir.join(krate).join(rel);
        if pristine.is_file() {
            std::fs::copy(&pristine, &dest)?;
        } else if dest.is_file() {
            std::fs::remove_file(&dest)?;
        }
        Ok(())
    }

    fn write(&self, krate: &str, rel: &str, bytes: &[u8]) -> Result<()> {
        let dest = self.dir.join(krate).join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&dest, bytes)?;
        Ok(())
    }

    pub fn crate_dir(&self, krate: &str) -> PathBuf {
        self.dir.join(krate)
    }
}

/// Copy an exercise crate, leaving out build output and stray snapshot/proptest files.
fn copy_crate(from: &Path, to: &Path) -> Result<()> {
    let wanted = |e: &walkdir::DirEntry| {
        let name = e.file_name().to_string_lossy();
        !(name == "target" || name == "proptest-regressions" || name.ends_with(".snap.new"))
    };
    for entry in WalkDir::new(from)
        .follow_links(false)
        .into_iter()
        .filter_entry(wanted)
    {
        let entry = entry?;
        let rel = entry.path().strip_prefix(from)?;
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// A workspace manifest for the sandbox: the course's shared settings (package defaults,
/// dependency versions, profiles, lints) with the exercise crates as members.
fn workspace_manifest(course_root: &Path, crates: &[String]) -> Result<String> {
    let text = std::fs::read_to_string(course_root.join("Cargo.toml"))
        .context("cannot read the course's Cargo.toml")?;
    let root: toml::Table = toml::from_str(&text).context("the course's Cargo.toml is invalid")?;
    let mut workspace = toml::Table::new();
    workspace.insert("resolver".into(), "3".into());
    workspace.insert(
        "members".into(),
        toml::Value::Array(crates.iter().map(|c| c.clone().into()).collect()),
    );
    if let Some(ws) = root.get("workspace").and_then(|w| w.as_table()) {
        for key in ["package", "dependencies", "lints"] {
            if let Some(v) = ws.get(key) {
                workspace.insert(key.into(), v.clone());
            }
        }
    }
    let mut out = toml::Table::new();
    out.insert("workspace".into(), toml::Value::Table(workspace));
    if let Some(profile) = root.get("profile") {
        out.insert("profile".into(), profile.clone());
    }
    Ok(format!(
        "# Generated by the grader: the pristine exercise crates plus one student's sources.\n{}",
        toml::to_string(&out)?
    ))
}
