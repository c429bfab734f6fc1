//! Chapter 10, "Arenas": arena sources, the arena-object vector, `usable_arenas`,
//! `nfp2lasta` and arena release (`allocator::arena`).

use std::ptr::NonNull;

use allocator::arena::*;
use allocator::pool::{DUMMY_SIZE_IDX, POOL_SIZE, PoolHeader};
use allocator::test_source::TestSource;

// First, each function of "Your turn" alone, in the chapter's order; then the whole arena level.
mod steps;

fn mark(_: usize) -> bool {
    true
}
fn unmark(_: usize) {}

fn take(a: &mut Arenas<TestSource>) -> NonNull<PoolHeader> {
    a.take_pool(mark).expect("the test source has room")
}

/// Take every pool of `n` fresh arenas; returns the pools, arena by arena.
fn fill(a: &mut Arenas<TestSource>, n: usize) -> Vec<Vec<NonNull<PoolHeader>>> {
    let mut out = Vec::new();
    for _ in 0..n {
        let first = take(a);
        // SAFETY: a pool from take_pool has its arenaindex set.
        let idx = unsafe { first.as_ref().arenaindex } as usize;
        let mut pools = vec![first];
        while a.arena(idx).nfreepools > 0 {
            pools.push(take(a));
        }
        out.push(pools);
    }
    out
}

fn give_back(a: &mut Arenas<TestSource>, pool: NonNull<PoolHeader>) -> ArenaChange {
    // SAFETY: every pool given back was taken from `a` and is given back once.
    unsafe { a.return_pool(pool, unmark) }
}

fn free_counts(a: &Arenas<TestSource>) -> Vec<u32> {
    a.usable_arenas()
        .iter()
        .map(|&i| a.arena(i).nfreepools)
        .collect()
}

#[test]
fn an_aligned_arena_has_64_pools_and_the_first_pool_at_its_base() {
    let mut a = Arenas::new(TestSource::aligned());
    let pool = take(&mut a);
    let ao = a.arena(0);
    assert_eq!(ao.ntotalpools, 64);
    assert_eq!(ao.nfreepools, 63);
    assert_eq!(pool.as_ptr() as usize, ao.address as usize);
    assert_eq!(a.narenas_currently_allocated(), 1);
}

#[test]
fn a_misaligned_arena_has_63_usable_pools_from_the_next_pool_boundary() {
    let mut a = Arenas::new(TestSource::misaligned());
    let pool = take(&mut a);
    let ao = a.arena(0);
    assert_eq!(ao.address as usize % POOL_SIZE, 4096);
    assert_eq!(ao.ntotalpools, 63);
    assert_eq!(ao.nfreepools, 62);
    assert_eq!(
        pool.as_ptr() as usize,
        ao.address as usize + POOL_SIZE - 4096
    );
    assert_eq!(pool.as_ptr() as usize % POOL_SIZE, 0);
}

#[test]
fn mmap_arenas_lose_a_pool_exactly_when_the_kernel_misaligns_them() {
    let mut a = Arenas::new(MmapSource);
    for _ in 0..3 {
        let idx = a.new_arena(mark).expect("mmap of 1 MiB");
        let ao = a.arena(idx);
        assert_eq!(ao.address as usize % 4096, 0, "mmap returns whole pages");
        let aligned = (ao.address as usize).is_multiple_of(POOL_SIZE);
        assert_eq!(ao.ntotalpools, if aligned { 64 } else { 63 });
        assert_eq!(ao.pool_address as usize % POOL_SIZE, 0);
    }
}

#[test]
fn mmap_source_gives_writable_zeroed_memory_and_takes_it_back() {
    let mut src = MmapSource;
    let p = src.alloc(ARENA_SIZE);
    assert!(!p.is_null());
    // SAFETY: p is a fresh 1 MiB mapping; it is unmapped once at the end.
    unsafe {
        assert_eq!(p.read(), 0);
        assert_eq!(p.add(ARENA_SIZE - 1).read(), 0);
        p.add(ARENA_SIZE - 1).write(7);
        assert_eq!(p.add(ARENA_SIZE - 1).read(), 7);
        src.free(p, ARENA_SIZE);
    }
}

#[test]
fn pools_are_carved_in_address_order_16_kib_apart_and_marked_fresh() {
    let mut a = Arenas::new(TestSource::aligned());
    let pools: Vec<NonNull<PoolHeader>> = (0..5).map(|_| take(&mut a)).collect();
    let base = a.arena(0).address as usize;
    for (k, p) in pools.iter().enumerate() {
        assert_eq!(p.as_ptr() as usize, base + k * POOL_SIZE);
        // SAFETY: carved pools have their header fields set.
        let h = unsafe { p.as_ref() };
        assert_eq!(h.arenaindex, 0);
        assert_eq!(h.szidx, DUMMY_SIZE_IDX);
    }
    assert_eq!(a.arena(0).pool_address as usize, base + 5 * POOL_SIZE);
    assert_eq!(a.arena(0).nfreepools, 59);
}

#[test]
fn the_arena_vector_starts_at_16_objects_and_doubles() {
    let mut a = Arenas::new(TestSource::aligned());
    assert_eq!(a.maxarenas(), 0);
    take(&mut a);
    assert_eq!(a.maxarenas(), INITIAL_ARENA_OBJECTS);
    assert_eq!(a.unused_arena_objects(), (1..16).collect::<Vec<_>>());
    fill(&mut a, 17); // arena 0 is topped up, then arenas 1..=16 follow
    assert_eq!(a.narenas_currently_allocated(), 17);
    assert_eq!(a.maxarenas(), 32);
    assert_eq!(a.unused_arena_objects(), (17..32).collect::<Vec<_>>());
}

#[test]
fn a_full_arena_leaves_usable_arenas_and_the_next_one_is_created() {
    let mut a = Arenas::new(TestSource::aligned());
    fill(&mut a, 1);
    assert_eq!(a.arena(0).nfreepools, 0);
    assert!(a.usable_arenas().is_empty());
    let p = take(&mut a);
    // SAFETY: carved pools have arenaindex set.
    assert_eq!(unsafe { p.as_ref().arenaindex }, 1);
    assert_eq!(a.usable_arenas(), vec![1]);
    assert_eq!(a.ntimes_arena_allocated(), 2);
}

#[test]
fn a_pool_returned_to_a_full_arena_puts_it_at_the_head() {
    let mut a = Arenas::new(TestSource::aligned());
    let arenas = fill(&mut a, 2);
    take(&mut a); // arena 2, with 63 free pools
    assert_eq!(give_back(&mut a, arenas[1][5]), ArenaChange::BecameUsable);
    assert_eq!(a.usable_arenas(), vec![1, 2]);
    assert_eq!(a.nfp2lasta(1), Some(1));
    a.check().unwrap();
}

#[test]
fn usable_arenas_stays_sorted_most_used_first() {
    let mut a = Arenas::new(TestSource::aligned());
    let arenas = fill(&mut a, 3);
    for (arena, n) in [(0, 3), (1, 1), (2, 2)] {
        for &p in &arenas[arena][..n] {
            give_back(&mut a, p);
            a.check().unwrap();
        }
    }
    assert_eq!(a.usable_arenas(), vec![1, 2, 0]);
    assert_eq!(free_counts(&a), vec![1, 2, 3]);
    // The next pool comes from the most-used arena.
    let p = take(&mut a);
    // SAFETY: pools on freepools keep their header.
    assert_eq!(unsafe { p.as_ref().arenaindex }, 1);
    a.check().unwrap();
}

#[test]
fn an_arena_gaining_a_pool_slides_right_past_arenas_with_fewer_free_pools() {
    let mut a = Arenas::new(TestSource::aligned());
    let arenas = fill(&mut a, 3);
    for arena in [2, 1, 0] {
        give_back(&mut a, arenas[arena][0]);
    }
    assert_eq!(
        a.usable_arenas(),
        vec![0, 1, 2],
        "each became usable at the head"
    );
    assert_eq!(a.nfp2lasta(1), Some(2));
    assert_eq!(give_back(&mut a, arenas[0][1]), ArenaChange::MovedRight);
    assert_eq!(a.usable_arenas(), vec![1, 2, 0]);
    assert_eq!(a.nfp2lasta(1), Some(2));
    assert_eq!(a.nfp2lasta(2), Some(0));
    assert_eq!(
        give_back(&mut a, arenas[0][2]),
        ArenaChange::Unchanged,
        "already last"
    );
    a.check().unwrap();
}

#[test]
fn a_wholly_free_arena_is_released_unless_it_is_the_last_usable_one() {
    let mut a = Arenas::new(TestSource::aligned());
    let arenas = fill(&mut a, 2);
    take(&mut a); // arena 2 stays partly used
    // Free all of arena 0 except one pool, then the last one.
    for &p in &arenas[0][1..] {
        give_back(&mut a, p);
    }
    let live_before = a.source().live();
    assert_eq!(give_back(&mut a, arenas[0][0]), ArenaChange::Released);
    assert_eq!(
        a.source().live(),
        live_before - 1,
        "the memory went back to the source"
    );
    assert!(a.arena(0).address.is_null());
    assert_eq!(
        a.unused_arena_objects()[0],
        0,
        "the arena object is reused first"
    );
    assert_eq!(a.narenas_currently_allocated(), 2);
    assert_eq!(a.narenas_highwater(), 3);
    a.check().unwrap();
}

#[test]
fn a_wholly_free_arena_is_kept_when_it_is_last_in_usable_arenas_even_beside_a_used_arena() {
    // insert_to_freepool releases a wholly free arena only if `nextarena` is not null, i.e.
    // if some arena follows it in usable_arenas. Not "unless it is the only arena": here a
    // second arena exists and is in use, yet the free one is kept.
    let mut a = Arenas::new(TestSource::aligned());
    let arenas = fill(&mut a, 1); // arena 0: all 64 pools taken
    take(&mut a);
    take(&mut a); // arena 1: 62 free pools
    for &p in &arenas[0] {
        assert_ne!(give_back(&mut a, p), ArenaChange::Released);
    }
    // Arena 0 slid past arena 1 when it passed 62 free pools, so it ended last.
    assert_eq!(a.usable_arenas(), vec![1, 0]);
    assert_eq!(free_counts(&a), vec![62, 64]);
    assert_eq!(a.narenas_currently_allocated(), 2);
    assert_eq!(a.source().frees(), 0);
    a.check().unwrap();
}

#[test]
fn the_last_wholly_free_arena_is_kept_to_avoid_thrashing() {
    let mut a = Arenas::new(TestSource::aligned());
    let pools: Vec<_> = (0..4).map(|_| take(&mut a)).collect();
    for &p in &pools {
        assert_ne!(give_back(&mut a, p), ArenaChange::Released);
    }
    assert_eq!(a.arena(0).nfreepools, 64);
    assert_eq!(a.narenas_currently_allocated(), 1);
    assert_eq!(a.source().frees(), 0);
    // Its pools come back from freepools, last returned first.
    assert_eq!(take(&mut a), pools[3]);
}

#[test]
fn out_of_memory_returns_none_and_puts_the_arena_object_back() {
    let mut a = Arenas::new(TestSource::aligned());
    a.source_mut().set_failing(true);
    assert!(a.take_pool(mark).is_none());
    assert_eq!(a.narenas_currently_allocated(), 0);
    assert_eq!(a.ntimes_arena_allocated(), 0);
    assert_eq!(a.unused_arena_objects(), (0..16).collect::<Vec<_>>());
    a.source_mut().set_failing(false);
    let p = take(&mut a);
    // SAFETY: carved pools have arenaindex set.
    assert_eq!(unsafe { p.as_ref().arenaindex }, 0);
}

#[test]
fn a_failed_radix_tree_mark_gives_the_arena_memory_back() {
    let mut a = Arenas::new(TestSource::aligned());
    assert!(a.take_pool(|_| false).is_none());
    assert_eq!(a.source().allocs(), 1);
    assert_eq!(a.source().frees(), 1);
    assert_eq!(a.narenas_currently_allocated(), 0);
    assert!(a.usable_arenas().is_empty());
}

#[test]
fn release_calls_unmark_with_the_arena_base() {
    let mut a = Arenas::new(TestSource::aligned());
    let arenas = fill(&mut a, 1);
    take(&mut a);
    let base = a.arena(0).address as usize;
    let mut unmarked = Vec::new();
    for &p in &arenas[0] {
        // SAFETY: each pool of arena 0 is returned once.
        unsafe { a.return_pool(p, |b| unmarked.push(b)) };
    }
    assert_eq!(unmarked, vec![base]);
}
