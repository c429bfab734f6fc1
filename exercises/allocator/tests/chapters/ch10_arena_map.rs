//! Chapter 10, "Arenas": the radix tree behind `address_in_range` (`allocator::arena_map`).
//!
//! The tree never reads the memory at an address, so these tests use made-up addresses.

use allocator::arena::ARENA_SIZE;
use allocator::arena_map::*;

/// A 1 MiB-aligned address in the usual user-space range.
const BASE: usize = 0x7f12_3450_0000;

#[test]
fn a_64_bit_address_splits_15_15_14_bits_above_the_20_arena_bits() {
    assert_eq!((MAP_TOP_BITS, MAP_MID_BITS, MAP_BOT_BITS), (15, 15, 14));
    assert_eq!((MAP_BOT_SHIFT, MAP_MID_SHIFT, MAP_TOP_SHIFT), (20, 34, 49));
    let p = (5usize << 49) | (1234 << 34) | (999 << 20) | 0xabcde;
    assert_eq!((top_index(p), mid_index(p), bot_index(p)), (5, 1234, 999));
}

#[test]
fn the_highest_address_uses_the_last_slot_of_every_level() {
    let p = usize::MAX;
    assert_eq!(top_index(p), MAP_TOP_LENGTH - 1);
    assert_eq!(mid_index(p), MAP_MID_LENGTH - 1);
    assert_eq!(bot_index(p), MAP_BOT_LENGTH - 1);
}

#[test]
fn node_sizes_match_the_bytes_debugmallocstats_reports() {
    assert_eq!(ROOT_BYTES, 262_144);
    assert_eq!(MID_NODE_BYTES, 262_144);
    assert_eq!(BOT_NODE_BYTES, 131_072);
    let map = ArenaMap::new();
    assert_eq!((map.mid_count(), map.bot_count()), (0, 0));
    assert!(!map.is_used(BASE));
}

#[test]
fn nothing_is_ours_in_an_empty_map_and_lookups_create_no_nodes() {
    let map = ArenaMap::new();
    for p in [0, 1, BASE, BASE + 12345, usize::MAX] {
        assert!(!map.is_used(p), "{p:#x}");
        assert_eq!(map.coverage(p), None);
    }
    assert_eq!((map.mid_count(), map.bot_count()), (0, 0));
}

#[test]
fn an_aligned_arena_covers_exactly_its_own_mebibyte() {
    let mut map = ArenaMap::new();
    assert!(map.mark_used(BASE, true));
    assert!(map.is_used(BASE));
    assert!(map.is_used(BASE + 4096));
    assert!(map.is_used(BASE + ARENA_SIZE - 1));
    assert!(!map.is_used(BASE - 1));
    assert!(!map.is_used(BASE + ARENA_SIZE));
    assert_eq!(
        map.coverage(BASE),
        Some(ArenaCoverage {
            tail_hi: -1,
            tail_lo: 0
        })
    );
}

#[test]
fn a_misaligned_arena_is_recorded_in_two_leaves() {
    let mut map = ArenaMap::new();
    let base = BASE + 0x3000;
    assert!(map.mark_used(base, true));
    assert_eq!(
        map.coverage(base),
        Some(ArenaCoverage {
            tail_hi: 0x3000,
            tail_lo: 0
        })
    );
    assert_eq!(
        map.coverage(base + ARENA_SIZE),
        Some(ArenaCoverage {
            tail_hi: 0,
            tail_lo: 0x3000
        })
    );
}

#[test]
fn a_misaligned_arena_covers_base_to_base_plus_one_mebibyte() {
    let mut map = ArenaMap::new();
    let base = BASE + 0x1000;
    map.mark_used(base, true);
    assert!(!map.is_used(base - 1));
    assert!(map.is_used(base));
    assert!(map.is_used(BASE + ARENA_SIZE - 1));
    assert!(map.is_used(BASE + ARENA_SIZE));
    assert!(map.is_used(base + ARENA_SIZE - 1));
    assert!(!map.is_used(base + ARENA_SIZE));
}

#[test]
fn two_neighbouring_misaligned_arenas_share_a_leaf() {
    let mut map = ArenaMap::new();
    let a = BASE + 0x1000;
    let b = a + ARENA_SIZE;
    map.mark_used(a, true);
    map.mark_used(b, true);
    assert_eq!(
        map.coverage(b),
        Some(ArenaCoverage {
            tail_hi: 0x1000,
            tail_lo: 0x1000
        })
    );
    for p in (a..b + ARENA_SIZE).step_by(4096) {
        assert!(map.is_used(p), "{:#x}", p - BASE);
    }
    map.mark_used(a, false);
    assert!(!map.is_used(a));
    assert!(!map.is_used(b - 1), "the tail of a is not b's");
    assert!(map.is_used(b));
}

#[test]
fn unmarking_forgets_the_arena_but_keeps_the_nodes() {
    let mut map = ArenaMap::new();
    let base = BASE + 0x5000;
    map.mark_used(base, true);
    assert!(map.mark_used(base, false));
    assert!(!map.is_used(base));
    assert!(!map.is_used(base + ARENA_SIZE - 1));
    assert_eq!(map.coverage(base), Some(ArenaCoverage::default()));
    assert_eq!((map.mid_count(), map.bot_count()), (1, 1));
}

#[test]
fn nearby_arenas_share_one_middle_and_one_bottom_node() {
    let mut map = ArenaMap::new();
    for k in 0..10 {
        map.mark_used(BASE + k * ARENA_SIZE + 4096, true);
    }
    assert_eq!((map.mid_count(), map.bot_count()), (1, 1));
}

#[test]
fn arenas_16_gib_apart_need_two_bottom_nodes_and_512_tib_apart_two_middle_nodes() {
    let mut map = ArenaMap::new();
    map.mark_used(BASE, true);
    map.mark_used(BASE + (1 << 34), true);
    assert_eq!((map.mid_count(), map.bot_count()), (1, 2));
    map.mark_used(BASE + (1 << 49), true);
    assert_eq!((map.mid_count(), map.bot_count()), (2, 3));
    assert!(map.is_used(BASE + (1 << 49) + 77));
    assert!(!map.is_used(BASE + (1 << 48)));
}

#[test]
fn a_misaligned_arena_straddling_a_bottom_node_boundary_marks_both_nodes() {
    let mut map = ArenaMap::new();
    let boundary = 3usize << 34; // a 16 GiB boundary: bottom index 0 of a new node
    let base = boundary - ARENA_SIZE + 0x2000;
    assert!(map.mark_used(base, true));
    assert_eq!(map.bot_count(), 2);
    assert!(map.is_used(boundary - 1));
    assert!(map.is_used(boundary));
    assert!(map.is_used(boundary + 0x1fff));
    assert!(!map.is_used(boundary + 0x2000));
}
