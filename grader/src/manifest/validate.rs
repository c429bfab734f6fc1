//! Checking the manifest against the course's files: every mistake is reported with the file to
//! edit and the fix.
//!
//! Two levels. [`Manifest::validate`] reads only `exercises/` and `book/src/` (never `solutions/`,
//! which a student's copy of the course may not have), so every command can afford it.
//! [`Manifest::check_tests`] needs the real test list of a built crate, so only `verify` and
//! `grade`, which build anyway, run it.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Result, bail};

use super::{MANIFEST_PATH, Manifest, Problem, declared_modules, list_crates};

/// Collects problems; `at` builds one in a line.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn at(&mut self, file: &str, message: String, fix: String) {
        self.0.push(Problem {
            file: file.to_string(),
            message,
            fix,
        });
    }
}

impl Manifest {
    /// Check the manifest against the files on disk. Returns every problem found, each with the
    /// file to edit and the fix.
    pub fn validate(&self, root: &Path) -> Vec<Problem> {
        let mut p = Problems::default();
        let summary = std::fs::read_to_string(root.join("book/src/SUMMARY.md")).unwrap_or_default();
        let mut ids = HashSet::new();
        let mut prefixes = HashSet::new();
        if self.exercises.is_empty() {
            p.at(
                MANIFEST_PATH,
                "the manifest lists no exercise".into(),
                "add an [[exercise]] entry (fields are documented at the top of the file)".into(),
            );
        }
        for e in &self.exercises {
            let at = format!("exercise `{}`", e.id);
            if e.id.is_empty()
                || !e
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                p.at(
                    MANIFEST_PATH,
                    format!("{at}: the id must be lowercase letters, digits and `_`"),
                    "rename it, e.g. `arena_map`".into(),
                );
            }
            if !ids.insert(e.id.clone()) {
                p.at(
                    MANIFEST_PATH,
                    format!("duplicate id `{}`", e.id),
                    "give each [[exercise]] its own id".into(),
                );
            }
            if !prefixes.insert((e.krate.clone(), e.tests.clone())) {
                p.at(
                    MANIFEST_PATH,
                    format!(
                        "{at}: test module `{}` is claimed twice in crate `{}`",
                        e.tests, e.krate
                    ),
                    "each exercise owns its own test module".into(),
                );
            }
            let crate_dir = root.join("exercises").join(&e.krate);
            if !crate_dir.join("Cargo.toml").is_file() {
                p.at(
                    MANIFEST_PATH,
                    format!(
                        "{at}: unknown crate `{}` (no exercises/{}/Cargo.toml)",
                        e.krate, e.krate
                    ),
                    format!("set `crate` to one of: {}", list_crates(root).join(", ")),
                );
                continue;
            }
            let page = root.join("book/src").join(&e.chapter);
            if !page.is_file() {
                p.at(
                    MANIFEST_PATH,
                    format!("{at}: chapter page book/src/{} does not exist", e.chapter),
                    "write the page, or set `chapter` to a path relative to book/src/".into(),
                );
            } else if !summary.contains(&format!("]({})", e.chapter)) {
                p.at(
                    "book/src/SUMMARY.md",
                    format!(
                        "{at}: chapter page {} is not linked from SUMMARY.md",
                        e.chapter
                    ),
                    format!(
                        "link it: `- [Title]({})` (a draft `- [Title]()` is not enough)",
                        e.chapter
                    ),
                );
            }
            if e.files.is_empty() {
                p.at(
                    MANIFEST_PATH,
                    format!("{at}: `files` is empty"),
                    "list the file(s) the student edits, e.g. [\"src/refcount.rs\"]".into(),
                );
            }
            for f in &e.files {
                if !f.starts_with("src/") || !f.ends_with(".rs") || f.contains("..") {
                    p.at(
                        MANIFEST_PATH,
                        format!("{at}: file `{f}` is not a .rs file under src/"),
                        "only exercises/<crate>/src/**/*.rs is taken from a submission".into(),
                    );
                } else if !crate_dir.join(f).is_file() {
                    p.at(
                        MANIFEST_PATH,
                        format!("{at}: file exercises/{}/{f} does not exist", e.krate),
                        "create the stub or correct the path (relative to the crate)".into(),
                    );
                }
            }
            check_test_module(&mut p, &at, &crate_dir, &e.krate, &e.tests);
            for dep in &e.builds_on {
                let earlier = self
                    .exercises
                    .iter()
                    .take_while(|x| x.id != e.id)
                    .any(|x| &x.id == dep);
                if !earlier {
                    p.at(
                        MANIFEST_PATH,
                        format!("{at}: builds_on names `{dep}`, which is not an earlier exercise"),
                        "list only ids of exercises that come before this one".into(),
                    );
                }
            }
            if e.hints.len() < 2 {
                p.at(
                    MANIFEST_PATH,
                    format!(
                        "{at}: has {} hint(s); at least two are required",
                        e.hints.len()
                    ),
                    "add progressive hints: gentle first, close to the answer last".into(),
                );
            }
        }
        // Test modules that no exercise claims: their tests would never be graded.
        for krate in list_crates(root) {
            let main = root
                .join("exercises")
                .join(&krate)
                .join("tests/chapters/main.rs");
            let Ok(text) = std::fs::read_to_string(&main) else {
                continue;
            };
            for module in declared_modules(&text) {
                let file = main.with_file_name(format!("{module}.rs"));
                let claimed = self
                    .exercises
                    .iter()
                    .any(|e| e.krate == krate && e.tests == module);
                if has_tests(&file) && !claimed {
                    p.at(
                        MANIFEST_PATH,
                        format!(
                            "test module `{module}` (exercises/{krate}/tests/chapters/{module}.rs) \
                             has tests but no [[exercise]] entry"
                        ),
                        format!(
                            "add an [[exercise]] with crate = \"{krate}\" and tests = \"{module}\""
                        ),
                    );
                }
            }
        }
        p.0
    }

    /// [`validate`](Self::validate), as an error listing every problem: for the commands that
    /// cannot do anything sensible with a manifest that does not match the files.
    pub fn ensure_valid(&self, root: &Path) -> Result<()> {
        let problems = self.validate(root);
        if problems.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        bail!(
            "{MANIFEST_PATH} does not match the course's files; fix these first:\n{}\n\
             (`cargo course verify` checks the whole course.)",
            list.join("\n")
        )
    }

    /// Check the manifest against `names`, the full test list of `krate`'s built test binary:
    /// a test that belongs to no exercise is never graded, an exercise that owns no test is
    /// worth nothing, and a `weights`/`given` entry that names no test is a typo that silently
    /// changes the points.
    pub fn check_tests(&self, krate: &str, names: &[String]) -> Vec<Problem> {
        let mut p = Problems::default();
        let exercises: Vec<_> = self.exercises.iter().filter(|e| e.krate == krate).collect();
        for n in names {
            if !exercises.iter().any(|e| e.owns_test(n)) {
                p.at(
                    MANIFEST_PATH,
                    format!("test `{n}` (crate `{krate}`) belongs to no exercise"),
                    "add an [[exercise]] whose `tests` is its module, or move the test into a \
                     module an exercise owns"
                        .into(),
                );
            }
        }
        for ex in &exercises {
            if !names.iter().any(|n| ex.owns_test(n)) {
                p.at(
                    MANIFEST_PATH,
                    format!(
                        "exercise `{}` owns no test: crate `{krate}` has no test named `{}::…`",
                        ex.id, ex.tests
                    ),
                    format!(
                        "write its tests in exercises/{krate}/tests/chapters/{}.rs, or correct \
                         `tests`",
                        ex.tests
                    ),
                );
            }
            for n in ex.weights.keys().chain(&ex.given) {
                let full = format!("{}::{n}", ex.tests);
                if !names.iter().any(|r| *r == full || r == n) {
                    p.at(
                        MANIFEST_PATH,
                        format!(
                            "exercise `{}` names test `{n}` in weights/given, but there is no \
                             such test",
                            ex.id
                        ),
                        format!(
                            "use a test name from `{}` (with or without the `{}::` prefix)",
                            ex.tests, ex.tests
                        ),
                    );
                }
            }
        }
        p.0
    }
}

/// An exercise's test module must exist, be declared in the crate's test binary (else its tests
/// are never compiled, and the exercise silently owns nothing), and hold tests.
fn check_test_module(p: &mut Problems, at: &str, crate_dir: &Path, krate: &str, tests: &str) {
    let main = crate_dir.join("tests/chapters/main.rs");
    let module = main.with_file_name(format!("{tests}.rs"));
    if !module.is_file() {
        p.at(
            MANIFEST_PATH,
            format!("{at}: test module exercises/{krate}/tests/chapters/{tests}.rs does not exist"),
            format!("create it and add `mod {tests};` to tests/chapters/main.rs"),
        );
    } else if !declared_modules(&std::fs::read_to_string(&main).unwrap_or_default())
        .iter()
        .any(|m| m == tests)
    {
        p.at(
            &format!("exercises/{krate}/tests/chapters/main.rs"),
            format!("{at}: test module `{tests}` is not declared here, so its tests never run"),
            format!("add `mod {tests};`"),
        );
    } else if !has_tests(&module) {
        p.at(
            &format!("exercises/{krate}/tests/chapters/{tests}.rs"),
            format!("{at}: the test module has no test (no #[test] and no proptest!)"),
            "write the exercise's tests here: each fails on the stub and passes on the solution"
                .into(),
        );
    }
}

/// Does a test module's source hold a test, in its file or in the files of its folder (its
/// submodules, `ch14_runtime/glue.rs`)? A textual check: cheap, and enough to catch an empty or
/// forgotten module (`check_tests` then checks the real list, after a build).
fn has_tests(module: &Path) -> bool {
    let holds = |p: &Path| {
        let body = std::fs::read_to_string(p).unwrap_or_default();
        body.contains("#[test]") || body.contains("proptest!")
    };
    holds(module)
        || walkdir::WalkDir::new(module.with_extension(""))
            .into_iter()
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "rs") && holds(e.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
        [course]
        title = "t"
        [[exercise]]
        id = "add"
        title = "Adding"
        chapter = "add.md"
        crate = "arith"
        files = ["src/add.rs"]
        tests = "ch01_add"
        weights = { big = 2, nosuch = 3 }
        hints = ["a", "b"]
        [[exercise]]
        id = "mul"
        title = "Multiplying"
        chapter = "add.md"
        crate = "arith"
        files = ["src/mul.rs"]
        tests = "ch02_mul"
        hints = ["a", "b"]
    "#;

    /// A course on disk with `main.rs` and the two test modules as given.
    fn course(main_rs: &str, add_tests: &str, mul_tests: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        w("exercises/course.toml", MANIFEST);
        w(
            "exercises/arith/Cargo.toml",
            "[package]\nname = \"arith\"\n",
        );
        w("exercises/arith/src/add.rs", "");
        w("exercises/arith/src/mul.rs", "");
        w("exercises/arith/tests/chapters/main.rs", main_rs);
        w("exercises/arith/tests/chapters/ch01_add.rs", add_tests);
        w("exercises/arith/tests/chapters/ch02_mul.rs", mul_tests);
        w("book/src/SUMMARY.md", "- [Adding](add.md)\n");
        w("book/src/add.md", "# Adding\n");
        dir
    }

    fn messages(problems: &[Problem]) -> Vec<String> {
        problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_consistent_course_has_no_problem() {
        let dir = course(
            "mod ch01_add;\nmod ch02_mul;\n",
            "#[test]\nfn t() {}",
            "#[test]",
        );
        let m = Manifest::parse(MANIFEST).unwrap();
        assert_eq!(messages(&m.validate(dir.path())), Vec::<String>::new());
    }

    #[test]
    fn a_test_module_that_main_rs_does_not_declare_is_reported_with_the_fix() {
        let dir = course("mod ch01_add;\n", "#[test]", "#[test]");
        let m = Manifest::parse(MANIFEST).unwrap();
        assert_eq!(
            messages(&m.validate(dir.path())),
            [
                "exercises/arith/tests/chapters/main.rs: exercise `mul`: test module `ch02_mul` is \
              not declared here, so its tests never run\n    fix: add `mod ch02_mul;`"
            ]
        );
    }

    #[test]
    fn a_test_module_without_tests_is_reported() {
        let dir = course("mod ch01_add;\nmod ch02_mul;\n", "#[test]", "// TODO\n");
        let m = Manifest::parse(MANIFEST).unwrap();
        let found = messages(&m.validate(dir.path()));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("exercises/arith/tests/chapters/ch02_mul.rs: exercise `mul`: the test module has no test"),
            "{found:?}"
        );
    }

    #[test]
    fn the_test_list_check_finds_orphans_empty_exercises_and_stray_weights() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let names = ["ch01_add::big".to_string(), "ch03_pow::p".to_string()];
        let found: Vec<String> = m
            .check_tests("arith", &names)
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(
            found,
            [
                "test `ch03_pow::p` (crate `arith`) belongs to no exercise",
                "exercise `add` names test `nosuch` in weights/given, but there is no such test",
                "exercise `mul` owns no test: crate `arith` has no test named `ch02_mul::…`",
            ]
        );
    }
}
