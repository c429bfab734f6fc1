//! The chapter's steps one at a time, in the order "Your turn" gives them (`stepN_<function>_…`),
//! except that `address_in_range` comes before `realloc` and `free`, which need it to tell a
//! pymalloc block from a raw one: `malloc`, `calloc`, `address_in_range`, `realloc`, `free`,
//! `block_size`, `allocated_blocks`. Each test calls its own function, the given read-only
//! views (`arenas()`, `raw_allocated_blocks()`, the pool header) and, where it needs a block to
//! work on, `malloc`, the first step. The `realloc` test keeps to the cases that free nothing.

use allocator::obmalloc::Obmalloc;
use allocator::pool::{POOL_SIZE, PoolHeader};
use allocator::test_source::TestSource;

fn aligned() -> Obmalloc<TestSource> {
    Obmalloc::with_source(TestSource::aligned())
}

/// Offset of `p` from the base of arena 0.
fn off(a: &Obmalloc<TestSource>, p: *const u8) -> usize {
    (p as usize).wrapping_sub(a.arenas().arena(0).address as usize)
}

/// The header of the pool at `offset` into arena 0.
fn pool_at(a: &Obmalloc<TestSource>, offset: usize) -> &PoolHeader {
    // SAFETY: callers name a pool that was carved, so its header is initialised; the arena
    // stays attached while `a` is borrowed.
    unsafe { &*(a.arenas().arena(0).address.add(offset) as *const PoolHeader) }
}

fn is_raw(a: &Obmalloc<TestSource>, p: *const u8) -> bool {
    off(a, p) >= allocator::arena::ARENA_SIZE
}

#[test]
fn step1_malloc_serves_small_requests_from_pools_and_the_rest_raw() {
    let mut a = aligned();
    let p = a.malloc(16);
    assert_eq!(a.arenas().narenas_currently_allocated(), 1);
    assert_eq!(off(&a, p), 48, "the first block after the 48-byte header");
    let (same_class, other_class) = (a.malloc(10), a.malloc(17));
    assert_eq!(off(&a, same_class), 64, "same class, next block");
    assert_eq!(
        off(&a, other_class),
        POOL_SIZE + 48,
        "another class, another pool"
    );
    let pool = pool_at(&a, 0);
    assert_eq!((pool.szidx, pool.count), (0, 2));
    assert_eq!(a.raw_allocated_blocks(), 0);
    let (zero, large) = (a.malloc(0), a.malloc(513));
    assert!(!zero.is_null() && !large.is_null());
    assert!(is_raw(&a, zero) && is_raw(&a, large));
    assert_eq!(a.raw_allocated_blocks(), 2);
}

#[test]
fn step2_calloc_zeroes_a_pool_block_and_refuses_overflow() {
    let mut a = aligned();
    let first = a.calloc(4, 8);
    assert_eq!(off(&a, first), 48);
    // The next 32-byte block (offset 80) is virgin memory: dirty all but its free-list word,
    // so that only calloc's own zeroing can make it zero.
    // SAFETY: bytes 8..32 of the pool's second block, inside arena 0, not handed out yet.
    unsafe { first.add(32 + 8).write_bytes(0xAB, 24) };
    let second = a.calloc(1, 32);
    assert_eq!(off(&a, second), 80);
    // SAFETY: second is a live 32-byte block.
    let bytes = unsafe { std::slice::from_raw_parts(second, 32) };
    assert!(bytes.iter().all(|&b| b == 0), "{bytes:?}");
    assert!(
        a.calloc(usize::MAX, 2).is_null(),
        "nelem * elsize overflows"
    );
    let big = a.calloc(10, 100);
    assert!(is_raw(&a, big));
    assert_eq!(a.raw_allocated_blocks(), 1);
}

#[test]
fn step3_address_in_range_answers_for_the_whole_arena_only() {
    let mut a = aligned();
    let p = a.malloc(8);
    assert!(a.address_in_range(p));
    let base = a.arenas().arena(0).address;
    // SAFETY: only addresses are computed here, nothing is read.
    let (inside, last) = unsafe { (base.add(700_000), base.add((1 << 20) - 1)) };
    assert!(a.address_in_range(inside) && a.address_in_range(last));
    let on_stack = 0u64;
    assert!(!a.address_in_range(&on_stack as *const u64 as *const u8));
    let raw = a.malloc(1000);
    assert!(!a.address_in_range(raw));
}

#[test]
fn step4_realloc_keeps_a_block_that_still_fits_and_raw_blocks_raw() {
    let mut a = aligned();
    // SAFETY: every pointer passed is null or a live block of `a`.
    unsafe {
        let p = a.realloc(std::ptr::null_mut(), 100);
        assert_eq!(off(&a, p), 48, "realloc(NULL, n) is malloc(n)");
        // 100 bytes live in a 112-byte block; 85 bytes still waste less than a quarter.
        assert_eq!(a.realloc(p, 112), p);
        assert_eq!(a.realloc(p, 85), p);
        let raw = a.malloc(1000);
        raw.write_bytes(7, 1000);
        let grown = a.realloc(raw, 5000);
        assert!(is_raw(&a, grown));
        let shrunk = a.realloc(grown, 16);
        assert!(is_raw(&a, shrunk), "a raw block never moves into a pool");
        assert!(
            std::slice::from_raw_parts(shrunk, 16)
                .iter()
                .all(|&b| b == 7)
        );
        assert_eq!(a.raw_allocated_blocks(), 1);
    }
}

#[test]
fn step5_free_returns_blocks_lifo_and_uncounts_raw_blocks() {
    let mut a = aligned();
    let (p, q) = (a.malloc(32), a.malloc(32));
    let raw = a.malloc(600);
    // SAFETY: each block is live and freed once (the reused p again at the end).
    unsafe {
        a.free(std::ptr::null_mut());
        a.free(p);
        a.free(q);
        assert_eq!(a.malloc(32), q, "the last block freed comes back first");
        assert_eq!(pool_at(&a, 0).count, 1);
        a.free(raw);
        assert_eq!(a.raw_allocated_blocks(), 0);
        a.free(q);
    }
    assert_eq!(
        a.arenas().arena(0).nfreepools,
        64,
        "the emptied pool went back to its arena"
    );
}

#[test]
fn step6_block_size_is_the_class_size_of_pool_blocks_only() {
    let mut a = aligned();
    for (request, class_size) in [
        (1, Some(16)),
        (100, Some(112)),
        (512, Some(512)),
        (513, None),
    ] {
        let p = a.malloc(request);
        assert_eq!(a.block_size(p), class_size, "malloc({request})");
    }
}

#[test]
fn step7_allocated_blocks_counts_pool_blocks_and_raw_blocks() {
    let mut a = aligned();
    assert_eq!(a.allocated_blocks(), 0);
    let small: Vec<*mut u8> = [8, 8, 300, 512].iter().map(|&n| a.malloc(n)).collect();
    let raw = a.malloc(4096);
    assert_eq!(a.allocated_blocks(), 5);
    // SAFETY: live blocks, each freed once.
    unsafe {
        a.free(small[0]);
        a.free(raw);
    }
    assert_eq!(a.allocated_blocks(), 3);
}
