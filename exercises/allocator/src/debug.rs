//! The debug hooks of `PYTHONMALLOC=debug` (≈ `_PyMem_DebugRawAlloc`, `_PyMem_DebugRawFree`,
//! `_PyMem_DebugRawRealloc`, `_PyMem_DebugCheckAddress` and `_PyObject_DebugDumpAddress` in
//! CPython's `Objects/obmalloc.c`).
//!
//! Book: Part III, "Debugging memory" (`part3-pymalloc/debugging-memory.md`).
//!
//! The hooks wrap any allocator. Each request asks the inner allocator for 24 more bytes and
//! lays them out as (S = 8 = `sizeof(size_t)`):
//!
//! ```text
//! p-16 .. p-9   the requested size n, big-endian
//! p-8           the API id: 'r' (PyMem_Raw*), 'm' (PyMem_*), 'o' (PyObject_*)
//! p-7 .. p-1    7 x 0xFD (FORBIDDENBYTE)
//! p .. p+n-1    the data, filled with 0xCD (CLEANBYTE), except for calloc
//! p+n .. p+n+7  8 x 0xFD
//! ```
//!
//! `free` and `realloc` first check the id, then the leading pad, then the trailing pad; a
//! mismatch is fatal in CPython (it prints a dump of the block and aborts). Here it is an
//! [`DebugError`] whose [`DebugError::report`] is CPython's text, and the block is left alone.
//! A freed block is filled with 0xDD (DEADBYTE), so freeing it again shows up as a bad API id.
//!
//! One deviation keeps a bad block from crashing the checker: when the size field is garbage
//! (it lies before the data, where corruption and reuse strike first), CPython reads the
//! trailing pad wherever the garbage points, and may segfault. This version reads it only if
//! it lies inside the block, as far as the inner allocator can tell
//! ([`Allocator::usable_size`]), or when the leading pad is intact; otherwise the dump says
//! the pad was not read.

use crate::size_class::Allocator;

// ANCHOR: api
/// Fills new memory, except for calloc (`PYMEM_CLEANBYTE`).
pub const CLEANBYTE: u8 = 0xCD;
/// Fills freed memory (`PYMEM_DEADBYTE`).
pub const DEADBYTE: u8 = 0xDD;
/// Fills the guard bytes around the data (`PYMEM_FORBIDDENBYTE`).
pub const FORBIDDENBYTE: u8 = 0xFD;
/// `sizeof(size_t)` (`SST`).
pub const SST: usize = 8;
/// Extra bytes per block: size, id, 7 + 8 pad bytes (`PYMEM_DEBUG_EXTRA_BYTES`, no serial).
pub const DEBUG_EXTRA_BYTES: usize = 3 * SST;

/// The three API families (`debug_alloc_api_t.api_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// `PyMem_RawMalloc` & co.: id `'r'`.
    Raw,
    /// `PyMem_Malloc` & co.: id `'m'`.
    Mem,
    /// `PyObject_Malloc` & co.: id `'o'`.
    Obj,
}

impl Api {
    /// The id byte stored before the data: `b'r'`, `b'm'` or `b'o'`.
    pub fn id(self) -> u8 {
        // TODO
        todo!("'r', 'm' or 'o' as a byte")
    }
}

/// Write `n` as a big-endian `size_t` at `p` (`write_size_t`).
///
/// # Safety
/// `p` is valid for writing 8 bytes.
pub unsafe fn write_size_t(p: *mut u8, n: usize) {
    // TODO
    todo!("most significant byte first (to_be_bytes)")
}

/// Read a big-endian `size_t` at `p` (`read_size_t`).
///
/// # Safety
/// `p` is valid for reading 8 bytes.
pub unsafe fn read_size_t(p: *const u8) -> usize {
    // TODO
    todo!("the inverse of write_size_t")
}

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
        // TODO
        todo!("allocate nbytes + DEBUG_EXTRA_BYTES from the inner allocator and decorate the block")
    }

    /// `_PyMem_DebugRawCalloc`: like `malloc` but through the inner `calloc(1, total)`, and the
    /// data stays zero. Null when `nelem * elsize` overflows.
    pub fn calloc(&mut self, api: Api, nelem: usize, elsize: usize) -> *mut u8 {
        // TODO
        todo!("check the multiplication, then decorate a calloc'd block without the 0xCD fill")
    }

    /// `_PyMem_DebugRawFree`: null is ignored. Check the block (as `"_PyMem_DebugRawFree"`);
    /// then fill all `nbytes + 24` bytes with 0xDD and free `p - 16` in the inner allocator.
    /// On `Err` nothing is freed.
    ///
    /// # Safety
    /// `p` is null or a block from this allocator (a corrupted or freed one is reported, as
    /// long as its memory is still mapped).
    pub unsafe fn free(&mut self, api: Api, p: *mut u8) -> Result<(), DebugError> {
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
    pub unsafe fn realloc(
        &mut self,
        api: Api,
        p: *mut u8,
        nbytes: usize,
    ) -> Result<*mut u8, DebugError> {
        // TODO
        todo!(
            "check, save and erase, inner realloc, redecorate, restore, fill growth with CLEANBYTE"
        )
    }

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
        // TODO
        todo!("compare the id byte, then the leading pad, then (if readable) the trailing pad")
    }

    /// `_PyObject_DebugDumpAddress`: read the id, the size, the leading pad, the trailing pad
    /// (only where it is safe, see the module documentation) and up to 8 + 8 data bytes.
    ///
    /// # Safety
    /// As for [`DebugAllocator::check_address`].
    pub unsafe fn dump_address(&self, p: *const u8) -> BlockDump {
        // TODO
        todo!("collect what the report prints; never read beyond the block")
    }
}
// ANCHOR_END: api

impl DebugError {
    /// The message after `Fatal Python error: {func}: `.
    pub fn message(&self) -> String {
        match self.kind {
            DebugErrorKind::BadId {
                allocated,
                verified,
            } => format!(
                "bad ID: Allocated using API '{}', verified using API '{}'",
                char::from(allocated),
                char::from(verified)
            ),
            DebugErrorKind::BadLeadingPad => "bad leading pad byte".to_string(),
            DebugErrorKind::BadTrailingPad => "bad trailing pad byte".to_string(),
        }
    }

    /// The block was already freed: its id byte reads DEADBYTE.
    pub fn is_double_free(&self) -> bool {
        matches!(
            self.kind,
            DebugErrorKind::BadId {
                allocated: DEADBYTE,
                ..
            }
        )
    }

    /// The text CPython writes to stderr before aborting: the dump, the tracemalloc hint and
    /// the fatal error line. Addresses are printed as `%p` does when `origin` is `None`, and as
    /// `base+0x…` offsets from `origin` otherwise (for deterministic tests).
    pub fn report(&self, origin: Option<usize>) -> String {
        let mut out = self.dump.render(origin);
        out.push_str("Enable tracemalloc to get the memory block allocation traceback\n\n");
        out.push_str(&format!(
            "Fatal Python error: {}: {}\n",
            self.func,
            self.message()
        ));
        out
    }
}

impl BlockDump {
    /// `_PyObject_DebugDumpAddress`'s text, line for line (see [`DebugError::report`] for
    /// `origin`).
    pub fn render(&self, origin: Option<usize>) -> String {
        let addr = |a: usize| match origin {
            None => format!("{a:#x}"),
            Some(o) => format!("base+{:#x}", a.wrapping_sub(o)),
        };
        let mut s = format!(
            "Debug memory block at address p={}: API '{}'\n",
            addr(self.p),
            char::from(self.api_id)
        );
        s += &format!("    {} bytes originally requested\n", self.nbytes);
        s += &format!("    The {} pad bytes at p-{} are ", SST - 1, SST - 1);
        if self.leading.iter().all(|&b| b == FORBIDDENBYTE) {
            s += "FORBIDDENBYTE, as expected.\n";
        } else {
            s += &format!("not all FORBIDDENBYTE (0x{FORBIDDENBYTE:02x}):\n");
            for (k, &b) in self.leading.iter().enumerate() {
                s += &format!("        at p-{}: 0x{b:02x}{}\n", SST - 1 - k, ouch(b));
            }
            s += "    Because memory is corrupted at the start, the count of bytes requested\n";
            s += "       may be bogus, and checking the trailing pad bytes may segfault.\n";
        }
        let tail = self.p.wrapping_add(self.nbytes);
        s += &format!("    The {SST} pad bytes at tail={} are ", addr(tail));
        match self.tail {
            None => s += "outside the block: not read.\n",
            Some(t) if t.iter().all(|&b| b == FORBIDDENBYTE) => {
                s += "FORBIDDENBYTE, as expected.\n"
            }
            Some(t) => {
                s += &format!("not all FORBIDDENBYTE (0x{FORBIDDENBYTE:02x}):\n");
                for (i, &b) in t.iter().enumerate() {
                    s += &format!("        at tail+{i}: 0x{b:02x}{}\n", ouch(b));
                }
            }
        }
        if self.nbytes > 0 {
            s += "    Data at p:";
            for b in &self.data_head {
                s += &format!(" {b:02x}");
            }
            if self.nbytes > 16 || (self.tail.is_none() && self.nbytes > self.data_head.len()) {
                s += " ...";
            }
            for b in &self.data_tail {
                s += &format!(" {b:02x}");
            }
            s += "\n";
        }
        s += "\n";
        s
    }
}

fn ouch(b: u8) -> &'static str {
    if b == FORBIDDENBYTE { "" } else { " *** OUCH" }
}

// Your helpers go here, for instance `fn raw_alloc(&mut self, use_calloc: bool, api: Api,
// nbytes: usize) -> *mut u8` (CPython's `_PyMem_DebugRawAlloc`, shared by malloc and calloc),
// a function that writes the header and trailer of a block, and a check that a trailing pad
// lies inside the block (`Allocator::usable_size`) before it is read.
