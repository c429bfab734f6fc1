//! Synthetic workloads and a yardstick (given; not an exercise): the Python-like traces and
//! glibc's malloc that the solution's throughput benchmark and the leaderboard program
//! (`examples/leaderboard.rs`, which the grader runs) both measure with, so that the two agree.

use crate::replay::{Op, Trace};
use crate::size_class::Allocator;

/// glibc's malloc, called directly: the yardstick.
pub struct Glibc;

impl Allocator for Glibc {
    fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        // SAFETY: malloc has no preconditions.
        unsafe { libc::malloc(nbytes).cast() }
    }
    fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        // SAFETY: calloc has no preconditions.
        unsafe { libc::calloc(nelem, elsize).cast() }
    }
    unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        // SAFETY: the caller passes null or a live malloc block.
        unsafe { libc::realloc(p.cast(), nbytes).cast() }
    }
    unsafe fn free(&mut self, p: *mut u8) {
        // SAFETY: the caller passes null or a live malloc block, freed once.
        unsafe { libc::free(p.cast()) }
    }
}

/// A small xorshift generator: the synthetic traces are the same in every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A pseudo-random number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Python-like object churn: sizes 16-512 bytes weighted towards
/// the small sizes CPython asks for most; 90% of the objects die young, roughly last-in
/// first-out; 10% live long and die in random order.
pub fn python_like(ops: usize, seed: u64) -> Trace {
    const SIZES: [usize; 16] = [
        16, 24, 28, 32, 32, 40, 48, 56, 56, 64, 72, 96, 136, 184, 272, 512,
    ];
    let mut rng = Rng(seed);
    let (mut young, mut old, mut free_ids) = (Vec::new(), Vec::new(), Vec::new());
    let mut next_id = 0;
    let mut out = Vec::with_capacity(ops);
    while out.len() < ops {
        let r = rng.below(100);
        if r < 52 || young.is_empty() {
            let id = free_ids.pop().unwrap_or_else(|| {
                next_id += 1;
                next_id - 1
            });
            let size = if rng.below(8) == 0 {
                16 + rng.below(497)
            } else {
                SIZES[rng.below(SIZES.len())]
            };
            out.push(Op::Alloc { id, size });
            if rng.below(10) == 0 {
                old.push(id)
            } else {
                young.push(id)
            }
        } else if r < 97 || old.is_empty() {
            let back = (rng.below(4) * rng.below(4)).min(young.len() - 1);
            let id = young.remove(young.len() - 1 - back);
            out.push(Op::Free { id });
            free_ids.push(id);
        } else {
            let id = old.swap_remove(rng.below(old.len()));
            out.push(Op::Free { id });
            free_ids.push(id);
        }
    }
    Trace {
        name: format!("python-like-{ops}"),
        ops: out,
        num_ids: next_id,
    }
}

/// A function's temporaries: a burst of 8 small objects allocated and freed again, over and over:
/// with `residents` (32 long-lived objects per size) as in a running program; without, every
/// burst empties its pools, pymalloc's worst case.
pub fn temporaries(rounds: usize, residents: bool) -> Trace {
    let size = |k: usize| 16 + 16 * (k % 8);
    let resident_ids = if residents { 8..8 + 32 * 8 } else { 8..8 };
    let mut ops: Vec<Op> = resident_ids
        .clone()
        .map(|id| Op::Alloc { id, size: size(id) })
        .collect();
    for r in 0..rounds {
        ops.extend((0..8).map(|i| Op::Alloc {
            id: i,
            size: size(r + i),
        }));
        ops.extend((0..8).rev().map(|id| Op::Free { id }));
    }
    ops.extend(resident_ids.clone().map(|id| Op::Free { id }));
    let name = if residents {
        "temporaries"
    } else {
        "pool-thrash"
    };
    Trace {
        name: name.into(),
        ops,
        num_ids: resident_ids.end,
    }
}
