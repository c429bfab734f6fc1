//! A full collection (`collect(2)`) of a 1 000 000-object ring, live and garbage, in our
//! collector and in CPython 3.11's `gc.collect()` on the same shape, run from this benchmark.
//!
//! Run: `cargo bench -p collector-solution --bench collect` (N objects: `COLLECTOR_BENCH_N`,
//! interpreter: `COURSE_PYTHON311`, default `python3`). Reports ns per object and the ratio
//! ours / CPython's (below 1.0 means faster). Not a timed test: the numbers are for reading.
//!
//! The shape: N objects, each holding one reference to the next, the last to the first; the
//! program keeps a reference to the first object only ("live"), or to none ("garbage"). In
//! CPython the objects are instances of `class Node: __slots__ = ("next",)`.

use std::process::Command;
use std::time::{Duration, Instant};

use collector::cycles::{GcHeap, ObjId};

const RUNS_LIVE: usize = 5;
const RUNS_GARBAGE: usize = 3;

/// A ring of `n` objects; the caller holds a reference to the returned first object only. The
/// ring is in generation 2, as after a first full collection.
fn ring(n: usize) -> (GcHeap, ObjId) {
    let mut heap = GcHeap::new();
    let ids: Vec<ObjId> = (0..n).map(|_| heap.alloc("")).collect();
    for i in 0..n {
        heap.link(ids[i], ids[(i + 1) % n]);
    }
    for &op in &ids[1..] {
        heap.decref(op);
    }
    assert_eq!(heap.collect(2), Ok(0));
    (heap, ids[0])
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// The best of the runs, in ns per object.
fn best(times: &[Duration], n: usize) -> f64 {
    let min = times.iter().min().expect("at least one run");
    min.as_nanos() as f64 / n as f64
}

fn ours(n: usize) -> (f64, f64) {
    let (mut heap, _head) = ring(n);
    let live: Vec<Duration> = (0..RUNS_LIVE)
        .map(|_| time(|| assert_eq!(heap.collect(2), Ok(0))))
        .collect();
    drop(heap);
    let garbage: Vec<Duration> = (0..RUNS_GARBAGE)
        .map(|_| {
            let (mut heap, head) = ring(n);
            heap.decref(head);
            time(|| assert_eq!(heap.collect(2), Ok(n)))
        })
        .collect();
    (best(&live, n), best(&garbage, n))
}

const CPYTHON: &str = r#"
import gc, sys, time
N, RUNS_LIVE, RUNS_GARBAGE = map(int, sys.argv[1:4])

class Node:
    __slots__ = ("next",)

def ring():
    nodes = [Node() for _ in range(N)]
    for i in range(N):
        nodes[i].next = nodes[(i + 1) % N]
    head = nodes[0]
    del nodes
    gc.collect()  # the ring moves to generation 2
    return head

def timed():
    t = time.perf_counter_ns()
    found = gc.collect()
    return time.perf_counter_ns() - t, found

gc.disable()
head = ring()
live = min(timed()[0] for _ in range(RUNS_LIVE))
del head
garbage = []
for _ in range(RUNS_GARBAGE):
    head = ring()
    del head
    t, found = timed()
    assert found >= N, found
    garbage.append(t)
print(live / N, min(garbage) / N)
"#;

fn cpython(n: usize) -> Option<(f64, f64)> {
    let python = std::env::var("COURSE_PYTHON311").unwrap_or_else(|_| "python3".to_string());
    let out = Command::new(&python)
        .args(["-c", CPYTHON])
        .args([n, RUNS_LIVE, RUNS_GARBAGE].map(|x| x.to_string()))
        .output()
        .map_err(|e| eprintln!("cannot run {python}: {e}"))
        .ok()?;
    if !out.status.success() {
        eprintln!("{python} failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut numbers = text.split_whitespace().map(|x| x.parse::<f64>().ok());
    Some((numbers.next()??, numbers.next()??))
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then run a tiny ring.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("COLLECTOR_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if benching { 1_000_000 } else { 1_000 });
    let (live, garbage) = ours(n);
    println!(
        "full collection of a {n}-object ring (best of {RUNS_LIVE} live / {RUNS_GARBAGE} garbage runs)"
    );
    println!(
        "{:<10} {:>14} {:>14} {:>8}",
        "ring", "ours ns/obj", "CPython ns/obj", "ratio"
    );
    match cpython(n) {
        Some((py_live, py_garbage)) => {
            for (label, a, b) in [("live", live, py_live), ("garbage", garbage, py_garbage)] {
                println!("{label:<10} {a:>14.1} {b:>14.1} {:>7.2}x", a / b);
            }
        }
        None => {
            println!("{:<10} {live:>14.1} {:>14} {:>8}", "live", "-", "-");
            println!("{:<10} {garbage:>14.1} {:>14} {:>8}", "garbage", "-", "-");
        }
    }
}
