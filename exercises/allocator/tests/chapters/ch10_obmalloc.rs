//! Chapter 10, "Arenas": the whole allocator, `malloc`/`calloc`/`realloc`/`free`
//! (`allocator::obmalloc`), checked with fixed programs, trace replays and a property test.

use allocator::arena::ARENA_SIZE;
use allocator::obmalloc::Obmalloc;
use allocator::pool::{POOL_SIZE, pool_addr};
use allocator::replay::{self, Op, Trace};
use allocator::test_source::TestSource;
use proptest::prelude::*;

// First, each function of "Your turn" alone, in the chapter's order; then the whole allocator.
mod steps;

fn aligned() -> Obmalloc<TestSource> {
    Obmalloc::with_source(TestSource::aligned())
}

/// Offset of `p` from the base of arena 0.
fn off(a: &Obmalloc<TestSource>, p: *const u8) -> usize {
    p as usize - a.arenas().arena(0).address as usize
}

fn fill(p: *mut u8, n: usize, byte: u8) {
    // SAFETY: callers pass live blocks of at least n bytes.
    unsafe { p.write_bytes(byte, n) }
}

fn all_equal(p: *const u8, n: usize, byte: u8) -> bool {
    // SAFETY: callers pass live blocks of at least n bytes.
    unsafe { std::slice::from_raw_parts(p, n).iter().all(|&b| b == byte) }
}

#[test]
fn the_first_small_malloc_maps_an_arena_and_returns_offset_48_of_its_first_pool() {
    let mut a = aligned();
    let p = a.malloc(16);
    assert_eq!(a.arenas().narenas_currently_allocated(), 1);
    assert_eq!(off(&a, p), 48);
    assert!(a.address_in_range(p));
    assert_eq!(a.allocated_blocks(), 1);
    assert_eq!(a.raw_allocated_blocks(), 0);
}

#[test]
fn with_a_misaligned_arena_the_first_block_is_48_bytes_into_the_next_pool_boundary() {
    let mut a = Obmalloc::with_source(TestSource::misaligned());
    let p = a.malloc(100);
    assert_eq!(off(&a, p), POOL_SIZE - 4096 + 48);
    assert_eq!(a.arenas().arena(0).ntotalpools, 63);
}

#[test]
fn blocks_of_one_class_come_48_plus_k_times_size_into_the_same_pool() {
    let mut a = aligned();
    let ptrs: Vec<*mut u8> = (0..5).map(|_| a.malloc(470)).collect();
    let offsets: Vec<usize> = ptrs.iter().map(|&p| off(&a, p)).collect();
    assert_eq!(offsets, vec![48, 528, 1008, 1488, 1968]);
}

#[test]
fn each_size_class_gets_its_own_pool_and_every_block_is_16_byte_aligned() {
    let mut a = aligned();
    let ptrs: Vec<*mut u8> = [1, 16, 17, 32, 33, 512]
        .iter()
        .map(|&n| a.malloc(n))
        .collect();
    for &p in &ptrs {
        assert_eq!(p as usize % 16, 0);
    }
    assert_eq!(
        pool_addr(ptrs[0]),
        pool_addr(ptrs[1]),
        "1 and 16 bytes share class 0"
    );
    assert_eq!(
        pool_addr(ptrs[2]),
        pool_addr(ptrs[3]),
        "17 and 32 bytes share class 1"
    );
    assert_ne!(pool_addr(ptrs[1]), pool_addr(ptrs[2]));
    assert_ne!(pool_addr(ptrs[3]), pool_addr(ptrs[4]));
    assert_eq!(a.arenas().arena(0).nfreepools, 64 - 4);
    assert_eq!(a.block_size(ptrs[2]), Some(32));
    assert_eq!(a.block_size(ptrs[5]), Some(512));
}

#[test]
fn zero_byte_and_large_requests_become_counted_raw_blocks() {
    let mut a = aligned();
    let zero = a.malloc(0);
    let big = a.malloc(513);
    assert!(!zero.is_null() && !big.is_null());
    assert!(!a.address_in_range(zero) && !a.address_in_range(big));
    assert_eq!(a.block_size(big), None);
    assert_eq!(a.raw_allocated_blocks(), 2);
    assert_eq!(
        a.arenas().narenas_currently_allocated(),
        0,
        "no arena was needed"
    );
    // SAFETY: both are live blocks of `a`, freed once.
    unsafe {
        a.free(zero);
        a.free(big);
    }
    assert_eq!(a.raw_allocated_blocks(), 0);
}

#[test]
fn calloc_zeroes_reused_small_blocks_and_refuses_overflow() {
    let mut a = aligned();
    let p = a.malloc(64);
    fill(p, 64, 0xab);
    // SAFETY: p is live; freed once.
    unsafe { a.free(p) };
    let q = a.calloc(8, 8);
    assert_eq!(q, p, "the freed block is reused");
    assert!(all_equal(q, 64, 0));
    let big = a.calloc(100, 10);
    assert!(!a.address_in_range(big) && all_equal(big, 1000, 0));
    assert_eq!(a.raw_allocated_blocks(), 1);
    assert!(a.calloc(usize::MAX, 2).is_null());
}

#[test]
fn realloc_keeps_a_block_in_place_down_to_just_over_three_quarters_of_its_class() {
    let mut a = aligned();
    let p = a.malloc(256);
    // SAFETY: p stays live while it is kept in place.
    unsafe {
        for n in [256, 250, 200, 193] {
            assert_eq!(a.realloc(p, n), p, "realloc to {n} bytes keeps the block");
        }
        let q = a.realloc(p, 192);
        assert_ne!(q, p, "4 * 192 = 768 is not > 3 * 256, so the block moves");
        assert_eq!(a.block_size(q), Some(192));
    }
}

#[test]
fn realloc_moves_to_another_class_and_keeps_the_contents() {
    let mut a = aligned();
    let p = a.malloc(40);
    fill(p, 40, 0x11);
    // SAFETY: each pointer is live when used; realloc frees the old block.
    unsafe {
        let q = a.realloc(p, 300);
        assert_ne!(q, p);
        assert_eq!(a.block_size(q), Some(304));
        assert!(all_equal(q, 40, 0x11));
        let r = a.realloc(q, 8);
        assert_eq!(a.block_size(r), Some(16));
        assert!(all_equal(r, 8, 0x11));
        let big = a.realloc(r, 5000);
        assert!(!a.address_in_range(big));
        assert!(all_equal(big, 8, 0x11));
        assert_eq!(a.raw_allocated_blocks(), 1);
        assert_eq!(a.allocated_blocks(), 1, "the small blocks were freed");
    }
}

#[test]
fn realloc_never_moves_a_raw_block_into_pymalloc() {
    let mut a = aligned();
    let p = a.malloc(1000);
    fill(p, 100, 0x42);
    // SAFETY: p is live; realloc returns the new live block.
    let q = unsafe { a.realloc(p, 100) };
    assert!(!a.address_in_range(q));
    assert!(all_equal(q, 100, 0x42));
    assert_eq!(a.raw_allocated_blocks(), 1);
    assert_eq!(a.arenas().narenas_currently_allocated(), 0);
}

#[test]
fn realloc_to_zero_bytes_moves_the_data_into_a_one_byte_raw_block() {
    let mut a = aligned();
    let p = a.malloc(32);
    // SAFETY: p is live.
    let q = unsafe { a.realloc(p, 0) };
    assert!(!q.is_null());
    assert!(!a.address_in_range(q));
    assert_eq!(a.raw_allocated_blocks(), 1);
    assert_eq!(a.allocated_blocks(), 1);
}

#[test]
fn freeing_into_a_full_pool_puts_that_pool_first_for_the_next_malloc() {
    let mut a = aligned();
    let first_pool: Vec<*mut u8> = (0..31).map(|_| a.malloc(512)).collect();
    let other = a.malloc(512);
    assert_ne!(
        pool_addr(other),
        pool_addr(first_pool[0]),
        "a full pool leaves usedpools"
    );
    // SAFETY: the block is live; freed once.
    unsafe { a.free(first_pool[10]) };
    assert_eq!(a.malloc(512), first_pool[10]);
}

#[test]
fn an_emptied_pool_returns_to_its_arena_and_can_serve_another_class() {
    let mut a = aligned();
    let p = a.malloc(24);
    let pool = pool_addr(p);
    assert_eq!(a.arenas().arena(0).nfreepools, 63);
    // SAFETY: p is live; freed once.
    unsafe { a.free(p) };
    assert_eq!(a.arenas().arena(0).nfreepools, 64);
    assert!(a.usedpools().first(1).is_none());
    let q = a.malloc(200);
    assert_eq!(pool_addr(q), pool, "the same pool, now for 208-byte blocks");
}

#[test]
fn when_no_arena_can_be_had_small_requests_fall_back_to_the_raw_layer() {
    let mut a = aligned();
    a.source_mut().set_failing(true);
    let p = a.malloc(16);
    assert!(!p.is_null());
    assert!(!a.address_in_range(p));
    assert_eq!(a.raw_allocated_blocks(), 1);
    a.source_mut().set_failing(false);
    let q = a.malloc(16);
    assert!(a.address_in_range(q));
    // SAFETY: both are live blocks of `a`.
    unsafe {
        a.free(p);
        a.free(q);
    }
    assert_eq!(a.allocated_blocks(), 0);
}

#[test]
fn freeing_everything_returns_all_arenas_but_one() {
    let mut a = aligned();
    // 3 arenas' worth of 512-byte blocks: 64 pools * 31 blocks each.
    let blocks: Vec<*mut u8> = (0..3 * 64 * 31).map(|_| a.malloc(512)).collect();
    assert_eq!(a.arenas().narenas_currently_allocated(), 3);
    assert_eq!(a.allocated_blocks(), 3 * 64 * 31);
    for &p in &blocks {
        // SAFETY: each block is live and freed once.
        unsafe { a.free(p) };
    }
    assert_eq!(a.arenas().narenas_currently_allocated(), 1);
    assert_eq!(a.arenas().ntimes_arena_allocated(), 3);
    assert_eq!(a.allocated_blocks(), 0);
    assert_eq!(a.source_mut().live(), 1);
}

#[test]
fn a_released_arena_is_no_longer_in_range() {
    let mut a = aligned();
    let blocks: Vec<*mut u8> = (0..2 * 64 * 31).map(|_| a.malloc(512)).collect();
    let last = a.malloc(16);
    let first_arena = a.arenas().arena(0).address as usize;
    for &p in &blocks {
        // SAFETY: each block is live and freed once.
        unsafe { a.free(p) };
    }
    assert!(!a.address_in_range(first_arena as *const u8));
    assert!(!a.address_in_range((first_arena + ARENA_SIZE / 2) as *const u8));
    assert!(a.address_in_range(last));
}

#[test]
fn the_mmap_allocator_recognises_its_blocks_and_not_others() {
    let mut a = Obmalloc::new();
    let p = a.malloc(48);
    let on_stack = 0u64;
    let boxed = Box::new(0u64);
    assert!(a.address_in_range(p));
    assert!(!a.address_in_range(&on_stack as *const u64 as *const u8));
    assert!(!a.address_in_range(&*boxed as *const u64 as *const u8));
    let ao = a.arenas().arena(0);
    let misaligned = !(ao.address as usize).is_multiple_of(POOL_SIZE);
    assert_eq!(ao.ntotalpools, if misaligned { 63 } else { 64 });
    // SAFETY: p is live; null is ignored.
    unsafe {
        a.free(std::ptr::null_mut());
        a.free(p);
    }
    assert_eq!(a.allocated_blocks(), 0);
}

fn replay_file(name: &str, text: &str) {
    let mut a = Obmalloc::with_source(TestSource::misaligned());
    let trace = Trace::parse(name, text).unwrap();
    let stats = replay::check(&mut a, &trace).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats.ops, trace.ops.len());
    assert_eq!(a.allocated_blocks(), 0, "{name}: every block was freed");
    assert!(
        a.arenas().narenas_currently_allocated() <= 1,
        "{name}: arenas kept"
    );
}

#[test]
fn replaying_python_objects_trace_keeps_every_block_intact() {
    replay_file(
        "python-objects.rep",
        include_str!("traces/python-objects.rep"),
    );
}

#[test]
fn replaying_binary_trees_trace_keeps_every_block_intact() {
    replay_file("binary-trees.rep", include_str!("traces/binary-trees.rep"));
}

#[test]
fn replaying_list_growth_trace_keeps_every_block_intact() {
    replay_file("list-growth.rep", include_str!("traces/list-growth.rep"));
}

#[test]
fn replaying_mixed_sizes_trace_keeps_every_block_intact() {
    replay_file("mixed-sizes.rep", include_str!("traces/mixed-sizes.rep"));
}

/// A random program over at most 64 block ids: allocations of 0..=1200 bytes (mostly small),
/// reallocs and frees of live blocks.
fn program() -> impl Strategy<Value = Trace> {
    let size = prop_oneof![6 => 1usize..=512, 1 => Just(0usize), 2 => 513usize..=1200];
    prop::collection::vec((0u8..3, 0usize..64, size), 1..400).prop_map(|steps| {
        let mut live = [false; 64];
        let mut ops = Vec::new();
        for (kind, id, size) in steps {
            let op = match (kind, live[id]) {
                (_, false) => Op::Alloc { id, size },
                (1, true) => Op::Realloc { id, size },
                _ => Op::Free { id },
            };
            live[id] = !matches!(op, Op::Free { .. });
            ops.push(op);
        }
        Trace {
            name: "proptest".into(),
            ops,
            num_ids: 64,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_programs_keep_blocks_aligned_disjoint_and_intact(trace in program()) {
        let mut a = aligned();
        let result = replay::check(&mut a, &trace);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
        // replay::check frees whatever is still live at the end.
        prop_assert_eq!(a.allocated_blocks(), 0);
        prop_assert_eq!(a.raw_allocated_blocks(), 0);
        prop_assert!(a.arenas().narenas_currently_allocated() <= 1);
        prop_assert!(a.arenas().check().is_ok(), "{:?}", a.arenas().check());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn freeing_several_arenas_of_blocks_in_any_order_returns_all_arenas_but_one(
        order in Just((0..7000usize).collect::<Vec<_>>()).prop_shuffle()
    ) {
        let mut a = aligned();
        // Sizes 400..=512 (classes 24..31): 7000 blocks need more than three arenas.
        let blocks: Vec<*mut u8> = (0..7000).map(|i| a.malloc(400 + (i * 37) % 113)).collect();
        prop_assert!(a.arenas().narenas_currently_allocated() >= 3);
        for (n, &i) in order.iter().enumerate() {
            // SAFETY: each block is live and freed once.
            unsafe { a.free(blocks[i]) };
            if n % 500 == 0 {
                prop_assert!(a.arenas().check().is_ok(), "{:?}", a.arenas().check());
            }
        }
        prop_assert_eq!(a.allocated_blocks(), 0);
        prop_assert_eq!(a.arenas().narenas_currently_allocated(), 1);
        prop_assert!(a.arenas().check().is_ok(), "{:?}", a.arenas().check());
    }
}
