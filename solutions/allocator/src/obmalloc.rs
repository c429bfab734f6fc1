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

use std::ptr::NonNull;

use crate::arena::ARENA_SIZE;
use crate::arena::{ArenaSource, Arenas, MmapSource};
use crate::arena_map::ArenaMap;
use crate::pool::UsedPools;
use crate::pool::{self, POOL_SIZE, POOL_SIZE_MASK, PoolAlloc, PoolFree};
use crate::size_class::Allocator;
use crate::size_class::{self, index_to_size, size_class_index};

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
    pub fn malloc(&mut self, nbytes: usize) -> *mut u8 {
        let p = self.pymalloc_alloc(nbytes);
        if !p.is_null() {
            return p;
        }
        let p = size_class::raw_malloc(nbytes);
        if !p.is_null() {
            self.raw_allocated_blocks += 1;
        }
        p
    }

    /// `_PyObject_Calloc`: `nelem * elsize` zeroed bytes; null on overflow or out of memory.
    /// A small block is zeroed by hand; otherwise `raw_calloc` is used (and counted).
    pub fn calloc(&mut self, nelem: usize, elsize: usize) -> *mut u8 {
        let Some(nbytes) = nelem.checked_mul(elsize) else {
            return std::ptr::null_mut();
        };
        let p = self.pymalloc_alloc(nbytes);
        if !p.is_null() {
            // SAFETY: p is a fresh block of at least nbytes bytes.
            unsafe { p.write_bytes(0, nbytes) };
            return p;
        }
        let p = size_class::raw_calloc(nelem, elsize);
        if !p.is_null() {
            self.raw_allocated_blocks += 1;
        }
        p
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
    pub unsafe fn realloc(&mut self, p: *mut u8, nbytes: usize) -> *mut u8 {
        if p.is_null() {
            return self.malloc(nbytes);
        }
        if !self.address_in_range(p) {
            // SAFETY: the caller guarantees a live block; it is not ours, so it is raw.
            return unsafe { size_class::raw_realloc(p, nbytes) };
        }
        let pool = pool::pool_addr(p);
        // SAFETY: p is inside one of our arenas, so pool is a live pool header.
        let size = index_to_size(unsafe { (*pool).szidx } as usize);
        let mut copy = size;
        if nbytes <= size {
            if 4 * nbytes > 3 * size {
                // Same size, growth within the class, or shrinking by less than 25%.
                return p;
            }
            copy = nbytes;
        }
        let bp = self.malloc(nbytes);
        if !bp.is_null() {
            // SAFETY: p holds at least `copy` bytes, bp at least nbytes >= copy; they are
            // different blocks.
            unsafe {
                std::ptr::copy_nonoverlapping(p, bp, copy);
                self.free(p);
            }
        }
        bp
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
    pub unsafe fn free(&mut self, p: *mut u8) {
        if p.is_null() {
            return;
        }
        // SAFETY: forwarded contract.
        if unsafe { !self.pymalloc_free(p) } {
            // SAFETY: a live block that is not ours came from the raw layer.
            unsafe { size_class::raw_free(p) };
            self.raw_allocated_blocks -= 1;
        }
    }

    /// Whether `p` points into one of our arenas (`address_in_range`, the radix-tree version:
    /// it never reads the memory at `p`).
    pub fn address_in_range(&self, p: *const u8) -> bool {
        self.map.is_used(p as usize)
    }

    /// The block size of `p`'s class, if `p` is a pymalloc block; `None` for raw blocks.
    pub fn block_size(&self, p: *const u8) -> Option<usize> {
        if !self.address_in_range(p) {
            return None;
        }
        // SAFETY: p is inside one of our arenas, so its pool header is live.
        Some(index_to_size(
            unsafe { (*pool::pool_addr(p)).szidx } as usize
        ))
    }

    /// `_Py_GetAllocatedBlocks` (`sys.getallocatedblocks()`): raw blocks plus the `count` of
    /// every pool carved so far in every attached arena.
    pub fn allocated_blocks(&self) -> isize {
        let mut n = self.raw_allocated_blocks;
        for i in 0..self.arenas.maxarenas() {
            let ao = self.arenas.arena(i);
            if ao.address.is_null() {
                continue;
            }
            let mut pool = first_pool(ao.address);
            while (pool as usize) < ao.pool_address as usize {
                // SAFETY: every pool below pool_address has been carved and has a header.
                n += unsafe { (*pool.cast::<pool::PoolHeader>()).count } as isize;
                pool = pool.wrapping_add(POOL_SIZE);
            }
        }
        n
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

impl<S: ArenaSource> Obmalloc<S> {
    /// `pymalloc_alloc`: null for requests pymalloc does not serve, or when out of memory.
    #[inline]
    fn pymalloc_alloc(&mut self, nbytes: usize) -> *mut u8 {
        let Some(szidx) = size_class_index(nbytes) else {
            return std::ptr::null_mut();
        };
        match self.usedpools.first(szidx) {
            Some(pool) => {
                let pool = pool.as_ptr();
                // SAFETY: pools on usedpools are used (initialised, not full).
                let PoolAlloc { block, now_full } = unsafe { pool::pool_alloc(pool) };
                if now_full {
                    // SAFETY: the pool is on its class's list.
                    unsafe { self.usedpools.unlink(pool) };
                }
                block
            }
            None => self.allocate_from_new_pool(szidx),
        }
    }

    /// `allocate_from_new_pool`: no used pool of this class, so take an empty one.
    #[cold]
    fn allocate_from_new_pool(&mut self, szidx: usize) -> *mut u8 {
        let map = &mut self.map;
        let Some(pool) = self.arenas.take_pool(|base| map.mark_used(base, true)) else {
            return std::ptr::null_mut();
        };
        let pool = pool.as_ptr();
        // SAFETY: take_pool hands out an empty pool of ours, on no list.
        unsafe {
            let bp = pool::init_pool(pool, szidx);
            self.usedpools.push_front(pool);
            bp
        }
    }

    /// `pymalloc_free`: `false` if `p` is not ours.
    ///
    /// # Safety
    /// `p` is a live block of this allocator (pymalloc or raw).
    #[inline]
    unsafe fn pymalloc_free(&mut self, p: *mut u8) -> bool {
        if !self.address_in_range(p) {
            return false;
        }
        let pool = pool::pool_addr(p);
        // SAFETY: p is an allocated block of pool.
        match unsafe { pool::pool_free(pool, p) } {
            PoolFree::StillUsed => {}
            // SAFETY: a full pool is on no list (insert_to_usedpool).
            PoolFree::WasFull => unsafe { self.usedpools.push_front(pool) },
            PoolFree::NowEmpty => {
                // SAFETY: an empty pool was used, so it is on its class's list; it then goes
                // to its arena (insert_to_freepool).
                unsafe {
                    self.usedpools.unlink(pool);
                    let map = &mut self.map;
                    self.arenas
                        .return_pool(NonNull::new_unchecked(pool), |base| {
                            map.mark_used(base, false);
                        });
                }
            }
        }
        true
    }
}

/// The first pool boundary at or above an arena's base.
fn first_pool(address: *mut u8) -> *mut u8 {
    let excess = address as usize & POOL_SIZE_MASK;
    if excess == 0 {
        address
    } else {
        address.wrapping_add(POOL_SIZE - excess)
    }
}

const _: () = assert!(ARENA_SIZE.is_multiple_of(POOL_SIZE));

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
