//! The chapter's four steps one at a time, in the order "What to implement" numbers them
//! (`stepN_<function>_…`). Steps 1 and 2 run a `Tracer` over your `Obmalloc`; steps 3 and 4 need
//! no tracer at all: the snapshots are written out by hand and nothing is printed through
//! `format_size`, so `statistics` passes before `format_size` exists, and `format_size` before
//! anything else.

use allocator::obmalloc::Obmalloc;
use allocator::test_source::TestSource;
use allocator::trace::*;

fn tracer() -> Tracer<Obmalloc<TestSource>> {
    Tracer::new(Obmalloc::with_source(TestSource::aligned()))
}

fn frame(filename: &'static str, lineno: u32) -> Frame {
    Frame { filename, lineno }
}

fn snapshot(traces: &[(usize, &'static str, u32)]) -> Snapshot {
    Snapshot {
        traces: traces
            .iter()
            .map(|&(size, file, line)| Trace {
                size,
                frame: frame(file, line),
            })
            .collect(),
    }
}

#[test]
fn step1_traced_malloc_calloc_realloc_free_keep_current_and_peak() {
    let mut t = tracer();
    let untraced = t.malloc(64);
    assert_eq!(t.get_traced_memory(), (0, 0), "not tracing yet");
    t.start();
    assert!(t.is_tracing());
    let a = t.malloc(100);
    let b = t.calloc(2, 50);
    assert_eq!(t.get_traced_memory(), (200, 200));
    // SAFETY: a and untraced are live blocks, each freed once.
    unsafe {
        t.free(a);
        t.free(untraced);
    }
    assert_eq!(t.get_traced_memory(), (100, 200), "the peak stays");
    t.reset_peak();
    assert_eq!(t.get_traced_memory(), (100, 100));
    // SAFETY: b is live; realloc gives it a new size and maybe a new address.
    let b = unsafe { t.realloc(b, 300) };
    assert_eq!(t.get_traced_memory(), (300, 300));
    t.clear_traces();
    assert_eq!(t.get_traced_memory(), (0, 0));
    t.stop();
    assert!(!t.is_tracing());
    // SAFETY: b is live, freed once; its trace is gone already.
    unsafe { t.free(b) };
}

#[test]
fn step2_get_object_traceback_and_take_snapshot_see_the_live_traces() {
    let mut t = tracer();
    assert_eq!(t.take_snapshot(), Err(NotTracing));
    t.start();
    let (p, line) = (t.malloc(40), line!());
    let q = t.malloc(24);
    assert_eq!(t.get_object_traceback(p), Some(frame(file!(), line)));
    // SAFETY: q is live, freed once.
    unsafe { t.free(q) };
    assert_eq!(t.get_object_traceback(q), None);
    let snap = t.take_snapshot().unwrap();
    assert_eq!(
        snap.traces,
        [Trace {
            size: 40,
            frame: frame(file!(), line)
        }]
    );
}

#[test]
fn step3_statistics_group_by_line_or_by_file_biggest_first() {
    let snap = snapshot(&[
        (10, "a.rs", 1),
        (300, "b.rs", 7),
        (20, "a.rs", 1),
        (200, "a.rs", 2),
    ]);
    let stat = |file, line, size, count| Statistic {
        frame: frame(file, line),
        size,
        count,
    };
    assert_eq!(
        snap.statistics(KeyType::Lineno),
        [
            stat("b.rs", 7, 300, 1),
            stat("a.rs", 2, 200, 1),
            stat("a.rs", 1, 30, 2)
        ]
    );
    assert_eq!(
        snap.statistics(KeyType::Filename),
        [stat("b.rs", 0, 300, 1), stat("a.rs", 0, 230, 3)],
        "by file, every line of a file is one group with line 0"
    );
}

#[test]
fn step3_compare_to_lists_new_grown_and_freed_sites_biggest_change_first() {
    let old = snapshot(&[(100, "a.rs", 1), (50, "a.rs", 2)]);
    let new = snapshot(&[(100, "a.rs", 1), (60, "a.rs", 1), (500, "b.rs", 3)]);
    let diff = |line_file: (&'static str, u32), size, size_diff, count, count_diff| StatisticDiff {
        frame: frame(line_file.0, line_file.1),
        size,
        size_diff,
        count,
        count_diff,
    };
    assert_eq!(
        new.compare_to(&old, KeyType::Lineno),
        [
            diff(("b.rs", 3), 500, 500, 1, 1),
            diff(("a.rs", 1), 160, 60, 2, 1),
            diff(("a.rs", 2), 0, -50, 0, -1),
        ]
    );
}

#[test]
fn step4_format_size_walks_the_units_like_tracemalloc() {
    assert_eq!(format_size(0.0, false), "0 B");
    assert_eq!(format_size(409.0, false), "409 B");
    assert_eq!(
        format_size(1536.0, false),
        "1536 B",
        "below 10 KiB stays in bytes"
    );
    assert_eq!(format_size(20480.0, false), "20.0 KiB");
    assert_eq!(format_size(818_176.0, false), "799 KiB");
    assert_eq!(format_size(408_576.0, true), "+399 KiB");
    assert_eq!(format_size(-2048.0, true), "-2048 B");
    assert_eq!(format_size(0.0, true), "+0 B");
}
