//! The allocator put together: `malloc`, `calloc`, `realloc` and `free` (≈ `pymalloc_alloc`,
//! `allocate_from_new_pool`, `pymalloc_free`, `insert_to_usedpool`, `insert_to_freepool`,
//! `pymalloc_realloc` and the `_PyObject_*` entry points of CPython's `Objects/obmalloc.c`).
//!
//! Book: Part III, "`realloc` and `calloc`: the complete allocator"
//! (`part3-pymalloc/complete-allocator.md`).
//!
//! A small request takes the first pool of its class from `usedpools`; if there is none, a pool
//! comes from the arenas. Zero-byte and large requests go to the raw layer and are counted in
//! `raw_allocated_blocks`. `free` asks the arena map whether the block is pymalloc's; if not,
//! it is the raw layer's. `realloc` keeps a block in place when the new size still fits its
//! class and wastes less than a quarter of it, and never moves a raw block into pymalloc.

use crate::arena::{ArenaSource, Arenas, MmapSource};
use crate::arena_map::ArenaMap;
use crate::pool::UsedPools;
use crate::size_class::Allocator;

// ANCHOR: api
/// pymalloc: the used-pool lists, the arenas and the arena map, plus the raw-block counter.
pub struct Obmalloc<S: ArenaSource = MmapSource> {
    usedpools: UsedPools,
    arenas: Arenas<S>,
    map: ArenaMap,
    /// Blocks handed out by the raw layer and not yet freed (`raw_allocated_blocks`).
    raw_allocated_blocks: isize,
}

impl Obmalloc<MmapSource> {
    /// An allocator whose arenas come from `mmap`, as CPython's do.
    pub fn new() -> Self {
        Self::with_source(MmapSource)
    }
}

impl<S: ArenaSource> Obmalloc<S> {
    /// An allocator whose arenas come from `source` (`PyObject_SetArenaAllocator`).
    pub fn with_source(source: S) -> Self {
        Obmalloc {
            usedpools: UsedPools::new(),
            arenas: Arenas::new(source),
            map: ArenaMap::new(),
            raw_allocated_blocks: 0,
        }
    }

    /// `_PyObject_Malloc`: a block of `nbytes`, or null when memory runs out.
    ///
    /// For 1..=512 bytes (`pymalloc_alloc`): take a block from the first used pool of the
    /// class (unlinking the pool if that made it full); with no used pool, take a pool from
    /// the arenas, marking any new arena in the map, initialise it and link it at the front
    /// of `usedpools` (`allocate_from_new_pool`). Otherwise, or if that fails, use
    /// `raw_malloc` and count the block in `raw_allocated_blocks`.
    // ANCHOR: malloc
    pub fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        // ANCHOR_END: malloc
        // TODO
        todo!("try pymalloc for small sizes; fall back to raw_malloc and count raw blocks")
    }

    // ANCHOR: calloc
    /// `_PyObject_Calloc`: `nelem * elsize` zeroed bytes; null on overflow or out of memory.
    /// A small block is zeroed by hand; otherwise `raw_calloc` is used (and counted).
    pub fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        // ANCHOR_END: calloc
        // TODO
        todo!("like malloc, but zero a pymalloc block with write_bytes, or use raw_calloc")
    }

    /// `_PyObject_Realloc`: resize the block at `p` (null `p` is `malloc`).
    ///
    /// A block not in our arenas stays with the raw layer (`raw_realloc`): copying it into a
    /// pool would need its size, which only the C library knows (bug 1185883). For a pymalloc
    /// block of class size `size`: if `nbytes <= size` and `4 * nbytes > 3 * size`, return
    /// `p` itself. Otherwise allocate a new block, copy `min(size, nbytes)` bytes, free `p`.
    /// So `realloc(p, 0)` moves the data into a 1-byte raw block.
    ///
    /// # Safety
    /// `p` is null or a live block from this allocator.
    // ANCHOR: realloc
    pub unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        // ANCHOR_END: realloc
        // TODO
        todo!("null -> malloc; raw blocks -> raw_realloc; pymalloc blocks: keep in place or move")
    }

    /// `_PyObject_Free`: give the block at `p` back (null is ignored).
    ///
    /// For a pymalloc block (`pymalloc_free`): push it on its pool's free list; a pool that
    /// was full goes back to the front of `usedpools` (`insert_to_usedpool`); a pool that is
    /// now empty leaves `usedpools` and returns to its arena, which may unmark and release the
    /// arena (`insert_to_freepool`). Any other block goes to `raw_free` and is uncounted.
    ///
    /// # Safety
    /// `p` is null or a live block from this allocator.
    // ANCHOR: free
    pub unsafe fn free(&mut self, p: *mut u8) {
        // ANCHOR_END: free
        // TODO
        todo!(
            "ignore null; pymalloc blocks go back to their pool (and maybe arena); others to raw_free"
        )
    }

    // ANCHOR: lookups
    /// Whether `p` points into one of our arenas (`address_in_range`, the radix-tree version:
    /// it never reads the memory at `p`).
    pub fn address_in_range(&self, p: *const u8) -> bool {
        // TODO
        todo!("ask the arena map")
    }

    /// The block size of `p`'s class, if `p` is a pymalloc block; `None` for raw blocks.
    pub fn block_size(&self, p: *const u8) -> Option<usize> {
        // TODO
        todo!("for an address in range, the class size stored in its pool's header")
    }
    // ANCHOR_END: lookups

    // ANCHOR: allocated_blocks
    /// `_Py_GetAllocatedBlocks` (`sys.getallocatedblocks()`): raw blocks plus the `count` of
    /// every pool carved so far in every attached arena.
    pub fn allocated_blocks(&self) -> isize {
        // ANCHOR_END: allocated_blocks
        // TODO
        todo!(
            "raw_allocated_blocks + the count of each pool from the first pool boundary up to pool_address"
        )
    }

    /// Blocks the raw layer holds for this allocator (`raw_allocated_blocks`).
    pub fn raw_allocated_blocks(&self) -> isize {
        self.raw_allocated_blocks
    }

    /// The arenas (read-only).
    pub fn arenas(&self) -> &Arenas<S> {
        &self.arenas
    }

    /// The arena map (read-only).
    pub fn arena_map(&self) -> &ArenaMap {
        &self.map
    }

    /// The `usedpools` lists (read-only).
    pub fn usedpools(&self) -> &UsedPools {
        &self.usedpools
    }

    /// The arena source, e.g. to make a test source fail.
    pub fn source_mut(&mut self) -> &mut S {
        self.arenas.source_mut()
    }
}
// ANCHOR_END: api

// Your helpers go here, in an `impl<S: ArenaSource> Obmalloc<S>` block of their own, named
// after CPython's: `fn pymalloc_alloc(&mut self, nbytes: usize) -> *mut u8` (null when
// pymalloc does not serve the request), `fn allocate_from_new_pool(&mut self, szidx: usize)
// -> *mut u8`, and `unsafe fn pymalloc_free(&mut self, p: *mut u8) -> bool` (false when `p`
// is not ours).

impl Default for Obmalloc<MmapSource> {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: an Obmalloc owns every arena, pool and map node it points to; nothing is shared with
// another value, so moving it to another thread moves all of that memory's ownership with it.
unsafe impl<S: ArenaSource + Send> Send for Obmalloc<S> {}

impl<S: ArenaSource> Allocator for Obmalloc<S> {
    fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        Obmalloc::malloc(self, nbytes)
    }
    fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        Obmalloc::calloc(self, nelem, elsize)
    }
    unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { Obmalloc::realloc(self, p, nbytes) }
    }
    unsafe fn free(&mut self, p: *mut u8) {
        // SAFETY: forwarded contract.
        unsafe { Obmalloc::free(self, p) }
    }
    fn usable_size(&self, p: *const u8) -> Option<usize> {
        self.block_size(p)
    }
}
