//! Running tests: each test in its own process, with a wall-clock timeout, a memory limit and a cap
//! on the output kept, so that an infinite loop, a stack overflow or a memory bomb in one test costs
//! only that test.

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use wait_timeout::ChildExt;

/// Resource limits for one test process.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    /// Address-space limit in MiB (RLIMIT_AS); 0 = none.
    pub memory_mb: u64,
    /// Bytes of stdout/stderr kept per stream; the rest is drained and dropped.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            memory_mb: 4096,
            output_bytes: 64 * 1024,
        }
    }
}

/// How one test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Failed,
    Timeout,
    Crashed,
}

#[derive(Debug, Clone)]
pub struct TestRun {
    pub name: String,
    pub verdict: Verdict,
    /// Why it failed (the panic message, "timed out after 10 s", "stack overflow"); empty if passed.
    pub message: String,
}

/// Environment for every test process: never update snapshots, never write proptest
/// regression files into the student's tree, short backtraces.
fn test_command(binary: &TestBinary) -> Command {
    let mut cmd = Command::new(&binary.path);
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("INSTA_")) {
            cmd.env_remove(key);
        }
    }
    cmd.env("INSTA_UPDATE", "no")
        .env("RUST_BACKTRACE", "0")
        .env("PROPTEST_DISABLE_FAILURE_PERSISTENCE", "1")
        .env("PROPTEST_MAX_SHRINK_ITERS", "512")
        .stdin(Stdio::null())
        // Relative paths in tests resolve from the crate folder, as under `cargo test`.
        .current_dir(&binary.crate_dir);
    cmd
}

/// Starts test processes some other way than directly: the grader starts every test inside its
/// sandbox (see `grade::jail`), which only this trait lets the runner know about.
pub trait Launcher: Sync {
    /// The command that really starts `test` (the test binary with its arguments, environment and
    /// folder), run by worker `slot` (each worker runs one test at a time).
    fn launch(&self, test: Command, slot: usize) -> Command;
    /// The test's own exit status, told from the status of the command `launch` returned.
    fn exit_status(&self, status: ExitStatus) -> ExitStatus;
}

/// A built test binary and the crate folder it runs in.
#[derive(Debug, Clone)]
pub struct TestBinary {
    pub path: PathBuf,
    pub crate_dir: PathBuf,
}

/// The names of every test in a libtest binary: module by module, each module's tests in the
/// order its sources declare them (see `order`).
pub fn list_tests(binary: &TestBinary) -> Result<Vec<String>> {
    let out = test_command(binary)
        .args(["--list", "--format", "terse"])
        .output()
        .with_context(|| format!("could not run {}", binary.path.display()))?;
    if !out.status.success() {
        bail!(
            "{} --list failed: {}",
            binary.path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect();
    names.sort();
    // Each exercise's tests in the order of their sources (the chapter's), not libtest's.
    Ok(crate::order::in_declared_order(&binary.crate_dir, names))
}

/// Run one test, alone, in its own process group, under `limits`; started by `launcher` (with
/// the worker's slot) if there is one.
pub fn run_test(
    binary: &TestBinary,
    name: &str,
    limits: Limits,
    launcher: Option<(&dyn Launcher, usize)>,
) -> TestRun {
    let mut cmd = test_command(binary);
    cmd.args([name, "--exact", "--test-threads=1"]);
    if let Some((launcher, slot)) = launcher {
        cmd = launcher.launch(cmd, slot);
    }
    let finished = match run_confined(
        cmd,
        Some(limits.timeout),
        limits.memory_mb,
        limits.output_bytes,
    ) {
        Ok(f) => f,
        Err(e) => {
            return TestRun {
                name: name.into(),
                verdict: Verdict::Crashed,
                message: format!("could not start the test binary: {e}"),
            };
        }
    };
    let (stdout, stderr) = (finished.stdout, finished.stderr);
    let status = finished
        .status
        .map(|status| launcher.map_or(status, |(l, _)| l.exit_status(status)));
    let Some(status) = status else {
        return TestRun {
            name: name.into(),
            verdict: Verdict::Timeout,
            message: format!(
                "timed out after {} s (an infinite loop, or far too slow: look for quadratic work)",
                limits.timeout.as_secs_f64()
            ),
        };
    };
    classify(name, status, &stdout, &stderr)
}

/// What a child started by [`run_confined`] left behind.
pub(crate) struct Finished {
    /// `None`: it ran past its timeout and its whole process group was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Start `cmd` alone in a new process group, with no core dumps and, if `memory_mb` is not 0,
/// that address-space limit; wait at most `timeout` (then kill the whole group), keeping at most
/// `cap` bytes of each output stream. Tests, the leaderboard's program and cargo builds all run
/// this way. An error only if it cannot start.
pub(crate) fn run_confined(
    mut cmd: Command,
    timeout: Option<Duration>,
    memory_mb: u64,
    cap: usize,
) -> std::io::Result<Finished> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls (setpgid, setrlimit) run between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::setpgid(0, 0);
            if memory_mb > 0 {
                let bytes = memory_mb * 1024 * 1024;
                let lim = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                libc::setrlimit(libc::RLIMIT_AS, &lim);
            }
            let no_core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            Ok(())
        });
    }
    let mut child = cmd.spawn()?;
    let out_reader = capped_reader(child.stdout.take(), cap);
    let err_reader = capped_reader(child.stderr.take(), cap);
    let status = match timeout {
        None => child.wait().ok(),
        Some(t) => child.wait_timeout(t).ok().flatten(),
    };
    if status.is_none() {
        kill_group(&mut child);
    }
    Ok(Finished {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    })
}

pub(crate) fn kill_group(child: &mut Child) {
    let pid = child.id() as libc::pid_t;
    // SAFETY: signalling the process group we created for this child; no memory is touched.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

pub(crate) fn capped_reader<R: Read + Send + 'static>(
    stream: Option<R>,
    cap: usize,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let Some(mut stream) = stream else {
            return String::new();
        };
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        let mut dropped = false;
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            let room = cap.saturating_sub(kept.len());
            kept.extend_from_slice(&buf[..n.min(room)]);
            dropped |= n > room;
        }
        let mut text = String::from_utf8_lossy(&kept).into_owned();
        if dropped {
            text.push_str("\n… (output truncated)");
        }
        text
    })
}

fn classify(name: &str, status: std::process::ExitStatus, stdout: &str, stderr: &str) -> TestRun {
    let run = |verdict, message: String| TestRun {
        name: name.into(),
        verdict,
        message,
    };
    if status.success() {
        if libtest_passed(name, stdout) {
            return run(Verdict::Passed, String::new());
        }
        return run(
            Verdict::Failed,
            "the test binary ran no test of that name".into(),
        );
    }
    if let Some(sig) = status.signal() {
        let both = format!("{stdout}\n{stderr}");
        let why = if both.contains("has overflowed its stack") {
            "stack overflow (unbounded recursion? use an explicit worklist)".to_string()
        } else if both.contains("memory allocation of") || sig == libc::SIGKILL {
            "out of memory (the test hit its memory limit)".to_string()
        } else {
            format!("killed by signal {sig} ({})", signal_name(sig))
        };
        return run(Verdict::Crashed, why);
    }
    run(Verdict::Failed, failure_message(name, stdout))
}

/// Did libtest report exactly this test as passed? Both its verdict line and a summary of one
/// passed test are required: exit 0 alone also means "no test matched the name". (The output
/// comes from the student's process, so this is a consistency check, not a security one.)
fn libtest_passed(name: &str, stdout: &str) -> bool {
    let verdict = format!("test {name} ... ok");
    let mut lines = stdout.lines().map(str::trim_end);
    lines.any(|l| l == verdict) && lines.any(|l| l.starts_with("test result: ok. 1 passed;"))
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGABRT => "abort",
        libc::SIGSEGV => "segmentation fault",
        libc::SIGBUS => "bus error",
        libc::SIGILL => "illegal instruction",
        libc::SIGFPE => "arithmetic error",
        _ => "signal",
    }
}

/// The panic message libtest printed for `name`, without the backtrace note.
pub fn failure_message(name: &str, stdout: &str) -> String {
    let header = format!("---- {name} stdout ----");
    let Some(start) = stdout.find(&header) else {
        return stdout.trim().lines().last().unwrap_or("failed").to_string();
    };
    let body = &stdout[start + header.len()..];
    let end = body.find("\nfailures:").unwrap_or(body.len());
    body[..end]
        .lines()
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
        .map(without_thread_id)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// `thread 'name' (12345) panicked at` → `thread 'name' panicked at`: the OS thread id changes
/// from run to run and would make every report differ.
fn without_thread_id(line: &str) -> String {
    if let Some(open) = line.find("' (")
        && let Some(close) = line[open..].find(") panicked")
        && line[open + 3..open + close]
            .chars()
            .all(|c| c.is_ascii_digit())
    {
        return format!("{}'{}", &line[..open], &line[open + close + 1..]);
    }
    line.to_string()
}

/// Run `names` with `jobs` tests at a time; `on_done` is called after each (for progress).
pub fn run_many(
    binary: &TestBinary,
    names: &[String],
    limits: Limits,
    jobs: usize,
    on_done: &(dyn Fn(&TestRun) + Sync),
) -> Vec<TestRun> {
    run_many_with(binary, names, limits, jobs, on_done, None)
}

/// [`run_many`], each test started by `launcher` if there is one.
pub fn run_many_with(
    binary: &TestBinary,
    names: &[String],
    limits: Limits,
    jobs: usize,
    on_done: &(dyn Fn(&TestRun) + Sync),
    launcher: Option<&dyn Launcher>,
) -> Vec<TestRun> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<TestRun>>> = Mutex::new(vec![None; names.len()]);
    std::thread::scope(|s| {
        for slot in 0..jobs.max(1).min(names.len().max(1)) {
            let (next, results) = (&next, &results);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(name) = names.get(i) else { break };
                    let r = run_test(binary, name, limits, launcher.map(|l| (l, slot)));
                    on_done(&r);
                    results.lock().expect("results lock")[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("results lock")
        .into_iter()
        .flatten()
        .collect()
}

/// Default parallelism: the machine's cores.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_needs_the_tests_own_ok_line_and_the_summary() {
        let ok = "\nrunning 1 test\ntest m::t ... ok\n\n\
                  test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; \
                  finished in 0.00s\n\n";
        let exit0 = std::process::ExitStatus::from_raw(0);
        assert_eq!(classify("m::t", exit0, ok, "").verdict, Verdict::Passed);
        // Another test's name, a bare "1 passed" printed by the code, or no summary: not a pass.
        assert_eq!(classify("m::u", exit0, ok, "").verdict, Verdict::Failed);
        let forged = "running 0 tests\nI printed 1 passed\ntest result: ok. 0 passed;\n";
        assert_eq!(classify("m::t", exit0, forged, "").verdict, Verdict::Failed);
        let no_summary = "running 1 test\ntest m::t ... ok\n";
        assert_eq!(
            classify("m::t", exit0, no_summary, "").verdict,
            Verdict::Failed
        );
    }

    #[test]
    fn failure_message_keeps_the_panic_and_drops_the_backtrace_note() {
        let out = "running 1 test\ntest m::t ... FAILED\n\nfailures:\n\n---- m::t stdout ----\n\n\
                   thread 'm::t' (4242) panicked at src/x.rs:3:5:\nnot yet implemented: decref\n\
                   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\n\
                   failures:\n    m::t\n";
        assert_eq!(
            failure_message("m::t", out),
            "thread 'm::t' panicked at src/x.rs:3:5:\nnot yet implemented: decref"
        );
    }
}
