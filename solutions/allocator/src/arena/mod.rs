//! Arenas (≈ `struct arena_object`, `new_arena`, the arena half of `allocate_from_new_pool`
//! and `insert_to_freepool` in CPython's `Objects/obmalloc.c`).
//!
//! Book: Part III, "Arenas" (`part3-pymalloc/arenas.md`).
//!
//! pymalloc asks the operating system for memory 1 MiB at a time. Each such arena is cut into
//! 16 KiB pools, carved on demand from its `pool_address` high-water mark. The vector of
//! `ArenaObject`s describes the arenas; `usable_arenas` lists those with a free pool, sorted so
//! that the most-used arena comes first, and `nfp2lasta` finds in O(1) the place where an arena
//! belongs after its count of free pools changes. A wholly free arena goes back to the system,
//! unless it is the last one of the list.
//!
//! One file per idea (the TODOs are in the three marked "yours"):
//! - `source.rs`: where the memory comes from, [`ArenaSource`] and [`MmapSource`] (yours).
//! - `table.rs`: one [`ArenaObject`] per arena, in the `arenas` vector (given).
//! - `arenas.rs`: [`Arenas`] itself and [`Arenas::new_arena`], which attaches fresh memory to
//!   an unused arena object (yours).
//! - `usable.rs`: [`Arenas::take_pool`] and [`Arenas::return_pool`], which keep
//!   `usable_arenas` sorted with the help of `nfp2lasta` (yours).
//! - `inspect.rs`: read-only views and [`Arenas::check`], the invariants the tests rely on
//!   (given).
//!
//! Everything public is re-exported here, so the paths stay `crate::arena::Arenas` and so on.

use crate::pool::POOL_SIZE;

mod arenas;
mod inspect;
mod source;
mod table;
mod usable;

pub use arenas::Arenas;
pub use source::{ArenaSource, MmapSource};
pub use table::ArenaObject;
pub use usable::ArenaChange;

// ANCHOR: api
/// `log2(ARENA_SIZE)`: 20 on 64-bit builds (`ARENA_BITS`).
pub const ARENA_BITS: u32 = 20;
/// 1 MiB (`ARENA_SIZE`).
pub const ARENA_SIZE: usize = 1 << ARENA_BITS;
/// `ARENA_SIZE - 1` (`ARENA_SIZE_MASK`).
pub const ARENA_SIZE_MASK: usize = ARENA_SIZE - 1;
/// Pools in an arena whose base is pool-aligned: 64 (`MAX_POOLS_IN_ARENA`).
pub const MAX_POOLS_IN_ARENA: usize = ARENA_SIZE / POOL_SIZE;
/// Length of the arena-object vector before its first doubling (`INITIAL_ARENA_OBJECTS`).
pub const INITIAL_ARENA_OBJECTS: usize = 16;
// ANCHOR_END: api
