//! The checks: [`DebugAllocator::check_address`] tests a block's guard bytes in
//! `_PyMem_DebugCheckAddress`'s order, and [`DebugAllocator::dump_address`] reads what
//! `_PyObject_DebugDumpAddress` prints; a failure is a [`DebugError`] (≈ those two functions in
//! `Objects/obmalloc.c`).
//!
//! Both read memory that may be corrupted or freed, so neither may trust the size field blindly:
//! see the module documentation of `debug` on when the trailing pad is read.

use super::{Api, DebugAllocator, SST};
use crate::size_class::Allocator;

// ANCHOR: api
// ANCHOR: error_kind
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
// ANCHOR_END: error_kind

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
    // ANCHOR: check_address
    pub unsafe fn check_address(
        &self,
        func: &'static str,
        api: Api,
        p: *const u8,
    ) -> Result<(), DebugError> {
        // ANCHOR_END: check_address
        // TODO
        todo!("compare the id byte, then the leading pad, then (if readable) the trailing pad")
    }

    /// `_PyObject_DebugDumpAddress`: read the id, the size, the leading pad, the trailing pad
    /// (only where it is safe, see the module documentation) and up to 8 + 8 data bytes.
    ///
    /// # Safety
    /// As for [`DebugAllocator::check_address`].
    // ANCHOR: dump_address
    pub unsafe fn dump_address(&self, p: *const u8) -> BlockDump {
        // ANCHOR_END: dump_address
        // TODO
        todo!("collect what the report prints; never read beyond the block")
    }
}
// ANCHOR_END: api

// Your helpers go here, for instance a check that a trailing pad lies inside the block
// (`Allocator::usable_size` of the inner allocator, through `self.inner()`) before it is read.
