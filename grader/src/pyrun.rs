//! `cargo course run FILE.py`: runs a Python program on the capstone runtime (Part V), which
//! runs on the learner's own crates (or the solutions', with `--solutions`), and with
//! `--compare` diffs its output with CPython 3.11's.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use wait_timeout::ChildExt;

use crate::cargo::cargo;
use crate::course::Course;

/// How to run a program.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Run on the solutions instead of the learner's crates.
    pub solutions: bool,
    /// Also run `python3` (3.11) and print a unified diff.
    pub compare: bool,
    /// A generation-0 collection at every GC allocation.
    pub stress: bool,
    /// Print the allocator's `sys._debugmallocstats()` report at exit.
    pub stats: bool,
    /// Build the runtime optimised (slower to build, much faster to run).
    pub release: bool,
    /// Wall-clock limit for each run.
    pub timeout: Duration,
}

/// Runs `file` and prints what it printed (and the diff). Returns whether the command succeeded:
/// the program exited with 0, and, with `--compare`, its output equals CPython's.
pub fn run(course: &Course, file: &Path, opts: RunOptions) -> Result<bool> {
    let file = std::fs::canonicalize(file)
        .with_context(|| format!("cannot find the program {}", file.display()))?;
    let exe = build(course, opts)?;
    let mut args = vec![file.display().to_string()];
    if opts.stress {
        args.push("--stress".into());
    }
    if opts.stats {
        args.push("--stats".into());
    }
    let (status, out, err) = run_with_timeout(Command::new(&exe).args(&args), opts.timeout)?;
    if let Some(todo) = unfinished(course, &err) {
        eprintln!("{todo}");
        return Ok(false);
    }
    if status.is_none() {
        print!("{out}");
        eprintln!(
            "The runtime ran past {} s and was stopped (raise it with --timeout; \
             a debug build is slow on big programs: try --release).",
            opts.timeout.as_secs_f64()
        );
        return Ok(false);
    }
    if status != Some(0) && status != Some(1) {
        print!("{out}");
        eprintln!("{err}");
        eprintln!(
            "The runtime crashed (exit status {status:?}): the message above says where. \
             Run the exercise's tests to narrow it down: cargo course check runtime"
        );
        return Ok(false);
    }
    if !opts.compare {
        print!("{out}");
        return Ok(status == Some(0));
    }
    let python = crate::doctest::interpreter("3.11").context(
        "--compare needs CPython 3.11 (python3.11, pyenv's 3.11 or python3): install it, \
         e.g. `pyenv install 3.11`",
    )?;
    let (_, expected, _) = run_with_timeout(
        Command::new("sh")
            .args(["-c", "exec \"$0\" -u \"$1\" 2>&1"])
            .arg(&python)
            .arg(&file),
        opts.timeout,
    )?;
    let (want, got) = (normalise(&expected), normalise(&out));
    if want == got {
        print!("{out}");
        eprintln!(
            "Same output as CPython 3.11 ({} lines).",
            got.lines().count()
        );
        return Ok(true);
    }
    let diff = similar::TextDiff::from_lines(&want, &got);
    print!(
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header("CPython 3.11", "your runtime")
    );
    eprintln!("The outputs differ (- CPython 3.11, + your runtime; addresses are written 0x…).");
    Ok(false)
}

/// Builds the `pyrun` example of the runtime crate and returns its path.
fn build(course: &Course, opts: RunOptions) -> Result<PathBuf> {
    let package = if opts.solutions {
        "runtime-solution"
    } else {
        "runtime"
    };
    if opts.solutions && !course.root.join("solutions/runtime").is_dir() {
        bail!(
            "--solutions needs solutions/runtime, which this edition of the course does not have"
        );
    }
    let mut cmd = cargo();
    cmd.current_dir(&course.root).args([
        "build",
        "--quiet",
        "--example",
        "pyrun",
        "--package",
        package,
        "--message-format=json-render-diagnostics",
    ]);
    if opts.release {
        cmd.arg("--release");
    }
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .context("cannot run cargo")?;
    if !out.status.success() {
        bail!(
            "the runtime does not compile (the errors are above): fix them, then run again; \
             `cargo course check runtime` shows the same errors"
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "pyrun")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .context("cargo built no pyrun executable")
}

/// Runs `cmd`, returning its exit code (`None` if it ran past `timeout` and was killed), stdout
/// and stderr.
fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> Result<(Option<i32>, String, String)> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {:?}", cmd.get_program()))?;
    // Read both pipes on threads so a chatty program cannot block on a full pipe.
    let mut so = child.stdout.take().expect("piped");
    let mut se = child.stderr.take().expect("piped");
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = so.read_to_end(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = se.read_to_end(&mut s);
        s
    });
    let status = match child.wait_timeout(timeout)? {
        Some(s) => Some(s.code().unwrap_or(-1)),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    };
    let out = String::from_utf8_lossy(&t_out.join().unwrap_or_default()).into_owned();
    let err = String::from_utf8_lossy(&t_err.join().unwrap_or_default()).into_owned();
    Ok((status, out, err))
}

/// If the runtime stopped at a `todo!()` of the learner's crates, says which exercise to finish.
fn unfinished(course: &Course, stderr: &str) -> Option<String> {
    if !stderr.contains("not yet implemented") {
        return None;
    }
    // "panicked at exercises/allocator/src/pool.rs:12:5:" (or an absolute path).
    let at = stderr.find("panicked at ")?;
    let location = stderr[at + "panicked at ".len()..].lines().next()?;
    let path = location.split(':').next()?;
    let rel = path
        .find("exercises/")
        .map(|i| &path[i + "exercises/".len()..])?;
    let (krate, file) = rel.split_once('/')?;
    let exercise = course
        .manifest
        .exercises
        .iter()
        .find(|e| e.krate == krate && e.files.iter().any(|f| f == file));
    Some(match exercise {
        Some(e) => format!(
            "The runtime reached a todo!() in exercises/{rel}, which is exercise `{}` ({}).\n\
             Finish it first: cargo course check {}",
            e.id, e.title, e.id
        ),
        None => format!("The runtime reached a todo!() at {location}: finish that code first."),
    })
}

/// Output made comparable as the corpus tests compare it: addresses become `0x…`, and of a
/// traceback only its first line and the exception line remain (the indented lines between, with
/// CPython 3.11's `~~~^^^` markers, say where, which the runtime says differently).
fn normalise(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut in_traceback = false;
    for line in text.lines() {
        if line == "Traceback (most recent call last):" {
            in_traceback = true;
        } else if in_traceback && line.starts_with("  ") {
            continue;
        } else {
            in_traceback = false;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    let mut out = String::with_capacity(kept.len());
    let mut rest = kept.as_str();
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        let hex = rest[at + 2..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len() - at - 2);
        out.push_str(if hex > 0 { "0x…" } else { "0x" });
        rest = &rest[at + 2 + hex..];
    }
    out.push_str(rest);
    out
}
