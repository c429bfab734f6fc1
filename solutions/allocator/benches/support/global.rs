//! The `GlobalAlloc` comparison of the throughput bench: a trace replayed the way a Rust program
//! calls its global allocator, with a `Layout` on every call (the size on `dealloc` and
//! `realloc` included), on the course's adapter (`allocator::global::PyMalloc`, its per-thread
//! cache in front of a locked pymalloc), on glibc through `std::alloc::System` and on mimalloc.
//! All three keep the size of every live block in the same table, so the replay costs them
//! alike; only the allocator differs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::time::{Duration, Instant};

use allocator::global::PyMalloc;
use allocator::replay::{Op, Trace};
use mimalloc::MiMalloc;

/// The allocators compared, in the order of [`medians`]' result.
pub const NAMES: [&str; 3] = ["adapter", "glibc", "mimalloc"];

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size.max(1), 8).expect("valid layout")
}

/// Replay `t` through `g`'s `GlobalAlloc` methods: one byte written per new block, every block
/// still live at the end freed. `blocks` is scratch space holding each id's block and size.
pub fn run<G: GlobalAlloc>(g: &G, t: &Trace, blocks: &mut Vec<(*mut u8, usize)>) {
    blocks.clear();
    blocks.resize(t.num_ids, (std::ptr::null_mut(), 0));
    for op in &t.ops {
        match *op {
            Op::Alloc { id, size } => {
                // SAFETY: the layout has a non-zero size.
                let p = unsafe { g.alloc(layout(size)) };
                // SAFETY: a successful alloc returns at least one writable byte.
                unsafe { p.write(id as u8) };
                blocks[id] = (p, size);
            }
            Op::Realloc { id, size } => {
                let (p, old) = blocks[id];
                // SAFETY: the trace reallocates only live blocks, with their layout.
                blocks[id] = (unsafe { g.realloc(p, layout(old), size.max(1)) }, size);
            }
            Op::Free { id } => {
                let (p, size) = std::mem::replace(&mut blocks[id], (std::ptr::null_mut(), 0));
                // SAFETY: the trace frees only live blocks, once, with their layout.
                unsafe { g.dealloc(p, layout(size)) };
            }
        }
    }
    for &(p, size) in blocks.iter().filter(|(p, _)| !p.is_null()) {
        // SAFETY: the remaining blocks are live; each is freed once with its layout.
        unsafe { g.dealloc(p, layout(size)) };
    }
}

fn time_one<G: GlobalAlloc>(g: &G, t: &Trace, blocks: &mut Vec<(*mut u8, usize)>) -> Duration {
    let start = Instant::now();
    run(black_box(g), black_box(t), blocks);
    start.elapsed()
}

/// Median time of `rounds` interleaved replays on each allocator of [`NAMES`] (an uncounted
/// first round warms them up). The adapter is given one live block of every size class first,
/// as the bench's other pymalloc columns are.
pub fn medians(t: &Trace, rounds: usize) -> Vec<Duration> {
    let adapter = PyMalloc::new();
    for size in (16..=512).step_by(16) {
        // SAFETY: non-zero layout; the block is never freed, on purpose.
        let _ = unsafe { adapter.alloc(layout(size)) };
    }
    let mut blocks = Vec::new();
    let mut times = vec![Vec::new(); NAMES.len()];
    for round in 0..=rounds {
        let sample = [
            time_one(&adapter, t, &mut blocks),
            time_one(&System, t, &mut blocks),
            time_one(&MiMalloc, t, &mut blocks),
        ];
        if round > 0 {
            for (k, d) in sample.into_iter().enumerate() {
                times[k].push(d);
            }
        }
    }
    times
        .into_iter()
        .map(|mut v| {
            v.sort();
            v[v.len() / 2]
        })
        .collect()
}
