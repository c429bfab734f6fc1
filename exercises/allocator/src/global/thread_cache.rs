//! A cache of free blocks per thread, in front of the locked allocator (given code).
//!
//! Book: Part III, "Your allocator, for real", section "A cache per thread"
//! (`part3-pymalloc/global-allocator.md`).
//!
//! Why: a `Mutex` costs two atomic read-modify-write instructions per call (one to take it, one
//! to release it), which is about as long as pymalloc's whole fast path. glibc's `tcache` and
//! mimalloc's per-thread heaps avoid them by giving every thread blocks of its own; CPython's
//! default build avoids them with the GIL. Here each thread keeps, per size class, a short LIFO
//! list of free blocks, linked through their first word as a pool's `freeblock` list is.
//! `alloc` pops from it and `dealloc` pushes onto it with no atomic instruction at all; only
//! when a list runs empty (refill) or grows past one pool's worth of bytes (flush) does the
//! thread take the lock, and then it moves a batch of blocks at once.
//!
//! Two facts make this simple:
//!
//! - Rust passes `dealloc` the same `Layout` that `alloc` received, so the size class of a
//!   freed block is known without asking the arena map, which other threads may be changing.
//!   That only holds if a small layout's block is always a pool block at least as large as
//!   the layout's class: the adapter's `realloc` keeps that true, and [`PyMalloc::cache_alloc`]
//!   never hands out a raw block.
//! - The caches live inside the adapter, one slot per thread number, so they die with it: no
//!   thread can be left holding blocks of an adapter that has been dropped. A thread takes a
//!   number from [`FREE_NUMBERS`] on its first small call and gives it back when it exits; the
//!   next thread to take that number inherits the slot's blocks, which are free blocks of the
//!   same adapter. Numbers are handed out in turn, so a number given back is taken again only
//!   after all the others: until then, `with` can return its blocks to the pools (which makes
//!   the counters exact once the threads that used an adapter have been joined). Past
//!   [`MAX_THREADS`] live threads, a thread gets no number and every call takes the lock.

use std::cell::{Cell, UnsafeCell};
use std::sync::Mutex;

use super::PyMalloc;
use crate::pool::POOL_SIZE;
use crate::size_class::{ALIGNMENT, NB_SMALL_SIZE_CLASSES, index_to_size};

/// Threads that can hold a cache at the same time ([`FREE_NUMBERS`] is a 64-bit set).
pub const MAX_THREADS: usize = 64;
const _: () = assert!(MAX_THREADS == u64::BITS as usize);

/// One thread's free blocks of one adapter: a LIFO list per size class.
pub(crate) struct Bins {
    head: [*mut u8; NB_SMALL_SIZE_CLASSES],
    len: [u32; NB_SMALL_SIZE_CLASSES],
}

/// The caches of one adapter, indexed by thread number.
pub(crate) struct ThreadCaches([UnsafeCell<Bins>; MAX_THREADS]);

// SAFETY: slot `i` is only touched by the thread holding number `i`, or, while number `i` is
// free, by a thread holding the `FREE_NUMBERS` lock (see `PyMalloc::flush_caches`). The
// pointers it holds are free blocks of the adapter, owned by no one else.
unsafe impl Sync for ThreadCaches {}
// SAFETY: as above; the blocks belong to the adapter, wherever it moves.
unsafe impl Send for ThreadCaches {}

impl ThreadCaches {
    pub(crate) const fn new() -> Self {
        const EMPTY: Bins = Bins {
            head: [std::ptr::null_mut(); NB_SMALL_SIZE_CLASSES],
            len: [0; NB_SMALL_SIZE_CLASSES],
        };
        ThreadCaches([const { UnsafeCell::new(EMPTY) }; MAX_THREADS])
    }
}

/// Free thread numbers, one bit each, and the number to try first (the one after the last
/// number handed out).
static FREE_NUMBERS: Mutex<FreeNumbers> = Mutex::new(FreeNumbers {
    free: u64::MAX,
    next: 0,
});

struct FreeNumbers {
    free: u64,
    next: u32,
}

impl FreeNumbers {
    /// The first free number at or after `next`, in turn; `None` if all are taken.
    fn take(&mut self) -> Option<usize> {
        let turned = self.free.rotate_right(self.next);
        if turned == 0 {
            return None;
        }
        let n = (self.next + turned.trailing_zeros()) % 64;
        self.free &= !(1 << n);
        self.next = (n + 1) % 64;
        Some(n as usize)
    }
}

const UNCLAIMED: usize = usize::MAX;
const NONE_FREE: usize = usize::MAX - 1;

/// This thread's number; giving it back is the destructor's job.
struct ThreadNumber(Cell<usize>);

impl Drop for ThreadNumber {
    fn drop(&mut self) {
        let n = self.0.get();
        if n < MAX_THREADS {
            FREE_NUMBERS.lock().unwrap_or_else(|e| e.into_inner()).free |= 1 << n;
        }
    }
}

thread_local! {
    static NUMBER: ThreadNumber = const { ThreadNumber(Cell::new(UNCLAIMED)) };
}

/// The calling thread's number, claimed on first use; `None` when all are taken, or while the
/// thread's destructors run (its number may already be someone else's).
fn thread_number() -> Option<usize> {
    NUMBER
        .try_with(|number| {
            if number.0.get() == UNCLAIMED {
                let mut numbers = FREE_NUMBERS.lock().unwrap_or_else(|e| e.into_inner());
                number.0.set(numbers.take().unwrap_or(NONE_FREE));
            }
            number.0.get()
        })
        .ok()
        .filter(|&n| n < MAX_THREADS)
}

/// A list may hold one pool's worth of bytes before half of it goes back to the pools.
/// (A table: a division on every `dealloc` would cost as much as the rest of it.)
fn high_water(class: usize) -> u32 {
    const HIGH_WATER: [u32; NB_SMALL_SIZE_CLASSES] = {
        let mut table = [0; NB_SMALL_SIZE_CLASSES];
        let mut class = 0;
        while class < NB_SMALL_SIZE_CLASSES {
            table[class] = (POOL_SIZE / ((class + 1) * ALIGNMENT)) as u32;
            class += 1;
        }
        table
    };
    HIGH_WATER[class]
}

impl Bins {
    /// Pop a block of `class`, if there is one.
    fn pop(&mut self, class: usize) -> Option<*mut u8> {
        let p = self.head[class];
        if p.is_null() {
            return None;
        }
        // SAFETY: a listed block is free, ours, and holds the next pointer in its first word.
        self.head[class] = unsafe { p.cast::<*mut u8>().read() };
        self.len[class] -= 1;
        Some(p)
    }

    /// Push a free block of at least `class`'s size.
    fn push(&mut self, class: usize, p: *mut u8) {
        // SAFETY: p is a free block of at least 16 bytes, 16-byte aligned, that no one uses.
        unsafe { p.cast::<*mut u8>().write(self.head[class]) };
        self.head[class] = p;
        self.len[class] += 1;
    }
}

impl PyMalloc {
    // ANCHOR: cache_alloc
    /// A block for a small layout of size class `class`: from this thread's cache, refilled
    /// with a quarter of the high-water mark under one lock when empty. Never a raw block:
    /// if the arenas cannot grow, null.
    pub(crate) fn cache_alloc(&self, class: usize) -> *mut u8 {
        let Some(n) = thread_number() else {
            return self.pool_block(&mut self.lock(), class);
        };
        // SAFETY: slot n is this thread's alone (see ThreadCaches); no call below re-enters
        // the adapter while the reference lives.
        let bins = unsafe { &mut *self.caches.0[n].get() };
        if let Some(p) = bins.pop(class) {
            return p;
        }
        let mut a = self.lock();
        for _ in 1..high_water(class) / 4 {
            let p = self.pool_block(&mut a, class);
            if p.is_null() {
                break;
            }
            bins.push(class, p);
        }
        self.pool_block(&mut a, class)
    }
    // ANCHOR_END: cache_alloc

    /// Give back a block whose layout had size class `class`: onto this thread's cache, with
    /// half of the list returned to the pools under one lock when it passes the high-water mark.
    ///
    /// # Safety
    /// `p` is a live pool block of this adapter, of class `class` or larger.
    pub(crate) unsafe fn cache_free(&self, p: *mut u8, class: usize) {
        let Some(n) = thread_number() else {
            // SAFETY: forwarded contract.
            return unsafe { self.lock().free(p) };
        };
        // SAFETY: as in cache_alloc.
        let bins = unsafe { &mut *self.caches.0[n].get() };
        bins.push(class, p);
        if bins.len[class] > high_water(class) {
            let mut a = self.lock();
            for _ in 0..high_water(class) / 2 {
                let Some(p) = bins.pop(class) else { break };
                // SAFETY: a cached block is a live pool block of this adapter.
                unsafe { a.free(p) };
            }
        }
    }

    /// Return to the pools every block cached by the calling thread and by threads that have
    /// exited, so that the allocator's counters see them as free. Called by `with`, holding
    /// the adapter's lock.
    pub(crate) fn flush_caches(&self, a: &mut crate::obmalloc::Obmalloc) {
        let mut drain = |bins: &mut Bins| {
            for class in 0..NB_SMALL_SIZE_CLASSES {
                while let Some(p) = bins.pop(class) {
                    // SAFETY: a cached block is a live pool block of this adapter.
                    unsafe { a.free(p) };
                }
            }
        };
        if let Some(n) = thread_number() {
            // SAFETY: slot n is this thread's alone.
            drain(unsafe { &mut *self.caches.0[n].get() });
        }
        // Holding FREE_NUMBERS, no thread can claim a free number, so its slot is untouched.
        let numbers = FREE_NUMBERS.lock().unwrap_or_else(|e| e.into_inner());
        for n in (0..MAX_THREADS).filter(|n| numbers.free & (1 << n) != 0) {
            // SAFETY: number n is free and stays free while the lock is held.
            drain(unsafe { &mut *self.caches.0[n].get() });
        }
    }

    /// One block of `class` from the pools, or null; a raw block (the arenas could not grow)
    /// is handed back, because a small layout's block must be a pool block.
    fn pool_block(&self, a: &mut crate::obmalloc::Obmalloc, class: usize) -> *mut u8 {
        let raw_before = a.raw_allocated_blocks();
        let p = a.malloc(index_to_size(class));
        if a.raw_allocated_blocks() != raw_before {
            // SAFETY: p is the raw block just allocated.
            unsafe { a.free(p) };
            return std::ptr::null_mut();
        }
        p
    }

    /// How many free blocks the calling thread's cache of this adapter holds.
    pub fn cached_blocks(&self) -> usize {
        thread_number().map_or(0, |n| {
            // SAFETY: slot n is this thread's alone; only read.
            let bins = unsafe { &*self.caches.0[n].get() };
            bins.len.iter().map(|&l| l as usize).sum()
        })
    }
}
