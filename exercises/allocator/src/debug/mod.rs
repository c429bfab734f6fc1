//! The debug hooks of `PYTHONMALLOC=debug` (≈ `_PyMem_DebugRawAlloc`, `_PyMem_DebugRawFree`,
//! `_PyMem_DebugRawRealloc`, `_PyMem_DebugCheckAddress` and `_PyObject_DebugDumpAddress` in
//! CPython's `Objects/obmalloc.c`).
//!
//! Book: Part III, "Debugging memory" (`part3-pymalloc/debugging-memory.md`) and "Reading a
//! debug report" (`part3-pymalloc/debug-reports.md`).
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
//! ([`Allocator::usable_size`](crate::size_class::Allocator::usable_size)), or when the
//! leading pad is intact; otherwise the dump says the pad was not read.
//!
//! One file per idea (the TODOs are in the three marked "yours"):
//! - `layout.rs`: the fill bytes, the API ids and the big-endian size field (yours).
//! - `hooks.rs`: [`DebugAllocator`] and its `malloc`, `calloc`, `realloc` and `free` (yours).
//! - `check.rs`: [`DebugAllocator::check_address`] and [`DebugAllocator::dump_address`], and
//!   the [`DebugError`] they return (yours).
//! - `report.rs`: CPython's fatal-error text for a [`DebugError`] (given).
//!
//! Everything public is re-exported here, so the paths stay `crate::debug::DebugAllocator`
//! and so on.

mod check;
mod hooks;
mod layout;
mod report;

pub use check::{BlockDump, DebugError, DebugErrorKind};
pub use hooks::DebugAllocator;
pub use layout::{
    Api, CLEANBYTE, DEADBYTE, DEBUG_EXTRA_BYTES, FORBIDDENBYTE, SST, read_size_t, write_size_t,
};
