//! Your allocator against glibc's malloc, on the course's traces: the number the grader's
//! leaderboard shows. Run it yourself, optimised (unoptimised code against an optimised C library
//! measures the compiler, not the allocator):
//!
//! ```text
//! cargo run --release -p allocator --example leaderboard
//! ```
//!
//! Workloads: the synthetic Python-like traces of the solution's throughput benchmark (object
//! churn of 16-512 bytes; a function's temporaries; the pool-thrashing worst case) and every
//! `tests/chapters/traces/*.rep` file. Your allocator must first replay each trace correctly
//! (`replay::check`): a fast wrong allocator is not measured. Then, in each of several fresh
//! processes (this program started again), each allocator replays each trace in turn (yours,
//! glibc, glibc, yours, …, so that machine noise hits both alike) on one long-lived instance,
//! after an uncounted warm-up round; the median of the rounds is kept. It takes a few seconds.
//!
//! The last line is for the grader: `leaderboard: ratio=R traces=N`, where R is the geometric
//! mean over the processes and the traces of glibc's time / your time (above 1: faster than
//! glibc). A panic (a `todo!()` left) or a wrong replay exits with a failure and prints no ratio.
//!
//! An optional argument names the folder of `.rep` files (by default the crate's own, found
//! from where it was compiled).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use allocator::obmalloc::Obmalloc;
use allocator::replay::{self, Trace};
use allocator::size_class::Allocator;
use allocator::workloads::{Glibc, python_like, temporaries};

/// Measuring processes. Where a process's arenas, stack and code land (they move with every run)
/// changes its speed: the finished allocator measured 0.9x glibc's speed on a trace in one
/// process and 2.2x in the next. The geometric mean over several processes is repeatable.
const PROCESSES: usize = 7;
/// Set in the measuring processes this program starts (itself again).
const CHILD: &str = "LEADERBOARD_CHILD";
/// Counted rounds per trace and allocator (plus one uncounted warm-up round).
const ROUNDS: usize = 7;
/// A short trace is replayed several times per timed sample, so that a sample lasts at least
/// this long: a 50 µs sample would be mostly timer and scheduler noise.
const MIN_SAMPLE: Duration = Duration::from_millis(2);

/// The folder of `.rep` files: the argument, else the exercise crate's (this file is shared
/// with the solution crate, which runs the exercise's tests from `../../exercises/allocator`).
fn traces_dir() -> Option<PathBuf> {
    if let Some(arg) = std::env::args_os().nth(1) {
        return Some(arg.into());
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        "tests/chapters/traces",
        "../../exercises/allocator/tests/chapters/traces",
    ]
    .into_iter()
    .map(|rel| manifest.join(rel))
    .find(|dir| dir.is_dir())
}

/// Every workload, synthetic ones first, then the trace files by name.
fn workloads() -> Result<Vec<Trace>, String> {
    let mut traces = vec![
        python_like(200_000, 0x9e37_79b9_7f4a_7c15),
        temporaries(12_500, true),
        temporaries(12_500, false),
    ];
    let dir =
        traces_dir().ok_or("cannot find the folder of trace files (tests/chapters/traces)")?;
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rep"))
        .collect();
    files.sort();
    for file in files {
        traces.push(Trace::load(file)?);
    }
    Ok(traces)
}

/// One timed sample: `reps` replays of `t` on `a`.
fn sample<A: Allocator>(a: &mut A, t: &Trace, reps: usize, scratch: &mut Vec<*mut u8>) -> Duration {
    let start = Instant::now();
    for _ in 0..reps {
        replay::run(black_box(&mut *a), black_box(t), scratch);
    }
    start.elapsed()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn geometric_mean(v: &[f64]) -> f64 {
    (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp()
}

/// Median rates (million requests per second) of `student` and of glibc on `t`.
fn measure(student: &mut Obmalloc, t: &Trace) -> (f64, f64) {
    let mut scratch = Vec::new();
    // Warm-up (uncounted), which also sizes the samples from glibc's time.
    sample(student, t, 1, &mut scratch);
    let once = sample(&mut Glibc, t, 1, &mut scratch).max(Duration::from_micros(1));
    let reps = MIN_SAMPLE.as_nanos().div_ceil(once.as_nanos()).max(1) as usize;
    let rate = |d: Duration| (t.ops.len() * reps) as f64 / d.as_secs_f64() / 1e6;
    let (mut yours, mut glibc) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate who goes first (A B B A …): neither always runs on the other's warm caches.
        if round % 2 == 0 {
            yours.push(rate(sample(student, t, reps, &mut scratch)));
            glibc.push(rate(sample(&mut Glibc, t, reps, &mut scratch)));
        } else {
            glibc.push(rate(sample(&mut Glibc, t, reps, &mut scratch)));
            yours.push(rate(sample(student, t, reps, &mut scratch)));
        }
    }
    (median(yours), median(glibc))
}

/// One measuring process: a line `sample <trace number> <your rate> <glibc's rate>` per trace.
fn child(traces: &[Trace]) -> ExitCode {
    let mut student = Obmalloc::new();
    for (k, t) in traces.iter().enumerate() {
        let (yours, glibc) = measure(&mut student, t);
        println!("sample {k} {yours} {glibc}");
    }
    ExitCode::SUCCESS
}

/// Run the measuring processes one after the other: each trace's rates, per process.
fn run_children(traces: &[Trace]) -> Result<Vec<Vec<(f64, f64)>>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut rates = vec![Vec::new(); traces.len()];
    for _ in 0..PROCESSES {
        let out = Command::new(&exe)
            .args(std::env::args_os().skip(1))
            .env(CHILD, "1")
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        if !out.status.success() {
            return Err(format!("a measuring process failed ({})", out.status));
        }
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let words: Vec<&str> = line.split(' ').collect();
            if let ["sample", k, yours, glibc] = words[..]
                && let (Ok(k), Ok(yours), Ok(glibc)) =
                    (k.parse::<usize>(), yours.parse(), glibc.parse())
                && k < traces.len()
            {
                rates[k].push((yours, glibc));
            }
        }
    }
    if rates.iter().any(|r| r.len() != PROCESSES) {
        return Err("a measuring process did not report every trace".into());
    }
    Ok(rates)
}

fn main() -> ExitCode {
    let traces = match workloads() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("leaderboard: {e}");
            return ExitCode::FAILURE;
        }
    };
    if std::env::var_os(CHILD).is_some() {
        return child(&traces);
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "note: an unoptimised build measures the compiler, not your allocator: add --release"
        );
    }
    let mut student = Obmalloc::new();
    for t in &traces {
        if let Err(e) = replay::check(&mut student, t) {
            eprintln!(
                "leaderboard: your allocator replays a trace wrongly, so it is not timed: {e}"
            );
            return ExitCode::FAILURE;
        }
    }
    // Its arenas go back before the measuring processes start.
    drop(student);
    let rates = match run_children(&traces) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("leaderboard: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "{:<20} {:>8} {:>11} {:>11} {:>11} {:>13}",
        "trace", "requests", "yours M/s", "glibc M/s", "glibc/yours", "(per process)"
    );
    let mut ratios = Vec::new();
    for (t, r) in traces.iter().zip(&rates) {
        // Your rate / glibc's rate = glibc's time / your time, measured in the same process.
        let each: Vec<f64> = r.iter().map(|(yours, glibc)| yours / glibc).collect();
        let ratio = geometric_mean(&each);
        ratios.push(ratio);
        let (lo, hi) = each
            .iter()
            .fold((f64::MAX, 0.0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        println!(
            "{:<20} {:>8} {:>11.1} {:>11.1} {:>10.2}x {:>6.2}-{:.2}x",
            t.name.trim_end_matches(".rep"),
            t.ops.len(),
            median(r.iter().map(|x| x.0).collect()),
            median(r.iter().map(|x| x.1).collect()),
            ratio,
            lo,
            hi
        );
    }
    println!(
        "(above 1: faster than glibc; geometric means over {PROCESSES} processes of the medians \
         of {ROUNDS} rounds, then over the traces)"
    );
    println!(
        "leaderboard: ratio={:.4} traces={}",
        geometric_mean(&ratios),
        traces.len()
    );
    ExitCode::SUCCESS
}
