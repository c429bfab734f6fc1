//! The solution allocator against glibc malloc, mimalloc and CPython's own pymalloc, in one run:
//! `cargo bench -p allocator-solution --bench throughput` (a few minutes; the first run also
//! records the CPython program's trace).
//!
//! Workloads: two synthetic Python-like small-object traces (sizes 16-512 bytes, mostly
//! short-lived, some long-lived), the trace files of `exercises/allocator/tests/chapters/traces`,
//! and a real CPython program's requests, recorded into `target/traces` on the first run.
//! Each allocator replays a whole trace per iteration with `allocator::replay::run` (one byte
//! written per new block, as a new object's header would be), on one long-lived allocator
//! instance, so that the steady state is measured, not start-up. The solution's instances are
//! first given one live block of every size class (`warm`), as a running interpreter has.
//!
//! Criterion reports the time per replay. A summary at the end prints the throughput ratios
//! (median of interleaved runs), then a second table: the utilisation of malloc lab's mdriver
//! (peak live payload / peak bytes obtained) of every allocator, measured the same way for each,
//! in fresh processes (`support/utilisation.rs`).
//!
//! pymalloc runs as CPython runs it, without a lock (the GIL serialises callers); glibc and
//! mimalloc are thread-safe, with per-thread caches. A third table compares them like for like:
//! the `GlobalAlloc` adapter (a per-thread cache in front of the locked pymalloc) against glibc
//! and mimalloc, all called through `GlobalAlloc` with a `Layout` (`support/global.rs`). The reference a learner most wants,
//! CPython's own C pymalloc (`PyObject_Malloc` of the installed CPython, see
//! `support/cpython.rs`), is the fifth, in the same run; without a shared libpython it is
//! skipped with a note.

use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::time::{Duration, Instant};

use allocator::obmalloc::Obmalloc;
use allocator::replay::{self, Op, Trace};
use allocator::size_class::{ALIGNMENT, Allocator, SMALL_REQUEST_THRESHOLD};
use allocator::workloads::{Glibc, python_like, temporaries};
use criterion::{Criterion, Throughput};
use mimalloc::MiMalloc;

#[path = "../../bench_table.rs"]
mod bench_table;
#[path = "support/cpython.rs"]
mod cpython;
#[path = "support/global.rs"]
mod global;
#[path = "support/utilisation.rs"]
mod utilisation;
use bench_table::Table;
use cpython::CPython;

/// mimalloc through its `GlobalAlloc` implementation (which calls `mi_malloc_aligned`,
/// `mi_free` and `mi_realloc_aligned`; `mi_free` and `mi_realloc` ignore the old size).
struct Mimalloc;

fn layout16(size: usize) -> Layout {
    Layout::from_size_align(size.max(1), 16).expect("valid layout")
}

impl Allocator for Mimalloc {
    fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        // SAFETY: the layout has a non-zero size.
        unsafe { MiMalloc.alloc(layout16(nbytes)) }
    }
    fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        // SAFETY: the layout has a non-zero size.
        unsafe { MiMalloc.alloc_zeroed(layout16(nelem * elsize)) }
    }
    unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        if p.is_null() {
            return self.malloc(nbytes);
        }
        // SAFETY: p is a live mimalloc block; mimalloc only reads the alignment.
        unsafe { MiMalloc.realloc(p, layout16(1), nbytes.max(1)) }
    }
    unsafe fn free(&mut self, p: *mut u8) {
        if !p.is_null() {
            // SAFETY: p is a live mimalloc block; mi_free ignores the layout.
            unsafe { MiMalloc.dealloc(p, layout16(1)) }
        }
    }
}

fn workloads() -> Vec<Trace> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../exercises/allocator/tests/chapters/traces"
    );
    let mut w = vec![
        python_like(200_000, 0x9e37_79b9_7f4a_7c15),
        temporaries(12_500, true),
        temporaries(12_500, false),
    ];
    for f in [
        "python-objects.rep",
        "binary-trees.rep",
        "list-growth.rep",
        "mixed-sizes.rep",
        "cfrac.rep",
        "sh6bench.rep",
        "alloc-test.rep",
        "glibc-simple.rep",
    ] {
        w.push(Trace::load(format!("{dir}/{f}")).expect("trace file"));
    }
    w.extend(cpython_program(dir));
    w
}

/// The trace of a real CPython program (`generate.py --cpython-program`, see there), too large
/// to commit: it is recorded into `target/traces` when absent. `None`, after a note, where it
/// cannot be recorded (no python3, gcc or CPython headers). Notes and the generator's output go
/// to stderr, as the utilisation children's stdout carries their result.
fn cpython_program(dir: &str) -> Option<Trace> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/traces/cpython-program.rep"
    );
    if !std::path::Path::new(path).exists() {
        eprintln!("note: recording the CPython program's trace into {path} (about a minute)");
        let status = std::process::Command::new("python3")
            .args(["generate.py", "--cpython-program", path])
            .current_dir(dir)
            .stdout(std::io::stderr())
            .status();
        let skipped = |why: String| {
            eprintln!("note: the cpython-program workload is skipped: {why}");
            None
        };
        match status {
            Ok(s) if s.success() => {}
            // 3: the recorder cannot be built here (the generator said why, above).
            Ok(s) if s.code() == Some(3) => return skipped("see above".into()),
            Ok(s) => panic!("generate.py --cpython-program failed ({s})"),
            Err(e) => return skipped(format!("cannot run python3 ({e})")),
        }
    }
    Some(Trace::load(path).expect("the CPython program's trace"))
}

/// A pymalloc in the state a running interpreter's is in: one block of every size class alive, so
/// that no size class ever has to give its last pool back to the arena. CPython's column has that
/// for free (the interpreter's own objects hold pools of every class); without it, a fresh
/// allocator replaying a trace with no long-lived block of some class (pool-thrash) returns that
/// pool to its arena whenever a burst ends, and takes and initialises it again for the next one:
/// it would be measured in a state no program is in. The blocks are never freed.
fn warm<A: Allocator>(mut a: A) -> A {
    for class in 0..(SMALL_REQUEST_THRESHOLD / ALIGNMENT) {
        let _ = a.malloc((class + 1) * ALIGNMENT);
    }
    a
}

fn bench_with<A: Allocator>(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    mut a: A,
    t: &Trace,
) {
    let mut scratch = Vec::new();
    c.bench_function(name, |b| {
        b.iter(|| replay::run(black_box(&mut a), black_box(t), &mut scratch))
    });
}

fn time_one<A: Allocator>(a: &mut A, t: &Trace, scratch: &mut Vec<*mut u8>) -> Duration {
    let start = Instant::now();
    replay::run(black_box(a), black_box(t), scratch);
    start.elapsed()
}

/// Median time of `rounds` replays for each allocator (the solution, glibc, mimalloc, and
/// CPython's pymalloc when loaded), interleaved so that machine noise
/// hits all of them alike (an uncounted first round warms them up).
fn medians(t: &Trace, rounds: usize, cpython: Option<&CPython>) -> Vec<Duration> {
    let mut py = warm(Obmalloc::new());
    let mut cp = cpython.cloned();
    let mut scratch = Vec::new();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); 4];
    for round in 0..=rounds {
        let mut sample = vec![
            time_one(&mut py, t, &mut scratch),
            time_one(&mut Glibc, t, &mut scratch),
            time_one(&mut Mimalloc, t, &mut scratch),
        ];
        if let Some(cp) = &mut cp {
            sample.push(time_one(cp, t, &mut scratch));
        }
        if round > 0 {
            for (k, d) in sample.into_iter().enumerate() {
                times[k].push(d);
            }
        }
    }
    times
        .into_iter()
        .filter(|v| !v.is_empty())
        .map(|mut v| {
            v.sort();
            v[v.len() / 2]
        })
        .collect()
}

/// The child process of a utilisation measurement (see `support/utilisation.rs`): measures one
/// allocator on one workload, prints the ratio and exits.
fn utilisation_child(allocator: &str, index: &str) {
    let traces = workloads();
    let t = &traces[index.parse::<usize>().expect("a workload index")];
    let ratio = match allocator {
        "glibc" => Some(utilisation::glibc(t)),
        "mimalloc" => Some(utilisation::mimalloc(Mimalloc, t)),
        "cpython" => CPython::load()
            .ok()
            .and_then(|cp| utilisation::cpython(cp, t)),
        _ => Some(utilisation::pymalloc(t)),
    };
    match ratio {
        Some(r) => println!("{r}"),
        None => std::process::exit(1),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, allocator, index] = &args[..]
        && mode == utilisation::CHILD_ARG
    {
        return utilisation_child(allocator, index);
    }
    let traces = workloads();
    let cpython = CPython::load()
        .map_err(|why| println!("note: CPython's pymalloc column is skipped: {why}"))
        .ok();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(10)
        .without_plots()
        .configure_from_args();
    for t in &traces {
        let mut g = c.benchmark_group(t.name.trim_end_matches(".rep").to_string());
        g.throughput(Throughput::Elements(t.ops.len() as u64));
        bench_with(&mut g, "pymalloc", warm(Obmalloc::new()), t);
        bench_with(&mut g, "glibc", Glibc, t);
        bench_with(&mut g, "mimalloc", Mimalloc, t);
        if let Some(cp) = &cpython {
            bench_with(&mut g, "cpython-pymalloc", cp.clone(), t);
        }
        g.finish();
    }
    c.final_summary();

    let mut table = Table::new(
        format!(
            "Throughput (million requests/s, median of 15 interleaved replays) and ratios{}",
            cpython
                .as_ref()
                .map_or(String::new(), |c| format!("; CPython {}", c.version))
        ),
        &[
            "workload",
            "pymalloc",
            "glibc",
            "mimalloc",
            "CPython",
            "py/glibc",
            "py/mimalloc",
            "py/CPython",
        ],
    );
    for t in &traces {
        let m = medians(t, 15, cpython.as_ref());
        let mops = |d: Duration| format!("{:.1}", t.ops.len() as f64 / d.as_secs_f64() / 1e6);
        let ratio = |d: Duration| format!("{:.2}×", d.as_secs_f64() / m[0].as_secs_f64());
        let (cp, vs_cp) = match m.get(3) {
            Some(&d) => (mops(d), ratio(d)),
            None => ("-".into(), "-".into()),
        };
        table.row(vec![
            t.name.trim_end_matches(".rep").to_string(),
            mops(m[0]),
            mops(m[1]),
            mops(m[2]),
            cp,
            ratio(m[1]),
            ratio(m[2]),
            vs_cp,
        ]);
    }
    table.note(
        "Ratios are the other allocator's time over pymalloc's: above 1, pymalloc is faster.",
    );
    table.finish();

    let mut table = Table::new(
        "Utilisation: peak live payload / peak bytes obtained, each allocator replaying the \
         trace alone in a fresh process",
        &[
            "workload",
            "peak payload",
            "pymalloc",
            "glibc",
            "mimalloc",
            "CPython",
        ],
    );
    for (i, t) in traces.iter().enumerate() {
        let mut row = vec![
            t.name.trim_end_matches(".rep").to_string(),
            format!("{:.0} KiB", peak_payload(t) as f64 / 1024.0),
        ];
        for name in utilisation::ALLOCATORS {
            let cell = if name == "pymalloc" {
                Some(utilisation::pymalloc(t))
            } else {
                utilisation::in_child(name, i)
            };
            row.push(cell.map_or("-".into(), |r| format!("{:.1} %", 100.0 * r)));
        }
        table.row(row);
    }
    table.note(
        "pymalloc and CPython: arenas held plus the payload of what they pass to malloc; glibc: \
         mallinfo2 arena + hblkhd; mimalloc: peak committed. Traces under a few MiB mostly \
         measure granularity (an arena is 1 MiB).",
    );
    table.finish();
    global_table(&traces);
}

/// The `GlobalAlloc` adapter (per-thread cache in front of the locked pymalloc) against glibc
/// and mimalloc, all three called as a Rust program calls its global allocator.
fn global_table(traces: &[Trace]) {
    let mut table = Table::new(
        "Through GlobalAlloc, as a Rust program calls it (million requests/s, median of 15 \
         interleaved replays) and ratios",
        &[
            "workload",
            "adapter",
            "glibc",
            "mimalloc",
            "adapter/glibc",
            "adapter/mimalloc",
        ],
    );
    for t in traces {
        let m = global::medians(t, 15);
        let mops = |d: Duration| format!("{:.1}", t.ops.len() as f64 / d.as_secs_f64() / 1e6);
        let ratio = |d: Duration| format!("{:.2}×", d.as_secs_f64() / m[0].as_secs_f64());
        table.row(vec![
            t.name.trim_end_matches(".rep").to_string(),
            mops(m[0]),
            mops(m[1]),
            mops(m[2]),
            ratio(m[1]),
            ratio(m[2]),
        ]);
    }
    table.note(
        "adapter is allocator::global::PyMalloc: a cache of free blocks per thread in front of \
         pymalloc behind a Mutex. Ratios are the other allocator's time over the adapter's.",
    );
    table.finish();
}

/// The trace's peak live payload, in bytes.
fn peak_payload(t: &Trace) -> usize {
    let mut sizes = vec![0usize; t.num_ids];
    let (mut live, mut peak) = (0usize, 0usize);
    for op in &t.ops {
        match *op {
            Op::Alloc { id, size } | Op::Realloc { id, size } => {
                live = live - sizes[id] + size;
                sizes[id] = size;
            }
            Op::Free { id } => {
                live -= sizes[id];
                sizes[id] = 0;
            }
        }
        peak = peak.max(live);
    }
    peak
}
