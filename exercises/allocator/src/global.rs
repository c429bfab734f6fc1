//! A thread-safe [`GlobalAlloc`] adapter, so that a Rust program can run on pymalloc:
//!
//! ```text
//! #[global_allocator]
//! static GLOBAL: allocator::global::PyMalloc = allocator::global::PyMalloc::new();
//! ```
//!
//! Book: Part III, "Your allocator, for real" (`part3-pymalloc/global-allocator.md`).
//!
//! CPython's allocator relies on the GIL: only one thread runs it at a time. A Rust program
//! has no GIL, so the adapter keeps its `Obmalloc` behind a lock, as the free-threaded CPython
//! build would have to (it uses mimalloc instead, which has per-thread heaps). Taking a lock on
//! every call costs about as much as pymalloc's fast path itself, so small layouts go through
//! a cache of free blocks per thread ([`thread_cache`], given), which takes the lock once per
//! batch of blocks. The allocator is created on first use. Its own bookkeeping (the arena
//! vector, radix-tree nodes, `usedpools`) comes from the C library, never from Rust's global
//! allocator, so it cannot call itself.
//!
//! pymalloc and `malloc` give 16-byte alignment. Layouts that need more are served by
//! `posix_memalign` and freed with `free`, bypassing pymalloc; `dealloc` can tell them apart,
//! and find a small block's size class, because Rust passes the same layout to `dealloc` as
//! to `alloc`.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::{Mutex, MutexGuard};

use crate::arena::MmapSource;
use crate::obmalloc::Obmalloc;
#[allow(unused_imports)] // for your GlobalAlloc methods
use crate::size_class::{ALIGNMENT, size_class_index};

#[allow(dead_code)] // your GlobalAlloc methods call it
pub mod thread_cache;
use thread_cache::ThreadCaches;

// ANCHOR: api
// ANCHOR: py_malloc
/// pymalloc behind a lock, created on first use, with a cache of free blocks per thread.
pub struct PyMalloc {
    #[allow(dead_code)] // your `lock` uses it
    state: Mutex<Option<Obmalloc<MmapSource>>>,
    caches: ThreadCaches,
}

impl PyMalloc {
    /// An adapter with no allocator yet (a `const fn`, so it can initialise a `static`).
    pub const fn new() -> Self {
        PyMalloc {
            state: Mutex::new(None),
            caches: ThreadCaches::new(),
        }
    }

    /// Run `f` on the allocator, creating it if needed, while holding the lock. The blocks
    /// cached by this thread and by exited threads go back to the pools first, so that the
    /// counters `f` reads see them as free.
    ///
    /// When this adapter is the global allocator, `f` must not allocate: the allocation would
    /// wait for the lock that `f`'s caller holds. Collect numbers, print afterwards.
    pub fn with<R>(&self, f: impl FnOnce(&mut Obmalloc<MmapSource>) -> R) -> R {
        let mut a = self.lock();
        self.flush_caches(&mut a);
        f(&mut a)
    }

    /// Lock the allocator and create it on first use. A poisoned lock (a panic while it was
    /// held) is taken anyway: the allocator's state is only changed by code that cannot panic
    /// half-way.
    fn lock(&self) -> OwnedGuard<'_> {
        // TODO
        todo!("lock the mutex (ignore poisoning) and create the Obmalloc if it is still None")
    }
}
// ANCHOR_END: py_malloc

impl Default for PyMalloc {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: every method hands out blocks that satisfy the layout (16-byte alignment from
// pymalloc and malloc, posix_memalign beyond), keeps them valid until dealloc, and never
// unwinds; the allocator state is only touched under the lock, a thread's cache only by
// that thread. A small layout's block is always a pool block of the layout's class or a
// larger one, so `dealloc` may cache it by the layout's class.
// ANCHOR: global_alloc
unsafe impl GlobalAlloc for PyMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // TODO
        todo!("align > 16: aligned_alloc; a small size's class: cache_alloc; else malloc locked")
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // TODO
        todo!("align > 16: libc::free; a small size's class: cache_free; else free locked")
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // TODO
        todo!("a large size aligned to 16: calloc locked; otherwise alloc, then zero")
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // TODO
        todo!(
            "align <= 16: one small class -> ptr, none -> locked realloc; else alloc+copy+dealloc"
        )
    }
}
// ANCHOR_END: global_alloc
// ANCHOR_END: api

/// `posix_memalign` for a layout whose alignment exceeds 16 bytes; null on failure.
#[allow(dead_code)] // for your over-aligned layouts
fn aligned_alloc(layout: Layout) -> *mut u8 {
    let mut p: *mut libc::c_void = std::ptr::null_mut();
    // SAFETY: the alignment is a power of two and a multiple of the pointer size.
    let rc = unsafe { libc::posix_memalign(&mut p, layout.align(), layout.size().max(1)) };
    if rc == 0 {
        p.cast()
    } else {
        std::ptr::null_mut()
    }
}

/// The locked allocator (always `Some` once [`PyMalloc::lock`] returns it).
struct OwnedGuard<'a>(MutexGuard<'a, Option<Obmalloc<MmapSource>>>);

impl std::ops::Deref for OwnedGuard<'_> {
    type Target = Obmalloc<MmapSource>;
    fn deref(&self) -> &Self::Target {
        self.0.as_ref().expect("created by lock()")
    }
}

impl std::ops::DerefMut for OwnedGuard<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.0.as_mut().expect("created by lock()")
    }
}
