//! The allocator part of `sys._debugmallocstats()` (≈ `_PyObject_DebugMallocStats` and
//! `printone` in CPython 3.11's `Objects/obmalloc.c`).
//!
//! Book: Part III, "Reading `sys._debugmallocstats()`" (`part3-pymalloc/mallocstats.md`).
//!
//! The report walks every arena and every carved pool (full pools are on no list, so walking
//! the arenas is the only way to see them), prints one row per size class in use, then
//! accounts for every byte of the arenas: allocated blocks + available blocks + unused pools +
//! pool headers + quantization (the tail of a pool too small for one more block) + alignment
//! loss = arenas × 1 MiB. Collecting allocates nothing, so it also works on the allocator
//! that serves the process (under [`crate::global::PyMalloc::with`]).

use crate::arena::ArenaSource;
use crate::obmalloc::Obmalloc;
use crate::pool::POOL_SIZE;
use crate::size_class::NB_SMALL_SIZE_CLASSES;

// ANCHOR: api
// ANCHOR: class_stats
/// One row of the class table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ClassStats {
    /// Pools currently holding blocks of this class (used or full).
    pub pools: usize,
    /// Allocated blocks in those pools.
    pub blocks_in_use: usize,
    /// Free blocks in those pools, carved or not: `pools * NUMBLOCKS - in use`.
    pub avail_blocks: usize,
}
// ANCHOR_END: class_stats

/// Everything `_PyObject_DebugMallocStats` prints about pymalloc.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MallocStats {
    /// Per size class; the report prints only classes with pools.
    pub classes: [ClassStats; NB_SMALL_SIZE_CLASSES],
    /// `ntimes_arena_allocated`.
    pub arenas_allocated_total: usize,
    /// `narenas_highwater`.
    pub arenas_highwater: usize,
    /// Arenas attached now (counted while walking the vector).
    pub arenas_current: usize,
    /// Sum over classes of blocks in use × block size.
    pub allocated_bytes: usize,
    /// Sum over classes of available blocks × block size.
    pub available_bytes: usize,
    /// Sum of `nfreepools` over the arenas: empty pools plus pools never carved.
    pub unused_pools: usize,
    /// 48 bytes per pool in use.
    pub pool_header_bytes: usize,
    /// `(POOL_SIZE - 48) % size` per pool in use.
    pub quantization: usize,
    /// One pool per arena whose base is not pool-aligned.
    pub arena_alignment: usize,
    /// `arena_map_mid_count`.
    pub arena_map_mid_nodes: usize,
    /// `arena_map_bot_count`.
    pub arena_map_bot_nodes: usize,
}

// ANCHOR: printone
/// Write to `out` (CPython writes to a `FILE *`) `msg` padded to column 35, `=`, and `value`
/// right-aligned in 21 columns with thousands separators, then a newline; return `value`
/// (CPython's `printone`).
///
/// `printone(out, "# arenas allocated total", 4)` writes
/// `"# arenas allocated total           =                    4\n"`.
pub fn printone(out: &mut impl std::fmt::Write, msg: &str, value: usize) -> usize {
    // ANCHOR_END: printone
    // TODO
    todo!("pad msg to 35 columns, then '=', then the value with commas right-aligned in 21")
}

impl MallocStats {
    // ANCHOR: collect
    /// Walk every attached arena and every pool carved from it (from the first pool boundary
    /// up to `pool_address`), skipping empty pools (`count == 0`), and fill in the counts;
    /// then derive the byte totals from the class table. Allocates nothing.
    pub fn collect<S: ArenaSource>(a: &Obmalloc<S>) -> MallocStats {
        // ANCHOR_END: collect
        // TODO
        todo!(
            "count arenas, unused pools and alignment loss; per pool add to its class row; then the byte sums"
        )
    }

    /// The six byte counts of the second block; they add up to `arenas_current * ARENA_SIZE`.
    pub fn total(&self) -> usize {
        self.allocated_bytes
            + self.available_bytes
            + self.unused_pools * POOL_SIZE
            + self.pool_header_bytes
            + self.quantization
            + self.arena_alignment
    }

    /// The report, in CPython 3.11's exact format (the book's "Debugging memory" chapter shows a full example).
    // ANCHOR: render
    pub fn render(&self) -> String {
        // ANCHOR_END: render
        // TODO
        todo!(
            "the threshold line, the class table (%5u %6u %11zu %15zu %13zu), then printone lines"
        )
    }
}

/// `_PyObject_DebugMallocStats(stderr)`'s text for `a`: [`MallocStats::collect`], then
/// [`MallocStats::render`].
pub fn debug_malloc_stats<S: ArenaSource>(a: &Obmalloc<S>) -> String {
    MallocStats::collect(a).render()
}
// ANCHOR_END: api
