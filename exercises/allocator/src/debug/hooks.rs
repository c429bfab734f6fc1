//! The hooks themselves: [`DebugAllocator`] wraps an inner allocator and decorates every block
//! it hands out (≈ `_PyMem_DebugRawAlloc`, `_PyMem_DebugRawCalloc`, `_PyMem_DebugRawRealloc`
//! and `_PyMem_DebugRawFree` in `Objects/obmalloc.c`, installed by `PyMem_SetupDebugHooks`).

use super::{Api, DebugError};
use crate::size_class::Allocator;

// ANCHOR: api
/// The debug hooks over an inner allocator.
pub struct DebugAllocator<A: Allocator> {
    inner: A,
}

impl<A: Allocator> DebugAllocator<A> {
    /// Wrap `inner`, as `PyMem_SetupDebugHooks` wraps each domain's allocator.
    pub fn new(inner: A) -> Self {
        DebugAllocator { inner }
    }

    /// The wrapped allocator.
    pub fn inner(&self) -> &A {
        &self.inner
    }

    /// The wrapped allocator, mutably.
    pub fn inner_mut(&mut self) -> &mut A {
        &mut self.inner
    }

    // ANCHOR: malloc_calloc
    /// `_PyMem_DebugRawAlloc(0, …)`: ask the inner allocator for `nbytes + 24` bytes, write the
    /// size, the id, 7 pad bytes, 0xCD over the data and 8 pad bytes; return `head + 16`.
    pub fn malloc(&mut self, api: Api, nbytes: usize) -> *mut u8 {
        // TODO
        todo!("allocate nbytes + DEBUG_EXTRA_BYTES from the inner allocator and decorate the block")
    }

    /// `_PyMem_DebugRawCalloc`: like `malloc` but through the inner `calloc(1, total)`, and the
    /// data stays zero. Null when `nelem * elsize` overflows.
    pub fn calloc(&mut self, api: Api, nelem: usize, elsize: usize) -> *mut u8 {
        // TODO
        todo!("check the multiplication, then decorate a calloc'd block without the 0xCD fill")
    }
    // ANCHOR_END: malloc_calloc

    /// `_PyMem_DebugRawFree`: null is ignored. Check the block (as `"_PyMem_DebugRawFree"`);
    /// then fill all `nbytes + 24` bytes with 0xDD and free `p - 16` in the inner allocator.
    /// On `Err` nothing is freed.
    ///
    /// # Safety
    /// `p` is null or a block from this allocator (a corrupted or freed one is reported, as
    /// long as its memory is still mapped).
    // ANCHOR: free
    pub unsafe fn free(&mut self, api: Api, p: *mut u8) -> Result<(), DebugError> {
        // ANCHOR_END: free
        // TODO
        todo!("check_address, then DEADBYTE over the whole padded block, then the inner free")
    }

    /// `_PyMem_DebugRawRealloc`: null `p` is `malloc`. Check the block (as
    /// `"_PyMem_DebugRawRealloc"`); save the data (all of it up to 128 bytes, else the first
    /// and last 64), mark the header, trailer and saved bytes dead, realloc the inner block to
    /// `nbytes + 24`, rewrite the header and trailer, restore the saved bytes, and fill bytes
    /// gained by growth with 0xCD. If the inner realloc fails, the old block is redecorated and
    /// `Ok(null)` returned.
    ///
    /// # Safety
    /// As for [`DebugAllocator::free`].
    // ANCHOR: realloc
    pub unsafe fn realloc(
        &mut self,
        api: Api,
        p: *mut u8,
        nbytes: usize,
    ) -> Result<*mut u8, DebugError> {
        // ANCHOR_END: realloc
        // TODO
        todo!(
            "check, save and erase, inner realloc, redecorate, restore, fill growth with CLEANBYTE"
        )
    }
}
// ANCHOR_END: api

// Your helpers go here, for instance `fn raw_alloc(&mut self, use_calloc: bool, api: Api,
// nbytes: usize) -> *mut u8` (CPython's `_PyMem_DebugRawAlloc`, shared by malloc and calloc)
// and a function that writes the header and trailer of a block.
