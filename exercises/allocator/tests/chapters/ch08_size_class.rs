//! Chapter 8, "The layers": size classes and the layer dispatch (`allocator::size_class`).

use allocator::size_class::*;

#[test]
fn requests_of_1_to_16_bytes_share_class_0() {
    for n in 1..=16 {
        assert_eq!(size_class_index(n), Some(0), "request of {n} bytes");
    }
}

#[test]
fn seventeen_bytes_is_the_first_request_of_class_1() {
    assert_eq!(size_class_index(17), Some(1));
    assert_eq!(size_class_index(32), Some(1));
    assert_eq!(size_class_index(33), Some(2));
}

#[test]
fn there_are_32_classes_and_512_is_the_last() {
    assert_eq!(NB_SMALL_SIZE_CLASSES, 32);
    assert_eq!(size_class_index(512), Some(31));
    assert_eq!(index_to_size(31), 512);
}

#[test]
fn zero_bytes_and_more_than_512_bytes_are_not_small() {
    assert_eq!(size_class_index(0), None);
    assert_eq!(size_class_index(513), None);
    assert_eq!(size_class_index(1 << 20), None);
    assert_eq!(size_class_index(usize::MAX), None);
}

#[test]
fn class_sizes_run_16_32_up_to_512_in_steps_of_16() {
    let sizes: Vec<usize> = (0..NB_SMALL_SIZE_CLASSES).map(index_to_size).collect();
    let expected: Vec<usize> = (1..=32).map(|k| 16 * k).collect();
    assert_eq!(sizes, expected);
}

#[test]
fn every_small_request_fits_its_class_and_not_the_class_below() {
    for n in 1..=SMALL_REQUEST_THRESHOLD {
        let i = size_class_index(n)
            .unwrap_or_else(|| panic!("size_class_index({n}) is None, but {n} is a small request"));
        assert!(n <= index_to_size(i), "{n} does not fit class {i}");
        if i > 0 {
            assert!(n > index_to_size(i - 1), "{n} would fit class {}", i - 1);
        }
        assert_eq!(
            index_to_size(i),
            round_up(n),
            "block size of a {n}-byte request"
        );
    }
}

#[test]
fn round_up_goes_to_the_next_multiple_of_16() {
    assert_eq!(round_up(0), 0);
    assert_eq!(round_up(1), 16);
    assert_eq!(round_up(16), 16);
    assert_eq!(round_up(17), 32);
    assert_eq!(round_up(470), 480);
    assert_eq!(round_up(513), 528);
}

#[test]
fn small_object_and_mem_requests_go_to_pymalloc() {
    assert_eq!(route(Domain::Obj, 1), Layer::Pymalloc { szidx: 0 });
    assert_eq!(route(Domain::Obj, 16), Layer::Pymalloc { szidx: 0 });
    assert_eq!(route(Domain::Mem, 17), Layer::Pymalloc { szidx: 1 });
    assert_eq!(route(Domain::Mem, 512), Layer::Pymalloc { szidx: 31 });
}

#[test]
fn zero_and_large_requests_fall_through_to_the_raw_layer() {
    assert_eq!(route(Domain::Obj, 0), Layer::Raw);
    assert_eq!(route(Domain::Obj, 513), Layer::Raw);
    assert_eq!(route(Domain::Mem, 0), Layer::Raw);
    assert_eq!(route(Domain::Mem, 4096), Layer::Raw);
}

#[test]
fn the_raw_domain_never_uses_pymalloc() {
    for n in [0, 1, 16, 512, 513] {
        assert_eq!(route(Domain::Raw, n), Layer::Raw, "PyMem_RawMalloc({n})");
    }
}

#[test]
fn pythonmalloc_names_select_the_allocators_cpython_reports() {
    let name = |v: Option<&str>, dev| AllocatorName::select(v, dev).map(|a| a.name());
    assert_eq!(name(None, false), Ok("pymalloc"));
    assert_eq!(name(Some("debug"), false), Ok("pymalloc_debug"));
    assert_eq!(name(Some("malloc"), false), Ok("malloc"));
    assert_eq!(name(Some("malloc_debug"), false), Ok("malloc_debug"));
    assert_eq!(name(Some("pymalloc"), false), Ok("pymalloc"));
    assert_eq!(name(Some("default"), false), Ok("pymalloc"));
}

#[test]
fn dev_mode_adds_debug_hooks_only_when_pythonmalloc_is_unset() {
    let name = |v: Option<&str>| AllocatorName::select(v, true).map(|a| a.name());
    assert_eq!(name(None), Ok("pymalloc_debug"));
    assert_eq!(name(Some("")), Ok("pymalloc_debug"));
    assert_eq!(name(Some("malloc")), Ok("malloc"));
    assert_eq!(name(Some("default")), Ok("pymalloc"));
}

#[test]
fn an_unknown_pythonmalloc_is_an_error() {
    assert_eq!(
        AllocatorName::select(Some("bogus"), false),
        Err(UnknownAllocator("bogus".to_string()))
    );
}

#[test]
fn each_allocator_set_puts_the_domains_on_malloc_or_pymalloc() {
    use AllocatorName::*;
    for set in [Pymalloc, PymallocDebug, Malloc, MallocDebug] {
        assert_eq!(set.domain_allocator(Domain::Raw), "malloc", "{set:?}");
    }
    assert_eq!(Pymalloc.domain_allocator(Domain::Mem), "pymalloc");
    assert_eq!(PymallocDebug.domain_allocator(Domain::Obj), "pymalloc");
    assert_eq!(Malloc.domain_allocator(Domain::Obj), "malloc");
    assert_eq!(MallocDebug.domain_allocator(Domain::Mem), "malloc");
    assert!(PymallocDebug.has_debug_hooks() && MallocDebug.has_debug_hooks());
    assert!(!Pymalloc.has_debug_hooks() && !Malloc.has_debug_hooks());
}

#[test]
fn raw_malloc_of_zero_bytes_returns_a_distinct_usable_block() {
    let a = raw_malloc(0);
    let b = raw_malloc(0);
    assert!(!a.is_null() && !b.is_null());
    assert_ne!(a, b, "two live blocks must differ");
    // SAFETY: a is a live block of at least 1 byte (malloc(0) became malloc(1)).
    unsafe {
        a.write(0x5a);
        assert_eq!(a.read(), 0x5a);
        raw_free(a);
        raw_free(b);
    }
}

#[test]
fn raw_calloc_zeroes_and_refuses_overflowing_sizes() {
    let p = raw_calloc(10, 100);
    assert!(!p.is_null());
    // SAFETY: p is a live block of 1000 bytes.
    unsafe {
        assert!(std::slice::from_raw_parts(p, 1000).iter().all(|&b| b == 0));
        raw_free(p);
    }
    assert!(raw_calloc(usize::MAX / 2, 4).is_null());
    let q = raw_calloc(0, 8);
    assert!(
        !q.is_null(),
        "calloc with a zero count becomes calloc(1, 1)"
    );
    // SAFETY: q is live.
    unsafe { raw_free(q) };
}

#[test]
fn raw_realloc_keeps_contents_and_is_16_byte_aligned() {
    let mut r = RawMalloc;
    let p = r.malloc(100);
    assert_eq!(p as usize % ALIGNMENT, 0);
    // SAFETY: p is a live block of 100 bytes; q of 5000 bytes after realloc.
    unsafe {
        for i in 0..100 {
            p.add(i).write(i as u8);
        }
        let q = r.realloc(p, 5000);
        assert!(!q.is_null());
        assert_eq!(q as usize % ALIGNMENT, 0);
        for i in 0..100 {
            assert_eq!(q.add(i).read(), i as u8);
        }
        let z = r.realloc(q, 0);
        assert!(!z.is_null(), "realloc to 0 bytes keeps a 1-byte block");
        r.free(z);
    }
}
