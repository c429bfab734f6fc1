//! Building an exercise crate's test binary with cargo, and reading the result.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::runner::{Finished, TestBinary, list_tests, run_confined};

/// Compiler output kept per stream (a hostile build could print without end).
const OUTPUT_CAP: usize = 16 * 1024 * 1024;

/// What building a crate's `chapters` test binary produced.
#[derive(Debug)]
pub enum Build {
    /// The executable to run.
    Built(PathBuf),
    /// The crate does not compile: the rendered errors, and the files (relative to the
    /// workspace) that the errors point into.
    Failed { errors: String, files: Vec<String> },
    /// The build ran past its time limit and was killed.
    TimedOut { errors: String },
}

/// The cargo to run: the one that started us (`cargo course …` sets `$CARGO`), else `cargo`.
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    #[serde(default)]
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    is_primary: bool,
}

/// Build the test binary of `package` in the workspace at `workspace`.
///
/// `target_dir` overrides where cargo builds (the grader keeps a warm one per course).
/// A compile error is an `Ok(Build::Failed)`; only a cargo that cannot run at all is an `Err`.
pub fn build_tests(workspace: &Path, package: &str, target_dir: Option<&Path>) -> Result<Build> {
    build_tests_within(workspace, package, target_dir, None, None)
}

/// Turns a cargo command into the one that is started: the grader builds students' code inside
/// its sandbox (see `grade::jail`).
pub type Wrap<'a> = &'a dyn Fn(Command) -> Command;

/// [`build_tests`] with a wall-clock limit: a submission can make the compiler itself run
/// forever (a recursive macro, a huge const). The build's whole process group is then killed
/// and the crate reported as not compiling. `wrap`, if given, turns the cargo command into the one
/// started.
pub fn build_tests_within(
    workspace: &Path,
    package: &str,
    target_dir: Option<&Path>,
    timeout: Option<Duration>,
    wrap: Option<Wrap>,
) -> Result<Build> {
    let mut cmd = cargo();
    cmd.current_dir(workspace)
        .args([
            "test",
            "--no-run",
            "--message-format=json",
            "--package",
            package,
        ])
        .args(["--test", "chapters"]);
    if let Some(t) = target_dir {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    if let Some(wrap) = wrap {
        cmd = wrap(cmd);
    }
    // Its own process group: a timeout kills cargo and every compiler it started.
    let Finished {
        status,
        stdout,
        stderr,
    } = run_confined(cmd, timeout, 0, OUTPUT_CAP)
        .context("could not run cargo: is Rust installed (https://rustup.rs) and on PATH?")?;
    let Some(status) = status else {
        let secs = timeout.map_or(0.0, |t| t.as_secs_f64());
        return Ok(Build::TimedOut {
            errors: format!(
                "the build of `{package}` took longer than {secs} s and was stopped (a macro or \
                 constant that makes the compiler loop?)"
            ),
        });
    };
    let mut executable = None;
    let mut errors = Vec::new();
    let mut files = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        match msg.reason.as_str() {
            "compiler-artifact"
                if msg.target.as_ref().is_some_and(|t| t.name == "chapters")
                    && msg.executable.is_some() =>
            {
                executable = msg.executable;
            }
            "compiler-message" => {
                if let Some(d) = msg.message.filter(|d| d.level == "error") {
                    for s in d.spans.iter().filter(|s| s.is_primary) {
                        if !files.contains(&s.file_name) {
                            files.push(s.file_name.clone());
                        }
                    }
                    if let Some(r) = d.rendered {
                        errors.push(r.trim_end().to_string());
                    }
                }
            }
            _ => {}
        }
    }
    if status.success() {
        if let Some(exe) = executable {
            return Ok(Build::Built(exe));
        }
        bail!(
            "cargo built `{package}` but reported no `chapters` test binary: does its Cargo.toml declare [[test]] name = \"chapters\"?"
        );
    }
    if errors.is_empty() {
        // Not a compile error: cargo itself failed (bad manifest, no network for a new dependency…).
        bail!("cargo could not build `{package}`:\n{}", stderr.trim());
    }
    Ok(Build::Failed {
        errors: errors.join("\n\n"),
        files,
    })
}

/// A crate's test binary, built and listed: what every command needs before it runs tests.
pub enum Listed {
    /// The binary and the names of all its tests.
    Ready(TestBinary, Vec<String>),
    /// The crate does not compile (or its build timed out): the compiler's errors.
    Failed(String),
}

/// Build `package`'s test binary (see [`build_tests`]) and list its tests. `crate_dir` is where
/// the tests run (the exercise crate's folder: a solution crate runs the exercise's tests).
pub fn build_and_list(
    workspace: &Path,
    package: &str,
    target_dir: Option<&Path>,
    crate_dir: PathBuf,
) -> Result<Listed> {
    list_built(build_tests(workspace, package, target_dir)?, crate_dir)
}

/// The tests of a build's binary, which runs in `crate_dir`; or the build's errors.
pub fn list_built(build: Build, crate_dir: PathBuf) -> Result<Listed> {
    match build {
        Build::Built(path) => {
            let bin = TestBinary { path, crate_dir };
            let names = list_tests(&bin)?;
            Ok(Listed::Ready(bin, names))
        }
        Build::Failed { errors, .. } | Build::TimedOut { errors } => Ok(Listed::Failed(errors)),
    }
}

/// Download the dependencies of the workspace at `workspace` (nothing when they are already
/// there), so that builds that may not reach the network (the grader's sandbox) find them.
pub fn fetch(workspace: &Path) -> Result<()> {
    let out = cargo()
        .current_dir(workspace)
        .arg("fetch")
        .stdin(Stdio::null())
        .output()
        .context("could not run cargo: is Rust installed (https://rustup.rs) and on PATH?")?;
    if !out.status.success() {
        bail!(
            "cannot download the exercises' dependencies (builds in the sandbox have no network):\n{}\nCheck the network and run `cargo fetch` in the course, then grade again.",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Shorten compiler output for a report: the first `max_lines` lines.
pub fn first_lines(text: &str, max_lines: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= max_lines {
        return text.trim_end().to_string();
    }
    format!(
        "{}\n… ({} more lines)",
        lines[..max_lines].join("\n"),
        lines.len() - max_lines
    )
}
