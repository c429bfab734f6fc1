//! A deterministic arena source for tests and experiments (given; not an exercise).
//!
//! [`MmapSource`](crate::arena::MmapSource) lets the kernel pick every arena's address, so
//! whether an arena loses a pool to alignment, and which radix-tree nodes it needs, change from
//! run to run. `TestSource` instead reserves one 64 MiB window aligned to 64 MiB and hands out
//! arena `k` at `window + k MiB + offset`, lowest free slot first. With `offset = 0` arenas
//! are pool-aligned (64 pools); with 4 KiB they are misaligned like `mmap`'s (63 pools). All
//! arenas share one radix-tree leaf, and the source can be told to fail, to exercise the
//! out-of-memory paths.

use std::ptr;

use crate::arena::{ARENA_SIZE, ArenaSource};

/// Size of the window arenas are placed in.
const WINDOW: usize = 64 << 20;
/// Arena slots in the window (the last MiB stays free so that an offset arena still fits).
pub const TEST_SOURCE_SLOTS: usize = 63;

// ANCHOR: api
/// See the module documentation.
pub struct TestSource {
    mapping: *mut u8,
    window: *mut u8,
    offset: usize,
    live: u64,
    limit: usize,
    failing: bool,
    allocs: usize,
    frees: usize,
}

impl TestSource {
    /// Arenas at 1 MiB boundaries: pool-aligned, 64 pools each.
    pub fn aligned() -> Self {
        Self::with_offset(0)
    }

    /// Arenas 4 KiB past a 1 MiB boundary, as `mmap` usually returns them: 63 pools each.
    pub fn misaligned() -> Self {
        Self::with_offset(4096)
    }

    /// Arenas `offset` bytes past a 1 MiB boundary (`offset` is a multiple of 4 KiB, < 1 MiB).
    pub fn with_offset(offset: usize) -> Self {
        assert!(
            offset < ARENA_SIZE && offset.is_multiple_of(4096),
            "bad offset {offset}"
        );
        // Reserve twice the window so that an aligned window fits; pages cost nothing until
        // touched (MAP_NORESERVE).
        // SAFETY: an anonymous private mapping has no preconditions.
        let p = unsafe {
            libc::mmap(
                ptr::null_mut(),
                2 * WINDOW,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        assert!(
            p != libc::MAP_FAILED,
            "TestSource: cannot reserve 128 MiB of address space"
        );
        let mapping = p.cast::<u8>();
        let skip = (WINDOW - (mapping as usize & (WINDOW - 1))) & (WINDOW - 1);
        TestSource {
            mapping,
            window: mapping.wrapping_add(skip),
            offset,
            live: 0,
            limit: TEST_SOURCE_SLOTS,
            failing: false,
            allocs: 0,
            frees: 0,
        }
    }

    /// While `true`, every `alloc` fails (returns null).
    pub fn set_failing(&mut self, failing: bool) {
        self.failing = failing;
    }

    /// At most `limit` arenas may be live at once; `alloc` fails beyond.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.min(TEST_SOURCE_SLOTS);
    }

    /// Successful `alloc` calls so far.
    pub fn allocs(&self) -> usize {
        self.allocs
    }

    /// `free` calls so far.
    pub fn frees(&self) -> usize {
        self.frees
    }

    /// Arenas handed out and not freed.
    pub fn live(&self) -> usize {
        self.live.count_ones() as usize
    }

    /// Start of the 64 MiB window: print addresses as offsets from it.
    pub fn window_base(&self) -> usize {
        self.window as usize
    }
}

// ANCHOR_END: api

impl ArenaSource for TestSource {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        assert!(
            size <= ARENA_SIZE,
            "TestSource serves arenas of at most 1 MiB"
        );
        if self.failing || self.live() >= self.limit {
            return ptr::null_mut();
        }
        let slot = (!self.live).trailing_zeros() as usize;
        if slot >= TEST_SOURCE_SLOTS {
            return ptr::null_mut();
        }
        self.live |= 1 << slot;
        self.allocs += 1;
        self.window.wrapping_add(slot * ARENA_SIZE + self.offset)
    }

    unsafe fn free(&mut self, p: *mut u8, size: usize) {
        let rel = (p as usize).wrapping_sub(self.window as usize + self.offset);
        let slot = rel / ARENA_SIZE;
        assert!(
            rel.is_multiple_of(ARENA_SIZE)
                && slot < TEST_SOURCE_SLOTS
                && self.live & (1 << slot) != 0,
            "TestSource::free of memory it did not hand out"
        );
        // Like munmap: the contents are gone (the pages read as zero next time).
        // SAFETY: p..p+size lies in our mapping.
        unsafe { libc::madvise(p.cast(), size, libc::MADV_DONTNEED) };
        self.live &= !(1 << slot);
        self.frees += 1;
    }
}

impl Drop for TestSource {
    fn drop(&mut self) {
        // SAFETY: mapping is our own 2 * WINDOW mapping, unmapped once.
        unsafe { libc::munmap(self.mapping.cast(), 2 * WINDOW) };
    }
}
