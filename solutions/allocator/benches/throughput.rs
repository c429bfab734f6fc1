//! The solution allocator against glibc malloc and mimalloc, in one run:
//! `cargo bench -p allocator-solution` (about a minute).
//!
//! Workloads: two synthetic Python-like small-object traces (sizes 16-512 bytes, mostly
//! short-lived, some long-lived) and the trace files of `exercises/allocator/tests/chapters/traces`.
//! Each allocator replays a whole trace per iteration with `allocator::replay::run` (one byte
//! written per new block, as a new object's header would be), on one long-lived allocator
//! instance, so that the steady state is measured, not start-up.
//!
//! Criterion reports the time per replay. A summary at the end prints the throughput ratios
//! (median of interleaved runs) and, for pymalloc, the utilisation of malloc lab's mdriver:
//! peak live payload / peak bytes obtained for it (arenas, plus the payload of raw blocks).
//!
//! pymalloc runs as CPython runs it, without a lock (the GIL serialises callers); glibc and
//! mimalloc are thread-safe, with per-thread caches. The `GlobalAlloc` adapter, which adds a
//! lock, is shown in the summary as a fourth column. The reference a learner most wants,
//! CPython's own C pymalloc (`PyObject_Malloc` of the installed CPython, see
//! `support/cpython.rs`), is the fifth, in the same run; without a shared libpython it is
//! skipped with a note.

use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::time::{Duration, Instant};

use allocator::arena::ARENA_SIZE;
use allocator::global::PyMalloc;
use allocator::obmalloc::Obmalloc;
use allocator::replay::{self, Op, Trace};
use allocator::size_class::Allocator;
use allocator::workloads::{Glibc, python_like, temporaries};
use criterion::{Criterion, Throughput};
use mimalloc::MiMalloc;

#[path = "../../bench_table.rs"]
mod bench_table;
#[path = "support/cpython.rs"]
mod cpython;
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

/// The `GlobalAlloc` adapter (a lock around every call). Rust passes the size back on free;
/// the adapter ignores it for alignments up to 16, so a nominal layout is passed here too.
struct Locked(PyMalloc);

impl Allocator for Locked {
    fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        // SAFETY: the layout has a non-zero size.
        unsafe { self.0.alloc(layout16(nbytes)) }
    }
    fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        // SAFETY: the layout has a non-zero size.
        unsafe { self.0.alloc_zeroed(layout16(nelem * elsize)) }
    }
    unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        if p.is_null() {
            return self.malloc(nbytes);
        }
        // SAFETY: p is a live block of the adapter.
        unsafe { self.0.realloc(p, layout16(1), nbytes.max(1)) }
    }
    unsafe fn free(&mut self, p: *mut u8) {
        if !p.is_null() {
            // SAFETY: p is a live block of the adapter.
            unsafe { self.0.dealloc(p, layout16(1)) }
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
    ] {
        w.push(Trace::load(format!("{dir}/{f}")).expect("trace file"));
    }
    w
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

/// Median time of `rounds` replays for each allocator (the solution, glibc, mimalloc, the
/// solution behind a lock, and CPython's pymalloc when loaded), interleaved so that machine noise
/// hits all of them alike (an uncounted first round warms them up).
fn medians(t: &Trace, rounds: usize, cpython: Option<&CPython>) -> Vec<Duration> {
    let mut py = Obmalloc::new();
    let mut lk = Locked(PyMalloc::new());
    let mut cp = cpython.cloned();
    let mut scratch = Vec::new();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); 5];
    for round in 0..=rounds {
        let mut sample = vec![
            time_one(&mut py, t, &mut scratch),
            time_one(&mut Glibc, t, &mut scratch),
            time_one(&mut Mimalloc, t, &mut scratch),
            time_one(&mut lk, t, &mut scratch),
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

/// mdriver's utilisation for pymalloc: peak payload / peak footprint, where the footprint is
/// the arenas (1 MiB each) plus the payload of raw blocks (a lower bound of what malloc holds).
fn utilisation(t: &Trace) -> f64 {
    let mut a = Obmalloc::new();
    let mut blocks: Vec<(*mut u8, usize)> = vec![(std::ptr::null_mut(), 0); t.num_ids];
    let (mut payload, mut raw, mut peak_payload, mut peak_footprint) =
        (0usize, 0usize, 0usize, 0usize);
    for op in &t.ops {
        match *op {
            Op::Alloc { id, size } => {
                let p = a.malloc(size);
                raw += if a.address_in_range(p) { 0 } else { size };
                payload += size;
                blocks[id] = (p, size);
            }
            Op::Realloc { id, size } => {
                let (p, old) = blocks[id];
                raw -= if a.address_in_range(p) { 0 } else { old };
                // SAFETY: the trace reallocates live blocks only.
                let q = unsafe { a.realloc(p, size) };
                raw += if a.address_in_range(q) { 0 } else { size };
                payload = payload - old + size;
                blocks[id] = (q, size);
            }
            Op::Free { id } => {
                let (p, old) = blocks[id];
                raw -= if a.address_in_range(p) { 0 } else { old };
                payload -= old;
                // SAFETY: the trace frees live blocks only, once.
                unsafe { a.free(p) };
                blocks[id] = (std::ptr::null_mut(), 0);
            }
        }
        peak_payload = peak_payload.max(payload);
        peak_footprint =
            peak_footprint.max(a.arenas().narenas_currently_allocated() * ARENA_SIZE + raw);
    }
    for (p, _) in blocks {
        // SAFETY: the remaining blocks are live (or null).
        unsafe { a.free(p) };
    }
    peak_payload as f64 / peak_footprint as f64
}

fn main() {
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
        bench_with(&mut g, "pymalloc", Obmalloc::new(), t);
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
            "py+lock",
            "CPython",
            "py/glibc",
            "py/mimalloc",
            "py/CPython",
            "utilisation",
        ],
    );
    for t in &traces {
        let m = medians(t, 15, cpython.as_ref());
        let mops = |d: Duration| format!("{:.1}", t.ops.len() as f64 / d.as_secs_f64() / 1e6);
        let ratio = |d: Duration| format!("{:.2}×", d.as_secs_f64() / m[0].as_secs_f64());
        let (cp, vs_cp) = match m.get(4) {
            Some(&d) => (mops(d), ratio(d)),
            None => ("-".into(), "-".into()),
        };
        table.row(vec![
            t.name.trim_end_matches(".rep").to_string(),
            mops(m[0]),
            mops(m[1]),
            mops(m[2]),
            mops(m[3]),
            cp,
            ratio(m[1]),
            ratio(m[2]),
            vs_cp,
            format!("{:.1} %", 100.0 * utilisation(t)),
        ]);
    }
    table.note(
        "Ratios are the other allocator's time over pymalloc's: above 1, pymalloc is faster. \
         py+lock is pymalloc behind the GlobalAlloc adapter's lock.",
    );
    table.finish();
}
