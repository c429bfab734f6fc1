//! `exercises/course.toml`: the course manifest, and the checks that explain every mistake in it.
//!
//! The field-by-field documentation lives at the top of `exercises/course.toml` itself and in
//! `grader/README.md`; this module parses it, and `validate` checks it against the files on disk.

mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

/// The whole manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub course: CourseInfo,
    #[serde(default, rename = "exercise")]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseInfo {
    pub title: String,
}

/// One `[[exercise]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub id: String,
    pub title: String,
    /// Book page, relative to `book/src/`.
    pub chapter: String,
    /// Folder name under `exercises/`.
    #[serde(rename = "crate")]
    pub krate: String,
    /// Files the student edits, relative to `exercises/<crate>/`.
    pub files: Vec<String>,
    /// Test-module prefix: the exercise owns every test named `<tests>::…`.
    pub tests: String,
    #[serde(default = "one")]
    pub points: u32,
    #[serde(default)]
    pub weights: BTreeMap<String, u32>,
    #[serde(default)]
    pub given: Vec<String>,
    /// Earlier exercises whose code this one's tests run (their `todo!()`s fail these tests too).
    #[serde(default)]
    pub builds_on: Vec<String>,
    pub hints: Vec<String>,
}

fn one() -> u32 {
    1
}

impl Exercise {
    /// Does this exercise own the test called `full_name` (`module::test`)?
    pub fn owns_test(&self, full_name: &str) -> bool {
        full_name
            .strip_prefix(&self.tests)
            .is_some_and(|rest| rest.starts_with("::"))
    }

    /// The test's name inside the module (`ch04_refcount::foo` → `foo`).
    pub fn short_name<'a>(&self, full_name: &'a str) -> &'a str {
        full_name
            .strip_prefix(&self.tests)
            .and_then(|rest| rest.strip_prefix("::"))
            .unwrap_or(full_name)
    }

    pub fn is_given(&self, full_name: &str) -> bool {
        let short = self.short_name(full_name);
        self.given.iter().any(|g| g == short || g == full_name)
    }

    /// Points a passing test is worth: its weight, else 0 for a given test, else `points`.
    pub fn test_points(&self, full_name: &str) -> u32 {
        let short = self.short_name(full_name);
        if let Some(w) = self
            .weights
            .get(short)
            .or_else(|| self.weights.get(full_name))
        {
            *w
        } else if self.is_given(full_name) {
            0
        } else {
            self.points
        }
    }
}

/// One thing wrong with the manifest (or the files it names), with where and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file to edit, relative to the course root.
    pub file: String,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}\n    fix: {}", self.file, self.message, self.fix)
    }
}

pub const MANIFEST_PATH: &str = "exercises/course.toml";

impl Manifest {
    /// Parse the manifest file. Syntax and type errors name the file and the line.
    pub fn load(root: &Path) -> Result<Manifest> {
        let path = root.join(MANIFEST_PATH);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {MANIFEST_PATH} under {}: run this from inside the course repository \
                 (or pass --course DIR)",
                root.display()
            )
        })?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Manifest> {
        toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{MANIFEST_PATH} is not a valid manifest:\n{e}\nThe fields are documented at the \
                 top of {MANIFEST_PATH}."
            )
        })
    }

    pub fn find(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    /// Every exercise `ex` builds on, directly or through another, in course order.
    pub fn prerequisites(&self, ex: &Exercise) -> Vec<&Exercise> {
        let mut needed: Vec<&str> = ex.builds_on.iter().map(String::as_str).collect();
        let mut i = 0;
        while let Some(id) = needed.get(i).copied() {
            if let Some(dep) = self.find(id) {
                for d in &dep.builds_on {
                    if !needed.contains(&d.as_str()) {
                        needed.push(d);
                    }
                }
            }
            i += 1;
        }
        self.exercises
            .iter()
            .filter(|e| needed.contains(&e.id.as_str()))
            .collect()
    }

    /// The crates that have at least one exercise, in course order, without repeats.
    pub fn crates(&self) -> Vec<String> {
        let mut seen = Vec::new();
        for e in &self.exercises {
            if !seen.contains(&e.krate) {
                seen.push(e.krate.clone());
            }
        }
        seen
    }

    /// "No such exercise" with the list of ids, for the CLI.
    pub fn unknown_id_error(&self, id: &str) -> anyhow::Error {
        let ids: Vec<&str> = self.exercises.iter().map(|e| e.id.as_str()).collect();
        anyhow::anyhow!(
            "there is no exercise `{id}`. Exercises: {}.\nRun `cargo course list` to see them with \
             their status.",
            ids.join(", ")
        )
    }
}

/// `mod name;` lines of a test binary's main.rs.
pub fn declared_modules(main_rs: &str) -> Vec<String> {
    main_rs
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l
                .strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))?;
            Some(rest.strip_suffix(';')?.trim().to_string())
        })
        .collect()
}

/// Crate folders under `exercises/` (each with a Cargo.toml), sorted.
pub fn list_crates(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root.join("exercises"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|d| d.path().join("Cargo.toml").is_file())
        .filter_map(|d| d.file_name().to_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn exercise() -> Exercise {
        Manifest::parse(
            r#"
            [course]
            title = "t"
            [[exercise]]
            id = "arena"
            title = "Arenas"
            chapter = "a.md"
            crate = "allocator"
            files = ["src/arena.rs"]
            tests = "ch10_arena"
            weights = { big = 3 }
            given = ["free"]
            hints = ["a", "b"]
            "#,
        )
        .unwrap()
        .exercises
        .remove(0)
    }

    #[test]
    fn prefix_matching_stops_at_the_module_boundary() {
        let e = exercise();
        assert!(e.owns_test("ch10_arena::x"));
        assert!(!e.owns_test("ch10_arena_map::x"));
        assert!(!e.owns_test("ch10_arena"));
    }

    #[test]
    fn weights_override_points_and_given_tests_score_zero() {
        let e = exercise();
        assert_eq!(e.test_points("ch10_arena::big"), 3);
        assert_eq!(e.test_points("ch10_arena::free"), 0);
        assert_eq!(e.test_points("ch10_arena::other"), 1);
    }

    #[test]
    fn unknown_fields_are_rejected_with_the_manifest_path() {
        let err = Manifest::parse("[course]\ntitle='t'\n[[exercise]]\nidd='x'\n").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("exercises/course.toml"), "{text}");
        assert!(text.contains("idd"), "{text}");
    }

    /// Three exercises, each building on the one before (`c` → `b` → `a`).
    pub(crate) const CHAIN: &str = r#"
            [course]
            title = "t"
            [[exercise]]
            id = "a"
            title = "A"
            chapter = "a.md"
            crate = "c"
            files = ["src/a.rs"]
            tests = "ch01_a"
            hints = ["x", "y"]
            [[exercise]]
            id = "b"
            title = "B"
            chapter = "b.md"
            crate = "c"
            files = ["src/b.rs"]
            tests = "ch02_b"
            builds_on = ["a"]
            hints = ["x", "y"]
            [[exercise]]
            id = "c"
            title = "C"
            chapter = "c.md"
            crate = "c"
            files = ["src/c.rs"]
            tests = "ch03_c"
            builds_on = ["b"]
            hints = ["x", "y"]
            "#;

    #[test]
    fn prerequisites_are_transitive_and_in_course_order() {
        let m = Manifest::parse(CHAIN).unwrap();
        let ids: Vec<&str> = m
            .prerequisites(&m.exercises[2])
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn declared_modules_reads_mod_lines() {
        assert_eq!(
            declared_modules("//! doc\nmod ch04_refcount;\npub mod ch05_cycles;\n"),
            vec!["ch04_refcount", "ch05_cycles"]
        );
    }
}
