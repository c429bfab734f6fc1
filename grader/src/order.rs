//! The order in which every command lists an exercise's tests: the order they are declared in
//! their test module, which follows the chapter (its first tests check the first functions the
//! chapter asks for, so a student working bottom-up sees them pass first).
//!
//! libtest lists tests alphabetically, and runs them in whatever order they finish, so neither
//! can say this. The test sources can: `student::tests_in_sources` reads a test module (and the
//! modules it declares, in the places it declares them) the way `list` counts points before a
//! build. A test the sources do not show (a module the scan cannot follow, a test written by a
//! macro from elsewhere) keeps its place in libtest's list, after the module's declared tests.

use std::collections::HashMap;
use std::path::Path;

use crate::student::tests_in_sources;

/// `names` (a test binary's list: `chNN_topic::…` names, sorted) with each test module's tests in
/// declaration order, as read from the crate's test sources under `crate_dir`. Modules keep
/// their alphabetical (that is, chapter-number) order.
pub fn in_declared_order(crate_dir: &Path, names: Vec<String>) -> Vec<String> {
    let mut declared: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut keyed: Vec<((String, usize), String)> = names
        .into_iter()
        .map(|name| {
            let module = name.split("::").next().unwrap_or_default().to_string();
            let positions = declared.entry(module.clone()).or_insert_with(|| {
                tests_in_sources(crate_dir, &module)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                    .map(|(i, n)| (n, i))
                    .collect()
            });
            let position = positions.get(&name).copied().unwrap_or(usize::MAX);
            ((module, position), name)
        })
        .collect();
    // Stable: tests the sources do not show keep libtest's order among themselves.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join("tests/chapters").join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn owned(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn tests_come_in_the_order_their_module_declares_them() {
        let dir = crate_with(&[
            (
                "ch02_b.rs",
                "mod steps;\n#[test] fn zeta() {}\n#[test] fn alpha() {}\n",
            ),
            (
                "ch02_b/steps.rs",
                "#[test] fn step2_later() {}\n#[test] fn step1_first() {}\n",
            ),
            (
                "ch01_a.rs",
                "#[test] fn second() {}\n#[test] fn first() {}\n",
            ),
        ]);
        let listed = owned(&[
            "ch01_a::first",
            "ch01_a::second",
            "ch02_b::alpha",
            "ch02_b::steps::step1_first",
            "ch02_b::steps::step2_later",
            "ch02_b::zeta",
        ]);
        assert_eq!(
            in_declared_order(dir.path(), listed),
            [
                "ch01_a::second",
                "ch01_a::first",
                "ch02_b::steps::step2_later",
                "ch02_b::steps::step1_first",
                "ch02_b::zeta",
                "ch02_b::alpha",
            ]
        );
    }

    #[test]
    fn tests_the_sources_do_not_show_follow_in_libtest_order() {
        let dir = crate_with(&[
            ("ch01_a.rs", "#[test] fn b() {}\nfrom_elsewhere!(c, a);\n"),
            ("ch02_b.rs", "#[test] fn y() {}\n#[test] fn x() {}\n"),
        ]);
        // ch01_a cannot be read for sure (a foreign macro): libtest's order stays. In ch02_b, a
        // test the binary has but the file does not (a hidden test, say) comes last.
        let listed = owned(&[
            "ch01_a::a",
            "ch01_a::b",
            "ch01_a::c",
            "ch02_b::hidden",
            "ch02_b::x",
            "ch02_b::y",
        ]);
        assert_eq!(
            in_declared_order(dir.path(), listed),
            [
                "ch01_a::a",
                "ch01_a::b",
                "ch01_a::c",
                "ch02_b::y",
                "ch02_b::x",
                "ch02_b::hidden",
            ]
        );
    }
}
