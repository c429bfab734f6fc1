//! The sandbox: a fresh workspace made of the pristine exercise crates (their Cargo.toml, tests and
//! snapshots, never the student's) with ONLY the student's `src/**/*.rs` laid over them, built and
//! tested inside the jail (see `jail.rs`) unless grading runs with `--no-sandbox`.
//!
//! The pristine files are read once, when grading starts, and every student's workspace is laid
//! down from that copy in memory; after each student the course on disk is compared with it, so
//! a change (student code under `--no-sandbox`, or an edit during the run) stops the run instead
//! of grading anyone on changed tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use walkdir::WalkDir;

use super::hidden::Hidden;
use super::jail::{Jail, JailedTests};
use crate::cargo::{Build, Wrap, build_tests_within};
use crate::course::Course;

/// Course files by path relative to the course root (`exercises/arith/tests/…`).
pub type CourseFiles = BTreeMap<String, Vec<u8>>;

pub struct Sandbox {
    /// The sandbox workspace root (holds Cargo.toml, Cargo.lock and one folder per crate).
    pub dir: PathBuf,
    /// The shared, warm target dir (dependencies are built once for all students).
    pub target: PathBuf,
    crates: Vec<String>,
    course_root: PathBuf,
    /// The course as it was when grading started: what every student is graded from.
    pristine: CourseFiles,
    manifest_text: String,
    /// Where builds and tests run; `None` under `--no-sandbox`.
    jail: Option<Jail>,
    /// The instructor's hidden tests, laid over the pristine crates (see `hidden.rs`).
    hidden: Hidden,
    /// This sandbox's first test slot: sandboxes graded at once use disjoint slots, so no two
    /// tests ever share a uid (and its process limit).
    first_slot: usize,
}

impl Sandbox {
    pub fn new(
        course: &Course,
        dir: PathBuf,
        target: PathBuf,
        jail: Option<Jail>,
        hidden: Option<&Hidden>,
    ) -> Result<Sandbox> {
        let crates = course.manifest.crates();
        let pristine = course_files(&course.root, &crates)?;
        let manifest_text = workspace_manifest(&pristine, &crates)?;
        Ok(Sandbox {
            dir,
            target,
            crates,
            course_root: course.root.clone(),
            pristine,
            manifest_text,
            jail,
            hidden: hidden.cloned().unwrap_or_default(),
            first_slot: 0,
        })
    }

    /// Another sandbox for grading a second student at once: the same pristine course (the
    /// snapshot taken when grading started, not a new read), its own workspace `dir` and target
    /// dir, and test slots from `first_slot` on. The target dir starts as a copy of this one's,
    /// so its dependencies are warm instead of built again.
    pub fn sibling(&self, dir: PathBuf, target: PathBuf, first_slot: usize) -> Result<Sandbox> {
        if !target.exists() && self.target.exists() {
            let copied = Command::new("cp")
                .arg("-a")
                .arg(&self.target)
                .arg(&target)
                .status()
                .context("could not run `cp` to copy the warm target dir")?;
            if !copied.success() {
                bail!(
                    "could not copy {} to {} (disk full?)",
                    self.target.display(),
                    target.display()
                );
            }
        }
        Ok(Sandbox {
            dir,
            target,
            crates: self.crates.clone(),
            course_root: self.course_root.clone(),
            pristine: self.pristine.clone(),
            manifest_text: self.manifest_text.clone(),
            jail: self.jail.clone(),
            hidden: self.hidden.clone(),
            first_slot,
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
        if let Some(lock) = self.pristine.get("Cargo.lock") {
            std::fs::write(self.dir.join("Cargo.lock"), lock)?;
        }
        for (rel, bytes) in &self.pristine {
            if let Some(inside) = rel.strip_prefix("exercises/")
                && let Some((krate, rel)) = inside.split_once('/')
                && self.crates.iter().any(|c| c == krate)
            {
                self.write(krate, rel, bytes)?;
            }
        }
        self.lay_hidden(false)?;
        for (krate, files) in overlay {
            for (rel, bytes) in files {
                self.write(krate, rel, bytes)?;
            }
        }
        self.forget_builds()
    }

    /// Put back the pristine version of `rel` (relative to the crate), or delete it if the
    /// course has no such file (a student's extra module).
    pub fn restore(&self, krate: &str, rel: &str) -> Result<()> {
        let dest = self.dir.join(krate).join(rel);
        match self.pristine.get(&format!("exercises/{krate}/{rel}")) {
            Some(bytes) => std::fs::write(&dest, bytes)?,
            None if dest.is_file() => std::fs::remove_file(&dest)?,
            None => {}
        }
        Ok(())
    }

    /// Write the hidden tests' files (`sources_only`: just the hidden modules, which each build
    /// needs and [`Sandbox::build`] removes again).
    fn lay_hidden(&self, sources_only: bool) -> Result<()> {
        for (rel, bytes) in &self.hidden.files {
            if sources_only && !self.hidden.sources.contains(rel) {
                continue;
            }
            if let Some((krate, rel)) = rel
                .strip_prefix("exercises/")
                .and_then(|r| r.split_once('/'))
            {
                self.write(krate, rel, bytes)?;
            }
        }
        Ok(())
    }

    /// Build `krate`'s test binary, in the jail if there is one. The hidden tests' sources are
    /// there only while it compiles: the student's tests run without them.
    pub fn build(&self, krate: &str, timeout: Option<Duration>) -> Result<Build> {
        self.lay_hidden(true)?;
        let built = self.build_now(krate, timeout);
        for rel in &self.hidden.sources {
            if let Some(inside) = rel.strip_prefix("exercises/") {
                let path = self.dir.join(inside);
                if path.exists() {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("cannot delete {}", path.display()))?;
                }
            }
        }
        built
    }

    fn build_now(&self, krate: &str, timeout: Option<Duration>) -> Result<Build> {
        let jailed = (self.jail.as_ref())
            .map(|jail| move |cmd: Command| jail.build(cmd, &self.dir, &self.target));
        let wrap = jailed.as_ref().map(|w| w as Wrap);
        let built = build_tests_within(&self.dir, krate, Some(&self.target), timeout, wrap);
        if self.jail.is_some() {
            // Not a compile error (those are an Ok): cargo itself failed, perhaps for the sandbox.
            return built.with_context(|| {
                format!(
                    "`{krate}` could not be built in the sandbox; if `cargo test -p {krate} \
                     --no-run` builds it in the course, grade with --no-sandbox (and report this)"
                )
            });
        }
        built
    }

    /// The jail builds run in (`Jail::build`); `None` under `--no-sandbox`.
    pub(super) fn jail(&self) -> Option<&Jail> {
        self.jail.as_ref()
    }

    /// How this workspace's tests are started: in the jail, or directly under `--no-sandbox`.
    pub fn launcher(&self) -> Option<JailedTests<'_>> {
        self.jail.as_ref().map(|jail| JailedTests {
            jail,
            workspace: &self.dir,
            first_slot: self.first_slot,
        })
    }

    /// Fails, naming what changed, if the course on disk is no longer the one grading started
    /// from: no student may be graded on changed tests.
    pub fn check_intact(&self) -> Result<()> {
        let now = course_files(&self.course_root, &self.crates)?;
        let mut changed: Vec<String> = Vec::new();
        for (rel, bytes) in &self.pristine {
            match now.get(rel) {
                Some(b) if b == bytes => {}
                Some(_) => changed.push(format!("{rel} was modified")),
                None => changed.push(format!("{rel} was deleted")),
            }
        }
        changed.extend(
            now.keys()
                .filter(|rel| !self.pristine.contains_key(*rel))
                .map(|rel| format!("{rel} was added")),
        );
        if changed.is_empty() {
            return Ok(());
        }
        bail!(
            "the course changed while grading, so grading stopped rather than grade anyone on \
             changed tests:\n  {}\nEither student code changed it (was grading run with \
             --no-sandbox?) or someone edited the course meanwhile. Run `git status` in {} to see \
             the change, restore the course, and run `cargo course grade …` again (students \
             graded before are reused).",
            changed.join("\n  "),
            self.course_root.display()
        )
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

    /// Delete what earlier builds left of the course's own crates (libraries, test binaries,
    /// examples, incremental caches), so nothing compiled from another student's code is on disk
    /// while this student's code is compiled or run. Dependencies stay warm.
    fn forget_builds(&self) -> Result<()> {
        let mut prefixes = vec!["chapters-".to_string()];
        for krate in &self.crates {
            let lib = krate.replace('-', "_");
            prefixes.extend([format!("{krate}-"), format!("{lib}-"), format!("lib{lib}-")]);
        }
        for sub in ["deps", "incremental", ".fingerprint", "examples"] {
            let Ok(entries) = std::fs::read_dir(self.target.join("debug").join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                // Examples (the allocator leaderboard's program) are built only for the course's
                // crates, never for a dependency: every one goes.
                if sub != "examples" && !prefixes.iter().any(|p| name.starts_with(p.as_str())) {
                    continue;
                }
                let path = entry.path();
                let gone = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                gone.with_context(|| format!("cannot delete {}", path.display()))?;
            }
        }
        Ok(())
    }
}

/// The course files a student is graded from: the course's `Cargo.toml` and `Cargo.lock`,
/// `exercises/course.toml`, and every file of the exercise crates but build output and stray
/// snapshot/proptest files. Symlinks are not followed (the exercises have none).
pub fn course_files(root: &Path, crates: &[String]) -> Result<CourseFiles> {
    let mut files = CourseFiles::new();
    for name in ["Cargo.toml", "Cargo.lock", "exercises/course.toml"] {
        let path = root.join(name);
        if path.is_file() {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            files.insert(name.to_string(), bytes);
        }
    }
    let wanted = |e: &walkdir::DirEntry| {
        let name = e.file_name().to_string_lossy();
        !(name == "target" || name == "proptest-regressions" || name.ends_with(".snap.new"))
    };
    for krate in crates {
        let from = root.join("exercises").join(krate);
        for entry in WalkDir::new(&from)
            .follow_links(false)
            .into_iter()
            .filter_entry(wanted)
        {
            let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(root)?;
            let bytes = std::fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    Ok(files)
}

/// A workspace manifest for the sandbox: the course's shared settings (package defaults,
/// dependency versions, profiles, lints) with the exercise crates as members.
fn workspace_manifest(pristine: &CourseFiles, crates: &[String]) -> Result<String> {
    let bytes = pristine
        .get("Cargo.toml")
        .context("cannot read the course's Cargo.toml")?;
    let root: toml::Table = toml::from_str(&String::from_utf8_lossy(bytes))
        .context("the course's Cargo.toml is invalid")?;
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
