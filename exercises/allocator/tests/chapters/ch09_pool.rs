//! Chapter 9, "Pools and blocks": the pool header, lazy carving, free lists, pool states and
//! the `usedpools` lists (`allocator::pool`).

use std::alloc::{Layout, alloc_zeroed, dealloc};

use allocator::pool::*;

// First, each step of "What to implement" alone, in the chapter's order; then whole pools.
mod steps;

/// One pool-aligned 16 KiB region from the test's own heap, with a header as an arena would
/// leave it for a freshly carved pool (`szidx = DUMMY_SIZE_IDX`). The blocks hold junk (0xAB),
/// as reused memory does: a pool must never rely on its blocks being zero.
struct TestPool {
    base: *mut u8,
}

impl TestPool {
    fn new() -> Self {
        let layout = Layout::from_size_align(POOL_SIZE, POOL_SIZE).unwrap();
        // SAFETY: the layout has a non-zero size.
        let base = unsafe { alloc_zeroed(layout) };
        assert!(!base.is_null());
        let pool = TestPool { base };
        // SAFETY: the region is ours and large enough for the header: junk after the header,
        // a zeroed header with the dummy class.
        unsafe {
            let header = std::mem::size_of::<PoolHeader>();
            base.add(header).write_bytes(0xAB, POOL_SIZE - header);
            (*pool.hdr()).szidx = DUMMY_SIZE_IDX;
        }
        pool
    }
    fn hdr(&self) -> *mut PoolHeader {
        self.base.cast()
    }
    fn offset(&self, p: *const u8) -> usize {
        p as usize - self.base as usize
    }
    fn h(&self) -> &PoolHeader {
        // SAFETY: the header lives as long as self and nothing writes it while we look.
        unsafe { &*self.hdr() }
    }
}

impl Drop for TestPool {
    fn drop(&mut self) {
        let layout = Layout::from_size_align(POOL_SIZE, POOL_SIZE).unwrap();
        // SAFETY: base came from alloc_zeroed with this layout.
        unsafe { dealloc(self.base, layout) }
    }
}

/// Initialise `pool` for class `szidx` and take `n` blocks in total, returning their offsets.
fn take(pool: &TestPool, szidx: usize, n: usize) -> Vec<usize> {
    // SAFETY: TestPool is a whole pool; we never take more blocks than the pool holds.
    unsafe {
        let mut out = vec![pool.offset(init_pool(pool.hdr(), szidx))];
        while out.len() < n {
            out.push(pool.offset(pool_alloc(pool.hdr()).block));
        }
        out
    }
}

#[test]
fn header_is_48_bytes_and_a_pool_holds_1021_blocks_of_16_bytes() {
    assert_eq!(size_of::<PoolHeader>(), 48);
    assert_eq!(POOL_OVERHEAD, 48);
    assert_eq!(POOL_SIZE, 16 * 1024);
    assert_eq!(num_blocks(0), 1021);
}

#[test]
fn blocks_per_pool_match_the_fact_sheet_for_256_and_512_bytes() {
    assert_eq!(num_blocks(15), 63, "256-byte blocks");
    assert_eq!(num_blocks(31), 31, "512-byte blocks");
    assert_eq!(num_blocks(29), 34, "480-byte blocks");
}

#[test]
fn header_blocks_and_quantization_fill_the_pool_exactly() {
    for szidx in 0..32 {
        let size = (szidx + 1) * 16;
        let quantization = (POOL_SIZE - POOL_OVERHEAD) % size;
        assert_eq!(
            POOL_OVERHEAD + num_blocks(szidx) * size + quantization,
            POOL_SIZE,
            "class {szidx}"
        );
        assert!(quantization < size);
    }
}

#[test]
fn pool_addr_rounds_any_interior_pointer_down_to_the_pool_start() {
    let pool = TestPool::new();
    for off in [0, 1, 48, 4095, 4096, 9000, POOL_SIZE - 1] {
        let p = pool.base.wrapping_add(off);
        assert_eq!(pool_addr(p), pool.hdr(), "offset {off}");
    }
    let next = pool.base.wrapping_add(POOL_SIZE);
    assert_eq!(pool_addr(next) as usize, pool.base as usize + POOL_SIZE);
}

#[test]
fn first_alloc_carves_only_two_blocks() {
    let pool = TestPool::new();
    let first = take(&pool, 29, 1);
    assert_eq!(first, vec![48]);
    let h = pool.h();
    assert_eq!(h.count, 1);
    assert_eq!(h.szidx, 29);
    assert_eq!(
        h.nextoffset,
        48 + 2 * 480,
        "blocks 0 and 1 are carved, no more"
    );
    assert_eq!(
        h.maxnextoffset, 15904,
        "POOL_SIZE - 480, as the fact sheet's run shows"
    );
    // SAFETY: the pool is initialised.
    assert_eq!(unsafe { free_list_offsets(pool.hdr()) }, vec![48 + 480]);
}

#[test]
fn blocks_are_handed_out_at_48_plus_k_times_size() {
    let pool = TestPool::new();
    let offsets = take(&pool, 29, 6);
    let expected: Vec<usize> = (0..6).map(|k| 48 + k * 480).collect();
    assert_eq!(offsets, expected);
    assert_eq!(pool.h().count, 6);
}

#[test]
fn virgin_blocks_are_carved_one_at_a_time_as_the_free_list_runs_dry() {
    let pool = TestPool::new();
    take(&pool, 0, 1);
    for k in 2..10u32 {
        // SAFETY: the pool is used (not full).
        unsafe { pool_alloc(pool.hdr()) };
        assert_eq!(pool.h().nextoffset, 48 + (k + 1) * 16, "after {k} blocks");
        // SAFETY: the pool is initialised.
        let list = unsafe { free_list_offsets(pool.hdr()) };
        assert_eq!(
            list.len(),
            1,
            "the free list only ever holds the next virgin block"
        );
    }
}

#[test]
fn a_freed_block_links_through_its_first_word_and_comes_back_first() {
    let pool = TestPool::new();
    let offs = take(&pool, 1, 4);
    let p = pool.base.wrapping_add(offs[1]);
    // SAFETY: p is an allocated block of the pool.
    let outcome = unsafe { pool_free(pool.hdr(), p) };
    assert_eq!(outcome, PoolFree::StillUsed);
    assert_eq!(pool.h().freeblock, p);
    assert_eq!(pool.h().count, 3);
    // SAFETY: p is a free block now; its first word is the old freeblock (the virgin block 4).
    let link = unsafe { *p.cast::<*mut u8>() };
    assert_eq!(pool.offset(link), 48 + 4 * 32);
    // SAFETY: the pool is used.
    let again = unsafe { pool_alloc(pool.hdr()) };
    assert_eq!(again.block, p, "LIFO: the last freed block is reused first");
}

#[test]
fn the_free_list_is_lifo() {
    let pool = TestPool::new();
    let offs = take(&pool, 3, 5);
    // SAFETY: each block is allocated and freed once.
    unsafe {
        for &o in &offs[..3] {
            pool_free(pool.hdr(), pool.base.add(o));
        }
        let list = free_list_offsets(pool.hdr());
        assert_eq!(&list[..3], &[offs[2], offs[1], offs[0]]);
        let back: Vec<usize> = (0..3)
            .map(|_| pool.offset(pool_alloc(pool.hdr()).block))
            .collect();
        assert_eq!(back, vec![offs[2], offs[1], offs[0]]);
    }
}

#[test]
fn the_last_block_makes_the_pool_full_and_nextoffset_passes_its_maximum() {
    let pool = TestPool::new();
    let n = num_blocks(31);
    // SAFETY: we take exactly n blocks from a pool of n blocks.
    unsafe {
        init_pool(pool.hdr(), 31);
        for i in 1..n {
            let a = pool_alloc(pool.hdr());
            assert_eq!(a.now_full, i == n - 1, "block {i} of {n}");
        }
    }
    let h = pool.h();
    assert_eq!(h.count as usize, n);
    assert!(h.freeblock.is_null());
    assert!(h.nextoffset > h.maxnextoffset);
}

#[test]
fn freeing_into_a_full_pool_reports_was_full() {
    let pool = TestPool::new();
    let offs = take(&pool, 31, num_blocks(31));
    assert!(pool.h().freeblock.is_null());
    // SAFETY: the block is allocated.
    let outcome = unsafe { pool_free(pool.hdr(), pool.base.add(offs[7])) };
    assert_eq!(outcome, PoolFree::WasFull);
    assert_eq!(pool.h().count as usize, num_blocks(31) - 1);
}

#[test]
fn freeing_the_last_allocated_block_reports_now_empty() {
    let pool = TestPool::new();
    let offs = take(&pool, 5, 3);
    // SAFETY: each block is allocated and freed once.
    let outcomes: Vec<PoolFree> = offs
        .iter()
        .map(|&o| unsafe { pool_free(pool.hdr(), pool.base.add(o)) })
        .collect();
    assert_eq!(
        outcomes,
        vec![PoolFree::StillUsed, PoolFree::StillUsed, PoolFree::NowEmpty]
    );
    assert_eq!(pool.h().count, 0);
}

#[test]
fn a_recycled_pool_of_the_same_class_keeps_its_free_list() {
    let pool = TestPool::new();
    let offs = take(&pool, 2, 5);
    // SAFETY: all five blocks are freed once, then the empty pool is reused for class 2.
    unsafe {
        for &o in &offs {
            pool_free(pool.hdr(), pool.base.add(o));
        }
        let nextoffset = pool.h().nextoffset;
        let first = init_pool(pool.hdr(), 2);
        assert_eq!(pool.offset(first), offs[4], "the head of the old free list");
        assert_eq!(pool.h().nextoffset, nextoffset, "no re-initialisation");
        assert_eq!(pool.h().count, 1);
    }
}

#[test]
fn a_recycled_pool_of_another_class_is_reinitialised() {
    let pool = TestPool::new();
    let offs = take(&pool, 2, 5);
    // SAFETY: all blocks are freed, then the empty pool is reused for class 9.
    unsafe {
        for &o in &offs {
            pool_free(pool.hdr(), pool.base.add(o));
        }
        let first = init_pool(pool.hdr(), 9);
        assert_eq!(pool.offset(first), 48);
        assert_eq!(pool.h().szidx, 9);
        assert_eq!(pool.h().nextoffset, 48 + 2 * 160);
        assert_eq!(free_list_offsets(pool.hdr()), vec![48 + 160]);
    }
}

#[test]
fn usedpools_starts_with_every_list_empty_and_sentinels_pointing_at_themselves() {
    let used = UsedPools::new();
    for szidx in 0..32 {
        assert!(used.first(szidx).is_none(), "class {szidx}");
        let s = used.sentinel(szidx);
        // SAFETY: only the sentinel's two link fields are read.
        unsafe {
            assert_eq!((*s).nextpool, s);
            assert_eq!((*s).prevpool, s);
        }
    }
    // Each sentinel is two words after the previous one: the table holds only the links.
    assert_eq!(used.sentinel(1) as usize - used.sentinel(0) as usize, 16);
}

#[test]
fn usedpools_push_front_and_unlink_keep_a_circular_list() {
    let mut used = UsedPools::new();
    let a = TestPool::new();
    let b = TestPool::new();
    take(&a, 4, 1);
    take(&b, 4, 1);
    // SAFETY: a and b are initialised pools on no list; they are unlinked before being dropped.
    unsafe {
        used.push_front(a.hdr());
        assert_eq!(used.first(4).map(|p| p.as_ptr()), Some(a.hdr()));
        used.push_front(b.hdr());
        assert_eq!(
            used.first(4).map(|p| p.as_ptr()),
            Some(b.hdr()),
            "front insertion"
        );
        let s = used.sentinel(4);
        assert_eq!((*b.hdr()).nextpool, a.hdr());
        assert_eq!(
            (*a.hdr()).nextpool,
            s,
            "circular: the last pool points back at the head"
        );
        assert_eq!((*s).prevpool, a.hdr());
        assert!(
            used.first(3).is_none() && used.first(5).is_none(),
            "other classes untouched"
        );
        used.unlink(b.hdr());
        assert_eq!(used.first(4).map(|p| p.as_ptr()), Some(a.hdr()));
        used.unlink(a.hdr());
        assert!(used.first(4).is_none());
        assert_eq!((*s).nextpool, s);
    }
}
