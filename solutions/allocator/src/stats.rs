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

/// Write to `out` (CPython writes to a `FILE *`) `msg` padded to column 35, `=`, and `value`
/// right-aligned in 21 columns with thousands separators, then a newline; return `value`
/// (CPython's `printone`).
///
/// `printone(out, "# arenas allocated total", 4)` writes
/// `"# arenas allocated total           =                    4\n"`.
pub fn printone(out: &mut impl std::fmt::Write, msg: &str, value: usize) -> usize {
    let digits = value.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // Like fputs to a FILE*, a failed write is ignored.
    let _ = writeln!(out, "{msg:<35}={grouped:>21}");
    value
}

impl MallocStats {
    /// Walk every attached arena and every pool carved from it (from the first pool boundary
    /// up to `pool_address`), skipping empty pools (`count == 0`), and fill in the counts;
    /// then derive the byte totals from the class table. Allocates nothing.
    pub fn collect<S: ArenaSource>(a: &Obmalloc<S>) -> MallocStats {
        let mut st = MallocStats {
            arenas_allocated_total: a.arenas().ntimes_arena_allocated(),
            arenas_highwater: a.arenas().narenas_highwater(),
            arena_map_mid_nodes: a.arena_map().mid_count(),
            arena_map_bot_nodes: a.arena_map().bot_count(),
            ..MallocStats::default()
        };
        for i in 0..a.arenas().maxarenas() {
            let ao = a.arenas().arena(i);
            if ao.address.is_null() {
                continue;
            }
            st.arenas_current += 1;
            st.unused_pools += ao.nfreepools as usize;
            let mut base = ao.address as usize;
            if base & crate::pool::POOL_SIZE_MASK != 0 {
                st.arena_alignment += POOL_SIZE;
                base = (base & !crate::pool::POOL_SIZE_MASK) + POOL_SIZE;
            }
            while base < ao.pool_address as usize {
                // SAFETY: every pool below pool_address has been carved and has a header.
                let pool = unsafe { &*(base as *const crate::pool::PoolHeader) };
                base += POOL_SIZE;
                if pool.count == 0 {
                    continue; // an empty pool: counted in nfreepools
                }
                let sz = pool.szidx as usize;
                let row = &mut st.classes[sz];
                row.pools += 1;
                row.blocks_in_use += pool.count as usize;
                row.avail_blocks += crate::pool::num_blocks(sz) - pool.count as usize;
            }
        }
        for (sz, row) in st.classes.iter().enumerate() {
            let size = crate::size_class::index_to_size(sz);
            st.allocated_bytes += row.blocks_in_use * size;
            st.available_bytes += row.avail_blocks * size;
            st.pool_header_bytes += row.pools * crate::pool::POOL_OVERHEAD;
            st.quantization += row.pools * ((POOL_SIZE - crate::pool::POOL_OVERHEAD) % size);
        }
        st
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
    pub fn render(&self) -> String {
        let mut out = format!(
            "Small block threshold = {}, in {NB_SMALL_SIZE_CLASSES} size classes.\n\n",
            crate::size_class::SMALL_REQUEST_THRESHOLD
        );
        out.push_str("class   size   num pools   blocks in use  avail blocks\n");
        out.push_str("-----   ----   ---------   -------------  ------------\n");
        for (sz, row) in self.classes.iter().enumerate() {
            if row.pools == 0 {
                continue;
            }
            let size = crate::size_class::index_to_size(sz);
            out.push_str(&format!(
                "{sz:5} {size:6} {:11} {:15} {:13}\n",
                row.pools, row.blocks_in_use, row.avail_blocks
            ));
        }
        out.push('\n');
        let o = &mut out;
        printone(o, "# arenas allocated total", self.arenas_allocated_total);
        printone(
            o,
            "# arenas reclaimed",
            self.arenas_allocated_total - self.arenas_current,
        );
        printone(o, "# arenas highwater mark", self.arenas_highwater);
        printone(o, "# arenas allocated current", self.arenas_current);
        let arena_size = crate::arena::ARENA_SIZE;
        let label = format!("{} arenas * {arena_size} bytes/arena", self.arenas_current);
        printone(o, &label, self.arenas_current * arena_size);
        o.push('\n');
        let mut total = printone(o, "# bytes in allocated blocks", self.allocated_bytes);
        total += printone(o, "# bytes in available blocks", self.available_bytes);
        let label = format!("{} unused pools * {POOL_SIZE} bytes", self.unused_pools);
        total += printone(o, &label, self.unused_pools * POOL_SIZE);
        total += printone(o, "# bytes lost to pool headers", self.pool_header_bytes);
        total += printone(o, "# bytes lost to quantization", self.quantization);
        total += printone(o, "# bytes lost to arena alignment", self.arena_alignment);
        printone(o, "Total", total);
        o.push_str("\narena map counts\n");
        printone(o, "# arena map mid nodes", self.arena_map_mid_nodes);
        printone(o, "# arena map bot nodes", self.arena_map_bot_nodes);
        o.push('\n');
        let mut total = printone(
            o,
            "# bytes lost to arena map root",
            crate::arena_map::ROOT_BYTES,
        );
        total += printone(
            o,
            "# bytes lost to arena map mid",
            crate::arena_map::MID_NODE_BYTES * self.arena_map_mid_nodes,
        );
        total += printone(
            o,
            "# bytes lost to arena map bot",
            crate::arena_map::BOT_NODE_BYTES * self.arena_map_bot_nodes,
        );
        printone(o, "Total", total);
        out
    }
}

/// `_PyObject_DebugMallocStats(stderr)`'s text for `a`: [`MallocStats::collect`], then
/// [`MallocStats::render`].
pub fn debug_malloc_stats<S: ArenaSource>(a: &Obmalloc<S>) -> String {
    MallocStats::collect(a).render()
}
// ANCHOR_END: api
