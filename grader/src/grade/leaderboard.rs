//! The allocator leaderboard: a student's allocator throughput on the course's traces, as a ratio
//! to glibc malloc's, measured in the grader's sandbox by the course's own program
//! (`exercises/allocator/examples/leaderboard.rs`, never the student's copy: only `src/` is laid
//! over the pristine crates).
//!
//! The program is built optimised, as a student runs it (`--release`): unoptimised student code
//! against an optimised C library would measure the compiler. It is built in the dev profile with
//! the `allocator` package given release's code settings (`--config`), not in the release profile,
//! because the dev profile's dependencies are already built, for the tests: a release build
//! rebuilds every dependency of the example (libc, and the dev-dependencies insta and proptest)
//! once more, about 1-2 minutes the first time, which is every time in a fresh Gradescope
//! container. Per student, both cost the same (measured: 4.5-5.8 s for `--release`, 5.1-6.4 s
//! for these overrides, on a busy 2-CPU machine, next to 4.5-6.9 s for the test binary) and give
//! the same ratio within noise. Only this build sees the overrides, so the test binary's build is
//! unchanged; the optimised library gets a file of its own (its profile is in its hash).
//!
//! The measurement runs for a few seconds; its result is only as steady as the machine, so call
//! it when no test of the student runs. Under `grade --jobs N`, measurements of different
//! students take turns (a lock), though other students' builds and tests still share the machine:
//! the program interleaves the two allocators so that such load slows both alike.

use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::sandbox::Sandbox;
use crate::cargo::cargo;
use crate::runner::{Finished, Launcher, Limits, run_confined};

/// The crate whose program measures, and the program (an example of that crate).
pub const CRATE: &str = "allocator";
const EXAMPLE: &str = "leaderboard";
/// Release's code settings for the measured crate (opt-level 3, no debug assertions, overflow
/// checks or debug info, 16 codegen units, not incremental); the rest of the dev profile stays.
const OPTIMISED: [&str; 6] = [
    "profile.dev.package.allocator.opt-level=3",
    "profile.dev.package.allocator.debug-assertions=false",
    "profile.dev.package.allocator.overflow-checks=false",
    "profile.dev.package.allocator.debug=false",
    "profile.dev.package.allocator.codegen-units=16",
    "build.incremental=false",
];
/// The optimised build's wall-clock limit: the code compiled for the tests already, but an
/// optimiser can still be made to work for a long time.
const BUILD_TIMEOUT: Duration = Duration::from_secs(300);
/// Cargo's JSON messages kept (the executable's path is in them).
const BUILD_OUTPUT_CAP: usize = 16 * 1024 * 1024;
/// Held while a measurement runs: two at once would each time the other's load.
static MEASURING: Mutex<()> = Mutex::new(());

/// Does the course measure allocators (does it have the program)? Decides the reports' column.
pub fn in_course(course: &crate::course::Course) -> bool {
    (course
        .crate_dir(CRATE)
        .join("examples")
        .join(format!("{EXAMPLE}.rs")))
    .is_file()
}

/// The student's allocator throughput on the course's traces, as a ratio to glibc malloc's (> 1: faster).
///
/// Builds the course's measuring program with the student's allocator in `sandbox` (as the tests
/// were built: in the jail unless `--no-sandbox`), then runs it in the jail under the default
/// test limits (memory, output) for at most `timeout` (it needs a few seconds). `Ok(None)`: the course has no such program, or it did not compile,
/// failed (a `todo!()` left, a wrong replay), timed out, or printed no ratio: the student gets no
/// leaderboard entry. `Err`: cargo could not run or failed by itself (not on the student's code).
pub fn measure(sandbox: &Sandbox, timeout: Duration) -> Result<Option<f64>> {
    let crate_dir = sandbox.crate_dir(CRATE);
    if !crate_dir.join(format!("examples/{EXAMPLE}.rs")).is_file() {
        return Ok(None);
    }
    let Some(program) = build(sandbox)? else {
        return Ok(None);
    };
    let mut cmd = Command::new(&program);
    cmd.env("RUST_BACKTRACE", "0")
        // It finds its trace files from its crate folder, shown read-only in the jail.
        .current_dir(&crate_dir);
    let launcher = sandbox.launcher();
    if let Some(launcher) = &launcher {
        // This sandbox's first test slot (its uid under root): no test of this student runs now.
        cmd = launcher.launch(cmd, 0);
    }
    let limits = Limits::default();
    // A worker that panicked while holding the lock left nothing half-done: take it anyway.
    let _turn = MEASURING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let stdout = run(cmd, timeout, limits)?;
    Ok(stdout.as_deref().and_then(parse_ratio))
}

/// Build the measuring program optimised; its path, or `None` if it does not compile in time.
fn build(sandbox: &Sandbox) -> Result<Option<std::path::PathBuf>> {
    let mut cmd = cargo();
    cmd.current_dir(&sandbox.dir)
        .args(["build", "--message-format=json", "--package", CRATE])
        .args(["--example", EXAMPLE])
        .env("CARGO_TARGET_DIR", &sandbox.target);
    for setting in OPTIMISED {
        cmd.args(["--config", setting]);
    }
    if let Some(jail) = sandbox.jail() {
        cmd = jail.build(cmd, &sandbox.dir, &sandbox.target);
    }
    let Finished {
        status,
        stdout,
        stderr,
    } = run_confined(cmd, Some(BUILD_TIMEOUT), 0, BUILD_OUTPUT_CAP)
        .context("could not run cargo to build the allocator leaderboard's program")?;
    let Some(status) = status else {
        return Ok(None);
    };
    let mut program = None;
    let mut compile_error = false;
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-artifact") if msg["target"]["name"] == EXAMPLE => {
                program = msg["executable"].as_str().map(std::path::PathBuf::from);
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => compile_error = true,
            _ => {}
        }
    }
    match program {
        Some(path) if status.success() => Ok(Some(path)),
        _ if compile_error => Ok(None),
        _ => bail!(
            "cargo could not build the allocator leaderboard's program:\n{}",
            stderr.trim()
        ),
    }
}

/// Run `cmd` under `limits` (memory, output) and `timeout`; its stdout if it succeeded.
fn run(cmd: Command, timeout: Duration, limits: Limits) -> Result<Option<String>> {
    let finished = run_confined(cmd, Some(timeout), limits.memory_mb, limits.output_bytes)
        .context("could not start the allocator leaderboard's program")?;
    Ok(finished
        .status
        .filter(|s| s.success())
        .map(|_| finished.stdout))
}

/// The ratio of the program's last `leaderboard: ratio=R traces=N` line, if it is a positive
/// finite number.
fn parse_ratio(stdout: &str) -> Option<f64> {
    let line = stdout
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("leaderboard:"))?;
    let ratio: f64 = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("ratio="))?
        .parse()
        .ok()?;
    (ratio.is_finite() && ratio > 0.0).then_some(ratio)
}

#[cfg(test)]
mod tests {
    use super::parse_ratio;

    #[test]
    fn the_last_leaderboard_line_gives_the_ratio() {
        let out = "trace  requests  yours\npython-like 200000 1.2x\n\
                   leaderboard: ratio=0.5 traces=1\nleaderboard: ratio=1.2073 traces=7\n";
        assert_eq!(parse_ratio(out), Some(1.2073));
        assert_eq!(parse_ratio("leaderboard: traces=7 ratio=2\r\n"), Some(2.0));
    }

    #[test]
    fn no_usable_ratio_is_none() {
        for out in [
            "",
            "trace requests\npython-like 1.0x\n",
            "leaderboard: traces=7\n",
            "leaderboard: ratio= traces=7\n",
            "leaderboard: ratio=fast traces=7\n",
            "leaderboard: ratio=NaN traces=7\n",
            "leaderboard: ratio=inf traces=7\n",
            "leaderboard: ratio=0 traces=7\n",
            "leaderboard: ratio=-1.5 traces=7\n",
            "ratio=1.5\n",
        ] {
            assert_eq!(parse_ratio(out), None, "{out:?}");
        }
    }
}
