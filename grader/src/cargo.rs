//! Building an exercise crate's test binary with cargo, and reading the result.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// What building a crate's `chapters` test binary produced.
#[derive(Debug)]
pub enum Build {
    /// The executable to run.
    Built(PathBuf),
    /// The crate does not compile: the rendered errors, and the files (relative to the
    /// workspace) that the errors point into.
    Failed { errors: String, files: Vec<String> },
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
    let mut cmd = cargo();
    cmd.current_dir(workspace)
        .args([
            "test",
            "--no-run",
            "--message-format=json",
            "--package",
            package,
        ])
        .args(["--test", "chapters"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(t) = target_dir {
        cmd.env("CARGO_TARGET_DIR", t);
    }
    let out = cmd
        .output()
        .context("could not run cargo: is Rust installed (https://rustup.rs) and on PATH?")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
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
    if out.status.success() {
        if let Some(exe) = executable {
            return Ok(Build::Built(exe));
        }
        bail!(
            "cargo built `{package}` but reported no `chapters` test binary: does its Cargo.toml declare [[test]] name = \"chapters\"?"
        );
    }
    if errors.is_empty() {
        // Not a compile error: cargo itself failed (bad manifest, no network for a new dependency…).
        bail!(
            "cargo could not build `{package}`:\n{}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(Build::Failed {
        errors: errors.join("\n\n"),
        files,
    })
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
