//! The chapter's steps one at a time, in the order "Your turn" gives them (`stepN_<function>_…`).
//! Steps 1 and 2 call only their own function and given code (`TestSource`, the read-only
//! views of `inspect.rs`). Pools exist only once `take_pool` works, so the `return_pool` tests
//! take their pools with it: `return_pool` is the last step.

use std::cell::Cell;
use std::ptr::NonNull;

use allocator::arena::*;
use allocator::pool::{DUMMY_SIZE_IDX, POOL_SIZE, PoolHeader};
use allocator::test_source::TestSource;

fn mark(_: usize) -> bool {
    true
}

#[test]
fn step1_mmap_source_maps_separate_zeroed_regions_and_unmaps_them() {
    let mut src = MmapSource;
    let (a, b) = (src.alloc(ARENA_SIZE), src.alloc(ARENA_SIZE));
    assert!(!a.is_null() && !b.is_null());
    assert_eq!(a as usize % 4096, 0, "mmap returns whole pages");
    assert!(
        (a as usize).abs_diff(b as usize) >= ARENA_SIZE,
        "two mappings never overlap"
    );
    // SAFETY: a and b are fresh 1 MiB mappings, each unmapped once at the end.
    unsafe {
        a.add(ARENA_SIZE / 2).write(1);
        assert_eq!(b.add(ARENA_SIZE / 2).read(), 0);
        src.free(a, ARENA_SIZE);
        src.free(b, ARENA_SIZE);
    }
}

#[test]
fn step2_new_arena_attaches_memory_to_the_first_unused_object() {
    let mut a = Arenas::new(TestSource::aligned());
    assert_eq!(a.new_arena(mark), Some(0));
    assert_eq!(a.maxarenas(), INITIAL_ARENA_OBJECTS);
    assert_eq!(a.unused_arena_objects(), (1..16).collect::<Vec<_>>());
    let ao = a.arena(0);
    assert_eq!(ao.address as usize, a.source().window_base());
    assert_eq!(
        ao.pool_address, ao.address,
        "an aligned base is the first pool"
    );
    assert_eq!((ao.nfreepools, ao.ntotalpools), (64, 64));
    assert!(ao.freepools.is_null());
    assert_eq!(a.new_arena(mark), Some(1));
    assert_eq!(a.narenas_currently_allocated(), 2);
    assert_eq!(a.ntimes_arena_allocated(), 2);
    assert_eq!(a.narenas_highwater(), 2);
    assert!(
        a.usable_arenas().is_empty(),
        "linking into usable_arenas is the caller's job"
    );
}

#[test]
fn step2_new_arena_skips_to_a_pool_boundary_and_gives_back_what_it_cannot_mark() {
    let mut a = Arenas::new(TestSource::misaligned());
    let idx = a.new_arena(mark).unwrap();
    let ao = a.arena(idx);
    assert_eq!((ao.nfreepools, ao.ntotalpools), (63, 63));
    assert_eq!(
        ao.pool_address as usize,
        ao.address as usize + POOL_SIZE - 4096
    );
    // The radix tree refuses: the memory goes back and the object returns to the unused list.
    let unused = a.unused_arena_objects();
    assert_eq!(a.new_arena(|_| false), None);
    assert_eq!(a.unused_arena_objects(), unused);
    assert_eq!(a.source().live(), 1);
    assert_eq!(a.narenas_currently_allocated(), 1);
}

#[test]
fn step3_take_pool_carves_pools_from_the_head_arena_and_keeps_nfp2lasta() {
    let mut a = Arenas::new(TestSource::aligned());
    let first = a.take_pool(mark).expect("a first arena");
    let base = a.arena(0).address as usize;
    assert_eq!(first.as_ptr() as usize, base);
    // SAFETY: a pool from take_pool has its header fields set.
    let header = unsafe { first.as_ref() };
    assert_eq!((header.arenaindex, header.szidx), (0, DUMMY_SIZE_IDX));
    assert_eq!(a.usable_arenas(), [0]);
    assert_eq!(a.nfp2lasta(63), Some(0));
    let second = a.take_pool(mark).unwrap();
    assert_eq!(second.as_ptr() as usize, base + POOL_SIZE);
    assert_eq!((a.nfp2lasta(63), a.nfp2lasta(62)), (None, Some(0)));
    for _ in 2..64 {
        a.take_pool(mark).unwrap();
    }
    assert!(
        a.usable_arenas().is_empty(),
        "a full arena leaves usable_arenas"
    );
    assert_eq!(a.nfp2lasta(0), None);
    a.check().unwrap();
}

/// Arena 0 full, then `taken` pools of a second arena; returns arena 0's pools.
fn full_arena_and_a_used_one(a: &mut Arenas<TestSource>, taken: usize) -> Vec<NonNull<PoolHeader>> {
    let pools: Vec<NonNull<PoolHeader>> = (0..64).map(|_| a.take_pool(mark).unwrap()).collect();
    for _ in 0..taken {
        a.take_pool(mark).unwrap();
    }
    assert_eq!(a.usable_arenas(), [1]);
    pools
}

/// Gives back every pool, in order, and sums up the answers as runs: `[(change, how many)]`.
fn give_back_all(
    a: &mut Arenas<TestSource>,
    pools: Vec<NonNull<PoolHeader>>,
    unmarked: &Cell<Option<usize>>,
) -> Vec<(ArenaChange, usize)> {
    let mut runs: Vec<(ArenaChange, usize)> = Vec::new();
    for pool in pools {
        // SAFETY: each pool was taken from `a`, is empty, and is given back once.
        let change = unsafe { a.return_pool(pool, |base| unmarked.set(Some(base))) };
        a.check().unwrap();
        match runs.last_mut() {
            Some((last, n)) if *last == change => *n += 1,
            _ => runs.push((change, 1)),
        }
    }
    runs
}

#[test]
fn step4_return_pool_relinks_a_full_arena_then_releases_it_once_wholly_free() {
    let mut a = Arenas::new(TestSource::aligned());
    let pools = full_arena_and_a_used_one(&mut a, 1);
    let base = a.arena(0).address as usize;
    let unmarked = Cell::new(None);
    let runs = give_back_all(&mut a, pools, &unmarked);
    use ArenaChange::*;
    assert_eq!(runs, [(BecameUsable, 1), (Unchanged, 62), (Released, 1)]);
    assert_eq!(
        unmarked.get(),
        Some(base),
        "unmarked before the memory goes"
    );
    assert_eq!(a.usable_arenas(), [1]);
    assert_eq!(a.source().live(), 1);
    assert_eq!(a.unused_arena_objects()[0], 0, "its object is reused first");
}

#[test]
fn step4_return_pool_slides_an_arena_right_and_keeps_the_last_free_one() {
    let mut a = Arenas::new(TestSource::aligned());
    let pools = full_arena_and_a_used_one(&mut a, 3);
    let unmarked = Cell::new(None);
    let runs = give_back_all(&mut a, pools, &unmarked);
    use ArenaChange::*;
    // Arena 1 has 61 free pools: arena 0 passes it at 62, then is last, so never released.
    assert_eq!(
        runs,
        [
            (BecameUsable, 1),
            (Unchanged, 60),
            (MovedRight, 1),
            (Unchanged, 2)
        ]
    );
    assert_eq!(a.usable_arenas(), [1, 0]);
    assert_eq!(unmarked.get(), None);
    assert_eq!(a.arena(0).nfreepools, 64);
}
