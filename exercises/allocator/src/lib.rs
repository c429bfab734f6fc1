//! The allocator: pymalloc, CPython's small-object allocator, rebuilt in Rust
//! (≈ `Objects/obmalloc.c` of CPython 3.11, 64-bit build).
//!
//! One module per chapter step, in course order (Part III of the book):
//! - [`size_class`]: the layers, 16-byte alignment and the 32 size classes ("The layers").
//! - [`pool`]: 16 KiB pools, their header, lazy carving and free lists ("Pools and blocks").
//! - [`arena`]: 1 MiB arenas from `mmap`, `usable_arenas` and `nfp2lasta` ("Arenas").
//! - [`arena_map`]: the radix tree behind `address_in_range` ("Arenas").
//! - [`obmalloc`]: `malloc`, `calloc`, `realloc` and `free` put together ("Arenas").
//! - [`global`]: a thread-safe `GlobalAlloc` adapter, so a Rust program can run on it.
//! - [`debug`]: the `PYTHONMALLOC=debug` hooks: guard bytes, API ids, fatal reports
//!   ("Debugging memory").
//! - [`stats`]: `sys._debugmallocstats()`'s allocator report ("Debugging memory").
//! - [`trace`]: a `tracemalloc`-like tracer with snapshots and statistics ("Tracing memory").
//! - [`replay`]: a malloc-lab style trace replayer used by tests and benchmarks (given).
//! - [`test_source`]: a deterministic arena source for tests and experiments (given).
//! - [`workloads`]: synthetic Python-like traces and glibc's malloc as a yardstick, for the
//!   benchmark and the leaderboard (given).

// Parameters stay unused until you fill in the TODOs.
#![allow(unused_variables)]

pub mod arena;
pub mod arena_map;
pub mod debug;
pub mod global;
pub mod obmalloc;
pub mod pool;
pub mod replay;
pub mod size_class;
pub mod stats;
pub mod test_source;
pub mod trace;
pub mod workloads;
