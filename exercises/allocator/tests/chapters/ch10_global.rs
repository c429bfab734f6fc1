//! Chapter 10, "Arenas": the `GlobalAlloc` adapter (`allocator::global`) and its per-thread
//! cache, called directly.
//! (A solutions-side test, `tests/global_workload.rs`, runs a whole program on it.)

use std::alloc::{GlobalAlloc, Layout};
use std::sync::Arc;

use allocator::global::PyMalloc;

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

#[test]
fn small_layouts_are_served_by_pymalloc() {
    let g = PyMalloc::new();
    // SAFETY: the layout is non-zero; the block is freed with the same layout.
    unsafe {
        let p = g.alloc(layout(24, 8));
        assert!(!p.is_null());
        assert!(g.with(|a| a.address_in_range(p)));
        assert_eq!(g.with(|a| a.block_size(p)), Some(32));
        g.dealloc(p, layout(24, 8));
    }
    assert_eq!(g.with(|a| a.allocated_blocks()), 0);
}

#[test]
fn the_allocator_is_created_on_first_use() {
    let g = PyMalloc::new();
    assert_eq!(g.with(|a| a.arenas().ntimes_arena_allocated()), 0);
    // SAFETY: non-zero layout, freed below.
    let p = unsafe { g.alloc(layout(8, 8)) };
    assert_eq!(g.with(|a| a.arenas().ntimes_arena_allocated()), 1);
    // SAFETY: p came from g with this layout.
    unsafe { g.dealloc(p, layout(8, 8)) };
}

#[test]
fn alignments_up_to_16_come_from_pymalloc_and_larger_ones_are_honoured() {
    let g = PyMalloc::new();
    for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
        let l = layout(40, align);
        // SAFETY: non-zero layout, freed with the same layout.
        unsafe {
            let p = g.alloc(l);
            assert!(!p.is_null());
            assert_eq!(p as usize % align, 0, "alignment {align}");
            assert_eq!(
                g.with(|a| a.address_in_range(p)),
                align <= 16,
                "alignment {align}"
            );
            p.write_bytes(0x5a, 40);
            g.dealloc(p, l);
        }
    }
    assert_eq!(g.with(|a| a.allocated_blocks()), 0);
}

#[test]
fn large_layouts_go_to_the_raw_layer() {
    let g = PyMalloc::new();
    let l = layout(1 << 20, 8);
    // SAFETY: non-zero layout, freed with the same layout.
    unsafe {
        let p = g.alloc(l);
        assert!(!g.with(|a| a.address_in_range(p)));
        assert_eq!(g.with(|a| a.raw_allocated_blocks()), 1);
        g.dealloc(p, l);
    }
    assert_eq!(g.with(|a| a.raw_allocated_blocks()), 0);
}

#[test]
fn alloc_zeroed_returns_zeroes_even_in_a_reused_block() {
    let g = PyMalloc::new();
    let l = layout(100, 8);
    // SAFETY: blocks are used within their size and freed with their layout.
    unsafe {
        let p = g.alloc(l);
        p.write_bytes(0xff, 100);
        g.dealloc(p, l);
        let q = g.alloc_zeroed(l);
        assert_eq!(q, p, "the freed block comes back first");
        assert!(std::slice::from_raw_parts(q, 100).iter().all(|&b| b == 0));
        g.dealloc(q, l);
        let big = layout(64, 128);
        let r = g.alloc_zeroed(big);
        assert!(std::slice::from_raw_parts(r, 64).iter().all(|&b| b == 0));
        g.dealloc(r, big);
    }
}

#[test]
fn realloc_within_a_size_class_keeps_the_address() {
    let g = PyMalloc::new();
    // SAFETY: blocks are used within their size and freed with their layout.
    unsafe {
        let p = g.alloc(layout(100, 8));
        p.write_bytes(7, 100);
        let q = g.realloc(p, layout(100, 8), 112);
        assert_eq!(q, p, "100 and 112 bytes share the 112-byte class");
        let r = g.realloc(q, layout(112, 8), 2000);
        assert_ne!(r, q);
        assert!(std::slice::from_raw_parts(r, 100).iter().all(|&b| b == 7));
        g.dealloc(r, layout(2000, 8));
    }
    assert_eq!(g.with(|a| a.allocated_blocks()), 0);
}

#[test]
fn realloc_of_an_over_aligned_block_keeps_alignment_and_contents() {
    let g = PyMalloc::new();
    // SAFETY: blocks are used within their size and freed with their layout.
    unsafe {
        let p = g.alloc(layout(64, 256));
        for i in 0..64 {
            p.add(i).write(i as u8);
        }
        let q = g.realloc(p, layout(64, 256), 1000);
        assert_eq!(q as usize % 256, 0);
        for i in 0..64 {
            assert_eq!(q.add(i).read(), i as u8);
        }
        g.dealloc(q, layout(1000, 256));
    }
}

#[test]
fn an_over_aligned_block_grown_within_a_small_class_still_gets_room_for_the_new_size() {
    let g = PyMalloc::new();
    // SAFETY: blocks are used within their size and freed with their layout.
    unsafe {
        let p = g.alloc(layout(40, 64));
        p.write_bytes(5, 40);
        // 40 and 48 bytes share a pymalloc class, but this block came from posix_memalign.
        let q = g.realloc(p, layout(40, 64), 48);
        assert_eq!(q as usize % 64, 0);
        assert!(
            libc::malloc_usable_size(q.cast()) >= 48,
            "an over-aligned block is not a pool block: realloc must move it to a 48-byte one"
        );
        assert!(std::slice::from_raw_parts(q, 40).iter().all(|&b| b == 5));
        g.dealloc(q, layout(48, 64));
    }
}

#[test]
fn alloc_zeroed_of_a_large_over_aligned_layout_is_aligned_and_zero() {
    let g = PyMalloc::new();
    let l = layout(1 << 16, 4096);
    // SAFETY: the block is read within its size and freed with its layout.
    unsafe {
        let p = g.alloc_zeroed(l);
        assert_eq!(
            p as usize % 4096,
            0,
            "calloc only aligns to 16: use aligned_alloc"
        );
        assert!(
            std::slice::from_raw_parts(p, 1 << 16)
                .iter()
                .all(|&b| b == 0)
        );
        g.dealloc(p, l);
    }
    assert_eq!(g.with(|a| a.raw_allocated_blocks()), 0);
}

#[test]
fn a_vec_like_growth_sequence_keeps_its_elements() {
    let g = PyMalloc::new();
    let mut cap = 4usize;
    // SAFETY: the buffer holds `cap` u64s; every access is below the current length.
    unsafe {
        let mut buf = g.alloc(layout(cap * 8, 8)).cast::<u64>();
        for i in 0..10_000u64 {
            if i as usize == cap {
                buf = g.realloc(buf.cast(), layout(cap * 8, 8), cap * 16).cast();
                cap *= 2;
            }
            buf.add(i as usize).write(i * 3);
        }
        assert!((0..10_000).all(|i| buf.add(i).read() == i as u64 * 3));
        g.dealloc(buf.cast(), layout(cap * 8, 8));
    }
    assert_eq!(g.with(|a| a.allocated_blocks()), 0);
}

#[test]
fn many_blocks_fill_several_arenas_and_freeing_them_keeps_one() {
    let g = PyMalloc::new();
    let l = layout(500, 16);
    // SAFETY: every block is freed once with its layout.
    unsafe {
        let blocks: Vec<*mut u8> = (0..6000).map(|_| g.alloc(l)).collect();
        assert!(g.with(|a| a.arenas().narenas_currently_allocated()) >= 3);
        for p in blocks {
            g.dealloc(p, l);
        }
    }
    assert_eq!(g.with(|a| a.arenas().narenas_currently_allocated()), 1);
}

#[test]
fn freed_small_blocks_wait_in_the_threads_cache_until_with_returns_them() {
    let g = PyMalloc::new();
    // SAFETY: the block is freed once with its layout.
    unsafe {
        let p = g.alloc(layout(24, 8));
        g.dealloc(p, layout(24, 8));
    }
    assert!(
        g.cached_blocks() >= 1,
        "the freed block went to this thread's cache"
    );
    assert_eq!(g.with(|a| a.allocated_blocks()), 0, "with() flushed it");
    assert_eq!(g.cached_blocks(), 0);
}

#[test]
fn large_and_over_aligned_layouts_never_enter_the_cache() {
    let g = PyMalloc::new();
    // SAFETY: each block is freed once with its layout.
    unsafe {
        for l in [layout(2000, 8), layout(40, 64)] {
            let p = g.alloc(l);
            g.dealloc(p, l);
        }
    }
    assert_eq!(g.cached_blocks(), 0);
}

#[test]
fn shrinking_a_large_block_to_a_small_size_moves_it_into_a_pool() {
    let g = PyMalloc::new();
    // SAFETY: blocks are used within their size and freed with their layout.
    unsafe {
        let p = g.alloc(layout(2000, 8));
        p.write_bytes(9, 2000);
        let q = g.realloc(p, layout(2000, 8), 100);
        assert!(
            g.with(|a| a.address_in_range(q)),
            "a 100-byte layout is a pool block"
        );
        assert!(std::slice::from_raw_parts(q, 100).iter().all(|&b| b == 9));
        g.dealloc(q, layout(100, 8));
    }
    assert_eq!(g.with(|a| a.raw_allocated_blocks()), 0);
}

#[test]
fn realloc_into_a_smaller_class_moves_the_block_so_dealloc_can_trust_the_layout() {
    let g = PyMalloc::new();
    // SAFETY: blocks are used within their size and freed with their layout.
    unsafe {
        let p = g.alloc(layout(112, 8));
        p.write_bytes(3, 112);
        // pymalloc's own realloc would keep p (90 bytes waste less than a quarter of 112).
        let q = g.realloc(p, layout(112, 8), 90);
        assert_ne!(
            q, p,
            "112 -> 90 bytes changes the size class (112 -> 96): the block must move, or \
             dealloc(q, 90) would cache a 112-byte block in the 96-byte list"
        );
        assert_eq!(g.with(|a| a.block_size(q)), Some(96));
        assert!(std::slice::from_raw_parts(q, 90).iter().all(|&b| b == 3));
        g.dealloc(q, layout(90, 8));
    }
    assert_eq!(g.with(|a| a.allocated_blocks()), 0);
}

#[test]
fn blocks_cached_by_a_thread_that_exited_go_back_to_the_pools() {
    let g = Arc::new(PyMalloc::new());
    let worker = Arc::clone(&g);
    std::thread::spawn(move || {
        // SAFETY: every block is freed once with its layout.
        unsafe {
            let blocks: Vec<*mut u8> = (0..3000).map(|_| worker.alloc(layout(48, 8))).collect();
            for p in blocks {
                worker.dealloc(p, layout(48, 8));
            }
        }
        assert!(
            worker.cached_blocks() > 0,
            "the worker's freed 48-byte blocks should wait in its thread cache"
        );
    })
    .join()
    .unwrap();
    assert_eq!(g.with(|a| a.allocated_blocks()), 0);
    assert_eq!(g.with(|a| a.arenas().narenas_currently_allocated()), 1);
}

#[test]
fn four_threads_can_share_one_adapter() {
    let g = Arc::new(PyMalloc::new());
    let threads: Vec<_> = (0..4u8)
        .map(|t| {
            let g = Arc::clone(&g);
            std::thread::spawn(move || {
                let mut live = Vec::new();
                for i in 0..5000usize {
                    let size = 1 + (i * 7 + t as usize * 13) % 600;
                    // SAFETY: each block is written within its size and freed once.
                    unsafe {
                        let p = g.alloc(layout(size, 8));
                        p.write_bytes(t, size);
                        live.push((p, size));
                        if i % 3 == 2 {
                            let (q, n) = live.swap_remove(i % live.len());
                            assert!(std::slice::from_raw_parts(q, n).iter().all(|&b| b == t));
                            g.dealloc(q, layout(n, 8));
                        }
                    }
                }
                for (p, n) in live {
                    // SAFETY: as above.
                    unsafe {
                        assert!(std::slice::from_raw_parts(p, n).iter().all(|&b| b == t));
                        g.dealloc(p, layout(n, 8));
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(g.with(|a| a.allocated_blocks()), 0);
}
