//! Where arenas come from: the [`ArenaSource`] trait (CPython's `PyObjectArenaAllocator`) and
//! its default, [`MmapSource`] (≈ `_PyObject_ArenaMmap` and `_PyObject_ArenaMunmap` in
//! `Objects/obmalloc.c`).

// ANCHOR: api
/// Where arenas come from: CPython's `PyObjectArenaAllocator` (`alloc`/`free`, set with
/// `PyObject_SetArenaAllocator`).
pub trait ArenaSource {
    /// `size` bytes of fresh, page-aligned memory, or null.
    fn alloc(&mut self, size: usize) -> *mut u8;
    /// Give back memory from [`ArenaSource::alloc`].
    ///
    /// # Safety
    /// `ptr` and `size` are exactly those of one earlier successful `alloc`, freed once.
    unsafe fn free(&mut self, ptr: *mut u8, size: usize);
}

/// The default source: anonymous `mmap`/`munmap`, as `_PyObject_ArenaMmap` does. The kernel
/// returns 4 KiB-aligned addresses, so most arenas lose a pool to alignment.
#[derive(Debug, Default, Clone, Copy)]
pub struct MmapSource;

// ANCHOR: mmap_alloc
impl ArenaSource for MmapSource {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        // ANCHOR_END: mmap_alloc
        // TODO
        todo!(
            "mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0); MAP_FAILED means null"
        )
    }

    // ANCHOR: mmap_free
    unsafe fn free(&mut self, ptr: *mut u8, size: usize) {
        // ANCHOR_END: mmap_free
        // TODO
        todo!("munmap the region")
    }
}
// ANCHOR_END: api
