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
//! has no GIL, so the adapter takes a lock around every call, as the free-threaded CPython
//! build would have to (it uses mimalloc instead, which has per-thread heaps). The allocator is
//! created on first use. Its own bookkeeping (the arena vector, radix-tree nodes, `usedpools`)
//! comes from the C library, never from Rust's global allocator, so it cannot call itself.
//!
//! pymalloc and `malloc` give 16-byte alignment. Layouts that need more are served by
//! `posix_memalign` and freed with `free`, bypassing pymalloc; `dealloc` can tell them apart
//! because Rust passes the same layout to `dealloc` as to `alloc`.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::{Mutex, MutexGuard};

use crate::arena::MmapSource;
use crate::obmalloc::Obmalloc;

// ANCHOR: api
// ANCHOR: py_malloc
/// pymalloc behind a lock, created on first use.
pub struct PyMalloc {
    #[allow(dead_code)] // your `lock` uses it
    state: Mutex<Option<Obmalloc<MmapSource>>>,
}

impl PyMalloc {
    /// An adapter with no allocator yet (a `const fn`, so it can initialise a `static`).
    pub const fn new() -> Self {
        PyMalloc {
            state: Mutex::new(None),
        }
    }

    /// Run `f` on the allocator, creating it if needed, while holding the lock.
    ///
    /// When this adapter is the global allocator, `f` must not allocate: the allocation would
    /// wait for the lock that `f`'s caller holds. Collect numbers, print afterwards.
    pub fn with<R>(&self, f: impl FnOnce(&mut Obmalloc<MmapSource>) -> R) -> R {
        f(&mut self.lock())
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
// unwinds; the allocator state is only touched under the lock.
// ANCHOR: global_alloc
unsafe impl GlobalAlloc for PyMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // TODO
        todo!("alignment <= 16: malloc under the lock; larger alignments: aligned_alloc")
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // TODO
        todo!("alignment <= 16: free under the lock; larger alignments: libc::free")
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // TODO
        todo!("calloc under the lock, or aligned_alloc plus zeroing")
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // TODO
        todo!("realloc under the lock; for large alignments, allocate, copy, free")
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
