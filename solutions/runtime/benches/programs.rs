//! The runtime (on the solution crates) against CPython 3.11 on the same Python programs, in one
//! run: `cargo bench -p runtime-solution --bench programs` (about a minute).
//!
//! Programs: binary-trees (the benchmarks game's, depth 12: allocation and deallocation of
//! millions of small tuples) and a GC-heavy one (200 rings of 100 instances, each ring garbage at
//! once: automatic collections do the freeing). Both print the same on either interpreter (the
//! bench checks it first).
//!
//! What is timed is the same on both sides: compiling (parsing) the program and running it, in
//! an interpreter that is already started. CPython runs in a subprocess that times its own
//! `compile` + `exec` with `time.perf_counter` (its start-up is not counted), with stdout
//! redirected to a `StringIO`, as the runtime collects its output in a `String`. Criterion
//! reports each side; the summary prints the medians of interleaved runs and the ratio
//! runtime / CPython (below 1.0: the runtime is faster). The interpreter is `python3`, or
//! `COURSE_PYTHON311`.
//!
//! Last, memory: every corpus program (`exercises/runtime/tests/programs`) runs on both with
//! `tracemalloc` started first, and the table gives each one's peak traced memory and the ratio.
//! The runtime traces the blocks of its objects in your allocator; CPython traces every block,
//! its code objects and type internals included, so small programs that define classes have a
//! higher peak on CPython. (Programs that use tracemalloc themselves are left out.)

#[path = "../../bench_table.rs"]
mod bench_table;
use bench_table::Table;
use std::process::Command;
use std::time::Duration;

use criterion::Criterion;

const BINARY_TREES: &str = include_str!("programs/binary_trees.py");
const GC_HEAVY: &str = include_str!("programs/gc_heavy.py");

/// Runs `source` `runs` times in one CPython process; returns the time of each run.
fn cpython(source: &str, runs: usize) -> Vec<Duration> {
    const HARNESS: &str = r#"
import io, sys, time
src = sys.stdin.read()
runs = int(sys.argv[1])
out = []
for _ in range(runs):
    saved, sys.stdout = sys.stdout, io.StringIO()
    t = time.perf_counter()
    exec(compile(src, "program.py", "exec"), {"__name__": "__main__"})
    dt = time.perf_counter() - t
    sys.stdout = saved
    out.append(dt)
print(" ".join(repr(x) for x in out))
"#;
    let python = std::env::var("COURSE_PYTHON311").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(python)
        .args(["-c", HARNESS, &runs.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (set COURSE_PYTHON311 to a CPython 3.11)");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(source.as_bytes())
        .expect("write the program");
    let out = child.wait_with_output().expect("python3 finishes");
    assert!(out.status.success(), "the CPython harness failed");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(|s| Duration::from_secs_f64(s.parse().expect("a duration")))
        .collect()
}

/// Runs `source` once on the runtime; returns the time and what it printed.
fn ours(source: &str) -> (Duration, String) {
    let start = std::time::Instant::now();
    let out = runtime::run_source(source, "program.py", &runtime::Options::default());
    (start.elapsed(), out.text)
}

fn python_output(source: &str) -> String {
    let python = std::env::var("COURSE_PYTHON311").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .args([
            "-c",
            "import sys; exec(compile(sys.stdin.read(), 'program.py', 'exec'))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .expect("piped")
                .write_all(source.as_bytes())?;
            c.wait_with_output()
        })
        .expect("python3 runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `source` with tracemalloc started first and its peak printed last.
fn with_peak(source: &str) -> String {
    let body = source
        .split("# Expected output")
        .next()
        .expect("split gives one part");
    format!(
        "import tracemalloc\ntracemalloc.start()\n{body}\nprint('PEAK', tracemalloc.get_traced_memory()[1])\n"
    )
}

fn peak_of(output: &str) -> Option<usize> {
    output
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("PEAK ")?.trim().parse().ok())
}

fn peaks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../exercises/runtime/tests/programs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    let mut table = Table::new(
        "Peak traced memory (tracemalloc, bytes), runtime vs CPython 3.11, program by program",
        &["program", "runtime", "CPython", "ratio"],
    )
    .folded();
    let mut ratios = Vec::new();
    for path in files {
        let source = std::fs::read_to_string(&path).expect("readable");
        if source.contains("tracemalloc") {
            continue;
        }
        let program = with_peak(&source);
        let ours = peak_of(&ours(&program).1);
        let theirs = peak_of(&python_output(&program));
        let name = path
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        if let (Some(a), Some(b)) = (ours, theirs) {
            let r = a as f64 / b as f64;
            ratios.push(r);
            table.row(vec![name, a.to_string(), b.to_string(), format!("{r:.2}")]);
        }
    }
    ratios.sort_by(f64::total_cmp);
    if !ratios.is_empty() {
        table.note(format!("median ratio: {:.2}", ratios[ratios.len() / 2]));
    }
    table.finish();
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let programs = [("binary-trees", BINARY_TREES), ("gc-heavy", GC_HEAVY)];
    for (name, source) in programs {
        let (_, text) = ours(source);
        assert_eq!(
            text,
            python_output(source),
            "{name}: the runtime and CPython disagree"
        );
    }
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10)
        .configure_from_args();
    for (name, source) in programs {
        let mut group = c.benchmark_group(name);
        group.bench_function("runtime", |b| b.iter(|| ours(source)));
        group.bench_function("cpython", |b| {
            b.iter_custom(|iters| cpython(source, iters as usize).into_iter().sum())
        });
        group.finish();
    }
    c.final_summary();

    let mut table = Table::new(
        "Median of 9 interleaved runs, the runtime (on the solution crates) vs CPython 3.11",
        &["program", "runtime", "CPython", "runtime / CPython"],
    );
    for (name, source) in programs {
        let (mut mine, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..9 {
            mine.push(ours(source).0);
            theirs.extend(cpython(source, 1));
        }
        let (m, t) = (median(mine), median(theirs));
        table.row(vec![
            name.to_string(),
            format!("{:.1} ms", m.as_secs_f64() * 1e3),
            format!("{:.1} ms", t.as_secs_f64() * 1e3),
            format!("{:.2}×", m.as_secs_f64() / t.as_secs_f64()),
        ]);
    }
    table.finish();
    peaks();
}
