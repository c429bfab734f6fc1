//! Chapter 11, "Debugging memory": `sys._debugmallocstats()`'s allocator report
//! (`allocator::stats`).

use allocator::arena::ARENA_SIZE;
use allocator::obmalloc::Obmalloc;
use allocator::pool::num_blocks;
use allocator::stats::*;
use allocator::test_source::TestSource;

fn misaligned() -> Obmalloc<TestSource> {
    Obmalloc::with_source(TestSource::misaligned())
}

/// The rows the fact sheet shows for CPython 3.11: 106 blocks of 16 bytes, 1148 of 32 and
/// 50 of 512.
fn fact_sheet_rows(a: &mut Obmalloc<TestSource>) -> Vec<*mut u8> {
    let mut v = Vec::new();
    v.extend((0..106).map(|_| a.malloc(16)));
    v.extend((0..1148).map(|_| a.malloc(32)));
    v.extend((0..50).map(|_| a.malloc(512)));
    v
}

fn line<'a>(report: &'a str, starts: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.starts_with(starts))
        .unwrap_or_else(|| panic!("no line starting {starts:?} in\n{report}"))
}

#[test]
fn printone_pads_the_label_to_column_35_and_groups_digits() {
    let mut out = String::new();
    assert_eq!(printone(&mut out, "# arenas allocated total", 4), 4);
    printone(&mut out, "4 arenas * 1048576 bytes/arena", 4_194_304);
    printone(&mut out, "Total", 0);
    printone(&mut out, "x", 999);
    printone(&mut out, "y", 1000);
    assert_eq!(
        out,
        "# arenas allocated total           =                    4\n\
         4 arenas * 1048576 bytes/arena     =            4,194,304\n\
         Total                              =                    0\n\
         x                                  =                  999\n\
         y                                  =                1,000\n"
    );
}

#[test]
fn an_allocator_without_arenas_reports_an_empty_table() {
    let a = misaligned();
    insta::assert_snapshot!("stats_empty", debug_malloc_stats(&a));
}

#[test]
fn class_rows_match_the_rows_cpython_printed() {
    let mut a = misaligned();
    fact_sheet_rows(&mut a);
    let report = debug_malloc_stats(&a);
    assert_eq!(
        line(&report, "    0 "),
        "    0     16           1             106           915"
    );
    assert_eq!(
        line(&report, "    1 "),
        "    1     32           3            1148           382"
    );
    assert_eq!(
        line(&report, "   31 "),
        "   31    512           2              50            12"
    );
    assert!(report.starts_with("Small block threshold = 512, in 32 size classes.\n\n"));
}

#[test]
fn blocks_in_use_plus_available_fill_whole_pools_in_every_row() {
    let mut a = misaligned();
    for n in [1, 20, 100, 200, 333, 470, 512] {
        for _ in 0..n {
            a.malloc(n);
        }
    }
    let st = MallocStats::collect(&a);
    for (sz, row) in st.classes.iter().enumerate() {
        assert_eq!(
            row.blocks_in_use + row.avail_blocks,
            row.pools * num_blocks(sz),
            "class {sz}"
        );
    }
    assert_eq!(st.classes[29].blocks_in_use, 470);
}

#[test]
fn the_byte_accounting_adds_up_to_the_arena_total() {
    let mut a = misaligned();
    let blocks = fact_sheet_rows(&mut a);
    let more: Vec<*mut u8> = (0..6000).map(|i| a.malloc(16 + (i * 53) % 497)).collect();
    for &p in more.iter().step_by(3) {
        // SAFETY: each block is live and freed once.
        unsafe { a.free(p) };
    }
    let st = MallocStats::collect(&a);
    assert!(st.arenas_current >= 2);
    assert_eq!(st.total(), st.arenas_current * ARENA_SIZE);
    let report = st.render();
    let total_line = format!(
        "{:<35}={:>21}",
        "Total",
        group(st.arenas_current * ARENA_SIZE)
    );
    assert_eq!(line(&report, "Total"), total_line);
    drop(blocks);
}

fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn each_misaligned_arena_loses_one_pool_to_alignment() {
    let mut a = misaligned();
    // Three arenas: 63 pools of 512-byte blocks each, and one more block.
    for _ in 0..(2 * 63 * 31 + 1) {
        a.malloc(512);
    }
    let report = debug_malloc_stats(&a);
    assert_eq!(
        line(&report, "# bytes lost to arena alignment"),
        "# bytes lost to arena alignment    =               49,152"
    );
    assert_eq!(
        line(&report, "3 arenas"),
        "3 arenas * 1048576 bytes/arena     =            3,145,728"
    );
}

#[test]
fn aligned_arenas_lose_nothing_to_alignment() {
    let mut a = Obmalloc::with_source(TestSource::aligned());
    a.malloc(100);
    let st = MallocStats::collect(&a);
    assert_eq!(st.arena_alignment, 0);
    assert_eq!(st.unused_pools, 63);
    assert_eq!(st.total(), ARENA_SIZE);
}

#[test]
fn an_emptied_pool_counts_as_unused_not_in_its_class_row() {
    let mut a = misaligned();
    let p = a.malloc(64);
    a.malloc(128);
    // SAFETY: p is live; freed once.
    unsafe { a.free(p) };
    let st = MallocStats::collect(&a);
    assert_eq!(
        st.classes[3],
        ClassStats::default(),
        "class 3 (64 bytes) has no pool"
    );
    assert_eq!(st.classes[7].pools, 1);
    assert_eq!(st.unused_pools, 62, "63 pools, one in use");
}

#[test]
fn pool_headers_cost_48_bytes_per_pool_and_quantization_the_tail_of_each_pool() {
    let mut a = misaligned();
    fact_sheet_rows(&mut a);
    let st = MallocStats::collect(&a);
    assert_eq!(st.pool_header_bytes, 6 * 48);
    // (16384 - 48) % 16 = 0, % 32 = 16, % 512 = 464.
    assert_eq!(st.quantization, 3 * 16 + 2 * 464);
}

#[test]
fn released_arenas_show_as_reclaimed() {
    let mut a = misaligned();
    let blocks: Vec<*mut u8> = (0..3 * 63 * 31).map(|_| a.malloc(512)).collect();
    for &p in &blocks {
        // SAFETY: each block is live and freed once.
        unsafe { a.free(p) };
    }
    let report = debug_malloc_stats(&a);
    assert_eq!(
        line(&report, "# arenas allocated total"),
        "# arenas allocated total           =                    3"
    );
    assert_eq!(
        line(&report, "# arenas reclaimed"),
        "# arenas reclaimed                 =                    2"
    );
    assert_eq!(
        line(&report, "# arenas highwater mark"),
        "# arenas highwater mark            =                    3"
    );
    assert_eq!(
        line(&report, "# arenas allocated current"),
        "# arenas allocated current         =                    1"
    );
}

#[test]
fn the_arena_map_costs_the_same_655360_bytes_as_in_cpython() {
    let mut a = misaligned();
    a.malloc(1);
    let report = debug_malloc_stats(&a);
    let tail: Vec<&str> = report
        .lines()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert_eq!(
        tail.join("\n"),
        "arena map counts\n\
         # arena map mid nodes              =                    1\n\
         # arena map bot nodes              =                    1\n\
         \n\
         # bytes lost to arena map root     =              262,144\n\
         # bytes lost to arena map mid      =              262,144\n\
         # bytes lost to arena map bot      =              131,072\n\
         Total                              =              655,360"
    );
}

#[test]
fn the_report_after_a_fixed_program_matches_the_snapshot() {
    let mut a = misaligned();
    let mut keep = fact_sheet_rows(&mut a);
    // Fill three more arenas with 480-byte blocks, then free every block of arenas 1 and 2
    // and every other block elsewhere. One of the two empty arenas goes back to the system;
    // the other, last in usable_arenas, is kept.
    let big: Vec<*mut u8> = (0..3 * 63 * 34).map(|_| a.malloc(470)).collect();
    let arena1 = a.arenas().arena(1).address as usize;
    for (i, &p) in big.iter().enumerate() {
        if (arena1..arena1 + 2 * ARENA_SIZE).contains(&(p as usize)) || i % 2 == 0 {
            // SAFETY: each block is live and freed once.
            unsafe { a.free(p) };
        } else {
            keep.push(p);
        }
    }
    for n in [24, 40, 100, 200, 300] {
        keep.extend((0..n).map(|_| a.malloc(n)));
    }
    let st = MallocStats::collect(&a);
    assert_eq!(st.total(), st.arenas_current * ARENA_SIZE);
    insta::assert_snapshot!("stats_after_program", st.render());
}
