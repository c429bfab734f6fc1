//! Finding the course on disk, and the paths inside it.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::manifest::{MANIFEST_PATH, Manifest};

/// A course checkout: its root folder and its parsed manifest.
#[derive(Debug, Clone)]
pub struct Course {
    pub root: PathBuf,
    pub manifest: Manifest,
}

impl Course {
    /// Open the course at `explicit` if given, else `$COURSE_ROOT`, else the nearest folder at or
    /// above the current directory that holds `exercises/course.toml`.
    pub fn open(explicit: Option<&Path>) -> Result<Course> {
        let root = match explicit {
            Some(p) => p.to_path_buf(),
            None => match std::env::var_os("COURSE_ROOT") {
                Some(p) => PathBuf::from(p),
                None => discover(&std::env::current_dir()?)?,
            },
        };
        let root = root.canonicalize().unwrap_or(root);
        let manifest = Manifest::load(&root)?;
        Ok(Course { root, manifest })
    }

    pub fn crate_dir(&self, krate: &str) -> PathBuf {
        self.root.join("exercises").join(krate)
    }

    pub fn book_dir(&self) -> PathBuf {
        self.root.join("book")
    }

    /// Where the grader keeps its own build products (sandboxes, their target dir).
    pub fn work_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(t) => PathBuf::from(t).join("grader"),
            None => self.root.join("target/grader"),
        }
    }
}

fn discover(start: &Path) -> Result<PathBuf> {
    for dir in start.ancestors() {
        if dir.join(MANIFEST_PATH).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "no course found: neither {} nor any folder above it has {MANIFEST_PATH}.\n\
         Run this from inside the course repository, or pass --course DIR.",
        start.display()
    )
}
