//! Pools and blocks (≈ `struct pool_header`, `pymalloc_pool_extend`, the end of
//! `allocate_from_new_pool`, the start of `pymalloc_free` and `usedpools` in CPython's
//! `Objects/obmalloc.c`).
//!
//! Book: Part III, "Pools and blocks" (`part3-pymalloc/pools-and-blocks.md`) and "The
//! `usedpools` table" (`part3-pymalloc/usedpools.md`).
//!
//! A pool is a 16 KiB, 16 KiB-aligned piece of an arena that holds blocks of ONE size class.
//! It starts with a 48-byte header; block `k` sits at offset `48 + k * size`. Blocks are carved
//! lazily: a fresh pool touches only its first two blocks, and `nextoffset` remembers where the
//! next never-used ("virgin") block starts. Freed blocks form a LIFO list threaded through their
//! own first word, headed by `freeblock`.
//!
//! Everything here works on raw pointers into pool memory, as CPython does; the functions are
//! `unsafe` because the caller must hand them a real pool.

use std::ptr::NonNull;

use crate::size_class::NB_SMALL_SIZE_CLASSES;

// ANCHOR: api
/// `log2(POOL_SIZE)`: 14 on 64-bit builds with the radix tree (`POOL_BITS`).
pub const POOL_BITS: u32 = 14;
/// 16 KiB (`POOL_SIZE`).
pub const POOL_SIZE: usize = 1 << POOL_BITS;
/// `POOL_SIZE - 1` (`POOL_SIZE_MASK`).
pub const POOL_SIZE_MASK: usize = POOL_SIZE - 1;
/// Bytes taken by the header, rounded up to the alignment: 48 (`POOL_OVERHEAD`).
pub const POOL_OVERHEAD: usize = 48;
/// Size class of a freshly carved pool that never held blocks (`DUMMY_SIZE_IDX`).
pub const DUMMY_SIZE_IDX: u32 = 0xffff;

/// The header at the start of every pool, field for field as CPython's `struct pool_header`
/// (`#[repr(C)]`, 48 bytes).
#[repr(C)]
#[derive(Debug)]
pub struct PoolHeader {
    /// Number of allocated blocks (`ref.count`).
    pub count: u32,
    /// The rest of CPython's `ref` union, whose other member is a pointer.
    _padding: u32,
    /// Head of the pool's list of free blocks, or null (`freeblock`).
    pub freeblock: *mut u8,
    /// Next pool of the same size class (or next empty pool of the arena).
    pub nextpool: *mut PoolHeader,
    /// Previous pool of the same size class.
    pub prevpool: *mut PoolHeader,
    /// Index of the owning arena in the arenas vector (`arenaindex`).
    pub arenaindex: u32,
    /// Size class of the blocks, or [`DUMMY_SIZE_IDX`] (`szidx`).
    pub szidx: u32,
    /// Byte offset of the next virgin block (`nextoffset`).
    pub nextoffset: u32,
    /// Largest valid `nextoffset`: `POOL_SIZE - size` (`maxnextoffset`).
    pub maxnextoffset: u32,
}

// ANCHOR: pool_addr
/// The pool a block belongs to: `p` rounded down to a multiple of [`POOL_SIZE`] (`POOL_ADDR`).
/// Pure address arithmetic; nothing is read.
#[inline]
pub fn pool_addr(p: *const u8) -> *mut PoolHeader {
    // ANCHOR_END: pool_addr
    // TODO
    todo!(
        "step back from p by (p's address & POOL_SIZE_MASK) bytes; keep the provenance (wrapping_sub)"
    )
}

// ANCHOR: num_blocks
/// How many blocks of class `szidx` fit in a pool: `(POOL_SIZE - 48) / size` (`NUMBLOCKS`).
pub fn num_blocks(szidx: usize) -> usize {
    // ANCHOR_END: num_blocks
    // TODO
    todo!("the room after the header, divided by the block size of the class")
}

// ANCHOR: pool_results
/// What [`pool_alloc`] handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolAlloc {
    /// The block.
    pub block: *mut u8,
    /// The pool has no free block left: the caller must unlink it from `usedpools`.
    pub now_full: bool,
}

/// The state change caused by [`pool_free`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolFree {
    /// The pool was used and still is: nothing to do.
    StillUsed,
    /// The pool was full: link it back at the front of `usedpools` (`insert_to_usedpool`).
    WasFull,
    /// The last allocated block came back: the pool goes to its arena (`insert_to_freepool`).
    NowEmpty,
}
// ANCHOR_END: pool_results

/// Start using a pool that was just taken from an arena for blocks of class `szidx`, and hand
/// out its first block (the end of `allocate_from_new_pool`).
///
/// Sets `count = 1`. If the pool last held blocks of the same class, its header and free list
/// are still valid: pop the head of the free list (an emptied pool has every block it ever
/// carved on that list, at least two, so nothing needs carving here). Otherwise initialise the header: the first
/// block is at offset 48, the second becomes a one-element free list (its link set to null),
/// `nextoffset = 48 + 2 * size` and `maxnextoffset = POOL_SIZE - size`. Only those two blocks
/// are touched.
///
/// # Safety
/// `pool` points at a writable, pool-aligned [`POOL_SIZE`]-byte region that no one else
/// uses, whose `szidx` field is [`DUMMY_SIZE_IDX`] or a class whose blocks are all free.
#[inline]
// ANCHOR: init_pool
pub unsafe fn init_pool(pool: *mut PoolHeader, szidx: usize) -> *mut u8 {
    // ANCHOR_END: init_pool
    // TODO
    todo!("count = 1; reuse the free list if szidx matches, else set up the header and 2 blocks")
}

/// Take a block from a used pool (the fast path of `pymalloc_alloc` plus
/// `pymalloc_pool_extend`).
///
/// Increment `count` and pop the head of the free list. If the list is now empty, carve the
/// next virgin block if `nextoffset <= maxnextoffset` (it becomes a one-element list and
/// `nextoffset` grows by the block size); otherwise the pool is full.
///
/// # Safety
/// `pool` is a used pool (initialised by [`init_pool`], not full).
#[inline]
// ANCHOR: pool_alloc
pub unsafe fn pool_alloc(pool: *mut PoolHeader) -> PoolAlloc {
    // ANCHOR_END: pool_alloc
    // TODO
    todo!("pop freeblock; when the list runs dry, extend it with a virgin block or report full")
}

/// Give block `p` back to its pool (the start of `pymalloc_free`): push it on the free list
/// (`*(block **)p = freeblock; freeblock = p`), decrement `count`, and say whether the pool
/// was full before or is empty now.
///
/// # Safety
/// `p` is a block of `pool` that is currently allocated.
#[inline]
// ANCHOR: pool_free
pub unsafe fn pool_free(pool: *mut PoolHeader, p: *mut u8) -> PoolFree {
    // ANCHOR_END: pool_free
    // TODO
    todo!("link p in front of freeblock, count -= 1, then classify (old freeblock null = was full)")
}

/// The free list of `pool` as byte offsets from the pool start, head first (a debugging aid;
/// gives up after `num_blocks + 1` entries so that a broken list cannot loop forever).
///
/// # Safety
/// `pool` is an initialised pool.
pub unsafe fn free_list_offsets(pool: *const PoolHeader) -> Vec<usize> {
    let mut out = Vec::new();
    // SAFETY: the caller guarantees an initialised pool, whose free list links blocks of it.
    unsafe {
        let limit = num_blocks((*pool).szidx as usize) + 1;
        let mut b = (*pool).freeblock;
        while !b.is_null() && out.len() < limit {
            let offset = (b as usize).wrapping_sub(pool as usize);
            // A link into junk (a block whose first word was never set) must not be followed.
            assert!(
                offset < POOL_SIZE,
                "the free list leaves the pool after {out:?}: a link reads {b:p}. The last free \
                 block's first word must be a null link (write one into each block you carve)"
            );
            out.push(offset);
            b = *b.cast::<*mut u8>();
        }
    }
    out
}

/// `usedpools`: for each size class, a circular doubly-linked list of its used pools.
///
/// This keeps CPython's trick: the table stores only the `nextpool`/`prevpool` pair of each
/// list head, and [`UsedPools::sentinel`] returns a pointer placed two words *before* a pair,
/// so that, read as a `PoolHeader`, its `nextpool` and `prevpool` fields are that pair (`PTA`).
/// Only those two fields of a sentinel may ever be touched. An empty list is a sentinel whose
/// `nextpool` is itself.
pub struct UsedPools {
    /// `USEDPOOLS_WORDS` pointers from `calloc`: 2 words of lead-in, then the 32 pairs, then
    /// 2 words so that even the last sentinel's whole header lies inside the table.
    table: NonNull<*mut PoolHeader>,
}

const USEDPOOLS_WORDS: usize = 2 + 2 * NB_SMALL_SIZE_CLASSES + 2;

impl UsedPools {
    /// A table of empty lists: each pair points at its own sentinel (`PT(i)`).
    pub fn new() -> Self {
        // Not Box/Vec: this allocator may be the process's global allocator, so its own
        // bookkeeping comes from the C library, as CPython's comes from static memory.
        // SAFETY: calloc has no preconditions.
        let raw = unsafe { libc::calloc(USEDPOOLS_WORDS, size_of::<*mut PoolHeader>()) };
        let Some(table) = NonNull::new(raw.cast::<*mut PoolHeader>()) else {
            std::process::abort();
        };
        let pools = UsedPools { table };
        for szidx in 0..NB_SMALL_SIZE_CLASSES {
            let s = pools.sentinel(szidx);
            // SAFETY: s's nextpool/prevpool are words 2i+2 and 2i+3 of the table.
            unsafe {
                (*s).nextpool = s;
                (*s).prevpool = s;
            }
        }
        pools
    }

    /// The list head of class `szidx`, disguised as a pool header (`usedpools[2*szidx]`, i.e.
    /// `PTA(szidx)`): its `nextpool` is the first used pool, or the sentinel itself.
    #[inline]
    pub fn sentinel(&self, szidx: usize) -> *mut PoolHeader {
        debug_assert!(szidx < NB_SMALL_SIZE_CLASSES);
        // Word 2*szidx is two words before the pair, so the fake header's nextpool (at offset
        // 16) is word 2*szidx + 2.
        self.table.as_ptr().wrapping_add(2 * szidx).cast()
    }

    // ANCHOR: first
    /// The first used pool of class `szidx`, or `None` when the list is empty
    /// (`pool != pool->nextpool` in `pymalloc_alloc`).
    #[inline]
    pub fn first(&self, szidx: usize) -> Option<NonNull<PoolHeader>> {
        // ANCHOR_END: first
        // TODO
        todo!("read the sentinel's nextpool; the list is empty when it points back at the sentinel")
    }

    // ANCHOR: push_front
    /// Link `pool` at the front of the list of its class (`(*pool).szidx`), as
    /// `allocate_from_new_pool` and `insert_to_usedpool` do.
    ///
    /// # Safety
    /// `pool` is an initialised pool that is on no list.
    #[inline]
    pub unsafe fn push_front(&mut self, pool: *mut PoolHeader) {
        // ANCHOR_END: push_front
        // TODO
        todo!("insert pool between the sentinel and its current nextpool (4 link updates)")
    }

    // ANCHOR: unlink
    /// Unlink `pool` from its list (a pool that became full or empty).
    ///
    /// # Safety
    /// `pool` is on one of this table's lists.
    #[inline]
    pub unsafe fn unlink(&mut self, pool: *mut PoolHeader) {
        // ANCHOR_END: unlink
        // TODO
        todo!("make pool's neighbours point at each other")
    }
}
// ANCHOR_END: api

impl Default for UsedPools {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for UsedPools {
    fn drop(&mut self) {
        // SAFETY: the table came from calloc and is freed once.
        unsafe { libc::free(self.table.as_ptr().cast()) }
    }
}
