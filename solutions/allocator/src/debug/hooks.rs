//! The hooks themselves: [`DebugAllocator`] wraps an inner allocator and decorates every block
//! it hands out (≈ `_PyMem_DebugRawAlloc`, `_PyMem_DebugRawCalloc`, `_PyMem_DebugRawRealloc`
//! and `_PyMem_DebugRawFree` in `Objects/obmalloc.c`, installed by `PyMem_SetupDebugHooks`).

use super::{
    Api, CLEANBYTE, DEADBYTE, DEBUG_EXTRA_BYTES, DebugError, FORBIDDENBYTE, SST, read_size_t,
    write_size_t,
};
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

    /// `_PyMem_DebugRawAlloc(0, …)`: ask the inner allocator for `nbytes + 24` bytes, write the
    /// size, the id, 7 pad bytes, 0xCD over the data and 8 pad bytes; return `head + 16`.
    pub fn malloc(&mut self, api: Api, nbytes: usize) -> *mut u8 {
        self.raw_alloc(false, api, nbytes)
    }

    /// `_PyMem_DebugRawCalloc`: like `malloc` but through the inner `calloc(1, total)`, and the
    /// data stays zero. Null when `nelem * elsize` overflows.
    pub fn calloc(&mut self, api: Api, nelem: usize, elsize: usize) -> *mut u8 {
        match nelem.checked_mul(elsize) {
            Some(nbytes) => self.raw_alloc(true, api, nbytes),
            None => std::ptr::null_mut(),
        }
    }

    /// `_PyMem_DebugRawFree`: null is ignored. Check the block (as `"_PyMem_DebugRawFree"`);
    /// then fill all `nbytes + 24` bytes with 0xDD and free `p - 16` in the inner allocator.
    /// On `Err` nothing is freed.
    ///
    /// # Safety
    /// `p` is null or a block from this allocator (a corrupted or freed one is reported, as
    /// long as its memory is still mapped).
    pub unsafe fn free(&mut self, api: Api, p: *mut u8) -> Result<(), DebugError> {
        if p.is_null() {
            return Ok(());
        }
        // SAFETY: forwarded contract; after the check the header and size are trusted.
        unsafe {
            self.check_address("_PyMem_DebugRawFree", api, p)?;
            let head = p.sub(2 * SST);
            let total = read_size_t(head) + DEBUG_EXTRA_BYTES;
            head.write_bytes(DEADBYTE, total);
            self.inner.free(head);
        }
        Ok(())
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
    pub unsafe fn realloc(
        &mut self,
        api: Api,
        p: *mut u8,
        nbytes: usize,
    ) -> Result<*mut u8, DebugError> {
        if p.is_null() {
            return Ok(self.raw_alloc(false, api, nbytes));
        }
        // SAFETY: forwarded contract; after the check the header and size are trusted.
        unsafe {
            self.check_address("_PyMem_DebugRawRealloc", api, p)?;
            let mut head = p.sub(2 * SST);
            let original = read_size_t(head);
            if nbytes > isize::MAX as usize - DEBUG_EXTRA_BYTES {
                return Ok(std::ptr::null_mut());
            }
            let total = nbytes + DEBUG_EXTRA_BYTES;
            let tail = p.add(original);

            // Mark the header, the trailer and up to ERASED_SIZE bytes at each end of the
            // data as dead, keeping a copy of those data bytes.
            let mut save = [0u8; 2 * ERASED_SIZE];
            if original <= save.len() {
                std::ptr::copy_nonoverlapping(p, save.as_mut_ptr(), original);
                head.write_bytes(DEADBYTE, original + DEBUG_EXTRA_BYTES);
            } else {
                std::ptr::copy_nonoverlapping(p, save.as_mut_ptr(), ERASED_SIZE);
                head.write_bytes(DEADBYTE, ERASED_SIZE + 2 * SST);
                let end = tail.sub(ERASED_SIZE);
                std::ptr::copy_nonoverlapping(end, save.as_mut_ptr().add(ERASED_SIZE), ERASED_SIZE);
                end.write_bytes(DEADBYTE, ERASED_SIZE + DEBUG_EXTRA_BYTES - 2 * SST);
            }

            let r = self.inner.realloc(head, total);
            let nbytes = if r.is_null() {
                original // rewrite the old block's header and trailer
            } else {
                head = r;
                nbytes
            };
            let data = decorate(head, api, nbytes);

            // Restore the saved bytes.
            if original <= save.len() {
                std::ptr::copy_nonoverlapping(save.as_ptr(), data, nbytes.min(original));
            } else {
                let i = original - ERASED_SIZE;
                std::ptr::copy_nonoverlapping(save.as_ptr(), data, nbytes.min(ERASED_SIZE));
                if nbytes > i {
                    let n = (nbytes - i).min(ERASED_SIZE);
                    std::ptr::copy_nonoverlapping(save.as_ptr().add(ERASED_SIZE), data.add(i), n);
                }
            }
            if r.is_null() {
                return Ok(std::ptr::null_mut());
            }
            if nbytes > original {
                // Growing: the new bytes are clean.
                data.add(original).write_bytes(CLEANBYTE, nbytes - original);
            }
            Ok(data)
        }
    }
}
// ANCHOR_END: api

/// Bytes saved at each end of the data by `realloc` (`ERASED_SIZE`).
const ERASED_SIZE: usize = 64;

impl<A: Allocator> DebugAllocator<A> {
    /// `_PyMem_DebugRawAlloc`.
    fn raw_alloc(&mut self, use_calloc: bool, api: Api, nbytes: usize) -> *mut u8 {
        if nbytes > isize::MAX as usize - DEBUG_EXTRA_BYTES {
            return std::ptr::null_mut();
        }
        let total = nbytes + DEBUG_EXTRA_BYTES;
        let head = if use_calloc {
            self.inner.calloc(1, total)
        } else {
            self.inner.malloc(total)
        };
        if head.is_null() {
            return head;
        }
        // SAFETY: head is a fresh block of total bytes.
        unsafe {
            if nbytes > 0 && !use_calloc {
                head.add(2 * SST).write_bytes(CLEANBYTE, nbytes);
            }
            decorate(head, api, nbytes)
        }
    }
}

/// Write the header (size, id, leading pad) and the trailing pad of a block whose data is
/// `nbytes` long; return the data pointer.
///
/// # Safety
/// `head` is valid for `nbytes + DEBUG_EXTRA_BYTES` bytes.
unsafe fn decorate(head: *mut u8, api: Api, nbytes: usize) -> *mut u8 {
    // SAFETY: the caller guarantees the whole padded block is writable.
    unsafe {
        write_size_t(head, nbytes);
        head.add(SST).write(api.id());
        head.add(SST + 1).write_bytes(FORBIDDENBYTE, SST - 1);
        let data = head.add(2 * SST);
        data.add(nbytes).write_bytes(FORBIDDENBYTE, SST);
        data
    }
}
