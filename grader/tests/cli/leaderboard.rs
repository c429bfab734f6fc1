//! The allocator leaderboard's measuring program (`exercises/allocator/examples/leaderboard.rs`,
//! shared with the solution crate) prints a ratio for the finished allocator, built as the grader
//! builds it (release's code settings for the allocator package only), and fails, printing none,
//! on the stubs.

use std::process::Command;

use crate::common::{real_course_with_solutions, stderr_of, stdout_of};

/// `cargo run -q -p PACKAGE --example leaderboard` in the course, with `config` settings.
fn run_leaderboard(
    root: &std::path::Path,
    package: &str,
    config: &[String],
) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .current_dir(root)
        .args(["run", "-q", "-p", package, "--example", "leaderboard"])
        .args(config.iter().flat_map(|c| ["--config", c.as_str()]))
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap()
}

/// The ratio and trace count of the last `leaderboard:` line.
fn leaderboard_line(stdout: &str) -> Option<(f64, usize)> {
    let line = stdout
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("leaderboard: "))?;
    let field = |key: &str| line.split(' ').find_map(|w| w.strip_prefix(key));
    Some((
        field("ratio=")?.parse().ok()?,
        field("traces=")?.parse().ok()?,
    ))
}

#[test]
fn the_solution_gets_a_ratio_and_the_stubs_none() {
    let Some(root) = real_course_with_solutions() else {
        return;
    };
    // The grader's build settings (grade/leaderboard.rs), for the solution crate's package name.
    let config: Vec<String> = [
        "opt-level=3",
        "debug-assertions=false",
        "overflow-checks=false",
        "debug=false",
        "codegen-units=16",
    ]
    .iter()
    .map(|s| format!("profile.dev.package.allocator-solution.{s}"))
    .chain(["build.incremental=false".to_string()])
    .collect();
    let out = run_leaderboard(&root, "allocator-solution", &config);
    let stdout = stdout_of(&out);
    assert!(out.status.success(), "{stdout}\n{}", stderr_of(&out));
    let (ratio, traces) =
        leaderboard_line(&stdout).unwrap_or_else(|| panic!("no ratio:\n{stdout}"));
    let files = std::fs::read_dir(root.join("exercises/allocator/tests/chapters/traces"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rep"))
        .count();
    assert_eq!(
        traces,
        3 + files,
        "three synthetic traces and every .rep file:\n{stdout}"
    );
    assert!(ratio.is_finite() && ratio > 0.0, "{stdout}");
    println!("{stdout}");

    let out = run_leaderboard(&root, "allocator", &[]);
    assert!(!out.status.success(), "the stubs panic on todo!()");
    assert_eq!(leaderboard_line(&stdout_of(&out)), None);
    assert!(
        stderr_of(&out).contains("not yet implemented"),
        "{}",
        stderr_of(&out)
    );
}
