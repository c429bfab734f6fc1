//! Chapter 12, "Tracing memory": a tracemalloc-like tracer (`allocator::trace`).
//!
//! Allocation sites are this file's lines: each test takes `line!()` on the same line as the
//! call it traces, so the expected frames do not depend on where the test sits in the file.

use allocator::obmalloc::Obmalloc;
use allocator::test_source::TestSource;
use allocator::trace::*;

// First, each step of "What to implement" alone, in the chapter's order; then the whole tracer.
mod steps;

fn tracer() -> Tracer<Obmalloc<TestSource>> {
    Tracer::new(Obmalloc::with_source(TestSource::aligned()))
}

fn at(lineno: u32) -> Frame {
    Frame {
        filename: file!(),
        lineno,
    }
}

#[test]
fn nothing_is_traced_before_start() {
    let mut t = tracer();
    let p = t.malloc(100);
    assert!(!p.is_null());
    assert!(!t.is_tracing());
    assert_eq!(t.get_traced_memory(), (0, 0));
    assert_eq!(t.get_object_traceback(p), None);
    assert_eq!(t.take_snapshot(), Err(NotTracing));
}

#[test]
fn traced_memory_counts_requested_bytes_not_block_sizes() {
    let mut t = tracer();
    t.start();
    t.malloc(100); // a 112-byte block
    t.malloc(1); // a 16-byte block
    t.calloc(3, 10);
    t.malloc(1000); // a raw block
    assert_eq!(t.get_traced_memory(), (1131, 1131));
}

#[test]
fn free_lowers_the_current_size_but_not_the_peak_until_reset_peak() {
    let mut t = tracer();
    t.start();
    let a = t.malloc(300);
    let b = t.malloc(200);
    // SAFETY: a is a live block, freed once.
    unsafe { t.free(a) };
    assert_eq!(t.get_traced_memory(), (200, 500));
    t.reset_peak();
    assert_eq!(t.get_traced_memory(), (200, 200));
    // SAFETY: b is live.
    unsafe { t.free(b) };
    assert_eq!(t.get_traced_memory(), (0, 200));
}

#[test]
fn get_object_traceback_names_the_allocating_line() {
    let mut t = tracer();
    t.start();
    let (p, line) = (t.malloc(48), line!());
    assert_eq!(t.get_object_traceback(p), Some(at(line)));
    assert_eq!(format!("{}", at(line)), format!("{}:{line}", file!()));
}

#[test]
fn blocks_allocated_before_start_are_not_counted_when_freed() {
    let mut t = tracer();
    let early = t.malloc(64);
    t.start();
    let late = t.malloc(32);
    // SAFETY: both blocks are live, freed once.
    unsafe {
        t.free(early);
        assert_eq!(t.get_traced_memory(), (32, 32));
        t.free(late);
    }
    assert_eq!(t.get_traced_memory(), (0, 32));
}

#[test]
fn stop_forgets_every_trace_and_start_begins_from_zero() {
    let mut t = tracer();
    t.start();
    let p = t.malloc(500);
    t.stop();
    assert_eq!(t.get_traced_memory(), (0, 0));
    t.start();
    assert_eq!(t.get_object_traceback(p), None);
    assert_eq!(t.get_traced_memory(), (0, 0));
    assert!(t.take_snapshot().unwrap().traces.is_empty());
}

#[test]
fn realloc_moves_the_trace_to_the_new_size_and_the_realloc_line() {
    let mut t = tracer();
    t.start();
    let p = t.malloc(40);
    // SAFETY: p is live; q replaces it.
    let (q, line) = (unsafe { t.realloc(p, 400) }, line!());
    assert_ne!(p, q);
    assert_eq!(t.get_object_traceback(p), None);
    assert_eq!(t.get_object_traceback(q), Some(at(line)));
    assert_eq!(
        t.get_traced_memory(),
        (400, 400),
        "the old trace goes before the new one"
    );
    // In place (390 bytes still fit the 400-byte class): the trace is updated, not doubled.
    // SAFETY: q is live.
    let r = unsafe { t.realloc(q, 390) };
    assert_eq!(r, q);
    assert_eq!(t.get_traced_memory().0, 390);
}

#[test]
fn realloc_of_an_untraced_block_starts_tracing_it() {
    let mut t = tracer();
    let p = t.malloc(10);
    t.start();
    // SAFETY: p is live.
    let (q, line) = (unsafe { t.realloc(p, 20) }, line!());
    assert_eq!(t.get_object_traceback(q), Some(at(line)));
    assert_eq!(t.get_traced_memory(), (20, 20));
}

#[test]
fn statistics_by_line_put_the_biggest_site_first_in_tracemallocs_format() {
    let mut t = tracer();
    t.start();
    let mut small = 0;
    let mut big = 0;
    for i in 0..10 {
        let (_, l) = (t.malloc(32), line!());
        small = l;
        if i % 2 == 0 {
            let (_, l) = (t.malloc(1000), line!());
            big = l;
        }
    }
    let stats = t.take_snapshot().unwrap().statistics(KeyType::Lineno);
    let text: Vec<String> = stats.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        text,
        vec![
            format!("{}:{big}: size=5000 B, count=5, average=1000 B", file!()),
            format!("{}:{small}: size=320 B, count=10, average=32 B", file!()),
        ]
    );
}

#[test]
fn statistics_by_file_use_line_0_and_sum_every_site() {
    let mut t = tracer();
    t.start();
    for n in [10, 20, 30] {
        t.malloc(n);
    }
    t.malloc(15000);
    let stats = t.take_snapshot().unwrap().statistics(KeyType::Filename);
    assert_eq!(stats.len(), 1);
    assert_eq!(
        stats[0].to_string(),
        format!("{}:0: size=14.7 KiB, count=4, average=3765 B", file!())
    );
}

#[test]
fn compare_to_shows_growth_new_sites_and_freed_sites() {
    let mut t = tracer();
    t.start();
    let (gone, gone_line) = (t.malloc(4000), line!());
    let mut before = None;
    let mut grow_line = 0;
    for i in 0..100 {
        if i == 1 {
            before = t.take_snapshot().ok(); // one block of the growing site so far
        }
        let (_, l) = (t.malloc(100), line!());
        grow_line = l;
    }
    let before = before.unwrap();
    let (_, new_line) = (t.malloc(50), line!());
    // SAFETY: gone is live, freed once.
    unsafe { t.free(gone) };
    let after = t.take_snapshot().unwrap();
    let diff: Vec<String> = after
        .compare_to(&before, KeyType::Lineno)
        .iter()
        .map(|d| d.to_string())
        .collect();
    let f = file!();
    assert_eq!(
        diff,
        vec![
            format!("{f}:{grow_line}: size=10000 B (+9900 B), count=100 (+99), average=100 B"),
            format!("{f}:{gone_line}: size=0 B (-4000 B), count=0 (-1)"),
            format!("{f}:{new_line}: size=50 B (+50 B), count=1 (+1), average=50 B"),
        ]
    );
}

#[test]
fn a_leak_in_a_loop_tops_the_comparison() {
    let mut t = tracer();
    t.start();
    let baseline = t.take_snapshot().unwrap();
    let mut leaked = Vec::new();
    let mut leak_line = 0;
    for i in 0..200 {
        let tmp = t.malloc(64);
        if i % 10 == 0 {
            let (p, l) = (t.malloc(480), line!());
            leak_line = l;
            leaked.push(p);
        }
        // SAFETY: tmp is live, freed once.
        unsafe { t.free(tmp) };
    }
    let top = t
        .take_snapshot()
        .unwrap()
        .compare_to(&baseline, KeyType::Lineno)[0];
    assert_eq!(top.frame, at(leak_line));
    assert_eq!((top.size_diff, top.count_diff), (20 * 480, 20));
}

#[test]
fn sizes_are_formatted_like_tracemalloc() {
    let cases = [
        (0.0, "0 B", "+0 B"),
        (512.0, "512 B", "+512 B"),
        (10239.0, "10239 B", "+10239 B"),
        (10240.0, "10.0 KiB", "+10.0 KiB"),
        (10752.0, "10.5 KiB", "+10.5 KiB"),
        (102399.0, "100.0 KiB", "+100.0 KiB"),
        (102400.0, "100 KiB", "+100 KiB"),
        (1048576.0, "1024 KiB", "+1024 KiB"),
        (10485760.0, "10.0 MiB", "+10.0 MiB"),
        (5368709120.0, "5120 MiB", "+5120 MiB"),
        (3377699720527872.0, "3072 TiB", "+3072 TiB"),
    ];
    for (size, plain, signed) in cases {
        assert_eq!(format_size(size, false), plain, "{size}");
        assert_eq!(format_size(size, true), signed, "{size}");
    }
    assert_eq!(format_size(-20480.0, true), "-20.0 KiB");
    assert_eq!(format_size(1000.0 / 3.0, false), "333 B");
}
