//! Objects: how CPython lays out and recycles its objects (≈ `Objects/*.c`).
//!
//! One module per chapter step, in course order (Part I of the book):
//! - [`layout`]: what `sys.getsizeof` reports for each core type, and how lists over-allocate
//!   ("Everything is an object").
//! - [`freelist`]: the small-int cache, interning, and the float/tuple/list/dict free lists
//!   ("Caches and free lists").
//! - [`slots`]: a class-layout builder that computes what `type()` computes for `__slots__`
//!   ("`__slots__`").
//!
//! Every number is the one 64-bit CPython 3.11 gives; the solution crate has a test that asks
//! `python3` to confirm the tests' expectations.

// The stubs' `todo!()` bodies do not read their parameters yet.
#![allow(unused_variables)]

pub mod freelist;
pub mod layout;
pub mod slots;
