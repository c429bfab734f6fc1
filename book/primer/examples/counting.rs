//! A `GlobalAlloc` that counts: every heap allocation of the program goes through it.
//!
//! Run it: `cargo run -p primer --example counting`

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::thread::LocalKey;

// ANCHOR: allocator
/// The system allocator, plus counters.
pub struct Counting;

// One set of counters per thread, so that other threads (a test harness, say) do not blur
// what this thread measures. `const` thread-locals of a `Cell<usize>` never allocate, which
// matters: an allocator that allocates would call itself.
thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static REALLOCS: Cell<usize> = const { Cell::new(0) };
    static FREES: Cell<usize> = const { Cell::new(0) };
}

fn bump(counter: &'static LocalKey<Cell<usize>>) {
    // `try_with` fails only while the thread is being torn down: then we do not count.
    let _ = counter.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every method forwards its arguments unchanged to `System`, so each block keeps
// System's guarantees (the layout's size and alignment, valid until freed); the counting
// only touches thread-locals, which neither allocate nor panic.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(&ALLOCS);
        // SAFETY: our caller meets `alloc`'s contract (a non-zero size), which is System's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(&FREES);
        // SAFETY: `ptr` was allocated by `System` (through us) with this `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(&REALLOCS);
        // SAFETY: as in `dealloc`, and our caller meets `realloc`'s contract for new_size.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Install it: from now on `Box`, `Vec`, `String`... all allocate through `Counting`.
#[global_allocator]
static GLOBAL: Counting = Counting;
// ANCHOR_END: allocator

// ANCHOR: measure
/// How many allocations, reallocations and frees this thread made while running `f`.
pub fn measure(f: impl FnOnce()) -> [usize; 3] {
    let now = || [&ALLOCS, &REALLOCS, &FREES].map(|c| c.with(Cell::get));
    let before = now();
    f();
    let after = now();
    [0, 1, 2].map(|i| after[i] - before[i])
}

pub fn run() -> String {
    let mut capacities = [0; 16]; // a plain array: recording must not allocate
    let mut seen = 0;
    let grown = measure(|| {
        let mut v = Vec::new();
        for i in 0..1000u64 {
            v.push(i);
            if seen == 0 || capacities[seen - 1] != v.capacity() {
                capacities[seen] = v.capacity();
                seen += 1;
            }
        }
        black_box(&v); // keep the optimiser from removing the Vec altogether
    });
    let reserved = measure(|| {
        let mut v = Vec::with_capacity(1000);
        for i in 0..1000u64 {
            v.push(i);
        }
        black_box(&v);
    });
    let [a, r, f] = grown;
    let mut out = format!("Vec::new(), 1000 pushes:  {a} alloc, {r} reallocs, {f} free\n");
    out += &format!("capacities: {:?}\n", &capacities[..seen]);
    let [a, r, f] = reserved;
    out += &format!("with_capacity(1000):      {a} alloc, {r} reallocs, {f} free\n");
    out
}
// ANCHOR_END: measure

fn main() {
    print!("{}", run());
}
