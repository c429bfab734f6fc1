//! Our collector against CPython 3.11's on many graph shapes, in the same run: each shape is
//! built in our heap (`shapes.rs`) and in CPython (`cpython.py`, run by this program), then
//! collected, and the table gives ns per tracked object and the ratio ours / CPython's (below
//! 1.0 means faster). The course's goal is at most 0.5x on every shape.
//!
//! Run: `cargo bench -p collector-solution --bench collect` (objects per shape:
//! `COLLECTOR_BENCH_N`, default 1 000 000; interpreter: `COURSE_PYTHON311`, default `python3`).
//! Each figure is the best of its runs in three fresh processes, on both sides. Not a timed test: the numbers are for
//! reading; `cargo test --benches` runs it on tiny shapes to check that it works.
//!
//! The shapes (the same objects, references and tracking on both sides):
//! - ring: N objects, each referencing the next, the last the first; the program holds one
//!   (live) or none (garbage). In CPython, `__slots__ = ("next",)` instances.
//! - pairs: N/2 two-object cycles held by one list, then dropped: all garbage.
//! - tree: a complete binary tree of at most N objects, live.
//! - dict-of-lists: one dict of N/10 lists of 9 ints, live (the ints are not tracked).
//! - gc_collect: the analogue of pyperformance's `gc_collect`: cycles of 20 nodes, each
//!   holding its edges in a list, all garbage.
//! - gc_traversal: the analogue of pyperformance's `gc_traversal`: N lists nested 10 wide, live.
//! - gen0 with an old generation: a generation-0 collection of 700 objects of cyclic garbage,
//!   with nothing older and with a live N-object ring in generation 2. Its cost must not grow
//!   with the old generation (a young collection never looks at older objects).

#[path = "../../../bench_table.rs"]
mod bench_table;
mod shapes;

use std::process::Command;
use std::time::{Duration, Instant};

use bench_table::Table;
use shapes::Built;

const RUNS: usize = 5;
/// Fresh processes per shape and side: a figure is the best of `PROCESSES` × `RUNS` runs.
/// Where the C library and the kernel place a million objects changes a memory-bound shape's
/// time by up to twofold from one process to the next, on both sides; within one process, runs
/// agree.
const PROCESSES: usize = 3;
const YOUNG: usize = 700;

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn ns_per(times: impl Iterator<Item = Duration>, objects: usize) -> f64 {
    let best = times.min().expect("at least one run");
    best.as_nanos() as f64 / objects as f64
}

/// Full collections of a live shape, on the same heap.
fn live(built: Built) -> f64 {
    let Built {
        mut heap, tracked, ..
    } = built;
    ns_per(
        (0..RUNS).map(|_| time(|| assert_eq!(heap.collect(2), Ok(0)))),
        tracked,
    )
}

/// A full collection of a shape the program just dropped, rebuilt for every run.
fn garbage(build: impl Fn() -> Built) -> f64 {
    let mut tracked = 0;
    let times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let Built {
                mut heap,
                root,
                tracked: t,
            } = build();
            tracked = t;
            heap.decref(root);
            time(|| assert_eq!(heap.collect(2), Ok(t)))
        })
        .collect();
    ns_per(times.into_iter(), tracked)
}

/// Generation-0 collections of `YOUNG` objects of garbage, above an old generation of `old`.
fn gen0_with_old(old: usize) -> f64 {
    let mut heap = shapes::old_generation(old);
    let times: Vec<Duration> = (0..RUNS * 5)
        .map(|_| {
            shapes::young_pairs(&mut heap, YOUNG);
            time(|| assert_eq!(heap.collect(0), Ok(YOUNG)))
        })
        .collect();
    ns_per(times.into_iter(), YOUNG)
}

/// How our collector runs one shape: its ns per object.
type Run = Box<dyn Fn() -> f64>;

/// Every shape, with its name in `cpython.py` and how our collector runs it.
fn shapes(n: usize) -> Vec<(&'static str, Run)> {
    vec![
        ("ring-live", Box::new(move || live(shapes::ring(n)))),
        (
            "ring-garbage",
            Box::new(move || garbage(|| shapes::ring(n))),
        ),
        (
            "pairs-garbage",
            Box::new(move || garbage(|| shapes::pairs(n))),
        ),
        (
            "tree-live",
            Box::new(move || live(shapes::tree(shapes::depth_for(n)))),
        ),
        (
            "dict-of-lists-live",
            Box::new(move || live(shapes::dict_of_lists(n))),
        ),
        (
            "gc_collect-garbage",
            Box::new(move || garbage(|| shapes::linked_cycles(n))),
        ),
        (
            "gc_traversal-live",
            Box::new(move || live(shapes::nested_lists(n))),
        ),
        ("gen0-old-0", Box::new(|| gen0_with_old(0))),
        ("gen0-old-N", Box::new(move || gen0_with_old(n))),
    ]
}

/// The argument that makes this program measure one of our shapes and print its ns per object.
const CHILD_ARG: &str = "--one-shape";

/// One of our shapes, measured in a fresh process (this program, run again with
/// [`CHILD_ARG`]), as `cpython.py` measures each of CPython's: a shape measured after the
/// million-object ones would find the C heap they fragmented (a generation-0 collection ran
/// about a third slower there in some processes).
fn ours(n: usize, shape: &str) -> f64 {
    let out = Command::new(std::env::current_exe().expect("the bench's own path"))
        .args([CHILD_ARG, shape, &n.to_string()])
        .output()
        .expect("the bench can run itself");
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim().parse().unwrap_or_else(|_| {
        panic!(
            "shape {shape} failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// One shape in CPython, in ns per object: `Err` says why it could not run.
fn cpython(python: &str, n: usize, shape: &str) -> Result<f64, String> {
    let out = Command::new(python)
        .args(["-c", include_str!("cpython.py")])
        .args([n.to_string(), RUNS.to_string(), shape.to_string()])
        .output()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{python} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .nth(1)
        .and_then(|ns| ns.parse().ok())
        .ok_or_else(|| format!("unexpected output from {python}: {text}"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, shape, n] = &args[..]
        && mode == CHILD_ARG
    {
        let n = n.parse().expect("a number of objects");
        let (_, run) = shapes(n)
            .into_iter()
            .find(|(name, _)| name == shape)
            .expect("a shape name");
        return println!("{}", run());
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then use tiny shapes.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("COLLECTOR_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if benching { 1_000_000 } else { 1_000 });
    if !benching {
        println!("(tiny shapes: this checks that the benchmark runs; its figures mean nothing)");
    }
    let python = std::env::var("COURSE_PYTHON311").unwrap_or_else(|_| "python3".to_string());
    let mut table = Table::new(
        format!(
            "Collections of {n}-object shapes, ours and CPython 3.11's (best of {PROCESSES} \
             processes × {RUNS} runs; gen0: {} runs of {YOUNG} young objects)",
            RUNS * 5
        ),
        &[
            "shape",
            "ours ns/object",
            "CPython ns/object",
            "ours / CPython",
        ],
    );
    // Ours then CPython's, shape by shape, each in a fresh process, so that both sides of a
    // ratio see the same machine and start from the same state.
    let mut cpython_ok = true;
    for (name, _) in shapes(n) {
        let mut ours_best = f64::MAX;
        let mut theirs_best: Option<f64> = None;
        for _ in 0..PROCESSES {
            ours_best = ours_best.min(ours(n, name));
            if cpython_ok {
                match cpython(&python, n, name) {
                    Ok(t) => theirs_best = Some(theirs_best.map_or(t, |b| b.min(t))),
                    Err(why) => {
                        eprintln!("{why}; CPython's column is left empty");
                        cpython_ok = false;
                        theirs_best = None;
                    }
                }
            }
        }
        let (ours, theirs) = (ours_best, theirs_best);
        let (b, ratio) = match theirs {
            Some(b) => (format!("{b:.1}"), format!("{:.2}×", ours / b)),
            None => ("-".into(), "-".into()),
        };
        table.row(vec![name.into(), format!("{ours:.1}"), b, ratio]);
    }
    table.note(
        "ns per tracked object; below 1, ours is faster. CPython's full collections are not \
         charged for the interpreter's own objects (their cost is measured first and subtracted).",
    );
    table.finish();
}
