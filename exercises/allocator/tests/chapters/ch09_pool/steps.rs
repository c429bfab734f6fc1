//! The chapter's five steps one at a time, in the order "What to implement" numbers them
//! (`stepN_<function>_…`). Steps 1, 2 and 5 call nothing but their own functions and the given
//! `free_list_offsets`: the pool headers they start from are written by hand. Steps 3 and 4
//! start their pool with `init_pool` (step 2), and step 4 takes its blocks with `pool_alloc`.

use std::ptr::{NonNull, null_mut};

use allocator::pool::*;

use super::TestPool;

/// The block at `offset` in `pool`.
fn block(pool: &TestPool, offset: usize) -> *mut u8 {
    // SAFETY: callers pass offsets inside the pool.
    unsafe { pool.hdr().cast::<u8>().add(offset) }
}

#[test]
fn step1_pool_addr_and_num_blocks_are_pure_arithmetic() {
    let pool = TestPool::new();
    for offset in [0, 48, 5000, POOL_SIZE - 1] {
        assert_eq!(
            pool_addr(block(&pool, offset)),
            pool.hdr(),
            "offset {offset}"
        );
    }
    let next = block(&pool, POOL_SIZE - 1).wrapping_add(1);
    assert_eq!(
        pool_addr(next),
        next.cast(),
        "the next pool starts a new pool"
    );
    assert_eq!(num_blocks(0), 1021);
    assert_eq!(num_blocks(15), 63, "256-byte blocks");
    assert_eq!(num_blocks(31), 31, "512-byte blocks");
}

#[test]
fn step2_init_pool_sets_up_a_new_class_or_reuses_the_free_list_of_the_same_class() {
    let pool = TestPool::new();
    // SAFETY: a fresh pool with the dummy class.
    let first = unsafe { init_pool(pool.hdr(), 29) };
    assert_eq!(pool.offset(first), 48);
    let h = pool.h();
    assert_eq!((h.count, h.szidx), (1, 29));
    assert_eq!((h.nextoffset, h.maxnextoffset), (48 + 2 * 480, 15904));
    // SAFETY: the pool is initialised.
    assert_eq!(unsafe { free_list_offsets(pool.hdr()) }, [528]);

    // An emptied pool of class 29, as pool_free leaves it: every block it carved is free.
    let emptied = TestPool::new();
    // SAFETY: the header and the blocks at 48 and 528 are inside the pool.
    unsafe {
        let h = emptied.hdr();
        (*h).szidx = 29;
        (*h).count = 0;
        (*h).nextoffset = 48 + 2 * 480;
        (*h).maxnextoffset = 15904;
        (*h).freeblock = block(&emptied, 528);
        block(&emptied, 528)
            .cast::<*mut u8>()
            .write(block(&emptied, 48));
        block(&emptied, 48).cast::<*mut u8>().write(null_mut());
        assert_eq!(
            emptied.offset(init_pool(h, 29)),
            528,
            "the head of its list"
        );
        assert_eq!(free_list_offsets(h), [48]);
    }
    assert_eq!(
        (emptied.h().count, emptied.h().nextoffset),
        (1, 48 + 2 * 480)
    );
}

#[test]
fn step3_pool_alloc_pops_the_free_list_then_carves_until_full() {
    let pool = TestPool::new();
    // SAFETY: a fresh pool; class 31 holds 31 blocks and we take exactly 31.
    unsafe {
        init_pool(pool.hdr(), 31);
        let mut offsets = Vec::new();
        for k in 2..=31 {
            let got = pool_alloc(pool.hdr());
            assert_eq!(got.now_full, k == 31, "block {k} of 31");
            offsets.push(pool.offset(got.block));
        }
        assert_eq!(offsets[..3], [560, 1072, 1584]);
        assert_eq!(*offsets.last().unwrap(), 48 + 30 * 512);
        assert_eq!(pool.h().count, 31);
        assert!(pool.h().freeblock.is_null(), "nothing left to hand out");
    }
    let small = TestPool::new();
    // SAFETY: a fresh pool of 1021 blocks, two taken.
    let second = unsafe {
        init_pool(small.hdr(), 0);
        pool_alloc(small.hdr())
    };
    assert_eq!(small.offset(second.block), 64);
    assert!(!second.now_full);
    assert_eq!(
        small.h().nextoffset,
        48 + 3 * 16,
        "one more virgin block carved"
    );
}

#[test]
fn step4_pool_free_pushes_lifo_and_reports_the_state_change() {
    let pool = TestPool::new();
    // SAFETY: class 31's 31 blocks are all taken, then given back once each.
    unsafe {
        let mut blocks = vec![init_pool(pool.hdr(), 31)];
        let mut last = PoolAlloc {
            block: null_mut(),
            now_full: false,
        };
        while !last.now_full {
            last = pool_alloc(pool.hdr());
            blocks.push(last.block);
        }
        assert_eq!(blocks.len(), 31);
        assert_eq!(pool_free(pool.hdr(), blocks[3]), PoolFree::WasFull);
        assert_eq!(pool_free(pool.hdr(), blocks[7]), PoolFree::StillUsed);
        let offsets = free_list_offsets(pool.hdr());
        assert_eq!(offsets, [pool.offset(blocks[7]), pool.offset(blocks[3])]);
        let rest: Vec<*mut u8> = (blocks.iter().enumerate())
            .filter(|(i, _)| *i != 3 && *i != 7)
            .map(|(_, &b)| b)
            .collect();
        let (last_one, others) = rest.split_last().unwrap();
        for &b in others {
            assert_eq!(pool_free(pool.hdr(), b), PoolFree::StillUsed);
        }
        assert_eq!(pool_free(pool.hdr(), *last_one), PoolFree::NowEmpty);
        assert_eq!(pool.h().count, 0);
    }
}

#[test]
fn step5_usedpools_first_push_front_and_unlink_keep_one_circular_list_per_class() {
    let mut used = UsedPools::new();
    let (a, b) = (TestPool::new(), TestPool::new());
    // SAFETY: both headers are written by hand for class 3 and are on no list.
    unsafe {
        (*a.hdr()).szidx = 3;
        (*b.hdr()).szidx = 3;
        assert_eq!(used.first(3), None);
        used.push_front(a.hdr());
        used.push_front(b.hdr());
        assert_eq!(used.first(3), NonNull::new(b.hdr()));
        assert_eq!(used.first(4), None, "other classes are untouched");
        assert_eq!((*b.hdr()).nextpool, a.hdr());
        assert_eq!((*a.hdr()).nextpool, used.sentinel(3), "the ring closes");
        assert_eq!((*used.sentinel(3)).prevpool, a.hdr());
        used.unlink(b.hdr());
        assert_eq!(used.first(3), NonNull::new(a.hdr()));
        used.unlink(a.hdr());
    }
    assert_eq!(used.first(3), None);
}
