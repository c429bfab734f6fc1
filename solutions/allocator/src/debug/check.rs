//! The checks: [`DebugAllocator::check_address`] tests a block's guard bytes in
//! `_PyMem_DebugCheckAddress`'s order, and [`DebugAllocator::dump_address`] reads what
//! `_PyObject_DebugDumpAddress` prints; a failure is a [`DebugError`] (≈ those two functions in
//! `Objects/obmalloc.c`).
//!
//! Both read memory that may be corrupted or freed, so neither may trust the size field blindly:
//! see the module documentation of `debug` on when the trailing pad is read.

use super::{Api, DEBUG_EXTRA_BYTES, DebugAllocator, FORBIDDENBYTE, SST, read_size_t};
use crate::size_class::Allocator;

// ANCHOR: api
/// Which check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebugErrorKind {
    /// The id byte is not the caller's API (or the block is dead: id 0xDD).
    BadId {
        /// The id byte found before the data.
        allocated: u8,
        /// The id of the API used now.
        verified: u8,
    },
    /// A byte of the 7-byte leading pad was overwritten (an underflow).
    BadLeadingPad,
    /// A byte of the 8-byte trailing pad was overwritten (an overflow).
    BadTrailingPad,
}

/// What `_PyObject_DebugDumpAddress` reads from a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDump {
    /// The data address `p`.
    pub p: usize,
    /// The id byte at `p - 8`.
    pub api_id: u8,
    /// The size field at `p - 16`.
    pub nbytes: usize,
    /// The leading pad, `p - 7 ..= p - 1`.
    pub leading: [u8; SST - 1],
    /// The trailing pad at `p + nbytes`, or `None` if it lies outside the block (not read).
    pub tail: Option<[u8; SST]>,
    /// Up to 8 data bytes from `p`.
    pub data_head: Vec<u8>,
    /// Up to 8 data bytes before the tail, when the data is longer than 16 bytes.
    pub data_tail: Vec<u8>,
}

/// A failed check: CPython would print the dump and abort with
/// `Fatal Python error: {func}: {message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugError {
    /// The debug function that noticed (`_PyMem_DebugRawFree`, `_PyMem_DebugRawRealloc`).
    pub func: &'static str,
    /// The failed check.
    pub kind: DebugErrorKind,
    /// The block as it was found.
    pub dump: BlockDump,
}

impl<A: Allocator> DebugAllocator<A> {
    /// `_PyMem_DebugCheckAddress`: the id byte must be `api`'s, then the 7 leading pad bytes
    /// must be 0xFD (checked before trusting the size field), then the 8 trailing ones. On the
    /// first failure return an error carrying [`DebugAllocator::dump_address`] of `p`.
    ///
    /// # Safety
    /// `p` is a block from this allocator whose memory is still mapped.
    pub unsafe fn check_address(
        &self,
        func: &'static str,
        api: Api,
        p: *const u8,
    ) -> Result<(), DebugError> {
        let fail = |kind| DebugError {
            func,
            kind,
            // SAFETY: forwarded contract.
            dump: unsafe { self.dump_address(p) },
        };
        // SAFETY: the caller guarantees a block of ours: its header precedes p.
        unsafe {
            let id = *p.sub(SST);
            if id != api.id() {
                return Err(fail(DebugErrorKind::BadId {
                    allocated: id,
                    verified: api.id(),
                }));
            }
            if (1..SST).any(|i| *p.sub(i) != FORBIDDENBYTE) {
                return Err(fail(DebugErrorKind::BadLeadingPad));
            }
            let nbytes = read_size_t(p.sub(2 * SST));
            if !self.tail_readable(p, nbytes, true)
                || (0..SST).any(|i| *p.add(nbytes + i) != FORBIDDENBYTE)
            {
                return Err(fail(DebugErrorKind::BadTrailingPad));
            }
        }
        Ok(())
    }

    /// `_PyObject_DebugDumpAddress`: read the id, the size, the leading pad, the trailing pad
    /// (only where it is safe, see the module documentation) and up to 8 + 8 data bytes.
    ///
    /// # Safety
    /// As for [`DebugAllocator::check_address`].
    pub unsafe fn dump_address(&self, p: *const u8) -> BlockDump {
        // SAFETY: the caller guarantees a block of ours: its header precedes p.
        unsafe {
            let nbytes = read_size_t(p.sub(2 * SST));
            let mut leading = [0u8; SST - 1];
            for (k, b) in leading.iter_mut().enumerate() {
                *b = *p.sub(SST - 1 - k);
            }
            let leading_ok = leading.iter().all(|&b| b == FORBIDDENBYTE);
            let readable = self.tail_readable(p, nbytes, leading_ok);
            let tail = readable.then(|| std::array::from_fn(|i| *p.add(nbytes + i)));
            // The data bytes we may read: all of them if the tail is readable, else those
            // inside the block (if known).
            let visible = if readable {
                nbytes
            } else {
                let cap = self.inner().usable_size(p.sub(2 * SST)).unwrap_or(2 * SST);
                nbytes.min(cap.saturating_sub(2 * SST))
            };
            let head_len = visible.min(8);
            let data_head = std::slice::from_raw_parts(p, head_len).to_vec();
            let data_tail = if readable && nbytes > 8 {
                let from = if nbytes - 8 > 8 { nbytes - 8 } else { 8 };
                std::slice::from_raw_parts(p.add(from), nbytes - from).to_vec()
            } else {
                Vec::new()
            };
            BlockDump {
                p: p as usize,
                api_id: *p.sub(SST),
                nbytes,
                leading,
                tail,
                data_head,
                data_tail,
            }
        }
    }
}
// ANCHOR_END: api

impl<A: Allocator> DebugAllocator<A> {
    /// Whether the trailing pad of a block with size field `nbytes` lies inside the block.
    /// Unknown block sizes are trusted only when the leading pad is intact.
    ///
    /// # Safety
    /// `p` is a block of ours.
    unsafe fn tail_readable(&self, p: *const u8, nbytes: usize, leading_ok: bool) -> bool {
        match self.inner().usable_size(p.wrapping_sub(2 * SST)) {
            Some(cap) => nbytes
                .checked_add(DEBUG_EXTRA_BYTES)
                .is_some_and(|need| need <= cap),
            None => leading_ok,
        }
    }
}
